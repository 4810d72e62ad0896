// Tests the queue across processes: a kiosk's registration reaching the desk, and kiosks racing for the last place.
#include "support/temp_store.hpp"

#include "core/views/desk_view.hpp"
#include "core/views/kiosk_view.hpp"
#include "core/views/queue_view.hpp"
#include "store/helpers.hpp"
#include "store/process.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock; // CLOCK_MONOTONIC: the same clock in the child and the parent

int64_t monotonicNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// A pipe whose ends are closed when the object goes (in the parent; a child leaves with _exit).
struct Pipe {
    int fd[2] = {-1, -1};
    Pipe() {
        if (::pipe(fd) != 0) throw std::runtime_error("pipe failed");
    }
    ~Pipe() {
        closeRead();
        closeWrite();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void closeRead() {
        if (fd[0] >= 0) ::close(fd[0]);
        fd[0] = -1;
    }
    void closeWrite() {
        if (fd[1] >= 0) ::close(fd[1]);
        fd[1] = -1;
    }
    void writeAll(const void* data, size_t size) const {
        if (::write(fd[1], data, size) != static_cast<ssize_t>(size)) throw std::runtime_error("pipe write failed");
    }
    void readAll(void* data, size_t size) const {
        auto* p = static_cast<char*>(data);
        while (size > 0) {
            const ssize_t n = ::read(fd[0], p, size);
            if (n <= 0) throw std::runtime_error("pipe read failed");
            p += n;
            size -= static_cast<size_t>(n);
        }
    }
};

// A session of a service on a day, made as a one-off extra session at the desk.
int64_t extraSession(Store& store, std::string_view service, const std::string& day, int startMin, int capacity) {
    const auto id = findService(store, service);
    REQUIRE(id);
    return addExtraSession(store, Actor::cli(), *id, day, startMin, startMin + 120, capacity);
}

int64_t activeRegistrations(Store& store, int64_t session) {
    return count(store, "SELECT count(*) FROM registration WHERE status NOT IN ('cancelled', 'moved') AND session_id = " +
                            std::to_string(session));
}

// What a kiosk child reports after its registration: when it started and finished, and the ticket.
struct CommitReport {
    int64_t beganNs = 0, committedNs = 0;
    char ticket[9] = {};
};

// One kiosk process trying for a place once the parent says go: 'T' ticket, 'F' full, 'X' anything else.
pid_t racer(const TempStore& ts, int64_t session, const Pipe& ready, Pipe& go, const Pipe& results) {
    return forkChild([&ts, session, &ready, &go, &results] {
        go.closeWrite(); // only the parent may hold it, or a dead parent would leave this racer waiting
        Store kiosk = Store::open(ts.location, Store::Access::Kiosk);
        kiosk.db().queryInt("SELECT count(*) FROM session"); // warm up: the schema is read before the race
        ready.writeAll("r", 1);
        char byte = 0;
        go.readAll(&byte, 1);
        char outcome = 'X';
        try {
            registerForSession(kiosk, Actor::kiosk(), session, RegistrationSource::Kiosk, "en");
            outcome = 'T';
        } catch (const Error& e) {
            outcome = e.kind() == ErrorKind::Full && e.key() == "registration.full" ? 'F' : 'X';
        }
        results.writeAll(&outcome, 1);
    });
}

// Runs `racers` kiosk processes against one session at the same moment; returns their outcomes, sorted.
std::string race(const TempStore& ts, int64_t session, int racers) {
    Pipe ready, go, results;
    std::vector<pid_t> pids;
    for (int i = 0; i < racers; ++i) pids.push_back(racer(ts, session, ready, go, results));
    ready.closeWrite(); // a racer that dies then ends the parent's reads instead of hanging them
    results.closeWrite();
    go.closeRead();
    for (pid_t pid : pids) REQUIRE(pid > 0);
    for (int i = 0; i < racers; ++i) {
        char byte = 0;
        ready.readAll(&byte, 1);
    }
    const std::string goBytes(static_cast<size_t>(racers), 'g');
    go.writeAll(goBytes.data(), goBytes.size()); // every racer is blocked in read(): they all wake together
    std::string outcomes(static_cast<size_t>(racers), '?');
    results.readAll(outcomes.data(), outcomes.size());
    for (pid_t pid : pids) CHECK(waitExit(pid) == 0);
    std::sort(outcomes.begin(), outcomes.end());
    return outcomes;
}

// One registration as the desk sees it.
struct Entry {
    std::string ticket, source, language;
    std::optional<std::string> callName;
    std::string status;
};
// What the desk reloads when public.db changed: the session's free places and its first registration.
struct DeskView {
    int64_t version = 0; // the view's own data version
    int freePlaces = -1;
    std::optional<Entry> entry;
};
using Reload = std::function<DeskView(Store& desk, int64_t session, const std::string& day)>;

// Kills and reaps a forked child unless it was waited for: a failing test leaves no process behind.
struct ChildGuard {
    pid_t pid = -1;
    int wait() {
        const int code = waitExit(pid);
        pid = -1;
        return code;
    }
    ~ChildGuard() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            waitExit(pid);
        }
    }
};

// A kiosk process registers while the desk polls PRAGMA pub.data_version every 50 ms and reloads only when it
// changed: it sees the ticket within a second of the commit, at the first poll after it, after one reload.
void kioskToDesk(const Reload& reload) {
    TempStore ts;
    const std::string day = plainDay(3, "2026-06-01");
    int64_t session = 0;
    {
        Store desk = ts.open();
        session = extraSession(desk, "sti_test", day, 14 * 60, 5);
    }
    // The kiosk process starts before the desk opens the store (no connection may cross a fork) and
    // registers a while after it is told to, so the desk polls several times before the commit.
    Pipe go, report;
    ChildGuard kiosk{forkChild([&] {
        go.closeWrite();
        char byte = 0;
        go.readAll(&byte, 1);
        Store store = Store::open(ts.location, Store::Access::Kiosk);
        std::this_thread::sleep_for(300ms);
        CommitReport r;
        r.beganNs = monotonicNs();
        const Ticket t = registerForSession(store, Actor::kiosk(), session, RegistrationSource::Kiosk, "th",
                                            std::string("Noor"));
        r.committedNs = monotonicNs();
        std::strncpy(r.ticket, t.code.c_str(), sizeof r.ticket - 1);
        report.writeAll(&r, sizeof r);
        std::this_thread::sleep_for(200ms); // stays open a little: its connection closing is no change either
    })};
    REQUIRE(kiosk.pid > 0);
    go.closeRead();
    report.closeWrite();

    Store desk = ts.open();
    const DeskView first = reload(desk, session, day);
    CHECK_FALSE(first.entry);
    CHECK(first.freePlaces == 5);
    int64_t version = publicDataVersion(desk);
    CHECK(publicDataVersion(desk) == version); // reading it changes nothing
    CHECK(reload(desk, session, day).version == first.version);

    struct Poll {
        int64_t atNs = 0;
        bool changed = false;
    };
    std::vector<Poll> polls;
    std::optional<DeskView> seen;
    int reloads = 0;
    int64_t seenAtNs = 0;
    go.writeAll("g", 1);
    const auto deadline = Clock::now() + 3s;
    while (!seen && Clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
        const int64_t askedAt = monotonicNs(); // before asking: a poll begun after the commit must see it
        const int64_t now = publicDataVersion(desk);
        polls.push_back({askedAt, now != version});
        if (now == version) continue;
        version = now;
        ++reloads;
        DeskView v = reload(desk, session, day);
        if (v.entry) {
            seen = std::move(v);
            seenAtNs = askedAt;
        }
    }
    CommitReport r;
    report.readAll(&r, sizeof r);
    REQUIRE(seen);

    // Seen within a second of the commit, at the first poll after it, after one reload only.
    CHECK(seenAtNs - r.beganNs < 1'000'000'000);
    CHECK(reloads == 1);
    int quietBefore = 0, missedAfter = 0;
    for (const Poll& p : polls) {
        if (p.atNs < r.beganNs) {
            CHECK_FALSE(p.changed); // nothing changed before the kiosk began its transaction
            ++quietBefore;
        }
        if (p.atNs > r.committedNs && p.atNs < seenAtNs) ++missedAfter; // a poll after the commit that saw nothing
    }
    CHECK(quietBefore >= 3);
    CHECK(missedAfter == 0);

    CHECK(seen->entry->ticket == std::string(r.ticket));
    CHECK(seen->entry->source == "kiosk");
    CHECK(seen->entry->language == "th");
    CHECK(seen->entry->callName == std::optional<std::string>("Noor"));
    CHECK(seen->entry->status == "waiting");
    CHECK(seen->freePlaces == 4);
    CHECK(seen->version != first.version);

    // The kiosk closing its connection and exiting is no change: polling on sees the same version.
    CHECK(kiosk.wait() == 0);
    for (int i = 0; i < 5; ++i) {
        std::this_thread::sleep_for(50ms);
        CHECK(publicDataVersion(desk) == version);
    }
    CHECK(reload(desk, session, day).version == seen->version);
}

} // namespace

TEST_SUITE("queue") {

TEST_CASE("a kiosk registration in another process is seen by the desk within a second, through data_version") {
    kioskToDesk([](Store& desk, int64_t session, const std::string& day) {
        DeskView out;
        const KioskView v = loadKioskView(desk, day, 0);
        out.version = v.dataVersion;
        for (const auto& s : v.sessions)
            if (s.id == session) out.freePlaces = s.freePlaces;
        Statement& st = desk.db().prepare(
            "SELECT ticket, source, language, call_name, status FROM registration WHERE session_id = ? ORDER BY id");
        st.bind(1, session);
        if (st.step()) out.entry = Entry{st.getText(0), st.getText(1), st.getText(2), st.getOptText(3), st.getText(4)};
        st.reset();
        return out;
    });
}

TEST_CASE("a kiosk registration in another process reaches the desk's queue view (loadQueue) within a second") {
    kioskToDesk([](Store& desk, int64_t session, const std::string& day) {
        DeskView out;
        const QueueView q = loadQueue(desk, day);
        out.version = q.dataVersion;
        for (const auto& qs : q.sessions) {
            if (qs.session.id != session) continue;
            out.freePlaces = qs.session.freePlaces;
            if (!qs.entries.empty()) {
                const QueueEntry& e = qs.entries.front();
                out.entry = Entry{e.ticket, e.source, e.language, e.callName, e.status};
                CHECK(qs.waiting == 1);
            }
        }
        return out;
    });
}

TEST_CASE("two kiosks racing for the last place: one ticket, one full, never overbooked") {
    TempStore ts;
    constexpr int kRounds = 6, kCapacity = 3;
    std::vector<int64_t> sessions;
    {
        Store desk = ts.open();
        std::string day = "2026-06-01";
        for (int i = 0; i < kRounds; ++i) {
            day = plainDay(2, addDays(day, 1));
            const int64_t s = extraSession(desk, "lawyer", day, 10 * 60, kCapacity);
            for (int k = 0; k < kCapacity - 1; ++k) registerForSession(desk, Actor::cli(), s, RegistrationSource::Desk);
            REQUIRE(freePlaces(desk, s) == 1);
            sessions.push_back(s);
        }
    }
    for (int64_t s : sessions) {
        CAPTURE(s);
        CHECK(race(ts, s, 2) == "FT");
        Store desk = ts.open();
        CHECK(activeRegistrations(desk, s) == kCapacity);
        CHECK(freePlaces(desk, s) == 0);
        CHECK(count(desk, "SELECT count(*) FROM registration WHERE source = 'kiosk' AND session_id = " +
                              std::to_string(s)) == 1);
    }
    Store desk = ts.open();
    CHECK(count(desk, "SELECT count(*) FROM registration") == kRounds * kCapacity);
    CHECK(count(desk, "SELECT count(*) FROM (SELECT day, ticket FROM registration GROUP BY day, ticket) AS t") ==
          kRounds * kCapacity);
    if (!onPostgres()) CHECK(desk.db().queryText("PRAGMA pub.integrity_check") == "ok");
}

TEST_CASE("four kiosks racing for one place: exactly one ticket, the others are told it is full") {
    TempStore ts;
    int64_t single = 0, pair = 0;
    {
        Store desk = ts.open();
        single = extraSession(desk, "accountant", plainDay(4, "2026-06-01"), 9 * 60, 1);
        pair = extraSession(desk, "accountant", plainDay(5, "2026-06-01"), 9 * 60, 2);
    }
    CHECK(race(ts, single, 4) == "FFFT");
    CHECK(race(ts, pair, 4) == "FFTT");
    CHECK(race(ts, pair, 2) == "FF"); // a full session stays full
    Store desk = ts.open();
    CHECK(activeRegistrations(desk, single) == 1);
    CHECK(activeRegistrations(desk, pair) == 2);
    const KioskView view = loadKioskView(desk, plainDay(4, "2026-06-01"), 0);
    int listed = 0;
    for (const auto& s : view.sessions)
        if (s.id == single || s.id == pair) {
            ++listed;
            CHECK(s.freePlaces == 0);
        }
    CHECK(listed == 2);
}

} // TEST_SUITE
