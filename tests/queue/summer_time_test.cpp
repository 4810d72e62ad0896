// Tests session times across both summer-time changes of 2026, including the skipped and the repeated hour.
#include "support/temp_store.hpp"

#include "core/base/clock.hpp"
#include "core/views/kiosk_view.hpp"
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>

using namespace inloop::core;
using namespace inloop::test;

namespace {

// Unix seconds of a UTC wall-clock time on an ISO day, computed without the code under test.
int64_t utc(const std::string& day, int hour, int minute = 0) {
    using namespace std::chrono;
    const year_month_day ymd{year{std::stoi(day.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(day.substr(5, 2)))},
                             std::chrono::day{static_cast<unsigned>(std::stoi(day.substr(8, 2)))}};
    return duration_cast<seconds>((sys_days{ymd} + hours{hour} + minutes{minute}).time_since_epoch()).count();
}

// 13:00 in Amsterdam: 12:00 UTC in winter time, 11:00 UTC in summer time (2026: 29 March to 25 October).
int64_t oneOClockLocal(const std::string& day) {
    const bool summer = day >= "2026-03-29" && day < "2026-10-25";
    return utc(day, summer ? 11 : 12);
}

int64_t sessionAt(Store& store, const std::string& day, int startMin) {
    const auto sti = findService(store, "sti_test");
    REQUIRE(sti);
    return addExtraSession(store, Actor::cli(), *sti, day, startMin, startMin + 60, 2);
}

} // namespace

TEST_SUITE("queue") {

TEST_CASE("a weekly 13:00 session stays at 13:00 local across both summer-time changes of 2026") {
    TempStore ts;
    Store store = ts.open();
    const auto sti = findService(store, "sti_test");
    REQUIRE(sti);
    for (int weekday : {6, 7, 1}) { // Saturday, Sunday (the changes fall on Sundays) and Monday
        NewRule r;
        r.serviceId = *sti;
        r.weekday = weekday;
        r.startMin = 13 * 60;
        r.endMin = 15 * 60;
        r.capacity = 4;
        r.validFrom = "2026-01-01";
        addScheduleRule(store, Actor::cli(), r);
    }
    REQUIRE(generateSessions(store, "2026-03-14", 35) == 15);
    REQUIRE(generateSessions(store, "2026-10-10", 35) == 15);

    // Through the kiosk's view, day by day.
    std::map<std::string, int64_t> seen;
    for (const auto& [from, days] : {std::pair<std::string, int>{"2026-03-14", 35}, {"2026-10-10", 35}})
        for (int i = 0; i < days; ++i) {
            const std::string today = addDays(from, i);
            for (const auto& s : loadKioskView(store, today, 0).sessions) {
                if (s.day != today) continue;
                CAPTURE(s.day);
                CHECK(s.startsAt == oneOClockLocal(s.day));
                CHECK(s.startsAt == unixFromLocal(s.day, 13 * 60));
                CHECK(localDay(s.startsAt) == s.day);
                CHECK(localMinuteOfDay(s.startsAt) == 13 * 60);
                seen[s.day] = s.startsAt;
            }
        }
    CHECK(seen.size() == 30);
    REQUIRE(seen.count("2026-03-28"));
    REQUIRE(seen.count("2026-03-29"));
    REQUIRE(seen.count("2026-10-24"));
    REQUIRE(seen.count("2026-10-25"));
    CHECK(seen["2026-03-28"] == utc("2026-03-28", 12));
    CHECK(seen["2026-03-29"] == utc("2026-03-29", 11)); // the spring day itself: already summer time at 13:00
    CHECK(seen["2026-03-29"] - seen["2026-03-28"] == 23 * 3600);
    CHECK(seen["2026-10-24"] == utc("2026-10-24", 11));
    CHECK(seen["2026-10-25"] == utc("2026-10-25", 12)); // the autumn day itself: already winter time at 13:00
    CHECK(seen["2026-10-25"] - seen["2026-10-24"] == 25 * 3600);

}

TEST_CASE("sessions in the skipped spring hour and the repeated autumn hour get a sensible time") {
    TempStore ts;
    Store store = ts.open();
    // 2026-03-29: 02:00-03:00 does not exist (clocks jump from 02:00 CET to 03:00 CEST).
    const int64_t springEarly = sessionAt(store, "2026-03-29", 90);
    const int64_t springGap = sessionAt(store, "2026-03-29", 150);
    const int64_t springAfter = sessionAt(store, "2026-03-29", 180);
    // 2026-10-25: 02:00-03:00 happens twice (first CEST, then CET).
    const int64_t autumnEarly = sessionAt(store, "2026-10-25", 90);
    const int64_t autumnTwice = sessionAt(store, "2026-10-25", 150);
    const int64_t autumnAfter = sessionAt(store, "2026-10-25", 180);

    const auto startsOf = [&](const std::string& day) {
        std::map<int64_t, int64_t> out;
        const KioskView v = loadKioskView(store, day, 0);
        for (size_t i = 0; i < v.sessions.size(); ++i) {
            if (i > 0) CHECK(v.sessions[i - 1].startsAt <= v.sessions[i].startsAt); // never out of order
            if (v.sessions[i].day == day) out[v.sessions[i].id] = v.sessions[i].startsAt;
        }
        return out;
    };
    auto spring = startsOf("2026-03-29");
    REQUIRE(spring.size() == 3);
    CHECK(spring[springEarly] == utc("2026-03-29", 0, 30));
    CHECK(spring[springGap] == utc("2026-03-29", 1)); // 02:30 becomes 03:00 summer time, the first moment after the gap
    CHECK(spring[springAfter] == utc("2026-03-29", 1));
    CHECK(localDay(spring[springGap]) == "2026-03-29");
    CHECK(localMinuteOfDay(spring[springGap]) == 180);

    auto autumn = startsOf("2026-10-25");
    REQUIRE(autumn.size() == 3);
    CHECK(autumn[autumnEarly] == utc("2026-10-24", 23, 30));
    CHECK(autumn[autumnTwice] == utc("2026-10-25", 0, 30)); // the first 02:30 (summer time)
    CHECK(autumn[autumnAfter] == utc("2026-10-25", 2));
    CHECK(localDay(autumn[autumnTwice]) == "2026-10-25");
    CHECK(localMinuteOfDay(autumn[autumnTwice]) == 150);

    // They can be booked and queued like any other.
    registerForSession(store, Actor::cli(), springGap, RegistrationSource::Kiosk, "en");
    registerForSession(store, Actor::cli(), autumnTwice, RegistrationSource::Kiosk, "en");
    CHECK(freePlaces(store, springGap) == 1);
    CHECK(freePlaces(store, autumnTwice) == 1);
    CHECK(count(store, "SELECT count(*) FROM registration WHERE day IN ('2026-03-29', '2026-10-25')") == 2);
}

} // TEST_SUITE
