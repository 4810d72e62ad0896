// The kiosk's data under stress: two kiosks racing for the last place, and public.db going bad while it runs.
#include "kiosk_fixture.hpp"

#include <imgui_internal.h>

#include <fstream>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

using namespace inloop;
using test::KioskFixture;
using kiosk::Screen;

namespace {

// Whether a window of this name was drawn in the last frame.
bool windowShown(const char* name) {
    const ImGuiWindow* w = ImGui::FindWindowByName(name);
    return w && w->Active;
}

// Overwrites a file with random bytes in place (the same inode: open connections read the garbage).
void scramble(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) return;
    const auto size = std::filesystem::file_size(file);
    std::mt19937 rng(46);
    std::string junk(size, '\0');
    for (char& c : junk) c = static_cast<char>(rng() & 0xff);
    std::fstream out(file, std::ios::binary | std::ios::in | std::ios::out);
    out.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

// Child process: open a kiosk-side store, say "ready", wait for "go", try to register. No doctest here.
[[noreturn]] void racer(const std::filesystem::path& data, int64_t session, int readyFd, int goFd) {
    int code = 9;
    try {
        core::Store s = core::Store::open(data, core::Store::Access::Kiosk);
        char c = 'r';
        if (::write(readyFd, &c, 1) != 1) ::_exit(8);
        if (::read(goFd, &c, 1) < 0) ::_exit(8); // returns 0 when the parent closes its end: everyone goes at once
        core::registerForSession(s, core::Actor::kiosk(), session, core::RegistrationSource::Kiosk, "en");
        code = 0;
    } catch (const core::Error& e) {
        code = e.kind() == core::ErrorKind::Full ? 1 : 2;
    } catch (...) {
        code = 3;
    }
    ::_exit(code);
}

} // namespace

TEST_SUITE("kiosk") {

TEST_CASE("two kiosk processes race for the last place: exactly one ticket - the other hears Full") {
    test::TempStore store;
    const std::string day = test::nextOpenDay();
    for (int round = 0; round < 4; ++round) {
        CAPTURE(round);
        int64_t session = 0;
        {
            core::Store s = store.open();
            session = test::addSession(s, day, 8 * 60 + round * 70, 2);
            core::registerForSession(s, core::Actor::cli(), session, core::RegistrationSource::Desk); // one left
        }
        int ready[2], go[2];
        REQUIRE(::pipe(ready) == 0);
        REQUIRE(::pipe(go) == 0);
        pid_t pids[2];
        for (pid_t& pid : pids) {
            pid = ::fork();
            REQUIRE(pid >= 0);
            if (pid == 0) {
                ::close(ready[0]);
                ::close(go[1]);
                racer(store.data, session, ready[1], go[0]);
            }
        }
        ::close(ready[1]);
        ::close(go[0]);
        char c = 0;
        for (int i = 0; i < 2; ++i) CHECK(::read(ready[0], &c, 1) == 1);
        ::close(go[1]); // go
        ::close(ready[0]);
        int tickets = 0, full = 0, other = 0;
        for (pid_t pid : pids) {
            int status = 0;
            REQUIRE(::waitpid(pid, &status, 0) == pid);
            const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 100;
            if (code == 0) ++tickets;
            else if (code == 1) ++full;
            else ++other;
        }
        CHECK(tickets == 1);
        CHECK(full == 1);
        CHECK(other == 0);
        core::Store s = store.open(core::Store::Access::Kiosk);
        CHECK(s.db().queryInt("SELECT count(*) FROM registration WHERE session_id = " + std::to_string(session)) == 2);
        CHECK(core::freePlaces(s, session) == 0);
    }
}

TEST_CASE("public.db turns to garbage while the kiosk runs: a banner - frames go on - no ticket") {
    KioskFixture f;
    f.startRegistration("en");
    f.tap("register.next");
    REQUIRE(f.screen() == Screen::RegisterConfirm);
    CHECK_FALSE(f.k->storageProblem());
    CHECK_FALSE(windowShown("###storage"));

    f.k->waitForWorker(); // the kiosk is idle, its connection open, when the file goes bad
    scramble(f.store.paths().publicDb());
    scramble(f.store.paths().publicDb().string() + "-wal");
    scramble(f.store.paths().publicDb().string() + "-shm");
    f.k->refreshNow();
    f.ui->frames(2);
    CHECK(f.k->storageProblem());
    CHECK(windowShown("###storage"));

    f.confirm();
    CHECK_FALSE(f.visit().ticket);
    CHECK(f.screen() != Screen::Ticket);
    CHECK((f.visit().notice == "register.failed" || f.k->storageProblem()));
    CHECK_FALSE(f.visit().registering); // the confirm button works again
    // The kiosk keeps running: the next visitor can still read the pages.
    for (int i = 0; i < 3; ++i) f.settle(1);
    f.tap("bar.leave");
    f.tap("lang.nl");
    f.tap("home.shelter");
    CHECK(f.screen() == Screen::Topic);
    CHECK(windowShown("###storage"));
}

TEST_CASE("a kiosk that starts on a damaged public.db shows the banner and still lets visitors read") {
    test::TempStore store;
    const std::string day = test::nextOpenDay();
    {
        core::Store s = store.open();
        test::addSession(s, day, 10 * 60, 3);
    }
    scramble(store.paths().publicDb());
    scramble(store.paths().publicDb().string() + "-wal");
    ui::App app(ui::AppOptions{"test", 1280, 800, false, true});
    kiosk::KioskOptions o;
    o.store = store.data;
    o.root = core::resourceRoot();
    kiosk::Kiosk k(app, o);
    k.refreshNow();
    test::UiHarness h(app, [&] { k.frame(); });
    h.frames(2);
    CHECK(k.storageProblem());
    CHECK(windowShown("###storage"));
    CHECK(k.view().sessions.empty());
    REQUIRE(h.tap("lang.en"));
    REQUIRE(h.tap("home.register"));
    CHECK(k.visit().screen == Screen::Hours);
    REQUIRE(h.tap("bar.back"));
    REQUIRE(h.tap("home.information"));
    REQUIRE(h.tap("topic.money"));
    CHECK(k.visit().screen == Screen::Topic);
    h.frames(2);
    CHECK(windowShown("###storage"));
}

} // TEST_SUITE
