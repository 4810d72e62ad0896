// The merged font atlas: every glyph draws its own pixels, Latin comes from the Latin font, and Chinese sits
// balanced next to Latin capitals (issue 18).
#include "core/i18n/fonts.hpp"
#include "ui/app.hpp"
#include "ui/fonts.hpp"
#include "ui/widgets.hpp"

#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_freetype.h>
#include <stb_image.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

using namespace inloop;

namespace {
// Latin, Cyrillic, Chinese and Thai, as in the desk's catalogues and glossary and the kiosk's pages: enough glyphs
// for an atlas of many rows.
const std::string kMixed =
    "Bekend · USB-stick · 980 bezoeken · 83 nachten — Размер на текста · Üdvözlünk · 语言：Nederlands, English · "
    "你可以免费并匿名检测性病和艾滋病。你不需要说你的名字，你会得到一个号码。请在前台出示这个号码。登记取号预约 · "
    "คุณสามารถตรวจโรคติดต่อทางเพศสัมพันธ์และเอชไอวีได้ฟรี";
const std::string kHan = "语言登记取号前台号码病名字"; // all in kMixed

std::string printableAscii() {
    std::string s;
    for (char c = 0x21; c < 0x7F; ++c) s += c;
    return s;
}

struct Offscreen {
    ui::App app;
    Offscreen(const std::string& text, float scale, int w, int h) : app(ui::AppOptions{"test", w, h, false, true}) {
        ui::buildFonts(text, scale, ui::fonts());
        app.fontsChanged();
    }
};

// A copy of the atlas (its pixels are dropped once the first frame has uploaded them), read glyph by glyph.
struct AtlasCopy {
    std::vector<unsigned char> pixels;
    int width = 0, height = 0;
    explicit AtlasCopy(ImFontAtlas* atlas = ImGui::GetIO().Fonts) {
        unsigned char* p = nullptr;
        atlas->GetTexDataAsAlpha8(&p, &width, &height);
        REQUIRE(p != nullptr);
        pixels.assign(p, p + static_cast<size_t>(width) * static_cast<size_t>(height));
    }
    // Coverage of pixel (i, j) of the glyph's bitmap, (0, 0) at its top left.
    int at(const ImFontGlyph& g, int i, int j) const {
        const int u0 = static_cast<int>(std::lround(g.U0 * static_cast<float>(width)));
        const int v0 = static_cast<int>(std::lround(g.V0 * static_cast<float>(height)));
        return pixels[static_cast<size_t>((v0 + j) * width + u0 + i)];
    }
};

int glyphWidth(const ImFontGlyph& g) { return static_cast<int>(g.X1 - g.X0); }
int glyphHeight(const ImFontGlyph& g) { return static_cast<int>(g.Y1 - g.Y0); }

// The rows of a glyph's bitmap with solid ink (coverage of half or more): what the eye takes as its height, without
// the faint anti-aliased edge rows that make small glyphs measure tall.
int inkRows(const AtlasCopy& atlas, const ImFont* font, char32_t cp) {
    const ImFontGlyph* g = font->FindGlyphNoFallback(static_cast<ImWchar>(cp));
    REQUIRE(g != nullptr);
    int top = glyphHeight(*g), bottom = -1;
    for (int j = 0; j < glyphHeight(*g); ++j)
        for (int i = 0; i < glyphWidth(*g); ++i)
            if (atlas.at(*g, i, j) >= 128) {
                top = std::min(top, j);
                bottom = std::max(bottom, j);
            }
    return bottom - top + 1;
}

// The Chinese glyphs' mean ink height over the ink height of a Latin capital H.
float hanToCapital(const AtlasCopy& atlas, const ImFont* font) {
    float sum = 0;
    int n = 0;
    for (char32_t cp : core::decodeUtf8(kHan)) {
        sum += static_cast<float>(inkRows(atlas, font, cp));
        ++n;
    }
    return sum / static_cast<float>(n) / static_cast<float>(inkRows(atlas, font, U'H'));
}
} // namespace

TEST_SUITE("i18n") {
TEST_CASE("every glyph of every text font draws exactly its own pixels of the atlas, at every text size") {
    // SDL's software renderer (offscreen, and any machine without a GPU) draws a glyph quad as a copy of the
    // rectangle U0·width, V0·height, truncated to whole pixels. With an atlas height that is no power of two, V0 is
    // not exact in float and some glyphs are copied one row off: the desk showed "B" and "8" as "в" in body text.
    const std::string glyphs = printableAscii() + kHan + "Рр";
    for (float scale : {0.78f, 1.0f, 1.25f, 1.5f}) { // the desk's, and the kiosk's three text sizes
        CAPTURE(scale);
        Offscreen ui(kMixed, scale, 2000, 1200);
        const AtlasCopy atlas;
        const ui::Fonts& f = ui::fonts();
        const std::pair<std::string, ImFont*> fonts[] = {
            {"body", f.body}, {"bold", f.bold}, {"heading", f.heading}, {"title", f.title}, {"huge", f.huge}};
        for (const auto& [name, font] : fonts) {
            CAPTURE(name);
            struct Placed {
                const ImFontGlyph* glyph;
                int x, y;
            };
            std::vector<Placed> placed;
            const int cell = static_cast<int>(font->FontSize * 1.5f);
            int x = 10, y = 10;
            for (char32_t cp : core::decodeUtf8(glyphs)) {
                const ImFontGlyph* g = font->FindGlyphNoFallback(static_cast<ImWchar>(cp));
                if (!g || g->X1 <= g->X0) continue;
                if (x + cell > 2000) {
                    x = 10;
                    y += cell;
                }
                placed.push_back({g, x, y});
                x += cell;
            }
            REQUIRE(y + cell <= 1200);
            ui.app.renderFrame([&] {
                ImDrawList* dl = ImGui::GetForegroundDrawList();
                dl->AddRectFilled(ImVec2(0, 0), ImVec2(2000, 1200), IM_COL32_BLACK);
                for (const auto& p : placed)
                    font->RenderChar(dl, font->FontSize, ImVec2(static_cast<float>(p.x), static_cast<float>(p.y)),
                                     IM_COL32_WHITE, static_cast<ImWchar>(p.glyph->Codepoint));
            });
            const auto png = std::filesystem::path(INLOOP_TEST_OUTPUT_DIR) / "i18n" / "atlas-glyphs.png";
            REQUIRE(ui.app.savePng(png));
            int w = 0, h = 0, channels = 0;
            std::unique_ptr<unsigned char, void (*)(void*)> shot(stbi_load(png.c_str(), &w, &h, &channels, 1),
                                                                  stbi_image_free);
            std::filesystem::remove(png);
            REQUIRE(shot != nullptr);
            int wrong = 0;
            for (const auto& p : placed) {
                const ImFontGlyph& g = *p.glyph;
                const int sx = p.x + static_cast<int>(g.X0), sy = p.y + static_cast<int>(g.Y0);
                int worst = 0;
                for (int j = 0; j < glyphHeight(g); ++j)
                    for (int i = 0; i < glyphWidth(g); ++i) {
                        const int want = atlas.at(g, i, j);
                        const int got = shot.get()[static_cast<size_t>((sy + j) * w + sx + i)];
                        worst = std::max(worst, std::abs(want - got));
                    }
                if (worst > 24) {
                    ++wrong;
                    MESSAGE("glyph " << core::encodeUtf8(g.Codepoint) << " (" << g.Codepoint
                                     << ") drawn wrong, a pixel off by " << worst);
                }
            }
            CHECK(wrong == 0);
        }
    }
}

TEST_CASE("every ASCII glyph of the text fonts comes from the Latin font, unchanged by the fonts merged after it") {
    const auto& latin = core::fontStack().front();
    REQUIRE(std::filesystem::exists(latin.file));
    for (float scale : {0.78f, 1.0f, 1.5f}) {
        CAPTURE(scale);
        Offscreen ui(kMixed, scale, 400, 300);
        const ui::Fonts& f = ui::fonts();
        ImFontAtlas alone; // the Latin font by itself, as buildFonts configures it
        alone.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
        alone.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
        ImFontConfig cfg;
        cfg.PixelSnapH = true;
        cfg.OversampleH = cfg.OversampleV = 1;
        ImFont* reference = alone.AddFontFromFileTTF(latin.file.c_str(), f.bodySize, &cfg);
        REQUIRE(alone.Build());
        const AtlasCopy merged, latinAlone(&alone);
        for (char c = 0x21; c < 0x7F; ++c) {
            CAPTURE(c);
            const ImFontGlyph* want = reference->FindGlyphNoFallback(static_cast<ImWchar>(c));
            const ImFontGlyph* got = f.body->FindGlyphNoFallback(static_cast<ImWchar>(c));
            REQUIRE(want != nullptr);
            REQUIRE(got != nullptr);
            CHECK(got->AdvanceX == want->AdvanceX);
            CHECK(got->X1 - got->X0 == want->X1 - want->X0);
            CHECK(got->Y0 == want->Y0);
            CHECK(got->Y1 == want->Y1);
            int differ = 0;
            for (int j = 0; j < std::min(glyphHeight(*got), glyphHeight(*want)); ++j)
                for (int i = 0; i < std::min(glyphWidth(*got), glyphWidth(*want)); ++i)
                    differ += merged.at(*got, i, j) != latinAlone.at(*want, i, j);
            CHECK(differ == 0);
        }
    }
}

TEST_CASE("Chinese characters stand about a third taller than a Latin capital, in the kiosk's and the desk's fonts") {
    // A Han character fills most of its em box, a capital ~0.71 of its own: at ~1.3× a capital's ink height the two
    // read as the same size (issue 18: at ~1.2× the Chinese looked small beside "语言：Nederlands, English").
    for (float scale : {0.78f, 1.0f, 1.25f, 1.5f}) {
        CAPTURE(scale);
        Offscreen ui(kMixed, scale, 400, 300);
        const AtlasCopy atlas;
        for (const ImFont* font : {ui::fonts().body, ui::fonts().bold, ui::fonts().heading, ui::fonts().title}) {
            CAPTURE(font->FontSize);
            const float ratio = hanToCapital(atlas, font);
            MESSAGE("Han / H at " << font->FontSize << " px: " << ratio);
            CHECK(ratio >= 1.28f); // 0.95 (before): 1.10–1.22 at the kiosk's sizes
            CHECK(ratio <= 1.52f);
            for (char32_t cp : core::decodeUtf8(kHan)) { // and still inside the line, never clipped by a button
                const ImFontGlyph* g = font->FindGlyphNoFallback(static_cast<ImWchar>(cp));
                CHECK(g->Y0 >= 0);
                CHECK(g->Y1 <= font->FontSize);
            }
        }
    }
}
}
