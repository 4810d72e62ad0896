// Tamper evidence for desk.db's audit log: every row's BLAKE2b hash chained to the row before, the exact
// append-only triggers, and the chain heads ("anchors") that backups record beside the data.
#pragma once

#include "core/store/sqlite.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::core {

struct StorePaths;
struct CheckReport;

using AuditHash = std::array<unsigned char, 32>;

// The fields of one audit row, as the chain hashes them.
struct AuditFields {
    int64_t id = 0;
    int64_t at = 0;
    std::string actor;
    std::optional<int64_t> staffId;
    std::string action, entity;
    std::optional<int64_t> recordId;
    std::string detail;
};

// BLAKE2b-256 over a canonical encoding of the row (every field typed and length-prefixed) and the previous
// row's hash (all zero before the first row).
AuditHash auditRowHash(const AuditHash& previous, const AuditFields& row);

// Inserts one audit row with its chain hash; the caller's write transaction holds desk.db's lock.
void insertAuditRow(Database& db, AuditFields row);

// Migration step: (re)computes every row's hash in id order. The UPDATE trigger must be dropped meanwhile.
void hashAllAuditRows(Database& db);

// A chain head: the newest row's id and hash when a backup was taken (rowId 0 for an empty log).
struct AuditAnchor {
    int64_t takenAt = 0; // unix seconds of the backup
    int64_t rowId = 0;
    AuditHash hash{};
};

// The current head of the chain in `schema` ("main" for desk.db).
AuditAnchor auditHead(Database& db, int64_t takenAt);

// The anchors file beside desk.db: one line per backup, appended and synced. Outside desk.db on purpose, so
// that rewriting desk.db alone (sqlite3) cannot also rewrite what the backups saw.
void appendAuditAnchor(const StorePaths& paths, const AuditAnchor& anchor);
std::vector<AuditAnchor> readAuditAnchors(const StorePaths& paths);
// After a restore: the anchors belong to the replaced data and move aside with its safety copy (`keptAs` +
// ".audit-anchors"; removed when there is none); the restored chain's head starts the file again.
void restartAuditAnchors(const StorePaths& paths, const std::filesystem::path& keptAs);

struct AuditVerdict {
    int64_t rows = 0;          // rows whose hash was recomputed and matched
    int64_t verifiedId = 0;    // the newest row that matched (0: none)
    int64_t verifiedAt = 0;    // its time
    std::optional<int64_t> brokenId; // the first row that does not match the chain
    bool guardsChanged = false;      // a trigger was dropped, replaced or added
    std::optional<AuditAnchor> failedAnchor; // the backup whose chain head is gone or different
    std::vector<std::string> problems; // plain sentences, empty when everything holds
    bool ok() const { return problems.empty(); }
};

// Recomputes the whole chain, compares every trigger with the exact text the schema creates, and compares
// the chain with each anchor (a row an anchor names must still carry the anchor's hash).
AuditVerdict verifyAuditLog(Database& deskDb, const std::vector<AuditAnchor>& anchors);

// `inloopctl check`'s part: verifies `deskDb` (check's private copy of the store's desk.db) against the store's
// anchors file, adds facts and problems.
void checkAuditLog(const std::filesystem::path& deskDb, const StorePaths& paths, CheckReport& report);

// The CREATE TRIGGER text of every trigger the schema makes in desk.db at `version`, by name.
std::vector<std::pair<std::string, std::string>> expectedDeskTriggers(int version);

} // namespace inloop::core
