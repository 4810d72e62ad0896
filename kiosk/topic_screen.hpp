// A topic page: the info page in the visitor's language, scrolled with a finger (with momentum).
#pragma once

#include "kiosk.hpp"

#include "read_aloud.hpp"
#include "ui/scroll.hpp"

#include <optional>

namespace inloop::kiosk {

class TopicScreen {
public:
    void draw(Kiosk& k);
    void reset() {
        m_scroll.reset();
        m_revealed = -1;
        m_tourMark.reset();
    }
    // The tour's picture of Read aloud: this sentence banded as if it were being heard (no sound).
    void markForTour(const ReadAloud::Sentence& s) { m_tourMark = s; }
    float scrollOffset() const { return m_scroll.offset(); }

private:
    ui::TouchScroll m_scroll;
    int m_revealed = -1; // the Read aloud sentence last scrolled into view
    std::optional<ReadAloud::Sentence> m_tourMark;
};

} // namespace inloop::kiosk
