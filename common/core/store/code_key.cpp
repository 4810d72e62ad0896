// The key for visitor codes between desk machines (see code_key.hpp).
#include "core/store/code_key.hpp"

#include "core/base/error.hpp"
#include "core/store/store.hpp"

#include <sodium.h>

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace inloop::core {

namespace fs = std::filesystem;

namespace {
constexpr size_t kCheckBytes = 2;

std::array<unsigned char, kCheckBytes> checkOf(const CodeKey& key) {
    std::array<unsigned char, kCheckBytes> out{};
    crypto_generichash(out.data(), out.size(), key.data(), key.size(), nullptr, 0);
    return out;
}

Error mistyped(const std::string& why) {
    return Error(ErrorKind::InvalidInput, "key.typed",
                 "That key looks mistyped (" + why + "): type it again as `inloopctl key export` showed it.");
}
} // namespace

void writeKeyFile(const fs::path& file, const CodeKey& key, mode_t mode) {
    const fs::path tmp = file.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw Error(ErrorKind::Storage, "store.unwritable", "Cannot create " + tmp.string() + ".");
    bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fchmod(fd, mode) == 0 &&
              ::fsync(fd) == 0;
    const int err = errno;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
        ::unlink(tmp.c_str());
        if (err == ENOSPC || errno == ENOSPC)
            throw Error(ErrorKind::Storage, "disk.full", "The disk is full; nothing was saved.");
        throw Error(ErrorKind::Storage, "store.unwritable", "Cannot write " + file.string() + ".");
    }
}

CodeKey readKeyFile(const fs::path& file) {
    CodeKey key{};
    std::ifstream in(file, std::ios::binary);
    if (!in.read(reinterpret_cast<char*>(key.data()), key.size()) || in.peek() != EOF)
        throw Error(ErrorKind::Storage, "key.unreadable",
                    file.string() + " is not a key for visitor codes (that is a file of exactly 32 bytes).");
    return key;
}

std::string typedCodeKey(const CodeKey& key) {
    std::array<unsigned char, 32 + kCheckBytes> all{};
    std::copy(key.begin(), key.end(), all.begin());
    const auto check = checkOf(key);
    std::copy(check.begin(), check.end(), all.begin() + 32);
    char hex[2 * all.size() + 1];
    sodium_bin2hex(hex, sizeof hex, all.data(), all.size());
    std::string out;
    for (size_t i = 0; i < 2 * all.size(); ++i) {
        if (i && i % 4 == 0) out += '-';
        out += hex[i];
    }
    return out;
}

CodeKey codeKeyFromTyped(std::string_view typed) {
    std::string hex;
    for (char c : typed) {
        if (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        const char lower = (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
        if (!((lower >= '0' && lower <= '9') || (lower >= 'a' && lower <= 'f')))
            throw mistyped(std::string("'") + c + "' is not one of 0-9 and a-f");
        hex += lower;
    }
    if (hex.size() != 2 * (32 + kCheckBytes))
        throw mistyped(std::to_string(hex.size()) + " digits instead of " + std::to_string(2 * (32 + kCheckBytes)));
    std::array<unsigned char, 32 + kCheckBytes> all{};
    size_t length = 0;
    if (sodium_hex2bin(all.data(), all.size(), hex.data(), hex.size(), nullptr, &length, nullptr) != 0 ||
        length != all.size())
        throw mistyped("not hexadecimal");
    CodeKey key{};
    std::copy(all.begin(), all.begin() + 32, key.begin());
    const auto check = checkOf(key);
    if (sodium_memcmp(check.data(), all.data() + 32, kCheckBytes) != 0) throw mistyped("the last group does not match");
    return key;
}

std::string codeKeyFingerprint(const CodeKey& key) {
    static constexpr std::string_view kLabel = "inloop: the key for visitor codes";
    std::array<unsigned char, 16> hash{};
    crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(),
                       key.data(), key.size());
    std::string hex(hash.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    hex.pop_back();
    return hex;
}

bool installCodeKey(const fs::path& dataDir, const CodeKey& key) {
    const StorePaths paths{dataDir};
    const fs::path file = paths.codeKey();
    std::error_code ec;
    if (fs::exists(file, ec)) {
        const CodeKey there = readKeyFile(file);
        if (sodium_memcmp(there.data(), key.data(), key.size()) == 0) return false;
        throw Error(ErrorKind::Conflict, "key.other",
                    file.string() + " holds another key. The codes hashed with it would be lost to this machine, so it "
                                    "is not replaced: move it away first if it is really wrong.");
    }
    fs::create_directories(file.parent_path(), ec);
    struct stat folder{};
    const bool shared = ::stat(file.parent_path().c_str(), &folder) == 0 && (folder.st_mode & S_ISGID);
    writeKeyFile(file, key, shared ? 0640 : 0600);
    return true;
}

} // namespace inloop::core
