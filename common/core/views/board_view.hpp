// The shelter's bed board: rooms and beds with their state, who is due out, reservations about to expire,
// and the count "free: 3 (1 held for emergencies)". Shelter staff see aliases; the desk sees only states.
#pragma once

#include "core/store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace inloop::core {

struct BedView {
    enum class State { Free, Occupied, Reserved, OutOfService };
    int64_t id = 0;
    std::string label, tier; // "1A", lower | upper | single
    State state = State::Free;
    bool emergencyHeld = false; // the last free bed: kept for police placements
    std::string outReason;
    // Occupied:
    std::optional<int64_t> stayId;
    std::string alias; // empty unless the viewer may see it (or it was purged)
    std::string inDay, expectedOutDay;
    bool overdue = false; // her expected departure day has passed and she is still here
    // Reserved:
    std::optional<int64_t> reservationId;
    int64_t expectedAt = 0, expiresAt = 0;
    std::string reservedFor;      // the reservation's alias (empty unless the viewer may see it)
    std::string reservedReferral; // social_work | partner | police | self | other | unknown
};

struct RoomView {
    int64_t id = 0;
    std::string name;
    std::vector<BedView> beds; // bunks in order: 1A (lower), 1B (upper), 2A, …
};

struct BoardView {
    std::vector<RoomView> rooms;
    int free = 0;          // in service, not occupied, not reserved
    int heldForEmergency = 0; // of those: 1 when any bed is free
    int occupied = 0, reserved = 0, outOfService = 0;
    std::vector<BedView> dueOutToday;      // expected out today or earlier, still in
    std::vector<BedView> expiringSoon;     // reservations expiring within 6 hours
    bool showsResidents = false;
    int64_t dataVersion = 0;
    // Only the emergency bed is free: an ordinary placement has no bed left (the board says so in amber).
    bool onlyEmergencyFree() const { return free > 0 && free == heldForEmergency; }
};

// A day on the board ("4 Dec"), with its year when that is not the year of `today` ("18 May 2027").
std::string boardDay(std::string_view lang, const std::string& day, std::string_view skeleton, std::string_view today);

// `showResidents`: the shelter and coordinator roles; the desk role sees states only.
BoardView loadBoard(Store& store, bool showResidents, int64_t now = 0);

// Figures for a period [from, to] (local days): bed-nights, available bed-nights (beds in service), occupancy.
struct ShelterFigures {
    int64_t bedNights = 0, availableBedNights = 0;
    double occupancy() const { return availableBedNights ? static_cast<double>(bedNights) / availableBedNights : 0; }
    int distinctClients = 0; // stays with a code count once per code; stays without a code count once each
    int stays = 0;
    double averageStayNights = 0; // of stays that ended in the period
    int exitProgrammeYes = 0, exitProgrammeKnown = 0; // stays
    int exitProgrammeClients = 0;                     // clients (counted as distinctClients) with a "yes" stay
};
// A stay counts when it has a night: in and out on the same day is no stay (nor a client) in the figures.
inline constexpr const char* kStayWithANight = "(out_day IS NULL OR out_day > in_day)";
ShelterFigures shelterFigures(Store& store, const std::string& from, const std::string& to);

} // namespace inloop::core
