// The today screen (see today_screen.hpp).
#include "today_screen.hpp"

#include "screen.hpp"

#include "core/base/clock.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

namespace inloop::kiosk {

void TodayScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###today", area);
    const ui::Theme& t = ui::theme();
    ui::Fonts& f = ui::fonts();
    screenTitle(k, k.tr("today.title", {{"site", k.siteName()}}));
    ui::textWrapped(core::formatDateTime(k.lang(), core::nowUnix(), "EEEEdMMMM"), k.lang(), f.heading, t.muted);
    ImGui::Dummy(ImVec2(0, 4));
    if (const std::string* hours = k.site().fact("site.opening_hours", k.lang())) { // never a placeholder
        ui::textWrapped(k.tr("today.opening_hours"), k.lang(), f.heading, t.text);
        noteCard(k, ui::icon::Schedule, *hours, t.primary);
    }

    ui::textWrapped(k.tr("today.sessions"), k.lang(), f.heading, t.text);
    bool any = false;
    for (const auto& s : k.view().sessions) {
        if (s.day != k.view().today) continue;
        any = true;
        std::string line = k.serviceName(s.service) + " · " + k.sessionTime(s) + " · ";
        if (s.status != "planned") line += k.tr("hours.cancelled");
        else line += k.tr("hours.free_places", {{"count", int64_t{s.freePlaces}}});
        noteCard(k, s.status == "planned" && s.freePlaces > 0 ? ui::icon::EventAvailable : ui::icon::EventBusy, line,
                 s.status == "planned" && s.freePlaces > 0 ? t.success : t.danger);
    }
    if (!any) {
        const bool unavailable = k.storageProblem();
        noteCard(k, ui::icon::Info, k.tr(unavailable ? "register.unavailable" : "today.no_sessions"), t.border,
                 unavailable ? "note.register.unavailable" : "note.today.no_sessions");
    }
    ImGui::Dummy(ImVec2(0, 4));
    const float width = ImGui::GetContentRegionAvail().x;
    actionsAtBottom(area, 96);
    if (ui::button("today.all_hours", ui::icon::Event, k.tr("home.register"), ImVec2(std::min(width, 640.0f), 96),
                   ui::Tone::Primary, k.lang()))
        k.go(Screen::Hours);
    endArea(k);
}

} // namespace inloop::kiosk
