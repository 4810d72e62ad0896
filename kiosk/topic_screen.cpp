// The topic page screen (see topic_screen.hpp).
#include "topic_screen.hpp"

#include "screen.hpp"

#include "ui/widgets.hpp"

#include <algorithm>
#include <cstdint>

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
    // Read aloud: a band behind the sentence being heard; each new sentence is scrolled into view.
    const auto sentence = m_tourMark ? m_tourMark : k.readAloud().sentence();
    ui::TextMark mark;
    if (sentence) mark = {sentence->begin, sentence->end, ui::theme().highlight};
    ui::drawPage(page, k.lang(), ui::theme().text, sentence ? sentence->block : SIZE_MAX, &mark);
    ImGui::Dummy(ImVec2(0, 48));
    bool scrolled = false;
    if (mark.drawn) {
        ui::widgetRects().record("topic.reading", ImRect(mark.left, mark.top, mark.right, mark.bottom));
        if (k.readAloud().sentenceIndex() != m_revealed) scrolled = m_scroll.reveal(mark.top, mark.bottom);
        m_revealed = k.readAloud().sentenceIndex();
    } else {
        m_revealed = -1;
    }
    if (m_scroll.end() || scrolled) k.app().requestRedraw(2);
    ImGui::SetCursorPosX(left);
    readAloudButton(k, "topic", column, [&page] { return pageBlocks(page); });
    readAloudNote(k);
    endArea(k);
}

} // namespace inloop::kiosk
