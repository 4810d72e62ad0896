// Health check, online backup into one SQLite archive, verified live restore (see maintenance.hpp).
//
// [SECTION] files
// [SECTION] wal
// [SECTION] check
// [SECTION] private copy
// [SECTION] backup
// [SECTION] restore
// [SECTION] safety copies and purge
#include "core/backup/maintenance.hpp"
#include "core/store/code_key.hpp"

#include "core/store/audit_chain.hpp"
#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/store/schema.hpp"
#include "core/store/sqlite.hpp"
#include "core/store/store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

namespace inloop::core {

namespace {

constexpr const char* kBackupFiles[] = {"public.db", "desk.db", "client-code.key"};
constexpr const char* kSafetyPrefix = "before-restore-";

// [SECTION] files
Error diskFull() { return Error(ErrorKind::Storage, "disk.full", "The disk is full; nothing was saved."); }

bool isDiskFull(const std::exception& e) {
    if (const auto* s = dynamic_cast<const SqliteError*>(&e)) return s->primaryCode() == SQLITE_FULL;
    if (const auto* d = dynamic_cast<const Error*>(&e)) return d->key() == "disk.full";
    if (const auto* f = dynamic_cast<const fs::filesystem_error*>(&e)) return f->code() == std::errc::no_space_on_device;
    return false;
}

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(ErrorKind::Storage, "file.unreadable", "Cannot read " + file.string() + ".");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Writes and fsyncs a new file; on any failure the file is removed again (a full disk leaves no empty file).
void writeFileSynced(const fs::path& file, std::string_view bytes, mode_t mode) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        if (errno == ENOSPC) throw diskFull();
        throw Error(ErrorKind::Storage, "file.unwritable", "Cannot write " + file.string() + ": " + std::strerror(errno) + ".");
    }
    int err = 0;
    size_t done = 0;
    while (done < bytes.size() && err == 0) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) err = n < 0 ? errno : ENOSPC;
        else done += static_cast<size_t>(n);
    }
    ::fchmod(fd, mode);
    if (err == 0 && ::fsync(fd) != 0) err = errno;
    if (::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) {
        ::unlink(file.c_str());
        if (err == ENOSPC || err == EDQUOT) throw diskFull();
        throw Error(ErrorKind::Storage, "file.unwritable", "Cannot write " + file.string() + ": " + std::strerror(err) + ".");
    }
}

// Free bytes for this process on the file system that holds `dir`.
uint64_t freeBytes(const fs::path& dir) {
    struct statvfs v {};
    return ::statvfs(dir.c_str(), &v) == 0 ? uint64_t{v.f_bavail} * v.f_frsize : UINT64_MAX;
}

// What restoring this database file into a live one in WAL mode needs on disk: every page once more in the WAL
// (with its frame header), and room for the -shm to grow.
uint64_t restoreNeeds(const fs::path& db) {
    std::error_code ec;
    const uint64_t size = fs::file_size(db, ec);
    return (ec ? 0 : size + size / 4096 * 24) + (256u << 10);
}

void syncDir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Removes a path (file or folder) when the guard goes, unless released.
class Litter {
public:
    explicit Litter(fs::path p = {}) : m_path(std::move(p)) {}
    ~Litter() {
        std::error_code ec;
        if (!m_path.empty()) fs::remove_all(m_path, ec);
    }
    Litter(const Litter&) = delete;
    Litter& operator=(const Litter&) = delete;
    void set(fs::path p) { m_path = std::move(p); }
    void release() { m_path.clear(); }

private:
    fs::path m_path;
};

std::string stamp() {
    const int64_t now = nowUnix();
    const int minute = localMinuteOfDay(now);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d%02d%02d", minute / 60, minute % 60, static_cast<int>(now % 60));
    return localDay(now) + "-" + buf;
}

// The data folder's files can be written (the apps need that; `backup` and `check` do not).
bool writable(const StorePaths& paths) {
    for (const fs::path& f : {paths.publicDb(), paths.deskDb()}) {
        if (::access(f.parent_path().c_str(), W_OK) != 0) return false;
        std::error_code ec;
        if (fs::exists(f, ec) && ::access(f.c_str(), W_OK) != 0) return false;
    }
    return true;
}

// [SECTION] wal
uint32_t be32(const unsigned char* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// The WAL checksum (sqlite.org/fileformat2.html#walformat): pairs of 32-bit words in the byte order the magic says.
void walChecksum(bool bigEndian, const unsigned char* data, size_t n, uint32_t& s0, uint32_t& s1) {
    for (size_t i = 0; i + 8 <= n; i += 8) {
        const uint32_t x0 = bigEndian ? be32(data + i) : (uint32_t(data[i + 3]) << 24 | uint32_t(data[i + 2]) << 16 |
                                                          uint32_t(data[i + 1]) << 8 | data[i]);
        const uint32_t x1 = bigEndian ? be32(data + i + 4)
                                      : (uint32_t(data[i + 7]) << 24 | uint32_t(data[i + 6]) << 16 |
                                         uint32_t(data[i + 5]) << 8 | data[i + 4]);
        s0 += x0 + s1;
        s1 += x1 + s0;
    }
}

void reportWal(const fs::path& walFile, const std::string& shownName, CheckReport& report) {
    const WalScan w = scanWal(walFile);
    if (!w.present) return;
    const std::string name = shownName + "-wal";
    if (!w.headerValid) {
        report.problems.push_back(name + " has a damaged header, so SQLite ignores all of it; any writes in it are "
                                         "lost. Keep a copy of the folder before anything opens it.");
        return;
    }
    if (w.damaged > 0) {
        std::string s = name + " holds " + std::to_string(w.damaged) + (w.damaged == 1 ? " frame" : " frames") +
                        " after its last valid commit (damaged or cut short by a crash); SQLite ignores them";
        if (w.damagedCommits > 0)
            s += ", and with them " + std::to_string(w.damagedCommits) +
                 (w.damagedCommits == 1 ? " saved transaction" : " saved transactions");
        report.problems.push_back(s + ". Keep a copy of the folder before anything opens it.");
    } else if (w.unfinished > 0) {
        report.facts.push_back(name + ": " + std::to_string(w.committed) + " frames, then " +
                               std::to_string(w.unfinished) + " of a write that had not finished (nothing saved is missing)");
    } else {
        report.facts.push_back(name + ": " + std::to_string(w.committed) + " frames, all valid");
    }
}

// [SECTION] check
// Checks one database file of the private copy; a missing file names the store's data folder to init.
void checkFile(const fs::path& file, const fs::path& dataDir, StoreFile kind, CheckReport& report) {
    const std::string name(fileName(kind));
    if (!fs::exists(file)) {
        report.problems.push_back(name + " is missing. Run `inloopctl --data-dir " + dataDir.string() +
                                  " init` to create the store, or restore a backup.");
        return;
    }
    reportWal(file.string() + "-wal", name, report); // before SQLite opens the copy and replays its WAL
    try {
        SqliteDatabase db(file, SqliteDatabase::Mode::ReadWrite); // the private copy, never the store's file
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

        SqliteStatement integrity(db, "PRAGMA integrity_check(20)");
        std::vector<std::string> rows;
        while (integrity.step()) rows.push_back(integrity.getText(0));
        if (rows.size() == 1 && rows[0] == "ok") report.facts.push_back(name + ": integrity ok");
        else
            for (const auto& r : rows) report.problems.push_back(name + " is damaged: " + r);

        SqliteStatement fk(db, "PRAGMA foreign_key_check");
        int fkProblems = 0;
        while (fk.step())
            if (++fkProblems <= 5)
                report.problems.push_back(name + ": a row in " + fk.getText(0) + " points to a missing " +
                                          fk.getText(2) + " row.");
        if (fkProblems == 0) report.facts.push_back(name + ": references ok");

        const std::string mode = db.queryText("PRAGMA journal_mode");
        if (mode != "wal") report.problems.push_back(name + " is not in WAL mode (" + mode + ").");

    } catch (const SqliteError& e) {
        report.problems.push_back(e.isCorrupt() ? name + " is damaged or is not an Inloop data file."
                                                : name + ": " + e.what());
    } catch (const Error& e) {
        report.problems.push_back(name + ": " + e.what());
    }
}

std::string octal(mode_t perms) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03o", static_cast<unsigned>(perms & 0777));
    return buf;
}

} // namespace

// [SECTION] private copy
// The sizes and change times are compared before and after copying: a checkpoint between copying two files would
// mix two moments, so the copy is taken again when anything moved.
PrivateCopy::PrivateCopy(const StorePaths& from) {
    std::string tmpl = (fs::temp_directory_path() / "inloop-copy-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
        throw Error(ErrorKind::Storage, "copy.failed", "Cannot make a private temporary folder to read the data in.");
    m_paths.dir = tmpl;
    try {
        for (int attempt = 0;; ++attempt) {
            const auto before = states(from);
            copyAll(from);
            m_settled = states(from) == before;
            if (m_settled || attempt == 4) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    } catch (...) {
        std::error_code ec;
        fs::remove_all(m_paths.dir, ec);
        throw;
    }
}

PrivateCopy::~PrivateCopy() {
    std::error_code ec;
    fs::remove_all(m_paths.dir, ec);
}

std::vector<fs::path> PrivateCopy::filesOf(const StorePaths& p) {
    return {p.publicDb(), p.publicDb().string() + "-wal", p.deskDb(), p.deskDb().string() + "-wal", p.codeKey()};
}

std::vector<std::string> PrivateCopy::states(const StorePaths& p) {
    std::vector<std::string> out;
    for (const fs::path& f : filesOf(p)) {
        struct stat st {};
        out.push_back(::stat(f.c_str(), &st) != 0 ? std::string("-")
                                                  : std::to_string(st.st_size) + "@" + std::to_string(st.st_mtim.tv_sec) +
                                                        "." + std::to_string(st.st_mtim.tv_nsec));
    }
    return out;
}

void PrivateCopy::copyAll(const StorePaths& from) {
    const auto src = filesOf(from), dst = filesOf(m_paths);
    for (size_t i = 0; i < src.size(); ++i) {
        std::error_code ec;
        fs::remove(dst[i], ec);
        if (!fs::exists(src[i])) continue;
        fs::create_directories(dst[i].parent_path());
        ::chmod(dst[i].parent_path().c_str(), 0700);
        writeFileSynced(dst[i], readFile(src[i]), 0600);
    }
}

ReadableStore openForReading(const fs::path& dir) {
    const StorePaths paths{dir};
    // Anything this account may not reach goes to Store::open, which names the group it lacks.
    std::error_code ec;
    if (!fs::is_directory(dir, ec) || writable(paths) || !fs::exists(paths.deskDb(), ec) || ec)
        return {nullptr, Store::open(dir)};
    auto copy = std::make_unique<PrivateCopy>(paths);
    Store store = Store::open(copy->paths().dir);
    return {std::move(copy), std::move(store)};
}

WalScan scanWal(const fs::path& wal) {
    WalScan w;
    std::ifstream in(wal, std::ios::binary);
    if (!in) return w;
    unsigned char h[32];
    in.read(reinterpret_cast<char*>(h), sizeof h);
    if (in.gcount() == 0) return w;
    w.present = true;
    if (in.gcount() < 32) return w; // a header cut short: SQLite ignores the file
    const uint32_t magic = be32(h);
    const uint32_t pageSize = be32(h + 8);
    if ((magic != 0x377f0682 && magic != 0x377f0683) || pageSize < 512 || pageSize > 65536 ||
        (pageSize & (pageSize - 1)) != 0)
        return w;
    const bool bigEndian = magic & 1;
    uint32_t s0 = 0, s1 = 0;
    walChecksum(bigEndian, h, 24, s0, s1);
    if (s0 != be32(h + 24) || s1 != be32(h + 28)) return w;
    w.headerValid = true;

    std::vector<unsigned char> frame(24 + pageSize);
    bool broken = false;
    int64_t valid = 0;
    for (;;) {
        in.read(reinterpret_cast<char*>(frame.data()), static_cast<std::streamsize>(frame.size()));
        const auto got = in.gcount();
        if (got < 24) break;
        const bool ours = std::memcmp(frame.data() + 8, h + 16, 8) == 0; // this generation's salts
        const bool commit = be32(frame.data() + 4) != 0;
        if (!broken) {
            bool ok = ours && got == static_cast<std::streamsize>(frame.size());
            if (ok) {
                uint32_t t0 = s0, t1 = s1;
                walChecksum(bigEndian, frame.data(), 8, t0, t1);
                walChecksum(bigEndian, frame.data() + 24, pageSize, t0, t1);
                ok = t0 == be32(frame.data() + 16) && t1 == be32(frame.data() + 20);
                if (ok) s0 = t0, s1 = t1;
            }
            if (ok) {
                ++valid;
                if (commit) w.committed = valid;
                continue;
            }
            broken = true;
            if (!ours) continue; // the end of this generation: older frames follow, as they should
        }
        if (ours) {
            ++w.damaged;
            if (commit) ++w.damagedCommits;
        }
    }
    // A valid tail without a commit is an unfinished write; after a damaged frame it counts as lost too.
    if (w.damaged > 0) w.damaged += valid - w.committed;
    else w.unfinished = valid - w.committed;
    return w;
}

// Nothing of the store may be changed by every user on the machine: not the data folder (a world-writable folder
// lets anyone replace a file), and in a flat store not its files. The folders and files of the split layout, and
// who may read desk.db and the key, are judged by checkLayoutModes (store_layout.cpp).
void checkModes(const StorePaths& paths, CheckReport& report) {
    std::vector<fs::path> all{paths.dir};
    if (paths.isFlat())
        for (const fs::path& db : {paths.publicDb(), paths.deskDb()})
            for (const char* suffix : {"", "-wal", "-shm"}) all.push_back(db.string() + suffix);
    for (const fs::path& f : all) {
        if (f == paths.deskDb()) continue; // its own sentence: it must not even be readable
        struct stat st {};
        if (::lstat(f.c_str(), &st) != 0) continue;
        if (!(st.st_mode & 0002)) continue;
        const bool folder = S_ISDIR(st.st_mode);
        const bool deskFile = !folder && f.string().rfind(paths.deskDb().string(), 0) == 0;
        report.problems.push_back((folder ? "The data folder " + f.string() : f.filename().string()) +
                                  " can be changed by every user on this machine (mode " + octal(st.st_mode) +
                                  "); run: chmod " + (folder ? (paths.isFlat() ? "750 " : "755 ") : deskFile ? "600 " : "640 ") +
                                  f.string());
    }
}

CheckReport checkStore(const fs::path& dir) {
    CheckReport report;
    if (!fs::is_directory(dir)) {
        report.problems.push_back("There is no data folder at " + dir.string() + ". Run `inloopctl --data-dir " +
                                  dir.string() + " init` to create one.");
        return report;
    }
    const StorePaths paths{dir};
    std::string recordedKey; // the fingerprint of the key the store's codes are made with (Store::checkCodeKey)
    try {
        const PrivateCopy copy(paths);
        CheckReport files;
        checkFile(copy.paths().publicDb(), dir, StoreFile::Public, files); // the data folder, not public/ or desk/
        checkFile(copy.paths().deskDb(), dir, StoreFile::Desk, files);
        checkAuditLog(copy.paths().deskDb(), paths, files); // the chain, the exact triggers, the backups' anchors
        if (fs::exists(copy.paths().deskDb())) {
            SqliteDatabase desk(copy.paths().deskDb(), SqliteDatabase::Mode::ReadOnly);
            if (desk.queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'setting'") > 0)
                recordedKey = desk.queryText("SELECT value FROM setting WHERE key = 'code_key.fingerprint'");
        }
        if (!copy.settled() && !files.ok()) // the copy may mix two moments: do not call the store damaged for it
            files.problems = {"The data kept changing while check copied it (a program is writing without a pause); "
                              "run check again when it is quieter."};
        report = std::move(files);
    } catch (const std::exception& e) {
        report.problems.push_back(isDiskFull(e) ? "There is no room on the disk for a private copy to check; nothing was checked."
                                                : std::string(e.what()));
    }
    checkModes(paths, report);
    checkLayoutModes(paths, report.problems, report.facts);
    std::error_code ec;
    const auto keySize = fs::file_size(paths.codeKey(), ec);
    if (ec) report.problems.push_back("client-code.key is missing: visitor codes cannot be recognised.");
    else if (keySize != 32) report.problems.push_back("client-code.key is damaged (wrong size).");
    else if (!recordedKey.empty() && recordedKey != codeKeyFingerprint(readKeyFile(paths.codeKey())))
        report.problems.push_back("client-code.key is not the one the store's codes are made with: every known visitor "
                                  "would count as a new person. Put back the right key (from a backup, or `inloopctl "
                                  "key export` on a desk machine that works, then `key import` here).");
    else report.facts.push_back("client-code.key: present");
    return report;
}

// [SECTION] backup
namespace {

// One database of the store, copied with the online backup API into memory and checked there.
struct Image {
    std::string bytes;
    std::vector<std::string> problems; // integrity_check and foreign_key_check, empty when healthy
};

Image snapshotSchema(SqliteDatabase& from, const char* schema, const std::string& name) {
    Image image;
    SqliteDatabase mem(":memory:", SqliteDatabase::Mode::ReadWriteCreate);
    sqlite3_backup* b = sqlite3_backup_init(mem.handle(), "main", from.handle(), schema);
    if (!b) mem.fail(sqlite3_errcode(mem.handle()), "Cannot start the backup");
    const int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) from.fail(rc, "The backup failed");
    try {
        SqliteStatement integrity(mem, "PRAGMA integrity_check(5)");
        while (integrity.step()) {
            std::string row = integrity.getText(0);
            for (char& c : row)
                if (c == '\n') c = ' ';
            if (row != "ok") image.problems.push_back(name + " is damaged: " + row);
        }
        SqliteStatement fk(mem, "PRAGMA foreign_key_check");
        while (fk.step())
            if (image.problems.size() < 5)
                image.problems.push_back(name + ": a row in " + fk.getText(0) + " points to a missing " + fk.getText(2) + " row");
    } catch (const SqliteError&) {
        image.problems.push_back(name + " is damaged");
    }
    sqlite3_int64 size = 0;
    unsigned char* bytes = sqlite3_serialize(mem.handle(), "main", &size, 0);
    if (!bytes) throw std::runtime_error("Not enough memory for the backup.");
    image.bytes.assign(reinterpret_cast<const char*>(bytes), static_cast<size_t>(size));
    sqlite3_free(bytes);
    return image;
}

// Both databases at one moment (one read transaction across both files) and the key.
void snapshotStore(Store& store, std::string (&blobs)[3], std::vector<std::string>& problems, AuditAnchor& anchor) {
    {
        ReadTransaction snapshot(store.db());
        anchor = auditHead(store.db(), nowUnix()); // the audit chain's head in this snapshot
        Image pub = snapshotSchema(store.sqlite("A backup"), "pub", "public.db");
        Image desk = snapshotSchema(store.sqlite("A backup"), "main", "desk.db");
        blobs[0] = std::move(pub.bytes);
        blobs[1] = std::move(desk.bytes);
        problems.insert(problems.end(), pub.problems.begin(), pub.problems.end());
        problems.insert(problems.end(), desk.problems.begin(), desk.problems.end());
    }
    blobs[2] = readFile(store.paths().codeKey());
}

} // namespace

// Writes an sqlar of these files to `file` through `file.partial`; nothing is left behind on failure.
void writeArchive(const fs::path& file, const std::vector<std::pair<std::string, const std::string*>>& members) {
    const fs::path tmp = file.string() + ".partial";
    Litter litter(tmp);
    Litter journal(tmp.string() + "-journal");
    fs::remove(tmp);
    try {
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); // as private as desk.db
        if (fd < 0) {
            if (errno == ENOSPC) throw diskFull();
            throw Error(ErrorKind::Storage, "backup.unwritable", "Cannot write " + file.string() + ": " + std::strerror(errno) + ".");
        }
        ::close(fd);
        SqliteDatabase out(tmp, SqliteDatabase::Mode::ReadWrite);
        out.exec("PRAGMA synchronous = FULL;"
                 "CREATE TABLE sqlar(name TEXT PRIMARY KEY, mode INT, mtime INT, sz INT, data BLOB);");
        Transaction tx(out);
        Statement& ins = out.prepare("INSERT INTO sqlar(name, mode, mtime, sz, data) VALUES (?, ?, ?, ?, ?)");
        for (const auto& [name, blob] : members) {
            ins.bindAll(name, static_cast<int64_t>(0100600), nowUnix(), static_cast<int64_t>(blob->size()));
            ins.bindBlob(5, blob->data(), blob->size());
            ins.run();
        }
        tx.commit();
    } catch (const std::exception& e) {
        if (isDiskFull(e)) throw diskFull();
        throw;
    }
    if (::rename(tmp.c_str(), file.c_str()) != 0)
        throw Error(ErrorKind::Storage, "backup.unwritable", "Cannot write " + file.string() + ": " + std::strerror(errno) + ".");
    litter.release();
    syncDir(fs::absolute(file).parent_path());
}

void backupStore(const fs::path& dir, const fs::path& file) {
    if (file.empty() || file.filename().empty())
        throw Error(ErrorKind::InvalidInput, "backup.name", "Give the backup a file name.");
    if (fs::exists(file))
        throw Error(ErrorKind::Conflict, "backup.exists", file.string() + " exists already; choose another name.");
    std::string blobs[3];
    std::vector<std::string> problems;
    AuditAnchor anchor;
    {
        ReadableStore readable = openForReading(dir); // a read-only store is read from a private copy
        snapshotStore(readable.store, blobs, problems, anchor);
    }
    if (!problems.empty())
        throw Error(ErrorKind::Storage, "backup.damaged",
                    "The data does not pass its check (" + problems.front() +
                        "), so no backup was written; run `inloopctl check` and restore the newest good backup.");
    writeArchive(file, {{kBackupFiles[0], &blobs[0]}, {kBackupFiles[1], &blobs[1]}, {kBackupFiles[2], &blobs[2]}});
    // The chain head goes beside the data (audit_chain.hpp); a read-only store cannot take it, and says so in check.
    const StorePaths paths{dir};
    if (::access(paths.deskDb().parent_path().c_str(), W_OK) == 0) appendAuditAnchor(paths, anchor);
}

// [SECTION] restore
// The archive's members by name (any name; a raw safety copy also holds -wal files).
std::vector<std::pair<std::string, std::string>> readArchive(const fs::path& file) {
    std::vector<std::pair<std::string, std::string>> out;
    SqliteDatabase in(file, SqliteDatabase::Mode::ReadOnly);
    SqliteStatement st(in, "SELECT name, data, sz FROM sqlar ORDER BY name");
    while (st.step()) {
        out.emplace_back(st.getText(0), st.getBlob(1));
        if (static_cast<int64_t>(out.back().second.size()) != st.getInt(2))
            throw SqliteError(SQLITE_CORRUPT, file.string() + " is cut short"); // compressed or cut short
    }
    return out;
}

namespace {

bool imageHealthy(const std::string& bytes) {
    if (bytes.empty()) return true; // a file that had no pages yet
    SqliteDatabase mem(":memory:", SqliteDatabase::Mode::ReadWriteCreate);
    auto* buf = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
    if (!buf) return false;
    std::memcpy(buf, bytes.data(), bytes.size());
    if (bytes.size() > 19) buf[18] = buf[19] = 1; // a WAL file's image: in memory it can only be a rollback database
    const int rc = sqlite3_deserialize(mem.handle(), "main", buf, static_cast<sqlite3_int64>(bytes.size()),
                                       static_cast<sqlite3_int64>(bytes.size()),
                                       SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK) return false;
    try {
        return mem.queryText("PRAGMA integrity_check(1)") == "ok";
    } catch (const SqliteError&) {
        return false;
    }
}

// Writes the safety copy (through .partial), fsyncs it, reads it back and compares every member: only a copy that
// reads back byte for byte, with each database passing integrity_check when the live one did, is kept.
// Where restore keeps its safety copies and scratch: desk/ (staff may write it; the data folder is root's on the
// appliance), or the data folder of a flat store.
fs::path safetyFolder(const StorePaths& paths) {
    return fs::is_directory(paths.deskDir()) ? paths.deskDir() : paths.dir;
}

fs::path writeSafetyCopy(const fs::path& dir, const std::vector<std::pair<std::string, const std::string*>>& members,
                         const std::vector<bool>& mustBeHealthy) {
    fs::path safety = dir / (kSafetyPrefix + stamp() + ".sqlar");
    for (int n = 2; fs::exists(safety); ++n) safety = dir / (kSafetyPrefix + stamp() + "-" + std::to_string(n) + ".sqlar");
    writeArchive(safety, members);
    Litter litter(safety);
    const auto back = readArchive(safety);
    bool same = back.size() == members.size();
    for (size_t i = 0; same && i < members.size(); ++i)
        same = back[i].first == members[i].first && back[i].second == *members[i].second;
    if (!same) {
        // readArchive sorts by name; compare as a set.
        same = back.size() == members.size();
        for (const auto& [name, blob] : members) {
            bool found = false;
            for (const auto& [bn, bb] : back) found = found || (bn == name && bb == *blob);
            same = same && found;
        }
    }
    if (!same) throw Error(ErrorKind::Storage, "restore.safety", "The safety copy of the current data did not read back the same; nothing was changed.");
    for (size_t i = 0; i < members.size(); ++i)
        if (i < mustBeHealthy.size() && mustBeHealthy[i] && !imageHealthy(*members[i].second))
            throw Error(ErrorKind::Storage, "restore.safety", "The safety copy of the current data does not pass its check; nothing was changed.");
    litter.release();
    return safety;
}

// An online backup from a checked scratch file into a live database, holding the live file's write lock from
// lock() until commit() or the object goes (which rolls back: the live file is untouched).
class LiveRestore {
public:
    LiveRestore(const fs::path& live, const fs::path& scratch)
        : m_name(live.filename().string()), m_folder(live.parent_path()), m_needs(restoreNeeds(scratch)),
          m_live(live, SqliteDatabase::Mode::ReadWrite),
          m_source(scratch, SqliteDatabase::Mode::ReadOnly) {}
    ~LiveRestore() {
        if (m_backup) sqlite3_backup_finish(m_backup);
    }
    LiveRestore(const LiveRestore&) = delete;
    LiveRestore& operator=(const LiveRestore&) = delete;

    // Takes the live file's write lock (waiting the busy timeout for a writer to finish), copying nothing yet.
    void lock() {
        m_backup = sqlite3_backup_init(m_live.handle(), "main", m_source.handle(), "main");
        if (!m_backup) m_live.fail(sqlite3_errcode(m_live.handle()), "Cannot start the restore");
        step(0, SQLITE_OK);
    }
    // Copies every page and commits: from here on every connection sees the restored data.
    void commit() {
        step(-1, SQLITE_DONE);
        sqlite3_backup_finish(m_backup);
        m_backup = nullptr;
    }
    SqliteDatabase& live() { return m_live; }

private:
    void step(int pages, int expected) {
        const int rc = sqlite3_backup_step(m_backup, pages);
        if (rc == expected) return;
        const int primary = rc & 0xff;
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
            throw Error(ErrorKind::Conflict, "restore.busy",
                        m_name + " is held by another program that has been writing to it for more than 10 seconds; "
                                 "nothing was changed. Try again, or close that program first.");
        // A failed WAL or -shm write comes without errno from the backup API: a disk without room is a full disk.
        if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && freeBytes(m_folder) < m_needs)) throw diskFull();
        if (primary == SQLITE_READONLY)
            throw Error(ErrorKind::Storage, "restore.readonly",
                        m_name + " cannot be written (read-only, or a different page size than the backup's); nothing was changed.");
        m_live.fail(rc, "The restore of " + m_name + " failed");
    }
    std::string m_name;
    fs::path m_folder;
    uint64_t m_needs;
    SqliteDatabase m_live;
    SqliteDatabase m_source;
    sqlite3_backup* m_backup = nullptr;
};

// Reads a live database for the safety copy on its own connection. Called while the restore holds the write lock:
// the read sees every committed write, and no new one can come in between.
Image liveImage(const fs::path& file, const std::string& name) {
    SqliteDatabase db(file, SqliteDatabase::Mode::ReadOnly);
    return snapshotSchema(db, "main", name);
}

// Writes the code key: a temporary file, fsynced, then renamed over the old one.
class KeySwap {
public:
    KeySwap(const fs::path& key, const std::string& bytes) : m_key(key), m_tmp(key.string() + ".tmp"), m_litter(m_tmp) {
        writeFileSynced(m_tmp, bytes, 0600);
    }
    void commit() {
        if (::rename(m_tmp.c_str(), m_key.c_str()) != 0)
            throw Error(ErrorKind::Storage, "restore.key", "Cannot put client-code.key in place: " + std::string(std::strerror(errno)) + ".");
        m_litter.release();
        syncDir(m_key.parent_path());
    }

private:
    fs::path m_key, m_tmp;
    Litter m_litter;
};

// The store is damaged so badly that SQLite cannot take its lock (a destroyed first page): no app can be using it.
// Keep its raw files (databases and WALs) as the safety copy, then put the checked files in place by renaming.
fs::path restoreOffline(const StorePaths& live, const StorePaths& scratch, const std::string& key) {
    std::vector<std::string> names, bytes;
    for (const fs::path& db : {live.publicDb(), live.deskDb()})
        for (const char* suffix : {"", "-wal"}) {
            const fs::path f = db.string() + suffix;
            if (!fs::exists(f)) continue;
            names.push_back(f.filename().string());
            bytes.push_back(readFile(f));
        }
    if (fs::exists(live.codeKey())) {
        names.push_back(kBackupFiles[2]);
        bytes.push_back(readFile(live.codeKey()));
    }
    std::vector<std::pair<std::string, const std::string*>> members;
    for (size_t i = 0; i < names.size(); ++i) members.emplace_back(names[i], &bytes[i]);
    const fs::path safety = writeSafetyCopy(safetyFolder(live), members, {});
    Litter safetyLitter(safety);
    KeySwap keySwap(live.codeKey(), key);
    for (const fs::path& db : {live.publicDb(), live.deskDb()}) {
        std::error_code ec;
        for (const char* suffix : {"-wal", "-shm"}) fs::remove(db.string() + suffix, ec); // never replayed into the new file
    }
    const std::pair<fs::path, fs::path> moves[] = {{scratch.publicDb(), live.publicDb()}, {scratch.deskDb(), live.deskDb()}};
    for (const auto& [from, to] : moves)
        if (::rename(from.c_str(), to.c_str()) != 0)
            throw Error(ErrorKind::Storage, "restore.failed",
                        "Cannot put " + to.filename().string() + " in place: " + std::strerror(errno) + ".");
    keySwap.commit();
    syncDir(live.publicDb().parent_path());
    syncDir(live.deskDb().parent_path());
    safetyLitter.release();
    return safety;
}

fs::path restoreInto(const fs::path& dir, const std::string (&blobs)[3], const fs::path& file) {
    const StorePaths live{dir};
    // Unpack into a private scratch folder on the store's disk (a restore that does not fit fails here, before
    // anything is touched): in desk/, which staff can write on the appliance, where the data folder is root's.
    const fs::path scratchDir = safetyFolder(live) / (".restore-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(scratchDir, ec);
    fs::create_directory(scratchDir);
    ::chmod(scratchDir.c_str(), 0700);
    Litter scratchLitter(scratchDir);
    // Flat inside the scratch folder: its check judges the data, not the modes of folders only this run uses.
    const fs::path targets[] = {scratchDir / kBackupFiles[0], scratchDir / kBackupFiles[1], scratchDir / kBackupFiles[2]};
    const StorePaths scratch{scratchDir};
    const mode_t modes[] = {0640, 0600, 0600};
    for (int i = 0; i < 3; ++i) {
        fs::create_directories(targets[i].parent_path());
        writeFileSynced(targets[i], blobs[i], modes[i]);
    }
    const CheckReport report = checkStore(scratchDir);
    if (!report.ok())
        throw Error(ErrorKind::Storage, "backup.invalid",
                    file.string() + " does not pass the check (" + report.problems.front() + "); nothing was changed.");

    const bool fresh = !fs::exists(live.deskDb()) && !fs::exists(live.publicDb());
    if (fresh) {
        // Nothing to keep and nobody using it: put the checked files in place, in init's layout.
        if (!live.hasFlatFiles()) makeLayoutFolders(dir);
        std::vector<fs::path> placed;
        try {
            for (int i = 0; i < 3; ++i) {
                const fs::path to = i == 0 ? live.publicDb() : i == 1 ? live.deskDb() : live.codeKey();
                fs::create_directories(to.parent_path());
                if (::rename(targets[i].c_str(), to.c_str()) != 0)
                    throw Error(ErrorKind::Storage, "restore.failed",
                                "Cannot put " + to.filename().string() + " in place: " + std::strerror(errno) + ".");
                placed.push_back(to);
            }
        } catch (...) {
            for (const fs::path& p : placed) fs::remove(p, ec);
            throw;
        }
        applyLayoutModes(StorePaths{dir}); // renamed files keep the scratch folder's group and modes
        syncDir(live.publicDb().parent_path());
        syncDir(live.deskDb().parent_path());
        return {};
    }

    // A file that is missing is created empty (private) and restored into like the other.
    Litter createdPublic, createdDesk;
    for (int i = 0; i < 2; ++i) {
        const fs::path to = i == 0 ? live.publicDb() : live.deskDb();
        if (fs::exists(to)) continue;
        fs::create_directories(to.parent_path());
        writeFileSynced(to, "", modes[i]);
        (i == 0 ? createdPublic : createdDesk).set(to);
    }

    // desk.db first, then public.db: the order in which the front desk's transactions take them.
    std::optional<LiveRestore> desk, pub;
    try {
        desk.emplace(live.deskDb(), scratch.deskDb());
        desk->lock();
        pub.emplace(live.publicDb(), scratch.publicDb());
        pub->lock();
    } catch (const SqliteError& e) {
        if (!e.isCorrupt()) throw;
        // Damaged beyond locking (a destroyed first page): no app can be working with it either.
        pub.reset();
        desk.reset();
        return restoreOffline(live, scratch, blobs[2]);
    }

    // The safety copy: what every connection sees now, and what nobody can change until the commits below. A file
    // too damaged to read through SQLite is kept as its raw bytes (with its WAL).
    std::vector<std::string> names, bytes;
    std::vector<bool> healthy;
    for (const auto& [db, name] : {std::pair{live.publicDb(), kBackupFiles[0]}, std::pair{live.deskDb(), kBackupFiles[1]}}) {
        try {
            Image now = liveImage(db, name);
            names.emplace_back(name);
            bytes.push_back(std::move(now.bytes));
            healthy.push_back(now.problems.empty());
        } catch (const SqliteError& e) {
            if (!e.isCorrupt()) throw;
            for (const char* suffix : {"", "-wal"})
                if (fs::exists(db.string() + suffix)) {
                    names.push_back(name + std::string(suffix));
                    bytes.push_back(readFile(db.string() + suffix));
                    healthy.push_back(false);
                }
        }
    }
    names.emplace_back(kBackupFiles[2]);
    bytes.push_back(fs::exists(live.codeKey()) ? readFile(live.codeKey()) : std::string());
    healthy.push_back(false);
    std::vector<std::pair<std::string, const std::string*>> members;
    for (size_t i = 0; i < names.size(); ++i) members.emplace_back(names[i], &bytes[i]);
    KeySwap keySwap(live.codeKey(), blobs[2]); // written and fsynced now; renamed once the databases are in
    const fs::path safety = writeSafetyCopy(safetyFolder(live), members, healthy);
    Litter safetyLitter(safety);

    // Both commits must fit: desk.db is committed first, and a public.db that then does not fit would leave the
    // two files from different moments.
    {
        const uint64_t deskNeeds = restoreNeeds(scratch.deskDb()), pubNeeds = restoreNeeds(scratch.publicDb());
        struct stat a {}, b {};
        const bool sameDisk = ::stat(live.deskDb().c_str(), &a) == 0 && ::stat(live.publicDb().c_str(), &b) == 0 &&
                              a.st_dev == b.st_dev;
        if (freeBytes(live.deskDb().parent_path()) < deskNeeds + (sameDisk ? pubNeeds : 0) ||
            freeBytes(live.publicDb().parent_path()) < pubNeeds)
            throw diskFull();
    }
    desk->commit();
    safetyLitter.release(); // from here on it holds data that is nowhere else
    try {
        pub->commit();
    } catch (const std::exception& e) {
        // desk.db is restored and may already take new writes: it is not put back (that could lose them).
        throw Error(ErrorKind::Storage, "restore.half",
                    "desk.db was restored but public.db could not be (" + std::string(e.what()) +
                        "); the data as it was is in " + safety.string() + ": restore that to go back.");
    }
    keySwap.commit();
    createdPublic.release();
    createdDesk.release();
    for (LiveRestore* r : {&*desk, &*pub}) {
        try {
            r->live().exec("PRAGMA wal_checkpoint(TRUNCATE)"); // the WAL held a whole copy of the file
        } catch (const SqliteError&) {
            // a reader in the middle of a read: the next checkpoint does it
        }
    }
    return safety;
}

} // namespace

namespace {
// The -wal and -shm a failed restore made itself (a full disk while SQLite created them): removed when they hold
// nothing and no other process uses them (nobody holds SQLite's lock byte in the -shm, DMS at offset 128).
void removeEmptyWal(const fs::path& db) {
    const fs::path wal = db.string() + "-wal", shm = db.string() + "-shm";
    std::error_code ec;
    if (!fs::exists(wal) || fs::file_size(wal, ec) != 0) return;
    if (fs::exists(shm)) {
        const int fd = ::open(shm.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0) return;
        struct flock lock {};
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        lock.l_start = 128;
        lock.l_len = 1;
        const bool unused = ::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type == F_UNLCK;
        ::close(fd);
        if (!unused) return;
        fs::remove(shm, ec);
    }
    fs::remove(wal, ec);
}
} // namespace

fs::path restoreStore(const fs::path& dir, const fs::path& file) {
    if (!fs::is_regular_file(file))
        throw Error(ErrorKind::NotFound, "backup.missing", "There is no backup file at " + file.string() + ".");
    const auto notBackup = [&] {
        return Error(ErrorKind::Storage, "backup.invalid", file.string() + " is not an Inloop backup, or it is damaged.");
    };
    std::string blobs[3];
    try {
        const auto members = readArchive(file);
        for (int i = 0; i < 3; ++i) {
            bool found = false;
            for (const auto& [name, bytes] : members)
                if (name == kBackupFiles[i]) {
                    blobs[i] = bytes;
                    found = true;
                }
            if (!found && members.size() > 0 && isServerArchive(members))
                throw Error(ErrorKind::InvalidInput, "backup.postgres",
                            file.string() + " is a backup of a PostgreSQL store: restore it with --store and the "
                                            "server's connection string; nothing was changed.");
            if (!found) throw notBackup();
        }
    } catch (const SqliteError&) {
        throw notBackup();
    }

    std::error_code ec;
    const bool created = !fs::exists(dir);
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir) || ::access(dir.c_str(), W_OK) != 0) {
        if (created) fs::remove_all(dir, ec);
        throw Error(ErrorKind::Storage, "store.unwritable", "The data folder " + dir.string() + " is not writable.");
    }
    if (created) ::chmod(dir.c_str(), 0755); // as init makes it: public/ and desk/ guard themselves
    const StorePaths paths{dir};
    const bool hadWal[] = {fs::exists(paths.publicDb().string() + "-wal"), fs::exists(paths.deskDb().string() + "-wal")};
    try {
        const fs::path safety = restoreInto(dir, blobs, file);
        restartAuditAnchors(paths, safety); // the old anchors go with the data they anchored
        try {
            applyLayoutModes(StorePaths{dir}); // the key written anew gets its folder's group and mode
        } catch (const Error&) {
            // not the files' owner: `inloopctl check` names what is off
        }
        return safety;
    } catch (const std::exception& e) {
        if (created) fs::remove_all(dir, ec); // a refused restore leaves no trace
        if (!hadWal[0]) removeEmptyWal(paths.publicDb());
        if (!hadWal[1]) removeEmptyWal(paths.deskDb());
        if (isDiskFull(e))
            throw Error(ErrorKind::Storage, "disk.full", "The disk is full; nothing was changed (restoring " +
                                                             file.filename().string() + " needs room for two copies of the data).");
        throw;
    }
}

// [SECTION] safety copies and purge
int pruneSafetyCopies(const fs::path& dir, int64_t now) {
    int removed = 0;
    const StorePaths paths{dir};
    std::vector<fs::path> folders{dir};
    if (paths.deskDir() != dir) folders.push_back(paths.deskDir()); // where restore keeps them in the split layout
    for (const fs::path& folder : folders) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(folder, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind(kSafetyPrefix, 0) != 0) continue;
            struct stat st {};
            if (::lstat(entry.path().c_str(), &st) != 0) continue;
            if (st.st_mtim.tv_sec > now - int64_t{kSafetyCopyDays} * 86400) continue;
            std::error_code rm;
            fs::remove_all(entry.path(), rm);
            if (!rm) ++removed;
        }
    }
    return removed;
}

std::string flushAfterPurge(Store& store, int waitMs) {
    if (store.engine() != Engine::Sqlite) return {}; // PostgreSQL: no WAL files of ours to reset
    const StorePaths& paths = store.paths();
    std::vector<fs::path> files{paths.publicDb()};
    if (store.isDesk()) files.insert(files.begin(), paths.deskDb());
    std::string stuck;
    for (const fs::path& file : files) {
        // Its own connection with a short busy wait, so the bound below holds and the store's connection keeps its
        // busy handling.
        SqliteDatabase db(file, SqliteDatabase::Mode::ReadWrite);
        sqlite3_busy_timeout(db.handle(), 100);
        // A WAL that is reset keeps its size on disk: cap it, so what it held cannot linger past the next reset.
        db.exec("PRAGMA journal_size_limit = 1048576");
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(waitMs);
        for (;;) {
            int64_t busy = 1, log = -1;
            try {
                SqliteStatement cp(db, "PRAGMA wal_checkpoint(TRUNCATE)");
                if (cp.step()) busy = cp.getInt(0), log = cp.getInt(1);
            } catch (const SqliteError& e) {
                if (!e.isBusy()) throw;
            }
            if (busy == 0 && log <= 0) break;
            if (std::chrono::steady_clock::now() >= until) {
                stuck += (stuck.empty() ? "" : " and ") + file.filename().string() + "-wal";
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    if (stuck.empty()) return {};
    return "The purged text still stays in " + stuck + ": a program (the front desk or the kiosk) is in the middle of "
           "reading it. Run `inloopctl purge` again when it is closed or idle.";
}

} // namespace inloop::core
