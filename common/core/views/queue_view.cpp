// Reading the queue and schedule view models (see queue_view.hpp).
#include "core/views/queue_view.hpp"

#include "core/base/clock.hpp"
#include "core/views/desk_view.hpp"

#include <map>

namespace inloop::core {

QueueView loadQueue(Store& store, const std::string& day) {
    QueueView v;
    v.day = day;
    ReadTransaction snapshot(store.db());
    v.dataVersion = store.isDesk() ? deskDataVersion(store) : publicDataVersion(store);
    // The day's sessions (also ones that ended: the desk closes them) and the next 4 weeks' for moving.
    const KioskView week = loadKioskView(store, day, 0);
    for (const auto& s : week.sessions) {
        if (s.day == day) v.sessions.push_back({s, {}});
        if (s.status == "planned" && s.freePlaces > 0) v.moveTargets.push_back(s);
    }
    std::map<int64_t, QueueSession*> byId;
    for (auto& qs : v.sessions) byId[qs.session.id] = &qs;
    Statement& st = store.db().prepare(
        "SELECT r.id, r.ticket, r.call_name, r.language, r.source, r.status, r.created_at, r.updated_at, r.session_id "
        "FROM registration r JOIN session s ON s.id = r.session_id WHERE s.day = ? ORDER BY r.created_at, r.id");
    st.bind(1, day);
    while (st.step()) {
        auto it = byId.find(st.getInt(8));
        if (it == byId.end()) continue;
        QueueEntry e{st.getInt(0), st.getText(1), st.getOptText(2), st.getText(3), st.getText(4), st.getText(5),
                     st.getInt(6), st.getInt(7)};
        QueueSession& qs = *it->second;
        if (e.status == "waiting") ++qs.waiting;
        else if (e.status == "called") ++qs.called;
        else if (e.status == "seen") ++qs.seen;
        else if (e.status == "no_show") ++qs.noShow;
        else if (e.status == "cancelled") ++qs.cancelled;
        qs.entries.push_back(std::move(e));
    }
    st.reset();
    // Later weeks for moving someone further ahead.
    Statement& later = store.db().prepare(
        "SELECT s.id, sv.code, s.day, s.start_min, s.end_min, s.capacity, s.place, "
        "  s.capacity - (SELECT count(*) FROM registration r WHERE r.session_id = s.id "
        "                AND r.status NOT IN ('cancelled', 'moved')) "
        "FROM session s JOIN service sv ON sv.id = s.service_id "
        "WHERE s.status = 'planned' AND s.day > ? AND s.day <= ? ORDER BY s.day, s.start_min");
    later.bindAll(addDays(day, 7), addDays(day, 28));
    while (later.step()) {
        SessionView s;
        s.id = later.getInt(0);
        s.service = later.getText(1);
        s.day = later.getText(2);
        s.startMin = static_cast<int>(later.getInt(3));
        s.endMin = static_cast<int>(later.getInt(4));
        s.capacity = static_cast<int>(later.getInt(5));
        s.place = later.getText(6);
        s.status = "planned";
        s.freePlaces = static_cast<int>(later.getInt(7));
        s.startsAt = unixFromLocal(s.day, s.startMin);
        if (s.freePlaces > 0) v.moveTargets.push_back(std::move(s));
    }
    later.reset();
    return v;
}

ScheduleView loadSchedule(Store& store, const std::string& today) {
    ScheduleView v;
    ReadTransaction snapshot(store.db());
    Statement& sv = store.db().prepare(
        "SELECT id, code, name, partner, place, languages, active, "
        "EXISTS (SELECT 1 FROM calendar_feed f WHERE f.service_id = service.id) FROM service ORDER BY id");
    while (sv.step())
        v.services.push_back({sv.getInt(0), sv.getText(1), sv.getText(2), sv.getText(3), sv.getText(4), sv.getText(5),
                              sv.getInt(6) == 1, {}, sv.getInt(7) == 1});
    sv.reset();
    Statement& texts = store.db().prepare("SELECT service_id, lang, description FROM service_text");
    while (texts.step())
        for (auto& service : v.services)
            if (service.id == texts.getInt(0)) service.descriptions[texts.getText(1)] = texts.getText(2);
    texts.reset();
    Statement& rules = store.db().prepare(
        "SELECT r.id, r.service_id, s.code, r.weekday, r.start_min, r.end_min, r.capacity, r.place, r.valid_from, "
        "r.valid_until FROM schedule_rule r JOIN service s ON s.id = r.service_id "
        "WHERE r.valid_until IS NULL OR r.valid_until >= ? ORDER BY r.weekday, r.start_min");
    rules.bind(1, today);
    while (rules.step())
        v.rules.push_back({rules.getInt(0), rules.getInt(1), rules.getText(2), static_cast<int>(rules.getInt(3)),
                           static_cast<int>(rules.getInt(4)), static_cast<int>(rules.getInt(5)),
                           static_cast<int>(rules.getInt(6)), rules.getText(7), rules.getText(8), rules.getOptText(9)});
    rules.reset();
    Statement& ex = store.db().prepare(
        "SELECT e.id, e.service_id, COALESCE(s.code, ''), e.day, e.kind, e.reason, COALESCE(e.start_min, 0), "
        "COALESCE(e.end_min, 0), COALESCE(e.capacity, 0) FROM schedule_exception e LEFT JOIN service s "
        "ON s.id = e.service_id WHERE e.day >= ? ORDER BY e.day");
    ex.bind(1, today);
    while (ex.step())
        v.exceptions.push_back({ex.getInt(0), ex.getOptInt(1), ex.getText(2), ex.getText(3), ex.getText(4), ex.getText(5),
                                static_cast<int>(ex.getInt(6)), static_cast<int>(ex.getInt(7)),
                                static_cast<int>(ex.getInt(8))});
    ex.reset();
    const std::string until = addDays(today, 365);
    for (int y = yearOf(today); y <= yearOf(until); ++y)
        for (const auto& h : dutchHolidays(y)) {
            if (h.day < today || h.day > until || isoWeekday(h.day) == 7) continue; // Sundays are closed anyway
            bool closed = false;
            for (const auto& e : v.exceptions) closed = closed || (e.day == h.day && !e.serviceId && e.kind == "closed");
            v.holidays.push_back({h.day, h.key, closed});
        }
    return v;
}

} // namespace inloop::core
