// Where Inloop's own files are (see install_paths.hpp).
#include "core/base/install_paths.hpp"

#include <cstdlib>
#include <system_error>

namespace inloop::core {
namespace fs = std::filesystem;

namespace {

fs::path withoutTrailingSlash(fs::path p) {
    p = p.lexically_normal();
    if (p.filename().empty() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
    return p;
}

bool isDir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// <prefix> for a root laid out as <prefix>/share/inloop, else empty.
fs::path prefixOf(const fs::path& root) {
    const fs::path r = withoutTrailingSlash(root);
    if (r.filename() != "inloop" || r.parent_path().filename() != "share") return {};
    return r.parent_path().parent_path();
}

// The folder that holds etc/ and var/ for a prefix: / for /usr, X for an unpacked X/usr; /usr/local for itself.
fs::path systemRootOf(const fs::path& prefix) {
    return prefix.filename() == "usr" ? prefix.parent_path() : prefix;
}

fs::path runningProgram() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe;
}

// <prefix> of the running program when it runs from <prefix>/bin, else empty.
fs::path programPrefix() {
    const fs::path exe = runningProgram();
    if (exe.parent_path().filename() != "bin") return {};
    return exe.parent_path().parent_path();
}

} // namespace

fs::path siteFile(const fs::path& root) {
    if (const char* env = std::getenv("INLOOP_SITE"); env && *env) return env; // a site's own file, or a test's
    const fs::path inAssets = root / "assets" / "site.ini";
    if (isFile(inAssets)) return inAssets;
    const fs::path prefix = prefixOf(root);
    if (prefix.empty()) return inAssets;
    const fs::path system = systemRootOf(prefix) / "etc" / "inloop" / "site.ini";
    const fs::path own = prefix / "etc" / "inloop" / "site.ini"; // a prefix such as /opt/inloop
    return isFile(system) || !isFile(own) ? system : own;
}

InstallPaths installPaths() {
    InstallPaths p;
    if (const char* env = std::getenv("INLOOP_ROOT"); env && *env) {
        p.root = env;
    } else if (const fs::path prefix = programPrefix(); !prefix.empty() && isDir(prefix / "share" / "inloop" / "locales")) {
        p.root = prefix / "share" / "inloop"; // preferred over the source tree: an unpacked package is self-contained
    } else {
        p.root = INLOOP_SOURCE_ROOT;
    }
    const fs::path prefix = prefixOf(p.root);
    p.installed = !prefix.empty();
    p.siteFile = siteFile(p.root);
    p.dataDir = p.installed ? systemRootOf(prefix) / "var" / "lib" / "inloop" : fs::path("var");
    if (p.installed) p.configDir = systemRootOf(prefix) / "etc" / "inloop";
    return p;
}

fs::path resourceRoot() { return installPaths().root; }

fs::path helperProgram(std::string_view name) {
    const fs::path beside = runningProgram().parent_path() / name;
    if (isFile(beside)) return beside;
    if (const fs::path prefix = programPrefix(); !prefix.empty()) {
        const fs::path packaged = prefix / "libexec" / "inloop" / name;
        if (isFile(packaged)) return packaged;
    }
    return beside;
}

} // namespace inloop::core
