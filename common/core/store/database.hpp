// The store's connection, statement and transaction, whichever engine is behind them: SQLite (sqlite.hpp, the
// appliance's data folder) or PostgreSQL (postgres.hpp, a site with several machines). The domain code, the views,
// the reports and inloopctl speak only this. One SQL text serves both engines: placeholders are written `?` (or
// `?N`) and the PostgreSQL layer numbers them; where the engines' SQL differs, the difference is in dialect.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace inloop::core {

enum class Engine { Sqlite, Postgres };

// A failure of either engine: what kind of failure it is, the engine's own code ("SQLITE_BUSY" as its number,
// PostgreSQL's SQLSTATE), and a plain sentence for people.
class DbError : public std::runtime_error {
public:
    enum class Fault {
        Other,
        Constraint,     // a UNIQUE, CHECK, NOT NULL or foreign key refused the write
        Busy,           // another writer holds the lock past the timeout
        Corrupt,        // the file is damaged or not ours
        Full,           // the disk is full
        ReadOnly,       // the file or the server is read-only
        Permission,     // this account or database role may not do it
        Serialization,  // PostgreSQL: a concurrent transaction won; the whole transaction may be run again
        ConnectionLost, // PostgreSQL: the link to the server dropped; nothing of the open transaction was committed
        CommitUnknown,  // PostgreSQL: the link dropped while COMMIT was on its way: the change may have been saved
        CannotOpen,     // the file or the server cannot be reached
    };
    DbError(Fault fault, std::string engineCode, const std::string& message)
        : std::runtime_error(message), m_fault(fault), m_engineCode(std::move(engineCode)) {}
    Fault fault() const noexcept { return m_fault; }
    const std::string& engineCode() const noexcept { return m_engineCode; }
    bool isConstraint() const noexcept { return m_fault == Fault::Constraint; }
    bool isBusy() const noexcept { return m_fault == Fault::Busy; }
    bool isCorrupt() const noexcept { return m_fault == Fault::Corrupt; }
    bool isFull() const noexcept { return m_fault == Fault::Full; }
    // The link dropped (whether or not the change was saved: outcomeUnknown()).
    bool isConnectionLost() const noexcept { return m_fault == Fault::ConnectionLost || m_fault == Fault::CommitUnknown; }
    bool outcomeUnknown() const noexcept { return m_fault == Fault::CommitUnknown; }

private:
    Fault m_fault;
    std::string m_engineCode;
};

// A prepared statement; prepared once per connection and reused (bind, step, reset). Columns and parameters count
// as in SQLite: parameters from 1, columns from 0.
class Statement {
public:
    virtual ~Statement() = default;
    Statement() = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    virtual Statement& bind(int index, int64_t value) = 0;
    virtual Statement& bind(int index, double value) = 0;
    virtual Statement& bind(int index, std::string_view value) = 0;
    virtual Statement& bindBlob(int index, const void* data, size_t size) = 0;
    virtual Statement& bindNull(int index) = 0;
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
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
    virtual bool step() = 0;
    // Runs a statement that returns no rows (or ignores them) and resets it.
    void run() {
        while (step()) {
        }
        reset();
    }
    // Ready to run again; bindings cleared.
    virtual void reset() = 0;

    virtual bool isNull(int col) const = 0;
    // An integer column; a boolean (PostgreSQL's `a = b`) reads as 0 or 1.
    virtual int64_t getInt(int col) const = 0;
    virtual double getDouble(int col) const = 0;
    virtual std::string getText(int col) const = 0;
    virtual std::string getBlob(int col) const = 0;
    std::optional<int64_t> getOptInt(int col) const {
        if (isNull(col)) return std::nullopt;
        return getInt(col);
    }
    std::optional<std::string> getOptText(int col) const {
        if (isNull(col)) return std::nullopt;
        return getText(col);
    }
};

class Transaction;
class ReadTransaction;

// One connection. Statements from prepare() are cached per connection and live as long as it.
class Database {
public:
    virtual ~Database() = default;
    Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    virtual Engine engine() const = 0;
    // Runs one or more statements without parameters (schema, settings). Never for user values.
    virtual void exec(std::string_view sql) = 0;
    // Runs a query that returns a single value in its first column (counts, settings); 0 or "" without a row.
    virtual int64_t queryInt(std::string_view sql);
    virtual std::string queryText(std::string_view sql);

    // The connection's cached statement for this SQL, reset and with its bindings cleared.
    Statement& prepare(std::string_view sql);
    // A statement of its own, not cached: for SQL built at run time.
    virtual std::unique_ptr<Statement> statement(std::string_view sql) = 0;

    // The id the last INSERT on this connection gave its row.
    virtual int64_t lastInsertRowid() = 0;
    // Rows the last INSERT, UPDATE or DELETE changed.
    virtual int changes() const = 0;
    virtual bool inTransaction() const = 0;
    // A name for messages: the file, or the server and database.
    virtual std::string name() const = 0;
    // PostgreSQL: the link to the server broke; this connection is of no more use (open a new one).
    virtual bool lost() const { return false; }

protected:
    friend class Transaction;
    friend class ReadTransaction;
    enum class Writes { All, Main };
    // Starts the outermost write transaction, holding the write locks of what it will write (see Transaction).
    virtual void beginWrite(Writes writes) = 0;
    virtual void beginRead() = 0;
    // Ends a transaction without throwing (a failure leaves the engine to roll back when the connection closes).
    virtual void endQuietly(bool commit) noexcept = 0;
    // Drops every cached statement: a derived class calls this before it closes its connection.
    void dropStatements() noexcept { m_statements.clear(); }

private:
    std::map<std::string, std::unique_ptr<Statement>, std::less<>> m_statements;
};

// A write transaction. At the outermost level it takes the write locks of what it will write before anything is
// read (SQLite: BEGIN IMMEDIATE; PostgreSQL: the same locks as advisory transaction locks, so writers to the same
// part queue as they do on SQLite and a capacity checked inside cannot be overtaken); a SAVEPOINT when nested.
// Rolls back in its destructor unless committed; never throws there.
class Transaction {
public:
    enum class Writes {
        All,  // every part's write lock (the desk writing public data too)
        Main, // only the connection's own part: desk-only work does not hold up the kiosk
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

// A read transaction: one consistent snapshot across both parts until destroyed. Nested inside another transaction
// it does nothing (the outer one's snapshot holds).
class ReadTransaction {
public:
    explicit ReadTransaction(Database& db);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;

private:
    Database& m_db;
    bool m_owner; // false when nested in another transaction
};

} // namespace inloop::core
