// Off-site backups (see offsite.hpp).
//
// [SECTION] settings
// [SECTION] runs
// [SECTION] backup
// [SECTION] restore
#include "core/net/offsite.hpp"

#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/backup/maintenance.hpp"
#include "core/backup/pg_backup.hpp"
#include "core/backup/sealed_backup.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

namespace inloop::core::offsite {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "inloop-backup-";
constexpr const char* kSuffix = ".sealed";

std::string setting(Store& store, const char* key) {
    Statement& st = store.db().prepare("SELECT value FROM setting WHERE key = ?");
    st.bind(1, key);
    std::string v = st.step() ? st.getText(0) : std::string();
    st.reset();
    return v;
}

void putSetting(Store& store, const char* key, const std::string& value) {
    Statement& st = store.db().prepare(
        "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2");
    st.bindAll(key, value).run();
}

int intSetting(Store& store, const char* key, int fallback) {
    const std::string v = setting(store, key);
    try {
        return v.empty() ? fallback : std::stoi(v);
    } catch (const std::exception&) {
        return fallback;
    }
}

// A scratch folder inside the data folder, as private as desk.db: the unsealed snapshot never leaves it.
fs::path scratchDir(const fs::path& dataDir) {
    const fs::path dir = StorePaths{dataDir}.deskDir() / ".offsite"; // staff may write there, not in dataDir
    fs::create_directories(dir);
    ::chmod(dir.c_str(), 0700);
    return dir;
}

// "inloop-backup-<key>-20261122-030000.sealed": <key> is the start of the backup key, so two installations
// that share a folder (a test machine, a second site) never prune each other's copies.
std::string keyTag(const std::string& publicKeyHex) { return publicKeyHex.substr(0, 8); }

std::string remoteName(int64_t now, const std::string& publicKeyHex) {
    const std::string day = localDay(now);
    const int minute = localMinuteOfDay(now);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s-%.4s%.2s%.2s-%02d%02d%02d%s", kPrefix, keyTag(publicKeyHex).c_str(),
                  day.c_str(), day.c_str() + 5, day.c_str() + 8, minute / 60, minute % 60, static_cast<int>(now % 60),
                  kSuffix);
    return buf;
}

bool isOurName(const std::string& name, const std::string& publicKeyHex) {
    const std::string prefix = kPrefix + keyTag(publicKeyHex) + "-";
    return name.size() == prefix.size() + 15 + std::string(kSuffix).size() && name.rfind(prefix, 0) == 0 &&
           name.ends_with(kSuffix);
}

// One backup of a data folder at a time (the desk's nightly run and a cron job of the CLI may meet):
// an exclusive lock on a file in the scratch folder, released when the object goes (or the process dies).
class RunLock {
public:
    explicit RunLock(const fs::path& file) : m_fd(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
        m_held = m_fd >= 0 && ::flock(m_fd, LOCK_EX | LOCK_NB) == 0;
    }
    ~RunLock() {
        if (m_fd >= 0) ::close(m_fd);
    }
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    bool held() const { return m_held; }

private:
    int m_fd;
    bool m_held = false;
};

// The part in brackets of "The server's certificate is not trusted (SSL certificate problem: …)": the
// sentence around it is the reason's own.
std::string bracketed(const std::string& text) {
    const size_t open = text.find('('), close = text.rfind(')');
    return open != std::string::npos && close != std::string::npos && close > open
               ? text.substr(open + 1, close - open - 1)
               : text;
}

std::string percentDecode(std::string_view in) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size()) {
            out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += in[i];
        }
    }
    return out;
}

// The file names in a PROPFIND multistatus: the last path segment of every <…href> element.
std::vector<std::string> listedNames(const std::string& xml) {
    std::vector<std::string> names;
    size_t pos = 0;
    while ((pos = xml.find("href>", pos)) != std::string::npos) {
        const size_t start = pos + 5;
        const size_t end = xml.find('<', start);
        if (end == std::string::npos) break;
        if (xml[pos - 1] == ':' || xml[pos - 1] == '<') { // an opening <d:href> or <href>, not </d:href>
            std::string href = xml.substr(start, end - start);
            while (!href.empty() && href.back() == '/') href.pop_back();
            const size_t slash = href.rfind('/');
            try {
                names.push_back(percentDecode(slash == std::string::npos ? href : href.substr(slash + 1)));
            } catch (const std::exception&) {
                // a malformed escape is not one of our names
            }
        }
        pos = end;
    }
    return names;
}

// A file or folder next to the data folder ("var" → "var.restore-scratch"), also for "var/" and "./var".
fs::path besideData(const fs::path& dataDir, const std::string& suffix) {
    fs::path dir = fs::absolute(dataDir).lexically_normal();
    if (dir.filename().empty()) dir = dir.parent_path();
    return dir.parent_path() / (dir.filename().string() + suffix);
}

// Scratch for a restore: in desk/ when it is there and writable (on the appliance the data folder and the folder
// above it are root's; staff may write desk/), else next to the data folder (a new machine has no desk/ yet).
fs::path restoreScratch(const fs::path& dataDir, const std::string& suffix) {
    const StorePaths paths{dataDir};
    std::error_code ec;
    if (fs::is_directory(paths.deskDir(), ec) && ::access(paths.deskDir().c_str(), W_OK) == 0)
        return paths.deskDir() / suffix;
    return besideData(dataDir, suffix);
}

void finishRun(const StoreLocation& location, int64_t runId, const Result& r) {
    try {
        Store store = Store::open(location, Store::Access::Desk);
        Transaction tx(store.db());
        Statement& st = store.db().prepare(
            "UPDATE backup_run SET finished_at = ?2, status = ?3, name = ?4, bytes = ?5, reason = ?6, "
            "message = substr(?7, 1, 400) WHERE id = ?1");
        st.bindAll(runId, nowUnix(), r.ok ? "ok" : "failed", r.name, static_cast<int64_t>(r.ok ? r.bytes : 0), r.reason,
                   r.detail)
            .run();
        tx.commit();
    } catch (const std::exception&) {
        // the result still reaches the caller; the row stays "running" and is marked interrupted later
    }
}

} // namespace

// [SECTION] settings
Settings loadSettings(Store& store) {
    ReadTransaction rt(store.db());
    Settings s;
    s.url = setting(store, "offsite.url");
    s.user = setting(store, "offsite.user");
    s.password = setting(store, "offsite.password");
    s.keep = intSetting(store, "offsite.keep", 14);
    s.hour = intSetting(store, "offsite.hour", 3);
    s.publicKeyHex = setting(store, "offsite.public_key");
    return s;
}

void configure(Store& store, const Actor& actor, const Settings& s) {
    if (!s.url.empty() && (s.url.rfind("https://", 0) != 0 || s.url.size() < 10 || s.url.size() > 600 ||
                           s.url.find_first_of(" \t\r\n") != std::string::npos))
        throw Error(ErrorKind::InvalidInput, "offsite.url",
                    "The backup folder's address starts with https:// and has no spaces.");
    const size_t authority = s.url.find("://") == std::string::npos ? 0 : s.url.find("://") + 3;
    if (s.url.find('@', authority) < s.url.find('/', authority))
        throw Error(ErrorKind::InvalidInput, "offsite.url_user",
                    "Put the user name and password in their own fields, not in the folder's address.");
    if (s.keep < 1 || s.keep > 365)
        throw Error(ErrorKind::InvalidInput, "offsite.keep", "Copies to keep must be 1 to 365.");
    if (s.hour < 0 || s.hour > 23) throw Error(ErrorKind::InvalidInput, "offsite.hour", "The hour must be 0 to 23.");
    if (s.user.size() > 200 || s.password.size() > 400)
        throw Error(ErrorKind::InvalidInput, "offsite.user", "The user name or password is too long.");
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    std::string url = s.url;
    if (!url.empty() && url.back() != '/') url += '/';
    putSetting(store, "offsite.url", url);
    putSetting(store, "offsite.user", s.user);
    if (!s.password.empty()) putSetting(store, "offsite.password", s.password);
    putSetting(store, "offsite.keep", std::to_string(s.keep));
    putSetting(store, "offsite.hour", std::to_string(s.hour));
    audit(store, actor, "configure", "offsite_backup", std::nullopt,
          url.substr(0, 300) + " keep " + std::to_string(s.keep) + " at " + std::to_string(s.hour) + ":00" +
              (s.password.empty() ? "" : ", new password"));
    tx.commit();
}

void setRecoveryKey(Store& store, const Actor& actor, const backup::PublicKey& key) {
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    putSetting(store, "offsite.public_key", backup::toHex(key));
    audit(store, actor, "new_phrase", "offsite_backup", std::nullopt, "key " + backup::toHex(key).substr(0, 16));
    tx.commit();
}

std::string makeRecoveryPhrase(Store& store, const Actor& actor) {
    const backup::NewPhrase made = backup::newRecoveryPhrase();
    setRecoveryKey(store, actor, made.publicKey);
    return made.phrase;
}

net::Options uploadOptions() {
    net::Options o;
    o.timeoutMs = 0;     // a big store over a slow uplink may take long: only a stalled line fails
    o.stallSeconds = 60;
    return o;
}

// [SECTION] runs
std::vector<Run> recentRuns(Store& store, int limit) {
    Statement& st = store.db().prepare(
        "SELECT started_at, finished_at, trigger, status, name, message, bytes, reason FROM backup_run "
        "ORDER BY id DESC LIMIT ?");
    st.bind(1, limit);
    std::vector<Run> out;
    while (st.step()) {
        Run r;
        r.startedAt = st.getInt(0);
        if (!st.isNull(1)) r.finishedAt = st.getInt(1);
        r.trigger = st.getText(2);
        r.status = st.getText(3);
        r.name = st.getText(4);
        r.message = st.getText(5);
        r.bytes = st.getInt(6);
        r.reason = st.getText(7);
        out.push_back(std::move(r));
    }
    st.reset();
    return out;
}

bool nightlyDue(Store& store, int64_t now) {
    const Settings s = loadSettings(store);
    if (!s.configured() || localMinuteOfDay(now) < s.hour * 60) return false;
    const int64_t dayStart = unixFromLocal(localDay(now), 0);
    Statement& st = store.db().prepare(
        "SELECT coalesce(sum(status = 'ok'), 0), count(*), coalesce(max(started_at), 0) FROM backup_run "
        "WHERE trigger = 'nightly' AND started_at >= ?1 OR (status = 'ok' AND started_at >= ?1)");
    st.bind(1, dayStart);
    st.step();
    const int64_t ok = st.getInt(0), attempts = st.getInt(1), last = st.getInt(2);
    st.reset();
    return ok == 0 && attempts < 6 && now - last >= 30 * 60;
}

// [SECTION] backup
namespace {
Result& fail(Result& r, const char* reason, const std::string& sentence, const std::string& detail) {
    r.ok = false;
    r.reason = reason;
    std::string d = detail;
    while (!d.empty() && (d.back() == '.' || d.back() == ' ')) d.pop_back();
    r.message = sentence + (d.empty() ? "" : ": " + d) + ".";
    r.detail = detail;
    return r;
}
} // namespace

Result runBackup(const StoreLocation& location, Trigger trigger, net::Options options, Progress* progress, int64_t now) {
    const fs::path& dataDir = location.dataDir; // the lock and the scratch folder (on PostgreSQL: this machine's)
    if (now == 0) now = nowUnix();
    const auto stage = [&](Stage s) {
        if (progress) progress->stage = s;
    };
    Result result;
    int64_t runId = 0;
    Settings settings;
    std::unique_ptr<RunLock> lock;
    try {
        Store store = Store::open(location, Store::Access::Desk);
        lock = std::make_unique<RunLock>(scratchDir(dataDir) / "lock");
        if (!lock->held()) return fail(result, "busy", "Another backup of this data is running now", "");
        settings = loadSettings(store);
        // Nothing to back up to (or nothing to seal for): not an attempt, so no backup_run row either.
        if (settings.url.empty())
            return fail(result, "not_configured", "No off-site backup folder is set up (inloopctl offsite --url)", "");
        if (settings.publicKeyHex.empty())
            return fail(result, "no_phrase",
                        "No recovery phrase has been made yet, so the backup cannot be sealed (inloopctl offsite "
                        "--new-phrase)",
                        "");
        result.name = remoteName(now, settings.publicKeyHex);
        Transaction tx(store.db());
        // A run left "running" for an hour was cut off (power, a crash): say so rather than leave it spinning.
        store.db().exec("UPDATE backup_run SET status = 'failed', finished_at = started_at, "
                        "reason = 'interrupted', message = '' "
                        "WHERE status = 'running' AND started_at < " + std::to_string(now - 3600));
        Statement& ins = store.db().prepare(
            "INSERT INTO backup_run(started_at, trigger, status, name) VALUES (?, ?, 'running', ?)");
        ins.bindAll(now, trigger == Trigger::Nightly ? "nightly" : trigger == Trigger::Desk ? "desk" : "cli",
                    result.name).run();
        runId = store.db().lastInsertRowid();
        tx.commit();
    } catch (const std::exception& e) {
        return fail(result, "store", "The store cannot be read", e.what());
    }

    const fs::path scratch = scratchDir(dataDir);
    const fs::path plain = scratch / "snapshot.sqlar";
    const fs::path sealed = scratch / result.name;
    const auto cleanup = [&] {
        std::error_code ec;
        fs::remove(plain, ec);
        fs::remove(sealed, ec);
    };
    cleanup();
    try {
        stage(Stage::Snapshot);
        if (location.isPostgres()) { // a checked pg_dump, sealed with the same key (pg_backup.hpp)
            backupServer(location, sealed, backup::publicKeyFromHex(settings.publicKeyHex));
        } else {
            backupStore(dataDir, plain);
            stage(Stage::Seal);
            backup::sealFile(plain, sealed, backup::publicKeyFromHex(settings.publicKeyHex));
            fs::remove(plain);
        }
        result.bytes = fs::file_size(sealed);
    } catch (const std::exception& e) {
        cleanup();
        fail(result, "snapshot", "The backup could not be made", e.what());
        finishRun(location, runId, result);
        return result;
    }

    options.user = settings.user;
    options.password = settings.password;
    if (progress) {
        options.progress = [progress](uint64_t done, uint64_t total) {
            progress->done = done;
            progress->total = total;
            return !progress->cancel.load();
        };
    }
    const net::Client client(options);
    stage(Stage::Upload);
    net::Request put;
    put.method = "PUT";
    put.url = net::joinUrl(settings.url, result.name);
    put.uploadFile = sealed;
    put.headers.push_back({"Content-Type", "application/octet-stream"});
    net::Response res = client.send(put);
    if (res.status == 404 || res.status == 409) { // the folder does not exist yet: make it once, then again
        net::Request mkcol;
        mkcol.method = "MKCOL";
        mkcol.url = settings.url;
        client.send(mkcol);
        res = client.send(put);
    }
    cleanup();
    if (!res.ok()) {
        if (res.tlsRefused) fail(result, "tls", "The backup server's certificate is not trusted", bracketed(res.describe()));
        else fail(result, "upload", "The upload failed",
                  res.describe() + (res.attempts > 1 ? ", " + std::to_string(res.attempts) + " tries" : ""));
        finishRun(location, runId, result);
        return result;
    }

    // Keep the newest `keep` copies; only files named like ours are ever deleted.
    stage(Stage::Prune);
    net::Request list;
    list.method = "PROPFIND";
    list.url = settings.url;
    list.headers = {{"Depth", "1"}, {"Content-Type", "application/xml"}};
    list.body = R"(<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>)";
    const net::Response listed = client.send(list);
    if (!listed.ok()) {
        result.reason = "not_pruned";
        result.detail = listed.describe();
        result.message = "Uploaded; old copies not pruned (listing failed: " + result.detail + ").";
    } else {
        std::vector<std::string> ours;
        for (const std::string& n : listedNames(listed.body))
            if (isOurName(n, settings.publicKeyHex)) ours.push_back(n);
        std::sort(ours.begin(), ours.end());
        ours.erase(std::unique(ours.begin(), ours.end()), ours.end());
        if (std::find(ours.begin(), ours.end(), result.name) == ours.end()) {
            fail(result, "not_listed", "The server accepted the upload but does not list it", result.name);
            finishRun(location, runId, result);
            return result;
        }
        const size_t keep = static_cast<size_t>(std::max(settings.keep, 1));
        for (size_t i = 0; i + keep < ours.size(); ++i) {
            net::Request del;
            del.method = "DELETE";
            del.url = net::joinUrl(settings.url, ours[i]);
            const net::Response gone = client.send(del);
            if (gone.ok() || gone.status == 404) ++result.removedOld;
        }
    }
    result.ok = true;
    stage(Stage::Done);
    finishRun(location, runId, result);
    return result;
}

// [SECTION] restore
namespace {

// An error about one of our own scratch files, told about what the user gave: their file or address.
Error aboutUsersFile(const Error& e, std::initializer_list<fs::path> internal, const fs::path& scratch,
                     const std::string& shown) {
    if (e.key() == "backup.unwritable") // no room (or no permission) to unpack beside the data folder
        return Error(e.kind(), e.key(),
                     "There is no room to open " + shown + " in " + scratch.parent_path().string() +
                         " (disk full, or not writable); nothing was restored.");
    std::string message = e.what();
    for (const fs::path& path : internal) {
        const std::string ours = path.string();
        for (size_t at = message.find(ours); at != std::string::npos; at = message.find(ours, at + shown.size()))
            message.replace(at, ours.size(), shown);
    }
    return Error(e.kind(), e.key(), message);
}

// Opens `sealed` into a scratch folder beside the data folder and restores from it. Every message names
// `shown` (the user's file, or the address it was downloaded from), never a path of ours.
fs::path restoreSealed(const fs::path& dataDir, const fs::path& sealed, std::string_view phrase,
                       const std::string& shown) {
    if (!fs::is_regular_file(sealed))
        throw Error(ErrorKind::NotFound, "backup.missing", "There is no backup file at " + shown + ".");
    // The opened archive goes into desk/, or next to the data folder on a new machine (restoreScratch).
    const fs::path scratch = restoreScratch(dataDir, ".restore-scratch");
    std::error_code ec;
    fs::create_directories(scratch, ec);
    if (ec)
        throw Error(ErrorKind::Storage, "backup.unwritable",
                    "There is no room to open " + shown + " in " + scratch.parent_path().string() +
                        " (disk full, or not writable); nothing was restored.");
    ::chmod(scratch.c_str(), 0700);
    const fs::path plain = scratch / "opened.sqlar";
    fs::remove(plain, ec);
    try {
        backup::openFile(sealed, plain, phrase);
        fs::path safety = restoreStore(dataDir, plain);
        fs::remove_all(scratch, ec);
        return safety;
    } catch (const Error& e) {
        fs::remove_all(scratch, ec);
        throw aboutUsersFile(e, {plain, sealed}, scratch, shown);
    } catch (...) {
        fs::remove_all(scratch, ec);
        throw;
    }
}

} // namespace

fs::path restoreSealedFile(const fs::path& dataDir, const fs::path& sealed, std::string_view phrase) {
    return restoreSealed(dataDir, sealed, phrase, sealed.string());
}

void downloadBackup(const std::string& url, const fs::path& file, net::Options options) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec); // a new machine may not have the folder above yet
    fs::remove(file, ec);
    net::Request get;
    get.url = url;
    get.downloadFile = file;
    const net::Response res = net::Client(options).send(get);
    if (res.ok()) return;
    fs::remove(file, ec);
    const std::string hint = res.status == 401 || res.status == 403
                                 ? " Give the folder's user (--user) and password ($INLOOP_BACKUP_PASSWORD)."
                                 : "";
    throw Error(ErrorKind::Storage, "backup.download", "The backup could not be downloaded: " + res.describe() + "." + hint);
}

fs::path restoreFromUrl(const fs::path& dataDir, const std::string& url, std::string_view phrase, net::Options options) {
    backup::publicKeyFromPhrase(phrase); // a mistyped phrase is refused before any download
    const fs::path download = restoreScratch(dataDir, ".download.sealed");
    downloadBackup(url, download, std::move(options));
    std::error_code ec;
    try {
        fs::path safety = restoreSealed(dataDir, download, phrase, url);
        fs::remove(download, ec);
        return safety;
    } catch (...) {
        fs::remove(download, ec);
        throw;
    }
}

} // namespace inloop::core::offsite
