// Health check, consistent online backup and verified restore of a data folder.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace inloop::core {

struct CheckReport {
    std::vector<std::string> problems; // one plain sentence each
    std::vector<std::string> facts;    // what was verified, for people reading the output
    bool ok() const { return problems.empty(); }
};

// integrity_check, foreign_key_check, schema version, WAL mode, file modes, the code key. Opens read-only.
CheckReport checkStore(const std::filesystem::path& dir);

// Writes one file (an SQLite archive, "sqlar": open it with `sqlite3 -Axf`) holding a consistent snapshot of
// public.db and desk.db, taken with SQLite's online backup API while the apps keep writing, plus the code key.
void backupStore(const std::filesystem::path& dir, const std::filesystem::path& file);

// Checks the backup first (every file passes checkStore in a scratch folder); only then replaces the data,
// keeping the replaced files as a backup beside them. A bad backup changes nothing.
// Returns the path of the safety copy of the data that was replaced (empty if there was none).
std::filesystem::path restoreStore(const std::filesystem::path& dir, const std::filesystem::path& file);

} // namespace inloop::core
