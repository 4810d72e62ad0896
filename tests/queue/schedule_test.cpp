// Tests the consultation-hour schedule: weekly rules, closures, extra sessions, public holidays, ending a rule.
#include "support/temp_store.hpp"

#include "core/base/clock.hpp"
#include "core/views/kiosk_view.hpp"
#include "core/views/queue_view.hpp" // loadSchedule
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

int64_t serviceId(Store& store, std::string_view code) {
    const auto id = findService(store, code);
    REQUIRE(id);
    return *id;
}

int64_t weeklyRule(Store& store, std::string_view service, int weekday, int startMin, int capacity,
                   const std::string& from, std::optional<std::string> until = std::nullopt,
                   std::string place = "spot46") {
    NewRule r;
    r.serviceId = serviceId(store, service);
    r.weekday = weekday;
    r.startMin = startMin;
    r.endMin = startMin + 120;
    r.capacity = capacity;
    r.place = std::move(place);
    r.validFrom = from;
    r.validUntil = std::move(until);
    return addScheduleRule(store, Actor::cli(), r);
}

struct SessionRow {
    int64_t id = 0;
    std::string service, day;
    int startMin = 0, endMin = 0, capacity = 0;
    std::string place, status, reason;
};

// Every session of [from, to], in day and time order.
std::vector<SessionRow> sessionsBetween(Store& store, const std::string& from, const std::string& to) {
    Statement& st = store.db().prepare(
        "SELECT s.id, v.code, s.day, s.start_min, s.end_min, s.capacity, s.place, s.status, s.reason FROM session s "
        "JOIN service v ON v.id = s.service_id WHERE s.day BETWEEN ? AND ? ORDER BY s.day, s.start_min, v.code");
    st.bindAll(from, to);
    std::vector<SessionRow> out;
    while (st.step())
        out.push_back({st.getInt(0), st.getText(1), st.getText(2), static_cast<int>(st.getInt(3)),
                       static_cast<int>(st.getInt(4)), static_cast<int>(st.getInt(5)), st.getText(6), st.getText(7),
                       st.getText(8)});
    st.reset();
    return out;
}

// The one session of a service on a day (at a start time, when given).
SessionRow sessionOf(Store& store, std::string_view service, const std::string& day, int startMin = -1) {
    std::vector<SessionRow> found;
    for (auto& s : sessionsBetween(store, day, day))
        if (s.service == service && (startMin < 0 || s.startMin == startMin)) found.push_back(s);
    CAPTURE(service);
    CAPTURE(day);
    REQUIRE(found.size() == 1);
    return found.front();
}

// The days a service has a session on in [from, to].
std::vector<std::string> daysOf(Store& store, std::string_view service, const std::string& from, const std::string& to,
                                int startMin = -1) {
    std::vector<std::string> days;
    for (const auto& s : sessionsBetween(store, from, to))
        if (s.service == service && (startMin < 0 || s.startMin == startMin)) days.push_back(s.day);
    return days;
}

using Days = std::vector<std::string>;

} // namespace

TEST_SUITE("queue") {

TEST_CASE("weekly rules make sessions on their weekdays over four weeks, once") {
    TempStore ts;
    Store store = ts.open();
    const std::string monday = "2026-06-01"; // four weeks in June 2026 hold no public holiday
    REQUIRE(isoWeekday(monday) == 1);
    weeklyRule(store, "sti_test", 1, 13 * 60, 8, "2026-01-01");
    weeklyRule(store, "sti_test", 5, 13 * 60, 8, "2026-01-01");
    weeklyRule(store, "accountant", 2, 10 * 60, 4, "2026-01-01");
    weeklyRule(store, "gp", 3, 9 * 60, 3, "2026-01-01", std::nullopt, "shelter");
    weeklyRule(store, "lawyer", 4, 14 * 60, 6, "2026-01-01");

    CHECK(generateSessions(store, monday, 28) == 20);
    CHECK(daysOf(store, "sti_test", monday, "2026-06-28") ==
          Days{"2026-06-01", "2026-06-05", "2026-06-08", "2026-06-12", "2026-06-15", "2026-06-19", "2026-06-22",
               "2026-06-26"});
    CHECK(daysOf(store, "accountant", monday, "2026-06-28") == Days{"2026-06-02", "2026-06-09", "2026-06-16", "2026-06-23"});
    CHECK(daysOf(store, "gp", monday, "2026-06-28") == Days{"2026-06-03", "2026-06-10", "2026-06-17", "2026-06-24"});
    CHECK(daysOf(store, "lawyer", monday, "2026-06-28") == Days{"2026-06-04", "2026-06-11", "2026-06-18", "2026-06-25"});
    const std::map<std::string, int> weekdayOf = {{"sti_test", 0}, {"accountant", 2}, {"gp", 3}, {"lawyer", 4}};
    for (const auto& s : sessionsBetween(store, monday, "2026-06-28")) {
        CAPTURE(s.service);
        CAPTURE(s.day);
        if (s.service != "sti_test") CHECK(isoWeekday(s.day) == weekdayOf.at(s.service));
        CHECK(s.status == "planned");
        CHECK(s.reason.empty());
        CHECK(s.endMin == s.startMin + 120);
        CHECK(s.place == (s.service == "gp" ? "shelter" : "spot46"));
        CHECK(s.capacity == (s.service == "sti_test" ? 8 : s.service == "accountant" ? 4 : s.service == "gp" ? 3 : 6));
    }

    // Generating again, or over an overlapping range, adds only the days not made yet.
    CHECK(generateSessions(store, monday, 28) == 0);
    CHECK(count(store, "SELECT count(*) FROM session") == 20);
    CHECK(generateSessions(store, "2026-06-15", 28) == 10);
    CHECK(count(store, "SELECT count(*) FROM session") == 30);
    CHECK(count(store, "SELECT count(*) FROM (SELECT 1 FROM session GROUP BY service_id, day HAVING count(*) > 1) AS t") == 0);

    // The kiosk's week shows them in time order with their free places and languages.
    const KioskView week = loadKioskView(store, monday, 0);
    // Mon, Tue, Thu, Fri and the next Monday: Wednesday's GP hour is at the shelter, for its residents only.
    REQUIRE(week.sessions.size() == 5);
    for (const auto& s : week.sessions) CHECK(s.place == "spot46");
    CHECK(week.sessions.front().service == "sti_test");
    CHECK(week.sessions.front().languages == std::vector<std::string>{"nl", "en", "es"});
    CHECK(week.sessions.back().day == "2026-06-08");
    for (size_t i = 1; i < week.sessions.size(); ++i) CHECK(week.sessions[i - 1].startsAt < week.sessions[i].startsAt);
    for (const auto& s : week.sessions) CHECK(s.freePlaces == s.capacity);
}

TEST_CASE("a rule makes sessions only from valid_from up to and including valid_until") {
    TempStore ts;
    Store store = ts.open();
    weeklyRule(store, "youth", 3, 16 * 60, 10, "2026-06-10", "2026-06-24");
    const int64_t later = weeklyRule(store, "lawyer", 3, 16 * 60, 2, "2026-06-17");
    CHECK(generateSessions(store, "2026-06-01", 35) == 3 + 3);
    CHECK(daysOf(store, "youth", "2026-06-01", "2026-07-05") == Days{"2026-06-10", "2026-06-17", "2026-06-24"});
    CHECK(daysOf(store, "lawyer", "2026-06-01", "2026-07-05") == Days{"2026-06-17", "2026-06-24", "2026-07-01"});
    // Later generations keep to the end too.
    CHECK(generateSessions(store, "2026-07-06", 28) == 4);
    CHECK(daysOf(store, "youth", "2026-07-06", "2026-08-02").empty());
    CHECK(daysOf(store, "lawyer", "2026-07-06", "2026-08-02").size() == 4);

    NewRule bad;
    bad.serviceId = serviceId(store, "youth");
    bad.weekday = 3;
    bad.startMin = 600;
    bad.endMin = 660;
    bad.validFrom = "2026-06-10";
    bad.validUntil = "2026-06-09";
    CHECK_ERROR(addScheduleRule(store, Actor::cli(), bad), ErrorKind::InvalidInput, "rule.dates");
    CHECK(count(store, "SELECT count(*) FROM schedule_rule") == 2);
    CHECK(later > 0);
}

TEST_CASE("a centre closure closes every service that day, a service closure cancels only that service") {
    TempStore ts;
    Store store = ts.open();
    weeklyRule(store, "accountant", 2, 10 * 60, 4, "2026-01-01");
    weeklyRule(store, "sti_test", 2, 14 * 60, 8, "2026-01-01");
    weeklyRule(store, "gp", 2, 9 * 60, 3, "2026-01-01", std::nullopt, "shelter");
    const int64_t accountant = serviceId(store, "accountant"), stiTest = serviceId(store, "sti_test");

    // Recorded before the sessions are made…
    addClosure(store, Actor::cli(), "2026-06-09", std::nullopt, "Teamdag");
    addClosure(store, Actor::cli(), "2026-06-16", accountant, "Boekhouder ziek");
    CHECK(generateSessions(store, "2026-06-01", 35) == 15);
    // …and after.
    addClosure(store, Actor::cli(), "2026-06-23", std::nullopt, "Verbouwing");
    addClosure(store, Actor::cli(), "2026-06-30", stiTest, "Verpleegkundige op cursus");

    struct Expect {
        std::string status, reason;
    };
    const Expect planned{"planned", ""};
    const std::map<std::string, std::map<std::string, Expect>> expected = {
        {"2026-06-02", {{"accountant", planned}, {"sti_test", planned}, {"gp", planned}}},
        {"2026-06-09",
         {{"accountant", {"closed", "Teamdag"}}, {"sti_test", {"closed", "Teamdag"}}, {"gp", {"closed", "Teamdag"}}}},
        {"2026-06-16", {{"accountant", {"cancelled", "Boekhouder ziek"}}, {"sti_test", planned}, {"gp", planned}}},
        {"2026-06-23",
         {{"accountant", {"closed", "Verbouwing"}}, {"sti_test", {"closed", "Verbouwing"}}, {"gp", {"closed", "Verbouwing"}}}},
        {"2026-06-30",
         {{"accountant", planned}, {"sti_test", {"cancelled", "Verpleegkundige op cursus"}}, {"gp", planned}}},
    };
    const auto verify = [&] {
        for (const auto& [day, services] : expected)
            for (const auto& [service, e] : services) {
                CAPTURE(day);
                CAPTURE(service);
                const SessionRow s = sessionOf(store, service, day);
                CHECK(s.status == e.status);
                CHECK(s.reason == e.reason);
            }
    };
    verify();
    CHECK(generateSessions(store, "2026-06-01", 35) == 0);
    verify(); // generating again reopens nothing

    for (const auto& [day, service] : std::vector<std::pair<std::string, std::string>>{
             {"2026-06-09", "gp"}, {"2026-06-16", "accountant"}, {"2026-06-23", "sti_test"}, {"2026-06-30", "sti_test"}})
        CHECK_ERROR(registerForSession(store, Actor::cli(), sessionOf(store, service, day).id, RegistrationSource::Kiosk),
                    ErrorKind::Conflict, "session.cancelled");
    CHECK_NOTHROW(registerForSession(store, Actor::cli(), sessionOf(store, "sti_test", "2026-06-16").id,
                                     RegistrationSource::Kiosk));
    CHECK(count(store, "SELECT count(*) FROM registration") == 1);

    // The kiosk shows the closed ones with their reason, not as free places to book.
    const KioskView week = loadKioskView(store, "2026-06-22", 0);
    int closedShown = 0;
    for (const auto& s : week.sessions)
        if (s.day == "2026-06-23") {
            CHECK(s.status == "closed");
            CHECK(s.reason == "Verbouwing");
            ++closedShown;
        }
    CHECK(closedShown == 2); // the shelter's GP hour is not on the kiosk
}

TEST_CASE("an hour at the shelter is not on the public kiosk and the kiosk cannot sign up for it — the desk can") {
    // The shelter's address is kept secret and its GP hour is for the women staying there.
    TempStore ts;
    Store store = ts.open();
    weeklyRule(store, "gp", 3, 9 * 60, 3, "2026-01-01", std::nullopt, "shelter");
    weeklyRule(store, "sti_test", 3, 13 * 60, 8, "2026-01-01");
    CHECK(generateSessions(store, "2026-06-01", 7) == 2);
    const KioskView week = loadKioskView(store, "2026-06-01", 0);
    REQUIRE(week.sessions.size() == 1);
    CHECK(week.sessions.front().service == "sti_test");
    const int64_t gp = sessionOf(store, "gp", "2026-06-03").id;
    CHECK_ERROR(registerForSession(store, Actor::kiosk(), gp, RegistrationSource::Kiosk), ErrorKind::NotFound,
                "session.not_on_kiosk");
    CHECK(count(store, "SELECT count(*) FROM registration") == 0);
    CHECK_NOTHROW(registerForSession(store, Actor::cli(), gp, RegistrationSource::Desk));
    CHECK(count(store, "SELECT count(*) FROM registration") == 1);
}

TEST_CASE("an extra session appears in the kiosk's week, can be booked, and is made only once") {
    TempStore ts;
    Store store = ts.open();
    weeklyRule(store, "sti_test", 5, 13 * 60, 8, "2026-01-01");
    CHECK(generateSessions(store, "2026-06-01", 14) == 2);
    const int64_t sti = serviceId(store, "sti_test"), gp = serviceId(store, "gp");

    const int64_t saturday = addExtraSession(store, Actor::cli(), sti, "2026-06-06", 11 * 60, 13 * 60, 6);
    const int64_t shelter = addExtraSession(store, Actor::cli(), gp, "2026-06-05", 19 * 60, 20 * 60, 2);
    // The same service at the same time as a rule's session is refused, and leaves no exception behind.
    const int64_t extras = count(store, "SELECT count(*) FROM schedule_exception WHERE kind = 'extra'");
    CHECK_ERROR(addExtraSession(store, Actor::cli(), sti, "2026-06-05", 13 * 60, 15 * 60, 4), ErrorKind::Conflict,
                "session.exists");
    CHECK(count(store, "SELECT count(*) FROM schedule_exception WHERE kind = 'extra'") == extras);
    CHECK_ERROR(addExtraSession(store, Actor::cli(), sti, "2026-06-06", 14 * 60, 13 * 60, 4), ErrorKind::InvalidInput,
                "rule.time");

    const SessionRow s = sessionOf(store, "sti_test", "2026-06-06");
    CHECK(s.id == saturday);
    CHECK(s.status == "planned");
    CHECK(s.capacity == 6);
    CHECK(s.place == "spot46");
    CHECK(sessionOf(store, "gp", "2026-06-05").place == "shelter"); // the service's own place
    CHECK(sessionOf(store, "gp", "2026-06-05").id == shelter);

    CHECK(generateSessions(store, "2026-06-01", 14) == 0);
    CHECK(count(store, "SELECT count(*) FROM session WHERE day = '2026-06-06'") == 1);

    const KioskView week = loadKioskView(store, "2026-06-01", 0);
    bool inWeek = false;
    for (const auto& v : week.sessions)
        if (v.id == saturday) {
            inWeek = true;
            CHECK(v.freePlaces == 6);
            CHECK(v.startsAt == unixFromLocal("2026-06-06", 11 * 60));
        }
    CHECK(inWeek);
    registerForSession(store, Actor::cli(), saturday, RegistrationSource::Kiosk, "es");
    CHECK(freePlaces(store, saturday) == 5);
    const KioskView day = loadKioskView(store, "2026-06-06", 0);
    REQUIRE_FALSE(day.sessions.empty());
    CHECK(day.sessions.front().id == saturday);
    CHECK(day.sessions.front().freePlaces == 5);

    // Even when its session is gone, generating brings the extra back as it was recorded.
    store.db().exec("DELETE FROM session WHERE id = " + std::to_string(shelter));
    CHECK(generateSessions(store, "2026-06-05", 1) == 1);
    const SessionRow again = sessionOf(store, "gp", "2026-06-05");
    CHECK(again.startMin == 19 * 60);
    CHECK(again.endMin == 20 * 60);
    CHECK(again.capacity == 2);
}

TEST_CASE("Dutch public holidays of 2026 give closed sessions with the holiday's key") {
    TempStore ts;
    Store store = ts.open();
    const std::map<std::string, std::string> holidays2026 = {
        {"2026-04-05", "easter_sunday"}, {"2026-04-06", "easter_monday"}, {"2026-04-27", "kings_day"},
        {"2026-05-05", "liberation_day"}, {"2026-05-14", "ascension_day"}, {"2026-05-24", "whit_sunday"},
        {"2026-05-25", "whit_monday"},   {"2026-12-25", "christmas_day"}, {"2026-12-26", "boxing_day"},
    };
    // The days themselves, checked against the calendar (King's Day a Monday, Christmas a Friday).
    CHECK(isoWeekday("2026-04-27") == 1);
    CHECK(isoWeekday("2026-04-06") == 1);
    CHECK(isoWeekday("2026-05-14") == 4);
    CHECK(isoWeekday("2026-12-25") == 5);
    for (const auto& [day, key] : holidays2026) {
        bool listed = false;
        for (const auto& h : dutchHolidays(2026)) listed = listed || (h.day == day && h.key == key);
        CAPTURE(day);
        CHECK(listed);
    }

    for (int weekday = 1; weekday <= 7; ++weekday) weeklyRule(store, "sti_test", weekday, 13 * 60, 5, "2026-01-01");
    const int made = generateSessions(store, "2026-03-30", 70) + generateSessions(store, "2026-12-21", 14);
    CHECK(made == 84);
    CHECK(generateSessions(store, "2026-03-30", 70) + generateSessions(store, "2026-12-21", 14) == 0);
    CHECK(count(store, "SELECT count(*) FROM session") == 84);

    int closed = 0;
    for (const auto& s : sessionsBetween(store, "2026-03-30", "2027-01-03")) {
        CAPTURE(s.day);
        std::string key;
        if (auto it = holidays2026.find(s.day); it != holidays2026.end()) key = it->second;
        if (s.day == "2027-01-01") key = "new_year";
        if (key.empty()) {
            CHECK(s.status == "planned"); // Good Friday (2026-04-03) is not a public holiday
            CHECK(s.reason.empty());
        } else {
            CHECK(s.status == "closed");
            CHECK(s.reason == "holiday:" + key);
            ++closed;
        }
    }
    CHECK(closed == 10);
    CHECK(sessionOf(store, "sti_test", "2026-04-03").status == "planned");
    CHECK(sessionOf(store, "sti_test", "2026-04-28").status == "planned");

    // The kiosk shows King's Day as closed, for that reason; nobody can book it.
    const KioskView week = loadKioskView(store, "2026-04-27", 0);
    REQUIRE_FALSE(week.sessions.empty());
    CHECK(week.sessions.front().day == "2026-04-27");
    CHECK(week.sessions.front().status == "closed");
    CHECK(week.sessions.front().reason == "holiday:kings_day");
    CHECK_ERROR(registerForSession(store, Actor::cli(), sessionOf(store, "sti_test", "2026-12-25").id,
                                   RegistrationSource::Kiosk),
                ErrorKind::Conflict, "session.cancelled");
}

TEST_CASE("ending a rule removes its later sessions without registrations, and nothing else") {
    TempStore ts;
    Store store = ts.open();
    const int64_t tuesday = weeklyRule(store, "accountant", 2, 10 * 60, 4, "2026-06-01");
    weeklyRule(store, "accountant", 4, 10 * 60, 4, "2026-06-01");    // another weekday, the same time
    weeklyRule(store, "accountant", 2, 14 * 60, 4, "2026-06-01");    // the same weekday, another time
    weeklyRule(store, "lawyer", 2, 10 * 60, 4, "2026-06-01");        // another service, the same slot
    CHECK(generateSessions(store, "2026-06-01", 42) == 24);
    const int64_t kept = sessionOf(store, "accountant", "2026-06-30", 10 * 60).id;
    const Ticket t = registerForSession(store, Actor::cli(), kept, RegistrationSource::Phone, "hu");
    const int64_t audits = auditRows(store);

    CHECK_ERROR(endScheduleRule(store, Actor::cli(), tuesday, "2026-05-31"), ErrorKind::InvalidInput, "rule.dates");
    endScheduleRule(store, Actor::cli(), tuesday, "2026-06-16");
    CHECK(auditRows(store) == audits + 1);

    CHECK(daysOf(store, "accountant", "2026-06-01", "2026-07-12", 10 * 60) ==
          Days{"2026-06-02", "2026-06-04", "2026-06-09", "2026-06-11", "2026-06-16", "2026-06-18", "2026-06-25",
               "2026-06-30", "2026-07-02", "2026-07-09"});
    CHECK(daysOf(store, "accountant", "2026-06-01", "2026-07-12", 14 * 60).size() == 6);
    CHECK(daysOf(store, "lawyer", "2026-06-01", "2026-07-12").size() == 6);
    CHECK(sessionOf(store, "accountant", "2026-06-30", 10 * 60).id == kept);
    CHECK(count(store, "SELECT session_id FROM registration WHERE id = " + std::to_string(t.registrationId)) == kept);

    // The ended rule makes no new sessions; the kept one stays as it was.
    CHECK(generateSessions(store, "2026-06-01", 42) == 0);
    CHECK(generateSessions(store, "2026-07-13", 7) == 3);
    CHECK(daysOf(store, "accountant", "2026-07-13", "2026-07-19", 10 * 60) == Days{"2026-07-16"});
    CHECK(freePlaces(store, kept) == 3);

    // The schedule lists the rule with its end until that day has passed.
    const auto ruleIds = [&](const std::string& today) {
        std::vector<int64_t> ids;
        for (const auto& r : loadSchedule(store, today).rules) ids.push_back(r.id);
        return ids;
    };
    const ScheduleView before = loadSchedule(store, "2026-06-10");
    bool withEnd = false;
    for (const auto& r : before.rules)
        withEnd = withEnd || (r.id == tuesday && r.validUntil == std::optional<std::string>("2026-06-16"));
    CHECK(withEnd);
    CHECK(ruleIds("2026-06-16").size() == 4);
    CHECK(ruleIds("2026-06-17").size() == 3);
}

TEST_CASE("the schedule lists the coming public holidays without Sundays and marks a closed one") {
    TempStore ts;
    Store store = ts.open();
    addClosure(store, Actor::cli(), "2026-04-27", std::nullopt, "Koningsdag");
    addClosure(store, Actor::cli(), "2026-05-14", serviceId(store, "accountant"), "Boekhouder vrij");

    const auto listed = [&](const std::string& today) {
        std::vector<std::string> out;
        for (const auto& h : loadSchedule(store, today).holidays)
            out.push_back(h.day + " " + h.key + (h.closed ? " closed" : ""));
        return out;
    };
    CHECK(listed("2026-03-01") == Days{"2026-04-06 easter_monday", "2026-04-27 kings_day closed",
                                       "2026-05-05 liberation_day", "2026-05-14 ascension_day",
                                       "2026-05-25 whit_monday", "2026-12-25 christmas_day", "2026-12-26 boxing_day",
                                       "2027-01-01 new_year"});
    // King's Day 2025 fell on a Sunday and moved to Saturday the 26th.
    CHECK(listed("2025-03-01") == Days{"2025-04-21 easter_monday", "2025-04-26 kings_day", "2025-05-05 liberation_day",
                                       "2025-05-29 ascension_day", "2025-06-09 whit_monday", "2025-12-25 christmas_day",
                                       "2025-12-26 boxing_day", "2026-01-01 new_year"});
    // From a holiday itself it is listed; Boxing Day 2027 is a Sunday and is not.
    CHECK(listed("2026-12-25").front() == "2026-12-25 christmas_day");
    CHECK(listed("2026-12-27") == Days{"2027-01-01 new_year", "2027-03-29 easter_monday", "2027-04-27 kings_day",
                                       "2027-05-05 liberation_day", "2027-05-06 ascension_day", "2027-05-17 whit_monday",
                                       "2027-12-25 christmas_day"});

    const ScheduleView v = loadSchedule(store, "2026-03-01");
    for (const auto& h : v.holidays) CHECK(isoWeekday(h.day) != 7);
    REQUIRE(v.exceptions.size() == 2);
    CHECK(v.exceptions[0].day == "2026-04-27");
    CHECK(v.exceptions[0].service.empty());
    CHECK(v.exceptions[0].kind == "closed");
    CHECK(v.exceptions[1].service == "accountant");
    CHECK(v.exceptions[1].kind == "cancelled");
    CHECK(loadSchedule(store, "2026-05-01").exceptions.size() == 1); // past exceptions drop off
}

} // TEST_SUITE
