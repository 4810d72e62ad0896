// The help-now screen (see help_screen.hpp).
#include "help_screen.hpp"

#include "screen.hpp"
#include "topics_screen.hpp"

#include "ui/icons.hpp"
#include "ui/widgets.hpp"

namespace inloop::kiosk {

void HelpScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###help", area);
    const ui::Theme& t = ui::theme();
    screenTitle(k, k.tr("help.title"));
    const std::string* number = k.site().fact("emergency.number");
    noteCard(k, ui::icon::Emergency, k.tr("help.emergency", {{"number", number ? *number : std::string("112")}}),
             t.danger);
    // After rape: the national line, day and night (a site fact: left out until the site has set it).
    if (const std::string* csg = k.site().fact("csg.phone"))
        noteCard(k, ui::icon::Phone, k.tr("help.sexual_violence", {{"number", *csg}}), t.danger);
    noteCard(k, ui::icon::Hand, k.tr("help.ask_desk"), t.primary);
    ImGui::Dummy(ImVec2(0, 8));
    const char* topics[] = {"exploitation", "shelter", "contact"};
    const int cols = area.portrait() ? 1 : 3;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    // Tall enough for the longest label at the visitor's text size; in portrait at the bottom, near the thumb.
    float tileH = 200;
    for (const char* topic : topics)
        tileH = std::max(tileH, ui::tileHeight(k.tr(std::string("topic.") + topic), w, k.lang()));
    // Landscape at a large text size: the three lines above leave too little room for tiles, so the topics are
    // buttons (icon beside the label) that stay on screen instead of below the fold.
    const float room = ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - ImGui::GetCursorPosY();
    const bool compact = !area.portrait() && room < tileH;
    const int rows = (static_cast<int>(std::size(topics)) + cols - 1) / cols;
    actionsAtBottom(area, tileH * static_cast<float>(rows) + gap * static_cast<float>(rows - 1));
    int i = 0;
    for (const char* topic : topics) {
        if (i++ % cols != 0) ImGui::SameLine();
        const std::string id = "help." + std::string(topic), label = k.tr("topic." + std::string(topic));
        const bool tapped = compact ? ui::button(id, TopicsScreen::iconFor(topic), label,
                                                 ImVec2(w, std::max(room, 96.0f)), ui::Tone::Surface, k.lang())
                                    : ui::tile(id, TopicsScreen::iconFor(topic), label, ImVec2(w, tileH),
                                               ui::Tone::Surface, k.lang());
        if (tapped) k.openTopic(topic);
    }
    endArea(k);
}

} // namespace inloop::kiosk
