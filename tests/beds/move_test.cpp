// Tests moving a resident to another bed: only to a free bed, with an audit row, never changing the free count.
#include "beds/beds_helpers.hpp"
#include "support/temp_store.hpp"

#include "core/views/board_view.hpp"
#include "core/base/clock.hpp"
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace inloop::core;
using namespace inloop::test;

namespace {

std::string idText(int64_t id) { return std::to_string(id); }


NewReservation expected(int64_t bedId, std::string alias) {
    NewReservation r;
    r.bedId = bedId;
    r.alias = std::move(alias);
    r.referral = StayReferral::Partner;
    r.expectedAt = nowUnix() + 3600;
    r.expiresAt = nowUnix() + 8 * 3600;
    return r;
}

} // namespace

TEST_SUITE("beds") {

TEST_CASE("a resident moves to a free bed: the board shows her there, the old bed free, and an audit row") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    CheckIn in = stayIn(beds[0], "Mira");
    in.expectedOutDay = "2030-01-01";
    const int64_t stay = checkIn(store, Actor::cli(), in);
    checkIn(store, Actor::cli(), stayIn(beds[1], "Lena"));
    const int free = freeBeds(store);
    REQUIRE(free == 14);
    const int64_t audits = auditRows(store);

    moveStay(store, Actor::cli(), stay, beds[9]); // to the other room
    CHECK(freeBeds(store) == free);
    CHECK(count(store, "SELECT bed_id FROM stay WHERE id = " + idText(stay)) == beds[9]);
    CHECK(count(store, "SELECT count(*) FROM stay") == 2); // a move is not a new stay
    CHECK(count(store, "SELECT count(*) FROM stay WHERE out_at IS NULL AND id = " + idText(stay)) == 1);

    const BoardView board = loadBoard(store, true);
    const BedView* oldBed = findBed(board, beds[0]);
    const BedView* newBed = findBed(board, beds[9]);
    REQUIRE(oldBed);
    REQUIRE(newBed);
    CHECK(oldBed->state == BedView::State::Free);
    CHECK_FALSE(oldBed->stayId);
    CHECK(newBed->state == BedView::State::Occupied);
    CHECK(newBed->stayId == stay);
    CHECK(newBed->alias == "Mira");
    CHECK(newBed->expectedOutDay == "2030-01-01");
    CHECK(board.free == free);
    CHECK(board.occupied == 2);

    CHECK(auditRows(store) == audits + 1);
    const auto rowOwned = store.db().statement("SELECT action, entity, record_id, detail FROM audit_log ORDER BY id DESC LIMIT 1");
    Statement& row = *rowOwned;
    REQUIRE(row.step());
    CHECK(row.getText(0) == "move");
    CHECK(row.getText(1) == "stay");
    CHECK(row.getInt(2) == stay);
    CHECK(row.getText(3) == "bed " + idText(beds[0]) + " to " + idText(beds[9]));
}

TEST_CASE("undo of a move puts her back in the bed she came from, whatever the audit log's wording") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    const int64_t stay = checkIn(store, Actor::cli(), stayIn(beds[0], "Mira"));
    moveStay(store, Actor::cli(), stay, beds[3]);
    moveStay(store, Actor::cli(), stay, beds[9]);
    // Each move is kept as a row of its own: from which bed to which.
    CHECK(count(store, "SELECT count(*) FROM stay_move WHERE stay_id = " + idText(stay)) == 2);
    CHECK(count(store, "SELECT from_bed FROM stay_move WHERE to_bed = " + idText(beds[9])) == beds[3]);

    // The audit log's words change (a new wording, a translation): the undo does not read them.
    store.db().exec(onPostgres() ? "DROP TRIGGER audit_log_no_update ON audit_log" : "DROP TRIGGER audit_log_no_update");
    store.db().exec("UPDATE audit_log SET detail = 'verhuisd' WHERE action = 'move'");
    undoMove(store, Actor::cli(), stay);
    CHECK(count(store, "SELECT bed_id FROM stay WHERE id = " + idText(stay)) == beds[3]);
    CHECK(count(store, "SELECT count(*) FROM stay_move WHERE stay_id = " + idText(stay)) == 1);
    CHECK(count(store, "SELECT count(*) FROM audit_log WHERE action = 'undo' AND detail = 'move'") == 1);

    // An undone check-in takes her moves with it.
    undoCheckIn(store, Actor::cli(), stay);
    CHECK(count(store, "SELECT count(*) FROM stay_move") == 0);
    CHECK(count(store, "SELECT count(*) FROM stay") == 0);
}

TEST_CASE("a move to a taken, reserved, out-of-service or the same bed is refused and changes nothing") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    const int64_t stay = checkIn(store, Actor::cli(), stayIn(beds[0], "Mira"));
    checkIn(store, Actor::cli(), stayIn(beds[1], "Lena"));
    reserveBed(store, Actor::cli(), expected(beds[2], "Iris"));
    setBedInService(store, Actor::cli(), beds[3], false, "broken ladder");
    const int free = freeBeds(store);
    REQUIRE(free == 12);
    const int64_t audits = auditRows(store);

    CHECK_ERROR(moveStay(store, Actor::cli(), stay, beds[1]), ErrorKind::Conflict, "bed.taken");
    CHECK_ERROR(moveStay(store, Actor::cli(), stay, beds[2]), ErrorKind::Conflict, "bed.reserved");
    CHECK_ERROR(moveStay(store, Actor::cli(), stay, beds[3]), ErrorKind::Conflict, "bed.out_of_service");
    CHECK_ERROR(moveStay(store, Actor::cli(), stay, beds[0]), ErrorKind::InvalidInput, "stay.same_bed");
    CHECK_ERROR(moveStay(store, Actor::cli(), stay, 999999), ErrorKind::NotFound, "bed.not_found");
    CHECK_ERROR(moveStay(store, Actor::cli(), stay + 1000, beds[4]), ErrorKind::NotFound, "stay.not_found");

    CHECK(count(store, "SELECT bed_id FROM stay WHERE id = " + idText(stay)) == beds[0]);
    CHECK(auditRows(store) == audits);
    CHECK(freeBeds(store) == free);

    // A stay that has ended cannot move.
    checkOut(store, Actor::cli(), stay, Destination::OwnHome);
    CHECK_ERROR(moveStay(store, Actor::cli(), stay, beds[4]), ErrorKind::Conflict, "stay.already_out");
    CHECK(count(store, "SELECT bed_id FROM stay WHERE id = " + idText(stay)) == beds[0]);
}

TEST_CASE("a move into the last free bed needs no emergency confirmation and keeps one bed free") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    int64_t stay = 0;
    for (size_t i = 0; i + 1 < beds.size(); ++i) {
        const int64_t id = checkIn(store, Actor::cli(), stayIn(beds[i], "Gast " + std::to_string(i)));
        if (i == 4) stay = id;
    }
    REQUIRE(freeBeds(store) == 1);
    BoardView board = loadBoard(store, true);
    REQUIRE(findBed(board, beds.back()));
    CHECK(findBed(board, beds.back())->emergencyHeld);

    // The only free bed is the emergency bed, yet a move needs no confirmation: one bed stays free.
    moveStay(store, Actor::cli(), stay, beds.back());
    CHECK(freeBeds(store) == 1);
    CHECK(count(store, "SELECT bed_id FROM stay WHERE id = " + idText(stay)) == beds.back());
    CHECK(count(store, "SELECT sum(emergency_bed) FROM stay") == 0);
    board = loadBoard(store, true);
    CHECK(board.free == 1);
    CHECK(board.heldForEmergency == 1);
    REQUIRE(findBed(board, beds[4]));
    CHECK(findBed(board, beds[4])->state == BedView::State::Free);
    CHECK(findBed(board, beds[4])->emergencyHeld); // the bed she left is now the one kept free
    CHECK_FALSE(findBed(board, beds.back())->emergencyHeld);

    // Giving that bed to someone new still needs the confirmation.
    CHECK_ERROR(checkIn(store, Actor::cli(), stayIn(beds[4], "Nieuw")), ErrorKind::NeedsConfirmation, "bed.last_free");
}

} // TEST_SUITE
