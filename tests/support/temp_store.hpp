// Test fixtures: a fresh data folder in a temp dir, removed afterwards; running inloopctl as a child.
#pragma once

#include "core/domain.hpp"
#include "core/store.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace inloop::test {

namespace fs = std::filesystem;

// A new empty temp folder, deleted (with everything in it) when the object goes.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

// A temp folder with an initialised store (inloopctl init's defaults).
struct TempStore {
    TempDir dir;
    fs::path data = dir.path() / "data";
    TempStore() { core::Store::init(data); }
    core::Store open(core::Store::Access access = core::Store::Access::Desk) const {
        return core::Store::open(data, access);
    }
};

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};
// Runs inloopctl with these arguments (no shell), capturing stdout and stderr.
RunResult runCtl(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

// Every byte of a file, for comparisons and for grepping the database bytes.
std::string readBytes(const fs::path& file);

} // namespace inloop::test
