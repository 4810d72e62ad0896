// The second tap: a contact's optional details — gender, language, topics, referral, the visitor's own code
// (kept only as a keyed hash), and supplies handed out with it. Enter saves, Escape closes.
#pragma once

#include "core/domain/domain.hpp"
#include "when_picker.hpp"

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace inloop::desk {

class Desk;

class ContactDialog {
public:
    void open(Desk& d, int64_t contactId);
    void close() { m_open = false; m_code.fill(0); }
    void draw(Desk& d);
    bool isOpen() const { return m_open; }
    // Tests: set fields as a person would, then save.
    core::ContactDetails& details() { return m_details; }
    void setCode(const std::string& code);
    void handOut(int64_t itemId, int count) { m_handouts[itemId] = count; }
    void save(Desk& d);
    WhenPicker& when() { return m_when; }

private:
    bool m_open = false;
    bool m_justOpened = false;
    bool m_scrollToTop = false; // ImGui keeps a child's scroll: every contact starts at the top
    int64_t m_id = 0;
    bool m_hadCode = false;
    bool m_removeCode = false;
    core::ContactDetails m_details;
    WhenPicker m_when; // a contact logged late: when it really was
    std::array<char, 32> m_code{};
    std::map<int64_t, int> m_handouts; // supply item → how many
};

} // namespace inloop::desk
