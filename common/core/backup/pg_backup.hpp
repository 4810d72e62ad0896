// Backup and restore of a PostgreSQL store (issue 20), in the sealed format of the data folder's off-site copies.
//
// The sealed file (sealed_backup.hpp, unchanged) holds the same kind of archive (sqlar) as a data folder's backup,
// with other members, which is how restore tells the two kinds apart (old backups stay readable as they were):
//   postgres.dump    `pg_dump --format=custom` of the schemas pub, desk and site, taken in one exported snapshot
//   postgres.txt     the manifest: format, database, schema versions and the row count of every table in that
//                    same snapshot (restore compares them), and where the key for visitor codes lives
//   client-code.key  the key for visitor codes of the machine that made the backup, when it has one: it never
//                    lives in the database (each desk machine keeps it in <data-dir>/desk/client-code.key), and
//                    without it the restored codes cannot be recognised. A data folder's backup holds it too.
// pg_dump and pg_restore run as child processes; the connection string reaches them only through their
// environment (PGHOST, PGPASSWORD, …), never their command line, which every user of the machine can read.
#pragma once

#include "core/backup/sealed_backup.hpp"
#include "core/store/store.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::core {

// A libpq connection string (keywords or a URL) as keywords, with `key` set to `value` ("" leaves it out).
// Throws Error(InvalidInput, "store.conninfo") for a string libpq does not understand.
std::string pgWithKeyword(const std::string& conninfo, const std::string& key, const std::string& value);
// One keyword's value in a connection string ("" when it has none).
std::string pgKeyword(const std::string& conninfo, const std::string& key);

struct ServerBackup {
    std::string database; // the database backed up
    int tables = 0;
    int64_t rows = 0;
    bool keyIncluded = false; // this machine's client-code.key went in
};
// Dumps the store's schemas (one consistent snapshot), checks the dump names every table, and seals it with the
// store's code key (if this machine has one) for `key` into `file`, which must not exist yet. Nothing is left
// behind on failure.
ServerBackup backupServer(const StoreLocation& location, const std::filesystem::path& file,
                          const backup::PublicKey& key);

struct ServerRestore {
    std::string database; // the live database's name, now holding the restored data
    std::string keptAs;   // the database it replaced, kept on the same server ("" when there was none)
    int64_t rows = 0;
    int64_t auditRows = 0;
    std::vector<std::string> notes; // about the key for visitor codes, the connections ended
};
// Opens `sealed` with the phrase, restores the dump into a new database on the same server, checks it (schema
// versions, the row count of every table against the backup's manifest, the audit chain), then switches it in by
// renaming: the live database becomes <db>_before_<time>, kept, and the new one takes its name. Other connections
// to the live database make it refuse, naming them, unless `disconnect` (then they are ended first). Any failure
// drops the new database and leaves the live one as it was.
ServerRestore restoreServer(const StoreLocation& location, const std::filesystem::path& sealed, std::string_view phrase,
                            bool disconnect);

// The databases restore kept (<db>_before_<YYYYMMDD_HHMMSS>, the live database's name first) hold the data as it was,
// purged personal details included: like a data folder's safety copies (kSafetyCopyDays), those older than that at
// `now` (unix seconds) are dropped by `inloopctl purge`. One in use, or that this role may not drop, is left.
// Returns the names dropped.
std::vector<std::string> pruneKeptDatabases(const StoreLocation& location, int64_t now);

} // namespace inloop::core
