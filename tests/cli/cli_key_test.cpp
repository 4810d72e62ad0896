// The key for visitor codes from one desk machine to another (issue 20): `inloopctl key export` as typed text or a
// file, `key import` on a new machine; the new machine then hashes a visitor code exactly as the first; a typo,
// another key already there, or a file that is no key is refused and nothing changes.
#include "core/domain/domain.hpp"
#include "core/store/code_key.hpp"
#include "support/temp_store.hpp"

#include <doctest/doctest.h>

#include <string>
#include <sys/stat.h>

using namespace inloop;
using namespace inloop::test;

namespace {

#define KEY_INFO(run) INFO("exit " << (run).exitCode << "\nstdout: " << (run).out << "\nstderr: " << (run).err)

// The typed form in export's output: the indented line.
std::string typedIn(const std::string& out) {
    const size_t at = out.find("\n    ");
    REQUIRE(at != std::string::npos);
    return out.substr(at + 5, out.find('\n', at + 5) - at - 5);
}

} // namespace

TEST_CASE("key export and import: typed on the new machine, the same key, and a typo or another key refused") {
    TempStore first;
    TempDir other;
    const fs::path second = other.path() / "data";
    const RunResult shown = runCtl({"--data-dir", first.data.string(), "key", "export"});
    KEY_INFO(shown);
    REQUIRE(shown.exitCode == 0);
    const std::string typed = typedIn(shown.out);
    CHECK(typed.size() == 17 * 4 + 16); // 17 groups of 4, 16 dashes
    CHECK(core::codeKeyFromTyped(typed) == core::readKeyFile(first.paths().codeKey()));

    // One digit changed, one missing, a letter that is no hex digit: refused, nothing written.
    std::string typo = typed;
    typo[5] = typo[5] == '0' ? '1' : '0';
    for (const std::string& wrong : {typo, typed.substr(1), std::string("g").append(typed.substr(1))}) {
        CAPTURE(wrong);
        CHECK_THROWS_WITH_AS(core::codeKeyFromTyped(wrong), doctest::Contains("looks mistyped"), core::Error);
    }
    CHECK_FALSE(fs::exists(core::StorePaths{second}.codeKey()));

    const RunResult mistyped = runCtl({"--data-dir", second.string(), "key", "import"}, {}, typo + "\n");
    CHECK(mistyped.exitCode != 0);
    CHECK(mistyped.err.find("looks mistyped") != std::string::npos);
    CHECK_FALSE(fs::exists(core::StorePaths{second}.codeKey()));

    // Typed in as a person does: lower or upper case, spaces instead of dashes.
    std::string spaced = typed;
    for (char& c : spaced) c = c == '-' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const RunResult in = runCtl({"--data-dir", second.string(), "key", "import"}, {}, spaced + "\n");
    KEY_INFO(in);
    REQUIRE(in.exitCode == 0);
    core::CodeKey key = core::codeKeyFromTyped(spaced);
    CHECK(readBytes(core::StorePaths{second}.codeKey()) == readBytes(first.paths().codeKey()));
    struct stat st{};
    REQUIRE(::stat(core::StorePaths{second}.codeKey().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(core::installCodeKey(second, key)); // the same again: nothing to do

    // Another key there is never replaced.
    key[0] ^= 1;
    CHECK_THROWS_WITH_AS(core::installCodeKey(second, key), doctest::Contains("holds another key"), core::Error);
    CHECK(readBytes(core::StorePaths{second}.codeKey()) == readBytes(first.paths().codeKey()));
}

TEST_CASE("key export FILE and key import FILE carry the key on a stick — a file that is no key is refused") {
    TempStore first;
    TempDir stick, other;
    const fs::path file = stick.path() / "inloop.key", second = other.path() / "data";
    const RunResult out = runCtl({"--data-dir", first.data.string(), "key", "export", file.string()});
    KEY_INFO(out);
    REQUIRE(out.exitCode == 0);
    struct stat st{};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const RunResult again = runCtl({"--data-dir", first.data.string(), "key", "export", file.string()});
    CHECK(again.exitCode == 2); // never over an existing file

    const RunResult in = runCtl({"--data-dir", second.string(), "key", "import", file.string()});
    KEY_INFO(in);
    REQUIRE(in.exitCode == 0);
    CHECK(in.out.find("now in") != std::string::npos);
    CHECK(readBytes(core::StorePaths{second}.codeKey()) == readBytes(first.paths().codeKey()));

    // A file that is no key (the wrong file from the stick): refused, nothing there.
    TempDir third;
    writeFile(stick.path() / "notes.txt", "not a key\n");
    const RunResult wrong = runCtl({"--data-dir", (third.path() / "data").string(), "key", "import",
                                    (stick.path() / "notes.txt").string()});
    CHECK(wrong.exitCode != 0);
    CHECK(wrong.err.find("not a key for visitor codes") != std::string::npos);
    CHECK_FALSE(fs::exists(core::StorePaths{third.path() / "data"}.codeKey()));
    CHECK(runCtl({"--data-dir", second.string(), "key", "swap"}).exitCode == 2);
}

TEST_CASE("a desk machine with another key is refused before it hashes a code — and key import will not install one") {
    // A second machine that made its own key (or got another site's) would count every known visitor as a new
    // person, silently, until the year's figures: the store records the key its codes are made with.
    TempStore ts;
    const fs::path keyFile = ts.paths().codeKey();
    const std::string right = readBytes(keyFile);
    if (onPostgres()) {
        // A second machine's init, before any visitor code is stored: it must not make a key of its own.
        TempDir fresh;
        const core::StoreLocation second{fresh.path() / "data", ts.location.server};
        CHECK_THROWS_WITH_AS(core::Store::init(second), doctest::Contains("copy it from another desk machine"), core::Error);
        CHECK_FALSE(fs::exists(core::StorePaths{fresh.path() / "data"}.codeKey()));
    }
    {
        core::Store store = ts.open();
        core::NewContact c;
        c.clientCode = "ABC123";
        core::logContact(store, core::Actor::cli(), c);
    }
    core::CodeKey other = core::readKeyFile(keyFile);
    other[0] ^= 1;
    fs::remove(keyFile);
    core::writeKeyFile(keyFile, other, 0600);

    CHECK_THROWS_WITH_AS(ts.open(), doctest::Contains("is not the one the store's codes are made with"), core::Error);
    CHECK_NOTHROW(ts.open(core::Store::Access::Kiosk)); // the kiosk holds no key
    const RunResult check = runCtl({"--data-dir", ts.data.string(), "check"});
    CHECK(check.exitCode == 1);
    CHECK((check.out + check.err).find("not the one the store's codes are made with") != std::string::npos);

    // The wrong key from a stick: refused, and the machine is left without one, as before.
    TempDir stick;
    core::writeKeyFile(stick.path() / "wrong.key", other, 0600);
    fs::remove(keyFile);
    const RunResult wrong = runCtl({"--data-dir", ts.data.string(), "key", "import", (stick.path() / "wrong.key").string()});
    KEY_INFO(wrong);
    CHECK(wrong.exitCode != 0);
    CHECK(wrong.err.find("not the one the store's visitor codes are made with") != std::string::npos);
    CHECK_FALSE(fs::exists(keyFile));

    // The right one: installed, and the visitor is known again (one client, two contacts).
    writeFile(stick.path() / "right.key", right);
    const RunResult good = runCtl({"--data-dir", ts.data.string(), "key", "import", (stick.path() / "right.key").string()});
    KEY_INFO(good);
    REQUIRE(good.exitCode == 0);
    core::Store store = ts.open();
    core::NewContact again;
    again.clientCode = "abc-123";
    core::logContact(store, core::Actor::cli(), again);
    CHECK(store.db().queryInt("SELECT count(*) FROM client") == 1);
}
