// Touch and sight: drag-to-scroll with momentum, the text size button, and every tile inside the window in both orientations.
#include "kiosk_fixture.hpp"

#include <utility>

using namespace inloop;
using test::KioskFixture;
using kiosk::Screen;

TEST_SUITE("kiosk") {

TEST_CASE("dragging a long page scrolls it and it glides on after the finger lifts") {
    KioskFixture f;
    f.tap("lang.en");
    f.taps({"bar.text_size", "bar.text_size"});
    f.settle();
    REQUIRE(f.visit().textStep == 2);
    f.tap("home.information");
    f.tap("topic.exploitation");
    REQUIRE(f.screen() == Screen::Topic);
    f.ui->frames(2);
    CHECK(f.k->topicScrollOffset() == 0);

    const float x = static_cast<float>(f.app.width()) * 0.5f;
    f.ui->drag(ImVec2(x, static_cast<float>(f.app.height()) * 0.8f), -400, 8);
    const float atRelease = f.k->topicScrollOffset();
    CHECK(atRelease > 250);
    f.ui->frames(6);
    CHECK(f.k->topicScrollOffset() > atRelease);
    // Dragging down brings the page back to its top, and no further.
    f.ui->drag(ImVec2(x, static_cast<float>(f.app.height()) * 0.2f), 3000, 10);
    f.ui->frames(20);
    CHECK(f.k->topicScrollOffset() == 0);
    CHECK(f.screen() == Screen::Topic);
}

TEST_CASE("the text size button cycles 100 - 125 - 150 percent and the letters grow") {
    KioskFixture f;
    f.tap("lang.en");
    ui::Fonts& fonts = ui::fonts();
    const float body0 = fonts.body->FontSize, title0 = fonts.title->FontSize;
    CHECK(f.visit().textStep == 0);

    f.tap("bar.text_size");
    f.settle();
    CHECK(f.visit().textStep == 1);
    const float body1 = fonts.body->FontSize;
    CHECK(body1 == doctest::Approx(body0 * 1.25f).epsilon(0.05));
    CHECK(fonts.title->FontSize > title0);

    f.tap("bar.text_size");
    f.settle();
    CHECK(f.visit().textStep == 2);
    CHECK(fonts.body->FontSize == doctest::Approx(body0 * 1.5f).epsilon(0.05));
    CHECK(fonts.body->FontSize > body1);
    CHECK(f.insideWindow("bar.text_size"));
    CHECK(f.insideWindow("bar.leave"));

    f.tap("bar.text_size");
    f.settle();
    CHECK(f.visit().textStep == 0);
    CHECK(fonts.body->FontSize == doctest::Approx(body0));
    CHECK(fonts.title->FontSize == doctest::Approx(title0));
    CHECK(f.screen() == Screen::Home); // changing the size does not change the screen
}

namespace {
const std::pair<int, int> kWindowSizes[] = {{1080, 1920}, {1920, 1080}, {1280, 800}};

// Puts the visitor on `screen` at text size `step` (fonts rebuilt as the app loop would) and draws it.
void show(KioskFixture& f, Screen screen, int step) {
    kiosk::Visit& v = f.visit();
    v.lang = "en";
    v.screen = screen;
    v.textStep = step;
    v.session = f.k->view().sessions.front();
    f.settle(2);
    REQUIRE(f.screen() == screen);
}
} // namespace

TEST_CASE("portrait and landscape: the language tiles and home tiles lie wholly inside the window") {
    const char* homeTiles[] = {"home.information", "home.register", "home.today",
                               "home.shelter",     "home.help_now", "home.privacy"};
    for (const auto& [w, h] : kWindowSizes) {
        CAPTURE(w);
        CAPTURE(h);
        KioskFixture f(5, w, h);
        for (std::string_view lang : core::kLanguages) {
            const std::string id = "lang." + std::string(lang);
            CAPTURE(id);
            CHECK(f.insideWindow(id));
        }
        for (int step = 0; step < 3; ++step) {
            CAPTURE(step);
            show(f, Screen::Home, step);
            for (const char* id : homeTiles) {
                CAPTURE(id);
                CHECK(f.insideWindow(id));
            }
            // Tiles do not overlap.
            for (const char* a : homeTiles)
                for (const char* b : homeTiles)
                    if (std::string_view(a) < std::string_view(b)) {
                        CAPTURE(a);
                        CAPTURE(b);
                        CHECK_FALSE(f.ui->rect(a).Overlaps(f.ui->rect(b)));
                    }
            CHECK(f.insideWindow("bar.text_size"));
            CHECK(f.insideWindow("bar.leave"));
        }
    }
}

TEST_CASE("portrait and landscape at every text size: topic tiles and the whole keyboard are on screen") {
    const char* keys[] = {"key.Q", "key.P", "key.A", "key.Z", "key.'", "key.Á", "key.Ű",
                          "key.layout", "key.space", "key.backspace", "register.next"};
    for (const auto& [w, h] : kWindowSizes) {
        KioskFixture f(5, w, h);
        for (int step = 0; step < 3; ++step) {
            CAPTURE(w);
            CAPTURE(h);
            CAPTURE(step);
            show(f, Screen::Topics, step);
            for (std::string_view topic : core::kTopics) {
                const std::string id = "topic." + std::string(topic);
                CAPTURE(id);
                CHECK(f.insideWindow(id));
            }
            show(f, Screen::RegisterName, step);
            for (const char* id : keys) {
                CAPTURE(id);
                CHECK(f.insideWindow(id));
            }
        }
    }
}

} // TEST_SUITE
