// Today: the big buttons that log a contact in one tap (walk-in, phone, e-mail, outreach street/online),
// today's counters and list, low-stock warnings, and your own recent actions to undo.
#pragma once

#include "core/domain.hpp"

#include <string>

namespace inloop::desk {

class Desk;

class TodayView {
public:
    void draw(Desk& d);
    // One tap: a contact with the defaults (gender unknown, the language used last). Also the tests' entry.
    void logContact(Desk& d, core::Channel channel);
    const std::string& lastLanguage() const { return m_lastLanguage; }
    void setLastLanguage(const std::string& lang) { m_lastLanguage = lang; }

private:
    void channelButtons(Desk& d);
    void contactTable(Desk& d, float height);
    void sidePanel(Desk& d);
    std::string m_lastLanguage = "nl";
};

// Short labels shared by the desk's views.
std::string channelLabel(Desk& d, std::string_view channel);
const char* channelIcon(std::string_view channel);

} // namespace inloop::desk
