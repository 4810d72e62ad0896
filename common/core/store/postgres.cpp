// RAII PostgreSQL layer (see postgres.hpp).
#include "core/store/postgres.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <poll.h>
#include <sys/socket.h>

namespace inloop::core {

namespace {

constexpr Oid kInt8 = 20, kText = 25, kFloat8 = 701, kBytea = 17;

DbError::Fault faultOf(std::string_view state) {
    // P0001: our triggers; 22P02, 22003: a value the column's type refuses (SQLite STRICT's CONSTRAINT_DATATYPE)
    if (state.substr(0, 2) == "23" || state == "P0001" || state == "22P02" || state == "22003")
        return DbError::Fault::Constraint;
    if (state == "40001" || state == "40P01") return DbError::Fault::Serialization;
    if (state.substr(0, 2) == "08" || state == "57P01" || state == "57P02" || state == "57P03")
        return DbError::Fault::ConnectionLost;
    if (state == "53100") return DbError::Fault::Full;
    if (state == "42501") return DbError::Fault::Permission;
    if (state == "25006") return DbError::Fault::ReadOnly;
    if (state == "55P03" || state == "57014") return DbError::Fault::Busy; // lock or statement timeout
    return DbError::Fault::Other;
}

std::string plainMessage(DbError::Fault fault, std::string_view what, const std::string& detail) {
    switch (fault) {
    case DbError::Fault::ConnectionLost: return "No connection to the store; nothing of this change was saved.";
    case DbError::Fault::CommitUnknown:
        return "The connection to the store broke while saving: this change may or may not be saved. Look before "
               "entering it again.";
    case DbError::Fault::Full: return "The store's disk is full; nothing was saved.";
    case DbError::Fault::Permission: return "This machine's database role may not do this (" + detail + ").";
    case DbError::Fault::ReadOnly: return "The store is read-only; nothing was saved.";
    case DbError::Fault::Busy: return "The data is busy in another program; please try again.";
    case DbError::Fault::Serialization: return "Another change came first; please try again.";
    default: break;
    }
    std::string msg(what);
    if (!detail.empty()) msg += ": " + detail;
    return msg;
}

std::string trimmed(const char* text) {
    std::string s = text ? text : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// A cell as SQLite's integer: a boolean as 1 or 0, a numeric or float cut to its whole part, NULL as 0.
int64_t integerOf(const char* v) {
    if (!v || !*v) return 0;
    if (v[0] == 't' && v[1] == '\0') return 1;
    if (v[0] == 'f' && v[1] == '\0') return 0;
    if (std::strpbrk(v, ".eE")) return static_cast<int64_t>(std::strtod(v, nullptr));
    return std::strtoll(v, nullptr, 10);
}

bool ok(const PGresult* r) {
    const ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

struct Result {
    PGresult* r;
    explicit Result(PGresult* result) : r(result) {}
    ~Result() { PQclear(r); }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
};

} // namespace

bool isPostgresLocation(std::string_view location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0 ||
           location.find('=') != std::string_view::npos;
}

std::string numberPlaceholders(std::string_view sql, int& count) {
    std::string out;
    out.reserve(sql.size() + 8);
    count = 0;
    int next = 0;
    for (size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"') { // a literal or a quoted name: copied whole ('' and "" are their own escapes)
            const size_t end = sql.find(c, i + 1);
            const size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const size_t end = sql.find('\n', i);
            const size_t stop = end == std::string_view::npos ? sql.size() : end;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '?') {
            size_t j = i + 1;
            int n = 0;
            while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
            if (j == i + 1) n = ++next; // a plain ? takes the next number, as in SQLite
            else next = std::max(next, n);
            count = std::max(count, n);
            out += '$';
            out += std::to_string(n);
            i = j - 1;
        } else {
            out += c;
        }
    }
    return out;
}

// [SECTION] connection
std::string connectionOption(PGconn* conn, std::string_view keyword) {
    std::string value;
    PQconninfoOption* options = PQconninfo(conn);
    for (const PQconninfoOption* o = options; o && o->keyword; ++o)
        if (keyword == o->keyword && o->val) value = o->val;
    PQconninfoFree(options);
    return value;
}

PGconn* connectPg(const std::string& location, const char* application, const char* connectTimeout, std::string& error) {
    // Later keywords override earlier ones: the location's own settings win over ours. Over TCP, a pulled cable
    // must not hang a write for the kernel's two hours: keepalives find a silent peer within about 11 s, and data
    // the server has not acknowledged within 10 s ends the connection (tcp_user_timeout). Both are ignored on a
    // Unix socket.
    const char* keys[] = {"connect_timeout", "application_name", "sslmode",           "keepalives_idle",
                          "keepalives_interval", "keepalives_count", "tcp_user_timeout", "dbname", nullptr};
    const char* values[] = {connectTimeout, application, "verify-full", "5", "2", "3", "10000", location.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        error = conn ? trimmed(PQerrorMessage(conn)) : "out of memory";
        PQfinish(conn);
        return nullptr;
    }
    const char* host = PQhost(conn);
    const bool unixSocket = host && *host == '/';
    if (!unixSocket && (!PQsslInUse(conn) || connectionOption(conn, "sslmode") != "verify-full")) {
        error = std::string("the connection to ") + (host ? host : "the server") +
                " is not a local socket, so it must use TLS with the server's certificate checked: remove sslmode "
                "from the store's location (verify-full is the default) and give the site's CA certificate as "
                "sslrootcert=FILE.";
        PQfinish(conn);
        return nullptr;
    }
    return conn;
}

PgDatabase::PgDatabase(const std::string& location, const std::string& searchPath) : m_searchPath(searchPath) {
    std::string error;
    m_conn = connectPg(location, "inloop", "5", error);
    if (!m_conn) throw DbError(DbError::Fault::CannotOpen, "08001", "Cannot connect to the store's server: " + error);
    PQsetNoticeProcessor(m_conn, [](void*, const char*) {}, nullptr); // NOTICEs are not for people
    exec("SET search_path = " + searchPath);
}

bool PgDatabase::lost() const { return !m_conn || PQstatus(m_conn) == CONNECTION_BAD; }

PgDatabase::~PgDatabase() {
    dropStatements();
    PQfinish(m_conn);
}

std::string PgDatabase::name() const {
    if (!m_conn) return "PostgreSQL";
    const char* host = PQhost(m_conn);
    return std::string("PostgreSQL database ") + PQdb(m_conn) + (host && *host != '/' ? std::string(" on ") + host : "");
}

void PgDatabase::fail(const PGresult* result, std::string_view what) const {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state ? state : "08006"; // no SQLSTATE: the server never answered
    const DbError::Fault fault = PQstatus(m_conn) == CONNECTION_BAD ? DbError::Fault::ConnectionLost : faultOf(code);
    const std::string detail = trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(m_conn));
    throw DbError(fault, code, plainMessage(fault, what, detail));
}

void PgDatabase::noteChanges(const PGresult* result) {
    const char* n = PQcmdTuples(const_cast<PGresult*>(result));
    m_changes = (n && *n) ? std::atoi(n) : 0;
}

void PgDatabase::exec(std::string_view sql) {
    const bool savepoint = sql.rfind("SAVEPOINT ", 0) == 0 || sql.rfind("RELEASE ", 0) == 0;
    if (savepoint && sql.find(';') == std::string_view::npos && inTransaction()) {
        m_pending.emplace_back(sql);
    } else if (sql == "COMMIT" && m_conn && PQstatus(m_conn) == CONNECTION_OK) {
        // A COMMIT sent and never answered may have been carried out: the server can commit and lose the link
        // before its answer leaves. Said as such, never as "nothing was saved".
        try {
            script(sql);
        } catch (const DbError& e) {
            if (e.fault() != DbError::Fault::ConnectionLost) throw;
            throw DbError(DbError::Fault::CommitUnknown, e.engineCode(), plainMessage(DbError::Fault::CommitUnknown, "", ""));
        }
    } else {
        script(sql);
    }
}

std::string PgDatabase::script(std::string_view sql) {
    std::string text;
    for (const std::string& s : m_pending) text.append(s).append("; ");
    text.append(sql);
    m_pending.clear();
    m_beginPending = false;
    ++m_roundTrips;
    Result r(run(text.c_str()));
    if (!ok(r.r)) fail(r.r, "Database statement failed");
    noteChanges(r.r);
    if (PQresultStatus(r.r) != PGRES_TUPLES_OK || PQntuples(r.r) == 0 || PQnfields(r.r) == 0 || PQgetisnull(r.r, 0, 0))
        return {};
    return PQgetvalue(r.r, 0, 0);
}

std::unique_ptr<Statement> PgDatabase::statement(std::string_view sql) { return std::make_unique<PgStatement>(*this, sql); }

int64_t PgDatabase::queryInt(std::string_view sql) { return integerOf(script(sql).c_str()); }

int64_t PgDatabase::lastInsertRowid() { return queryInt("SELECT lastval()"); }

void PgDatabase::flushPending() {
    if (!m_pending.empty()) script("");
}

PGresult* PgDatabase::runPrepared(const char* name, int count, const char* const* values, const int* lengths,
                                  const int* formats) {
    ++m_roundTrips;
    const Clock::time_point until = deadline();
    if (m_pending.empty())
        return PQsendQueryPrepared(m_conn, name, count, values, lengths, formats, 0) == 1 ? lastResult(until) : nullptr;
    const std::vector<std::string> pending = std::exchange(m_pending, {});
    m_beginPending = false;
    // One pipeline: each waiting statement, then this one, then a sync. After a failure the server skips the rest
    // (PGRES_PIPELINE_ABORTED) up to the sync, as if they had never been sent.
    bool sent = PQenterPipelineMode(m_conn) == 1;
    for (const std::string& s : pending)
        sent = sent && PQsendQueryParams(m_conn, s.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
    sent = sent && PQsendQueryPrepared(m_conn, name, count, values, lengths, formats, 0) == 1;
    sent = sent && PQpipelineSync(m_conn) == 1;
    PGresult* answer = nullptr; // the first failure, else this statement's result
    for (size_t i = 0; sent && i <= pending.size(); ++i) {
        PGresult* r = nextResult(until);
        if (!r) break; // the connection is gone
        while (PGresult* more = nextResult(until)) PQclear(more); // up to the end of this statement's results
        if (!answer && (i == pending.size() || !ok(r))) answer = r;
        else PQclear(r);
    }
    while (sent) { // up to the sync
        PGresult* r = nextResult(until);
        if (!r) break;
        const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
        if (sync) break;
    }
    PQexitPipelineMode(m_conn);
    return answer; // null: the caller reports the lost connection
}

bool PgDatabase::inTransaction() const {
    if (m_beginPending) return true;
    const PGTransactionStatusType s = PQtransactionStatus(m_conn);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

// Writers queue per part as on SQLite: an advisory lock per part (1: pub, 2: the desk's own), always in that
// order, held until the transaction ends. Every statement after it (READ COMMITTED) sees what the writer before
// committed, so a capacity checked inside the transaction holds until it commits.
void PgDatabase::beginWrite(Writes writes) {
    // Sent with the transaction's first statement (m_pending): the locks are still taken before it runs.
    const bool desk = m_searchPath.rfind("desk", 0) == 0;
    m_pending = {"BEGIN"};
    if (!desk || writes == Writes::All) m_pending.emplace_back("SELECT pg_advisory_xact_lock(1)");
    if (desk) m_pending.emplace_back("SELECT pg_advisory_xact_lock(2)");
    m_beginPending = true;
}

// The snapshot is taken at the first statement after BEGIN anyway: the BEGIN goes with it.
void PgDatabase::beginRead() {
    m_pending = {"BEGIN ISOLATION LEVEL REPEATABLE READ"};
    m_beginPending = true;
}

void PgDatabase::endQuietly(bool commit) noexcept {
    m_pending.clear(); // COMMIT and ROLLBACK end the savepoints too
    if (std::exchange(m_beginPending, false) || !m_conn) return; // the server never saw the transaction begin
    ++m_roundTrips;
    PQclear(run(commit ? "COMMIT" : "ROLLBACK"));
}

// [SECTION] waiting for answers
PgDatabase::Clock::time_point PgDatabase::deadline() const {
    return m_answerWithin.count() > 0 ? Clock::now() + m_answerWithin : Clock::time_point::max();
}

PGresult* PgDatabase::nextResult(Clock::time_point deadline) {
    while (m_conn && PQstatus(m_conn) == CONNECTION_OK && PQisBusy(m_conn)) {
        int wait = -1;
        if (deadline != Clock::time_point::max()) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
            wait = static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
        }
        pollfd p{PQsocket(m_conn), POLLIN, 0};
        const int n = wait == 0 ? 0 : ::poll(&p, 1, wait);
        if (n < 0 && errno == EINTR) continue;
        // No answer in time: shut the link (the descriptor stays libpq's), so libpq reads its end and reports the
        // connection lost, as for a cut cable; the server rolls back what was not committed when it sees it.
        if (n == 0) ::shutdown(PQsocket(m_conn), SHUT_RDWR);
        if (PQconsumeInput(m_conn) == 0) break;
    }
    return PQgetResult(m_conn);
}

PGresult* PgDatabase::lastResult(Clock::time_point deadline) {
    PGresult* last = nullptr;
    while (PGresult* r = nextResult(deadline)) {
        PQclear(last);
        last = r;
        if (PQstatus(m_conn) == CONNECTION_BAD) break;
    }
    return last;
}

PGresult* PgDatabase::run(const char* sql) {
    if (!m_conn) return nullptr;
    const Clock::time_point until = deadline();
    return PQsendQuery(m_conn, sql) == 1 ? lastResult(until) : nullptr;
}

PGresult* PgDatabase::prepare(const char* name, const char* sql, int count, const Oid* types) {
    const Clock::time_point until = deadline();
    return PQsendPrepare(m_conn, name, sql, count, types) == 1 ? lastResult(until) : nullptr;
}

// [SECTION] statements
PgStatement::PgStatement(PgDatabase& db, std::string_view sql) : m_db(db) {
    int count = 0;
    m_sql = numberPlaceholders(sql, count);
    m_params.resize(static_cast<size_t>(count));
}

PgStatement::~PgStatement() {
    PQclear(m_result);
    if (m_prepared && PQstatus(m_db.handle()) == CONNECTION_OK && PQtransactionStatus(m_db.handle()) != PQTRANS_INERROR) {
        m_db.noteRoundTrip();
        PQclear(m_db.run(("DEALLOCATE " + m_name).c_str()));
    }
}

PgStatement::Param& PgStatement::param(int index) {
    if (index < 1 || static_cast<size_t>(index) > m_params.size())
        throw DbError(DbError::Fault::Other, "08P01", "Cannot bind a value: no parameter " + std::to_string(index) + ".");
    return m_params[static_cast<size_t>(index - 1)];
}

Statement& PgStatement::bind(int index, int64_t value) {
    Param& p = param(index);
    p = {std::to_string(value), false, false, kInt8};
    return *this;
}
Statement& PgStatement::bind(int index, double value) {
    Param& p = param(index);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", value);
    p = {buf, false, false, kFloat8};
    return *this;
}
Statement& PgStatement::bind(int index, std::string_view value) {
    Param& p = param(index);
    p = {std::string(value), false, false, kText};
    return *this;
}
Statement& PgStatement::bindBlob(int index, const void* data, size_t size) {
    Param& p = param(index);
    p = {std::string(static_cast<const char*>(data), size), false, true, kBytea};
    return *this;
}
Statement& PgStatement::bindNull(int index) {
    param(index) = Param{};
    return *this;
}

// Prepared once, at the first run: the server infers each parameter's type from the SQL (a number bound to a TEXT
// column is stored as text, as SQLite does); where it cannot (`? IS NULL`), the types of the values bound now.
void PgStatement::prepareOnServer() {
    m_db.flushPending(); // the savepoint below must know whether the transaction has begun
    m_name = m_db.nextStatementName();
    std::vector<Oid> inferred(m_params.size(), 0), bound(m_params.size(), 0);
    for (size_t i = 0; i < m_params.size(); ++i) {
        inferred[i] = m_params[i].binary ? kBytea : 0;
        bound[i] = m_params[i].null ? kText : m_params[i].type;
    }
    const bool inTx = m_db.inTransaction();
    const auto exec = [&](const char* sql) {
        m_db.noteRoundTrip();
        return m_db.run(sql);
    };
    const auto prepare = [&](const char* name, const char* sql, int count, const Oid* types) {
        m_db.noteRoundTrip();
        return m_db.prepare(name, sql, count, types);
    };
    if (inTx) PQclear(exec("SAVEPOINT inloop_prepare")); // a failed PREPARE must not end the transaction
    Result first(prepare(m_name.c_str(), m_sql.c_str(), static_cast<int>(m_params.size()), inferred.data()));
    if (!ok(first.r)) {
        const char* state = PQresultErrorField(first.r, PG_DIAG_SQLSTATE);
        const bool typeUnknown = state && (std::strcmp(state, "42P18") == 0 || std::strcmp(state, "42725") == 0);
        if (inTx) PQclear(exec("ROLLBACK TO SAVEPOINT inloop_prepare; RELEASE SAVEPOINT inloop_prepare"));
        if (!typeUnknown) m_db.fail(first.r, "Cannot prepare a database statement");
        if (inTx) PQclear(exec("SAVEPOINT inloop_prepare"));
        Result second(prepare(m_name.c_str(), m_sql.c_str(), static_cast<int>(m_params.size()), bound.data()));
        if (!ok(second.r)) {
            if (inTx) PQclear(exec("ROLLBACK TO SAVEPOINT inloop_prepare; RELEASE SAVEPOINT inloop_prepare"));
            m_db.fail(second.r, "Cannot prepare a database statement");
        }
    }
    if (inTx) PQclear(exec("RELEASE SAVEPOINT inloop_prepare"));
    m_prepared = true;
}

bool PgStatement::step() {
    if (!m_result) {
        if (!m_prepared) prepareOnServer();
        std::vector<const char*> values(m_params.size());
        std::vector<int> lengths(m_params.size()), formats(m_params.size());
        for (size_t i = 0; i < m_params.size(); ++i) {
            values[i] = m_params[i].null ? nullptr : m_params[i].value.data();
            lengths[i] = static_cast<int>(m_params[i].value.size());
            formats[i] = m_params[i].binary ? 1 : 0;
        }
        m_result = m_db.runPrepared(m_name.c_str(), static_cast<int>(m_params.size()), values.data(),
                                    lengths.data(), formats.data());
        if (!ok(m_result)) {
            PGresult* failed = std::exchange(m_result, nullptr);
            Result hold(failed);
            m_db.fail(failed, "A database statement failed");
        }
        m_db.noteChanges(m_result);
        m_row = -1;
    }
    return ++m_row < PQntuples(m_result);
}

void PgStatement::reset() {
    PQclear(m_result);
    m_result = nullptr;
    m_row = -1;
    for (Param& p : m_params) p = Param{};
}

const char* PgStatement::cell(int col) const {
    if (!m_result || m_row < 0 || m_row >= PQntuples(m_result) || col < 0 || col >= PQnfields(m_result)) return nullptr;
    if (PQgetisnull(m_result, m_row, col)) return nullptr;
    return PQgetvalue(m_result, m_row, col);
}

bool PgStatement::isNull(int col) const { return cell(col) == nullptr; }

int64_t PgStatement::getInt(int col) const { return integerOf(cell(col)); }

double PgStatement::getDouble(int col) const {
    const char* v = cell(col);
    if (!v) return 0;
    if (v[0] == 't' && v[1] == '\0') return 1;
    return std::strtod(v, nullptr);
}

std::string PgStatement::getText(int col) const {
    const char* v = cell(col);
    return v ? std::string(v, static_cast<size_t>(PQgetlength(m_result, m_row, col))) : std::string();
}

std::string PgStatement::getBlob(int col) const {
    const char* v = cell(col);
    if (!v) return {};
    size_t n = 0;
    unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n);
    if (!bytes) return {};
    std::string out(reinterpret_cast<const char*>(bytes), n);
    PQfreemem(bytes);
    return out;
}

} // namespace inloop::core
