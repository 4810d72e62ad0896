// Today: the big buttons that log a contact in one tap (walk-in, phone, e-mail, outreach street/online),
// today's counters and list, low-stock warnings, and your own recent actions to undo.
#pragma once

#include "core/views/desk_view.hpp"
#include "core/domain/domain.hpp"

#include <string>

namespace inloop::desk {

class Desk;

class TodayView {
public:
    void draw(Desk& d);
    // One tap: a contact with the defaults (language and gender "not asked"; never the language used last, which
    // would count every unasked contact as Dutch). Also the tests' entry.
    void logContact(Desk& d, core::Channel channel);

private:
    void channelButtons(Desk& d);
    void contactTable(Desk& d, float height);
    void sidePanel(Desk& d);
};

// Short labels shared by the desk's views.
std::string channelLabel(Desk& d, std::string_view channel);
// An entry in "Your last actions" in words: "Condoom M · Verkocht", "Ingecheckt · Slaapzaal 1 · 2A".
std::string undoableLabel(Desk& d, const core::UndoableAction& a);
// Its line on the list: the moment (with its date when not today) and the label.
std::string undoableLine(Desk& d, const core::UndoableAction& a);
// Its undo button's id: "undo.contact.12", "undo.stay.7.check_out".
std::string undoableId(const core::UndoableAction& a);
// A contact's language in words: its name in the desk's language, or "not asked".
std::string languageLabel(Desk& d, const std::string& code);
const char* channelIcon(std::string_view channel);

} // namespace inloop::desk
