// The engines' differences (see dialect.hpp).
#include "core/store/dialect.hpp"

#include <string>

namespace inloop::core {

int64_t dataVersion(Database& db, std::string_view schema) {
    if (db.engine() == Engine::Postgres) // the server's WAL position: it moves with every commit, ours included
        return db.queryInt("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn");
    // data_version moves only for other connections' commits; total_changes() counts this connection's own
    // writes. Both only grow, so their sum changes whenever either does.
    return db.queryInt("PRAGMA " + std::string(schema) + ".data_version") + db.queryInt("SELECT total_changes()");
}

void flushLog(Database& db, std::string_view schema) {
    if (db.engine() != Engine::Sqlite || db.inTransaction()) return;
    db.exec("PRAGMA " + std::string(schema) + ".wal_checkpoint(TRUNCATE)");
}

} // namespace inloop::core
