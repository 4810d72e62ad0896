// A store whose files are replaced or deleted under an open connection (issue 14): the connection notices, and
// dropping it leaves the new file's WAL alone.
#include "support/temp_store.hpp"

#include "core/base/worker.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace inloop::core;
using namespace inloop::test;

namespace {

int64_t countKioskRows(const fs::path& db) {
    SqliteDatabase d(db, SqliteDatabase::Mode::ReadOnly);
    return d.queryInt("SELECT coalesce(sum(count), 0) FROM kiosk_usage");
}

} // namespace

TEST_SUITE("sqlite") { // a database file deleted or replaced under a connection: the SQLite run only

TEST_CASE("a store notices its file was deleted, replaced or re-created - not a write to the same file") {
    TempStore t;
    Store kiosk = t.open(Store::Access::Kiosk);
    const fs::path db = kiosk.paths().publicDb();
    CHECK_FALSE(kiosk.filesReplaced());
    countKioskUse(kiosk, "language", "en");
    CHECK_FALSE(kiosk.filesReplaced()); // writing changes the file, not which file it is

    Store desk = t.open();
    CHECK_FALSE(desk.filesReplaced());
    const fs::path copy = t.dir.path() / "copy.db";
    fs::copy_file(db, copy);
    fs::rename(copy, db);
    CHECK(kiosk.filesReplaced());
    CHECK(desk.filesReplaced()); // the desk has public.db attached: the same rule
    kiosk.abandon();
    desk.abandon();
}

TEST_CASE("dropping a connection to a replaced file keeps the new file's WAL and its commits") {
    TempStore t;
    fs::path db;
    {
        Store old = t.open(Store::Access::Kiosk);
        db = old.paths().publicDb();
        countKioskUse(old, "language", "en");

        // The file is replaced (a copy renamed over it); another app writes to the new one, its commits still in
        // the WAL (no checkpoint yet).
        const fs::path copy = t.dir.path() / "copy.db";
        {
            SqliteDatabase d(db, SqliteDatabase::Mode::ReadWrite);
            d.prepare("VACUUM INTO ?").bind(1, copy.string()).run();
        }
        fs::rename(copy, db);
        fs::remove(db.string() + "-wal");
        fs::remove(db.string() + "-shm");
        Store other = t.open(Store::Access::Kiosk);
        other.db().exec("PRAGMA wal_autocheckpoint = 0");
        for (int i = 0; i < 5; ++i) countKioskUse(other, "language", "nl");
        REQUIRE(fs::exists(db.string() + "-wal"));

        REQUIRE(old.filesReplaced());
        old.abandon(); // without it, closing checkpoints into the old inode and unlinks "public.db-wal" by name
        {
            Store dropped = std::move(old);
        }
        CHECK(fs::exists(db.string() + "-wal"));
        CHECK(countKioskRows(db) == 1 + 5); // the copy's one + the five commits in the new WAL
    }
    CHECK(countKioskRows(db) == 6);
}

TEST_CASE("the worker reopens a replaced file before the next job - a deleted one is an error, not a new empty file") {
    TempStore t;
    const fs::path db = t.open(Store::Access::Kiosk).paths().publicDb();
    int errors = 0;
    Worker w([&] { return Store::open(t.data, Store::Access::Kiosk); }, {},
             [&](const std::exception&) -> Worker::Completion { return [&] { ++errors; }; });
    const auto run = [&](Worker::Job job) {
        w.post(std::move(job));
        while (w.pending() > 0) w.poll();
    };
    run([](Store& s) -> Worker::Completion {
        countKioskUse(s, "page", "money");
        return {};
    });
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
    run([](Store& s) -> Worker::Completion {
        countKioskUse(s, "page", "money");
        return {};
    });
    CHECK(errors == 1);
    CHECK_FALSE(fs::exists(db));

    Store::init(t.data);
    run([](Store& s) -> Worker::Completion {
        countKioskUse(s, "page", "money");
        return {};
    });
    CHECK(errors == 1);
    CHECK(countKioskRows(db) == 1); // the new file has exactly the write made after it was there
}

} // TEST_SUITE
