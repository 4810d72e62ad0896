// The UI benchmarks, in process and offscreen: kiosk cold start and font atlas, front-desk frame times.
#pragma once

#include "results.hpp"

namespace inloop::bench {

// 3. Nothing → first rendered kiosk frame (App + Kiosk with all eight languages' glyphs + renderFrame) vs a minimal
// App with ImGui's default font: startup_ratio, startup_ms; the atlas rebuilt from the kiosk's glyphs: atlas_ms,
// atlas_width, atlas_height.
void measureStartup(const Settings& settings, const Paths& paths, Results& results);

// 4. CPU time per frame of the signed-in desk on Today and on the queue (10 years of data, a busy today) vs the
// same desk on the same busy today without the years before it: frame_p50_ms, frame_p99_ms, frame_queue_*, and
// SDL's software rasterization apart (frame_raster_*: a GPU does it when the appliance has one).
void measureFrames(const Settings& settings, const Paths& paths, Results& results);

} // namespace inloop::bench
