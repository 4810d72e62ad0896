// The two files' schemas as forward-only migrations, indexed by PRAGMA user_version.
#pragma once

#include "core/store/sqlite.hpp"

#include <string_view>

namespace inloop::core {

enum class StoreFile { Public, Desk };

inline constexpr std::string_view fileName(StoreFile f) { return f == StoreFile::Public ? "public.db" : "desk.db"; }

// The newest schema version this program knows for a file.
int latestVersion(StoreFile file);

// Brings the connection's main database up to `target` (default: latest) in one transaction.
// A file newer than this program knows is refused with a clear Error and left untouched.
void migrate(Database& db, StoreFile file, int target = -1);

// Settings on every connection: WAL, synchronous=FULL, foreign keys, busy timeout.
void applyConnectionSettings(Database& db);

} // namespace inloop::core
