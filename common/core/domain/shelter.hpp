// The domain API: the shelter: beds, stays, reservations, purge.
// Every write runs in one transaction with its audit row (desk side); bad input throws Error and writes nothing.
#pragma once

#include "core/domain/audit.hpp"
#include "core/base/error.hpp"
#include "core/store/store.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace inloop::core {

// [SECTION] shelter
struct CheckIn {
    int64_t bedId = 0;
    std::string alias;                      // what the shelter calls her; purged after the retention period
    std::optional<std::string> clientCode;  // optional visitor code, stored as keyed hash
    StayReferral referral = StayReferral::Unknown; // nothing preselected: a skipped answer is "not known"
    ExitProgramme exitProgramme = ExitProgramme::Unknown;
    std::optional<std::string> expectedOutDay;
    bool confirmEmergencyBed = false;       // required to give away the last free bed…
    std::string emergencyReason;            // …with a reason
    std::optional<int64_t> reservationId;   // arriving for a reservation on this bed
    When when;
    // A stay entered after it ended (forgotten): when she left and where to. The stay is checked against the
    // bed's other stays as the interval [when, leftAt); without it the stay is open, [when, now and later).
    std::optional<int64_t> leftAt;
    Destination destination = Destination::Unknown;
};
// Throws Conflict when the bed is taken or out of service (or was, in the stay's interval), NeedsConfirmation
// for the last free bed (not for a police placement: that is what the emergency bed is kept for).
int64_t checkIn(Store& store, const Actor& actor, const CheckIn& checkIn);
void checkOut(Store& store, const Actor& actor, int64_t stayId, Destination destination, When when = {});
// Beds in service, not occupied and not held by an open reservation that has not expired yet.
int freeBeds(Store& store, int64_t now = 0);
// A resident moves to another free bed (no confirmation: the number of free beds stays the same).
void moveStay(Store& store, const Actor& actor, int64_t stayId, int64_t toBedId, When when = {});

// Someone is expected: the bed is held from now until `expiresAt`. The last free bed needs the same confirmation
// and reason as a check-in.
struct NewReservation {
    int64_t bedId = 0;
    std::string alias;
    StayReferral referral = StayReferral::Unknown;
    int64_t expectedAt = 0;
    int64_t expiresAt = 0;
    bool confirmEmergencyBed = false;
    std::string emergencyReason;
};
int64_t reserveBed(Store& store, const Actor& actor, const NewReservation& reservation);
void cancelReservation(Store& store, const Actor& actor, int64_t reservationId);
// Undo of a bed action, within the shift it was typed in (desk staff: their own; a coordinator: anyone's). Each is
// audited and leaves the figures as if it never happened: an undone check-in removes the stay (a reservation it
// came from is open again), an undone check-out reopens the stay, an undone move puts her back, an undone
// reservation removes it.
void undoCheckIn(Store& store, const Actor& actor, int64_t stayId);
void undoCheckOut(Store& store, const Actor& actor, int64_t stayId);
void undoMove(Store& store, const Actor& actor, int64_t stayId);
void undoReservation(Store& store, const Actor& actor, int64_t reservationId);

// Out of service (with a reason) and back; a bed with a resident or an open reservation cannot go out of service.
// Each change is kept in the bed's service history (bed_service): a period's capacity is what it was then.
void setBedInService(Store& store, const Actor& actor, int64_t bedId, bool inService, std::string_view reason = {},
                     When when = {});

// Retention: aliases of stays (and reservations) that ended before `beforeDay` are removed; counts remain.
// Returns how many were purged; each run is recorded in purge_run and the audit log.
int purgeAliases(Store& store, const Actor& actor, std::string_view beforeDay);
// The retention period in months (setting "retention.months", default 24) and the day it implies.
int retentionMonths(Store& store);
std::string retentionCutoff(Store& store, std::string_view today);


} // namespace inloop::core
