// The supplies view as staff use it, offscreen: a sale through the dialog, a handout that needs a confirmation.
#include "desk_fixture.hpp"

using namespace inloop;
using namespace inloop::test;
using desk::View;

namespace {

struct Item {
    int64_t id = 0, stock = 0, priceCents = 0;
};

Item readItem(DeskFixture& f, const char* code) {
    core::Store s = f.open();
    Item it;
    it.id = itemId(s, code);
    it.stock = core::stockOf(s, it.id);
    it.priceCents = s.db().queryInt("SELECT price_cents FROM supply_item WHERE id = " + std::to_string(it.id));
    return it;
}

} // namespace

TEST_SUITE("desk") {

TEST_CASE("a sale through the supplies dialog lowers the stock and books the price with the payment") {
    DeskFixture f(true);
    f.signInAs(f.bo); // selling is desk work
    const Item lube = readItem(f, "lube");
    REQUIRE(lube.stock > 3);
    f.tap("nav.supplies");
    f.settle();
    REQUIRE(f.d->view() == View::Supplies);

    f.tap("supplies.sell.lube");
    REQUIRE(f.views().supplies.dialogOpen());
    f.ui->frames(2);
    f.tap("supplies.dialog.plus");
    f.tap("supplies.dialog.plus"); // 3 tubes
    f.tap("supplies.dialog.card");
    f.tap("supplies.dialog.confirm");
    f.settle();
    CHECK(f.views().supplies.dialogError().empty());
    CHECK_FALSE(f.views().supplies.dialogOpen());
    CHECK_FALSE(f.ui->visible("supplies.dialog.confirm"));

    CHECK(f.deskInt("SELECT stock FROM supply_item WHERE id = " + std::to_string(lube.id)) == lube.stock - 3);
    CHECK(f.deskInt("SELECT count(*) FROM stock_move WHERE kind = 'sale'") == 1);
    CHECK(f.deskText("SELECT payment FROM stock_move WHERE kind = 'sale'") == "card");
    CHECK(f.deskInt("SELECT price_cents FROM stock_move WHERE kind = 'sale'") == 3 * lube.priceCents);
    CHECK(f.deskInt("SELECT qty FROM stock_move WHERE kind = 'sale'") == -3);
    CHECK(f.deskInt("SELECT staff_id FROM stock_move WHERE kind = 'sale'") == f.bo);
    CHECK(f.deskInt("SELECT count(*) FROM audit_log WHERE action = 'sale' AND staff_id = " + std::to_string(f.bo)) == 1);
    // The table shows the new stock; the toast offers an undo.
    for (const auto& r : f.d->stock())
        if (r.id == lube.id) CHECK(r.stock == lube.stock - 3);
    REQUIRE(f.ui->visible("toast.undo.0"));

    // A cash sale at an agreed price.
    f.tap("supplies.sell.lube");
    REQUIRE(f.views().supplies.dialogOpen());
    f.views().supplies.setPrice("2,50");
    f.tap("supplies.dialog.confirm");
    f.settle();
    CHECK_FALSE(f.views().supplies.dialogOpen());
    CHECK(f.deskInt("SELECT count(*) FROM stock_move WHERE kind = 'sale' AND payment = 'cash' AND price_cents = 250 AND "
                    "qty = -1") == 1);
    CHECK(f.deskInt("SELECT sum(price_cents) FROM stock_move WHERE kind = 'sale'") == 3 * lube.priceCents + 250);

    // Undo from the toast of the cash sale: the stock comes back, the sale stays with its reversal.
    const std::string undo = f.ui->visible("toast.undo.1") ? "toast.undo.1" : "toast.undo.0";
    f.tap(undo);
    f.settle();
    CHECK(f.deskInt("SELECT stock FROM supply_item WHERE id = " + std::to_string(lube.id)) == lube.stock - 3);
    CHECK(f.deskInt("SELECT count(*) FROM stock_move WHERE kind = 'reversal'") == 1);
    CHECK(f.deskInt("SELECT count(*) FROM stock_move WHERE kind = 'sale'") == 2);
}

TEST_CASE("a handout beyond the stock in the supplies dialog asks to confirm and for a reason before going below zero") {
    DeskFixture f;
    f.signInAs(f.anna);
    const Item sponge = readItem(f, "sponge");
    f.tap("nav.supplies");
    f.settle();
    f.tap("supplies.handout.sponge");
    REQUIRE(f.views().supplies.dialogOpen());
    f.views().supplies.setQuantity(static_cast<int>(sponge.stock) + 5);
    f.ui->frames(2);
    f.tap("supplies.dialog.confirm");
    f.settle();
    // Refused: the dialog stays open, explains, and nothing changed.
    CHECK(f.views().supplies.dialogOpen());
    CHECK(f.views().supplies.needsBelowZeroConfirmation());
    CHECK(f.ui->visible("supplies.dialog.below_zero"));
    CHECK(f.deskInt("SELECT stock FROM supply_item WHERE id = " + std::to_string(sponge.id)) == sponge.stock);

    // Confirming without a reason is not enough.
    f.tap("supplies.dialog.below_zero");
    f.tap("supplies.dialog.confirm");
    f.settle();
    CHECK(f.views().supplies.dialogOpen());
    CHECK(f.views().supplies.dialogError() == f.d->tr("supplies.error.reason"));
    CHECK(f.deskInt("SELECT stock FROM supply_item WHERE id = " + std::to_string(sponge.id)) == sponge.stock);

    f.views().supplies.setReason("new box not booked yet");
    f.tap("supplies.dialog.confirm");
    f.settle();
    CHECK_FALSE(f.views().supplies.dialogOpen());
    CHECK(f.deskInt("SELECT stock FROM supply_item WHERE id = " + std::to_string(sponge.id)) == -5);
    CHECK(f.deskText("SELECT reason FROM stock_move WHERE kind = 'handout'") == "new box not booked yet");
    CHECK(f.deskInt("SELECT price_cents FROM stock_move WHERE kind = 'handout'") == 0);
    CHECK(f.deskInt("SELECT payment IS NULL FROM stock_move WHERE kind = 'handout'") == 1);
    // The today view's low-stock list names it.
    f.tap("nav.today");
    f.settle();
    CHECK(std::any_of(f.d->today().lowStock.begin(), f.d->today().lowStock.end(),
                      [&](const core::StockRow& r) { return r.id == sponge.id && r.stock == -5; }));
}

} // TEST_SUITE
