// The font stack and the glyph-coverage check through FreeType (see fonts.hpp).
#include "core/i18n/fonts.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <set>

namespace inloop::core {

const std::vector<FontSource>& fontStack() {
    static const std::vector<FontSource> stack = {
        {"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf", 0, 1.0f, "Latin and Cyrillic", "fonts-noto-core"},
        // Face 2 of the collection is Simplified Chinese (SC). At 1.12 a Han character's ink stands ~1.3× a Latin
        // capital's, which reads as the same size (at 0.95 it was ~1.15×: the Chinese looked small). ImGui's FreeType
        // builder rasterises at whole pixel sizes, so the step must be big enough to change the truncated size.
        // Bold is the regular face emboldened: the 20 MB bold collection is not worth its memory.
        {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "", 2, 1.12f, "Chinese", "fonts-noto-cjk"},
        // Loma positions Thai tone marks without a shaper (Noto Sans Thai stacks them on the vowels).
        {"/usr/share/fonts/truetype/tlwg/Loma.ttf", "/usr/share/fonts/truetype/tlwg/Loma-Bold.ttf", 0, 1.2f, "Thai", "fonts-tlwg-loma-ttf"},
        {"/usr/share/fonts/truetype/material-design-icons-iconfont/MaterialIcons-Regular.ttf", "", 0, 1.15f, "icons",
         "fonts-material-design-icons-iconfont"},
    };
    return stack;
}

std::u32string decodeUtf8(std::string_view s) {
    std::u32string out;
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        bool ok = len > 0 && i + static_cast<size_t>(len) <= s.size();
        for (int k = 1; ok && k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
            ok = (cc >> 6) == 0x2;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (!ok || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            out += U'\uFFFD';
            ++i;
        } else {
            out += cp;
            i += static_cast<size_t>(len);
        }
    }
    return out;
}

std::string encodeUtf8(char32_t cp) {
    std::string out;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
}

std::vector<char32_t> missingGlyphs(std::string_view utf8, std::vector<std::string>* unreadable) {
    std::set<char32_t> wanted;
    for (char32_t cp : decodeUtf8(utf8))
        if (cp > 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0) && cp != 0xA0 && cp != 0x200B && cp != 0xFEFF)
            wanted.insert(cp);
    FT_Library lib = nullptr;
    if (FT_Init_FreeType(&lib) != 0) return {wanted.begin(), wanted.end()};
    std::vector<FT_Face> faces;
    for (const auto& src : fontStack()) {
        FT_Face face = nullptr;
        if (FT_New_Face(lib, src.file.c_str(), src.faceIndex, &face) == 0) faces.push_back(face);
        else if (unreadable) unreadable->push_back(src.file.string() + " (from " + src.package + ")");
    }
    std::vector<char32_t> missing;
    for (char32_t cp : wanted) {
        bool found = false;
        for (FT_Face f : faces)
            if (FT_Get_Char_Index(f, cp) != 0) {
                found = true;
                break;
            }
        if (!found) missing.push_back(cp);
    }
    for (FT_Face f : faces) FT_Done_Face(f);
    FT_Done_FreeType(lib);
    return missing;
}

} // namespace inloop::core
