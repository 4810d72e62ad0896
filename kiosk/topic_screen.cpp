// The topic page screen (see topic_screen.hpp).
#include "topic_screen.hpp"

#include "screen.hpp"

#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <algorithm>

namespace inloop::kiosk {

namespace {

constexpr float kReadAloudHeight = 88.0f;

// Read aloud under the page (issue 21), where a thumb reaches and no drag of the page begins: the whole page
// spoken, block by block; while it speaks, Stop. Absent without an audio device or a voice for the language.
void readAloudButton(Kiosk& k, const core::Page& page, float column) {
    const bool speaking = k.readAloud().speaking();
    const ImVec2 size(std::min(column, 460.0f), kReadAloudHeight);
    if (speaking) {
        if (ui::button("topic.stop_reading", ui::icon::Stop, k.tr("topic.stop_reading"), size, ui::Tone::Accent, k.lang()))
            k.readAloud().stop();
    } else if (ui::button("topic.read_aloud", ui::icon::VolumeUp, k.tr("topic.read_aloud"), size, ui::Tone::Surface,
                          k.lang())) {
        std::vector<std::string> texts;
        for (const core::Block& b : page.blocks) texts.push_back(b.plainText());
        k.speak(std::move(texts));
    }
    if (k.readAloud().noSound()) // the helper crashed or hung: say so, the page stays as it is
        ui::textWrapped(k.tr("topic.no_sound"), k.lang(), ui::fonts().body, ui::theme().muted, false);
}

} // namespace

void TopicScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###topic", area, Scrolling::Inside);
    const core::Page page = k.page(k.visit().topic);
    // A readable measure: long lines are hard to follow, so wide screens get a centred column.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float column = std::min(avail.x, 1100.0f);
    const float left = ImGui::GetCursorPosX() + (avail.x - column) * 0.5f;
    const bool readAloud = k.readAloud().available(k.lang());
    ImGui::SetCursorPosX(left);
    const float below = !readAloud ? 0.0f
                        : kReadAloudHeight + ImGui::GetStyle().ItemSpacing.y +
                              (k.readAloud().noSound() ? ui::fonts().body->FontSize * 2.6f : 0.0f);
    m_scroll.begin("###page", ImVec2(column, avail.y - below));
    ui::drawPage(page, k.lang(), ui::theme().text);
    ImGui::Dummy(ImVec2(0, 48));
    if (m_scroll.end()) k.app().requestRedraw(2);
    if (readAloud) {
        ImGui::SetCursorPosX(left);
        readAloudButton(k, page, column);
    }
    endArea(k);
}

} // namespace inloop::kiosk
