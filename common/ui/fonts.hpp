// The font atlas: Debian's fonts merged (core/fonts.hpp's stack), holding only the glyphs the UI uses.
#pragma once

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
