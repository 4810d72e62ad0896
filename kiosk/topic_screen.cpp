// The topic page screen (see topic_screen.hpp).
#include "topic_screen.hpp"

#include "screen.hpp"

#include "ui/widgets.hpp"

namespace inloop::kiosk {

void TopicScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###topic", area, Scrolling::Inside);
    const core::Page page = k.page(k.visit().topic);
    // A readable measure: long lines are hard to follow, so wide screens get a centred column.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float column = std::min(avail.x, 1100.0f);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail.x - column) * 0.5f);
    m_scroll.begin("###page", ImVec2(column, avail.y));
    ui::drawPage(page, k.lang(), ui::theme().text);
    ImGui::Dummy(ImVec2(0, 48));
    if (m_scroll.end()) k.app().requestRedraw(2);
    endArea(k);
}

} // namespace inloop::kiosk
