// Consultation hours: today and the next 7 days by service — time, place, languages, free places; full and
// cancelled sessions say so, with what to do instead. Tapping "sign up" starts a registration.
#pragma once

#include "kiosk.hpp"

#include "ui/scroll.hpp"

#include <optional>

namespace inloop::kiosk {

class HoursScreen {
public:
    void draw(Kiosk& k);
    void reset() {
        m_scroll.reset();
        m_revealed = -1;
        m_tourCard.reset();
    }
    // The tour's picture of Read aloud: this hour's card (index into the sessions) as if it were being read.
    void markForTour(size_t card) { m_tourCard = card; }

private:
    ui::TouchScroll m_scroll;
    int m_revealed = -1; // the Read aloud sentence last scrolled into view
    std::optional<size_t> m_tourCard;
};

} // namespace inloop::kiosk
