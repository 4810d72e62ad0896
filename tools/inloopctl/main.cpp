// inloopctl: the admin command line — set-up, demo data, health check, backup and restore (local and
// off-site), partner calendars.
#include "core/net/calendar.hpp"
#include "core/base/clock.hpp"
#include "core/domain/demo.hpp"
#include "core/domain/domain.hpp"
#include "core/base/error.hpp"
#include "core/i18n/i18n_check.hpp"
#include "core/backup/maintenance.hpp"
#include "core/backup/pg_backup.hpp"
#include "core/backup/sealed_backup.hpp"
#include "core/net/offsite.hpp"
#include "core/domain/report.hpp"
#include "core/store/audit_chain.hpp"
#include "core/store/code_key.hpp"
#include "core/store/schema.hpp"
#include "core/store/postgres.hpp"
#include "core/store/schema_pg.hpp"
#include "core/domain/site_facts.hpp"
#include "core/store/store.hpp"
#include "core/backup/upkeep.hpp"
#include "server_tls.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <libpq-fe.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

namespace {

using namespace inloop::core;

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2, kExitNotReady = 3;

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The arguments of one command: positionals and --flag values, each flag checked against what the command takes.
struct Args {
    std::string command;
    std::optional<std::string> dataDir;
    std::optional<std::string> store; // --store: a data folder or a PostgreSQL server
    std::vector<std::string> positional;
    std::map<std::string, std::string> flags;
    bool help = false;

    std::optional<std::string> flag(const std::string& name) const {
        auto it = flags.find(name);
        return it == flags.end() ? std::nullopt : std::optional(it->second);
    }
    long long number(const std::string& name, long long fallback, long long min, long long max) const {
        const auto text = flag(name);
        if (!text) return fallback;
        long long v = 0;
        const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
        if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max)
            throw UsageError("--" + name + " takes a whole number from " + std::to_string(min) + " to " +
                             std::to_string(max) + ", not \"" + *text + "\".");
        return v;
    }
};

struct Command {
    const char* name;
    const char* synopsis;
    const char* help;
    std::vector<std::string> flags; // accepted --flags (each takes a value)
    size_t positionals;             // most positional arguments
    std::function<int(const Args&)> run;
    std::vector<std::string> switches = {}; // accepted --switches (no value)
    size_t minPositionals = SIZE_MAX;       // fewest positional arguments (default: exactly `positionals`)
};

// Linux refuses longer paths (ENAMETOOLONG) with words nobody can act on: say it in one sentence first.
// The folder may use PATH_MAX - 1 (4095) less room for the longest name inside it ("public/…-wal", a safety
// copy "before-restore-YYYYMMDD-HHMMSS.sqlar.partial"); a single name at most NAME_MAX.
void checkPathLength(const std::string& path) {
    constexpr size_t kMaxPath = 4000, kMaxName = 255;
    if (path.size() > kMaxPath)
        throw UsageError("The data folder path is too long (" + std::to_string(path.size()) + " characters; at most " +
                         std::to_string(kMaxPath) + ").");
    for (const fs::path& part : fs::path(path))
        if (part.native().size() > kMaxName)
            throw UsageError("A folder name in the data folder path is too long (" +
                             std::to_string(part.native().size()) + " characters; at most " + std::to_string(kMaxName) +
                             ").");
}

fs::path dataDir(const Args& a) {
    fs::path dir = resolveDataDir(a.dataDir); // also $INLOOP_DATA_DIR
    checkPathLength(dir.string());
    return dir;
}

// The store: --store (a folder or a PostgreSQL location), $INLOOP_STORE, else the data folder.
StoreLocation location(const Args& a) {
    StoreLocation loc = resolveStore(a.store, a.dataDir);
    checkPathLength(loc.dataDir.string());
    return loc;
}

// A command that works on a data folder only (for now): refused, exit 1, on a PostgreSQL store.
fs::path folderOnly(const Args& a, const char* what) {
    const StoreLocation loc = location(a);
    if (loc.isPostgres()) throw notOnPostgres(what);
    return loc.dataDir;
}

// A day given as an option: YYYY-MM-DD within 2000–2100 (demo data and purges make no sense outside it, and
// the day arithmetic is only exact inside it).
std::string dayOption(const Args& a, const std::string& name, const std::string& fallback) {
    const std::string day = a.flag(name).value_or(fallback);
    if (!isValidDay(day) || day < "2000-01-01" || day > "2100-12-31")
        throw UsageError("--" + name + " takes a day from 2000-01-01 to 2100-12-31 as YYYY-MM-DD, not \"" + day + "\".");
    return day;
}

int cmdInit(const Args& a) {
    const StoreLocation loc = location(a);
    Store::init(loc);
    if (loc.isPostgres())
        std::cout << "Inloop data ready on " << loc.describe() << " (pub v" << pgLatestVersion(StoreFile::Public)
                  << ", desk v" << pgLatestVersion(StoreFile::Desk) << "); this machine's key for visitor codes is in "
                  << StorePaths(loc.dataDir).codeKey().string() << ".\n";
    else
        std::cout << "Inloop data ready in " << loc.dataDir.string() << " (public.db v" << latestVersion(StoreFile::Public)
                  << ", desk.db v" << latestVersion(StoreFile::Desk) << ").\n";
    return kExitOk;
}

int cmdDemo(const Args& a) {
    DemoOptions opt;
    opt.years = static_cast<int>(a.number("years", 2, 1, 15));
    opt.seed = static_cast<uint64_t>(a.number("seed", 46, 0, 1LL << 62));
    if (a.flag("today")) opt.today = dayOption(a, "today", "");
    Store store = Store::open(location(a));
    const DemoSummary s = generateDemo(store, opt);
    std::cout << "Demo data for " << opt.years << (opt.years == 1 ? " year" : " years") << " (seed " << opt.seed
              << "): " << s.contacts << " contacts, " << s.walkIns << " walk-ins by " << s.distinctVisitors
              << " visitors with a code, " << s.stockMoves << " stock moves, " << s.sessions << " sessions, "
              << s.registrations << " registrations, " << s.stays << " shelter stays, " << s.staff << " staff.\n";
    return kExitOk;
}

// `check` on a PostgreSQL store: reachable, both parts at this program's version (an older one is migrated, a newer
// one refused by Store::open), and the audit log's hash chain whole.
int checkServer(const StoreLocation& loc) {
    Store store = Store::open(loc);
    std::cout << "ok: " << loc.describe() << " answers; pub v" << pgLatestVersion(StoreFile::Public) << ", desk v"
              << pgLatestVersion(StoreFile::Desk) << "\n";
    const AuditVerdict v = verifyAuditLog(store.db(), {});
    for (const auto& p : v.problems) std::cerr << "problem: " << p << "\n";
    if (!v.problems.empty()) {
        std::cerr << "inloopctl: " << loc.describe() << " is not healthy.\n";
        return kExitFailed;
    }
    std::cout << "ok: the audit log's " << v.rows << " rows form an unbroken chain\n";
    // The machines' database roles (server init): each has exactly the privileges of the design.
    const PgRun run = [&store](std::string_view sql) { return store.db().queryText(sql); };
    const PgRoles roles = pgRoles(run);
    if (roles.empty()) {
        std::cout << "ok: no database roles per machine (one role for everything; `inloopctl server init` makes them)\n";
    } else {
        const std::vector<std::string> problems = pgGrantProblems(run, roles);
        for (const auto& p : problems) std::cerr << "problem: " << p << "\n";
        if (!problems.empty()) {
            std::cerr << "inloopctl: " << loc.describe() << " is not healthy (" << problems.size()
                      << (problems.size() == 1 ? " problem" : " problems")
                      << "); `inloopctl server init` as the admin gives the roles their designed privileges again.\n";
            return kExitFailed;
        }
        std::cout << "ok: the database roles " << roles.owner << ", " << roles.desk << " and " << roles.kiosk
                  << " have exactly the privileges of the design\n";
    }
    std::cout << "Healthy: " << loc.describe() << "\n";
    return kExitOk;
}

// [SECTION] server init: one PostgreSQL store for several machines (issue 20)

// 24 letters and digits without look-alikes (about 140 bits): typed into a machine's configuration once.
std::string newPassword() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
    static constexpr std::string_view kAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    std::string out;
    for (int i = 0; i < 24; ++i) out += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
    return out;
}

// Objects made before the roles (a store made by `init` as the admin) pass to the owner, so that it can migrate
// them and give the grants.
void adoptForOwner(PgDatabase& db, const std::string& owner) {
    const std::string schemas = "('pub', 'desk', 'site')", who = "'" + owner + "'::regrole";
    db.script("DO $$\nDECLARE r record;\nBEGIN\n"
              "  FOR r IN SELECT nspname FROM pg_namespace WHERE nspname IN " + schemas + " AND nspowner <> " + who + " LOOP\n"
              "    EXECUTE format('ALTER SCHEMA %I OWNER TO " + owner + "', r.nspname);\n  END LOOP;\n"
              "  FOR r IN SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
              "WHERE n.nspname IN " + schemas + " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relowner <> " + who + " LOOP\n"
              "    EXECUTE format('ALTER TABLE %s OWNER TO " + owner + "', r.name);\n  END LOOP;\n"
              "  FOR r IN SELECT p.oid::regprocedure::text AS name, CASE p.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' "
              "THEN 'PROCEDURE' ELSE 'FUNCTION' END AS kind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
              "WHERE n.nspname IN " + schemas + " AND p.proowner <> " + who + " LOOP\n"
              "    EXECUTE format('ALTER %s %s OWNER TO " + owner + "', r.kind, r.name);\n  END LOOP;\n"
              "  FOR r IN SELECT c.oid::regcollation::text AS name FROM pg_collation c JOIN pg_namespace n "
              "ON n.oid = c.collnamespace WHERE n.nspname IN " + schemas + " AND c.collowner <> " + who + " LOOP\n"
              "    EXECUTE format('ALTER COLLATION %s OWNER TO " + owner + "', r.name);\n  END LOOP;\n"
              "END $$");
}

int cmdServer(const Args& a) {
    if (a.positional[0] != "init") throw UsageError("server takes init, not \"" + a.positional[0] + "\".");
    const StoreLocation loc = location(a);
    if (!loc.isPostgres())
        throw UsageError("server init needs the PostgreSQL server's admin connection: --store \"host=/var/run/postgresql "
                         "user=postgres dbname=postgres\" (or $INLOOP_STORE).");
    const std::string dbname = a.flag("database").value_or("inloop");
    if (!isPgRoleName(dbname))
        throw UsageError("--database takes a name of small letters, digits and _, not \"" + dbname + "\".");
    const std::string prefix = a.flag("prefix").value_or("inloop_");
    const PgRoles roles{prefix + "owner", prefix + "desk", prefix + "kiosk"};
    if (prefix.size() > 40 || !isPgRoleName(roles.owner))
        throw UsageError("--prefix takes up to 40 small letters, digits and _, starting with a letter, not \"" + prefix +
                         "\".");
    const bool newPasswords = a.flag("new-passwords").has_value();
    std::map<std::string, std::string> passwords; // role -> the password made now

    // The addresses the other machines reach this server by: --host (comma-separated), else the --store host.
    std::vector<std::string> hosts;
    {
        std::string list = a.flag("host").value_or(pgKeyword(loc.server, "host"));
        if (!list.empty() && list.front() == '/') list.clear(); // a Unix socket: no other machine uses it
        for (size_t start = 0; start < list.size();) {
            const size_t comma = std::min(list.find(',', start), list.size());
            if (comma > start) hosts.push_back(list.substr(start, comma - start));
            start = comma + 1;
        }
    }
    // TLS first: a certificate that does not fit changes nothing on the server.
    const inloop::ctl::ServerTls tls{a.flag("tls-dir") ? fs::path(*a.flag("tls-dir")) : loc.dataDir / "server-tls"};
    std::optional<inloop::ctl::TakenCertificate> taken;
    if (a.flag("tls-cert") || a.flag("tls-key")) {
        if (!a.flag("tls-cert") || !a.flag("tls-key"))
            throw UsageError("--tls-cert and --tls-key go together: the site's certificate and its key.");
        taken = inloop::ctl::TakenCertificate{*a.flag("tls-cert"), *a.flag("tls-key"), std::nullopt};
        if (a.flag("tls-ca")) taken->ca = fs::path(*a.flag("tls-ca"));
    }
    if (taken && hosts.empty())
        throw UsageError("--tls-cert needs --host: the appliance's name or address the certificate is made out to.");
    std::optional<inloop::ctl::TlsOrigin> tlsOrigin;
    if (!hosts.empty()) tlsOrigin = inloop::ctl::prepareServerTls(tls, hosts, taken);

    { // Roles and the database, on the admin's own database.
        PgDatabase admin(loc.server, "pg_catalog");
        const bool superuser = admin.script("SELECT rolsuper FROM pg_roles WHERE rolname = current_user") == "t";
        if (!superuser && admin.script("SELECT rolcreaterole AND rolcreatedb FROM pg_roles WHERE rolname = current_user") != "t")
            throw Error(ErrorKind::Storage, "server.not_admin",
                        "server init needs a superuser or a role with CREATEROLE and CREATEDB; " +
                            admin.script("SELECT current_user") + " is neither.");
        for (const std::string* role : {&roles.owner, &roles.desk, &roles.kiosk}) {
            const bool owner = role == &roles.owner;
            const bool exists = admin.script("SELECT count(*) FROM pg_roles WHERE rolname = '" + *role + "'") != "0";
            std::string attributes = owner ? " NOLOGIN NOCREATEDB NOCREATEROLE" : " LOGIN NOCREATEDB NOCREATEROLE";
            if (superuser) attributes += " NOSUPERUSER NOREPLICATION NOBYPASSRLS"; // only a superuser may say so
            admin.script((exists ? "ALTER ROLE " : "CREATE ROLE ") + *role + attributes);
            if (owner || (exists && !newPasswords)) continue;
            // Sent as a SCRAM verifier: the password itself never reaches the server or its log.
            const std::string password = newPassword();
            char* verifier = PQencryptPasswordConn(admin.handle(), password.c_str(), role->c_str(), "scram-sha-256");
            if (!verifier) throw Error(ErrorKind::Storage, "server.password", "Cannot make a password: " +
                                                                                  std::string(PQerrorMessage(admin.handle())));
            const std::string sql = "ALTER ROLE " + *role + " PASSWORD '" + verifier + "'";
            PQfreemem(verifier);
            admin.script(sql);
            passwords[*role] = password;
        }
        // A kiosk PC that opens a transaction and leaves it open would hold up the desk's writers: ended after a
        // minute (the kiosk's own transactions take milliseconds).
        admin.script("ALTER ROLE " + roles.kiosk + " SET idle_in_transaction_session_timeout = '1min'");
        if (admin.script("SELECT pg_has_role(current_user, '" + roles.owner + "', 'MEMBER')") != "t")
            admin.script("GRANT " + roles.owner + " TO CURRENT_USER"); // to act as the owner below
        if (admin.script("SELECT count(*) FROM pg_database WHERE datname = '" + dbname + "'") == "0")
            // Text compares byte by byte, as SQLite's BINARY does.
            admin.script("CREATE DATABASE " + dbname + " OWNER " + roles.owner +
                         " TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'");
        admin.script("REVOKE ALL ON DATABASE " + dbname + " FROM PUBLIC, " + roles.desk + ", " + roles.kiosk + "; GRANT CONNECT, CREATE, TEMPORARY ON DATABASE " +
                     dbname + " TO " + roles.owner + "; GRANT CONNECT ON DATABASE " + dbname + " TO " + roles.desk +
                     ", " + roles.kiosk + ", CURRENT_USER");
    }
    const std::string dbConn = pgWithKeyword(loc.server, "dbname", dbname);
    { // The schemas, migrated by the owner, and the grants.
        PgDatabase db(dbConn, "pg_catalog");
        const PgRun run = [&db](std::string_view sql) { return db.script(sql); };
        adoptForOwner(db, roles.owner);
        run("SET ROLE " + roles.owner);
        migratePg(run, StoreFile::Public);
        migratePg(run, StoreFile::Desk);
        run("BEGIN");
        applyPgGrants(run, roles);
        run("COMMIT");
        run("RESET ROLE");
    }
    // The site's defaults, and this machine's key for visitor codes (made only while the store has no codes).
    const StoreLocation site{loc.dataDir, dbConn};
    std::string keyNote;
    try {
        Store::init(site);
        keyNote = "The key for visitor codes is not in the database. This machine's is " +
                  StorePaths(loc.dataDir).codeKey().string() +
                  ": on each other desk machine, `inloopctl key import` what `inloopctl key export` shows here (or "
                  "the file it writes, on a USB stick). The kiosk needs none.";
    } catch (const Error& e) {
        if (e.key() != "store.key_missing") throw;
        keyNote = std::string("The key for visitor codes is not in the database. ") + e.what();
    }

    const std::string host = hosts.empty() ? "APPLIANCE-ADDRESS" : hosts.front();
    std::string port = pgKeyword(loc.server, "port");
    if (port.empty()) port = "5432";
    const std::string network = a.flag("network").value_or("samenet");
    const auto password = [&](const std::string& role) {
        const auto it = passwords.find(role);
        return it != passwords.end() ? it->second : std::string("<its password>");
    };
    std::cout << "Inloop database " << dbname << " ready on " << site.describe() << " (pub v"
              << pgLatestVersion(StoreFile::Public) << ", desk v" << pgLatestVersion(StoreFile::Desk) << ").\n"
              << "Roles: " << roles.owner << " owns the data and runs upgrades (no login; server init acts as it), "
              << roles.desk << " for the desk machines, " << roles.kiosk << " for the kiosk PC.\n";
    if (passwords.empty()) {
        std::cout << "Passwords unchanged (--new-passwords makes new ones).\n";
    } else {
        std::cout << "New passwords, shown only now (they go into each machine's configuration, nowhere else):\n";
        for (const auto& [role, pw] : passwords) std::cout << "  " << role << "  " << pw << "\n";
    }
    // TLS: the certificate this server shows, and the CA every other machine checks it against.
    constexpr const char* kSiteCa = "/etc/inloop/site-ca.pem";
    constexpr const char* kPgConf = "/etc/postgresql/15/main";
    if (tlsOrigin) {
        std::string names;
        for (const std::string& h : hosts) names.append(names.empty() ? "" : ", ").append(h);
        std::cout << "\nTLS certificate for " << names << " ("
                  << (*tlsOrigin == inloop::ctl::TlsOrigin::Made    ? "made now, with a new site CA"
                      : *tlsOrigin == inloop::ctl::TlsOrigin::Taken ? "the site's own, checked"
                                                            : "kept: it still fits")
                  << "; valid until " << inloop::ctl::validUntil(tls) << ") in " << tls.dir.string() << ":\n"
                  << "  site-ca.pem  the CA: copy it to every other machine as " << kSiteCa << " (nothing secret in it)\n"
                  << "  server.crt, server.key  for PostgreSQL on this server; as root:\n"
                  << "    install -o postgres -g postgres -m 0644 " << tls.certificate().string() << " " << kPgConf
                  << "/inloop-server.crt\n"
                  << "    install -o postgres -g postgres -m 0600 " << tls.key().string() << " " << kPgConf
                  << "/inloop-server.key\n"
                  << "    printf \"listen_addresses = 'localhost," << host << "'\\nssl = on\\nssl_cert_file = '" << kPgConf
                  << "/inloop-server.crt'\\nssl_key_file = '" << kPgConf << "/inloop-server.key'\\n\" > " << kPgConf
                  << "/conf.d/inloop.conf\n"
                  << "    systemctl restart postgresql\n";
    } else {
        std::cout << "\nNo TLS certificate: --host names this server as the other machines reach it (its name or "
                     "address, comma-separated); then server init makes one.\n";
    }
    const std::string tlsWords = tlsOrigin ? std::string(" sslrootcert=") + kSiteCa : std::string();
    std::cout << "\nEach desk machine (front desk, shelter office, laptop): --store or INLOOP_STORE =\n"
              << "  host=" << host << " port=" << port << " dbname=" << dbname << " user=" << roles.desk
              << " password=" << password(roles.desk) << tlsWords << "\n"
              << "The kiosk PC:\n"
              << "  host=" << host << " port=" << port << " dbname=" << dbname << " user=" << roles.kiosk
              << " password=" << password(roles.kiosk) << tlsWords << "\n"
              << "(TLS with the server's certificate checked, sslmode=verify-full, is how Inloop connects to any "
                 "server that is not on this machine's own socket; it refuses less.)\n"
              << "\npg_hba.conf on this server (above any broader line; then systemctl reload postgresql). Over the "
                 "network only with TLS (hostssl):\n"
              << "  local    " << dbname << "  " << roles.desk << "  scram-sha-256   # the desk on this machine\n"
              << "  hostssl  " << dbname << "  " << roles.desk << "  " << network << "  scram-sha-256\n"
              << "  hostssl  " << dbname << "  " << roles.kiosk << "  " << network << "  scram-sha-256\n"
              << "\nFirewall on this server (nftables): port " << port << " for the site's own network only:\n"
              << "  nft add rule inet filter input ip saddr "
              << (network.find('/') != std::string::npos ? network : "SITE-NETWORK/24") << " tcp dport " << port
              << " accept\n"
              << "  nft add rule inet filter input tcp dport " << port << " drop\n"
              << "\n" << keyNote << "\n";
    return kExitOk;
}

int cmdCheck(const Args& a) {
    if (const StoreLocation loc = location(a); loc.isPostgres()) return checkServer(loc);
    const CheckReport r = checkStore(dataDir(a));
    for (const auto& f : r.facts) std::cout << "ok: " << f << "\n";
    for (const auto& p : r.problems) std::cerr << "problem: " << p << "\n";
    if (!r.ok()) {
        std::cerr << "inloopctl: " << dataDir(a).string() << " is not healthy (" << r.problems.size()
                  << (r.problems.size() == 1 ? " problem" : " problems") << ").\n";
        return kExitFailed;
    }
    std::cout << "Healthy: " << dataDir(a).string() << "\n";
    // Go-live: the site facts visitors see (site.ini, with what the desk set over it) hold no placeholder.
    const fs::path siteIni = siteFile(resourceRoot());
    std::map<std::string, std::string> desk;
    {
        const PrivateCopy copy{StorePaths(dataDir(a))}; // read-only, as above
        if (fs::exists(copy.paths().publicDb())) {
            SqliteDatabase db(copy.paths().publicDb(), SqliteDatabase::Mode::ReadOnly);
            if (db.queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'site_fact'") > 0) desk = loadSiteFacts(db);
        }
    }
    const auto unset = unsetSiteFacts(withDeskFacts(SiteSettings::load(siteIni), desk));
    if (!unset.empty()) {
        std::string keys;
        for (const auto& k : unset) keys += (keys.empty() ? "" : ", ") + k;
        std::cerr << "inloopctl: healthy, but not ready for go-live: the site facts " << keys << " are still placeholders in "
                  << siteIni.string() << " (a coordinator sets them at the desk: Site facts). The kiosk leaves "
                  << "those lines out until then.\n";
        return kExitNotReady;
    }
    std::cout << "ok: site facts set (" << siteIni.string() << " and the desk)\n";
    return kExitOk;
}

// TLS trust for a site's own CA (and the tests): --ca-file, else $INLOOP_CA_FILE; the system's CAs always count.
net::Options netOptions(const Args& a, net::Options o) {
    if (a.flag("ca-file")) o.caFile = *a.flag("ca-file");
    else if (const char* env = std::getenv("INLOOP_CA_FILE")) o.caFile = env;
    if (!o.caFile.empty() && !fs::is_regular_file(o.caFile))
        throw Error(ErrorKind::NotFound, "net.ca_file", "There is no CA certificate file at " + o.caFile + ".");
    return o;
}

// The first line of a file, without its line end (spaces are kept: they may belong to a password).
std::string firstLine(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw UsageError("Cannot read " + file.string() + ".");
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    return line;
}

// The recovery phrase: --phrase-file, else $INLOOP_RECOVERY_PHRASE, else one line from standard input
// (never a command-line argument: those show up in `ps` and the shell history). At a terminal it is asked
// for and not echoed.
std::string recoveryPhrase(const Args& a) {
    if (a.flag("phrase-file")) return firstLine(*a.flag("phrase-file"));
    if (const char* env = std::getenv("INLOOP_RECOVERY_PHRASE")) return env;
    std::string line;
    if (::isatty(STDIN_FILENO)) {
        std::cerr << "Recovery phrase (not shown as you type): " << std::flush;
        termios old{};
        const bool quiet = ::tcgetattr(STDIN_FILENO, &old) == 0;
        if (quiet) {
            termios silent = old;
            silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
        }
        std::getline(std::cin, line);
        if (quiet) ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    } else {
        std::getline(std::cin, line);
    }
    return line;
}

// `backup FILE` on a PostgreSQL store: always sealed for the recovery phrase (the dump holds every name and note).
int backupOfServer(const StoreLocation& loc, const fs::path& file) {
    std::string keyHex;
    {
        Store store = Store::open(loc);
        keyHex = offsite::loadSettings(store).publicKeyHex;
    }
    if (keyHex.empty())
        throw Error(ErrorKind::InvalidInput, "backup.no_phrase",
                    "A backup of a PostgreSQL store is sealed for the recovery phrase, and none has been made yet: run "
                    "`inloopctl offsite --new-phrase` with the same --store first; nothing was written.");
    const ServerBackup b = backupServer(loc, file, backup::publicKeyFromHex(keyHex));
    std::cout << "Backup of " << loc.describe() << " written to " << file.string() << " (pg_dump of " << b.tables
              << " tables, " << b.rows << " rows, sealed for the recovery phrase).\n";
    if (b.keyIncluded)
        std::cout << "It holds this machine's key for visitor codes (" << StorePaths(loc.dataDir).codeKey().string()
                  << "), which is never in the database.\n";
    else
        std::cout << "The key for visitor codes is not in it: this machine has none at "
                  << StorePaths(loc.dataDir).codeKey().string()
                  << "; each desk machine keeps it in <data-dir>/desk/client-code.key. Keep a copy of that file too.\n";
    return kExitOk;
}

int cmdBackup(const Args& a) {
    if (a.flag("nightly") && !a.flag("upload")) throw UsageError("--nightly goes with --upload.");
    if (a.flag("upload")) {
        if (!a.positional.empty()) throw UsageError("backup --upload takes no FILE.");
        if (a.flag("nightly")) { // the timer's run: nothing to do is not a failure, and leaves no backup_run row
            Store store = Store::open(location(a), Store::Access::Desk);
            if (!offsite::loadSettings(store).configured()) {
                std::cout << "Off-site backups are not set up (inloopctl offsite, or the desk's F9); nothing to do.\n";
                return kExitOk;
            }
            if (!offsite::nightlyDue(store, nowUnix())) {
                std::cout << "No off-site backup is due now (done today, before the nightly hour, or retried enough).\n";
                return kExitOk;
            }
        }
        const offsite::Trigger trigger = a.flag("nightly") ? offsite::Trigger::Nightly : offsite::Trigger::Cli;
        const offsite::Result r =
            offsite::runBackup(location(a), trigger, netOptions(a, offsite::uploadOptions()));
        if (r.reason == "not_configured") {
            // Exit 0: a nightly timer runs this on every appliance, also where nobody set up off-site backups.
            std::cout << "Off-site backup is not set up here, so nothing was done (set it up with `inloopctl offsite`).\n";
            return kExitOk;
        }
        if (!r.ok) {
            std::cerr << "inloopctl: the off-site backup failed: " << r.message << "\n";
            return kExitFailed;
        }
        std::cout << "Off-site backup " << r.name << " uploaded (" << r.bytes << " bytes, sealed for the recovery phrase)"
                  << (r.removedOld == 1 ? "; 1 old copy removed"
                      : r.removedOld   ? "; " + std::to_string(r.removedOld) + " old copies removed"
                                       : "")
                  << ".\n";
        if (!r.message.empty()) std::cout << r.message << "\n";
        return kExitOk;
    }
    if (a.positional.empty()) throw UsageError("backup needs a FILE, or --upload.");
    if (a.positional[0].empty()) throw UsageError("backup needs a file name.");
    if (const StoreLocation loc = location(a); loc.isPostgres()) return backupOfServer(loc, a.positional[0]);
    backupStore(folderOnly(a, "A backup"), a.positional.at(0));
    std::cout << "Backup written to " << a.positional[0] << " (keep it as safe as the data itself).\n";
    return kExitOk;
}

bool isSealed(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    char magic[8] = {};
    in.read(magic, sizeof magic);
    return in && std::string_view(magic, 8) == "INLOOPBK";
}

int reportServerRestore(const StoreLocation& loc, const std::string& from, const ServerRestore& r) {
    std::cout << "Restored " << loc.describe() << " from " << from << ": " << r.rows << " rows, the audit log's "
              << r.auditRows << " rows an unbroken chain.\n";
    if (!r.keptAs.empty())
        std::cout << "The data it replaced is kept in the database " << r.keptAs
                  << " on the same server (drop it with DROP DATABASE " << r.keptAs << " once it is no longer needed).\n";
    for (const std::string& note : r.notes) std::cout << note << "\n";
    return kExitOk;
}

// `restore FILE` on a PostgreSQL store: a sealed backup of a PostgreSQL store, restored beside the live database
// and switched in by renaming.
int restoreOfServer(const Args& a, const StoreLocation& loc) {
    // --from-url: downloaded into this machine's data folder first (sealed, as it was uploaded), removed afterwards.
    struct Download {
        fs::path file;
        ~Download() {
            std::error_code ec;
            if (!file.empty()) fs::remove(file, ec);
        }
    } download;
    if (a.flag("from-url")) {
        if (!a.positional.empty()) throw UsageError("restore takes a FILE or --from-url, not both.");
        const std::string phrase = recoveryPhrase(a);
        backup::publicKeyFromPhrase(phrase); // a mistyped phrase is refused before any download
        net::Options o = netOptions(a, offsite::uploadOptions());
        o.user = a.flag("user").value_or("");
        if (const char* pw = std::getenv("INLOOP_BACKUP_PASSWORD")) o.password = pw;
        download.file = loc.dataDir / "desk" / ".offsite" / "download.sealed";
        offsite::downloadBackup(*a.flag("from-url"), download.file, o);
        const ServerRestore r = restoreServer(loc, download.file, phrase, a.flag("disconnect").has_value());
        return reportServerRestore(loc, *a.flag("from-url"), r);
    }
    if (a.positional.empty()) throw UsageError("restore needs a FILE, or --from-url URL."); // as on a data folder
    if (a.positional[0].empty()) throw UsageError("restore needs a file name.");
    const fs::path from = a.positional[0];
    if (fs::is_regular_file(from) && !isSealed(from))
        throw Error(ErrorKind::InvalidInput, "backup.not_sealed",
                    from.string() + " is not a sealed backup: a PostgreSQL store is restored only from one that "
                                    "`inloopctl --store … backup FILE` made; nothing was changed.");
    return reportServerRestore(loc, from.string(), restoreServer(loc, from, recoveryPhrase(a), a.flag("disconnect").has_value()));
}

int cmdRestore(const Args& a) {
    if (const StoreLocation loc = location(a); loc.isPostgres()) return restoreOfServer(a, loc);
    if (a.flag("disconnect")) throw UsageError("--disconnect goes with a PostgreSQL store (--store).");
    fs::path safety;
    std::string from;
    if (a.flag("from-url")) {
        if (!a.positional.empty()) throw UsageError("restore takes a FILE or --from-url, not both.");
        from = *a.flag("from-url");
        net::Options o = netOptions(a, offsite::uploadOptions());
        o.user = a.flag("user").value_or("");
        if (const char* pw = std::getenv("INLOOP_BACKUP_PASSWORD")) o.password = pw;
        safety = offsite::restoreFromUrl(folderOnly(a, "A restore"), from, recoveryPhrase(a), o);
    } else {
        if (a.positional.empty()) throw UsageError("restore needs a FILE, or --from-url URL.");
        if (a.positional[0].empty()) throw UsageError("restore needs a file name.");
        from = a.positional[0];
        const fs::path dir = folderOnly(a, "A restore");
        safety = isSealed(from) ? offsite::restoreSealedFile(dir, from, recoveryPhrase(a)) : restoreStore(dir, from);
    }
    std::cout << "Restored " << dataDir(a).string() << " from " << from << ".\n";
    if (!safety.empty()) std::cout << "The data it replaced is kept in " << safety.string() << ".\n";
    return kExitOk;
}

// [SECTION] key: the key for visitor codes from one desk machine to another (issue 20)
int cmdKey(const Args& a) {
    const std::string what = a.positional.at(0);
    const fs::path dir = dataDir(a);
    const StorePaths paths{dir};
    if (what == "export") {
        if (a.positional.size() > 2) throw UsageError("key export takes at most a FILE.");
        const CodeKey key = readKeyFile(paths.codeKey());
        if (a.positional.size() == 2) {
            const fs::path file = a.positional[1];
            if (fs::exists(file)) throw UsageError(file.string() + " exists already; give a new file name.");
            writeKeyFile(file, key, 0600);
            std::cout << "The key for visitor codes is in " << file.string()
                      << " (mode 0600). Carry it to the new desk machine, run `inloopctl key import " << file.filename().string()
                      << "` there, then delete it from the stick.\n";
        } else {
            std::cout << "The key for visitor codes of " << dir.string() << ", to type on the new desk machine with "
                         "`inloopctl key import` (the last group checks the others):\n\n    "
                      << typedCodeKey(key) << "\n\n"
                      << "Anyone with this key and a database dump can link visitor codes: do not write it down.\n";
        }
        return kExitOk;
    }
    if (what != "import") throw UsageError("key takes export or import, not \"" + what + "\".");
    if (a.positional.size() > 2) throw UsageError("key import takes at most a FILE.");
    CodeKey key{};
    if (a.positional.size() == 2) {
        key = readKeyFile(a.positional[1]);
    } else {
        if (::isatty(STDIN_FILENO)) std::cerr << "The key as `inloopctl key export` showed it: " << std::flush;
        std::string line;
        std::getline(std::cin, line);
        key = codeKeyFromTyped(line);
    }
    const bool written = installCodeKey(dir, key);
    if (written) {
        // A store the machine already reaches checks the key against its record of the key its codes are made
        // with: the wrong one (another site's, an old machine's) is taken out again. No store yet: nothing to check.
        bool wrongKey = false;
        try {
            Store::open(location(a));
        } catch (const Error& e) {
            wrongKey = e.key() == "store.key_mismatch";
        } catch (const std::exception&) { // no store here yet, or out of reach
        }
        if (wrongKey) {
            fs::remove(paths.codeKey());
            throw Error(ErrorKind::Conflict, "key.not_the_stores",
                        "That key is not the one the store's visitor codes are made with (another site's, or an old "
                        "machine's?); nothing was installed. Export it again on a desk machine that works.");
        }
    }
    std::cout << (written ? "The key for visitor codes is now in " : "This machine has that key already: ")
              << paths.codeKey().string() << ".\n";
    return kExitOk;
}

int cmdOffsite(const Args& a) {
    Store store = Store::open(location(a));
    if (a.flag("url") || a.flag("user") || a.flag("password-file") || a.flag("keep") || a.flag("hour")) {
        offsite::Settings s = offsite::loadSettings(store);
        if (a.flag("url")) s.url = *a.flag("url");
        if (a.flag("user")) s.user = *a.flag("user");
        s.password = a.flag("password-file") ? firstLine(*a.flag("password-file")) : "";
        s.keep = static_cast<int>(a.number("keep", s.keep, 1, 365));
        s.hour = static_cast<int>(a.number("hour", s.hour, 0, 23));
        offsite::configure(store, Actor::cli(), s);
    }
    if (a.flag("new-phrase")) {
        const std::string phrase = offsite::makeRecoveryPhrase(store, Actor::cli());
        std::cout << "Recovery phrase (shown once; write it down and keep it away from this machine — without it\n"
                     "no off-site backup can be opened):\n\n    "
                  << phrase << "\n\n";
    }
    const offsite::Settings s = offsite::loadSettings(store);
    std::cout << "Folder:   " << (s.url.empty() ? "(not set)" : s.url) << "\n"
              << "User:     " << (s.user.empty() ? "(none)" : s.user) << (s.password.empty() ? "" : ", password set") << "\n"
              << "Keep:     " << s.keep << " copies; nightly after " << s.hour << ":00\n"
              << "Phrase:   " << (s.publicKeyHex.empty() ? "not made yet (--new-phrase)" : "made (key " + s.publicKeyHex.substr(0, 16) + "…)")
              << "\n";
    for (const offsite::Run& r : offsite::recentRuns(store, 5)) {
        std::cout << "  " << localDayAndTime(r.startedAt) << "  " << r.trigger << "  " << r.status;
        if (r.status == "ok") std::cout << "  " << r.name << "  " << r.bytes << " bytes";
        if (!r.reason.empty()) std::cout << "  " << r.reason << (r.message.empty() ? "" : ": " + r.message);
        std::cout << "\n";
    }
    return kExitOk;
}

int cmdCalendar(const Args& a) {
    const std::string what = a.positional.at(0);
    Store store = Store::open(location(a));
    if (what == "set") {
        if (a.positional.size() != 3) throw UsageError("calendar set takes a service code and a URL (\"\" to remove).");
        const auto service = findService(store, a.positional[1]);
        if (!service) throw UsageError("There is no service with the code \"" + a.positional[1] + "\".");
        calendar::setFeed(store, Actor::cli(), *service, a.positional[2],
                          static_cast<int>(a.number("capacity", 8, 1, 500)));
        std::cout << (a.positional[2].empty() ? "The weekly rules apply again to " : "Calendar set for ")
                  << a.positional[1] << ".\n";
        return kExitOk;
    }
    if (a.positional.size() != 1) throw UsageError(what + " takes no more arguments.");
    if (a.flag("capacity")) throw UsageError("--capacity goes with calendar set.");
    if (what == "list") {
        for (const calendar::FeedInfo& f : calendar::listFeeds(store)) {
            std::cout << f.serviceName << ": " << f.url << " (" << f.capacity << " places per session)\n";
            if (!f.checkedAt) std::cout << "  not read yet\n";
            if (f.okAt) std::cout << "  last read " << localDayAndTime(*f.okAt) << ": " << f.sessions << " sessions\n";
            if (!f.warnings.empty())
                std::cout << "  " << f.warnings.size() << (f.warnings.size() == 1 ? " warning" : " warnings")
                          << " at that read:\n";
            for (const std::string& w : f.warnings) std::cout << "    " << w << "\n";
            if (!f.errorKind.empty())
                std::cout << "  last attempt " << localDayAndTime(*f.checkedAt) << " failed (" << f.errorKind << "): " << f.error
                          << "\n";
        }
        return kExitOk;
    }
    if (what != "sync") throw UsageError("calendar takes sync, list or set, not \"" + what + "\".");
    const auto results = calendar::syncFeeds(store, net::Client(netOptions(a, calendar::feedOptions())), nowUnix());
    int failed = 0;
    for (const auto& r : results) {
        using O = calendar::SyncResult::Outcome;
        if (r.outcome == O::Failed) {
            ++failed;
            std::cerr << "inloopctl: " << r.serviceName << ": " << r.message << "\n";
            continue;
        }
        std::cout << r.serviceName << ": "
                  << (r.outcome == O::NotModified ? std::string("not changed")
                      : std::to_string(r.applied.added).insert(0, 1, '+') + " new, " + std::to_string(r.applied.changed) +
                            " changed, " + std::to_string(r.applied.removed) + " removed, " +
                            std::to_string(r.applied.cancelled) + " cancelled" +
                            (r.message.empty() ? "" : " (" + r.message + ")"))
                  << "\n";
    }
    if (results.empty()) std::cout << "No service has a calendar address.\n";
    generateSessions(store, localDay(nowUnix()), 28);
    return failed ? kExitFailed : kExitOk;
}

int cmdPurge(const Args& a) {
    Store store = Store::open(location(a));
    const std::string today = localDay(nowUnix());
    const std::string before = a.flag("before") ? dayOption(a, "before", "") : retentionCutoff(store, today);
    if (before > today) throw UsageError("--before cannot lie in the future.");
    const int purged = purgeAliases(store, Actor::cli(), before);
    const int names = closeDays(store, today);
    const StoreLocation loc = location(a);
    // A folder's safety copies, or the databases a restore on PostgreSQL kept: both hold purged text.
    const int copies = loc.isPostgres() ? static_cast<int>(pruneKeptDatabases(loc, nowUnix()).size())
                                        : pruneSafetyCopies(loc.dataDir, nowUnix());
    std::cout << "Purged " << purged << (purged == 1 ? " alias" : " aliases") << " of stays that ended before " << before
              << " (retention: " << retentionMonths(store) << " months); " << names
              << " registrations of earlier days closed. Counts are kept.\n";
    if (copies > 0)
        std::cout << "Deleted " << copies
                  << (loc.isPostgres() ? (copies == 1 ? " database kept by a restore" : " databases kept by restores")
                                       : (copies == 1 ? " safety copy" : " safety copies"))
                  << " older than " << kSafetyCopyDays << " days.\n";
    // The old text must be gone from the WALs too, not only from the tables.
    const std::string left = flushAfterPurge(store);
    if (!left.empty()) {
        std::cerr << "inloopctl: " << left << "\n";
        return kExitFailed;
    }
    return kExitOk;
}

// The daily job of the appliance's timer (inloop-upkeep.timer), whether or not an app runs.
int cmdUpkeep(const Args& a) {
    Store store = Store::open(location(a));
    const UpkeepResult r = dailyUpkeep(store, localDay(nowUnix()));
    const auto n = [](int count, const char* one, const char* many) {
        return std::to_string(count) + " " + (count == 1 ? one : many);
    };
    std::cout << "Upkeep done: " << n(r.registrationsClosed, "registration", "registrations")
              << " of earlier days closed (typed names wiped); " << n(r.aliasesPurged, "alias", "aliases")
              << " of stays that ended before " << r.cutoff << " purged; "
              << n(r.sessionsAdded, "session", "sessions") << " added for the coming 4 weeks; "
              << n(r.safetyCopiesDeleted, "safety copy", "safety copies") << " older than " << kSafetyCopyDays
              << " days deleted.\n";
    if (!r.leftInWal.empty()) {
        std::cerr << "inloopctl: " << r.leftInWal << "\n";
        return kExitFailed;
    }
    return kExitOk;
}

int cmdReport(const Args& a) {
    const int year = static_cast<int>(a.number("year", 0, 2000, 2100));
    if (year == 0) throw UsageError("report needs --year YYYY.");
    const int month = static_cast<int>(a.number("month", 0, 1, 12));
    const std::string format = a.flag("format").value_or("text");
    if (format != "text" && format != "csv" && format != "json")
        throw UsageError("--format takes text, csv or json, not \"" + format + "\".");
    const std::string lang = a.flag("lang").value_or("nl");
    if (lang != "nl" && lang != "en") throw UsageError("--lang takes nl or en.");
    const StoreLocation loc = location(a);
    // A read-only data folder is read from a private copy; a server is read as it is.
    ReadableStore readable = loc.isPostgres() ? ReadableStore{nullptr, Store::open(loc)} : openForReading(loc.dataDir);
    Store& store = readable.store;
    const Report r = buildReport(store, month ? Period::month(year, month) : Period::year(year));
    if (format == "text") { // the summary, in the desk's words
        const Messages words(resourceRoot() / "locales" / "desk", {kDeskLanguages.begin(), kDeskLanguages.end()});
        std::cout << reportText(r, Wording::of(words, lang));
        return kExitOk;
    }
    std::cout << (format == "json" ? reportJson(r) : reportCsv(r, lang));
    return kExitOk;
}

int cmdI18nCheck(const Args& a) {
    const fs::path root = a.flag("root") ? fs::path(*a.flag("root")) : resourceRoot();
    const TranslationReport r = checkTranslations(root);
    for (const auto& f : r.facts) std::cout << "i18n-check: " << f << "\n";
    for (const auto& p : r.problems) std::cerr << p.where << ": " << p.message << "\n";
    if (!r.ok()) {
        std::cerr << "inloopctl: the translations are not complete (" << r.problems.size()
                  << (r.problems.size() == 1 ? " problem" : " problems") << ").\n";
        return kExitFailed;
    }
    std::cout << "i18n-check: every language is complete.\n";
    return kExitOk;
}

const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"init", "init", "Creates the data folder with public.db and desk.db, or migrates them to this version.\n"
                         "Safe to run again: existing data is kept.", {}, 0, cmdInit},
        {"server", "server init [--database NAME] [--prefix P] [--host H[,H2]] [--network N] [--tls-dir D]\n"
                   "            [--tls-cert F --tls-key K [--tls-ca C]] [--new-passwords]",
         "One PostgreSQL store for several machines. Run on the appliance with an admin connection (--store or\n"
         "$INLOOP_STORE: a superuser, or a role with CREATEROLE and CREATEDB). Creates the database NAME (default\n"
         "inloop) if missing and three roles: P+owner (owns the data, runs upgrades, no login), P+desk and P+kiosk\n"
         "(P default inloop_; another prefix lets two sites or tests share a server), with passwords it prints once.\n"
         "Brings the schemas up to this version as the owner and gives each role exactly what its machine does:\n"
         "the kiosk's reads only what the kiosk shows (no call names, staff, contacts, stays, codes, settings or\n"
         "audit log) and writes only registrations and its counters; the desk's may not change the audit log.\n"
         "TLS: with --host H (this server's names or addresses as the other machines reach it; default the --store\n"
         "host) it makes a site CA and a certificate for H in D (default <data-dir>/server-tls): site-ca.pem for\n"
         "every machine, server.crt and server.key for PostgreSQL; or takes the site's own (--tls-cert, --tls-key,\n"
         "--tls-ca: its CA, none if self-signed), checked against H before anything changes; or keeps D's if it\n"
         "still fits. Then prints each machine's connection line (TLS, sslmode=verify-full), the commands that\n"
         "install the certificate, the pg_hba.conf lines (hostssl; network N, default samenet), the firewall lines\n"
         "for port 5432 and where this machine's key for visitor codes is.\n"
         "Safe to run again, also after an upgrade: grants are given anew (what was added by hand is taken back);\n"
         "passwords stay unless --new-passwords.",
         {"database", "prefix", "host", "network", "tls-dir", "tls-cert", "tls-key", "tls-ca"}, 1, cmdServer,
         {"new-passwords"}},
        {"demo", "demo [--years N] [--seed S] [--today YYYY-MM-DD]",
         "Fills an empty, initialised store with realistic data for N years (1-15, default 2) up to today,\n"
         "shaped like Spot 46's yearly figures. The same seed gives the same data. Refuses a store with data.",
         {"years", "seed", "today"}, 0, cmdDemo},
        {"check", "check",
         "Checks both files: integrity, references, schema version, WAL mode and frames, file permissions, the\n"
         "code key. Read-only: it checks a private copy, so no file of the store changes (a read-only folder can\n"
         "be checked). Exits 0 only if everything is healthy and ready; prints one line per problem. Exit 3: healthy, but site facts are still placeholders (not ready for go-live).\n"
         "On PostgreSQL: the schema versions, the audit chain, and that the roles of `server init` have exactly the\n"
         "privileges of the design (each one added or missing is a problem).", {}, 0, cmdCheck},
        {"backup", "backup FILE | backup --upload [--nightly] [--ca-file F]",
         "Writes a consistent backup of both files and the code key to FILE (an SQLite archive), while the\n"
         "apps keep running. FILE must not exist yet.\n"
         "--upload: seals a backup for the recovery phrase and uploads it to the off-site folder (see `offsite`),\n"
         "keeping the newest copies there. The front desk does this every night by itself. Where no off-site\n"
         "folder is set up it says so and exits 0 (a nightly timer may run it on every appliance).\n"
         "--nightly: only when it is due by the nightly rule (set up, past the hour, not yet done today, a failure\n"
         "retried every 30 minutes, at most 6 times); otherwise says why not and exits 0. The systemd timer runs this.\n"
         "--ca-file F (or $INLOOP_CA_FILE): also trust this CA certificate (a server with the site's own CA).\n"
         "On PostgreSQL (--store): FILE is a pg_dump of one consistent snapshot of the schemas pub, desk and site,\n"
         "checked and sealed for the recovery phrase (make one first: offsite --new-phrase), with this machine's\n"
         "key for visitor codes (never in the database) when it has one. --upload sends the same off-site.",
         {"ca-file"}, 1, cmdBackup, {"upload", "nightly"}, 0},
        {"restore", "restore FILE [--disconnect] | restore --from-url URL [--user U] [--phrase-file F] [--ca-file F]",
         "Replaces the data with the backup in FILE after checking it; a backup that fails the check changes\n"
         "nothing. The kiosk and front desk may keep running: they see the restored data. The replaced data is\n"
         "kept as before-restore-<day>-<time>.sqlar in the data folder for 30 days (see purge). A full disk or a\n"
         "program that holds the data for more than 10 seconds makes it refuse, changing nothing. A sealed (off-site) backup needs the recovery phrase: from --phrase-file, $INLOOP_RECOVERY_PHRASE\n"
         "or typed in. --from-url downloads it first (--user and $INLOOP_BACKUP_PASSWORD for the folder's login;\n"
         "--ca-file F or $INLOOP_CA_FILE to trust a site's own CA). A mistyped phrase, a phrase of other backups\n"
         "and a damaged file are each refused and change nothing.\n"
         "On PostgreSQL (--store): only a sealed backup of a PostgreSQL store. It is restored into a new database on\n"
         "the same server, checked (schema versions, every table's rows, the audit chain) and then switched in by\n"
         "renaming: the old database is kept as <db>_before_<time>. Other connections to the store make it refuse,\n"
         "naming them; --disconnect ends them instead. A failure drops the new database and changes nothing.",
         {"from-url", "user", "phrase-file", "ca-file"}, 1, cmdRestore, {"disconnect"}, 0},
        {"key", "key export [FILE] | key import [FILE]",
         "The key for visitor codes (desk/client-code.key) from one desk machine to another: on a site with several\n"
         "machines it is never in the database, so each desk machine needs a copy. export prints it as text to type\n"
         "(17 groups; the last checks the others) or writes it to FILE (mode 0600, a new file); import, on the new\n"
         "machine, reads FILE or the typed text and puts it in place. A mistyped key, or another key already there,\n"
         "is refused and nothing changes.",
         {}, 2, cmdKey, {}, 1},
        {"offsite", "offsite [--url URL] [--user U] [--password-file F] [--keep N] [--hour H] [--new-phrase]",
         "Sets up off-site backups: the WebDAV folder (https://, e.g. a Nextcloud share), its user and app\n"
         "password (from a file), copies to keep (default 14) and the nightly hour (default 3). --new-phrase makes\n"
         "the recovery phrase and prints it once; only its public half stays on this machine. Without options:\n"
         "shows the settings and the last runs.",
         {"url", "user", "password-file", "keep", "hour"}, 0, cmdOffsite, {"new-phrase"}, 0},
        {"calendar", "calendar sync|list | calendar set SERVICE URL [--capacity N]",
         "Partner calendars: a service's sessions can come from an iCalendar (ICS) address instead of weekly\n"
         "rules. set: the address for a service (\"\" for the weekly rules again), N places per session (default 8).\n"
         "sync: fetches every feed and updates the coming 4 weeks; a feed that fails keeps the last good schedule,\n"
         "its reason goes to stderr (exit 1) and shows at the front desk. The front desk syncs by itself every hour.\n"
         "list: every feed with its last read and last failure. --ca-file F (or $INLOOP_CA_FILE): trust a site's CA.",
         {"capacity", "ca-file"}, 3, cmdCalendar, {}, 1},
        {"report", "report --year YYYY [--month M] [--format text|csv|json] [--lang nl|en]",
         "The yearly (or monthly) figures: walk-ins and distinct visitors, outreach people per channel, contacts by\n"
         "channel, gender, topic and language, consultation hours, supplies, the shelter and the kiosk, with how each\n"
         "is counted. Text is the summary a centre writes (\"Feiten & Cijfers\"), in Dutch or, with --lang en, English.\n"
         "CSV opens in Dutch Excel (UTF-8 with BOM, ';', decimal comma) with --lang nl; JSON keys are stable and\n"
         "always all present (docs/REPORT.md).",
         {"year", "month", "format", "lang"}, 0, cmdReport},
        {"purge", "purge [--before YYYY-MM-DD]",
         "Removes personal details past the retention period (setting retention.months, default 24): aliases of\n"
         "shelter stays that ended before the day, and names typed at the kiosk on earlier days. Counts stay.\n"
         "The front desk also does this by itself every day. Safety copies that restore left in the data folder\n"
         "are deleted after 30 days (they hold the data as it was, purged details included). Then both WALs are\n"
         "checkpointed and truncated so the old text is gone from every file; if a program in the middle of a read\n"
         "blocks that for 5 seconds, purge says which file still holds it and exits 1 (run it again later).",
         {"before"}, 0, cmdPurge},
        {"upkeep", "upkeep",
         "The daily upkeep the appliance's timer runs (inloop-upkeep.timer), whether or not an app runs: names\n"
         "typed at the kiosk are wiped once their session's day has ended, aliases past the retention period are\n"
         "purged (as `purge`), and the coming 4 weeks of sessions are made. Safe to run at any time.",
         {}, 0, cmdUpkeep},
        {"i18n-check", "i18n-check [--root DIR]",
         "Checks that every language is complete: each key of locales/nl.po in every locale, valid ICU\n"
         "MessageFormat with the same arguments, the right plural categories, every info page present with the\n"
         "sections of the Dutch page, known {{placeholders}}, and a glyph in the fonts for every character.\n"
         "DIR holds assets/ and locales/ (default: $INLOOP_ROOT, else /usr/share/inloop when installed, else the\n"
         "source tree); site facts in DIR/assets/site.ini, or /etc/inloop/site.ini when installed. One line per problem.",
         {"root"}, 0, cmdI18nCheck},
    };
    return list;
}

void printUsage(std::ostream& out) {
    out << "Usage: inloopctl [--data-dir DIR | --store DIR-OR-POSTGRESQL-URL] COMMAND [options]\n\n"
           "DIR defaults to $INLOOP_DATA_DIR, else ./var (/var/lib/inloop when installed).\n\nCommands:\n";
    for (const auto& c : commands()) out << "  " << c.synopsis << "\n";
    out << "\nRun `inloopctl COMMAND --help` for what a command does.\n";
}

UsageError repeated(const std::string& name) {
    return UsageError("--" + name + " is given more than once; give it once.");
}

Args parse(int argc, char** argv, const Command*& cmd) {
    Args a;
    cmd = nullptr;
    std::vector<std::string> rest;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            a.help = true;
        } else if (arg == "--data-dir" || arg.rfind("--data-dir=", 0) == 0) {
            if (a.dataDir) throw repeated("data-dir");
            if (arg == "--data-dir") {
                if (i + 1 >= argc) throw UsageError("--data-dir needs a folder.");
                a.dataDir = argv[++i];
            } else {
                a.dataDir = arg.substr(11);
            }
            if (a.dataDir->empty()) throw UsageError("--data-dir needs a folder.");
            checkPathLength(*a.dataDir);
        } else if (arg == "--store" || arg.rfind("--store=", 0) == 0) {
            if (a.store) throw repeated("store");
            if (arg == "--store") {
                if (i + 1 >= argc) throw UsageError("--store needs a data folder or a PostgreSQL location.");
                a.store = argv[++i];
            } else {
                a.store = arg.substr(8);
            }
            if (a.store->empty()) throw UsageError("--store needs a data folder or a PostgreSQL location.");
        } else if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
            const auto eq = arg.find('=');
            std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            if (!cmd) throw UsageError("Unknown option " + arg + " (options come after the command).");
            if (std::find(cmd->switches.begin(), cmd->switches.end(), name) != cmd->switches.end()) {
                if (eq != std::string::npos) throw UsageError("--" + name + " takes no value.");
                if (a.flags.count(name)) throw repeated(name);
                a.flags[name] = "yes";
                continue;
            }
            if (std::find(cmd->flags.begin(), cmd->flags.end(), name) == cmd->flags.end())
                throw UsageError("Unknown option --" + name + " for " + cmd->name + ".");
            if (a.flags.count(name)) throw repeated(name); // every option takes one value: never the last silently
            if (eq != std::string::npos) a.flags[name] = arg.substr(eq + 1);
            else if (i + 1 < argc) a.flags[name] = argv[++i];
            else throw UsageError("--" + name + " needs a value.");
        } else if (!cmd && a.command.empty()) {
            a.command = arg;
            for (const auto& c : commands())
                if (arg == c.name) cmd = &c;
            if (!cmd) throw UsageError("Unknown command \"" + arg + "\".");
        } else {
            a.positional.push_back(arg);
        }
    }
    return a;
}

} // namespace

int main(int argc, char** argv) {
    const Command* cmd = nullptr;
    Args args;
    try {
        args = parse(argc, argv, cmd);
    } catch (const UsageError& e) {
        std::cerr << "inloopctl: " << e.what() << " See `inloopctl --help`.\n";
        return kExitUsage;
    }
    if (!cmd) {
        printUsage(args.help ? std::cout : std::cerr);
        return args.help ? kExitOk : kExitUsage;
    }
    if (args.help) {
        std::cout << "Usage: inloopctl [--data-dir DIR] " << cmd->synopsis << "\n\n" << cmd->help << "\n";
        return kExitOk;
    }
    const size_t fewest = cmd->minPositionals == SIZE_MAX ? cmd->positionals : cmd->minPositionals;
    if (args.positional.size() < fewest || args.positional.size() > cmd->positionals) {
        std::cerr << "inloopctl: " << cmd->name << " takes "
                  << (cmd->positionals == 0 ? std::string("no arguments")
                      : fewest == cmd->positionals ? std::to_string(cmd->positionals) + " argument"
                      : fewest == 0 ? "at most " + std::to_string(cmd->positionals) + " argument"
                                    : std::to_string(fewest) + " to " + std::to_string(cmd->positionals) + " arguments")
                  << "; usage: inloopctl " << cmd->synopsis << "\n";
        return kExitUsage;
    }
    try {
        return cmd->run(args);
    } catch (const UsageError& e) {
        std::cerr << "inloopctl: " << e.what() << " See `inloopctl " << cmd->name << " --help`.\n";
        return kExitUsage;
    } catch (const Error& e) {
        std::cerr << "inloopctl: " << e.what() << "\n";
        return kExitFailed;
    } catch (const DbError& e) {
        std::cerr << "inloopctl: " << e.what() << "\n";
        return kExitFailed;
    } catch (const std::exception& e) {
        std::cerr << "inloopctl: " << e.what() << "\n";
        return kExitFailed;
    }
}
