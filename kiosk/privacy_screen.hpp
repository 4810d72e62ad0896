// Privacy: what the kiosk keeps (a name only if typed, wiped at day's end; the ticket; anonymous counts)
// and what it never keeps.
#pragma once

#include "kiosk.hpp"

namespace inloop::kiosk {

class PrivacyScreen {
public:
    void draw(Kiosk& k);
};

} // namespace inloop::kiosk
