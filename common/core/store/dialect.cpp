// The engines' differences (see dialect.hpp).
#include "core/store/dialect.hpp"

#include <string>

namespace inloop::core {

int64_t dataVersion(Database& db, std::string_view schema) {
    if (db.engine() == Engine::Postgres) { // the parts' counters (schema_pg.cpp, pub migration 3)
        if (schema.empty()) return db.queryInt("SELECT sum(n) FROM pub.data_version");
        return db.queryInt(schema == "desk" ? "SELECT n FROM pub.data_version WHERE part = 'desk'"
                                            : "SELECT n FROM pub.data_version WHERE part = 'pub'");
    }
    // data_version moves only for other connections' commits; total_changes() counts this connection's own
    // writes. Both only grow, so their sum changes whenever either does.
    return db.queryInt("PRAGMA " + std::string(schema) + ".data_version") + db.queryInt("SELECT total_changes()");
}

void flushLog(Database& db, std::string_view schema) {
    if (db.engine() != Engine::Sqlite || db.inTransaction()) return;
    db.exec("PRAGMA " + std::string(schema) + ".wal_checkpoint(TRUNCATE)");
}

} // namespace inloop::core
