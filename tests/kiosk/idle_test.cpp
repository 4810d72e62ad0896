// The idle timeout: a countdown asks "are you still there?", "stay" keeps the visit, silence wipes it.
#include "kiosk_fixture.hpp"

using namespace inloop;
using test::KioskFixture;
using kiosk::Screen;

TEST_SUITE("kiosk") {

TEST_CASE("idle: a countdown covers the screen - stay keeps the visit - silence wipes everything typed") {
    KioskFixture f;
    const kiosk::KioskOptions& o = f.k->options();
    f.startRegistration("en");
    f.taps({"key.M", "key.I"});
    CHECK(f.k->idleCountdown() == -1);
    CHECK_FALSE(f.ui->visible("idle.stay"));

    f.k->setIdleClockForTest(o.idleSeconds - 1);
    f.settle();
    CHECK(f.k->idleCountdown() == -1);
    CHECK_FALSE(f.ui->visible("idle.stay"));

    f.k->setIdleClockForTest(o.idleSeconds + 1);
    CHECK(f.k->tick()); // the countdown is something that moves: it asks for a frame
    f.ui->frames(2);
    CHECK(f.k->idleCountdown() == o.countdownSeconds - 1);
    CHECK(f.ui->visible("idle.stay"));
    CHECK(f.screen() == Screen::RegisterName);
    CHECK(f.visit().typedName == "Mi");

    // The countdown lies over everything: taps on what is beneath only dismiss it.
    f.tap("key.A");
    CHECK_FALSE(f.ui->visible("idle.stay"));
    f.k->setIdleClockForTest(o.idleSeconds + 1);
    f.settle();
    f.tap("bar.leave");
    CHECK(f.screen() == Screen::RegisterName);
    CHECK(f.visit().typedName == "Mi");
    CHECK(f.k->lang() == "en");

    // "I'm still here."
    f.k->setIdleClockForTest(o.idleSeconds + 1);
    f.settle();
    f.tap("idle.stay");
    f.k->setIdleClockForTest(-1); // back to the app's clock, which the touch restarted
    f.settle();
    CHECK(f.k->idleCountdown() == -1);
    CHECK_FALSE(f.ui->visible("idle.stay"));
    CHECK(f.screen() == Screen::RegisterName);
    CHECK(f.visit().typedName == "Mi");
    f.tap("key.A");
    CHECK(f.visit().typedName == "Mia");

    // A second countdown, after the top bar was used, still lies on top.
    f.tap("bar.back");
    CHECK(f.screen() == Screen::Hours);
    f.k->setIdleClockForTest(o.idleSeconds + 2);
    f.settle();
    REQUIRE(f.ui->visible("idle.stay"));
    f.tap("bar.back");
    CHECK(f.screen() == Screen::Hours);

    // Nobody answers: the visit is wiped.
    f.k->setIdleClockForTest(o.idleSeconds + o.countdownSeconds + 1);
    CHECK(f.k->tick());
    f.k->setIdleClockForTest(-1);
    f.ui->frames(2);
    CHECK(f.screen() == Screen::Welcome);
    CHECK(f.visit().lang.empty());
    CHECK(f.visit().typedName.empty());
    CHECK_FALSE(f.visit().session);
    CHECK(f.visit().history.empty());
    CHECK_FALSE(f.ui->visible("idle.stay"));
    CHECK(f.ui->visible("lang.en"));
    f.k->waitForWorker();
    CHECK(f.publicInt("SELECT count FROM kiosk_usage WHERE kind = 'wipe' AND key = 'idle'") == 1);
    CHECK(f.publicInt("SELECT count(*) FROM registration") == 0);
}

TEST_CASE("idle countdown: the touch that dismisses it (and restarts the clock at once) never lands on Back or Leave") {
    KioskFixture f;
    const kiosk::KioskOptions& o = f.k->options();
    f.startRegistration("en");
    f.tap("key.M");
    for (const char* beneath : {"bar.back", "bar.leave", "key.A", "bar.text_size"}) {
        CAPTURE(beneath);
        // The touch restarts the idle clock (as App::run does on every input event); the finger's motion may be
        // reported a frame before its press.
        for (bool motionFirst : {false, true}) {
            CAPTURE(motionFirst);
            f.k->setIdleClockForTest(o.idleSeconds + 2);
            f.settle();
            REQUIRE(f.ui->visible("idle.stay"));
            REQUIRE(f.ui->tap(beneath, motionFirst));
            f.settle();
            CHECK_FALSE(f.ui->visible("idle.stay")); // dismissed …
            CHECK(f.screen() == Screen::RegisterName); // … and nothing else
            CHECK(f.k->lang() == "en");
            CHECK(f.visit().typedName == "M");
            CHECK(f.visit().textStep == 0);
        }
    }
    // Without the countdown the same taps work again.
    f.tap("key.A");
    CHECK(f.visit().typedName == "Ma");
    f.tap("bar.back");
    CHECK(f.screen() == Screen::Hours);
}

TEST_CASE("nobody at the kiosk: the welcome screen shows no countdown and wipes nothing") {
    KioskFixture f;
    f.k->setIdleClockForTest(3600);
    for (int i = 0; i < 3; ++i) f.settle(1);
    CHECK(f.k->idleCountdown() == -1);
    CHECK_FALSE(f.ui->visible("idle.stay"));
    CHECK(f.ui->visible("lang.en"));
    f.k->setIdleClockForTest(-1);
    f.k->waitForWorker();
    CHECK(f.publicInt("SELECT count(*) FROM kiosk_usage") == 0);
    // The first touch still works at once.
    f.tap("lang.hu");
    CHECK(f.screen() == Screen::Home);
    CHECK(f.k->idleCountdown() == -1);
}

} // TEST_SUITE
