// Tests the encrypted off-site backup files: the recovery phrase, round trips, and every way a file can be wrong.
#include "support/temp_store.hpp"

#include "core/backup/sealed_backup.hpp"
#include "helpers.hpp"

#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;
using inloop::core::backup::PublicKey;

namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr size_t kHeader = 121;   // magic 8 + version 1 + fingerprint 8 + sealed key 80 + stream header 24
constexpr size_t kSealedChunk = kChunk + 17;
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string randomBytes(size_t n, unsigned seed = 10) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
    return s;
}

bool nothingAt(const fs::path& file) {
    return !fs::exists(file) && !fs::exists(file.string() + ".part");
}

// A phrase and its key, with the paths a test seals into and opens into.
struct Sealed {
    TempDir dir;
    backup::NewPhrase phrase = backup::newRecoveryPhrase();
    fs::path plain = dir.path() / "desk.db";
    fs::path sealed = dir.path() / "desk.db.sealed";
    fs::path restored = dir.path() / "restored.db";

    explicit Sealed(const std::string& content) {
        writeFile(plain, content);
        backup::sealFile(plain, sealed, phrase.publicKey);
    }
    std::string sealedBytes() const { return readBytes(sealed); }
    // Writes `bytes` as the sealed file and tries to open it with the right phrase.
    void openAs(const std::string& bytes) const {
        writeFile(sealed, bytes);
        backup::openFile(sealed, restored, phrase.phrase);
    }
};

void checkRoundTrip(const std::string& content) {
    Sealed s(content);
    CHECK(nothingAt(s.sealed.string() + ".part"));
    const size_t chunks = content.size() / kChunk + (content.size() % kChunk != 0 || content.empty() ? 1 : 0);
    CHECK(fs::file_size(s.sealed) == kHeader + content.size() + 17 * chunks);
    backup::openFile(s.sealed, s.restored, s.phrase.phrase);
    CHECK(readBytes(s.restored) == content);
    CHECK(!fs::exists(s.restored.string() + ".part"));
}

// The phrase with every '0' and '1' written the other ways people type them.
std::string withLookalikes(std::string phrase) {
    int n = 0;
    for (char& c : phrase) {
        if (c == '0') c = (n++ % 2) ? 'O' : 'o';
        else if (c == '1') c = (n++ % 2) ? 'l' : 'I';
    }
    return phrase;
}

std::string lowerWithoutDashes(const std::string& phrase) {
    std::string out;
    for (char c : phrase)
        if (c != '-') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The 30 phrase bytes, decoded here independently of the code under test (canonical phrases only).
std::vector<unsigned char> phraseBytes(const std::string& phrase) {
    std::vector<unsigned char> out;
    unsigned pending = 0, bits = 0;
    for (char c : phrase) {
        if (c == '-') continue;
        pending = (pending << 5 | static_cast<unsigned>(kAlphabet.find(c))) & 0xFFF;
        if ((bits += 5) >= 8) out.push_back(static_cast<unsigned char>(pending >> (bits -= 8)));
    }
    return out;
}

const unsigned char* bytesOf(const std::string& s, size_t at = 0) {
    return reinterpret_cast<const unsigned char*>(s.data()) + at;
}

} // namespace

TEST_SUITE("sqlite") { // file backups (PostgreSQL's come with issue 20): the SQLite run only

TEST_CASE("backup: round trip of an empty file") { checkRoundTrip(""); }

TEST_CASE("backup: round trip of a 1-byte file") { checkRoundTrip("x"); }

TEST_CASE("backup: round trip of exactly 64 KiB, one byte less and one byte more") {
    checkRoundTrip(randomBytes(kChunk));
    checkRoundTrip(randomBytes(kChunk - 1));
    checkRoundTrip(randomBytes(kChunk + 1));
    checkRoundTrip(randomBytes(2 * kChunk));
}

TEST_CASE("backup: round trip of about 1 MB of random bytes") { checkRoundTrip(randomBytes(1'000'003, 7)); }

// Someone restoring without Inloop (or a later Inloop) needs only sealed_backup.hpp: follow it step by step.
TEST_CASE("backup: the file follows the format documented in the header") {
    const std::string content = randomBytes(kChunk + 10);
    Sealed s(content);
    const std::string file = s.sealedBytes();
    REQUIRE(file.size() == kHeader + 2 * 17 + content.size());
    CHECK(file.substr(0, 9) == std::string("INLOOPBK\x01", 9));

    const std::vector<unsigned char> bytes = phraseBytes(s.phrase.phrase);
    REQUIRE(bytes.size() == 30);
    unsigned char hash[32];
    crypto_generichash(hash, 32, bytes.data(), 25, nullptr, 0);
    CHECK(std::equal(hash, hash + 5, bytes.begin() + 25));

    unsigned char seed[32], salt[16] = {}, personal[16] = {};
    std::memcpy(personal, "inloop-backup", 13);
    crypto_generichash_blake2b_salt_personal(seed, 32, bytes.data(), 25, nullptr, 0, salt, personal);
    PublicKey pk{};
    unsigned char sk[crypto_box_SECRETKEYBYTES];
    crypto_box_seed_keypair(pk.data(), sk, seed);
    CHECK(pk == s.phrase.publicKey);

    crypto_generichash(hash, 32, pk.data(), pk.size(), nullptr, 0);
    CHECK(std::equal(hash, hash + 8, bytesOf(file, 9)));

    unsigned char streamKey[32];
    REQUIRE(crypto_box_seal_open(streamKey, bytesOf(file, 17), 80, pk.data(), sk) == 0);
    crypto_secretstream_xchacha20poly1305_state state;
    REQUIRE(crypto_secretstream_xchacha20poly1305_init_pull(&state, bytesOf(file, 97), streamKey) == 0);
    std::vector<unsigned char> clear(kChunk);
    unsigned long long len = 0;
    unsigned char tag = 0;
    // Without the header as additional data the first chunk does not open; with it, it does.
    crypto_secretstream_xchacha20poly1305_state copy = state;
    CHECK(crypto_secretstream_xchacha20poly1305_pull(&copy, clear.data(), &len, &tag, bytesOf(file, kHeader),
                                                     kSealedChunk, nullptr, 0) != 0);
    REQUIRE(crypto_secretstream_xchacha20poly1305_pull(&state, clear.data(), &len, &tag, bytesOf(file, kHeader),
                                                       kSealedChunk, bytesOf(file), 97) == 0);
    CHECK(len == kChunk);
    CHECK(tag == crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    CHECK(std::equal(clear.begin(), clear.end(), bytesOf(content)));
    const size_t last = kHeader + kSealedChunk;
    REQUIRE(crypto_secretstream_xchacha20poly1305_pull(&state, clear.data(), &len, &tag, bytesOf(file, last), 10 + 17,
                                                       nullptr, 0) == 0);
    CHECK(len == 10);
    CHECK(tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    CHECK(std::equal(clear.begin(), clear.begin() + 10, bytesOf(content, kChunk)));
}

TEST_CASE("backup: a phrase is 12 groups of 4 and reads back however it is typed") {
    // Most phrases hold a 0 or a 1; look for one that holds both so the look-alikes are exercised.
    backup::NewPhrase p = backup::newRecoveryPhrase();
    const auto hasBoth = [](const std::string& s) { return s.find('0') != s.npos && s.find('1') != s.npos; };
    for (int i = 0; i < 200 && !hasBoth(p.phrase); ++i) p = backup::newRecoveryPhrase();
    INFO("phrase " << p.phrase);
    REQUIRE(p.phrase.size() == 12 * 4 + 11);
    for (size_t i = 0; i < p.phrase.size(); ++i) {
        if (i % 5 == 4) CHECK(p.phrase[i] == '-');
        else CHECK(kAlphabet.find(p.phrase[i]) != std::string_view::npos);
    }
    CHECK(backup::publicKeyFromPhrase(p.phrase) == p.publicKey);
    CHECK(backup::publicKeyFromPhrase(lowerWithoutDashes(p.phrase)) == p.publicKey);
    CHECK(backup::publicKeyFromPhrase(withLookalikes(p.phrase)) == p.publicKey);
    CHECK(backup::publicKeyFromPhrase(withLookalikes(lowerWithoutDashes(p.phrase))) == p.publicKey);
    std::string spaced = p.phrase;
    for (char& c : spaced)
        if (c == '-') c = ' ';
    CHECK(backup::publicKeyFromPhrase("  " + spaced + " \n") == p.publicKey);

    CHECK(backup::newRecoveryPhrase().phrase != p.phrase);
}

TEST_CASE("backup: one changed character in a phrase is a typo") {
    const backup::NewPhrase p = backup::newRecoveryPhrase();
    for (size_t i = 0; i < p.phrase.size(); ++i) {
        if (p.phrase[i] == '-') continue;
        std::string typo = p.phrase;
        const size_t v = kAlphabet.find(typo[i]);
        typo[i] = kAlphabet[(v + 1 + i % 31) % 32]; // always a different character of the alphabet
        CAPTURE(typo);
        CHECK_ERROR(backup::publicKeyFromPhrase(typo), ErrorKind::InvalidInput, "backup.phrase");
    }
    CHECK_ERROR(backup::publicKeyFromPhrase(p.phrase.substr(0, p.phrase.size() - 5)), ErrorKind::InvalidInput,
                "backup.phrase");
    CHECK_ERROR(backup::publicKeyFromPhrase(p.phrase + "-7"), ErrorKind::InvalidInput, "backup.phrase");
    std::string notInAlphabet = p.phrase;
    notInAlphabet[0] = 'U';
    CHECK_ERROR(backup::publicKeyFromPhrase(notInAlphabet), ErrorKind::InvalidInput, "backup.phrase");
    CHECK_ERROR(backup::publicKeyFromPhrase(""), ErrorKind::InvalidInput, "backup.phrase");

    // A typo is reported as a typo when opening a file too, and nothing is written.
    Sealed s("some rows");
    std::string typo = s.phrase.phrase;
    typo[0] = typo[0] == 'A' ? 'B' : 'A';
    CHECK_ERROR(backup::openFile(s.sealed, s.restored, typo), ErrorKind::InvalidInput, "backup.phrase");
    CHECK(nothingAt(s.restored));
}

TEST_CASE("backup: another valid phrase belongs to other backups and restores nothing") {
    Sealed s(randomBytes(100'000));
    const backup::NewPhrase other = backup::newRecoveryPhrase();
    CHECK_ERROR(backup::openFile(s.sealed, s.restored, other.phrase), ErrorKind::InvalidInput, "backup.wrong_phrase");
    CHECK(nothingAt(s.restored));
}

TEST_CASE("backup: a changed byte in the header is noticed") {
    Sealed s(randomBytes(1000));
    const std::string good = s.sealedBytes();
    REQUIRE(good.size() == kHeader + 1000 + 17);
    for (size_t i = 0; i < kHeader; ++i) {
        CAPTURE(i);
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ 0x01);
        if (i < 8) CHECK_ERROR(s.openAs(bad), ErrorKind::InvalidInput, "backup.not_a_backup");
        else CHECK_ERROR(s.openAs(bad), ErrorKind::Storage, "backup.damaged");
        CHECK(nothingAt(s.restored));
    }
}

TEST_CASE("backup: a changed byte in the middle or in the last chunk is noticed") {
    Sealed s(randomBytes(5 * kChunk + 1234));
    const std::string good = s.sealedBytes();
    const size_t lastChunk = kHeader + 5 * kSealedChunk;
    REQUIRE(good.size() == lastChunk + 1234 + 17);
    for (size_t at : {kHeader, kHeader + 1, good.size() / 2, kHeader + 3 * kSealedChunk - 1, lastChunk,
                      lastChunk + 600, good.size() - 17, good.size() - 1}) {
        CAPTURE(at);
        std::string bad = good;
        bad[at] = static_cast<char>(bad[at] ^ 0x80);
        CHECK_ERROR(s.openAs(bad), ErrorKind::Storage, "backup.damaged");
        CHECK(nothingAt(s.restored));
    }
}

TEST_CASE("backup: a file cut short is damaged and restores nothing") {
    SUBCASE("several chunks") {
        Sealed s(randomBytes(3 * kChunk + 99));
        const std::string good = s.sealedBytes();
        for (size_t length : {size_t{4}, size_t{8}, size_t{9}, size_t{60}, kHeader - 1, kHeader, kHeader + 10,
                              kHeader + kSealedChunk - 1, kHeader + kSealedChunk, kHeader + 2 * kSealedChunk + 5,
                              kHeader + 3 * kSealedChunk, good.size() - 17, good.size() - 1}) {
            CAPTURE(length);
            CHECK_ERROR(s.openAs(good.substr(0, length)), ErrorKind::Storage, "backup.damaged");
            CHECK(nothingAt(s.restored));
        }
    }
    SUBCASE("exactly one full chunk") {
        Sealed s(randomBytes(kChunk));
        const std::string good = s.sealedBytes();
        for (size_t length : {kHeader, kHeader + 16, kHeader + kChunk, good.size() - 1}) {
            CAPTURE(length);
            CHECK_ERROR(s.openAs(good.substr(0, length)), ErrorKind::Storage, "backup.damaged");
            CHECK(nothingAt(s.restored));
        }
    }
    SUBCASE("an empty file") {
        Sealed s("");
        const std::string good = s.sealedBytes();
        CHECK_ERROR(s.openAs(good.substr(0, kHeader)), ErrorKind::Storage, "backup.damaged");
        CHECK_ERROR(s.openAs(good.substr(0, good.size() - 1)), ErrorKind::Storage, "backup.damaged");
        CHECK(nothingAt(s.restored));
    }
}

TEST_CASE("backup: bytes after the last chunk are damage") {
    for (size_t size : {size_t{0}, size_t{1}, kChunk, kChunk + 5}) {
        CAPTURE(size);
        Sealed s(randomBytes(size));
        const std::string good = s.sealedBytes();
        for (const std::string& extra :
             {std::string(1, '\0'), std::string("x"), randomBytes(17, 3), randomBytes(kSealedChunk, 4)}) {
            CAPTURE(extra.size());
            CHECK_ERROR(s.openAs(good + extra), ErrorKind::Storage, "backup.damaged");
            CHECK(nothingAt(s.restored));
        }
        // A second copy of the whole last chunk is refused too.
        CHECK_ERROR(s.openAs(good + good.substr(kHeader)), ErrorKind::Storage, "backup.damaged");
        CHECK(nothingAt(s.restored));
    }
}

TEST_CASE("backup: a file that is not a backup is said to be so") {
    TempDir dir;
    const backup::NewPhrase p = backup::newRecoveryPhrase();
    const fs::path restored = dir.path() / "restored.db";
    for (const std::string& content : {std::string(), std::string("SQLite format 3") + std::string(200, '\0'),
                                       std::string("hello"), randomBytes(5000)}) {
        CAPTURE(content.size());
        writeFile(dir.path() / "file", content);
        CHECK_ERROR(backup::openFile(dir.path() / "file", restored, p.phrase), ErrorKind::InvalidInput,
                    "backup.not_a_backup");
        CHECK(nothingAt(restored));
    }
    CHECK_ERROR(backup::openFile(dir.path() / "absent", restored, p.phrase), ErrorKind::NotFound, "backup.missing");
}

TEST_CASE("backup: a failed restore leaves a file already at the target alone") {
    Sealed s("new rows");
    writeFile(s.restored, "old rows");
    CHECK_ERROR(backup::openFile(s.sealed, s.restored, backup::newRecoveryPhrase().phrase), ErrorKind::InvalidInput,
                "backup.wrong_phrase");
    std::string bad = s.sealedBytes();
    bad.back() = static_cast<char>(bad.back() ^ 1);
    CHECK_ERROR(s.openAs(bad), ErrorKind::Storage, "backup.damaged");
    CHECK(readBytes(s.restored) == "old rows");
    CHECK(!fs::exists(s.restored.string() + ".part"));
}

TEST_CASE("backup: the sealed file does not contain the plaintext") {
    std::string text;
    for (int i = 0; text.size() < 150'000; ++i)
        text += "contact " + std::to_string(i) + ": Roos, walk-in, asked about the night shelter\n";
    Sealed s(text);
    const std::string sealed = s.sealedBytes();
    // Every 32-byte run of the sealed file, then look up every 32-byte run of the plaintext.
    std::unordered_set<std::string_view> runs;
    const std::string_view view(sealed);
    for (size_t i = 0; i + 32 <= view.size(); ++i) runs.insert(view.substr(i, 32));
    size_t found = 0;
    const std::string_view plain(text);
    for (size_t i = 0; i + 32 <= plain.size(); ++i) found += runs.count(plain.substr(i, 32));
    CHECK(found == 0);
    // Two seals of the same file differ (fresh stream key each time).
    Sealed again(text);
    CHECK(again.sealedBytes() != sealed);
}

TEST_CASE("backup: public keys round trip through hex, and bad hex is refused") {
    const PublicKey key = backup::newRecoveryPhrase().publicKey;
    const std::string hex = backup::toHex(key);
    CHECK(hex.size() == 64);
    CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(backup::publicKeyFromHex(hex) == key);
    std::string upper = hex;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(backup::publicKeyFromHex(upper) == key);

    CHECK_ERROR(backup::publicKeyFromHex(""), ErrorKind::InvalidInput, "backup.key");
    CHECK_ERROR(backup::publicKeyFromHex(hex.substr(1)), ErrorKind::InvalidInput, "backup.key");
    CHECK_ERROR(backup::publicKeyFromHex(hex + "0"), ErrorKind::InvalidInput, "backup.key");
    CHECK_ERROR(backup::publicKeyFromHex(hex.substr(2) + "zz"), ErrorKind::InvalidInput, "backup.key");
    std::string spaced = hex;
    spaced[0] = ' ';
    CHECK_ERROR(backup::publicKeyFromHex(spaced), ErrorKind::InvalidInput, "backup.key");
}

TEST_CASE("backup: a key that cannot seal is refused and writes nothing") {
    TempDir dir;
    writeFile(dir.path() / "plain", "rows");
    const fs::path sealed = dir.path() / "sealed";
    CHECK_ERROR(backup::sealFile(dir.path() / "plain", sealed, PublicKey{}), ErrorKind::InvalidInput, "backup.key");
    CHECK(nothingAt(sealed));
    CHECK_ERROR(backup::sealFile(dir.path() / "absent", sealed, backup::newRecoveryPhrase().publicKey),
                ErrorKind::NotFound, "backup.missing");
    CHECK(nothingAt(sealed));
}

} // TEST_SUITE
