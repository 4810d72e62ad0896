// Tests who may see and change the bed board: shelter and coordinator roles act, the desk role sees states only.
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
    r.expectedAt = nowUnix() + 600;
    r.expiresAt = nowUnix() + 3 * 3600;
    return r;
}

// Every alias the board carries, in the rooms and in its lists.
std::string allAliases(const BoardView& board) {
    std::string out;
    for (const auto& room : board.rooms)
        for (const auto& bed : room.beds) out += bed.alias;
    for (const auto& bed : board.dueOutToday) out += bed.alias;
    for (const auto& bed : board.expiringSoon) out += bed.alias;
    return out;
}

} // namespace

TEST_SUITE("beds") {

TEST_CASE("the board without residents shows states but no alias at all") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    const std::string today = localDay(nowUnix());
    CheckIn mira = stayIn(beds[0], "Mira");
    mira.expectedOutDay = today; // due out today: listed separately
    checkIn(store, Actor::cli(), mira);
    checkIn(store, Actor::cli(), stayIn(beds[9], "Lena"));
    reserveBed(store, Actor::cli(), expected(beds[4], "Iris"));

    const BoardView desk = loadBoard(store, false);
    CHECK_FALSE(desk.showsResidents);
    CHECK(allAliases(desk).empty());
    CHECK(desk.occupied == 2);
    CHECK(desk.reserved == 1);
    CHECK(desk.free == 13);
    REQUIRE(desk.dueOutToday.size() == 1);
    CHECK(desk.dueOutToday.front().id == beds[0]);
    CHECK(desk.dueOutToday.front().state == BedView::State::Occupied);
    CHECK(desk.dueOutToday.front().alias.empty());
    CHECK(desk.expiringSoon.size() == 1);

    // The same board for shelter staff names them.
    const BoardView shelter = loadBoard(store, true);
    CHECK(shelter.showsResidents);
    CHECK(allAliases(shelter) == "MiraLenaMira");
    REQUIRE(shelter.dueOutToday.size() == 1);
    CHECK(shelter.dueOutToday.front().alias == "Mira");
    CHECK(shelter.occupied == desk.occupied);
    CHECK(shelter.free == desk.free);
}

TEST_CASE("a desk-role colleague cannot check in, check out, move or reserve but a shelter-role colleague can") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    const int64_t bo = addStaff(store, Actor::cli(), "Bo", Role::Desk, "1357");
    const int64_t sanne = addStaff(store, Actor::cli(), "Sanne", Role::Shelter, "2468");
    const Actor boActor = Actor::staff(bo), sanneActor = Actor::staff(sanne);
    const int64_t lena = checkIn(store, Actor::cli(), stayIn(beds[1], "Lena"));
    const int64_t iris = reserveBed(store, Actor::cli(), expected(beds[2], "Iris"));
    const int64_t stays = count(store, "SELECT count(*) FROM stay"), audits = auditRows(store);

    CHECK_ERROR(checkIn(store, boActor, stayIn(beds[0], "Mira")), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(checkOut(store, boActor, lena, Destination::OwnHome), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(moveStay(store, boActor, lena, beds[5]), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(reserveBed(store, boActor, expected(beds[3], "Noor")), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(cancelReservation(store, boActor, iris), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(setBedInService(store, boActor, beds[7], false, "broken"), ErrorKind::InvalidInput, "role");
    // Nobody signed in (the kiosk's actor) is refused the same way.
    CHECK_ERROR(checkIn(store, Actor::kiosk(), stayIn(beds[0], "Mira")), ErrorKind::InvalidInput, "role");
    CHECK(count(store, "SELECT count(*) FROM stay") == stays);
    CHECK(count(store, "SELECT count(*) FROM stay WHERE out_at IS NULL AND id = " + idText(lena)) == 1);
    CHECK(count(store, "SELECT bed_id FROM stay WHERE id = " + idText(lena)) == beds[1]);
    CHECK(count(store, "SELECT count(*) FROM reservation WHERE status = 'open'") == 1);
    CHECK(count(store, "SELECT count(*) FROM bed WHERE in_service = 0") == 0);
    CHECK(auditRows(store) == audits);
    CHECK(freeBeds(store) == 14);

    // Sanne (shelter role) does all of it, and the audit log names her.
    const int64_t mira = checkIn(store, sanneActor, stayIn(beds[0], "Mira"));
    moveStay(store, sanneActor, mira, beds[5]);
    checkOut(store, sanneActor, lena, Destination::OwnHome);
    const int64_t noor = reserveBed(store, sanneActor, expected(beds[3], "Noor"));
    cancelReservation(store, sanneActor, noor);
    setBedInService(store, sanneActor, beds[7], false, "broken");
    CHECK(auditRows(store) == audits + 6);
    CHECK(count(store, "SELECT count(*) FROM audit_log WHERE actor = 'staff' AND staff_id = " + idText(sanne)) == 6);
    CHECK(count(store, "SELECT count(*) FROM audit_log WHERE staff_id = " + idText(bo)) == 0);
    CHECK(count(store, "SELECT bed_id FROM stay WHERE id = " + idText(mira)) == beds[5]);
    CHECK(freeBeds(store) == 13); // Mira, Iris's reservation, the broken bed

    // A coordinator may do the same.
    const int64_t anna = addStaff(store, Actor::cli(), "Anna", Role::Coordinator, "4646");
    checkOut(store, Actor::staff(anna), mira, Destination::Unknown);
    CHECK(freeBeds(store) == 14);

    // Once switched off, Sanne's role no longer counts.
    setStaffActive(store, Actor::cli(), sanne, false);
    const int64_t before = auditRows(store);
    CHECK_ERROR(checkIn(store, sanneActor, stayIn(beds[0], "Mira")), ErrorKind::InvalidInput, "role");
    CHECK(auditRows(store) == before);
    CHECK(freeBeds(store) == 14);
}

} // TEST_SUITE
