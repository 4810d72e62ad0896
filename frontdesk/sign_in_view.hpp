// Sign-in: pick your name, type your personal PIN (keys or the pad). On the first start: create the first
// coordinator. After a lock the last person is already picked.
#pragma once

#include "core/domain/domain.hpp"

#include <optional>
#include <string>
#include <vector>

namespace inloop::desk {

class Desk;

class SignInView {
public:
    void draw(Desk& d);
    void reload(Desk& d);  // the staff list
    void lockedBy(const core::StaffMember& who);
    // Tests and tour.
    void pick(int64_t staffId);
    void typePin(const std::string& digits) { m_pin = digits; }
    void setFirstStart(const std::string& name, const std::string& pin, const std::string& again); // as if typed
    void submit(Desk& d);
    const std::string& message() const { return m_message; }
    bool loaded() const { return m_loaded; }

private:
    void drawFirstStart(Desk& d);
    void drawPad(Desk& d, float width);
    void drawLanguages(Desk& d, float column);

    std::vector<core::StaffMember> m_staff;
    bool m_loaded = false;
    std::optional<int64_t> m_picked;
    std::string m_pin;
    std::string m_message;
    bool m_busy = false;
    // First start.
    char m_name[64] = {};
    char m_pin1[16] = {};
    char m_pin2[16] = {};
};

} // namespace inloop::desk
