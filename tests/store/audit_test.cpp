// Tests the append-only audit log: one row per domain write, in the same transaction, none for a refused write.
#include "support/temp_store.hpp"

#include "helpers.hpp"

#include "core/store/audit_chain.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace inloop::core;
using namespace inloop::test;

namespace {

struct AuditRow {
    std::string actor, action, entity;
    std::optional<int64_t> staffId, recordId;
};

AuditRow lastAudit(Store& store) {
    const auto stOwned = store.db().statement("SELECT actor, action, entity, staff_id, record_id FROM audit_log ORDER BY id DESC LIMIT 1");
    Statement& st = *stOwned;
    REQUIRE(st.step());
    return {st.getText(0), st.getText(1), st.getText(2), st.getOptInt(3), st.getOptInt(4)};
}

} // namespace

TEST_SUITE("audit") {

TEST_CASE("the audit log refuses UPDATE and DELETE") {
    TempStore ts;
    Store store = ts.open();
    logContact(store, Actor::cli(), NewContact{});
    const int64_t rows = auditRows(store);
    REQUIRE(rows > 0);
    const std::string before = store.db().queryText("SELECT group_concat(id || action || entity || detail, '|') FROM audit_log");

    for (const char* sql : {"UPDATE audit_log SET detail = 'nothing happened'", "UPDATE audit_log SET actor = 'system' WHERE id = 1",
                            "DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"}) {
        CAPTURE(sql);
        try {
            store.db().exec(sql);
            FAIL("the audit log was changed");
        } catch (const DbError& e) {
            CHECK(e.isConstraint());
        }
    }
    CHECK(auditRows(store) == rows);
    CHECK(store.db().queryText("SELECT group_concat(id || action || entity || detail, '|') FROM audit_log") == before);
}

TEST_CASE("every domain write adds exactly one audit row naming what changed") {
    TempStore ts;
    Store store = ts.open();
    const int64_t session = makeSession(store, 10, plainDay(2));
    const int64_t condoms = *findSupplyItem(store, "condom_m");
    const std::vector<int64_t> beds = bedIds(store);
    StockChange delivery;
    delivery.itemId = condoms;
    delivery.kind = StockKind::Delivery;
    delivery.quantity = 500;
    moveStock(store, Actor::cli(), delivery);

    int64_t before = auditRows(store);
    const int64_t staff = addStaff(store, Actor::cli(), "Anja", Role::Coordinator, "482913"); // she also checks in
    CHECK(auditRows(store) == before + 1);
    AuditRow a = lastAudit(store);
    CHECK(a.actor == "cli");
    CHECK(a.action == "add");
    CHECK(a.entity == "staff");
    CHECK(a.recordId == staff);

    const Actor anja = Actor::staff(staff);
    before = auditRows(store);
    NewContact c;
    c.topics = {Topic::Health, Topic::SuppliesOnly};
    const int64_t contact = logContact(store, anja, c).id;
    CHECK(auditRows(store) == before + 1);
    a = lastAudit(store);
    CHECK(a.actor == "staff");
    CHECK(a.staffId == staff);
    CHECK(a.action == "log");
    CHECK(a.entity == "contact");
    CHECK(a.recordId == contact);

    before = auditRows(store);
    StockChange hand;
    hand.itemId = condoms;
    hand.quantity = 10;
    hand.contactId = contact;
    const int64_t move = moveStock(store, anja, hand);
    CHECK(auditRows(store) == before + 1);
    a = lastAudit(store);
    CHECK(a.action == "handout");
    CHECK(a.entity == "stock_move");
    CHECK(a.recordId == move);

    before = auditRows(store);
    const int64_t stay = checkIn(store, anja, stayIn(beds[0]));
    CHECK(auditRows(store) == before + 1);
    a = lastAudit(store);
    CHECK(a.action == "check_in");
    CHECK(a.entity == "stay");
    CHECK(a.recordId == stay);

    before = auditRows(store);
    checkOut(store, anja, stay, Destination::SupportedHousing);
    CHECK(auditRows(store) == before + 1);
    a = lastAudit(store);
    CHECK(a.action == "check_out");
    CHECK(a.recordId == stay);

    before = auditRows(store);
    const Ticket t = registerForSession(store, anja, session, RegistrationSource::Desk, "es");
    CHECK(auditRows(store) == before + 1);
    a = lastAudit(store);
    CHECK(a.action == "register");
    CHECK(a.entity == "registration");
    CHECK(a.recordId == t.registrationId);

    before = auditRows(store);
    undoContact(store, anja, contact);
    CHECK(auditRows(store) == before + 1);
    a = lastAudit(store);
    CHECK(a.action == "undo");
    CHECK(a.recordId == contact);
}

TEST_CASE("a write whose audit row cannot be added is not saved at all") {
    TempStore ts;
    Store store = ts.open();
    const int64_t condoms = *findSupplyItem(store, "condom_m");
    const int64_t bed = bedIds(store).front();
    StockChange delivery;
    delivery.itemId = condoms;
    delivery.kind = StockKind::Delivery;
    delivery.quantity = 100;
    moveStock(store, Actor::cli(), delivery);
    const int64_t moves = count(store, "SELECT count(*) FROM stock_move");
    const int64_t contacts = count(store, "SELECT count(*) FROM contact"), stock = stockOf(store, condoms);
    const int64_t audits = auditRows(store);
    // A trigger that fails every audit insert, as a full disk would (SQLite: a temporary one on this connection).
    if (onPostgres()) {
        store.db().exec("CREATE FUNCTION audit_breaks() RETURNS trigger LANGUAGE plpgsql AS "
                        "$$ BEGIN RAISE EXCEPTION 'audit unavailable'; END $$");
        store.db().exec("CREATE TRIGGER audit_breaks BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_breaks()");
    } else {
        store.db().exec("CREATE TEMP TRIGGER audit_breaks BEFORE INSERT ON main.audit_log "
                        "BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END");
    }

    CHECK_THROWS_AS(logContact(store, Actor::cli(), NewContact{}), DbError);
    StockChange hand;
    hand.itemId = condoms;
    hand.quantity = 5;
    CHECK_THROWS_AS(moveStock(store, Actor::cli(), hand), DbError);
    CHECK_THROWS_AS(checkIn(store, Actor::cli(), stayIn(bed)), DbError);

    CHECK_FALSE(store.db().inTransaction());
    CHECK(count(store, "SELECT count(*) FROM contact") == contacts);
    CHECK(stockOf(store, condoms) == stock);
    CHECK(count(store, "SELECT count(*) FROM stock_move") == moves);
    CHECK(count(store, "SELECT count(*) FROM stay") == 0);
    CHECK(auditRows(store) == audits);

    store.db().exec(onPostgres() ? "DROP TRIGGER audit_breaks ON audit_log" : "DROP TRIGGER temp.audit_breaks");
    logContact(store, Actor::cli(), NewContact{});
    CHECK(count(store, "SELECT count(*) FROM contact") == contacts + 1);
}

TEST_CASE("a refused domain call adds no audit row and changes nothing") {
    TempStore ts;
    Store store = ts.open();
    const int64_t session = makeSession(store, 1, plainDay(3));
    const int64_t condoms = *findSupplyItem(store, "condom_m");
    const int64_t bed = bedIds(store).front();
    const int64_t contact = logContact(store, Actor::cli(), NewContact{}).id;
    undoContact(store, Actor::cli(), contact);
    const int64_t stay = checkIn(store, Actor::cli(), stayIn(bed));
    checkOut(store, Actor::cli(), stay, Destination::OwnHome);
    const int64_t stay2 = checkIn(store, Actor::cli(), stayIn(bed, "Lena"));
    registerForSession(store, Actor::cli(), session, RegistrationSource::Desk);

    const int64_t audits = auditRows(store);
    const std::string snapshot = store.db().queryText(
        "SELECT (SELECT count(*) FROM contact) || '/' || (SELECT count(*) FROM stock_move) || '/' || "
        "(SELECT count(*) FROM stay) || '/' || (SELECT count(*) FROM registration) || '/' || "
        "(SELECT count(*) FROM staff) || '/' || (SELECT count(*) FROM client)");

    NewContact bad;
    bad.language = "Dutch";
    CHECK_ERROR(logContact(store, Actor::cli(), bad), ErrorKind::InvalidInput, "language");
    NewContact badCode;
    badCode.clientCode = "x";
    CHECK_ERROR(logContact(store, Actor::cli(), badCode), ErrorKind::InvalidInput, "client_code");
    CHECK_ERROR(undoContact(store, Actor::cli(), contact), ErrorKind::Conflict, "contact.already_undone");
    StockChange tooMany;
    tooMany.itemId = condoms;
    tooMany.quantity = stockOf(store, condoms) + 1;
    CHECK_ERROR(moveStock(store, Actor::cli(), tooMany), ErrorKind::NeedsConfirmation, "stock.below_zero");
    CHECK_ERROR(checkIn(store, Actor::cli(), stayIn(bed, "Ilse")), ErrorKind::Conflict, "bed.taken");
    CHECK_ERROR(checkOut(store, Actor::cli(), stay, Destination::OwnHome), ErrorKind::Conflict, "stay.already_out");
    CHECK_ERROR(registerForSession(store, Actor::cli(), session, RegistrationSource::Kiosk), ErrorKind::Full,
                "registration.full");
    CHECK_ERROR(addStaff(store, Actor::cli(), "Bo", Role::Shelter, "12ab"), ErrorKind::InvalidInput, "staff.pin");

    CHECK(auditRows(store) == audits);
    CHECK(store.db().queryText(
              "SELECT (SELECT count(*) FROM contact) || '/' || (SELECT count(*) FROM stock_move) || '/' || "
              "(SELECT count(*) FROM stay) || '/' || (SELECT count(*) FROM registration) || '/' || "
              "(SELECT count(*) FROM staff) || '/' || (SELECT count(*) FROM client)") == snapshot);
    CHECK(count(store, "SELECT count(*) FROM stay WHERE out_at IS NULL AND id = " + std::to_string(stay2)) == 1);
}

TEST_CASE("an audit row chains to the real head when another connection or a rolled-back write moved it") {
    // Each connection remembers the head it last wrote (one round trip per audit row instead of two); the server
    // checks that it still is the head, and the row is chained to the one really before it.
    TempStore ts;
    Store a = ts.open();
    Store b = ts.open();
    logContact(a, Actor::cli(), NewContact{});
    logContact(a, Actor::cli(), NewContact{}); // a's hint is the head
    logContact(b, Actor::cli(), NewContact{}); // b moved it: a's hint is stale
    logContact(a, Actor::cli(), NewContact{});
    {
        Transaction undone(a.db());
        logContact(a, Actor::cli(), NewContact{}); // its audit row is rolled back with it
    }
    logContact(a, Actor::cli(), NewContact{});
    logContact(b, Actor::cli(), NewContact{});
    const int64_t rows = auditRows(a);
    CHECK(count(a, "SELECT max(id) FROM audit_log") == rows); // no gap, no id taken twice
    const AuditVerdict v = verifyAuditLog(a.db(), {});
    CHECK(v.ok());
    CHECK(v.rows == rows);
}

} // TEST_SUITE
