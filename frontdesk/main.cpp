// inloop-frontdesk: the staff app behind the desk.
#include "desk.hpp"

#include "core/domain/demo.hpp"
#include "core/i18n/i18n_check.hpp"
#include "core/store/store.hpp"
#include "ui/options.hpp"

#include <cstring>
#include <iostream>
#include <optional>
#include <tuple>
#include <unistd.h>

namespace {

constexpr const char* kUsage =
    "Usage: inloop-frontdesk [--data-dir DIR] [--store DIR-OR-POSTGRESQL-URL] [--fullscreen] [--size WxH] [--lang nl|en] [--tour DIR]\n"
    "\n"
    "  --data-dir DIR   the data folder (default $INLOOP_DATA_DIR, else ./var; /var/lib/inloop when installed)\n"
    "  --store S        the store: a data folder, or a PostgreSQL server (postgresql://… or host=… dbname=…;\n"
    "                   default $INLOOP_STORE); with a server, --data-dir holds this machine's key for visitor codes\n"
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
    ui::WindowOptions window;
    window.minWidth = 1024;
    window.minHeight = 600;
    std::string lang = "nl";
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
        } else if (a == "--lang") {
            const char* v = i + 1 < argc ? argv[++i] : nullptr;
            if (!v || (std::strcmp(v, "nl") != 0 && std::strcmp(v, "en") != 0)) return fail("--lang takes nl or en.");
            lang = v;
        } else {
            return fail("unknown option " + a + ". See inloop-frontdesk --help.");
        }
    }
    const auto& [dataDir, tourDir] = std::tie(window.dataDir, window.tourDir);
    try {
        desk::DeskOptions options;
        options.root = core::resourceRoot();
        options.lang = lang;
        std::optional<core::ScratchDemoStore> scratch; // the tour shows demo data, never a real store
        if (tourDir && !dataDir && !window.store) {
            scratch.emplace(1, "inloop-desk-tour");
            options.store = scratch->dir();
        } else {
            options.store = core::resolveStore(window.store, dataDir);
            core::Store::open(options.store); // a clear message now beats an error banner later
        }
        ui::App app(ui::AppOptions{"Inloop — balie", window.width, window.height, window.fullscreen, tourDir.has_value()});
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
