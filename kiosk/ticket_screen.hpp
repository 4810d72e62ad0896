// The ticket: a big, unambiguous number (no 0/O or 1/I), when and where, "show this number at the desk";
// back to Welcome by itself.
#pragma once

#include "kiosk.hpp"

#include <optional>
#include <string>

namespace inloop::kiosk {

class TicketScreen {
public:
    void draw(Kiosk& k);
    // When the session is, in the visitor's language: weekday and times today, with the date on any other day
    // ("Tuesday 15 December 14:00–16:00"): a ticket for next week must not look like today's.
    static std::string when(Kiosk& k, const core::SessionView& s);
    // The tour's picture of Read aloud: this block (0 the code, 1–3 the paragraphs) as if it were being read.
    void markForTour(std::optional<size_t> block) { m_tourBlock = block; }

private:
    std::optional<size_t> m_tourBlock;
};

} // namespace inloop::kiosk
