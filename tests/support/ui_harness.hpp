// UI tests without a display: an offscreen app, frames on demand, and taps and drags on widgets found by the
// rectangles the app's own widgets record per stable id (ui::widgetRects()).
#pragma once

#include "ui/app.hpp"
#include "ui/widgets.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace inloop::test {

class UiHarness {
public:
    // `frame` draws the UI under test; the harness sets the mouse between the backend's frame and ImGui's.
    UiHarness(ui::App& app, std::function<void()> frame);

    void frames(int n = 2);
    // Press and release at the centre of the widget: false (and a doctest message) if it is not on screen.
    // With motionFirst, the finger's arrival is reported (and marks activity) a frame before the press, as SDL's
    // touch-as-mouse events can.
    bool tap(std::string_view id, bool motionFirst = false);
    // Press and release at a point of the window.
    void tapAt(ImVec2 point, bool motionFirst = false);
    // Two quick taps at the widget's centre: the second press comes two frames after the first click, on
    // whatever screen that click opened.
    bool doubleTap(std::string_view id);
    // Press at the widget (or at a point), move by dy in `steps` frames, release.
    void drag(ImVec2 from, float dy, int steps = 8);
    // Called when a finger comes down, as the app marks activity on every touch (the kiosk's test idle clock).
    void onTouch(std::function<void()> hook) { m_onTouch = std::move(hook); }
    // One turn of the mouse wheel at `at` (positive: up, as SDL reports it) over one frame.
    void wheel(ImVec2 at, float turns);
    bool visible(std::string_view id) const { return ui::widgetRects().find(id) != nullptr; }
    ImRect rect(std::string_view id) const;

private:
    const ImRect* onScreen(std::string_view id); // after a frame; a doctest message when it is not there
    ui::App& m_app;
    std::function<void()> m_frame;
    ImVec2 m_mouse{-1000, -1000};
    bool m_down = false;
    float m_wheel = 0;
    std::function<void()> m_onTouch;
    void touch();    // the finger comes down
    void activity(); // any input: the app restarts its idle clock
};

} // namespace inloop::test
