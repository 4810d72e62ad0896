// Helpers shared by the inloopctl test files: error-line shape, file snapshots, damaging files, counting rows.
#pragma once

#include "core/domain/domain.hpp"
#include "core/store/sqlite.hpp"
#include "core/store/store.hpp"
#include "support/temp_store.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::test {

inline bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// What a failing command must print: exactly one line on stderr, starting with "inloopctl: ".
inline bool isOneErrorLine(const std::string& err) {
    return err.rfind("inloopctl: ", 0) == 0 && err.size() > 12 && err.back() == '\n' &&
           std::count(err.begin(), err.end(), '\n') == 1;
}

// The last line of an output (check prints "problem: …" lines, then its "inloopctl: …" verdict).
inline std::string lastLine(std::string text) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
    const auto nl = text.rfind('\n');
    return nl == std::string::npos ? text : text.substr(nl + 1);
}

// Runs inloopctl on one data folder: {"--data-dir", dir, args...}.
inline RunResult ctl(const fs::path& dir, std::vector<std::string> args) {
    args.insert(args.begin(), {"--data-dir", dir.string()});
    return runCtl(args);
}

// The path after "The data it replaced is kept in " in restore's output, or empty.
inline fs::path safetyCopyNamed(const std::string& out) {
    const std::string lead = "The data it replaced is kept in ";
    const auto at = out.find(lead);
    if (at == std::string::npos) return {};
    const auto end = out.find(".\n", at);
    return out.substr(at + lead.size(), end - at - lead.size());
}

// Shows a run's output in failure messages.
#define CLI_INFO(run) INFO("exit " << (run).exitCode << "\nstdout: " << (run).out << "\nstderr: " << (run).err)

inline unsigned fileMode(const fs::path& file) {
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 ? static_cast<unsigned>(st.st_mode & 07777) : 0xffffu;
}

// The names in a folder (not recursive), sorted; empty if it does not exist.
inline std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Every file below a folder (public/, desk/ too) with its bytes: equal snapshots mean nothing was changed, added
// or removed.
inline std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec))
        files[fs::relative(e.path(), dir).string()] = e.is_directory() ? "(folder)" : readBytes(e.path());
    return files;
}

inline std::string randomBytes(size_t n, uint32_t seed) {
    std::mt19937 gen(seed);
    std::string bytes(n, '\0');
    for (auto& b : bytes) b = static_cast<char>(gen() & 0xff);
    return bytes;
}

// Overwrites n bytes of a file at offset with seeded random bytes (the file keeps its size if it was long enough).
inline void damage(const fs::path& file, std::streamoff offset, size_t n, uint32_t seed = 46) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f.good());
    const std::string bytes = randomBytes(n, seed);
    f.seekp(offset);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(f.good());
}

// One value from a store's desk connection (desk.db with public.db attached), opened and closed again.
inline int64_t queryStore(const core::StoreLocation& where, const std::string& sql) {
    core::Store store = core::Store::open(where);
    return store.db().queryInt(sql);
}
inline int64_t contactCount(const core::StoreLocation& where) { return queryStore(where, "SELECT count(*) FROM contact"); }

// Logs n walk-in contacts in this language through the domain API, as the front desk does.
inline void logContacts(const core::StoreLocation& where, int n, const std::string& language = "nl") {
    core::Store store = core::Store::open(where);
    for (int i = 0; i < n; ++i) {
        core::NewContact c;
        c.language = language;
        c.topics = {core::Topic::Health};
        core::logContact(store, core::Actor::cli(), c);
    }
}

// The journal mode written in a database file (WAL persists in the file).
inline std::string journalMode(const fs::path& file) {
    core::SqliteDatabase db(file, core::SqliteDatabase::Mode::ReadWrite);
    return db.queryText("PRAGMA journal_mode");
}

} // namespace inloop::test
