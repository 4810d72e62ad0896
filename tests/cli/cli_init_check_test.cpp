// inloopctl init and check: file modes, WAL, re-running init, unwritable folders, damaged and exposed files.
#include "cli_helpers.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

using namespace inloop::test;

namespace {

// Runs init with umask 0, so only init's own choice of modes can keep the files private.
RunResult initWithOpenUmask(const fs::path& data) {
    const mode_t old = ::umask(0);
    RunResult r = ctl(data, {"init"});
    ::umask(old);
    return r;
}

// A store made by `inloopctl init`, closed again.
struct CtlStore {
    TempDir dir;
    fs::path data = dir.path() / "data";
    CtlStore() {
        const auto r = ctl(data, {"init"});
        CLI_INFO(r);
        REQUIRE(r.exitCode == 0);
    }
};

// check must fail: exit 1, a "problem:" line containing `problem`, and a last line that is inloopctl's verdict.
void requireUnhealthy(const RunResult& r, const fs::path& data, const std::string& problem) {
    CLI_INFO(r);
    CHECK(r.exitCode == 1);
    CHECK(contains(r.err, "problem: "));
    CHECK(contains(r.err, problem));
    size_t problems = 0;
    for (size_t at = r.err.find("problem: "); at != std::string::npos; at = r.err.find("\nproblem: ", at + 1)) ++problems;
    CHECK(lastLine(r.err) == "inloopctl: " + data.string() + " is not healthy (" + std::to_string(problems) +
                                 (problems == 1 ? " problem)." : " problems)."));
    CHECK_FALSE(contains(r.out, "Healthy"));
}

} // namespace

TEST_SUITE("cli") {
TEST_CASE("init creates both files private and in WAL mode, and the code key") {
    TempDir dir;
    const fs::path data = dir.path() / "var";
    const auto r = initWithOpenUmask(data);
    CLI_INFO(r);
    REQUIRE(r.exitCode == 0);
    CHECK(r.err.empty());
    CHECK(contains(r.out, "public.db v"));
    CHECK(contains(r.out, "desk.db v"));

    CHECK(fileMode(data / "public.db") == 0640);
    CHECK(fileMode(data / "desk.db") == 0600);
    CHECK(fileMode(data / "client-code.key") == 0600);
    CHECK(fs::file_size(data / "client-code.key") == 32);
    CHECK(journalMode(data / "public.db") == "wal");
    CHECK(journalMode(data / "desk.db") == "wal");
    CHECK_FALSE(fs::exists(data / "client-code.key.tmp"));
}

TEST_CASE("running init again keeps the data and the code key") {
    CtlStore s;
    logContacts(s.data, 3, "fr");
    const std::string key = readBytes(s.data / "client-code.key");

    const auto again = ctl(s.data, {"init"});
    CLI_INFO(again);
    CHECK(again.exitCode == 0);
    CHECK(contactCount(s.data) == 3);
    CHECK(queryStore(s.data, "SELECT count(*) FROM contact WHERE language = 'fr'") == 3);
    CHECK(queryStore(s.data, "SELECT count(*) FROM service") == 5); // site defaults are seeded once, not twice
    CHECK(readBytes(s.data / "client-code.key") == key);
    CHECK(ctl(s.data, {"check"}).exitCode == 0);
}

TEST_CASE("init on a folder that cannot be written fails with one sentence and creates nothing") {
    TempDir dir;
    if (::geteuid() == 0) {
        // Root writes anywhere; a folder below a regular file can never be created.
        writeFile(dir.path() / "afile", "not a folder\n");
        const fs::path data = dir.path() / "afile" / "sub";
        const auto r = ctl(data, {"init"});
        CLI_INFO(r);
        CHECK(r.exitCode == 1);
        CHECK(r.out.empty());
        CHECK(isOneErrorLine(r.err));
        CHECK(contains(r.err, "Cannot create the data folder " + data.string()));
        CHECK(entries(dir.path()) == std::vector<std::string>{"afile"});
        CHECK(readBytes(dir.path() / "afile") == "not a folder\n");
    } else {
        const fs::path locked = dir.path() / "locked";
        fs::create_directory(locked);
        ::chmod(locked.c_str(), 0500);
        for (const fs::path& data : {locked, locked / "sub"}) {
            const auto r = ctl(data, {"init"});
            CAPTURE(data);
            CLI_INFO(r);
            CHECK(r.exitCode == 1);
            CHECK(r.out.empty());
            CHECK(isOneErrorLine(r.err));
            CHECK(contains(r.err, data.string()));
        }
        CHECK(entries(locked).empty());
        ::chmod(locked.c_str(), 0700);
    }
}

TEST_CASE("check on a missing data folder fails with a clear sentence and creates nothing") {
    TempDir dir;
    const fs::path data = dir.path() / "nowhere";
    const auto r = ctl(data, {"check"});
    requireUnhealthy(r, data, "There is no data folder at " + data.string() + ".");
    CHECK_FALSE(fs::exists(data));
}

TEST_CASE("check finds random bytes written over the start of desk.db") {
    CtlStore s;
    logContacts(s.data, 20);
    damage(s.data / "desk.db", 0, 4096);
    const auto r = ctl(s.data, {"check"});
    requireUnhealthy(r, s.data, "problem: desk.db is damaged");
    CHECK_FALSE(contains(r.err, "problem: public.db"));
}

TEST_CASE("check finds random bytes written in the middle of desk.db") {
    CtlStore s;
    logContacts(s.data, 300); // enough rows for a file of many pages
    const auto size = static_cast<std::streamoff>(fs::file_size(s.data / "desk.db"));
    REQUIRE(size >= 8 * 4096);
    REQUIRE(queryStore(s.data, "PRAGMA freelist_count") == 0); // every page is in use: none can hide the damage
    damage(s.data / "desk.db", (size / 2) / 4096 * 4096, 4096);
    const auto r = ctl(s.data, {"check"});
    requireUnhealthy(r, s.data, "problem: desk.db");
    CHECK_FALSE(contains(r.err, "problem: public.db"));
}

TEST_CASE("check names desk.db's permissions when others can read it") {
    CtlStore s;
    ::chmod((s.data / "desk.db").c_str(), 0644);
    const auto r = ctl(s.data, {"check"});
    requireUnhealthy(r, s.data, "desk.db can be read or changed by other users (mode 644)");
    CHECK(contains(r.err, "chmod 600 " + (s.data / "desk.db").string()));

    ::chmod((s.data / "desk.db").c_str(), 0600);
    const auto fixed = ctl(s.data, {"check"});
    CLI_INFO(fixed);
    CHECK(fixed.exitCode == 0);
}

TEST_CASE("check fails when client-code.key is missing or damaged") {
    CtlStore s;
    const fs::path key = s.data / "client-code.key";
    const std::string bytes = readBytes(key);
    fs::remove(key);
    requireUnhealthy(ctl(s.data, {"check"}), s.data, "client-code.key is missing");

    writeFile(key, bytes.substr(0, 16));
    ::chmod(key.c_str(), 0600);
    requireUnhealthy(ctl(s.data, {"check"}), s.data, "client-code.key is damaged");
}

// Known gap: check looks at desk.db's mode only. The key is the secret behind every visitor-code hash;
// anyone who can read it can test short codes against desk.db's hashes offline.
TEST_CASE("check fails when others can read client-code.key") {
    CtlStore s;
    ::chmod((s.data / "client-code.key").c_str(), 0644);
    const auto r = ctl(s.data, {"check"});
    requireUnhealthy(r, s.data, "client-code.key");
}
}
