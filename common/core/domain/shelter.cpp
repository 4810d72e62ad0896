// The domain API: the shelter: beds, stays, reservations (see shelter.hpp).

#include "core/domain/shelter.hpp"
#include "core/domain/internal.hpp"

#include "core/base/clock.hpp"
#include "core/store/dialect.hpp"

#include <algorithm>
#include <cstdlib>

namespace inloop::core {

using namespace detail;

// [SECTION] shelter
namespace {
// A bed is held by an open reservation until the reservation expires.
constexpr const char* kBedFreeSql =
    "b.in_service = 1 AND NOT EXISTS (SELECT 1 FROM stay s WHERE s.bed_id = b.id AND s.out_at IS NULL) "
    "AND NOT EXISTS (SELECT 1 FROM reservation r WHERE r.bed_id = b.id AND r.status = 'open' AND r.expires_at > ?1)";
const std::initializer_list<Role> kShelterRoles = {Role::Shelter, Role::Coordinator};

// The last free bed is kept for police emergencies: giving it away needs a confirmation and a reason. A police
// placement is what it is kept for, so that one takes it without either. `free`: the free beds at that moment.
void guardLastBed(int free, StayReferral referral, bool confirmed, std::string_view reason) {
    if (referral == StayReferral::Police || free != 1) return;
    if (!confirmed)
        throw Error(ErrorKind::NeedsConfirmation, "bed.last_free",
                    "This is the last free bed, kept for police emergencies. Confirm and give a reason.");
    if (reason.empty()) throw invalid("stay.emergency_reason", "Giving away the emergency bed needs a reason.");
}

struct BedState {
    bool inService = false, occupied = false;
    std::optional<int64_t> heldBy; // an open, unexpired reservation
};
BedState bedState(Store& store, int64_t bedId, int64_t now) {
    Statement& bed = store.db().prepare(
        "SELECT in_service, EXISTS (SELECT 1 FROM stay s WHERE s.bed_id = b.id AND s.out_at IS NULL), "
        "(SELECT id FROM reservation r WHERE r.bed_id = b.id AND r.status = 'open' AND r.expires_at > ?2) "
        "FROM bed b WHERE id = ?1");
    requireRow(bed.bindAll(bedId, now), "bed.not_found", "That bed does not exist.");
    BedState st{bed.getInt(0) == 1, bed.getInt(1) == 1, bed.getOptInt(2)};
    bed.reset();
    return st;
}
} // namespace

int freeBeds(Store& store, int64_t now) {
    requireDesk(store);
    if (now == 0) now = nowUnix();
    Statement& st = store.db().prepare(std::string("SELECT count(*) FROM bed b WHERE ") + kBedFreeSql);
    st.bind(1, now);
    st.step();
    const int free = static_cast<int>(st.getInt(0));
    st.reset();
    return free;
}

namespace {
// A stay's bed, its check-out (NULL while she is there) and the moment it last changed bed: her check-in or her
// latest move. A move or a check-out cannot lie before that moment.
constexpr const char* kStayBedSql =
    "SELECT bed_id, out_at, MAX(in_at, COALESCE((SELECT MAX(at) FROM stay_move m WHERE m.stay_id = s.id), 0)) "
    "FROM stay s WHERE id = ?";

// Free beds at a moment, as they were then: in service that day (the bed's service history), no stay over the
// moment, no reservation open then (of the reservations still open). For now it is freeBeds(); for a back-dated
// stay it is what the desk saw when she came in.
int freeBedsAt(Store& store, int64_t at) {
    Statement& st = store.db().prepare(
        "SELECT count(*) FROM bed b WHERE NOT EXISTS (SELECT 1 FROM bed_service v WHERE v.bed_id = b.id "
        "  AND v.out_day <= ?2 AND (v.in_day IS NULL OR v.in_day > ?2)) "
        "AND NOT EXISTS (SELECT 1 FROM stay s WHERE s.bed_id = b.id AND s.in_at <= ?1 AND (s.out_at IS NULL OR s.out_at > ?1)) "
        "AND NOT EXISTS (SELECT 1 FROM reservation r WHERE r.bed_id = b.id AND r.status = 'open' AND r.created_at <= ?1 "
        "  AND r.expires_at > ?1)");
    st.bindAll(at, localDay(at)).step();
    const int free = static_cast<int>(st.getInt(0));
    st.reset();
    return free;
}

// Whether another stay on the bed (or of the client) overlaps [from, until); until absent: open-ended. Stays are
// compared as intervals, so a forgotten stay fits between two recorded ones.
bool stayOverlaps(Store& store, const char* column, int64_t value, int64_t from, std::optional<int64_t> until,
                  int64_t exceptStay = 0) {
    Statement& st = store.db().prepare(
        std::string("SELECT EXISTS (SELECT 1 FROM stay WHERE ") + column +
        " = ?1 AND id <> ?4 AND (CAST(?3 AS BIGINT) IS NULL OR in_at < ?3) AND (out_at IS NULL OR out_at > ?2))");
    st.bindAll(value, from, until, exceptStay).step();
    const bool overlaps = st.getInt(0) == 1;
    st.reset();
    return overlaps;
}
// Whether the bed was out of service (its service history, bed_service) on a night of the days [fromDay, untilDay);
// untilDay absent: up to now and on. A spell is out of service on the nights out_day <= D < in_day.
bool outOfServiceDuring(Store& store, int64_t bedId, const std::string& fromDay,
                        const std::optional<std::string>& untilDay) {
    Statement& st = store.db().prepare(
        "SELECT EXISTS (SELECT 1 FROM bed_service WHERE bed_id = ?1 AND (CAST(?3 AS TEXT) IS NULL OR out_day < ?3) "
        "AND (in_day IS NULL OR in_day > ?2))");
    st.bindAll(bedId, fromDay, untilDay).step();
    const bool out = st.getInt(0) == 1;
    st.reset();
    return out;
}
} // namespace

int64_t checkIn(Store& store, const Actor& actor, const CheckIn& in) {
    requireDesk(store);
    checkLength(in.alias, 1, 40, "stay.alias", "An alias");
    if (in.expectedOutDay && !isValidDay(*in.expectedOutDay)) throw invalid("stay.expected_out", "Not a date (YYYY-MM-DD).");
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    const int64_t at = entryMoment(store, actor, in.when);
    const std::string day = localDay(at);
    if (in.expectedOutDay && *in.expectedOutDay < day)
        throw invalid("stay.expected_out", "The expected departure lies before the arrival.");
    // A stay entered after it ended: it only has to fit between the bed's other stays.
    const bool ended = in.leftAt.has_value();
    if (ended) {
        if (*in.leftAt <= at) throw invalid("stay.out_day", "A check-out cannot lie before the check-in.");
        entryMoment(store, actor, When{in.leftAt});
    }
    const BedState bed = bedState(store, in.bedId, at);
    // In service over the stay's own nights (the service history), and now too if she is still there.
    std::optional<std::string> outDay;
    if (ended) outDay = localDay(*in.leftAt);
    if ((!ended && !bed.inService) || outOfServiceDuring(store, in.bedId, day, outDay))
        throw Error(ErrorKind::Conflict, "bed.out_of_service", "That bed is out of service (or was, at that time).");
    if (bed.occupied && !ended) throw Error(ErrorKind::Conflict, "bed.taken", "That bed is already taken.");
    if (stayOverlaps(store, "bed_id", in.bedId, at, in.leftAt))
        throw Error(ErrorKind::Conflict, "bed.taken", "That bed was taken at that time.");
    bool emergency = false;
    if (in.reservationId) {
        // Arriving for a reservation: the bed was set aside (and confirmed, if it was the last) when reserving.
        if (bed.heldBy != in.reservationId)
            throw Error(ErrorKind::Conflict, "reservation.not_open", "That reservation is not open for this bed.");
    } else {
        // The emergency-bed rule at the stay's own moment: a back-dated stay took the last bed if it was the last
        // one free then. A stay entered after it ended was given the bed long ago: no waiver to ask, but it is
        // marked as the emergency bed all the same.
        const int free = freeBedsAt(store, at);
        if (!ended) {
            if (bed.heldBy) throw Error(ErrorKind::Conflict, "bed.reserved", "That bed is reserved for someone else.");
            guardLastBed(free, in.referral, in.confirmEmergencyBed, in.emergencyReason);
        }
        emergency = free == 1;
    }
    std::optional<int64_t> client;
    if (in.clientCode && !in.clientCode->empty()) {
        client = clientFor(store, *in.clientCode, day);
        if (stayOverlaps(store, "client_id", *client, at, in.leftAt))
            throw Error(ErrorKind::Conflict, "client.already_in", "This visitor code already has a bed then.");
    }
    std::optional<std::string_view> destination;
    if (ended) destination = word(in.destination);
    Statement& ins = store.db().prepare(
        "INSERT INTO stay(bed_id, client_id, alias, referral, exit_programme, emergency_bed, in_at, in_day, "
        "expected_out_day, out_at, out_day, destination) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bindAll(in.bedId, client, in.alias, word(in.referral), word(in.exitProgramme), emergency ? 1 : 0, at, day,
                in.expectedOutDay, in.leftAt, outDay, destination);
    try {
        ins.run();
    } catch (const DbError& e) {
        if (e.isConstraint())
            throw Error(ErrorKind::Conflict, "client.already_in", "This visitor code already has a bed.");
        throw;
    }
    const int64_t id = store.db().lastInsertRowid();
    if (in.reservationId) {
        Statement& arrived = store.db().prepare("UPDATE reservation SET status = 'arrived', stay_id = ? WHERE id = ?");
        arrived.bindAll(id, *in.reservationId).run();
    }
    audit(store, actor, "check_in", "stay", id,
          withMoment(emergency ? "emergency bed: " + in.emergencyReason : std::string(), at));
    if (ended) audit(store, actor, "check_out", "stay", id, withMoment(std::string(word(in.destination)), *in.leftAt));
    tx.commit();
    return id;
}

void moveStay(Store& store, const Actor& actor, int64_t stayId, int64_t toBedId, When when) {
    requireDesk(store);
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    // Back-dated like any entry: never in the future, staff a week back; and not before she came in or last moved.
    const int64_t at = entryMoment(store, actor, when);
    Statement& get = store.db().prepare(kStayBedSql);
    requireRow(get.bind(1, stayId), "stay.not_found", "That stay does not exist.");
    const int64_t from = get.getInt(0);
    const bool ended = !get.isNull(1);
    const int64_t since = get.getInt(2);
    get.reset();
    if (ended) throw Error(ErrorKind::Conflict, "stay.already_out", "This stay has already ended.");
    if (from == toBedId) throw invalid("stay.same_bed", "That is the bed she is in already.");
    if (at < since) throw invalid("stay.move_before_in", "A move cannot lie before her arrival or her last move.");
    const BedState bed = bedState(store, toBedId, at);
    if (!bed.inService || outOfServiceDuring(store, toBedId, localDay(at), std::nullopt))
        throw Error(ErrorKind::Conflict, "bed.out_of_service", "That bed is out of service.");
    if (bed.occupied || stayOverlaps(store, "bed_id", toBedId, at, std::nullopt, stayId))
        throw Error(ErrorKind::Conflict, "bed.taken", "That bed is already taken.");
    if (bed.heldBy) throw Error(ErrorKind::Conflict, "bed.reserved", "That bed is reserved for someone else.");
    Statement& upd = store.db().prepare("UPDATE stay SET bed_id = ? WHERE id = ?");
    upd.bindAll(toBedId, stayId).run();
    Statement& moved = store.db().prepare("INSERT INTO stay_move(stay_id, at, from_bed, to_bed) VALUES (?,?,?,?)");
    moved.bindAll(stayId, at, from, toBedId).run();
    audit(store, actor, "move", "stay", stayId,
          withMoment("bed " + std::to_string(from) + " to " + std::to_string(toBedId), at));
    tx.commit();
}

int64_t reserveBed(Store& store, const Actor& actor, const NewReservation& r) {
    requireDesk(store);
    checkLength(r.alias, 1, 40, "stay.alias", "An alias");
    const int64_t now = nowUnix();
    if (r.expiresAt <= r.expectedAt || r.expiresAt <= now)
        throw invalid("reservation.expiry", "A reservation expires after the expected arrival, in the future.");
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    const BedState bed = bedState(store, r.bedId, now);
    if (!bed.inService) throw Error(ErrorKind::Conflict, "bed.out_of_service", "That bed is out of service.");
    if (bed.occupied) throw Error(ErrorKind::Conflict, "bed.taken", "That bed is already taken.");
    if (bed.heldBy) throw Error(ErrorKind::Conflict, "bed.reserved", "That bed is reserved for someone else.");
    guardLastBed(freeBeds(store, now), r.referral, r.confirmEmergencyBed, r.emergencyReason);
    // An expired reservation on this bed is closed now, so there is only ever one open one.
    Statement& expire = store.db().prepare(
        "UPDATE reservation SET status = 'cancelled' WHERE bed_id = ? AND status = 'open' AND expires_at <= ?");
    expire.bindAll(r.bedId, now).run();
    Statement& ins = store.db().prepare(
        "INSERT INTO reservation(bed_id, alias, referral, expected_at, expires_at, created_at) VALUES (?,?,?,?,?,?)");
    ins.bindAll(r.bedId, r.alias, word(r.referral), r.expectedAt, r.expiresAt, now).run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "reserve", "reservation", id,
          r.confirmEmergencyBed && !r.emergencyReason.empty() ? "emergency bed: " + r.emergencyReason : "");
    tx.commit();
    return id;
}

void cancelReservation(Store& store, const Actor& actor, int64_t reservationId) {
    requireDesk(store);
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    Statement& get = store.db().prepare("SELECT status FROM reservation WHERE id = ?");
    requireRow(get.bind(1, reservationId), "reservation.not_found", "That reservation does not exist.");
    const std::string status = get.getText(0);
    get.reset();
    if (status != "open") throw Error(ErrorKind::Conflict, "reservation.not_open", "That reservation is not open.");
    Statement& upd = store.db().prepare("UPDATE reservation SET status = 'cancelled' WHERE id = ?");
    upd.bind(1, reservationId).run();
    audit(store, actor, "cancel", "reservation", reservationId);
    tx.commit();
}

void setBedInService(Store& store, const Actor& actor, int64_t bedId, bool inService, std::string_view reason,
                     When when) {
    requireDesk(store);
    if (!inService) checkLength(reason, 1, 200, "bed.out_reason", "A reason");
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    // Back-dated like any entry (a past period's capacity follows): never in the future, staff a week back.
    const int64_t now = entryMoment(store, actor, when);
    const std::string day = localDay(now);
    const BedState bed = bedState(store, bedId, nowUnix());
    if (!inService && (bed.occupied || stayOverlaps(store, "bed_id", bedId, unixFromLocal(addDays(day, 1), 0),
                                                    std::nullopt)))
        throw Error(ErrorKind::Conflict, "bed.taken", "Someone sleeps in that bed (or slept there since).");
    if (!inService && bed.heldBy) throw Error(ErrorKind::Conflict, "bed.reserved", "That bed is reserved.");
    // A spell cannot begin before the bed's last one ended (nor end before it began): the history stays a line.
    const std::string lastChange = store.db().queryText(
        "SELECT COALESCE(MAX(MAX(out_day, COALESCE(in_day, out_day))), '') FROM bed_service WHERE bed_id = " +
        std::to_string(bedId));
    if (day < lastChange)
        throw invalid("bed.service_before", "The bed's service changed after that day already.");
    Statement& upd = store.db().prepare("UPDATE bed SET in_service = ?, out_reason = ? WHERE id = ?");
    upd.bindAll(inService ? 1 : 0, inService ? std::string_view() : reason, bedId).run();
    // The service history: an out-of-service spell opens on its day and closes on the day the bed returns.
    Statement& spell = store.db().prepare(
        inService ? "UPDATE bed_service SET in_day = MAX(out_day, ?2) WHERE bed_id = ?1 AND in_day IS NULL"
                  : "INSERT INTO bed_service (bed_id, out_day, reason) SELECT ?1, ?2, ?3 WHERE NOT EXISTS "
                    "(SELECT 1 FROM bed_service WHERE bed_id = ?1 AND in_day IS NULL)");
    spell.bind(1, bedId);
    spell.bind(2, day);
    if (!inService) spell.bind(3, reason);
    spell.run();
    audit(store, actor, inService ? "in_service" : "out_of_service", "bed", bedId, withMoment({}, now));
    tx.commit();
}

int retentionMonths(Store& store) {
    requireDesk(store);
    const std::string v = store.db().queryText("SELECT value FROM setting WHERE key = 'retention.months'");
    int months = 24;
    if (!v.empty()) months = std::atoi(v.c_str());
    return std::clamp(months, 1, 120);
}

std::string retentionCutoff(Store& store, std::string_view today) {
    const int months = retentionMonths(store);
    int y = yearOf(today), m = std::atoi(std::string(today.substr(5, 2)).c_str()) - months;
    while (m < 1) {
        m += 12;
        --y;
    }
    // The same day of the month, or the month's last day (31 March minus one month is 28 or 29 February).
    int d = std::atoi(std::string(today.substr(8, 2)).c_str());
    while (d > 28 && !isValidDay(makeDay(y, m, d))) --d;
    return makeDay(y, m, d);
}

int purgeAliases(Store& store, const Actor& actor, std::string_view beforeDay) {
    requireDesk(store);
    if (!isValidDay(beforeDay)) throw invalid("date", "Not a date (YYYY-MM-DD).");
    Transaction tx(store.db(), Transaction::Writes::Main);
    Statement& stays = store.db().prepare(
        "UPDATE stay SET alias = NULL WHERE alias IS NOT NULL AND out_day IS NOT NULL AND out_day < ?");
    stays.bind(1, beforeDay).run();
    int purged = store.db().changes();
    // Reservations that ended (arrived, cancelled) or lapsed without anyone arriving.
    Statement& res = store.db().prepare(
        "UPDATE reservation SET alias = NULL WHERE alias IS NOT NULL AND "
        "((status <> 'open' AND created_at < ?1) OR (status = 'open' AND expires_at < ?1))");
    res.bind(1, unixFromLocal(beforeDay, 0)).run();
    purged += store.db().changes();
    Statement& log = store.db().prepare("INSERT INTO purge_run(at, what, before_day, rows) VALUES (?, 'stay_alias', ?, ?)");
    log.bindAll(nowUnix(), beforeDay, purged).run();
    audit(store, actor, "purge", "stay", std::nullopt, std::string(beforeDay) + ": " + std::to_string(purged));
    tx.commit();
    if (purged > 0) flushLog(store.db(), "main");
    return purged;
}

void checkOut(Store& store, const Actor& actor, int64_t stayId, Destination destination, When when) {
    requireDesk(store);
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    const int64_t at = entryMoment(store, actor, when);
    const std::string day = localDay(at);
    // Not before she came in, nor before her last move (the move would lie after she left).
    Statement& get = store.db().prepare(kStayBedSql);
    requireRow(get.bind(1, stayId), "stay.not_found", "That stay does not exist.");
    const int64_t since = get.getInt(2);
    const bool out = !get.isNull(1);
    get.reset();
    if (out) throw Error(ErrorKind::Conflict, "stay.already_out", "This stay has already ended.");
    if (at < since) throw invalid("stay.out_day", "A check-out cannot lie before the check-in or her last move.");
    Statement& upd = store.db().prepare("UPDATE stay SET out_at = ?, out_day = ?, destination = ? WHERE id = ?");
    upd.bindAll(at, day, word(destination), stayId).run();
    audit(store, actor, "check_out", "stay", stayId, withMoment(std::string(word(destination)), at));
    tx.commit();
}

// [SECTION] shelter: undo
namespace {
// The newest audit row of this action on this record, not undone since: who typed it, when, and its detail.
struct BedEntry {
    std::optional<int64_t> staffId;
    int64_t typedAt = 0;
    std::string detail;
};
BedEntry lastEntry(Store& store, std::string_view entity, int64_t id, std::string_view action) {
    Statement& st = store.db().prepare(
        "SELECT staff_id, at, detail FROM audit_log a WHERE entity = ?1 AND record_id = ?2 AND action = ?3 "
        "AND NOT EXISTS (SELECT 1 FROM audit_log u WHERE u.entity = ?1 AND u.record_id = ?2 AND u.action = 'undo' "
        "  AND u.id > a.id AND u.detail = ?3) ORDER BY id DESC LIMIT 1");
    requireRow(st.bindAll(entity, id, action), "undo.nothing", "There is nothing to undo here.");
    BedEntry e{st.getOptInt(0), st.getInt(1), st.getText(2)};
    st.reset();
    return e;
}

// Every undo of a bed action: in one transaction, with the right to undo checked and an audit row naming the action.
template <typename Change>
void undoBedAction(Store& store, const Actor& actor, std::string_view entity, int64_t id, std::string_view action,
                   Change change) {
    requireDesk(store);
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    const BedEntry e = lastEntry(store, entity, id, action);
    requireUndoRight(store, actor, e.staffId, e.typedAt);
    change(e);
    audit(store, actor, "undo", entity, id, action);
    tx.commit();
}

struct StayState {
    int64_t bedId = 0, inAt = 0;
    std::optional<int64_t> clientId, outAt;
};
StayState stayState(Store& store, int64_t stayId) {
    Statement& get = store.db().prepare("SELECT bed_id, in_at, client_id, out_at FROM stay WHERE id = ?");
    requireRow(get.bind(1, stayId), "stay.not_found", "That stay does not exist.");
    StayState s{get.getInt(0), get.getInt(1), get.getOptInt(2), get.getOptInt(3)};
    get.reset();
    return s;
}
} // namespace

void undoCheckIn(Store& store, const Actor& actor, int64_t stayId) {
    undoBedAction(store, actor, "stay", stayId, "check_in", [&](const BedEntry&) {
        // A reservation she arrived for is open again; the stay goes, so no figure counts it.
        Statement& reopen = store.db().prepare(
            "UPDATE reservation SET status = 'open', stay_id = NULL WHERE stay_id = ?");
        reopen.bind(1, stayId).run();
        Statement& moves = store.db().prepare("DELETE FROM stay_move WHERE stay_id = ?");
        moves.bind(1, stayId).run();
        Statement& del = store.db().prepare("DELETE FROM stay WHERE id = ?");
        del.bind(1, stayId).run();
        if (store.db().changes() == 0) throw Error(ErrorKind::NotFound, "stay.not_found", "That stay does not exist.");
    });
}

void undoCheckOut(Store& store, const Actor& actor, int64_t stayId) {
    undoBedAction(store, actor, "stay", stayId, "check_out", [&](const BedEntry&) {
        const StayState s = stayState(store, stayId);
        if (!s.outAt) throw Error(ErrorKind::Conflict, "stay.not_out", "This stay has not ended.");
        // Open again from her arrival on: the bed and her code must be free of anyone entered since.
        if (stayOverlaps(store, "bed_id", s.bedId, s.inAt, std::nullopt, stayId))
            throw Error(ErrorKind::Conflict, "bed.taken", "Someone else has that bed since; undo that first.");
        if (s.clientId && stayOverlaps(store, "client_id", *s.clientId, s.inAt, std::nullopt, stayId))
            throw Error(ErrorKind::Conflict, "client.already_in", "This visitor code has another bed since.");
        Statement& upd = store.db().prepare(
            "UPDATE stay SET out_at = NULL, out_day = NULL, destination = NULL WHERE id = ?");
        upd.bind(1, stayId).run();
    });
}

void undoMove(Store& store, const Actor& actor, int64_t stayId) {
    undoBedAction(store, actor, "stay", stayId, "move", [&](const BedEntry&) {
        // Her latest move (stay_move): which bed she came from; the audit log's wording plays no part.
        Statement& last = store.db().prepare(
            "SELECT id, from_bed, to_bed FROM stay_move WHERE stay_id = ? ORDER BY id DESC LIMIT 1");
        requireRow(last.bind(1, stayId), "undo.nothing", "There is nothing to undo here.");
        const int64_t moveId = last.getInt(0), from = last.getInt(1), to = last.getInt(2);
        last.reset();
        const StayState s = stayState(store, stayId);
        if (s.outAt) throw Error(ErrorKind::Conflict, "stay.already_out", "This stay has already ended.");
        if (s.bedId != to) throw Error(ErrorKind::Conflict, "undo.nothing", "She has moved again since.");
        const BedState bed = bedState(store, from, nowUnix());
        if (!bed.inService || bed.occupied || bed.heldBy)
            throw Error(ErrorKind::Conflict, "bed.taken", "Her former bed is not free any more.");
        Statement& upd = store.db().prepare("UPDATE stay SET bed_id = ? WHERE id = ?");
        upd.bindAll(from, stayId).run();
        Statement& forget = store.db().prepare("DELETE FROM stay_move WHERE id = ?");
        forget.bind(1, moveId).run();
    });
}

void undoReservation(Store& store, const Actor& actor, int64_t reservationId) {
    undoBedAction(store, actor, "reservation", reservationId, "reserve", [&](const BedEntry&) {
        Statement& del = store.db().prepare("DELETE FROM reservation WHERE id = ? AND status = 'open'");
        del.bind(1, reservationId).run();
        if (store.db().changes() == 0)
            throw Error(ErrorKind::Conflict, "reservation.not_open", "That reservation is not open.");
    });
}

} // namespace inloop::core
