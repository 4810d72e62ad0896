// Partner calendars: reads iCalendar text with libical, expands repeats in wall-clock time and turns every
// wall-clock time into an instant with ICU — never with libical's own zone data, which a fresh machine may lack.
//
// [SECTION] Limits and small helpers
// [SECTION] Time zones (ICU)
// [SECTION] Guards: what we check before libical sees the text or a rule
// [SECTION] Reader: events, repeats, exceptions, overrides
// [SECTION] readFeed
#include "core/net/ical.hpp"

#include "core/base/error.hpp"

#include <libical/ical.h>
#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

namespace inloop::core::ical {

namespace {

// [SECTION] Limits and small helpers

constexpr int kMaxInstancesPerRule = 5000;     // libical instances taken from one RRULE
constexpr size_t kMaxOccurrences = 20000;      // occurrences in one answer
constexpr int kMaxRuleSteps = 200000;          // libical instances taken from all rules of one feed together
constexpr int64_t kMaxWindow = 400 * 86400;    // seconds
constexpr int64_t kEarliest = -2208988800;     // 1900-01-01T00:00Z: windows lie within 1900–2200, so the
constexpr int64_t kLatest = 7258118400;        // 2200-01-01T00:00Z  arithmetic on them cannot overflow
constexpr size_t kMaxFeedBytes = 16u << 20;    // a partner calendar is kilobytes; 16 MiB is a broken download
constexpr int kMaxNesting = 8;                 // VCALENDAR > VEVENT > VALARM is 3 deep
constexpr size_t kMaxLineBytes = 256u << 10;   // one unfolded line; longer ones are inline attachments
constexpr int64_t kMaxEventLength = 366 * 86400;
constexpr int64_t kDefaultLength = 3600;       // a timed event without an end
constexpr size_t kMaxWarnings = 20;
constexpr auto kMaxExpansionTime = std::chrono::seconds(2); // last resort; the guards below keep far under it

[[noreturn]] void fail(const std::string& why) { throw Error(ErrorKind::InvalidInput, "ical.parse", why); }

// One event cannot be read: it is left out with a warning, the rest of the feed is read (issue 15, item 12).
// `why` completes "… was left out: ": "it has no start time".
struct EventFault {
    std::string why;
};
[[noreturn]] void eventFault(const std::string& why) { throw EventFault{why}; }

// A feed's text in a message: quoted, at most ~60 bytes, never cut inside a UTF-8 sequence.
std::string quoted(std::string_view text) {
    if (text.empty()) return "(untitled)";
    std::string out(text.substr(0, 60));
    if (out.size() < text.size()) {
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
        if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.pop_back();
        out += "…";
    }
    return "\"" + out + "\"";
}

struct ComponentFree {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;

struct IteratorFree {
    void operator()(icalrecur_iterator* i) const { icalrecur_iterator_free(i); }
};
using IteratorPtr = std::unique_ptr<icalrecur_iterator, IteratorFree>;

// libical keeps per-process state (the error flag, errno, a ring of temporary strings): one reader at a time.
std::mutex& libicalMutex() {
    static std::mutex m;
    return m;
}

// The ring of temporary strings libical keeps for this thread, freed when a read ends (also on throw).
struct RingRelease {
    ~RingRelease() { icalmemory_free_ring(); }
};

// Collected first, because libical's first/next walk keeps one cursor per component and kind.
std::vector<icalproperty*> properties(icalcomponent* c, icalproperty_kind kind) {
    std::vector<icalproperty*> out;
    for (icalproperty* p = icalcomponent_get_first_property(c, kind); p; p = icalcomponent_get_next_property(c, kind))
        out.push_back(p);
    return out;
}

std::vector<icalcomponent*> components(icalcomponent* c, icalcomponent_kind kind) {
    std::vector<icalcomponent*> out;
    for (icalcomponent* k = icalcomponent_get_first_component(c, kind); k;
         k = icalcomponent_get_next_component(c, kind))
        out.push_back(k);
    return out;
}

std::string tzidOf(icalproperty* p) {
    icalparameter* par = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    const char* v = par ? icalparameter_get_tzid(par) : nullptr;
    return v ? v : "";
}

std::string xValue(icalcomponent* c, std::string_view name) {
    for (icalproperty* p : properties(c, ICAL_X_PROPERTY)) {
        const char* n = icalproperty_get_x_name(p);
        const char* v = icalproperty_get_x(p);
        if (n && v && std::string_view(n).size() == name.size() &&
            std::equal(name.begin(), name.end(), n,
                       [](char a, char b) { return a == std::toupper(static_cast<unsigned char>(b)); }))
            return v;
    }
    return {};
}

// A wall-clock reading as written in the feed; `date` for DATE values (all-day).
struct Wall {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    bool date = false;
};

Wall wallOf(const icaltimetype& t) {
    Wall w{t.year, t.month, t.day, t.hour, t.minute, t.second, t.is_date != 0};
    if (w.date) w.h = w.mi = w.s = 0;
    return w;
}

icaltimetype floatingTime(const Wall& w) {
    icaltimetype t = icaltime_null_time();
    t.year = w.y;
    t.month = w.mo;
    t.day = w.d;
    t.hour = w.h;
    t.minute = w.mi;
    t.second = w.s;
    t.is_date = w.date ? 1 : 0;
    t.zone = nullptr; // floating: libical expands the rule in plain wall-clock time
    return t;
}

int daysInMonth(int y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

// A time we can hand to libical's iterator: a real calendar date in years its arithmetic and ours agree on.
bool usable(const Wall& w) {
    return w.y >= 1900 && w.y <= 2200 && w.mo >= 1 && w.mo <= 12 && w.d >= 1 && w.d <= daysInMonth(w.y, w.mo) &&
           w.h >= 0 && w.h <= 23 && w.mi >= 0 && w.mi <= 59 && w.s >= 0 && w.s <= 60;
}

Wall addDays(Wall w, int64_t days) {
    using namespace std::chrono;
    const year_month_day ymd{sys_days{year_month_day{year{w.y}, month{static_cast<unsigned>(w.mo)},
                                                     day{static_cast<unsigned>(w.d)}}} +
                             std::chrono::days{days}};
    w.y = static_cast<int>(ymd.year());
    w.mo = static_cast<int>(static_cast<unsigned>(ymd.month()));
    w.d = static_cast<int>(static_cast<unsigned>(ymd.day()));
    return w;
}

int dayKey(const Wall& w) { return w.y * 10000 + w.mo * 100 + w.d; }

int64_t dayNumber(const Wall& w) {
    using namespace std::chrono;
    return sys_days{year_month_day{year{w.y}, month{static_cast<unsigned>(w.mo)}, day{static_cast<unsigned>(w.d)}}}
        .time_since_epoch()
        .count();
}

// [SECTION] Time zones (ICU)

// The ICU id for a zone name, or "" when ICU does not know it.
std::string icuId(std::string_view name) {
    if (name.empty() || name.size() > 128) return {};
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString canonical;
    UBool isSystem = false;
    icu::TimeZone::getCanonicalID(icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(),
                                                                                 static_cast<int32_t>(name.size()))),
                                  canonical, isSystem, status);
    if (U_FAILURE(status) || canonical.isEmpty() || canonical == UNICODE_STRING_SIMPLE("Etc/Unknown")) return {};
    std::string out;
    canonical.toUTF8String(out);
    return out;
}

// A TZID as feeds write it: an IANA name, a Windows name (Outlook), or an IANA name behind a vendor prefix
// ("/mozilla.org/20050126_1/Europe/Amsterdam", "/freeassociation.sourceforge.net/Tzfile/Europe/Amsterdam").
std::string icuIdForTzid(std::string_view tzid) {
    if (auto id = icuId(tzid); !id.empty()) return id;
    if (!tzid.empty() && tzid.size() <= 128) {
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeString iana;
        icu::TimeZone::getIDForWindowsID(
            icu::UnicodeString::fromUTF8(icu::StringPiece(tzid.data(), static_cast<int32_t>(tzid.size()))), "001",
            iana, status);
        if (U_SUCCESS(status) && !iana.isEmpty()) {
            std::string out;
            iana.toUTF8String(out);
            if (auto id = icuId(out); !id.empty()) return id;
        }
    }
    if (!tzid.empty() && tzid.front() == '/') {
        for (size_t slash = tzid.find('/', 1); slash != std::string_view::npos; slash = tzid.find('/', slash + 1))
            if (auto id = icuId(tzid.substr(slash + 1)); !id.empty()) return id;
    }
    return {};
}

// Wall-clock readings to unix seconds, one ICU calendar per zone and read.
class WallClock {
public:
    int64_t toUnix(const std::string& zone, const Wall& w) {
        icu::Calendar& cal = calendarFor(zone);
        cal.clear();
        cal.set(w.y, w.mo - 1, w.d, w.h, w.mi, std::min(w.s, 59));
        UErrorCode status = U_ZERO_ERROR;
        const UDate ms = cal.getTime(status);
        if (U_FAILURE(status)) eventFault("a date in it is out of range");
        return static_cast<int64_t>(std::floor(ms / 1000.0));
    }

private:
    icu::Calendar& calendarFor(const std::string& zone) {
        auto& slot = m_calendars[zone];
        if (!slot) {
            UErrorCode status = U_ZERO_ERROR;
            slot = std::make_unique<icu::GregorianCalendar>(
                icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zone)), status);
            if (U_FAILURE(status)) eventFault("ICU has no calendar for its time zone " + zone);
            // RFC 5545 §3.3.5: a wall time that happens twice (the autumn hour) means its first pass; one that
            // never happens (the spring gap) is read with the offset from before the gap, so it lands after the
            // gap: 02:30 on 29 March 2026 in Amsterdam is 03:30 summer time. ICU calls these FIRST and LAST.
            slot->setRepeatedWallTimeOption(UCAL_WALLTIME_FIRST);
            slot->setSkippedWallTimeOption(UCAL_WALLTIME_LAST);
        }
        return *slot;
    }

    std::map<std::string, std::unique_ptr<icu::Calendar>> m_calendars;
};

// [SECTION] Guards: what we check before libical sees the text or a rule

struct CheckedText {
    std::string text;       // NUL-terminated, as libical wants it
    bool droppedLong = false; // a logical line over kMaxLineBytes was left out
};

// libical parses nested components into a tree and frees it recursively, its line reader takes quadratic time
// on a long line (10 MB: 23 s), and a truncated download parses "fine" into fewer events. So before libical:
// text only, not huge, BEGIN/END balanced, shallow, starting with BEGIN:VCALENDAR, and lines over 256 KiB
// (inline attachments) left out. The copy handed to libical has LF line ends only (CRLF and a lone CR become
// LF) and no blank lines, so libical's lines and folds (a line starting with a space or tab) are the ones
// checked here.
CheckedText checkedText(std::string_view text) {
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3); // UTF-8 BOM
    if (text.size() > kMaxFeedBytes) fail("The calendar file is too large.");
    if (text.find('\0') != std::string_view::npos) fail("This is not an iCalendar file.");
    std::string lf; // line ends normalised, blank lines gone
    lf.reserve(text.size() + 1);
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') continue;
            c = '\n';
        }
        if (c == '\n' && (lf.empty() || lf.back() == '\n')) continue;
        lf += c;
    }
    if (!lf.empty() && lf.back() != '\n') lf += '\n';

    auto startsWith = [](std::string_view line, std::string_view head) {
        if (line.size() < head.size()) return false;
        for (size_t i = 0; i < head.size(); ++i)
            if (std::toupper(static_cast<unsigned char>(line[i])) != head[i]) return false;
        return true;
    };
    CheckedText out;
    out.text.reserve(lf.size());
    int depth = 0, lines = 0;
    bool sawCalendar = false;
    const std::string_view all = lf;
    for (size_t pos = 0; pos < all.size();) {
        // One logical line: a physical line and the folds after it (lf ends in '\n', so find() finds one).
        size_t end = all.find('\n', pos) + 1;
        while (end < all.size() && (all[end] == ' ' || all[end] == '\t')) end = all.find('\n', end) + 1;
        const std::string_view line = all.substr(pos, end - pos);
        pos = end;
        if (line.size() > kMaxLineBytes) {
            out.droppedLong = true;
            continue;
        }
        std::string head; // the first bytes, unfolded
        for (size_t i = 0; i < line.size() && head.size() < 32; ++i) {
            if (line[i] == '\n') ++i; // a fold: the newline and the space or tab after it
            else head += line[i];
        }
        ++lines;
        if (startsWith(head, "BEGIN:")) {
            if (lines == 1 && !startsWith(head, "BEGIN:VCALENDAR")) fail("This is not an iCalendar file.");
            if (depth == 0) sawCalendar = true;
            if (++depth > kMaxNesting) fail("The calendar file is nested too deeply to be a calendar.");
        } else if (startsWith(head, "END:")) {
            if (--depth < 0) fail("The calendar file is damaged (an END without a BEGIN).");
        } else if (lines == 1) {
            fail("This is not an iCalendar file.");
        }
        out.text.append(line);
    }
    if (!sawCalendar) fail("This is not an iCalendar file.");
    if (depth != 0) fail("The calendar file is incomplete; it may have been cut off while downloading.");
    return out;
}

// A BY list of a rule, sorted and without repeats ("BYDAY=SU,SU" is one Sunday).
template <size_t N>
std::vector<short> byList(const short (&values)[N]) {
    std::vector<short> out;
    for (size_t i = 0; i < N && values[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) out.push_back(values[i]);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// Can a rule's BYMONTH × BYMONTHDAY × BYDAY(n) ever match a day? Conservative: says "no" only when no day of a
// common or a leap year qualifies, whatever weekday it falls on. Numbered weekdays ("5WE") count within the
// month for MONTHLY and for YEARLY with BYMONTH, within the year for YEARLY without BYMONTH (RFC 5545).
bool canEverMatch(const icalrecurrencetype& r) {
    if (!byList(r.by_year_day).empty() || !byList(r.by_week_no).empty()) return true;
    const auto months = byList(r.by_month), monthDays = byList(r.by_month_day), days = byList(r.by_day);
    const bool ordinalsInYear = r.freq == ICAL_YEARLY_RECURRENCE && months.empty();
    auto nth = [](int n, int index, int length) { // is day `index` (1-based) of `length` the n-th such weekday?
        return n == (index - 1) / 7 + 1 || n == -((length - index) / 7 + 1);
    };
    for (const int year : {2023, 2024}) {
        const int yearLength = daysInMonth(year, 2) == 29 ? 366 : 365;
        for (int m = 1, before = 0; m <= 12; before += daysInMonth(year, m), ++m) {
            if (!months.empty() && std::find(months.begin(), months.end(), m) == months.end()) continue;
            const int dim = daysInMonth(year, m);
            for (int d = 1; d <= dim; ++d) {
                const bool dayOk = monthDays.empty() || std::any_of(monthDays.begin(), monthDays.end(), [&](short md) {
                                       return md == d || md == d - dim - 1;
                                   });
                const bool weekdayOk = days.empty() || std::any_of(days.begin(), days.end(), [&](short v) {
                                           const int n = icalrecurrencetype_day_position(v);
                                           return n == 0 || (ordinalsInYear ? nth(n, before + d, yearLength)
                                                                            : nth(n, d, dim));
                                       });
                if (dayOk && weekdayOk) return true;
            }
        }
    }
    return false;
}

// At most how many days of a month with `dim` days match BYMONTHDAY and BYDAY, for any weekday of the 1st.
int64_t monthBound(int dim, const std::vector<short>& monthDays, const std::vector<short>& days) {
    std::set<int> weekdays; // plain BYDAY entries, 1 = Sunday … 7 = Saturday
    int64_t ordinals = 0;   // numbered ones ("2TU") pick at most one day each
    for (short v : days) {
        if (icalrecurrencetype_day_position(v) == 0) weekdays.insert(icalrecurrencetype_day_day_of_week(v));
        else ++ordinals;
    }
    int64_t best = 0;
    for (int first = 1; first <= 7; ++first) {
        int64_t inMonth = 0, inWeek = 0;
        for (int d = 1; d <= dim; ++d) {
            if (!monthDays.empty() && std::none_of(monthDays.begin(), monthDays.end(),
                                                   [&](short md) { return md == d || md == d - dim - 1; }))
                continue;
            ++inMonth;
            if (weekdays.count((first + d - 2) % 7 + 1)) ++inWeek;
        }
        best = std::max(best, days.empty() ? inMonth : std::min(inMonth, inWeek + ordinals));
    }
    return best;
}

// BYSETPOS picks from the set of one period (a day, week, month or year): can that set ever be large enough?
// Conservative: an upper bound on the set's size. Without BYDAY or BYMONTHDAY a month or year holds DTSTART's
// day only, so libical walks to 2582 for "FREQ=MONTHLY;BYSETPOS=2".
bool setPositionPossible(const icalrecurrencetype& r) {
    const auto positions = byList(r.by_set_pos);
    if (positions.empty()) return true;
    if (!byList(r.by_year_day).empty() || !byList(r.by_week_no).empty()) return true;
    const auto months = byList(r.by_month), monthDays = byList(r.by_month_day), days = byList(r.by_day);
    int64_t perDay = 1;
    for (size_t n : {byList(r.by_hour).size(), byList(r.by_minute).size(), byList(r.by_second).size()})
        perDay *= static_cast<int64_t>(std::max<size_t>(n, 1));
    int64_t largest = 0;
    if (r.freq == ICAL_DAILY_RECURRENCE) {
        largest = perDay;
    } else if (r.freq == ICAL_WEEKLY_RECURRENCE) {
        largest = perDay * static_cast<int64_t>(std::max<size_t>(days.size(), 1));
    } else if (monthDays.empty() && days.empty()) {
        const bool perMonth = r.freq == ICAL_YEARLY_RECURRENCE && !months.empty();
        largest = perDay * (perMonth ? static_cast<int64_t>(months.size()) : 1);
    } else {
        int64_t year = 0;
        for (int m = 1; m <= 12; ++m) {
            if (!months.empty() && std::find(months.begin(), months.end(), m) == months.end()) continue;
            const int64_t count = monthBound(daysInMonth(2024, m), monthDays, days) * perDay;
            largest = std::max(largest, count);
            year += count;
        }
        if (r.freq == ICAL_YEARLY_RECURRENCE) largest = year;
    }
    // Every position must fit: libical 3.0.16 spends up to a second in icalrecur_iterator_new() on a rule
    // with one that cannot, and then refuses it anyway.
    return std::all_of(positions.begin(), positions.end(), [&](short p) { return std::abs(p) <= largest; });
}

// Does the INTERVAL ever land on an allowed weekday (DAILY) or month (MONTHLY)? "FREQ=DAILY;INTERVAL=7;
// BYDAY=MO" from a Tuesday visits only Tuesdays, and libical walks them all up to the year 2582.
bool intervalReaches(const icalrecurrencetype& r, const Wall& start) {
    if (r.freq == ICAL_DAILY_RECURRENCE && r.interval % 7 == 0) {
        const auto days = byList(r.by_day);
        if (days.empty()) return true;
        using namespace std::chrono;
        const weekday startDay{sys_days{std::chrono::days{dayNumber(start)}}};
        const int weekdayOfStart = static_cast<int>(startDay.c_encoding()) + 1; // libical's 1 = Sunday
        return std::any_of(days.begin(), days.end(), [&](short v) {
            return static_cast<int>(icalrecurrencetype_day_day_of_week(v)) == weekdayOfStart;
        });
    }
    if (r.freq == ICAL_MONTHLY_RECURRENCE) {
        const auto months = byList(r.by_month);
        if (months.empty()) return true;
        for (int i = 0; i < 12; ++i)
            if (std::find(months.begin(), months.end(), (start.mo - 1 + i * r.interval) % 12 + 1) != months.end())
                return true;
        return false;
    }
    return true;
}

// Why a rule is not handed to libical, or "" when it may be. libical 3.0.16 looks for the next match one
// step at a time up to the year 2582 inside a single icalrecur_iterator_next() call, so a rule that can never
// match hangs it: "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30" runs for minutes, FREQ=HOURLY for ~8 s, and DAILY,
// MONTHLY or YEARLY ones with an impossible day 0.05–0.3 s each. We refuse sub-daily rules (no walk-in
// session repeats by the hour), BY parts RFC 5545 does not allow for the frequency, and rules that can be
// shown never to match. What slips through is bounded by the expansion time limit in Reader::expandRule.
std::string ruleProblem(const icalrecurrencetype& r, const Wall& start) {
    if (r.freq == ICAL_NO_RECURRENCE) return "its repeat rule could not be read";
    if (r.freq < ICAL_DAILY_RECURRENCE) return "it repeats more often than daily, which is not supported";
    if (r.interval < 1) return "its repeat rule has no interval";
    if (r.rscale) return "it repeats in a non-Gregorian calendar, which is not supported";
    // libical 3.0.16 crashes (SIGSEGV, a failed assert, or an endless loop) in icalrecur_iterator_next on
    // many BYWEEKNO rules, e.g. "FREQ=YEARLY;BYWEEKNO=48" from 1993-03-05 or any negative week number.
    // Calendars for walk-in sessions do not number weeks, so such a rule never reaches libical.
    if (!byList(r.by_week_no).empty()) return "its repeat rule uses week numbers (BYWEEKNO), which is not supported";
    // BYSETPOS over times of the day ("the 3rd of BYHOUR=4,6,16 each month") sends libical searching to 2582.
    if (!byList(r.by_set_pos).empty() &&
        (!byList(r.by_hour).empty() || !byList(r.by_minute).empty() || !byList(r.by_second).empty()))
        return "its repeat rule picks positions among times of the day, which is not supported";
    if (r.freq != ICAL_YEARLY_RECURRENCE) {
        if (!byList(r.by_year_day).empty()) return "its repeat rule uses BYYEARDAY without FREQ=YEARLY";
        if (r.freq == ICAL_WEEKLY_RECURRENCE && !byList(r.by_month_day).empty())
            return "its repeat rule uses BYMONTHDAY with FREQ=WEEKLY";
        if (r.freq == ICAL_DAILY_RECURRENCE) {
            const auto monthDays = byList(r.by_month_day);
            if (!monthDays.empty() && monthDays.front() < 0)
                return "its repeat rule counts days from the end of the month with FREQ=DAILY and an INTERVAL "
                       "or BYSETPOS, which is not supported";
        }
        if (r.freq != ICAL_MONTHLY_RECURRENCE) {
            for (short v : byList(r.by_day))
                if (icalrecurrencetype_day_position(v) != 0)
                    return "its repeat rule numbers weekdays without FREQ=MONTHLY or YEARLY";
        }
    }
    if (!canEverMatch(r) || !setPositionPossible(r) || !intervalReaches(r, start))
        return "its repeat rule never matches a real date";
    return {};
}

// [SECTION] Reader: events, repeats, exceptions, overrides

// How long each instance lasts: `days` in wall-clock days (DURATION:P1D, all-day DTEND), then `seconds` exactly.
struct Length {
    int64_t days = 0;
    int64_t seconds = 0;
};

// A DURATION as a Length; nullopt when it is far longer than any session (the fields are unsigned ints
// straight from the text, so they are bounded before the arithmetic, never handed to icaldurationtype_as_int).
std::optional<Length> lengthOf(const icaldurationtype& d) {
    if (d.weeks > 60 || d.days > 400 || d.hours > 10000 || d.minutes > 600000 || d.seconds > 36000000)
        return std::nullopt;
    const int sign = d.is_neg ? -1 : 1;
    return Length{sign * (int64_t{d.weeks} * 7 + d.days),
                  sign * (int64_t{d.hours} * 3600 + int64_t{d.minutes} * 60 + d.seconds)};
}

struct Event {
    icalcomponent* comp = nullptr;
    std::string uid, summary;
    bool cancelled = false, allDay = false;
    std::string zone; // ICU id the wall times are read in
    Wall start;
    int64_t startUnix = 0;
    Length length;
    bool hasEnd = false;                 // DTEND or DURATION given
    std::optional<int64_t> recurrenceId; // set on an override of one instance
};

struct Instance {
    Wall wall;
    int64_t start = 0;
    int64_t end = 0;
};

class Reader {
public:
    Reader(int64_t from, int64_t to, std::string defaultZone)
        : m_from(from), m_to(to), m_defaultZone(std::move(defaultZone)) {}

    Feed read(icalcomponent* root, bool droppedLongLines) {
        if (droppedLongLines) warn("Some very long lines of the calendar (attachments, mostly) were left out.");
        std::vector<icalcomponent*> calendars;
        if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) calendars.push_back(root);
        else if (icalcomponent_isa(root) == ICAL_XROOT_COMPONENT) // several VCALENDARs in one text
            calendars = components(root, ICAL_VCALENDAR_COMPONENT);
        if (calendars.empty()) fail("This is not an iCalendar file.");

        std::vector<Event> events;
        for (icalcomponent* cal : calendars) {
            m_calendarZone.clear();
            if (auto wr = xValue(cal, "X-WR-TIMEZONE"); !wr.empty()) m_calendarZone = icuIdForTzid(wr);
            readTimezones(cal);
            for (icalcomponent* ev : components(cal, ICAL_VEVENT_COMPONENT)) {
                try {
                    if (auto e = readEvent(ev)) events.push_back(std::move(*e));
                } catch (const EventFault& f) {
                    skip(ev, f);
                }
            }
        }
        if (events.empty() && !m_sawEvent) warn("The calendar has no events.");
        // Refused only when no event at all could be read: then the feed is broken, not one event in it.
        if (events.empty() && m_feed.skipped > 0)
            fail("No event in the calendar can be read (" + m_firstFault +
                 (m_feed.skipped > 1 ? "; and " + std::to_string(m_feed.skipped - 1) + " more" : "") + ").");

        std::map<std::string, std::set<int64_t>> replaced; // uid → instants that an override replaces
        std::map<std::string, const Event*> masters;
        for (const auto& e : events) {
            if (e.recurrenceId) replaced[e.uid].insert(*e.recurrenceId);
            else masters.emplace(e.uid, &e);
        }
        for (auto& e : events) {
            if (!e.recurrenceId || e.hasEnd) continue;
            // An override without an end keeps the series' length.
            if (const auto master = masters.find(e.uid); master != masters.end() && !master->second->allDay)
                e.length = master->second->length;
            else if (!e.allDay)
                warn("The event " + quoted(e.summary) + " has no end time; it was given one hour.");
        }
        for (const auto& e : events) {
            if (m_truncated) break;
            try { // a fault comes before the event emits anything (expand() collects its instances first)
                place(e, masters, replaced);
            } catch (const EventFault& f) {
                skip(e.comp, f);
            }
        }

        auto& out = m_feed.occurrences;
        std::sort(out.begin(), out.end(), [](const Occurrence& a, const Occurrence& b) {
            return a.start != b.start ? a.start < b.start : a.uid != b.uid ? a.uid < b.uid : a.end < b.end;
        });
        out.erase(std::unique(out.begin(), out.end(),
                              [](const Occurrence& a, const Occurrence& b) {
                                  return a.start == b.start && a.uid == b.uid && !a.uid.empty();
                              }),
                  out.end());
        return std::move(m_feed);
    }

private:
    // One read event into the answer: a master with its repeats, or an override of one instance.
    void place(const Event& e, const std::map<std::string, const Event*>& masters,
               std::map<std::string, std::set<int64_t>>& replaced) {
        if (!e.recurrenceId) {
            expand(e, replaced[e.uid]);
            return;
        }
        const auto master = masters.find(e.uid);
        const bool seriesCancelled = master != masters.end() && master->second->cancelled;
        if (e.cancelled || seriesCancelled) {
            // Counted where the instance was, or where it was moved to.
            const int64_t len = lengthAt(e, e.start, e.startUnix) - e.startUnix;
            if (overlaps(*e.recurrenceId, *e.recurrenceId + len) || overlaps(e.startUnix, e.startUnix + len))
                ++m_feed.cancelled;
            return;
        }
        emit(e, e.startUnix, lengthAt(e, e.start, e.startUnix));
    }

    // An event that cannot be read: left out, named in a warning by its SUMMARY, else its UID.
    void skip(icalcomponent* ev, const EventFault& f) {
        std::string name = "(untitled)";
        if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_SUMMARY_PROPERTY);
            p && icalproperty_get_summary(p) && *icalproperty_get_summary(p))
            name = quoted(icalproperty_get_summary(p));
        else if (icalproperty* u = icalcomponent_get_first_property(ev, ICAL_UID_PROPERTY);
                 u && icalproperty_get_uid(u) && *icalproperty_get_uid(u))
            name = "with UID " + quoted(icalproperty_get_uid(u));
        if (++m_feed.skipped == 1) m_firstFault = "the event " + name + ": " + f.why;
        warn("The event " + name + " was left out: " + f.why + ".");
    }

    void warn(std::string sentence) {
        if (m_warned.size() >= kMaxWarnings || !m_warned.insert(sentence).second) return;
        m_feed.warnings.push_back(std::move(sentence));
    }

    bool overlaps(int64_t start, int64_t end) const { return start < m_to && end > m_from; }

    // Outlook and others name their own zones; a VTIMEZONE may say which IANA zone it copies.
    void readTimezones(icalcomponent* cal) {
        for (icalcomponent* vtz : components(cal, ICAL_VTIMEZONE_COMPONENT)) {
            icalproperty* p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
            const char* tzid = p ? icalproperty_get_tzid(p) : nullptr;
            if (!tzid) continue;
            if (auto loc = xValue(vtz, "X-LIC-LOCATION"); !loc.empty()) m_locations[tzid] = loc;
        }
    }

    // The ICU zone for a time's TZID (empty: floating), with a warning when we have to guess.
    std::string zoneFor(const std::string& tzid, bool allDay) {
        if (tzid.empty()) {
            if (!m_calendarZone.empty()) return m_calendarZone;
            if (!allDay) warn("Times without a time zone were read as " + m_defaultZone + " time.");
            return m_defaultZone;
        }
        auto [it, fresh] = m_zones.try_emplace(tzid);
        if (fresh) {
            it->second = icuIdForTzid(tzid);
            if (it->second.empty())
                if (auto loc = m_locations.find(tzid); loc != m_locations.end()) it->second = icuIdForTzid(loc->second);
        }
        if (!it->second.empty()) return it->second;
        warn("The time zone " + quoted(tzid) + " is not known; its times were read as " + m_defaultZone + " time.");
        return m_defaultZone;
    }

    // The zone a property's time is read in: UTC for "Z", its TZID, else the event's own zone.
    std::string zoneOf(icalproperty* p, const icaltimetype& t, const std::string& eventZone) {
        if (icaltime_is_utc(t)) return "UTC";
        const std::string tzid = tzidOf(p);
        return tzid.empty() ? eventZone : zoneFor(tzid, t.is_date != 0);
    }

    std::optional<Event> readEvent(icalcomponent* ev) {
        m_sawEvent = true;
        Event e;
        e.comp = ev;
        if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_UID_PROPERTY))
            if (const char* v = icalproperty_get_uid(p)) e.uid = v;
        if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_SUMMARY_PROPERTY))
            if (const char* v = icalproperty_get_summary(p)) e.summary = v;
        if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY))
            e.cancelled = icalproperty_get_status(p) == ICAL_STATUS_CANCELLED;
        if (icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY))
            warn("Some lines of the calendar could not be read and were left out.");

        icalproperty* dtstart = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
        const icaltimetype start = dtstart ? icalproperty_get_dtstart(dtstart) : icaltime_null_time();
        if (icaltime_is_null_time(start)) eventFault("it has no start time");
        e.start = wallOf(start);
        e.allDay = e.start.date;
        if (!usable(e.start)) {
            warn("The event " + quoted(e.summary) + " has an impossible or far-off start date and was left out.");
            return std::nullopt;
        }
        e.zone = icaltime_is_utc(start) ? "UTC" : zoneFor(tzidOf(dtstart), e.allDay);
        e.startUnix = m_times.toUnix(e.zone, e.start);

        if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY)) {
            const icaltimetype rid = icalproperty_get_recurrenceid(p);
            if (!icaltime_is_null_time(rid)) e.recurrenceId = m_times.toUnix(zoneOf(p, rid, e.zone), wallOf(rid));
        }
        if (!readLength(ev, e)) return std::nullopt;
        return e;
    }

    // DTEND or DURATION into e.length; false (with a warning) when the event is too long to be a session.
    bool readLength(icalcomponent* ev, Event& e) {
        icalproperty* dtend = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
        icalproperty* duration = icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY);
        const icaltimetype end = dtend ? icalproperty_get_dtend(dtend) : icaltime_null_time();
        if (dtend && !icaltime_is_null_time(end)) {
            const Wall w = wallOf(end);
            if (e.allDay && w.date && usable(w)) e.length.days = dayNumber(w) - dayNumber(e.start);
            else e.length.seconds = m_times.toUnix(zoneOf(dtend, end, e.zone), w) - e.startUnix;
        } else if (duration) {
            const icaldurationtype d = icalproperty_get_duration(duration);
            if (!icaldurationtype_is_bad_duration(d)) {
                const auto len = lengthOf(d);
                if (!len) return tooLong(e);
                e.length = *len;
            }
        }
        const int64_t approx = e.length.days * 86400 + e.length.seconds;
        if (approx < 0) eventFault("it ends before it starts");
        if (approx > kMaxEventLength) return tooLong(e);
        e.hasEnd = approx > 0;
        if (!e.hasEnd) {
            // RFC 5545 gives a DATE-TIME start without an end no length and a DATE start one day. A session
            // needs a length, so a timed event gets one hour, with a warning: the partner should add an end.
            // (An override without an end takes the series' length instead; see read().)
            if (e.allDay) e.length.days = 1;
            else e.length.seconds = kDefaultLength;
            if (!e.allDay && !e.recurrenceId)
                warn("The event " + quoted(e.summary) + " has no end time; it was given one hour.");
        }
        return true;
    }

    bool tooLong(const Event& e) {
        warn("The event " + quoted(e.summary) + " lasts longer than a year and was left out.");
        return false;
    }

    // The end of an instance that starts at `wall` (= `start` in unix seconds); always after the start.
    int64_t lengthAt(const Event& e, const Wall& wall, int64_t start) {
        int64_t end = e.length.days ? m_times.toUnix(e.zone, addDays(wall, e.length.days)) : start;
        end += e.length.seconds;
        return std::max(end, start + 1);
    }

    void emit(const Event& e, int64_t start, int64_t end) {
        if (!overlaps(start, end)) return;
        if (e.allDay) {
            ++m_feed.allDaySkipped;
            return;
        }
        if (m_feed.occurrences.size() >= kMaxOccurrences) {
            warn("The calendar has more than 20,000 sessions in this period; only 20,000 were read.");
            m_truncated = true;
            return;
        }
        m_feed.occurrences.push_back(Occurrence{e.uid, e.summary, start, end});
    }

    // A master event: DTSTART, RRULE instances and RDATEs, less EXDATEs and the instances overrides replace.
    void expand(const Event& e, const std::set<int64_t>& replaced) {
        std::map<int64_t, Instance> instances;
        auto add = [&](const Wall& w, int64_t start, std::optional<int64_t> end = std::nullopt) {
            instances.try_emplace(start, Instance{w, start, end ? std::max(*end, start + 1) : lengthAt(e, w, start)});
        };

        const auto rules = properties(e.comp, ICAL_RRULE_PROPERTY);
        if (rules.empty()) add(e.start, e.startUnix);
        for (icalproperty* p : rules) {
            icalrecurrencetype rule = icalproperty_get_rrule(p);
            if (rule.rscale && std::string_view(rule.rscale) == "GREGORIAN") rule.rscale = nullptr;
            // libical 3.0.16 never matches a negative BYMONTHDAY under FREQ=DAILY (it walks to the year 2582
            // and returns nothing), and walks day by day where MONTHLY jumps to the next matching day. With
            // INTERVAL=1 and no BYSETPOS both name the same days, so such a rule is handed over as MONTHLY.
            const auto weekdays = byList(rule.by_day);
            if (rule.freq == ICAL_DAILY_RECURRENCE && rule.interval == 1 && !byList(rule.by_month_day).empty() &&
                byList(rule.by_set_pos).empty() && std::none_of(weekdays.begin(), weekdays.end(), [](short v) {
                    return icalrecurrencetype_day_position(v) != 0;
                }))
                rule.freq = ICAL_MONTHLY_RECURRENCE;
            if (const std::string problem = ruleProblem(rule, e.start); !problem.empty()) {
                warn("The event " + quoted(e.summary) + " was read once: " + problem + ".");
                add(e.start, e.startUnix);
                continue;
            }
            expandRule(e, rule, add);
        }

        for (icalproperty* p : properties(e.comp, ICAL_RDATE_PROPERTY)) {
            const icaldatetimeperiodtype rd = icalproperty_get_rdate(p);
            if (!icaltime_is_null_time(rd.time)) {
                const Wall w = wallOf(rd.time);
                if (w.date != e.allDay || !usable(w)) continue; // a date for a timed event (or so): no time to use
                add(w, m_times.toUnix(zoneOf(p, rd.time, e.zone), w));
            } else if (!icaltime_is_null_time(rd.period.start)) {
                const Wall w = wallOf(rd.period.start);
                if (!usable(w)) continue;
                const int64_t start = m_times.toUnix(zoneOf(p, rd.period.start, e.zone), w);
                std::optional<int64_t> end;
                if (!icaltime_is_null_time(rd.period.end))
                    end = m_times.toUnix(zoneOf(p, rd.period.end, e.zone), wallOf(rd.period.end));
                else if (const auto len = lengthOf(rd.period.duration))
                    end = start + std::clamp<int64_t>(len->days * 86400 + len->seconds, 1, kMaxEventLength);
                add(w, start, end);
            }
        }

        std::set<int64_t> exInstants;
        std::set<int> exDays;
        for (icalproperty* p : properties(e.comp, ICAL_EXDATE_PROPERTY)) {
            const icaltimetype t = icalproperty_get_exdate(p);
            if (icaltime_is_null_time(t)) continue;
            if (t.is_date) exDays.insert(dayKey(wallOf(t)));
            else exInstants.insert(m_times.toUnix(zoneOf(p, t, e.zone), wallOf(t)));
        }

        for (const auto& [start, inst] : instances) {
            if (replaced.count(start)) continue; // the override speaks for this one
            if (e.cancelled || exInstants.count(start) || exDays.count(dayKey(inst.wall))) {
                if (overlaps(inst.start, inst.end)) ++m_feed.cancelled;
                continue;
            }
            emit(e, inst.start, inst.end);
            if (m_truncated) return;
        }
    }

    template <typename Add>
    void expandRule(const Event& e, icalrecurrencetype rule, Add& add) {
        // UNTIL is checked here, not by libical: libical compares a "Z" UNTIL with our floating wall times as
        // if they were UTC, an hour or two off in Amsterdam.
        const icaltimetype until = rule.until;
        rule.until = icaltime_null_time();
        std::optional<int64_t> untilUnix;
        std::optional<int> untilDay;
        if (!icaltime_is_null_time(until)) {
            if (until.is_date) untilDay = dayKey(wallOf(until));
            else untilUnix = m_times.toUnix(icaltime_is_utc(until) ? std::string("UTC") : e.zone, wallOf(until));
        }

        // A daily or weekly rule without COUNT gives the same instances from a later start that lies a whole
        // number of periods on: begin just before the window, so a series from 2010 is not cut by the cap.
        Wall first = e.start;
        if (rule.count == 0 && (rule.freq == ICAL_DAILY_RECURRENCE || rule.freq == ICAL_WEEKLY_RECURRENCE)) {
            const int64_t period = int64_t{rule.interval} * (rule.freq == ICAL_DAILY_RECURRENCE ? 1 : 7);
            const int64_t longest = e.length.days * 86400 + e.length.seconds + 86400;
            const int64_t gapDays = (m_from - longest - e.startUnix) / 86400 - 2;
            if (gapDays > period) first = addDays(first, gapDays / period * period);
        }

        icalerror_clear_errno();
        IteratorPtr it(icalrecur_iterator_new(rule, floatingTime(first)));
        if (!it) {
            warn("The event " + quoted(e.summary) + " was read once: its repeat rule could not be used.");
            add(e.start, e.startUnix);
            return;
        }
        for (int n = 0;; ++n) {
            if (n >= kMaxInstancesPerRule) {
                warn("The event " + quoted(e.summary) + " repeats more than 5,000 times; only part of it was read.");
                return;
            }
            if (m_steps >= kMaxRuleSteps || std::chrono::steady_clock::now() - m_began > kMaxExpansionTime) {
                warn("The calendar has too many repeating events to read in full; some were cut short.");
                return;
            }
            ++m_steps;
            const icaltimetype t = icalrecur_iterator_next(it.get());
            if (icaltime_is_null_time(t)) return;
            const Wall w = wallOf(t);
            if (!usable(w)) return;
            if (untilDay && dayKey(w) > *untilDay) return;
            const int64_t start = m_times.toUnix(e.zone, w);
            if (untilUnix && start > *untilUnix) return;
            if (start >= m_to + 86400) return; // wall time and instants can disagree by an hour around DST
            add(w, start);
        }
    }

    int64_t m_from, m_to;
    std::string m_defaultZone;
    std::string m_calendarZone; // X-WR-TIMEZONE of the calendar being read, when ICU knows it
    std::map<std::string, std::string> m_locations; // VTIMEZONE TZID → X-LIC-LOCATION
    std::map<std::string, std::string> m_zones;     // TZID → ICU id, "" when unknown
    WallClock m_times;
    Feed m_feed;
    std::set<std::string> m_warned;
    int m_steps = 0;
    bool m_sawEvent = false;
    bool m_truncated = false; // kMaxOccurrences reached
    std::string m_firstFault; // "the event "X": it has no start time", for a feed of which nothing reads
    std::chrono::steady_clock::time_point m_began = std::chrono::steady_clock::now();
};

} // namespace

// [SECTION] readFeed

Feed readFeed(std::string_view text, int64_t from, int64_t to, std::string_view defaultZone) {
    if (from < kEarliest || to > kLatest)
        throw Error(ErrorKind::InvalidInput, "ical.window", "A calendar can only be read between 1900 and 2200.");
    if (to < from) throw Error(ErrorKind::InvalidInput, "ical.window", "The period ends before it starts.");
    if (to - from > kMaxWindow)
        throw Error(ErrorKind::InvalidInput, "ical.window", "A calendar can be read for at most 400 days at a time.");
    const std::string zone = icuIdForTzid(defaultZone);
    if (zone.empty())
        throw Error(ErrorKind::InvalidInput, "ical.zone", "The time zone " + quoted(defaultZone) + " is not known.");
    const CheckedText checked = checkedText(text);

    std::lock_guard lock(libicalMutex());
    RingRelease ring;
    icalerror_set_errors_are_fatal(0); // libical's default is to abort() on a malformed value
    icalerror_clear_errno();
    ComponentPtr root(icalparser_parse_string(checked.text.c_str()));
    if (!root) fail("The calendar could not be read.");
    Reader reader(from, to, zone);
    return reader.read(root.get(), checked.droppedLong);
}

} // namespace inloop::core::ical
