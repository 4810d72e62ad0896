// RAII PostgreSQL layer (libpq) behind database.hpp, mirroring the SQLite one: a connection, statements prepared
// once per connection, transactions, one typed error (DbError with the SQLSTATE and a plain sentence).
#pragma once

#include "core/store/database.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <string>
#include <vector>

namespace inloop::core {

// "postgresql://…", "postgres://…", or a libpq keyword string ("host=… dbname=…", "service=…"): a store on a
// PostgreSQL server rather than a data folder.
bool isPostgresLocation(std::string_view location);

// `?` and `?N` placeholders as PostgreSQL's `$n`, outside string literals, quoted names and comments; `count` gets
// the highest parameter number.
std::string numberPlaceholders(std::string_view sql, int& count);

// Opens a libpq connection to `location` (issue 20): TLS with the server's certificate checked (sslmode=verify-full:
// signed by the CA in sslrootcert, made out to the host named) on every connection that is not a local Unix
// socket. A location that asks for less (sslmode=require, prefer, disable) is refused after connecting, before
// any statement; SCRAM never sends the password itself. `connectTimeout` applies unless the location names one.
// nullptr with `error` set when it cannot connect or may not.
PGconn* connectPg(const std::string& location, const char* application, const char* connectTimeout, std::string& error);
// The value an open connection uses for a libpq keyword ("sslmode", "keepalives_idle"); "" when unset.
std::string connectionOption(PGconn* conn, std::string_view keyword);

class PgDatabase final : public Database {
public:
    // Connects (with a connect timeout unless the location names one) and sets the search path: the desk sees its
    // own schema and pub, the kiosk pub only.
    PgDatabase(const std::string& location, const std::string& searchPath);
    ~PgDatabase() override;

    Engine engine() const override { return Engine::Postgres; }
    // A savepoint's SAVEPOINT and RELEASE wait and go with the next statement (see m_pending).
    void exec(std::string_view sql) override;
    // One round trip, not prepare + run + deallocate.
    int64_t queryInt(std::string_view sql) override;
    std::string queryText(std::string_view sql) override { return script(sql); }
    std::unique_ptr<Statement> statement(std::string_view sql) override;
    int64_t lastInsertRowid() override;
    int changes() const override { return m_changes; }
    bool inTransaction() const override;
    bool lost() const override;
    std::string name() const override;

    // Runs a script of statements without parameters; the first column of the last result's first row ("" if none).
    std::string script(std::string_view sql);
    // Sends what waits in m_pending now (before a PREPARE, which must see the real transaction state).
    void flushPending();
    // Runs a prepared statement; what waits in m_pending goes before it in the same round trip (a pipeline).
    PGresult* runPrepared(const char* name, int count, const char* const* values, const int* lengths,
                          const int* formats);
    // Round trips to the server so far: statements and transactions, and the PREPARE (with its SAVEPOINT and
    // RELEASE inside a transaction) and DEALLOCATE of each statement. On a network, what a write costs besides the
    // server's work; a cached statement (prepare()) pays the PREPARE once per connection.
    uint64_t roundTrips() const { return m_roundTrips; }
    void noteRoundTrip() { ++m_roundTrips; }

    // How long a statement's answer is awaited (0: as long as it takes). A server that stops answering while the
    // link stays up (a frozen host, a hung disk) is not noticed by keepalives or tcp_user_timeout, since the kernel
    // still acknowledges: past this the connection is shut and the statement fails as a lost connection (a COMMIT
    // as CommitUnknown), so a desk's worker and the jobs queued behind it are not held for good. The apps' stores
    // use kAnswerWithin; migrations and the administrator's server commands wait as long as it takes.
    static constexpr std::chrono::milliseconds kAnswerWithin{30'000};
    void setAnswerWithin(std::chrono::milliseconds within) { m_answerWithin = within; }
    // A query string (one or several statements), as PQexec but with the answer awaited for at most the above; the
    // last result, or null when nothing could be sent. The caller clears it.
    PGresult* run(const char* sql);
    // PQprepare and PQexecPrepared, awaited the same way.
    PGresult* prepare(const char* name, const char* sql, int count, const Oid* types);

    PGconn* handle() const { return m_conn; }
    // Throws the DbError for a failed result (or a lost connection when there is none).
    [[noreturn]] void fail(const PGresult* result, std::string_view what) const;
    void noteChanges(const PGresult* result);
    std::string nextStatementName() { return std::string("s").append(std::to_string(++m_statementCount)); }

protected:
    void beginWrite(Writes writes) override;
    void beginRead() override;
    void endQuietly(bool commit) noexcept override;

private:
    using Clock = std::chrono::steady_clock;
    Clock::time_point deadline() const;
    // The next result of what was sent, waiting for the server until `deadline` (then the connection is shut).
    PGresult* nextResult(Clock::time_point deadline);
    // Every result up to the end of what was sent; the last one (as PQexec).
    PGresult* lastResult(Clock::time_point deadline);

    PGconn* m_conn = nullptr;
    std::string m_searchPath;
    int m_changes = 0;
    unsigned m_statementCount = 0;
    // Statements without parameters whose answer nothing waits for (BEGIN and the write locks, SAVEPOINT,
    // RELEASE): they go to the server with the next statement, in one round trip instead of one each. The
    // order on the server is the same, and a failure among them fails that statement, before it runs.
    std::vector<std::string> m_pending;
    bool m_beginPending = false; // m_pending opens the transaction: the server is not in it yet
    uint64_t m_roundTrips = 0;
    std::chrono::milliseconds m_answerWithin{0};
};

class PgStatement final : public Statement {
public:
    PgStatement(PgDatabase& db, std::string_view sql);
    ~PgStatement() override;

    using Statement::bind;
    Statement& bind(int index, int64_t value) override;
    Statement& bind(int index, double value) override;
    Statement& bind(int index, std::string_view value) override;
    Statement& bindBlob(int index, const void* data, size_t size) override;
    Statement& bindNull(int index) override;
    bool step() override;
    void reset() override;
    bool isNull(int col) const override;
    int64_t getInt(int col) const override;
    double getDouble(int col) const override;
    std::string getText(int col) const override;
    std::string getBlob(int col) const override;

private:
    struct Param {
        std::string value;
        bool null = true;
        bool binary = false; // a blob: sent as bytea in binary
        Oid type = 0;        // 0: the server infers it from the SQL
    };
    Param& param(int index);
    void prepareOnServer();
    const char* cell(int col) const;

    PgDatabase& m_db;
    std::string m_sql; // numbered
    std::string m_name;
    bool m_prepared = false;
    std::vector<Param> m_params;
    PGresult* m_result = nullptr;
    int m_row = -1;
};

} // namespace inloop::core
