// Partner calendars: reads an iCalendar (RFC 5545) feed with libical and lists the occurrences that fall in
// a window. Understood: VEVENT with DTSTART/DTEND or DURATION, RRULE (any FREQ libical expands; weekly is the
// usual), EXDATE, RDATE, RECURRENCE-ID overrides (a moved or cancelled single instance), STATUS:CANCELLED,
// TZID given as an IANA name, as a Windows name (Outlook: "W. Europe Standard Time") or as UTC/floating time.
// Wall-clock times are turned into instants with ICU, so a weekly 14:00 stays 14:00 across summer time.
// All-day events (DATE values) are skipped and counted, never turned into sessions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::core::ical {

struct Occurrence {
    std::string uid;
    std::string summary;
    int64_t start = 0; // unix seconds
    int64_t end = 0;   // unix seconds, > start
};

struct Feed {
    std::vector<Occurrence> occurrences; // sorted by start, then uid; only those overlapping [from, to)
    int allDaySkipped = 0;               // all-day events in the window, left out
    int cancelled = 0;                   // instances left out for STATUS:CANCELLED / EXDATE / cancelled overrides
    std::vector<std::string> warnings;   // plain sentences: an unknown time zone read as Europe/Amsterdam, …
};

// Throws core::Error(InvalidInput, "ical.parse") with a plain reason ("not an iCalendar file", "event
// without a start", "no events", …) when the text cannot be used. Never crashes on any input; expansion of a
// single rule stops after 5,000 instances. `defaultZone` is used for floating times and unknown TZIDs.
Feed readFeed(std::string_view text, int64_t from, int64_t to, std::string_view defaultZone = "Europe/Amsterdam");

} // namespace inloop::core::ical
