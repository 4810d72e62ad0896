// The link cut mid-write (issue 20): a desk logging contacts and a kiosk registering visitors, each through a
// store worker as the apps write, while the test cuts their connections (pg_terminate_backend) or stops the
// server and starts it again. Some cuts land at random moments, some inside a transaction that has written its
// first row and still has its audit row and COMMIT to send (a test-only pause, site_support.hpp). Afterwards the
// store holds exactly the writes the API acknowledged, each whole (a contact with its audit row, the chain
// intact); every failure was a connection failure and came back within seconds; the same workers write again
// once the server is back, without being made anew. PostgreSQL only.
#include "site_support.hpp"

#include "core/base/clock.hpp"
#include "core/base/worker.hpp"
#include "core/domain/domain.hpp"
#include "core/store/postgres.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace inloop;
using namespace inloop::core;
using namespace inloop::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPerSession = 450; // the kiosk's registrations per session (of 500 places)

// One app's writes, one after the other, through a Worker as the desk and the kiosk post them; each attempt
// with its key (the contact's moment, the registration's call name), its outcome and how long it took.
class WriterLoop {
public:
    enum class Kind { Desk, Kiosk };
    struct Attempt {
        int64_t key = 0;
        bool paused = false; // the test-only pause inside the transaction
        bool acked = false;
        bool connectionFault = false; // the failure was the lost link (or no server to connect to)
        bool outcomeUnknown = false;  // the link dropped while COMMIT was on its way: it may have been saved
        std::string error;
        double ms = 0;
    };

    WriterLoop(const StoreLocation& location, Kind kind, std::vector<int64_t> sessions, int64_t baseAt)
        : m_kind(kind), m_sessions(std::move(sessions)), m_baseAt(baseAt),
          m_worker([location, kind] { return Store::open(location, kind == Kind::Desk ? Store::Access::Desk : Store::Access::Kiosk); },
                   [this] {
                       std::lock_guard lock(m_wakeMutex);
                       m_woken = true;
                       m_wakeCv.notify_all();
                   },
                   [this](const std::exception& e) -> Worker::Completion {
                       const auto* db = dynamic_cast<const DbError*>(&e);
                       const bool connection = db && (db->isConnectionLost() || db->fault() == DbError::Fault::CannotOpen);
                       const bool unknown = db && db->outcomeUnknown();
                       return [this, connection, unknown, what = std::string(e.what())] {
                           m_current.connectionFault = connection;
                           m_current.outcomeUnknown = unknown;
                           m_current.error = what;
                       };
                   }),
          m_thread([this] { run(); }) {}
    ~WriterLoop() { stop(); }
    WriterLoop(const WriterLoop&) = delete;
    WriterLoop& operator=(const WriterLoop&) = delete;

    void stop() {
        m_stop = true;
        if (m_thread.joinable()) m_thread.join();
    }
    void pauseNext() { m_pauseNext = true; }
    // Waits until an attempt begun after `t` was acknowledged; how long after `t` that was.
    std::optional<std::chrono::milliseconds> ackAfter(Clock::time_point t, std::chrono::milliseconds within) const {
        const auto end = Clock::now() + within;
        while (Clock::now() < end) {
            const Clock::time_point acked{Clock::duration(m_lastAckedStart.load())};
            if (acked > t) return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t);
            std::this_thread::sleep_for(2ms);
        }
        return std::nullopt;
    }
    const std::vector<Attempt>& attempts() const { return m_attempts; } // after stop()

private:
    void run() {
        for (int64_t i = 0; !m_stop; ++i) {
            if (m_kind == Kind::Kiosk && i / kPerSession >= static_cast<int64_t>(m_sessions.size())) break;
            m_current = Attempt{};
            m_current.key = i;
            m_current.paused = m_pauseNext.exchange(false);
            const Clock::time_point began = Clock::now();
            m_worker.post([this, i, paused = m_current.paused](Store& store) -> Worker::Completion {
                if (m_kind == Kind::Desk) {
                    NewContact c;
                    c.when.at = m_baseAt + i; // the contact's key: its moment
                    if (paused) c.language = "de";
                    logContact(store, Actor::cli(), c);
                } else {
                    const int64_t session = m_sessions[static_cast<size_t>(i / kPerSession)];
                    registerForSession(store, Actor::kiosk(), session, RegistrationSource::Kiosk, "en",
                                       std::string(paused ? "pause" : "w") + std::to_string(i));
                }
                return [this] { m_current.acked = true; };
            });
            while (!m_worker.poll()) { // the completion (or the error's) runs here, as on the UI thread
                std::unique_lock lock(m_wakeMutex);
                m_wakeCv.wait_for(lock, 20ms, [&] { return m_woken; });
                m_woken = false;
            }
            m_current.ms = std::chrono::duration<double, std::milli>(Clock::now() - began).count();
            if (m_current.acked) m_lastAckedStart = began.time_since_epoch().count();
            m_attempts.push_back(m_current);
            std::this_thread::sleep_for(m_current.acked ? 1ms : 10ms); // as someone trying again
        }
    }

    Kind m_kind;
    std::vector<int64_t> m_sessions;
    int64_t m_baseAt;
    std::atomic<bool> m_stop{false}, m_pauseNext{false};
    std::atomic<Clock::rep> m_lastAckedStart{0};
    std::mutex m_wakeMutex;
    std::condition_variable m_wakeCv;
    bool m_woken = false;
    Attempt m_current; // on the loop's thread only (completions run there)
    std::vector<Attempt> m_attempts;
    Worker m_worker;
    std::thread m_thread; // last: starts when everything else is ready
};

// The backend pids of the apps' connections to this database (PgDatabase's application name), all or only
// those asleep in the test's pause.
std::vector<std::string> appBackends(const SiteStore& s, bool pausedOnly) {
    Pg admin(s.db.conninfo());
    return admin.rows("SELECT pid FROM pg_stat_activity WHERE datname = '" + s.db.name() +
                      "' AND application_name = 'inloop'" + (pausedOnly ? " AND wait_event = 'PgSleep'" : ""));
}

// Waits until `n` app connections sleep in the pause; false with what they were doing instead.
bool waitPaused(const SiteStore& s, size_t n, std::chrono::milliseconds within) {
    const auto end = Clock::now() + within;
    while (Clock::now() < end) {
        if (appBackends(s, true).size() >= n) return true;
        std::this_thread::sleep_for(2ms);
    }
    Pg admin(s.db.conninfo());
    for (const auto& row : admin.rows("SELECT pid, state, wait_event_type, wait_event, query FROM pg_stat_activity "
                                      "WHERE datname = '" + s.db.name() + "' AND application_name = 'inloop'"))
        MESSAGE("app connection: " << row);
    return false;
}

// Ends the apps' connections and waits until their server processes have gone (a signalled process may still
// answer a statement or two: a write acknowledged after the cut must not be taken for a recovery).
void terminateApps(const SiteStore& s) {
    Pg admin(s.db.conninfo());
    admin.exec("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = '" + s.db.name() +
               "' AND application_name = 'inloop'");
}

struct Tally {
    int attempts = 0, acked = 0, failed = 0, paused = 0, pausedAcked = 0, otherFaults = 0;
    double maxMs = 0;
    std::set<int64_t> ackedKeys, failedKeys, unknownKeys; // failed: said "nothing saved"; unknown: "may be saved"
    std::string firstOtherFault;
};

Tally tally(const WriterLoop& loop) {
    Tally t;
    for (const auto& a : loop.attempts()) {
        ++t.attempts;
        t.maxMs = std::max(t.maxMs, a.ms);
        if (a.paused) ++t.paused;
        if (a.acked) {
            ++t.acked;
            t.ackedKeys.insert(a.key);
            if (a.paused) ++t.pausedAcked;
        } else {
            ++t.failed;
            (a.outcomeUnknown ? t.unknownKeys : t.failedKeys).insert(a.key);
            if (!a.connectionFault && t.otherFaults++ == 0) t.firstOtherFault = a.error;
        }
    }
    return t;
}

size_t countIn(const std::set<int64_t>& keys, const std::set<int64_t>& stored) {
    size_t n = 0;
    for (int64_t k : keys) n += stored.count(k);
    return n;
}

std::set<int64_t> keysIn(Pg& db, const std::string& sql) {
    std::set<int64_t> out;
    for (const auto& row : db.rows(sql)) out.insert(std::stoll(row));
    return out;
}

std::string listOf(const std::set<int64_t>& keys) {
    std::ostringstream out;
    int n = 0;
    for (int64_t k : keys) {
        if (n++ == 10) return out.str() + " …";
        out << ' ' << k;
    }
    return out.str();
}

// What both tests check once the loops have stopped and the link is up: the store holds exactly what was
// acknowledged, whole, and the chain verifies.
void checkStore(const SiteStore& s, const WriterLoop& desk, const WriterLoop& kiosk, int64_t baseAt) {
    const Tally d = tally(desk), k = tally(kiosk);
    MESSAGE("desk: " << d.attempts << " contacts tried, " << d.acked << " acknowledged, " << d.failed << " failed ("
                     << d.paused << " cut inside the transaction), slowest " << d.maxMs << " ms");
    MESSAGE("kiosk: " << k.attempts << " registrations tried, " << k.acked << " acknowledged, " << k.failed
                      << " failed (" << k.paused << " cut inside the transaction), slowest " << k.maxMs << " ms");
    CHECK(d.failed > 0); // the cuts did hit writes
    CHECK(k.failed > 0);
    CHECK(d.pausedAcked == 0);
    CHECK(k.pausedAcked == 0);
    CHECK_MESSAGE(d.otherFaults == 0, "a desk write failed for another reason than the link: " << d.firstOtherFault);
    CHECK_MESSAGE(k.otherFaults == 0, "a kiosk write failed for another reason than the link: " << k.firstOtherFault);
    CHECK(d.maxMs < 6000); // nothing hangs: a dead server is noticed at once, an unreachable one in 5 s
    CHECK(k.maxMs < 6000);

    Pg db = s.db.connect();
    const std::set<int64_t> contacts = keysIn(db, "SELECT at - " + std::to_string(baseAt) + " FROM desk.contact");
    std::set<int64_t> lost, halfOrFailed;
    std::set_difference(d.ackedKeys.begin(), d.ackedKeys.end(), contacts.begin(), contacts.end(), std::inserter(lost, lost.end()));
    std::set_intersection(d.failedKeys.begin(), d.failedKeys.end(), contacts.begin(), contacts.end(),
                          std::inserter(halfOrFailed, halfOrFailed.end()));
    CHECK_MESSAGE(lost.empty(), "acknowledged contacts missing:" << listOf(lost));
    CHECK_MESSAGE(halfOrFailed.empty(), "contacts stored although their write failed:" << listOf(halfOrFailed));
    // A commit whose answer the cut swallowed may be there or not (the app said so): either way whole.
    const size_t unknownStored = countIn(d.unknownKeys, contacts);
    MESSAGE("desk: " << d.unknownKeys.size() << " commits cut before their answer, " << unknownStored << " of them saved");
    CHECK(contacts.size() == d.ackedKeys.size() + unknownStored);
    // Whole: one "log" audit row per contact, none for a contact that is not there.
    CHECK(db.exec("SELECT count(*) FROM desk.contact c WHERE (SELECT count(*) FROM desk.audit_log a WHERE "
                  "a.entity = 'contact' AND a.action = 'log' AND a.record_id = c.id) <> 1") == "0");
    CHECK(db.exec("SELECT count(*) FROM desk.audit_log a WHERE a.entity = 'contact' AND NOT EXISTS "
                  "(SELECT 1 FROM desk.contact c WHERE c.id = a.record_id)") == "0");
    CHECK(db.exec("SELECT count(*) FROM desk.audit_log WHERE entity = 'contact'") == std::to_string(contacts.size()));

    const std::set<int64_t> registrations =
        keysIn(db, "SELECT substr(call_name, 2) FROM pub.registration WHERE call_name LIKE 'w%' "
                   "UNION ALL SELECT substr(call_name, 6) FROM pub.registration WHERE call_name LIKE 'pause%'");
    std::set<int64_t> lostTickets, failedTickets;
    std::set_difference(k.ackedKeys.begin(), k.ackedKeys.end(), registrations.begin(), registrations.end(),
                        std::inserter(lostTickets, lostTickets.end()));
    std::set_intersection(k.failedKeys.begin(), k.failedKeys.end(), registrations.begin(), registrations.end(),
                          std::inserter(failedTickets, failedTickets.end()));
    CHECK_MESSAGE(lostTickets.empty(), "acknowledged registrations missing:" << listOf(lostTickets));
    CHECK_MESSAGE(failedTickets.empty(), "registrations stored although their write failed:" << listOf(failedTickets));
    const size_t unknownTickets = countIn(k.unknownKeys, registrations);
    MESSAGE("kiosk: " << k.unknownKeys.size() << " commits cut before their answer, " << unknownTickets << " of them saved");
    CHECK(db.exec("SELECT count(*) FROM pub.registration") == std::to_string(k.acked + unknownTickets));

    removePause(db);
    int64_t rows = 0;
    CHECK_MESSAGE(auditChainProblems(s.location, rows).empty(), auditChainProblems(s.location, rows));
    MESSAGE("audit chain verified over " << rows << " rows");
}

// A store with the pause, and sessions enough for every registration the kiosk loop may make.
std::vector<int64_t> prepare(const SiteStore& s) {
    Pg db = s.db.connect();
    installPause(db);
    Store store = Store::open(s.location);
    std::vector<int64_t> sessions;
    const std::string today = localDay(nowUnix());
    for (int i = 0; i < 42; ++i) // 14 a day, 500 places each
        sessions.push_back(addExtraSession(store, Actor::cli(), 1, addDays(today, i / 14), i % 14 * 100, i % 14 * 100 + 90, 500));
    return sessions;
}

} // namespace

TEST_SUITE("site") {

TEST_CASE("connections cut mid-write: every acknowledged write is stored whole, every failed one not at all") {
    SiteStore s(serverOrSkip());
    const std::vector<int64_t> sessions = prepare(s);
    const int64_t baseAt = nowUnix() - 3 * 24 * 3600; // contacts back-dated one second apart: each its own key
    const unsigned seed = std::random_device{}();
    INFO("random seed " << seed);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pauseMs(10, 120);
    std::vector<double> recoveries;
    {
        WriterLoop desk(s.location, WriterLoop::Kind::Desk, sessions, baseAt);
        WriterLoop kiosk(s.location, WriterLoop::Kind::Kiosk, sessions, baseAt);
        for (int round = 0; round < 10; ++round) {
            CAPTURE(round);
            // At a random moment: between writes, inside a statement or between two.
            std::this_thread::sleep_for(std::chrono::milliseconds(pauseMs(rng)));
            terminateApps(s);
            Clock::time_point cut = Clock::now(); // the connections are gone
            for (WriterLoop* loop : {&desk, &kiosk}) {
                const auto back = loop->ackAfter(cut, 5s);
                REQUIRE_MESSAGE(back, "no write acknowledged within 5 s after a cut");
                recoveries.push_back(static_cast<double>(back->count()));
            }
            // Inside a transaction that has written its first row: the rest never reaches the server.
            WriterLoop& paused = round % 2 ? kiosk : desk;
            paused.pauseNext();
            REQUIRE_MESSAGE(waitPaused(s, 1, 3s), "the paused write never began");
            terminateApps(s);
            cut = Clock::now();
            const auto back = paused.ackAfter(cut, 5s);
            REQUIRE_MESSAGE(back, "no write acknowledged within 5 s after a cut");
            recoveries.push_back(static_cast<double>(back->count()));
        }
        desk.stop();
        kiosk.stop();
        checkStore(s, desk, kiosk, baseAt);
    }
    std::sort(recoveries.begin(), recoveries.end());
    MESSAGE("from a cut to the next acknowledged write: median " << recoveries[recoveries.size() / 2] << " ms, slowest "
                                                                  << recoveries.back() << " ms");
}

TEST_CASE("the server stopped between statements and started again: nothing half-written, the same workers go on") {
    PrivatePgServer server;
    SiteStore s(server.conninfo());
    const std::vector<int64_t> sessions = prepare(s);
    const int64_t baseAt = nowUnix() - 3 * 24 * 3600;
    std::vector<double> recoveries, downs;
    {
        WriterLoop desk(s.location, WriterLoop::Kind::Desk, sessions, baseAt);
        WriterLoop kiosk(s.location, WriterLoop::Kind::Kiosk, sessions, baseAt);
        REQUIRE(desk.ackAfter(Clock::now() - 1h, 5s));
        for (int round = 0; round < 4; ++round) {
            CAPTURE(round);
            if (round % 2 == 0) {
                // Both apps inside a transaction, a row written, the audit row and COMMIT still to come.
                desk.pauseNext();
                kiosk.pauseNext();
                REQUIRE_MESSAGE(waitPaused(s, 2, 3s), "the paused writes never began");
            } else {
                std::this_thread::sleep_for(150ms); // wherever the loops are
            }
            const Clock::time_point stopped = Clock::now();
            server.halt();
            std::this_thread::sleep_for(1s); // the apps go on trying meanwhile
            server.resume();
            const Clock::time_point back = Clock::now();
            downs.push_back(std::chrono::duration<double, std::milli>(back - stopped).count());
            for (WriterLoop* loop : {&desk, &kiosk}) {
                const auto ack = loop->ackAfter(back, 10s);
                REQUIRE_MESSAGE(ack, "the worker wrote nothing within 10 s of the server's return");
                recoveries.push_back(static_cast<double>(ack->count()));
            }
        }
        desk.stop();
        kiosk.stop();
        checkStore(s, desk, kiosk, baseAt);
    }
    std::sort(recoveries.begin(), recoveries.end());
    MESSAGE("server down " << *std::min_element(downs.begin(), downs.end()) << "–" << *std::max_element(downs.begin(), downs.end())
                           << " ms per round; from its return to the next acknowledged write: median "
                           << recoveries[recoveries.size() / 2] << " ms, slowest " << recoveries.back() << " ms");
}

TEST_CASE("a desk gone silent inside its transaction holds the other desks up for seconds, not for hours") {
    // A cable pulled from a desk machine between two statements of a write: its session sits idle inside the
    // transaction, holding the desk part's write lock, and the server hears nothing more (over TCP it would learn
    // of the dead peer only from keepalives, two hours by default). Every other desk's write waits for that lock.
    SiteStore s(serverOrSkip());
    const int64_t baseAt = nowUnix() - 3 * 24 * 3600;
    Store silent = Store::open(s.location);
    auto stuck = std::make_unique<Transaction>(silent.db(), Transaction::Writes::Main);
    NewContact half;
    half.when.at = baseAt;
    logContact(silent, Actor::cli(), half); // inside the open transaction: the first half of a write

    // Another desk logs a walk-in through its worker, as the app does.
    std::mutex m;
    std::condition_variable cv;
    std::optional<std::string> outcome;
    Worker other([&] { return Store::open(s.location); }, {}, [&](const std::exception& e) -> Worker::Completion {
        std::lock_guard lock(m);
        outcome = std::string("error: ") + e.what();
        cv.notify_all();
        return {};
    });
    const Clock::time_point began = Clock::now();
    other.post([&](Store& store) -> Worker::Completion {
        NewContact c;
        c.when.at = baseAt + 1;
        logContact(store, Actor::cli(), c);
        std::lock_guard lock(m);
        outcome = "saved";
        cv.notify_all();
        return {};
    });
    bool done = false;
    {
        std::unique_lock lock(m);
        done = cv.wait_for(lock, 30s, [&] { return outcome.has_value(); });
    }
    const double waited = std::chrono::duration<double>(Clock::now() - began).count();
    MESSAGE("the other desk's walk-in: " << (done ? *outcome : "still waiting") << " after " << waited << " s");
    // The silent one's session was ended by the server: its write is refused when it comes back, nothing half kept.
    bool silentRefused = false;
    try {
        stuck->commit();
    } catch (const DbError& e) {
        silentRefused = e.isConnectionLost();
    }
    stuck.reset(); // without the fix, this lets the other desk's write through, so the worker can end
    REQUIRE(done);
    CHECK(*outcome == "saved");
    CHECK(waited < 20.0);
    CHECK(silentRefused);
    Pg db = s.db.connect();
    CHECK(db.exec("SELECT string_agg((at - " + std::to_string(baseAt) + ")::text, ',') FROM desk.contact") == "1");
    int64_t rows = 0;
    CHECK_MESSAGE(auditChainProblems(s.location, rows).empty(), auditChainProblems(s.location, rows));
}

TEST_CASE("a server that stops answering with the link up fails the write after the deadline, and writes go on once it is back") {
    // A frozen host or a hung disk: the server's kernel still acknowledges, so neither keepalives nor
    // tcp_user_timeout notice anything, and libpq would wait for the answer for good (a desk's worker, and every job
    // queued behind it, with it). The apps wait PgDatabase::kAnswerWithin (30 s); this test 2 s.
    PrivatePgServer server;
    SiteStore s(server.conninfo());
    Store store = Store::open(s.location);
    auto* pg = dynamic_cast<PgDatabase*>(&store.db());
    REQUIRE(pg != nullptr);
    pg->setAnswerWithin(2s);
    NewContact c;
    c.when.at = nowUnix() - 3600;
    logContact(store, Actor::cli(), c); // the connection works and its statements are prepared

    server.freeze();
    const Clock::time_point began = Clock::now();
    auto write = std::async(std::launch::async, [&]() -> std::string {
        try {
            logContact(store, Actor::cli(), c);
            return "saved";
        } catch (const DbError& e) {
            return e.outcomeUnknown() ? "unknown" : e.isConnectionLost() ? "lost" : std::string("other: ") + e.what();
        }
    });
    const bool answered = write.wait_for(20s) == std::future_status::ready;
    const double waited = std::chrono::duration<double>(Clock::now() - began).count();
    server.thaw();
    REQUIRE_MESSAGE(answered, "the write still waited for the frozen server after 20 s (its deadline: 2 s)");
    MESSAGE("the write into the frozen server ended after " << waited << " s");
    CHECK(waited < 10);
    CHECK(write.get() == "lost"); // given up before COMMIT was sent: nothing of it can have been saved

    // Back: a new connection writes; the write given up is not stored, not even half; the audit chain holds.
    Store again = Store::open(s.location);
    logContact(again, Actor::cli(), c);
    CHECK(again.db().queryInt("SELECT count(*) FROM contact") == 2);
    CHECK(again.db().queryInt("SELECT count(*) FROM audit_log WHERE entity = 'contact' AND action = 'log'") == 2);
    int64_t rows = 0;
    CHECK(auditChainProblems(s.location, rows).empty());
}

} // TEST_SUITE
