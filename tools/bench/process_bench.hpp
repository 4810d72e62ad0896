// The real apps as child processes: idle CPU over a quiet window and peak RSS, next to a minimal SDL+ImGui app.
#pragma once

#include "results.hpp"

namespace inloop::bench {

// 5. and 6.: inloop-kiosk and inloop-frontdesk (from paths.binDir) on the demo store, SDL's dummy video driver,
// no input: idle_cpu_kiosk, idle_cpu_desk (fraction of a core), rss_kiosk_mb, rss_desk_mb (VmHWM at the end);
// idle_cpu_kiosk_speak: the kiosk's read-aloud helper (inloop-speak, espeak-ng loaded) over the same window.
// The baseline is this program's --idle-baseline mode. When Xvfb is installed, the same again on an X server of
// the bench's own (keys with _x11): the dummy driver cannot sleep until input, X11 can.
// Forks: call it while the bench has no other threads.
void measureIdle(const Settings& settings, const Paths& paths, Results& results);

// The baseline app for measureIdle: the app shell with one line of text in ImGui's default font, waiting for
// events until SIGTERM. Returns the exit status.
int runIdleBaseline();

} // namespace inloop::bench
