// What every kiosk screen shares: its class shape, the content area under the top bar, and small layout helpers.
#pragma once

#include "kiosk.hpp"

#include <imgui.h>

namespace inloop::kiosk {

inline constexpr float kTopBarHeight = 104.0f;

// The area a screen draws in (below the top bar), and how many tiles of a minimum width fit in a row.
struct Area {
    ImVec2 pos, size;
    bool portrait() const { return size.y > size.x; }
    int columns(float minTileWidth, int most) const;
};
Area contentArea(ui::App& app, bool withTopBar = true);

// Opens a borderless window over the content area; pair with endArea().
void beginArea(const char* id, const Area& area);
void endArea();

// A title line in the screen's language.
void screenTitle(Kiosk& k, const std::string& text);
// A quiet card with a coloured left edge: notices, cancelled sessions, privacy lists.
void noteCard(Kiosk& k, const char* icon, const std::string& text, ImU32 edge);

} // namespace inloop::kiosk
