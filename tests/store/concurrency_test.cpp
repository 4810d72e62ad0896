// Tests several processes sharing one store: no lost writes, no overbooking, changes seen across processes.
#include "support/temp_store.hpp"
#include "core/store/audit_chain.hpp"

#include "helpers.hpp"
#include "process.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <unistd.h>

using namespace inloop::core;
using namespace inloop::test;

TEST_SUITE("concurrency") {

TEST_CASE("two processes each writing 1000 contacts lose nothing") {
    TempStore ts;
    constexpr int kPerChild = 1000;
    constexpr int kCodes = 50; // both processes see the same visitors: their client rows are shared
    const auto writer = [&](Gender gender) {
        return [&ts, gender] {
            Store store = Store::open(ts.location);
            for (int i = 0; i < kPerChild; ++i) {
                NewContact c;
                c.gender = gender;
                c.clientCode = "VIS" + std::to_string(100 + i % kCodes);
                c.topics = {Topic::CoffeeChat};
                logContact(store, Actor::cli(), c);
            }
        };
    };
    const pid_t a = forkChild(writer(Gender::Woman));
    const pid_t b = forkChild(writer(Gender::Man));
    REQUIRE(a > 0);
    REQUIRE(b > 0);
    CHECK(waitExit(a) == 0);
    CHECK(waitExit(b) == 0);

    Store store = ts.open();
    CHECK(count(store, "SELECT count(*) FROM contact") == 2 * kPerChild);
    CHECK(count(store, "SELECT count(*) FROM contact WHERE gender = 'woman'") == kPerChild);
    CHECK(count(store, "SELECT count(*) FROM contact WHERE gender = 'man'") == kPerChild);
    CHECK(count(store, "SELECT count(*) FROM contact_topic") == 2 * kPerChild);
    CHECK(count(store, "SELECT count(*) FROM audit_log WHERE action = 'log' AND entity = 'contact'") == 2 * kPerChild);
    CHECK(count(store, "SELECT count(DISTINCT c.id) FROM contact c JOIN audit_log a "
                       "ON a.action = 'log' AND a.entity = 'contact' AND a.record_id = c.id") == 2 * kPerChild);
    CHECK(count(store, "SELECT count(*) FROM client") == kCodes);
    CHECK(count(store, "SELECT min(n) FROM (SELECT count(*) AS n FROM contact GROUP BY client_id) AS t") == 2 * kPerChild / kCodes);
    CHECK(count(store, "SELECT max(n) FROM (SELECT count(*) AS n FROM contact GROUP BY client_id) AS t") == 2 * kPerChild / kCodes);
    const AuditVerdict chain = verifyAuditLog(store.db(), {});
    CHECK(chain.ok());
    CHECK(chain.rows >= 2 * kPerChild);
    if (!onPostgres()) CHECK(store.db().queryText("PRAGMA integrity_check") == "ok");
}

TEST_CASE("the kiosk and the desk registering at once never overbook a session") {
    TempStore ts;
    constexpr int kCapacity = 50, kTries = 40;
    int64_t session = 0;
    {
        Store desk = ts.open();
        session = makeSession(desk, kCapacity, plainDay(2));
    }
    // Each child tries kTries registrations; only "full" may stop one.
    const auto registrar = [&](Store::Access access) {
        return [&ts, access, session] {
            Store store = Store::open(ts.location, access);
            const Actor actor = access == Store::Access::Kiosk ? Actor::kiosk() : Actor::cli();
            const auto source = access == Store::Access::Kiosk ? RegistrationSource::Kiosk : RegistrationSource::Desk;
            for (int i = 0; i < kTries; ++i) {
                try {
                    registerForSession(store, actor, session, source);
                } catch (const Error& e) {
                    if (e.kind() != ErrorKind::Full) throw;
                }
            }
        };
    };
    // Two kiosks (a site can have more than one zuil) and a desk.
    const pid_t kiosk = forkChild(registrar(Store::Access::Kiosk));
    const pid_t desk = forkChild(registrar(Store::Access::Desk));
    const pid_t kiosk2 = forkChild(registrar(Store::Access::Kiosk));
    REQUIRE(kiosk > 0);
    REQUIRE(desk > 0);
    REQUIRE(kiosk2 > 0);
    CHECK(waitExit(kiosk) == 0);
    CHECK(waitExit(desk) == 0);
    CHECK(waitExit(kiosk2) == 0);

    Store store = ts.open();
    CHECK(count(store, "SELECT count(*) FROM registration") == kCapacity);
    CHECK(count(store, "SELECT count(DISTINCT ticket) FROM registration") == kCapacity);
    CHECK(count(store, "SELECT count(*) FROM registration WHERE source = 'kiosk'") > 0);
    CHECK(count(store, "SELECT count(*) FROM registration WHERE source = 'desk'") > 0);
    CHECK(freePlaces(store, session) == 0);
}

TEST_CASE("the desk notices a kiosk registration through data_version" * doctest::test_suite("sqlite")) {
    TempStore ts;
    int64_t session = 0;
    {
        Store desk = ts.open();
        session = makeSession(desk, 5, plainDay(3));
    }
    // The kiosk process starts before the desk opens the store and registers when told to.
    int go[2];
    REQUIRE(::pipe(go) == 0);
    const pid_t kiosk = forkChild([&] {
        ::close(go[1]);
        char byte = 0;
        if (::read(go[0], &byte, 1) != 1) throw std::runtime_error("no go signal");
        Store store = Store::open(ts.location, Store::Access::Kiosk);
        registerForSession(store, Actor::kiosk(), session, RegistrationSource::Kiosk, "ro");
    });
    REQUIRE(kiosk > 0);
    ::close(go[0]);

    Store desk = ts.open();
    const int64_t before = desk.db().queryInt("PRAGMA pub.data_version");
    const int64_t deskBefore = desk.db().queryInt("PRAGMA main.data_version");
    CHECK(desk.db().queryInt("PRAGMA pub.data_version") == before); // polling alone changes nothing
    CHECK(freePlaces(desk, session) == 5);

    CHECK(::write(go[1], "x", 1) == 1);
    ::close(go[1]);
    CHECK(waitExit(kiosk) == 0);

    CHECK(desk.db().queryInt("PRAGMA pub.data_version") != before);
    CHECK(desk.db().queryInt("PRAGMA main.data_version") == deskBefore); // desk.db was not touched
    CHECK(freePlaces(desk, session) == 4);
    CHECK(desk.db().queryText("SELECT language FROM registration WHERE session_id = " + std::to_string(session)) == "ro");
}

} // TEST_SUITE
