// The command-line options both apps share: --data-dir DIR, --tour DIR, --fullscreen, --size WxH.
#pragma once

#include <optional>
#include <string>

namespace inloop::ui {

struct WindowOptions {
    std::optional<std::string> dataDir, tourDir;
    std::optional<std::string> store; // --store: a data folder or a PostgreSQL location (issue 19)
    bool fullscreen = false;
    int width = 1280, height = 800;
    int minWidth = 640, minHeight = 480; // the smallest --size the app lays out
};

// If argv[i] is one of the shared options, reads it (and its value, advancing i) into `out` and returns true;
// returns false for anything else (the app's own options). Throws std::invalid_argument with a sentence for
// a shared option with a missing or bad value.
bool readWindowOption(int argc, char** argv, int& i, WindowOptions& out);

} // namespace inloop::ui
