// Tests the end of day (closeDays): open registrations become no-shows, typed names go from the table and the disk.
#include "support/temp_store.hpp"

#include "core/base/clock.hpp"
#include "core/backup/upkeep.hpp"
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

const std::string kDay1 = "2026-06-02", kDay2 = "2026-06-03", kToday = "2026-06-04", kFuture = "2026-06-05";

int64_t sessionOn(Store& store, const std::string& day, int capacity = 10) {
    const auto sti = findService(store, "sti_test");
    REQUIRE(sti);
    return addExtraSession(store, Actor::cli(), *sti, day, 14 * 60, 16 * 60, capacity);
}

// A registration with a typed name, brought to a queue state the way the desk does it.
int64_t registered(Store& store, int64_t session, std::optional<std::string> name, const std::vector<std::string>& steps = {}) {
    const Ticket t = registerForSession(store, Actor::kiosk(), session, RegistrationSource::Kiosk, "en", std::move(name));
    for (const auto& step : steps) {
        if (step == "cancelled") cancelRegistration(store, Actor::cli(), t.registrationId);
        else setRegistrationStatus(store, Actor::cli(), t.registrationId, step);
    }
    return t.registrationId;
}

std::string statusAndName(Store& store, int64_t id) {
    return store.db().queryText("SELECT status || '|' || coalesce(call_name, '-') FROM registration WHERE id = " +
                                std::to_string(id));
}

// Every registration column, to see that a second run changes nothing at all.
std::string tableDump(Store& store) {
    return store.db().queryText(
        "SELECT group_concat(r, ';') FROM (SELECT id || ',' || session_id || ',' || day || ',' || ticket || ',' || "
        "coalesce(call_name, '-') || ',' || language || ',' || source || ',' || status || ',' || created_at || ',' || "
        "updated_at || ',' || coalesce(CAST(moved_to AS TEXT), '-') AS r FROM registration ORDER BY id) AS rows");
}

struct Scenario {
    std::map<std::string, int64_t> ids; // by the typed name (or a label for the ones without)
    int64_t movedTo = 0;
};

// Two past days, today and a future day, with registrations in every state.
Scenario fillQueues(Store& store) {
    const int64_t day1 = sessionOn(store, kDay1), day2 = sessionOn(store, kDay2), today = sessionOn(store, kToday),
                  future = sessionOn(store, kFuture);
    Scenario s;
    s.ids["Mirabelle"] = registered(store, day1, "Mirabelle");
    s.ids["Ottoline"] = registered(store, day1, "Ottoline", {"called"});
    s.ids["Perpetua"] = registered(store, day1, "Perpetua", {"called", "seen"});
    s.ids["Quintessa"] = registered(store, day1, "Quintessa", {"cancelled"});
    s.ids["Ulrike"] = registered(store, day1, "Ulrike", {"no_show"});
    s.ids["unnamed"] = registered(store, day1, std::nullopt);
    s.ids["Rosalind"] = registered(store, day1, "Rosalind");
    s.movedTo = moveRegistration(store, Actor::cli(), s.ids["Rosalind"], day2).registrationId;
    s.ids["Valentijn"] = registered(store, day2, "Valentijn", {"called"});
    s.ids["Theodora"] = registered(store, today, "Theodora");
    s.ids["Sidonie"] = registered(store, future, "Sidonie");
    return s;
}

const std::vector<std::string> kPastNames = {"Mirabelle", "Ottoline", "Perpetua", "Quintessa", "Ulrike", "Rosalind",
                                             "Valentijn"};

} // namespace

TEST_SUITE("queue") {

TEST_CASE("the end of day turns open registrations into no-shows and wipes names, and a second run changes nothing") {
    TempStore ts;
    Store desk = ts.open();
    const Scenario s = fillQueues(desk);
    REQUIRE(statusAndName(desk, s.ids.at("Rosalind")) == "moved|Rosalind");
    REQUIRE(statusAndName(desk, s.movedTo) == "waiting|Rosalind");

    const int64_t audits = auditRows(desk);
    CHECK(closeDays(desk, kToday) == 9);
    CHECK(auditRows(desk) == audits + 1);

    CHECK(statusAndName(desk, s.ids.at("Mirabelle")) == "no_show|-");
    CHECK(statusAndName(desk, s.ids.at("Ottoline")) == "no_show|-");
    CHECK(statusAndName(desk, s.ids.at("Perpetua")) == "seen|-");
    CHECK(statusAndName(desk, s.ids.at("Quintessa")) == "cancelled|-");
    CHECK(statusAndName(desk, s.ids.at("Ulrike")) == "no_show|-");
    CHECK(statusAndName(desk, s.ids.at("unnamed")) == "no_show|-");
    CHECK(statusAndName(desk, s.ids.at("Rosalind")) == "moved|-");
    CHECK(count(desk, "SELECT moved_to FROM registration WHERE id = " + std::to_string(s.ids.at("Rosalind"))) == s.movedTo);
    CHECK(statusAndName(desk, s.movedTo) == "no_show|-");
    CHECK(statusAndName(desk, s.ids.at("Valentijn")) == "no_show|-");
    // Today and later are not closed yet.
    CHECK(statusAndName(desk, s.ids.at("Theodora")) == "waiting|Theodora");
    CHECK(statusAndName(desk, s.ids.at("Sidonie")) == "waiting|Sidonie");
    CHECK(count(desk, "SELECT count(*) FROM registration WHERE day < '" + kToday + "' AND call_name IS NOT NULL") == 0);
    CHECK(count(desk, "SELECT count(*) FROM registration WHERE day < '" + kToday +
                          "' AND status IN ('waiting', 'called')") == 0);

    // The first day adds up: one seen, four no-shows, one cancelled, one moved; nobody left waiting.
    CHECK(desk.db().queryText("SELECT group_concat(status || '=' || n, ' ') FROM (SELECT status, count(*) AS n FROM "
                              "registration WHERE day = '" + kDay1 + "' GROUP BY status ORDER BY status) AS t") ==
          "cancelled=1 moved=1 no_show=4 seen=1");

    // Again, from the desk and from the kiosk: nothing more to do, not even a new updated_at.
    const std::string after = tableDump(desk);
    const int64_t auditsAfter = auditRows(desk);
    CHECK(closeDays(desk, kToday) == 0);
    CHECK(tableDump(desk) == after);
    CHECK(auditRows(desk) == auditsAfter);
    {
        Store kiosk = ts.open(Store::Access::Kiosk);
        CHECK(closeDays(kiosk, kToday) == 0);
        CHECK(closeDays(kiosk, kDay1) == 0); // an earlier day as "today" undoes nothing either
    }
    CHECK(tableDump(desk) == after);

    // The next day closes today's queue the same way, and leaves the future alone.
    CHECK(closeDays(desk, kFuture) == 1);
    CHECK(statusAndName(desk, s.ids.at("Theodora")) == "no_show|-");
    CHECK(statusAndName(desk, s.ids.at("Sidonie")) == "waiting|Sidonie");
    CHECK_ERROR(closeDays(desk, "2026-06-31"), ErrorKind::InvalidInput, "date");
}

TEST_CASE("after the end of day a past typed name is nowhere in the data files, before and after a checkpoint" * doctest::test_suite("sqlite")) {
    // The kiosk runs the end of day (as it does when it starts on a new day) while the desk stays open, so the
    // kiosk's connection is not the last one and closing it does not checkpoint the log by itself.
    TempStore ts;
    Store desk = ts.open();
    fillQueues(desk);
    {
        Store kiosk = ts.open(Store::Access::Kiosk);
        // Freed cell space keeps the old bytes unless secure_delete is on: every connection to public.db must set
        // it, not rely on the SQLite build's default (Debian's happens to be built with SQLITE_SECURE_DELETE).
        CHECK(kiosk.db().queryInt("PRAGMA secure_delete") == 1);
        CHECK(desk.db().queryInt("PRAGMA pub.secure_delete") == 1);
        CHECK(closeDays(kiosk, kToday) == 9);
    }
    REQUIRE(count(desk, "SELECT count(*) FROM registration WHERE call_name IS NOT NULL") == 2);
    const StorePaths paths{ts.data};
    const auto expectGone = [&](const char* when) {
        CAPTURE(when);
        const std::string publicBytes = readBytes(paths.publicDb()) + readBytes(paths.publicDb().string() + "-wal");
        // The grep works: names of today and later are still there.
        CHECK(publicBytes.find("Theodora") != std::string::npos);
        CHECK(publicBytes.find("Sidonie") != std::string::npos);
        for (const fs::path& file : {paths.publicDb(), fs::path(paths.publicDb().string() + "-wal"), paths.deskDb(),
                                     fs::path(paths.deskDb().string() + "-wal")}) {
            const std::string bytes = fs::exists(file) ? readBytes(file) : std::string();
            for (const auto& name : kPastNames) {
                CAPTURE(file);
                CAPTURE(name);
                CHECK(bytes.find(name) == std::string::npos);
            }
        }
    };
    expectGone("right after the end of day");
    desk.db().exec("PRAGMA pub.wal_checkpoint(TRUNCATE); PRAGMA main.wal_checkpoint(TRUNCATE);");
    expectGone("after a checkpoint");
}

TEST_CASE("the daily upkeep wipes a name typed days ahead at the end of its session's day, with no app running" * doctest::test_suite("sqlite")) {
    TempStore ts;
    Store desk = ts.open();
    const int64_t future = sessionOn(desk, kFuture);
    registered(desk, future, "Zenobia"); // typed days before the hour
    const StorePaths paths = desk.paths();
    const auto nameOnDisk = [&] {
        std::string bytes;
        for (const fs::path& f : {paths.publicDb(), fs::path(paths.publicDb().string() + "-wal")})
            if (fs::exists(f)) bytes += readBytes(f);
        return bytes.find("Zenobia") != std::string::npos;
    };
    CHECK(dailyUpkeep(desk, kToday).registrationsClosed == 0);
    CHECK(dailyUpkeep(desk, kFuture).registrationsClosed == 0); // her day: the name is needed to call her
    CHECK(nameOnDisk());
    const UpkeepResult r = dailyUpkeep(desk, addDays(kFuture, 1)); // the timer, just after midnight
    CHECK(r.registrationsClosed == 1);
    CHECK(count(desk, "SELECT count(*) FROM registration WHERE call_name IS NOT NULL") == 0);
    CHECK_FALSE(nameOnDisk());
}

TEST_CASE("inloopctl upkeep: the timer's command wipes past names and purges, exit 0, safe to repeat") {
    TempStore ts;
    {
        Store desk = ts.open();
        registered(desk, sessionOn(desk, addDays(localDay(nowUnix()), -2)), "Zsuzsanna");
    }
    const RunResult first = runCtl({"--data-dir", ts.data.string(), "upkeep"});
    CHECK(first.exitCode == 0);
    CHECK(first.out.find("1 registration of earlier days closed") != std::string::npos);
    Store desk = ts.open();
    CHECK(count(desk, "SELECT count(*) FROM registration WHERE call_name IS NOT NULL") == 0);
    CHECK(readBytes(desk.paths().publicDb()).find("Zsuzsanna") == std::string::npos);
    const RunResult again = runCtl({"--data-dir", ts.data.string(), "upkeep"});
    CHECK(again.exitCode == 0);
    CHECK(again.out.find("0 registrations") != std::string::npos);
}

} // TEST_SUITE
