// Test fixtures: a fresh data folder in a temp dir, removed afterwards; running inloopctl as a child.
#pragma once

#include "core/domain/domain.hpp"
#include "core/store/store.hpp"

#include <filesystem>
#include <string>
#include <string_view>
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

// Which engine this test executable runs on (test_main.cpp): false for SQLite, true for the PostgreSQL run.
bool onPostgres();

// A temp folder with an initialised store (inloopctl init's defaults). On the PostgreSQL run the store is a fresh
// database on the throwaway server (INLOOP_TEST_PG), dropped afterwards; `data` then holds only this machine's key,
// and inloopctl started by runCtl is pointed at that database (INLOOP_STORE).
struct TempStore {
    TempDir dir;
    fs::path data = dir.path() / "data";
    core::StoreLocation location;
    TempStore();
    ~TempStore();
    TempStore(const TempStore&) = delete;
    TempStore& operator=(const TempStore&) = delete;
    core::StorePaths paths() const { return core::StorePaths{data}; }
    core::Store open(core::Store::Access access = core::Store::Access::Desk) const {
        return core::Store::open(location, access);
    }
    const std::string& pgDatabase() const { return m_pgDatabase; } // "" on the SQLite run

private:
    std::string m_pgDatabase; // the database's name on the PostgreSQL run
};

// Turns an initialised store (no connection open) into one from before the split layout: all three files in the
// folder itself with the modes of those days (public.db 0640, desk.db and the key 0600, the folder 0750).
void makeFlat(const fs::path& data);

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};
// Runs inloopctl with these arguments (no shell), capturing stdout and stderr.
// `input`: what it reads on its standard input (nothing: end of file at once, as /dev/null).
RunResult runCtl(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                 const std::string& input = "");

// Every byte of a file, for comparisons and for grepping the database bytes.
std::string readBytes(const fs::path& file);
// Replaces a file's bytes (no fsync: for setting up a test).
void writeFile(const fs::path& file, std::string_view bytes);

} // namespace inloop::test
