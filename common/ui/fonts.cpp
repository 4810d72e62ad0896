// Builds the merged, glyph-subset font atlas with ImGui's FreeType builder.
#include "ui/fonts.hpp"

#include "core/fonts.hpp"

#include <imgui.h>
#include <imgui_freetype.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <vector>

namespace inloop::ui {

namespace {
// Font files stay in memory only while the atlas is built.
struct FileCache {
    std::map<std::string, std::vector<char>> bytes;
    std::vector<char>* get(const std::string& path) {
        auto it = bytes.find(path);
        if (it != bytes.end()) return it->second.empty() ? nullptr : &it->second;
        std::ifstream in(path, std::ios::binary);
        std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return &(bytes[path] = std::move(data));
    }
};
} // namespace

AtlasStats buildFonts(const std::string& glyphText, float scale, Fonts& out) {
    const auto start = std::chrono::steady_clock::now();
    ImGuiIO& io = ImGui::GetIO();
    ImFontAtlas* atlas = io.Fonts;
    atlas->Clear();
    atlas->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    atlas->TexDesiredWidth = 1024;

    static ImVector<ImWchar> ranges, tickets; // must outlive the build
    ranges.clear();
    tickets.clear();
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(atlas->GetGlyphRangesDefault());
    builder.AddText(glyphText.c_str(), glyphText.c_str() + glyphText.size());
    builder.AddChar(0x2026); // … for cut-off text
    builder.AddChar(0xFFFD);
    builder.BuildRanges(&ranges);
    ImFontGlyphRangesBuilder ticketBuilder;
    ticketBuilder.AddText("ABCDEFGHJKLMNPQRSTUVWXYZ23456789-: ");
    ticketBuilder.BuildRanges(&tickets);

    FileCache files;
    const auto addStack = [&](float px, bool bold, const ImWchar* glyphs, bool latinOnly) -> ImFont* {
        ImFont* font = nullptr;
        for (const auto& src : core::fontStack()) {
            const std::string path = (bold && !src.boldFile.empty() ? src.boldFile : src.file).string();
            std::vector<char>* data = files.get(path);
            if (!data) continue;
            ImFontConfig cfg;
            cfg.FontDataOwnedByAtlas = false;
            cfg.FontNo = src.faceIndex;
            cfg.MergeMode = font != nullptr;
            cfg.PixelSnapH = true;
            cfg.OversampleH = 1;
            cfg.OversampleV = 1;
            const float size = px * src.scale;
            // Merged fonts share the first font's line: centre bigger or smaller glyphs on it.
            cfg.GlyphOffset.y = (px - size) * 0.5f;
            ImFont* f = atlas->AddFontFromMemoryTTF(data->data(), static_cast<int>(data->size()), size, &cfg, glyphs);
            if (!font) font = f;
            if (latinOnly) break;
        }
        return font;
    };
    out.bodySize = 26.0f * scale;
    out.body = addStack(out.bodySize, false, ranges.Data, false);
    out.bold = addStack(out.bodySize, true, ranges.Data, false);
    out.heading = addStack(34.0f * scale, true, ranges.Data, false);
    out.title = addStack(46.0f * scale, true, ranges.Data, false);
    out.huge = addStack(150.0f, true, tickets.Data, true);
    if (!out.body) out.body = out.bold = out.heading = out.title = out.huge = atlas->AddFontDefault();

    atlas->Build();
    files.bytes.clear();
    atlas->ClearInputData(); // the font files are no longer needed
    io.FontDefault = out.body;

    AtlasStats stats;
    stats.buildMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    stats.width = atlas->TexWidth;
    stats.height = atlas->TexHeight;
    for (int i = 0; i + 1 < ranges.Size; i += 2) stats.codepoints += ranges[i + 1] - ranges[i] + 1;
    return stats;
}

} // namespace inloop::ui
