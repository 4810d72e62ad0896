// Site facts set at the desk (issue 18 §3): coordinators only, audited, no placeholders, per language; the side
// bar says "not set" until every fact is there.
#include "desk_fixture.hpp"

#include "core/base/install_paths.hpp"
#include "core/domain/site_facts.hpp"

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

TEST_CASE("setting a site fact refuses desk staff, placeholders, unknown keys and more than one line — nothing changes") {
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
    CHECK(st.s.db().queryInt("SELECT count(*) FROM audit_log") == before); // counted after Bo's arrival
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
