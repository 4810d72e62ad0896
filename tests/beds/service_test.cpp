// Tests beds out of service: never with a resident or a reservation, not free, not in the available bed-nights.
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


} // namespace

TEST_SUITE("beds") {

TEST_CASE("a bed with a resident or a reservation cannot go out of service but an empty one can, with a reason") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    const int64_t stay = checkIn(store, Actor::cli(), stayIn(beds[0], "Mira"));
    NewReservation r;
    r.bedId = beds[1];
    r.alias = "Iris";
    r.expectedAt = nowUnix() + 600;
    r.expiresAt = nowUnix() + 7200;
    reserveBed(store, Actor::cli(), r);
    const int64_t audits = auditRows(store);

    CHECK_ERROR(setBedInService(store, Actor::cli(), beds[0], false, "mattress torn"), ErrorKind::Conflict, "bed.taken");
    CHECK_ERROR(setBedInService(store, Actor::cli(), beds[1], false, "mattress torn"), ErrorKind::Conflict,
                "bed.reserved");
    CHECK_ERROR(setBedInService(store, Actor::cli(), beds[2], false, ""), ErrorKind::InvalidInput, "bed.out_reason");
    CHECK_ERROR(setBedInService(store, Actor::cli(), 999999, false, "gone"), ErrorKind::NotFound, "bed.not_found");
    CHECK(count(store, "SELECT count(*) FROM bed WHERE in_service = 0") == 0);
    CHECK(auditRows(store) == audits);
    CHECK(count(store, "SELECT count(*) FROM stay WHERE out_at IS NULL AND bed_id = " + idText(beds[0])) == 1);

    setBedInService(store, Actor::cli(), beds[2], false, "mattress torn");
    CHECK(auditRows(store) == audits + 1);
    CHECK(store.db().queryText("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == "out_of_service");
    CHECK(freeBeds(store) == 13); // 16 - Mira - Iris's reservation - the torn mattress
    BoardView board = loadBoard(store, true);
    const BedView* out = findBed(board, beds[2]);
    REQUIRE(out);
    CHECK(out->state == BedView::State::OutOfService);
    CHECK(out->outReason == "mattress torn");
    CHECK_FALSE(out->emergencyHeld);
    CHECK(board.outOfService == 1);
    CHECK(board.free == 13);

    // Nobody goes into it, by check-in, reservation or move.
    CHECK_ERROR(checkIn(store, Actor::cli(), stayIn(beds[2], "Lena")), ErrorKind::Conflict, "bed.out_of_service");
    r.bedId = beds[2];
    CHECK_ERROR(reserveBed(store, Actor::cli(), r), ErrorKind::Conflict, "bed.out_of_service");
    CHECK_ERROR(moveStay(store, Actor::cli(), stay, beds[2]), ErrorKind::Conflict, "bed.out_of_service");
    CHECK(count(store, "SELECT count(*) FROM stay") == 1);

    // Back in service: free again, the reason gone.
    setBedInService(store, Actor::cli(), beds[2], true);
    CHECK(freeBeds(store) == 14);
    board = loadBoard(store, true);
    REQUIRE(findBed(board, beds[2]));
    CHECK(findBed(board, beds[2])->state == BedView::State::Free);
    CHECK(findBed(board, beds[2])->outReason.empty());
    CHECK(board.outOfService == 0);
    checkIn(store, Actor::cli(), stayIn(beds[2], "Lena"));
    CHECK(freeBeds(store) == 13);
}

TEST_CASE("beds out of service are left out of the available bed-nights") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    // One stay in September 2026 (30 days): in the 3rd, out the 7th = 4 bed-nights.
    CheckIn in = stayIn(beds[5], "Mira");
    in.when.at = unixFromLocal("2026-09-03", 22 * 60);
    const int64_t stay = checkIn(store, Actor::cli(), in);
    checkOut(store, Actor::cli(), stay, Destination::OwnHome, When{unixFromLocal("2026-09-07", 10 * 60)});

    ShelterFigures f = shelterFigures(store, "2026-09-01", "2026-09-30");
    CHECK(f.bedNights == 4);
    CHECK(f.availableBedNights == 16 * 30);

    // Out of service from 1 September (entered then): the month loses their nights (issue 17 #10: history).
    const When september{unixFromLocal("2026-09-01", 9 * 60)};
    setBedInService(store, Actor::cli(), beds[0], false, "bed frame broken", september);
    setBedInService(store, Actor::cli(), beds[9], false, "bed frame broken", september);
    CHECK(freeBeds(store) == 14);
    f = shelterFigures(store, "2026-09-01", "2026-09-30");
    CHECK(f.bedNights == 4);
    CHECK(f.availableBedNights == 14 * 30); // 420
    CHECK(f.occupancy() == doctest::Approx(4.0 / 420.0));

    // Back in service on the 16th: 15 nights lost for that bed, not 30.
    setBedInService(store, Actor::cli(), beds[0], true, {}, When{unixFromLocal("2026-09-16", 9 * 60)});
    CHECK(shelterFigures(store, "2026-09-01", "2026-09-30").availableBedNights == 16 * 30 - 30 - 15);
    // A bed going out of service today leaves September as it was.
    setBedInService(store, Actor::cli(), beds[3], false, "mould");
    CHECK(shelterFigures(store, "2026-09-01", "2026-09-30").availableBedNights == 16 * 30 - 30 - 15);
}

} // TEST_SUITE
