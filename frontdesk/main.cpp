// inloop-frontdesk: the staff app behind the desk.
#include "desk.hpp"

#include "core/demo.hpp"
#include "core/i18n_check.hpp"
#include "core/store.hpp"

#include <charconv>
#include <cstring>
#include <iostream>
#include <optional>
#include <unistd.h>

namespace {

constexpr const char* kUsage =
    "Usage: inloop-frontdesk [--data-dir DIR] [--fullscreen] [--size WxH] [--lang nl|en] [--tour DIR]\n"
    "\n"
    "  --data-dir DIR   the data folder (default $INLOOP_DATA_DIR, else ./var)\n"
    "  --fullscreen     fill the screen\n"
    "  --size WxH       window size, default 1280x800\n"
    "  --lang nl|en     the desk's language (default nl; switch any time in the side bar)\n"
    "  --tour DIR       render every view in nl and en to DIR/<lang>/<view>.png and exit\n"
    "                   (with demo data in a temporary folder unless --data-dir is given)\n";

int fail(const std::string& message) {
    std::cerr << "inloop-frontdesk: " << message << "\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    using namespace inloop;
    std::optional<std::string> dataDir, tourDir;
    std::string lang = "nl";
    bool fullscreen = false;
    int width = 1280, height = 800;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        if (a == "--help" || a == "-h") {
            std::cout << kUsage;
            return 0;
        } else if (a == "--fullscreen") {
            fullscreen = true;
        } else if (a == "--data-dir") {
            const char* v = value();
            if (!v || !*v) return fail("--data-dir needs a folder.");
            dataDir = v;
        } else if (a == "--tour") {
            const char* v = value();
            if (!v || !*v) return fail("--tour needs a folder for the pictures.");
            tourDir = v;
        } else if (a == "--lang") {
            const char* v = value();
            if (!v || (std::strcmp(v, "nl") != 0 && std::strcmp(v, "en") != 0)) return fail("--lang takes nl or en.");
            lang = v;
        } else if (a == "--size") {
            const char* v = value();
            const char* x = v ? std::strchr(v, 'x') : nullptr;
            if (!x || std::from_chars(v, x, width).ec != std::errc() ||
                std::from_chars(x + 1, x + std::strlen(x), height).ec != std::errc() || width < 1024 || height < 600 ||
                width > 7680 || height > 7680)
                return fail("--size takes WIDTHxHEIGHT, at least 1024x600.");
        } else {
            return fail("unknown option " + a + ". See inloop-frontdesk --help.");
        }
    }
    try {
        desk::DeskOptions options;
        options.root = core::resourceRoot();
        options.lang = lang;
        std::optional<core::ScratchDemoStore> scratch; // the tour shows demo data, never a real store
        if (tourDir && !dataDir) {
            scratch.emplace(1, "inloop-desk-tour");
            options.dataDir = scratch->dir();
        } else {
            options.dataDir = core::resolveDataDir(dataDir);
            core::Store::open(options.dataDir); // a clear message now beats an error banner later
        }
        ui::App app(ui::AppOptions{"Inloop — balie", width, height, fullscreen, tourDir.has_value()});
        desk::Desk d(app, options);
        if (tourDir) {
            d.renderTour(*tourDir);
            std::cout << "Tour written to " << *tourDir << "\n";
            return 0;
        }
        app.run([&] { d.frame(); }, [&] { return d.tick(); });
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "inloop-frontdesk: " << e.what() << "\n";
        return 1;
    }
}
