// The Reports view's bar chart: bar layout (proportional, inside the rect, zero/empty/NaN), colours, and drawing.
#include "ui/chart.hpp"
#include "ui/widgets.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace inloop::ui;

namespace {

bool inside(const ImRect& bar, const ImRect& rect) {
    return bar.Min.x >= rect.Min.x - 0.01f && bar.Max.x <= rect.Max.x + 0.01f && bar.Min.y >= rect.Min.y - 0.01f &&
           bar.Max.y <= rect.Max.y + 0.01f && bar.Min.x <= bar.Max.x && bar.Min.y <= bar.Max.y;
}

bool finite(const ImRect& r) {
    return std::isfinite(r.Min.x) && std::isfinite(r.Min.y) && std::isfinite(r.Max.x) && std::isfinite(r.Max.y);
}

// A bare ImGui context with the built-in font: enough to draw a chart without a window or the app's fonts.
struct ImGuiFrame {
    ImGuiContext* ctx;
    ImGuiFrame() {
        ctx = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(1000, 700);
        io.IniFilename = nullptr;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(io.DisplaySize);
        ImGui::Begin("chart test");
    }
    ImDrawList* drawList() { return ImGui::GetWindowDrawList(); }
    ~ImGuiFrame() {
        ImGui::End();
        ImGui::Render();
        ImGui::DestroyContext(ctx);
    }
};

} // namespace

TEST_CASE("chart: bar heights are proportional to the value over the largest one") {
    const ImRect rect(ImVec2(10, 20), ImVec2(410, 220)); // 400 × 200
    const auto bars = layoutBars({50, 100, 25, 0}, rect, 8);
    REQUIRE(bars.size() == 4);
    CHECK(bars[1].GetHeight() == doctest::Approx(200));
    CHECK(bars[0].GetHeight() == doctest::Approx(100));
    CHECK(bars[2].GetHeight() == doctest::Approx(50));
    CHECK(bars[3].GetHeight() == doctest::Approx(0));
    for (const auto& b : bars) {
        CHECK(b.Max.y == doctest::Approx(220)); // every bar stands on the bottom
        CHECK(inside(b, rect));
    }
}

TEST_CASE("chart: slots are equal, left to right, with the gap between them and none outside") {
    const ImRect rect(ImVec2(0, 0), ImVec2(100, 50));
    const auto bars = layoutBars({1, 2, 3, 4}, rect, 4); // (100 - 3 × 4) / 4 = 22 each
    REQUIRE(bars.size() == 4);
    CHECK(bars.front().Min.x == doctest::Approx(0));
    CHECK(bars.back().Max.x == doctest::Approx(100));
    for (size_t i = 0; i < bars.size(); ++i) {
        CHECK(bars[i].GetWidth() == doctest::Approx(22));
        if (i) CHECK(bars[i].Min.x - bars[i - 1].Max.x == doctest::Approx(4));
    }
}

TEST_CASE("chart: no values, all zero, negative and NaN give no bars or flat ones, never NaN or negative") {
    const ImRect rect(ImVec2(0, 0), ImVec2(300, 100));
    CHECK(layoutBars({}, rect, 8).empty());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (const std::vector<double>& values : {std::vector<double>{0, 0, 0}, std::vector<double>{-5, nan, -inf},
                                              std::vector<double>{nan}, std::vector<double>{0}}) {
        const auto bars = layoutBars(values, rect, 8);
        REQUIRE(bars.size() == values.size());
        for (const auto& b : bars) {
            CHECK(finite(b));
            CHECK(b.GetHeight() == doctest::Approx(0));
            CHECK(b.GetWidth() >= 0);
            CHECK(inside(b, rect));
        }
    }
    // Beside real values, the odd ones are flat and the real ones still scale.
    const auto mixed = layoutBars({nan, 10, -3, inf, 5}, rect, 8);
    REQUIRE(mixed.size() == 5);
    CHECK(mixed[0].GetHeight() == doctest::Approx(0));
    CHECK(mixed[1].GetHeight() == doctest::Approx(100));
    CHECK(mixed[2].GetHeight() == doctest::Approx(0));
    CHECK(mixed[3].GetHeight() == doctest::Approx(0));
    CHECK(mixed[4].GetHeight() == doctest::Approx(50));
    for (const auto& b : mixed) CHECK((finite(b) && inside(b, rect)));
}

TEST_CASE("chart: a rect too small for the gaps, or of no size, still keeps every bar inside it") {
    const ImRect narrow(ImVec2(5, 5), ImVec2(25, 45)); // 20 px for 12 bars with 8 px gaps: the gaps go
    const auto bars = layoutBars(std::vector<double>(12, 3.0), narrow, 8);
    REQUIRE(bars.size() == 12);
    for (const auto& b : bars) {
        CHECK(inside(b, narrow));
        CHECK(b.GetHeight() == doctest::Approx(40));
    }
    const ImRect none(ImVec2(7, 7), ImVec2(7, 7));
    for (const auto& b : layoutBars({1, 2}, none, 8)) {
        CHECK(finite(b));
        CHECK(b.GetWidth() == doctest::Approx(0));
        CHECK(b.GetHeight() == doctest::Approx(0));
    }
    const ImRect inverted(ImVec2(50, 50), ImVec2(10, 10)); // treated as no size, not as negative bars
    for (const auto& b : layoutBars({1, 2}, inverted, std::numeric_limits<float>::quiet_NaN())) {
        CHECK(finite(b));
        CHECK(b.GetWidth() >= 0);
        CHECK(b.GetHeight() >= 0);
    }
}

TEST_CASE("chart: one huge value next to tiny ones stays within the rect") {
    const ImRect rect(ImVec2(0, 0), ImVec2(200, 100));
    const auto bars = layoutBars({1e300, 1e-300, 1}, rect, 2);
    REQUIRE(bars.size() == 3);
    CHECK(bars[0].GetHeight() == doctest::Approx(100));
    CHECK(bars[1].GetHeight() >= 0);
    CHECK(bars[2].GetHeight() >= 0);
    for (const auto& b : bars) CHECK((finite(b) && inside(b, rect)));
}

TEST_CASE("chart: empty means no bar above zero") {
    CHECK(chartIsEmpty({}));
    CHECK(chartIsEmpty({{"jan", 0, "", false}, {"feb", -1, "", false}}));
    CHECK(chartIsEmpty({{"x", std::numeric_limits<double>::quiet_NaN(), "", false}}));
    CHECK_FALSE(chartIsEmpty({{"jan", 0, "", false}, {"feb", 1, "", false}}));
}

TEST_CASE("chart: text has a contrast of at least 4.5:1 on the chart's background, bars at least 3:1") {
    const ChartColors c = chartColors();
    CHECK(contrastRatio(IM_COL32_WHITE, IM_COL32_BLACK) == doctest::Approx(21).epsilon(0.01));
    CHECK(contrastRatio(c.value, c.background) >= 4.5f);
    CHECK(contrastRatio(c.axis, c.background) >= 4.5f);
    CHECK(contrastRatio(c.bar, c.background) >= 3.0f);       // graphics: WCAG 1.4.11
    CHECK(contrastRatio(c.highlight, c.background) >= 3.0f);
    CHECK(contrastRatio(c.axis, theme().surface) >= 4.5f);   // also on a card
    CHECK(contrastRatio(c.value, theme().surface) >= 4.5f);
}

TEST_CASE("chart: long labels are cut at whole characters with an ellipsis, short ones left alone") {
    ImGuiFrame frame;
    ImFont* font = ImGui::GetFont();
    const float px = font->FontSize;
    CHECK(ellipsize("jan", font, px, 500) == "jan");
    const std::string cut = ellipsize("Papiamentu en nog veel meer woorden", font, px, 60);
    CHECK(cut.size() >= 3);
    CHECK(cut.substr(cut.size() - 3) == "…");
    CHECK(font->CalcTextSizeA(px, FLT_MAX, 0, cut.c_str()).x <= 60);
    // Two-byte letters stay whole.
    const std::string accented = ellipsize("ééééééééééééééééééé", font, px, 40);
    for (size_t i = 0; i + 3 < accented.size(); i += 2) CHECK(accented.substr(i, 2) == "é");
    CHECK(ellipsize("abc", font, px, 0).empty());
}

TEST_CASE("chart: draws bars, or the empty state, and records its rectangle") {
    ImGuiFrame frame;
    widgetRects().beginFrame();
    const int before = frame.drawList()->VtxBuffer.Size;
    const std::vector<Bar> bars = {
        {"jan", 120, "", false}, {"feb", 80, "", true}, {"a very long label for one bar", 0, "", false}};
    barChart("chart.months", bars, ImVec2(600, 220), "nl", "Geen gegevens");
    const ImRect* r = widgetRects().find("chart.months");
    REQUIRE(r != nullptr);
    CHECK(r->GetWidth() == doctest::Approx(600));
    CHECK(r->GetHeight() == doctest::Approx(220));
    const int afterBars = frame.drawList()->VtxBuffer.Size;
    CHECK(afterBars > before);
    barChart("chart.none", {}, ImVec2(300, 160), "nl", "Geen gegevens");
    REQUIRE(widgetRects().find("chart.none") != nullptr);
    CHECK(frame.drawList()->VtxBuffer.Size > afterBars); // the framed box and its sentence
    for (const auto& v : frame.drawList()->VtxBuffer) CHECK((std::isfinite(v.pos.x) && std::isfinite(v.pos.y)));
}
