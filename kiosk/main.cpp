// inloop-kiosk: the touch screen in the walk-in room.
#include "kiosk.hpp"

#include "core/domain/demo.hpp"
#include "core/i18n/i18n_check.hpp"
#include "core/store/store.hpp"
#include "ui/options.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <tuple>
#include <unistd.h>

namespace {

constexpr const char* kUsage =
    "Usage: inloop-kiosk [--data-dir DIR] [--store DIR-OR-POSTGRESQL-URL] [--fullscreen] [--kiosk-mode] [--size WxH] [--idle-seconds N] [--tour DIR]\n"
    "                    [--text-size 100|125|150]\n"
    "\n"
    "  --data-dir DIR     the data folder (default $INLOOP_DATA_DIR, else ./var; /var/lib/inloop when installed);\n"
    "                     the kiosk opens only public.db\n"
    "  --fullscreen       fill the screen (the appliance)\n"
    "  --kiosk-mode       ignore close requests from the window system (title bar, Alt+F4); end only on\n"
    "                     SIGTERM or SIGINT (the appliance's unit uses this)\n"
    "  --size WxH         window size, e.g. 1920x1080 or 1080x1920 (portrait); default 1280x800\n"
    "  --idle-seconds N   wipe after N seconds without a touch (plus a 10-second countdown); default 60\n"
    "  --tour DIR         render every screen in every language to DIR/<lang>/<screen>.png and exit\n"
    "                     (with demo data in a temporary folder unless --data-dir is given)\n"
    "  --text-size P      the tour's text size: 100, 125 or 150 (percent, as the visitor's text size button)\n";

int fail(const std::string& message) {
    std::cerr << "inloop-kiosk: " << message << "\n";
    return 2;
}

bool parseInt(const char* text, int& out) {
    const char* end = text + std::strlen(text);
    auto [p, ec] = std::from_chars(text, end, out);
    return ec == std::errc() && p == end;
}

} // namespace

int main(int argc, char** argv) {
    using namespace inloop;
    ui::WindowOptions window;
    int idle = 60;
    int textSize = 100;
    bool kioskMode = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        try {
            if (ui::readWindowOption(argc, argv, i, window)) continue;
        } catch (const std::invalid_argument& e) {
            return fail(e.what());
        }
        if (a == "--help" || a == "-h") {
            std::cout << kUsage;
            return 0;
        } else if (a == "--kiosk-mode") {
            kioskMode = true;
        } else if (a == "--idle-seconds") {
            const char* v = i + 1 < argc ? argv[++i] : nullptr;
            if (!v || !parseInt(v, idle) || idle < 10 || idle > 3600)
                return fail("--idle-seconds takes a number from 10 to 3600.");
        } else if (a == "--text-size") {
            const char* v = i + 1 < argc ? argv[++i] : nullptr;
            if (!v || !parseInt(v, textSize) || (textSize != 100 && textSize != 125 && textSize != 150))
                return fail("--text-size takes 100, 125 or 150.");
        } else {
            return fail("unknown option " + a + ". See inloop-kiosk --help.");
        }
    }
    const auto& [dataDir, tourDir] = std::tie(window.dataDir, window.tourDir);

    try {
        kiosk::KioskOptions options;
        options.root = core::resourceRoot();
        options.idleSeconds = idle;
        options.tapGuardSeconds = 0.35; // the second tap of a double tap never lands on the screen the first opened
        options.tourTextStep = (textSize - 100) / 25;
        std::optional<core::ScratchDemoStore> scratch; // the tour shows demo data, never a real store
        if (tourDir && !dataDir && !window.store) {
            scratch.emplace(1, "inloop-kiosk-tour");
            options.store = scratch->dir();
        } else {
            options.store = core::resolveStore(window.store, dataDir, /*kiosk=*/true);
            std::error_code ec; // a folder this account may not enter: the first open says which group it lacks
            if (!options.store.isPostgres() && !std::filesystem::exists(core::StorePaths{options.store.dataDir}.publicDb(), ec) && !ec)
                std::cerr << "inloop-kiosk: no data in " << options.store.dataDir.string()
                          << " yet; the kiosk shows information and asks people to go to the desk until it is there.\n";
        }
        ui::App app(ui::AppOptions{"Inloop", window.width, window.height, window.fullscreen, tourDir.has_value(),
                                   kioskMode && !tourDir});
        kiosk::Kiosk kiosk(app, options);
        if (tourDir) {
            kiosk.renderTour(*tourDir);
            std::cout << "Tour written to " << *tourDir << "\n";
            return 0;
        }
        app.run([&] { kiosk.frame(); }, [&] { return kiosk.tick(); });
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "inloop-kiosk: " << e.what() << "\n";
        return 1;
    }
}
