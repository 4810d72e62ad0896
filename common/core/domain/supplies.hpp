// The domain API: supplies and stock.
// Every write runs in one transaction with its audit row (desk side); bad input throws Error and writes nothing.
#pragma once

#include "core/domain/audit.hpp"
#include "core/base/error.hpp"
#include "core/store/store.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace inloop::core {

// [SECTION] supplies
struct NewSupplyItem {
    std::string code; // stable, lower-case: "condom_m"
    std::string name;
    std::string unit = "piece";
    int64_t priceCents = 0;
    int64_t minStock = 0;
};
int64_t addSupplyItem(Store& store, const Actor& actor, const NewSupplyItem& item);
std::optional<int64_t> findSupplyItem(Store& store, std::string_view code);
int64_t stockOf(Store& store, int64_t itemId);

struct StockChange {
    int64_t itemId = 0;
    StockKind kind = StockKind::Handout;
    int64_t quantity = 0;        // handout, sale, delivery: how many (> 0); correction: the signed change
    std::optional<Payment> payment; // sale only
    std::optional<int64_t> priceCents; // sale: total price; default item price × quantity
    std::optional<int64_t> contactId;
    std::string reason;          // required for a correction and for going below zero
    bool confirmBelowZero = false;
    When when;
};
// Throws NeedsConfirmation (key "stock.below_zero") when stock would go below zero without confirmation.
int64_t moveStock(Store& store, const Actor& actor, const StockChange& change);
int64_t undoStockMove(Store& store, const Actor& actor, int64_t moveId, When when = {});


} // namespace inloop::core
