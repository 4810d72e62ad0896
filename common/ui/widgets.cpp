// Touch widgets and the theme (see widgets.hpp).
#include "ui/widgets.hpp"

#include "ui/text.hpp"

#include <imgui_internal.h>

#include <cmath>

namespace inloop::ui {

const Theme& theme() {
    static const Theme t = {
        IM_COL32(0xFA, 0xF6, 0xF0, 0xFF), // background: warm paper
        IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), // surface
        IM_COL32(0x26, 0x25, 0x2E, 0xFF), // text: 14.9:1 on background
        IM_COL32(0x5A, 0x57, 0x63, 0xFF), // muted: 6.6:1 on background
        IM_COL32(0x1D, 0x5C, 0x63, 0xFF), // primary: deep teal
        IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), // on primary: 7.4:1
        IM_COL32(0x9E, 0x3B, 0x2A, 0xFF), // accent: terracotta
        IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), // on accent: 6.7:1
        IM_COL32(0xA1, 0x1D, 0x33, 0xFF), // danger
        IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), // on danger: 7.6:1
        IM_COL32(0x2E, 0x6B, 0x3A, 0xFF), // success
        IM_COL32(0xFF, 0xFF, 0xFF, 0xFF), // on success: 6.4:1
        IM_COL32(0xD9, 0xD1, 0xC5, 0xFF), // border
        IM_COL32(0x00, 0x00, 0x00, 0x22), // shadow
        IM_COL32(0x26, 0x25, 0x2E, 0xB0), // scrim behind dialogs
        IM_COL32(0xFF, 0xE3, 0x8A, 0xFF), // highlight: the sentence read aloud, text 12.6:1 on it
    };
    return t;
}

ImVec4 toVec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

void applyTheme() {
    ImGuiStyle& s = ImGui::GetStyle();
    s = ImGuiStyle();
    s.WindowRounding = 0;
    s.WindowBorderSize = 0;
    s.WindowPadding = ImVec2(32, 24);
    s.FrameRounding = 14;
    s.FramePadding = ImVec2(18, 14);
    s.ItemSpacing = ImVec2(16, 16);
    s.ScrollbarSize = 24;
    s.ScrollbarRounding = 12;
    s.GrabRounding = 12;
    s.PopupRounding = 18;
    s.TouchExtraPadding = ImVec2(4, 4);
    const Theme& t = theme();
    ImVec4* c = s.Colors;
    c[ImGuiCol_WindowBg] = toVec4(t.background);
    c[ImGuiCol_ChildBg] = toVec4(t.background);
    c[ImGuiCol_PopupBg] = toVec4(t.surface);
    c[ImGuiCol_Text] = toVec4(t.text);
    c[ImGuiCol_TextDisabled] = toVec4(t.muted);
    c[ImGuiCol_Border] = toVec4(t.border);
    c[ImGuiCol_FrameBg] = toVec4(t.surface);
    c[ImGuiCol_FrameBgHovered] = toVec4(t.surface);
    c[ImGuiCol_FrameBgActive] = toVec4(t.surface);
    c[ImGuiCol_Button] = toVec4(t.primary);
    c[ImGuiCol_ButtonHovered] = toVec4(t.primary);
    c[ImGuiCol_ButtonActive] = toVec4(t.accent);
    c[ImGuiCol_Header] = toVec4(t.border);
    c[ImGuiCol_HeaderHovered] = toVec4(t.border);
    c[ImGuiCol_HeaderActive] = toVec4(t.border);
    c[ImGuiCol_ScrollbarBg] = toVec4(t.background);
    c[ImGuiCol_ScrollbarGrab] = toVec4(t.border);
    c[ImGuiCol_ScrollbarGrabHovered] = toVec4(t.muted);
    c[ImGuiCol_ScrollbarGrabActive] = toVec4(t.muted);
    c[ImGuiCol_CheckMark] = toVec4(t.primary);
    c[ImGuiCol_SliderGrab] = toVec4(t.primary); // the desk's Read aloud volume and speed
    c[ImGuiCol_SliderGrabActive] = toVec4(t.accent);
    c[ImGuiCol_ModalWindowDimBg] = toVec4(t.scrim);
    c[ImGuiCol_TableHeaderBg] = toVec4(t.border);
    c[ImGuiCol_TableRowBg] = toVec4(t.surface);
    c[ImGuiCol_TableRowBgAlt] = toVec4(t.background);
    c[ImGuiCol_NavHighlight] = toVec4(t.accent);
    c[ImGuiCol_TitleBg] = toVec4(t.border); // dark title text on it: 11:1
    c[ImGuiCol_TitleBgActive] = toVec4(t.border);
    c[ImGuiCol_TitleBgCollapsed] = toVec4(t.border);
}

Fonts& fonts() {
    static Fonts f;
    return f;
}

WidgetRects& widgetRects() {
    static WidgetRects r;
    return r;
}

void drawIcon(ImDrawList* dl, const char* icon, float size, ImVec2 center, ImU32 color) {
    if (!icon || !*icon) return;
    // Drawn from the raster nearest `size`, at its own size and on whole pixels: sharp, never scaled.
    ImFont* font = fonts().iconFont(size);
    unsigned int cp = 0;
    ImTextCharFromUtf8(&cp, icon, nullptr);
    const ImFontGlyph* g = font->FindGlyphNoFallback(static_cast<ImWchar>(cp));
    if (!g) return;
    const ImVec2 pos(std::round(center.x - (g->X0 + g->X1) * 0.5f), std::round(center.y - (g->Y0 + g->Y1) * 0.5f));
    dl->AddText(font, font->FontSize, pos, color, icon);
}

namespace {
struct ToneColors {
    ImU32 fill, text, icon, border;
};
ToneColors colorsFor(Tone tone) {
    const Theme& t = theme();
    switch (tone) {
    case Tone::Primary: return {t.primary, t.onPrimary, t.onPrimary, t.primary};
    case Tone::Accent: return {t.accent, t.onAccent, t.onAccent, t.accent};
    case Tone::Danger: return {t.danger, t.onDanger, t.onDanger, t.danger};
    case Tone::Quiet: return {t.background, t.text, t.primary, t.border};
    case Tone::Surface: break;
    }
    return {t.surface, t.text, t.primary, t.border};
}

// The shared part of tile and button: hit-testing, press feedback, the rounded card. True when tapped.
bool touchArea(std::string_view id, ImVec2 size, Tone tone, ImRect& outRect, ToneColors& outColors) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImGuiID gid = window->GetID(id.data(), id.data() + id.size());
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, ImVec2(pos.x + size.x, pos.y + size.y));
    ImGui::ItemSize(size);
    if (!ImGui::ItemAdd(bb, gid)) return false;
    widgetRects().record(id, bb);
    bool hovered = false, held = false;
    bool pressed = ImGui::ButtonBehavior(bb, gid, &hovered, &held);
    // A finger that dragged (scrolling) did not mean to tap.
    const float slop = 18.0f;
    if (pressed && ImGui::GetIO().MouseDragMaxDistanceSqr[0] > slop * slop) pressed = false;
    ToneColors c = colorsFor(tone);
    ImDrawList* dl = window->DrawList;
    const float rounding = 18;
    dl->AddRectFilled(ImVec2(bb.Min.x + 2, bb.Min.y + 4), ImVec2(bb.Max.x + 2, bb.Max.y + 4), theme().shadow, rounding);
    ImU32 fill = c.fill;
    if (held) fill = ImGui::GetColorU32(ImLerp(toVec4(c.fill), toVec4(theme().text), 0.18f));
    dl->AddRectFilled(bb.Min, bb.Max, fill, rounding);
    if (tone == Tone::Surface || tone == Tone::Quiet) dl->AddRect(bb.Min, bb.Max, c.border, rounding, 0, 2);
    outRect = bb;
    outColors = c;
    return pressed;
}
} // namespace

namespace {
constexpr float kTilePad = 16, kTileIcon = 72, kTileIconGap = 10;

// A tile's label: in the heading font, smaller when a word is wider than the tile (never split inside a word).
std::vector<LaidLine> tileLabel(std::vector<Run>& runs, float width, std::string_view lang) {
    for (float scale : {0.88f, 0.76f, 0.66f}) {
        if (widestWord(runs, lang) <= width - 2 * kTilePad) break;
        runs[0].size = fonts().heading->FontSize * scale;
    }
    return layoutRuns(runs, lang, width - 2 * kTilePad);
}
} // namespace

float tileHeight(std::string_view label, float width, std::string_view lang) {
    std::vector<Run> runs{{std::string(label), fonts().heading}};
    const auto lines = tileLabel(runs, width, lang);
    return 2 * kTilePad + kTileIcon + kTileIconGap + runs[0].px() * 1.15f * static_cast<float>(lines.size());
}

bool tile(std::string_view id, const char* icon, std::string_view label, ImVec2 size, Tone tone, std::string_view lang) {
    ImRect bb;
    ToneColors c{};
    const bool pressed = touchArea(id, size, tone, bb, c);
    if (bb.GetWidth() <= 0) return pressed;
    Fonts& f = fonts();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float iconSize = std::min(size.y * 0.38f, kTileIcon);
    const float pad = kTilePad;
    std::vector<Run> runs{{std::string(label), f.heading}};
    const auto lines = tileLabel(runs, size.x, lang);
    const float lineH = runs[0].px() * 1.15f;
    const float textH = lineH * static_cast<float>(lines.size());
    const float total = iconSize + kTileIconGap + textH;
    float y = bb.Min.y + std::max(pad, (size.y - total) * 0.5f);
    drawIcon(dl, icon, iconSize, ImVec2(bb.Min.x + size.x * 0.5f, y + iconSize * 0.5f), c.icon);
    y += iconSize + kTileIconGap;
    dl->PushClipRect(bb.Min, bb.Max, true);
    for (const auto& line : lines) {
        float x = bb.Min.x + (size.x - line.width) * 0.5f;
        for (const auto& r : line.runs) {
            dl->AddText(r.font, r.px(), ImVec2(x, y), c.text, r.text.c_str(), r.text.c_str() + r.text.size());
            x += r.font->CalcTextSizeA(r.px(), FLT_MAX, 0, r.text.c_str(), r.text.c_str() + r.text.size()).x;
        }
        y += lineH;
    }
    dl->PopClipRect();
    return pressed;
}

bool button(std::string_view id, const char* icon, std::string_view label, ImVec2 size, Tone tone,
            std::string_view lang) {
    ImRect bb;
    ToneColors c{};
    const bool pressed = touchArea(id, size, tone, bb, c);
    if (bb.GetWidth() <= 0) return pressed;
    Fonts& f = fonts();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float iconSize = std::min(size.y * 0.5f, 40.0f);
    const float iconW = icon ? f.body->CalcTextSizeA(iconSize, FLT_MAX, 0, icon).x : 0;
    const float gap = icon ? 12.0f : 0.0f;
    const float pad = 18;
    const float maxText = size.x - 2 * pad - iconW - gap;
    // A label never splits inside a word: when a word is wider than the button, the label gets smaller.
    std::vector<Run> runs{{std::string(label), f.bold}};
    for (float scale : {0.88f, 0.76f, 0.66f}) {
        if (widestWord(runs, lang) <= maxText) break;
        runs[0].size = f.bold->FontSize * scale;
    }
    auto lines = layoutRuns(runs, lang, maxText);
    if (lines.size() > 2 && runs[0].size == 0) {
        runs[0].size = f.bold->FontSize * 0.85f; // three lines are too many for a button
        lines = layoutRuns(runs, lang, maxText);
    }
    float textW = 0;
    for (const auto& l : lines) textW = std::max(textW, l.width);
    const float lineH = runs[0].px() * 1.15f;
    const float textH = lineH * static_cast<float>(lines.size());
    float x = bb.Min.x + std::max(pad, (size.x - iconW - gap - textW) * 0.5f);
    if (icon) drawIcon(dl, icon, iconSize, ImVec2(x + iconW * 0.5f, bb.Min.y + size.y * 0.5f), c.icon);
    x += iconW + gap;
    float y = bb.Min.y + (size.y - textH) * 0.5f;
    dl->PushClipRect(bb.Min, bb.Max, true);
    for (const auto& line : lines) {
        float lx = x;
        for (const auto& r : line.runs) {
            dl->AddText(r.font, r.px(), ImVec2(lx, y), c.text, r.text.c_str(), r.text.c_str() + r.text.size());
            lx += r.font->CalcTextSizeA(r.px(), FLT_MAX, 0, r.text.c_str(), r.text.c_str() + r.text.size()).x;
        }
        y += lineH;
    }
    dl->PopClipRect();
    return pressed;
}

void iconText(const char* icon, std::string_view text, ImFont* font, ImU32 color, std::string_view lang,
              float maxWidth, ImU32 iconColor) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float size = font->FontSize * 1.2f;
    const float iconW = fonts().body->CalcTextSizeA(size, FLT_MAX, 0, icon).x;
    drawIcon(dl, icon, size, ImVec2(pos.x + iconW * 0.5f, pos.y + font->FontSize * 0.62f),
             iconColor ? iconColor : theme().primary);
    const float width = (maxWidth > 0 ? maxWidth : ImGui::GetContentRegionAvail().x) - iconW - 12;
    ImGui::SetCursorScreenPos(ImVec2(pos.x + iconW + 12, pos.y));
    ImGui::BeginGroup();
    drawLines(layoutRuns({{std::string(text), font}}, lang, width), color, 1.3f);
    ImGui::EndGroup();
}

void drawPage(const core::Page& page, std::string_view lang, ImU32 color, size_t markBlock, TextMark* mark) {
    Fonts& f = fonts();
    for (size_t index = 0; index < page.blocks.size(); ++index) {
        const core::Block& block = page.blocks[index];
        TextMark* m = index == markBlock ? mark : nullptr;
        std::vector<Run> runs;
        ImFont* plain = block.kind == core::Block::Kind::Title     ? f.title
                        : block.kind == core::Block::Kind::Heading ? f.heading
                                                                   : f.body;
        for (const auto& s : block.spans) runs.push_back({s.text, s.bold && plain == f.body ? f.bold : plain});
        const float avail = ImGui::GetContentRegionAvail().x;
        switch (block.kind) {
        case core::Block::Kind::Title:
            drawLines(layoutRuns(runs, lang, avail), theme().primary, 1.2f, false, m);
            ImGui::Dummy(ImVec2(0, 4));
            break;
        case core::Block::Kind::Heading:
            ImGui::Dummy(ImVec2(0, 6));
            drawLines(layoutRuns(runs, lang, avail), theme().text, 1.2f, false, m);
            break;
        case core::Block::Kind::Paragraph: drawLines(layoutRuns(runs, lang, avail), color, 1.35f, false, m); break;
        case core::Block::Kind::ListItem: {
            const float indent = f.body->FontSize * 1.3f;
            const ImVec2 pos = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddCircleFilled(
                ImVec2(pos.x + indent * 0.4f, pos.y + f.body->FontSize * 0.55f), f.body->FontSize * 0.16f, theme().primary);
            ImGui::Indent(indent);
            drawLines(layoutRuns(runs, lang, avail - indent), color, 1.35f, false, m);
            ImGui::Unindent(indent);
            break;
        }
        }
    }
}

} // namespace inloop::ui
