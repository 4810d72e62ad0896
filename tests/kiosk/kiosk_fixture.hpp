// Shared set-up of the kiosk UI tests: a data folder with a consultation hour on the next open day, an offscreen kiosk, a harness.
#pragma once

#include "support/temp_store.hpp"
#include "support/ui_harness.hpp"

#include "core/base/clock.hpp"
#include "core/i18n/i18n_check.hpp"
#include "kiosk.hpp"
#include "ui/fonts.hpp"

#include <SDL.h>
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

namespace inloop::test {

// The first day after today that is no Dutch public holiday: its sessions are open whatever the time of day,
// and the kiosk lists it (it shows today and the next 7 days).
inline std::string nextOpenDay() {
    std::string day = core::addDays(core::localDay(core::nowUnix()), 1);
    while (core::isDutchHoliday(day)) day = core::addDays(day, 1);
    return day;
}

// The last day before today that was no Dutch public holiday.
inline std::string lastOpenDay() {
    std::string day = core::addDays(core::localDay(core::nowUnix()), -1);
    while (core::isDutchHoliday(day)) day = core::addDays(day, -1);
    return day;
}

// Creates one session of `service` on `day` from startMin for an hour (through a rule valid on that day only).
inline int64_t addSession(core::Store& s, const std::string& day, int startMin, int capacity,
                          std::string_view service = "sti_test") {
    const auto serviceId = core::findService(s, service);
    REQUIRE(serviceId);
    core::NewRule rule;
    rule.serviceId = *serviceId;
    rule.weekday = core::isoWeekday(day);
    rule.startMin = startMin;
    rule.endMin = startMin + 60;
    rule.capacity = capacity;
    rule.validFrom = day;
    rule.validUntil = day;
    core::addScheduleRule(s, core::Actor::cli(), rule);
    REQUIRE(core::generateSessions(s, day, 1) >= 1);
    const int64_t id = s.db().queryInt("SELECT id FROM session WHERE day = '" + day +
                                       "' AND start_min = " + std::to_string(startMin) +
                                       " AND service_id = " + std::to_string(*serviceId));
    REQUIRE(id > 0);
    return id;
}

// The store of KioskFixture: one open STI-test session on the next open day at 10:00–11:00 with `capacity` places.
// A base of the fixture so that it is made before the kiosk that shows it.
struct KioskStore {
    TempStore store;
    std::string day = nextOpenDay();
    int64_t sessionId = 0;

    explicit KioskStore(int capacity) {
        core::Store s = store.open();
        sessionId = addSession(s, day, 10 * 60, capacity);
    }

    // One value from public.db, read on a kiosk-side connection of its own.
    int64_t publicInt(const std::string& sql) const {
        core::Store s = store.open(core::Store::Access::Kiosk);
        return s.db().queryInt(sql);
    }
    std::string publicText(const std::string& sql) const {
        core::Store s = store.open(core::Store::Access::Kiosk);
        return s.db().queryText(sql);
    }
};

// An offscreen kiosk in a window of width × height on a store (the fixture's own, or one another process set up:
// a desk and a kiosk on one PostgreSQL server), with a harness and the taps the kiosk's UI tests use.
struct KioskScreen {
    ui::App app;
    std::unique_ptr<kiosk::Kiosk> k;
    std::unique_ptr<UiHarness> ui;

    // `speakHelper`: read aloud's helper program (empty: inloop-speak beside the tests).
    KioskScreen(const core::StoreLocation& location, int width, int height, const std::filesystem::path& speakHelper = {})
        : app(ui::AppOptions{"test", width, height, false, true}) {
        kiosk::KioskOptions o;
        o.store = location;
        o.root = core::resourceRoot();
        o.speakHelper = speakHelper;
        k = std::make_unique<kiosk::Kiosk>(app, o);
        k->refreshNow();
        ui = std::make_unique<UiHarness>(app, [this] { k->frame(); });
        ui->onTouch([this] { k->setIdleClockForTest(-1); }); // a touch restarts the idle clock, as in the app
        ui->frames(2);
    }
    ~KioskScreen() {
        ui.reset();
        k.reset(); // the kiosk (and its worker) go before the app
    }
    KioskScreen(const KioskScreen&) = delete;
    KioskScreen& operator=(const KioskScreen&) = delete;

    kiosk::Visit& visit() { return k->visit(); }
    kiosk::Screen screen() { return k->visit().screen; }
    static std::string signUpIdOf(int64_t session) { return "hours.register." + std::to_string(session); }

    // A tap that must land: the widget is on screen.
    void tap(const std::string& id) { REQUIRE_MESSAGE(ui->tap(id), "no widget " << id); }
    void taps(std::initializer_list<const char*> ids) {
        for (const char* id : ids) tap(id);
    }
    // What the app loop does between frames: worker results, timers, font rebuilds; then draws.
    void settle(int frames = 2) {
        k->tick();
        ui->frames(frames);
    }
    // Language, "sign up", the session: the visitor is on the name step.
    void startRegistrationFor(int64_t session, const std::string& lang = "en") {
        tap("lang." + lang);
        tap("home.register");
        tap(signUpIdOf(session));
        REQUIRE(screen() == kiosk::Screen::RegisterName);
    }
    // Taps "confirm" and waits for the worker's answer.
    void confirm() {
        tap("register.confirm");
        k->waitForWorker();
        ui->frames(2);
    }

    // The pixels of the last frame drawn: what a visitor sees.
    std::vector<unsigned char> pixels() {
        std::vector<unsigned char> out(static_cast<size_t>(app.width()) * static_cast<size_t>(app.height()) * 4);
        REQUIRE(SDL_RenderReadPixels(app.renderer(), nullptr, SDL_PIXELFORMAT_ABGR8888, out.data(), app.width() * 4) == 0);
        return out;
    }
    // Whether a widget's rectangle lies wholly inside the window.
    bool insideWindow(const std::string& id) const {
        const ImRect* r = ::inloop::ui::widgetRects().find(id);
        if (!r) return false;
        const float w = static_cast<float>(app.width()), h = static_cast<float>(app.height());
        return r->Min.x >= 0 && r->Min.y >= 0 && r->Max.x <= w && r->Max.y <= h && r->GetWidth() > 0 &&
               r->GetHeight() > 0;
    }
};

// A store with one open STI-test session on the next open day at 10:00–11:00 with `capacity` places, and a kiosk
// showing it in a window of width × height.
struct KioskFixture : KioskStore, KioskScreen {
    // `speakHelper`: read aloud's helper program (empty: inloop-speak beside the tests).
    explicit KioskFixture(int capacity = 5, int width = 1280, int height = 800,
                          const std::filesystem::path& speakHelper = {})
        : KioskStore(capacity), KioskScreen(store.data, width, height, speakHelper) {}

    std::string signUpId(int64_t session = 0) const { return signUpIdOf(session ? session : sessionId); }
    // Language, "sign up", the session (the fixture's unless given): the visitor is on the name step.
    void startRegistration(const std::string& lang = "en", int64_t session = 0) {
        startRegistrationFor(session ? session : sessionId, lang);
    }
};

} // namespace inloop::test
