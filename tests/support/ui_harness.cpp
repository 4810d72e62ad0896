// The UI test harness (see ui_harness.hpp).
#include "support/ui_harness.hpp"

#include <doctest/doctest.h>

namespace inloop::test {

UiHarness::UiHarness(ui::App& app, std::function<void()> frame) : m_app(app), m_frame(std::move(frame)) {
    // ImGui 1.86's SDL backend ignores pushed SDL mouse events without window focus: set the IO directly.
    m_app.setInputOverride([this] {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = m_mouse;
        io.MouseDown[0] = m_down;
        io.MouseWheel = m_wheel;
    });
}

void UiHarness::frames(int n) {
    for (int i = 0; i < n; ++i) m_app.renderFrame(m_frame);
}

ImRect UiHarness::rect(std::string_view id) const {
    const ImRect* r = ui::widgetRects().find(id);
    return r ? *r : ImRect();
}

const ImRect* UiHarness::onScreen(std::string_view id) {
    frames(1);
    const ImRect* r = ui::widgetRects().find(id);
    if (!r) MESSAGE("no widget \"" << std::string(id) << "\" on screen");
    return r;
}

bool UiHarness::tap(std::string_view id, bool motionFirst) {
    const ImRect* r = onScreen(id);
    if (r) tapAt(r->GetCenter(), motionFirst);
    return r != nullptr;
}

void UiHarness::tapAt(ImVec2 point, bool motionFirst) {
    m_mouse = point;
    if (motionFirst) activity();
    frames(1); // hover
    touch();
    frames(1); // press
    m_down = false;
    frames(1); // release: the click
    m_mouse = ImVec2(-1000, -1000);
    m_app.markActivity();
    frames(1);
}

bool UiHarness::doubleTap(std::string_view id) {
    const ImRect* r = onScreen(id);
    if (!r) return false;
    m_mouse = r->GetCenter();
    frames(1); // hover
    for (int i = 0; i < 2; ++i) {
        touch();
        frames(1); // press
        m_down = false;
        frames(1); // release (the first one: the click that opens the next screen)
        if (i == 0) frames(2); // the next screen is drawn, but a finger is faster than a person who reads it
    }
    m_mouse = ImVec2(-1000, -1000);
    m_app.markActivity();
    frames(1);
    return true;
}

void UiHarness::drag(ImVec2 from, float dy, int steps) {
    m_mouse = from;
    frames(1);
    touch();
    frames(1);
    for (int i = 1; i <= steps; ++i) {
        m_mouse = ImVec2(from.x, from.y + dy * static_cast<float>(i) / static_cast<float>(steps));
        frames(1);
    }
    m_down = false;
    frames(1);
    m_mouse = ImVec2(-1000, -1000);
    m_app.markActivity();
}

void UiHarness::touch() {
    m_down = true;
    activity();
}

void UiHarness::activity() {
    m_app.markActivity();
    if (m_onTouch) m_onTouch();
}

void UiHarness::wheel(ImVec2 at, float turns) {
    m_mouse = at;
    frames(1);
    m_wheel = turns;
    frames(1);
    m_wheel = 0;
    frames(1);
    m_mouse = ImVec2(-1000, -1000);
}

} // namespace inloop::test
