// Health check, online backup into one SQLite archive, verified restore (see maintenance.hpp).
//
// [SECTION] check
// [SECTION] backup
// [SECTION] restore
#include "maintenance.hpp"

#include "clock.hpp"
#include "error.hpp"
#include "schema.hpp"
#include "sqlite.hpp"
#include "store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace inloop::core {

namespace {

constexpr const char* kBackupFiles[] = {"public.db", "desk.db", "client-code.key"};

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(ErrorKind::Storage, "file.unreadable", "Cannot read " + file.string() + ".");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFileSynced(const fs::path& file, std::string_view bytes, mode_t mode) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) throw Error(ErrorKind::Storage, "file.unwritable", "Cannot write " + file.string() + ".");
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            ::close(fd);
            throw Error(ErrorKind::Storage, "file.unwritable", "Cannot write " + file.string() + " (disk full?).");
        }
        done += static_cast<size_t>(n);
    }
    ::fchmod(fd, mode);
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) throw Error(ErrorKind::Storage, "file.unwritable", "Cannot write " + file.string() + " to disk.");
}

void syncDir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::string stamp() {
    const int64_t now = nowUnix();
    const int minute = localMinuteOfDay(now);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d%02d%02d", minute / 60, minute % 60, static_cast<int>(now % 60));
    return localDay(now) + "-" + buf;
}

// [SECTION] check
void checkFile(const fs::path& dir, const fs::path& file, StoreFile kind, CheckReport& report) {
    const std::string name(fileName(kind));
    if (!fs::exists(file)) {
        report.problems.push_back(name + " is missing. Run `inloopctl --data-dir " + dir.string() +
                                  " init` to create the store, or restore a backup.");
        return;
    }
    try {
        Database db(file, Database::Mode::ReadWrite);
        const int version = static_cast<int>(db.queryInt("PRAGMA user_version"));
        const int latest = latestVersion(kind);
        if (version == 0) report.problems.push_back(name + " is not an initialised Inloop file (schema version 0).");
        else if (version > latest)
            report.problems.push_back(name + " has schema version " + std::to_string(version) +
                                      ", newer than this Inloop knows (" + std::to_string(latest) + ").");
        else if (version < latest)
            report.facts.push_back(name + ": schema version " + std::to_string(version) + " (will be migrated to " +
                                   std::to_string(latest) + " when opened)");
        else report.facts.push_back(name + ": schema version " + std::to_string(version));

        Statement integrity(db, "PRAGMA integrity_check(20)");
        std::vector<std::string> rows;
        while (integrity.step()) rows.push_back(integrity.getText(0));
        if (rows.size() == 1 && rows[0] == "ok") report.facts.push_back(name + ": integrity ok");
        else
            for (const auto& r : rows) report.problems.push_back(name + " is damaged: " + r);

        Statement fk(db, "PRAGMA foreign_key_check");
        int fkProblems = 0;
        while (fk.step())
            if (++fkProblems <= 5)
                report.problems.push_back(name + ": a row in " + fk.getText(0) + " points to a missing " +
                                          fk.getText(2) + " row.");
        if (fkProblems == 0) report.facts.push_back(name + ": references ok");

        const std::string mode = db.queryText("PRAGMA journal_mode");
        if (mode != "wal") report.problems.push_back(name + " is not in WAL mode (" + mode + ").");

        if (kind == StoreFile::Desk && version > 0) {
            const int64_t guards = db.queryInt(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
                "AND name IN ('audit_log_no_update', 'audit_log_no_delete')");
            if (guards != 2) report.problems.push_back("desk.db: the audit log's write protection is missing.");
        }
    } catch (const SqliteError& e) {
        report.problems.push_back(e.isCorrupt() ? name + " is damaged or is not an Inloop data file."
                                                : name + ": " + e.what());
    } catch (const Error& e) {
        report.problems.push_back(name + ": " + e.what());
    }
}

} // namespace

CheckReport checkStore(const fs::path& dir) {
    CheckReport report;
    if (!fs::is_directory(dir)) {
        report.problems.push_back("There is no data folder at " + dir.string() + ". Run `inloopctl --data-dir " +
                                  dir.string() + " init` to create one.");
        return report;
    }
    StorePaths paths{dir};
    checkFile(dir, paths.publicDb(), StoreFile::Public, report); // the data folder, not public/ or desk/
    checkFile(dir, paths.deskDb(), StoreFile::Desk, report);

    checkLayoutModes(paths, report.problems, report.facts);
    std::error_code ec;
    const auto keySize = fs::file_size(paths.codeKey(), ec);
    if (ec) report.problems.push_back("client-code.key is missing: visitor codes cannot be recognised.");
    else if (keySize != 32) report.problems.push_back("client-code.key is damaged (wrong size).");
    else report.facts.push_back("client-code.key: present");
    return report;
}

// [SECTION] backup
void backupStore(const fs::path& dir, const fs::path& file) {
    if (fs::exists(file))
        throw Error(ErrorKind::Conflict, "backup.exists", file.string() + " exists already; choose another name.");
    Store store = Store::open(dir, Store::Access::Desk);
    std::string images[2];
    {
        // One read transaction across both files: the two copies show the same moment.
        ReadTransaction snapshot(store.db());
        const char* schemas[] = {"pub", "main"};
        for (int i = 0; i < 2; ++i) {
            Database mem(":memory:", Database::Mode::ReadWriteCreate);
            sqlite3_backup* b = sqlite3_backup_init(mem.handle(), "main", store.db().handle(), schemas[i]);
            if (!b) mem.fail(sqlite3_errcode(mem.handle()), "Cannot start the backup");
            const int rc = sqlite3_backup_step(b, -1);
            sqlite3_backup_finish(b);
            if (rc != SQLITE_DONE) store.db().fail(rc, "The backup failed");
            sqlite3_int64 size = 0;
            unsigned char* bytes = sqlite3_serialize(mem.handle(), "main", &size, 0);
            if (!bytes) throw std::runtime_error("Not enough memory for the backup.");
            images[i].assign(reinterpret_cast<const char*>(bytes), static_cast<size_t>(size));
            sqlite3_free(bytes);
        }
    }
    const std::string key = readFile(store.paths().codeKey());

    const fs::path tmp = file.string() + ".partial";
    fs::remove(tmp);
    {
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); // a backup is as private as desk.db
        if (fd < 0) throw Error(ErrorKind::Storage, "backup.unwritable", "Cannot write " + file.string() + ".");
        ::close(fd);
        Database out(tmp, Database::Mode::ReadWrite);
        out.exec("PRAGMA synchronous = FULL;"
                 "CREATE TABLE sqlar(name TEXT PRIMARY KEY, mode INT, mtime INT, sz INT, data BLOB);");
        Transaction tx(out);
        Statement& ins = out.prepare("INSERT INTO sqlar(name, mode, mtime, sz, data) VALUES (?, ?, ?, ?, ?)");
        const std::string* blobs[] = {&images[0], &images[1], &key};
        for (int i = 0; i < 3; ++i) {
            ins.bindAll(kBackupFiles[i], static_cast<int64_t>(0100600), nowUnix(), static_cast<int64_t>(blobs[i]->size()));
            ins.bindBlob(5, blobs[i]->data(), blobs[i]->size());
            ins.run();
        }
        tx.commit();
    }
    if (::rename(tmp.c_str(), file.c_str()) != 0) {
        fs::remove(tmp);
        throw Error(ErrorKind::Storage, "backup.unwritable", "Cannot write " + file.string() + ".");
    }
    syncDir(fs::absolute(file).parent_path());
}

// [SECTION] restore
namespace {
fs::path restoreInto(const fs::path& dir, const std::string (&blobs)[3], const fs::path& file);
}

fs::path restoreStore(const fs::path& dir, const fs::path& file) {
    if (!fs::is_regular_file(file))
        throw Error(ErrorKind::NotFound, "backup.missing", "There is no backup file at " + file.string() + ".");
    const auto notBackup = [&] {
        return Error(ErrorKind::Storage, "backup.invalid", file.string() + " is not an Inloop backup, or it is damaged.");
    };
    std::string blobs[3];
    try {
        Database in(file, Database::Mode::ReadOnly);
        for (int i = 0; i < 3; ++i) {
            Statement st(in, "SELECT data, sz FROM sqlar WHERE name = ?");
            st.bind(1, kBackupFiles[i]);
            if (!st.step()) throw notBackup();
            blobs[i] = st.getBlob(0);
            if (static_cast<int64_t>(blobs[i].size()) != st.getInt(1)) throw notBackup(); // compressed or cut short
        }
    } catch (const SqliteError&) {
        throw notBackup();
    }

    std::error_code ec;
    const bool created = !fs::exists(dir);
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir) || ::access(dir.c_str(), W_OK) != 0)
        throw Error(ErrorKind::Storage, "store.unwritable", "The data folder " + dir.string() + " is not writable.");
    if (created) ::chmod(dir.c_str(), 0755); // as init makes it: public/ and desk/ guard themselves
    try {
        return restoreInto(dir, blobs, file);
    } catch (...) {
        if (created) fs::remove_all(dir, ec); // a refused restore leaves no trace
        throw;
    }
}

namespace {
fs::path restoreInto(const fs::path& dir, const std::string (&blobs)[3], const fs::path& file) {
    std::error_code ec;

    // Unpack into a scratch folder inside the data folder (same file system, so the final renames are atomic).
    const fs::path scratch = dir / (".restore-" + std::to_string(::getpid()));
    fs::remove_all(scratch, ec);
    fs::create_directory(scratch);
    ::chmod(scratch.c_str(), 0700);
    struct ScratchGuard {
        fs::path p;
        ~ScratchGuard() {
            std::error_code e;
            fs::remove_all(p, e);
        }
    } guard{scratch};
    const mode_t modes[] = {0640, 0600, 0600};
    for (int i = 0; i < 3; ++i) writeFileSynced(scratch / kBackupFiles[i], blobs[i], modes[i]);
    const CheckReport report = checkStore(scratch);
    if (!report.ok())
        throw Error(ErrorKind::Storage, "backup.invalid",
                    file.string() + " does not pass the check (" + report.problems.front() + "); nothing was changed.");

    // Keep what is there now: a backup if it can still be read, the raw files otherwise.
    const StorePaths paths{dir};
    const fs::path targets[] = {paths.publicDb(), paths.deskDb(), paths.codeKey()};
    fs::path safety;
    if (fs::exists(paths.deskDb()) || fs::exists(paths.publicDb())) {
        safety = dir / ("before-restore-" + stamp() + ".sqlar");
        try {
            backupStore(dir, safety);
        } catch (const std::exception&) {
            safety = dir / ("before-restore-" + stamp());
            fs::create_directory(safety, ec);
            for (const fs::path& target : targets)
                for (const char* suffix : {"", "-wal", "-shm"})
                    if (fs::exists(target.string() + suffix))
                        fs::copy_file(target.string() + suffix, safety / (target.filename().string() + suffix), ec);
        }
    }
    if (!paths.hasFlatFiles()) makeLayoutFolders(dir); // a new folder gets init's layout; a flat store stays flat
    for (int i = 0; i < 3; ++i) {
        // A stale WAL would be replayed into the restored file: remove it first.
        for (const char* suffix : {"-wal", "-shm"}) fs::remove(targets[i].string() + suffix, ec);
        if (::rename((scratch / kBackupFiles[i]).c_str(), targets[i].c_str()) != 0)
            throw Error(ErrorKind::Storage, "restore.failed", std::string("Cannot put ") + kBackupFiles[i] +
                                                                  " in place: " + std::strerror(errno) + ".");
        syncDir(targets[i].parent_path());
    }
    applyLayoutModes(StorePaths{dir}); // renamed files keep the scratch folder's group and modes
    syncDir(dir);
    return safety;
}
} // namespace

} // namespace inloop::core
