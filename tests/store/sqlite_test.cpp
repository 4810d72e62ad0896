// Tests the RAII SQLite layer: statement reuse, transactions and savepoints, typed errors.
#include "support/temp_store.hpp"

#include "core/store/code_key.hpp"
#include "core/store/sqlite.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace inloop::core;
using inloop::test::TempDir;

namespace {

// A scratch database with one STRICT table t(n INTEGER UNIQUE, s TEXT NOT NULL DEFAULT '').
std::unique_ptr<SqliteDatabase> scratch(const TempDir& dir) {
    auto db = std::make_unique<SqliteDatabase>(dir.path() / "scratch.db", SqliteDatabase::Mode::ReadWriteCreate);
    db->exec("PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER UNIQUE, s TEXT) STRICT;");
    return db;
}

int64_t rows(Database& db) { return db.queryInt("SELECT count(*) FROM t"); }

} // namespace

TEST_SUITE("sqlite") {

TEST_CASE("a cached statement is bound and stepped and reset for reuse") {
    TempDir dir;
    auto owned = scratch(dir);
    SqliteDatabase& db = *owned;
    Statement& ins = db.prepare("INSERT INTO t(n, s) VALUES (?, ?)");
    for (int i = 1; i <= 3; ++i) ins.bindAll(i, "row " + std::to_string(i)).run();
    CHECK(rows(db) == 3);

    // The same SQL gives the same prepared statement, with the old bindings cleared.
    Statement& again = db.prepare("INSERT INTO t(n, s) VALUES (?, ?)");
    CHECK(&again == &ins);
    again.bind(1, 4).run();
    CHECK(db.queryInt("SELECT count(*) FROM t WHERE n = 4 AND s IS NULL") == 1);

    // A query stepped half-way, then reset, starts again from its first row.
    Statement& sel = db.prepare("SELECT n, s FROM t WHERE n >= ? ORDER BY n");
    sel.bind(1, 2);
    REQUIRE(sel.step());
    CHECK(sel.getInt(0) == 2);
    CHECK(sel.getText(1) == "row 2");
    sel.reset();
    sel.bind(1, 3);
    REQUIRE(sel.step());
    CHECK(sel.getInt(0) == 3);
    REQUIRE(sel.step());
    CHECK(sel.getInt(0) == 4);
    CHECK(sel.isNull(1));
    CHECK_FALSE(sel.getOptText(1).has_value());
    CHECK_FALSE(sel.step());
}

TEST_CASE("a transaction that an exception leaves is rolled back") {
    TempDir dir;
    auto owned = scratch(dir);
    SqliteDatabase& db = *owned;
    try {
        Transaction tx(db);
        db.prepare("INSERT INTO t(n) VALUES (?)").bind(1, 1).run();
        CHECK(rows(db) == 1);
        throw std::runtime_error("something went wrong half-way");
    } catch (const std::runtime_error&) {
    }
    CHECK_FALSE(db.inTransaction());
    CHECK(rows(db) == 0);

    {
        Transaction tx(db);
        db.prepare("INSERT INTO t(n) VALUES (?)").bind(1, 2).run();
        tx.commit();
    }
    // Committed work is durable and visible to another connection.
    SqliteDatabase other(dir.path() / "scratch.db", SqliteDatabase::Mode::ReadOnly);
    CHECK(other.queryInt("SELECT count(*) FROM t WHERE n = 2") == 1);
    CHECK(other.queryInt("SELECT count(*) FROM t") == 1);
}

TEST_CASE("a nested transaction is a savepoint") {
    TempDir dir;
    auto owned = scratch(dir);
    SqliteDatabase& db = *owned;

    SUBCASE("the inner rollback keeps the outer work") {
        {
            Transaction outer(db);
            db.prepare("INSERT INTO t(n) VALUES (?)").bind(1, 1).run();
            try {
                Transaction inner(db);
                db.prepare("INSERT INTO t(n) VALUES (?)").bind(1, 2).run();
                CHECK(rows(db) == 2);
                throw std::runtime_error("inner step failed");
            } catch (const std::runtime_error&) {
            }
            CHECK(db.inTransaction());
            CHECK(rows(db) == 1);
            db.prepare("INSERT INTO t(n) VALUES (?)").bind(1, 3).run();
            outer.commit();
        }
        CHECK(db.queryText("SELECT group_concat(n) FROM (SELECT n FROM t ORDER BY n)") == "1,3");
    }
    SUBCASE("an inner commit is undone by the outer rollback") {
        {
            Transaction outer(db);
            db.prepare("INSERT INTO t(n) VALUES (?)").bind(1, 1).run();
            {
                Transaction inner(db);
                db.prepare("INSERT INTO t(n) VALUES (?)").bind(1, 2).run();
                inner.commit();
            }
            CHECK(db.inTransaction());
            CHECK(rows(db) == 2);
        }
        CHECK_FALSE(db.inTransaction());
        CHECK(rows(db) == 0);
    }
}

TEST_CASE("SqliteError carries the extended result code") {
    TempDir dir;
    auto owned = scratch(dir);
    SqliteDatabase& db = *owned;
    Statement& ins = db.prepare("INSERT INTO t(n, s) VALUES (?, ?)");
    ins.bindAll(7, "first").run();

    bool thrown = false;
    try {
        ins.bindAll(7, "duplicate").run();
    } catch (const SqliteError& e) {
        thrown = true;
        CHECK(e.code() == SQLITE_CONSTRAINT_UNIQUE);
        CHECK(e.primaryCode() == SQLITE_CONSTRAINT);
        CHECK(e.isConstraint());
        CHECK_FALSE(e.isBusy());
        CHECK_FALSE(e.isCorrupt());
    }
    CHECK(thrown);

    // STRICT refuses text in an INTEGER column with its own extended code.
    try {
        db.exec("INSERT INTO t(n) VALUES ('seven')");
        FAIL("STRICT accepted text in an INTEGER column");
    } catch (const SqliteError& e) {
        CHECK(e.code() == SQLITE_CONSTRAINT_DATATYPE);
    }

    // The failed statement is usable again afterwards.
    ins.bindAll(8, "second").run();
    CHECK(rows(db) == 2);
}

TEST_CASE("an empty string_view binds as empty text and not as NULL") {
    TempDir dir;
    auto owned = scratch(dir);
    SqliteDatabase& db = *owned;
    db.exec("CREATE TABLE notes (body TEXT NOT NULL) STRICT");
    Statement& ins = db.prepare("INSERT INTO notes(body) VALUES (?)");
    ins.bind(1, std::string()).run();          // an empty std::string: fine
    ins.bind(1, std::string_view("")).run();   // an empty literal: fine
    CHECK_NOTHROW(ins.bind(1, std::string_view()).run()); // a default string_view (what `detail = {}` passes)
    CHECK(db.queryInt("SELECT count(*) FROM notes WHERE body = ''") == 3);
}

TEST_CASE("opening a missing file without create fails instead of making an empty one") {
    TempDir dir;
    const auto file = dir.path() / "nothing-here.db";
    try {
        SqliteDatabase db(file, SqliteDatabase::Mode::ReadWrite);
        FAIL("a missing file was opened");
    } catch (const SqliteError& e) {
        CHECK(e.primaryCode() == SQLITE_CANTOPEN);
        CHECK(std::string(e.what()).find("nothing-here.db") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(file));
}

TEST_CASE("a desk opening while another program holds the write lock past the timeout still opens — the key's record waits") {
    // The first open of a store records the key its visitor codes are made with (Store::checkCodeKey). That write
    // must not make the open fail when another program holds the lock: the next open records it.
    inloop::test::TempStore ts;
    {
        Store s = ts.open();
        s.db().exec("DELETE FROM setting WHERE key = 'code_key.fingerprint'");
    }
    SqliteDatabase holder(ts.paths().deskDb(), SqliteDatabase::Mode::ReadWrite);
    holder.exec("BEGIN IMMEDIATE");
    CHECK_NOTHROW(ts.open()); // waits the busy timeout (10 s), then opens without the record
    holder.exec("ROLLBACK");
    Store s = ts.open();
    CHECK(s.db().queryText("SELECT value FROM setting WHERE key = 'code_key.fingerprint'") ==
          codeKeyFingerprint(readKeyFile(ts.paths().codeKey())));
}

} // TEST_SUITE
