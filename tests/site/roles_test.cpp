// Roles the database enforces (issue 20): `inloopctl server init` makes the owner, desk and kiosk roles; as the
// kiosk's role every forbidden read, write and call is refused with "permission denied" (42501) while the kiosk's
// own code path works; the desk's role does the desk's work but cannot change the audit log; `check` names a
// privilege someone granted by hand. Run against the throwaway server of scripts/test (TLS on 127.0.0.1, every
// role trusted, so `user=<role>` connects without its password).
#include "core/domain/domain.hpp"
#include "core/store/audit_chain.hpp"
#include "core/store/store.hpp"
#include "core/views/kiosk_view.hpp"
#include "core/base/clock.hpp"
#include "support/temp_store.hpp"
#include "support/test_pg.hpp"

#include <doctest/doctest.h>

#include <string>
#include <unistd.h>
#include <vector>

using namespace inloop;
using namespace inloop::test;

namespace {

// A database on the test server set up by `server init` with roles of its own prefix; the roles are dropped after
// the database (the members are destroyed in reverse order).
struct Site {
    struct Roles {
        std::string server, prefix;
        ~Roles() {
            try {
                Pg admin(server);
                for (const char* r : {"kiosk", "desk", "owner", "admin"}) admin.exec("DROP ROLE IF EXISTS " + prefix + r);
            } catch (const std::exception&) {
                // a throwaway server
            }
        }
    };
    std::string server = serverOrSkip();
    Roles roles{server, newPrefix()};
    FreshPgDatabase db{server};
    TempDir dir; // this machine's data folder: the key for visitor codes

    // t<pid>_<n>_: unique on the shared test server.
    static std::string newPrefix() {
        static int n = 0;
        std::string prefix = "t";
        prefix.append(std::to_string(::getpid())).append("_").append(std::to_string(++n)).append("_");
        return prefix;
    }
    std::string owner() const { return roles.prefix + "owner"; }
    std::string desk() const { return roles.prefix + "desk"; }
    std::string kiosk() const { return roles.prefix + "kiosk"; }
    // --store for the admin (the server's superuser) on the site's database, or for one role.
    std::string store(const std::string& user = "") const {
        return server + " dbname=" + db.name() + (user.empty() ? "" : " user=" + user);
    }
    core::StoreLocation location(const std::string& user = "") const { return {dir.path(), store(user)}; }
    RunResult ctl(std::vector<std::string> args, const std::string& store = "") const {
        args.insert(args.begin(), {"--data-dir", dir.path().string(), "--store", store.empty() ? server : store});
        return runCtl(args);
    }
    RunResult serverInit(std::vector<std::string> more = {}) const {
        std::vector<std::string> args = {"server", "init", "--database", db.name(), "--prefix", roles.prefix};
        args.insert(args.end(), more.begin(), more.end());
        return ctl(args);
    }
    Pg as(const std::string& role) const { return Pg(store(role)); }
};

#define RUN_INFO(run) INFO("exit " << (run).exitCode << "\nstdout: " << (run).out << "\nstderr: " << (run).err)

// The statement is refused for want of a privilege: SQLSTATE 42501.
void denied(Pg& pg, const std::string& sql) {
    CAPTURE(sql);
    try {
        pg.exec(sql);
        FAIL("allowed, but the design refuses it");
    } catch (const PgError& e) {
        CHECK_MESSAGE(e.sqlstate == "42501", e.what());
    }
}

std::vector<std::string> lines(Pg& pg, const std::string& sql) { return pg.rows(sql); }

struct Fixture {
    int64_t tomorrowSession = 0, yesterdaySession = 0;
    std::string today;
};

// A service with a session tomorrow (2 places) and one yesterday holding a registration with a typed name.
Fixture seed(const Site& site) {
    core::Store store = core::Store::open(site.location()); // the admin, as the desk
    Fixture f;
    f.today = core::localDay(core::nowUnix());
    const int64_t service = core::addService(store, core::Actor::cli(), {"test", "Test hour", "", "spot46", "nl,en"});
    f.tomorrowSession =
        core::addExtraSession(store, core::Actor::cli(), service, core::addDays(f.today, 1), 600, 720, 2);
    f.yesterdaySession =
        core::addExtraSession(store, core::Actor::cli(), service, core::addDays(f.today, -1), 600, 720, 5);
    core::registerForSession(store, core::Actor::cli(), f.yesterdaySession, core::RegistrationSource::Desk, "nl",
                             std::string("Anna"));
    return f;
}

} // namespace

TEST_SUITE("site") {

TEST_CASE("server init: roles, database and grants — a second run keeps the passwords and undoes a hand-made grant") {
    const Site site;
    // A store made before the roles (`init` as the admin): server init hands its objects to the owner.
    const RunResult before = site.ctl({"init"}, site.store());
    REQUIRE_MESSAGE(before.exitCode == 0, before.err);

    const RunResult first = site.serverInit({"--host", "appliance.lan"});
    RUN_INFO(first);
    REQUIRE(first.exitCode == 0);
    CHECK(first.out.find("host=appliance.lan port=") != std::string::npos);
    CHECK(first.out.find("dbname=" + site.db.name() + " user=" + site.desk() + " password=") != std::string::npos);
    CHECK(first.out.find("user=" + site.kiosk() + " password=") != std::string::npos);
    CHECK(first.out.find("hostssl  " + site.db.name() + "  " + site.kiosk() + "  samenet  scram-sha-256") !=
          std::string::npos);
    CHECK(first.out.find("local    " + site.db.name() + "  " + site.desk() + "  scram-sha-256") != std::string::npos);
    CHECK(first.out.find("client-code.key") != std::string::npos);
    CHECK(first.out.find("TLS") != std::string::npos);

    Pg admin = site.db.connect();
    CHECK(admin.exec("SELECT rolcanlogin::text FROM pg_roles WHERE rolname = '" + site.owner() + "'") == "false");
    CHECK(admin.exec("SELECT rolcanlogin::text FROM pg_roles WHERE rolname = '" + site.kiosk() + "'") == "true");
    CHECK(admin.exec("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
                     "n.nspname IN ('pub', 'desk') AND c.relowner <> '" + site.owner() + "'::regrole") == "0");
    const std::string verifier = "SELECT rolpassword FROM pg_authid WHERE rolname = '" + site.kiosk() + "'";
    const std::string password = admin.exec(verifier);
    CHECK(password.rfind("SCRAM-SHA-256$", 0) == 0);
    CHECK(admin.exec("SELECT array_to_string(rolconfig, ',') FROM pg_roles WHERE rolname = '" + site.kiosk() + "'") ==
          "idle_in_transaction_session_timeout=1min");

    const RunResult check = site.ctl({"check"}, site.store());
    RUN_INFO(check);
    CHECK(check.exitCode == 0);
    CHECK(check.out.find("exactly the privileges of the design") != std::string::npos);

    // Someone grants the kiosk a desk table by hand: check names it and fails; server init takes it back.
    admin.exec("GRANT SELECT ON desk.contact TO " + site.kiosk());
    admin.exec("GRANT UPDATE ON desk.audit_log TO " + site.desk());
    admin.exec("GRANT TEMPORARY ON DATABASE " + site.db.name() + " TO " + site.kiosk());
    admin.exec("REVOKE INSERT ON desk.contact FROM " + site.desk()); // and one taken away: the desk needs it
    const RunResult found = site.ctl({"check"}, site.store());
    RUN_INFO(found);
    CHECK(found.exitCode == 1);
    CHECK(found.err.find("problem: the database role " + site.kiosk() + " has SELECT on desk.contact") !=
          std::string::npos);
    CHECK(found.err.find("problem: the database role " + site.desk() + " has UPDATE on desk.audit_log") !=
          std::string::npos);
    CHECK(found.err.find("problem: the database role " + site.kiosk() + " has TEMPORARY on the database") !=
          std::string::npos);
    CHECK(found.err.find("problem: the database role " + site.desk() + " lacks INSERT on desk.contact, which it needs") !=
          std::string::npos);
    // check runs under the desk's role too, and sees the same.
    const RunResult asDesk = site.ctl({"check"}, site.store(site.desk()));
    CHECK(asDesk.err.find("has SELECT on desk.contact") != std::string::npos);

    const RunResult again = site.serverInit();
    RUN_INFO(again);
    REQUIRE(again.exitCode == 0);
    CHECK(again.out.find("Passwords unchanged") != std::string::npos);
    CHECK(admin.exec(verifier) == password);
    CHECK(site.ctl({"check"}, site.store()).exitCode == 0);
    Pg kiosk = site.as(site.kiosk());
    denied(kiosk, "SELECT * FROM desk.contact");

    const RunResult renewed = site.serverInit({"--new-passwords"});
    REQUIRE(renewed.exitCode == 0);
    CHECK(admin.exec(verifier) != password);
}

TEST_CASE("server init: refuses a data folder, a bad prefix and a role that is no admin, changing nothing") {
    const Site site;
    TempDir folder;
    const RunResult onFolder = runCtl({"--data-dir", folder.path().string(), "server", "init"});
    CHECK(onFolder.exitCode == 2);
    CHECK(onFolder.err.find("admin connection") != std::string::npos);
    const RunResult badPrefix = site.ctl({"server", "init", "--prefix", "Bad-"});
    CHECK(badPrefix.exitCode == 2);
    CHECK(badPrefix.err.find("--prefix") != std::string::npos);
    REQUIRE(site.serverInit().exitCode == 0);
    // The desk's role may not make roles: refused in one sentence, its database as it was.
    const RunResult asDesk = site.ctl({"server", "init", "--database", site.db.name(), "--prefix", "other_"},
                                      site.store(site.desk()));
    CHECK(asDesk.exitCode == 1);
    CHECK(asDesk.err.find("needs a superuser or a role with CREATEROLE and CREATEDB") != std::string::npos);
    Pg admin = site.db.connect();
    CHECK(admin.exec("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'other\\_%'") == "0");
}

TEST_CASE("server init: an admin that is no superuser but has CREATEROLE and CREATEDB makes the database") {
    const Site site;
    const std::string adminRole = site.roles.prefix + "admin";
    {
        Pg server(site.server);
        server.exec("CREATE ROLE " + adminRole + " LOGIN CREATEROLE CREATEDB");
        server.exec("DROP DATABASE " + site.db.name()); // server init makes it, owned by the owner
    }
    const RunResult init = site.ctl({"server", "init", "--database", site.db.name(), "--prefix", site.roles.prefix},
                                    site.server + " user=" + adminRole);
    RUN_INFO(init);
    REQUIRE(init.exitCode == 0);
    Pg admin = site.db.connect();
    CHECK(admin.exec("SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()") ==
          site.owner());
    const RunResult check = site.ctl({"check"}, site.store());
    RUN_INFO(check);
    CHECK(check.exitCode == 0);
    CHECK(site.ctl({"server", "init", "--database", site.db.name(), "--prefix", site.roles.prefix},
                   site.server + " user=" + adminRole).exitCode == 0);
}

TEST_CASE("the kiosk's role: every read, write and call beyond the kiosk's is permission denied") {
    const Site site;
    const RunResult init = site.serverInit();
    RUN_INFO(init);
    REQUIRE(init.exitCode == 0);
    const Fixture f = seed(site);
    Pg admin = site.db.connect();
    Pg kiosk = site.as(site.kiosk());

    // Every table of desk, and of pub all the kiosk does not show.
    const auto deskTables = lines(admin, "SELECT tablename FROM pg_tables WHERE schemaname = 'desk' ORDER BY 1");
    CHECK(deskTables.size() >= 15);
    for (const std::string& t : deskTables) {
        denied(kiosk, "SELECT * FROM desk." + t + " LIMIT 1");
        denied(kiosk, "SELECT count(*) FROM desk." + t);
    }
    for (const char* t : {"schedule_rule", "schedule_exception", "calendar_feed"})
        denied(kiosk, std::string("SELECT * FROM pub.") + t);
    denied(kiosk, "SELECT * FROM site.db_role");
    // The names typed at the kiosk, and the columns of registrations it does not show.
    denied(kiosk, "SELECT call_name FROM pub.registration");
    denied(kiosk, "SELECT * FROM pub.registration");
    denied(kiosk, "SELECT count(*) FROM pub.registration WHERE call_name IS NOT NULL");
    denied(kiosk, "SELECT language, source FROM pub.registration");
    CHECK(kiosk.exec("SELECT count(*) FROM pub.registration WHERE status = 'waiting'") == "1");

    // Writes it does not do.
    for (const std::string& t : deskTables) denied(kiosk, "DELETE FROM desk." + t);
    denied(kiosk, "INSERT INTO desk.contact(at, day, channel) VALUES (1, '2026-01-01', 'walk_in')");
    denied(kiosk, "INSERT INTO desk.audit_log(at, actor, action, entity) VALUES (1, 'system', 'x', 'y')");
    denied(kiosk, "UPDATE pub.service SET name = 'x'");
    denied(kiosk, "INSERT INTO pub.service(code, name, place) VALUES ('zz', 'x', 'spot46')");
    denied(kiosk, "UPDATE pub.session SET capacity = 500");
    denied(kiosk, "DELETE FROM pub.session");
    denied(kiosk, "INSERT INTO pub.site_fact(key, value, changed_at) VALUES ('a', 'b', 1)");
    denied(kiosk, "UPDATE pub.service_text SET description = 'x'");
    denied(kiosk, "UPDATE pub.schema_version SET version = 1");
    denied(kiosk, "INSERT INTO pub.schedule_rule(service_id, weekday, start_min, end_min, capacity, place, "
                  "valid_from) VALUES (1, 1, 600, 660, 1, 'spot46', '2026-01-01')");
    // Registrations: no change, no deletion, no column the kiosk does not fill, nothing the kiosk would not do.
    denied(kiosk, "UPDATE pub.registration SET status = 'cancelled'");
    denied(kiosk, "UPDATE pub.registration SET status = 'seen' WHERE id = 1");
    denied(kiosk, "UPDATE pub.registration SET call_name = 'x'");
    denied(kiosk, "DELETE FROM pub.registration");
    denied(kiosk, "TRUNCATE pub.registration");
    const std::string values = " VALUES (" + std::to_string(f.tomorrowSession) + ", '" + core::addDays(f.today, 1) +
                               "', 'Z22', NULL, 'nl', ";
    denied(kiosk, "INSERT INTO pub.registration(session_id, day, ticket, call_name, language, source, created_at, "
                  "updated_at, status)" + values + "'kiosk', 1, 1, 'seen')");
    denied(kiosk, "INSERT INTO pub.registration(session_id, day, ticket, call_name, language, source, created_at, "
                  "updated_at)" + values + "'desk', 1, 1)"); // as the desk
    denied(kiosk, "INSERT INTO pub.registration(session_id, day, ticket, call_name, language, source, created_at, "
                  "updated_at) VALUES (" + std::to_string(f.tomorrowSession) + ", '2030-01-01', 'Z23', NULL, 'nl', "
                  "'kiosk', 1, 1)"); // on another day than the session's
    denied(kiosk, "UPDATE pub.kiosk_usage SET key = 'x'");
    denied(kiosk, "DELETE FROM pub.kiosk_usage");
    denied(kiosk, "TRUNCATE pub.kiosk_usage");
    denied(kiosk, "DELETE FROM pub.kiosk_feedback");
    // Counters grow by one at a time.
    kiosk.exec("INSERT INTO pub.kiosk_usage(day, kind, key, count) VALUES ('" + f.today + "', 'page', 'law', 1)");
    kiosk.exec("UPDATE pub.kiosk_usage SET count = count + 1 WHERE key = 'law'");
    denied(kiosk, "UPDATE pub.kiosk_usage SET count = count + 100 WHERE key = 'law'");
    denied(kiosk, "UPDATE pub.kiosk_usage SET count = 0");
    denied(kiosk, "INSERT INTO pub.kiosk_usage(day, kind, key, count) VALUES ('" + f.today + "', 'page', 'work', 50)");
    denied(kiosk, "INSERT INTO pub.kiosk_feedback(day, page, answer, count) VALUES ('" + f.today +
                      "', 'law', 'helpful', 9)");
    CHECK(admin.exec("SELECT count FROM pub.kiosk_usage WHERE key = 'law'") == "2");
    // Nothing new of its own, and no function it does not need.
    denied(kiosk, "CREATE TABLE pub.mine (x int)");
    denied(kiosk, "CREATE TABLE public.mine (x int)");
    denied(kiosk, "SELECT pub.registration_guard()");
    denied(kiosk, "SELECT desk.refuse_change()");
    denied(kiosk, "SELECT desk.stock_move_keeps_stock()");
    denied(kiosk, "SELECT setval(pg_get_serial_sequence('pub.registration', 'id'), 1)");
    // close_days() closes past days only: today's queue stays.
    try {
        kiosk.exec("SELECT pub.close_days('2999-01-01', 1)");
        FAIL("close_days took a day in the future");
    } catch (const PgError& e) {
        CHECK(e.sqlstate == "22023");
    }
    CHECK(admin.exec("SELECT count(*) FROM pub.registration WHERE call_name IS NOT NULL") == "1");
}

TEST_CASE("the kiosk's role: the kiosk's own code path works, and no registration goes past capacity") {
    const Site site;
    REQUIRE(site.serverInit().exitCode == 0);
    const Fixture f = seed(site);
    Pg admin = site.db.connect();

    core::Store store = core::Store::open(site.location(site.kiosk()), core::Store::Access::Kiosk);
    const core::KioskView view = core::loadKioskView(store, f.today, 0);
    int free = -1;
    for (const core::SessionView& s : view.sessions)
        if (s.id == f.tomorrowSession) free = s.freePlaces;
    CHECK(free == 2);
    CHECK(core::publicDataVersion(store) > 0);
    const core::Ticket t = core::registerForSession(store, core::Actor::kiosk(), f.tomorrowSession,
                                                    core::RegistrationSource::Kiosk, "en", std::string("Mia"));
    CHECK(t.registrationId > 0);
    core::countKioskUse(store, "registration", "test");
    core::countKioskUse(store, "registration", "test");
    core::countKioskUse(store, "language", "en");
    CHECK(admin.exec("SELECT count FROM pub.kiosk_usage WHERE kind = 'registration' AND key = 'test'") == "2");
    CHECK(admin.exec("SELECT call_name FROM pub.registration WHERE id = " + std::to_string(t.registrationId)) == "Mia");
    // Yesterday's typed name goes at the day's end, although the kiosk cannot read it.
    CHECK(core::closeDays(store, f.today) == 1);
    CHECK(admin.exec("SELECT count(*) FROM pub.registration WHERE call_name IS NOT NULL") == "1"); // Mia's only
    CHECK(admin.exec("SELECT status FROM pub.registration WHERE session_id = " + std::to_string(f.yesterdaySession)) ==
          "no_show");
    core::registerForSession(store, core::Actor::kiosk(), f.tomorrowSession, core::RegistrationSource::Kiosk, "nl", {});
    CHECK_THROWS_AS(core::registerForSession(store, core::Actor::kiosk(), f.tomorrowSession,
                                             core::RegistrationSource::Kiosk, "nl", {}),
                    core::Error);
    // Past the domain's check, straight to the table: the database refuses a third place too.
    Pg kiosk = site.as(site.kiosk());
    denied(kiosk, "INSERT INTO pub.registration(session_id, day, ticket, call_name, language, source, created_at, "
                  "updated_at) VALUES (" + std::to_string(f.tomorrowSession) + ", '" + core::addDays(f.today, 1) +
                  "', 'Z22', NULL, 'nl', 'kiosk', 1, 1)");
    CHECK(admin.exec("SELECT count(*) FROM pub.registration WHERE session_id = " +
                     std::to_string(f.tomorrowSession)) == "2");
    // And the kiosk never opened the desk's part nor the key: no key needed in its data folder.
    TempDir empty;
    CHECK_NOTHROW(core::Store::open(core::StoreLocation{empty.path(), site.store(site.kiosk())},
                                    core::Store::Access::Kiosk));
}

TEST_CASE("the desk's role: the desk's work with its audit rows, but never a change to the audit log") {
    const Site site;
    REQUIRE(site.serverInit().exitCode == 0);
    const Fixture f = seed(site);
    Pg admin = site.db.connect();

    core::Store store = core::Store::open(site.location(site.desk()));
    const std::string auditRows = "SELECT count(*) FROM desk.audit_log";
    const std::string rowsBefore = admin.exec(auditRows);
    core::NewContact c;
    c.clientCode = "ABC123";
    c.topics = {core::Topic::Health};
    const core::LoggedContact logged = core::logContact(store, core::Actor::cli(), c);
    CHECK(logged.clientId.has_value());
    core::undoContact(store, core::Actor::cli(), logged.id);
    const core::Ticket t = core::registerForSession(store, core::Actor::cli(), f.tomorrowSession,
                                                    core::RegistrationSource::Desk, "nl", std::string("Bo"));
    core::setRegistrationStatus(store, core::Actor::cli(), t.registrationId, "called");
    core::undoQueueStep(store, core::Actor::cli(), t.registrationId, "waiting");
    core::undoDeskRegistration(store, core::Actor::cli(), t.registrationId);
    const core::Ticket t2 = core::registerForSession(store, core::Actor::cli(), f.tomorrowSession,
                                                     core::RegistrationSource::Phone, "nl", {});
    core::cancelRegistration(store, core::Actor::cli(), t2.registrationId);
    CHECK(core::closeDays(store, f.today) == 1);
    CHECK(std::stoi(admin.exec(auditRows)) >= std::stoi(rowsBefore) + 7);
    CHECK(core::verifyAuditLog(store.db(), {}).problems.empty());

    Pg desk = site.as(site.desk());
    CHECK(desk.exec("SELECT count(*) > 0 FROM desk.audit_log") == "t");
    denied(desk, "UPDATE desk.audit_log SET detail = 'x'");
    denied(desk, "DELETE FROM desk.audit_log");
    denied(desk, "TRUNCATE desk.audit_log");
    denied(desk, "UPDATE desk.stock_move SET qty = 1");
    denied(desk, "DELETE FROM pub.schema_version");
    denied(desk, "UPDATE site.db_role SET name = 'x'");
    denied(desk, "CREATE TABLE desk.mine (x int)");
    denied(desk, "DROP TABLE pub.service_text");
}

TEST_CASE("a store that needs an upgrade: the kiosk's and the desk's roles never migrate, they say to run server init") {
    const Site site;
    REQUIRE(site.serverInit().exitCode == 0);
    Pg admin = site.db.connect();
    admin.exec("UPDATE pub.schema_version SET version = 1 WHERE part = 'pub'"); // as if this program were newer
    for (const auto& [role, access] : {std::pair{site.kiosk(), core::Store::Access::Kiosk},
                                       std::pair{site.desk(), core::Store::Access::Desk}}) {
        CAPTURE(role);
        try {
            core::Store::open(site.location(role), access);
            FAIL("opened a store that needs an upgrade");
        } catch (const core::Error& e) {
            CHECK(e.key() == "store.upgrade_needed");
            CHECK(std::string(e.what()).find("server init") != std::string::npos);
        }
        CHECK(admin.exec("SELECT version FROM pub.schema_version WHERE part = 'pub'") == "1");
    }
    const RunResult init = site.ctl({"init"}, site.store(site.desk())); // `init` as the desk's role: the same
    CHECK(init.exitCode == 1);
    CHECK(init.err.find("server init") != std::string::npos);
    // An application connecting as the admin migrates as the owner and gives the grants on what it made (the
    // latest migration's objects dropped first, as on a store from before it: pub 3, the data versions).
    admin.exec("UPDATE pub.schema_version SET version = 2 WHERE part = 'pub'");
    admin.exec("DROP TABLE pub.data_version; DROP FUNCTION pub.bump_data_version() CASCADE");
    CHECK_NOTHROW(core::Store::open(site.location()));
    CHECK(admin.exec("SELECT version FROM pub.schema_version WHERE part = 'pub'") == "3");
    CHECK(admin.exec("SELECT proowner::regrole::text FROM pg_proc WHERE proname = 'bump_data_version'") == site.owner());
    CHECK(admin.exec("SELECT tableowner FROM pg_tables WHERE schemaname = 'pub' AND tablename = 'data_version'") ==
          site.owner());
    CHECK(site.ctl({"check"}, site.store()).exitCode == 0);
}

} // TEST_SUITE
