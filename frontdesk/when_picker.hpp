// "When": an entry forgotten earlier is back-dated at the desk — now (the default), or so many days back at a
// given time. Desk staff go back a week, a coordinator further; the domain checks the same limits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace inloop::desk {

class Desk;

class WhenPicker {
public:
    void reset() { *this = WhenPicker{}; }
    // Draws the row under `id`: its label (default "When"), "Now" / "Earlier" and, when earlier, days back and
    // the time of day.
    void draw(Desk& d, const std::string& id, const char* titleKey = "when.title");
    // The moment picked; nothing when it is now.
    std::optional<int64_t> moment() const;
    // Tests and tour: back-dated by this many days to this time of day.
    void setEarlier(int daysBack, int hour, int minute);
    bool earlier() const { return m_earlier; }

private:
    bool m_earlier = false;
    int m_daysBack = 0, m_hour = 12, m_minute = 0;
};

} // namespace inloop::desk
