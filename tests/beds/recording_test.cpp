// Tests what the shelter records (issue 17): no preselected referral, the police placement the emergency bed is
// kept for, back-dated stays compared as intervals, the limits of back-dating, and undo of bed actions.
#include "beds/beds_helpers.hpp"
#include "support/temp_store.hpp"

#include "core/base/clock.hpp"
#include "core/views/board_view.hpp"
#include "core/views/desk_view.hpp"
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

constexpr int64_t kMinute = 60, kHour = 3600, kDay = 24 * kHour;

std::string idText(int64_t id) { return std::to_string(id); }

// A shelter with its seeded beds, a coordinator (Anna) and two shelter staff (Sam, Kim).
struct Shelter {
    TempStore ts;
    Store store = ts.open();
    std::vector<int64_t> beds = bedIds(store);
    int64_t anna = addStaff(store, Actor::system(), "Anna", Role::Coordinator, "4646");
    int64_t sam = addStaff(store, Actor::staff(anna), "Sam", Role::Shelter, "1357");
    int64_t kim = addStaff(store, Actor::staff(anna), "Kim", Role::Shelter, "2468");
    Actor coordinator() const { return Actor::staff(anna); }
    Actor samActor() const { return Actor::staff(sam); }
    Actor kimActor() const { return Actor::staff(kim); }
    // Fills all beds but the last one with residents: the next free bed is the emergency bed.
    void fillAllButOne() {
        for (size_t i = 0; i + 1 < beds.size(); ++i)
            checkIn(store, Actor::cli(), stayIn(beds[i], "Gast " + std::to_string(i)));
        REQUIRE(freeBeds(store) == 1);
    }
    int64_t stays() { return count(store, "SELECT count(*) FROM stay"); }
    // What the yearly figures read about stays: every row and its fields.
    std::string stayFigures() {
        std::string out;
        const auto stOwned = store.db().statement("SELECT id, bed_id, in_at, coalesce(out_at, -1), coalesce(destination, ''), referral "
                                 "FROM stay ORDER BY id");
        Statement& st = *stOwned;
        while (st.step())
            for (int c = 0; c < 6; ++c) out += st.getText(c) + (c == 5 ? ";" : ",");
        return out;
    }
    // Everything the figures and the board read, to see that a refused action changed nothing.
    std::string state() {
        std::string out;
        const std::pair<const char*, int> tables[] = {
            {"SELECT id, bed_id, in_at, coalesce(out_at, -1), coalesce(destination, '') FROM stay", 5},
            {"SELECT id, stay_id, from_bed, to_bed FROM stay_move", 4},
            {"SELECT id, bed_id, out_day, coalesce(in_day, '') FROM bed_service", 4},
            {"SELECT id, in_service FROM bed", 2},
            {"SELECT id, status FROM reservation", 2}};
        for (const auto& [sql, columns] : tables) {
            const auto owned = store.db().statement(std::string(sql) + " ORDER BY 1");
            while (owned->step())
                for (int c = 0; c < columns; ++c) out += owned->getText(c) + ",";
            out += "|";
        }
        return out;
    }
};

// Someone expected in an hour; the bed held for four.
NewReservation expected(int64_t bed, std::string alias = "Mila") {
    NewReservation r;
    r.bedId = bed;
    r.alias = std::move(alias);
    r.expectedAt = nowUnix() + kHour;
    r.expiresAt = nowUnix() + 4 * kHour;
    return r;
}

// A stay entered after it ended: [from, until).
CheckIn forgotten(int64_t bed, std::string alias, int64_t from, int64_t until) {
    CheckIn in = stayIn(bed, std::move(alias));
    in.when.at = from;
    in.leftAt = until;
    return in;
}

CheckIn policeIn(int64_t bed) {
    CheckIn in = stayIn(bed, "Iris");
    in.referral = StayReferral::Police;
    return in;
}

} // namespace

TEST_SUITE("beds") {

TEST_CASE("a check-in without a referral records it as not known, never as social work") {
    Shelter sh;
    const int64_t id = checkIn(sh.store, sh.samActor(), stayIn(sh.beds[0]));
    CHECK(count(sh.store, "SELECT referral = 'unknown' FROM stay WHERE id = " + idText(id)) == 1);
    CHECK(word(CheckIn{}.referral) == "unknown");
    CHECK(word(NewReservation{}.referral) == "unknown");
    // "not known" is a choice the database accepts for stays and reservations.
    NewReservation r = expected(sh.beds[1], "Mila");
    const int64_t res = reserveBed(sh.store, sh.samActor(), r);
    CHECK(count(sh.store, "SELECT referral = 'unknown' FROM reservation WHERE id = " + idText(res)) == 1);
}

TEST_CASE("the police placement takes the emergency bed without the waiver — other placements still need it") {
    Shelter sh;
    sh.fillAllButOne();
    CHECK_ERROR(checkIn(sh.store, sh.samActor(), stayIn(sh.beds.back(), "Noor")), ErrorKind::NeedsConfirmation,
                "bed.last_free");
    const int64_t id = checkIn(sh.store, sh.samActor(), policeIn(sh.beds.back()));
    CHECK(count(sh.store, "SELECT emergency_bed FROM stay WHERE id = " + idText(id)) == 1);
    CHECK(freeBeds(sh.store) == 0);
}

TEST_CASE("a police reservation of the emergency bed needs no waiver either") {
    Shelter sh;
    sh.fillAllButOne();
    NewReservation r = expected(sh.beds.back(), "Iris");
    CHECK_ERROR(reserveBed(sh.store, sh.samActor(), r), ErrorKind::NeedsConfirmation, "bed.last_free");
    r.referral = StayReferral::Police;
    CHECK(reserveBed(sh.store, sh.samActor(), r) > 0);
}

TEST_CASE("a forgotten stay fits between recorded ones: stays are compared as intervals") {
    Shelter sh;
    const int64_t now = nowUnix(), bed = sh.beds[0];
    // Recorded: Roos stayed two days ago until yesterday, and Lena is in the bed since this morning.
    CheckIn roos = stayIn(bed, "Roos");
    roos.when.at = now - 2 * kDay;
    const int64_t roosId = checkIn(sh.store, sh.samActor(), roos);
    checkOut(sh.store, sh.samActor(), roosId, Destination::OwnHome, When{now - kDay});
    CheckIn lena = stayIn(bed, "Lena");
    lena.when.at = now - 3 * kHour;
    checkIn(sh.store, sh.samActor(), lena);

    // Forgotten: Mila slept there four to three days ago. The bed was free then.
    CheckIn mila = stayIn(bed, "Mila");
    mila.clientCode = "MK-1991";
    mila.when.at = now - 4 * kDay;
    mila.leftAt = now - 3 * kDay;
    mila.destination = Destination::SupportedHousing;
    const int64_t milaId = checkIn(sh.store, sh.samActor(), mila);
    CHECK(count(sh.store, "SELECT out_at IS NOT NULL AND destination = 'supported_housing' FROM stay WHERE id = " +
                              idText(milaId)) == 1);

    // Overlapping a recorded stay is still refused, at either end and inside.
    CheckIn overlap = stayIn(bed, "Ada");
    overlap.when.at = now - 3 * kDay - kHour; // ends inside Roos's stay
    overlap.leftAt = now - 2 * kDay + kHour;
    CHECK_ERROR(checkIn(sh.store, sh.samActor(), overlap), ErrorKind::Conflict, "bed.taken");
    overlap.when.at = now - 5 * kDay; // covers Mila's stay
    overlap.leftAt = now - 2 * kDay - kHour;
    CHECK_ERROR(checkIn(sh.store, sh.samActor(), overlap), ErrorKind::Conflict, "bed.taken");
    overlap.when.at = now - 12 * kHour; // an open stay from last night would overlap Lena's
    overlap.leftAt.reset();
    CHECK_ERROR(checkIn(sh.store, sh.samActor(), overlap), ErrorKind::Conflict, "bed.taken");

    // The visitor code has the same shape: Mila can have another bed later, not at the same time.
    CheckIn again = stayIn(sh.beds[1], "Mila");
    again.clientCode = "MK-1991";
    again.when.at = now - 3 * kDay - 2 * kHour;
    again.leftAt = now - 3 * kDay + 2 * kHour;
    CHECK_ERROR(checkIn(sh.store, sh.samActor(), again), ErrorKind::Conflict, "client.already_in");
    again.when.at = now - 2 * kDay;
    again.leftAt.reset();
    CHECK(checkIn(sh.store, sh.samActor(), again) > 0);
}

TEST_CASE("back-dating: never in the future — staff a week back, a coordinator further — audited with both times") {
    Shelter sh;
    const int64_t now = nowUnix();
    CheckIn future = stayIn(sh.beds[0]);
    future.when.at = unixFromLocal("2030-01-01", 12 * 60);
    CHECK_ERROR(checkIn(sh.store, sh.samActor(), future), ErrorKind::InvalidInput, "when.future");
    CHECK_ERROR(checkIn(sh.store, sh.coordinator(), future), ErrorKind::InvalidInput, "when.future");
    CHECK(sh.stays() == 0);

    CheckIn old = stayIn(sh.beds[0]);
    old.when.at = now - 8 * kDay;
    CHECK_ERROR(checkIn(sh.store, sh.samActor(), old), ErrorKind::InvalidInput, "when.too_old");
    old.when.at = now - 6 * kDay;
    const int64_t id = checkIn(sh.store, sh.samActor(), old);
    CHECK(count(sh.store, "SELECT in_at FROM stay WHERE id = " + idText(id)) == now - 6 * kDay);
    CHECK(count(sh.store, "SELECT in_day = '" + localDay(now - 6 * kDay) + "' FROM stay WHERE id = " + idText(id)) == 1);
    // The audit row is the time it was typed; its detail names the moment it is for.
    const auto auditOwned = sh.store.db().statement("SELECT at, detail FROM audit_log WHERE action = 'check_in' AND record_id = " + idText(id));
    Statement& audit = *auditOwned;
    REQUIRE(audit.step());
    CHECK(audit.getInt(0) >= now);
    CHECK(audit.getText(1).find("at=" + std::to_string(now - 6 * kDay)) != std::string::npos);

    CHECK_ERROR(checkOut(sh.store, sh.samActor(), id, Destination::OwnHome, When{now + kDay}), ErrorKind::InvalidInput,
                "when.future");
    checkOut(sh.store, sh.samActor(), id, Destination::OwnHome, When{now - 5 * kDay});
    CHECK(count(sh.store, "SELECT out_at FROM stay WHERE id = " + idText(id)) == now - 5 * kDay);

    CheckIn longAgo = stayIn(sh.beds[1]);
    longAgo.when.at = now - 40 * kDay;
    longAgo.leftAt = now - 30 * kDay;
    CHECK(checkIn(sh.store, sh.coordinator(), longAgo) > 0);
}

TEST_CASE("undo of check-in, check-out, move and reservation leaves the figures as if it never happened") {
    Shelter sh;
    const int64_t lena = checkIn(sh.store, sh.samActor(), stayIn(sh.beds[0], "Lena"));
    const std::string before = sh.stayFigures();
    const int64_t auditsBefore = auditRows(sh.store);

    // A wrong check-out: she is in her bed again, no second stay.
    checkOut(sh.store, sh.samActor(), lena, Destination::OwnHome);
    undoCheckOut(sh.store, sh.samActor(), lena);
    CHECK(sh.stayFigures() == before);
    CHECK(freeBeds(sh.store) == static_cast<int>(sh.beds.size()) - 1);
    CHECK_ERROR(undoCheckOut(sh.store, sh.samActor(), lena), ErrorKind::NotFound, "undo.nothing");

    // A wrong move: back in her bed.
    moveStay(sh.store, sh.samActor(), lena, sh.beds[3]);
    undoMove(sh.store, sh.samActor(), lena);
    CHECK(sh.stayFigures() == before);

    // A wrong check-in: the stay is gone.
    const int64_t wrong = checkIn(sh.store, sh.samActor(), stayIn(sh.beds[1], "Noor"));
    undoCheckIn(sh.store, sh.samActor(), wrong);
    CHECK(sh.stayFigures() == before);

    // A wrong reservation: gone, the bed free again.
    NewReservation r = expected(sh.beds[2], "Mila");
    const int64_t res = reserveBed(sh.store, sh.samActor(), r);
    undoReservation(sh.store, sh.samActor(), res);
    CHECK(count(sh.store, "SELECT count(*) FROM reservation") == 0);
    CHECK(freeBeds(sh.store) == static_cast<int>(sh.beds.size()) - 1);

    // Every step and its undo is in the audit log.
    CHECK(auditRows(sh.store) == auditsBefore + 8);
    CHECK(count(sh.store, "SELECT count(*) FROM audit_log WHERE action = 'undo'") == 4);
}

TEST_CASE("an undone check-in for a reservation opens the reservation again") {
    Shelter sh;
    NewReservation r = expected(sh.beds[2], "Mila");
    const int64_t res = reserveBed(sh.store, sh.samActor(), r);
    CheckIn in = stayIn(sh.beds[2], "Mila");
    in.reservationId = res;
    const int64_t stay = checkIn(sh.store, sh.samActor(), in);
    undoCheckIn(sh.store, sh.samActor(), stay);
    CHECK(count(sh.store, "SELECT status = 'open' AND stay_id IS NULL FROM reservation WHERE id = " + idText(res)) == 1);
    CHECK(sh.stays() == 0);
}

TEST_CASE("who may undo: shelter staff their own bed actions, a coordinator anyone's") {
    Shelter sh;
    const int64_t lena = checkIn(sh.store, sh.samActor(), stayIn(sh.beds[0], "Lena"));
    CHECK_ERROR(undoCheckIn(sh.store, sh.kimActor(), lena), ErrorKind::InvalidInput, "undo.not_yours");
    checkOut(sh.store, sh.kimActor(), lena, Destination::Unknown);
    CHECK_ERROR(undoCheckOut(sh.store, sh.samActor(), lena), ErrorKind::InvalidInput, "undo.not_yours");
    undoCheckOut(sh.store, sh.coordinator(), lena);
    undoCheckIn(sh.store, sh.coordinator(), lena);
    CHECK(sh.stays() == 0);
}

TEST_CASE("a staff member's last actions list her bed actions until they are undone") {
    Shelter sh;
    const int64_t lena = checkIn(sh.store, sh.samActor(), stayIn(sh.beds[0], "Lena"));
    moveStay(sh.store, sh.samActor(), lena, sh.beds[3]);
    checkIn(sh.store, sh.kimActor(), stayIn(sh.beds[1], "Noor"));
    const auto kinds = [&](int64_t staff) {
        std::string out;
        for (const auto& a : loadUndoable(sh.store, staff)) out += a.entity + ":" + a.kind + ";";
        return out;
    };
    CHECK(kinds(sh.sam) == "stay:move;stay:check_in;");
    CHECK(kinds(sh.kim) == "stay:check_in;");
    undoMove(sh.store, sh.samActor(), lena);
    CHECK(kinds(sh.sam) == "stay:check_in;");
    undoCheckIn(sh.store, sh.samActor(), lena);
    CHECK(kinds(sh.sam).empty());
}

// A hostile tester: every entry point that takes a moment, undo in the wrong order, the emergency bed by
// police, forgotten stays at the edges of recorded ones, and beds out of service for part of a year.

TEST_CASE("a move and a bed's service change cannot lie in the future, nor more than a week back for staff") {
    Shelter sh;
    const int64_t now = nowUnix();
    CheckIn in = stayIn(sh.beds[0], "Lena");
    in.when.at = now - 3 * kHour;
    const int64_t lena = checkIn(sh.store, sh.samActor(), in);
    const std::string before = sh.state();
    const int64_t audits = auditRows(sh.store);

    CHECK_ERROR(moveStay(sh.store, sh.samActor(), lena, sh.beds[1], When{now + 2 * kMinute}), ErrorKind::InvalidInput,
                "when.future");
    CHECK_ERROR(moveStay(sh.store, sh.coordinator(), lena, sh.beds[1], When{now + 2 * kMinute}),
                ErrorKind::InvalidInput, "when.future");
    CHECK_ERROR(moveStay(sh.store, sh.samActor(), lena, sh.beds[1], When{now - 8 * kDay}), ErrorKind::InvalidInput,
                "when.too_old");
    // Not before she came in either.
    CHECK_ERROR(moveStay(sh.store, sh.coordinator(), lena, sh.beds[1], When{now - 2 * kDay}), ErrorKind::InvalidInput,
                "stay.move_before_in");

    CHECK_ERROR(setBedInService(sh.store, sh.samActor(), sh.beds[5], false, "leak", When{now + 2 * kMinute}),
                ErrorKind::InvalidInput, "when.future");
    CHECK_ERROR(setBedInService(sh.store, sh.samActor(), sh.beds[5], false, "leak", When{now - 8 * kDay}),
                ErrorKind::InvalidInput, "when.too_old");
    CHECK(sh.state() == before);
    CHECK(auditRows(sh.store) == audits);

    // Moved an hour ago, she cannot have left two hours ago.
    moveStay(sh.store, sh.samActor(), lena, sh.beds[1], When{now - kHour});
    CHECK_ERROR(checkOut(sh.store, sh.samActor(), lena, Destination::OwnHome, When{now - 2 * kHour}),
                ErrorKind::InvalidInput, "stay.out_day");
    CHECK(count(sh.store, "SELECT count(*) FROM stay WHERE out_at IS NULL") == 1);

    // A coordinator may record that a bed went out of service a month ago (a period's capacity is what it was then).
    setBedInService(sh.store, sh.coordinator(), sh.beds[5], false, "leak", When{now - 30 * kDay});
    CHECK(count(sh.store, "SELECT out_day = '" + localDay(now - 30 * kDay) + "' FROM bed_service WHERE bed_id = " +
                              idText(sh.beds[5])) == 1);
}

TEST_CASE("a moment a minute ahead is the future, for a contact, a check-in and a check-out alike") {
    Shelter sh;
    const int64_t now = nowUnix();
    NewContact c;
    c.when.at = now + kMinute;
    CHECK_ERROR(logContact(sh.store, sh.coordinator(), c), ErrorKind::InvalidInput, "when.future");
    CheckIn in = stayIn(sh.beds[0]);
    in.when.at = now + kMinute;
    CHECK_ERROR(checkIn(sh.store, sh.coordinator(), in), ErrorKind::InvalidInput, "when.future");
    in.when.at.reset();
    const int64_t id = checkIn(sh.store, sh.coordinator(), in);
    CHECK_ERROR(checkOut(sh.store, sh.coordinator(), id, Destination::OwnHome, When{now + kMinute}),
                ErrorKind::InvalidInput, "when.future");
    CHECK(count(sh.store, "SELECT count(*) FROM contact") == 0);
    CHECK(count(sh.store, "SELECT count(*) FROM stay WHERE out_at IS NULL") == 1);
}

TEST_CASE("a forgotten stay may touch a recorded one but not overlap it by a minute at either end") {
    Shelter sh;
    const int64_t now = nowUnix(), bed = sh.beds[0];
    // Recorded: Roos from four days ago until two days ago.
    checkIn(sh.store, sh.samActor(), forgotten(bed, "Roos", now - 4 * kDay, now - 2 * kDay));

    CheckIn before = forgotten(bed, "Ada", now - 6 * kDay, now - 4 * kDay + kMinute); // leaves a minute after Roos came
    CHECK_ERROR(checkIn(sh.store, sh.samActor(), before), ErrorKind::Conflict, "bed.taken");
    CheckIn after = forgotten(bed, "Bo", now - 2 * kDay - kMinute, now - kDay); // comes a minute before Roos left
    CHECK_ERROR(checkIn(sh.store, sh.samActor(), after), ErrorKind::Conflict, "bed.taken");
    CHECK(count(sh.store, "SELECT count(*) FROM stay") == 1);

    before.leftAt = now - 4 * kDay; // leaves as Roos comes
    CHECK(checkIn(sh.store, sh.samActor(), before) > 0);
    after.when.at = now - 2 * kDay; // comes as Roos leaves
    CHECK(checkIn(sh.store, sh.samActor(), after) > 0);
    CHECK(count(sh.store, "SELECT count(*) FROM stay") == 3);
}

TEST_CASE("a forgotten stay is held to the bed's service of its own time, not today's") {
    Shelter sh;
    const int64_t now = nowUnix();
    // Bed 1 was out of service from five to two days ago; bed 2 has gone out of service today.
    setBedInService(sh.store, sh.coordinator(), sh.beds[1], false, "leak", When{now - 5 * kDay});
    setBedInService(sh.store, sh.coordinator(), sh.beds[1], true, {}, When{now - 2 * kDay});
    setBedInService(sh.store, sh.coordinator(), sh.beds[2], false, "paint");

    CHECK_ERROR(checkIn(sh.store, sh.samActor(), forgotten(sh.beds[1], "Ada", now - 4 * kDay, now - 3 * kDay)),
                ErrorKind::Conflict, "bed.out_of_service");
    CHECK(count(sh.store, "SELECT count(*) FROM stay") == 0);
    CHECK(checkIn(sh.store, sh.samActor(), forgotten(sh.beds[2], "Bo", now - 4 * kDay, now - 3 * kDay)) > 0);
}

TEST_CASE("undo in the wrong order: a check-out after the bed was let again, twice, and a move after a later move") {
    Shelter sh;
    const int64_t lena = checkIn(sh.store, sh.samActor(), stayIn(sh.beds[0], "Lena"));
    checkOut(sh.store, sh.samActor(), lena, Destination::OwnHome);
    const int64_t noor = checkIn(sh.store, sh.samActor(), stayIn(sh.beds[0], "Noor"));
    std::string before = sh.state();
    CHECK_ERROR(undoCheckOut(sh.store, sh.samActor(), lena), ErrorKind::Conflict, "bed.taken");
    CHECK(sh.state() == before);
    // Noor's check-in undone, Lena's check-out can be; a second undo finds nothing.
    undoCheckIn(sh.store, sh.samActor(), noor);
    undoCheckOut(sh.store, sh.samActor(), lena);
    before = sh.state();
    CHECK_ERROR(undoCheckOut(sh.store, sh.samActor(), lena), ErrorKind::NotFound, "undo.nothing");
    CHECK_ERROR(undoCheckIn(sh.store, sh.samActor(), noor), ErrorKind::NotFound, "undo.nothing");
    CHECK(sh.state() == before);

    // Two moves: the undo takes back the later one only, and the earlier one is then no longer on offer.
    moveStay(sh.store, sh.samActor(), lena, sh.beds[1]);
    moveStay(sh.store, sh.samActor(), lena, sh.beds[2]);
    const auto moveRows = [&] {
        int n = 0;
        for (const auto& a : loadUndoable(sh.store, sh.sam)) n += a.kind == "move" ? 1 : 0;
        return n;
    };
    CHECK(moveRows() == 1); // the earlier move is not offered: its undo would take back the later one
    undoMove(sh.store, sh.samActor(), lena);
    CHECK(count(sh.store, "SELECT bed_id FROM stay WHERE id = " + idText(lena)) == sh.beds[1]);
    before = sh.state();
    CHECK_ERROR(undoMove(sh.store, sh.samActor(), lena), ErrorKind::NotFound, "undo.nothing");
    CHECK(sh.state() == before);
    CHECK(moveRows() == 0);
}

TEST_CASE("the police take the emergency bed with other beds free, and find no bed when none is free") {
    Shelter sh;
    // With every bed free, police into the bed the board holds for emergencies: no waiver, not the emergency bed.
    BoardView board = loadBoard(sh.store, true);
    int64_t held = 0;
    for (const auto& room : board.rooms)
        for (const auto& bed : room.beds)
            if (bed.emergencyHeld) held = bed.id;
    REQUIRE(held != 0);
    CheckIn police = stayIn(held, "Iris");
    police.referral = StayReferral::Police;
    const int64_t iris = checkIn(sh.store, sh.samActor(), police);
    CHECK(count(sh.store, "SELECT emergency_bed FROM stay WHERE id = " + idText(iris)) == 0);
    // The board holds another free bed now.
    board = loadBoard(sh.store, true);
    CHECK(board.heldForEmergency == 1);

    // Fill every bed: a police placement finds none and changes nothing.
    for (const int64_t bed : sh.beds) {
        if (bed == held) continue;
        CheckIn in = stayIn(bed, "Gast");
        in.referral = StayReferral::Police;
        checkIn(sh.store, sh.samActor(), in);
    }
    CHECK(freeBeds(sh.store) == 0);
    const std::string before = sh.state();
    police.alias = "Vera";
    for (const int64_t bed : sh.beds) {
        police.bedId = bed;
        CHECK_ERROR(checkIn(sh.store, sh.samActor(), police), ErrorKind::Conflict, "bed.taken");
    }
    CHECK(sh.state() == before);
}

} // TEST_SUITE
