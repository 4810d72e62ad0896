// Welcome: language tiles with native names, "choose your language" cycling through all eight, the time,
// and the ticket numbers being served now. This is also the wiped state every visit returns to.
#pragma once

#include "kiosk.hpp"

namespace inloop::kiosk {

class WelcomeScreen {
public:
    void draw(Kiosk& k);
    // The language whose invitation is shown now (it changes every few seconds).
    size_t cycleIndex() const;
    static constexpr double kCycleSeconds = 2.5;
};

} // namespace inloop::kiosk
