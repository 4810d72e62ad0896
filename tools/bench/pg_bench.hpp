// The store benchmarks on a PostgreSQL server (issue 19): the two SQLite pairs again, in a database of the
// bench's own that it creates on the server and drops when it is done.
#pragma once

#include "results.hpp"

#include <string>
#include <vector>

namespace inloop::bench {

// The keys these measurements write (required in the JSON when a server is given).
extern const std::vector<std::string> kPgKeys;

class PgBench {
public:
    // Creates inloop_bench_<pid> on `server` (a libpq URL or keyword string whose role may create databases) and
    // an empty Inloop store in it, with the visitor-code key in `dataDir`/desk. Throws with a sentence when the
    // server cannot be reached or the role may not create a database.
    PgBench(std::string server, fs::path dataDir);
    // Drops the database (nothing else on the server is touched).
    ~PgBench();
    PgBench(const PgBench&) = delete;
    PgBench& operator=(const PgBench&) = delete;

    // The demo years and the busy today, as in the SQLite column: pg_data_years, pg_data_build_s …
    void fill(const Settings& settings, Results& results);
    // core::logContact vs bare libpq BEGIN; INSERT; COMMIT into an equivalent plain table on the same server:
    // pg_commit_ratio, pg_commit_p99_ms, pg_baseline_commit_p99_ms …
    void measureCommit(const Settings& settings, Results& results);
    // A desk's commit until another connection's change feed hears of it (the live update another machine gets):
    // pg_update_p50_ms, pg_update_p99_ms; pg_link says how the bench reached the server (socket, TCP+TLS).
    void measureUpdates(const Settings& settings, Results& results);
    // core::buildReport for last year vs hand-written SQL for the main figures over the same tables:
    // pg_report_ratio, pg_report_ms, pg_baseline_report_ms …
    void measureReport(const Settings& settings, Results& results);

    // The database's connection string (the server's, with dbname replaced).
    const std::string& location() const { return m_location; }

private:
    std::string m_server;   // as given: where the database is created and dropped from
    std::string m_name;     // inloop_bench_<pid>
    std::string m_location; // the server with dbname = m_name
    fs::path m_dataDir;
    bool m_created = false;
};

} // namespace inloop::bench
