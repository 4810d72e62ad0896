// Site-local time (Europe/Amsterdam) and the Dutch public holidays. Dates are ISO "YYYY-MM-DD" text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::core {

inline constexpr const char* kSiteTimeZone = "Europe/Amsterdam";

int64_t nowUnix();

// Local calendar day ("2026-11-22") and minute of the day (0..1439) of a moment.
std::string localDay(int64_t unixSeconds);
int localMinuteOfDay(int64_t unixSeconds);
// "2026-11-22 03:02", local time: for logs and CLI output (the apps format with ICU, per language).
std::string localDayAndTime(int64_t unixSeconds);
// The moment a local wall-clock time happens; in the autumn hour that repeats, the first one.
int64_t unixFromLocal(std::string_view day, int minuteOfDay);

bool isValidDay(std::string_view day);
std::string addDays(std::string_view day, int days);
int daysBetween(std::string_view from, std::string_view to); // to - from
int isoWeekday(std::string_view day);                        // 1 = Monday … 7 = Sunday
int yearOf(std::string_view day);
std::string makeDay(int year, int month, int day);

struct Holiday {
    std::string day;
    std::string key; // stable, translatable: "new_year", "easter_monday", "kings_day", …
};
// Dutch public holidays of a year (Easter-based ones included; King's Day moves to the 26th on a Sunday).
std::vector<Holiday> dutchHolidays(int year);
bool isDutchHoliday(std::string_view day);

} // namespace inloop::core
