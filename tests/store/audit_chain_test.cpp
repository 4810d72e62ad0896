// Tests the audit log's tamper evidence as an attacker with sqlite3 on desk.db would try it: the hash chain,
// the exact triggers, and the chain heads that backups leave beside the data.
#include "support/temp_store.hpp"

#include "core/store/audit_chain.hpp"
#include "core/backup/maintenance.hpp"

#include "helpers.hpp"

#include <doctest/doctest.h>

#include <sqlite3.h>

#include <string>

using namespace inloop::core;
using namespace inloop::test;

namespace {

// A store with some history: contacts, a wrong PIN, a sign-in.
void makeHistory(TempStore& ts, int contacts = 30) {
    Store store = ts.open();
    const int64_t anja = addStaff(store, Actor::cli(), "Anja", Role::Coordinator, "482913");
    for (int i = 0; i < contacts; ++i) logContact(store, Actor::staff(anja), NewContact{});
    signIn(store, anja, "0000");
    signIn(store, anja, "482913");
}

// What an attacker types into sqlite3: the raw C API on desk.db, no Inloop code in between.
void attack(const TempStore& ts, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2((StorePaths{ts.data}.deskDb()).c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

// Rebuilds the whole chain over whatever rows are left, the way someone who read audit_chain.cpp would.
void rebuildChain(const TempStore& ts) {
    SqliteDatabase db(StorePaths{ts.data}.deskDb(), SqliteDatabase::Mode::ReadWrite);
    Transaction tx(db);
    db.exec("DROP TRIGGER audit_log_no_update");
    hashAllAuditRows(db);
    db.exec(R"sql(CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;)sql");
    tx.commit();
}

std::string problems(const CheckReport& r) {
    std::string all;
    for (const auto& p : r.problems) all += p + "\n";
    return all;
}

constexpr const char* kDropGuards = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;";
constexpr const char* kGuards = R"sql(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log cannot be deleted');
END;)sql";

} // namespace

TEST_SUITE("sqlite") { // SQLite's triggers and file attacks; PostgreSQL's chain: pg_schema_test, cli_postgres_test: the SQLite run only

TEST_CASE("an untouched store passes: every row chained, triggers as made") {
    TempStore ts;
    makeHistory(ts);
    const CheckReport r = checkStore(ts.data);
    CHECK_MESSAGE(r.ok(), problems(r));
    Store store = ts.open();
    const AuditVerdict v = verifyAuditLog(store.db(), {});
    CHECK(v.ok());
    CHECK(v.rows == auditRows(store));
    CHECK(v.verifiedId == count(store, "SELECT max(id) FROM audit_log"));
    CHECK(count(store, "SELECT count(*) FROM audit_log WHERE hash IS NULL OR length(hash) <> 32") == 0);
}

TEST_CASE("rows deleted with the triggers dropped and re-created are caught at the first row after the gap") {
    TempStore ts;
    makeHistory(ts);
    attack(ts, (std::string(kDropGuards) + "DELETE FROM audit_log WHERE action = 'wrong_pin';" + kGuards).c_str());
    const CheckReport r = checkStore(ts.data);
    REQUIRE_FALSE(r.ok());
    Store store = ts.open();
    const int64_t after = count(store, "SELECT min(id) FROM audit_log WHERE action = 'sign_in'");
    CHECK(problems(r) == "The audit log was changed: row " + std::to_string(after) +
                             " does not match the chain (rows deleted or edited).\n");
}

TEST_CASE("one edited row is caught at that row") {
    TempStore ts;
    makeHistory(ts);
    attack(ts, (std::string(kDropGuards) + "UPDATE audit_log SET detail = 'email' WHERE id = 7;" + kGuards).c_str());
    const CheckReport r = checkStore(ts.data);
    CHECK(problems(r) == "The audit log was changed: row 7 does not match the chain (rows deleted or edited).\n");
}

TEST_CASE("a dropped trigger, or one replaced by a same-named trigger that does nothing, is caught") {
    TempStore ts;
    makeHistory(ts, 3);
    SUBCASE("dropped") {
        attack(ts, "DROP TRIGGER audit_log_no_delete;");
        CHECK(problems(checkStore(ts.data)).find("audit_log_no_delete was removed") != std::string::npos);
    }
    SUBCASE("replaced by BEGIN SELECT 1; END") {
        attack(ts, "DROP TRIGGER audit_log_no_update;"
                   "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END;");
        CHECK(problems(checkStore(ts.data)).find("audit_log_no_update was replaced") != std::string::npos);
    }
    SUBCASE("an extra trigger") {
        attack(ts, "CREATE TRIGGER audit_log_hide AFTER INSERT ON audit_log BEGIN SELECT 1; END;");
        CHECK(problems(checkStore(ts.data)).find("unknown trigger audit_log_hide") != std::string::npos);
    }
}

TEST_CASE("a chain rebuilt after deleting rows passes on its own but not against the newest backup's anchor") {
    TempStore ts;
    makeHistory(ts);
    backupStore(ts.data, ts.dir.path() / "night.sqlar");
    const auto anchors = readAuditAnchors(StorePaths{ts.data});
    REQUIRE(anchors.size() == 1);
    {
        Store store = ts.open();
        CHECK(anchors[0].rowId == count(store, "SELECT max(id) FROM audit_log"));
        logContact(store, Actor::cli(), NewContact{}); // work after the backup is fine
    }
    CHECK_MESSAGE(checkStore(ts.data).ok(), problems(checkStore(ts.data)));

    SUBCASE("rows before the anchor deleted, chain rebuilt") {
        attack(ts, (std::string(kDropGuards) + "DELETE FROM audit_log WHERE action = 'wrong_pin';" + kGuards).c_str());
        rebuildChain(ts);
        {
            Store store = ts.open();
            CHECK(verifyAuditLog(store.db(), {}).ok()); // the chain alone cannot tell
        }
        CHECK(problems(checkStore(ts.data)).find("does not match the backup of") != std::string::npos);
    }
    SUBCASE("the newest rows deleted, the anchor's row among them") {
        attack(ts, (std::string(kDropGuards) + "DELETE FROM audit_log WHERE id >= " +
                    std::to_string(anchors[0].rowId - 2) + ";" + kGuards)
                       .c_str());
        CHECK(problems(checkStore(ts.data)).find("The audit log is shorter than when the backup of") != std::string::npos);
    }
    SUBCASE("the backup itself holds the chain it saw") {
        attack(ts, (std::string(kDropGuards) + "DELETE FROM audit_log WHERE action = 'wrong_pin';" + kGuards).c_str());
        rebuildChain(ts);
        // Compare with the copy kept off the box: its head must still be in the live chain, unchanged.
        SqliteDatabase archive(ts.dir.path() / "night.sqlar", SqliteDatabase::Mode::ReadOnly);
        const auto blobOwned = archive.statement("SELECT data FROM sqlar WHERE name = 'desk.db'");
        Statement& blob = *blobOwned;
        REQUIRE(blob.step());
        std::string bytes = blob.getBlob(0);
        REQUIRE(bytes.size() > 100);
        bytes[18] = bytes[19] = 1; // a WAL-mode image cannot be read from memory: read it as a rollback-journal file
        SqliteDatabase old(":memory:", SqliteDatabase::Mode::ReadWriteCreate);
        auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
        std::copy(bytes.begin(), bytes.end(), copy);
        REQUIRE(sqlite3_deserialize(old.handle(), "main", copy, static_cast<sqlite3_int64>(bytes.size()),
                                    static_cast<sqlite3_int64>(bytes.size()),
                                    SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) == SQLITE_OK);
        const AuditAnchor head = auditHead(old, 0);
        CHECK(head.rowId == anchors[0].rowId);
        CHECK(head.hash == anchors[0].hash);
        Store store = ts.open();
        CHECK_FALSE(verifyAuditLog(store.db(), {head}).ok());
    }
}

} // TEST_SUITE
