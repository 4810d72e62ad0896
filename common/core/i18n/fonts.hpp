// The font stack (Debian packages) shared by the UI atlas and `inloopctl i18n-check`'s glyph check.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::core {

struct FontSource {
    std::filesystem::path file;
    std::filesystem::path boldFile; // same coverage, bold weight; empty if the family has none
    int faceIndex = 0;    // face in a .ttc collection
    float scale = 1.0f;   // relative size, so CJK and Thai look as large as Latin
    const char* purpose;  // for messages: "Latin and Cyrillic", …
    const char* package;  // the Debian package that ships it
};

// In merge order: the first font that has a glyph draws it.
const std::vector<FontSource>& fontStack();

// Code points in `utf8` that no font in the stack can draw (spaces and control characters excepted).
// Fonts that cannot be opened are reported in `unreadable`.
std::vector<char32_t> missingGlyphs(std::string_view utf8, std::vector<std::string>* unreadable = nullptr);

// Decodes UTF-8; invalid sequences become U+FFFD.
std::u32string decodeUtf8(std::string_view utf8);
std::string encodeUtf8(char32_t cp);

} // namespace inloop::core
