// Tests the two files' schemas: versions, WAL, migrations from old files, refusal of unknown files, constraints.
#include "support/temp_store.hpp"

#include "core/store/audit_chain.hpp"
#include "core/store/schema.hpp"
#include "helpers.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

using namespace inloop::core;
using namespace inloop::test;

namespace {

// Creates `file` at schema version `version` the way an older Inloop would have left it.
void makeFileAt(const fs::path& file, StoreFile kind, int version) {
    SqliteDatabase db(file, SqliteDatabase::Mode::ReadWriteCreate);
    applyConnectionSettings(db);
    migrate(db, kind, version);
    REQUIRE(db.queryInt("PRAGMA user_version") == version);
}

void writeKey(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    const std::string key(32, '\x5a');
    REQUIRE(::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()));
    ::close(fd);
}

// Rows in every table of version 1 of public.db.
void fillPublicV1(const fs::path& file) {
    SqliteDatabase db(file, SqliteDatabase::Mode::ReadWrite);
    db.exec(R"sql(
PRAGMA foreign_keys = ON;
INSERT INTO service(id, code, name, place) VALUES (1, 'sti_test', 'Soa-test', 'spot46');
INSERT INTO schedule_rule(service_id, weekday, start_min, end_min, capacity, place, valid_from)
  VALUES (1, 2, 840, 960, 8, 'spot46', '2024-01-01');
INSERT INTO session(id, service_id, day, start_min, end_min, capacity, place) VALUES (1, 1, '2024-03-05', 840, 960, 8, 'spot46');
INSERT INTO registration(session_id, day, ticket, language, source, created_at, updated_at)
  VALUES (1, '2024-03-05', 'S22', 'en', 'kiosk', 1709640000, 1709640000),
         (1, '2024-03-05', 'S23', 'ro', 'desk', 1709640060, 1709640060);
INSERT INTO kiosk_usage(day, kind, key, count) VALUES ('2024-03-05', 'language', 'bg', 3);
)sql");
}

// Rows in every table of version 1 of desk.db.
void fillDeskV1(const fs::path& file) {
    SqliteDatabase db(file, SqliteDatabase::Mode::ReadWrite);
    db.exec(R"sql(
PRAGMA foreign_keys = ON;
INSERT INTO staff(id, name, role, pin_hash, created_at) VALUES (1, 'Anja', 'desk', '$argon2id$v=19$m=65536,t=2,p=1$old', 1700000000);
INSERT INTO client(id, code_hash, first_day) VALUES (1, zeroblob(32), '2024-03-05');
INSERT INTO contact(at, day, channel, gender, language, client_id, staff_id)
  VALUES (1709640000, '2024-03-05', 'walk_in', 'woman', 'hu', 1, 1),
         (1709640100, '2024-03-05', 'phone', 'unknown', 'nl', NULL, 1),
         (1709640200, '2024-03-05', 'email', 'trans', 'en', NULL, NULL);
INSERT INTO contact_topic(contact_id, topic_id) SELECT 1, id FROM topic WHERE code = 'health';
INSERT INTO supply_item(id, code, name, price_cents) VALUES (1, 'condom_m', 'Condoom M', 25);
INSERT INTO stock_move(item_id, at, day, kind, qty) VALUES (1, 1709640000, '2024-03-05', 'delivery', 500);
INSERT INTO stock_move(item_id, at, day, kind, qty) VALUES (1, 1709640300, '2024-03-05', 'handout', -12);
INSERT INTO room(id, name) VALUES (1, 'Slaapzaal 1');
INSERT INTO bed(id, room_id, label, tier) VALUES (1, 1, '1A', 'lower');
INSERT INTO stay(bed_id, alias, referral, in_at, in_day) VALUES (1, 'Mira', 'police', 1709640000, '2024-03-05');
INSERT INTO setting(key, value) VALUES ('site.name', 'Spot 46');
)sql");
    // From the version that chains the audit log on, a row is written with its hash, as the program would.
    if (db.queryInt("SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'hash'"))
        insertAuditRow(db, AuditFields{0, 1709640000, "cli", std::nullopt, "log", "contact", 1, ""});
    else
        db.exec("INSERT INTO audit_log(at, actor, action, entity, record_id) VALUES (1709640000, 'cli', 'log', 'contact', 1)");
}

int userVersion(const fs::path& file) {
    SqliteDatabase db(file, SqliteDatabase::Mode::ReadOnly);
    return static_cast<int>(db.queryInt("PRAGMA user_version"));
}

mode_t modeOf(const fs::path& file) {
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

} // namespace

TEST_SUITE("schema") {

TEST_CASE("a fresh store is at the latest version in WAL mode with private file modes" * doctest::test_suite("sqlite")) {
    TempStore ts;
    Store store = ts.open();
    CHECK(store.db().queryInt("PRAGMA main.user_version") == latestVersion(StoreFile::Desk));
    CHECK(store.db().queryInt("PRAGMA pub.user_version") == latestVersion(StoreFile::Public));
    CHECK(store.db().queryText("PRAGMA main.journal_mode") == "wal");
    CHECK(store.db().queryText("PRAGMA pub.journal_mode") == "wal");
    CHECK(store.db().queryInt("PRAGMA foreign_keys") == 1);

    Store kiosk = ts.open(Store::Access::Kiosk);
    CHECK(kiosk.db().queryInt("PRAGMA user_version") == latestVersion(StoreFile::Public));
    CHECK(kiosk.db().queryText("PRAGMA journal_mode") == "wal");
    CHECK(kiosk.db().queryInt("PRAGMA foreign_keys") == 1);

    // Group-writable in their own folders: the folders' groups decide who may use them (desk/ is staff only).
    CHECK(modeOf(store.paths().deskDb()) == 0660);
    CHECK(modeOf(store.paths().codeKey()) == 0640);
    CHECK(modeOf(store.paths().publicDb()) == 0660);
    CHECK(store.paths().deskDir() == ts.data / "desk");
    CHECK(store.paths().publicDir() == ts.data / "public");
}

TEST_CASE("running init again keeps the data and the key and seeds nothing twice") {
    TempStore ts;
    const std::string key = readBytes(ts.paths().codeKey());
    int64_t contactId = 0;
    {
        Store store = ts.open();
        NewContact c;
        c.clientCode = "AB1990";
        contactId = logContact(store, Actor::cli(), c).id;
    }
    Store::init(ts.data);
    Store store = ts.open();
    CHECK(readBytes(ts.paths().codeKey()) == key);
    CHECK(count(store, "SELECT count(*) FROM bed") == 16);
    CHECK(count(store, "SELECT count(*) FROM service") == 5);
    CHECK(count(store, "SELECT count(*) FROM supply_item") == 9);
    CHECK(count(store, "SELECT count(*) FROM contact WHERE id = " + std::to_string(contactId)) == 1);
    // The same code still finds the same visitor: the key was not replaced.
    NewContact again;
    again.clientCode = "ab 1990";
    CHECK(logContact(store, Actor::cli(), again).visitsThisYear == 2);
}

TEST_CASE("files from every earlier schema version are migrated and keep their rows" * doctest::test_suite("sqlite")) {
    for (const StoreFile oldFile : {StoreFile::Public, StoreFile::Desk}) {
        for (int version = 1; version < latestVersion(oldFile); ++version) {
            CAPTURE(fileName(oldFile));
            CAPTURE(version);
            TempDir dir;
            StorePaths paths{dir.path()};
            makeLayoutFolders(dir.path());
            makeFileAt(paths.publicDb(), StoreFile::Public,
                       oldFile == StoreFile::Public ? version : latestVersion(StoreFile::Public));
            makeFileAt(paths.deskDb(), StoreFile::Desk,
                       oldFile == StoreFile::Desk ? version : latestVersion(StoreFile::Desk));
            writeKey(paths.codeKey());
            fillPublicV1(paths.publicDb());
            fillDeskV1(paths.deskDb());

            {
                Store store = Store::open(dir.path());
                CHECK(store.db().queryInt("PRAGMA main.user_version") == latestVersion(StoreFile::Desk));
                CHECK(store.db().queryInt("PRAGMA pub.user_version") == latestVersion(StoreFile::Public));
                CHECK(count(store, "SELECT count(*) FROM registration") == 2);
                CHECK(store.db().queryText("SELECT group_concat(ticket) FROM (SELECT ticket FROM registration ORDER BY id)") ==
                      "S22,S23");
                CHECK(count(store, "SELECT count FROM kiosk_usage WHERE key = 'bg'") == 3);
                CHECK(count(store, "SELECT count(*) FROM contact") == 3);
                CHECK(count(store, "SELECT count(*) FROM contact_topic") == 1);
                CHECK(stockOf(store, 1) == 488);
                CHECK(count(store, "SELECT count(*) FROM stay WHERE alias = 'Mira' AND out_at IS NULL") == 1);
                CHECK(count(store, "SELECT count(*) FROM audit_log") == 1);
                CHECK(store.db().queryText("SELECT value FROM setting WHERE key = 'site.name'") == "Spot 46");
                // The newest tables exist and the migrated store takes new work.
                CHECK(count(store, "SELECT count(*) FROM kiosk_feedback") == 0);
                CHECK(count(store, "SELECT count(*) FROM purge_run") == 0);
                NewContact c;
                c.channel = Channel::Phone;
                logContact(store, Actor::cli(), c);
                CHECK(count(store, "SELECT count(*) FROM contact") == 4);
                if (oldFile == StoreFile::Desk) { // the old row got its hash in the migration, the new one chains on
                    const AuditVerdict chain = verifyAuditLog(store.db(), {});
                    CHECK_MESSAGE(chain.ok(), (chain.problems.empty() ? std::string() : chain.problems[0]));
                    CHECK(chain.rows == 2);
                }
                CHECK(store.db().queryText("PRAGMA integrity_check") == "ok");
                CHECK(count(store, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
            }
            CHECK(userVersion(paths.deskDb()) == latestVersion(StoreFile::Desk));
            CHECK(userVersion(paths.publicDb()) == latestVersion(StoreFile::Public));
        }
    }
}

TEST_CASE("desk migration 9 keeps the moves made before it, read once from their audit rows, so undo still works" * doctest::test_suite("sqlite")) {
    TempDir dir;
    StorePaths paths{dir.path()};
    makeLayoutFolders(dir.path());
    makeFileAt(paths.publicDb(), StoreFile::Public, latestVersion(StoreFile::Public));
    makeFileAt(paths.deskDb(), StoreFile::Desk, 8);
    writeKey(paths.codeKey());
    {
        SqliteDatabase db(paths.deskDb(), SqliteDatabase::Mode::ReadWrite);
        db.exec(R"sql(
INSERT INTO room(id, name) VALUES (1, 'Slaapzaal 1');
INSERT INTO bed(id, room_id, label, tier) VALUES (1, 1, '1A', 'lower'), (2, 1, '1B', 'upper'), (3, 1, '2A', 'lower');
INSERT INTO stay(id, bed_id, alias, referral, in_at, in_day) VALUES (1, 2, 'Mira', 'partner', 1709640000, '2024-03-05');
)sql");
        // Moved 1 → 2 → 3 → 1, that last move undone (back in 3), then 3 → 2: the audit wording of that time.
        const auto row = [&](int64_t at, const char* action, const char* detail) {
            insertAuditRow(db, AuditFields{0, at, "cli", std::nullopt, action, "stay", 1, detail});
        };
        row(1709640100, "move", "bed 1 to 2");
        row(1709640200, "move", "bed 2 to 3");
        row(1709640300, "move", "bed 3 to 1");
        row(1709640400, "undo", "move");
        row(1709640500, "move", "bed 3 to 2");
    }
    Store store = Store::open(dir.path());
    REQUIRE(store.db().queryInt("PRAGMA main.user_version") == latestVersion(StoreFile::Desk));
    CHECK(count(store, "SELECT count(*) FROM stay_move WHERE stay_id = 1") == 3);
    CHECK(count(store, "SELECT count(*) FROM stay_move WHERE from_bed = 1 AND to_bed = 2") == 1);
    CHECK(count(store, "SELECT count(*) FROM stay_move WHERE from_bed = 2 AND to_bed = 3") == 1);
    CHECK(count(store, "SELECT count(*) FROM stay_move WHERE from_bed = 3 AND to_bed = 1") == 0); // undone then
    CHECK(count(store, "SELECT count(*) FROM stay_move WHERE from_bed = 3 AND to_bed = 2") == 1);
    // The last move can be undone after the upgrade: back in bed 3.
    undoMove(store, Actor::cli(), 1);
    CHECK(count(store, "SELECT bed_id FROM stay WHERE id = 1") == 3);
}

TEST_CASE("the kiosk migrates an old public.db on its own" * doctest::test_suite("sqlite")) {
    for (int version = 1; version < latestVersion(StoreFile::Public); ++version) {
        CAPTURE(version);
        TempDir dir;
        StorePaths paths{dir.path()};
        makeLayoutFolders(dir.path());
        makeFileAt(paths.publicDb(), StoreFile::Public, version);
        fillPublicV1(paths.publicDb());
        Store kiosk = Store::open(dir.path(), Store::Access::Kiosk);
        CHECK(kiosk.db().queryInt("PRAGMA user_version") == latestVersion(StoreFile::Public));
        CHECK(kiosk.db().queryInt("SELECT count(*) FROM registration") == 2);
        CHECK_FALSE(fs::exists(paths.deskDb()));
    }
}

TEST_CASE("a file newer than this program is refused and left byte for byte as it was" * doctest::test_suite("sqlite")) {
    TempStore ts;
    const StorePaths paths{ts.data};
    fs::path tooNew;
    int newerVersion = 0;
    SUBCASE("desk.db") {
        tooNew = paths.deskDb();
        newerVersion = latestVersion(StoreFile::Desk) + 1;
    }
    SUBCASE("public.db") {
        tooNew = paths.publicDb();
        newerVersion = latestVersion(StoreFile::Public) + 1;
    }
    CAPTURE(tooNew);
    {
        SqliteDatabase db(tooNew, SqliteDatabase::Mode::ReadWrite);
        db.exec("PRAGMA user_version = " + std::to_string(newerVersion));
    } // the last connection checkpoints the WAL into the file
    REQUIRE_FALSE(fs::exists(tooNew.string() + "-wal"));
    const std::string deskBefore = readBytes(paths.deskDb()), publicBefore = readBytes(paths.publicDb());

    CHECK_ERROR(Store::open(ts.data), ErrorKind::Storage, "store.too_new");
    if (tooNew == paths.publicDb()) CHECK_ERROR(Store::open(ts.data, Store::Access::Kiosk), ErrorKind::Storage, "store.too_new");
    CHECK_ERROR(Store::init(ts.data), ErrorKind::Storage, "store.too_new");

    CHECK(readBytes(paths.deskDb()) == deskBefore);
    CHECK(readBytes(paths.publicDb()) == publicBefore);
    CHECK(userVersion(tooNew) == newerVersion);
}

TEST_CASE("opening a folder without Inloop data creates nothing" * doctest::test_suite("sqlite")) {
    TempDir dir;
    CHECK_ERROR(Store::open(dir.path()), ErrorKind::Storage, "store.missing");
    CHECK_ERROR(Store::open(dir.path(), Store::Access::Kiosk), ErrorKind::Storage, "store.missing");
    CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("a refused file is not switched to WAL mode either" * doctest::test_suite("sqlite")) {
    TempDir dir;
    const fs::path desk = dir.path() / "desk.db";
    SUBCASE("a desk.db holding someone else's tables") {
        {
            SqliteDatabase other(desk, SqliteDatabase::Mode::ReadWriteCreate);
            other.exec("CREATE TABLE customers (name TEXT)");
        }
        const std::string before = readBytes(desk);
        CHECK_ERROR(Store::init(dir.path()), ErrorKind::Storage, "store.foreign");
        CHECK(readBytes(desk) == before);
    }
    SUBCASE("a too-new desk.db in rollback-journal mode (as copied by other tools)") {
        TempStore ts;
        const fs::path file = ts.paths().deskDb();
        {
            SqliteDatabase db(file, SqliteDatabase::Mode::ReadWrite);
            db.exec("PRAGMA journal_mode = DELETE; PRAGMA user_version = " +
                    std::to_string(latestVersion(StoreFile::Desk) + 1));
        }
        const std::string before = readBytes(file);
        CHECK_ERROR(Store::open(ts.data), ErrorKind::Storage, "store.too_new");
        CHECK(readBytes(file) == before);
    }
}

TEST_CASE("the schema refuses wrong types and dangling references and unknown words") {
    TempStore ts;
    Store store = ts.open();
    const int64_t contactsBefore = count(store, "SELECT count(*) FROM contact");
    const auto expectConstraint = [&](const std::string& sql, int extendedCode) {
        CAPTURE(sql);
        try {
            store.db().exec(sql);
            FAIL("the schema accepted it");
        } catch (const DbError& e) {
            CHECK(e.isConstraint());
            // PostgreSQL's SQLSTATE for each of SQLite's extended codes used below.
            const std::string pgState = extendedCode == SQLITE_CONSTRAINT_DATATYPE     ? "22P02"
                                        : extendedCode == SQLITE_CONSTRAINT_FOREIGNKEY ? "23503"
                                                                                       : "23514";
            CHECK(e.engineCode() == (onPostgres() ? pgState : std::to_string(extendedCode)));
        }
    };
    SUBCASE("STRICT: text in an INTEGER column") {
        expectConstraint("INSERT INTO contact(at, day, channel) VALUES ('yesterday', '2025-01-01', 'walk_in')",
                         SQLITE_CONSTRAINT_DATATYPE);
        expectConstraint("INSERT INTO supply_item(code, name, price_cents) VALUES ('soap', 'Zeep', '2,50')",
                         SQLITE_CONSTRAINT_DATATYPE);
    }
    SUBCASE("foreign keys: a contact by a staff member who does not exist") {
        expectConstraint("INSERT INTO contact(at, day, channel, staff_id) VALUES (1735732800, '2025-01-01', 'walk_in', 999)",
                         SQLITE_CONSTRAINT_FOREIGNKEY);
        expectConstraint("INSERT INTO registration(session_id, day, ticket, source, created_at, updated_at) "
                         "VALUES (999, '2025-01-01', 'S22', 'kiosk', 0, 0)",
                         SQLITE_CONSTRAINT_FOREIGNKEY);
    }
    SUBCASE("CHECK: words outside the enumerations") {
        expectConstraint("INSERT INTO contact(at, day, channel) VALUES (1735732800, '2025-01-01', 'visit')",
                         SQLITE_CONSTRAINT_CHECK);
        expectConstraint("INSERT INTO contact(at, day, channel, gender) VALUES (1735732800, '2025-01-01', 'walk_in', 'x')",
                         SQLITE_CONSTRAINT_CHECK);
        const int64_t bed = bedIds(store).front();
        expectConstraint("INSERT INTO stay(bed_id, alias, referral, in_at, in_day) VALUES (" + std::to_string(bed) +
                             ", 'Mira', 'friend', 1735732800, '2025-01-01')",
                         SQLITE_CONSTRAINT_CHECK);
        expectConstraint("INSERT INTO stock_move(item_id, at, day, kind, qty) "
                         "SELECT id, 1735732800, '2025-01-01', 'gift', -1 FROM supply_item LIMIT 1",
                         SQLITE_CONSTRAINT_CHECK);
    }
    CHECK(count(store, "SELECT count(*) FROM contact") == contactsBefore);
    CHECK(count(store, "SELECT count(*) FROM stay") == 0);
}

} // TEST_SUITE
