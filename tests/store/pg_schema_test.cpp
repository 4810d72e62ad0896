// The PostgreSQL schema (schema_pg.cpp) against the SQLite one (schema.cpp), through libpq directly: the same tables,
// columns, types and NOT NULLs, the same CHECKs refusing the same values, the append-only guards, and the
// compat functions giving SQLite's answers. Needs a server: INLOOP_TEST_PG (scripts/test starts a throwaway one).
#include "support/temp_store.hpp"
#include "support/test_pg.hpp"

#include "core/store/schema.hpp"
#include "core/store/schema_pg.hpp"

#include <doctest/doctest.h>

#include <libpq-fe.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {


// Both parts migrated to their latest PostgreSQL version; the desk's search_path.
struct PgStore {
    explicit PgStore(const std::string& conninfo) : db(conninfo), pg(db.connect()) {
        migratePg(pg.runner(), StoreFile::Public);
        migratePg(pg.runner(), StoreFile::Desk);
        pg.exec("SET search_path = desk, pub");
    }
    FreshPgDatabase db;
    Pg pg;
};

// Both SQLite files at their latest version, desk.db with public.db attached as "pub" (the desk's connection).
struct SqliteStore {
    SqliteStore() : owned(open()), db(*owned) {}
    std::unique_ptr<SqliteDatabase> open() {
        for (auto part : {StoreFile::Public, StoreFile::Desk}) {
            SqliteDatabase file(dir.path() / fileName(part), SqliteDatabase::Mode::ReadWriteCreate);
            applyConnectionSettings(file);
            migrate(file, part);
        }
        auto desk = std::make_unique<SqliteDatabase>(dir.path() / "desk.db", SqliteDatabase::Mode::ReadWrite);
        applyConnectionSettings(*desk);
        desk->exec("ATTACH DATABASE '" + (dir.path() / "public.db").string() + "' AS pub");
        return desk;
    }
    // The first cell of the statement, as text ("NULL" for a NULL).
    std::string value(const std::string& sql) {
        const auto stOwned = db.statement(sql);
        Statement& st = *stOwned;
        if (!st.step()) return "";
        return st.isNull(0) ? "NULL" : st.getText(0);
    }
    TempDir dir;
    std::unique_ptr<SqliteDatabase> owned;
    SqliteDatabase& db;
};

// "schema.table: column type [NOT NULL], ..." for every table, in column order.
std::map<std::string, std::string> sqliteShape(SqliteStore& s) {
    std::map<std::string, std::string> out;
    for (const auto& [schema, part] : {std::pair{"main", "desk"}, std::pair{"pub", "pub"}}) {
        const auto tablesOwned = s.db.statement(std::string("SELECT name FROM ") + schema +
                                   ".sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        Statement& tables = *tablesOwned;
        while (tables.step()) {
            const std::string table = tables.getText(0);
            const auto colsOwned = s.db.statement(std::string("SELECT name, type, \"notnull\" OR pk > 0 FROM ") + schema +
                                     ".pragma_table_info('" + table + "') ORDER BY cid");
            Statement& cols = *colsOwned;
            std::string desc;
            while (cols.step()) {
                std::string type = cols.getText(1);
                type = type == "INTEGER" ? "bigint" : type == "TEXT" ? "text" : type == "BLOB" ? "bytea" : type;
                desc += cols.getText(0) + " " + type + (cols.getInt(2) ? " NOT NULL" : "") + ", ";
            }
            out[std::string(part) + "." + table] = desc;
        }
    }
    return out;
}

std::map<std::string, std::string> pgShape(Pg& pg) {
    std::map<std::string, std::string> out;
    for (const std::string& row : pg.rows(
             "SELECT c.table_schema || '.' || c.table_name, c.column_name || ' ' || c.data_type || "
             "CASE WHEN c.is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END FROM information_schema.columns c "
             "JOIN information_schema.tables t USING (table_schema, table_name) WHERE t.table_type = 'BASE TABLE' "
             "AND c.table_schema IN ('pub', 'desk') AND c.table_name NOT IN ('schema_version', 'data_version') "
             "ORDER BY 1, c.ordinal_position")) {
        const auto bar = row.find('|');
        out[row.substr(0, bar)] += row.substr(bar + 1) + ", ";
    }
    return out;
}

// Runs `sql` on the engine (SqliteStore's Database or Pg); the error's text, or "" when it succeeded.
template <class Engine> std::string errorOf(Engine& engine, const std::string& sql) {
    try {
        engine.exec(sql);
        return "";
    } catch (const std::exception& e) {
        return std::string("error: ") + e.what();
    }
}
std::string sqliteError(SqliteStore& s, const std::string& sql) { return errorOf(s.db, sql); }
std::string pgError(Pg& pg, const std::string& sql) { return errorOf(pg, sql); }

// Numbers compare as numbers (SQLite prints 29.0 where PostgreSQL prints 29), the rest as text.
bool sameValue(const std::string& a, const std::string& b) {
    char* ea = nullptr;
    char* eb = nullptr;
    const double da = std::strtod(a.c_str(), &ea);
    const double db = std::strtod(b.c_str(), &eb);
    if (!a.empty() && !b.empty() && *ea == '\0' && *eb == '\0') return da == db;
    return a == b;
}

} // namespace

TEST_SUITE_BEGIN("postgres"); // the PostgreSQL run only (support/test_main.cpp)

TEST_CASE("a throwaway server is available") {
    const std::string conninfo = serverOrSkip();
    const PGPing ping = PQping(conninfo.c_str());
    REQUIRE_MESSAGE(ping == PQPING_OK, "INLOOP_TEST_PG=" << conninfo << " does not answer (scripts/pg-test-server)");
    Pg pg(conninfo);
    CHECK(pg.exec("SELECT current_setting('server_version_num')::int / 10000") == "15");
    CHECK(pg.exec("SELECT rolsuper FROM pg_roles WHERE rolname = current_user") == "t"); // it can create databases
}

TEST_CASE("postgresql schema: pub and desk have SQLite's tables, columns, types and NOT NULLs") {
    PgStore pgs(serverOrSkip());
    SqliteStore lite;
    const auto expected = sqliteShape(lite);
    const auto actual = pgShape(pgs.pg);
    REQUIRE(expected.size() == 27); // a table more or less in schema.cpp: this test and schema_pg.cpp follow
    for (const auto& [table, columns] : expected) {
        INFO(table);
        CHECK(actual.contains(table));
        if (actual.contains(table)) CHECK(actual.at(table) == columns);
    }
    for (const auto& [table, columns] : actual) CHECK_MESSAGE(expected.contains(table), table << " is not in SQLite");
    // The topics are seeded with the same ids.
    CHECK(pgs.pg.exec("SELECT string_agg(id || '=' || code, ',' ORDER BY id) FROM topic") ==
          lite.value("SELECT group_concat(id || '=' || code, ',') FROM (SELECT id, code FROM topic ORDER BY id) AS t"));
}

TEST_CASE("postgresql schema: every table raises its part's data version on commit, and only then") {
    PgStore pgs(serverOrSkip());
    Pg& pg = pgs.pg;
    // Every table of both parts has the trigger, so no later migration forgets one.
    CHECK(pg.rows("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE c.relkind = 'r' AND n.nspname IN ('pub', 'desk') "
                  "AND c.relname NOT IN ('data_version', 'schema_version') AND NOT EXISTS (SELECT 1 FROM pg_trigger t "
                  "WHERE t.tgrelid = c.oid AND t.tgname = 'data_version') ORDER BY 1") == std::vector<std::string>{});
    const auto version = [&pg](const char* part) {
        return std::stoll(pg.exec(std::string("SELECT n FROM pub.data_version WHERE part = '") + part + "'"));
    };
    const int64_t pub = version("pub"), desk = version("desk");
    pg.exec("INSERT INTO pub.service(code, name, place) VALUES ('sti', 'STI test', 'spot46')");
    CHECK(version("pub") == pub + 1);
    CHECK(version("desk") == desk);
    pg.exec("INSERT INTO desk.supply_item(code, name) VALUES ('condoms', 'Condoms')");
    CHECK(version("desk") == desk + 1);
    // A rolled-back write leaves it as it was; another connection sees the raise only once committed.
    pg.exec("BEGIN; UPDATE desk.supply_item SET name = 'Kondome'; ROLLBACK");
    CHECK(version("desk") == desk + 1);
    Pg other(pgs.db.conninfo(), pgs.db.name());
    other.exec("BEGIN");
    other.exec("UPDATE desk.supply_item SET name = 'Condooms'");
    CHECK(version("desk") == desk + 1);
    other.exec("COMMIT");
    CHECK(version("desk") == desk + 2);
}

TEST_CASE("postgresql schema: versions are kept per part, re-running is a no-op, a newer store is refused") {
    const std::string conninfo = serverOrSkip();
    FreshPgDatabase db(conninfo);
    Pg pg = db.connect();
    CHECK(pgVersion(pg.runner(), StoreFile::Public) == 0);
    CHECK_THROWS_WITH(migratePg(pg.runner(), StoreFile::Desk), doctest::Contains("pub must exist before desk"));
    migratePg(pg.runner(), StoreFile::Public);
    migratePg(pg.runner(), StoreFile::Desk);
    CHECK(pgVersion(pg.runner(), StoreFile::Public) == pgLatestVersion(StoreFile::Public));
    CHECK(pgVersion(pg.runner(), StoreFile::Desk) == pgLatestVersion(StoreFile::Desk));
    migratePg(pg.runner(), StoreFile::Desk); // up to date: nothing happens
    CHECK(pg.exec("SELECT count(*) FROM pub.schema_version") == "2");

    pg.exec("UPDATE pub.schema_version SET version = version + 1 WHERE part = 'desk'");
    CHECK_THROWS_WITH(migratePg(pg.runner(), StoreFile::Desk), doctest::Contains("knows only up to"));
    CHECK(pg.exec("SELECT version FROM pub.schema_version WHERE part = 'desk'") ==
          std::to_string(pgLatestVersion(StoreFile::Desk) + 1)); // refused, left as it was

    // Someone else's tables in a schema called desk: refused, untouched.
    FreshPgDatabase other(conninfo);
    Pg pg2 = other.connect();
    migratePg(pg2.runner(), StoreFile::Public);
    pg2.exec("CREATE SCHEMA desk; CREATE TABLE desk.mine (x int)");
    CHECK_THROWS_WITH(migratePg(pg2.runner(), StoreFile::Desk), doctest::Contains("not Inloop's"));
    CHECK(pg2.exec("SELECT count(*) FROM pub.schema_version") == "1");
}

TEST_CASE("postgresql schema: each CHECK refuses what SQLite's refuses, and accepts what it accepts") {
    PgStore pgs(serverOrSkip());
    SqliteStore lite;
    // Rows the cases below refer to, written identically on both.
    const char* setup[] = {
        // No explicit ids: an identity column does not move past them (SQLite's rowid does); both count from 1.
        "INSERT INTO service(code, name, place) VALUES ('sti', 'STI test', 'spot46')",
        "INSERT INTO session(service_id, day, start_min, end_min, capacity, place) "
        "VALUES (1, '2030-03-04', 600, 720, 10, 'spot46')",
        "INSERT INTO supply_item(code, name) VALUES ('condoms', 'Condoms')",
        "INSERT INTO room(name) VALUES ('Room 1')",
        "INSERT INTO bed(room_id, label, tier) VALUES (1, 'A', 'lower'), (1, 'B', 'upper')",
    };
    for (const char* sql : setup) {
        INFO(std::string(sql));
        REQUIRE(sqliteError(lite, sql) == "");
        REQUIRE(pgError(pgs.pg, sql) == "");
    }
    struct Case {
        const char* good;
        const char* bad;
    };
    const Case cases[] = {
        {"INSERT INTO service(code, name, place) VALUES ('abc', 'x', 'shelter')",
         "INSERT INTO service(code, name, place) VALUES ('Abc', 'x', 'shelter')"},
        {"INSERT INTO service(code, name, place, languages) VALUES ('lang', 'x', 'spot46', 'nl,en')",
         "INSERT INTO service(code, name, place, languages) VALUES ('lang2', 'x', 'spot46', 'n')"},
        {"INSERT INTO kiosk_usage(day, kind, key) VALUES ('2030-03-04', 'page', 'home')",
         "INSERT INTO kiosk_usage(day, kind, key) VALUES ('2030-3-04', 'page', 'home')"},
        {"INSERT INTO kiosk_usage(day, kind, key) VALUES ('2030-03-05', 'page', 'home')",
         "INSERT INTO kiosk_usage(day, kind, key) VALUES ('2030-03-05x', 'page', 'home')"},
        {"INSERT INTO site_fact(key, value, changed_at) VALUES ('phone.nl', '1', 0)",
         "INSERT INTO site_fact(key, value, changed_at) VALUES ('phone-nl', '1', 0)"},
        {"INSERT INTO site_fact(key, value, changed_at) VALUES ('a1', '1', 0)",
         "INSERT INTO site_fact(key, value, changed_at) VALUES ('1a', '1', 0)"},
        {"INSERT INTO registration(session_id, day, ticket, source, created_at, updated_at) "
         "VALUES (1, '2030-03-04', 'AB', 'kiosk', 0, 0)",
         "INSERT INTO registration(session_id, day, ticket, source, created_at, updated_at) "
         "VALUES (1, '2030-03-04', 'A0', 'kiosk', 0, 0)"},
        {"INSERT INTO calendar_feed(service_id, url, capacity) VALUES (1, 'https://x', 5)",
         "INSERT INTO calendar_feed(service_id, url, capacity) VALUES (2, 'https://', 5)"},
        {"INSERT INTO staff(name, role, pin_hash, created_at) VALUES ('Ann', 'desk', '$argon2id$v=19', 0)",
         "INSERT INTO staff(name, role, pin_hash, created_at) VALUES ('Bob', 'desk', '$argon2i$v=19', 0)"},
        {"INSERT INTO stock_move(item_id, at, day, kind, qty, payment) VALUES (1, 0, '2030-03-04', 'sale', -1, 'cash')",
         "INSERT INTO stock_move(item_id, at, day, kind, qty) VALUES (1, 0, '2030-03-04', 'sale', -1)"},
        {"INSERT INTO stock_move(item_id, at, day, kind, qty) VALUES (1, 0, '2030-03-04', 'delivery', 10)",
         "INSERT INTO stock_move(item_id, at, day, kind, qty) VALUES (1, 0, '2030-03-04', 'delivery', -10)"},
        {"INSERT INTO stay(bed_id, referral, in_at, in_day, out_at, out_day, destination) "
         "VALUES (1, 'unknown', 0, '2030-03-04', 1, '2030-03-05', 'own_home')",
         "INSERT INTO stay(bed_id, referral, in_at, in_day, out_at, out_day, destination) "
         "VALUES (1, 'unknown', 0, '2030-03-04', 1, '2030-03-03', 'own_home')"},
        {"INSERT INTO stay(bed_id, referral, in_at, in_day) VALUES (2, 'self', 0, '2030-03-04')",
         "INSERT INTO stay(bed_id, referral, in_at, in_day) VALUES (2, 'self', 0, '2030-03-04')"}, // one per bed
        {"INSERT INTO backup_run(started_at, trigger, status, reason) VALUES (0, 'cli', 'failed', 'tls')",
         "INSERT INTO backup_run(started_at, trigger, status, reason) VALUES (0, 'cli', 'failed', 'disk')"},
        {"INSERT INTO purge_run(at, what, before_day, rows) VALUES (0, 'call_name', '2030-01-01', 3)",
         "INSERT INTO purge_run(at, what, before_day, rows) VALUES (0, 'contact', '2030-01-01', 3)"},
        {"INSERT INTO audit_log(at, actor, action, entity) VALUES (0, 'cli', 'add', 'stay')",
         "INSERT INTO audit_log(at, actor, action, entity) VALUES (0, 'robot', 'add', 'stay')"},
    };
    for (const Case& c : cases) {
        INFO(std::string(c.good));
        CHECK(sqliteError(lite, c.good) == "");
        CHECK(pgError(pgs.pg, c.good) == "");
        INFO(std::string(c.bad));
        CHECK(sqliteError(lite, c.bad) != "");
        CHECK(pgError(pgs.pg, c.bad) != "");
    }
    // The trigger keeps the stock: -1 (sale) + 10 (delivery) on both.
    CHECK(lite.value("SELECT stock FROM supply_item WHERE id = 1") == "9");
    CHECK(pgs.pg.exec("SELECT stock FROM supply_item WHERE id = 1") == "9");
}

TEST_CASE("postgresql schema: the audit log and the stock moves refuse UPDATE, DELETE and TRUNCATE") {
    PgStore pgs(serverOrSkip());
    Pg& pg = pgs.pg;
    pg.exec("INSERT INTO supply_item(code, name) VALUES ('gel', 'Gel')");
    pg.exec("INSERT INTO stock_move(item_id, at, day, kind, qty) VALUES (1, 0, '2030-03-04', 'delivery', 5)");
    pg.exec("INSERT INTO audit_log(at, actor, action, entity, hash) VALUES (0, 'cli', 'add', 'stay', "
            "decode(repeat('ab', 32), 'hex'))");
    const auto refused = [&](const std::string& sql, const std::string& sentence) {
        INFO(sql);
        try {
            pg.exec(sql);
            FAIL("not refused");
        } catch (const PgError& e) {
            CHECK(std::string(e.what()).find(sentence) != std::string::npos);
            CHECK(e.sqlstate == "23000");
        }
    };
    refused("UPDATE audit_log SET detail = 'x'", "the audit log cannot be changed");
    refused("UPDATE audit_log SET hash = NULL", "the audit log cannot be changed");
    refused("DELETE FROM audit_log", "the audit log cannot be deleted");
    refused("TRUNCATE audit_log", "the audit log cannot be deleted");
    refused("UPDATE stock_move SET qty = 50", "stock moves cannot be changed; add a reversal");
    refused("DELETE FROM stock_move", "stock moves cannot be deleted; add a reversal");
    refused("TRUNCATE stock_move CASCADE", "stock moves cannot be deleted; add a reversal");
    CHECK(pg.exec("SELECT count(*) FROM audit_log") == "1");
    CHECK(pg.exec("SELECT detail FROM audit_log") == "");
    CHECK(pg.exec("SELECT stock FROM supply_item") == "5");
}

TEST_CASE("postgresql schema: the compat functions give SQLite's answers") {
    PgStore pgs(serverOrSkip());
    SqliteStore lite;
    const char* expressions[] = {
        "julianday('2000-01-01')",
        "julianday('2024-03-01') - julianday('2024-02-01')",
        "julianday('2025-03-01') - julianday('2024-03-01')",
        "julianday('2024-05-17 12:00:00') - julianday('2024-05-17')",
        "julianday(NULL)",
        "date('2024-02-28', '+1 day')",
        "date('2024-12-31', '+1 day')",
        "date('2024-03-01', '-1 day')",
        "date('2024-03-01', '-30 days')",
        "date('2024-05-17', '+7 days')",
        "date('2024-01-31', '+1 month')",
        "date('2023-01-31', '+1 month')",
        "date('2024-02-29', '+1 year')",
        "date('2024-03-31', '-1 month')",
        "date('2024-05-17', 'start of year')",
        "date('2024-05-17', 'start of month')",
        "date('2024-05-17', 'start of month', '+1 month', '-1 day')",
        "date('2024-05-17', 'weekday 0')",
        "date('2024-05-19', 'weekday 0')",
        "date('2024-05-17', 'weekday 3')",
        "date('2024-05-17')",
        "date('2024-05-17', 'next tuesday')",
        "date('not a day', '+1 day')",
        "date(NULL, '+1 day')",
        "strftime('%w', '2024-05-12')",
        "strftime('%w', '2024-05-13')",
        "strftime('%w', '2024-05-14')",
        "strftime('%w', '2024-05-15')",
        "strftime('%w', '2024-05-16')",
        "strftime('%w', '2024-05-17')",
        "strftime('%w', '2024-05-18')",
        "(CAST(strftime('%w', '2024-05-12') AS INTEGER) + 6) % 7 + 1",
        "strftime('%Y', '2024-05-17')",
        "strftime('%d.%m.%Y %j', '2024-02-03')",
        "strftime('%s', '2024-05-17 10:20:30')",
        "strftime('%H:%M:%S', '2024-05-17 10:20:30')",
        "max(3, 5)",
        "min(3, 5)",
        "max('2024-01-10', '2024-01-09')",
        "min('2024-01-10', '2024-01-09')",
        "max(0, julianday('2024-01-01') - julianday('2024-01-05'))",
        "max(1, NULL)",
        "min(NULL, 1)",
        "ifnull(NULL, 'x')",
        "(SELECT sum(id > 5) FROM topic)",
        "(SELECT sum(id > 100) FROM topic)",
        "(SELECT sum(id > 5) FROM topic WHERE id < 0)",
        "(SELECT group_concat(code) FROM topic WHERE id <= 3)",
        "(SELECT group_concat(code, ' / ') FROM topic WHERE id <= 3)",
        "(SELECT group_concat(code) FROM topic WHERE id < 0)",
    };
    for (const char* e : expressions) {
        const std::string sql = std::string("SELECT ") + e;
        const std::string fromSqlite = lite.value(sql);
        std::string fromPg;
        try {
            fromPg = pgs.pg.exec(sql);
        } catch (const std::exception& ex) {
            fromPg = std::string("error: ") + ex.what();
        }
        INFO(std::string(e) << ": SQLite " << fromSqlite << ", PostgreSQL " << fromPg);
        CHECK(sameValue(fromSqlite, fromPg));
    }
    // COLLATE NOCASE orders without regard to case on both.
    const std::string order = "SELECT group_concat(name, ',') FROM (SELECT name FROM room ORDER BY name COLLATE NOCASE) AS r";
    for (const char* name : {"b", "A", "C"}) {
        const std::string ins = std::string("INSERT INTO room(name) VALUES ('") + name + "')";
        lite.db.exec(ins);
        pgs.pg.exec(ins);
    }
    CHECK(lite.value(order) == "A,b,C");
    CHECK(pgs.pg.exec(order) == "A,b,C");
}

TEST_SUITE_END();
