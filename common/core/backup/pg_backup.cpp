// Backup and restore of a PostgreSQL store (see pg_backup.hpp).
//
// [SECTION] connection strings and SQL
// [SECTION] child processes
// [SECTION] manifest
// [SECTION] backup
// [SECTION] restore
#include "core/backup/pg_backup.hpp"

#include "core/backup/maintenance.hpp"
#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/base/run_tool.hpp"
#include "core/base/temp_dir.hpp"
#include "core/store/audit_chain.hpp"
#include "core/store/postgres.hpp"
#include "core/store/schema_pg.hpp"
#include "core/store/sqlite.hpp"

#include <libpq-fe.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>


namespace inloop::core {

namespace {

constexpr const char* kDumpMember = "postgres.dump";
constexpr const char* kManifestMember = "postgres.txt";
constexpr const char* kKeyMember = "client-code.key";
constexpr const char* kManifestFormat = "inloop-postgres-backup 1";

// [SECTION] connection strings and SQL
Error badConninfo(const std::string& why) {
    return Error(ErrorKind::InvalidInput, "store.conninfo",
                 "The store's location is not a PostgreSQL connection string libpq understands: " + why);
}

// The keywords of a connection string (free with PQconninfoFree); throws for one libpq does not understand.
PQconninfoOption* parseConninfo(const std::string& conninfo) {
    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
    if (!options) {
        const std::string why = err ? err : "out of memory";
        PQfreemem(err);
        throw badConninfo(why);
    }
    return options;
}

using Rows = std::vector<std::vector<std::string>>;

// Every row of a query on a bare connection (NULL as "").
Rows query(PgDatabase& db, const std::string& sql) {
    db.flushPending();
    const std::unique_ptr<PGresult, void (*)(PGresult*)> r(db.run(sql.c_str()), PQclear);
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK && PQresultStatus(r.get()) != PGRES_COMMAND_OK)
        db.fail(r.get(), "A query for the backup failed");
    Rows out;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
        out.emplace_back();
        for (int c = 0; c < PQnfields(r.get()); ++c) out.back().emplace_back(PQgetvalue(r.get(), i, c));
    }
    return out;
}

std::string ident(std::string_view name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string literal(std::string_view text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string timeStamp() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d_%H%M%S", &tm);
    return buf;
}

// [SECTION] child processes
std::string readWhole(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The environment libpq reads for this connection string: each keyword it gives as its variable (PGHOST,
// PGPASSWORD, …), over the variables this process has.
std::map<std::string, std::string> connectionEnvironment(const std::string& conninfo) {
    std::map<std::string, std::string> env = currentEnvironment();
    env["PGSSLMODE"] = "verify-full"; // as every connection of ours (connectPg), unless the location says
    PQconninfoOption* options = parseConninfo(conninfo);
    for (const PQconninfoOption* o = options; o->keyword; ++o)
        if (o->val && *o->val && o->envvar) env[o->envvar] = o->val;
    PQconninfoFree(options);
    env["PGAPPNAME"] = "inloopctl";
    if (!env.count("PGCONNECT_TIMEOUT")) env["PGCONNECT_TIMEOUT"] = "10";
    return env;
}

// pg_dump and pg_restore of PostgreSQL 15 (Debian's postgresql-client-15), or $INLOOP_PG_BIN's.
std::string pgTool(const char* name) {
    const char* dir = std::getenv("INLOOP_PG_BIN");
    const fs::path path = fs::path(dir && *dir ? dir : "/usr/lib/postgresql/15/bin") / name;
    if (::access(path.c_str(), X_OK) != 0)
        throw Error(ErrorKind::Storage, "backup.no_tool",
                    path.string() + " is missing: install postgresql-client-15 (scripts/setup).");
    return path.string();
}

// [SECTION] manifest
struct Manifest {
    std::string database;
    int pubVersion = 0, deskVersion = 0;
    std::vector<std::pair<std::string, int64_t>> tables; // "schema.table", rows
};

std::string writeManifest(const Manifest& m, const fs::path& keyPath, bool keyIncluded) {
    std::string out = std::string(kManifestFormat) + "\n";
    out += "# A backup of the Inloop store in the PostgreSQL database " + m.database +
           ": postgres.dump is pg_dump --format=custom of its schemas pub, desk and site.\n";
    out += "# The key for visitor codes is never in the database: each desk machine keeps it in "
           "<data-dir>/desk/client-code.key";
    out += keyIncluded ? " (client-code.key here is the one of " + keyPath.string() + ").\n"
                       : "; the machine that made this backup had none at " + keyPath.string() + ", so it is not here.\n";
    out += "database " + m.database + "\n";
    out += "pub " + std::to_string(m.pubVersion) + "\n";
    out += "desk " + std::to_string(m.deskVersion) + "\n";
    for (const auto& [table, rows] : m.tables) out += "rows " + table + " " + std::to_string(rows) + "\n";
    return out;
}

Manifest readManifest(const std::string& text) {
    Manifest m;
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line != kManifestFormat)
        throw Error(ErrorKind::Storage, "backup.damaged",
                    "The backup was made by a newer Inloop or is damaged; nothing was restored.");
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string what;
        words >> what;
        if (what == "database") words >> m.database;
        else if (what == "pub") words >> m.pubVersion;
        else if (what == "desk") words >> m.deskVersion;
        else if (what == "rows") {
            std::string table;
            int64_t n = -1;
            words >> table >> n;
            m.tables.emplace_back(table, n);
        }
    }
    return m;
}

// The Inloop tables (every ordinary table of pub, desk and site), "schema.table", sorted.
std::vector<std::string> inloopTables(PgDatabase& db) {
    std::vector<std::string> out;
    for (const auto& row : query(db, "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n "
                                     "ON n.oid = c.relnamespace WHERE n.nspname IN ('pub', 'desk', 'site') "
                                     "AND c.relkind IN ('r', 'p') ORDER BY 1"))
        out.push_back(row[0]);
    return out;
}

std::vector<std::pair<std::string, int64_t>> rowCounts(PgDatabase& db, const std::vector<std::string>& tables) {
    std::vector<std::pair<std::string, int64_t>> out;
    if (tables.empty()) return out;
    std::string sql;
    for (const std::string& t : tables) {
        const auto dot = t.find('.');
        if (!sql.empty()) sql += " UNION ALL ";
        sql += "SELECT " + literal(t) + ", count(*) FROM " + ident(t.substr(0, dot)) + "." + ident(t.substr(dot + 1));
    }
    for (const auto& row : query(db, sql + " ORDER BY 1")) out.emplace_back(row[0], std::stoll(row[1]));
    return out;
}

// `pg_restore --list` of the dump reads it through and names every table's data: a dump cut short, damaged or
// without one of the tables is refused.
void verifyDump(const fs::path& dump, const std::vector<std::pair<std::string, int64_t>>& tables,
                const fs::path& scratch, const std::map<std::string, std::string>& env) {
    const fs::path list = scratch / "dump.list";
    runTool(pgTool("pg_restore"), {"--list", dump.string()}, env, scratch, list, "backup.dump_unreadable",
            "The dump cannot be read back");
    const std::string text = readWhole(list);
    for (const auto& [table, rows] : tables) {
        const auto dot = table.find('.');
        const std::string entry = " TABLE DATA " + table.substr(0, dot) + " " + table.substr(dot + 1) + " ";
        if (text.find(entry) == std::string::npos)
            throw Error(ErrorKind::Storage, "backup.dump_incomplete",
                        "The dump does not hold the table " + table + "; nothing was written.");
    }
}

std::string noteOf(const std::exception& e) { return e.what(); }

} // namespace

std::string pgWithKeyword(const std::string& conninfo, const std::string& key, const std::string& value) {
    PQconninfoOption* options = parseConninfo(conninfo);
    std::string out;
    bool set = false;
    for (const PQconninfoOption* o = options; o->keyword; ++o) {
        std::string v = o->val ? o->val : "";
        if (o->keyword == key) {
            v = value;
            set = true;
        }
        if (v.empty()) continue;
        std::string quoted;
        for (char c : v) {
            if (c == '\'' || c == '\\') quoted += '\\';
            quoted += c;
        }
        if (!out.empty()) out += ' ';
        out.append(o->keyword).append("='").append(quoted).append("'");
    }
    PQconninfoFree(options);
    if (!set && !value.empty()) out.append(" ").append(key).append("='").append(value).append("'");
    return out;
}

std::string pgKeyword(const std::string& conninfo, const std::string& key) {
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr);
    std::string out;
    for (const PQconninfoOption* o = options; o && o->keyword; ++o)
        if (o->keyword == key && o->val) out = o->val;
    PQconninfoFree(options);
    return out;
}

bool isServerArchive(const std::vector<std::pair<std::string, std::string>>& members) {
    for (const auto& [name, bytes] : members)
        if (name == kDumpMember) return true;
    return false;
}

// [SECTION] backup
ServerBackup backupServer(const StoreLocation& location, const fs::path& file, const backup::PublicKey& key) {
    if (file.empty() || file.filename().empty())
        throw Error(ErrorKind::InvalidInput, "backup.name", "Give the backup a file name.");
    if (fs::exists(file))
        throw Error(ErrorKind::Conflict, "backup.exists", file.string() + " exists already; choose another name.");
    const TempDir scratch("inloop-pg");
    const auto env = connectionEnvironment(location.server);
    const fs::path dump = scratch.path() / "postgres.dump";

    Manifest manifest;
    {
        // One snapshot for the dump and the counts: pg_dump --snapshot takes the one this transaction exports, so
        // the manifest counts exactly the rows the dump holds while the apps keep writing.
        PgDatabase snap(location.server, "pg_catalog");
        snap.script("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        const std::string snapshot = snap.script("SELECT pg_export_snapshot()");
        manifest.database = snap.script("SELECT current_database()");
        const PgRun run = [&snap](std::string_view sql) { return snap.script(sql); };
        manifest.pubVersion = pgVersion(run, StoreFile::Public);
        manifest.deskVersion = manifest.pubVersion ? pgVersion(run, StoreFile::Desk) : 0;
        if (manifest.pubVersion == 0 || manifest.deskVersion == 0)
            throw Error(ErrorKind::Storage, "store.uninitialised",
                        "The database " + manifest.database + " holds no Inloop store (run `inloopctl init`); nothing was written.");
        manifest.tables = rowCounts(snap, inloopTables(snap));
        runTool(pgTool("pg_dump"),
                {"--format=custom", "--no-password", "--snapshot=" + snapshot, "--schema=pub", "--schema=desk",
                 "--schema=site", "--file=" + dump.string()},
                env, scratch.path(), {}, "backup.dump_failed", "pg_dump could not dump " + manifest.database);
        snap.script("COMMIT");
    }
    verifyDump(dump, manifest.tables, scratch.path(), env);

    const fs::path keyPath = StorePaths(location.dataDir).codeKey();
    std::error_code ec;
    const bool keyIncluded = fs::is_regular_file(keyPath, ec);
    const std::string dumpBytes = readWhole(dump), manifestText = writeManifest(manifest, keyPath, keyIncluded);
    const std::string keyBytes = keyIncluded ? readWhole(keyPath) : std::string();
    std::vector<std::pair<std::string, const std::string*>> members{{kDumpMember, &dumpBytes},
                                                                    {kManifestMember, &manifestText}};
    if (keyIncluded) members.emplace_back(kKeyMember, &keyBytes);
    const fs::path archive = scratch.path() / "backup.sqlar";
    writeArchive(archive, members);
    backup::sealFile(archive, file, key);

    ServerBackup out{manifest.database, static_cast<int>(manifest.tables.size()), 0, keyIncluded};
    for (const auto& [table, rows] : manifest.tables) out.rows += rows;
    return out;
}

// [SECTION] restore
namespace {

// The connections to `database` other than ours, one phrase each: "inloop as inloop_desk from 10.0.0.5".
std::vector<std::string> otherSessions(PgDatabase& admin, const std::string& database) {
    std::vector<std::string> out;
    for (const auto& row : query(admin, "SELECT coalesce(nullif(application_name, ''), 'a program'), usename, "
                                        "coalesce(client_hostname, host(client_addr), 'this server''s own machine') "
                                        "FROM pg_stat_activity WHERE datname = " + literal(database) +
                                            " AND pid <> pg_backend_pid() AND backend_type = 'client backend' ORDER BY 3, 1"))
        out.push_back(row[0] + " as " + row[1] + " from " + row[2]);
    return out;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
    return out;
}

// The new database, dropped again unless the restore switched it in.
class NewDatabase {
public:
    NewDatabase(PgDatabase& admin, std::string name) : m_admin(admin), m_name(std::move(name)) {}
    ~NewDatabase() {
        if (m_name.empty()) return;
        try {
            m_admin.script("DROP DATABASE IF EXISTS " + ident(m_name) + " WITH (FORCE)");
        } catch (const std::exception&) {
            // the server went away: nothing more can be done from here
        }
    }
    NewDatabase(const NewDatabase&) = delete;
    NewDatabase& operator=(const NewDatabase&) = delete;
    void release() { m_name.clear(); }

private:
    PgDatabase& m_admin;
    std::string m_name;
};

// Puts the backup's key for visitor codes on this machine when it has none; a different key is never overwritten.
void placeKey(const fs::path& keyPath, const std::string& key, ServerRestore& out) {
    std::error_code ec;
    if (key.empty()) {
        out.notes.push_back("The backup holds no key for visitor codes: each desk machine keeps its own in "
                            "<data-dir>/desk/client-code.key.");
        return;
    }
    if (fs::exists(keyPath, ec)) {
        if (readWhole(keyPath) == key) return;
        const fs::path aside = keyPath.string() + ".from-backup-" + timeStamp();
        const int fd = ::open(aside.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            const bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
            ::fsync(fd);
            ::close(fd);
            if (ok) {
                out.notes.push_back("The backup's key for visitor codes differs from " + keyPath.string() +
                                    ", which was left as it was; the backup's is in " + aside.string() +
                                    ": put it in place on every desk machine if visitors' codes are not recognised.");
                return;
            }
        }
        out.notes.push_back("The backup's key for visitor codes differs from " + keyPath.string() +
                            " and could not be written beside it.");
        return;
    }
    fs::create_directories(keyPath.parent_path(), ec);
    const int fd = ::open(keyPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    const bool ok = fd >= 0 && ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    out.notes.push_back(ok ? "The backup's key for visitor codes was put in " + keyPath.string() +
                                 "; every other desk machine needs the same file."
                           : "The backup's key for visitor codes could not be written to " + keyPath.string() + ".");
}

} // namespace

ServerRestore restoreServer(const StoreLocation& location, const fs::path& sealed, std::string_view phrase,
                            bool disconnect) {
    if (!fs::is_regular_file(sealed))
        throw Error(ErrorKind::NotFound, "backup.missing", "There is no backup file at " + sealed.string() + ".");
    const TempDir scratch("inloop-pg");
    const fs::path opened = scratch.path() / "opened.sqlar", dump = scratch.path() / "postgres.dump";
    backup::openFile(sealed, opened, phrase); // a wrong phrase or a damaged file stops here, before the server

    std::string dumpBytes, manifestText, keyBytes;
    try {
        const auto members = readArchive(opened);
        if (!isServerArchive(members))
            throw Error(ErrorKind::InvalidInput, "backup.sqlite",
                        sealed.string() + " is a backup of a data folder, not of a PostgreSQL store: restore it with "
                                          "--data-dir; nothing was changed.");
        for (auto& [name, bytes] : members) {
            if (name == kDumpMember) dumpBytes = bytes;
            else if (name == kManifestMember) manifestText = bytes;
            else if (name == kKeyMember) keyBytes = bytes;
        }
    } catch (const SqliteError&) {
        throw Error(ErrorKind::Storage, "backup.invalid", sealed.string() + " is not an Inloop backup, or it is damaged.");
    }
    const Manifest manifest = readManifest(manifestText);
    {
        std::ofstream out(dump, std::ios::binary);
        out.write(dumpBytes.data(), static_cast<std::streamsize>(dumpBytes.size()));
        if (!out.flush())
            throw Error(ErrorKind::Storage, "disk.full", "There is no room to unpack the backup; nothing was changed.");
    }
    dumpBytes.clear();
    const auto env = connectionEnvironment(location.server);
    verifyDump(dump, manifest.tables, scratch.path(), env);
    if (manifest.pubVersion > pgLatestVersion(StoreFile::Public) || manifest.deskVersion > pgLatestVersion(StoreFile::Desk))
        throw Error(ErrorKind::Storage, "store.too_new",
                    sealed.string() + " was made by a newer Inloop; update this one first. Nothing was changed.");

    // The live database's name: the one the location connects to.
    std::string live = pgKeyword(location.server, "dbname");
    try {
        PgDatabase db(location.server, "pg_catalog");
        live = PQdb(db.handle());
    } catch (const DbError&) {
        // gone or unreachable under its name: the restore makes it anew (the admin connection says if unreachable)
    }
    if (live.empty()) throw badConninfo("it names no database (dbname=…)");
    const std::string adminDb = live == "postgres" ? "template1" : "postgres";
    PgDatabase admin(pgWithKeyword(location.server, "dbname", adminDb), "pg_catalog");
    const Rows liveRow =
        query(admin, "SELECT pg_get_userbyid(datdba), datcollate, datctype FROM pg_database WHERE datname = " + literal(live));
    const auto named = [&](const std::string& suffix) { return live.substr(0, 63 - suffix.size()) + suffix; };
    // A restore in the same second as the one before would meet its names: wait for the next second, so that the
    // names keep their form <db>_before_<time> (purge reads the time from it).
    std::string stamp = timeStamp();
    while (!query(admin, "SELECT 1 FROM pg_database WHERE datname IN (" + literal(named("_restore_" + stamp)) + ", " +
                             literal(named("_before_" + stamp)) + ")")
                .empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        stamp = timeStamp();
    }
    const std::string fresh = named("_restore_" + stamp), before = named("_before_" + stamp);

    admin.script("CREATE DATABASE " + ident(fresh) + " TEMPLATE template0 ENCODING 'UTF8' " +
                 (liveRow.empty() ? std::string("LOCALE 'C'")
                                  : "LC_COLLATE " + literal(liveRow[0][1]) + " LC_CTYPE " + literal(liveRow[0][2])));
    NewDatabase guard(admin, fresh);
    if (!liveRow.empty()) {
        // What the dump of the schemas does not carry: the database's owner and who may connect to it.
        admin.script("ALTER DATABASE " + ident(fresh) + " OWNER TO " + ident(liveRow[0][0]));
        const Rows acl = query(admin, "SELECT datacl IS NULL FROM pg_database WHERE datname = " + literal(live));
        if (!acl.empty() && acl[0][0] == "f") {
            admin.script("REVOKE ALL ON DATABASE " + ident(fresh) + " FROM PUBLIC");
            for (const auto& g : query(admin, "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident("
                                              "pg_get_userbyid(a.grantee)) END, a.privilege_type, a.is_grantable "
                                              "FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = " + literal(live)))
                admin.script("GRANT " + g[1] + " ON DATABASE " + ident(fresh) + " TO " + g[0] +
                             (g[2] == "t" ? " WITH GRANT OPTION" : ""));
        }
    }

    auto restoreEnv = env;
    restoreEnv["PGDATABASE"] = fresh;
    runTool(pgTool("pg_restore"), {"--exit-on-error", "--single-transaction", "--no-password", "--dbname=" + fresh, dump.string()},
            restoreEnv, scratch.path(), {}, "restore.failed", "pg_restore could not restore " + sealed.string());

    ServerRestore out;
    out.database = live;
    {
        PgDatabase check(pgWithKeyword(location.server, "dbname", fresh), "desk, pub");
        const PgRun run = [&check](std::string_view sql) { return check.script(sql); };
        const auto refuse = [&](const std::string& why) {
            return Error(ErrorKind::Storage, "backup.invalid",
                         "The data restored from " + sealed.string() + " does not pass the check (" + why +
                             "); nothing was changed.");
        };
        if (pgVersion(run, StoreFile::Public) != manifest.pubVersion || pgVersion(run, StoreFile::Desk) != manifest.deskVersion)
            throw refuse("its schema versions differ from the backup's");
        const auto counts = rowCounts(check, inloopTables(check));
        if (counts != manifest.tables) throw refuse("its tables or row counts differ from the backup's");
        for (const auto& [table, rows] : counts) out.rows += rows;
        const AuditVerdict verdict = verifyAuditLog(check, {});
        if (!verdict.ok()) throw refuse(verdict.problems.front());
        out.auditRows = verdict.rows;
    }

    // The switch: two renames in one transaction, which PostgreSQL allows only while nobody uses either database.
    if (!liveRow.empty()) {
        std::vector<std::string> others = otherSessions(admin, live);
        if (!others.empty() && disconnect) {
            query(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " + literal(live) +
                             " AND pid <> pg_backend_pid()");
            out.notes.push_back("Ended " + std::to_string(others.size()) +
                                (others.size() == 1 ? " connection" : " connections") + " to " + live + " (" +
                                joined(others) + "): those programs connect again by themselves or need a restart.");
            for (int i = 0; i < 50 && !otherSessions(admin, live).empty(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        } else if (!others.empty()) {
            throw Error(ErrorKind::Conflict, "restore.in_use",
                        "The database " + live + " is in use (" + joined(others) +
                            "): close the front desks and kiosks, or add --disconnect to end those connections; "
                            "nothing was changed.");
        }
    }
    try {
        admin.script("BEGIN");
        if (!liveRow.empty()) admin.script("ALTER DATABASE " + ident(live) + " RENAME TO " + ident(before));
        admin.script("ALTER DATABASE " + ident(fresh) + " RENAME TO " + ident(live));
        admin.script("COMMIT");
    } catch (const DbError& e) {
        try {
            admin.script("ROLLBACK");
        } catch (const DbError&) {
        }
        const std::vector<std::string> others = otherSessions(admin, live);
        throw Error(ErrorKind::Conflict, "restore.in_use",
                    "The restored data could not take the place of " + live + " (" +
                        (others.empty() ? noteOf(e) : "in use by " + joined(others)) + "); nothing was changed.");
    }
    guard.release();
    if (!liveRow.empty()) out.keptAs = before;
    placeKey(StorePaths(location.dataDir).codeKey(), keyBytes, out);
    return out;
}

std::vector<std::string> pruneKeptDatabases(const StoreLocation& location, int64_t now) {
    std::vector<std::string> dropped;
    PgDatabase live(location.server, "pg_catalog");
    const std::string name = PQdb(live.handle());
    const std::string prefix = name.substr(0, 63 - std::string("_before_YYYYMMDD_HHMMSS").size()) + "_before_";
    for (const auto& row : query(live, "SELECT datname FROM pg_database WHERE left(datname, " +
                                           std::to_string(prefix.size()) + ") = " + literal(prefix))) {
        const std::string& kept = row[0];
        std::tm tm{};
        const std::string when = kept.substr(prefix.size());
        if (when.size() != 15 || !::strptime(when.c_str(), "%Y%m%d_%H%M%S", &tm)) continue; // not one of ours
        tm.tm_isdst = -1;
        if (static_cast<int64_t>(std::mktime(&tm)) > now - int64_t{kSafetyCopyDays} * 86400) continue;
        try {
            live.script("DROP DATABASE " + ident(kept));
            dropped.push_back(kept);
        } catch (const DbError&) {
            // in use, or not ours to drop: the next purge tries again
        }
    }
    return dropped;
}

} // namespace inloop::core
