// Touch widgets, the theme, and the per-frame record of widget rectangles the UI tests tap.
#pragma once

#include "ui/fonts.hpp"

#include "core/i18n/content.hpp"
#include "ui/text.hpp"

#include <imgui.h>
#include <imgui_internal.h> // ImRect

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace inloop::ui {

// A calm, warm palette; every text colour on its background has a contrast of at least 4.5:1.
struct Theme {
    ImU32 background, surface, text, muted, primary, onPrimary, accent, onAccent, danger, onDanger, success,
        onSuccess, border, shadow, scrim, highlight;
};
const Theme& theme();
void applyTheme(); // ImGui style: large rounding, no window chrome, touch-sized spacing

// The fonts of the running app (built by buildFonts).
Fonts& fonts();

// Every touch widget records its screen rectangle under its stable id, each frame.
class WidgetRects {
public:
    void beginFrame() { m_rects.clear(); }
    void record(std::string_view id, const ImRect& r) { m_rects[std::string(id)] = r; }
    const ImRect* find(std::string_view id) const {
        auto it = m_rects.find(std::string(id));
        return it == m_rects.end() ? nullptr : &it->second;
    }
    const std::map<std::string, ImRect>& all() const { return m_rects; }

private:
    std::map<std::string, ImRect> m_rects;
};
WidgetRects& widgetRects();

enum class Tone { Primary, Surface, Accent, Danger, Quiet };

// A big tile: icon on top, the label wrapped below it (ICU line breaks). True when tapped.
bool tile(std::string_view id, const char* icon, std::string_view label, ImVec2 size, Tone tone,
          std::string_view lang);
// The least height a tile `width` wide needs to show its icon and its whole label.
float tileHeight(std::string_view label, float width, std::string_view lang);
// A button: icon and label in a row (the label wraps to two lines if it must). True when tapped.
bool button(std::string_view id, const char* icon, std::string_view label, ImVec2 size, Tone tone,
            std::string_view lang);
// An icon followed by wrapped text, not interactive; maxWidth 0 = the rest of the line; iconColor 0 = primary.
void iconText(const char* icon, std::string_view text, ImFont* font, ImU32 color, std::string_view lang,
              float maxWidth = 0, ImU32 iconColor = 0);

// Draws an icon glyph with its box centred on `center`, `size` pixels tall.
void drawIcon(ImDrawList* dl, const char* icon, float size, ImVec2 center, ImU32 color);

// An info page: title, headings, paragraphs with **bold**, bulleted lists, wrapped for `lang`.
// `mark`, if given, bands its byte range of block `markBlock` (Read aloud's sentence) and says where it was drawn.
void drawPage(const core::Page& page, std::string_view lang, ImU32 color, size_t markBlock = SIZE_MAX,
              TextMark* mark = nullptr);

ImVec4 toVec4(ImU32 c);

} // namespace inloop::ui
