// ICU messages from PO files: plurals per language, named arguments, fallback, and what i18n-check catches.
#include "support/temp_store.hpp"

#include "core/i18n/i18n.hpp"

#include <doctest/doctest.h>

#include <fstream>

// The heap in use, from the sanitizer's allocator under ASan (glibc's statistics do not see it), else glibc's.
#if defined(__SANITIZE_ADDRESS__)
#define INLOOP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define INLOOP_ASAN 1
#endif
#endif
#ifdef INLOOP_ASAN
// From <sanitizer/allocator_interface.h>, which Debian's GCC 12 does not ship; libasan has the function.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#else
#include <malloc.h>
#endif

using namespace inloop;
using inloop::test::TempDir;

namespace {
void writePo(const std::filesystem::path& dir, const std::string& lang, const std::string& entries,
             const std::string& review = "draft") {
    std::ofstream out(dir / (lang + ".po"));
    out << "msgid \"\"\nmsgstr \"\"\n\"Language: " << lang << "\\n\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
        << "\"X-Inloop-Review: " << review << "\\n\"\n\n"
        << entries;
}

std::string entry(const std::string& key, const std::string& text) {
    return "msgid \"" + key + "\"\nmsgstr \"" + text + "\"\n\n";
}

// A locales folder with every language holding the same plural message.
void writeAll(const std::filesystem::path& dir, const std::map<std::string, std::string>& places) {
    for (std::string_view lang : core::kLanguages) {
        const std::string l(lang);
        auto it = places.find(l);
        writePo(dir, l, entry("hours.free_places", it != places.end() ? it->second : places.at("en")));
    }
}

size_t heapInUse() {
#ifdef INLOOP_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
#endif
}

bool hasProblem(const std::vector<core::LocaleProblem>& problems, const std::string& where, const std::string& needle) {
    for (const auto& p : problems)
        if (p.where.find(where) == 0 && p.message.find(needle) != std::string::npos) return true;
    return false;
}
} // namespace

TEST_SUITE("i18n") {
TEST_CASE("Romanian plurals use one, few and other") {
    TempDir dir;
    writeAll(dir.path(), {{"en", "{count, plural, one {# place} other {# places}}"},
                          {"ro", "{count, plural, one {# loc} few {# locuri} other {# de locuri}}"}});
    core::Messages m(dir.path());
    CHECK(m.tr("ro", "hours.free_places", {{"count", int64_t{1}}}) == "1 loc");
    CHECK(m.tr("ro", "hours.free_places", {{"count", int64_t{2}}}) == "2 locuri");
    CHECK(m.tr("ro", "hours.free_places", {{"count", int64_t{19}}}) == "19 locuri");
    CHECK(m.tr("ro", "hours.free_places", {{"count", int64_t{20}}}) == "20 de locuri");
    CHECK(m.tr("ro", "hours.free_places", {{"count", int64_t{101}}}) == "101 locuri");
}

TEST_CASE("Bulgarian plurals use one and other, Chinese only other") {
    TempDir dir;
    writeAll(dir.path(), {{"en", "{count, plural, one {# place} other {# places}}"},
                          {"bg", "{count, plural, one {# място} other {# места}}"},
                          {"zh", "{count, plural, other {还有#个名额}}"}});
    core::Messages m(dir.path());
    CHECK(m.tr("bg", "hours.free_places", {{"count", int64_t{1}}}) == "1 място");
    CHECK(m.tr("bg", "hours.free_places", {{"count", int64_t{5}}}) == "5 места");
    CHECK(m.tr("zh", "hours.free_places", {{"count", int64_t{1}}}) == "还有1个名额");
    CHECK_FALSE(hasProblem(core::checkMessages(m), "bg.po", ""));
    CHECK_FALSE(hasProblem(core::checkMessages(m), "zh.po", ""));
}

TEST_CASE("a missing message falls back to English, then Dutch, and is marked in the tour") {
    TempDir dir;
    for (std::string_view lang : core::kLanguages) {
        std::string entries = entry("a.both", lang == "nl" ? "nl-a" : lang == "en" ? "en-a" : std::string(lang) + "-a");
        if (lang == "nl") entries += entry("b.only_nl", "alleen nl");
        if (lang == "nl" || lang == "en") entries += entry("c.nl_en", lang == "nl" ? "nl-c" : "en-c");
        writePo(dir.path(), std::string(lang), entries);
    }
    core::Messages m(dir.path());
    CHECK(m.tr("th", "a.both") == "th-a");
    CHECK(m.tr("th", "c.nl_en") == "en-c");
    CHECK(m.tr("th", "b.only_nl") == "alleen nl");
    CHECK(m.tr("th", "no.such.key") == "[no.such.key]");
    m.setMarkMissing(true);
    CHECK(m.tr("th", "c.nl_en") == "[?th] en-c");
    CHECK(m.tr("th", "a.both") == "th-a");
}

TEST_CASE("named arguments are filled and numbers follow the language") {
    TempDir dir;
    for (std::string_view lang : core::kLanguages)
        writePo(dir.path(), std::string(lang), entry("x", "{site}: {n, number}"));
    core::Messages m(dir.path());
    CHECK(m.tr("nl", "x", {{"site", std::string("Spot 46")}, {"n", int64_t{1017}}}) == "Spot 46: 1.017");
    CHECK(m.tr("en", "x", {{"site", std::string("Spot 46")}, {"n", int64_t{1017}}}) == "Spot 46: 1,017");
    const std::string hu = core::formatNumber("hu", 1017); // grouped with a (narrow) no-break space
    CHECK(hu.find("017") != std::string::npos);
    CHECK(hu.find_first_of(".,") == std::string::npos);
    CHECK(core::formatNumber("nl", 0.46, 2) == "0,46");
}

TEST_CASE("i18n-check finds missing and extra keys, bad patterns, other arguments and wrong plural categories") {
    TempDir dir;
    const std::string good = entry("k.plural", "{count, plural, one {# x} other {# xs}}") + entry("k.arg", "Hi {name}");
    for (std::string_view lang : core::kLanguages) {
        std::string l(lang);
        if (l == "es") writePo(dir.path(), l, entry("k.plural", "{count, plural, one {# x} other {# xs}}")); // k.arg missing
        else if (l == "ro") writePo(dir.path(), l, entry("k.plural", "{count, plural, one {# x} other {# xs}}") + entry("k.arg", "Salut {nume}"));
        else if (l == "bg") writePo(dir.path(), l, good + entry("k.extra", "extra"));
        else if (l == "hu") writePo(dir.path(), l, entry("k.plural", "{count, plural, one {# x} other {# xs}") + entry("k.arg", "Szia {name}"));
        else if (l == "th") writePo(dir.path(), l, entry("k.plural", "{count, plural, other {# xs}}") + entry("k.arg", "{name}"));
        else if (l == "zh") writePo(dir.path(), l, entry("k.plural", "{count, plural, one {# x} other {# xs}}") + entry("k.arg", "你好 {name}"));
        else writePo(dir.path(), l, good);
    }
    core::Messages m(dir.path());
    const auto problems = core::checkMessages(m);
    CHECK(hasProblem(problems, "es.po", "\"k.arg\" is missing"));
    CHECK(hasProblem(problems, "ro.po", "uses the arguments {nume}"));
    CHECK(hasProblem(problems, "ro.po", "lacks the plural categories {few}"));
    CHECK(hasProblem(problems, "bg.po", "\"k.extra\" is not in nl.po"));
    CHECK(hasProblem(problems, "hu.po", "does not parse"));
    CHECK(hasProblem(problems, "zh.po", "uses plural categories {one}"));
    CHECK_FALSE(hasProblem(problems, "en.po", ""));
    CHECK_FALSE(hasProblem(problems, "th.po", "")); // Thai has only "other"
}

TEST_CASE("a broken PO file is reported, not fatal") {
    TempDir dir;
    for (std::string_view lang : core::kLanguages) writePo(dir.path(), std::string(lang), entry("a", "b"));
    {
        std::ofstream out(dir.path() / "th.po");
        out << "msgid \"a\"\nmsgstr \"unterminated\n\nmsgid \n";
    }
    core::Messages m(dir.path());
    bool reported = false;
    for (const auto& p : m.problems()) reported = reported || p.where.rfind("th.po", 0) == 0;
    CHECK(reported);
    CHECK(m.tr("th", "a") == "b"); // a file with errors is not used at all: English instead
}

// LeakSanitizer cannot see this one: libgettextpo has no frame pointers, so a leak of a copy it made for us
// looks like its own parser leaks, which tests/lsan.supp has to excuse. So the heap is measured instead.
TEST_CASE("loading a PO file leaves no copy of its header behind (libgettextpo hands us one to free)") {
    TempDir dir;
    writePo(dir.path(), "nl", entry("home.title", "Welkom"), std::string(20000, 'x')); // a 20 kB header
    {
        core::Messages warmUp(dir.path(), {"nl"}); // ICU's and libgettextpo's first-use state
        REQUIRE(warmUp.reviewState("nl").size() == 20000);
        REQUIRE(warmUp.tr("nl", "home.title") == "Welkom");
    }
    const size_t before = heapInUse();
    for (int i = 0; i < 50; ++i) {
        const core::Messages m(dir.path(), {"nl"});
        REQUIRE(m.has("nl", "home.title"));
    }
    const size_t after = heapInUse();
    INFO("heap grew by " << (after > before ? after - before : 0) << " bytes over 50 loads");
    CHECK(after < before + 200000); // a header copy left each time: 50 × 20 kB = 1 MB
}
}
