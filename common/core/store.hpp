// The data folder: public.db, desk.db and the key for visitor codes; opening, creating, migrating.
#pragma once

#include "sqlite.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

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

    // Keyed hash of a visitor's own code (normalised: case, spaces and dashes do not matter).
    CodeHash hashClientCode(std::string_view code) const;
    static std::string normaliseClientCode(std::string_view code);

private:
    Store(StorePaths paths, Access access, Database db);
    StorePaths m_paths;
    Access m_access;
    Database m_db;
    std::array<unsigned char, 32> m_codeKey{};
};

} // namespace inloop::core
