// The UI benchmarks (see ui_bench.hpp).
//
// [SECTION] 3. kiosk cold start and font atlas
// [SECTION] 4. front-desk frames
#include "ui_bench.hpp"

#include "desk.hpp"
#include "kiosk.hpp"

#include "core/domain/domain.hpp"
#include "core/i18n/i18n_check.hpp"
#include "ui/fonts.hpp"
#include "ui/widgets.hpp"

#include <SDL.h>
#include <imgui.h>

#include <functional>
#include <optional>
#include <stdexcept>

namespace inloop::bench {

namespace {
ui::AppOptions offscreen(const char* title) { return ui::AppOptions{title, 1280, 800, false, true}; }

// The smallest useful frame: one window with one line, in whatever font the atlas has.
void tinyFrame() {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::Begin("###baseline");
    ImGui::TextUnformatted("Inloop");
    ImGui::End();
}

} // namespace

// [SECTION] 3. kiosk cold start and font atlas
void measureStartup(const Settings& settings, const Paths& paths, Results& results) {
    kiosk::KioskOptions options;
    options.store = paths.demo;
    options.root = core::resourceRoot();
    std::vector<double> kioskMs, baselineMs, atlasMs;
    ui::AtlasStats atlas;
    const auto baseline = [&] {
        const double t0 = wallMs();
        ui::App app(offscreen("baseline"));
        ImGui::GetIO().Fonts->AddFontDefault();
        app.renderFrame(tinyFrame);
        SDL_RenderFlush(app.renderer()); // the pixels exist
        baselineMs.push_back(wallMs() - t0);
    };
    const auto kioskRun = [&](bool last) {
        const double t0 = wallMs();
        ui::App app(offscreen("kiosk"));
        kiosk::Kiosk k(app, options);
        app.renderFrame([&] { k.frame(); });
        SDL_RenderFlush(app.renderer());
        kioskMs.push_back(wallMs() - t0);
        if (!last) return;
        // The atlas alone, rebuilt with the kiosk's glyphs at the kiosk's base size.
        const std::string glyphs = k.glyphText();
        for (int i = 0; i < settings.atlasRuns; ++i) {
            atlas = ui::buildFonts(glyphs, 1.0f, ui::fonts());
            atlasMs.push_back(atlas.buildMs);
        }
        app.fontsChanged();
        app.renderFrame([&] { k.frame(); }); // the kiosk still draws with the rebuilt atlas
        k.waitForWorker();
    };
    for (int i = 0; i < settings.startupRuns; ++i) { // interleaved; the first of each is the coldest
        const bool last = i + 1 == settings.startupRuns;
        if (i % 2) {
            kioskRun(last);
            baseline();
        } else {
            baseline();
            kioskRun(last);
        }
    }
    results.set("startup_ms", median(kioskMs));
    results.set("startup_first_ms", kioskMs.front());
    results.set("baseline_startup_ms", median(baselineMs));
    results.set("startup_ratio", median(kioskMs) / median(baselineMs));
    results.set("atlas_ms", median(atlasMs));
    results.set("atlas_width", atlas.width);
    results.set("atlas_height", atlas.height);
    results.set("atlas_codepoints", atlas.codepoints);
}

// [SECTION] 4. front-desk frames
namespace {
struct FrameTimes {
    std::vector<double> ui;     // CPU ms of App::renderFrame: ImGui, the desk's frame(), handing geometry to SDL
    std::vector<double> draw;   // of that, the desk's frame() alone (building the UI from the view models)
    std::vector<double> raster; // CPU ms of SDL's software renderer drawing the pixels (a GPU's work, if there is one)
};

FrameTimes timeFrames(ui::App& app, int frames, const std::function<void()>& tick, const std::function<void()>& draw) {
    for (int i = 0; i < 20; ++i) { // warm-up: ImGui's window state, text layout caches
        app.renderFrame(draw);
        SDL_RenderFlush(app.renderer());
    }
    FrameTimes t;
    for (int i = 0; i < frames; ++i) {
        tick(); // what the loop does between frames (worker results, polling); not part of the frame
        const double c0 = threadCpuMs();
        app.renderFrame([&] {
            const double d0 = threadCpuMs();
            draw();
            t.draw.push_back(threadCpuMs() - d0);
        });
        const double c1 = threadCpuMs();
        SDL_RenderFlush(app.renderer()); // offscreen SDL batches until asked; the window would present here
        t.ui.push_back(c1 - c0);
        t.raster.push_back(threadCpuMs() - c1);
    }
    return t;
}

struct DeskFrames {
    FrameTimes today, queue;
    size_t todayContacts = 0;
};

// A signed-in coordinator's desk on this data folder: Today, then the queue.
DeskFrames deskFrames(const fs::path& dataDir, int frames) {
    std::optional<core::StaffMember> coordinator;
    {
        core::Store store = core::Store::open(dataDir);
        for (const auto& m : core::listStaff(store))
            if (m.role == core::Role::Coordinator && !coordinator) coordinator = m;
    }
    if (!coordinator) throw std::runtime_error("the data has no coordinator");
    ui::App app(offscreen("desk"));
    desk::DeskOptions options;
    options.store = dataDir;
    options.root = core::resourceRoot();
    options.lockSeconds = 3600; // no auto-lock halfway
    options.lang = "nl";
    desk::Desk d(app, options);
    const auto frame = [&] { d.frame(); };
    const auto settle = [&] {
        for (int i = 0; i < 3; ++i) {
            d.tick();
            d.waitForWorker();
            app.renderFrame(frame);
            SDL_RenderFlush(app.renderer());
        }
        d.waitForWorker();
    };
    settle();
    d.signedIn(*coordinator);
    settle();
    if (!d.user()) throw std::runtime_error("the desk did not sign in");
    const auto tick = [&] { d.tick(); };
    DeskFrames out;
    d.go(desk::View::Today);
    settle();
    out.todayContacts = d.today().contacts.size();
    out.today = timeFrames(app, frames, tick, frame);
    d.go(desk::View::Queue);
    settle();
    out.queue = timeFrames(app, frames, tick, frame);
    d.waitForWorker();
    return out;
}
} // namespace

void measureFrames(const Settings& settings, const Paths& paths, Results& results) {
    const DeskFrames years = deskFrames(paths.demo, settings.frames);
    const DeskFrames base = deskFrames(paths.todayOnly, settings.frames);
    results.set("frame_p50_ms", percentile(years.today.ui, 50));
    results.set("frame_p99_ms", percentile(years.today.ui, 99));
    results.set("frame_draw_p50_ms", percentile(years.today.draw, 50));
    results.set("frame_draw_p99_ms", percentile(years.today.draw, 99));
    results.set("frame_raster_p50_ms", percentile(years.today.raster, 50));
    results.set("frame_raster_p99_ms", percentile(years.today.raster, 99));
    results.set("frame_queue_p50_ms", percentile(years.queue.ui, 50));
    results.set("frame_queue_p99_ms", percentile(years.queue.ui, 99));
    results.set("frame_queue_draw_p99_ms", percentile(years.queue.draw, 99));
    results.set("frame_queue_raster_p99_ms", percentile(years.queue.raster, 99));
    results.set("baseline_frame_p50_ms", percentile(base.today.ui, 50));
    results.set("baseline_frame_p99_ms", percentile(base.today.ui, 99));
    results.set("baseline_frame_queue_p99_ms", percentile(base.queue.ui, 99));
    results.set("frame_ratio", percentile(years.today.ui, 99) / percentile(base.today.ui, 99));
    results.set("frame_today_contacts", static_cast<double>(years.todayContacts));
    results.set("frames", settings.frames);
}

} // namespace inloop::bench
