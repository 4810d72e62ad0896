// Site-local time through ICU's time zone data; day arithmetic through <chrono> civil dates.
#include "core/base/clock.hpp"

#include "core/base/error.hpp"

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <chrono>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>

namespace inloop::core {

namespace {
using namespace std::chrono;

icu::Calendar& siteCalendar() {
    thread_local std::unique_ptr<icu::Calendar> cal = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Calendar> c(new icu::GregorianCalendar(
            icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(kSiteTimeZone)), status));
        if (U_FAILURE(status)) throw std::runtime_error("ICU has no calendar for the site time zone");
        c->setRepeatedWallTimeOption(UCAL_WALLTIME_FIRST); // the autumn hour that repeats: its first pass
        c->setSkippedWallTimeOption(UCAL_WALLTIME_NEXT_VALID); // the spring hour that is skipped: just after
        return c;
    }();
    return *cal;
}

year_month_day parseDay(std::string_view day) {
    if (!isValidDay(day)) throw Error(ErrorKind::InvalidInput, "date", "Not a date (YYYY-MM-DD): " + std::string(day));
    int y = 0;
    unsigned m = 0, d = 0;
    std::from_chars(day.data(), day.data() + 4, y);
    std::from_chars(day.data() + 5, day.data() + 7, m);
    std::from_chars(day.data() + 8, day.data() + 10, d);
    return year_month_day{year{y}, month{m}, std::chrono::day{d}};
}

std::string format(const year_month_day& ymd) {
    return makeDay(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day())));
}
} // namespace

int64_t nowUnix() { return duration_cast<seconds>(system_clock::now().time_since_epoch()).count(); }

std::string localDay(int64_t unixSeconds) {
    auto& cal = siteCalendar();
    UErrorCode status = U_ZERO_ERROR;
    cal.setTime(static_cast<UDate>(unixSeconds) * 1000.0, status);
    const int y = cal.get(UCAL_EXTENDED_YEAR, status);
    const int m = cal.get(UCAL_MONTH, status) + 1;
    const int d = cal.get(UCAL_DATE, status);
    return makeDay(y, m, d);
}

int localMinuteOfDay(int64_t unixSeconds) {
    auto& cal = siteCalendar();
    UErrorCode status = U_ZERO_ERROR;
    cal.setTime(static_cast<UDate>(unixSeconds) * 1000.0, status);
    return cal.get(UCAL_HOUR_OF_DAY, status) * 60 + cal.get(UCAL_MINUTE, status);
}

std::string localDayAndTime(int64_t unixSeconds) {
    const int minute = localMinuteOfDay(unixSeconds);
    char time[16];
    std::snprintf(time, sizeof time, "%02d:%02d", minute / 60, minute % 60);
    return localDay(unixSeconds) + " " + time;
}

int64_t unixFromLocal(std::string_view day, int minuteOfDay) {
    if (minuteOfDay < 0 || minuteOfDay >= 24 * 60)
        throw Error(ErrorKind::InvalidInput, "time", "A time of day must lie between 00:00 and 23:59.");
    const auto ymd = parseDay(day);
    auto& cal = siteCalendar();
    cal.clear();
    cal.set(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())) - 1,
            static_cast<int>(static_cast<unsigned>(ymd.day())), minuteOfDay / 60, minuteOfDay % 60, 0);
    UErrorCode status = U_ZERO_ERROR;
    const UDate ms = cal.getTime(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU could not convert a local time");
    return static_cast<int64_t>(std::floor(ms / 1000.0));
}

bool isValidDay(std::string_view day) {
    if (day.size() != 10 || day[4] != '-' || day[7] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (day[i] < '0' || day[i] > '9') return false;
    int y = 0;
    unsigned m = 0, d = 0;
    std::from_chars(day.data(), day.data() + 4, y);
    std::from_chars(day.data() + 5, day.data() + 7, m);
    std::from_chars(day.data() + 8, day.data() + 10, d);
    return year_month_day{year{y}, month{m}, std::chrono::day{d}}.ok();
}

std::string addDays(std::string_view day, int days) {
    return format(year_month_day{sys_days{parseDay(day)} + std::chrono::days{days}});
}

int daysBetween(std::string_view from, std::string_view to) {
    return static_cast<int>((sys_days{parseDay(to)} - sys_days{parseDay(from)}).count());
}

int isoWeekday(std::string_view day) {
    const unsigned wd = weekday{sys_days{parseDay(day)}}.iso_encoding();
    return static_cast<int>(wd);
}

int yearOf(std::string_view day) { return static_cast<int>(parseDay(day).year()); }

std::string makeDay(int y, int m, int d) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

std::vector<Holiday> dutchHolidays(int y) {
    // The holidays of the Algemene termijnenwet (Good Friday is not one; a site can close on it by hand).
    // Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31, dayOfMonth = (h + l - 7 * m + 114) % 31 + 1;
    const std::string easter = makeDay(y, month, dayOfMonth);
    std::string kings = makeDay(y, 4, 27);
    if (isoWeekday(kings) == 7) kings = makeDay(y, 4, 26);
    return {
        {makeDay(y, 1, 1), "new_year"},
        {easter, "easter_sunday"},
        {addDays(easter, 1), "easter_monday"},
        {kings, "kings_day"},
        {makeDay(y, 5, 5), "liberation_day"},
        {addDays(easter, 39), "ascension_day"},
        {addDays(easter, 49), "whit_sunday"},
        {addDays(easter, 50), "whit_monday"},
        {makeDay(y, 12, 25), "christmas_day"},
        {makeDay(y, 12, 26), "boxing_day"},
    };
}

bool isDutchHoliday(std::string_view day) {
    for (const auto& h : dutchHolidays(yearOf(day)))
        if (h.day == day) return true;
    return false;
}

} // namespace inloop::core
