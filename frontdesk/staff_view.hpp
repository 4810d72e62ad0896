// Staff (coordinators): everyone, switched off too, with role and lock; add someone, give a new PIN, change a
// role, switch an account off or on again (with undo).
#pragma once

#include "core/domain/domain.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace inloop::desk {

class Desk;

class StaffView {
public:
    enum class Mode { None, Add, Pin, Role, Name };

    void draw(Desk& d);
    void reload(Desk& d); // the list, switched-off accounts included
    // Closes the dialog and wipes typed PINs (the shell's lock should call this).
    void closeDialogs();

    // Tests: what a coordinator does.
    void openAdd(Desk& d);
    void openPin(Desk& d, int64_t staffId);
    void openRole(Desk& d, int64_t staffId);
    void openName(Desk& d, int64_t staffId); // the name as it is, to correct
    void setName(const std::string& name);
    void setRole(core::Role role) { m_role = role; }
    void setPins(const std::string& pin, const std::string& again);
    void save(Desk& d);
    void setActive(Desk& d, int64_t staffId, bool active);
    void setPinMinLength(Desk& d, int length);
    int pinMinLength() const { return m_pinMin; }
    Mode mode() const { return m_mode; }
    const std::string& dialogError() const { return m_error; }
    std::string typedName() const { return m_name.data(); }
    const std::vector<core::StaffMember>& staff() const { return m_staff; }
    bool loaded() const { return m_loaded; }

private:
    void table(Desk& d, float height);
    void drawPinMinLength(Desk& d);
    void drawDialog(Desk& d);
    void open(Desk& d, Mode mode, int64_t staffId);
    const core::StaffMember* member(int64_t id) const;
    void wipePins();

    std::vector<core::StaffMember> m_staff;
    bool m_loaded = false;
    int m_pinMin = core::kPinMinLengthDefault; // the shortest new PIN, a site setting

    Mode m_mode = Mode::None;
    bool m_justOpened = false, m_busy = false;
    bool m_fieldsSet = false; // a test set a field's value: the field lets go of its own copy
    int64_t m_owner = 0;
    uint64_t m_generation = 0;
    int64_t m_staffId = 0; // Pin, Role, Name: whom
    core::Role m_role = core::Role::Desk;
    std::array<char, 61> m_name{};
    std::array<char, 16> m_pin1{}, m_pin2{};
    std::string m_error;
};

} // namespace inloop::desk
