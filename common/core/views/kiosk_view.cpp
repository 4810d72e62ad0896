// Reading the kiosk's view model (see kiosk_view.hpp).
#include "core/views/kiosk_view.hpp"

#include "core/domain/site_facts.hpp"

#include "core/base/clock.hpp"
#include "core/store/dialect.hpp"

namespace inloop::core {

int64_t publicDataVersion(Store& store) {
    return dataVersion(store.db(), store.isDesk() ? "pub" : "main");
}

KioskView loadKioskView(Store& store, const std::string& today, int nowMinute) {
    KioskView v;
    v.today = today;
    ReadTransaction snapshot(store.db());
    v.dataVersion = publicDataVersion(store);
    Statement& st = store.db().prepare(
        "SELECT s.id, sv.code, s.day, s.start_min, s.end_min, s.capacity, s.place, s.status, s.reason, sv.languages, "
        "  s.capacity - (SELECT count(*) FROM registration r WHERE r.session_id = s.id "
        "                AND r.status NOT IN ('cancelled', 'moved')) "
        "FROM session s JOIN service sv ON sv.id = s.service_id "
        // Hours at the shelter are for its residents, signed up at the desk: not on the public kiosk.
        "WHERE sv.active = 1 AND s.place = 'spot46' AND s.day BETWEEN ?1 AND ?2 AND NOT (s.day = ?1 AND s.end_min <= ?3) "
        "ORDER BY s.day, s.start_min, sv.code");
    st.bindAll(today, addDays(today, 7), nowMinute);
    while (st.step()) {
        SessionView s;
        s.id = st.getInt(0);
        s.service = st.getText(1);
        s.day = st.getText(2);
        s.startMin = static_cast<int>(st.getInt(3));
        s.endMin = static_cast<int>(st.getInt(4));
        s.capacity = static_cast<int>(st.getInt(5));
        s.place = st.getText(6);
        s.status = st.getText(7);
        s.reason = st.getText(8);
        const std::string langs = st.getText(9);
        size_t pos = 0;
        while (pos <= langs.size()) {
            const size_t comma = langs.find(',', pos);
            const std::string code = langs.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
            if (!code.empty()) s.languages.push_back(code);
            if (comma == std::string::npos) break;
            pos = comma + 1;
        }
        s.freePlaces = std::max(0, static_cast<int>(st.getInt(10)));
        s.startsAt = unixFromLocal(s.day, s.startMin);
        v.sessions.push_back(std::move(s));
    }
    st.reset();
    Statement& texts = store.db().prepare(
        "SELECT s.code, t.lang, t.description FROM service_text t JOIN service s ON s.id = t.service_id");
    while (texts.step()) v.descriptions[texts.getText(0)][texts.getText(1)] = texts.getText(2);
    texts.reset();
    v.siteFacts = loadSiteFacts(store.db());
    Statement& called = store.db().prepare(
        "SELECT r.ticket, v.code FROM registration r JOIN session s ON s.id = r.session_id "
        "JOIN service v ON v.id = s.service_id WHERE r.day = ? AND r.status = 'called' "
        "ORDER BY r.updated_at DESC, r.id DESC LIMIT 6");
    called.bind(1, today);
    while (called.step()) v.nowServing.push_back({called.getText(0), called.getText(1)});
    called.reset();
    return v;
}

} // namespace inloop::core
