// Topics: one tile per info page, with its icon.
#pragma once

#include "kiosk.hpp"

namespace inloop::kiosk {

class TopicsScreen {
public:
    void draw(Kiosk& k);
    static const char* iconFor(std::string_view topic);
};

} // namespace inloop::kiosk
