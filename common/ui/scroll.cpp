// Drag-to-scroll with momentum (see scroll.hpp).
#include "ui/scroll.hpp"

#include <algorithm>
#include <cmath>

namespace inloop::ui {

void TouchScroll::begin(const char* id, ImVec2 size) {
    ImGui::BeginChild(id, size, false, ImGuiWindowFlags_NoScrollWithMouse);
    attach();
}

bool TouchScroll::end() {
    const bool moving = follow();
    ImGui::EndChild();
    return moving;
}

void TouchScroll::attach() {
    if (m_resetPending) {
        ImGui::SetScrollY(0);
        m_resetPending = false;
    }
}

bool TouchScroll::follow() {
    ImGuiIO& io = ImGui::GetIO();
    const float dt = io.DeltaTime > 0 ? io.DeltaTime : 1.0f / 60.0f;
    const bool hovered = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem |
                                                ImGuiHoveredFlags_ChildWindows);
    if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        m_dragging = true;
        m_velocity = 0;
    }
    if (m_dragging) {
        if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
            const float dy = io.MouseDelta.y;
            ImGui::SetScrollY(ImGui::GetScrollY() - dy);
            // Smoothed finger speed, so the glide after release matches the flick.
            m_velocity = 0.6f * (-dy / dt) + 0.4f * m_velocity;
        } else {
            m_dragging = false;
        }
    } else if (std::fabs(m_velocity) > 15.0f) {
        ImGui::SetScrollY(ImGui::GetScrollY() + m_velocity * dt);
        m_velocity *= std::pow(0.04f, dt); // friction: loses 96% of its speed per second
        const float y = ImGui::GetScrollY();
        if (y <= 0 || y >= ImGui::GetScrollMaxY()) m_velocity = 0;
    } else {
        m_velocity = 0;
    }
    if (hovered && io.MouseWheel != 0) ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseWheel * 80.0f);
    m_offset = ImGui::GetScrollY();
    return m_dragging || m_velocity != 0;
}

bool TouchScroll::reveal(float top, float bottom) {
    if (m_dragging) return false;
    const float winTop = ImGui::GetWindowPos().y, height = ImGui::GetWindowHeight();
    const float margin = std::min(height * 0.15f, 80.0f);
    if (top >= winTop + margin * 0.5f && bottom <= winTop + height - margin * 0.5f) return false;
    const float target = std::clamp(ImGui::GetScrollY() + (top - winTop) - margin, 0.0f, ImGui::GetScrollMaxY());
    if (target == ImGui::GetScrollY()) return false;
    ImGui::SetScrollY(target);
    m_velocity = 0;
    return true;
}

void TouchScroll::reset() {
    m_dragging = false;
    m_velocity = 0;
    m_offset = 0;
    m_resetPending = true;
}

} // namespace inloop::ui
