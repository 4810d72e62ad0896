// What both engines share (see database.hpp): the statement cache and the transactions.
#include "core/store/database.hpp"

#include <atomic>

namespace inloop::core {

int64_t Database::queryInt(std::string_view sql) {
    auto st = statement(sql);
    return st->step() ? st->getInt(0) : 0;
}

std::string Database::queryText(std::string_view sql) {
    auto st = statement(sql);
    return st->step() ? st->getText(0) : std::string();
}

Statement& Database::prepare(std::string_view sql) {
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) it = m_statements.emplace(std::string(sql), statement(sql)).first;
    it->second->reset();
    return *it->second;
}

Transaction::Transaction(Database& db, Writes writes) : m_db(db), m_nested(db.inTransaction()) {
    if (m_nested) {
        static std::atomic<unsigned> counter{0};
        m_savepoint = "sp" + std::to_string(++counter);
        m_db.exec("SAVEPOINT " + m_savepoint);
        return;
    }
    m_db.beginWrite(writes == Writes::All ? Database::Writes::All : Database::Writes::Main);
}

Transaction::~Transaction() {
    if (m_done) return;
    if (m_nested) {
        try {
            m_db.exec("ROLLBACK TO " + m_savepoint + "; RELEASE " + m_savepoint);
        } catch (...) { // never throws: the outer transaction rolls back what is left
        }
    } else if (m_db.inTransaction()) {
        m_db.endQuietly(false);
    }
}

void Transaction::commit() {
    m_db.exec(m_nested ? "RELEASE " + m_savepoint : std::string("COMMIT"));
    m_done = true;
}

ReadTransaction::ReadTransaction(Database& db) : m_db(db), m_owner(!db.inTransaction()) {
    if (m_owner) m_db.beginRead(); // inside another transaction its snapshot already holds
}

ReadTransaction::~ReadTransaction() {
    if (m_owner && m_db.inTransaction()) m_db.endQuietly(true);
}

} // namespace inloop::core
