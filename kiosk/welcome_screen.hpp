// Welcome: language tiles with native names, "choose your language" cycling through all eight, the time,
// and the ticket numbers being served now. This is also the wiped state every visit returns to.
#pragma once

#include "kiosk.hpp"

#include <string>

namespace inloop::kiosk {

class WelcomeScreen {
public:
    void draw(Kiosk& k);
    // The language whose invitation is shown now (it changes every few seconds).
    size_t cycleIndex() const;
    static constexpr double kCycleSeconds = 2.5;
    // The now-serving strip's tickets with their services, in `lang`, as many as fit in `width` pixels.
    static std::string nowServingLine(Kiosk& k, const std::string& lang, float width);
};

} // namespace inloop::kiosk
