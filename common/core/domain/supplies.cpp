// The domain API: supplies and stock (see supplies.hpp).

#include "core/domain/supplies.hpp"
#include "core/domain/internal.hpp"

#include "core/base/clock.hpp"

namespace inloop::core {

using namespace detail;

// [SECTION] supplies
int64_t addSupplyItem(Store& store, const Actor& actor, const NewSupplyItem& item) {
    requireDesk(store);
    checkLength(item.code, 1, 32, "supply.code", "An item code");
    checkLength(item.name, 1, 80, "supply.name", "An item name");
    if (item.priceCents < 0) throw invalid("supply.price", "A price cannot be negative.");
    if (item.minStock < 0) throw invalid("supply.min_stock", "A minimum stock cannot be negative.");
    if (item.unit != "piece" && item.unit != "pack" && item.unit != "tube" && item.unit != "box")
        throw invalid("supply.unit", "The unit is one of piece, pack, tube or box.");
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, {Role::Coordinator});
    if (findSupplyItem(store, item.code))
        throw Error(ErrorKind::Conflict, "supply.exists", "An item with code " + item.code + " exists already.");
    Statement& ins =
        store.db().prepare("INSERT INTO supply_item(code, name, unit, price_cents, min_stock) VALUES (?,?,?,?,?)");
    ins.bindAll(item.code, item.name, item.unit, item.priceCents, item.minStock).run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "add", "supply_item", id, item.code);
    tx.commit();
    return id;
}

std::optional<int64_t> findSupplyItem(Store& store, std::string_view code) {
    requireDesk(store);
    return lookupId(store, "SELECT id FROM supply_item WHERE code = ?", code);
}

int64_t stockOf(Store& store, int64_t itemId) {
    requireDesk(store);
    Statement& st = store.db().prepare("SELECT stock FROM supply_item WHERE id = ?");
    requireRow(st.bind(1, itemId), "supply.not_found", "That supply item does not exist.");
    const int64_t stock = st.getInt(0);
    st.reset();
    return stock;
}

int64_t moveStock(Store& store, const Actor& actor, const StockChange& ch) {
    requireDesk(store);
    const bool outgoing = ch.kind == StockKind::Handout || ch.kind == StockKind::Sale;
    if (ch.kind == StockKind::Correction ? ch.quantity == 0 : ch.quantity <= 0)
        throw invalid("stock.quantity", "The quantity must be a whole number above zero.");
    if (ch.quantity > 100000 || ch.quantity < -100000) throw invalid("stock.quantity", "That quantity is too large.");
    if ((ch.kind == StockKind::Sale) != ch.payment.has_value())
        throw invalid("stock.payment", ch.kind == StockKind::Sale ? "A sale needs a payment: cash or card."
                                                                  : "Only a sale has a payment.");
    if (ch.kind == StockKind::Correction && ch.reason.empty())
        throw invalid("stock.reason", "A stock correction needs a reason.");
    if (ch.reason.size() > 200) throw invalid("stock.reason", "A reason has at most 200 characters.");
    if (ch.priceCents && (*ch.priceCents < 0 || ch.kind != StockKind::Sale))
        throw invalid("stock.price", "Only a sale has a price, and it cannot be negative.");

    Transaction tx(store.db(), Transaction::Writes::Main);
    const int64_t at = entryMoment(store, actor, ch.when); // never ahead; desk staff a week back at most
    const int64_t stock = stockOf(store, ch.itemId);
    const int64_t delta = outgoing ? -ch.quantity : ch.quantity;
    if (stock + delta < 0) {
        if (!ch.confirmBelowZero)
            throw Error(ErrorKind::NeedsConfirmation, "stock.below_zero",
                        "Only " + std::to_string(stock) + " in stock; confirm and give a reason to go below zero.");
        if (ch.reason.empty()) throw invalid("stock.reason", "Going below zero needs a reason.");
    }
    int64_t price = 0;
    if (ch.kind == StockKind::Sale) {
        if (ch.priceCents) {
            price = *ch.priceCents;
        } else {
            Statement& p = store.db().prepare("SELECT price_cents FROM supply_item WHERE id = ?");
            p.bind(1, ch.itemId);
            p.step();
            price = p.getInt(0) * ch.quantity;
            p.reset();
        }
    }
    std::optional<std::string_view> payment;
    if (ch.payment) payment = word(*ch.payment);
    Statement& ins = store.db().prepare("INSERT INTO stock_move(item_id, at, day, kind, qty, price_cents, payment, "
                                        "contact_id, staff_id, reason) VALUES (?,?,?,?,?,?,?,?,?,?)");
    ins.bindAll(ch.itemId, at, localDay(at), word(ch.kind), delta, price, payment, ch.contactId, actor.staffId,
                ch.reason);
    ins.run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, word(ch.kind), "stock_move", id, std::to_string(delta));
    tx.commit();
    return id;
}

int64_t undoStockMove(Store& store, const Actor& actor, int64_t moveId, When when) {
    requireDesk(store);
    Transaction tx(store.db(), Transaction::Writes::Main);
    const int64_t at = entryMoment(store, actor, when);
    // Who typed it and when (its audit row; a back-dated move was typed later than its moment): desk staff undo
    // their own within the shift, a coordinator anyone's — as for contacts and bed actions.
    Statement& get = store.db().prepare(
        "SELECT item_id, kind, qty, price_cents, (SELECT count(*) FROM stock_move r WHERE r.reverses = m.id), staff_id, "
        "COALESCE((SELECT min(a.at) FROM audit_log a WHERE a.entity = 'stock_move' AND a.record_id = m.id), m.at) "
        "FROM stock_move m WHERE id = ?");
    requireRow(get.bind(1, moveId), "stock.not_found", "That stock entry does not exist.");
    const int64_t item = get.getInt(0), qty = get.getInt(2), price = get.getInt(3);
    const std::string kind = get.getText(1);
    const bool undone = get.getInt(4) > 0;
    const std::optional<int64_t> owner = get.getOptInt(5);
    const int64_t typedAt = get.getInt(6);
    get.reset();
    requireUndoRight(store, actor, owner, typedAt);
    if (kind == "reversal") throw Error(ErrorKind::Conflict, "stock.is_undo", "An undo cannot itself be undone.");
    if (undone) throw Error(ErrorKind::Conflict, "stock.already_undone", "That entry was already undone.");
    if (stockOf(store, item) - qty < 0)
        throw Error(ErrorKind::NeedsConfirmation, "stock.below_zero",
                    "Undoing this would take the stock below zero; make a stock correction instead.");
    Statement& ins = store.db().prepare("INSERT INTO stock_move(item_id, at, day, kind, qty, price_cents, staff_id, "
                                        "reverses) VALUES (?,?,?,'reversal',?,?,?,?)");
    ins.bindAll(item, at, localDay(at), -qty, price, actor.staffId, moveId).run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "undo", "stock_move", moveId, "reversed by stock move " + std::to_string(id));
    tx.commit();
    return id;
}

} // namespace inloop::core
