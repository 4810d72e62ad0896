// The today view as staff use it, offscreen: one tap logs a contact, the second tap adds the details, undo.
#include "desk_fixture.hpp"
#include "today_view.hpp"

using namespace inloop;
using namespace inloop::test;
using desk::View;

namespace {
std::string idText(int64_t id) { return std::to_string(id); }
} // namespace

TEST_SUITE("desk") {

TEST_CASE("the two-tap walk-in: one tap logs it, the toast's Details adds gender, topic and code") {
    DeskFixture f;
    f.signInAs(f.anna);
    REQUIRE(f.d->view() == View::Today);
    const int64_t before = f.deskInt("SELECT count(*) FROM contact");

    // Tap one: exactly one walk-in, language and gender not asked, in Anna's name.
    f.tap("log.walk_in");
    f.settle();
    REQUIRE(f.deskInt("SELECT count(*) FROM contact") == before + 1);
    const int64_t id = f.newestContactId();
    CHECK(f.deskText("SELECT channel || '/' || gender || '/' || language || '/' || referral FROM contact WHERE id = " +
                     idText(id)) == "walk_in/unknown/und/none");
    CHECK(f.deskInt("SELECT staff_id FROM contact WHERE id = " + idText(id)) == f.anna);
    CHECK(f.deskInt("SELECT client_id IS NULL FROM contact WHERE id = " + idText(id)) == 1);
    CHECK(f.row(id).gender == "unknown");
    CHECK(f.d->today().counts.at("walk_in") == 1);
    CHECK(f.ui->visible("row.details." + idText(id)));
    CHECK(f.ui->visible("undo.contact." + idText(id)));
    REQUIRE(f.ui->visible("toast.details.0"));
    CHECK(f.ui->visible("toast.undo.0"));

    // Tap two: the toast's Details opens the dialog for that contact.
    f.tap("toast.details.0");
    CHECK(f.views().contact.isOpen());
    f.ui->frames(2);
    CHECK(f.ui->visible("details.save"));
    CHECK_FALSE(f.ui->visible("toast.details.0")); // the toast has done its job
    f.tap("gender.woman");
    f.tap("topic.health");
    f.tap("topic.sti_test");
    f.tap("referral.partner");
    f.views().contact.details().language = "ro"; // as picked in the language list
    f.views().contact.setCode("mk 1991");
    f.tap("details.save");
    f.settle();
    CHECK_FALSE(f.views().contact.isOpen());

    // Still one contact, now with the details; the list shows it as a known visitor.
    CHECK(f.deskInt("SELECT count(*) FROM contact") == before + 1);
    CHECK(f.deskText("SELECT gender || '/' || language || '/' || referral FROM contact WHERE id = " + idText(id)) ==
          "woman/ro/partner");
    CHECK(f.deskInt("SELECT client_id IS NOT NULL FROM contact WHERE id = " + idText(id)) == 1);
    const core::ContactRow r = f.row(id);
    CHECK(r.gender == "woman");
    CHECK(r.hasCode);
    CHECK(r.visitsThisYear == 1);
    CHECK(std::find(r.topics.begin(), r.topics.end(), "health") != r.topics.end());
    CHECK(std::find(r.topics.begin(), r.topics.end(), "sti_test") != r.topics.end());
    CHECK(r.topics.size() == 2);
    CHECK(r.firstEver); // a code on its first-ever visit says "New" (issue 17), a returning one never does
    CHECK(f.d->tr("today.new") == "New");
    CHECK(f.d->tr("today.known", {{"visit", int64_t{1}}}) == "Known: 1st visit this year");

    // The same visitor again, her code typed differently: the second visit this year; her language not asked again.
    f.tap("log.walk_in");
    f.settle();
    const int64_t second = f.newestContactId();
    REQUIRE(second != id);
    CHECK(f.deskText("SELECT language || '/' || gender FROM contact WHERE id = " + idText(second)) == "und/unknown");
    f.tap("row.details." + idText(second));
    REQUIRE(f.views().contact.isOpen());
    f.views().contact.setCode("MK-1991");
    f.tap("details.save");
    f.settle();
    CHECK(f.row(second).hasCode);
    CHECK(f.row(second).visitsThisYear == 2);
    CHECK_FALSE(f.row(second).firstEver);
    CHECK(f.row(second).language == core::kLanguageNotAsked); // the dialog kept the language the contact had
    CHECK(f.deskInt("SELECT count(DISTINCT client_id) FROM contact WHERE client_id IS NOT NULL") == 1);
}

TEST_CASE("Escape or Cancel closes the details dialog without saving anything") {
    DeskFixture f;
    f.signInAs(f.anna);
    f.tap("log.walk_in");
    f.settle();
    const int64_t id = f.newestContactId();
    const int64_t audits = f.deskInt("SELECT count(*) FROM audit_log");

    f.tap("row.details." + idText(id));
    REQUIRE(f.views().contact.isOpen());
    f.tap("gender.man");
    f.tap("topic.money");
    f.views().contact.setCode("ESC4PE");
    f.press(SDL_SCANCODE_ESCAPE);
    f.settle();
    CHECK_FALSE(f.views().contact.isOpen());
    CHECK_FALSE(f.ui->visible("details.save"));

    f.tap("row.details." + idText(id));
    REQUIRE(f.views().contact.isOpen());
    f.tap("gender.trans");
    f.tap("details.cancel");
    f.settle();
    CHECK_FALSE(f.views().contact.isOpen());

    CHECK(f.deskText("SELECT gender FROM contact WHERE id = " + idText(id)) == "unknown");
    CHECK(f.deskInt("SELECT count(*) FROM contact_topic") == 0);
    CHECK(f.deskInt("SELECT count(*) FROM client") == 0);
    CHECK(f.deskInt("SELECT count(*) FROM audit_log") == audits);
    CHECK(f.row(id).gender == "unknown");
    // Reopened, the dialog starts from what is stored, not from what was cancelled.
    f.tap("row.details." + idText(id));
    REQUIRE(f.views().contact.isOpen());
    CHECK(f.views().contact.details().gender == core::Gender::Unknown);
    CHECK(f.views().contact.details().topics.empty());
    f.tap("details.save");
    f.settle();
    CHECK(f.deskInt("SELECT count(*) FROM client") == 0);
    CHECK(f.deskInt("SELECT client_id IS NULL FROM contact WHERE id = " + idText(id)) == 1);
}

TEST_CASE("undo from the toast or the row adds a reversing row and the counter drops") {
    DeskFixture f;
    f.signInAs(f.anna);
    f.tap("log.walk_in");
    f.settle();
    const int64_t first = f.newestContactId();
    f.tap("log.phone");
    f.settle();
    const int64_t call = f.newestContactId();
    CHECK(f.d->today().counts.at("walk_in") == 1);
    CHECK(f.d->today().counts.at("phone") == 1);

    // The newest toast (the phone call) is the last one; its Undo undoes the call.
    const std::string undoId = f.ui->visible("toast.undo.1") ? "toast.undo.1" : "toast.undo.0";
    f.tap(undoId);
    f.settle();
    CHECK(f.deskInt("SELECT count(*) FROM contact WHERE reverses = " + idText(call)) == 1);
    CHECK(f.deskInt("SELECT count(*) FROM contact WHERE id = " + idText(call)) == 1);
    CHECK(f.row(call).undone);
    CHECK_FALSE(f.row(first).undone);
    CHECK(f.d->today().counts.count("phone") == 0);
    CHECK_FALSE(f.ui->visible("row.undo." + idText(call)));
    CHECK_FALSE(f.ui->visible("undo.contact." + idText(call)));

    f.tap("row.undo." + idText(first));
    f.settle();
    CHECK(f.row(first).undone);
    CHECK(f.d->today().counts.count("walk_in") == 0);
    CHECK(f.deskInt("SELECT count(*) FROM contact") == 4); // two contacts, two reversals, nothing deleted
    CHECK(f.d->undoable().empty());
}

TEST_CASE("the W key logs a walk-in and T a phone call, but not with Ctrl and not while the dialog is open") {
    DeskFixture f;
    f.signInAs(f.anna);
    f.press(SDL_SCANCODE_W);
    f.settle();
    CHECK(f.deskInt("SELECT count(*) FROM contact WHERE channel = 'walk_in'") == 1);
    f.press(SDL_SCANCODE_T);
    f.settle();
    CHECK(f.deskInt("SELECT count(*) FROM contact WHERE channel = 'phone'") == 1);
    f.press(SDL_SCANCODE_W, true);
    f.settle();
    CHECK(f.deskInt("SELECT count(*) FROM contact") == 2);

    f.tap("row.details." + idText(f.newestContactId()));
    REQUIRE(f.views().contact.isOpen());
    f.press(SDL_SCANCODE_W);
    f.settle();
    CHECK(f.deskInt("SELECT count(*) FROM contact") == 2);
    f.tap("details.cancel");
    f.settle();
    f.press(SDL_SCANCODE_W);
    f.settle();
    CHECK(f.deskInt("SELECT count(*) FROM contact WHERE channel = 'walk_in'") == 2);
}

TEST_CASE("supplies handed out in the details dialog lower the stock and are linked to the contact") {
    DeskFixture f;
    f.signInAs(f.anna);
    int64_t condoms = 0, lube = 0, condomStock = 0;
    {
        core::Store s = f.open();
        condoms = itemId(s, "condom_m");
        lube = itemId(s, "lube");
        condomStock = core::stockOf(s, condoms);
    }
    f.tap("log.walk_in");
    f.settle();
    const int64_t id = f.newestContactId();
    f.tap("row.details." + idText(id));
    REQUIRE(f.views().contact.isOpen());
    f.ui->frames(2);
    f.tap("topic.supplies_only");
    // At 1280×800 the supplies are below the fold: the mouse wheel over the fields brings them up.
    CHECK_FALSE(f.ui->visible("handout.plus.condom_m"));
    f.ui->wheel(ImVec2(900, 220), -10.0f); // on the fields' background, beside the language
    f.ui->frames(2);
    REQUIRE(f.ui->visible("handout.plus.condom_m"));
    f.tap("handout.plus.condom_m");
    f.tap("handout.plus.condom_m");
    f.views().contact.handOut(lube, 1);
    f.tap("details.save");
    f.settle();
    CHECK(f.deskInt("SELECT stock FROM supply_item WHERE id = " + idText(condoms)) == condomStock - 2);
    CHECK(f.deskInt("SELECT count(*) FROM stock_move WHERE kind = 'handout' AND price_cents = 0 AND payment IS NULL "
                    "AND contact_id = " + idText(id)) == 2);
    CHECK(f.row(id).handouts == 2);
    CHECK(f.row(id).topics == std::vector<std::string>{"supplies_only"});

    // More than there is: nothing is saved, neither the handout nor the details (the desk shows an error toast).
    f.tap("row.details." + idText(id));
    REQUIRE(f.views().contact.isOpen());
    f.views().contact.handOut(lube, 500);
    f.views().contact.details().gender = core::Gender::Woman;
    f.tap("details.save");
    f.settle();
    CHECK(f.deskText("SELECT gender FROM contact WHERE id = " + idText(id)) == "unknown");
    CHECK(f.deskInt("SELECT count(*) FROM stock_move WHERE contact_id = " + idText(id)) == 2);
    CHECK(f.deskInt("SELECT stock FROM supply_item WHERE id = " + idText(lube)) >= 0);
}

TEST_CASE("the details dialog opens at the top for the next contact, even after scrolling down to the supplies" *
          doctest::may_fail()) {
    DeskFixture f;
    f.signInAs(f.anna);
    f.tap("log.walk_in");
    f.settle();
    f.tap("row.details." + idText(f.newestContactId()));
    REQUIRE(f.views().contact.isOpen());
    f.ui->frames(2);
    REQUIRE(f.ui->visible("gender.woman"));
    f.ui->wheel(ImVec2(900, 220), -10.0f); // down to the supplies handed out
    f.ui->frames(2);
    REQUIRE_FALSE(f.ui->visible("gender.woman"));
    f.tap("details.cancel");
    f.settle();

    // The next visitor: her dialog must start with the gender, not with the supplies of the last one.
    f.tap("log.walk_in");
    f.settle();
    f.tap("row.details." + idText(f.newestContactId()));
    REQUIRE(f.views().contact.isOpen());
    f.ui->frames(2);
    CHECK(f.ui->visible("gender.woman"));
    CHECK(f.ui->visible("topic.health"));
}

} // TEST_SUITE

TEST_SUITE("desk") {

TEST_CASE("your last actions: a check-in and a check-out of one stay are two undo buttons, each undoing its own") {
    DeskFixture f;
    core::Store s = f.open();
    const int64_t sam = core::addStaff(s, core::Actor::staff(f.anna), "Sam", core::Role::Shelter, "2468");
    const int64_t bed = s.db().queryInt("SELECT min(id) FROM bed");
    core::CheckIn in;
    in.bedId = bed;
    in.alias = "Lena";
    const int64_t stay = core::checkIn(s, core::Actor::staff(sam), in);
    core::checkOut(s, core::Actor::staff(sam), stay, core::Destination::OwnHome);
    f.signInAs(sam);
    f.d->refresh();
    f.settle();
    const std::string out = "undo.stay." + std::to_string(stay) + ".check_out";
    const std::string inId = "undo.stay." + std::to_string(stay) + ".check_in";
    REQUIRE(f.ui->visible(out));
    REQUIRE(f.ui->visible(inId));
    CHECK(f.ui->rect(out).Min.y != f.ui->rect(inId).Min.y);
    f.tap(out);
    f.settle();
    // The check-out is undone: she is in her bed again, the stay kept; the check-in is still on offer.
    CHECK(f.deskInt("SELECT count(*) FROM stay WHERE out_at IS NULL AND id = " + std::to_string(stay)) == 1);
    CHECK_FALSE(f.ui->visible(out));
    CHECK(f.ui->visible(inId));
}

TEST_CASE("your last actions: an entry back-dated to another day shows its date, today's only the time") {
    DeskFixture f;
    f.d->setLang("nl");
    const int64_t now = core::nowUnix();
    const core::UndoableAction today{"contact", 1, now, "walk_in", 0, ""};
    const core::UndoableAction yesterday{"contact", 2, now - 86400, "walk_in", 0, ""};
    const core::UndoableAction lastYear{"contact", 3, now - 400 * 86400, "walk_in", 0, ""};
    const std::string time = core::formatDateTime("nl", now, "HHmm");
    CHECK(desk::undoableLine(*f.d, today) == time + " " + f.d->tr("channel.walk_in"));
    CHECK(desk::undoableLine(*f.d, yesterday).find(core::formatDateTime("nl", now - 86400, "dMMM")) == 0);
    CHECK(desk::undoableLine(*f.d, lastYear).find(core::localDay(now - 400 * 86400).substr(0, 4)) != std::string::npos);
}

} // TEST_SUITE
