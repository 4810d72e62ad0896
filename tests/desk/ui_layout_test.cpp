// Small layout faults at the desk (issue 17, item 19): nothing moves under a finger, no key press is lost, no text
// runs under a button, and a number of units can be typed.
#include "desk_fixture.hpp"

#include "ui/fonts.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"

#include <cfloat>

using namespace inloop;
using namespace inloop::test;
using desk::View;

namespace {

SDL_Event keyEvent(Uint32 type, SDL_Scancode key, Uint16 mod = KMOD_NONE) {
    SDL_Event ev{};
    ev.type = type;
    ev.key.type = type;
    ev.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
    ev.key.keysym.scancode = key;
    ev.key.keysym.sym = SDL_GetKeyFromScancode(key);
    ev.key.keysym.mod = mod;
    return ev;
}

// Whether a button's label fits in two lines at full size: ui::button's room for text is its width less 18 px
// padding on each side and its icon (and a 12 px gap); more than two lines, or a word wider than that, and it
// draws the label smaller.
bool fitsTwoLines(DeskFixture& f, const std::string& id, const std::string& label, const char* lang, float iconRoom) {
    const float room = f.ui->rect(id).GetWidth() - 36 - iconRoom;
    std::vector<ui::Run> runs(1);
    runs[0].text = label;
    runs[0].font = ui::fonts().bold;
    return ui::layoutRuns(runs, lang, room).size() <= 2 && ui::widestWord(runs, lang) <= room;
}

} // namespace

TEST_SUITE("desk") {

TEST_CASE("a wrong PIN's message does not move the PIN keys under the finger (en and nl)") {
    for (const char* lang : {"en", "nl"}) {
        INFO("lang " << lang);
        DeskFixture f(true);
        f.d->setLang(lang);
        f.settle();
        f.tap("signin.staff." + std::to_string(f.bo));
        f.settle();
        REQUIRE(f.views().signIn.message().empty());
        const ImRect one = f.ui->rect("pin.1"), ok = f.ui->rect("pin.ok");
        f.padSignIn(f.bo, "9999");
        REQUIRE_FALSE(f.views().signIn.message().empty());
        CHECK(f.ui->rect("pin.1").Min.y == one.Min.y);
        CHECK(f.ui->rect("pin.ok").Min.y == ok.Min.y);
        for (int i = 0; i < 4; ++i) f.padSignIn(f.bo, "9999"); // the longer lock-out message
        REQUIRE(f.views().signIn.message().find(f.d->tr("signin.locked", {{"seconds", int64_t{30}}}).substr(0, 10)) !=
                std::string::npos);
        CHECK(f.ui->rect("pin.1").Min.y == one.Min.y);
    }
}

TEST_CASE("a key pressed and released between two frames still counts, Ctrl+L too") {
    DeskFixture f;
    f.signInAs(f.anna);
    REQUIRE(f.d->view() == View::Today);
    // Both events arrive before the next frame, as from a quick tap or a busy machine.
    f.app.handleEvent(keyEvent(SDL_KEYDOWN, SDL_SCANCODE_W));
    f.app.handleEvent(keyEvent(SDL_KEYUP, SDL_SCANCODE_W));
    f.settle();
    CHECK(f.deskInt("SELECT count(*) FROM contact") == 1);
    // The key is up again afterwards: one press, one contact.
    f.settle(4);
    CHECK(f.deskInt("SELECT count(*) FROM contact") == 1);
    CHECK_FALSE(ImGui::GetIO().KeysDown[SDL_SCANCODE_W]);

    f.app.handleEvent(keyEvent(SDL_KEYDOWN, SDL_SCANCODE_LCTRL, KMOD_LCTRL));
    f.app.handleEvent(keyEvent(SDL_KEYDOWN, SDL_SCANCODE_L, KMOD_LCTRL));
    f.app.handleEvent(keyEvent(SDL_KEYUP, SDL_SCANCODE_L, KMOD_LCTRL));
    f.app.handleEvent(keyEvent(SDL_KEYUP, SDL_SCANCODE_LCTRL, KMOD_NONE));
    f.settle();
    CHECK_FALSE(f.d->user());
    CHECK_FALSE(ImGui::GetIO().KeyCtrl);
}

TEST_CASE("a toast's text stays left of its buttons and inside the toast — Ongedaan maken fits its button") {
    for (const char* lang : {"en", "nl"}) {
        INFO("lang " << lang);
        DeskFixture f;
        f.signInAs(f.anna);
        f.d->setLang(lang);
        f.tap("log.walk_in");
        f.settle();
        f.d->toast("A long message that staff must read to the end, because it says what happened and what to do next "
                   "if it was not what they meant",
                   false, [] {}, [] {});
        f.settle();
        for (int i : {0, 1}) {
            const std::string n = std::to_string(i);
            REQUIRE(f.ui->visible("toast.undo." + n));
            REQUIRE(f.ui->visible("toast.text." + n));
            const ImRect text = f.ui->rect("toast.text." + n), details = f.ui->rect("toast.details." + n),
                         undo = f.ui->rect("toast.undo." + n);
            CHECK(text.Max.x <= details.Min.x);
            CHECK(details.Max.x <= undo.Min.x);
            CHECK(undo.Max.x <= static_cast<float>(f.app.width()));
            CHECK(text.Max.y <= static_cast<float>(f.app.height()));
            CHECK(undo.GetWidth() >= desk::buttonWidth(f.d->tr("common.undo"), ui::icon::Undo, undo.GetHeight()));
        }
        // The toasts do not overlap each other.
        CHECK(f.ui->rect("toast.text.0").Max.y <= f.ui->rect("toast.text.1").Min.y);
    }
}

} // TEST_SUITE

TEST_SUITE("desk") {

TEST_CASE("the quick-log buttons and the details' choices fit their label on two lines (Veldwerk online, Intake maatschappelijk werk)") {
    for (const char* lang : {"nl", "en"}) {
        INFO("lang " << lang);
        DeskFixture f;
        f.signInAs(f.anna);
        f.d->setLang(lang);
        f.settle();
        const std::pair<const char*, const char*> buttons[] = {
            {"phone", "T"}, {"email", "E"}, {"outreach_street", "S"}, {"outreach_online", "O"}};
        for (const auto& [channel, key] : buttons) {
            INFO(channel);
            const std::string label = f.d->tr(std::string("channel.") + channel);
            REQUIRE(f.ui->visible(std::string("log.") + channel));
            const float iconW = ui::fonts().body->CalcTextSizeA(40, FLT_MAX, 0, ui::icon::Chat).x;
            // Every button keeps its icon ("an icon on every label"): the key stands in its corner instead.
            CHECK_FALSE(f.ui->visible(std::string("log.") + channel + ".no_icon"));
            CHECK(fitsTwoLines(f, std::string("log.") + channel, label, lang, iconW + 12));
            REQUIRE(f.ui->visible(std::string("log.") + channel + ".key"));
            CHECK(f.ui->rect(std::string("log.") + channel).Contains(f.ui->rect(std::string("log.") + channel + ".key")));
            CAPTURE(key);
        }
        CHECK(f.ui->rect("log.walk_in").GetWidth() >= f.ui->rect("log.phone").GetWidth());
        // The details dialog's choices too: "Intake maatschappelijk werk" was drawn at two thirds of its size.
        f.tap("log.walk_in");
        f.settle();
        f.tap("row.details." + std::to_string(f.newestContactId()));
        f.settle();
        REQUIRE(f.views().contact.isOpen());
        for (const auto& word : core::EnumWords<core::Referral>::words) {
            const std::string id = "referral." + std::string(word);
            INFO(id);
            REQUIRE(f.ui->visible(id));
            CHECK(fitsTwoLines(f, id, f.d->tr(id), lang, 0));
        }
    }
}

} // TEST_SUITE

TEST_SUITE("desk") {

TEST_CASE("handing out 20 units: the number is typed, also after a tap on + (no twenty taps)") {
    DeskFixture f(true);
    f.signInAs(f.bo);
    const int64_t item = f.d->stock().front().id;
    const std::string code = f.d->stock().front().code;
    const int64_t before = f.deskInt("SELECT stock FROM supply_item WHERE id = " + std::to_string(item));
    REQUIRE(before > 20);
    f.tap("nav.supplies");
    f.settle();
    f.tap("supplies.handout." + code);
    REQUIRE(f.views().supplies.dialogOpen());
    f.ui->frames(2);
    // A tap on + first (2), then the number typed: the field has the keyboard again, its number selected.
    f.tap("supplies.dialog.plus");
    f.ui->frames(1);
    ImGui::GetIO().AddInputCharactersUTF8("20");
    f.ui->frames(2);
    f.app.handleEvent([] {
        SDL_Event ev{};
        ev.type = SDL_KEYDOWN;
        ev.key.keysym.scancode = SDL_SCANCODE_RETURN;
        return ev;
    }());
    f.app.handleEvent([] {
        SDL_Event ev{};
        ev.type = SDL_KEYUP;
        ev.key.keysym.scancode = SDL_SCANCODE_RETURN;
        return ev;
    }());
    f.settle(3);
    CHECK(f.views().supplies.dialogError().empty());
    CHECK(f.deskInt("SELECT stock FROM supply_item WHERE id = " + std::to_string(item)) == before - 20);
}

} // TEST_SUITE

TEST_SUITE("desk") {

TEST_CASE("a dialog that opens in a frame of its own (a worker's answer) gets the frames to show whole") {
    DeskFixture f;
    f.signInAs(f.anna);
    f.tap("nav.supplies");
    f.settle(6);
    REQUIRE(f.app.pendingFrames() == 0); // idle: the loop would draw nothing until input
    f.views().supplies.openAction(*f.d, f.d->stock().front().id, desk::SuppliesView::Action::HandOut);
    f.ui->frames(1); // the one frame a worker's answer asks for: the dialog opens, measured unseen
    CHECK(f.app.pendingFrames() >= 2);
    f.ui->frames(f.app.pendingFrames());
    CHECK(f.ui->visible("supplies.dialog.confirm"));
    CHECK(f.ui->visible("supplies.dialog.cancel"));
}

// The check-in dialog with every back-dating row open at 1280×800: Save stays on screen (the body scrolls, the
// footer with Save and Cancel is pinned) and a tap on it saves.
namespace {
using Dialog = desk::BedBoardView::Dialog;
constexpr float kScreenH = 800;

// The board, the bed to check in to (the last one, or the emergency bed when all others are taken) and its dialog.
int64_t openCheckIn(DeskFixture& f, bool othersTaken) {
    const auto beds = [&] {
        core::Store s = f.open();
        std::vector<int64_t> ids;
        core::Statement& st = s.db().prepare("SELECT id FROM bed ORDER BY id");
        while (st.step()) ids.push_back(st.getInt(0));
        if (othersTaken)
            for (size_t i = 0; i + 1 < ids.size(); ++i) {
                core::CheckIn in;
                in.bedId = ids[i];
                in.alias = "Gast " + std::to_string(i);
                in.when.at = core::nowUnix() - 2 * 86400; // in before the back-dated check-in below
                core::checkIn(s, core::Actor::cli(), in);
            }
        return ids;
    }();
    REQUIRE(beds.size() > 2);
    f.d->go(View::Beds);
    f.settle(4);
    REQUIRE(f.views().beds.loaded());
    auto& b = f.views().beds;
    b.open(*f.d, beds.back(), Dialog::CheckIn);
    f.settle();
    REQUIRE(b.dialog() == Dialog::CheckIn);
    b.setAlias("Roos");
    b.setReferral(core::StayReferral::Partner);
    b.when().setEarlier(1, 21, 30);
    return beds.back();
}

// Save and Cancel are whole on the screen.
void footerOnScreen(DeskFixture& f) {
    REQUIRE(f.ui->visible("beds.checkin.save"));
    REQUIRE(f.ui->visible("beds.dialog.cancel"));
    const ImRect save = f.ui->rect("beds.checkin.save"), cancel = f.ui->rect("beds.dialog.cancel");
    CHECK(save.Min.y >= 0);
    CHECK(save.Max.y <= kScreenH);
    CHECK(cancel.Max.y <= kScreenH);
}
} // namespace

TEST_CASE("the check-in dialog fits 1280x800 with every back-dating row open: Save is on screen and saves (en, nl)") {
    for (const char* lang : {"en", "nl"}) {
        INFO("lang " << lang);
        DeskFixture f;
        f.d->setLang(lang);
        f.signInAs(f.anna);
        const int64_t bed = openCheckIn(f, false);
        auto& b = f.views().beds;
        b.setLeftAlready(true);
        b.when().setEarlier(2, 21, 30);
        b.leftWhen().setEarlier(1, 9, 15); // never in the future, whatever the time of day
        f.settle();
        REQUIRE(f.ui->visible("beds.left.when.days"));
        // The days, hours and minutes have − and + a finger can hit (40 px high), and the row stays on screen.
        for (const char* field : {"beds.checkin.when.days", "beds.left.when.hour", "beds.left.when.minute"}) {
            INFO(field);
            REQUIRE(f.ui->visible(field));
            CHECK(f.ui->rect(field).GetHeight() >= 40);
            CHECK(f.ui->rect(field).Max.x <= 1280 - 40);
        }
        // Save without a destination: the error line joins the footer, Save stays on screen.
        f.tap("beds.checkin.save");
        f.settle();
        REQUIRE_FALSE(b.dialogError().empty());
        footerOnScreen(f);
        b.setDestination(core::Destination::OwnHome);
        f.settle();
        footerOnScreen(f);
        f.tap("beds.checkin.save");
        f.settle(4);
        CHECK_MESSAGE(b.dialog() == Dialog::None, b.dialogError());
        CHECK(f.deskInt("SELECT count(*) FROM stay WHERE out_at IS NOT NULL AND bed_id = " + std::to_string(bed)) == 1);
    }
}

TEST_CASE("the check-in dialog on the emergency bed, back-dated, with its waiver and an error, keeps Save on screen") {
    DeskFixture f;
    f.d->setLang("nl");
    f.signInAs(f.anna);
    const int64_t bed = openCheckIn(f, true);
    auto& b = f.views().beds;
    f.settle();
    REQUIRE(b.needsEmergencyConfirmation());
    f.tap("beds.checkin.save"); // not confirmed yet: the error line
    f.settle();
    REQUIRE_FALSE(b.dialogError().empty());
    footerOnScreen(f);
    b.setConfirmEmergency(true);
    b.setEmergencyReason("geen andere plek");
    f.settle();
    footerOnScreen(f);
    f.tap("beds.checkin.save");
    f.settle(4);
    CHECK(b.dialog() == Dialog::None);
    CHECK(f.deskInt("SELECT emergency_bed FROM stay WHERE out_at IS NULL AND bed_id = " + std::to_string(bed)) == 1);
}

} // TEST_SUITE
