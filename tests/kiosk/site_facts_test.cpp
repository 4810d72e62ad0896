// Site facts on the kiosk (issue 18 §3): a placeholder never reaches a visitor, and what a coordinator sets at the
// desk shows on the next refresh.
#include "kiosk_fixture.hpp"

#include "core/domain/site_facts.hpp"
#include "ui/text.hpp"

namespace inloop::test {

namespace {

// Everything drawn over a few frames of the current screen.
std::vector<std::string> drawn(KioskFixture& f) {
    ui::recordDrawnText(true);
    f.settle(2);
    ui::recordDrawnText(false);
    return ui::drawnText();
}

bool anyContains(const std::vector<std::string>& lines, std::string_view part) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

// The shipped site.ini's placeholders, as they would read on screen (phone spaces become no-break spaces).
const char* const kPlaceholderMarks[] = {"IN TE VULLEN", "000\xC2\xA0" "0000", "000\xC2\xA0" "0001", "000 0000",
                                         "example.invalid", "{{"};

} // namespace

TEST_CASE("with the shipped site.ini no screen or page in any language shows a placeholder") {
    KioskFixture f;
    const core::SiteSettings& site = f.k->site();
    REQUIRE(site.get("site.address"));
    REQUIRE(core::isPlaceholder(*site.get("site.address"))); // the test means something only with placeholders
    for (std::string_view lang : core::kLanguages) {
        CAPTURE(lang);
        f.k->chooseLanguage(std::string(lang));
        std::vector<std::string> all;
        for (kiosk::Screen s : {kiosk::Screen::Home, kiosk::Screen::Today, kiosk::Screen::Help, kiosk::Screen::Hours,
                                kiosk::Screen::Privacy, kiosk::Screen::Topics}) {
            f.k->go(s);
            const auto lines = drawn(f);
            CHECK_FALSE(lines.empty());
            all.insert(all.end(), lines.begin(), lines.end());
        }
        for (std::string_view topic : core::kTopics) {
            f.k->openTopic(std::string(topic));
            const auto lines = drawn(f);
            CHECK_FALSE(lines.empty());
            all.insert(all.end(), lines.begin(), lines.end());
        }
        for (const char* mark : kPlaceholderMarks) {
            CAPTURE(mark);
            CHECK_FALSE(anyContains(all, mark));
        }
        CHECK(anyContains(all, "112")); // the facts that are set still show (the emergency number)
    }
}

TEST_CASE("the help-now screen gives the line for after sexual violence, with the site's number, in every language") {
    // Issue 18 review: 112 and the desk were all a visitor saw there; the Centrum Seksueel Geweld (free, day and
    // night) was one tap further, on a page.
    KioskFixture f;
    REQUIRE(f.k->site().fact("csg.phone"));
    const std::string number = *f.k->site().fact("csg.phone");
    for (std::string_view lang : core::kLanguages) {
        CAPTURE(lang);
        f.k->chooseLanguage(std::string(lang));
        f.k->go(kiosk::Screen::Help);
        const auto lines = drawn(f);
        CHECK(anyContains(lines, "Centrum Seksueel Geweld"));
        CHECK(anyContains(lines, number.substr(number.size() - 4))); // however the number is broken for the line
    }
}

TEST_CASE("opening hours set at the desk show on the Today screen — before that the line is left out") {
    KioskFixture f;
    f.k->chooseLanguage("en");
    f.k->go(kiosk::Screen::Today);
    const std::string heading = f.k->tr("today.opening_hours");
    CHECK_FALSE(anyContains(drawn(f), heading));
    {
        core::Store s = f.store.open();
        const core::SiteSettings file = f.k->site();
        core::setSiteFact(s, core::Actor::cli(), file, "site.opening_hours", "Mon–Fri 10:00–16:00");
        core::setSiteFact(s, core::Actor::cli(), file, "site.opening_hours.en", "Monday to Friday, 10 am to 4 pm");
    }
    f.k->refreshNow();
    const auto lines = drawn(f);
    CHECK(anyContains(lines, heading));
    CHECK(anyContains(lines, "Monday to Friday")); // the English wording wins for an English visitor
    f.k->chooseLanguage("nl");
    f.k->go(kiosk::Screen::Today);
    CHECK(anyContains(drawn(f), "Mon–Fri 10:00–16:00"));
}

} // namespace inloop::test
