// Read aloud on the topic screen (issue 21), with SDL's dummy audio driver: the button, sound starting, every
// way of leaving that must silence it, and the helper process espeak-ng runs in (a crash or hang there is never the
// kiosk's).
#include "kiosk_fixture.hpp"

#include "core/base/install_paths.hpp"
#include "core/domain/site_facts.hpp"
#include "core/i18n/speech_process.hpp"

#include <chrono>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>
#include <tuple>

using namespace inloop;
using test::KioskFixture;
using kiosk::Screen;

namespace {

using Clock = std::chrono::steady_clock;

// An environment variable for one test.
struct ScopedEnv {
    ScopedEnv(const char* name, const char* value) : m_name(name) {
        if (const char* was = std::getenv(name)) m_was = was;
        setenv(name, value, 1);
    }
    ~ScopedEnv() {
        if (m_was.empty()) unsetenv(m_name);
        else setenv(m_name, m_was.c_str(), 1);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;
    const char* m_name;
    std::string m_was;
};

// SDL_AUDIODRIVER for one test: "dummy" plays into nothing at the real pace; an unknown name opens no device.
struct AudioDriver : ScopedEnv {
    explicit AudioDriver(const char* name) : ScopedEnv("SDL_AUDIODRIVER", name) {}
};

// The misbehaving helper (tests/kiosk/helpers/test_speak.cpp) in one of its modes: crash, hang, mute.
struct MisbehavingHelper : ScopedEnv {
    explicit MisbehavingHelper(const char* mode) : ScopedEnv("INLOOP_TEST_SPEAK", mode) {}
    std::filesystem::path path = INLOOP_TEST_SPEAK_PATH;
};

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// A visitor reading a page in `lang`, Read aloud tapped, the first block synthesised and queued.
void startReading(KioskFixture& f, const std::string& lang = "en") {
    f.tap("lang." + lang);
    f.k->openTopic("safe_work");
    f.ui->frames(2);
    REQUIRE(f.screen() == Screen::Topic);
    f.tap("topic.read_aloud");
    f.k->waitForWorker();
    f.settle();
}

} // namespace

TEST_SUITE("kiosk") {

TEST_CASE("read aloud: tapping it starts sound, the button becomes Stop, Stop silences it") {
    AudioDriver dummy("dummy");
    KioskFixture f;
    startReading(f);
    CHECK(f.k->readAloud().speaking());
    CHECK(f.k->readAloud().playing());
    CHECK(f.ui->visible("topic.stop_reading"));
    CHECK_FALSE(f.ui->visible("topic.read_aloud"));
    f.tap("topic.stop_reading");
    f.settle();
    CHECK_FALSE(f.k->readAloud().speaking());
    CHECK_FALSE(f.k->readAloud().playing());
    CHECK(f.ui->visible("topic.read_aloud"));
}

// espeak-ng 1.51 was seen to crash in utf8_in while this test spoke whole pages in all languages on the worker;
// it now speaks in the inloop-speak helper, where a crash costs one block (see the crash test below).
TEST_CASE("read aloud: in every kiosk language the button is there and sound starts") {
    AudioDriver dummy("dummy");
    for (std::string_view lang : core::kLanguages) {
        CAPTURE(lang);
        KioskFixture f;
        startReading(f, std::string(lang));
        CHECK(f.k->readAloud().playing());
    }
}

TEST_CASE("read aloud: Close, Back and the idle countdown each stop the speech") {
    AudioDriver dummy("dummy");
    SUBCASE("close") {
        KioskFixture f;
        startReading(f);
        REQUIRE(f.k->readAloud().playing());
        f.tap("bar.leave");
        CHECK(f.screen() == Screen::Welcome);
        CHECK_FALSE(f.k->readAloud().speaking());
        CHECK_FALSE(f.k->readAloud().playing());
        CHECK(f.k->readAloud().sentenceIndex() == -1);
    }
    SUBCASE("back") {
        KioskFixture f;
        startReading(f);
        REQUIRE(f.k->readAloud().playing());
        f.tap("bar.back");
        CHECK(f.screen() != Screen::Topic);
        CHECK_FALSE(f.k->readAloud().playing());
        CHECK_FALSE(f.k->readAloud().sentence());
    }
    SUBCASE("idle countdown") {
        KioskFixture f;
        startReading(f);
        REQUIRE(f.k->readAloud().playing());
        f.k->setIdleClockForTest(f.k->options().idleSeconds + 1);
        f.k->tick();
        CHECK_FALSE(f.k->readAloud().speaking());
        CHECK_FALSE(f.k->readAloud().playing());
        CHECK_FALSE(f.k->readAloud().sentence());
    }
    SUBCASE("a block the worker finishes after Stop is never heard") {
        KioskFixture f;
        f.tap("lang.en");
        f.k->openTopic("safe_work");
        f.ui->frames(2);
        f.tap("topic.read_aloud");
        f.tap("topic.stop_reading"); // before the worker's results reached the UI thread
        f.k->waitForWorker();
        f.settle();
        CHECK_FALSE(f.k->readAloud().playing());
        CHECK(f.ui->visible("topic.read_aloud"));
    }
}

TEST_CASE("read aloud: the sentence being heard has a band behind it, the page scrolls to it, the band moves on") {
    AudioDriver dummy("dummy");
    KioskFixture f(5, 1280, 560); // a short window: the page is several screens long
    f.tap("lang.en");
    f.k->openTopic("safe_work");
    f.ui->frames(2);
    const ImVec2 middle(640, 330);
    f.ui->wheel(middle, -40); // the visitor scrolled down before tapping Read aloud
    f.ui->frames(2);
    REQUIRE(f.k->topicScrollOffset() > 0);
    CHECK_FALSE(f.ui->visible("topic.reading")); // no band before reading
    f.tap("topic.read_aloud");
    const kiosk::ReadAloud& r = f.k->readAloud();
    const auto until = Clock::now() + std::chrono::seconds(20);
    while (r.sentenceIndex() < 0 && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        f.settle(1);
    }
    f.settle();
    const auto heard = [&r] {
        const auto s = r.sentence();
        return s ? r.texts()[s->block].substr(s->begin, s->end - s->begin) : std::string();
    };
    // The title first: banded, and the page back at its top to show it.
    REQUIRE(r.sentenceIndex() == 0);
    CHECK(heard() == "Safe and healthy work");
    CHECK(f.insideWindow("topic.reading"));
    CHECK(f.k->topicScrollOffset() == 0);
    const ImRect title = f.ui->rect("topic.reading");
    // The third sentence (the paragraph's second), played at the real pace by the dummy driver.
    while (r.sentenceIndex() < 2 && r.speaking() && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        f.settle(1);
    }
    REQUIRE(r.sentenceIndex() == 2);
    f.settle();
    CHECK(heard() == "You do not need an appointment.");
    CHECK(f.insideWindow("topic.reading"));
    CHECK(f.ui->rect("topic.reading").Min.y > title.Max.y);
    // Close: silence, no band, nothing of the page kept.
    f.tap("bar.leave");
    CHECK(r.sentenceIndex() == -1);
    CHECK_FALSE(r.sentence());
    CHECK(r.texts().empty());
}

TEST_CASE("read aloud: a page read to its end scrolls down with the voice") {
    AudioDriver dummy("dummy");
    KioskFixture f(5, 1280, 420);
    f.tap("lang.nl");
    f.k->openTopic("safe_work");
    f.ui->frames(2);
    // A page of one title and many short sentences, spoken in the visitor's language at the real pace.
    const kiosk::ReadAloud& r = f.k->readAloud();
    f.tap("topic.read_aloud");
    const auto until = Clock::now() + std::chrono::seconds(60);
    float lowest = 0;
    while (r.sentenceIndex() < 9 && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        f.settle(1);
        if (r.sentenceIndex() >= 0) {
            CHECK(f.insideWindow("topic.reading")); // every sentence shows while it is heard
            lowest = std::max(lowest, f.k->topicScrollOffset());
        }
    }
    CHECK(r.sentenceIndex() >= 9);
    CHECK(lowest > 100); // the page scrolled down to follow
}

TEST_CASE("read aloud: when the last sentence has been heard, the button reads Read aloud again") {
    AudioDriver dummy("dummy");
    KioskFixture f;
    f.tap("lang.nl");
    f.k->openTopic("safe_work");
    f.ui->frames(2);
    f.k->speak({"Hallo."}); // half a second of speech, played at the real pace by the dummy driver
    f.k->waitForWorker();
    f.settle();
    REQUIRE(f.k->readAloud().speaking());
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (f.k->readAloud().speaking() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        f.settle(1);
    }
    CHECK_FALSE(f.k->readAloud().speaking());
    f.ui->frames(2);
    CHECK(f.ui->visible("topic.read_aloud"));
}

TEST_CASE("read aloud: with no audio device there is no button, and the page reads as before") {
    AudioDriver none("no-such-driver");
    KioskFixture f;
    f.tap("lang.en");
    f.k->openTopic("safe_work");
    f.ui->frames(2);
    CHECK(f.screen() == Screen::Topic);
    CHECK_FALSE(f.ui->visible("topic.read_aloud"));
    CHECK_FALSE(f.k->readAloud().available("en"));
}

TEST_CASE("read aloud: a helper that crashes costs the reading, never the kiosk, the next block starts a new one") {
    AudioDriver dummy("dummy");
    MisbehavingHelper crash("crash");
    KioskFixture f(5, 1280, 800, crash.path);
    startReading(f); // every block's request kills the helper with SIGSEGV
    CHECK(f.screen() == Screen::Topic);
    CHECK(f.k->readAloud().noSound());
    CHECK_FALSE(f.k->readAloud().playing());
    CHECK_FALSE(f.k->readAloud().speaking());
    CHECK(f.k->readAloud().process().starts() >= 2); // one for the languages, then a fresh one after each crash
    f.ui->frames(2);
    CHECK(f.ui->visible("topic.read_aloud")); // ready to try again
    f.tap("bar.back");
    CHECK_FALSE(f.k->readAloud().noSound()); // the note belongs to the page it was read on
}

TEST_CASE("read aloud: a helper that hangs never holds the kiosk: Stop and Close end the wait at once") {
    AudioDriver dummy("dummy");
    MisbehavingHelper hang("hang");
    for (const char* how : {"topic.stop_reading", "bar.leave"}) {
        CAPTURE(how);
        KioskFixture f(5, 1280, 800, hang.path);
        f.tap("lang.en");
        f.k->openTopic("safe_work");
        f.ui->frames(2);
        f.tap("topic.read_aloud"); // the worker now waits for an answer that never comes
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const auto start = Clock::now();
        f.tap(how);
        f.k->waitForWorker();
        CHECK(secondsSince(start) < 2.0); // the deadline would be 5 s or more per block
        f.settle();
        CHECK_FALSE(f.k->readAloud().speaking());
        CHECK_FALSE(f.k->readAloud().noSound()); // stopped by the visitor: nothing to report
    }
}

TEST_CASE("read aloud: the kiosk starts without waiting for espeak-ng, the voices arrive from the worker") {
    AudioDriver dummy("dummy");
    MisbehavingHelper mute("mute"); // never answers which voices it has
    test::TempStore store;
    ui::App app(ui::AppOptions{"test", 1280, 800, false, true});
    kiosk::KioskOptions o;
    o.store = store.data;
    o.root = core::resourceRoot();
    o.speakHelper = mute.path;
    auto started = Clock::now();
    auto k = std::make_unique<kiosk::Kiosk>(app, o);
    const double took = secondsSince(started);
    CHECK(took < 4.0); // the helper's 5-second timeout was spent on the UI thread before
    CHECK_FALSE(k->readAloud().available("en"));
    k->waitForWorker(); // the worker gives up on the mute helper: no voices, no button
    CHECK_FALSE(k->readAloud().available("en"));
    k.reset();
    // The real helper: no voice at first, every language once the worker has the answer.
    o.speakHelper.clear();
    k = std::make_unique<kiosk::Kiosk>(app, o);
    k->waitForWorker();
    CHECK(k->readAloud().available("th"));
    MESSAGE("kiosk start " << took << " s with a mute helper");
}

TEST_CASE("read aloud follows the desk's settings: off hides the button and silences it, volume and speed reach it") {
    AudioDriver dummy("dummy");
    KioskFixture f;
    startReading(f);
    REQUIRE(f.k->readAloud().speaking());
    const core::SiteSettings file = f.k->site();
    const auto set = [&f, &file](std::string_view key, const std::string& value) {
        core::Store s = f.store.open();
        core::setSiteFact(s, core::Actor::cli(), file, key, value);
    };
    set(core::kReadAloudKey, "off");
    f.k->refreshNow();
    f.settle();
    CHECK_FALSE(f.k->readAloud().speaking());
    CHECK_FALSE(f.k->readAloud().playing());
    CHECK_FALSE(f.ui->visible("topic.read_aloud"));
    CHECK_FALSE(f.ui->visible("topic.stop_reading"));
    set(core::kReadAloudKey, "on");
    set(core::kReadAloudVolumeKey, "30");
    set(core::kReadAloudSpeedKey, "150");
    f.k->refreshNow();
    f.settle();
    CHECK(f.ui->visible("topic.read_aloud"));
    CHECK(f.k->readAloud().volume() == 30);
    CHECK(f.k->readAloud().speed() == 150);
}

TEST_CASE("the welcome screen says Choose your language aloud only when the site turns it on") {
    AudioDriver dummy("dummy");
    KioskFixture f;
    REQUIRE(f.screen() == Screen::Welcome);
    f.k->tick();
    f.k->waitForWorker();
    CHECK_FALSE(f.k->readAloud().speaking()); // off by default: the room is shared
    {
        core::Store s = f.store.open();
        core::setSiteFact(s, core::Actor::cli(), f.k->site(), core::kSpokenGreetingKey, "on");
    }
    f.k->refreshNow();
    // Each language of the cycle in its own voice, once while it shows.
    std::set<std::string> said;
    const auto until = Clock::now() + std::chrono::seconds(8);
    while (said.size() < 3 && Clock::now() < until) {
        f.k->tick();
        if (f.k->readAloud().speaking() && !f.k->readAloud().texts().empty()) said.insert(f.k->readAloud().texts()[0]);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(said.size() >= 3); // the cycle moves on every 2.5 s
    std::set<std::string> greetings;
    for (std::string_view lang : core::kLanguages) greetings.insert(f.k->messages().tr(lang, "welcome.choose_language"));
    for (const std::string& text : said) CHECK(greetings.count(text) == 1);
    f.tap("lang.en"); // a visitor: the greeting stops
    CHECK_FALSE(f.k->readAloud().speaking());
    f.k->tick();
    CHECK_FALSE(f.k->readAloud().speaking());
}

TEST_CASE("speech process: the real helper speaks like the library, a missing or mute helper means no voices") {
    SUBCASE("the real helper") {
        core::speech::SpeechProcess p(core::helperProgram("inloop-speak"));
        const std::vector<std::string> langs = p.languages();
        CHECK(langs == std::vector<std::string>(core::kLanguages.begin(), core::kLanguages.end()));
        const auto audio = p.synthesize("Welkom. Hoe gaat het?", "nl");
        REQUIRE(audio);
        CHECK(audio->sampleRate == 22050);
        CHECK(audio->seconds() > 0.5);
        REQUIRE(audio->sentences.size() == 2);
        CHECK(audio->sentences[1].textOffset == 8);
        CHECK_FALSE(p.synthesize("Hallo.", "xx")); // no such voice: no sound, and the helper lives on
        CHECK(p.synthesize("Hallo.", "nl"));
        CHECK(p.starts() == 1);
        std::atomic<bool> cancelled{true};
        CHECK_FALSE(p.synthesize("Hallo.", "nl", &cancelled)); // cancelled: the helper is stopped…
        CHECK(p.synthesize("Hallo.", "nl"));                   // …and a new one answers the next request
        CHECK(p.starts() == 2);
        // The desk's speed: half as fast again is about two thirds as long.
        const std::string text = "Welkom bij de inloop. Hier krijg je gratis informatie en advies.";
        const auto normal = p.synthesize(text, "nl"), fast = p.synthesize(text, "nl", nullptr, 150);
        REQUIRE(normal);
        REQUIRE(fast);
        CHECK(fast->seconds() < normal->seconds() * 0.8);
        CHECK(fast->seconds() > normal->seconds() * 0.5);
    }
    SUBCASE("missing") {
        core::speech::SpeechProcess p("/nonexistent/inloop-speak");
        CHECK(p.languages().empty());
        CHECK_FALSE(p.synthesize("Hallo.", "nl"));
    }
    SUBCASE("mute: the kiosk's start waits no longer than the timeout") {
        MisbehavingHelper mute("mute");
        core::speech::SpeechProcess p(mute.path);
        const auto start = Clock::now();
        CHECK(p.languages(std::chrono::milliseconds(300)).empty());
        CHECK(secondsSince(start) < 1.5);
    }
}

TEST_CASE("read aloud beside Confirm and beside Done at 150 % in every language, landscape and portrait: both whole") {
    AudioDriver dummy("dummy");
    for (const auto& [w, h] : {std::pair{1280, 800}, std::pair{1080, 1920}}) {
        KioskFixture f(5, w, h);
        f.k->waitForWorker(); // the voices
        for (std::string_view lang : core::kLanguages) {
            for (const auto& [screen, button, action] : {std::tuple{Screen::RegisterConfirm, "register.read_aloud", "register.confirm"},
                                                       std::tuple{Screen::Ticket, "ticket.read_aloud", "ticket.done"}}) {
                CAPTURE(w);
                CAPTURE(lang);
                CAPTURE(action);
                kiosk::Visit& v = f.visit();
                v.lang = std::string(lang);
                v.screen = screen;
                v.textStep = 2;
                v.session = f.k->view().sessions.front();
                v.ticket = core::Ticket{0, "S27"};
                f.settle(2);
                REQUIRE(f.k->readAloud().available(std::string(lang)));
                CHECK(f.insideWindow(button));
                CHECK(f.insideWindow(action));
                CHECK_FALSE(f.ui->rect(button).Overlaps(f.ui->rect(action)));
            }
        }
    }
}

TEST_CASE("read aloud: the ticket reads its code as letter and number, when and where, the hours list every hour") {
    AudioDriver dummy("dummy");
    SUBCASE("the confirmation before it: what, when and where, never the typed name") {
        KioskFixture f;
        f.startRegistration("en");
        f.taps({"key.M", "key.I", "key.R", "key.A"});
        f.tap("register.next");
        REQUIRE(f.screen() == Screen::RegisterConfirm);
        f.tap("register.read_aloud");
        f.k->waitForWorker();
        f.settle();
        CHECK(f.k->readAloud().playing());
        const std::vector<std::string> texts = f.k->readAloud().texts();
        REQUIRE(texts.size() == 3);
        CHECK(texts[0] == f.k->tr("register.confirm_title"));
        for (const std::string& t : texts) CHECK(t.find("Mira") == std::string::npos);
        const auto until = Clock::now() + std::chrono::seconds(20);
        std::set<size_t> banded;
        while (Clock::now() < until && f.k->readAloud().speaking()) {
            if (const auto heard = f.k->readAloud().sentence()) {
                f.settle(1);
                if (f.ui->visible("register.reading")) banded.insert(heard->block);
                if (heard->block >= 2 && banded.count(2)) {
                    // The band behind time and place, to look at: test-output/kiosk/register-reading.png
                    const std::filesystem::path out = std::filesystem::path(INLOOP_TEST_OUTPUT_DIR) / "kiosk";
                    std::filesystem::create_directories(out);
                    CHECK(f.app.savePng(out / "register-reading.png"));
                    break;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            f.settle(1);
        }
        CHECK(banded == std::set<size_t>{1, 2}); // the service, then its time and place; the question has none
        f.tap("register.stop_reading");
        f.settle();
        CHECK_FALSE(f.k->readAloud().speaking());
        CHECK_FALSE(f.ui->visible("register.reading"));
        CHECK(f.ui->visible("register.confirm")); // beside it, still there
    }
    SUBCASE("ticket") {
        KioskFixture f;
        f.startRegistration("en");
        f.tap("register.next");
        f.confirm();
        REQUIRE(f.screen() == Screen::Ticket);
        const std::string code = f.visit().ticket->code;
        f.tap("ticket.read_aloud");
        f.k->waitForWorker();
        f.settle();
        CHECK(f.k->readAloud().playing());
        CHECK(f.ui->visible("ticket.stop_reading"));
        const auto& texts = f.k->readAloud().texts();
        REQUIRE(texts.size() == 4);
        CHECK(texts[0] == f.k->tr("ticket.title") + ", " + code);
        // "A23" reaches espeak as "A, 23"; the session's 10:00–11:00 as "10 a.m. to 11 a.m."
        CHECK(core::speech::spokenText(texts[0], "en").ends_with(code.substr(0, 1) + ", " + code.substr(1)));
        CHECK(texts[2].find("10:00") != std::string::npos);
        CHECK(core::speech::spokenText(texts[2], "en").find("10 a.m. to 11 a.m.") != std::string::npos);
        // The band moves from the code's card to the paragraphs below it as they are heard.
        const auto until = Clock::now() + std::chrono::seconds(20);
        std::set<size_t> blocksSeen;
        while (Clock::now() < until && f.k->readAloud().speaking()) {
            if (const auto heard = f.k->readAloud().sentence()) {
                f.settle(1);
                if (f.ui->visible("ticket.reading")) blocksSeen.insert(heard->block);
                if (heard->block >= 2) break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            f.settle(1);
        }
        REQUIRE_FALSE(blocksSeen.empty()); // the band was drawn at all
        CHECK(blocksSeen.count(0) == 1);
        CHECK(*blocksSeen.rbegin() >= 1);
        CHECK(f.insideWindow("ticket.reading"));
        f.tap("ticket.stop_reading");
        f.settle();
        CHECK_FALSE(f.ui->visible("ticket.reading"));
    }
    SUBCASE("hours") {
        KioskFixture f;
        f.tap("lang.nl");
        f.tap("home.register");
        REQUIRE(f.screen() == Screen::Hours);
        f.tap("hours.read_aloud");
        f.k->waitForWorker();
        f.settle();
        CHECK(f.k->readAloud().playing());
        const auto& texts = f.k->readAloud().texts();
        REQUIRE(texts.size() == 1 + f.k->view().sessions.size());
        CHECK(texts[0] == f.k->tr("hours.title"));
        CHECK(core::speech::spokenText(texts[1], "nl").find("10 uur tot 11 uur") != std::string::npos);
        // The title first, no card marked; then the hour's card, marked while it is read.
        CHECK_FALSE(f.ui->visible("hours.reading"));
        const auto until = Clock::now() + std::chrono::seconds(10);
        while (f.k->readAloud().sentence().value_or(kiosk::ReadAloud::Sentence{}).block < 1 && Clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            f.settle(1);
        }
        f.settle();
        REQUIRE(f.k->readAloud().sentence());
        CHECK(f.k->readAloud().sentence()->block == 1);
        CHECK(f.insideWindow("hours.reading"));
        f.tap("bar.back");
        CHECK_FALSE(f.k->readAloud().speaking());
    }
}
}
