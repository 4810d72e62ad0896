// Tests reading partner calendars (ICS): repeats across both summer-time changes, exceptions and overrides,
// Outlook and UTC and floating times, all-day events, the window, damaged text and a seeded fuzz loop.
#include "core/base/error.hpp"
#include "core/net/ical.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace inloop::core;
namespace ical = inloop::core::ical;

namespace {

// Unix seconds of a UTC wall-clock time, computed without the code under test.
int64_t utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    using namespace std::chrono;
    return duration_cast<seconds>((sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi}).time_since_epoch())
        .count();
}

const int64_t kYearFrom = utc(2026, 1, 1);
const int64_t kYearTo = utc(2027, 1, 1);

std::vector<int64_t> starts(const ical::Feed& feed) {
    std::vector<int64_t> out;
    for (const auto& o : feed.occurrences) out.push_back(o.start);
    return out;
}

bool has(const std::vector<int64_t>& v, int64_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool warned(const ical::Feed& feed, std::string_view part) {
    return std::any_of(feed.warnings.begin(), feed.warnings.end(),
                       [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

// The key of the core::Error that reading `text` throws, or "" when it reads.
std::string errorKey(std::string_view text, int64_t from = kYearFrom, int64_t to = kYearTo) {
    try {
        ical::readFeed(text, from, to);
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::InvalidInput);
        CHECK(std::string(e.what()).size() > 10); // a sentence, not a code
        return e.key();
    }
    return "";
}

// Every answer keeps the promises of the header.
void checkShape(const ical::Feed& feed, int64_t from, int64_t to) {
    for (size_t i = 0; i < feed.occurrences.size(); ++i) {
        const auto& o = feed.occurrences[i];
        REQUIRE(o.end > o.start);
        REQUIRE(o.start < to);
        REQUIRE(o.end > from);
        if (i > 0) REQUIRE(feed.occurrences[i - 1].start <= o.start);
    }
}

const char* kWeekly = R"(BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Partner//Rooster//NL
BEGIN:VEVENT
UID:spreekuur@partner.example
SUMMARY:Spreekuur schuldhulp
DTSTART;TZID=Europe/Amsterdam:20260303T140000
DTEND;TZID=Europe/Amsterdam:20260303T150000
RRULE:FREQ=WEEKLY;BYDAY=TU
END:VEVENT
END:VCALENDAR
)";

// An ICS text with one VEVENT made of `lines` (each without a line ending).
std::string oneEvent(const std::string& lines) {
    return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\nBEGIN:VEVENT\nUID:one@test\n" + lines +
           "END:VEVENT\nEND:VCALENDAR\n";
}

} // namespace

TEST_SUITE("ical") {

TEST_CASE("ical: a weekly Tuesday at 14:00 in Amsterdam stays 14:00 across both summer-time changes") {
    const auto feed = ical::readFeed(kWeekly, utc(2026, 3, 1), utc(2026, 12, 1));
    checkShape(feed, utc(2026, 3, 1), utc(2026, 12, 1));
    const auto s = starts(feed);
    // Tuesdays from 3 March to 24 November 2026.
    CHECK(s.size() == 39);
    CHECK(s.front() == utc(2026, 3, 3, 13));         // winter time: 14:00 = 13:00Z
    CHECK(has(s, utc(2026, 3, 24, 13)));             // the last Tuesday before 29 March
    CHECK(has(s, utc(2026, 3, 31, 12)));             // summer time: 14:00 = 12:00Z
    CHECK(has(s, utc(2026, 10, 20, 12)));            // the last Tuesday before 25 October
    CHECK(has(s, utc(2026, 10, 27, 13)));            // winter time again
    CHECK(s.back() == utc(2026, 11, 24, 13));
    for (const auto& o : feed.occurrences) {
        CHECK(o.end - o.start == 3600);
        CHECK(o.uid == "spreekuur@partner.example");
        CHECK(o.summary == "Spreekuur schuldhulp");
    }
    CHECK(feed.warnings.empty());
    CHECK(feed.cancelled == 0);
    CHECK(feed.allDaySkipped == 0);
}

TEST_CASE("ical: EXDATE removes one instance and RDATE adds one") {
    const auto feed = ical::readFeed(oneEvent("SUMMARY:Inloop\n"
                                              "DTSTART;TZID=Europe/Amsterdam:20260303T140000\n"
                                              "DTEND;TZID=Europe/Amsterdam:20260303T150000\n"
                                              "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4\n"
                                              "EXDATE;TZID=Europe/Amsterdam:20260310T140000\n"
                                              "RDATE;TZID=Europe/Amsterdam:20260305T100000\n"),
                                     kYearFrom, kYearTo);
    const auto s = starts(feed);
    CHECK(s == std::vector<int64_t>{utc(2026, 3, 3, 13), utc(2026, 3, 5, 9), utc(2026, 3, 17, 13),
                                    utc(2026, 3, 24, 13)});
    CHECK(feed.cancelled == 1);
    CHECK(feed.occurrences[1].end - feed.occurrences[1].start == 3600);
}

TEST_CASE("ical: one EXDATE line with two dates removes both") {
    const auto feed = ical::readFeed(oneEvent("DTSTART;TZID=Europe/Amsterdam:20260303T140000\nDURATION:PT1H\n"
                                              "RRULE:FREQ=WEEKLY;COUNT=4\n"
                                              "EXDATE;TZID=Europe/Amsterdam:20260310T140000,20260317T140000\n"),
                                     kYearFrom, kYearTo);
    CHECK(starts(feed) == std::vector<int64_t>{utc(2026, 3, 3, 13), utc(2026, 3, 24, 13)});
    CHECK(feed.cancelled == 2);
}

TEST_CASE("ical: COUNT and UNTIL are honoured") {
    const std::string head = "DTSTART;TZID=Europe/Amsterdam:20260303T140000\nDURATION:PT1H\n";
    SUBCASE("COUNT") {
        const auto feed = ical::readFeed(oneEvent(head + "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3\n"), kYearFrom, kYearTo);
        CHECK(starts(feed) == std::vector<int64_t>{utc(2026, 3, 3, 13), utc(2026, 3, 10, 13), utc(2026, 3, 17, 13)});
    }
    SUBCASE("UNTIL in UTC is inclusive and compared as an instant, also in summer time") {
        // 14 April 14:00 summer time is 12:00Z: exactly UNTIL, so it is the last one.
        const auto feed = ical::readFeed(oneEvent(head + "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260414T120000Z\n"),
                                         kYearFrom, kYearTo);
        const auto s = starts(feed);
        CHECK(s.size() == 7);
        CHECK(s.back() == utc(2026, 4, 14, 12));
    }
    SUBCASE("UNTIL as a date includes that day") {
        const auto feed =
            ical::readFeed(oneEvent(head + "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260317\n"), kYearFrom, kYearTo);
        CHECK(starts(feed).size() == 3);
    }
}

TEST_CASE("ical: a RECURRENCE-ID override moves one instance and a cancelled override removes another") {
    const char* text = R"(BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
BEGIN:VEVENT
UID:taal@partner.example
SUMMARY:Taalcafé
DTSTART;TZID=Europe/Amsterdam:20260303T140000
DTEND;TZID=Europe/Amsterdam:20260303T160000
RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=5
END:VEVENT
BEGIN:VEVENT
UID:taal@partner.example
RECURRENCE-ID;TZID=Europe/Amsterdam:20260310T140000
SUMMARY:Taalcafé (later)
DTSTART;TZID=Europe/Amsterdam:20260310T170000
DTEND;TZID=Europe/Amsterdam:20260310T183000
END:VEVENT
BEGIN:VEVENT
UID:taal@partner.example
RECURRENCE-ID:20260317T130000Z
STATUS:CANCELLED
SUMMARY:Taalcafé
DTSTART;TZID=Europe/Amsterdam:20260317T140000
DTEND;TZID=Europe/Amsterdam:20260317T160000
END:VEVENT
END:VCALENDAR
)";
    const auto feed = ical::readFeed(text, kYearFrom, kYearTo);
    checkShape(feed, kYearFrom, kYearTo);
    REQUIRE(feed.occurrences.size() == 4);
    CHECK(starts(feed) == std::vector<int64_t>{utc(2026, 3, 3, 13), utc(2026, 3, 10, 16), utc(2026, 3, 24, 13),
                                               utc(2026, 3, 31, 12)});
    CHECK(feed.occurrences[1].summary == "Taalcafé (later)");
    CHECK(feed.occurrences[1].end - feed.occurrences[1].start == 5400);
    CHECK(feed.cancelled == 1);
}

TEST_CASE("ical: a cancelled series is left out entirely") {
    const auto feed = ical::readFeed(oneEvent("SUMMARY:Vervallen\n"
                                              "STATUS:CANCELLED\n"
                                              "DTSTART;TZID=Europe/Amsterdam:20260303T140000\n"
                                              "DTEND;TZID=Europe/Amsterdam:20260303T150000\n"
                                              "RRULE:FREQ=WEEKLY;COUNT=6\n"),
                                     kYearFrom, kYearTo);
    CHECK(feed.occurrences.empty());
    CHECK(feed.cancelled == 6);
}

TEST_CASE("ical: Outlook's Windows time zone names and vendor-prefixed TZIDs are understood") {
    const char* outlook = R"(BEGIN:VCALENDAR
METHOD:PUBLISH
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E00800000000
SUMMARY:Juridisch spreekuur
DTSTART;TZID=W. Europe Standard Time:20260707T100000
DTEND;TZID=W. Europe Standard Time:20260707T120000
CLASS:PUBLIC
END:VEVENT
BEGIN:VEVENT
UID:mozilla@test
SUMMARY:Thunderbird
DTSTART;TZID=/mozilla.org/20050126_1/Europe/Amsterdam:20260112T093000
DTEND;TZID=/mozilla.org/20050126_1/Europe/Amsterdam:20260112T103000
END:VEVENT
END:VCALENDAR
)";
    const auto feed = ical::readFeed(outlook, kYearFrom, kYearTo);
    CHECK(feed.warnings.empty());
    REQUIRE(feed.occurrences.size() == 2);
    CHECK(feed.occurrences[0].start == utc(2026, 1, 12, 8, 30));
    CHECK(feed.occurrences[1].start == utc(2026, 7, 7, 8));
    CHECK(feed.occurrences[1].end == utc(2026, 7, 7, 10));
}

TEST_CASE("ical: an unknown time zone is read in the default zone with a warning") {
    const auto feed = ical::readFeed(oneEvent("DTSTART;TZID=Mars/Olympus_Mons:20260707T100000\nDURATION:PT1H\n"),
                                     kYearFrom, kYearTo);
    REQUIRE(feed.occurrences.size() == 1);
    CHECK(feed.occurrences[0].start == utc(2026, 7, 7, 8));
    CHECK(warned(feed, "Mars/Olympus_Mons"));
}

TEST_CASE("ical: a UTC event is read as UTC") {
    const auto feed = ical::readFeed(oneEvent("DTSTART:20260707T100000Z\nDTEND:20260707T110000Z\n"
                                              "RRULE:FREQ=DAILY;COUNT=2\n"),
                                     kYearFrom, kYearTo);
    CHECK(starts(feed) == std::vector<int64_t>{utc(2026, 7, 7, 10), utc(2026, 7, 8, 10)});
    CHECK(feed.warnings.empty());
}

TEST_CASE("ical: a floating event is read in the default zone, with a warning") {
    const std::string text = oneEvent("DTSTART:20260707T100000\nDTEND:20260707T110000\n");
    const auto amsterdam = ical::readFeed(text, kYearFrom, kYearTo);
    REQUIRE(amsterdam.occurrences.size() == 1);
    CHECK(amsterdam.occurrences[0].start == utc(2026, 7, 7, 8));
    CHECK(warned(amsterdam, "Europe/Amsterdam"));
    const auto newYork = ical::readFeed(text, kYearFrom, kYearTo, "America/New_York");
    REQUIRE(newYork.occurrences.size() == 1);
    CHECK(newYork.occurrences[0].start == utc(2026, 7, 7, 14));
    CHECK_THROWS_AS(ical::readFeed(text, kYearFrom, kYearTo, "Nowhere/Atlantis"), Error);
}

TEST_CASE("ical: an all-day event is skipped and counted") {
    const auto feed = ical::readFeed(oneEvent("SUMMARY:Koningsdag\nDTSTART;VALUE=DATE:20260427\n"
                                              "DTEND;VALUE=DATE:20260428\nRRULE:FREQ=YEARLY\n"),
                                     kYearFrom, kYearTo);
    CHECK(feed.occurrences.empty());
    CHECK(feed.allDaySkipped == 1);
    CHECK(feed.warnings.empty());
}

TEST_CASE("ical: DURATION instead of DTEND, and a missing end gets one hour with a warning") {
    SUBCASE("DURATION") {
        const auto feed = ical::readFeed(oneEvent("DTSTART;TZID=Europe/Amsterdam:20260328T230000\nDURATION:PT1H30M\n"
                                                  "RRULE:FREQ=DAILY;COUNT=2\n"),
                                         kYearFrom, kYearTo);
        REQUIRE(feed.occurrences.size() == 2);
        CHECK(feed.occurrences[0].start == utc(2026, 3, 28, 22));
        CHECK(feed.occurrences[0].end == utc(2026, 3, 28, 23, 30));
        CHECK(feed.occurrences[1].start == utc(2026, 3, 29, 21)); // summer time by then
        CHECK(feed.occurrences[1].end - feed.occurrences[1].start == 5400);
        CHECK(feed.warnings.empty());
    }
    SUBCASE("P1D is a calendar day, 23 hours on the day summer time starts") {
        const auto feed = ical::readFeed(oneEvent("DTSTART;TZID=Europe/Amsterdam:20260328T120000\nDURATION:P1D\n"),
                                         kYearFrom, kYearTo);
        REQUIRE(feed.occurrences.size() == 1);
        CHECK(feed.occurrences[0].end - feed.occurrences[0].start == 23 * 3600);
    }
    SUBCASE("no end") {
        const auto feed =
            ical::readFeed(oneEvent("SUMMARY:Open eind\nDTSTART;TZID=Europe/Amsterdam:20260707T100000\n"), kYearFrom,
                           kYearTo);
        REQUIRE(feed.occurrences.size() == 1);
        CHECK(feed.occurrences[0].end - feed.occurrences[0].start == 3600);
        CHECK(warned(feed, "Open eind"));
    }
}

TEST_CASE("ical: only occurrences overlapping the window are listed") {
    const char* text = R"(BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//EN
BEGIN:VEVENT
UID:across-start
DTSTART:20260601T090000Z
DTEND:20260601T110000Z
END:VEVENT
BEGIN:VEVENT
UID:ends-at-start
DTSTART:20260601T080000Z
DTEND:20260601T100000Z
END:VEVENT
BEGIN:VEVENT
UID:inside
DTSTART:20260601T120000Z
DTEND:20260601T130000Z
END:VEVENT
BEGIN:VEVENT
UID:starts-at-end
DTSTART:20260601T140000Z
DTEND:20260601T150000Z
END:VEVENT
END:VCALENDAR
)";
    const auto feed = ical::readFeed(text, utc(2026, 6, 1, 10), utc(2026, 6, 1, 14));
    REQUIRE(feed.occurrences.size() == 2);
    CHECK(feed.occurrences[0].uid == "across-start");
    CHECK(feed.occurrences[1].uid == "inside");
}

TEST_CASE("ical: folded lines and CRLF line endings") {
    std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:fold@test\r\n"
                       "SUMMARY:Spreekuur voor mensen die een\r\n  lange titel willen lezen\r\n"
                       "DTSTART;TZID=Europe/\r\n Amsterdam:20260707T100000\r\nDTEND;TZID=Europe/Amsterdam:2026070\r\n"
                       "\t7T110000\r\nRRULE:FREQ=WEEKLY;CO\r\n UNT=2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    const auto feed = ical::readFeed(text, kYearFrom, kYearTo);
    REQUIRE(feed.occurrences.size() == 2);
    CHECK(feed.occurrences[0].summary == "Spreekuur voor mensen die een lange titel willen lezen");
    CHECK(feed.occurrences[0].start == utc(2026, 7, 7, 8));
    CHECK(feed.occurrences[0].end == utc(2026, 7, 7, 9));
    CHECK(feed.warnings.empty());
}

TEST_CASE("ical: old Mac line ends, blank lines and a huge inline attachment") {
    std::string text = oneEvent("DTSTART:20260707T100000Z\nDTEND:20260707T110000Z\n\n\n"
                                "ATTACH;VALUE=BINARY;ENCODING=BASE64:" + std::string(1 << 20, 'A') + "\n");
    std::replace(text.begin(), text.end(), '\n', '\r');
    const auto feed = ical::readFeed(text, kYearFrom, kYearTo);
    REQUIRE(feed.occurrences.size() == 1);
    CHECK(feed.occurrences[0].start == utc(2026, 7, 7, 10));
    CHECK(warned(feed, "long lines"));
}

TEST_CASE("ical: times in the spring gap and in the repeated autumn hour") {
    const auto feed = ical::readFeed(oneEvent("DTSTART;TZID=Europe/Amsterdam:20260329T023000\nDURATION:PT30M\n"
                                              "RDATE;TZID=Europe/Amsterdam:20261025T023000\n"),
                                     kYearFrom, kYearTo);
    // 02:30 never happens on 29 March: read with the winter offset, it is 03:30 summer time (RFC 5545).
    // 02:30 happens twice on 25 October: the first one, still summer time.
    CHECK(starts(feed) == std::vector<int64_t>{utc(2026, 3, 29, 1, 30), utc(2026, 10, 25, 0, 30)});
}

TEST_CASE("ical: damaged or unusable text is refused with ical.parse") {
    CHECK(errorKey("") == "ical.parse");
    CHECK(errorKey("hello, world") == "ical.parse");
    CHECK(errorKey("\x89PNG\r\n\x1a\n\0\0\0\rIHDR") == "ical.parse");
    CHECK(errorKey("BEGIN:VEVENT\nDTSTART:20260707T100000Z\nEND:VEVENT\n") == "ical.parse");
    CHECK(errorKey(std::string(kWeekly).substr(0, 200)) == "ical.parse"); // cut off while downloading
    CHECK(errorKey(oneEvent("SUMMARY:Zonder begin\nDTEND:20260707T100000Z\n")) == "ical.parse");
    CHECK(errorKey(oneEvent("DTSTART:20260707T100000Z\nDTEND:20260707T090000Z\n")) == "ical.parse");
    CHECK(errorKey(oneEvent("DTSTART:20260707T100000Z\nDURATION:-PT1H\n")) == "ical.parse");
    std::string deep = "BEGIN:VCALENDAR\n";
    for (int i = 0; i < 100000; ++i) deep += "BEGIN:X-DEEP\n";
    for (int i = 0; i < 100000; ++i) deep += "END:X-DEEP\n";
    CHECK(errorKey(deep + "END:VCALENDAR\n") == "ical.parse");
}

TEST_CASE("ical: an event that cannot be read is left out with a warning naming it — the rest of the feed is read") {
    // Issue 15, item 12: one event without a start used to refuse the whole calendar.
    const std::string feedText = R"(BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Partner//Rooster//NL
BEGIN:VEVENT
UID:spreekuur@partner.example
SUMMARY:Spreekuur schuldhulp
DTSTART;TZID=Europe/Amsterdam:20260303T140000
DTEND;TZID=Europe/Amsterdam:20260303T150000
RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3
END:VEVENT
BEGIN:VEVENT
UID:kapot@partner.example
SUMMARY:Kapot spreekuur
DTEND:20260305T150000Z
END:VEVENT
BEGIN:VEVENT
UID:achteruit@partner.example
DTSTART:20260306T150000Z
DTEND:20260306T140000Z
END:VEVENT
BEGIN:VEVENT
UID:soa@partner.example
SUMMARY:SOA-test
DTSTART;TZID=Europe/Amsterdam:20260304T100000
DURATION:PT2H
END:VEVENT
END:VCALENDAR
)";
    const auto feed = ical::readFeed(feedText, kYearFrom, kYearTo);
    const auto s = starts(feed);
    CHECK(s.size() == 4); // three Tuesdays and the test hour
    CHECK(has(s, utc(2026, 3, 3, 13)));
    CHECK(has(s, utc(2026, 3, 17, 13)));
    CHECK(has(s, utc(2026, 3, 4, 9)));
    CHECK(feed.skipped == 2);
    CHECK(warned(feed, "The event \"Kapot spreekuur\" was left out: it has no start time."));
    CHECK(warned(feed, "The event with UID \"achteruit@partner.example\" was left out: it ends before it starts."));
    checkShape(feed, kYearFrom, kYearTo);

    // Nothing readable at all is still a broken feed, and the sentence names what is wrong with it.
    std::string onlyBroken = feedText;
    for (const char* good : {"spreekuur@partner.example", "soa@partner.example"}) {
        const size_t at = onlyBroken.find(std::string("UID:") + good);
        const size_t begin = onlyBroken.rfind("BEGIN:VEVENT", at), end = onlyBroken.find("END:VEVENT\n", at) + 11;
        onlyBroken.erase(begin, end - begin);
    }
    try {
        ical::readFeed(onlyBroken, kYearFrom, kYearTo);
        FAIL("a feed without one readable event was read");
    } catch (const Error& e) {
        CHECK(e.key() == "ical.parse");
        CHECK(std::string(e.what()) ==
              "No event in the calendar can be read (the event \"Kapot spreekuur\": it has no start time; and 1 more).");
    }
}

TEST_CASE("ical: a feed without events is not an error") {
    const auto feed = ical::readFeed("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\nEND:VCALENDAR\n", kYearFrom,
                                     kYearTo);
    CHECK(feed.occurrences.empty());
    CHECK(warned(feed, "no events"));
}

TEST_CASE("ical: the window is at most 400 days and does not run backwards") {
    CHECK(errorKey(kWeekly, kYearFrom, kYearFrom + 401 * 86400) == "ical.window");
    CHECK(errorKey(kWeekly, kYearTo, kYearFrom) == "ical.window");
    CHECK(errorKey(kWeekly, kYearFrom, kYearFrom + 400 * 86400).empty());
    CHECK(errorKey(kWeekly, INT64_MIN, INT64_MIN + 10) == "ical.window");
    CHECK(errorKey(kWeekly, INT64_MAX - 10, INT64_MAX) == "ical.window");
}

TEST_CASE("ical: a daily series from 2010 still reaches the window, and caps stop runaway rules") {
    SUBCASE("old series") {
        const auto feed = ical::readFeed(oneEvent("DTSTART;TZID=Europe/Amsterdam:20100104T090000\nDURATION:PT1H\n"
                                                  "RRULE:FREQ=DAILY;INTERVAL=3\n"),
                                         utc(2026, 7, 1), utc(2026, 7, 31));
        const auto s = starts(feed);
        REQUIRE(s.size() == 10);
        // Every third day at 09:00, which in July is 07:00Z (the series began at 08:00Z in winter).
        for (int64_t x : s) CHECK((x + 3600 - utc(2010, 1, 4, 8)) % (3 * 86400) == 0);
        CHECK(feed.warnings.empty());
    }
    SUBCASE("rules libical would search for years are read once") {
        for (const char* rule : {"FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
                                 "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2",
                                 "FREQ=MONTHLY;BYMONTHDAY=29,30,31;BYMONTH=2;BYSETPOS=2", "FREQ=DAILY;BYDAY=1MO"}) {
            CAPTURE(rule);
            const auto began = std::chrono::steady_clock::now();
            const auto feed = ical::readFeed(
                oneEvent("DTSTART:20260106T140000Z\nDURATION:PT1H\nRRULE:" + std::string(rule) + "\n"), kYearFrom,
                kYearTo);
            CHECK(std::chrono::steady_clock::now() - began < std::chrono::milliseconds(100));
            CHECK(feed.occurrences.size() == 1);
            CHECK(warned(feed, "read once"));
        }
    }
    SUBCASE("rules that crash libical 3.0.16 never reach it") {
        for (const char* event : {"DTSTART:19930305T000000Z\nRRULE:FREQ=YEARLY;BYWEEKNO=48\n",
                                  "DTSTART:20181206T200000Z\nRRULE:FREQ=YEARLY;BYWEEKNO=33,-40,-44,-4\n"}) {
            CAPTURE(event);
            const auto feed = ical::readFeed(oneEvent(std::string(event) + "DURATION:PT1H\n"), utc(1993, 1, 1),
                                             utc(1993, 12, 31));
            CHECK(warned(feed, "BYWEEKNO"));
        }
    }
    SUBCASE("a huge COUNT stops at the window") {
        const auto feed = ical::readFeed(oneEvent("DTSTART:20260101T100000Z\nDURATION:PT1H\n"
                                                  "RRULE:FREQ=DAILY;COUNT=2000000000\n"),
                                         kYearFrom, kYearTo);
        CHECK(feed.occurrences.size() == 365);
    }
}

TEST_CASE("ical: month days counted from the end and Friday the 13th, under FREQ=DAILY") {
    // libical alone never matches a negative BYMONTHDAY with FREQ=DAILY; the reader hands it over as MONTHLY.
    const auto last = ical::readFeed(oneEvent("DTSTART;TZID=Europe/Amsterdam:20260101T100000\nDURATION:PT1H\n"
                                              "RRULE:FREQ=DAILY;BYMONTHDAY=-1;BYMONTH=2,4;COUNT=3\n"),
                                     utc(2026, 2, 1), utc(2027, 3, 1));
    CHECK(starts(last) == std::vector<int64_t>{utc(2026, 2, 28, 9), utc(2026, 4, 30, 8), utc(2027, 2, 28, 9)});
    const auto friday = ical::readFeed(oneEvent("DTSTART;TZID=Europe/Amsterdam:20260101T100000\nDURATION:PT1H\n"
                                                "RRULE:FREQ=DAILY;BYMONTHDAY=13;BYDAY=FR\n"),
                                       kYearFrom, kYearTo);
    CHECK(starts(friday) == std::vector<int64_t>{utc(2026, 2, 13, 9), utc(2026, 3, 13, 9), utc(2026, 11, 13, 9)});
    CHECK(friday.warnings.empty());
}

TEST_CASE("ical: at most 5,000 instances per rule and 20,000 occurrences in all") {
    SUBCASE("a daily COUNT from 1990 stops after 5,000, years before the window") {
        const auto feed = ical::readFeed(oneEvent("DTSTART:19900101T100000Z\nDURATION:PT1H\n"
                                                  "RRULE:FREQ=DAILY;COUNT=100000\n"),
                                         kYearFrom, kYearTo);
        CHECK(feed.occurrences.empty());
        CHECK(warned(feed, "more than 5,000"));
    }
    SUBCASE("five events of thirteen sessions a day") {
        std::string text = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\n";
        for (int i = 0; i < 5; ++i)
            text += "BEGIN:VEVENT\nUID:busy" + std::to_string(i) +
                    "\nDTSTART:20260101T080000Z\nDURATION:PT30M\n"
                    "RRULE:FREQ=DAILY;BYHOUR=8,9,10,11,12,13,14,15,16,17,18,19,20\nEND:VEVENT\n";
        text += "END:VCALENDAR\n";
        const auto feed = ical::readFeed(text, kYearFrom, kYearTo);
        CHECK(feed.occurrences.size() == 20000);
        CHECK(warned(feed, "20,000"));
        checkShape(feed, kYearFrom, kYearTo);
    }
}

TEST_CASE("ical: two threads read feeds at once") {
    std::vector<size_t> counts(2);
    std::thread other([&] {
        for (int i = 0; i < 50; ++i) counts[0] += ical::readFeed(kWeekly, kYearFrom, kYearTo).occurrences.size();
    });
    for (int i = 0; i < 50; ++i) counts[1] += ical::readFeed(kWeekly, kYearFrom, kYearTo).occurrences.size();
    other.join();
    CHECK(counts[0] == 50 * 44);
    CHECK(counts[1] == 50 * 44);
}

TEST_CASE("ical: fuzzed feeds only ever throw core::Error") {
    const std::vector<std::string> seeds = {
        kWeekly,
        R"(BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
X-WR-TIMEZONE:Europe/Amsterdam
BEGIN:VEVENT
UID:taal@partner.example
SUMMARY:Taalcafé
DTSTART;TZID=Europe/Amsterdam:20260303T140000
DTEND;TZID=Europe/Amsterdam:20260303T160000
RRULE:FREQ=MONTHLY;BYDAY=1TU,3TU;UNTIL=20261231T230000Z
EXDATE;TZID=Europe/Amsterdam:20260407T140000,20260505T140000
RDATE;VALUE=PERIOD:20260601T100000Z/PT2H
END:VEVENT
BEGIN:VEVENT
UID:taal@partner.example
RECURRENCE-ID;TZID=Europe/Amsterdam:20260317T140000
DTSTART;TZID=Europe/Amsterdam:20260318T170000
DURATION:PT90M
END:VEVENT
BEGIN:VEVENT
UID:dag@partner.example
DTSTART;VALUE=DATE:20260427
RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=27
END:VEVENT
END:VCALENDAR
)",
        R"(BEGIN:VCALENDAR
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E008
SUMMARY:Juridisch
 spreekuur
DTSTART;TZID=W. Europe Standard Time:20260707T100000
DTEND;TZID=W. Europe Standard Time:20260707T120000
RRULE:FREQ=DAILY;INTERVAL=2;BYDAY=MO,WE,FR;COUNT=40
STATUS:CONFIRMED
BEGIN:VALARM
TRIGGER:-PT15M
ACTION:DISPLAY
END:VALARM
END:VEVENT
END:VCALENDAR
)",
    };
    const std::vector<std::string> inserts = {
        "COUNT=2147483647;", "INTERVAL=0;", "BYDAY=XX,9MO,-99FR,;", "BYMONTH=2;BYMONTHDAY=30;", "FREQ=SECONDLY;",
        "BYSETPOS=-366;", "\nRRULE:FREQ=MINUTELY;BYHOUR=25\n", "\nBEGIN:VEVENT\n", "\nEND:VEVENT\n",
        "\nDTEND:19000101T000000\n", "\nDTSTART;VALUE=DATE:99991340\n", "\nRECURRENCE-ID:20260303T130000Z\n",
        "\nEXDATE;VALUE=PERIOD:garbage\n", "\nTZID=\"unterminated", ";TZID=", "\nDURATION:P99999999W\n",
        "\nRDATE;VALUE=PERIOD:20260101T000000Z/20250101T000000Z\n", "\nSTATUS:CANCELLED\n", "\nUNTIL=0\n",
        "BYWEEKNO=-38;", "BYSETPOS=3;BYHOUR=4,6,16;", "BYMONTHDAY=-23;"};

    // INLOOP_ICAL_FUZZ="iterations:seed" fuzzes longer by hand; the suite runs 3,000 with a fixed seed.
    int iterations = 3000;
    unsigned seed = 20260329;
    if (const char* env = std::getenv("INLOOP_ICAL_FUZZ")) std::sscanf(env, "%d:%u", &iterations, &seed);
    std::mt19937 rng(seed);
    auto pick = [&](size_t n) { return n == 0 ? size_t{0} : std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
    auto mutate = [&](std::string s) {
        const int rounds = 1 + static_cast<int>(pick(3));
        for (int r = 0; r < rounds && !s.empty(); ++r) {
            const size_t at = pick(s.size() + 1);
            switch (pick(9)) {
            case 0: s.erase(at, 1 + pick(20)); break;
            case 1: s.insert(at, s.substr(at, 1 + pick(60))); break;
            case 2:
                for (size_t i = 0, n = 1 + pick(8); i < n; ++i) s.insert(at, 1, static_cast<char>(pick(256)));
                break;
            case 3: s.resize(at); break;
            case 4: { // swap two lines
                std::vector<std::string> lines;
                for (size_t p = 0, e; p < s.size(); p = e + 1) {
                    e = s.find('\n', p);
                    if (e == std::string::npos) e = s.size();
                    lines.push_back(s.substr(p, e - p));
                }
                std::swap(lines[pick(lines.size())], lines[pick(lines.size())]);
                s.clear();
                for (const auto& l : lines) s += l + "\n";
                break;
            }
            case 5:
                for (size_t i = 0; i < 6; ++i)
                    if (size_t p = pick(s.size()); std::isdigit(static_cast<unsigned char>(s[p])))
                        s[p] = static_cast<char>('0' + pick(10));
                break;
            case 6: { // into a rule, or anywhere
                const size_t rule = s.find("RRULE:");
                s.insert(rule != std::string::npos && pick(2) ? rule + 6 : at, inserts[pick(inserts.size())]);
                break;
            }
            case 7: { // a piece of another feed
                const std::string& other = seeds[pick(seeds.size())];
                const size_t from = pick(other.size());
                s.insert(at, other.substr(from, 1 + pick(400)));
                break;
            }
            default: s.insert(at, inserts[pick(inserts.size())]); break;
            }
        }
        return s;
    };

    int parsed = 0, refused = 0;
    auto slowest = std::chrono::steady_clock::duration::zero();
    const auto began = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) {
        const std::string text = mutate(seeds[static_cast<size_t>(i) % seeds.size()]);
        const auto t0 = std::chrono::steady_clock::now();
        try {
            const auto feed = ical::readFeed(text, kYearFrom, kYearTo);
            checkShape(feed, kYearFrom, kYearTo);
            ++parsed;
        } catch (const Error& e) {
            REQUIRE(e.kind() == ErrorKind::InvalidInput);
            ++refused;
        }
        slowest = std::max(slowest, std::chrono::steady_clock::now() - t0);
    }
    const auto total = std::chrono::steady_clock::now() - began;
    MESSAGE("parsed " << parsed << ", refused " << refused << ", slowest "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count() << " ms, total "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(total).count() << " ms");
    CHECK(parsed > 300);
    CHECK(refused > 300);
    CHECK(slowest < std::chrono::seconds(1));
}

} // TEST_SUITE
