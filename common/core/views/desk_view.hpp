// What the front desk shows, read from desk.db (+ public.db): today's contacts and counters, stock,
// stock history, a staff member's undoable actions, the audit log. Views read these, never the database.
#pragma once

#include "core/domain/domain.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace inloop::core {

struct ContactRow {
    int64_t id = 0;
    int64_t at = 0;
    std::string channel, gender, language, referral;
    std::vector<std::string> topics;
    bool hasCode = false;
    int visitsThisYear = 0; // with a code: walk-ins this year so far
    bool firstEver = false; // with a code: the code's first-ever contact ("Nieuw"; kFirstEverContactSql)
    std::string staffName;
    bool undone = false;    // cancelled by a later undo row (which is not listed itself)
    int handouts = 0;       // supplies attached to this contact
};

struct StockRow {
    int64_t id = 0;
    std::string code, name, unit;
    int64_t priceCents = 0, minStock = 0, stock = 0;
    bool low() const { return stock < minStock; }
};

struct TodaySummary {
    std::string day;
    std::map<std::string, int> counts; // per channel, undone contacts not counted
    std::vector<ContactRow> contacts;  // newest first
    std::vector<StockRow> lowStock;
    int64_t dataVersion = 0;
};
TodaySummary loadToday(Store& store, const std::string& day);

std::vector<StockRow> loadStock(Store& store);

struct StockMoveRow {
    int64_t id = 0, at = 0, qty = 0, priceCents = 0;
    std::string kind, payment, reason, staffName;
    std::optional<int64_t> contactId;
    bool undone = false;
};
std::vector<StockMoveRow> loadStockHistory(Store& store, int64_t itemId, int limit = 200);

// What a staff member may still undo: their own contacts, stock moves and bed actions of the last `hours`, not
// undone yet.
struct UndoableAction {
    std::string entity; // "contact" | "stock_move" | "stay" | "reservation"
    int64_t id = 0, at = 0;
    std::string what;   // channel, item name, or the bed's room and label
    int64_t qty = 0;
    std::string kind;   // stock move: handout, sale, …; bed: check_in, check_out, move, reserve (codes, for tr())
};
std::vector<UndoableAction> loadUndoable(Store& store, int64_t staffId, int hours = 12, int limit = 20);

struct AuditRow {
    int64_t id = 0, at = 0;
    std::string actor, staffName, action, entity, detail;
    std::optional<int64_t> recordId;
};
std::vector<AuditRow> loadAudit(Store& store, int limit = 300, int64_t beforeId = 0);

// Both files' data_version on this connection: changes when another connection commits to either file.
int64_t deskDataVersion(Store& store);

} // namespace inloop::core
