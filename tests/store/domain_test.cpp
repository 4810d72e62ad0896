// Tests the domain API: contacts and visitor codes, supplies, registrations, the kiosk's limits, shelter beds, staff.
#include "support/temp_store.hpp"

#include "helpers.hpp"

#include <doctest/doctest.h>
#include <sodium.h>

#include <cstdlib>
#include <set>
#include <string>
#include <unistd.h>

using namespace inloop::core;
using namespace inloop::test;

namespace {

int64_t at(const char* day, int hour, int minute = 0) { return unixFromLocal(day, hour * 60 + minute); }

NewContact walkIn(std::optional<std::string> code, int64_t moment) {
    NewContact c;
    c.clientCode = std::move(code);
    c.when.at = moment;
    return c;
}

bool fileContains(const fs::path& file, const std::string& needle) {
    return fs::exists(file) && readBytes(file).find(needle) != std::string::npos;
}

int64_t deliver(Store& store, int64_t item, int64_t qty) {
    StockChange d;
    d.itemId = item;
    d.kind = StockKind::Delivery;
    d.quantity = qty;
    return moveStock(store, Actor::cli(), d);
}

// Every file this process has open, by resolved path.
std::set<std::string> openFiles() {
    std::set<std::string> out;
    for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const auto target = fs::read_symlink(entry.path(), ec);
        if (!ec) out.insert(target.string());
    }
    return out;
}

} // namespace

TEST_SUITE("domain") {

// ---------------------------------------------------------------- contacts

TEST_CASE("logContact refuses a bad language code and writes nothing") {
    TempStore ts;
    Store store = ts.open();
    const int64_t contacts = count(store, "SELECT count(*) FROM contact");
    for (const char* lang : {"", "n", "NL", "dutch", "e1", "nl-BE", "zh_CN"}) {
        CAPTURE(lang);
        NewContact c;
        c.language = lang;
        c.clientCode = "AB1990";
        c.topics = {Topic::Law};
        CHECK_ERROR(logContact(store, Actor::cli(), c), ErrorKind::InvalidInput, "language");
    }
    CHECK(count(store, "SELECT count(*) FROM contact") == contacts);
    CHECK(count(store, "SELECT count(*) FROM client") == 0);
    CHECK(count(store, "SELECT count(*) FROM contact_topic") == 0);

    NewContact ok;
    ok.language = "fil";
    ok.topics = {Topic::Law, Topic::Money, Topic::Law};
    const int64_t id = logContact(store, Actor::cli(), ok).id;
    CHECK(store.db().queryText("SELECT language FROM contact WHERE id = " + std::to_string(id)) == "fil");
    CHECK(count(store, "SELECT count(*) FROM contact_topic WHERE contact_id = " + std::to_string(id)) == 2);
}

TEST_CASE("the same visitor code in any case or spacing is the same visitor") {
    TempStore ts;
    Store store = ts.open();
    const LoggedContact first = logContact(store, Actor::cli(), walkIn("AB1990", at("2025-03-10", 11)));
    const LoggedContact second = logContact(store, Actor::cli(), walkIn("ab 1990", at("2025-05-02", 15)));
    const LoggedContact third = logContact(store, Actor::cli(), walkIn(" a-b.1990 ", at("2025-12-31", 23, 30)));
    REQUIRE(first.clientId);
    CHECK(second.clientId == first.clientId);
    CHECK(third.clientId == first.clientId);
    CHECK(first.visitsThisYear == 1);
    CHECK(second.visitsThisYear == 2);
    CHECK(third.visitsThisYear == 3);

    const LoggedContact other = logContact(store, Actor::cli(), walkIn("AB1991", at("2025-12-31", 12)));
    REQUIRE(other.clientId);
    CHECK(other.clientId != first.clientId);
    CHECK(other.visitsThisYear == 1);

    // A new calendar year (local time) starts the count again.
    const LoggedContact january = logContact(store, Actor::cli(), walkIn("AB1990", at("2026-01-01", 0, 30)));
    CHECK(january.clientId == first.clientId);
    CHECK(january.visitsThisYear == 1);

    const LoggedContact anonymous = logContact(store, Actor::cli(), walkIn(std::nullopt, at("2025-06-01", 10)));
    CHECK_FALSE(anonymous.clientId);
    CHECK(anonymous.visitsThisYear == 0);
    CHECK(count(store, "SELECT count(*) FROM client") == 2);
}

TEST_CASE("a visitor code never reaches the disk but its keyed hash does" * doctest::test_suite("sqlite")) {
    TempStore ts;
    const StorePaths paths{ts.data};
    const std::vector<std::string> secrets = {"Zq-4471x", "ZQ4471X", "zq4471x", "Mv 8812", "MV8812", "mv8812"};
    const auto expectNowhere = [&](const char* when) {
        CAPTURE(when);
        for (const auto& file : {paths.deskDb(), fs::path(paths.deskDb().string() + "-wal"), paths.publicDb(),
                                 fs::path(paths.publicDb().string() + "-wal")})
            for (const auto& s : secrets) {
                CAPTURE(file);
                CAPTURE(s);
                CHECK_FALSE(fileContains(file, s));
            }
    };
    {
        Store store = ts.open();
        NewContact c = walkIn("Zq-4471x", at("2025-04-01", 10));
        c.topics = {Topic::StiTest};
        const LoggedContact logged = logContact(store, Actor::cli(), c);
        CheckIn in = stayIn(bedIds(store).front(), "Mira");
        in.clientCode = "Mv 8812";
        checkIn(store, Actor::cli(), in);
        REQUIRE(logged.clientId);
        CHECK(count(store, "SELECT count(*) FROM client") == 2);
        CHECK(count(store, "SELECT length(code_hash) FROM client WHERE id = " + std::to_string(*logged.clientId)) == 32);
        REQUIRE(fs::exists(paths.deskDb().string() + "-wal"));
        expectNowhere("in the WAL, before a checkpoint");
        store.db().exec("PRAGMA main.wal_checkpoint(TRUNCATE); PRAGMA pub.wal_checkpoint(TRUNCATE);");
        expectNowhere("after a checkpoint");
    }
    expectNowhere("after closing");
    // The hash is keyed: the same code still finds the same visitor after reopening.
    Store store = ts.open();
    CHECK(logContact(store, Actor::cli(), walkIn("zq4471x", at("2025-04-02", 10))).visitsThisYear == 2);
}

TEST_CASE("undoing a contact adds a reversing row and cannot be done twice") {
    TempStore ts;
    Store store = ts.open();
    const LoggedContact c = logContact(store, Actor::cli(), walkIn("CD1985", at("2025-02-03", 10)));
    const int64_t undo = undoContact(store, Actor::cli(), c.id, When{at("2025-02-03", 10, 5)});
    CHECK(undo != c.id);
    CHECK(count(store, "SELECT count(*) FROM contact") == 2); // nothing is deleted
    CHECK(count(store, "SELECT reverses FROM contact WHERE id = " + std::to_string(undo)) == c.id);
    CHECK(count(store, "SELECT client_id FROM contact WHERE id = " + std::to_string(undo)) == *c.clientId);
    CHECK(store.db().queryText("SELECT channel FROM contact WHERE id = " + std::to_string(undo)) == "walk_in");

    CHECK_ERROR(undoContact(store, Actor::cli(), c.id), ErrorKind::Conflict, "contact.already_undone");
    CHECK_ERROR(undoContact(store, Actor::cli(), undo), ErrorKind::Conflict, "contact.is_undo");
    CHECK_ERROR(undoContact(store, Actor::cli(), 987654), ErrorKind::NotFound, "contact.not_found");
    CHECK(count(store, "SELECT count(*) FROM contact") == 2);

    // The undone visit no longer counts for the visitor.
    CHECK(logContact(store, Actor::cli(), walkIn("CD1985", at("2025-02-04", 10))).visitsThisYear == 1);
}

// ---------------------------------------------------------------- supplies

TEST_CASE("a handout beyond the stock needs confirmation and a reason") {
    TempStore ts;
    Store store = ts.open();
    const int64_t lube = *findSupplyItem(store, "lube");
    deliver(store, lube, 5);
    const int64_t moves = count(store, "SELECT count(*) FROM stock_move");

    StockChange hand;
    hand.itemId = lube;
    hand.quantity = 8;
    CHECK_ERROR(moveStock(store, Actor::cli(), hand), ErrorKind::NeedsConfirmation, "stock.below_zero");
    CHECK(stockOf(store, lube) == 5);
    hand.confirmBelowZero = true;
    CHECK_ERROR(moveStock(store, Actor::cli(), hand), ErrorKind::InvalidInput, "stock.reason");
    CHECK(stockOf(store, lube) == 5);
    CHECK(count(store, "SELECT count(*) FROM stock_move") == moves);

    hand.reason = "delivery not yet booked";
    const int64_t id = moveStock(store, Actor::cli(), hand);
    CHECK(stockOf(store, lube) == -3);
    CHECK(store.db().queryText("SELECT reason FROM stock_move WHERE id = " + std::to_string(id)) == "delivery not yet booked");

    // Exactly the stock is fine without confirmation.
    const int64_t sponge = *findSupplyItem(store, "sponge");
    deliver(store, sponge, 3);
    StockChange all;
    all.itemId = sponge;
    all.quantity = 3;
    moveStock(store, Actor::cli(), all);
    CHECK(stockOf(store, sponge) == 0);
}

TEST_CASE("a sale needs a payment and costs the item price times the quantity") {
    TempStore ts;
    Store store = ts.open();
    const int64_t condoms = *findSupplyItem(store, "condom_m"); // 25 cents each
    deliver(store, condoms, 100);

    StockChange sale;
    sale.itemId = condoms;
    sale.kind = StockKind::Sale;
    sale.quantity = 4;
    CHECK_ERROR(moveStock(store, Actor::cli(), sale), ErrorKind::InvalidInput, "stock.payment");
    StockChange hand;
    hand.itemId = condoms;
    hand.quantity = 4;
    hand.payment = Payment::Cash;
    CHECK_ERROR(moveStock(store, Actor::cli(), hand), ErrorKind::InvalidInput, "stock.payment");
    hand.payment.reset();
    hand.priceCents = 100;
    CHECK_ERROR(moveStock(store, Actor::cli(), hand), ErrorKind::InvalidInput, "stock.price");
    CHECK(stockOf(store, condoms) == 100);

    sale.payment = Payment::Cash;
    const int64_t cash = moveStock(store, Actor::cli(), sale);
    CHECK(count(store, "SELECT price_cents FROM stock_move WHERE id = " + std::to_string(cash)) == 100);
    CHECK(store.db().queryText("SELECT payment FROM stock_move WHERE id = " + std::to_string(cash)) == "cash");
    CHECK(stockOf(store, condoms) == 96);

    sale.payment = Payment::Card;
    sale.quantity = 3;
    sale.priceCents = 50; // a discount agreed at the desk
    const int64_t card = moveStock(store, Actor::cli(), sale);
    CHECK(count(store, "SELECT price_cents FROM stock_move WHERE id = " + std::to_string(card)) == 50);
    CHECK(store.db().queryText("SELECT payment FROM stock_move WHERE id = " + std::to_string(card)) == "card");
    CHECK(stockOf(store, condoms) == 93);
}

TEST_CASE("a stock correction needs a reason and may go either way") {
    TempStore ts;
    Store store = ts.open();
    const int64_t flyers = *findSupplyItem(store, "flyer");
    deliver(store, flyers, 40);
    StockChange fix;
    fix.itemId = flyers;
    fix.kind = StockKind::Correction;
    fix.quantity = -6;
    CHECK_ERROR(moveStock(store, Actor::cli(), fix), ErrorKind::InvalidInput, "stock.reason");
    fix.quantity = 0;
    fix.reason = "counted";
    CHECK_ERROR(moveStock(store, Actor::cli(), fix), ErrorKind::InvalidInput, "stock.quantity");
    CHECK(stockOf(store, flyers) == 40);

    fix.quantity = -6;
    fix.reason = "water damage";
    moveStock(store, Actor::cli(), fix);
    CHECK(stockOf(store, flyers) == 34);
    fix.quantity = 10;
    fix.reason = "box found in the cellar";
    moveStock(store, Actor::cli(), fix);
    CHECK(stockOf(store, flyers) == 44);
    // The stock always equals the sum of the moves.
    CHECK(count(store, "SELECT sum(qty) FROM stock_move WHERE item_id = " + std::to_string(flyers)) == 44);
}

TEST_CASE("undoing a stock move restores the stock once") {
    TempStore ts;
    Store store = ts.open();
    const int64_t dams = *findSupplyItem(store, "dental_dam");
    const int64_t delivery = deliver(store, dams, 50);
    StockChange hand;
    hand.itemId = dams;
    hand.quantity = 20;
    const int64_t handout = moveStock(store, Actor::cli(), hand);
    CHECK(stockOf(store, dams) == 30);

    const int64_t reversal = undoStockMove(store, Actor::cli(), handout);
    CHECK(stockOf(store, dams) == 50);
    CHECK(store.db().queryText("SELECT kind FROM stock_move WHERE id = " + std::to_string(reversal)) == "reversal");
    CHECK_ERROR(undoStockMove(store, Actor::cli(), handout), ErrorKind::Conflict, "stock.already_undone");
    CHECK_ERROR(undoStockMove(store, Actor::cli(), reversal), ErrorKind::Conflict, "stock.is_undo");
    CHECK(stockOf(store, dams) == 50);

    // Undoing the delivery after most of it went out would make the stock negative: refused.
    hand.quantity = 40;
    moveStock(store, Actor::cli(), hand);
    CHECK_ERROR(undoStockMove(store, Actor::cli(), delivery), ErrorKind::NeedsConfirmation, "stock.below_zero");
    CHECK(stockOf(store, dams) == 10);
    // Moves are append-only.
    CHECK_THROWS_AS(store.db().exec("DELETE FROM stock_move WHERE id = " + std::to_string(handout)), DbError);
}

// ---------------------------------------------------------------- registrations

TEST_CASE("a session takes as many registrations as it has places") {
    TempStore ts;
    Store store = ts.open();
    const int64_t session = makeSession(store, 3, plainDay(2));
    CHECK(freePlaces(store, session) == 3);
    for (int i = 0; i < 3; ++i) registerForSession(store, Actor::cli(), session, RegistrationSource::Kiosk);
    CHECK(freePlaces(store, session) == 0);
    CHECK_ERROR(registerForSession(store, Actor::cli(), session, RegistrationSource::Desk), ErrorKind::Full,
                "registration.full");
    CHECK_ERROR(registerForSession(store, Actor::cli(), session, RegistrationSource::Phone), ErrorKind::Full,
                "registration.full");
    CHECK(count(store, "SELECT count(*) FROM registration") == 3);
    CHECK(freePlaces(store, session) == 0);
}

TEST_CASE("a cancelled registration frees its place") {
    TempStore ts;
    Store store = ts.open();
    const int64_t session = makeSession(store, 3, plainDay(2));
    std::vector<Ticket> tickets;
    for (int i = 0; i < 3; ++i) tickets.push_back(registerForSession(store, Actor::cli(), session, RegistrationSource::Kiosk));
    REQUIRE(freePlaces(store, session) == 0);

    const int64_t audits = auditRows(store);
    cancelRegistration(store, Actor::cli(), tickets[1].registrationId);
    CHECK(auditRows(store) == audits + 1);
    CHECK(freePlaces(store, session) == 1);
    CHECK_ERROR(cancelRegistration(store, Actor::cli(), tickets[1].registrationId), ErrorKind::Conflict,
                "registration.closed");
    const Ticket late = registerForSession(store, Actor::cli(), session, RegistrationSource::Phone, "bg");
    CHECK(late.code != tickets[1].code); // a ticket number is never handed out twice on a day
    CHECK_ERROR(registerForSession(store, Actor::cli(), session, RegistrationSource::Kiosk), ErrorKind::Full,
                "registration.full");
    CHECK(count(store, "SELECT count(*) FROM registration WHERE status = 'waiting'") == 3);

    // The queue steps at the desk are recorded the same way.
    setRegistrationStatus(store, Actor::cli(), tickets[0].registrationId, "called");
    setRegistrationStatus(store, Actor::cli(), tickets[0].registrationId, "seen");
    CHECK(store.db().queryText("SELECT status FROM registration WHERE id = " + std::to_string(tickets[0].registrationId)) ==
          "seen");
    CHECK(freePlaces(store, session) == 0);
}

TEST_CASE("a weekly schedule rule added at the desk makes sessions") {
    TempStore ts;
    Store store = ts.open();
    const std::string monday = plainDay(1);
    NewRule rule;
    rule.serviceId = *findService(store, "lawyer");
    rule.weekday = 1;
    rule.startMin = 13 * 60;
    rule.endMin = 15 * 60;
    rule.capacity = 6;
    rule.validFrom = monday;
    const int64_t audits = auditRows(store);
    addScheduleRule(store, Actor::cli(), rule);
    CHECK(auditRows(store) == audits + 1);
    CHECK(generateSessions(store, monday, 14) == 2);
    CHECK(count(store, "SELECT count(*) FROM session WHERE capacity = 6 AND status = 'planned'") == 2);

    rule.capacity = 0;
    CHECK_ERROR(addScheduleRule(store, Actor::cli(), rule), ErrorKind::InvalidInput, "rule.capacity");
    rule.capacity = 6;
    rule.serviceId = 987654;
    CHECK_ERROR(addScheduleRule(store, Actor::cli(), rule), ErrorKind::NotFound, "service.not_found");
}

TEST_CASE("registration on a closed or cancelled session is refused") {
    TempStore ts;
    Store store = ts.open();
    int64_t session = 0;
    SUBCASE("the centre is closed that day") {
        const std::string day = plainDay(4);
        session = makeSession(store, 5, day);
        addClosure(store, Actor::cli(), day, std::nullopt, "staff training");
        CHECK(store.db().queryText("SELECT status FROM session WHERE id = " + std::to_string(session)) == "closed");
    }
    SUBCASE("this service is cancelled that day") {
        const std::string day = plainDay(4);
        session = makeSession(store, 5, day);
        addClosure(store, Actor::cli(), day, findService(store, "sti_test"), "nurse ill");
        CHECK(store.db().queryText("SELECT status FROM session WHERE id = " + std::to_string(session)) == "cancelled");
    }
    SUBCASE("a public holiday (Easter Monday 2030)") {
        session = makeSession(store, 5, "2030-04-22");
        CHECK(store.db().queryText("SELECT reason FROM session WHERE id = " + std::to_string(session)) ==
              "holiday:easter_monday");
    }
    CHECK_ERROR(registerForSession(store, Actor::cli(), session, RegistrationSource::Kiosk), ErrorKind::Conflict,
                "session.cancelled");
    CHECK(count(store, "SELECT count(*) FROM registration") == 0);
}

TEST_CASE("a closure without a reason can be saved") {
    // The domain passes reasons as string_view; a caller with no reason passes an empty one.
    TempStore ts;
    Store store = ts.open();
    const std::string day = "2030-06-03";
    CHECK_NOTHROW(addClosure(store, Actor::cli(), day, std::nullopt, std::string_view()));
    CHECK(store.db().queryInt("SELECT count(*) FROM schedule_exception WHERE day = '2030-06-03' AND kind = 'closed'") == 1);
}

TEST_CASE("ticket codes are unique on a day and never use 0 O 1 or I") {
    TempStore ts;
    Store store = ts.open();
    const std::string day = plainDay(2);
    const int64_t big = makeSession(store, 100, day);
    // A second service whose code starts with the same letter, on the same day.
    addService(store, Actor::cli(), NewService{"seksuele_voorlichting", "Voorlichting", "", "spot46", "nl"});
    const int64_t other = makeSession(store, 20, day, "seksuele_voorlichting", 10 * 60);

    std::set<std::string> codes;
    for (int i = 0; i < 70; ++i)
        codes.insert(registerForSession(store, Actor::cli(), big, RegistrationSource::Kiosk).code);
    for (int i = 0; i < 12; ++i)
        codes.insert(registerForSession(store, Actor::cli(), other, RegistrationSource::Desk).code);
    CHECK(codes.size() == 82);
    for (const auto& code : codes) {
        CAPTURE(code);
        CHECK(code.size() >= 2);
        CHECK(code.size() <= 8);
        CHECK(code.find_first_of("0O1I") == std::string::npos);
        CHECK(code.find_first_not_of("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") == std::string::npos);
    }
    CHECK(freePlaces(store, big) == 30);
}

TEST_CASE("the kiosk can register but cannot reach the desk's data" * doctest::test_suite("sqlite")) {
    TempStore ts;
    const StorePaths paths{ts.data};
    int64_t session = 0;
    int64_t audits = 0;
    {
        Store desk = ts.open();
        session = makeSession(desk, 4, plainDay(5));
        audits = auditRows(desk);
    }
    Ticket ticket;
    {
        Store kiosk = ts.open(Store::Access::Kiosk);
        CHECK_FALSE(kiosk.isDesk());
        const auto files = openFiles();
        for (const auto& f : files) {
            CAPTURE(f);
            CHECK(f.find("desk.db") == std::string::npos);
            CHECK(f.find("client-code.key") == std::string::npos);
        }
        CHECK(kiosk.db().queryInt("SELECT count(*) FROM pragma_database_list WHERE file LIKE '%desk.db%'") == 0);

        ticket = registerForSession(kiosk, Actor::kiosk(), session, RegistrationSource::Kiosk, "th");
        CHECK(freePlaces(kiosk, session) == 3);

        CHECK_ERROR(logContact(kiosk, Actor::kiosk(), NewContact{}), ErrorKind::Storage, "store.kiosk");
        CHECK_ERROR(kiosk.hashClientCode("AB1990"), ErrorKind::Storage, "store.kiosk");
        CHECK_ERROR(checkIn(kiosk, Actor::kiosk(), stayIn(1)), ErrorKind::Storage, "store.kiosk");
        CHECK_ERROR(freeBeds(kiosk), ErrorKind::Storage, "store.kiosk");
        StockChange hand;
        hand.itemId = 1;
        hand.quantity = 1;
        CHECK_ERROR(moveStock(kiosk, Actor::kiosk(), hand), ErrorKind::Storage, "store.kiosk");
        CHECK_THROWS_AS(kiosk.db().queryInt("SELECT count(*) FROM contact"), SqliteError);
    }
    // The kiosk works without desk.db and its key present at all, and does not create them.
    fs::rename(paths.deskDb(), ts.dir.path() / "desk.db.away");
    fs::rename(paths.codeKey(), ts.dir.path() / "key.away");
    {
        Store kiosk = ts.open(Store::Access::Kiosk);
        registerForSession(kiosk, Actor::kiosk(), session, RegistrationSource::Kiosk, "zh");
    }
    CHECK_FALSE(fs::exists(paths.deskDb()));
    CHECK_FALSE(fs::exists(paths.codeKey()));
    fs::rename(ts.dir.path() / "desk.db.away", paths.deskDb());
    fs::rename(ts.dir.path() / "key.away", paths.codeKey());

    // The desk sees both kiosk registrations; nothing about them went into desk.db.
    Store desk = ts.open();
    CHECK(count(desk, "SELECT count(*) FROM registration WHERE source = 'kiosk' AND session_id = " +
                          std::to_string(session)) == 2);
    CHECK(desk.db().queryText("SELECT language FROM registration WHERE id = " + std::to_string(ticket.registrationId)) ==
          "th");
    CHECK(auditRows(desk) == audits);
}

// ---------------------------------------------------------------- shelter

TEST_CASE("a bed holds one person and a visitor holds one bed") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    REQUIRE(beds.size() == 16);
    CHECK(freeBeds(store) == 16);
    CheckIn first = stayIn(beds[0], "Mira");
    first.clientCode = "EF2001";
    checkIn(store, Actor::cli(), first);
    CHECK(freeBeds(store) == 15);
    CHECK_ERROR(checkIn(store, Actor::cli(), stayIn(beds[0], "Lena")), ErrorKind::Conflict, "bed.taken");
    CheckIn again = stayIn(beds[1], "Mira");
    again.clientCode = "ef 2001";
    CHECK_ERROR(checkIn(store, Actor::cli(), again), ErrorKind::Conflict, "client.already_in");
    CHECK_ERROR(checkIn(store, Actor::cli(), stayIn(999999)), ErrorKind::NotFound, "bed.not_found");
    CHECK(count(store, "SELECT count(*) FROM stay") == 1);
    CHECK(freeBeds(store) == 15);
}

TEST_CASE("the last free bed is given away only with confirmation and a reason") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    for (size_t i = 0; i + 1 < beds.size(); ++i)
        checkIn(store, Actor::cli(), stayIn(beds[i], "Gast " + std::to_string(i)));
    CHECK(freeBeds(store) == 1);

    CheckIn last = stayIn(beds.back(), "Noor");
    CHECK_ERROR(checkIn(store, Actor::cli(), last), ErrorKind::NeedsConfirmation, "bed.last_free");
    last.confirmEmergencyBed = true;
    CHECK_ERROR(checkIn(store, Actor::cli(), last), ErrorKind::InvalidInput, "stay.emergency_reason");
    CHECK(freeBeds(store) == 1);

    last.emergencyReason = "police brought her in at night";
    const int64_t stay = checkIn(store, Actor::cli(), last);
    CHECK(freeBeds(store) == 0);
    CHECK(count(store, "SELECT emergency_bed FROM stay WHERE id = " + std::to_string(stay)) == 1);
    CHECK(count(store, "SELECT sum(emergency_bed) FROM stay") == 1);
    CHECK(store.db()
              .queryText("SELECT detail FROM audit_log WHERE entity = 'stay' AND record_id = " + std::to_string(stay))
              .find("police brought her in at night") != std::string::npos);
}

TEST_CASE("a check-out happens once and never before the check-in day") {
    TempStore ts;
    Store store = ts.open();
    CheckIn in = stayIn(bedIds(store).front(), "Mira");
    in.when.at = at("2025-06-10", 20);
    const int64_t stay = checkIn(store, Actor::cli(), in);

    CHECK_ERROR(checkOut(store, Actor::cli(), stay, Destination::OwnHome, When{at("2025-06-09", 9)}), ErrorKind::InvalidInput,
                "stay.out_day");
    CHECK(freeBeds(store) == 15);
    checkOut(store, Actor::cli(), stay, Destination::OtherShelter, When{at("2025-06-12", 9)});
    CHECK(freeBeds(store) == 16);
    CHECK(store.db().queryText("SELECT out_day || ' ' || destination FROM stay WHERE id = " + std::to_string(stay)) ==
          "2025-06-12 other_shelter");
    CHECK_ERROR(checkOut(store, Actor::cli(), stay, Destination::OwnHome, When{at("2025-06-13", 9)}), ErrorKind::Conflict,
                "stay.already_out");
    CHECK_ERROR(checkOut(store, Actor::cli(), 424242, Destination::OwnHome), ErrorKind::NotFound, "stay.not_found");
    CHECK(store.db().queryText("SELECT out_day FROM stay WHERE id = " + std::to_string(stay)) == "2025-06-12");
}

TEST_CASE("a check-out earlier on the check-in day than the check-in is refused") {
    TempStore ts;
    Store store = ts.open();
    CheckIn in = stayIn(bedIds(store).front(), "Mira");
    in.when.at = at("2025-06-10", 20);
    const int64_t stay = checkIn(store, Actor::cli(), in);
    // 08:00 on the same day lies twelve hours before she arrived.
    CHECK_ERROR(checkOut(store, Actor::cli(), stay, Destination::OwnHome, When{at("2025-06-10", 8)}), ErrorKind::InvalidInput,
                "stay.out_day");
    CHECK(count(store, "SELECT count(*) FROM stay WHERE out_at < in_at") == 0);
}

// ---------------------------------------------------------------- staff

TEST_CASE("a staff PIN is stored only as an argon2id hash") {
    TempStore ts;
    const StorePaths paths{ts.data};
    Store store = ts.open();
    const std::string pin = "48291375";
    CHECK_ERROR(addStaff(store, Actor::cli(), "Anja", Role::Desk, "483"), ErrorKind::InvalidInput, "staff.pin");
    CHECK_ERROR(addStaff(store, Actor::cli(), "Anja", Role::Desk, "48a91"), ErrorKind::InvalidInput, "staff.pin");
    CHECK(count(store, "SELECT count(*) FROM staff") == 0);

    const int64_t id = addStaff(store, Actor::cli(), "Anja", Role::Coordinator, pin);
    const std::string hash = store.db().queryText("SELECT pin_hash FROM staff WHERE id = " + std::to_string(id));
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(hash.find(pin) == std::string::npos);
    CHECK(crypto_pwhash_str_verify(hash.c_str(), pin.c_str(), pin.size()) == 0);
    CHECK(crypto_pwhash_str_verify(hash.c_str(), "48291376", 8) != 0);
    CHECK(store.db().queryText("SELECT role FROM staff WHERE id = " + std::to_string(id)) == "coordinator");
    CHECK_FALSE(fileContains(paths.deskDb(), pin));
    CHECK_FALSE(fileContains(paths.deskDb().string() + "-wal", pin));
    CHECK_FALSE(fileContains(paths.publicDb().string() + "-wal", pin));
}

} // TEST_SUITE
