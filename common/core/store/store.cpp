// Opening and creating the data folder (see store.hpp).
#include "core/store/store.hpp"

#include "core/domain/domain.hpp"
#include "core/base/error.hpp"
#include "core/base/install_paths.hpp"
#include "core/store/code_key.hpp"
#include "core/store/postgres.hpp"
#include "core/store/schema.hpp"
#include "core/store/schema_pg.hpp"

#include <sodium.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

namespace inloop::core {

namespace {

void ensureSodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
}

Error diskFull() { return Error(ErrorKind::Storage, "disk.full", "The disk is full; nothing was saved."); }

// Creates an empty file with exactly this mode, unless it exists already; true if it made it.
bool createWithMode(const fs::path& file, mode_t mode) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        if (errno == EEXIST) return false;
        if (errno == ENOSPC) throw diskFull();
        throw Error(ErrorKind::Storage, "store.unwritable", "Cannot create " + file.string() + ": " + std::strerror(errno) + ".");
    }
    ::fchmod(fd, mode); // the umask must not widen or narrow it
    ::close(fd);
    return true;
}

// A file the apps must write but whose mode forbids it (0444): refused before init says "ready". Root may write
// anyway, the apps' accounts may not, so the mode itself counts, not only access().
void requireWritable(const fs::path& file, const char* fix) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return;
    if ((st.st_mode & S_IWUSR) && ::access(file.c_str(), W_OK) == 0) return;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
    throw Error(ErrorKind::Storage, "store.readonly",
                file.filename().string() + " is read-only (mode " + mode + "), so the apps could not save anything; run: chmod " +
                    fix + " " + file.string());
}

void writeNewKey(const fs::path& file, mode_t mode) {
    CodeKey key{};
    randombytes_buf(key.data(), key.size());
    writeKeyFile(file, key, mode);
    sodium_memzero(key.data(), key.size());
}

void syncDir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void requireAccess(const fs::path& path, int how, bool kiosk = false) {
    if (auto why = accessProblem(path, how, kiosk)) throw Error(ErrorKind::Storage, "store.no_access", *why);
}

Error inUse(const fs::path& file) {
    return Error(ErrorKind::Conflict, "store.in_use",
                 file.string() + " is open in another program (the kiosk, the front desk or inloopctl); close it and "
                                 "run `inloopctl init` again to move the data into its folders.");
}

// A WAL or shared-memory file left at the old place by a move cut short. An empty WAL holds nothing; one that is not
// empty belongs to a file we did not move, so it is left alone and the move refused.
void removeLeftovers(const fs::path& from) {
    std::error_code ec;
    fs::remove(from.string() + "-shm", ec);
    const fs::path wal = from.string() + "-wal";
    if (fs::exists(wal, ec) && fs::file_size(wal, ec) > 0)
        throw Error(ErrorKind::Storage, "store.leftover",
                    wal.string() + " holds changes while " + from.filename().string() +
                        " has moved; restore a backup, or ask for help before deleting it.");
    fs::remove(wal, ec);
}

// A flat database, locked for its move: checkpointed into itself (TRUNCATE: its WAL holds nothing any more) under an
// exclusive lock, which only succeeds when no other program has the file open (every WAL connection holds a shared
// lock on it for as long as it is open). The lock lasts as long as the returned connection.
std::unique_ptr<SqliteDatabase> lockForMove(const fs::path& file) {
    auto db = std::make_unique<SqliteDatabase>(file, SqliteDatabase::Mode::ReadWrite);
    try {
        db->exec("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;");
        if (db->queryInt("PRAGMA wal_checkpoint(TRUNCATE)") != 0) throw inUse(file);
    } catch (const SqliteError& e) {
        if (e.primaryCode() == SQLITE_BUSY || e.primaryCode() == SQLITE_LOCKED) throw inUse(file);
        throw;
    }
    return db;
}

// Moves one file into its folder by rename(): the same inode, nothing copied.
void renameInto(const fs::path& from, const fs::path& to) {
    if (std::error_code ec; fs::exists(to, ec))
        throw Error(ErrorKind::Conflict, "store.both",
                    "Both " + from.string() + " and " + to.string() + " exist; keep the right one (check both with "
                    "`inloopctl check`), move the other away and run `inloopctl init` again.");
    if (::rename(from.c_str(), to.c_str()) != 0)
        throw Error(ErrorKind::Storage, "store.unwritable",
                    "Cannot move " + from.string() + " to " + to.string() + ": " + std::strerror(errno) + ".");
    syncDir(to.parent_path());
    syncDir(from.parent_path());
}

// Moves whatever still lies flat in the data folder into public/ and desk/. Both databases are locked before
// anything moves, so a refusal moves nothing; one rename per file, so a crash at any point leaves files that open
// where they are and a move the next `init` finishes.
void moveFlatFiles(const StorePaths& paths) {
    const fs::path& dir = paths.dir;
    const fs::path targets[] = {dir / "public" / "public.db", dir / "desk" / "desk.db", dir / "desk" / "client-code.key"};
    std::unique_ptr<SqliteDatabase> locks[2];
    bool flat[3] = {};
    for (int i = 0; i < 3; ++i) {
        std::error_code ec;
        flat[i] = fs::exists(dir / targets[i].filename(), ec);
        if (flat[i] && i < 2) locks[i] = lockForMove(dir / targets[i].filename());
    }
    for (int i = 0; i < 3; ++i)
        if (flat[i]) renameInto(dir / targets[i].filename(), targets[i]);
    for (auto& lock : locks) lock.reset(); // the last connections: SQLite removes the (empty) WALs at the old names
    for (int i = 0; i < 2; ++i) removeLeftovers(dir / targets[i].filename()); // also those of a move cut short
    struct stat st {};
    if ((flat[0] || flat[1] || flat[2]) && ::stat(dir.c_str(), &st) == 0 && (st.st_mode & 0005) != 0005 &&
        ::chmod(dir.c_str(), 0755) != 0) {
        // not ours (the package made it 0755 already): the access sentences name the folder if the kiosk cannot pass
    }
}

// True when this connection's role may migrate the part: it owns the schema (or is a member of its owner, or a
// superuser). A site's desk and kiosk roles may not.
bool mayMigrate(const PgRun& run, StoreFile part) {
    return run("SELECT pg_has_role(nspowner, 'MEMBER') FROM pg_namespace WHERE nspname = '" +
               std::string(pgSchemaName(part)) + "'")
        .starts_with('t');
}

Error upgradeNeeded(const StoreLocation& location, StoreFile part, int version) {
    return Error(ErrorKind::Storage, "store.upgrade_needed",
                 "The data on " + location.describe() + " has " + std::string(pgSchemaName(part)) + " v" +
                     std::to_string(version) + ", this program needs v" + std::to_string(pgLatestVersion(part)) +
                     ", and this machine's database role may not upgrade it. On the appliance, run "
                     "`inloopctl --store <admin connection> server init` as the database admin.");
}

Error storageError(const SqliteError& e, const fs::path& dir) {
    if (e.isCorrupt())
        return Error(ErrorKind::Storage, "store.damaged",
                     std::string(e.what()) + " Run `inloopctl check` in " + dir.string() + ", or restore a backup.");
    return Error(ErrorKind::Storage, "store.unusable", e.what());
}

// Migrates before switching to WAL: a file that is refused (too new, not ours) is left exactly as it was.
std::unique_ptr<SqliteDatabase> openFile(const fs::path& file, StoreFile kind) {
    auto db = std::make_unique<SqliteDatabase>(file, SqliteDatabase::Mode::ReadWrite);
    db->exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA trusted_schema = OFF; PRAGMA secure_delete = ON;");
    migrate(*db, kind);
    applyConnectionSettings(*db);
    return db;
}

} // namespace

fs::path resolveDataDir(const std::optional<std::string>& flag) {
    if (flag && !flag->empty()) return fs::path(*flag);
    if (const char* env = std::getenv("INLOOP_DATA_DIR"); env && *env) return fs::path(env);
    return installPaths().dataDir; // ./var in a checkout, /var/lib/inloop when installed
}

std::string StoreLocation::describe() const {
    if (!isPostgres()) return dataDir.string();
    // No password in messages: keyword strings lose their password=…, URLs their user:password@.
    std::string out = server;
    if (const size_t at = out.find('@'), scheme = out.find("://"); at != std::string::npos && scheme != std::string::npos)
        out.erase(scheme + 3, at + 1 - (scheme + 3));
    if (const size_t pw = out.find("password="); pw != std::string::npos) {
        const size_t end = out.find(' ', pw);
        out.erase(pw, end == std::string::npos ? std::string::npos : end - pw + 1);
    }
    return out;
}

std::string storeFromFile(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return "";
    std::ifstream in(file);
    if (!in || !fs::is_regular_file(file, ec) || ::access(file.c_str(), R_OK) != 0)
        throw Error(ErrorKind::Storage, "store.config_unreadable",
                    file.string() + " says where the store is, but this account may not read it (it holds the "
                                    "store's password: only the machine's group may).");
    std::string line, value;
    while (std::getline(in, line)) {
        const size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#') continue;
        if (line.compare(start, 13, "INLOOP_STORE=") != 0) continue;
        value = line.substr(start + 13);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r')) value.pop_back();
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
            value = value.substr(1, value.size() - 2);
    }
    return value;
}

StoreLocation resolveStore(const std::optional<std::string>& storeFlag, const std::optional<std::string>& dataDirFlag,
                           bool kiosk) {
    std::string store = storeFlag.value_or("");
    if (store.empty())
        if (const char* env = std::getenv("INLOOP_STORE"); env && *env) store = env;
    if (const fs::path config = installPaths().configDir; store.empty() && !config.empty())
        store = storeFromFile(config / (kiosk ? "store-kiosk.env" : "store-desk.env"));
    if (!store.empty() && !isPostgresLocation(store)) return StoreLocation{fs::path(store)};
    return StoreLocation{resolveDataDir(dataDirFlag), store};
}

void Store::init(const StoreLocation& location) {
    if (!location.isPostgres()) return init(location.dataDir);
    ensureSodium();
    {
        PgDatabase db(location.server, "desk, pub");
        const PgRun run = [&db](std::string_view sql) { return db.script(sql); };
        for (StoreFile part : {StoreFile::Public, StoreFile::Desk})
            if (const int v = pgVersion(run, part); v > 0 && v < pgLatestVersion(part) && !mayMigrate(run, part))
                throw upgradeNeeded(location, part, v);
        migratePg(run, StoreFile::Public);
        migratePg(run, StoreFile::Desk);
        // This machine's key: made here when the store has no visitor codes yet, else it must be copied in.
        const StorePaths paths{location.dataDir};
        std::error_code ec;
        fs::create_directories(paths.dir / "desk", ec);
        if (!fs::exists(paths.codeKey(), ec)) {
            if (db.queryInt("SELECT count(*) FROM client") > 0 ||
                !db.queryText("SELECT value FROM setting WHERE key = 'code_key.fingerprint'").empty())
                throw Error(ErrorKind::Storage, "store.key_missing",
                            "The store holds visitor codes but this machine has no client-code.key in " +
                                paths.deskDir().string() + "; copy it from another desk machine.");
            writeNewKey(paths.codeKey(), 0600);
        }
    }
    Store store = open(location, Access::Desk);
    seedSiteDefaults(store);
}

Store Store::open(const StoreLocation& location, Access access) {
    return location.isPostgres() ? openServer(location, access) : open(location.dataDir, access);
}

Store Store::openServer(const StoreLocation& location, Access access) {
    ensureSodium();
    const bool kiosk = access == Access::Kiosk;
    auto db = std::make_unique<PgDatabase>(location.server, kiosk ? "pub" : "desk, pub");
    const PgRun run = [&db](std::string_view sql) { return db->script(sql); };
    for (StoreFile part : {StoreFile::Public, StoreFile::Desk}) {
        if (kiosk && part == StoreFile::Desk) break;
        const int version = pgVersion(run, part);
        if (version == 0)
            throw Error(ErrorKind::Storage, "store.missing",
                        "No Inloop data on " + location.describe() + ". Run `inloopctl --store … init` first.");
        if (version == pgLatestVersion(part)) continue;
        // Older: only a role that owns the schema brings it forward (the kiosk never tries; a site's desk role may
        // not). Newer: refused by migratePg before it changes anything.
        if (version < pgLatestVersion(part) && (kiosk || !mayMigrate(run, part)))
            throw upgradeNeeded(location, part, version);
        migratePg(run, part);
    }
    // A machine whose link dies inside a write leaves its session idle in the transaction, holding a part's write
    // lock that every other machine's writes wait for, until the server learns the peer is gone (over TCP: its
    // keepalives, two hours by default). The server ends such a session after 10 s of silence; the app's own
    // transactions never pause that long between statements, and a write cut so is not acknowledged anyway.
    db->exec("SET idle_in_transaction_session_timeout = '10s'");
    db->setAnswerWithin(PgDatabase::kAnswerWithin); // migrations above waited as long as they took
    Store store(StorePaths{location.dataDir}, access, std::move(db));
    if (!kiosk) store.readCodeKey();
    return store;
}

void Store::readCodeKey() {
    std::ifstream key(m_paths.codeKey(), std::ios::binary);
    if (!key.read(reinterpret_cast<char*>(m_codeKey.data()), m_codeKey.size()) || key.peek() != EOF)
        throw Error(ErrorKind::Storage, "store.key_missing",
                    "client-code.key in " + m_paths.dir.string() + " is missing or damaged; " +
                        (engine() == Engine::Postgres ? "copy it from another desk machine." : "restore it from a backup."));
    checkCodeKey();
}

// The store remembers which key its visitor codes are made with: a desk machine with another key would count every
// known visitor as a new person, and nobody would notice before the year's figures. The first desk to open a store
// (or an older store, once) records the key's fingerprint; a read-only copy is only compared.
void Store::checkCodeKey() {
    const std::string mine = codeKeyFingerprint(m_codeKey);
    const auto recorded = [this] { return m_db->queryText("SELECT value FROM setting WHERE key = 'code_key.fingerprint'"); };
    std::string there = recorded();
    if (there.empty()) {
        try {
            Transaction tx(*m_db, Transaction::Writes::Main);
            m_db->prepare("INSERT INTO setting(key, value) VALUES ('code_key.fingerprint', ?1) ON CONFLICT(key) DO NOTHING")
                .bind(1, mine)
                .run();
            tx.commit();
        } catch (const DbError& e) {
            // A read-only copy, or another writer holding the lock past the timeout: the next open records it.
            if (e.fault() != DbError::Fault::ReadOnly && e.fault() != DbError::Fault::Permission && !e.isBusy()) throw;
            return;
        }
        there = recorded(); // another desk may have been first
    }
    if (there != mine)
        throw Error(ErrorKind::Storage, "store.key_mismatch",
                    "This machine's key for visitor codes (" + m_paths.codeKey().string() +
                        ") is not the one the store's codes are made with: every known visitor would count as a new "
                        "person. Copy the key from a desk machine that works (`inloopctl key export` there, `inloopctl "
                        "key import` here, after moving this one away).");
}

void Store::init(const fs::path& dir) {
    ensureSodium();
    std::error_code ec;
    const bool isNew = !fs::exists(dir, ec);
    fs::create_directories(dir, ec);
    if (isNew && !ec) ::chmod(dir.c_str(), 0755); // its two folders keep the kiosk and staff apart
    if (ec || !fs::is_directory(dir)) {
        const fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
        if (auto why = fs::is_directory(parent, ec) ? accessProblem(parent, W_OK | X_OK) : std::nullopt)
            throw Error(ErrorKind::Storage, "store.no_access", *why);
        throw Error(ErrorKind::Storage, "store.unwritable", "Cannot create the data folder " + dir.string() + ".");
    }
    requireAccess(dir, X_OK);
    const StorePaths paths{dir};
    const auto requireFile = [](const fs::path& file, int how) {
        requireAccess(file.parent_path(), W_OK | X_OK);
        if (std::error_code e; fs::exists(file, e)) requireAccess(file, how);
    };
    requireFile(paths.publicDb(), R_OK | W_OK);
    requireFile(paths.deskDb(), R_OK | W_OK);
    requireFile(paths.codeKey(), R_OK);
    requireWritable(paths.publicDb(), "660");
    requireWritable(paths.deskDb(), "660");
    // What this run creates is removed again if it fails (a full disk leaves no empty files and no key.tmp).
    std::vector<fs::path> made;
    try {
        try {
            // Files already there are checked (and migrated) where they are, before anything is moved or created.
            if (fs::exists(paths.publicDb())) openFile(paths.publicDb(), StoreFile::Public);
            if (fs::exists(paths.deskDb())) openFile(paths.deskDb(), StoreFile::Desk);
        } catch (const SqliteError& e) {
            throw storageError(e, dir);
        }
        if (paths.hasFlatFiles() || !fs::is_directory(dir / "public") || !fs::is_directory(dir / "desk")) {
            requireAccess(dir, W_OK | X_OK);
            makeLayoutFolders(dir);
            try {
                moveFlatFiles(paths);
            } catch (const SqliteError& e) {
                throw storageError(e, dir);
            }
        }
        requireAccess(paths.publicDir(), W_OK | X_OK);
        requireAccess(paths.deskDir(), W_OK | X_OK);
        if (createWithMode(paths.publicDb(), 0660)) made.push_back(paths.publicDb());
        if (createWithMode(paths.deskDb(), 0660)) made.push_back(paths.deskDb());
        if (!fs::exists(paths.codeKey())) {
            SqliteDatabase probe(paths.deskDb(), SqliteDatabase::Mode::ReadWrite);
            if (probe.queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'client'") > 0 &&
                probe.queryInt("SELECT count(*) FROM client") > 0)
                throw Error(ErrorKind::Storage, "store.key_missing",
                            "client-code.key is missing while desk.db holds visitor codes; restore it from a backup.");
            writeNewKey(paths.codeKey(), 0640);
            made.push_back(paths.codeKey());
        }
        applyLayoutModes(paths);
        try {
            openFile(paths.publicDb(), StoreFile::Public);
            openFile(paths.deskDb(), StoreFile::Desk);
        } catch (const SqliteError& e) {
            if (e.primaryCode() == SQLITE_FULL) throw diskFull();
            throw storageError(e, dir);
        }
        Store store = open(dir, Access::Desk);
        seedSiteDefaults(store);
    } catch (...) {
        std::error_code rm;
        for (const fs::path& f : made) {
            fs::remove(f, rm);
            fs::remove(f.string() + "-wal", rm);
            fs::remove(f.string() + "-shm", rm);
            fs::remove(f.string() + "-journal", rm);
        }
        if (isNew) fs::remove_all(dir, rm);
        throw;
    }
}

Store Store::open(const fs::path& dir, Access access) {
    ensureSodium();
    StorePaths paths{dir};
    const bool kiosk = access == Access::Kiosk;
    const auto missing = [&](const fs::path& f) {
        return Error(ErrorKind::Storage, "store.missing",
                     "No Inloop data in " + dir.string() + " (" + f.filename().string() +
                         " is missing). Run `inloopctl --data-dir " + dir.string() + " init` first.");
    };
    // A file this account may not use is named with the group it lacks, before SQLite says only "unable to open".
    const auto require = [&](const fs::path& file, int how) {
        requireAccess(file.parent_path(), W_OK | X_OK, kiosk); // the WAL and -shm are made beside the file
        std::error_code ec;
        if (!fs::exists(file, ec)) throw missing(file);
        requireAccess(file, how, kiosk);
    };
    requireAccess(dir, X_OK, kiosk);
    require(paths.publicDb(), R_OK | W_OK);
    try {
        if (kiosk) {
            auto files = identify({paths.publicDb()}); // before opening: a swap in between is then noticed
            Store store(paths, access, openFile(paths.publicDb(), StoreFile::Public));
            store.m_files = std::move(files);
            return store;
        }

        require(paths.deskDb(), R_OK | W_OK);
        if (std::error_code ec; fs::exists(paths.codeKey(), ec)) requireAccess(paths.codeKey(), R_OK);
        openFile(paths.publicDb(), StoreFile::Public); // migrate public.db on its own connection first
        auto files = identify({paths.deskDb(), paths.publicDb()}); // before opening: a swap in between is noticed
        auto db = openFile(paths.deskDb(), StoreFile::Desk);
        Statement& attach = db->prepare("ATTACH DATABASE ? AS pub");
        attach.bind(1, paths.publicDb().string()).run();
        db->exec("PRAGMA pub.synchronous = FULL; PRAGMA pub.secure_delete = ON;");
        Store store(paths, access, std::move(db));
        store.m_files = std::move(files);

        store.readCodeKey();
        return store;
    } catch (const SqliteError& e) {
        throw storageError(e, dir);
    }
}

Store::Store(StorePaths paths, Access access, std::unique_ptr<Database> db)
    : m_paths(std::move(paths)), m_access(access), m_db(std::move(db)) {}

std::vector<Store::FileId> Store::identify(std::initializer_list<fs::path> files) {
    std::vector<FileId> out;
    for (const fs::path& file : files) {
        struct stat st {};
        if (::stat(file.c_str(), &st) == 0) out.push_back({file, st.st_dev, st.st_ino});
    }
    return out;
}

bool Store::filesReplaced() const {
    for (const FileId& f : m_files) {
        struct stat st {};
        if (::stat(f.path.c_str(), &st) != 0 || st.st_dev != f.dev || st.st_ino != f.ino) return true;
    }
    return false;
}

Error notOnPostgres(std::string_view what) {
    return Error(ErrorKind::Storage, "store.postgres_unsupported",
                 std::string(what) + " is not available yet for a PostgreSQL store (only for a data folder).");
}

SqliteDatabase& Store::sqlite(std::string_view what) {
    if (auto* sqlite = dynamic_cast<SqliteDatabase*>(m_db.get())) return *sqlite;
    throw notOnPostgres(what);
}

void Store::abandon() {
    if (auto* sqlite = dynamic_cast<SqliteDatabase*>(m_db.get()))
        sqlite3_db_config(sqlite->handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
}

std::string Store::normaliseClientCode(std::string_view code) {
    std::string out;
    for (unsigned char c : code) {
        if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '\t') continue;
        out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c);
    }
    return out;
}

CodeHash Store::hashClientCode(std::string_view code) const {
    if (!isDesk()) throw Error(ErrorKind::Storage, "store.kiosk", "The kiosk cannot hash visitor codes.");
    const std::string norm = normaliseClientCode(code);
    if (norm.size() < 3 || norm.size() > 24)
        throw Error(ErrorKind::InvalidInput, "client_code", "A visitor code has 3 to 24 letters or digits.");
    CodeHash out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(norm.data()), norm.size(),
                       m_codeKey.data(), m_codeKey.size());
    return out;
}

} // namespace inloop::core
