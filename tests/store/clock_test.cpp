// Tests site-local time (Europe/Amsterdam): Dutch public holidays, the year boundary and both DST changes.
#include "core/base/clock.hpp"
#include "core/base/error.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>

using namespace inloop::core;
using namespace std::chrono;

namespace {

std::map<std::string, std::string> holidaysByKey(int year) {
    std::map<std::string, std::string> out;
    for (const auto& h : dutchHolidays(year)) out[h.key] = h.day;
    return out;
}

// Unix seconds of a UTC wall-clock time, computed without the code under test.
int64_t utc(year_month_day ymd, int hour, int minute) {
    return duration_cast<seconds>((sys_days{ymd} + hours{hour} + minutes{minute}).time_since_epoch()).count();
}

} // namespace

TEST_SUITE("clock") {

TEST_CASE("Dutch public holidays of 2024 and 2025 and 2026") {
    struct Expected {
        int year;
        std::map<std::string, std::string> days;
    };
    const Expected years[] = {
        {2024,
         {{"new_year", "2024-01-01"}, {"easter_sunday", "2024-03-31"}, {"easter_monday", "2024-04-01"},
          {"kings_day", "2024-04-27"}, {"liberation_day", "2024-05-05"}, {"ascension_day", "2024-05-09"},
          {"whit_sunday", "2024-05-19"}, {"whit_monday", "2024-05-20"}, {"christmas_day", "2024-12-25"},
          {"boxing_day", "2024-12-26"}}},
        {2025,
         {{"new_year", "2025-01-01"}, {"easter_sunday", "2025-04-20"}, {"easter_monday", "2025-04-21"},
          {"kings_day", "2025-04-26"}, // the 27th is a Sunday
          {"liberation_day", "2025-05-05"}, {"ascension_day", "2025-05-29"}, {"whit_sunday", "2025-06-08"},
          {"whit_monday", "2025-06-09"}, {"christmas_day", "2025-12-25"}, {"boxing_day", "2025-12-26"}}},
        {2026,
         {{"new_year", "2026-01-01"}, {"easter_sunday", "2026-04-05"}, {"easter_monday", "2026-04-06"},
          {"kings_day", "2026-04-27"}, {"liberation_day", "2026-05-05"}, {"ascension_day", "2026-05-14"},
          {"whit_sunday", "2026-05-24"}, {"whit_monday", "2026-05-25"}, {"christmas_day", "2026-12-25"},
          {"boxing_day", "2026-12-26"}}},
    };
    for (const auto& y : years) {
        CAPTURE(y.year);
        const auto actual = holidaysByKey(y.year);
        for (const auto& [key, day] : y.days) {
            CAPTURE(key);
            REQUIRE(actual.count(key) == 1);
            CHECK(actual.at(key) == day);
            CHECK(isDutchHoliday(day));
        }
        for (const auto& h : dutchHolidays(y.year)) CHECK(yearOf(h.day) == y.year);
    }
    // Ordinary days, and the Sunday that King's Day moved away from.
    for (const char* day : {"2025-04-27", "2025-04-22", "2026-04-28", "2024-12-27", "2026-05-15", "2025-01-02"}) {
        CAPTURE(day);
        CHECK_FALSE(isDutchHoliday(day));
    }
}

TEST_CASE("the local day turns at midnight in Amsterdam at the end of the year") {
    const int64_t lastMinute = unixFromLocal("2025-12-31", 23 * 60 + 59);
    const int64_t newYear = unixFromLocal("2026-01-01", 0);
    CHECK(lastMinute == utc(2025y / 12 / 31, 22, 59)); // CET is UTC+1 in winter
    CHECK(newYear - lastMinute == 60);
    CHECK(localDay(lastMinute) == "2025-12-31");
    CHECK(localDay(lastMinute + 59) == "2025-12-31");
    CHECK(localDay(newYear) == "2026-01-01");
    CHECK(localMinuteOfDay(lastMinute) == 23 * 60 + 59);
    CHECK(localMinuteOfDay(newYear) == 0);
    CHECK(yearOf(localDay(newYear)) == 2026);
    // The UTC date still says 31 December at 00:30 local: the local day must not.
    CHECK(localDay(utc(2025y / 12 / 31, 23, 30)) == "2026-01-01");
}

TEST_CASE("the spring change to summer time makes a 23-hour day") {
    const int64_t before = unixFromLocal("2026-03-28", 12 * 60), after = unixFromLocal("2026-03-29", 12 * 60);
    CHECK(after - before == 23 * 3600);
    CHECK(before == utc(2026y / 3 / 28, 11, 0)); // CET
    CHECK(after == utc(2026y / 3 / 29, 10, 0));  // CEST
    CHECK(unixFromLocal("2026-03-30", 0) - unixFromLocal("2026-03-29", 0) == 23 * 3600);
    CHECK(localMinuteOfDay(utc(2026y / 3 / 29, 1, 0)) == 3 * 60); // 02:00 CET jumps to 03:00 CEST
    CHECK(localDay(after) == "2026-03-29");
}

TEST_CASE("the autumn change back to winter time makes a 25-hour day") {
    const int64_t before = unixFromLocal("2026-10-24", 12 * 60), after = unixFromLocal("2026-10-25", 12 * 60);
    CHECK(after - before == 25 * 3600);
    CHECK(before == utc(2026y / 10 / 24, 10, 0)); // CEST
    CHECK(after == utc(2026y / 10 / 25, 11, 0));  // CET
    CHECK(unixFromLocal("2026-10-26", 0) - unixFromLocal("2026-10-25", 0) == 25 * 3600);
    CHECK(localDay(utc(2026y / 10 / 24, 22, 30)) == "2026-10-25"); // 00:30 CEST
    CHECK(localDay(utc(2026y / 10 / 25, 22, 59)) == "2026-10-25"); // 23:59 CET
    CHECK(localDay(utc(2026y / 10 / 25, 23, 0)) == "2026-10-26");
}

TEST_CASE("in the autumn hour that repeats a local time means the first one") {
    // 02:30 on 2026-10-25 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET); clock.hpp promises the first.
    CHECK(unixFromLocal("2026-10-25", 2 * 60 + 30) == utc(2026y / 10 / 25, 0, 30));
}

TEST_CASE("calendar arithmetic handles leap years and refuses invalid dates") {
    CHECK(isValidDay("2024-02-29"));
    CHECK_FALSE(isValidDay("2025-02-29"));
    CHECK_FALSE(isValidDay("2025-13-01"));
    CHECK_FALSE(isValidDay("2025-1-01"));
    CHECK_FALSE(isValidDay("25-01-2025"));
    CHECK(addDays("2024-02-28", 1) == "2024-02-29");
    CHECK(addDays("2025-02-28", 1) == "2025-03-01");
    CHECK(addDays("2025-12-31", 1) == "2026-01-01");
    CHECK(daysBetween("2024-01-01", "2025-01-01") == 366);
    CHECK(daysBetween("2025-03-01", "2025-02-28") == -1);
    CHECK(isoWeekday("2025-04-27") == 7);
    CHECK(isoWeekday("2026-04-27") == 1);
    try {
        unixFromLocal("2025-02-30", 600);
        FAIL("an invalid date was converted");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::InvalidInput);
    }
    try {
        unixFromLocal("2025-02-03", 24 * 60);
        FAIL("24:00 was accepted as a time of day");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::InvalidInput);
    }
}

} // TEST_SUITE
