// The on-screen keyboard for an optional name to be called by: Latin (with the accents of our languages)
// and Cyrillic. No system keyboard, no input method: nothing typed is kept anywhere but the visit.
#pragma once

#include <string>
#include <string_view>

namespace inloop::kiosk {

class Keyboard {
public:
    static constexpr size_t kMaxChars = 20;
    // Draws the keys at the cursor, `width` wide; edits `text` (UTF-8). True if the text changed.
    // Rows share `height` (the bottom row with space and backspace included).
    bool draw(std::string& text, int& layout, std::string_view lang, float width, float height);
    // Every key label, for the font atlas.
    static std::string allLabels();
    // The same edits without drawing (tests): a key's label as shown, "space", "backspace".
    static void press(std::string& text, std::string_view key);
};

} // namespace inloop::kiosk
