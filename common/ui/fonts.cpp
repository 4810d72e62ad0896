// Builds the merged, glyph-subset font atlas with ImGui's FreeType builder.
#include "ui/fonts.hpp"

#include "core/i18n/fonts.hpp"
#include "ui/icons.hpp"

#include <imgui.h>
#include <imgui_freetype.h>

#include <chrono>
#include <cmath>
#include <string_view>
#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <map>
#include <vector>

namespace inloop::ui {

namespace {
// Font files are mapped, not read: FreeType touches only the tables and glyphs it needs, so a 20 MB CJK
// collection costs a few MB of (file-backed, reclaimable) memory. Unmapped once the atlas is built.
struct MappedFiles {
    struct Map {
        void* data = nullptr;
        size_t size = 0;
    };
    std::map<std::string, Map> maps;
    ~MappedFiles() {
        for (auto& [path, m] : maps)
            if (m.data) ::munmap(m.data, m.size);
    }
    const Map* get(const std::string& path) {
        auto it = maps.find(path);
        if (it == maps.end()) {
            Map m;
            const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            struct stat st {};
            if (fd >= 0 && ::fstat(fd, &st) == 0 && st.st_size > 0) {
                void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
                if (p != MAP_FAILED) m = {p, static_cast<size_t>(st.st_size)};
            }
            if (fd >= 0) ::close(fd);
            it = maps.emplace(path, m).first;
        }
        return it->second.data ? &it->second : nullptr;
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
    // The height stays a power of two (no ImFontAtlasFlags_NoPowerOfTwoHeight): SDL's software renderer (offscreen,
    // and a machine without a GPU) copies a glyph's quad as the rectangle V0·height truncated to whole pixels, and
    // only with a power-of-two height is every V0 = y / height exact in float. Any other height shifted a few glyphs
    // one row, which ones depending on the whole atlas: the desk drew "B" and "8" as "в" (issue 18).
    atlas->Flags &= ~ImFontAtlasFlags_NoPowerOfTwoHeight;
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
    ticketBuilder.AddText("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-: "); // tickets skip 0/1; bed numbers and counts do not
    ticketBuilder.BuildRanges(&tickets);

    MappedFiles files;
    const auto addStack = [&](float px, bool bold, const ImWchar* glyphs, bool latinOnly) -> ImFont* {
        ImFont* font = nullptr;
        for (const auto& src : core::fontStack()) {
            const bool ownBold = bold && !src.boldFile.empty();
            const std::string path = (ownBold ? src.boldFile : src.file).string();
            const MappedFiles::Map* data = files.get(path);
            if (!data) continue;
            ImFontConfig cfg;
            cfg.FontDataOwnedByAtlas = false;
            cfg.FontNo = src.faceIndex;
            cfg.MergeMode = font != nullptr;
            cfg.PixelSnapH = true;
            cfg.OversampleH = 1;
            cfg.OversampleV = 1;
            if (bold && !ownBold) cfg.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_Bold; // emboldened regular
            const float size = px * src.scale;
            // Merged glyphs keep their own baseline on the first font's line (imgui_freetype places them so).
            ImFont* f = atlas->AddFontFromMemoryTTF(data->data, static_cast<int>(data->size), size, &cfg, glyphs);
            // ImGui 1.86 copies font data it does not own (20 MB per CJK size, ~100 MB in all): point the stored
            // config back at the mapping and drop the copy. ImGui only reads it, and never frees what it does not own.
            ImFontConfig& stored = atlas->ConfigData.back();
            if (stored.FontData != data->data && stored.FontDataOwnedByAtlas) {
                IM_FREE(stored.FontData);
                stored.FontData = data->data;
                stored.FontDataOwnedByAtlas = false;
            }
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
    out.huge = addStack(132.0f, true, tickets.Data, true);
    if (!out.body) out.body = out.bold = out.heading = out.title = out.huge = atlas->AddFontDefault();
    // The icon font at every icon size (the same sizes whatever the text size: icons are sized by their places).
    static ImVector<ImWchar> iconRanges;
    iconRanges.clear();
    ImFontGlyphRangesBuilder iconBuilder;
    for (const char* icon : icon::kAll) iconBuilder.AddText(icon);
    iconBuilder.BuildRanges(&iconRanges);
    out.icons.fill(nullptr);
    for (const auto& src : core::fontStack()) {
        if (std::string_view(src.purpose) != "icons") continue;
        const MappedFiles::Map* data = files.get(src.file.string());
        if (!data) break;
        for (size_t i = 0; i < Fonts::kIconSizes.size(); ++i) {
            ImFontConfig cfg;
            cfg.FontDataOwnedByAtlas = false;
            cfg.PixelSnapH = true;
            cfg.OversampleH = cfg.OversampleV = 1;
            out.icons[i] = atlas->AddFontFromMemoryTTF(data->data, static_cast<int>(data->size), Fonts::kIconSizes[i],
                                                       &cfg, iconRanges.Data);
        }
        break;
    }

    atlas->Build();
    atlas->ClearInputData(); // the font files are no longer needed (unmapped when `files` goes)
    io.FontDefault = out.body;

    AtlasStats stats;
    stats.buildMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    stats.width = atlas->TexWidth;
    stats.height = atlas->TexHeight;
    for (int i = 0; i + 1 < ranges.Size; i += 2) stats.codepoints += ranges[i + 1] - ranges[i] + 1;
    return stats;
}

ImFont* Fonts::iconFont(float px) const {
    ImFont* best = nullptr;
    float bestDiff = 0;
    for (size_t i = 0; i < kIconSizes.size(); ++i) {
        const float diff = std::fabs(kIconSizes[i] - px);
        if (icons[i] && (!best || diff < bestDiff)) {
            best = icons[i];
            bestDiff = diff;
        }
    }
    return best ? best : body;
}

} // namespace inloop::ui
