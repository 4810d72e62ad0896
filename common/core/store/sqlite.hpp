// RAII SQLite layer: connection, prepared statement, transaction, typed error. No ImGui, no domain knowledge.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace inloop::core {

// An SQLite failure: the extended result code plus a plain sentence for people.
class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    int code() const noexcept { return m_code; }
    int primaryCode() const noexcept { return m_code & 0xff; }
    bool isConstraint() const noexcept { return primaryCode() == SQLITE_CONSTRAINT; }
    bool isBusy() const noexcept { return primaryCode() == SQLITE_BUSY || primaryCode() == SQLITE_LOCKED; }
    bool isCorrupt() const noexcept { return primaryCode() == SQLITE_CORRUPT || primaryCode() == SQLITE_NOTADB; }

private:
    int m_code;
};

class Statement;

class Database {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };

    Database(const std::filesystem::path& file, Mode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;

    // Runs one or more statements without parameters (schema, pragmas). Never for user values.
    void exec(std::string_view sql);
    // Runs a query that returns a single value in its first column (pragmas, counts).
    int64_t queryInt(std::string_view sql);
    std::string queryText(std::string_view sql);

    // The connection's cached statement for this SQL, reset and with its bindings cleared.
    Statement& prepare(std::string_view sql);

    int64_t lastInsertRowid() const { return sqlite3_last_insert_rowid(m_db); }
    int changes() const { return sqlite3_changes(m_db); }
    bool inTransaction() const { return sqlite3_get_autocommit(m_db) == 0; }
    sqlite3* handle() const { return m_db; }
    const std::filesystem::path& file() const { return m_file; }

    [[noreturn]] void fail(int rc, std::string_view what) const;
    [[noreturn]] static void fail(sqlite3* handle, const std::filesystem::path& file, int rc, std::string_view what);

private:
    friend class Transaction;
    void closeAll() noexcept;

    sqlite3* m_db = nullptr;
    std::filesystem::path m_file;
    struct Cache;
    Cache* m_cache = nullptr;
};

// A prepared statement; prepared once per connection and reused (bind, step, reset).
class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bindBlob(int index, const void* data, size_t size);
    Statement& bindNull(int index);
    template <typename T> Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }
    // Binds all values from index 1 on, in order.
    template <typename... Ts> Statement& bindAll(const Ts&... values) {
        int i = 0;
        (bind(++i, values), ...);
        return *this;
    }

    // Advances; true while a row is available.
    bool step();
    // Runs a statement that returns no rows (or ignores them) and resets it.
    void run();
    void reset();

    bool isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    int64_t getInt(int col) const { return sqlite3_column_int64(m_stmt, col); }
    double getDouble(int col) const { return sqlite3_column_double(m_stmt, col); }
    std::string getText(int col) const;
    std::optional<int64_t> getOptInt(int col) const;
    std::optional<std::string> getOptText(int col) const;
    std::string getBlob(int col) const;

private:
    [[noreturn]] void fail(int rc, std::string_view what) const;
    sqlite3* m_handle; // not the Database: a Database may move, its handle never does
    std::filesystem::path m_file;
    sqlite3_stmt* m_stmt = nullptr;
};

// A write transaction: at the outermost level it takes the write lock of the files it will write before
// anything is read, a SAVEPOINT when nested. Rolls back in its destructor unless committed; never throws there.
class Transaction {
public:
    enum class Writes {
        All,  // BEGIN IMMEDIATE: every attached file's write lock (the desk writing public.db too)
        Main, // only the main file's write lock: desk-only work does not hold up the kiosk on public.db
    };
    explicit Transaction(Database& db, Writes writes = Writes::All);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_nested;
    bool m_done = false;
    std::string m_savepoint;
};

// A read transaction: one consistent snapshot across every attached file until destroyed. Nested inside another
// transaction it does nothing (the outer one's snapshot holds).
class ReadTransaction {
public:
    explicit ReadTransaction(Database& db);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;

private:
    void startSnapshots();
    Database& m_db;
    bool m_owner; // false when nested in another transaction
};

} // namespace inloop::core
