// Tickets and places as a visitor meets them (issue 16): the date on a ticket for another day, free places
// after one's own registration, one ticket per service and visit, a double tap, names in one's own script,
// and "now serving" with the service.
#include "kiosk_fixture.hpp"

#include "keyboard.hpp"
#include "ticket_screen.hpp"
#include "welcome_screen.hpp"

#include <chrono>
#include <thread>

using namespace inloop;
using test::KioskFixture;
using kiosk::Screen;

namespace {
// Signs up for the fixture's session without a name and waits for the ticket.
void signUp(KioskFixture& f, const std::string& lang = "en") {
    f.startRegistration(lang);
    f.tap("register.next");
    f.confirm();
    REQUIRE(f.screen() == Screen::Ticket);
}

int freePlacesShown(KioskFixture& f) {
    for (const auto& s : f.k->view().sessions)
        if (s.id == f.sessionId) return s.freePlaces;
    FAIL("the session is not in the kiosk's view");
    return -1;
}
} // namespace

TEST_SUITE("kiosk") {

TEST_CASE("a ticket for another day names its date, in the visitor's language - today's names none") {
    KioskFixture f;
    signUp(f, "es");
    const core::SessionView s = *f.visit().session;
    REQUIRE(s.day != f.k->view().today); // the fixture's session is on the next open day
    const std::string when = kiosk::TicketScreen::when(*f.k, s);
    CAPTURE(when);
    CHECK(when.find(core::formatDateTime("es", s.startsAt, "MMMM")) != std::string::npos); // "diciembre"
    CHECK(when.find(core::formatDateTime("es", s.startsAt, "EEEE")) != std::string::npos);
    CHECK(when.find(std::to_string(std::stoi(s.day.substr(8, 2)))) != std::string::npos);
    // The same session seen as today's: weekday and times only.
    core::SessionView today = s;
    today.day = f.k->view().today;
    CHECK(kiosk::TicketScreen::when(*f.k, today) == f.k->sessionTime(today));
}

TEST_CASE("after the kiosk's own registration the hours list shows one place less, without waiting a minute") {
    KioskFixture f(8);
    CHECK(freePlacesShown(f) == 8);
    signUp(f);
    // The app loop: worker results (the refresh the registration asked for), then frames. No refreshNow().
    f.settle();
    f.k->waitForWorker();
    f.settle();
    CHECK(freePlacesShown(f) == 7);
}

TEST_CASE("one visit gets one ticket per service - a second sign-up says which number it already has") {
    KioskFixture f(5);
    signUp(f);
    const std::string code = f.visit().ticket->code;
    f.tap("bar.back");
    REQUIRE(f.screen() == Screen::Home);
    f.tap("home.register");
    f.tap(f.signUpId());
    CHECK(f.screen() == Screen::Hours);
    CHECK(f.visit().notice == "register.already");
    CHECK(f.k->noticeText() == "You already have " + code + " for this hour.");
    CHECK(f.publicInt("SELECT count(*) FROM registration") == 1);
    // A new visit (after Close) is someone else: they may sign up.
    f.tap("bar.leave");
    f.startRegistration("nl");
    CHECK(f.visit().notice.empty());
}

TEST_CASE("a double tap on sign up does not type into the name field of the next screen") {
    KioskFixture f;
    f.tap("lang.en");
    f.tap("home.register");
    f.k->setTapGuardForTest(0.35); // as inloop-kiosk runs (the tests' own taps come faster than any person's)
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // the visitor reads the hours first
    f.ui->frames(1);
    const ImVec2 at = f.ui->rect(f.signUpId()).GetCenter();
    REQUIRE(f.ui->doubleTap(f.signUpId()));
    CHECK(f.screen() == Screen::RegisterName);
    CHECK(f.visit().typedName.empty());
    // A tap of its own at that point does act: the second tap above had something to hit.
    f.k->setTapGuardForTest(0);
    f.ui->tapAt(at);
    CHECK((f.screen() != Screen::RegisterName || !f.visit().typedName.empty()));
}

TEST_CASE("a Thai visitor types a name on a Thai keyboard, marks on a dotted circle") {
    KioskFixture f;
    f.startRegistration("th");
    CHECK(f.visit().keyboardLayout == kiosk::Keyboard::kThaiLayout);
    CHECK(f.ui->visible("key.ก"));
    CHECK_FALSE(f.ui->visible("key.Q"));
    f.taps({"key.ม", "key.า", "key.ล", "key.ี"});
    CHECK(f.visit().typedName == "มาลี");
    CHECK(kiosk::Keyboard::allLabels().find("\u25CC\u0E35") != std::string::npos);
    f.tap("key.layout"); // Latin, and back to Thai
    CHECK(f.ui->visible("key.Q"));
    f.tap("key.layout");
    CHECK(f.ui->visible("key.ก"));
    f.tap("register.next");
    f.confirm();
    CHECK(f.publicText("SELECT call_name FROM registration") == "มาลี");
}

TEST_CASE("the Cyrillic keyboard has the dash and the apostrophe - Chinese gets Latin keys and a pinyin hint") {
    KioskFixture f;
    f.startRegistration("bg");
    f.taps({"key.Д", "key.’", "key.А", "key.-", "key.Б"});
    CHECK(f.visit().typedName == "Д’а-Б");
    f.tap("bar.leave");
    f.startRegistration("zh");
    CHECK(f.visit().keyboardLayout == kiosk::Keyboard::kLatinLayout);
    CHECK(f.ui->visible("key.Q"));
    CHECK(f.ui->visible("register.pinyin_hint"));
    f.tap("register.next"); // the name stays optional
    CHECK(f.screen() == Screen::RegisterConfirm);
}

TEST_CASE("the Thai, Cyrillic and Chinese name screens keep every key on screen at every text size and orientation") {
    const std::pair<const char*, std::vector<const char*>> layouts[] = {
        {"th", {"key.ก", "key.ฏ", "key.ั", "key.์", "key.layout", "key.backspace", "register.next"}},
        {"bg", {"key.А", "key.Я", "key.-", "key.’", "key.layout", "key.backspace", "register.next"}},
        {"zh", {"key.Q", "key.Ű", "key.layout", "key.backspace", "register.next"}},
    };
    for (const auto& [w, h] : {std::pair{1080, 1920}, std::pair{1920, 1080}, std::pair{1280, 800}}) {
        KioskFixture f(5, w, h);
        for (const auto& [lang, keys] : layouts) {
            for (int step = 0; step < 3; ++step) {
                CAPTURE(w);
                CAPTURE(h);
                const std::string language = lang;
                CAPTURE(language);
                CAPTURE(step);
                kiosk::Visit& v = f.visit();
                v.lang = lang;
                v.screen = Screen::RegisterName;
                v.textStep = step;
                v.session = f.k->view().sessions.front();
                v.keyboardLayout = kiosk::Keyboard::firstLayout(lang);
                f.settle(2);
                for (const std::string id : keys) {
                    CAPTURE(id);
                    CHECK(f.insideWindow(id));
                }
            }
        }
    }
}

TEST_CASE("now serving names the service with the number") {
    KioskFixture f;
    {
        // Called today (the session's day does not matter to the strip: the ticket's day does).
        core::Store s = f.store.open();
        const int64_t id =
            core::registerForSession(s, core::Actor::cli(), f.sessionId, core::RegistrationSource::Desk).registrationId;
        core::setRegistrationStatus(s, core::Actor::cli(), id, "called");
        s.db().exec("UPDATE registration SET day = '" + core::localDay(core::nowUnix()) + "'");
    }
    f.k->refreshNow();
    REQUIRE(f.k->view().nowServing.size() == 1);
    CHECK(f.k->view().nowServing[0].service == "sti_test");
    const std::string line = kiosk::WelcomeScreen::nowServingLine(*f.k, "en", 2000);
    CHECK(line == f.k->view().nowServing[0].ticket + " · " + f.k->messages().tr("en", "service.sti_test"));
    CHECK(f.k->messages().tr("en", "service.sti_test") != "service.sti_test");
}

} // TEST_SUITE
