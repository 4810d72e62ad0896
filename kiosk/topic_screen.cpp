// The topic page screen (see topic_screen.hpp).
#include "topic_screen.hpp"

#include "screen.hpp"

#include "ui/widgets.hpp"

#include <algorithm>

namespace inloop::kiosk {

void TopicScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###topic", area, Scrolling::Inside);
    const core::Page page = k.page(k.visit().topic);
    // A readable measure: long lines are hard to follow, so wide screens get a centred column.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float column = std::min(avail.x, 1100.0f);
    const float left = ImGui::GetCursorPosX() + (avail.x - column) * 0.5f;
    ImGui::SetCursorPosX(left);
    m_scroll.begin("###page", ImVec2(column, avail.y - readAloudSpace(k)));
    ui::drawPage(page, k.lang(), ui::theme().text);
    ImGui::Dummy(ImVec2(0, 48));
    if (m_scroll.end()) k.app().requestRedraw(2);
    ImGui::SetCursorPosX(left);
    readAloudButton(k, "topic", column, [&page] { // the whole page, block by block
        std::vector<std::string> texts;
        for (const core::Block& b : page.blocks) texts.push_back(b.plainText());
        return texts;
    });
    readAloudNote(k);
    endArea(k);
}

} // namespace inloop::kiosk
