// Tests several writing processes at once: guesses at a PIN all count, desk-only writes leave public.db's lock
// alone, and three writers at full speed see no "busy" error. (Speed itself is measured by inloop-bench.)
#include "support/temp_store.hpp"

#include "core/store/audit_chain.hpp"

#include "helpers.hpp"
#include "process.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {
double steadyMs() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
void sleepUntil(double ms) {
    while (steadyMs() < ms) std::this_thread::sleep_for(std::chrono::microseconds(200));
}
} // namespace

TEST_SUITE("concurrency") {

TEST_CASE("twelve wrong PINs from twelve processes at once all count, and the account locks") {
    TempStore ts;
    int64_t staff = 0;
    {
        Store store = ts.open();
        staff = addStaff(store, Actor::cli(), "Anja", Role::Coordinator, "482913");
    }
    constexpr int kGuessers = 12;
    const double start = steadyMs() + 400; // every child has opened the store by then
    std::vector<pid_t> children;
    for (int i = 0; i < kGuessers; ++i)
        children.push_back(forkChild([&, i] {
            Store store = ts.open();
            sleepUntil(start);
            const SignInResult r = signIn(store, staff, "00" + std::to_string(10 + i));
            if (r.ok) throw std::runtime_error("a wrong PIN signed in");
        }));
    for (pid_t pid : children) CHECK(waitExit(pid) == 0);

    Store store = ts.open();
    const int64_t failed = count(store, "SELECT failed_pins FROM staff WHERE id = " + std::to_string(staff));
    MESSAGE("failed_pins after ", kGuessers, " parallel guesses: ", failed);
    // Every guess that was checked is counted (a guess arriving after the lock is refused unchecked).
    CHECK(failed >= kPinTries);
    CHECK(failed == count(store, "SELECT count(*) FROM audit_log WHERE action IN ('wrong_pin', 'locked')"));
    CHECK(count(store, "SELECT locked_until IS NOT NULL FROM staff WHERE id = " + std::to_string(staff)) == 1);
    // Locked: even the right PIN is refused now.
    CHECK_FALSE(signIn(store, staff, "482913").ok);
}

TEST_CASE("a desk-only transaction takes desk.db's write lock and leaves public.db to the kiosk" * doctest::test_suite("sqlite")) {
    TempStore ts;
    const int64_t session = [&] {
        Store store = ts.open();
        return makeSession(store, 10, plainDay(2));
    }();
    Store desk = ts.open();
    Store kiosk = ts.open(Store::Access::Kiosk);
    sqlite3_busy_timeout(kiosk.sqlite("test").handle(), 300); // a lock held by the desk would show as busy within 0.3 s

    SUBCASE("desk-only: the kiosk registers while the desk's transaction is open") {
        Transaction tx(desk.db(), Transaction::Writes::Main);
        CHECK(sqlite3_txn_state(desk.sqlite("test").handle(), "main") == SQLITE_TXN_WRITE);
        CHECK(sqlite3_txn_state(desk.sqlite("test").handle(), "pub") == SQLITE_TXN_NONE);
        logContact(desk, Actor::cli(), NewContact{}); // nested: its own transaction becomes a savepoint
        CHECK(registerForSession(kiosk, Actor::kiosk(), session, RegistrationSource::Kiosk, "en").registrationId > 0);
        countKioskUse(kiosk, "language", "en");
        tx.commit();
    }
    SUBCASE("logging a contact on its own does not take public.db's lock either") {
        // Another connection holds public.db's write lock: the desk still logs a contact.
        Transaction hold(kiosk.db());
        sqlite3_busy_timeout(desk.sqlite("test").handle(), 300);
        CHECK(logContact(desk, Actor::cli(), NewContact{}).id > 0);
    }
    SUBCASE("a write to both files takes both locks") {
        Transaction tx(desk.db());
        CHECK(sqlite3_txn_state(desk.sqlite("test").handle(), "main") == SQLITE_TXN_WRITE);
        CHECK(sqlite3_txn_state(desk.sqlite("test").handle(), "pub") == SQLITE_TXN_WRITE);
        CHECK_THROWS_AS(countKioskUse(kiosk, "language", "en"), SqliteError);
    }
}

TEST_CASE("kiosk, desk and CLI writing at full speed see no busy error") {
    TempStore ts;
    std::vector<int64_t> sessions;
    {
        Store store = ts.open();
        for (int d = 1; d <= 5; ++d) sessions.push_back(makeSession(store, 500, plainDay(d)));
    }
    const double start = steadyMs() + 400, end = start + 4000; // short: CI stays fast; inloop-bench runs 60 s
    // A writer process: opens its own store (never across fork), writes flat out; a full session is no error.
    const auto writer = [&](Store::Access access, auto body) {
        return forkChild([&, access, body] {
            Store store = ts.open(access);
            int64_t errors = 0, writes = 0;
            std::string first;
            sleepUntil(start);
            for (int i = 0; steadyMs() < end; ++i) {
                try {
                    body(store, i);
                    ++writes;
                } catch (const Error& e) {
                    if (e.kind() == ErrorKind::Full) continue;
                    if (first.empty()) first = e.what();
                    ++errors;
                } catch (const std::exception& e) {
                    if (first.empty()) first = e.what();
                    ++errors;
                }
            }
            if (errors) throw std::runtime_error(std::to_string(errors) + " errors in " + std::to_string(writes) + ": " + first);
        });
    };
    const auto session = [&](int i) { return sessions[static_cast<size_t>(i) % sessions.size()]; };
    const pid_t kiosk = writer(Store::Access::Kiosk, [&](Store& store, int i) {
        if (i % 8 == 0) registerForSession(store, Actor::kiosk(), session(i / 8), RegistrationSource::Kiosk, "en");
        else countKioskUse(store, "language", "en");
    });
    const pid_t desk = writer(Store::Access::Desk, [](Store& store, int) { logContact(store, Actor::cli(), NewContact{}); });
    // Writes to both files: a registration at the desk, with its audit row.
    const pid_t cli = writer(Store::Access::Desk, [&](Store& store, int i) {
        registerForSession(store, Actor::cli(), session(i), RegistrationSource::Desk, "nl");
    });
    CHECK(waitExit(kiosk) == 0);
    CHECK(waitExit(desk) == 0);
    CHECK(waitExit(cli) == 0);
    Store store = ts.open();
    CHECK(verifyAuditLog(store.db(), {}).ok());
    if (!onPostgres()) CHECK(store.db().queryText("PRAGMA integrity_check") == "ok");
}

} // TEST_SUITE
