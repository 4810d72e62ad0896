// Today at Spot 46: opening hours, and today's consultation hours with their free places.
#pragma once

#include "kiosk.hpp"

namespace inloop::kiosk {

class TodayScreen {
public:
    void draw(Kiosk& k);
};

} // namespace inloop::kiosk
