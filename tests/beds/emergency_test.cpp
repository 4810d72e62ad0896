// Tests the emergency bed: the last free bed goes only with a confirmation and a reason, and the board marks it.
#include "beds/beds_helpers.hpp"
#include "support/temp_store.hpp"

#include "core/views/board_view.hpp"
#include "core/base/clock.hpp"
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

std::string idText(int64_t id) { return std::to_string(id); }


int emergencyHeldBeds(const BoardView& board) {
    int n = 0;
    for (const auto& room : board.rooms)
        for (const auto& bed : room.beds) n += bed.emergencyHeld ? 1 : 0;
    return n;
}

// Fills beds [0, n) with residents.
void fill(Store& store, const std::vector<int64_t>& beds, size_t n) {
    for (size_t i = 0; i < n; ++i) checkIn(store, Actor::cli(), stayIn(beds[i], "Gast " + std::to_string(i)));
}

} // namespace

TEST_SUITE("beds") {

TEST_CASE("checking in to the last free bed needs a confirmation and a reason, and is marked as the emergency bed") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    fill(store, beds, 14);
    REQUIRE(freeBeds(store) == 2);
    // With two free beds no confirmation is asked.
    const int64_t second = checkIn(store, Actor::cli(), stayIn(beds[14], "Lena"));
    CHECK(count(store, "SELECT emergency_bed FROM stay WHERE id = " + idText(second)) == 0);
    REQUIRE(freeBeds(store) == 1);
    const int64_t stays = count(store, "SELECT count(*) FROM stay");
    const int64_t audits = auditRows(store);

    CheckIn last = stayIn(beds[15], "Noor");
    last.emergencyReason = "a reason alone is not a confirmation";
    CHECK_ERROR(checkIn(store, Actor::cli(), last), ErrorKind::NeedsConfirmation, "bed.last_free");
    last.emergencyReason.clear();
    last.confirmEmergencyBed = true;
    CHECK_ERROR(checkIn(store, Actor::cli(), last), ErrorKind::InvalidInput, "stay.emergency_reason");
    CHECK(count(store, "SELECT count(*) FROM stay") == stays);
    CHECK(auditRows(store) == audits);
    CHECK(freeBeds(store) == 1);

    last.emergencyReason = "politie bracht haar om 02:10";
    const int64_t stay = checkIn(store, Actor::cli(), last);
    CHECK(freeBeds(store) == 0);
    CHECK(count(store, "SELECT emergency_bed FROM stay WHERE id = " + idText(stay)) == 1);
    CHECK(count(store, "SELECT sum(emergency_bed) FROM stay") == 1);
    CHECK(auditRows(store) == audits + 1);
    const std::string detail =
        store.db().queryText("SELECT detail FROM audit_log WHERE action = 'check_in' AND record_id = " + idText(stay));
    CHECK(detail.find("politie bracht haar om 02:10") != std::string::npos);

    const BoardView board = loadBoard(store, true);
    CHECK(board.free == 0);
    CHECK(board.heldForEmergency == 0);
    CHECK(emergencyHeldBeds(board) == 0);
    CHECK(board.occupied == 16);
    // One check-out later the emergency bed is free again.
    checkOut(store, Actor::cli(), second, Destination::OwnHome);
    CHECK(freeBeds(store) == 1);
}

TEST_CASE("a forgotten stay that took the last bed at its own moment is marked as the emergency bed") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    REQUIRE(beds.size() >= 3);
    // Two days ago every bed but the last two was taken from 20:00 to 09:00; all those guests have left since.
    const std::string day = addDays(localDay(nowUnix()), -2);
    const int64_t evening = unixFromLocal(day, 20 * 60), morning = unixFromLocal(addDays(day, 1), 9 * 60);
    const auto forgotten = [&](int64_t bed, int64_t from, int64_t until, StayReferral referral) {
        CheckIn in = stayIn(bed, "Gast " + idText(bed));
        in.referral = referral;
        in.when.at = from;
        in.leftAt = until;
        in.destination = Destination::OwnHome;
        return checkIn(store, Actor::cli(), in);
    };
    for (size_t i = 0; i + 2 < beds.size(); ++i) forgotten(beds[i], evening, morning, StayReferral::Partner);
    REQUIRE(freeBeds(store) == static_cast<int>(beds.size())); // today nobody is in

    // At 21:00 two beds were free: the first one entered for then is an ordinary placement…
    const int64_t second = forgotten(beds[beds.size() - 2], evening + 3600, morning, StayReferral::SocialWork);
    CHECK(count(store, "SELECT emergency_bed FROM stay WHERE id = " + idText(second)) == 0);
    // …and at 22:00 the police placement took the last one: the emergency bed, then.
    const int64_t police = forgotten(beds.back(), evening + 7200, morning, StayReferral::Police);
    CHECK(count(store, "SELECT emergency_bed FROM stay WHERE id = " + idText(police)) == 1);
    CHECK(count(store, "SELECT count(*) FROM stay WHERE emergency_bed = 1") == 1);
}

TEST_CASE("a back-dated check-in is held to the emergency bed rule of its own moment") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    // Yesterday morning all but one bed were taken until noon; she came in at 10:00 and is still here.
    const std::string yesterday = addDays(localDay(nowUnix()), -1);
    const int64_t early = unixFromLocal(yesterday, 6 * 60), noon = unixFromLocal(yesterday, 12 * 60);
    for (size_t i = 0; i + 1 < beds.size(); ++i) {
        CheckIn in = stayIn(beds[i], "Gast " + idText(beds[i]));
        in.when.at = early;
        in.leftAt = noon;
        in.destination = Destination::OwnHome;
        checkIn(store, Actor::cli(), in);
    }
    CheckIn late = stayIn(beds.back(), "Noor");
    late.referral = StayReferral::Partner;
    late.when.at = unixFromLocal(yesterday, 10 * 60);
    CHECK_ERROR(checkIn(store, Actor::cli(), late), ErrorKind::NeedsConfirmation, "bed.last_free");
    late.confirmEmergencyBed = true;
    late.emergencyReason = "no other place that morning";
    const int64_t id = checkIn(store, Actor::cli(), late);
    CHECK(count(store, "SELECT emergency_bed FROM stay WHERE id = " + idText(id)) == 1);
}

TEST_CASE("reserving the last free bed needs the same confirmation and reason") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    fill(store, beds, 15);
    REQUIRE(freeBeds(store) == 1);
    const int64_t audits = auditRows(store);
    NewReservation r;
    r.bedId = beds[15];
    r.alias = "Iris";
    r.referral = StayReferral::Partner; // a police placement takes it without (recording_test.cpp)
    r.expectedAt = nowUnix() + 1800;
    r.expiresAt = nowUnix() + 3 * 3600;

    CHECK_ERROR(reserveBed(store, Actor::cli(), r), ErrorKind::NeedsConfirmation, "bed.last_free");
    r.confirmEmergencyBed = true;
    CHECK_ERROR(reserveBed(store, Actor::cli(), r), ErrorKind::InvalidInput, "stay.emergency_reason");
    CHECK(count(store, "SELECT count(*) FROM reservation") == 0);
    CHECK(auditRows(store) == audits);
    CHECK(freeBeds(store) == 1);

    r.emergencyReason = "police called ahead";
    const int64_t res = reserveBed(store, Actor::cli(), r);
    CHECK(freeBeds(store) == 0);
    CHECK(auditRows(store) == audits + 1);
    CHECK(store.db().queryText("SELECT detail FROM audit_log WHERE action = 'reserve' AND record_id = " + idText(res))
              .find("police called ahead") != std::string::npos);
    const BoardView board = loadBoard(store, true);
    CHECK(board.free == 0);
    CHECK(board.reserved == 1);
    CHECK(board.heldForEmergency == 0);
    CHECK(emergencyHeldBeds(board) == 0);

    // She arrives: the bed was given away when it was reserved, so no second confirmation.
    CheckIn iris = stayIn(beds[15], "Iris");
    iris.reservationId = res;
    checkIn(store, Actor::cli(), iris);
    CHECK(count(store, "SELECT count(*) FROM stay WHERE out_at IS NULL") == 16);
}

TEST_CASE("the board keeps exactly one free bed for emergencies: free 3 (1 held for emergencies)") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    fill(store, beds, 11);
    // The last bed on the board is reserved and the one before it out of service: neither can be the emergency bed.
    NewReservation r;
    r.bedId = beds[15];
    r.alias = "Iris";
    r.expectedAt = nowUnix() + 600;
    r.expiresAt = nowUnix() + 24 * 3600;
    reserveBed(store, Actor::cli(), r);
    setBedInService(store, Actor::cli(), beds[14], false, "bunk being repaired");

    BoardView board = loadBoard(store, false);
    CHECK(board.free == 3);
    CHECK(board.heldForEmergency == 1);
    CHECK(board.occupied == 11);
    CHECK(board.reserved == 1);
    CHECK(board.outOfService == 1);
    CHECK(freeBeds(store) == board.free);
    CHECK(emergencyHeldBeds(board) == 1);
    const BedView* held = findBed(board, beds[13]); // the last free bed on the board: room 2, bunk 3 upper
    REQUIRE(held);
    CHECK(held->emergencyHeld);
    CHECK(held->state == BedView::State::Free);
    CHECK(held->label == "3B");
    size_t bedsSeen = 0;
    for (const auto& room : board.rooms) {
        CHECK(room.beds.size() == 8);
        bedsSeen += room.beds.size();
        for (const auto& bed : room.beds)
            if (bed.emergencyHeld) CHECK(bed.state == BedView::State::Free);
    }
    CHECK(bedsSeen == 16);

    // Two free beds: still one of them held. One: that one. None: nothing held.
    checkIn(store, Actor::cli(), stayIn(beds[11], "Lena"));
    board = loadBoard(store, true);
    CHECK(board.free == 2);
    CHECK(board.heldForEmergency == 1);
    CHECK(emergencyHeldBeds(board) == 1);
    checkIn(store, Actor::cli(), stayIn(beds[12], "Sara"));
    board = loadBoard(store, true);
    CHECK(board.free == 1);
    CHECK(board.heldForEmergency == 1);
    REQUIRE(findBed(board, beds[13]));
    CHECK(findBed(board, beds[13])->emergencyHeld);
    CheckIn last = stayIn(beds[13], "Noor");
    last.confirmEmergencyBed = true;
    last.emergencyReason = "police placement";
    checkIn(store, Actor::cli(), last);
    board = loadBoard(store, true);
    CHECK(board.free == 0);
    CHECK(board.heldForEmergency == 0);
    CHECK(emergencyHeldBeds(board) == 0);
}

} // TEST_SUITE
