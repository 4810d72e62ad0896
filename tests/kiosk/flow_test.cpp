// The kiosk as a visitor uses it: choose a language, sign up for a consultation hour, type a name, get a ticket.
#include "kiosk_fixture.hpp"

using namespace inloop;
using test::KioskFixture;
using kiosk::Screen;

TEST_SUITE("kiosk") {

TEST_CASE("language - sign up - skip the name - confirm: a ticket without 0/O/1/I in the chosen language") {
    KioskFixture f;
    f.tap("lang.es");
    CHECK(f.screen() == Screen::Home);
    CHECK(f.k->lang() == "es");
    f.tap("home.register");
    CHECK(f.screen() == Screen::Hours);
    f.tap(f.signUpId());
    CHECK(f.screen() == Screen::RegisterName);
    f.tap("register.next"); // nothing typed: "skip"
    CHECK(f.screen() == Screen::RegisterConfirm);
    f.confirm();
    REQUIRE(f.screen() == Screen::Ticket);
    REQUIRE(f.visit().ticket);
    const std::string code = f.visit().ticket->code;
    CHECK(code.size() >= 3);
    CHECK(code.find_first_of("0O1I") == std::string::npos);
    CHECK(f.ui->visible("ticket.code"));
    CHECK(f.ui->visible("ticket.done"));
    CHECK(f.publicInt("SELECT count(*) FROM registration") == 1);
    CHECK(f.publicInt("SELECT count(*) FROM registration WHERE call_name IS NULL AND language = 'es' AND source = "
                      "'kiosk' AND status = 'waiting' AND session_id = " + std::to_string(f.sessionId)) == 1);
    CHECK(f.publicText("SELECT ticket FROM registration") == code);

    // "Done" ends the visit: back to the languages, nothing of it left.
    f.tap("ticket.done");
    CHECK(f.screen() == Screen::Welcome);
    CHECK_FALSE(f.visit().ticket);
    CHECK_FALSE(f.visit().session);
    CHECK(f.visit().lang.empty());
    CHECK(f.ui->visible("lang.en"));
    CHECK_FALSE(f.ui->visible("ticket.code"));
}

TEST_CASE("ticket codes stay free of 0/O/1/I as the day fills up") {
    KioskFixture f(80);
    {
        core::Store s = f.store.open();
        for (int i = 0; i < 70; ++i)
            core::registerForSession(s, core::Actor::cli(), f.sessionId, core::RegistrationSource::Desk);
    }
    f.k->refreshNow();
    f.startRegistration("en");
    f.tap("register.next");
    f.confirm();
    REQUIRE(f.visit().ticket);
    const std::string code = f.visit().ticket->code;
    CAPTURE(code);
    CHECK(code.size() == 4); // the 71st of the day needs a third digit
    CHECK(code.find_first_of("0O1I") == std::string::npos);
    CHECK(f.publicInt("SELECT count(*) FROM registration WHERE ticket GLOB '*[01OI]*'") == 0);
    CHECK(f.publicInt("SELECT count(DISTINCT ticket) FROM registration") == 71);
}

TEST_CASE("typing a name on the on-screen keyboard: capital first - backspace - stored as call_name") {
    KioskFixture f;
    f.startRegistration("en");
    CHECK(f.visit().keyboardLayout == 0);
    CHECK(f.ui->visible("key.Q"));
    f.taps({"key.M", "key.I", "key.R", "key.A"});
    CHECK(f.visit().typedName == "Mira");
    f.tap("key.backspace");
    CHECK(f.visit().typedName == "Mir");
    f.tap("key.A");
    CHECK(f.visit().typedName == "Mira");
    // After a space a new word starts with a capital; backspace takes one letter at a time.
    f.taps({"key.space", "key.B"});
    CHECK(f.visit().typedName == "Mira B");
    f.taps({"key.backspace", "key.backspace"});
    CHECK(f.visit().typedName == "Mira");
    f.tap("register.next");
    CHECK(f.screen() == Screen::RegisterConfirm);
    f.confirm();
    REQUIRE(f.screen() == Screen::Ticket);
    CHECK(f.publicText("SELECT call_name FROM registration") == "Mira");
}

TEST_CASE("the keyboard's layout key switches to Cyrillic letters") {
    KioskFixture f;
    f.startRegistration("en");
    f.tap("key.layout");
    CHECK(f.visit().keyboardLayout == 1);
    CHECK(f.ui->visible("key.Д"));
    CHECK_FALSE(f.ui->visible("key.Q"));
    f.taps({"key.М", "key.И", "key.Р", "key.А"});
    CHECK(f.visit().typedName == "Мира");
    f.tap("key.layout");
    CHECK(f.ui->visible("key.Q"));
    f.tap("key.N");
    CHECK(f.visit().typedName == "Мираn");
}

TEST_CASE("a Bulgarian visitor starts on Cyrillic and a name stops at 20 letters - stored whole") {
    KioskFixture f;
    f.startRegistration("bg");
    CHECK(f.visit().keyboardLayout == 1);
    CHECK(f.ui->visible("key.Я"));
    CHECK_FALSE(f.ui->visible("key.Q"));
    f.taps({"key.Я", "key.Я"});
    CHECK(f.visit().typedName == "Яя");
    std::string expected = "Я";
    for (int i = 1; i < 20; ++i) expected += "я";
    f.visit().typedName = expected.substr(0, expected.size() - 2); // 19 letters typed so far
    f.taps({"key.Я", "key.Я", "key.Я"});
    CHECK(f.visit().typedName == expected);
    f.tap("key.space"); // full: not even a space
    CHECK(f.visit().typedName == expected);
    f.tap("key.backspace");
    CHECK(f.visit().typedName == expected.substr(0, expected.size() - 2));
    f.tap("key.Я");
    CHECK(f.visit().typedName == expected);
    f.tap("register.next");
    f.confirm();
    REQUIRE(f.screen() == Screen::Ticket);
    CHECK(f.publicText("SELECT call_name FROM registration") == expected);
    CHECK(f.publicText("SELECT language FROM registration") == "bg");
}

TEST_CASE("the last place goes to someone else while the visitor confirms: notice - back to the hours - no ticket") {
    KioskFixture f(1);
    f.startRegistration("en");
    f.tap("register.next");
    REQUIRE(f.screen() == Screen::RegisterConfirm);
    {
        core::Store other = f.store.open(); // the desk, on a connection of its own
        core::registerForSession(other, core::Actor::cli(), f.sessionId, core::RegistrationSource::Desk, "nl");
    }
    f.confirm();
    CHECK(f.visit().notice == "register.full_now");
    CHECK(f.screen() == Screen::Hours);
    CHECK_FALSE(f.visit().ticket);
    CHECK_FALSE(f.ui->visible("ticket.code"));
    CHECK(f.publicInt("SELECT count(*) FROM registration") == 1);
    CHECK(f.publicInt("SELECT count(*) FROM registration WHERE source = 'kiosk'") == 0);
    // The hours now show the session as full: no sign-up button for it.
    CHECK_FALSE(f.ui->visible(f.signUpId()));
    // Back leads home, not into the failed registration.
    f.tap("bar.back");
    CHECK(f.screen() == Screen::Home);
}

TEST_CASE("after the last place went elsewhere the hours screen tells the visitor why") {
    // BUG: kiosk.cpp submitRegistration() sets notice "register.full_now" and switches to Screen::Hours, but
    // HoursScreen::draw (kiosk/hours_screen.cpp) never draws visit().notice: the visitor lands on the hours
    // without "This consultation hour just filled up. Please choose another time."
    KioskFixture f(1);
    // The method works: on the confirm screen the notice changes what is drawn.
    f.startRegistration("en");
    f.tap("register.next");
    f.visit().notice = "register.full_now";
    f.ui->frames(2);
    const auto confirmWith = f.pixels();
    f.visit().notice.clear();
    f.ui->frames(2);
    REQUIRE(f.pixels() != confirmWith);

    {
        core::Store other = f.store.open();
        core::registerForSession(other, core::Actor::cli(), f.sessionId, core::RegistrationSource::Desk, "nl");
    }
    f.confirm();
    REQUIRE(f.screen() == Screen::Hours);
    REQUIRE(f.visit().notice == "register.full_now");
    f.ui->frames(2);
    const auto hoursWith = f.pixels();
    f.visit().notice.clear();
    f.ui->frames(2);
    CHECK_MESSAGE(f.pixels() != hoursWith, "the hours screen looks the same with and without the notice");
}

TEST_CASE("full and cancelled sessions show no sign-up button - an open one does") {
    KioskFixture f(1, 1080, 1920); // tall enough for three cards
    int64_t lawyer = 0, extra = 0;
    {
        core::Store s = f.store.open();
        lawyer = test::addSession(s, f.day, 13 * 60, 3, "lawyer");
        extra = test::addSession(s, f.day, 15 * 60, 3, "sti_test");
    }
    f.k->refreshNow();
    f.tap("lang.en");
    f.tap("home.register");
    CHECK(f.ui->visible(f.signUpId()));
    CHECK(f.ui->visible(f.signUpId(lawyer)));
    CHECK(f.ui->visible(f.signUpId(extra)));
    {
        core::Store s = f.store.open();
        core::registerForSession(s, core::Actor::cli(), f.sessionId, core::RegistrationSource::Desk);
        core::addClosure(s, core::Actor::cli(), f.day, *core::findService(s, "lawyer"), "ill");
    }
    f.k->refreshNow();
    f.ui->frames(2);
    CHECK_FALSE(f.ui->visible(f.signUpId()));
    CHECK_FALSE(f.ui->visible(f.signUpId(lawyer)));
    CHECK(f.ui->visible(f.signUpId(extra)));
    // Both are still listed (saying full or cancelled), not silently gone.
    int listed = 0;
    for (const auto& s : f.k->view().sessions) {
        if (s.id == f.sessionId) {
            ++listed;
            CHECK(s.freePlaces == 0);
        }
        if (s.id == lawyer) {
            ++listed;
            CHECK(s.status == "cancelled");
        }
    }
    CHECK(listed == 2);
}

TEST_CASE("a drag that starts on a sign-up button is not a tap") {
    KioskFixture f;
    f.tap("lang.en");
    f.tap("home.register");
    const ImRect r = f.ui->rect(f.signUpId());
    REQUIRE(r.GetHeight() > 60);
    f.ui->drag(r.GetCenter(), -40, 8); // ends still on the button
    f.ui->frames(2);
    CHECK(f.screen() == Screen::Hours);
    CHECK_FALSE(f.visit().session);
    f.tap(f.signUpId()); // a real tap still works
    CHECK(f.screen() == Screen::RegisterName);
}

TEST_CASE("leave wipes the whole visit: language - typed name - session - page - history - text size") {
    KioskFixture f;
    const float baseBody = ui::fonts().body->FontSize;
    f.startRegistration("en");
    f.taps({"key.M", "key.I"});
    f.tap("bar.back");
    CHECK(f.screen() == Screen::Hours);
    f.tap("bar.back");
    CHECK(f.screen() == Screen::Home);
    f.tap("home.information");
    f.tap("topic.shelter");
    CHECK(f.screen() == Screen::Topic);
    f.tap("bar.text_size");
    f.settle();
    REQUIRE(f.visit().typedName == "Mi");
    REQUIRE(f.visit().session);
    REQUIRE_FALSE(f.visit().history.empty());
    REQUIRE(ui::fonts().body->FontSize > baseBody);

    f.tap("bar.leave");
    f.settle();
    const kiosk::Visit& v = f.visit();
    CHECK(v.screen == Screen::Welcome);
    CHECK(v.lang.empty());
    CHECK(v.typedName.empty());
    CHECK_FALSE(v.session);
    CHECK_FALSE(v.ticket);
    CHECK(v.history.empty());
    CHECK(v.topic.empty());
    CHECK(v.textStep == 0);
    CHECK(v.keyboardLayout == 0);
    CHECK(ui::fonts().body->FontSize == doctest::Approx(baseBody));
    CHECK(f.ui->visible("lang.en"));
    CHECK_FALSE(f.ui->visible("bar.leave"));
}

TEST_CASE("the ticket screen returns to the languages by itself after ticketSeconds") {
    KioskFixture f;
    f.startRegistration("en");
    f.taps({"key.M", "key.I"});
    f.tap("register.next");
    f.confirm();
    REQUIRE(f.screen() == Screen::Ticket);
    const int ticketSeconds = f.k->options().ticketSeconds;
    f.k->setIdleClockForTest(ticketSeconds - 1);
    f.settle();
    CHECK(f.screen() == Screen::Ticket);
    CHECK(f.ui->visible("ticket.code"));
    CHECK(f.k->idleCountdown() == -1); // no "are you still there?" over a ticket
    CHECK_FALSE(f.ui->visible("idle.stay"));
    f.k->setIdleClockForTest(ticketSeconds + 0.5);
    CHECK(f.k->tick());
    f.k->setIdleClockForTest(-1);
    f.ui->frames(2);
    CHECK(f.screen() == Screen::Welcome);
    CHECK_FALSE(f.visit().ticket);
    CHECK(f.visit().typedName.empty());
    CHECK(f.visit().lang.empty());
    CHECK_FALSE(f.ui->visible("ticket.code"));
    CHECK(f.ui->visible("lang.en"));
    // The registration itself stays: the visitor keeps the place.
    CHECK(f.publicInt("SELECT count(*) FROM registration WHERE status = 'waiting'") == 1);
}

} // TEST_SUITE
