// Shared by the bed tests: finding a bed on the board.
#pragma once

#include "core/views/board_view.hpp"

#include <cstdint>

namespace inloop::test {

inline const core::BedView* findBed(const core::BoardView& board, int64_t bedId) {
    for (const auto& room : board.rooms)
        for (const auto& bed : room.beds)
            if (bed.id == bedId) return &bed;
    return nullptr;
}

} // namespace inloop::test
