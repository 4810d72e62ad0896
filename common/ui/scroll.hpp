// A region that scrolls by dragging with a finger and keeps gliding after release (momentum).
#pragma once

#include <imgui.h>

namespace inloop::ui {

class TouchScroll {
public:
    // Opens the scrolling child region; always pair with end().
    void begin(const char* id, ImVec2 size);
    // Applies dragging and momentum; returns true while the content is still moving (ask for another frame).
    bool end();
    // The same for a window the caller opened itself: attach() right after its Begin, follow() before its End.
    void attach();
    bool follow();
    void reset(); // back to the top, no motion
    // Between begin() and end(): scrolls so that the rows from `top` to `bottom` (screen coordinates) show, a
    // little below the region's top, unless a finger holds the region. Returns true when it scrolled.
    bool reveal(float top, float bottom);
    float offset() const { return m_offset; }

private:
    bool m_dragging = false;
    float m_velocity = 0; // pixels per second, positive = content moves up
    float m_offset = 0;
    bool m_resetPending = false;
};

} // namespace inloop::ui
