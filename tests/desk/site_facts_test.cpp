// Site facts set at the desk (issue 18 §3): coordinators only, audited, no placeholders, per language; the side
// bar says "not set" until every fact is there.
#include "desk_fixture.hpp"

#include "core/base/install_paths.hpp"
#include "core/domain/site_facts.hpp"

#include <filesystem>

using namespace inloop;
using namespace inloop::core;
using namespace inloop::test;

namespace {
SiteSettings shippedSite() { return SiteSettings::load(siteFile(resourceRoot())); }
} // namespace

TEST_CASE("a coordinator sets a site fact: stored for the kiosk, audited, and it goes back to site.ini when cleared") {
    StaffedStore st;
    const SiteSettings file = shippedSite();
    setSiteFact(st.s, st.annaActor(), file, "site.phone", "+31 70 365 7870");
    auto facts = loadSiteFacts(st.s.db());
    CHECK(facts["site.phone"] == "+31 70 365 7870");
    CHECK(*withDeskFacts(file, facts).fact("site.phone") == "+31 70 365 7870");
    const auto audit = loadAudit(st.s, 10);
    REQUIRE_FALSE(audit.empty());
    CHECK(audit.front().entity == "site_fact");
    CHECK(audit.front().detail.find("site.phone") != std::string::npos);
    setSiteFact(st.s, st.annaActor(), file, "site.opening_hours.th", "จันทร์–ศุกร์ 10:00–16:00");
    CHECK(loadSiteFacts(st.s.db()).count("site.opening_hours.th") == 1);
    setSiteFact(st.s, st.annaActor(), file, "site.phone", "");
    CHECK(loadSiteFacts(st.s.db()).count("site.phone") == 0);
    CHECK(withDeskFacts(file, loadSiteFacts(st.s.db())).fact("site.phone") == nullptr); // the file's placeholder again
}

TEST_CASE("setting a site fact refuses desk staff, placeholders, unknown keys and more than one line, nothing changes") {
    StaffedStore st;
    const SiteSettings file = shippedSite();
    const int64_t bo = st.addBo();
    const int64_t before = st.s.db().queryInt("SELECT count(*) FROM audit_log");
    CHECK_ERROR(setSiteFact(st.s, Actor::staff(bo), file, "site.phone", "+31 70 365 7870"), ErrorKind::InvalidInput,
                "role");
    CHECK_ERROR(setSiteFact(st.s, st.annaActor(), file, "site.phone", "+31 70 000 0000"), ErrorKind::InvalidInput,
                "site_fact.placeholder");
    CHECK_ERROR(setSiteFact(st.s, st.annaActor(), file, "site.secret", "x"), ErrorKind::InvalidInput, "site_fact.unknown");
    CHECK_ERROR(setSiteFact(st.s, st.annaActor(), file, "site.opening_hours.xx", "x"), ErrorKind::InvalidInput,
                "site_fact.unknown");
    CHECK_ERROR(setSiteFact(st.s, st.annaActor(), file, "site.address", "Street 1\nDen Haag"), ErrorKind::InvalidInput,
                "site_fact.one_line");
    CHECK(loadSiteFacts(st.s.db()).empty());
    // Nothing audited: `before` counts Bo's arrival already. (The test never ran under CTest while its name held a
    // semicolon, which doctest_discover_tests splits on; it expected one row more.)
    CHECK(st.s.db().queryInt("SELECT count(*) FROM audit_log") == before);
}

TEST_CASE("the side bar says the site facts are not set until a coordinator has set them in the Site facts view") {
    DeskFixture f;
    f.signInAs(f.anna);
    f.d->reloadNetStatus();
    f.settle();
    REQUIRE(f.ui->visible("nav.site_unset"));
    f.tap("nav.site_unset");
    f.settle();
    REQUIRE(f.d->view() == desk::View::Site);
    REQUIRE(f.views().site.loaded());
    const SiteSettings file = shippedSite();
    CHECK(f.ui->visible("site.save.site.address")); // the first fact missing, near the top
    for (const std::string& key : unsetSiteFacts(file)) {
        f.views().site.setValue(key, key == "site.email" ? "info@spot46.nl" : "Real value for " + key);
        f.views().site.save(*f.d, key);
        f.settle();
    }
    f.settle();
    CHECK_FALSE(f.ui->visible("nav.site_unset"));
    CHECK(f.deskInt("SELECT count(*) FROM site_fact") == static_cast<int64_t>(unsetSiteFacts(file).size()));
}

TEST_CASE("read aloud at the kiosk: a coordinator turns it off, sets volume and speed, values out of range are refused") {
    StaffedStore st;
    const SiteSettings file = shippedSite();
    CHECK(kioskSpeech(file).readAloud); // on by default, the greeting off (the room is shared)
    CHECK_FALSE(kioskSpeech(file).greeting);
    CHECK(kioskSpeech(file).volume == 100);
    CHECK(kioskSpeech(file).speed == 100);
    setSiteFact(st.s, st.annaActor(), file, std::string(kReadAloudKey), "off");
    setSiteFact(st.s, st.annaActor(), file, std::string(kReadAloudVolumeKey), "40");
    setSiteFact(st.s, st.annaActor(), file, std::string(kReadAloudSpeedKey), "80");
    setSiteFact(st.s, st.annaActor(), file, std::string(kSpokenGreetingKey), "on");
    const KioskSpeech set = kioskSpeech(withDeskFacts(file, loadSiteFacts(st.s.db())));
    CHECK_FALSE(set.readAloud);
    CHECK(set.volume == 40);
    CHECK(set.speed == 80);
    CHECK(set.greeting);
    CHECK(loadAudit(st.s, 1).front().detail == "kiosk.spoken_greeting = on");
    CHECK(unsetSiteFacts(file) == unsetSiteFacts(withDeskFacts(file, loadSiteFacts(st.s.db())))); // settings, not facts
    const auto before = loadSiteFacts(st.s.db());
    for (const auto& [key, value] : std::vector<std::pair<std::string_view, std::string>>{
             {kReadAloudKey, "yes"}, {kReadAloudVolumeKey, "0"}, {kReadAloudVolumeKey, "101"},
             {kReadAloudSpeedKey, "fast"}, {kReadAloudSpeedKey, "400"}, {kSpokenGreetingKey, "1"}}) {
        CAPTURE(key);
        CAPTURE(value);
        CHECK_ERROR(setSiteFact(st.s, st.annaActor(), file, key, value), ErrorKind::InvalidInput, "site_fact.setting");
    }
    CHECK(loadSiteFacts(st.s.db()) == before);
    // A hand-edited site.ini with a value the kiosk does not understand keeps the default.
    CHECK(kioskSpeech(SiteSettings::parse("kiosk.read_aloud.volume = loud\nkiosk.read_aloud = off\n")).volume == 100);
    CHECK_FALSE(kioskSpeech(SiteSettings::parse("kiosk.read_aloud = off\n")).readAloud);
}

TEST_CASE("the Site view has the kiosk's Read aloud settings: the switch saves at once, the sliders when let go") {
    DeskFixture f;
    f.signInAs(f.anna);
    f.d->go(desk::View::Site);
    f.settle();
    REQUIRE(f.views().site.loaded());
    const auto onScreen = [&f](const char* id) { return f.ui->visible(id) && f.ui->rect(id).Max.y <= 800; };
    for (int i = 0; i < 30 && !onScreen("site.spoken_greeting"); ++i) f.ui->wheel(ImVec2(700, 500), -3);
    REQUIRE(onScreen("site.read_aloud"));
    CHECK(f.ui->visible("site.read_aloud_volume"));
    CHECK(f.ui->visible("site.read_aloud_speed"));
    CHECK(f.ui->visible("site.spoken_greeting"));
    CHECK(f.views().site.speech().readAloud);
    // For a look (test-output/desk/site-read-aloud-{en,nl}.png): the settings below the facts.
    const auto outDir = std::filesystem::path(INLOOP_TEST_OUTPUT_DIR) / "desk";
    std::filesystem::create_directories(outDir);
    for (const char* lang : {"nl", "en"}) {
        f.d->setLang(lang);
        f.settle(2);
        CHECK(f.app.savePng(outDir / (std::string("site-read-aloud-") + lang + ".png")));
    }
    f.tap("site.read_aloud");
    f.settle();
    f.settle();
    CHECK(f.deskText("SELECT value FROM site_fact WHERE key = 'kiosk.read_aloud'") == "off");
    CHECK_FALSE(f.views().site.speech().readAloud);
    f.views().site.saveSetting(*f.d, kReadAloudSpeedKey, "120");
    f.settle();
    CHECK(f.views().site.speech().speed == 120);
    // The settings are no rows among the facts (no raw key, no text box).
    for (const std::string& key : f.views().site.keys()) CHECK_FALSE(isKioskSetting(key));
}
