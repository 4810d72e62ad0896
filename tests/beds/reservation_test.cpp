// Tests bed reservations: a reserved bed is held until she arrives, the reservation expires or is cancelled.
#include "beds/beds_helpers.hpp"
#include "support/temp_store.hpp"

#include "core/views/board_view.hpp"
#include "core/base/clock.hpp"
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

using namespace inloop::core;
using namespace inloop::test;
using namespace std::chrono_literals;

namespace {

std::string idText(int64_t id) { return std::to_string(id); }


NewReservation expected(int64_t bedId, std::string alias, int64_t expectedAt, int64_t expiresAt) {
    NewReservation r;
    r.bedId = bedId;
    r.alias = std::move(alias);
    r.referral = StayReferral::SocialWork;
    r.expectedAt = expectedAt;
    r.expiresAt = expiresAt;
    return r;
}

std::string statusOf(Store& store, int64_t reservationId) {
    return store.db().queryText("SELECT status FROM reservation WHERE id = " + idText(reservationId));
}

} // namespace

TEST_SUITE("beds") {

TEST_CASE("a reserved bed is held: only the arrival with that reservation may take it") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    const int64_t now = nowUnix();
    const int64_t audits = auditRows(store);
    const int64_t res = reserveBed(store, Actor::cli(), expected(beds[6], "Iris", now + 3600, now + 4 * 3600));
    CHECK(auditRows(store) == audits + 1);
    CHECK(statusOf(store, res) == "open");
    CHECK(freeBeds(store) == 15);

    BoardView board = loadBoard(store, true);
    const BedView* bed = findBed(board, beds[6]);
    REQUIRE(bed);
    CHECK(bed->state == BedView::State::Reserved);
    CHECK(bed->reservationId == res);
    CHECK(bed->expectedAt == now + 3600);
    CHECK(bed->expiresAt == now + 4 * 3600);
    CHECK(board.reserved == 1);
    CHECK(board.free == 15);
    REQUIRE(board.expiringSoon.size() == 1); // within 6 hours
    CHECK(board.expiringSoon.front().id == beds[6]);

    // Someone else, without the reservation: refused, and no second reservation either.
    const int64_t before = auditRows(store);
    CHECK_ERROR(checkIn(store, Actor::cli(), stayIn(beds[6], "Lena")), ErrorKind::Conflict, "bed.reserved");
    CHECK_ERROR(reserveBed(store, Actor::cli(), expected(beds[6], "Lena", now, now + 600)), ErrorKind::Conflict,
                "bed.reserved");
    // The reservation's id for another bed does not open this one.
    CheckIn wrongBed = stayIn(beds[7], "Iris");
    wrongBed.reservationId = res;
    CHECK_ERROR(checkIn(store, Actor::cli(), wrongBed), ErrorKind::Conflict, "reservation.not_open");
    CHECK(count(store, "SELECT count(*) FROM stay") == 0);
    CHECK(count(store, "SELECT count(*) FROM reservation") == 1);
    CHECK(auditRows(store) == before);
    CHECK(statusOf(store, res) == "open");

    // Iris arrives with her reservation.
    CheckIn iris = stayIn(beds[6], "Iris");
    iris.reservationId = res;
    const int64_t stay = checkIn(store, Actor::cli(), iris);
    CHECK(statusOf(store, res) == "arrived");
    CHECK(count(store, "SELECT stay_id FROM reservation WHERE id = " + idText(res)) == stay);
    CHECK(freeBeds(store) == 15);
    board = loadBoard(store, true);
    bed = findBed(board, beds[6]);
    REQUIRE(bed);
    CHECK(bed->state == BedView::State::Occupied);
    CHECK(bed->alias == "Iris");
    CHECK(board.reserved == 0);
    CHECK(board.occupied == 1);
    CHECK(board.expiringSoon.empty());

    // A reservation is used once.
    checkOut(store, Actor::cli(), stay, Destination::OwnHome);
    CHECK_ERROR(checkIn(store, Actor::cli(), iris), ErrorKind::Conflict, "reservation.not_open");
    CHECK_ERROR(cancelReservation(store, Actor::cli(), res), ErrorKind::Conflict, "reservation.not_open");
    CHECK(statusOf(store, res) == "arrived");
}

TEST_CASE("a reservation past its expiry no longer holds the bed") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    const int64_t now = nowUnix();
    const int64_t expiresAt = now + 600;
    const int64_t res = reserveBed(store, Actor::cli(), expected(beds[3], "Iris", now + 60, expiresAt));

    CHECK(freeBeds(store, now) == 15);
    CHECK(freeBeds(store, expiresAt - 1) == 15);
    CHECK(freeBeds(store, expiresAt) == 16); // held until, not at, the expiry moment
    CHECK(freeBeds(store, expiresAt + 3600) == 16);
    const BoardView during = loadBoard(store, true, expiresAt - 1);
    const BoardView after = loadBoard(store, true, expiresAt + 1);
    REQUIRE(findBed(during, beds[3]));
    REQUIRE(findBed(after, beds[3]));
    CHECK(findBed(during, beds[3])->state == BedView::State::Reserved);
    CHECK(findBed(after, beds[3])->state == BedView::State::Free);
    CHECK_FALSE(findBed(after, beds[3])->reservationId);
    CHECK(during.reserved == 1);
    CHECK(after.reserved == 0);
    CHECK(after.free == 16);
    CHECK(after.expiringSoon.empty());

    // For real: a reservation that lapses two seconds from now.
    const int64_t shortRes = reserveBed(store, Actor::cli(), expected(beds[8], "Sara", nowUnix(), nowUnix() + 2));
    CHECK(freeBeds(store) == 14);
    CHECK_ERROR(checkIn(store, Actor::cli(), stayIn(beds[8], "Lena")), ErrorKind::Conflict, "bed.reserved");
    const int64_t lapse = count(store, "SELECT expires_at FROM reservation WHERE id = " + idText(shortRes));
    while (nowUnix() <= lapse) std::this_thread::sleep_for(100ms);
    CHECK(freeBeds(store) == 15);
    CheckIn late = stayIn(beds[8], "Sara");
    late.reservationId = shortRes; // her reservation lapsed
    CHECK_ERROR(checkIn(store, Actor::cli(), late), ErrorKind::Conflict, "reservation.not_open");
    const int64_t stay = checkIn(store, Actor::cli(), stayIn(beds[8], "Lena"));
    CHECK(count(store, "SELECT bed_id FROM stay WHERE id = " + idText(stay)) == beds[8]);
    // A new reservation for a bed whose reservation lapsed closes the lapsed one.
    checkOut(store, Actor::cli(), stay, Destination::Unknown);
    const int64_t again = reserveBed(store, Actor::cli(), expected(beds[8], "Sara", nowUnix(), nowUnix() + 3600));
    CHECK(statusOf(store, shortRes) == "cancelled");
    CHECK(statusOf(store, again) == "open");
    CHECK(statusOf(store, res) == "open"); // still within its own expiry
}

TEST_CASE("cancelling a reservation frees the bed, once") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    const int64_t now = nowUnix();
    const int64_t res = reserveBed(store, Actor::cli(), expected(beds[12], "Iris", now + 1800, now + 7200));
    CHECK(freeBeds(store) == 15);
    const int64_t audits = auditRows(store);

    cancelReservation(store, Actor::cli(), res);
    CHECK(statusOf(store, res) == "cancelled");
    CHECK(freeBeds(store) == 16);
    CHECK(auditRows(store) == audits + 1);
    CHECK(store.db().queryText("SELECT action || ' ' || entity || ' ' || record_id FROM audit_log ORDER BY id DESC "
                               "LIMIT 1") == "cancel reservation " + idText(res));
    const BoardView board = loadBoard(store, true);
    REQUIRE(findBed(board, beds[12]));
    CHECK(findBed(board, beds[12])->state == BedView::State::Free);
    CHECK(board.reserved == 0);

    CHECK_ERROR(cancelReservation(store, Actor::cli(), res), ErrorKind::Conflict, "reservation.not_open");
    CHECK_ERROR(cancelReservation(store, Actor::cli(), res + 1000), ErrorKind::NotFound, "reservation.not_found");
    CheckIn iris = stayIn(beds[12], "Iris");
    iris.reservationId = res;
    CHECK_ERROR(checkIn(store, Actor::cli(), iris), ErrorKind::Conflict, "reservation.not_open");
    // Anyone may now have the bed.
    checkIn(store, Actor::cli(), stayIn(beds[12], "Lena"));
    CHECK(freeBeds(store) == 15);
    CHECK(auditRows(store) == audits + 2);
}

TEST_CASE("a reservation needs an expiry after the expected arrival, in the future") {
    TempStore ts;
    Store store = ts.open();
    const int64_t bed = bedIds(store)[0];
    const int64_t now = nowUnix();
    CHECK_ERROR(reserveBed(store, Actor::cli(), expected(bed, "Iris", now + 3600, now + 1800)), ErrorKind::InvalidInput,
                "reservation.expiry");
    CHECK_ERROR(reserveBed(store, Actor::cli(), expected(bed, "Iris", now - 7200, now - 3600)), ErrorKind::InvalidInput,
                "reservation.expiry");
    CHECK_ERROR(reserveBed(store, Actor::cli(), expected(bed, "", now, now + 3600)), ErrorKind::InvalidInput, "stay.alias");
    CHECK(count(store, "SELECT count(*) FROM reservation") == 0);
    CHECK(freeBeds(store) == 16);
}

} // TEST_SUITE
