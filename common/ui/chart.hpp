// A bar chart drawn with ImDrawList: bars from a baseline, the value on each bar, wrapped labels below, an empty state.
#pragma once

#include <imgui.h>
#include <imgui_internal.h> // ImRect

#include <string>
#include <string_view>
#include <vector>

namespace inloop::ui {

struct Bar {
    std::string label;     // under the bar: wrapped to two lines, then ellipsised
    double value = 0;      // negative and NaN count as 0
    std::string valueText; // on the bar; empty: the value formatted for the chart's language
    bool highlight = false; // drawn in the accent colour (e.g. the month picked)
};

// Where the bars go in `rect`: one slot per value, `gap` between slots, each bar as wide as its slot and as tall
// as its value over the largest value, standing on the rect's bottom. Never negative or NaN, always inside the
// rect; zero, negative and NaN values give zero-height bars, and so does every bar when no value is above zero.
std::vector<ImRect> layoutBars(const std::vector<double>& values, const ImRect& rect, float gap);

// True when there is nothing to draw: no bars, or none with a value above zero.
bool chartIsEmpty(const std::vector<Bar>& bars);

// The chart's colours, from the theme: bars, the highlighted bar, value text and axis labels on the background.
struct ChartColors {
    ImU32 background, bar, highlight, value, axis, baseline;
};
ChartColors chartColors();

// WCAG contrast ratio of two opaque colours (1 … 21).
float contrastRatio(ImU32 a, ImU32 b);

// `label` cut to fit `maxWidth` in `font` at `size` px, with "…" when it was cut (whole code points only).
std::string ellipsize(std::string_view label, ImFont* font, float size, float maxWidth);

// Draws the chart at the cursor, `size` in pixels, and records its rectangle under `id` (ui::widgetRects()).
// With nothing to draw it shows `emptyText` in a framed box instead. Hovering a bar shows its label and value.
void barChart(std::string_view id, const std::vector<Bar>& bars, ImVec2 size, std::string_view lang,
              std::string_view emptyText);

} // namespace inloop::ui
