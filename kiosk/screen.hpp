// What every kiosk screen shares: its class shape, the content area under the top bar, and small layout helpers.
#pragma once

#include "kiosk.hpp"

#include <imgui.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::kiosk {

inline constexpr float kTopBarHeight = 104.0f;

// The area a screen draws in (below the top bar), and how many tiles of a minimum width fit in a row.
struct Area {
    ImVec2 pos, size;
    bool portrait() const { return size.y > size.x; }
    int columns(float minTileWidth, int most) const;
};
Area contentArea(ui::App& app, bool withTopBar = true);
// The height of a banner along the bottom of the window (0: none); content areas end above it.
void setBottomBanner(float height);

// Opens a borderless window over the content area; pair with endArea(). Whatever is drawn in it scrolls (a finger's
// drag with momentum, the wheel) when it is taller than the window, at every text size and in both orientations;
// a screen that scrolls a region of its own (the hours list, a page) passes Scrolling::Inside.
enum class Scrolling { Whole, Inside };
void beginArea(const char* id, const Area& area, Scrolling scrolling = Scrolling::Whole);
// Records the bottom of what was drawn as the widget "area.end" (tests scroll until it shows).
void endArea(Kiosk& k);
// Every area back at its top, nothing gliding (a new screen, a new visit).
void resetAreaScrolling();

// Portrait: moves the cursor down so that an action `height` tall ends at the bottom of the area, where a thumb
// reaches; in landscape, or when the content above already reaches that far, it stays where it is.
void actionsAtBottom(const Area& area, float height);

// A title line in the screen's language.
void screenTitle(Kiosk& k, const std::string& text);
// A quiet card with a coloured left edge: notices, cancelled sessions, privacy lists.
// `id`, if given, names the card among the widget rectangles (tests see which notice shows).
void noteCard(Kiosk& k, const char* icon, const std::string& text, ImU32 edge, std::string_view id = {});

// Read aloud (issue 21) under a screen's text, where a thumb reaches and no drag begins: "Read aloud", while it
// speaks "Stop reading" (widgets "<id>.read_aloud" and "<id>.stop_reading"), and below it readAloudNote, the
// line that says a block had no sound. `texts` (the screen's text, one block each) is asked for only when tapped.
// Absent without an audio device or a voice for the language; readAloudSpace is the height to keep free for button
// and note (0 when absent).
inline constexpr float kReadAloudHeight = 88.0f;
float readAloudSpace(Kiosk& k);
void readAloudButton(Kiosk& k, std::string_view id, float width, const std::function<std::vector<std::string>()>& texts);
void readAloudNote(Kiosk& k);
// The bottom row of the ticket and the confirmation: Read aloud (when available) and beside it, as wide as it, the
// screen's action; alone, the action is `alone` wide and high. Draws Read aloud, leaves the cursor where the action
// goes and returns the action's size.
ImVec2 readAloudRow(Kiosk& k, const Area& area, std::string_view id, ImVec2 alone,
                    const std::function<std::vector<std::string>()>& texts);
// What Read aloud speaks of an info page: every block's text, one block per synthesis (the first sounds while the
// rest is spoken into memory); block i is page.blocks[i], so the band lands on the block drawn.
std::vector<std::string> pageBlocks(const core::Page& page);

} // namespace inloop::kiosk
