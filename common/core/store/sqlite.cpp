// RAII SQLite layer (see sqlite.hpp).
#include "core/store/sqlite.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <map>
#include <thread>
#include <vector>
#include <memory>
#include <utility>

namespace inloop::core {

namespace {
constexpr int kBusyTimeoutMs = 10000;

// A failed write of the WAL, the -shm or a journal on a full disk comes as an I/O error with errno ENOSPC: it is
// the same "disk full" as SQLITE_FULL, for people and for callers (the code becomes SQLITE_FULL).
int withDiskFull(int rc, sqlite3* handle) {
    const int primary = rc & 0xff;
    if ((primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) && handle) {
        const int err = sqlite3_system_errno(handle);
        if (err == ENOSPC || err == EDQUOT) return SQLITE_FULL;
    }
    return rc;
}

std::string plainMessage(int rc, std::string_view what, const std::filesystem::path& file, const char* detail) {
    const std::string name = file.filename().string();
    switch (rc & 0xff) {
    case SQLITE_FULL: return "The disk is full; nothing was saved (" + name + ").";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return name + " is damaged or is not an Inloop data file.";
    case SQLITE_CANTOPEN: return "Cannot open " + file.string() + ".";
    case SQLITE_READONLY: return name + " is read-only; nothing was saved.";
    case SQLITE_PERM:
    case SQLITE_AUTH: return "No permission to use " + file.string() + ".";
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "The data is busy in another program; please try again.";
    case SQLITE_IOERR: return "The disk reported an error while using " + name + ".";
    default: break;
    }
    std::string msg(what);
    if (detail && *detail) msg += ": " + std::string(detail);
    return msg;
}
} // namespace

// [SECTION] turns for writers
// SQLite's busy handler sleeps longer and longer (up to 100 ms) while a writer that commits and begins again at
// once keeps winning the lock: a process can wait 10 s and fail with "busy". So a writer that has to wait says so
// (a shared flock on the folder of each file it wants to write; flock and SQLite's fcntl locks do not interact,
// and a folder's descriptor is not the database file's, so closing it drops none of SQLite's locks), polls every
// millisecond, and every writer starting a transaction first lets such a waiter go ahead (for at most 200 ms).
namespace {
class WriteTurns {
public:
    WriteTurns() = default;
    WriteTurns(const WriteTurns&) = delete;
    WriteTurns& operator=(const WriteTurns&) = delete;
    ~WriteTurns() {
        for (const auto& [folder, fd] : m_folders)
            if (fd >= 0) ::close(fd);
    }

    // Before BEGIN: let anyone waiting for these folders' files go first, then note where we may wait ourselves.
    void start(const std::vector<std::filesystem::path>& files) {
        m_waitingOn.clear();
        for (const auto& f : files)
            if (const int fd = folderFd(f); fd >= 0) m_waitingOn.push_back(fd);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kYieldMs);
        while (othersWaiting() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // After the locks were taken (or the attempt failed): no longer waiting.
    void done() noexcept {
        for (int fd : m_waitingOn) ::flock(fd, LOCK_UN);
        m_waitingOn.clear();
    }
    // SQLite's busy callback: say we wait, poll every millisecond, give up after the busy timeout.
    static int onBusy(void* self, int count) {
        auto* t = static_cast<WriteTurns*>(self);
        const auto now = std::chrono::steady_clock::now();
        if (count == 0) t->m_waitStart = now;
        for (int fd : t->m_waitingOn) ::flock(fd, LOCK_SH | LOCK_NB); // may fail while someone looks: next time
        if (now - t->m_waitStart >= std::chrono::milliseconds(kBusyTimeoutMs)) return 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return 1;
    }

private:
    static constexpr int kYieldMs = 200;

    bool othersWaiting() {
        bool waiting = false;
        for (int fd : m_waitingOn) {
            if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::flock(fd, LOCK_UN);
            else if (errno == EWOULDBLOCK) waiting = true;
        }
        return waiting;
    }
    int folderFd(const std::filesystem::path& file) {
        if (file.empty() || file == ":memory:") return -1;
        const std::string folder = std::filesystem::absolute(file).parent_path().string();
        auto it = m_folders.find(folder);
        if (it == m_folders.end())
            it = m_folders.emplace(folder, ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)).first;
        return it->second;
    }

    std::map<std::string, int> m_folders; // folder → an open descriptor, for flock (-1: cannot be opened)
    std::vector<int> m_waitingOn;
    std::chrono::steady_clock::time_point m_waitStart;
};
} // namespace

struct Database::Cache {
    std::map<std::string, std::unique_ptr<Statement>, std::less<>> statements;
    std::string lockMain; // a write that changes nothing and takes only main's write lock (Transaction::Writes::Main)
    WriteTurns turns;
};

Database::Database(const std::filesystem::path& file, Mode mode) : m_file(file) {
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    }
    int rc = sqlite3_open_v2(file.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        rc = withDiskFull(rc, m_db);
        const std::string detail = m_db ? sqlite3_errmsg(m_db) : "";
        closeAll();
        throw SqliteError(rc, plainMessage(rc, "Cannot open the data file", file, detail.c_str()));
    }
    sqlite3_extended_result_codes(m_db, 1);
    m_cache = new Cache;
    sqlite3_busy_handler(m_db, &WriteTurns::onBusy, &m_cache->turns); // kBusyTimeoutMs, polling every millisecond
}

Database::~Database() { closeAll(); }

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_file(std::move(other.m_file)),
      m_cache(std::exchange(other.m_cache, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        closeAll();
        m_db = std::exchange(other.m_db, nullptr);
        m_file = std::move(other.m_file);
        m_cache = std::exchange(other.m_cache, nullptr);
    }
    return *this;
}

void Database::closeAll() noexcept {
    delete m_cache; // finalizes every cached statement before the connection closes
    m_cache = nullptr;
    if (m_db) sqlite3_close_v2(m_db);
    m_db = nullptr;
}

void Database::fail(int rc, std::string_view what) const { fail(m_db, m_file, rc, what); }

void Database::fail(sqlite3* handle, const std::filesystem::path& file, int rc, std::string_view what) {
    rc = withDiskFull(rc, handle);
    throw SqliteError(rc, plainMessage(rc, what, file, handle ? sqlite3_errmsg(handle) : nullptr));
}

void Statement::fail(int rc, std::string_view what) const { Database::fail(m_handle, m_file, rc, what); }

void Database::exec(std::string_view sql) {
    char* err = nullptr;
    const std::string text(sql);
    int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        rc = withDiskFull(rc, m_db);
        std::string detail = err ? err : sqlite3_errmsg(m_db);
        sqlite3_free(err);
        throw SqliteError(rc, plainMessage(rc, "Database statement failed", m_file, detail.c_str()));
    }
}

int64_t Database::queryInt(std::string_view sql) {
    Statement st(*this, sql);
    return st.step() ? st.getInt(0) : 0;
}

std::string Database::queryText(std::string_view sql) {
    Statement st(*this, sql);
    return st.step() ? st.getText(0) : std::string();
}

Statement& Database::prepare(std::string_view sql) {
    auto it = m_cache->statements.find(sql);
    if (it == m_cache->statements.end())
        it = m_cache->statements.emplace(std::string(sql), std::make_unique<Statement>(*this, sql)).first;
    it->second->reset();
    return *it->second;
}

Statement::Statement(Database& db, std::string_view sql) : m_handle(db.handle()), m_file(db.file()) {
    const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, "Cannot prepare a database statement");
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

#define INLOOP_BIND_CHECK(expr)                                                                                    \
    do {                                                                                                           \
        const int rc_ = (expr);                                                                                    \
        if (rc_ != SQLITE_OK) fail(rc_, "Cannot bind a value");                                               \
    } while (0)

Statement& Statement::bind(int index, int64_t value) {
    INLOOP_BIND_CHECK(sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}
Statement& Statement::bind(int index, double value) {
    INLOOP_BIND_CHECK(sqlite3_bind_double(m_stmt, index, value));
    return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
    // An empty string_view may have no data pointer, which SQLite would store as NULL: "" is text.
    const char* data = value.data() ? value.data() : "";
    INLOOP_BIND_CHECK(sqlite3_bind_text(m_stmt, index, data, static_cast<int>(value.size()), SQLITE_TRANSIENT));
    return *this;
}
Statement& Statement::bindBlob(int index, const void* data, size_t size) {
    INLOOP_BIND_CHECK(sqlite3_bind_blob(m_stmt, index, data, static_cast<int>(size), SQLITE_TRANSIENT));
    return *this;
}
Statement& Statement::bindNull(int index) {
    INLOOP_BIND_CHECK(sqlite3_bind_null(m_stmt, index));
    return *this;
}
#undef INLOOP_BIND_CHECK

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(m_stmt);
    fail(rc, "A database statement failed");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::string Statement::getText(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
}

std::optional<int64_t> Statement::getOptInt(int col) const {
    if (isNull(col)) return std::nullopt;
    return getInt(col);
}

std::optional<std::string> Statement::getOptText(int col) const {
    if (isNull(col)) return std::nullopt;
    return getText(col);
}

std::string Statement::getBlob(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
}

Transaction::Transaction(Database& db, Writes writes) : m_db(db), m_nested(db.inTransaction()) {
    if (m_nested) {
        static std::atomic<unsigned> counter{0};
        m_savepoint = "sp" + std::to_string(++counter);
        m_db.exec("SAVEPOINT " + m_savepoint);
        return;
    }
    WriteTurns& turns = m_db.m_cache->turns;
    std::vector<std::filesystem::path> files{m_db.file()};
    if (writes == Writes::All) {
        Statement& attached = m_db.prepare("SELECT file FROM pragma_database_list WHERE name NOT IN ('main', 'temp')");
        while (attached.step()) files.emplace_back(attached.getText(0));
        attached.reset();
    }
    std::string lock; // Writes::Main: a write that changes nothing takes main's write lock alone
    if (writes == Writes::Main) {
        std::string& cached = m_db.m_cache->lockMain;
        if (cached.empty()) {
            const std::string table = m_db.queryText(
                "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name LIMIT 1");
            std::string quoted = "\"";
            for (char c : table) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
            if (!table.empty()) cached = "DELETE FROM main." + quoted + "\" WHERE 0";
        }
        lock = cached; // empty for a file without tables yet: BEGIN IMMEDIATE does the same there
    }
    turns.start(files);
    try {
        if (lock.empty()) {
            // Every attached file's write lock, main first (the same order everywhere: no two writers each hold
            // the lock the other waits for).
            m_db.exec("BEGIN IMMEDIATE");
        } else {
            // BEGIN IMMEDIATE would lock every attached file. The lock is taken before any read, so no stale
            // snapshot can refuse it, and the busy handler waits for it like for BEGIN IMMEDIATE.
            m_db.exec("BEGIN DEFERRED");
            try {
                m_db.prepare(lock).run();
            } catch (...) {
                sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
                throw;
            }
        }
    } catch (...) {
        turns.done();
        throw;
    }
    turns.done();
}

Transaction::~Transaction() {
    if (m_done) return;
    // Never throws: a failed rollback leaves SQLite to roll back when the connection closes.
    if (m_nested) {
        const std::string sql = "ROLLBACK TO " + m_savepoint + "; RELEASE " + m_savepoint;
        sqlite3_exec(m_db.handle(), sql.c_str(), nullptr, nullptr, nullptr);
    } else if (m_db.inTransaction()) {
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    m_db.exec(m_nested ? "RELEASE " + m_savepoint : std::string("COMMIT"));
    m_done = true;
}

ReadTransaction::ReadTransaction(Database& db) : m_db(db), m_owner(!db.inTransaction()) {
    if (!m_owner) return; // inside another transaction: its snapshot already holds
    m_db.exec("BEGIN DEFERRED");
    try {
        startSnapshots();
    } catch (...) {
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void ReadTransaction::startSnapshots() {
    // Touch every attached schema so all snapshots start now, together.
    Statement list(m_db, "SELECT name FROM pragma_database_list");
    std::vector<std::string> names;
    while (list.step()) names.push_back(list.getText(0));
    for (const auto& n : names) {
        if (n == "temp") continue;
        std::string quoted = "\"";
        for (char c : n) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
        m_db.queryInt("SELECT count(*) FROM " + quoted + "\".sqlite_schema");
    }
}

ReadTransaction::~ReadTransaction() {
    if (m_owner && m_db.inTransaction()) sqlite3_exec(m_db.handle(), "COMMIT", nullptr, nullptr, nullptr);
}

} // namespace inloop::core
