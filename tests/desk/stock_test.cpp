// Supplies at the desk through the domain API: stock that cannot silently go below zero, sales, handouts, undo.
#include "desk_fixture.hpp"

using namespace inloop;
using namespace inloop::core;
using namespace inloop::test;

namespace {

StockChange handout(int64_t item, int64_t qty) {
    StockChange ch;
    ch.itemId = item;
    ch.kind = StockKind::Handout;
    ch.quantity = qty;
    return ch;
}

StockChange sale(int64_t item, int64_t qty, Payment payment) {
    StockChange ch;
    ch.itemId = item;
    ch.kind = StockKind::Sale;
    ch.quantity = qty;
    ch.payment = payment;
    return ch;
}

} // namespace

TEST_SUITE("desk") {

TEST_CASE("a handout beyond the stock asks for confirmation and leaves the stock and history as they were") {
    StaffedStore t;
    const int64_t condoms = itemId(t.s, "condom_m");
    deliver(t.s, condoms, 3);
    const int64_t moves = countOf(t.s, "SELECT count(*) FROM stock_move");
    const int64_t audits = countOf(t.s, "SELECT count(*) FROM audit_log");

    CHECK_ERROR(moveStock(t.s, t.annaActor(), handout(condoms, 5)), ErrorKind::NeedsConfirmation,
                     "stock.below_zero");
    CHECK(stockOf(t.s, condoms) == 3);
    CHECK(countOf(t.s, "SELECT count(*) FROM stock_move") == moves);
    CHECK(countOf(t.s, "SELECT count(*) FROM audit_log") == audits);

    // Exactly what is there may go: the stock reaches zero, not below.
    moveStock(t.s, t.annaActor(), handout(condoms, 3));
    CHECK(stockOf(t.s, condoms) == 0);
    CHECK_ERROR(moveStock(t.s, t.annaActor(), handout(condoms, 1)), ErrorKind::NeedsConfirmation,
                     "stock.below_zero");
    // A sale beyond the stock is refused the same way.
    CHECK_ERROR(moveStock(t.s, t.annaActor(), sale(condoms, 1, Payment::Cash)), ErrorKind::NeedsConfirmation,
                     "stock.below_zero");
    CHECK(stockOf(t.s, condoms) == 0);
}

TEST_CASE("with confirmation and a reason a handout may take the stock below zero - a confirmation alone is not enough") {
    StaffedStore t;
    const int64_t lube = itemId(t.s, "lube");
    deliver(t.s, lube, 2);

    StockChange ch = handout(lube, 5);
    ch.confirmBelowZero = true; // confirmed, but no reason
    CHECK_ERROR(moveStock(t.s, t.annaActor(), ch), ErrorKind::InvalidInput, "stock.reason");
    CHECK(stockOf(t.s, lube) == 2);

    ch.reason = "box found in the back, not counted yet";
    const int64_t id = moveStock(t.s, t.annaActor(), ch);
    CHECK(stockOf(t.s, lube) == -3);
    const auto history = loadStockHistory(t.s, lube);
    REQUIRE_FALSE(history.empty());
    CHECK(history.front().id == id);
    CHECK(history.front().qty == -5);
    CHECK(history.front().reason == "box found in the back, not counted yet");
    CHECK(history.front().staffName == "Anna");
    // The desk's low-stock list shows it.
    const auto today = loadToday(t.s, localDay(nowUnix()));
    CHECK(std::any_of(today.lowStock.begin(), today.lowStock.end(),
                      [&](const StockRow& r) { return r.id == lube && r.stock == -3; }));
}

TEST_CASE("a stock correction needs a reason - with one it changes the stock by its signed quantity") {
    StaffedStore t;
    const int64_t sponge = itemId(t.s, "sponge");
    deliver(t.s, sponge, 10);

    StockChange ch;
    ch.itemId = sponge;
    ch.kind = StockKind::Correction;
    ch.quantity = -4;
    CHECK_ERROR(moveStock(t.s, t.annaActor(), ch), ErrorKind::InvalidInput, "stock.reason");
    CHECK(stockOf(t.s, sponge) == 10);

    ch.reason = "counted: 6 on the shelf";
    moveStock(t.s, t.annaActor(), ch);
    CHECK(stockOf(t.s, sponge) == 6);

    ch.quantity = 0; // a correction of nothing is no correction
    CHECK_ERROR(moveStock(t.s, t.annaActor(), ch), ErrorKind::InvalidInput, "stock.quantity");
    CHECK(stockOf(t.s, sponge) == 6);
}

TEST_CASE("a sale has a payment and costs price × quantity - a handout is free and has no payment - revenue adds up") {
    StaffedStore t;
    const int64_t condoms = itemId(t.s, "condom_m"); // 25 cents each
    const int64_t lube = itemId(t.s, "lube");        // 350 cents a tube
    deliver(t.s, condoms, 100);
    deliver(t.s, lube, 10);

    // A sale without a payment, or a handout with one, is refused.
    StockChange noPayment = sale(condoms, 1, Payment::Cash);
    noPayment.payment.reset();
    CHECK_ERROR(moveStock(t.s, t.annaActor(), noPayment), ErrorKind::InvalidInput, "stock.payment");
    StockChange paidHandout = handout(condoms, 1);
    paidHandout.payment = Payment::Card;
    CHECK_ERROR(moveStock(t.s, t.annaActor(), paidHandout), ErrorKind::InvalidInput, "stock.payment");
    CHECK(stockOf(t.s, condoms) == 100);

    const int64_t s1 = moveStock(t.s, t.annaActor(), sale(condoms, 4, Payment::Cash));
    const int64_t s2 = moveStock(t.s, t.annaActor(), sale(lube, 3, Payment::Card));
    const int64_t h1 = moveStock(t.s, t.annaActor(), handout(condoms, 10));
    CHECK(stockOf(t.s, condoms) == 86);
    CHECK(stockOf(t.s, lube) == 7);

    const auto moveText = [&](int64_t id, const char* column) {
        return t.s.db().queryText("SELECT coalesce(" + std::string(column) + ", '') FROM stock_move WHERE id = " +
                                  std::to_string(id));
    };
    const auto moveInt = [&](int64_t id, const char* column) {
        return t.s.db().queryInt("SELECT " + std::string(column) + " FROM stock_move WHERE id = " + std::to_string(id));
    };
    CHECK(moveText(s1, "payment") == "cash");
    CHECK(moveInt(s1, "price_cents") == 4 * 25);
    CHECK(moveText(s2, "payment") == "card");
    CHECK(moveInt(s2, "price_cents") == 3 * 350);
    CHECK(moveText(h1, "payment").empty());
    CHECK(moveInt(h1, "price_cents") == 0);
    CHECK(moveText(h1, "kind") == "handout");

    const auto revenue = [&](const char* payment) {
        return t.s.db().queryInt(std::string("SELECT coalesce(sum(price_cents), 0) FROM stock_move WHERE kind = 'sale'") +
                                 (payment ? std::string(" AND payment = '") + payment + "'" : std::string()));
    };
    CHECK(revenue(nullptr) == 100 + 1050);
    CHECK(revenue("cash") == 100);
    CHECK(revenue("card") == 1050);

    // The history the supplies view shows has the same figures.
    const auto lubeHistory = loadStockHistory(t.s, lube);
    REQUIRE_FALSE(lubeHistory.empty());
    CHECK(lubeHistory.front().kind == "sale");
    CHECK(lubeHistory.front().payment == "card");
    CHECK(lubeHistory.front().priceCents == 1050);
    CHECK(lubeHistory.front().qty == -3);

    // An agreed price overrides price × quantity.
    StockChange discount = sale(lube, 2, Payment::Cash);
    discount.priceCents = 500;
    const int64_t s3 = moveStock(t.s, t.annaActor(), discount);
    CHECK(moveInt(s3, "price_cents") == 500);
    CHECK(revenue("cash") == 600);
}

TEST_CASE("undoing a stock move restores the stock, keeps both rows, and cannot be done twice") {
    StaffedStore t;
    const int64_t condoms = itemId(t.s, "condom_l");
    deliver(t.s, condoms, 20);
    const int64_t h = moveStock(t.s, t.annaActor(), handout(condoms, 6));
    const int64_t sl = moveStock(t.s, t.annaActor(), sale(condoms, 2, Payment::Card));
    CHECK(stockOf(t.s, condoms) == 12);

    const int64_t rh = undoStockMove(t.s, t.annaActor(), h);
    CHECK(stockOf(t.s, condoms) == 18);
    const int64_t rs = undoStockMove(t.s, t.annaActor(), sl);
    CHECK(stockOf(t.s, condoms) == 20);
    // Never a deletion: the originals are still there, each with its reversal.
    CHECK(countOf(t.s, "SELECT count(*) FROM stock_move WHERE id IN (" + std::to_string(h) + "," + std::to_string(sl) +
                           ")") == 2);
    CHECK(countOf(t.s, "SELECT count(*) FROM stock_move WHERE kind = 'reversal' AND reverses = " + std::to_string(h)) == 1);
    CHECK(countOf(t.s, "SELECT qty FROM stock_move WHERE id = " + std::to_string(rh)) == 6);
    // Revenue net of the undone sale is zero.
    CHECK(countOf(t.s, "SELECT coalesce(sum(price_cents), 0) FROM stock_move WHERE kind = 'sale'") -
              countOf(t.s, "SELECT coalesce(sum(r.price_cents), 0) FROM stock_move r JOIN stock_move m ON m.id = r.reverses "
                           "WHERE m.kind = 'sale'") ==
          0);

    CHECK_ERROR(undoStockMove(t.s, t.annaActor(), h), ErrorKind::Conflict, "stock.already_undone");
    CHECK_ERROR(undoStockMove(t.s, t.annaActor(), rs), ErrorKind::Conflict, "stock.is_undo");
    CHECK(stockOf(t.s, condoms) == 20);
    const auto history = loadStockHistory(t.s, condoms);
    for (const auto& m : history)
        if (m.id == h || m.id == sl) CHECK(m.undone);
    // The undone moves are no longer offered to undo.
    for (const auto& a : loadUndoable(t.s, t.anna))
        CHECK_FALSE((a.entity == "stock_move" && (a.id == h || a.id == sl)));
}

TEST_CASE("stock moves as any entry: desk staff undo their own, a coordinator anyone's, never in the future") {
    StaffedStore t;
    const int64_t bo = t.addBo();
    const int64_t condoms = itemId(t.s, "condom_l");
    deliver(t.s, condoms, 20);
    const int64_t annas = moveStock(t.s, t.annaActor(), handout(condoms, 6));
    const int64_t bos = moveStock(t.s, Actor::staff(bo), sale(condoms, 2, Payment::Cash));
    CHECK_ERROR(undoStockMove(t.s, Actor::staff(bo), annas), ErrorKind::InvalidInput, "undo.not_yours");
    CHECK(stockOf(t.s, condoms) == 12);
    CHECK(undoStockMove(t.s, Actor::staff(bo), bos) > 0);
    CHECK(undoStockMove(t.s, t.annaActor(), annas) > 0);
    CHECK(stockOf(t.s, condoms) == 20);

    // A handout dated ahead, an undo dated ahead, and desk staff more than a week back are refused.
    StockChange ahead = handout(condoms, 1);
    ahead.when.at = nowUnix() + 3600;
    CHECK_ERROR(moveStock(t.s, t.annaActor(), ahead), ErrorKind::InvalidInput, "when.future");
    StockChange old = handout(condoms, 1);
    old.when.at = nowUnix() - 8 * 24 * 3600;
    CHECK_ERROR(moveStock(t.s, Actor::staff(bo), old), ErrorKind::InvalidInput, "when.too_old");
    const int64_t now = moveStock(t.s, Actor::staff(bo), handout(condoms, 1));
    CHECK_ERROR(undoStockMove(t.s, Actor::staff(bo), now, When{nowUnix() + 3600}), ErrorKind::InvalidInput, "when.future");
    CHECK(stockOf(t.s, condoms) == 19);
    CHECK(moveStock(t.s, t.annaActor(), old) > 0); // a coordinator goes further back
}

} // TEST_SUITE
