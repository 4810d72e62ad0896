// The ticket: a big, unambiguous number (no 0/O or 1/I), when and where, "show this number at the desk";
// back to Welcome by itself.
#pragma once

#include "kiosk.hpp"

#include <string>

namespace inloop::kiosk {

class TicketScreen {
public:
    void draw(Kiosk& k);
    // When the session is, in the visitor's language: weekday and times today, with the date on any other day
    // ("Tuesday 15 December 14:00–16:00"): a ticket for next week must not look like today's.
    static std::string when(Kiosk& k, const core::SessionView& s);
};

} // namespace inloop::kiosk
