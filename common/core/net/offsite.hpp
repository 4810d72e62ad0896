// Off-site backups: a consistent backup of both files (maintenance.hpp's SQLite archive), sealed for the
// coordinator's recovery phrase (sealed_backup.hpp), uploaded with HTTP PUT to a WebDAV folder (a Nextcloud
// share, say), the oldest copies beyond `keep` deleted there. Every attempt is a row in desk.db's backup_run,
// which the front desk shows. Restore: download (or a file) → phrase → check → restore, or nothing changes.
//
// What is kept where: the folder's address, user, app password, copies to keep, the nightly hour and the
// backup *public* key are settings in desk.db. The secret half exists only as the recovery phrase.
#pragma once

#include "core/domain/domain.hpp"
#include "core/net/net.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace inloop::core::offsite {

struct Settings {
    std::string url;      // the WebDAV folder, https://…/
    std::string user;
    std::string password; // an app password; never shown back, never audited
    int keep = 14;        // copies kept remotely
    int hour = 3;         // nightly run after this local hour (0–23)
    std::string publicKeyHex; // empty until a recovery phrase was made
    bool configured() const { return !url.empty() && !publicKeyHex.empty(); }
};
Settings loadSettings(Store& store);
// Coordinators. An empty password keeps the one stored. Audited (the password never is).
void configure(Store& store, const Actor& actor, const Settings& settings);
// Coordinators: a new key pair; the public half is stored, the phrase is returned to be shown once.
// Backups sealed for an older phrase still need that older phrase.
std::string makeRecoveryPhrase(Store& store, const Actor& actor);
// The same in two steps (the desk): make the phrase with backup::newRecoveryPhrase(), show it, and store its
// public half only once the coordinator says it is written down.
void setRecoveryKey(Store& store, const Actor& actor, const std::array<unsigned char, 32>& publicKey);
// Network options for uploads: no cap on the whole transfer, but a line that stalls for a minute fails.
net::Options uploadOptions();

enum class Trigger { Nightly, Desk, Cli };
enum class Stage { Idle, Snapshot, Seal, Upload, Prune, Done };

// Shared with a UI thread: written by the backup, read by frames; `cancel` asks the backup to stop.
struct Progress {
    std::atomic<Stage> stage{Stage::Idle};
    std::atomic<uint64_t> done{0}, total{0}; // upload bytes
    std::atomic<bool> cancel{false};
};

struct Result {
    bool ok = false;
    std::string name;      // the remote file name, "inloop-backup-<key>-20261122-030000.sealed"
    uint64_t bytes = 0;
    int removedOld = 0;    // old copies deleted remotely
    // Why it failed (or the remark when ok: "not_pruned"), as a stable word the desk translates:
    // not_configured, no_phrase, store, snapshot, upload, tls, not_listed, not_pruned ("" when all went well);
    // busy (another backup of this data folder is running), not_configured (no folder set up) and no_phrase
    // (no recovery phrase made yet) record nothing: no backup_run row, the data folder as it was.
    std::string reason;
    std::string message;   // a full English sentence with the technical detail (CLI, logs)
    std::string detail;    // the technical detail alone ("HTTP 507 Insufficient Storage", curl's words)
};
// Blocking (minutes for a big store over a slow line): run it off the UI thread. Never throws for network or
// storage trouble: that is the Result (and the backup_run row). `options` gives timeouts, retries, caFile;
// user and password come from the settings.
// A PostgreSQL store (issue 20) is dumped and sealed by backupServer (pg_backup.hpp); the lock and the scratch
// folder are in this machine's data folder (location.dataDir).
Result runBackup(const StoreLocation& location, Trigger trigger, net::Options options = {},
                 Progress* progress = nullptr, int64_t now = 0);

struct Run {
    int64_t startedAt = 0;
    std::optional<int64_t> finishedAt;
    std::string trigger, status, name, reason, message; // message: the technical detail
    int64_t bytes = 0;
};
std::vector<Run> recentRuns(Store& store, int limit = 10);
// The nightly rule: configured, past `hour` today, no successful run today, fewer than 6 attempts today and
// the last one at least 30 minutes ago (so a failure is retried through the night, not hammered).
bool nightlyDue(Store& store, int64_t now);

// Restore from a sealed backup file: open it with the phrase into a scratch file, then restoreStore (which
// checks it first). A wrong phrase or a damaged file throws and changes nothing. Returns the safety copy path.
std::filesystem::path restoreSealedFile(const std::filesystem::path& dataDir, const std::filesystem::path& sealed,
                                        std::string_view phrase);
// Downloads the backup at an https:// address into `file` (its folder made if missing); a failed download removes
// it and throws Error(Storage, "backup.download") saying why (a login hint for 401/403).
void downloadBackup(const std::string& url, const std::filesystem::path& file, net::Options options = {});
// The same from an https:// address (downloaded next to the data folder first, then removed).
std::filesystem::path restoreFromUrl(const std::filesystem::path& dataDir, const std::string& url,
                                     std::string_view phrase, net::Options options = {});

} // namespace inloop::core::offsite
