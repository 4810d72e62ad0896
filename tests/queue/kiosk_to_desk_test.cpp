// A desk and a kiosk on one PostgreSQL store (issue 20): a visitor taps through the kiosk's screens to a ticket,
// and the desk's queue view, open on that day, shows the registration within a second: the change feed tells the
// desk (its polling safety net is 5 s on a server). Two processes, as two machines: the kiosk is a forked child
// (one ui::App per process), made before the desk's window and told the store's location through a pipe.
// The PostgreSQL run only.
#include "desk/desk_fixture.hpp"
#include "kiosk/kiosk_fixture.hpp"
#include "store/process.hpp"

#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>
#include <utility>

using namespace inloop;
using namespace inloop::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock; // CLOCK_MONOTONIC: the same clock in the child

namespace {

// What the kiosk answers: the ticket it showed and when its worker acknowledged the registration.
struct KioskAnswer {
    int64_t registrationId = 0;
    int64_t ackedNs = 0;
    char ticket[16] = {};
};

void writeAll(int fd, const void* data, size_t size) {
    if (::write(fd, data, size) != static_cast<ssize_t>(size)) throw std::runtime_error("pipe write failed");
}
bool readAll(int fd, void* data, size_t size) {
    auto* p = static_cast<char*>(data);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n <= 0) return false;
        p += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}
void writeText(int fd, const std::string& text) {
    const uint32_t n = static_cast<uint32_t>(text.size());
    writeAll(fd, &n, sizeof n);
    writeAll(fd, text.data(), n);
}
std::string readText(int fd) {
    uint32_t n = 0;
    if (!readAll(fd, &n, sizeof n)) throw std::runtime_error("pipe closed");
    std::string text(n, '\0');
    if (!readAll(fd, text.data(), n)) throw std::runtime_error("pipe closed");
    return text;
}

// The kiosk machine: waits for the store and the session, signs a visitor up without a name, answers with the
// ticket, and stays until the desk has looked.
void kioskMachine(int in, int out) {
    const std::string dataDir = readText(in), server = readText(in);
    const int64_t session = std::stoll(readText(in));
    KioskScreen kiosk(core::StoreLocation{dataDir, server}, 1280, 800);
    kiosk.startRegistrationFor(session, "en");
    kiosk.tap("register.next");
    kiosk.confirm();
    if (kiosk.screen() != kiosk::Screen::Ticket || !kiosk.visit().ticket) throw std::runtime_error("no ticket shown");
    KioskAnswer a;
    a.ackedNs = Clock::now().time_since_epoch().count();
    a.registrationId = kiosk.visit().ticket->registrationId;
    std::snprintf(a.ticket, sizeof a.ticket, "%s", kiosk.visit().ticket->code.c_str());
    writeAll(out, &a, sizeof a);
    char done = 0;
    readAll(in, &done, 1);
}

// The kiosk machine as a child process with a pipe each way; it is waited for when the test ends either way
// (closing the pipe to it ends its wait).
struct KioskProcess {
    int to = -1, from = -1;
    pid_t pid = -1;
    KioskProcess() {
        int down[2], up[2];
        if (::pipe(down) != 0 || ::pipe(up) != 0) throw std::runtime_error("pipe failed");
        pid = forkChild([&] {
            ::close(down[1]);
            ::close(up[0]);
            kioskMachine(down[0], up[1]);
        });
        ::close(down[0]);
        ::close(up[1]);
        to = down[1];
        from = up[0];
        if (pid < 0) throw std::runtime_error("fork failed");
    }
    ~KioskProcess() { finish(); }
    KioskProcess(const KioskProcess&) = delete;
    KioskProcess& operator=(const KioskProcess&) = delete;
    int finish() {
        if (to >= 0) ::close(std::exchange(to, -1));
        if (from >= 0) ::close(std::exchange(from, -1));
        return pid > 0 ? waitExit(std::exchange(pid, -1)) : -1;
    }
};

} // namespace

TEST_SUITE("postgres") {

TEST_CASE("a visitor signs up at the kiosk and the desk's queue on another machine shows her within a second") {
    KioskProcess kiosk;
    {
        DeskFixture f;
        const std::string day = nextOpenDay();
        int64_t session = 0;
        {
            core::Store s = f.open();
            session = addSession(s, day, 10 * 60, 5);
        }
        f.signInAs(f.anna);
        f.d->go(desk::View::Queue);
        f.views().queue.setDay(*f.d, day);
        f.settle();
        const auto entriesOfSession = [&]() -> const std::vector<core::QueueEntry>* {
            for (const auto& qs : f.views().queue.data().sessions)
                if (qs.session.id == session) return &qs.entries;
            return nullptr;
        };
        REQUIRE(entriesOfSession());
        REQUIRE(entriesOfSession()->empty());

        writeText(kiosk.to, f.store.location.dataDir.string());
        writeText(kiosk.to, f.store.location.server);
        writeText(kiosk.to, std::to_string(session));
        KioskAnswer a;
        REQUIRE_MESSAGE(readAll(kiosk.from, &a, sizeof a), "the kiosk showed no ticket");
        const Clock::time_point acked{Clock::duration(a.ackedNs)};
        // The desk as its loop runs it: a tick and a frame every 20 ms, nothing else asking it to reload.
        bool shown = false;
        while (!shown && Clock::now() - acked < 3s) {
            f.settle(1);
            const auto* entries = entriesOfSession();
            shown = entries && entries->size() == 1 && entries->front().ticket == a.ticket &&
                    f.ui->visible("queue.call." + std::to_string(a.registrationId));
            if (!shown) std::this_thread::sleep_for(20ms);
        }
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - acked).count();
        MESSAGE("ticket " << a.ticket << " in the desk's queue " << ms << " ms after the kiosk showed it");
        REQUIRE(shown);
        CHECK(ms < 1000);
        CHECK(entriesOfSession()->front().source == "kiosk");
        CHECK(entriesOfSession()->front().status == "waiting");
        const char done = 1;
        writeAll(kiosk.to, &done, 1);
    }
    CHECK(kiosk.finish() == 0);
}

} // TEST_SUITE
