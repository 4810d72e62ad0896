// The on-screen keyboard for an optional name to be called by: Latin (with the accents of our languages),
// Cyrillic and Thai. No system keyboard, no input method (a Chinese name in pinyin is fine): nothing typed is
// kept anywhere but the visit.
#pragma once

#include <string>
#include <string_view>

namespace inloop::kiosk {

class Keyboard {
public:
    static constexpr size_t kMaxChars = 20;
    static constexpr int kLatinLayout = 0, kCyrillicLayout = 1, kThaiLayout = 2;
    // The layout a visitor in `lang` starts on, and the one the layout key offers besides Latin.
    static int firstLayout(std::string_view lang);
    static int otherLayout(std::string_view lang);
    // Draws the keys at the cursor, `width` wide; edits `text` (UTF-8). True if the text changed.
    // Rows share `height` (the bottom row with space and backspace included).
    bool draw(std::string& text, int& layout, std::string_view lang, float width, float height);
    // Every key label, for the font atlas.
    static std::string allLabels();
    // The same edits without drawing (tests): a key's label as shown, "space", "backspace".
    static void press(std::string& text, std::string_view key);
};

} // namespace inloop::kiosk
