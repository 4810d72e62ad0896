// Wrapped text that breaks lines where the language allows (ICU BreakIterator): Chinese and Thai have no
// spaces, and ImGui's own wrapping breaks only at spaces.
#pragma once

#include "core/i18n/content.hpp"

#include <string>
#include <string_view>
#include <vector>

struct ImFont;
struct ImVec2;
struct ImDrawList;

namespace inloop::ui {

struct Run {
    std::string text;
    ImFont* font = nullptr;
    float size = 0; // pixels; 0 = the font's own size
    float px() const;
};
struct LaidLine {
    std::vector<Run> runs;
    float width = 0;
    size_t begin = 0; // byte offset of the line's first run in the runs' whole text (a line's runs are contiguous)
};

// A byte range of the laid-out text drawn with a band behind it (Read aloud's sentence), and where it was drawn
// (screen coordinates, valid when `drawn`: some of the range was on the lines drawn).
struct TextMark {
    size_t begin = 0, end = 0;
    unsigned int color = 0;
    bool drawn = false;
    float top = 0, bottom = 0, left = 0, right = 0;
};

// Lays out runs (e.g. plain and bold) into lines no wider than `maxWidth`. Breaks at ICU line-break
// opportunities for `lang`; a word longer than a line is split between characters (grapheme clusters).
std::vector<LaidLine> layoutRuns(const std::vector<Run>& runs, std::string_view lang, float maxWidth,
                                 bool splitLongWords = true);

// The widest unbreakable piece (a word; in Chinese a character) of the runs: a label needs at least this width.
float widestWord(const std::vector<Run>& runs, std::string_view lang);

// Convenience for one font.
std::vector<std::string> wrapText(std::string_view text, std::string_view lang, ImFont* font, float maxWidth);

// Draws laid-out lines at the cursor inside the current window and advances the cursor; returns the height.
// `mark`, if given, is drawn behind its range of the text.
float drawLines(const std::vector<LaidLine>& lines, unsigned int color, float lineSpacing = 1.25f, bool centred = false,
                TextMark* mark = nullptr);
// Tests: every line drawLines drew while recording is on, in order (cleared when recording starts).
void recordDrawnText(bool on);
const std::vector<std::string>& drawnText();

// One wrapped paragraph in one font at the cursor, as wide as the remaining content region; `mark` as drawLines.
void textWrapped(std::string_view text, std::string_view lang, ImFont* font, unsigned int color, bool centred = false,
                 TextMark* mark = nullptr);

} // namespace inloop::ui
