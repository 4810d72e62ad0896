// The data folder: public.db, desk.db and the key for visitor codes; opening, creating, migrating.
#pragma once

#include "core/base/error.hpp"
#include "core/store/sqlite.hpp"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace inloop::core {

namespace fs = std::filesystem;

// --data-dir if given, else $INLOOP_DATA_DIR, else ./var.
fs::path resolveDataDir(const std::optional<std::string>& flag);

// Where the store is: a data folder (SQLite, the appliance and every demo), or a PostgreSQL server for a site with
// several machines. With a server, the data folder still holds this machine's key for visitor codes (desk/): the
// key never lives in the database.
struct StoreLocation {
    fs::path dataDir;
    std::string server; // a libpq URL ("postgresql://…") or keyword string ("host=… dbname=…", "service=…")
    StoreLocation(fs::path dir = {}, std::string serverLocation = {})
        : dataDir(std::move(dir)), server(std::move(serverLocation)) {}
    bool isPostgres() const { return !server.empty(); }
    // For messages: the folder, or the server without its password.
    std::string describe() const;
};

// What a data folder has and a PostgreSQL store has not (yet): file backups, restores, safety copies.
Error notOnPostgres(std::string_view what);

// --store if given, else $INLOOP_STORE, else (an installed program) INLOOP_STORE= in /etc/inloop/store-desk.env
// or, for the kiosk, store-kiosk.env — the machine's line of `server init`, the file the systemd units read too —
// else the data folder (resolveDataDir). A --store that is not a PostgreSQL location is a data folder.
// A store file this account may not read is an Error(Storage, "store.config_unreadable") naming it.
StoreLocation resolveStore(const std::optional<std::string>& storeFlag, const std::optional<std::string>& dataDirFlag,
                           bool kiosk = false);

// INLOOP_STORE's value in an environment file as systemd reads it (VAR=value lines, # comments, the value
// optionally in quotes); "" when the file has none. Throws when it exists but cannot be read.
std::string storeFromFile(const fs::path& file);

// The groups of an installed appliance (packaging/sysusers.d/inloop.conf): the kiosk account is in the first only,
// staff accounts in both.
inline constexpr const char* kPublicGroup = "inloop-public";
inline constexpr const char* kStaffGroup = "inloop-staff";
inline constexpr const char* kKioskAccount = "inloop-kiosk";

// The one place that knows where a data folder keeps its files. The layout the operating system enforces:
//   DIR/public/public.db          shared by the kiosk account and staff (setgid folder 2770, file 0660)
//   DIR/desk/desk.db, client-code.key   staff only (setgid folder 2770, desk.db 0660, the key 0640)
// A store made before that ("flat": all three in DIR) still opens; `inloopctl init` moves it. Each file is
// looked up where it is, so a move cut short by a crash still opens and `init` finishes it.
struct StorePaths {
    fs::path dir;
    explicit StorePaths(fs::path dataDir) : dir(std::move(dataDir)) {}

    fs::path publicDb() const;
    fs::path deskDb() const;
    fs::path codeKey() const;
    fs::path publicDir() const { return publicDb().parent_path(); }
    fs::path deskDir() const { return deskDb().parent_path(); }
    fs::path auditAnchors() const { return deskDir() / "audit-anchors"; } // the audit chain's head at each backup

    // True while any of the three files still lies flat in DIR (a store from before the split, or half-moved).
    bool hasFlatFiles() const;
    // True while all of them lie flat (a store from before the split, untouched).
    bool isFlat() const;
};

// Why this process cannot use `path` as asked (access(2) bits: a folder needs W_OK | X_OK to hold a WAL), as one
// sentence naming the account and the group that is missing; nothing if it can, or if the reason is not a
// permission. `kiosk`: the sentence speaks of the kiosk account rather than a person.
std::optional<std::string> accessProblem(const fs::path& path, int how, bool kiosk = false);

// Creates DIR/public and DIR/desk if missing: setgid 2770, with the appliance's groups where this system has them.
void makeLayoutFolders(const fs::path& dir);
// Gives every file of the store its mode and its folder's group (a file renamed into a folder keeps its old group).
// Throws with a sentence if it is not allowed to.
void applyLayoutModes(const StorePaths& paths);
// What is wrong with the owners and modes of the folders and files, one sentence each (for `inloopctl check`).
// `facts` gets what was verified.
void checkLayoutModes(const StorePaths& paths, std::vector<std::string>& problems, std::vector<std::string>& facts);

using CodeHash = std::array<unsigned char, 32>;

class Store {
public:
    // Desk: desk.db with public.db attached as "pub" (front desk, CLI).
    // Kiosk: public.db only; the kiosk never opens desk.db or the key.
    enum class Access { Desk, Kiosk };

    // Creates the folder, its public/ and desk/ and the files if missing, migrates both files, seeds the site
    // defaults once. A flat store is moved into public/ and desk/ by rename (checkpointed first, refused while
    // another program has a file open). Safe to run again, also after a crash halfway.
    static void init(const fs::path& dir);
    // The same on a PostgreSQL server: the schemas pub and desk migrated, this machine's key made if missing.
    static void init(const StoreLocation& location);
    // Opens an initialised folder (split or flat), migrating older files; refuses a missing, damaged or too-new
    // store, and a folder this account may not use, saying which group it needs.
    static Store open(const fs::path& dir, Access access = Access::Desk);
    static Store open(const StoreLocation& location, Access access = Access::Desk);

    Database& db() { return *m_db; }
    Engine engine() const { return m_db->engine(); }
    // The SQLite connection for what only a data folder has (file backups, checkpoints); an Error naming `what`
    // on a PostgreSQL store.
    SqliteDatabase& sqlite(std::string_view what);
    const StorePaths& paths() const { return m_paths; }
    Access access() const { return m_access; }
    bool isDesk() const { return m_access == Access::Desk; }

    // True when a file this connection opened is no longer the file at its path: deleted, replaced by a
    // restore or a copy, or re-created by `init`. SQLite would go on writing into the old (maybe deleted) file
    // through its open descriptor; callers drop this Store and open the path again.
    bool filesReplaced() const;
    // Before dropping a Store whose files were replaced: closing must neither checkpoint into the old file nor
    // delete "<file>-wal" by name, which now belongs to the new file (another app may have commits in it).
    void abandon();

    // Keyed hash of a visitor's own code (normalised: case, spaces and dashes do not matter).
    CodeHash hashClientCode(std::string_view code) const;
    static std::string normaliseClientCode(std::string_view code);

private:
    Store(StorePaths paths, Access access, std::unique_ptr<Database> db);
    static Store openServer(const StoreLocation& location, Access access);
    void readCodeKey();
    void checkCodeKey();
    struct FileId {
        fs::path path;
        dev_t dev = 0;
        ino_t ino = 0;
    };
    static std::vector<FileId> identify(std::initializer_list<fs::path> files);
    StorePaths m_paths;
    std::vector<FileId> m_files; // what was opened, to notice a replaced file
    Access m_access;
    std::unique_ptr<Database> m_db;
    std::array<unsigned char, 32> m_codeKey{};
};

} // namespace inloop::core
