// The bar chart (see chart.hpp).
#include "ui/chart.hpp"

#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include "core/i18n/i18n.hpp"

#include <algorithm>
#include <cmath>

namespace inloop::ui {

std::vector<ImRect> layoutBars(const std::vector<double>& values, const ImRect& rect, float gap) {
    std::vector<ImRect> out;
    if (values.empty()) return out;
    const float n = static_cast<float>(values.size());
    const float width = std::isfinite(rect.GetWidth()) ? std::max(0.0f, rect.GetWidth()) : 0.0f;
    const float height = std::isfinite(rect.GetHeight()) ? std::max(0.0f, rect.GetHeight()) : 0.0f;
    // Gaps that would leave no room for the bars are dropped.
    float g = std::isfinite(gap) ? std::max(0.0f, gap) : 0.0f;
    if (g * (n - 1) >= width) g = 0;
    const float slot = (width - g * (n - 1)) / n;
    double largest = 0;
    for (double v : values)
        if (std::isfinite(v) && v > largest) largest = v;
    const float left = rect.Min.x, right = rect.Min.x + width, bottom = rect.Min.y + height;
    out.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        const double v = std::isfinite(values[i]) && values[i] > 0 ? values[i] : 0.0;
        const float share = largest > 0 ? static_cast<float>(v / largest) : 0.0f;
        const float h = std::clamp(share * height, 0.0f, height);
        const float x0 = std::min(right, left + static_cast<float>(i) * (slot + g));
        const float x1 = std::min(right, x0 + slot);
        out.emplace_back(ImVec2(x0, bottom - h), ImVec2(x1, bottom));
    }
    return out;
}

bool chartIsEmpty(const std::vector<Bar>& bars) {
    return std::none_of(bars.begin(), bars.end(), [](const Bar& b) { return std::isfinite(b.value) && b.value > 0; });
}

ChartColors chartColors() {
    const Theme& t = theme();
    return {t.background, t.primary, t.accent, t.text, t.muted, t.border};
}

float contrastRatio(ImU32 a, ImU32 b) {
    const auto luminance = [](ImU32 c) {
        const auto channel = [](unsigned int v) {
            const double s = v / 255.0;
            return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel((c >> IM_COL32_R_SHIFT) & 0xFF) + 0.7152 * channel((c >> IM_COL32_G_SHIFT) & 0xFF) +
               0.0722 * channel((c >> IM_COL32_B_SHIFT) & 0xFF);
    };
    const double la = luminance(a), lb = luminance(b);
    return static_cast<float>((std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05));
}

namespace {
float textWidth(ImFont* font, float size, std::string_view s) {
    return font->CalcTextSizeA(size, FLT_MAX, 0, s.data(), s.data() + s.size()).x;
}

std::string lineText(const LaidLine& line) {
    std::string s;
    for (const auto& r : line.runs) s += r.text;
    return s;
}
} // namespace

std::string ellipsize(std::string_view label, ImFont* font, float size, float maxWidth) {
    if (textWidth(font, size, label) <= maxWidth) return std::string(label);
    static constexpr std::string_view kEllipsis = "…";
    std::string cut(label);
    while (!cut.empty()) {
        // Drop the last code point (its continuation bytes, then its lead byte), then spaces before it.
        unsigned char dropped = 0;
        do {
            dropped = static_cast<unsigned char>(cut.back());
            cut.pop_back();
        } while (!cut.empty() && (dropped & 0xC0) == 0x80);
        while (!cut.empty() && cut.back() == ' ') cut.pop_back();
        if (textWidth(font, size, cut) + textWidth(font, size, kEllipsis) <= maxWidth)
            return cut + std::string(kEllipsis);
    }
    return textWidth(font, size, kEllipsis) <= maxWidth ? std::string(kEllipsis) : std::string();
}

void barChart(std::string_view id, const std::vector<Bar>& bars, ImVec2 size, std::string_view lang,
              std::string_view emptyText) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImGuiID gid = window->GetID(id.data(), id.data() + id.size());
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, ImVec2(pos.x + size.x, pos.y + size.y));
    ImGui::ItemSize(size);
    if (!ImGui::ItemAdd(bb, gid)) return;
    widgetRects().record(id, bb);
    const ChartColors c = chartColors();
    ImDrawList* dl = window->DrawList;
    ImFont* font = fonts().body ? fonts().body : ImGui::GetFont();
    ImFont* bold = fonts().bold ? fonts().bold : font;
    // The atlas holds each font at one size: text drawn at that size stays sharp.
    const float labelPx = font->FontSize;
    const float valuePx = bold->FontSize;

    if (chartIsEmpty(bars)) { // a framed box saying so, never an empty axis that looks like zeros
        dl->AddRect(bb.Min, bb.Max, c.baseline, 12, 0, 2);
        const auto lines = layoutRuns({{std::string(emptyText), font}}, lang, std::max(10.0f, size.x - 32));
        const float lineH = font->FontSize * 1.25f;
        float y = bb.Min.y + (size.y - lineH * static_cast<float>(lines.size())) * 0.5f;
        dl->PushClipRect(bb.Min, bb.Max, true);
        for (const auto& line : lines) {
            const std::string s = lineText(line);
            dl->AddText(font, font->FontSize, ImVec2(bb.Min.x + (size.x - line.width) * 0.5f, y), c.axis, s.c_str(),
                        s.c_str() + s.size());
            y += lineH;
        }
        dl->PopClipRect();
        return;
    }

    // From the top: a line for the values, the bars, the baseline, two lines of labels.
    const float lineH = labelPx * 1.2f;
    const ImRect plot(ImVec2(bb.Min.x, bb.Min.y + valuePx * 1.5f), ImVec2(bb.Max.x, bb.Max.y - 2 * lineH - 8));
    std::vector<double> values;
    values.reserve(bars.size());
    for (const Bar& b : bars) values.push_back(b.value);
    const float gap = std::clamp(plot.GetWidth() / static_cast<float>(bars.size()) * 0.25f, 4.0f, 24.0f);
    const std::vector<ImRect> rects = layoutBars(values, plot, gap);
    const float slotW = rects.front().GetWidth() + gap; // what a label or value may use under and over its bar
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool hovered = ImGui::IsItemHovered();
    dl->PushClipRect(bb.Min, bb.Max, true);
    for (size_t i = 0; i < bars.size(); ++i) {
        const Bar& b = bars[i];
        ImRect r = rects[i];
        const float centre = (r.Min.x + r.Max.x) * 0.5f;
        // Bars no wider than 72 px; one with a value above zero at least 2 px tall.
        const float half = std::min(r.GetWidth(), 72.0f) * 0.5f;
        r.Min.x = centre - half;
        r.Max.x = centre + half;
        if (std::isfinite(b.value) && b.value > 0 && r.GetHeight() < 2) r.Min.y = r.Max.y - 2;
        r.Min = ImVec2(std::round(r.Min.x), std::round(r.Min.y)); // whole pixels: no blurred edges
        r.Max = ImVec2(std::round(r.Max.x), std::round(r.Max.y));
        if (r.GetHeight() > 0)
            dl->AddRectFilled(r.Min, r.Max, b.highlight ? c.highlight : c.bar, std::min(6.0f, half),
                              ImDrawFlags_RoundCornersTop);

        std::string value = b.valueText;
        if (value.empty()) {
            const double v = std::isfinite(b.value) ? b.value : 0.0;
            value = core::formatNumber(lang, v, std::fabs(v - std::round(v)) < 1e-9 ? 0 : 1);
        }
        float px = valuePx;
        while (px > valuePx * 0.7f && textWidth(bold, px, value) > slotW - 2) px -= 1;
        // Text centred on its bar but kept inside the chart: the first and last labels may be wider than their slot.
        const auto leftOf = [&](float w) { return std::max(bb.Min.x, std::min(centre - w * 0.5f, bb.Max.x - w)); };
        const float vw = textWidth(bold, px, value);
        dl->AddText(bold, px, ImVec2(leftOf(vw), r.Min.y - px * 1.25f), c.value, value.c_str(),
                    value.c_str() + value.size());

        // The label: two lines at most, the second ellipsised when more would follow.
        const float labelW = std::max(8.0f, slotW - 12); // neighbouring labels never touch
        const auto lines = layoutRuns({{b.label, font, labelPx}}, lang, labelW, false);
        for (size_t l = 0; l < std::min<size_t>(lines.size(), 2); ++l) {
            std::string s;
            if (l == 1 && lines.size() > 2)
                for (size_t k = 1; k < lines.size(); ++k) {
                    if (k > 1) s += ' ';
                    s += lineText(lines[k]);
                }
            else
                s = lineText(lines[l]);
            s = ellipsize(s, font, labelPx, labelW);
            const float w = textWidth(font, labelPx, s);
            const float y = plot.Max.y + 6 + lineH * static_cast<float>(l);
            dl->AddText(font, labelPx, ImVec2(leftOf(w), y), c.axis, s.c_str(), s.c_str() + s.size());
        }
        if (hovered && mouse.x >= centre - slotW * 0.5f && mouse.x < centre + slotW * 0.5f)
            ImGui::SetTooltip("%s: %s", b.label.c_str(), value.c_str());
    }
    dl->AddLine(ImVec2(plot.Min.x, plot.Max.y + 1), ImVec2(plot.Max.x, plot.Max.y + 1), c.baseline, 2);
    dl->PopClipRect();
}

} // namespace inloop::ui
