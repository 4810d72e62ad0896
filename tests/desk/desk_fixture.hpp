// Shared set-up of the front-desk tests: a store with staff, an offscreen desk with a harness, and small helpers.
#pragma once

#include "support/check_error.hpp"
#include "support/temp_store.hpp"
#include "support/ui_harness.hpp"

#include "core/base/clock.hpp"
#include "core/views/desk_view.hpp"
#include "core/domain/domain.hpp"
#include "core/i18n/i18n_check.hpp"
#include "desk.hpp"
#include "views.hpp"

#include <SDL.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace inloop::test {

inline constexpr const char* kCoordinatorPin = "4646";
inline constexpr const char* kDeskPin = "1357";

inline int64_t countOf(core::Store& s, const std::string& sql) { return s.db().queryInt(sql); }

// A seeded supply item by code.
inline int64_t itemId(core::Store& s, std::string_view code) {
    const auto id = core::findSupplyItem(s, code);
    REQUIRE(id);
    return *id;
}

inline int64_t deliver(core::Store& s, int64_t item, int64_t qty) {
    core::StockChange d;
    d.itemId = item;
    d.kind = core::StockKind::Delivery;
    d.quantity = qty;
    return core::moveStock(s, core::Actor::cli(), d);
}

// Today's count of a channel as the desk shows it (undone contacts not counted).
inline int todayCount(core::Store& s, const std::string& channel = "walk_in") {
    const auto today = core::loadToday(s, core::localDay(core::nowUnix()));
    const auto it = today.counts.find(channel);
    return it == today.counts.end() ? 0 : it->second;
}

// The audit rows about one record, newest first.
inline std::vector<core::AuditRow> auditOf(core::Store& s, std::string_view entity, int64_t recordId) {
    std::vector<core::AuditRow> out;
    for (auto& r : core::loadAudit(s, 1000))
        if (r.entity == entity && r.recordId == recordId) out.push_back(std::move(r));
    return out;
}

// A data folder with the site defaults and a first coordinator, Anna (PIN 4646): the domain tests' store.
struct StaffedStore {
    TempStore temp;
    core::Store s = temp.open();
    int64_t anna = core::addStaff(s, core::Actor::system(), "Anna", core::Role::Coordinator, kCoordinatorPin);
    core::Actor annaActor() const { return core::Actor::staff(anna); }
    // A desk-role colleague, Bo (PIN 1357), added by Anna.
    int64_t addBo() { return core::addStaff(s, annaActor(), "Bo", core::Role::Desk, kDeskPin); }
};

// An offscreen front desk on a fresh, stocked store with Anna (coordinator) and, if asked, Bo (desk role).
struct DeskFixture {
    TempStore store;
    int64_t anna = 0, bo = 0;
    ui::App app;
    std::unique_ptr<desk::Desk> d;
    std::unique_ptr<UiHarness> ui;

    // newSite: the data folder as `inloopctl init` leaves it (no staff, nothing in stock): the desk's first run.
    explicit DeskFixture(bool withBo = false, int lockSeconds = 300, bool newSite = false)
        : app(ui::AppOptions{"t", 1280, 800, false, true}) {
        if (!newSite) {
            core::Store s = store.open();
            anna = core::addStaff(s, core::Actor::system(), "Anna", core::Role::Coordinator, kCoordinatorPin);
            if (withBo) bo = core::addStaff(s, core::Actor::staff(anna), "Bo", core::Role::Desk, kDeskPin);
            // A stocked site: every item 20 above its minimum, so no low-stock warnings crowd the side panel.
            for (const auto& item : core::loadStock(s)) deliver(s, item.id, item.minStock + 20);
        }
        desk::DeskOptions o;
        o.store = store.location;
        o.root = core::resourceRoot();
        o.lockSeconds = lockSeconds;
        o.lang = "en";
        d = std::make_unique<desk::Desk>(app, o);
        ui = std::make_unique<UiHarness>(app, [this] { d->frame(); });
        settle();
    }
    ~DeskFixture() {
        ui.reset();
        d.reset(); // the desk (and its worker) go before the app
    }
    DeskFixture(const DeskFixture&) = delete;
    DeskFixture& operator=(const DeskFixture&) = delete;

    desk::Views& views() { return d->views(); }
    core::Store open() const { return store.open(); }
    int64_t deskInt(const std::string& sql) const {
        core::Store s = store.open();
        return s.db().queryInt(sql);
    }
    std::string deskText(const std::string& sql) const {
        core::Store s = store.open();
        return s.db().queryText(sql);
    }

    // What the app loop does between frames: worker results and timers; then draws.
    void settle(int frames = 2) {
        d->tick();
        d->waitForWorker();
        ui->frames(frames);
        d->waitForWorker();
        ui->frames(1);
    }
    // A tap that must land: the widget is on screen.
    void tap(const std::string& id) { REQUIRE_MESSAGE(ui->tap(id), "no widget " << id); }
    // Signs in without the pad (the sign-in view is tested on its own).
    void signInAs(int64_t staffId) {
        core::Store s = store.open();
        const auto who = core::findStaff(s, staffId);
        REQUIRE(who);
        d->signedIn(*who);
        settle();
        REQUIRE(d->user());
    }
    // Picks a name on the sign-in screen and types the PIN on the pad.
    void padSignIn(int64_t staffId, const std::string& pin) {
        if (ui->visible("signin.staff." + std::to_string(staffId))) tap("signin.staff." + std::to_string(staffId));
        for (char c : pin) tap(std::string("pin.") + c);
        tap("pin.ok");
        settle();
    }
    // One key press (down for a frame, then up), as the SDL backend would report it.
    void press(int scancode, bool ctrl = false) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeysDown[scancode] = true;
        io.KeyCtrl = ctrl;
        ui->frames(1);
        io.KeysDown[scancode] = false;
        io.KeyCtrl = false;
        ui->frames(1);
        app.markActivity();
    }
    // The one contact the desk lists with this id (REQUIREs it).
    core::ContactRow row(int64_t id) {
        for (const auto& r : d->today().contacts)
            if (r.id == id) return r;
        FAIL("contact " << id << " is not in today's list");
        return {};
    }
    int64_t newestContactId() const {
        return deskInt("SELECT coalesce(max(id), 0) FROM contact WHERE reverses IS NULL");
    }
};

} // namespace inloop::test
