// inloopctl backup and restore on a PostgreSQL store (issue 20): a sealed pg_dump, restored beside the live
// database, checked, then switched in by renaming; the old database kept.
#include "cli_helpers.hpp"

#include "core/backup/maintenance.hpp"
#include "core/backup/sealed_backup.hpp"
#include "core/store/sqlite.hpp"
#include "support/https_server.hpp"
#include "support/temp_store.hpp"
#include "support/test_pg.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <string>
#include <vector>

using namespace inloop::test;
using inloop::test::HttpsServer;
using inloop::test::Received;
namespace core = inloop::core;

namespace {

// A store on a fresh database with a year of demo data and a recovery phrase; the machine's data folder in `dir`.
struct PgSite {
    FreshPgDatabase db;
    TempDir dir;
    fs::path machine = dir.path() / "machine";
    fs::path phraseFile = dir.path() / "phrase";
    std::string phrase;

    explicit PgSite(const std::string& server) : db(server) {
        REQUIRE_MESSAGE(ctl({"init"}).exitCode == 0, "init");
        const RunResult demo = ctl({"demo", "--years", "1"});
        REQUIRE_MESSAGE(demo.exitCode == 0, demo.err);
        phrase = newPhrase();
    }
    ~PgSite() { // the kept databases of the restores, and any half-made one a failing test left
        try {
            Pg admin(db.conninfo());
            for (const std::string& name : databases())
                if (name != db.name()) admin.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (const std::exception&) {
        }
    }
    std::string store() const { return db.conninfo() + " dbname=" + db.name(); }
    RunResult ctl(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--data-dir", machine.string(), "--store", store()});
        return runCtl(args);
    }
    // Makes a new recovery phrase (the store keeps its public half) and writes it to phraseFile.
    std::string newPhrase() {
        const RunResult r = ctl({"offsite", "--new-phrase"});
        REQUIRE_MESSAGE(r.exitCode == 0, r.err);
        const auto at = r.out.find("\n    ");
        REQUIRE(at != std::string::npos);
        const std::string p = r.out.substr(at + 5, r.out.find('\n', at + 5) - at - 5);
        writeFile(phraseFile, p + "\n");
        return p;
    }
    RunResult restore(const fs::path& file, std::vector<std::string> more = {}) const {
        std::vector<std::string> args{"restore", "--phrase-file", phraseFile.string(), file.string()};
        args.insert(args.end(), more.begin(), more.end());
        return ctl(args);
    }
    // The databases of this test: the store's and those named after it (_restore_…, _before_…).
    std::vector<std::string> databases() const {
        Pg admin(db.conninfo());
        return admin.rows("SELECT datname FROM pg_database WHERE datname = '" + db.name() + "' OR datname LIKE '" +
                          db.name() + "\\_%' ORDER BY 1");
    }
};

// Every row of every Inloop table (as text, sorted) and every sequence's position, by name.
std::map<std::string, std::vector<std::string>> everyRow(Pg& db) {
    std::map<std::string, std::vector<std::string>> out;
    for (const std::string& t :
         db.rows("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                 "WHERE n.nspname IN ('pub', 'desk', 'site') AND c.relkind IN ('r', 'p') ORDER BY 1"))
        out[t] = db.rows("SELECT t::text FROM " + t + " t ORDER BY 1");
    for (const std::string& s :
         db.rows("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                 "WHERE n.nspname IN ('pub', 'desk', 'site') AND c.relkind = 'S' ORDER BY 1"))
        out[s] = db.rows("SELECT last_value || ',' || is_called FROM " + s);
    return out;
}

size_t totalRows(const std::map<std::string, std::vector<std::string>>& rows) {
    size_t n = 0;
    for (const auto& [name, r] : rows) n += r.size();
    return n;
}

// "… kept in the database NAME on the same server …" from restore's output.
std::string keptDatabase(const std::string& out) {
    const std::string lead = "kept in the database ";
    const auto at = out.find(lead);
    if (at == std::string::npos) return {};
    return out.substr(at + lead.size(), out.find(' ', at + lead.size()) - at - lead.size());
}

} // namespace

TEST_SUITE("postgres") {

TEST_CASE("backup then restore of a PostgreSQL store brings back every table row for row, and the old database is kept") {
    PgSite site(serverOrSkip());
    const fs::path file = site.dir.path() / "site.sealed";
    const RunResult backup = site.ctl({"backup", file.string()});
    CLI_INFO(backup);
    REQUIRE(backup.exitCode == 0);
    CHECK(contains(backup.out, "sealed for the recovery phrase"));
    CHECK(contains(backup.out, "key for visitor codes"));
    CHECK(fileMode(file) == 0600);
    CHECK_FALSE(contains(readBytes(file), "PGDMP")); // the dump is inside the seal, not beside it
    CHECK_FALSE(contains(readBytes(file), "schema_version"));

    std::map<std::string, std::vector<std::string>> before;
    {
        Pg db = site.db.connect();
        before = everyRow(db);
        // A disaster after the backup: the desk's whole schema gone.
        db.exec("DROP SCHEMA desk CASCADE");
    }
    REQUIRE(before.size() > 25);
    REQUIRE(before.count("desk.contact"));
    CHECK(before["desk.contact"].size() > 1000);
    CHECK(totalRows(before) > 10000);
    const fs::path key = site.machine / "desk" / "client-code.key";
    const std::string keyBytes = readBytes(key);
    fs::remove(key); // a new desk machine: the backup brings the key

    const RunResult restore = site.restore(file);
    CLI_INFO(restore);
    REQUIRE(restore.exitCode == 0);
    CHECK(contains(restore.out, "unbroken chain"));
    {
        Pg db = site.db.connect();
        const auto after = everyRow(db);
        CHECK(after.size() == before.size());
        for (const auto& [name, rows] : before) {
            CAPTURE(name);
            CHECK(after.count(name) == 1);
            if (after.count(name)) CHECK(after.at(name) == rows);
        }
    }
    CHECK(readBytes(key) == keyBytes);
    const std::string kept = keptDatabase(restore.out);
    CHECK(kept.rfind(site.db.name() + "_before_", 0) == 0);
    CHECK(site.databases() == std::vector<std::string>{site.db.name(), kept});
    { // the replaced data is still there, as it was: without the desk's schema
        Pg old(site.db.conninfo(), kept);
        CHECK(old.exec("SELECT to_regnamespace('desk') IS NULL") == "t");
        CHECK(old.exec("SELECT count(*) FROM pub.schema_version") != "0");
    }
    const RunResult check = site.ctl({"check"});
    CHECK_MESSAGE(check.exitCode == 0, check.err);
    // The store takes writes again after the restore (sequences went with the data), and purge drops only the kept
    // databases past the safety copies' 30 days (they hold purged text too).
    const std::string old = site.db.name() + "_before_20200101_120000";
    Pg(site.db.conninfo()).exec("CREATE DATABASE " + old);
    const RunResult purge = site.ctl({"purge"});
    CHECK_MESSAGE(purge.exitCode == 0, purge.err);
    CHECK(contains(purge.out, "Deleted 1 database kept by a restore older than 30 days"));
    CHECK(site.databases() == std::vector<std::string>{site.db.name(), kept});
}

TEST_CASE("restore on PostgreSQL with a wrong phrase, a damaged file or data that fails its check changes nothing") {
    PgSite site(serverOrSkip());
    const fs::path file = site.dir.path() / "site.sealed";
    REQUIRE(site.ctl({"backup", file.string()}).exitCode == 0);
    const std::string goodPhrase = site.phrase;
    Pg live = site.db.connect();
    live.exec("DELETE FROM pub.registration"); // after the backup: a restore would bring it back
    const auto rowsNow = [&] {
        Pg db = site.db.connect();
        return everyRow(db);
    };
    const auto before = rowsNow();
    const std::vector<std::string> databases{site.db.name()};
    REQUIRE(site.databases() == databases);
    const auto unchanged = [&] {
        CHECK(site.databases() == databases); // no half-made database left
        CHECK(rowsNow() == before);
        CHECK(live.exec("SELECT count(*) FROM pub.registration") == "0"); // our connection was never disturbed
    };

    { // a phrase of other backups
        writeFile(site.phraseFile, core::backup::newRecoveryPhrase().phrase);
        const RunResult r = site.restore(file);
        CLI_INFO(r);
        CHECK(r.exitCode == 1);
        CHECK(isOneErrorLine(r.err));
        CHECK(contains(r.err, "belongs to other backups"));
        unchanged();
    }
    { // a mistyped phrase
        std::string typo = goodPhrase;
        typo[0] = typo[0] == 'A' ? 'B' : 'A';
        writeFile(site.phraseFile, typo);
        const RunResult r = site.restore(file);
        CLI_INFO(r);
        CHECK(r.exitCode != 0);
        CHECK(contains(r.err, "mistyped"));
        unchanged();
        writeFile(site.phraseFile, goodPhrase);
    }
    { // a damaged sealed file
        std::string bytes = readBytes(file);
        bytes[bytes.size() / 2] ^= 0x55;
        const fs::path bad = site.dir.path() / "damaged.sealed";
        writeFile(bad, bytes);
        const RunResult r = site.restore(bad);
        CLI_INFO(r);
        CHECK(r.exitCode == 1);
        CHECK(isOneErrorLine(r.err));
        CHECK(contains(r.err, "damaged"));
        unchanged();
    }
    { // a file cut short
        const std::string bytes = readBytes(file);
        const fs::path cut = site.dir.path() / "cut.sealed";
        writeFile(cut, bytes.substr(0, bytes.size() - 100));
        const RunResult r = site.restore(cut);
        CLI_INFO(r);
        CHECK(r.exitCode == 1);
        CHECK(contains(r.err, "damaged or incomplete"));
        unchanged();
    }
    { // a backup that opens, but whose data does not match its manifest: the new database is dropped again
        // Open the real backup, change one count in its manifest, seal it again for the same phrase.
        const fs::path plain = site.dir.path() / "opened.sqlar", resealed = site.dir.path() / "altered.sealed";
        core::backup::openFile(file, plain, goodPhrase);
        {
            core::SqliteDatabase archive(plain, core::SqliteDatabase::Mode::ReadWrite);
            const std::string manifest = archive.queryText("SELECT data FROM sqlar WHERE name = 'postgres.txt'");
            const auto at = manifest.find("rows desk.contact ");
            REQUIRE(at != std::string::npos);
            std::string changed = manifest;
            changed.insert(at + std::string("rows desk.contact ").size(), "1");
            archive.exec("UPDATE sqlar SET data = CAST('" + changed + "' AS BLOB), sz = " +
                         std::to_string(changed.size()) + " WHERE name = 'postgres.txt'");
        }
        core::backup::sealFile(plain, resealed, core::backup::publicKeyFromPhrase(goodPhrase));
        const RunResult r = site.restore(resealed);
        CLI_INFO(r);
        CHECK(r.exitCode == 1);
        CHECK(isOneErrorLine(r.err));
        CHECK(contains(r.err, "does not pass the check"));
        CHECK(contains(r.err, "row counts"));
        unchanged();
    }
    { // a backup of a data folder
        const fs::path folder = site.dir.path() / "folder", plain = site.dir.path() / "folder.sqlar",
                       sealed = site.dir.path() / "folder.sealed";
        // --store with a folder: a data folder, also where this run's children get $INLOOP_STORE.
        REQUIRE(runCtl({"--store", folder.string(), "init"}).exitCode == 0);
        REQUIRE(runCtl({"--store", folder.string(), "backup", plain.string()}).exitCode == 0);
        core::backup::sealFile(plain, sealed, core::backup::publicKeyFromPhrase(goodPhrase));
        const RunResult r = site.restore(sealed);
        CLI_INFO(r);
        CHECK(r.exitCode == 1);
        CHECK(contains(r.err, "is a backup of a data folder"));
        const RunResult unsealed = site.restore(plain);
        CHECK(unsealed.exitCode == 1);
        CHECK(contains(unsealed.err, "is not a sealed backup"));
        unchanged();
    }
}

TEST_CASE("restore on PostgreSQL refuses while another program is connected, naming it, and --disconnect ends it") {
    PgSite site(serverOrSkip());
    const fs::path file = site.dir.path() / "site.sealed";
    REQUIRE(site.ctl({"backup", file.string()}).exitCode == 0);
    Pg other = site.db.connect();
    other.exec("SET application_name = 'inloop-desk-2'");
    other.exec("DELETE FROM pub.registration");

    const RunResult refused = site.restore(file);
    CLI_INFO(refused);
    CHECK(refused.exitCode == 1);
    CHECK(isOneErrorLine(refused.err));
    CHECK(contains(refused.err, "is in use (inloop-desk-2 as "));
    CHECK(contains(refused.err, "--disconnect"));
    CHECK(site.databases() == std::vector<std::string>{site.db.name()});
    CHECK(other.exec("SELECT count(*) FROM pub.registration") == "0"); // still connected, data unchanged

    const RunResult forced = site.restore(file, {"--disconnect"});
    CLI_INFO(forced);
    REQUIRE(forced.exitCode == 0);
    CHECK(contains(forced.out, "Ended 1 connection"));
    CHECK(contains(forced.out, "inloop-desk-2"));
    CHECK_THROWS(other.exec("SELECT 1")); // its connection was ended
    Pg again = site.db.connect();
    CHECK(again.exec("SELECT count(*) FROM pub.registration") != "0"); // the backup's rows are back
    CHECK(site.databases().size() == 2);
}

TEST_CASE("backup of a PostgreSQL store without a recovery phrase, or to a file that exists, writes nothing") {
    const std::string server = serverOrSkip();
    FreshPgDatabase pg(server);
    TempDir dir;
    const std::vector<std::string> store = {"--data-dir", (dir.path() / "m").string(), "--store",
                                            pg.conninfo() + " dbname=" + pg.name()};
    auto args = store;
    args.push_back("init");
    REQUIRE(runCtl(args).exitCode == 0);
    const fs::path file = dir.path() / "b.sealed";
    args = store;
    args.insert(args.end(), {"backup", file.string()});
    const RunResult noPhrase = runCtl(args);
    CLI_INFO(noPhrase);
    CHECK(noPhrase.exitCode == 1);
    CHECK(isOneErrorLine(noPhrase.err));
    CHECK(contains(noPhrase.err, "offsite --new-phrase"));
    CHECK(entries(dir.path()) == std::vector<std::string>{"m"});

    auto phrase = store;
    phrase.insert(phrase.end(), {"offsite", "--new-phrase"});
    REQUIRE(runCtl(phrase).exitCode == 0);
    writeFile(file, "mine");
    const RunResult exists = runCtl(args);
    CHECK(exists.exitCode == 1);
    CHECK(contains(exists.err, "exists already"));
    CHECK(readBytes(file) == "mine");
}

TEST_CASE("restore on PostgreSQL keeps the database's owner and CONNECT grants and the roles' privileges of server init") {
    const std::string server = serverOrSkip();
    struct DropRoles { // after the databases, which the owner role owns
        std::string server, prefix = "bk" + std::to_string(::getpid()) + "_";
        ~DropRoles() {
            try {
                Pg admin(server);
                for (const char* r : {"kiosk", "desk", "owner"}) admin.exec("DROP ROLE IF EXISTS " + prefix + r);
            } catch (const std::exception&) {
            }
        }
    } roles{server};
    PgSite site(server);
    const RunResult init = site.ctl({"server", "init", "--database", site.db.name(), "--prefix", roles.prefix});
    REQUIRE_MESSAGE(init.exitCode == 0, init.err);
    const std::string aclSql = "SELECT pg_get_userbyid(datdba) || ' ' || datacl::text FROM pg_database WHERE datname = '" +
                               site.db.name() + "'";
    Pg admin(site.db.conninfo());
    admin.exec("ALTER DATABASE " + site.db.name() + " OWNER TO " + roles.prefix + "owner"); // as on a new server
    const std::string acl = admin.exec(aclSql);
    CHECK(contains(acl, roles.prefix + "owner "));
    CHECK(contains(acl, roles.prefix + "kiosk=c/"));
    const fs::path file = site.dir.path() / "site.sealed";
    REQUIRE(site.ctl({"backup", file.string()}).exitCode == 0);

    const RunResult restore = site.restore(file);
    CLI_INFO(restore);
    REQUIRE(restore.exitCode == 0);
    CHECK(admin.exec(aclSql) == acl);
    const RunResult check = site.ctl({"check"}); // every role's privileges exactly as the design says
    CLI_INFO(check);
    CHECK(check.exitCode == 0);
    CHECK(contains(check.out, "have exactly the privileges of the design"));
    { // the kiosk's role can connect and read what it reads, and still not the desk's schema
        Pg kiosk(site.store() + " user=" + roles.prefix + "kiosk");
        CHECK(kiosk.exec("SELECT count(*) > 0 FROM pub.service") == "t");
        CHECK_THROWS_AS(kiosk.exec("SELECT count(*) FROM desk.contact"), PgError);
    }
}

TEST_CASE("pg_dump and pg_restore get the store's password through their environment, never their command line") {
    PgSite site(serverOrSkip());
    // Wrappers in $INLOOP_PG_BIN that record their arguments and whether PGPASSWORD came, then run the real tool.
    const fs::path bin = site.dir.path() / "bin", log = site.dir.path() / "tools.log";
    fs::create_directories(bin);
    for (const char* tool : {"pg_dump", "pg_restore"}) {
        writeFile(bin / tool, std::string("#!/bin/sh\necho \"") + tool + " $*\" >> " + log.string() +
                                  "\n[ \"$PGPASSWORD\" = SeCrEt-46 ] && echo \"" + tool + " has the password\" >> " +
                                  log.string() + "\nexec /usr/lib/postgresql/15/bin/" + tool + " \"$@\"\n");
        fs::permissions(bin / tool, fs::perms::owner_all);
    }
    // Trust authentication ignores the password, so the store works with one in its connection string.
    const std::string store = site.store() + " password=SeCrEt-46";
    const fs::path file = site.dir.path() / "site.sealed";
    const std::vector<std::string> env{"INLOOP_PG_BIN=" + bin.string()};
    const RunResult backup =
        runCtl({"--data-dir", site.machine.string(), "--store", store, "backup", file.string()}, env);
    CLI_INFO(backup);
    REQUIRE(backup.exitCode == 0);
    const RunResult restore = runCtl({"--data-dir", site.machine.string(), "--store", store, "restore", "--phrase-file",
                                      site.phraseFile.string(), file.string()},
                                     env);
    CLI_INFO(restore);
    REQUIRE(restore.exitCode == 0);
    const std::string calls = readBytes(log);
    INFO(calls);
    CHECK(contains(calls, "pg_dump --format=custom"));
    CHECK(contains(calls, "pg_dump has the password"));
    CHECK(contains(calls, "pg_restore --list"));
    CHECK(contains(calls, "pg_restore --exit-on-error"));
    CHECK(contains(calls, "pg_restore has the password"));
    CHECK_FALSE(contains(calls, "SeCrEt-46"));
    CHECK_FALSE(contains(calls, "host="));
}

TEST_CASE("backup --upload of a PostgreSQL store goes to the off-site folder sealed, and the downloaded file restores") {
    PgSite site(serverOrSkip());
    HttpsServer::DavFolder dav;
    HttpsServer server([&](const Received& r) { return dav(r); });
    const fs::path password = site.dir.path() / "dav-password";
    writeFile(password, "app-password-1\n");
    const RunResult set = site.ctl({"offsite", "--url", server.url("/dav/inloop"), "--user", "spot46", "--password-file",
                                    password.string(), "--keep", "2"});
    REQUIRE_MESSAGE(set.exitCode == 0, set.err);
    std::vector<std::string> names;
    for (int i = 0; i < 3; ++i) {
        const RunResult up = site.ctl({"backup", "--upload", "--ca-file", HttpsServer::caFile()});
        CLI_INFO(up);
        REQUIRE(up.exitCode == 0);
        CHECK(contains(up.out, "uploaded"));
        std::lock_guard lock(dav.mutex);
        names.clear();
        for (const auto& [path, body] : dav.files) names.push_back(path);
        if (i < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // names differ by the second
    }
    CHECK(names.size() == 2); // rotated: the newest two are kept
    Pg db = site.db.connect();
    CHECK(db.exec("SELECT count(*) FROM desk.backup_run WHERE status = 'ok'") == "3");
    CHECK(entries(site.machine / "desk" / ".offsite") == std::vector<std::string>{"lock"}); // no dump left behind

    const fs::path file = site.dir.path() / "downloaded.sealed";
    {
        std::lock_guard lock(dav.mutex);
        writeFile(file, dav.files.at(names.back()));
    }
    CHECK_FALSE(contains(readBytes(file), "PGDMP"));
    db.exec("DELETE FROM pub.registration");
    const RunResult restore = site.restore(file, {"--disconnect"});
    CLI_INFO(restore);
    REQUIRE(restore.exitCode == 0);
    Pg again = site.db.connect();
    CHECK(again.exec("SELECT count(*) FROM pub.registration") != "0");

    // Straight from the folder: restore --from-url downloads it into the machine's data folder, restores, removes it.
    again.exec("DELETE FROM pub.registration");
    const auto fromUrl = [&](const std::string& path) {
        return runCtl({"--data-dir", site.machine.string(), "--store", site.store(), "restore", "--from-url",
                       server.url(path), "--user", "spot46", "--ca-file", HttpsServer::caFile(), "--phrase-file",
                       site.phraseFile.string(), "--disconnect"},
                      {"INLOOP_BACKUP_PASSWORD=app-password-1"});
    };
    const RunResult refused = fromUrl("/dav/inloop/no-such-backup.sealed");
    CLI_INFO(refused);
    CHECK(refused.exitCode != 0);
    CHECK(contains(refused.err, "could not be downloaded"));
    CHECK(again.exec("SELECT count(*) FROM pub.registration") == "0"); // nothing changed
    const RunResult downloaded = fromUrl(names.back());
    CLI_INFO(downloaded);
    REQUIRE(downloaded.exitCode == 0);
    CHECK(contains(downloaded.out, "Restored"));
    CHECK(site.db.connect().exec("SELECT count(*) FROM pub.registration") != "0");
    CHECK(entries(site.machine / "desk" / ".offsite") == std::vector<std::string>{"lock"}); // the download is gone
}

} // TEST_SUITE
