// inloopctl on a PostgreSQL store (issue 19): the same commands, the same figures as on a data folder.
#include "support/temp_store.hpp"
#include "support/test_pg.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace inloop::test;

namespace {

// The location of a fresh database on the test server, as --store takes it (a keyword string: the later dbname
// wins over the server string's own).
std::string storeOf(const FreshPgDatabase& db) { return db.conninfo() + " dbname=" + db.name(); }

} // namespace

TEST_SUITE("postgres") {

TEST_CASE("init, demo --years 2 and report give the same figures as the same seed on SQLite") {
    const std::string server = serverOrSkip();
    FreshPgDatabase pg(server);
    TempDir dir;
    const std::string folder = (dir.path() / "sqlite").string(), keys = (dir.path() / "pg-machine").string();
    const std::vector<std::string> pgStore = {"--data-dir", keys, "--store", storeOf(pg)};
    const auto ctl = [](std::vector<std::string> base, std::vector<std::string> args) {
        base.insert(base.end(), args.begin(), args.end());
        return runCtl(base);
    };

    for (const auto& store : {std::vector<std::string>{"--data-dir", folder}, pgStore}) {
        const RunResult init = ctl(store, {"init"});
        REQUIRE_MESSAGE(init.exitCode == 0, init.err);
        const RunResult demo = ctl(store, {"demo", "--years", "2", "--seed", "7", "--today", "2026-11-20"});
        REQUIRE_MESSAGE(demo.exitCode == 0, demo.err);
    }
    // The key for visitor codes stays on the machine, never in the database.
    CHECK(fs::exists(fs::path(keys) / "desk" / "client-code.key"));

    for (const char* year : {"2025", "2026"})
        for (const char* format : {"json", "csv", "text"}) {
            CAPTURE(year);
            CAPTURE(format);
            const RunResult lite = ctl({"--data-dir", folder}, {"report", "--year", year, "--format", format});
            const RunResult post = ctl(pgStore, {"report", "--year", year, "--format", format});
            REQUIRE_MESSAGE(lite.exitCode == 0, lite.err);
            REQUIRE_MESSAGE(post.exitCode == 0, post.err);
            CHECK(lite.out.size() > 500);
            CHECK(post.out == lite.out);
        }

    const RunResult check = ctl(pgStore, {"check"});
    CHECK_MESSAGE(check.exitCode == 0, check.err);
    CHECK(check.out.find("unbroken chain") != std::string::npos);
    const RunResult purge = ctl(pgStore, {"purge"});
    CHECK_MESSAGE(purge.exitCode == 0, purge.err);

    // An off-site upload where no folder is set up: one line, exit 0, as on a data folder (cli_pg_backup_test).
    const RunResult upload = ctl(pgStore, {"backup", "--upload"});
    CHECK_MESSAGE(upload.exitCode == 0, upload.err);
    CHECK(upload.out.find("not set up") != std::string::npos);
}

TEST_CASE("a store newer than this inloopctl is refused and left as it was") {
    const std::string server = serverOrSkip();
    FreshPgDatabase pg(server);
    TempDir dir;
    const std::vector<std::string> store = {"--data-dir", dir.path().string(), "--store", pg.conninfo() + " dbname=" + pg.name()};
    auto args = store;
    args.push_back("init");
    REQUIRE(runCtl(args).exitCode == 0);
    Pg db = pg.connect();
    db.exec("UPDATE pub.schema_version SET version = version + 5 WHERE part = 'desk'");
    args = store;
    args.insert(args.end(), {"report", "--year", "2026"});
    const RunResult r = runCtl(args);
    CHECK(r.exitCode != 0);
    CHECK(r.err.find("knows only up to") != std::string::npos);
    CHECK(db.exec("SELECT version FROM pub.schema_version WHERE part = 'desk'") ==
          std::to_string(inloop::core::pgLatestVersion(inloop::core::StoreFile::Desk) + 5));
}

} // TEST_SUITE
