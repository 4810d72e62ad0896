// Health check, consistent online backup, verified live restore, safety copies and the WAL after a purge.
#pragma once

#include "core/store/store.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace inloop::core {

struct CheckReport {
    std::vector<std::string> problems; // one plain sentence each
    std::vector<std::string> facts;    // what was verified, for people reading the output
    bool ok() const { return problems.empty(); }
};

// integrity_check, foreign_key_check, schema version, WAL mode and frames, file modes, the code key.
// Truly read-only: SQLite never opens the store's own files. The databases and their WALs are copied into a
// private temporary folder (0700, removed afterwards) and the copy is checked, so no checkpoint runs, no WAL or
// -shm is created, changed or deleted, and a read-only folder or a read-only mount can be checked too.
CheckReport checkStore(const std::filesystem::path& dir);

// File and folder modes: desk.db and the key for staff only; nothing world-writable (a 0777 folder, a 0666
// public.db). Part of checkStore; separate so the two-folder layout can extend it.
void checkModes(const StorePaths& paths, CheckReport& report);

// What SQLite will make of a WAL file, read from its header and frame headers (the WAL format of sqlite.org:
// salts and cumulative checksums). Frames after the last valid commit that carry the current salts were written
// in this generation of the WAL but will be ignored: a damaged frame, or a file cut short.
struct WalScan {
    bool present = false;       // the file exists and is not empty
    bool headerValid = false;   // magic, page size and header checksum are right (else SQLite ignores the file)
    int64_t committed = 0;      // frames up to and including the last valid commit frame
    int64_t unfinished = 0;     // valid frames after that, without a commit (a write in progress or cut off)
    int64_t damaged = 0;        // frames of this generation after a frame that fails its checksum
    int64_t damagedCommits = 0; // of those, frames that end a transaction: saved writes that SQLite will not see
};
WalScan scanWal(const std::filesystem::path& wal);

// A copy of the store's files (each database with its WAL, and the key) in a new private temporary folder (0700),
// laid out as StorePaths lays them out; removed with the object. The store's own files are only read.
class PrivateCopy {
public:
    explicit PrivateCopy(const StorePaths& from);
    ~PrivateCopy();
    PrivateCopy(const PrivateCopy&) = delete;
    PrivateCopy& operator=(const PrivateCopy&) = delete;
    const StorePaths& paths() const { return m_paths; }
    // False when the files kept changing during five attempts (a program writing flat out): the copy may then mix
    // two moments.
    bool settled() const { return m_settled; }

private:
    static std::vector<std::filesystem::path> filesOf(const StorePaths& p);
    static std::vector<std::string> states(const StorePaths& p);
    void copyAll(const StorePaths& from);
    StorePaths m_paths{std::filesystem::path()};
    bool m_settled = false;
};

// The store opened for reading (report, backup): in place when its files can be written; a read-only store (a
// read-only mount, files or folder the apps cannot write) from a private copy, which SQLite can open.
struct ReadableStore {
    std::unique_ptr<PrivateCopy> copy;
    Store store;
};
ReadableStore openForReading(const std::filesystem::path& dir);

// Writes one file (an SQLite archive, "sqlar": open it with `sqlite3 -Axf`) holding a consistent snapshot of
// public.db and desk.db, taken with SQLite's online backup API while the apps keep writing, plus the code key.
// Each snapshot must pass integrity_check and foreign_key_check first: a damaged store writes nothing and throws.
// A failed backup leaves no file behind. A read-only store is backed up from a private copy.
void backupStore(const std::filesystem::path& dir, const std::filesystem::path& file);

// The backup archive (sqlar) both engines' backups use: members by name and bytes. writeArchive writes through
// `file.partial` (0600) and leaves nothing behind on failure; readArchive throws SqliteError for a file that is not
// one or is cut short.
void writeArchive(const std::filesystem::path& file,
                  const std::vector<std::pair<std::string, const std::string*>>& members);
std::vector<std::pair<std::string, std::string>> readArchive(const std::filesystem::path& file);
// An archive of a PostgreSQL store's backup (pg_backup.hpp) rather than a data folder's.
bool isServerArchive(const std::vector<std::pair<std::string, std::string>>& members);

// Checks the backup first (every file passes checkStore in a scratch folder), then restores it into the live
// files through SQLite's online backup API while holding their write locks, so running apps keep working and see
// the restored data. Inside the same lock hold, before anything changes, the current data is kept as a safety copy
// (`before-restore-<day>-<time>.sqlar` in the data folder; written, fsynced, read back and checked): every write
// acknowledged before the restore is in the safety copy, every later one is written onto the restored data.
// A writer that holds the store longer than the busy timeout makes the restore refuse, naming the file.
// Any failure (a bad backup, a full disk) leaves the old data untouched and nothing behind. A live file too damaged
// to read goes into the safety copy as raw bytes; one too damaged to lock is replaced by renaming (no app can use it).
// Returns the path of the safety copy (empty if there was no data to replace).
std::filesystem::path restoreStore(const std::filesystem::path& dir, const std::filesystem::path& file);

// Safety copies hold the data as it was, purged personal details included: they are kept this many days and then
// deleted by `inloopctl purge` and the daily upkeep (pruneSafetyCopies).
constexpr int kSafetyCopyDays = 30;
// Deletes the safety copies in the data folder older than kSafetyCopyDays at `now` (unix seconds); returns how many.
int pruneSafetyCopies(const std::filesystem::path& dir, int64_t now);

// After purging personal details: checkpoints both files' WALs and truncates them, so the old text is gone from
// every file. A reader in the middle of a read blocks that: it retries for up to `waitMs`. Returns an empty string
// when done, else one sentence saying which file still holds the old text and until when.
std::string flushAfterPurge(Store& store, int waitMs = 5000);

} // namespace inloop::core
