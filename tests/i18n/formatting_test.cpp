// Locale formatting through ICU: weekday and 24-hour time, native language names, collation.
#include "core/base/clock.hpp"
#include "core/i18n/i18n.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace inloop::core;

TEST_SUITE("i18n") {
TEST_CASE("weekday and time use each language's words and a 24-hour clock in Dutch local time") {
    const int64_t thursday13 = unixFromLocal("2026-11-26", 13 * 60); // a Thursday, winter time
    CHECK(formatWeekdayTime("nl", thursday13) == "donderdag 13:00");
    CHECK(formatWeekdayTime("en", thursday13) == "Thursday 13:00");
    CHECK(formatWeekdayTime("ro", thursday13) == "joi 13:00");
    const std::string bg = formatWeekdayTime("bg", thursday13); // "четвъртък, 13:00 ч."
    CHECK(bg.find("четвъртък") == 0);
    CHECK(bg.find("13:00") != std::string::npos);
    const std::string zh = formatWeekdayTime("zh", thursday13);
    CHECK(zh.find("星期四") != std::string::npos);
    CHECK(zh.find("13:00") != std::string::npos);
    const std::string th = formatWeekdayTime("th", thursday13);
    CHECK(th.find("พฤหัสบดี") != std::string::npos);
    CHECK(th.find("13:00") != std::string::npos);
    // Summer time: the same wall-clock hour.
    CHECK(formatDateTime("nl", unixFromLocal("2026-07-02", 13 * 60), "HHmm") == "13:00");
}

TEST_CASE("a date with the month written out follows the language") {
    const int64_t t = unixFromLocal("2026-12-31", 23 * 60 + 59);
    CHECK(formatDateTime("nl", t, "yMMMMd") == "31 december 2026");
    CHECK(formatDateTime("en", t, "yMMMMd") == "31 December 2026"); // British order, not US
    CHECK(formatDateTime("en", unixFromLocal("2026-12-08", 600), "MMMMEEEEd") == "Tuesday, 8 December"); // CLDR en_GB
    CHECK(formatDateTime("hu", t, "yMMMMd") == "2026. december 31.");
}

TEST_CASE("native language names are capitalised for a list") {
    CHECK(nativeLanguageName("nl") == "Nederlands");
    CHECK(nativeLanguageName("en") == "English");
    CHECK(nativeLanguageName("es") == "Español");
    CHECK(nativeLanguageName("ro") == "Română");
    CHECK(nativeLanguageName("bg") == "Български");
    CHECK(nativeLanguageName("hu") == "Magyar");
    CHECK(nativeLanguageName("zh") == "中文");
    CHECK(nativeLanguageName("th") == "ไทย");
}

TEST_CASE("sorting follows the language's alphabet") {
    std::vector<std::string> ro{"zi", "ștampilă", "sac", "tată", "ține"};
    sortForLanguage("ro", ro);
    CHECK(ro == std::vector<std::string>{"sac", "ștampilă", "tată", "ține", "zi"});
    std::vector<std::string> hu{"zsák", "cukor", "csoki", "dió"};
    sortForLanguage("hu", hu);
    CHECK(hu == std::vector<std::string>{"cukor", "csoki", "dió", "zsák"});
}

TEST_CASE("plural categories come from CLDR") {
    const auto ro = pluralCategories("ro");
    CHECK(std::find(ro.begin(), ro.end(), std::string("few")) != ro.end());
    CHECK(pluralCategories("zh") == std::vector<std::string>{"other"});
}
}
