// The shared command-line options (see options.hpp).
#include "options.hpp"

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace inloop::ui {

namespace {
bool parseInt(const char* begin, const char* end, int& out) {
    auto [p, ec] = std::from_chars(begin, end, out);
    return ec == std::errc() && p == end;
}
} // namespace

bool readWindowOption(int argc, char** argv, int& i, WindowOptions& out) {
    const std::string a = argv[i];
    const auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--fullscreen") {
        out.fullscreen = true;
    } else if (a == "--data-dir") {
        const char* v = value();
        if (!v || !*v) throw std::invalid_argument("--data-dir needs a folder.");
        out.dataDir = v;
    } else if (a == "--store") {
        const char* v = value();
        if (!v || !*v) throw std::invalid_argument("--store needs a data folder or a PostgreSQL location.");
        out.store = v;
    } else if (a == "--tour") {
        const char* v = value();
        if (!v || !*v) throw std::invalid_argument("--tour needs a folder for the pictures.");
        out.tourDir = v;
    } else if (a == "--size") {
        const char* v = value();
        const char* x = v ? std::strchr(v, 'x') : nullptr;
        int w = 0, h = 0;
        if (!x || !parseInt(v, x, w) || !parseInt(x + 1, x + std::strlen(x), h) || w < out.minWidth ||
            h < out.minHeight || w > 7680 || h > 7680)
            throw std::invalid_argument("--size takes WIDTHxHEIGHT, at least " + std::to_string(out.minWidth) + "x" +
                                        std::to_string(out.minHeight) + ", e.g. 1920x1080.");
        out.width = w;
        out.height = h;
    } else {
        return false;
    }
    return true;
}

} // namespace inloop::ui
