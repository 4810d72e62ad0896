// RAII SQLite layer behind database.hpp: connection, prepared statement, typed error. No domain knowledge.
#pragma once

#include "core/store/database.hpp"

#include <sqlite3.h>

#include <filesystem>

namespace inloop::core {

// An SQLite failure: the extended result code plus a plain sentence for people.
class SqliteError : public DbError {
public:
    SqliteError(int code, const std::string& message);
    int code() const noexcept { return m_code; }
    int primaryCode() const noexcept { return m_code & 0xff; }

private:
    int m_code;
};

class SqliteDatabase final : public Database {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };

    SqliteDatabase(const std::filesystem::path& file, Mode mode);
    ~SqliteDatabase() override;

    Engine engine() const override { return Engine::Sqlite; }
    void exec(std::string_view sql) override;
    std::unique_ptr<Statement> statement(std::string_view sql) override;
    int64_t lastInsertRowid() override { return sqlite3_last_insert_rowid(m_db); }
    int changes() const override { return sqlite3_changes(m_db); }
    bool inTransaction() const override { return sqlite3_get_autocommit(m_db) == 0; }
    std::string name() const override { return m_file.string(); }

    sqlite3* handle() const { return m_db; }
    const std::filesystem::path& file() const { return m_file; }

    [[noreturn]] void fail(int rc, std::string_view what) const;
    [[noreturn]] static void fail(sqlite3* handle, const std::filesystem::path& file, int rc, std::string_view what);

protected:
    void beginWrite(Writes writes) override;
    void beginRead() override;
    void endQuietly(bool commit) noexcept override;

private:
    sqlite3* m_db = nullptr;
    std::filesystem::path m_file;
    struct Turns;
    std::unique_ptr<Turns> m_turns;
    std::string m_lockMain; // a write that changes nothing and takes only main's write lock (Writes::Main)
};

// A statement on an SQLite connection (a SqliteDatabase's statement() makes them).
class SqliteStatement final : public Statement {
public:
    SqliteStatement(SqliteDatabase& db, std::string_view sql);
    ~SqliteStatement() override;

    using Statement::bind;
    Statement& bind(int index, int64_t value) override;
    Statement& bind(int index, double value) override;
    Statement& bind(int index, std::string_view value) override;
    Statement& bindBlob(int index, const void* data, size_t size) override;
    Statement& bindNull(int index) override;
    bool step() override;
    void reset() override;
    bool isNull(int col) const override { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    int64_t getInt(int col) const override { return sqlite3_column_int64(m_stmt, col); }
    double getDouble(int col) const override { return sqlite3_column_double(m_stmt, col); }
    std::string getText(int col) const override;
    std::string getBlob(int col) const override;

private:
    [[noreturn]] void fail(int rc, std::string_view what) const;
    sqlite3* m_handle;
    std::filesystem::path m_file;
    sqlite3_stmt* m_stmt = nullptr;
};

} // namespace inloop::core
