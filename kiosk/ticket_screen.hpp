// The ticket: a big, unambiguous number (no 0/O or 1/I), when and where, "show this number at the desk";
// back to Welcome by itself.
#pragma once

#include "kiosk.hpp"

namespace inloop::kiosk {

class TicketScreen {
public:
    void draw(Kiosk& k);
};

} // namespace inloop::kiosk
