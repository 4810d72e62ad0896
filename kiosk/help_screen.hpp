// Help now: the emergency number, "come to the desk", and the pages on exploitation, the shelter and contact.
#pragma once

#include "kiosk.hpp"

namespace inloop::kiosk {

class HelpScreen {
public:
    void draw(Kiosk& k);
};

} // namespace inloop::kiosk
