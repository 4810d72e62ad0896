// The store benchmarks on PostgreSQL (see pg_bench.hpp).
//
// [SECTION] a bare libpq connection: the baselines and the bench's own database
// [SECTION] the database: create, fill, drop
// [SECTION] 1. commit latency
// [SECTION] 2. yearly report
#include "pg_bench.hpp"

#include "core/store/change_feed.hpp"
#include "store_bench.hpp"

#include "core/base/clock.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/report.hpp"
#include "core/store/postgres.hpp"
#include "core/store/store.hpp"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <unistd.h>

namespace inloop::bench {

using namespace inloop::core;

const std::vector<std::string> kPgKeys = {
    "pg_commit_ratio", "pg_commit_p50_ms",          "pg_commit_p99_ms",     "pg_baseline_commit_p99_ms",
    "pg_report_ratio", "pg_report_ms",              "pg_baseline_report_ms", "pg_update_p50_ms",
    "pg_update_p99_ms",
};

// [SECTION] a bare libpq connection: the baselines and the bench's own database
namespace {
constexpr Oid kInt8 = 20, kText = 25;

class Result {
public:
    explicit Result(PGresult* r) : m_r(r) {}
    ~Result() { PQclear(m_r); }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    int rows() const { return PQntuples(m_r); }
    std::string text(int row, int col) const { return PQgetisnull(m_r, row, col) ? "" : PQgetvalue(m_r, row, col); }
    double number(int row, int col) const { return std::strtod(PQgetvalue(m_r, row, col), nullptr); }

private:
    PGresult* m_r;
};

class BareConnection {
public:
    explicit BareConnection(const std::string& location) {
        const char* keys[] = {"dbname", "application_name", nullptr};
        const char* values[] = {location.c_str(), "inloop-bench", nullptr};
        m_conn = PQconnectdbParams(keys, values, 1);
        if (PQstatus(m_conn) != CONNECTION_OK) {
            const std::string why = PQerrorMessage(m_conn);
            PQfinish(m_conn);
            throw std::runtime_error("cannot connect to " + StoreLocation({}, location).describe() + ": " + why);
        }
        PQsetNoticeProcessor(m_conn, [](void*, const char*) {}, nullptr);
    }
    ~BareConnection() { PQfinish(m_conn); }
    BareConnection(const BareConnection&) = delete;
    BareConnection& operator=(const BareConnection&) = delete;

    PGconn* handle() const { return m_conn; }

    // One statement with its parameters as text, in one round trip; throws with the server's message.
    PGresult* run(const char* sql, std::initializer_list<std::pair<Oid, std::string>> params = {}) {
        std::vector<Oid> types;
        std::vector<const char*> values;
        for (const auto& [type, value] : params) {
            types.push_back(type);
            values.push_back(value.c_str());
        }
        PGresult* r = PQexecParams(m_conn, sql, static_cast<int>(values.size()), types.data(), values.data(), nullptr,
                                   nullptr, 0);
        const ExecStatusType s = PQresultStatus(r);
        if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
            const char* code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            std::string state = code ? code : "";
            const std::string why = state + " " + PQresultErrorMessage(r);
            PQclear(r);
            throw SqlFailed(std::move(state), why);
        }
        return r;
    }
    void exec(const char* sql) { PQclear(run(sql)); }

    struct SqlFailed : std::runtime_error {
        SqlFailed(std::string state, const std::string& why) : std::runtime_error(why), sqlstate(std::move(state)) {}
        std::string sqlstate;
    };

private:
    PGconn* m_conn = nullptr;
};

// The server's location with another database: parsed by libpq (URL or keywords), written back as keywords.
std::string withDatabase(const std::string& server, const std::string& dbname) {
    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(server.c_str(), &err);
    if (!options) {
        const std::string why = err ? err : "out of memory";
        PQfreemem(err);
        throw std::runtime_error("cannot read the server location: " + why);
    }
    std::string out;
    const auto add = [&](const char* key, const char* value) {
        out += std::string(out.empty() ? "" : " ") + key + "='";
        for (const char* c = value; *c; ++c) {
            if (*c == '\'' || *c == '\\') out += '\\';
            out += *c;
        }
        out += '\'';
    };
    for (PQconninfoOption* o = options; o->keyword; ++o)
        if (o->val && *o->val && std::strcmp(o->keyword, "dbname") != 0) add(o->keyword, o->val);
    PQconninfoFree(options);
    add("dbname", dbname.c_str());
    return out;
}
} // namespace

// [SECTION] the database: create, fill, drop
PgBench::PgBench(std::string server, fs::path dataDir)
    : m_server(std::move(server)), m_name("inloop_bench_" + std::to_string(::getpid())), m_dataDir(std::move(dataDir)) {
    m_location = withDatabase(m_server, m_name);
    BareConnection admin(m_server);
    const std::string drop = "DROP DATABASE IF EXISTS " + m_name; // a bench with this pid that died before its end
    admin.exec(drop.c_str());
    try {
        // UTF-8 and locale C, as scripts/pg-test-server and the tests make it: text compares as SQLite's does.
        admin.exec(("CREATE DATABASE " + m_name + " TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'").c_str());
    } catch (const BareConnection::SqlFailed& e) {
        if (e.sqlstate != "42501") throw;
        const char* role = PQuser(admin.handle());
        throw std::runtime_error(std::string("the role ") + (role ? role : "?") +
                                 " may not create databases. inloop-bench --store measures in a database of its own (" +
                                 m_name + ", dropped at the end): give the role CREATEDB or pass one that has it.");
    }
    m_created = true;
    Store::init(StoreLocation{m_dataDir, m_location});
}

PgBench::~PgBench() {
    if (!m_created) return;
    try {
        BareConnection admin(m_server);
        const bool force = PQserverVersion(admin.handle()) >= 130000; // drops even a connection left open
        admin.exec(("DROP DATABASE IF EXISTS " + m_name + (force ? " WITH (FORCE)" : "")).c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "inloop-bench: could not drop the database %s: %s\n", m_name.c_str(), e.what());
    }
}

void PgBench::fill(const Settings& settings, Results& results) {
    Store store = Store::open(StoreLocation{m_dataDir, m_location});
    fillDemo(store, settings, results, "pg_");
    store.db().exec("ANALYZE"); // what a server's autovacuum does soon after a load, before anyone asks a report
}

// [SECTION] 1. commit latency
void PgBench::measureCommit(const Settings& settings, Results& results) {
    Store store = Store::open(StoreLocation{m_dataDir, m_location});
    const int64_t staffId = coordinatorId(store);
    const Actor actor = Actor::staff(staffId);
    // The baseline: a plain table like contact (no checks, no references, no audit) in a schema of its own on the
    // same server, and what a person would write: BEGIN; INSERT … RETURNING id; COMMIT, three round trips.
    BareConnection bare(m_location);
    bare.exec("CREATE SCHEMA bare");
    bare.exec("CREATE TABLE bare.contact (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at BIGINT NOT NULL, "
              "day TEXT NOT NULL, channel TEXT NOT NULL, gender TEXT NOT NULL, language TEXT NOT NULL, "
              "referral TEXT NOT NULL, client_id BIGINT, staff_id BIGINT, reverses BIGINT)");
    const std::string staff = std::to_string(staffId);
    NewContact oneTap; // what the desk's big walk-in button logs
    oneTap.channel = Channel::WalkIn;
    const auto logOne = [&] { logContact(store, actor, oneTap); };
    const auto bareOne = [&] {
        const int64_t now = nowUnix();
        bare.exec("BEGIN");
        PQclear(bare.run("INSERT INTO bare.contact(at, day, channel, gender, language, referral, staff_id) "
                         "VALUES ($1, $2, 'walk_in', 'unknown', 'nl', 'none', $3) RETURNING id",
                         {{kInt8, std::to_string(now)}, {kText, localDay(now)}, {kInt8, staff}}));
        bare.exec("COMMIT");
    };
    for (int i = 0; i < 10; ++i) { // warm-up: prepared statements, caches
        logOne();
        bareOne();
    }
    const auto* server = dynamic_cast<const PgDatabase*>(&store.db());
    const uint64_t tripsBefore = server ? server->roundTrips() : 0;
    const auto [domain, baseline] = interleaved(settings.commitSamples, logOne, bareOne);
    recordCommits(results, "pg_", domain, baseline);
    if (server) // the baseline's are 3: on a network each costs the link's latency
        results.set("pg_commit_round_trips",
                    static_cast<double>(server->roundTrips() - tripsBefore) / settings.commitSamples);
}

// [SECTION] 1b. update latency
void PgBench::measureUpdates(const Settings& settings, Results& results) {
    Store store = Store::open(StoreLocation{m_dataDir, m_location});
    const Actor actor = Actor::staff(coordinatorId(store));
    {
        const auto* server = dynamic_cast<const PgDatabase*>(&store.db());
        const char* host = server ? PQhost(server->handle()) : nullptr;
        results.note("pg_link", host && *host == '/' ? "Unix socket"
                                : server && PQsslInUse(server->handle())
                                    ? std::string("TCP+TLS (") + PQsslAttribute(server->handle(), "protocol") + ") to " + host
                                    : std::string("TCP without TLS to ") + (host ? host : "?"));
    }
    // Another machine's view: its change feed, told by NOTIFY when the commit is visible.
    std::mutex m;
    std::condition_variable cv;
    int changes = 0;
    bool up = false;
    std::chrono::steady_clock::time_point lastChange;
    ChangeFeed feed(m_location, {"pub", "desk"}, [&](const ChangeFeed::Event& e) {
        std::lock_guard lock(m);
        up = e.connected;
        if (e.changed) {
            ++changes;
            lastChange = std::chrono::steady_clock::now();
        }
        cv.notify_all();
    });
    std::unique_lock lock(m);
    if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return up; }))
        throw std::runtime_error("the change feed did not connect within 5 s");
    lock.unlock();
    NewContact oneTap;
    oneTap.channel = Channel::WalkIn;
    std::vector<double> latencies;
    for (int i = 0; i < settings.commitSamples; ++i) {
        lock.lock();
        const int before = changes;
        lock.unlock();
        const auto began = std::chrono::steady_clock::now();
        logContact(store, actor, oneTap);
        lock.lock();
        if (!cv.wait_for(lock, std::chrono::seconds(2), [&] { return changes > before; }))
            throw std::runtime_error("a commit did not reach the change feed within 2 s");
        latencies.push_back(std::chrono::duration<double, std::milli>(lastChange - began).count());
        lock.unlock();
    }
    results.set("pg_update_p50_ms", percentile(latencies, 50));
    results.set("pg_update_p99_ms", percentile(latencies, 99));
}

// [SECTION] 2. yearly report
namespace {
// The SQLite baseline's SQL (store_bench.cpp) as one would write it for PostgreSQL: the same four queries in one
// snapshot, days compared as text, the bed nights with PostgreSQL's own date arithmetic.
MainFigures minimalFigures(BareConnection& db, const Period& p) {
    MainFigures f;
    const std::pair<Oid, std::string> from{kText, p.from}, to{kText, p.to};
    db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
    {
        const Result r(db.run("SELECT channel, count(*), count(DISTINCT client_id) FROM contact c "
                              "WHERE day BETWEEN $1 AND $2 AND reverses IS NULL "
                              "AND NOT EXISTS (SELECT 1 FROM contact r WHERE r.reverses = c.id) GROUP BY channel",
                              {from, to}));
        for (int i = 0; i < r.rows(); ++i) f.addContacts(r.text(i, 0), r.number(i, 1), r.number(i, 2));
    }
    {
        const Result r(db.run("SELECT r.status, count(*) FROM registration r JOIN session s ON s.id = r.session_id "
                              "WHERE s.day BETWEEN $1 AND $2 AND r.status <> 'moved' GROUP BY s.service_id, 1",
                              {from, to}));
        for (int i = 0; i < r.rows(); ++i) f.addRegistrations(r.text(i, 0), r.number(i, 1));
    }
    {
        const Result r(db.run("SELECT m.item_id, -sum(m.qty) FROM stock_move m LEFT JOIN stock_move o ON o.id = m.reverses "
                              "WHERE m.day BETWEEN $1 AND $2 AND COALESCE(o.kind, m.kind) = 'handout' GROUP BY 1",
                              {from, to}));
        for (int i = 0; i < r.rows(); ++i) f.handedOut += r.number(i, 1);
    }
    {
        const Result r(db.run("SELECT COALESCE(sum(LEAST(COALESCE(out_day::date, $2::date + 1), $2::date + 1) - "
                              "GREATEST(in_day::date, $1::date)), 0) FROM stay "
                              "WHERE in_day <= $2 AND (out_day IS NULL OR out_day > $1)",
                              {from, to}));
        if (r.rows()) f.bedNights = r.number(0, 0);
    }
    db.exec("COMMIT");
    return f;
}
} // namespace

void PgBench::measureReport(const Settings& settings, Results& results) {
    Store store = Store::open(StoreLocation{m_dataDir, m_location});
    BareConnection bare(m_location);
    bare.exec("SET search_path = desk, pub"); // the desk's view of the store, as Store::open sets it
    const Period period = Period::year(yearOf(localDay(nowUnix())) - 1); // the last whole year
    Report report = buildReport(store, period); // warm-up: prepared statements, the server's caches
    MainFigures mini = minimalFigures(bare, period);
    const auto [full, minimal] = interleaved(settings.reportRuns, [&] { report = buildReport(store, period); },
                                             [&] { mini = minimalFigures(bare, period); });
    recordReport(results, "pg_", report, mini, full, minimal);
}

} // namespace inloop::bench
