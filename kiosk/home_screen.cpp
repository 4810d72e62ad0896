// The home screen (see home_screen.hpp).
#include "home_screen.hpp"

#include "screen.hpp"

#include "ui/icons.hpp"
#include "ui/widgets.hpp"

namespace inloop::kiosk {

void HomeScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###home", area);
    screenTitle(k, k.tr("home.title"));
    struct Tile {
        const char* id;
        const char* icon;
        std::string label;
        ui::Tone tone;
        std::function<void()> action;
    };
    const Tile tiles[] = {
        {"home.information", ui::icon::Book, k.tr("home.information"), ui::Tone::Primary, [&] { k.go(Screen::Topics); }},
        {"home.register", ui::icon::Event, k.tr("home.register"), ui::Tone::Primary, [&] { k.go(Screen::Hours); }},
        {"home.today", ui::icon::Today, k.tr("home.today", {{"site", k.siteName()}}), ui::Tone::Surface,
         [&] { k.go(Screen::Today); }},
        {"home.shelter", ui::icon::Hotel, k.tr("home.shelter"), ui::Tone::Surface, [&] { k.openTopic("shelter"); }},
        {"home.help_now", ui::icon::Support, k.tr("home.help_now"), ui::Tone::Accent, [&] { k.go(Screen::Help); }},
        {"home.privacy", ui::icon::Privacy, k.tr("home.privacy"), ui::Tone::Quiet, [&] { k.go(Screen::Privacy); }},
    };
    const int cols = area.portrait() ? 2 : 3;
    const int rows = (static_cast<int>(std::size(tiles)) + cols - 1) / cols;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = (avail.x - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    // Portrait: the tiles fill the height, so the lower ones are where a thumb reaches.
    const float h = std::min(area.portrait() ? 560.0f : 360.0f,
                             (avail.y - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows));
    int i = 0;
    for (const Tile& t : tiles) {
        if (i++ % cols != 0) ImGui::SameLine();
        if (ui::tile(t.id, t.icon, t.label, ImVec2(w, h), t.tone, k.lang())) t.action();
    }
    endArea(k);
}

} // namespace inloop::kiosk
