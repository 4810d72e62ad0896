// The data folder: public.db, desk.db and the key for visitor codes; opening, creating, migrating.
#pragma once

#include "sqlite.hpp"

#include <array>
#include <cstdint>
#include <initializer_list>
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

struct StorePaths {
    fs::path dir;
    fs::path publicDb() const { return dir / "public.db"; }
    fs::path deskDb() const { return dir / "desk.db"; }
    fs::path codeKey() const { return dir / "client-code.key"; }
    fs::path auditAnchors() const { return dir / "audit-anchors"; } // the audit chain's head at each backup
};

using CodeHash = std::array<unsigned char, 32>;

class Store {
public:
    // Desk: desk.db with public.db attached as "pub" (front desk, CLI).
    // Kiosk: public.db only; the kiosk never opens desk.db or the key.
    enum class Access { Desk, Kiosk };

    // Creates the folder and both files if missing (desk.db and the key 0600, public.db 0640),
    // migrates both, seeds the site defaults once. Safe to run again.
    static void init(const fs::path& dir);
    // Opens an initialised folder, migrating older files; refuses a missing, damaged or too-new store.
    static Store open(const fs::path& dir, Access access = Access::Desk);

    Database& db() { return m_db; }
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
    Store(StorePaths paths, Access access, Database db);
    struct FileId {
        fs::path path;
        dev_t dev = 0;
        ino_t ino = 0;
    };
    static std::vector<FileId> identify(std::initializer_list<fs::path> files);
    StorePaths m_paths;
    std::vector<FileId> m_files; // what was opened, to notice a replaced file
    Access m_access;
    Database m_db;
    std::array<unsigned char, 32> m_codeKey{};
};

} // namespace inloop::core
