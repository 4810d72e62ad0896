// Home: big tiles — information, register for a consultation hour, today at Spot 46, a bed tonight, help now.
#pragma once

#include "kiosk.hpp"

namespace inloop::kiosk {

class HomeScreen {
public:
    void draw(Kiosk& k);
};

} // namespace inloop::kiosk
