// A topic page: the info page in the visitor's language, scrolled with a finger (with momentum).
#pragma once

#include "kiosk.hpp"

#include "ui/scroll.hpp"

namespace inloop::kiosk {

class TopicScreen {
public:
    void draw(Kiosk& k);
    void reset() { m_scroll.reset(); }
    float scrollOffset() const { return m_scroll.offset(); }

private:
    ui::TouchScroll m_scroll;
};

} // namespace inloop::kiosk
