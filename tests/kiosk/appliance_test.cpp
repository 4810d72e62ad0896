// The kiosk as an appliance (issue 14): a visitor cannot close it, systemd can stop it, and a public.db that is
// replaced or deleted under it is never written through the old descriptor.
#include "kiosk_fixture.hpp"

#include <csignal>
#include <filesystem>
#include <unistd.h>

using namespace inloop;
using test::KioskFixture;
using kiosk::Screen;

namespace {

namespace fs = std::filesystem;

// Registrations in a public.db file read directly (an old inode reached through a hard link, or the new file).
int64_t registrationsIn(const fs::path& file) {
    core::SqliteDatabase db(file, core::SqliteDatabase::Mode::ReadOnly);
    return db.queryInt("SELECT count(*) FROM registration");
}

// The kiosk's public.db, wherever the layout keeps it.
fs::path publicDb(const KioskFixture& f) { return f.store.open(core::Store::Access::Kiosk).paths().publicDb(); }

// Keeps the old file and its WAL reachable under another name (hard links: the same inodes), then removes the
// names, as a careless restore or a `rm` would. What the kiosk writes through old descriptors shows up there.
void keepAndRemove(const fs::path& db, const fs::path& keep) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const fs::path from = db.string() + suffix;
        if (!fs::exists(from)) continue;
        fs::create_hard_link(from, keep.string() + suffix);
        fs::remove(from);
    }
}

// Runs the app loop with `step` called on every tick; a guard quits after many ticks so a failure cannot hang.
int runLoop(ui::App& app, const std::function<void(int)>& step) {
    int ticks = 0;
    app.run([] {}, [&] {
        step(++ticks);
        if (ticks > 200) app.quit();
        return false;
    });
    return ticks;
}

void pushQuit() {
    SDL_Event close{};
    close.type = SDL_WINDOWEVENT;
    close.window.event = SDL_WINDOWEVENT_CLOSE;
    close.window.windowID = 1;
    SDL_PushEvent(&close);
    SDL_Event quit{};
    quit.type = SDL_QUIT; // what SDL sends after a window-manager close (the title bar's X, Alt+F4)
    SDL_PushEvent(&quit);
}

} // namespace

TEST_SUITE("kiosk") {

TEST_CASE("kiosk mode: a close request from the window system is ignored - SIGTERM ends the loop") {
    ui::App app(ui::AppOptions{"test", 640, 480, false, true, /*kioskMode=*/true});
    bool sawClose = false;
    const int ticks = runLoop(app, [&](int tick) {
        if (tick == 1) pushQuit();
        if (tick == 5) {
            sawClose = app.ignoredCloseRequests() == 1;
            std::raise(SIGTERM); // systemd stopping the unit
        }
    });
    CHECK(sawClose);
    CHECK(app.ignoredCloseRequests() == 1);
    CHECK(ui::App::stopRequested());
    CHECK(ticks >= 5);
    CHECK(ticks < 200); // ended by the signal, not by the guard
}

TEST_CASE("without kiosk mode a close request ends the loop (a staff window, a checkout)") {
    ui::App app(ui::AppOptions{"test", 640, 480, false, true});
    const int ticks = runLoop(app, [&](int tick) {
        if (tick == 1) pushQuit();
    });
    CHECK(ticks < 200);
    CHECK(app.ignoredCloseRequests() == 0);
}

TEST_CASE("public.db replaced under a running kiosk (a restore by copying): the registration lands in the new file") {
    KioskFixture f;
    const fs::path db = publicDb(f);
    const fs::path replacement = f.store.dir.path() / "replacement.db";
    {
        core::SqliteDatabase src(db, core::SqliteDatabase::Mode::ReadWrite);
        src.prepare("VACUUM INTO ?").bind(1, replacement.string()).run(); // same sessions, same ids
    }
    f.startRegistration("en");
    f.tap("register.next");
    REQUIRE(f.screen() == Screen::RegisterConfirm);
    f.k->waitForWorker(); // the worker's connection is open on the old file

    const fs::path oldInode = f.store.dir.path() / "old-public.db";
    keepAndRemove(db, oldInode);
    fs::rename(replacement, db);

    f.confirm();
    REQUIRE(f.visit().ticket);
    CHECK(f.screen() == Screen::Ticket);
    CHECK(registrationsIn(db) == 1);
    CHECK(registrationsIn(oldInode) == 0); // nothing went into the replaced file
    CHECK_FALSE(f.k->storageProblem());
}

TEST_CASE("public.db deleted under a running kiosk: the visitor is sent to the desk - nothing written to the old file") {
    KioskFixture f;
    const fs::path db = publicDb(f);
    f.startRegistration("en");
    f.tap("register.next");
    REQUIRE(f.screen() == Screen::RegisterConfirm);
    f.k->waitForWorker();

    const fs::path oldInode = f.store.dir.path() / "old-public.db";
    keepAndRemove(db, oldInode);

    f.confirm();
    CHECK_FALSE(f.visit().ticket);
    CHECK(f.screen() != Screen::Ticket);
    CHECK(f.k->storageProblem()); // the banner: "please ask at the desk", in her language
    CHECK_FALSE(f.visit().registering);
    CHECK(registrationsIn(oldInode) == 0);
    CHECK_FALSE(fs::exists(db)); // and no empty file was made in its place

    // `init` makes a new store: the kiosk finds it by itself within a poll.
    core::Store::init(f.store.data);
    f.k->refreshNow();
    f.settle();
    CHECK_FALSE(f.k->storageProblem());
}

} // TEST_SUITE
