// The font atlas: Debian's fonts merged (core/i18n/fonts.hpp's stack), holding only the glyphs the UI uses.
#pragma once

#include <array>
#include <string>

struct ImFont;

namespace inloop::ui {

struct Fonts {
    ImFont* body = nullptr;    // paragraphs, buttons
    ImFont* bold = nullptr;    // **bold** in pages, emphasis
    ImFont* heading = nullptr; // headings, tile labels
    ImFont* title = nullptr;   // screen titles
    ImFont* huge = nullptr;    // ticket numbers: Latin capitals and digits only
    float bodySize = 0;
    // The icons alone, rasterised at each of kIconSizes: an icon is drawn from the raster nearest its size, at that
    // size, pixel for pixel — a small raster scaled up is blurred and blocky.
    static constexpr std::array<float, 10> kIconSizes = {24, 28, 32, 36, 40, 44, 48, 56, 64, 72};
    std::array<ImFont*, kIconSizes.size()> icons{};
    ImFont* iconFont(float px) const; // the icon raster nearest `px` (the body font if there are none)
};

struct AtlasStats {
    double buildMs = 0;
    int width = 0, height = 0;
    int codepoints = 0;
};

// Rebuilds ImGui's atlas with the glyphs of `glyphText` (plus printable ASCII) at `scale` × the base sizes.
// Missing font files are skipped (the i18n check reports them). Call App::fontsChanged() after a rebuild.
AtlasStats buildFonts(const std::string& glyphText, float scale, Fonts& out);

} // namespace inloop::ui
