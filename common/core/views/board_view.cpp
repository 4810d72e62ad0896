// Reading the bed board and the shelter figures (see board_view.hpp).
#include "core/views/board_view.hpp"

#include "core/base/clock.hpp"
#include "core/views/desk_view.hpp"
#include "core/i18n/i18n.hpp"

#include <algorithm>

namespace inloop::core {

std::string boardDay(std::string_view lang, const std::string& day, std::string_view skeleton, std::string_view today) {
    if (day.empty()) return "—";
    std::string withYear(skeleton);
    if (yearOf(day) != yearOf(today)) withYear += "y";
    return formatDateTime(lang, unixFromLocal(day, 12 * 60), withYear);
}

BoardView loadBoard(Store& store, bool showResidents, int64_t now) {
    if (now == 0) now = nowUnix();
    const std::string today = localDay(now);
    BoardView v;
    v.showsResidents = showResidents;
    ReadTransaction snapshot(store.db());
    v.dataVersion = deskDataVersion(store);
    Statement& st = store.db().prepare(
        "SELECT r.id, r.name, b.id, b.label, b.tier, b.in_service, b.out_reason, "
        "  s.id, COALESCE(s.alias, ''), s.in_day, COALESCE(s.expected_out_day, ''), "
        "  rv.id, rv.expected_at, rv.expires_at, COALESCE(rv.alias, ''), rv.referral "
        "FROM room r JOIN bed b ON b.room_id = r.id "
        "LEFT JOIN stay s ON s.bed_id = b.id AND s.out_at IS NULL "
        "LEFT JOIN reservation rv ON rv.bed_id = b.id AND rv.status = 'open' AND rv.expires_at > ?1 "
        "ORDER BY r.sort, r.id, b.label");
    st.bind(1, now);
    while (st.step()) {
        const int64_t roomId = st.getInt(0);
        if (v.rooms.empty() || v.rooms.back().id != roomId) v.rooms.push_back({roomId, st.getText(1), {}});
        BedView b;
        b.id = st.getInt(2);
        b.label = st.getText(3);
        b.tier = st.getText(4);
        b.outReason = st.getText(6);
        b.stayId = st.getOptInt(7);
        if (b.stayId) {
            b.state = BedView::State::Occupied;
            if (showResidents) b.alias = st.getText(8);
            b.inDay = st.getText(9);
            b.expectedOutDay = st.getText(10);
            b.overdue = !b.expectedOutDay.empty() && b.expectedOutDay < today;
        } else if (st.getInt(5) == 0) {
            b.state = BedView::State::OutOfService;
        } else if (!st.isNull(11)) {
            b.state = BedView::State::Reserved;
            b.reservationId = st.getInt(11);
            b.expectedAt = st.getInt(12);
            b.expiresAt = st.getInt(13);
            if (showResidents) b.reservedFor = st.getText(14);
            b.reservedReferral = st.getText(15);
        }
        switch (b.state) {
        case BedView::State::Free: ++v.free; break;
        case BedView::State::Occupied: ++v.occupied; break;
        case BedView::State::Reserved: ++v.reserved; break;
        case BedView::State::OutOfService: ++v.outOfService; break;
        }
        if (b.state == BedView::State::Occupied && !b.expectedOutDay.empty() && b.expectedOutDay <= today)
            v.dueOutToday.push_back(b);
        if (b.state == BedView::State::Reserved && b.expiresAt - now < 6 * 3600) v.expiringSoon.push_back(b);
        v.rooms.back().beds.push_back(std::move(b));
    }
    st.reset();
    // One free bed is held for police placements: the last one on the board.
    if (v.free > 0) {
        v.heldForEmergency = 1;
        for (auto r = v.rooms.rbegin(); r != v.rooms.rend(); ++r)
            for (auto b = r->beds.rbegin(); b != r->beds.rend(); ++b)
                if (b->state == BedView::State::Free) {
                    b->emergencyHeld = true;
                    return v;
                }
    }
    return v;
}

ShelterFigures shelterFigures(Store& store, const std::string& from, const std::string& to) {
    ShelterFigures f;
    ReadTransaction snapshot(store.db());
    // Nights that have not happened yet are not counted: a period that runs into the future ends today.
    const std::string today = localDay(nowUnix());
    const std::string last = std::min(to, today);
    const int64_t days = last < from ? 0 : daysBetween(from, last) + 1;
    // A bed-night: a stay is in the bed the night after day D, for D in [from, last] (in ≤ D < out).
    // The day after the last is bound (?3), not computed per row (PostgreSQL's date() is a PL/pgSQL function).
    const std::string afterLast = addDays(last, 1);
    Statement& nights = store.db().prepare(
        "SELECT COALESCE(SUM(MAX(0, julianday(MIN(COALESCE(out_day, ?3), ?3)) - "
        "julianday(MAX(in_day, ?1)))), 0) FROM stay WHERE in_day <= ?2 AND (out_day IS NULL OR out_day > ?1)");
    nights.bindAll(from, last, afterLast);
    nights.step();
    f.bedNights = static_cast<int64_t>(nights.getDouble(0) + 0.5);
    nights.reset();
    // Every bed, less the nights it was out of service then (bed_service): a later change leaves a past period be.
    Statement& out = store.db().prepare(
        "SELECT COALESCE(SUM(MAX(0, julianday(MIN(COALESCE(in_day, ?3), ?3)) - "
        "julianday(MAX(out_day, ?1)))), 0) FROM bed_service WHERE out_day <= ?2 AND (in_day IS NULL OR in_day > ?1)");
    out.bindAll(from, last, afterLast);
    out.step();
    const int64_t outNights = static_cast<int64_t>(out.getDouble(0) + 0.5);
    out.reset();
    f.availableBedNights = std::max<int64_t>(0, store.db().queryInt("SELECT count(*) FROM bed") * days - outNights);
    // Stays with at least one night in the period; a client is one code, or one stay without a code.
    Statement& clients = store.db().prepare(
        std::string("SELECT count(DISTINCT client_id) + COALESCE(SUM(client_id IS NULL), 0), count(*), "
                    "COALESCE(SUM(exit_programme = 'yes'), 0), COALESCE(SUM(exit_programme <> 'unknown'), 0), "
                    "count(DISTINCT CASE WHEN exit_programme = 'yes' THEN client_id END) + "
                    "COALESCE(SUM(client_id IS NULL AND exit_programme = 'yes'), 0) "
                    "FROM stay WHERE in_day <= ?2 AND (out_day IS NULL OR out_day > ?1) AND ") + kStayWithANight);
    clients.bindAll(from, last);
    clients.step();
    f.distinctClients = static_cast<int>(clients.getInt(0));
    f.stays = static_cast<int>(clients.getInt(1));
    f.exitProgrammeYes = static_cast<int>(clients.getInt(2));
    f.exitProgrammeKnown = static_cast<int>(clients.getInt(3));
    f.exitProgrammeClients = static_cast<int>(clients.getInt(4));
    clients.reset();
    Statement& avg = store.db().prepare(
        std::string("SELECT AVG(julianday(out_day) - julianday(in_day)) FROM stay WHERE out_day BETWEEN ?1 AND ?2 AND ") +
        kStayWithANight);
    avg.bindAll(from, to);
    avg.step();
    f.averageStayNights = avg.isNull(0) ? 0 : avg.getDouble(0);
    avg.reset();
    return f;
}

} // namespace inloop::core
