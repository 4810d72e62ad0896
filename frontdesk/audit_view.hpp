// The audit log (coordinators): who changed what and when, newest first, a page at a time. Read-only: the
// store refuses every change to it, and this view offers none.
#pragma once

#include "core/store/audit_chain.hpp"
#include "core/views/desk_view.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace inloop::desk {

class Desk;

// An audit row's detail in words: every stored code through the catalogue (bed moves by room and label, check-out
// destinations, undo, purges, back-dated moments).
std::string auditDetail(Desk& d, const core::AuditRow& r);

class AuditView {
public:
    static constexpr int kPage = 100;

    void draw(Desk& d);
    void reload(Desk& d); // the newest page
    void older(Desk& d);  // the next page, appended
    // Tests.
    const std::vector<core::AuditRow>& rows() const { return m_rows; }
    bool loaded() const { return m_loaded; }
    bool atStart() const { return m_atStart; }
    const std::optional<core::AuditVerdict>& verdict() const { return m_verdict; }

private:
    struct Line { // a row as shown, formatted once (ICU date formatting is not free)
        std::string time, who, action, entity, record, detail;
    };
    void format(Desk& d);
    void table(Desk& d, float height);
    void drawVerdict(Desk& d);

    std::vector<core::AuditRow> m_rows;
    std::vector<Line> m_lines;
    std::string m_linesLang;
    bool m_loaded = false, m_loading = false;
    bool m_atStart = false; // the oldest entry is shown
    uint64_t m_generation = 0;
    std::optional<core::AuditVerdict> m_verdict; // the whole chain, recomputed on the worker at every reload
};

} // namespace inloop::desk
