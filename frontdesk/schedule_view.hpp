// The schedule (coordinators): services, weekly rules, closures and extra sessions, and the coming Dutch
// public holidays proposed as closures. Sessions for the coming 4 weeks follow from it.
#pragma once

#include "core/views/queue_view.hpp"

#include <array>
#include <string>

namespace inloop::desk {

class Desk;

class ScheduleView {
public:
    void draw(Desk& d);
    void reload(Desk& d);
    const core::ScheduleView& data() const { return m_data; }
    // Tests: the service the close-a-day / extra-session row is for (1-based into data().services; 0: all).
    void chooseExceptionService(int index) { m_exService = index; }

private:
    void servicesSection(Desk& d);
    void serviceDialog(Desk& d);
    void rulesSection(Desk& d);
    void exceptionsSection(Desk& d);
    void holidaysSection(Desk& d);

    core::ScheduleView m_data;
    // The add-rule form.
    int m_service = 0, m_weekday = 1, m_capacity = 6;
    std::array<char, 6> m_start{'1', '4', ':', '0', '0', 0}, m_end{'1', '6', ':', '0', '0', 0};
    // The close-a-day / extra-session form.
    std::array<char, 11> m_day{};
    std::array<char, 81> m_reason{};
    int m_exService = 0; // 0: the whole centre
    // The service dialog (new when m_editing is 0).
    bool m_openService = false;
    int64_t m_editing = 0;
    std::array<char, 33> m_code{};
    std::array<char, 81> m_name{};
    std::array<char, 121> m_partner{};
    std::array<char, 41> m_languages{};
    bool m_shelter = false, m_active = true;
    std::array<std::array<char, 401>, 8> m_descriptions{};
};

// "14:30" → 870; -1 if not a time.
int parseClock(const char* text);

} // namespace inloop::desk
