// The desk's first run (issue 17, item 20): the language before signing in, the first coordinator signed in once
// her PIN is made, one prompt for the opening stock, and staff names that can be corrected.
#include "desk_fixture.hpp"

#include "core/store/code_key.hpp"
#include "ui/text.hpp"

using namespace inloop;
using namespace inloop::test;
using desk::View;

namespace {

// Every line of text the next frames draw, joined.
std::string drawnText(DeskFixture& f) {
    ui::recordDrawnText(true);
    f.ui->frames(1);
    std::string all;
    for (const auto& line : ui::drawnText()) all += line + "\n";
    ui::recordDrawnText(false);
    return all;
}

} // namespace

TEST_SUITE("desk") {

TEST_CASE("the sign-in screen switches between NL and EN before anyone signs in") {
    DeskFixture f(true);
    REQUIRE_FALSE(f.d->user());
    REQUIRE(f.d->lang() == "en");
    REQUIRE(f.ui->visible("signin.lang.nl"));
    f.tap("signin.lang.nl");
    f.settle();
    CHECK(f.d->lang() == "nl");
    CHECK(drawnText(f).find("Wie ben je?") != std::string::npos);
    f.tap("signin.staff." + std::to_string(f.bo));
    f.settle();
    CHECK(f.ui->visible("signin.lang.en")); // on the PIN pad too
    f.tap("signin.lang.en");
    f.settle();
    CHECK(f.d->lang() == "en");
    CHECK(f.ui->visible("pin.ok"));
}

TEST_CASE("the first coordinator is signed in once she has made her PIN") {
    DeskFixture f(false, 300, true);
    REQUIRE_FALSE(f.d->user());
    REQUIRE(f.ui->visible("first.create"));
    f.views().signIn.setFirstStart("Noor", "246810", "246810");
    f.tap("first.create");
    f.settle();
    REQUIRE(f.d->user());
    CHECK(f.d->user()->name == "Noor");
    CHECK(f.d->user()->role == core::Role::Coordinator);
    CHECK(f.d->view() == View::Today);
    CHECK(f.deskInt("SELECT count(*) FROM staff") == 1);
}

TEST_CASE("a new site's empty stock is one prompt to set the opening stock, not an alarm per item") {
    DeskFixture f(false, 300, true);
    {
        core::Store s = f.open();
        f.anna = core::addStaff(s, core::Actor::system(), "Anna", core::Role::Coordinator, kCoordinatorPin);
    }
    f.d->refresh();
    f.settle();
    f.signInAs(f.anna);
    REQUIRE(f.d->stock().size() >= 9);
    const std::string prompt = f.d->tr("supplies.opening_stock");
    const std::string lowItem = f.d->tr("today.low_item", {{"item", f.d->stock().front().name}, {"stock", int64_t{0}},
                                                            {"min", f.d->stock().front().minStock}});
    std::string today = drawnText(f);
    CHECK(today.find(lowItem.substr(0, 12)) == std::string::npos);
    CHECK(today.find(prompt.substr(0, 20)) != std::string::npos);

    f.tap("nav.supplies");
    f.settle();
    const auto lowMarkers = [&f] {
        int n = 0;
        for (const auto& r : f.d->stock()) n += f.ui->visible("supplies.low." + r.code) ? 1 : 0;
        return n;
    };
    CHECK(lowMarkers() == 0);
    CHECK(f.ui->visible("supplies.opening_stock"));

    // Once one item is counted in, the others are low as usual.
    {
        core::Store s = f.open();
        deliver(s, f.d->stock().front().id, 1000);
    }
    f.d->refresh();
    f.settle();
    CHECK_FALSE(f.ui->visible("supplies.opening_stock"));
    CHECK(lowMarkers() == static_cast<int>(f.d->stock().size()) - 1);
}

TEST_CASE("a coordinator corrects a staff name: audited, and a name taken already keeps what was typed") {
    DeskFixture f(true);
    f.signInAs(f.anna);
    f.tap("nav.staff");
    f.settle();
    REQUIRE(f.views().staff.loaded());

    // Bo's name, corrected through the pencil in her row.
    f.tap("staff.name." + std::to_string(f.bo));
    REQUIRE(f.views().staff.mode() == desk::StaffView::Mode::Name);
    f.ui->frames(2);
    f.views().staff.setName("Bo de Vries");
    f.tap("staff.dialog.save");
    f.settle();
    CHECK(f.views().staff.mode() == desk::StaffView::Mode::None);
    CHECK(f.deskText("SELECT name FROM staff WHERE id = " + std::to_string(f.bo)) == "Bo de Vries");
    CHECK(f.deskInt("SELECT count(*) FROM audit_log WHERE action = 'rename' AND entity = 'staff' AND record_id = " +
                    std::to_string(f.bo) + " AND staff_id = " + std::to_string(f.anna)) == 1);
    CHECK(f.deskInt("SELECT count(*) FROM contact") == 0);

    // Renaming to a colleague's name: refused, the dialog keeps the typed name.
    f.tap("staff.name." + std::to_string(f.bo));
    f.ui->frames(2);
    f.views().staff.setName("Anna");
    f.tap("staff.dialog.save");
    f.settle();
    CHECK(f.views().staff.mode() == desk::StaffView::Mode::Name);
    CHECK(f.views().staff.dialogError() == f.d->tr("error.staff.exists"));
    CHECK(f.views().staff.typedName() == "Anna");
    CHECK(f.deskText("SELECT name FROM staff WHERE id = " + std::to_string(f.bo)) == "Bo de Vries");
    f.tap("staff.dialog.cancel");
    f.settle();

    // Adding someone under a taken name: the name, role and PINs stay, so only the name needs changing.
    f.tap("staff.add");
    f.ui->frames(2);
    f.views().staff.setName("Anna");
    f.tap("staff.dialog.role.shelter");
    f.views().staff.setPins("258025", "258025");
    f.tap("staff.dialog.save");
    f.settle();
    REQUIRE(f.views().staff.mode() == desk::StaffView::Mode::Add);
    CHECK(f.views().staff.dialogError() == f.d->tr("error.staff.exists"));
    CHECK(f.views().staff.typedName() == "Anna");
    f.views().staff.setName("Anna K");
    f.tap("staff.dialog.save"); // the PINs are not typed again
    f.settle();
    CHECK(f.views().staff.mode() == desk::StaffView::Mode::None);
    CHECK(f.deskInt("SELECT count(*) FROM staff WHERE name = 'Anna K' AND role = 'shelter'") == 1);
}

} // TEST_SUITE

TEST_SUITE("desk") {

TEST_CASE("a desk computer with another key for visitor codes says so in the desk's language, and saves nothing") {
    TempStore store;
    {
        core::Store s = store.open(); // the store records the key its codes are made with
        core::addStaff(s, core::Actor::system(), "Anna", core::Role::Coordinator, kCoordinatorPin);
    }
    core::CodeKey other = core::readKeyFile(store.paths().codeKey());
    other[0] ^= 1;
    fs::remove(store.paths().codeKey());
    core::writeKeyFile(store.paths().codeKey(), other, 0600);

    ui::App app(ui::AppOptions{"t", 1280, 800, false, true});
    desk::DeskOptions o;
    o.store = store.location;
    o.root = core::resourceRoot();
    o.lang = "nl";
    auto d = std::make_unique<desk::Desk>(app, o);
    UiHarness ui(app, [&] { d->frame(); });
    ui.frames(6);
    d->waitForWorker();
    ui.frames(2);
    REQUIRE_FALSE(d->toastsShown().empty());
    CHECK(d->toastsShown().back().error);
    CHECK(d->toastsShown().back().text == d->tr("error.store.key_mismatch"));
    CHECK(d->toastsShown().back().text.find("sleutel voor bezoekerscodes") != std::string::npos);
    d.reset();
}

} // TEST_SUITE
