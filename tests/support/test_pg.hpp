// Tests against PostgreSQL (issue 19): the throwaway server scripts/test starts (INLOOP_TEST_PG), a fresh database
// per test, and a bare libpq connection to look at it.
#pragma once

#include "core/store/schema_pg.hpp"

#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace inloop::test {

using core::PgRun;

inline constexpr const char* kHowToEnable =
    "PostgreSQL tests skipped: INLOOP_TEST_PG is not set. Run scripts/test, or "
    "scripts/pg-test-server start DIR and export INLOOP_TEST_PG=\"<the connection string it prints>\".";

inline bool inCi() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

// The server's connection string, or: outside CI the test is skipped (exit 77, with the way to enable it);
// in CI it fails, since CI never skips.
inline std::string serverOrSkip() {
    const char* conninfo = std::getenv("INLOOP_TEST_PG");
    if (conninfo && *conninfo) return conninfo;
    if (inCi()) FAIL("CI=true but INLOOP_TEST_PG is not set: .ci/run starts PostgreSQL through scripts/test.");
    std::fprintf(stderr, "%s\n", kHowToEnable);
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(77);
}

struct PgError : std::runtime_error {
    PgError(const std::string& state, const std::string& message) : std::runtime_error(message), sqlstate(state) {}
    std::string sqlstate;
};

// One libpq connection; exec returns the first cell of the last result ("NULL" for a NULL).
class Pg {
public:
    // `dbname` empty: the database the connection string names.
    Pg(const std::string& conninfo, const std::string& dbname = "") {
        const char* keys[] = {"dbname", dbname.empty() ? nullptr : "dbname", nullptr};
        const char* values[] = {conninfo.c_str(), dbname.empty() ? nullptr : dbname.c_str(), nullptr};
        m_conn = PQconnectdbParams(keys, values, 1);
        if (PQstatus(m_conn) != CONNECTION_OK) {
            const std::string why = PQerrorMessage(m_conn);
            PQfinish(m_conn);
            throw std::runtime_error("cannot connect to " + conninfo + ": " + why);
        }
        exec("SET client_min_messages = warning");
    }
    ~Pg() { PQfinish(m_conn); }
    Pg(const Pg&) = delete;
    Pg& operator=(const Pg&) = delete;

    std::string exec(std::string_view sql) {
        PGresult* r = PQexec(m_conn, std::string(sql).c_str());
        const auto status = PQresultStatus(r);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            PgError e(state ? state : "", PQresultErrorMessage(r));
            PQclear(r);
            throw e;
        }
        std::string out;
        if (status == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0)
            out = PQgetisnull(r, 0, 0) ? "NULL" : PQgetvalue(r, 0, 0);
        PQclear(r);
        return out;
    }

    // Every row, its cells joined by `|`.
    std::vector<std::string> rows(const std::string& sql) {
        PGresult* r = PQexec(m_conn, sql.c_str());
        REQUIRE_MESSAGE(PQresultStatus(r) == PGRES_TUPLES_OK, PQresultErrorMessage(r));
        std::vector<std::string> out;
        for (int i = 0; i < PQntuples(r); ++i) {
            std::string row;
            for (int c = 0; c < PQnfields(r); ++c) {
                if (c) row += '|';
                row += PQgetisnull(r, i, c) ? "NULL" : PQgetvalue(r, i, c);
            }
            out.push_back(row);
        }
        PQclear(r);
        return out;
    }

    // A run function for migratePg; the empty-string convention of PgRun for NULL.
    PgRun runner() {
        return [this](std::string_view sql) {
            const std::string v = exec(sql);
            return v == "NULL" ? std::string() : v;
        };
    }

private:
    PGconn* m_conn = nullptr;
};

// A new empty database on the test server, dropped afterwards.
class FreshPgDatabase {
public:
    explicit FreshPgDatabase(std::string conninfo) : m_conninfo(std::move(conninfo)) {
        static int counter = 0;
        m_name = "inloop_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        Pg admin(m_conninfo);
        admin.exec("DROP DATABASE IF EXISTS " + m_name);
        admin.exec("CREATE DATABASE " + m_name + " TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'");
    }
    ~FreshPgDatabase() {
        try {
            Pg admin(m_conninfo);
            admin.exec("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
        } catch (const std::exception&) {
            // the server went away: it is a throwaway one
        }
    }
    FreshPgDatabase(const FreshPgDatabase&) = delete;
    FreshPgDatabase& operator=(const FreshPgDatabase&) = delete;
    Pg connect() const { return Pg(m_conninfo, m_name); }
    const std::string& conninfo() const { return m_conninfo; }
    const std::string& name() const { return m_name; }

private:
    std::string m_conninfo, m_name;
};

// Runs scripts/pg-test-server with these arguments: its exit code and what it printed on stdout.
inline std::pair<int, std::string> pgTestServer(const std::string& args) {
    const std::string command = std::string("'") + INLOOP_PG_TEST_SERVER + "' " + args;
    FILE* out = ::popen(command.c_str(), "r");
    if (!out) throw std::runtime_error("cannot run " + command);
    std::string text;
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, out)) text.append(buf, n);
    const int status = ::pclose(out);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

// A PostgreSQL server of the test's own (scripts/pg-test-server in a new temporary folder, stopped and removed
// afterwards), for what the shared one must not do: show another certificate, be stopped. `tlsDir`: the
// certificate of `inloopctl server init` (server.crt, server.key, site-ca.pem) instead of the test certificates.
// Commits are synchronous here, as on a real server: the shared test server's synchronous_commit = off would lose
// the last acknowledged commits in an immediate stop (a test would blame the store for the server's setting).
class PrivatePgServer {
public:
    explicit PrivatePgServer(const std::string& tlsDir = "") {
        serverOrSkip(); // only where PostgreSQL tests run
        char dir[] = "/tmp/inloop-pg-XXXXXX";
        REQUIRE(::mkdtemp(dir) != nullptr);
        m_dir = dir;
        auto [code, conninfo] = pgTestServer("start '" + m_dir + "'" + (tlsDir.empty() ? "" : " '" + tlsDir + "'"));
        m_conninfo = conninfo;
        REQUIRE_MESSAGE(code == 0, "pg-test-server start failed: " << m_conninfo);
        Pg admin(m_conninfo);
        admin.exec("ALTER SYSTEM SET synchronous_commit = on");
        admin.exec("SELECT pg_reload_conf()");
        admin.exec("CHECKPOINT"); // the start's own writes (the role it made) survive a halt too
    }
    ~PrivatePgServer() {
        if (pgTestServer("stop '" + m_dir + "'").first != 0) std::fprintf(stderr, "pg-test-server stop %s failed\n", m_dir.c_str());
    }
    PrivatePgServer(const PrivatePgServer&) = delete;
    PrivatePgServer& operator=(const PrivatePgServer&) = delete;
    // TLS on 127.0.0.1: host, port, sslrootcert, dbname=postgres, user.
    const std::string& conninfo() const { return m_conninfo; }
    // Gone at once, as in a power cut (pg_ctl stop -m immediate); the data stays.
    void halt() { REQUIRE(pgTestServer("halt '" + m_dir + "'").first == 0); }
    void resume() { REQUIRE(pgTestServer("resume '" + m_dir + "'").first == 0); }
    // Every process stopped (SIGSTOP) with the links up, as a frozen host; thaw() lets them go on.
    void freeze() { REQUIRE(pgTestServer("freeze '" + m_dir + "'").first == 0); }
    void thaw() { REQUIRE(pgTestServer("thaw '" + m_dir + "'").first == 0); }

private:
    std::string m_dir, m_conninfo;
};

} // namespace inloop::test
