// The desk's own words (issue 17, item 17): one word for one thing in the desk catalogue, so staff never read
// "Aanmelden" for signing in (the kiosk's word for signing up) or two names for the kiosk or the exit programme.
#include "desk_fixture.hpp"

#include "core/i18n/i18n.hpp"

#include <regex>

using namespace inloop;
using namespace inloop::test;

namespace {

core::Messages deskMessages() { return core::Messages(core::resourceRoot() / "locales" / "desk", {"nl", "en"}); }

// Keys of `lang` whose message matches `variant` (case-insensitive, as a whole word).
std::vector<std::string> keysWith(const core::Messages& m, std::string_view lang, const std::string& variant,
                                  std::string_view keyPrefix = "") {
    const std::regex word("(^|[^[:alnum:]])" + variant + "($|[^[:alnum:]])", std::regex::icase);
    std::vector<std::string> out;
    const auto* catalog = m.catalog(lang);
    REQUIRE(catalog);
    for (const auto& [key, entry] : *catalog)
        if (key.compare(0, keyPrefix.size(), keyPrefix) == 0 && std::regex_search(entry.text, word)) out.push_back(key);
    return out;
}

} // namespace

TEST_SUITE("desk") {

TEST_CASE("the desk catalogue uses one word for one thing: no forbidden variant in nl or en") {
    const core::Messages m = deskMessages();
    REQUIRE(m.problems().empty());
    struct Forbidden {
        const char* lang;
        const char* variant;
        const char* keyPrefix;
        const char* why;
    };
    const Forbidden rules[] = {
        {"nl", "aanmelden", "signin.", "staff sign in ('Inloggen'); 'aanmelden' is signing up for a consultation hour"},
        {"nl", "aanmelden", "nav.", "staff sign in ('Inloggen'); 'aanmelden' is signing up for a consultation hour"},
        {"nl", "kiosk", "", "the kiosk is 'zuil' in Dutch"},
        {"nl", "nachtopvang", "", "the shelter is open day and night: 'opvang' or '24-uursopvang'"},
        {"nl", "uitstroomprogramma", "", "the programme is 'uitstapprogramma'"},
        {"nl", "verblijfsduur", "", "say that the average is per stay"},
        {"en", "exit", "", "the glossary's word: 'programme for other work', never 'exit'"},
    };
    for (const auto& r : rules) {
        const auto keys = keysWith(m, r.lang, r.variant, r.keyPrefix);
        for (const auto& k : keys) FAIL_CHECK(std::string(r.lang) << ": " << k << " contains '" << std::string(r.variant) << "': " << std::string(r.why));
    }
    CHECK(m.tr("nl", "signin.ok") == "Inloggen");
    CHECK(m.tr("nl", "beds.field.exit") == "Uitstapprogramma");
    CHECK(m.tr("nl", "reports.shelter.exit").find("uitstapprogramma") != std::string::npos);
    CHECK(m.tr("nl", "reports.shelter.average_stay").find("per verblijf") != std::string::npos);
    CHECK(m.tr("en", "reports.shelter.average_stay").find("per stay") != std::string::npos);
}

TEST_CASE("a visitor code on its first-ever visit says New, later visits say known with the count") {
    const core::Messages m = deskMessages();
    CHECK(m.tr("nl", "today.new") == "Nieuw");
    CHECK(m.tr("en", "today.new") == "New");
    // Known from an earlier year: her first visit this year is no "Nieuw" (issue 17).
    CHECK(m.tr("nl", "today.known", {{"visit", int64_t{1}}}) == "Bekend: 1e bezoek dit jaar");
    CHECK(m.tr("en", "today.known", {{"visit", int64_t{1}}}) == "Known: 1st visit this year");
    CHECK(m.tr("nl", "today.known", {{"visit", int64_t{3}}}) == "Bekend: 3e bezoek dit jaar");
    CHECK(m.tr("en", "today.known", {{"visit", int64_t{2}}}) == "Known: 2nd visit this year");
    CHECK(m.tr("nl", "today.known", {{"visit", int64_t{0}}}) == "Bekend"); // met by outreach: no walk-in this year
    CHECK(m.tr("nl", "details.saved_new").find("bekend") == std::string::npos);
    CHECK(m.tr("nl", "details.saved_new").find("nieuw") != std::string::npos);
}

TEST_CASE("each seeded service has one name: the store's seed says what the desk catalogue says") {
    const core::Messages m = deskMessages();
    StaffedStore st;
    int checked = 0;
    core::Statement& q = st.s.db().prepare("SELECT code, name FROM service ORDER BY code");
    while (q.step()) {
        const std::string code = q.getText(0), name = q.getText(1);
        INFO("service " << code);
        REQUIRE(m.has("nl", "service." + code));
        CHECK(name == m.tr("nl", "service." + code));
        ++checked;
    }
    CHECK(checked >= 5);
}

} // TEST_SUITE

TEST_SUITE("desk") {

TEST_CASE("the waiver's example reason is not a police placement: that one needs no waiver (item 3)") {
    const core::Messages m = deskMessages();
    CHECK(m.tr("nl", "beds.emergency.reason_hint").find("politie") == std::string::npos);
    CHECK(m.tr("en", "beds.emergency.reason_hint").find("police") == std::string::npos);
}

} // TEST_SUITE

TEST_SUITE("desk") {

TEST_CASE("the domain's refusals are in the desk's words, nl and en (the desk showed the domain's English)") {
    const core::Messages m = deskMessages();
    for (const char* lang : {"nl", "en"})
        for (const char* key : {"when.future", "when.too_old", "stay.out_day", "stay.move_before_in", "bed.service_before",
                                "bed.out_of_service", "bed.taken", "undo.not_yours", "undo.nothing", "undo.too_late",
                                "contact.is_undo", "stock.is_undo", "staff.first", "staff.not_found",
                                "staff.pin_min_length", "stock.payment", "stock.price", "stock.quantity", "stock.reason",
                                "store.kiosk", "supply.min_stock", "supply.price", "supply.unit"}) {
            CAPTURE(lang);
            CAPTURE(key);
            CHECK(m.has(lang, std::string("error.") + key));
        }
    CHECK(m.tr("nl", "error.stay.out_day").find("verhuizing") != std::string::npos);
}

TEST_CASE("'not known' is one word at the shelter: referral, exit programme and destination alike") {
    const core::Messages m = deskMessages();
    for (const char* lang : {"nl", "en"}) {
        CAPTURE(lang);
        CHECK(m.tr(lang, "beds.exit.unknown") == m.tr(lang, "beds.referral.unknown"));
        CHECK(m.tr(lang, "beds.destination.unknown") == m.tr(lang, "beds.referral.unknown"));
    }
}

} // TEST_SUITE
