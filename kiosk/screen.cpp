// Shared layout helpers of the kiosk screens (see screen.hpp).
#include "screen.hpp"

#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include "ui/scroll.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace inloop::kiosk {

int Area::columns(float minTileWidth, int most) const {
    return std::clamp(static_cast<int>(size.x / minTileWidth), 1, most);
}

namespace {
float g_bottomBanner = 0;
}

void setBottomBanner(float height) { g_bottomBanner = height; }

Area contentArea(ui::App& app, bool withTopBar) {
    const float top = withTopBar ? kTopBarHeight : 0.0f;
    return {ImVec2(0, top),
            ImVec2(static_cast<float>(app.width()), static_cast<float>(app.height()) - top - g_bottomBanner)};
}

namespace {
// The finger-scrolling state of each area, by window id; the area being drawn (none for Scrolling::Inside).
std::map<std::string, ui::TouchScroll>& areaScrolls() {
    static std::map<std::string, ui::TouchScroll> scrolls;
    return scrolls;
}
ui::TouchScroll* g_current = nullptr;
} // namespace

void beginArea(const char* id, const Area& area, Scrolling scrolling) {
    ImGui::SetNextWindowPos(area.pos);
    ImGui::SetNextWindowSize(area.size);
    // A scroll bar (no title, no resizing) shows that there is more below; the wheel is handled by TouchScroll.
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                     (scrolling == Scrolling::Inside ? ImGuiWindowFlags_NoScrollbar : 0));
    g_current = scrolling == Scrolling::Whole ? &areaScrolls()[id] : nullptr;
    if (g_current) g_current->attach();
}

void endArea(Kiosk& k) {
    const ImVec2 end(ImGui::GetWindowPos().x, ImGui::GetCurrentWindow()->DC.CursorMaxPos.y);
    ui::widgetRects().record("area.end", ImRect(ImVec2(end.x + 1, end.y - 1), ImVec2(end.x + 2, end.y)));
    if (g_current && g_current->follow()) k.app().requestRedraw(2);
    g_current = nullptr;
    ImGui::End();
}

void resetAreaScrolling() {
    for (auto& [id, scroll] : areaScrolls()) scroll.reset();
}

void actionsAtBottom(const Area& area, float height) {
    if (!area.portrait()) return;
    const float y = ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - height;
    if (ImGui::GetCursorPosY() < y) ImGui::SetCursorPosY(y);
}

void screenTitle(Kiosk& k, const std::string& text) {
    ui::textWrapped(text, k.lang(), ui::fonts().title, ui::theme().primary);
    ImGui::Dummy(ImVec2(0, 4));
}

void noteCard(Kiosk& k, const char* icon, const std::string& text, ImU32 edge, std::string_view id) {
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
    if (!id.empty()) ui::widgetRects().record(id, ImRect(start, ImVec2(start.x + width, bottom)));
    ImGui::SetCursorScreenPos(ImVec2(start.x, bottom + 12));
    ImGui::Dummy(ImVec2(width, 0));
}

float readAloudSpace(Kiosk& k) {
    if (!k.readAloud().available(k.lang())) return 0.0f;
    const float note = k.readAloud().noSound() ? ui::fonts().body->FontSize * 2.6f : 0.0f;
    return kReadAloudHeight + ImGui::GetStyle().ItemSpacing.y + note;
}

void readAloudButton(Kiosk& k, std::string_view id, float width, const std::function<std::vector<std::string>()>& texts) {
    if (!k.readAloud().available(k.lang())) return;
    const ImVec2 size(std::min(width, 460.0f), kReadAloudHeight);
    const std::string prefix(id);
    if (k.readAloud().speaking()) {
        if (ui::button(prefix + ".stop_reading", ui::icon::Stop, k.tr("topic.stop_reading"), size, ui::Tone::Accent,
                       k.lang()))
            k.readAloud().stop();
    } else if (ui::button(prefix + ".read_aloud", ui::icon::VolumeUp, k.tr("topic.read_aloud"), size,
                          ui::Tone::Surface, k.lang())) {
        k.speak(texts());
    }
}

std::vector<std::string> pageBlocks(const core::Page& page) {
    std::vector<std::string> texts;
    for (const core::Block& b : page.blocks) texts.push_back(b.plainText());
    return texts;
}

ImVec2 readAloudRow(Kiosk& k, const Area& area, std::string_view id, ImVec2 alone,
                    const std::function<std::vector<std::string>()>& texts) {
    const float width = ImGui::GetContentRegionAvail().x;
    const bool aloud = k.readAloud().available(k.lang());
    const float rowW = std::min(width, aloud ? 960.0f : alone.x);
    const ImVec2 action(aloud ? (rowW - ImGui::GetStyle().ItemSpacing.x) * 0.5f : rowW, aloud ? kReadAloudHeight : alone.y);
    actionsAtBottom(area, action.y);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (width - rowW) * 0.5f);
    if (aloud) {
        readAloudButton(k, id, action.x, texts);
        ImGui::SameLine();
    }
    return action;
}

void readAloudNote(Kiosk& k) {
    if (k.readAloud().noSound()) // the helper crashed or hung: say so, the screen stays as it is
        ui::textWrapped(k.tr("topic.no_sound"), k.lang(), ui::fonts().body, ui::theme().muted, false);
}

} // namespace inloop::kiosk
