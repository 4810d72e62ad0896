// Opening and creating the data folder (see store.hpp).
#include "store.hpp"

#include "domain.hpp"
#include "error.hpp"
#include "install_paths.hpp"
#include "schema.hpp"

#include <sodium.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
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

void writeNewKey(const fs::path& file) {
    unsigned char key[crypto_generichash_KEYBYTES];
    randombytes_buf(key, sizeof key);
    const fs::path tmp = file.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw Error(ErrorKind::Storage, "store.unwritable", "Cannot create " + tmp.string() + ".");
    bool ok = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
    const int err = errno;
    ok = ::close(fd) == 0 && ok;
    sodium_memzero(key, sizeof key);
    if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
        ::unlink(tmp.c_str());
        if (err == ENOSPC || errno == ENOSPC) throw diskFull();
        throw Error(ErrorKind::Storage, "store.unwritable", "Cannot write " + file.string() + ".");
    }
}

Error storageError(const SqliteError& e, const fs::path& dir) {
    if (e.isCorrupt())
        return Error(ErrorKind::Storage, "store.damaged",
                     std::string(e.what()) + " Run `inloopctl check` in " + dir.string() + ", or restore a backup.");
    return Error(ErrorKind::Storage, "store.unusable", e.what());
}

// Migrates before switching to WAL: a file that is refused (too new, not ours) is left exactly as it was.
Database openFile(const fs::path& file, StoreFile kind) {
    Database db(file, Database::Mode::ReadWrite);
    db.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA trusted_schema = OFF; PRAGMA secure_delete = ON;");
    migrate(db, kind);
    applyConnectionSettings(db);
    return db;
}

} // namespace

fs::path resolveDataDir(const std::optional<std::string>& flag) {
    if (flag && !flag->empty()) return fs::path(*flag);
    if (const char* env = std::getenv("INLOOP_DATA_DIR"); env && *env) return fs::path(env);
    return installPaths().dataDir; // ./var in a checkout, /var/lib/inloop when installed
}

void Store::init(const fs::path& dir) {
    ensureSodium();
    std::error_code ec;
    const bool isNew = !fs::exists(dir, ec);
    fs::create_directories(dir, ec);
    if (isNew && !ec) ::chmod(dir.c_str(), 0750); // staff and the kiosk's group; nobody else
    if (ec || !fs::is_directory(dir))
        throw Error(ErrorKind::Storage, "store.unwritable", "Cannot create the data folder " + dir.string() + ".");
    if (::access(dir.c_str(), W_OK) != 0)
        throw Error(ErrorKind::Storage, "store.unwritable", "The data folder " + dir.string() + " is not writable.");
    StorePaths paths{dir};
    requireWritable(paths.publicDb(), "640");
    requireWritable(paths.deskDb(), "600");
    // What this run creates is removed again if it fails (a full disk leaves no empty files and no key.tmp).
    std::vector<fs::path> made;
    try {
        try {
            // Files already there are checked (and migrated) before anything new is created beside them.
            if (fs::exists(paths.publicDb())) openFile(paths.publicDb(), StoreFile::Public);
            if (fs::exists(paths.deskDb())) openFile(paths.deskDb(), StoreFile::Desk);
        } catch (const SqliteError& e) {
            throw storageError(e, dir);
        }
        if (createWithMode(paths.publicDb(), 0640)) made.push_back(paths.publicDb());
        if (createWithMode(paths.deskDb(), 0600)) made.push_back(paths.deskDb());
        if (!fs::exists(paths.codeKey())) {
            Database probe(paths.deskDb(), Database::Mode::ReadWrite);
            if (probe.queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'client'") > 0 &&
                probe.queryInt("SELECT count(*) FROM client") > 0)
                throw Error(ErrorKind::Storage, "store.key_missing",
                            "client-code.key is missing while desk.db holds visitor codes; restore it from a backup.");
            writeNewKey(paths.codeKey());
            made.push_back(paths.codeKey());
        }
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
    const auto missing = [&](const fs::path& f) {
        return Error(ErrorKind::Storage, "store.missing",
                     "No Inloop data in " + dir.string() + " (" + f.filename().string() +
                         " is missing). Run `inloopctl --data-dir " + dir.string() + " init` first.");
    };
    if (!fs::exists(paths.publicDb())) throw missing(paths.publicDb());
    try {
        if (access == Access::Kiosk) {
            auto files = identify({paths.publicDb()}); // before opening: a swap in between is then noticed
            Store store(paths, access, openFile(paths.publicDb(), StoreFile::Public));
            store.m_files = std::move(files);
            return store;
        }

        if (!fs::exists(paths.deskDb())) throw missing(paths.deskDb());
        openFile(paths.publicDb(), StoreFile::Public); // migrate public.db on its own connection first
        auto files = identify({paths.deskDb(), paths.publicDb()}); // before opening: a swap in between is noticed
        Database db = openFile(paths.deskDb(), StoreFile::Desk);
        Statement& attach = db.prepare("ATTACH DATABASE ? AS pub");
        attach.bind(1, paths.publicDb().string()).run();
        db.exec("PRAGMA pub.synchronous = FULL; PRAGMA pub.secure_delete = ON;");
        Store store(paths, access, std::move(db));
        store.m_files = std::move(files);

        std::ifstream key(paths.codeKey(), std::ios::binary);
        if (!key.read(reinterpret_cast<char*>(store.m_codeKey.data()), store.m_codeKey.size()) || key.peek() != EOF)
            throw Error(ErrorKind::Storage, "store.key_missing",
                        "client-code.key in " + dir.string() + " is missing or damaged; restore it from a backup.");
        return store;
    } catch (const SqliteError& e) {
        throw storageError(e, dir);
    }
}

Store::Store(StorePaths paths, Access access, Database db)
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

void Store::abandon() { sqlite3_db_config(m_db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr); }

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
