// The back-dating row (see when_picker.hpp).
#include "when_picker.hpp"

#include "desk.hpp"
#include "supplies_view.hpp" // recordItem

#include "core/base/clock.hpp"
#include "core/domain/domain.hpp"
#include "core/i18n/i18n.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <algorithm>

namespace inloop::desk {

namespace {
// A small number field with a stable id for the tests.
// Its − and + are as tall as the field (40 px), not ImGui's small default: something to hit with a finger.
void numberField(const std::string& id, int& value, int minValue, int maxValue, float width) {
    ImGui::SetNextItemWidth(width);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(8, 12));
    ImGui::InputInt(("##" + id).c_str(), &value, 1, 1, ImGuiInputTextFlags_AutoSelectAll);
    ImGui::PopStyleVar();
    recordItem(id);
    value = std::clamp(value, minValue, maxValue);
}
} // namespace

void WhenPicker::setEarlier(int daysBack, int hour, int minute) {
    m_earlier = true;
    m_daysBack = daysBack;
    m_hour = hour;
    m_minute = minute;
}

std::optional<int64_t> WhenPicker::moment() const {
    if (!m_earlier) return std::nullopt;
    const std::string day = core::addDays(core::localDay(core::nowUnix()), -m_daysBack);
    return core::unixFromLocal(day, m_hour * 60 + m_minute);
}

void WhenPicker::draw(Desk& d, const std::string& id, const char* titleKey) {
    const ui::Theme& t = ui::theme();
    // One line: the label, "Now" and "Earlier" (the details of "earlier" follow on the same line), narrow enough
    // for a dialog body with its scroll bar (the bed dialog's, 1280 px wide screen).
    const float top = ImGui::GetCursorPosY();
    ImGui::SetCursorPosY(top + (48 - ui::fonts().bold->FontSize) * 0.5f);
    ImGui::PushFont(ui::fonts().bold);
    ImGui::TextUnformatted(d.tr(titleKey).c_str());
    ImGui::PopFont();
    ImGui::SameLine(0, 16);
    ImGui::SetCursorPosY(top);
    if (ui::button(id + ".now", m_earlier ? nullptr : ui::icon::Check, d.tr("when.now"), ImVec2(150, 48),
                   m_earlier ? ui::Tone::Quiet : ui::Tone::Primary, d.lang()))
        m_earlier = false;
    ImGui::SameLine();
    if (ui::button(id + ".earlier", m_earlier ? ui::icon::Check : ui::icon::Schedule, d.tr("when.earlier"),
                   ImVec2(190, 48), m_earlier ? ui::Tone::Primary : ui::Tone::Quiet, d.lang()))
        m_earlier = true;
    if (!m_earlier) return;
    // Staff go back a week; a coordinator a year (the domain refuses anything further for staff).
    const int maxDays = d.isCoordinator() ? 365 : static_cast<int>(core::kBackdateSeconds / 86400);
    ImGui::SameLine(0, 24);
    ImGui::SetCursorPosY(top + (48 - 40) * 0.5f); // the fields are 40 px high
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(d.tr("when.days_back").c_str());
    ImGui::SameLine();
    numberField(id + ".days", m_daysBack, 0, maxDays, 150);
    ImGui::SameLine(0, 16);
    ImGui::TextUnformatted(d.tr("when.time").c_str());
    ImGui::SameLine();
    numberField(id + ".hour", m_hour, 0, 23, 130);
    ImGui::SameLine(0, 4);
    ImGui::TextUnformatted(":");
    ImGui::SameLine(0, 4);
    numberField(id + ".minute", m_minute, 0, 59, 130);
    const int64_t at = *moment();
    const bool future = at > core::nowUnix();
    ui::textWrapped(future ? d.tr("when.future")
                           : d.tr("when.result", {{"moment", core::formatDateTime(d.lang(), at, "EEEEdMMMMHHmm")}}),
                    d.lang(), ui::fonts().body, future ? t.danger : t.muted);
}

} // namespace inloop::desk
