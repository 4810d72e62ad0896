// The kiosk's privacy promises: only per-day counters, never desk.db, and typed names gone at the end of the day.
#include "kiosk_fixture.hpp"

#include <set>

using namespace inloop;
using test::KioskFixture;
using kiosk::Screen;

namespace {

// One visit: a language, two info pages, a registration without a name, "done" on the ticket.
void oneVisit(KioskFixture& f) {
    f.tap("lang.en");
    f.tap("home.information");
    f.tap("topic.money");
    f.tap("bar.back");
    f.tap("topic.law");
    f.tap("bar.back");
    f.tap("bar.back");
    REQUIRE(f.screen() == Screen::Home);
    f.tap("home.register");
    f.tap(f.signUpId());
    f.tap("register.next");
    f.confirm();
    REQUIRE(f.screen() == Screen::Ticket);
    f.tap("ticket.done");
    REQUIRE(f.screen() == Screen::Welcome);
    f.k->waitForWorker();
}

std::set<std::string> openFiles() {
    std::set<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const auto target = std::filesystem::read_symlink(entry.path(), ec);
        if (!ec) out.insert(target.string());
    }
    return out;
}

bool fileContains(const std::filesystem::path& file, const std::string& needle) {
    return std::filesystem::exists(file) && test::readBytes(file).find(needle) != std::string::npos;
}

} // namespace

TEST_SUITE("kiosk") {

TEST_CASE("usage counters are per day only: kind - key - count - and a second visit adds to them") {
    KioskFixture f;
    const std::string today = core::localDay(core::nowUnix());
    CHECK(f.publicText("SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('kiosk_usage') "
                       "ORDER BY cid)") == "day,kind,key,count");
    oneVisit(f);
    const std::string rows = "SELECT group_concat(kind || '/' || key || '=' || count, ' ') FROM (SELECT * FROM "
                             "kiosk_usage ORDER BY kind, key)";
    CHECK(f.publicText(rows) == "language/en=1 page/law=1 page/money=1 registration/sti_test=1 wipe/done=1");
    CHECK(f.publicInt("SELECT count(*) FROM kiosk_usage WHERE day <> '" + today + "'") == 0);

    oneVisit(f);
    CHECK(f.publicText(rows) == "language/en=2 page/law=2 page/money=2 registration/sti_test=2 wipe/done=2");
    CHECK(f.publicInt("SELECT count(*) FROM kiosk_usage") == 5);
    CHECK(f.publicInt("SELECT count(*) FROM registration") == 2); // the registrations themselves, of course
}

TEST_CASE("the kiosk never opens desk.db or the code key - it works on public.db alone") {
    KioskFixture f;
    f.startRegistration("ro");
    f.taps({"key.M", "key.I"});
    f.tap("register.next");
    f.confirm();
    REQUIRE(f.screen() == Screen::Ticket);
    const auto files = openFiles();
    bool seesPublic = false;
    for (const auto& file : files) {
        CAPTURE(file);
        CHECK(file.find("desk.db") == std::string::npos);
        CHECK(file.find("client-code.key") == std::string::npos);
        if (file.find(f.store.data.string()) == 0 && file.find("public.db") != std::string::npos) seesPublic = true;
    }
    CHECK(seesPublic); // the check can see the kiosk's own files
}

TEST_CASE("end of day: closeDays wipes typed names and turns the waiting into no-shows") {
    KioskFixture f;
    f.startRegistration("en");
    f.taps({"key.M", "key.I", "key.R", "key.A"});
    f.tap("register.next");
    f.confirm();
    REQUIRE(f.visit().ticket);
    const int64_t mira = f.visit().ticket->registrationId;
    const std::string nextDay = core::addDays(f.day, 1);
    int64_t seen = 0, later = 0;
    {
        core::Store s = f.store.open();
        seen = core::registerForSession(s, core::Actor::cli(), f.sessionId, core::RegistrationSource::Desk, "nl",
                                        std::string("Anouk")).registrationId;
        core::setRegistrationStatus(s, core::Actor::cli(), seen, "seen");
        const int64_t nextSession = test::addSession(s, nextDay, 10 * 60, 3);
        later = core::registerForSession(s, core::Actor::cli(), nextSession, core::RegistrationSource::Kiosk, "en",
                                         std::string("Zoe")).registrationId;
    }
    const auto row = [&](int64_t id) {
        return f.publicText("SELECT status || '|' || coalesce(call_name, '-') FROM registration WHERE id = " +
                            std::to_string(id));
    };
    REQUIRE(row(mira) == "waiting|Mira");
    {
        core::Store s = f.store.open(core::Store::Access::Kiosk); // the kiosk may run it too
        CHECK(core::closeDays(s, nextDay) == 2);
        CHECK(core::closeDays(s, nextDay) == 0); // again: nothing left to do
    }
    CHECK(row(mira) == "no_show|-");
    CHECK(row(seen) == "seen|-");
    CHECK(row(later) == "waiting|Zoe"); // the next day is not over yet
    CHECK(f.publicInt("SELECT count(*) FROM registration WHERE day < '" + nextDay + "' AND call_name IS NOT NULL") == 0);
}

TEST_CASE("a kiosk that starts on a new day wipes the names of the days before") {
    test::TempStore store;
    const std::string past = test::lastOpenDay();
    int64_t id = 0;
    {
        core::Store s = store.open();
        const int64_t session = test::addSession(s, past, 10 * 60, 3);
        id = core::registerForSession(s, core::Actor::kiosk(), session, core::RegistrationSource::Kiosk, "en",
                                      std::string("Mira")).registrationId;
    }
    ui::App app(ui::AppOptions{"test", 1280, 800, false, true});
    kiosk::KioskOptions o;
    o.store = store.data;
    o.root = core::resourceRoot();
    {
        kiosk::Kiosk k(app, o);
        k.refreshNow();
        k.waitForWorker();
    }
    core::Store s = store.open(core::Store::Access::Kiosk);
    CHECK(s.db().queryText("SELECT status || '|' || coalesce(call_name, '-') FROM registration WHERE id = " +
                           std::to_string(id)) == "no_show|-");
}

TEST_CASE("after the end of day a typed name is gone from the disk - not only from the table") {
    // BUG (privacy): closeDays() sets call_name = NULL, but the page image holding the name stays in public.db-wal
    // until a checkpoint happens to reset and overwrite that part of the WAL, which with the kiosk's connection
    // always open can take days; "We delete it at the end of the day" (privacy.stored_name) does not hold for the
    // disk. Suggested fix (common/core/domain/domain.cpp closeDays): when it changed rows, run
    // PRAGMA wal_checkpoint(TRUNCATE) after the commit; and PRAGMA secure_delete = ON in applyConnectionSettings
    // (common/core/store/schema.cpp) so freed cell space in public.db is zeroed too.
    KioskFixture f;
    f.startRegistration("en");
    f.taps({"key.Q", "key.U", "key.I", "key.X", "key.O", "key.T", "key.E"}); // "Quixote": found nowhere else
    f.tap("register.next");
    f.confirm();
    REQUIRE(f.visit().ticket);
    REQUIRE(f.publicText("SELECT call_name FROM registration") == "Quixote");
    {
        core::Store s = f.store.open(core::Store::Access::Kiosk);
        REQUIRE(core::closeDays(s, core::addDays(f.day, 1)) == 1);
    }
    f.k->refreshNow(); // the kiosk runs on, as it does all day
    REQUIRE(f.publicInt("SELECT count(*) FROM registration WHERE call_name IS NOT NULL") == 0);
    const auto pub = f.store.paths().publicDb();
    CHECK_FALSE(fileContains(pub, "Quixote"));
    CHECK_FALSE(fileContains(pub.string() + "-wal", "Quixote"));
}

} // TEST_SUITE
