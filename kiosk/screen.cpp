// Shared layout helpers of the kiosk screens (see screen.hpp).
#include "screen.hpp"

#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <algorithm>

namespace inloop::kiosk {

int Area::columns(float minTileWidth, int most) const {
    return std::clamp(static_cast<int>(size.x / minTileWidth), 1, most);
}

Area contentArea(ui::App& app, bool withTopBar) {
    const float top = withTopBar ? kTopBarHeight : 0.0f;
    return {ImVec2(0, top), ImVec2(static_cast<float>(app.width()), static_cast<float>(app.height()) - top)};
}

void beginArea(const char* id, const Area& area) {
    ImGui::SetNextWindowPos(area.pos);
    ImGui::SetNextWindowSize(area.size);
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
}

void endArea() { ImGui::End(); }

void screenTitle(Kiosk& k, const std::string& text) {
    ui::textWrapped(text, k.lang(), ui::fonts().title, ui::theme().primary);
    ImGui::Dummy(ImVec2(0, 4));
}

void noteCard(Kiosk& k, const char* icon, const std::string& text, ImU32 edge) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(start.x + 24, start.y + 16));
    ImGui::BeginGroup();
    ui::iconText(icon, text, ui::fonts().body, ui::theme().text, k.lang(), width - 48);
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + 16;
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(start, ImVec2(start.x + width, bottom), ui::theme().surface, 14);
    dl->AddRectFilled(start, ImVec2(start.x + 8, bottom), edge, 14, ImDrawFlags_RoundCornersLeft);
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(start.x, bottom + 12));
    ImGui::Dummy(ImVec2(width, 0));
}

} // namespace inloop::kiosk
