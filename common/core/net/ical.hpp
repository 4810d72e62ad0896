// Partner calendars: reads an iCalendar (RFC 5545) feed with libical and lists the occurrences that fall in
// a window. Understood: VEVENT with DTSTART/DTEND or DURATION, RRULE (FREQ=DAILY to YEARLY; weekly is the
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
    std::vector<Occurrence> occurrences; // sorted by start, then uid; only those overlapping [from, to);
                                         // an overridden (RECURRENCE-ID) instance appears as its override
    int allDaySkipped = 0;               // all-day events in the window, left out
    int cancelled = 0;                   // instances left out for STATUS:CANCELLED / EXDATE / cancelled overrides
    int skipped = 0;                     // events that could not be read (no start, ending before the start, …)
                                         // and were left out, each named in a warning
    std::vector<std::string> warnings;   // plain sentences: an unknown time zone read as Europe/Amsterdam, …
                                         // (each once, at most 20)
};

// Lists the occurrences of `text` that overlap [from, to) (unix seconds; to - from at most 400 days, both
// within 1900–2200). Throws core::Error(InvalidInput) with a plain sentence:
//   "ical.parse"  the text cannot be used: not an iCalendar file, cut off (BEGIN/END unbalanced), damaged,
//                 over 16 MiB, or it has events and not one of them can be read;
//   "ical.window" the window is reversed, longer than 400 days or outside 1900–2200;
//   "ical.zone"   ICU does not know `defaultZone`.
// A feed without events is not an error (no occurrences, a warning). Whatever can be read around a problem is
// read, with a warning: an event that cannot be read (no start, ending before it starts, a date out of range)
// is left out and counted in `skipped`, its warning naming it by SUMMARY (else UID) and saying why; an unknown TZID or a floating time is read in `defaultZone` (unless the calendar names
// a known X-WR-TIMEZONE); a timed event without an end lasts one hour; a repeat rule it cannot use (more often
// than daily, BYWEEKNO, one that never matches a date, …) gives only its DTSTART; lines over 256 KiB are
// left out. A wall time in the spring-forward gap is read with the offset before the gap (02:30 → 03:30
// summer time), one in the repeated autumn hour as its first pass (RFC 5545 §3.3.5).
// Limits: 5,000 instances per rule, 20,000 occurrences per answer, about 2 s of rule expansion per call.
// Never crashes or hangs on any input. Safe to call from several threads (libical use is serialised).
Feed readFeed(std::string_view text, int64_t from, int64_t to, std::string_view defaultZone = "Europe/Amsterdam");

} // namespace inloop::core::ical
