// Reading the front desk's view models (see desk_view.hpp).
#include "core/views/desk_view.hpp"

#include "core/base/clock.hpp"
#include "core/store/dialect.hpp"

namespace inloop::core {

int64_t deskDataVersion(Store& store) {
    if (store.engine() != Engine::Sqlite) return dataVersion(store.db(), "");
    return store.db().queryInt("PRAGMA main.data_version") * 1000003 + store.db().queryInt("PRAGMA pub.data_version");
}

namespace {
StockRow readStock(Statement& st) {
    return {st.getInt(0), st.getText(1), st.getText(2), st.getText(3), st.getInt(4), st.getInt(5), st.getInt(6)};
}
constexpr const char* kStockColumns = "SELECT id, code, name, unit, price_cents, min_stock, stock FROM supply_item";
} // namespace

TodaySummary loadToday(Store& store, const std::string& day) {
    TodaySummary v;
    v.day = day;
    ReadTransaction snapshot(store.db());
    v.dataVersion = deskDataVersion(store);
    Statement& st = store.db().prepare(
        "SELECT c.id, c.at, c.channel, c.gender, c.language, c.referral, c.client_id IS NOT NULL, "
        "  COALESCE(s.name, ''), EXISTS (SELECT 1 FROM contact r WHERE r.reverses = c.id), "
        "  (SELECT group_concat(t.code) FROM contact_topic ct JOIN topic t ON t.id = ct.topic_id "
        "   WHERE ct.contact_id = c.id), "
        "  CASE WHEN c.client_id IS NULL THEN 0 ELSE (SELECT count(*) FROM contact o WHERE o.client_id = c.client_id "
        "   AND o.channel = 'walk_in' AND +o.reverses IS NULL AND o.day BETWEEN substr(c.day, 1, 4) || '-01-01' AND c.day "
        "   AND o.at <= c.at AND NOT EXISTS (SELECT 1 FROM contact r WHERE r.reverses = o.id)) END, "
        "  (SELECT count(*) FROM stock_move m WHERE m.contact_id = c.id), " +
        std::string(kFirstEverContactSql) +
        " FROM contact c LEFT JOIN staff s ON s.id = c.staff_id "
        "WHERE c.day = ? AND +c.reverses IS NULL ORDER BY c.at DESC, c.id DESC");
    st.bind(1, day);
    while (st.step()) {
        ContactRow r;
        r.id = st.getInt(0);
        r.at = st.getInt(1);
        r.channel = st.getText(2);
        r.gender = st.getText(3);
        r.language = st.getText(4);
        r.referral = st.getText(5);
        r.hasCode = st.getInt(6) == 1;
        r.staffName = st.getText(7);
        r.undone = st.getInt(8) == 1;
        const std::string topics = st.getText(9);
        for (size_t pos = 0; pos < topics.size();) {
            const size_t comma = topics.find(',', pos);
            r.topics.push_back(topics.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
            if (comma == std::string::npos) break;
            pos = comma + 1;
        }
        r.visitsThisYear = static_cast<int>(st.getInt(10));
        r.handouts = static_cast<int>(st.getInt(11));
        r.firstEver = st.getInt(12) == 1;
        if (!r.undone) ++v.counts[r.channel];
        v.contacts.push_back(std::move(r));
    }
    st.reset();
    Statement& low = store.db().prepare(std::string(kStockColumns) + " WHERE active = 1 AND stock < min_stock ORDER BY name");
    while (low.step()) v.lowStock.push_back(readStock(low));
    low.reset();
    return v;
}

std::vector<StockRow> loadStock(Store& store) {
    std::vector<StockRow> out;
    Statement& st = store.db().prepare(std::string(kStockColumns) + " WHERE active = 1 ORDER BY id");
    while (st.step()) out.push_back(readStock(st));
    st.reset();
    return out;
}

std::vector<StockMoveRow> loadStockHistory(Store& store, int64_t itemId, int limit) {
    std::vector<StockMoveRow> out;
    Statement& st = store.db().prepare(
        "SELECT m.id, m.at, m.qty, m.price_cents, m.kind, COALESCE(m.payment, ''), m.reason, COALESCE(s.name, ''), "
        "  m.contact_id, EXISTS (SELECT 1 FROM stock_move r WHERE r.reverses = m.id) "
        "FROM stock_move m LEFT JOIN staff s ON s.id = m.staff_id WHERE m.item_id = ? ORDER BY m.at DESC, m.id DESC LIMIT ?");
    st.bindAll(itemId, limit);
    while (st.step())
        out.push_back({st.getInt(0), st.getInt(1), st.getInt(2), st.getInt(3), st.getText(4), st.getText(5),
                       st.getText(6), st.getText(7), st.getOptInt(8), st.getInt(9) == 1});
    st.reset();
    return out;
}

std::vector<UndoableAction> loadUndoable(Store& store, int64_t staffId, int hours, int limit) {
    std::vector<UndoableAction> out;
    Statement& st = store.db().prepare(
        // Contacts typed in the last hours (their "log" audit row), back-dated ones too: undo counts from typing.
        "SELECT 'contact', c.id, c.at, c.channel, 0, '', c.id FROM contact c WHERE c.staff_id = ?1 AND c.id IN "
        "  (SELECT a.record_id FROM audit_log a WHERE a.staff_id = ?1 AND a.at >= ?2 AND a.entity = 'contact' "
        "   AND a.action = 'log') "
        "  AND +c.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM contact r WHERE r.reverses = c.id) "
        "UNION ALL "
        "SELECT 'stock_move', m.id, m.at, i.name, m.qty, m.kind, m.id FROM stock_move m JOIN supply_item i "
        "  ON i.id = m.item_id WHERE m.staff_id = ?1 AND m.at >= ?2 AND m.kind <> 'reversal' "
        "  AND NOT EXISTS (SELECT 1 FROM stock_move r WHERE r.reverses = m.id) "
        "UNION ALL "
        // Bed actions live in their own tables; the audit log says who did which, when (domain.cpp's undo reads the same).
        "SELECT a.entity, a.record_id, a.at, rm.name || ' · ' || b.label, 0, a.action, a.id FROM audit_log a "
        "  JOIN bed b ON b.id = CASE a.entity WHEN 'stay' THEN (SELECT bed_id FROM stay WHERE id = a.record_id) "
        "                                     ELSE (SELECT bed_id FROM reservation WHERE id = a.record_id AND status = 'open') END "
        "  JOIN room rm ON rm.id = b.room_id "
        "  WHERE a.staff_id = ?1 AND a.at >= ?2 AND a.entity IN ('stay', 'reservation') "
        "  AND a.action IN ('check_in', 'check_out', 'move', 'reserve') "
        "  AND NOT EXISTS (SELECT 1 FROM audit_log u WHERE u.entity = a.entity AND u.record_id = a.record_id "
        "    AND u.action = 'undo' AND u.detail = a.action AND u.id > a.id) "
        // Only the newest of its kind on a record (by anyone): an undo takes back that one, never an earlier one.
        "  AND NOT EXISTS (SELECT 1 FROM audit_log n WHERE n.entity = a.entity AND n.record_id = a.record_id "
        "    AND n.action = a.action AND n.id > a.id) "
        "ORDER BY 3 DESC, 7 DESC LIMIT ?3"); // within a second, the later entry of its kind first
    st.bindAll(staffId, nowUnix() - int64_t{hours} * 3600, limit);
    while (st.step())
        out.push_back({st.getText(0), st.getInt(1), st.getInt(2), st.getText(3), st.getInt(4), st.getText(5)});
    st.reset();
    return out;
}

std::vector<AuditRow> loadAudit(Store& store, int limit, int64_t beforeId) {
    std::vector<AuditRow> out;
    Statement& st = store.db().prepare(
        "SELECT a.id, a.at, a.actor, COALESCE(s.name, ''), a.action, a.entity, a.detail, a.record_id "
        "FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id WHERE ?1 = 0 OR a.id < ?1 ORDER BY a.id DESC LIMIT ?2");
    st.bindAll(beforeId, limit);
    while (st.step())
        out.push_back({st.getInt(0), st.getInt(1), st.getText(2), st.getText(3), st.getText(4), st.getText(5),
                       st.getText(6), st.getOptInt(7)});
    st.reset();
    return out;
}

} // namespace inloop::core
