// The topics screen (see topics_screen.hpp).
#include "topics_screen.hpp"

#include "screen.hpp"

#include "ui/icons.hpp"
#include "ui/widgets.hpp"

namespace inloop::kiosk {

const char* TopicsScreen::iconFor(std::string_view topic) {
    if (topic == "safe_work") return ui::icon::Health;
    if (topic == "sti_test") return ui::icon::Medical;
    if (topic == "money") return ui::icon::Money;
    if (topic == "law") return ui::icon::Law;
    if (topic == "work_rights") return ui::icon::Work;
    if (topic == "housing") return ui::icon::House;
    if (topic == "exploitation") return ui::icon::Shield;
    if (topic == "shelter") return ui::icon::Hotel;
    if (topic == "youth") return ui::icon::Youth;
    if (topic == "other_work") return ui::icon::Explore;
    if (topic == "contact") return ui::icon::Call;
    return ui::icon::Info;
}

void TopicsScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###topics", area);
    screenTitle(k, k.tr("topics.title"));
    const int cols = area.portrait() ? 2 : area.size.x > 1600 ? 4 : 3;
    const int rows = (static_cast<int>(core::kTopics.size()) + cols - 1) / cols;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = (avail.x - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    // Portrait: taller tiles fill the height, the last rows near the thumb.
    const float h = std::clamp((avail.y - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows), 110.0f,
                               area.portrait() ? 320.0f : 220.0f);
    int i = 0;
    for (std::string_view topic : core::kTopics) {
        if (i++ % cols != 0) ImGui::SameLine();
        const std::string id = "topic." + std::string(topic);
        if (ui::button(id, iconFor(topic), k.tr(id), ImVec2(w, h), ui::Tone::Surface, k.lang()))
            k.openTopic(std::string(topic));
    }
    endArea(k);
}

} // namespace inloop::kiosk
