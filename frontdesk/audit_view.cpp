// The audit log view (see audit_view.hpp).
#include "audit_view.hpp"

#include "desk.hpp"
#include "supplies_view.hpp" // the shared table pieces
#include "views.hpp"

#include "core/base/clock.hpp"
#include "core/i18n/i18n.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace inloop::desk {

namespace {
// The words the store writes (core/domain/domain.cpp's audit calls); anything else is shown as it is stored.
constexpr std::string_view kActions[] = {"log",     "undo",      "details",  "add",        "handout",   "sale",
                                         "delivery", "correction", "register", "cancelled",  "called",    "seen",
                                         "no_show", "check_in",  "check_out", "sign_in",   "wrong_pin", "locked",
                                         "new_pin", "role",      "activate", "deactivate", "seed",    "configure", "new_phrase",
                                         "sync",    "set",       "remove",    "move",       "reserve",   "cancel",
                                         "purge",   "in_service", "out_of_service", "rename"};
constexpr std::string_view kEntities[] = {"contact",  "supply_item",        "stock_move",   "service", "schedule_rule",
                                          "schedule_exception", "registration", "stay",         "staff",   "bed",
                                          "calendar_feed",      "offsite_backup",     "setting",  "reservation"};
constexpr std::string_view kActors[] = {"staff", "cli", "demo", "system"};

template <size_t N> bool known(const std::string_view (&words)[N], std::string_view w) {
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

std::string word(const Desk& d, const char* group, bool isKnown, const std::string& w) {
    return isKnown ? d.tr(std::string("audit.") + group + "." + w) : w;
}

// A bed by its room and label ("Slaapzaal 1 · 2A") as the board knows it; its number otherwise.
std::string bedText(Desk& d, int64_t id) {
    for (const auto& room : d.views().beds.data().rooms)
        for (const auto& b : room.beds)
            if (b.id == id) return room.name + " · " + b.label;
    return d.tr("audit.detail.bed", {{"id", id}});
}

// The stored detail in words: codes through the catalogue (bed actions, undo, purge, moves, back-dating).
std::string bedDetail(Desk& d, const core::AuditRow& r, const std::string& text) {
    long long from = 0, to = 0, n = 0;
    char day[11] = {};
    if (r.action == "move" && std::sscanf(text.c_str(), "bed %lld to %lld", &from, &to) == 2)
        return d.tr("audit.detail.move", {{"from", bedText(d, from)}, {"to", bedText(d, to)}});
    if (r.action == "check_out" && core::parseWord<core::Destination>(text)) return d.tr("beds.destination." + text);
    if (r.action == "undo" && known(kActions, text)) return d.tr("audit.action." + text);
    if (r.action == "purge" && std::sscanf(text.c_str(), "%10[0-9-]: %lld", day, &n) == 2)
        return d.tr("audit.detail.purge",
                    {{"day", core::formatDateTime(d.lang(), core::unixFromLocal(day, 12 * 60), "yMMMd")},
                     {"count", static_cast<int64_t>(n)}});
    if (text.rfind("emergency bed: ", 0) == 0) return d.tr("audit.detail.emergency", {{"reason", text.substr(15)}});
    if (std::sscanf(text.c_str(), "reversed by contact %lld", &n) == 1)
        return d.tr("audit.detail.reversed", {{"id", static_cast<int64_t>(n)}});
    if (std::sscanf(text.c_str(), "to registration %lld", &n) == 1)
        return d.tr("audit.detail.to_registration", {{"id", static_cast<int64_t>(n)}});
    return text;
}

} // namespace

std::string auditDetail(Desk& d, const core::AuditRow& r) {
    // A back-dated entry names the moment it is for ("…; at=<unix>"); the row's own time is when it was typed.
    const size_t atPos = r.detail.rfind("at=");
    if (atPos != std::string::npos && (atPos == 0 || r.detail.compare(atPos - 2, 2, "; ") == 0)) {
        core::AuditRow rest = r;
        rest.detail = r.detail.substr(0, atPos == 0 ? 0 : atPos - 2);
        const int64_t at = std::atoll(r.detail.c_str() + atPos + 3);
        const std::string moment = d.tr("audit.detail.for", {{"moment", core::formatDateTime(d.lang(), at, "yMMMdHHmm")}});
        return rest.detail.empty() ? moment : auditDetail(d, rest) + " · " + moment;
    }
    if (r.entity == "staff" && (r.action == "add" || r.action == "role") && core::parseWord<core::Role>(r.detail))
        return d.tr("role." + r.detail);
    if (r.entity == "contact" && r.action == "log" && core::parseWord<core::Channel>(r.detail))
        return d.tr("channel." + r.detail);
    if (r.entity == "registration" && r.action == "register" && core::parseWord<core::RegistrationSource>(r.detail))
        return d.tr("audit.source." + r.detail);
    if (r.entity == "contact" && r.action == "details") { // the fields that changed: "gender,language,topics"
        std::string out;
        for (size_t pos = 0; pos <= r.detail.size();) {
            const size_t comma = std::min(r.detail.find(',', pos), r.detail.size());
            const std::string field = r.detail.substr(pos, comma - pos);
            if (!field.empty())
                out += (out.empty() ? "" : ", ") + (d.hasMessage("audit.field." + field) ? d.tr("audit.field." + field) : field);
            pos = comma + 1;
        }
        return out.empty() ? "—" : out;
    }
    if (r.entity == "site_fact") { // "site.phone = +31 …": the fact's name in words
        const size_t eq = r.detail.find(" = ");
        const std::string key = r.detail.substr(0, eq);
        if (eq != std::string::npos && d.hasMessage("site_fact." + key)) return d.tr("site_fact." + key) + ": " + r.detail.substr(eq + 3);
    }
    return r.detail.empty() ? "—" : bedDetail(d, r, r.detail);
}

void AuditView::reload(Desk& d) {
    const uint64_t generation = ++m_generation;
    m_loading = true;
    d.read<std::vector<core::AuditRow>>([](core::Store& s) { return core::loadAudit(s, kPage); },
                                        [this, generation](std::vector<core::AuditRow> rows) {
                                            if (generation != m_generation) return;
                                            m_atStart = rows.size() < static_cast<size_t>(kPage);
                                            m_rows = std::move(rows);
                                            m_lines.clear();
                                            m_loaded = true;
                                            m_loading = false;
                                        });
    m_verdict.reset();
    d.read<core::AuditVerdict>(
        [](core::Store& s) { return core::verifyAuditLog(s.db(), core::readAuditAnchors(s.paths())); },
        [this, generation](core::AuditVerdict v) {
            if (generation == m_generation) m_verdict = std::move(v);
        });
}

// "Verified up to …" or what broke, in the desk's language (the sentences of `inloopctl check` are English).
void AuditView::drawVerdict(Desk& d) {
    const ui::Theme& t = ui::theme();
    if (!m_verdict) {
        ui::iconText(ui::icon::Hourglass, d.tr("audit.verifying"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    const core::AuditVerdict& v = *m_verdict;
    if (v.ok()) {
        if (v.verifiedId == 0) return; // nothing logged yet: the empty state says so
        ui::iconText(ui::icon::Check, d.tr("audit.verified", {{"time", core::formatDateTime(d.lang(), v.verifiedAt, "yMMMdHHmm")},
                                                                {"row", v.verifiedId}}),
                     ui::fonts().body, t.muted, d.lang());
        return;
    }
    std::string text;
    if (v.brokenId) text = d.tr("audit.broken", {{"row", *v.brokenId}});
    else if (v.guardsChanged) text = d.tr("audit.unguarded");
    else if (v.failedAnchor)
        text = d.tr("audit.anchor", {{"time", core::formatDateTime(d.lang(), v.failedAnchor->takenAt, "yMMMdHHmm")},
                                     {"row", v.failedAnchor->rowId}});
    ui::iconText(ui::icon::Warning, text, ui::fonts().bold, t.danger, d.lang());
}

void AuditView::older(Desk& d) {
    if (m_loading || m_atStart || m_rows.empty()) return;
    const uint64_t generation = m_generation;
    const int64_t before = m_rows.back().id;
    m_loading = true;
    d.read<std::vector<core::AuditRow>>([before](core::Store& s) { return core::loadAudit(s, kPage, before); },
                                        [this, generation](std::vector<core::AuditRow> rows) {
                                            if (generation != m_generation) return;
                                            m_atStart = rows.size() < static_cast<size_t>(kPage);
                                            m_rows.insert(m_rows.end(), std::make_move_iterator(rows.begin()),
                                                          std::make_move_iterator(rows.end()));
                                            m_loading = false;
                                        });
}

void AuditView::format(Desk& d) {
    if (m_lines.size() == m_rows.size() && m_linesLang == d.lang()) return;
    if (m_linesLang != d.lang()) m_lines.clear();
    m_linesLang = d.lang();
    for (size_t i = m_lines.size(); i < m_rows.size(); ++i) {
        const core::AuditRow& r = m_rows[i];
        m_lines.push_back({core::formatDateTime(d.lang(), r.at, "yMMMdHHmm"),
                           !r.staffName.empty() ? r.staffName : word(d, "actor", known(kActors, r.actor), r.actor),
                           word(d, "action", known(kActions, r.action), r.action),
                           word(d, "entity", known(kEntities, r.entity), r.entity),
                           r.recordId ? std::to_string(*r.recordId) : "—", auditDetail(d, r)});
    }
}

void AuditView::table(Desk& d, float height) {
    const ui::Theme& t = ui::theme();
    format(d);
    // Alternating rows without lines: dense text reads more calmly so.
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("###audit", 6, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(d.tr("col.time").c_str());
    ImGui::TableSetupColumn(d.tr("audit.col.who").c_str());
    ImGui::TableSetupColumn(d.tr("audit.col.action").c_str());
    ImGui::TableSetupColumn(d.tr("audit.col.entity").c_str());
    ImGui::TableSetupColumn(d.tr("audit.col.record").c_str());
    ImGui::TableSetupColumn(d.tr("audit.col.detail").c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper; // thousands of rows after a few pages: draw only the visible ones
    clipper.Begin(static_cast<int>(m_lines.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const Line& l = m_lines[static_cast<size_t>(i)];
            ImGui::TableNextRow(0, 34);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(l.time.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(l.who.c_str());
            ImGui::TableNextColumn();
            ImGui::PushFont(ui::fonts().bold);
            ImGui::TextUnformatted(l.action.c_str());
            ImGui::PopFont();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(l.entity.c_str());
            ImGui::PushStyleColor(ImGuiCol_Text, ui::toVec4(t.muted));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(l.record.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(l.detail.c_str());
            ImGui::PopStyleColor();
        }
    }
    ImGui::EndTable();
}

void AuditView::draw(Desk& d) {
    const ui::Theme& t = ui::theme();
    if (!d.isCoordinator()) { // the shell hides this view from others
        ui::iconText(ui::icon::Lock, d.tr("error.role"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    const ImVec2 start = ImGui::GetCursorPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ui::textWrapped(d.tr("nav.audit"), d.lang(), ui::fonts().title, t.primary);
    {
        const ImVec2 after = ImGui::GetCursorPos();
        const std::string text = d.tr("audit.refresh");
        const float w = std::max(200.0f, buttonWidth(text, ui::icon::Sync, 52));
        ImGui::SetCursorPos(ImVec2(start.x + width - w, start.y));
        if (ui::button("audit.refresh", m_loading ? ui::icon::Hourglass : ui::icon::Sync, text, ImVec2(w, 52),
                       ui::Tone::Surface, d.lang()))
            reload(d);
        ImGui::SetCursorPos(ImVec2(after.x, std::max(after.y, ImGui::GetCursorPos().y)));
    }
    ui::iconText(ui::icon::Shield, d.tr("audit.hint"), ui::fonts().body, t.muted, d.lang());
    drawVerdict(d);
    if (!m_loaded) {
        ui::iconText(ui::icon::Hourglass, d.tr("common.loading"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    if (m_rows.empty()) {
        ui::iconText(ui::icon::Info, d.tr("audit.empty"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    const float footer = 60 + ImGui::GetStyle().ItemSpacing.y;
    table(d, ImGui::GetContentRegionAvail().y - footer);
    if (m_atStart) {
        markedText(ui::icon::Check, d.tr("audit.at_start", {{"count", static_cast<int64_t>(m_rows.size())}}),
                   ui::fonts().body, t.muted, 60);
    } else {
        if (ui::button("audit.older", m_loading ? ui::icon::Hourglass : ui::icon::Schedule, d.tr("audit.older"),
                       ImVec2(std::max(280.0f, buttonWidth(d.tr("audit.older"), ui::icon::Schedule, 60)), 60),
                       ui::Tone::Surface, d.lang()))
            older(d);
        ImGui::SameLine(0, 24);
        cellText(d.tr("audit.shown", {{"count", static_cast<int64_t>(m_rows.size())}}), ui::fonts().body, t.muted, 60);
    }
}

} // namespace inloop::desk
