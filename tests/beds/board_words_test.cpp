// Tests what the bed board says (issue 17, item 18): only the emergency bed free, overdue departures, and the
// year on dates that are not in this year.
#include "beds/beds_helpers.hpp"
#include "support/temp_store.hpp"

#include "core/views/board_view.hpp"
#include "core/base/clock.hpp"
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace inloop::core;
using namespace inloop::test;

TEST_SUITE("beds") {

TEST_CASE("the board knows when only the emergency bed is free") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    for (size_t i = 0; i + 2 < beds.size(); ++i) checkIn(store, Actor::cli(), stayIn(beds[i], "Gast " + std::to_string(i)));
    CHECK_FALSE(loadBoard(store, true).onlyEmergencyFree()); // two free: one for anyone, one held
    checkIn(store, Actor::cli(), stayIn(beds[beds.size() - 2], "Lena"));
    const BoardView board = loadBoard(store, true);
    CHECK(board.free == 1);
    CHECK(board.onlyEmergencyFree());
}

TEST_CASE("a resident past her expected departure is marked overdue — one due today is not") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    const int64_t now = nowUnix();
    const std::string today = localDay(now);
    CheckIn late = stayIn(beds[0], "Mila");
    late.when.at = now - 3 * 24 * 3600;
    late.expectedOutDay = addDays(today, -1);
    checkIn(store, Actor::cli(), late);
    CheckIn due = stayIn(beds[1], "Noor");
    due.expectedOutDay = today;
    checkIn(store, Actor::cli(), due);
    const BoardView board = loadBoard(store, true);
    CHECK(findBed(board, beds[0])->overdue);
    CHECK_FALSE(findBed(board, beds[1])->overdue);
    CHECK(board.dueOutToday.size() == 2);
}

TEST_CASE("dates on the board show their year only when it is not this year") {
    CHECK(boardDay("en", "2027-05-18", "dMMM", "2026-12-04").find("2027") != std::string::npos);
    CHECK(boardDay("nl", "2025-12-30", "dMMM", "2026-01-02").find("2025") != std::string::npos);
    CHECK(boardDay("en", "2026-05-18", "dMMM", "2026-12-04").find("2026") == std::string::npos);
    CHECK(boardDay("en", "", "dMMM", "2026-12-04") == "—");
}

} // TEST_SUITE
