// The domain on a PostgreSQL store (issue 19): what only a server can do to it, tried with real processes and a
// real server (INLOOP_TEST_PG; scripts/test starts a throwaway one): round trips per write, statements failing
// together with what was pipelined before them, and a connection cut mid-transaction writes nothing. Writers from
// several processes (no lost write, no overbooking) are concurrency_test's, which runs on both engines.
#include "support/temp_store.hpp"
#include "support/test_pg.hpp"
#include "core/store/audit_chain.hpp"
#include "core/store/postgres.hpp"
#include "core/domain/report.hpp"

#include "helpers.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace inloop::core;
using namespace inloop::test;

namespace {

// A fresh database on the test server, initialised as `inloopctl --store … init` does; the key in a temp folder.
struct PgStore {
    explicit PgStore(const std::string& server) : db(server), location(keys.path(), server + " dbname=" + db.name()) {
        Store::init(location);
    }
    Store open(Store::Access access = Store::Access::Desk) const { return Store::open(location, access); }
    FreshPgDatabase db;
    TempDir keys;
    StoreLocation location;
};

} // namespace

TEST_SUITE("postgres") {

TEST_CASE("logging a contact takes 3 round trips, as a bare BEGIN, INSERT, COMMIT: the rest goes with a statement") {
    PgStore pg(serverOrSkip());
    Store store = pg.open();
    const auto& server = dynamic_cast<const PgDatabase&>(store.db());
    logContact(store, Actor::cli(), NewContact{}); // prepares its statements, once per connection; reads the head
    logContact(store, Actor::cli(), NewContact{}); // the audit row's INSERT after a head this connection wrote
    uint64_t before = server.roundTrips();
    logContact(store, Actor::cli(), NewContact{});
    // BEGIN + lock + INSERT … RETURNING id, SAVEPOINT + audit row (chained to the head this connection wrote
    // last, checked by the INSERT), RELEASE + COMMIT. It was 9, then 6 (lastval, first ever?, the audit head).
    CHECK(server.roundTrips() - before == 3);
    before = server.roundTrips();
    {
        Transaction unused(store.db());
        ReadTransaction nothingRead(store.db());
    } // begun and ended without a statement: the server never hears of it
    CHECK(server.roundTrips() == before);
    CHECK(verifyAuditLog(store.db(), {}).ok());
}

TEST_CASE("a registration takes as many round trips with 40 open tickets of another day as with none") {
    PgStore pg(serverOrSkip());
    Store store = pg.open(Store::Access::Kiosk);
    Store desk = pg.open();
    const int64_t nextWeek = makeSession(desk, 60, plainDay(2));
    const int64_t today = makeSession(desk, 60, plainDay(1));
    const auto& server = dynamic_cast<const PgDatabase&>(store.db());
    const auto tripsOfOne = [&] {
        const uint64_t before = server.roundTrips();
        registerForSession(store, Actor::kiosk(), today, RegistrationSource::Kiosk);
        return server.roundTrips() - before;
    };
    registerForSession(store, Actor::kiosk(), today, RegistrationSource::Kiosk); // prepares its statements
    const uint64_t alone = tripsOfOne();
    for (int i = 0; i < 40; ++i) registerForSession(desk, Actor::cli(), nextWeek, RegistrationSource::Desk);
    // The codes those 40 hold are taken for today too ("now serving A22" means one person): looked up at once, not
    // one query per code inside the write lock every other registration waits for.
    const uint64_t busy = tripsOfOne();
    INFO("round trips: alone " << alone << ", with 40 open tickets " << busy);
    CHECK(busy == alone);
    CHECK(count(desk, "SELECT count(*) FROM (SELECT ticket FROM registration WHERE status IN ('waiting', 'called') "
                      "GROUP BY ticket HAVING count(*) > 1) AS t") == 0);
}

TEST_CASE("a yearly report after the first prepares nothing: one round trip per statement") {
    PgStore pg(serverOrSkip());
    Store store = pg.open();
    logContact(store, Actor::cli(), NewContact{});
    const auto& server = dynamic_cast<const PgDatabase&>(store.db());
    const Period year = Period::year(yearOf(localDay(nowUnix())));
    buildReport(store, year); // prepares its statements, once per connection
    const uint64_t before = server.roundTrips();
    buildReport(store, year);
    // 15 statements and the COMMIT (BEGIN goes with the first); it was 49: each statement built at run time was
    // prepared (SAVEPOINT, PREPARE, RELEASE) and deallocated at every report.
    INFO("round trips: " << server.roundTrips() - before);
    CHECK(server.roundTrips() - before <= 16);
}

TEST_CASE("a statement failing together with the BEGIN and SAVEPOINT sent before it rolls back to it") {
    PgStore pg(serverOrSkip());
    Store store = pg.open();
    const auto insert = [&store](const char* channel) {
        store.db().prepare("INSERT INTO contact(at, day, channel) VALUES (?, ?, ?)").bindAll(1, "2026-01-05", channel).run();
    };
    {
        Transaction first(store.db());
        insert("phone"); // prepared here, so the next run goes in one pipeline with what waits
        first.commit();
    }
    {
        Transaction outer(store.db());
        try {
            Transaction inner(store.db());
            insert("carrier_pigeon"); // sent with BEGIN, the locks and SAVEPOINT; the CHECK refuses it
            FAIL("the CHECK must refuse the channel");
        } catch (const DbError& e) {
            CHECK(e.isConstraint());
        }
        insert("email"); // the outer transaction goes on after ROLLBACK TO the savepoint
        outer.commit();
    }
    CHECK(count(store, "SELECT count(*) FROM contact") == 2);
    CHECK(count(store, "SELECT count(*) FROM contact WHERE channel = 'email'") == 1);
    {
        Transaction failed(store.db());
        CHECK_THROWS_AS(insert("carrier_pigeon"), DbError); // the first statement of the transaction fails
    } // rolled back; the connection works on
    insert("walk_in");
    CHECK(count(store, "SELECT count(*) FROM contact") == 3);
}

TEST_CASE("a connection cut mid-transaction says so, writes nothing, and a new one works") {
    PgStore pg(serverOrSkip());
    Store store = pg.open();
    const int64_t before = count(store, "SELECT count(*) FROM contact");
    const int64_t backend = store.db().queryInt("SELECT pg_backend_pid()");
    {
        Transaction tx(store.db());
        logContact(store, Actor::cli(), NewContact{}); // nested: a savepoint inside the open transaction
        Pg admin = pg.db.connect();
        admin.exec("SELECT pg_terminate_backend(" + std::to_string(backend) + ")");
        try {
            tx.commit();
            FAIL("the commit after the cut must not succeed");
        } catch (const DbError& e) {
            // The COMMIT went out on a connection the server had ended: no answer, so the store cannot know and
            // says the change may or may not be saved (here it was not).
            CHECK(e.isConnectionLost());
            CHECK(e.outcomeUnknown());
            CHECK(std::string(e.what()).find("may or may not be saved") != std::string::npos);
        }
    } // the transaction's destructor on a dead connection: no throw, no crash
    Store again = pg.open();
    CHECK(count(again, "SELECT count(*) FROM contact") == before);
    // A statement before the COMMIT that meets the cut: certainly nothing saved, and said so.
    const int64_t backend2 = again.db().queryInt("SELECT pg_backend_pid()");
    pg.db.connect().exec("SELECT pg_terminate_backend(" + std::to_string(backend2) + ")");
    try {
        logContact(again, Actor::cli(), NewContact{});
        FAIL("a write on a connection the server ended must not succeed");
    } catch (const DbError& e) {
        CHECK(e.isConnectionLost());
        CHECK_FALSE(e.outcomeUnknown());
        CHECK(std::string(e.what()).find("nothing of this change was saved") != std::string::npos);
    }
    Store third = pg.open();
    CHECK(count(third, "SELECT count(*) FROM contact") == before);
    CHECK(count(third, "SELECT count(*) FROM audit_log WHERE entity = 'contact'") == 0);
    CHECK(logContact(third, Actor::cli(), NewContact{}).id > 0);
}

} // TEST_SUITE
