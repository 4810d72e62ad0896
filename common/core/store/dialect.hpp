// Where the two engines' SQL differs, in one place. Everything else is one SQL text for both engines (the
// PostgreSQL schema brings the few SQLite functions the domain uses: schema_pg.cpp's compat functions).
//   1. dataVersion: a number that changes whenever anything was committed, for views that redraw on change.
//   2. flushLog: after a purge, SQLite truncates its WAL so wiped data leaves the disk; PostgreSQL has no such step.
#pragma once

#include "core/store/database.hpp"

#include <cstdint>
#include <string_view>

namespace inloop::core {

// Changes after every commit to `schema` ("main", "pub" on SQLite; on PostgreSQL "pub" or "main" for the pub
// part, "desk", or "" for both), this connection's own commits included.
int64_t dataVersion(Database& db, std::string_view schema);

// SQLite: checkpoints `schema`'s WAL into its file and truncates it (outside a transaction only).
void flushLog(Database& db, std::string_view schema);

} // namespace inloop::core
