// The schedule view (see schedule_view.hpp).
#include "schedule_view.hpp"

#include "desk.hpp"
#include "queue_view.hpp"    // sameLineIfRoom
#include "supplies_view.hpp" // the shared dialog pieces

#include "core/base/clock.hpp"
#include "core/i18n/i18n.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

namespace inloop::desk {

int parseClock(const char* text) {
    int h = -1, m = -1;
    char extra = 0;
    if (std::sscanf(text, "%d:%d%c", &h, &m, &extra) != 2 || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m > 0))
        return -1;
    return h * 60 + m;
}

namespace {
std::string clock(int minutes) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}
std::string weekdayName(Desk& d, int weekday) {
    // 2026-01-05 is a Monday.
    return core::formatDateTime(d.lang(), core::unixFromLocal(core::addDays("2026-01-05", weekday - 1), 720), "EEEE");
}
} // namespace

void ScheduleView::reload(Desk& d) {
    d.read<core::ScheduleView>([](core::Store& s) { return core::loadSchedule(s, core::localDay(core::nowUnix())); },
                               [this](core::ScheduleView v) { m_data = std::move(v); });
}

namespace {
} // namespace

void ScheduleView::servicesSection(Desk& d) {
    const ui::Theme& t = ui::theme();
    ui::textWrapped(d.tr("schedule.services"), d.lang(), ui::fonts().heading, t.text);
    for (const auto& s : m_data.services) {
        ImGui::PushID(static_cast<int>(s.id));
        std::string line = s.name + " · " + d.tr("place." + s.place) + " · " + s.languages;
        if (!s.partner.empty()) line.append(" · ").append(s.partner);
        if (!s.active) line.append(" · ").append(d.tr("schedule.inactive"));
        if (s.fromCalendar) line.append(" · ").append(d.tr("schedule.from_calendar"));
        // The button at a fixed column, or against the right edge when the window is narrower than that.
        const float buttonX = std::min(800.0f, ImGui::GetWindowContentRegionMax().x - 180);
        ui::iconText(ui::icon::Event, line, ui::fonts().body, s.active ? t.text : t.muted, d.lang(), buttonX - 40);
        ImGui::SameLine(buttonX);
        if (ui::button("schedule.service.edit." + s.code, ui::icon::Edit, d.tr("schedule.edit"), ImVec2(180, 44),
                       ui::Tone::Quiet, d.lang())) {
            m_editing = s.id;
            copyTo(m_code, s.code);
            copyTo(m_name, s.name);
            copyTo(m_partner, s.partner);
            copyTo(m_languages, s.languages);
            m_shelter = s.place == "shelter";
            m_active = s.active;
            for (size_t i = 0; i < core::kLanguages.size(); ++i) {
                auto it = s.descriptions.find(std::string(core::kLanguages[i]));
                copyTo(m_descriptions[i], it == s.descriptions.end() ? std::string() : it->second);
            }
            m_openService = true;
        }
        ImGui::PopID();
    }
    if (ui::button("schedule.service.new", ui::icon::Add, d.tr("schedule.new_service"), ImVec2(260, 44),
                   ui::Tone::Quiet, d.lang())) {
        m_editing = 0;
        for (auto* f : {&m_code}) f->fill(0);
        m_name.fill(0);
        m_partner.fill(0);
        copyTo(m_languages, "nl,en");
        m_shelter = false;
        m_active = true;
        for (auto& text : m_descriptions) text.fill(0);
        m_openService = true;
    }
}

void ScheduleView::serviceDialog(Desk& d) {
    if (m_openService) {
        ImGui::OpenPopup("###service_dialog");
        m_openService = false;
    }
    ImGui::SetNextWindowSize(ImVec2(900, 680));
    const std::string title = d.tr(m_editing ? "schedule.edit_service" : "schedule.new_service") + "###service_dialog";
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoResize)) return;
    ImGui::BeginChild("###service_fields", ImVec2(0, 560));
    ImGui::PushItemWidth(520);
    if (!m_editing) ImGui::InputText(d.tr("schedule.service_code").c_str(), m_code.data(), m_code.size(),
                                     ImGuiInputTextFlags_CharsNoBlank);
    ImGui::InputText(d.tr("schedule.service_name").c_str(), m_name.data(), m_name.size());
    ImGui::InputText(d.tr("schedule.service_partner").c_str(), m_partner.data(), m_partner.size());
    ImGui::InputText(d.tr("schedule.service_languages").c_str(), m_languages.data(), m_languages.size());
    ImGui::PopItemWidth();
    ImGui::Checkbox(d.tr("place.shelter").c_str(), &m_shelter);
    ImGui::SameLine();
    ImGui::Checkbox(d.tr("schedule.active").c_str(), &m_active);
    ui::textWrapped(d.tr("schedule.descriptions"), d.lang(), ui::fonts().bold, ui::theme().text);
    for (size_t i = 0; i < core::kLanguages.size(); ++i) {
        const std::string lang(core::kLanguages[i]);
        ImGui::PushID(static_cast<int>(i));
        ImGui::TextUnformatted((lang + " · " + core::languageNameIn(lang, d.lang())).c_str());
        ImGui::InputTextMultiline("##description", m_descriptions[i].data(), m_descriptions[i].size(), ImVec2(820, 56));
        ImGui::PopID();
    }
    ImGui::EndChild();
    if (ui::button("schedule.service.save", ui::icon::Check, d.tr("common.save"), ImVec2(240, 56), ui::Tone::Primary,
                   d.lang())) {
        core::NewService s;
        s.code = m_code.data();
        s.name = m_name.data();
        s.partner = m_partner.data();
        s.place = m_shelter ? "shelter" : "spot46";
        s.languages = m_languages.data();
        std::vector<std::pair<std::string, std::string>> texts;
        for (size_t i = 0; i < core::kLanguages.size(); ++i)
            texts.emplace_back(std::string(core::kLanguages[i]), std::string(m_descriptions[i].data()));
        const core::Actor a = d.actor();
        const int64_t id = m_editing;
        const bool active = m_active;
        d.write(
            [=](core::Store& st) {
                core::Transaction tx(st.db()); // the service and all its texts, or nothing
                const int64_t serviceId = id ? id : core::addService(st, a, s);
                if (id) core::updateService(st, a, id, s, active);
                for (const auto& [lang, text] : texts) core::setServiceDescription(st, a, serviceId, lang, text);
                tx.commit();
            },
            [this, &d] {
                d.toast(d.tr("schedule.service_saved"));
                reload(d);
            });
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ui::button("schedule.service.cancel", ui::icon::Close, d.tr("common.cancel") + "  (Esc)", ImVec2(240, 56),
                   ui::Tone::Quiet, d.lang()) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
        ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

void ScheduleView::rulesSection(Desk& d) {
    const ui::Theme& t = ui::theme();
    ui::textWrapped(d.tr("schedule.rules"), d.lang(), ui::fonts().heading, t.text);
    if (m_data.rules.empty()) ui::textWrapped(d.tr("schedule.no_rules"), d.lang(), ui::fonts().body, t.muted);
    if (!m_data.rules.empty() &&
        ImGui::BeginTable("###rules", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
        for (const char* h : {"schedule.col_service", "schedule.col_day", "schedule.col_time", "schedule.col_capacity",
                              "schedule.col_period", ""})
            ImGui::TableSetupColumn(*h ? d.tr(h).c_str() : "");
        ImGui::TableHeadersRow();
        for (const auto& r : m_data.rules) {
            ImGui::TableNextRow(0, 48);
            ImGui::PushID(static_cast<int>(r.id));
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s · %s", d.tr("service." + r.service).c_str(), d.tr("place." + r.place).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(weekdayName(d, r.weekday).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted((clock(r.startMin) + "–" + clock(r.endMin)).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%d", r.capacity);
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", (r.validFrom + " → " + r.validUntil.value_or("…")).c_str());
            ImGui::TableNextColumn();
            if (!r.validUntil &&
                ui::button("schedule.end." + std::to_string(r.id), ui::icon::EventBusy, d.tr("schedule.end"),
                           ImVec2(200, 44), ui::Tone::Quiet, d.lang())) {
                const core::Actor a = d.actor();
                const int64_t id = r.id;
                d.write([a, id](core::Store& s) { core::endScheduleRule(s, a, id, core::localDay(core::nowUnix())); },
                        [this, &d] { reload(d); });
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    // Add a weekly rule.
    if (m_data.services.empty()) return;
    m_service = std::clamp(m_service, 0, static_cast<int>(m_data.services.size()) - 1);
    ImGui::SetNextItemWidth(220);
    if (ImGui::BeginCombo("##rule_service", d.tr("service." + m_data.services[static_cast<size_t>(m_service)].code).c_str())) {
        for (size_t i = 0; i < m_data.services.size(); ++i)
            if (ImGui::Selectable(d.tr("service." + m_data.services[i].code).c_str(), static_cast<int>(i) == m_service))
                m_service = static_cast<int>(i);
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(170);
    if (ImGui::BeginCombo("##rule_day", weekdayName(d, m_weekday).c_str())) {
        for (int w = 1; w <= 7; ++w)
            if (ImGui::Selectable(weekdayName(d, w).c_str(), w == m_weekday)) m_weekday = w;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80);
    ImGui::InputTextWithHint("##rule_start", "14:00", m_start.data(), m_start.size());
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80);
    ImGui::InputTextWithHint("##rule_end", "16:00", m_end.data(), m_end.size());
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    ImGui::InputInt("##rule_capacity", &m_capacity);
    m_capacity = std::clamp(m_capacity, 1, 500);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.tr("schedule.col_capacity").c_str());
    ImGui::SameLine();
    if (ui::button("schedule.add_rule", ui::icon::Add, d.tr("schedule.add_rule"), ImVec2(170, 44), ui::Tone::Primary,
                   d.lang())) {
        const int start = parseClock(m_start.data()), end = parseClock(m_end.data());
        if (start < 0 || end < 0 || end <= start) {
            d.toast(d.tr("schedule.bad_time"), true);
        } else {
            core::NewRule rule;
            const auto& svc = m_data.services[static_cast<size_t>(m_service)];
            rule.serviceId = svc.id;
            rule.weekday = m_weekday;
            rule.startMin = start;
            rule.endMin = end;
            rule.capacity = m_capacity;
            rule.place = svc.place;
            rule.validFrom = core::localDay(core::nowUnix());
            const core::Actor a = d.actor();
            d.write([a, rule](core::Store& s) {
                core::addScheduleRule(s, a, rule);
                core::generateSessions(s, rule.validFrom, 28);
            },
                    [this, &d] {
                        d.toast(d.tr("schedule.rule_added"));
                        reload(d);
                    });
        }
    }
}

void ScheduleView::exceptionsSection(Desk& d) {
    const ui::Theme& t = ui::theme();
    ui::textWrapped(d.tr("schedule.exceptions"), d.lang(), ui::fonts().heading, t.text);
    if (m_data.exceptions.empty()) ui::textWrapped(d.tr("schedule.no_exceptions"), d.lang(), ui::fonts().body, t.muted);
    for (const auto& e : m_data.exceptions) {
        const std::string who = e.service.empty() ? d.tr("schedule.whole_centre") : d.tr("service." + e.service);
        std::string line = e.day + " · " + who + " · " + d.tr("schedule.kind_" + e.kind);
        if (e.kind == "extra") line.append(" ").append(clock(e.startMin)).append("–").append(clock(e.endMin));
        if (!e.reason.empty()) line.append(" · ").append(e.reason);
        ui::iconText(e.kind == "extra" ? ui::icon::EventAvailable : ui::icon::EventBusy, line, ui::fonts().body, t.text,
                     d.lang());
    }
    // Close a day, or add an extra session, for one service or the whole centre.
    ImGui::SetNextItemWidth(160);
    ImGui::InputTextWithHint("##ex_day", "2026-12-24", m_day.data(), m_day.size());
    sameLineIfRoom(220);
    ImGui::SetNextItemWidth(220);
    const std::string current =
        m_exService == 0 ? d.tr("schedule.whole_centre")
                         : d.tr("service." + m_data.services[static_cast<size_t>(m_exService - 1)].code);
    if (ImGui::BeginCombo("##ex_service", current.c_str())) {
        if (ImGui::Selectable(d.tr("schedule.whole_centre").c_str(), m_exService == 0)) m_exService = 0;
        for (size_t i = 0; i < m_data.services.size(); ++i)
            if (ImGui::Selectable(d.tr("service." + m_data.services[i].code).c_str(), m_exService == static_cast<int>(i) + 1))
                m_exService = static_cast<int>(i) + 1;
        ImGui::EndCombo();
    }
    sameLineIfRoom(240);
    ImGui::SetNextItemWidth(240);
    ImGui::InputTextWithHint("##ex_reason", d.tr("schedule.reason").c_str(), m_reason.data(), m_reason.size());
    sameLineIfRoom(220);
    if (ui::button("schedule.close_day", ui::icon::EventBusy, d.tr("schedule.close_day"), ImVec2(220, 44),
                   ui::Tone::Primary, d.lang())) {
        const std::string day = m_day.data(), reason = m_reason.data();
        if (!core::isValidDay(day)) {
            d.toast(d.tr("schedule.bad_day"), true);
        } else {
            std::optional<int64_t> service;
            if (m_exService > 0) service = m_data.services[static_cast<size_t>(m_exService - 1)].id;
            const core::Actor a = d.actor();
            d.write([a, day, service, reason](core::Store& s) { core::addClosure(s, a, day, service, reason); },
                    [this, &d] {
                        m_day.fill(0);
                        m_reason.fill(0);
                        reload(d);
                    });
        }
    }
    if (m_exService > 0) {
        sameLineIfRoom(240); // a fixed row ran past the right edge: the button wraps instead
        if (ui::button("schedule.add_extra", ui::icon::EventAvailable, d.tr("schedule.add_extra"), ImVec2(240, 44),
                       ui::Tone::Quiet, d.lang())) {
            const std::string day = m_day.data();
            const int start = parseClock(m_start.data()), end = parseClock(m_end.data());
            if (!core::isValidDay(day) || start < 0 || end <= start) {
                d.toast(d.tr("schedule.bad_day"), true);
            } else {
                const int64_t service = m_data.services[static_cast<size_t>(m_exService - 1)].id;
                const int capacity = m_capacity;
                const core::Actor a = d.actor();
                d.write([=](core::Store& s) { core::addExtraSession(s, a, service, day, start, end, capacity); },
                        [this, &d] { reload(d); });
            }
        }
    }
}

void ScheduleView::holidaysSection(Desk& d) {
    const ui::Theme& t = ui::theme();
    ui::textWrapped(d.tr("schedule.holidays"), d.lang(), ui::fonts().heading, t.text);
    ui::textWrapped(d.tr("schedule.holidays_hint"), d.lang(), ui::fonts().body, t.muted);
    for (const auto& h : m_data.holidays) {
        ImGui::PushID(h.day.c_str());
        const std::string line = core::formatDateTime(d.lang(), core::unixFromLocal(h.day, 720), "EEEEdMMMMy") + " · " +
                                 d.tr("holiday." + h.key);
        const float buttonX = std::min(700.0f, ImGui::GetWindowContentRegionMax().x - 260);
        ui::iconText(h.closed ? ui::icon::EventBusy : ui::icon::Event, line, ui::fonts().body, t.text, d.lang(), buttonX - 80);
        ImGui::SameLine(buttonX);
        if (h.closed) {
            ui::textWrapped(d.tr("schedule.closed"), d.lang(), ui::fonts().bold, t.muted);
        } else if (ui::button("schedule.close_holiday." + h.day, ui::icon::EventBusy, d.tr("schedule.close_centre"),
                              ImVec2(260, 44), ui::Tone::Quiet, d.lang())) {
            const core::Actor a = d.actor();
            const std::string day = h.day, reason = d.tr("holiday." + h.key);
            d.write([a, day, reason](core::Store& s) { core::addClosure(s, a, day, std::nullopt, reason); },
                    [this, &d] { reload(d); });
        }
        ImGui::PopID();
    }
}

void ScheduleView::draw(Desk& d) {
    ui::textWrapped(d.tr("schedule.title"), d.lang(), ui::fonts().title, ui::theme().primary);
    ImGui::BeginChild("###schedule");
    servicesSection(d);
    ImGui::Dummy(ImVec2(0, 12));
    rulesSection(d);
    ImGui::Dummy(ImVec2(0, 12));
    exceptionsSection(d);
    ImGui::Dummy(ImVec2(0, 12));
    holidaysSection(d);
    ImGui::EndChild();
    serviceDialog(d);
}

} // namespace inloop::desk
