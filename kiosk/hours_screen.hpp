// Consultation hours: today and the next 7 days by service — time, place, languages, free places; full and
// cancelled sessions say so, with what to do instead. Tapping "sign up" starts a registration.
#pragma once

#include "kiosk.hpp"

#include "ui/scroll.hpp"

namespace inloop::kiosk {

class HoursScreen {
public:
    void draw(Kiosk& k);
    void reset() { m_scroll.reset(); }

private:
    ui::TouchScroll m_scroll;
};

} // namespace inloop::kiosk
