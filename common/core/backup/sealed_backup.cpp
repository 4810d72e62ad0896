// Encrypted backup files: recovery phrase, key pair, seal and open (see sealed_backup.hpp).
//
// [SECTION] secrets and files
// [SECTION] phrase
// [SECTION] hex key
// [SECTION] seal
// [SECTION] open
#include "core/backup/sealed_backup.hpp"

#include "core/base/error.hpp"

#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace inloop::core::backup {

namespace fs = std::filesystem;

namespace {

constexpr unsigned char kMagic[8] = {'I', 'N', 'L', 'O', 'O', 'P', 'B', 'K'};
constexpr unsigned char kVersion = 1;
constexpr size_t kEntropyBytes = 25;
constexpr size_t kChecksumBytes = 5;
constexpr size_t kPhraseBytes = kEntropyBytes + kChecksumBytes; // 240 bits = 48 characters of 5 bits
constexpr size_t kPhraseChars = kPhraseBytes * 8 / 5;
constexpr size_t kFingerprintBytes = 8;
constexpr size_t kStreamKeyBytes = crypto_secretstream_xchacha20poly1305_KEYBYTES;
constexpr size_t kSealedKeyBytes = crypto_box_SEALBYTES + kStreamKeyBytes;
// What the first chunk authenticates: everything before the secretstream header.
constexpr size_t kAuthHeaderBytes = sizeof kMagic + 1 + kFingerprintBytes + kSealedKeyBytes;
constexpr size_t kHeaderBytes = kAuthHeaderBytes + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr size_t kChunk = 64 * 1024;
constexpr size_t kSealedChunk = kChunk + crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static_assert(kPhraseChars == 48 && kHeaderBytes == 121);

// [SECTION] secrets and files
void initSodium() {
    static const int ready = sodium_init(); // thread-safe once; 1 means "already done", also fine
    if (ready < 0) throw std::runtime_error("The encryption library cannot start.");
}

// Key material that is wiped when it goes out of scope, on every path out (exceptions included).
template <size_t N>
struct Secret {
    unsigned char bytes[N] = {};
    Secret() = default;
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    ~Secret() { sodium_memzero(bytes, N); }
    unsigned char* data() { return bytes; }
    const unsigned char* data() const { return bytes; }
    static constexpr size_t size() { return N; }
};

// A byte buffer that is wiped before it is freed (it holds plaintext).
struct WipedBuffer {
    std::vector<unsigned char> bytes;
    explicit WipedBuffer(size_t n) : bytes(n) {}
    ~WipedBuffer() { sodium_memzero(bytes.data(), bytes.size()); }
    unsigned char* data() { return bytes.data(); }
};

// The secretstream state holds the stream key.
struct StreamState {
    crypto_secretstream_xchacha20poly1305_state state{};
    ~StreamState() { sodium_memzero(&state, sizeof state); }
};

struct KeyPair {
    PublicKey publicKey{};
    Secret<crypto_box_SECRETKEYBYTES> secretKey;
};

Error notABackup() {
    return Error(ErrorKind::InvalidInput, "backup.not_a_backup",
                 "This file is not an Inloop backup; nothing was restored.");
}
Error damaged() {
    return Error(ErrorKind::Storage, "backup.damaged",
                 "The backup file is damaged or incomplete; nothing was restored.");
}
Error badKey() {
    return Error(ErrorKind::InvalidInput, "backup.key",
                 "The saved backup key is not valid; set up backup encryption again with a new recovery phrase.");
}

class InFile {
public:
    explicit InFile(const fs::path& file) : m_path(file), m_fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC)) {
        if (m_fd < 0) {
            if (errno == ENOENT)
                throw Error(ErrorKind::NotFound, "backup.missing", "There is no file at " + file.string() + ".");
            throw Error(ErrorKind::Storage, "backup.unreadable", "Cannot read " + file.string() + ".");
        }
    }
    ~InFile() { ::close(m_fd); }
    InFile(const InFile&) = delete;
    InFile& operator=(const InFile&) = delete;

    // Fills `n` bytes unless the file ends first; returns how many it read (fewer only at the end).
    size_t read(unsigned char* buf, size_t n) {
        size_t done = 0;
        while (done < n) {
            const ssize_t got = ::read(m_fd, buf + done, n - done);
            if (got > 0) done += static_cast<size_t>(got);
            else if (got == 0) break;
            else if (errno != EINTR)
                throw Error(ErrorKind::Storage, "backup.unreadable", "Cannot read " + m_path.string() + ".");
        }
        return done;
    }
    bool atEnd() {
        unsigned char probe;
        return read(&probe, 1) == 0;
    }

private:
    fs::path m_path;
    int m_fd;
};

// Output goes to `file.part`, which becomes `file` only in commit(); any other way out removes the .part, so a
// reader never sees half a file (and a half-decrypted backup never stays on disk).
class PartFile {
public:
    explicit PartFile(fs::path file) : m_file(std::move(file)), m_part(m_file.string() + ".part") {
        // 0600: the plaintext is as private as desk.db; the sealed file need not be world-readable either.
        m_fd = ::open(m_part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (m_fd < 0) throw unwritable();
    }
    ~PartFile() {
        if (m_fd >= 0) ::close(m_fd);
        if (!m_committed) ::unlink(m_part.c_str());
    }
    PartFile(const PartFile&) = delete;
    PartFile& operator=(const PartFile&) = delete;

    void write(const unsigned char* buf, size_t n) {
        size_t done = 0;
        while (done < n) {
            const ssize_t put = ::write(m_fd, buf + done, n - done);
            if (put > 0) done += static_cast<size_t>(put);
            else if (put < 0 && errno == EINTR) continue;
            else throw unwritable(" (disk full?)");
        }
    }
    void commit() {
        const bool synced = ::fsync(m_fd) == 0;
        const bool closed = ::close(m_fd) == 0;
        m_fd = -1;
        if (!synced || !closed) throw unwritable(" to disk");
        if (::rename(m_part.c_str(), m_file.c_str()) != 0) throw unwritable();
        m_committed = true;
        syncDir();
    }

private:
    Error unwritable(const char* why = "") const {
        if (errno == ENOSPC || errno == EDQUOT) // the words every full disk gets (issue 15)
            return Error(ErrorKind::Storage, "disk.full", "The disk is full; nothing was saved.");
        return Error(ErrorKind::Storage, "backup.unwritable", "Cannot write " + m_file.string() + why + ".");
    }
    void syncDir() const {
        const fs::path dir = fs::absolute(m_file).parent_path();
        const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
    }

    fs::path m_file, m_part;
    int m_fd = -1;
    bool m_committed = false;
};

// [SECTION] phrase
void blake2b256(unsigned char* out, const unsigned char* in, size_t n) {
    crypto_generichash(out, crypto_generichash_BYTES, in, n, nullptr, 0);
}

void checksum(const unsigned char* entropy, unsigned char* out) {
    Secret<crypto_generichash_BYTES> hash; // derived from the secret: wiped like it
    blake2b256(hash.data(), entropy, kEntropyBytes);
    std::memcpy(out, hash.data(), kChecksumBytes);
}

std::array<unsigned char, kFingerprintBytes> fingerprint(const PublicKey& key) {
    unsigned char hash[crypto_generichash_BYTES];
    blake2b256(hash, key.data(), key.size());
    std::array<unsigned char, kFingerprintBytes> out{};
    std::memcpy(out.data(), hash, out.size());
    return out;
}

void deriveKeyPair(const unsigned char* entropy, KeyPair& out) {
    unsigned char salt[crypto_generichash_blake2b_SALTBYTES] = {};
    unsigned char personal[crypto_generichash_blake2b_PERSONALBYTES] = {}; // "inloop-backup", zero-padded to 16
    std::memcpy(personal, "inloop-backup", 13);
    Secret<crypto_box_SEEDBYTES> seed;
    crypto_generichash_blake2b_salt_personal(seed.data(), seed.size(), entropy, kEntropyBytes, nullptr, 0, salt,
                                             personal);
    crypto_box_seed_keypair(out.publicKey.data(), out.secretKey.data(), seed.data());
}

// The 30 bytes as one big-endian bit string, five bits per character.
std::string encodePhrase(const unsigned char* bytes) {
    std::string out;
    unsigned bits = 0, pending = 0;
    for (size_t i = 0; i < kPhraseBytes; ++i) {
        pending = ((pending << 8) | bytes[i]) & 0xFFF; // at most 4 + 8 bits are pending
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            if (!out.empty() && out.size() % 5 == 4) out += '-'; // "XXXX-" groups of four
            out += kAlphabet[(pending >> bits) & 31];
        }
    }
    return out;
}

// The value of one phrase character, or -1. Forgiving of what people mistype or read aloud differently.
int charValue(char c) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    for (int v = 0; v < 32; ++v)
        if (kAlphabet[v] == c) return v;
    return -1;
}

Error phraseError(const std::string& why) { return Error(ErrorKind::InvalidInput, "backup.phrase", why); }

// Phrase → the 25 secret bytes, after checking length, alphabet and checksum.
void decodePhrase(std::string_view phrase, Secret<kEntropyBytes>& entropy) {
    Secret<kPhraseBytes> bytes;
    size_t chars = 0, at = 0;
    unsigned bits = 0, pending = 0;
    bool unknownChar = false;
    for (char c : phrase) {
        if (c == ' ' || c == '-' || c == '\t' || c == '\n' || c == '\r') continue;
        const int v = charValue(c);
        if (v < 0) {
            unknownChar = true;
            continue;
        }
        if (++chars > kPhraseChars) continue; // counted for the message, not decoded
        pending = ((pending << 5) | static_cast<unsigned>(v)) & 0xFFF;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            bytes.bytes[at++] = static_cast<unsigned char>(pending >> bits);
        }
    }
    pending = 0;
    if (unknownChar)
        throw phraseError(
            "This recovery phrase contains a character that phrases never use: check each group of four.");
    if (chars == 0) throw phraseError("No recovery phrase was given: type the 12 groups of four.");
    if (chars != kPhraseChars)
        throw phraseError("This recovery phrase has " + std::to_string(chars) +
                          " characters instead of 48: check that all 12 groups of four are there.");
    unsigned char expected[kChecksumBytes];
    checksum(bytes.data(), expected);
    if (sodium_memcmp(expected, bytes.data() + kEntropyBytes, kChecksumBytes) != 0)
        throw phraseError("This recovery phrase looks mistyped: check each group of four.");
    std::memcpy(entropy.data(), bytes.data(), kEntropyBytes);
}

void keyPairFromPhrase(std::string_view phrase, KeyPair& out) {
    initSodium();
    Secret<kEntropyBytes> entropy;
    decodePhrase(phrase, entropy);
    deriveKeyPair(entropy.data(), out);
}

} // namespace

NewPhrase newRecoveryPhrase() {
    initSodium();
    Secret<kPhraseBytes> bytes;
    randombytes_buf(bytes.data(), kEntropyBytes);
    checksum(bytes.data(), bytes.data() + kEntropyBytes);
    KeyPair keys;
    deriveKeyPair(bytes.data(), keys);
    return NewPhrase{encodePhrase(bytes.data()), keys.publicKey};
}

PublicKey publicKeyFromPhrase(std::string_view phrase) {
    KeyPair keys;
    keyPairFromPhrase(phrase, keys);
    return keys.publicKey;
}

// [SECTION] hex key
std::string toHex(const PublicKey& key) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(key.size() * 2);
    for (unsigned char b : key) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

PublicKey publicKeyFromHex(std::string_view hex) {
    if (hex.size() != 64) throw badKey();
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    PublicKey key{};
    for (size_t i = 0; i < key.size(); ++i) {
        const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) throw badKey();
        key[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return key;
}

// [SECTION] seal
void sealFile(const fs::path& plain, const fs::path& sealed, const PublicKey& key) {
    initSodium();
    InFile in(plain);

    unsigned char header[kHeaderBytes];
    unsigned char* p = header;
    std::memcpy(p, kMagic, sizeof kMagic);
    p += sizeof kMagic;
    *p++ = kVersion;
    const auto print = fingerprint(key);
    std::memcpy(p, print.data(), print.size());
    p += print.size();
    Secret<kStreamKeyBytes> streamKey;
    crypto_secretstream_xchacha20poly1305_keygen(streamKey.data());
    if (crypto_box_seal(p, streamKey.data(), streamKey.size(), key.data()) != 0) throw badKey(); // e.g. all zeros
    p += kSealedKeyBytes;
    StreamState stream;
    crypto_secretstream_xchacha20poly1305_init_push(&stream.state, p, streamKey.data());

    PartFile out(sealed);
    out.write(header, sizeof header);

    // Read one chunk ahead: a chunk is FINAL when nothing follows it, so an empty file still gets one (empty) chunk
    // and a file of exactly 64 KiB is one full FINAL chunk.
    WipedBuffer current(kChunk), next(kChunk);
    std::vector<unsigned char> cipher(kSealedChunk);
    size_t have = in.read(current.data(), kChunk);
    for (bool first = true;; first = false) {
        const size_t following = have == kChunk ? in.read(next.data(), kChunk) : 0;
        const bool last = following == 0;
        unsigned long long cipherLen = 0;
        crypto_secretstream_xchacha20poly1305_push(
            &stream.state, cipher.data(), &cipherLen, current.data(), have, first ? header : nullptr,
            first ? kAuthHeaderBytes : 0,
            last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
        out.write(cipher.data(), static_cast<size_t>(cipherLen));
        if (last) break;
        std::swap(current.bytes, next.bytes);
        have = following;
    }
    out.commit();
}

// [SECTION] open
void openFile(const fs::path& sealed, const fs::path& plain, std::string_view phrase) {
    initSodium();
    InFile in(sealed);

    unsigned char header[kHeaderBytes];
    const size_t got = in.read(header, sizeof kMagic);
    if (got < sizeof kMagic) {
        // A few bytes that start like a backup are a backup cut short; anything else was never one.
        if (got > 0 && std::memcmp(header, kMagic, got) == 0) throw damaged();
        throw notABackup();
    }
    if (std::memcmp(header, kMagic, sizeof kMagic) != 0) throw notABackup();

    KeyPair keys;
    keyPairFromPhrase(phrase, keys); // a mistyped phrase is reported before anything about the file's contents

    if (in.read(header + sizeof kMagic, kHeaderBytes - sizeof kMagic) != kHeaderBytes - sizeof kMagic) throw damaged();
    const unsigned char* p = header + sizeof kMagic;
    if (*p++ != kVersion)
        throw Error(ErrorKind::Storage, "backup.damaged",
                    "The backup file is damaged, or was made by a newer Inloop; nothing was restored.");
    const auto print = fingerprint(keys.publicKey);
    const bool printMatches = std::memcmp(p, print.data(), print.size()) == 0;
    p += kFingerprintBytes;
    Secret<kStreamKeyBytes> streamKey;
    const bool keyOpens =
        crypto_box_seal_open(streamKey.data(), p, kSealedKeyBytes, keys.publicKey.data(), keys.secretKey.data()) == 0;
    p += kSealedKeyBytes;
    // The fingerprint only tells "other backups" from "damaged": if the sealed key opens with this phrase, the
    // file is ours and a wrong fingerprint means the header was changed.
    if (!keyOpens && !printMatches)
        throw Error(ErrorKind::InvalidInput, "backup.wrong_phrase",
                    "This recovery phrase belongs to other backups; nothing was restored.");
    if (!keyOpens || !printMatches) throw damaged();

    StreamState stream;
    if (crypto_secretstream_xchacha20poly1305_init_pull(&stream.state, p, streamKey.data()) != 0) throw damaged();

    PartFile out(plain);
    std::vector<unsigned char> cipher(kSealedChunk);
    WipedBuffer clear(kChunk);
    for (bool first = true;; first = false) {
        const size_t n = in.read(cipher.data(), kSealedChunk);
        if (n < crypto_secretstream_xchacha20poly1305_ABYTES) throw damaged(); // cut short before FINAL
        unsigned long long clearLen = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&stream.state, clear.data(), &clearLen, &tag, cipher.data(), n,
                                                       first ? header : nullptr, first ? kAuthHeaderBytes : 0) != 0)
            throw damaged();
        out.write(clear.data(), static_cast<size_t>(clearLen));
        if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
            if (!in.atEnd()) throw damaged(); // bytes after FINAL
            break;
        }
        // Only full chunks come before FINAL; a short one means the rest of the file is missing.
        if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE || n < kSealedChunk) throw damaged();
    }
    out.commit();
}

} // namespace inloop::core::backup
