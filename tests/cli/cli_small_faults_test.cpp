// The small faults of issue 15 (item 11) as a user meets them at the command line: a repeated option, an
// empty file name, a day out of range, a data folder path too long, an off-site backup that is not set up.
// Each is one sentence and changes nothing.
#include "cli_helpers.hpp"

#include "core/net/offsite.hpp"

#include <doctest/doctest.h>

using namespace inloop::test;

namespace {

int64_t backupRuns(const fs::path& data) {
    inloop::core::Store store = inloop::core::Store::open(data, inloop::core::Store::Access::Desk);
    return store.db().queryInt("SELECT count(*) FROM backup_run");
}

} // namespace

TEST_SUITE("cli") {

TEST_CASE("an option given twice is a usage error naming it, for every command (never the last one silently)") {
    TempStore s;
    const auto before = snapshot(s.data);
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"report", "--year=2025", "--year=2024"}, "--year"},
        {{"report", "--year", "2025", "--format", "csv", "--format=json"}, "--format"},
        {{"demo", "--seed", "1", "--seed", "2"}, "--seed"},
        {{"purge", "--before", "2024-01-01", "--before", "2025-01-01"}, "--before"},
        {{"offsite", "--keep", "3", "--keep", "4"}, "--keep"},
        {{"offsite", "--new-phrase", "--new-phrase"}, "--new-phrase"},
        {{"calendar", "list", "--ca-file", "a", "--ca-file", "b"}, "--ca-file"},
        {{"init", "--data-dir", s.data.string()}, "--data-dir"}, // ctl() gives one already
    };
    for (const auto& [args, option] : cases) {
        const auto r = ctl(s.data, args);
        CAPTURE(option);
        CLI_INFO(r);
        CHECK(r.exitCode == 2);
        CHECK(r.out.empty());
        CHECK(isOneErrorLine(r.err));
        CHECK(contains(r.err, option + " is given more than once"));
    }
    CHECK(snapshot(s.data) == before);
}

TEST_CASE("backup and restore with an empty file name say that they need one (exit 2)") {
    TempStore s;
    const auto before = snapshot(s.data);
    for (const std::string command : {"backup", "restore"}) {
        const auto r = ctl(s.data, {command, ""});
        CLI_INFO(r);
        CHECK(r.exitCode == 2);
        CHECK(isOneErrorLine(r.err));
        CHECK(contains(r.err, command + " needs a file name."));
        CHECK_FALSE(contains(r.err, "Cannot write ."));
    }
    CHECK(snapshot(s.data) == before);
}

TEST_CASE("demo --today and purge --before take days from 2000 to 2100 only") {
    TempStore s;
    const auto before = snapshot(s.data);
    for (const std::string day : {"0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"}) {
        const auto demo = ctl(s.data, {"demo", "--today", day});
        CAPTURE(day);
        CLI_INFO(demo);
        CHECK(demo.exitCode == 2);
        CHECK(isOneErrorLine(demo.err));
        CHECK(contains(demo.err, "--today takes a day from 2000-01-01 to 2100-12-31"));
        CHECK_FALSE(contains(demo.out + demo.err, "-001-"));
        const auto purge = ctl(s.data, {"purge", "--before", day});
        CLI_INFO(purge);
        CHECK(purge.exitCode == 2);
        CHECK(contains(purge.err, "--before takes a day from 2000-01-01 to 2100-12-31"));
    }
    CHECK(snapshot(s.data) == before);
}

TEST_CASE("a data folder path that is too long is one sentence, not a file system error (exit 2)") {
    TempDir dir;
    const std::string tooLong = (dir.path() / std::string(5000 - dir.path().string().size() - 1, 'd')).string();
    REQUIRE(tooLong.size() == 5000);
    const auto flag = runCtl({"--data-dir", tooLong, "init"});
    CLI_INFO(flag);
    CHECK(flag.exitCode == 2);
    CHECK(isOneErrorLine(flag.err));
    CHECK(contains(flag.err, "The data folder path is too long (5000 characters; at most 4000)."));

    const std::string longName = (dir.path() / std::string(300, 'n')).string();
    const auto env = runCtl({"check"}, {"INLOOP_DATA_DIR=" + longName});
    CLI_INFO(env);
    CHECK(env.exitCode == 2);
    CHECK(isOneErrorLine(env.err));
    CHECK(contains(env.err, "A folder name in the data folder path is too long (300 characters; at most 255)."));
    CHECK(entries(dir.path()).empty());
}

TEST_CASE("backup --upload where off-site backup is not set up says so, exits 0 and records nothing" * doctest::test_suite("sqlite")) {
    TempStore s;
    const auto r = ctl(s.data, {"backup", "--upload"});
    CLI_INFO(r);
    CHECK(r.exitCode == 0); // a nightly timer runs it on every appliance
    CHECK(r.err.empty());
    CHECK(contains(r.out, "Off-site backup is not set up here, so nothing was done"));
    CHECK(backupRuns(s.data) == 0);

    // A folder but no recovery phrase is a half-done set-up: a failure (exit 1), still without a row.
    {
        inloop::core::Store store = s.open();
        inloop::core::offsite::Settings settings;
        settings.url = "https://cloud.example.nl/remote.php/dav/files/spot46/inloop/";
        inloop::core::offsite::configure(store, inloop::core::Actor::cli(), settings);
    }
    const auto half = ctl(s.data, {"backup", "--upload"});
    CLI_INFO(half);
    CHECK(half.exitCode == 1);
    CHECK(isOneErrorLine(half.err));
    CHECK(contains(half.err, "No recovery phrase has been made yet"));
    CHECK(backupRuns(s.data) == 0);
}

} // TEST_SUITE
