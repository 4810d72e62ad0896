// Off-site backups end to end against a WebDAV folder served on 127.0.0.1: upload, retry, refusal of an
// untrusted certificate, pruning, restore with the recovery phrase (and refusal of a wrong one), a backup
// taken while the desk writes, and the same through inloopctl.
#include "store/helpers.hpp"
#include "support/https_server.hpp"
#include "support/temp_store.hpp"

#include "core/backup/maintenance.hpp"
#include "core/net/offsite.hpp"
#include "core/backup/sealed_backup.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

using namespace inloop;
using inloop::test::HttpsServer;
using inloop::test::Received;
using inloop::test::Reply;
namespace fs = std::filesystem;

namespace {

core::net::Options options() {
    core::net::Options o;
    o.caFile = HttpsServer::caFile();
    o.attempts = 3;
    o.backoffMs = 10;
    o.timeoutMs = 10'000;
    return o;
}

void logWalkIns(core::Store& s, int n) {
    for (int i = 0; i < n; ++i) core::logContact(s, core::Actor::cli(), core::NewContact{});
}

int64_t contacts(const fs::path& dir) {
    core::Store s = core::Store::open(dir);
    return s.db().queryInt("SELECT count(*) FROM contact");
}

// A store with a folder on `server` and a recovery phrase; returns the phrase.
std::string setUp(core::Store& s, const HttpsServer& server, int keep = 14) {
    core::offsite::Settings cfg;
    cfg.url = server.url("/dav/inloop");
    cfg.user = "spot46";
    cfg.password = "app-password-1";
    cfg.keep = keep;
    core::offsite::configure(s, core::Actor::cli(), cfg);
    return core::offsite::makeRecoveryPhrase(s, core::Actor::cli());
}

std::vector<std::string> folderFiles(HttpsServer::DavFolder& dav) {
    std::lock_guard lock(dav.mutex);
    std::vector<std::string> names;
    for (const auto& [path, body] : dav.files) names.push_back(path);
    return names;
}

std::string lastRunStatus(core::Store& s) { return core::offsite::recentRuns(s, 1).at(0).status; }

// Files in the backup's scratch folder other than its lock: an unsealed snapshot must never stay there.
std::vector<std::string> scratchLeftovers(const fs::path& data) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(core::StorePaths{data}.deskDir() / ".offsite"))
        if (e.path().filename() != "lock") names.push_back(e.path().filename().string());
    return names;
}

} // namespace

TEST_CASE("net: an off-site backup is uploaded sealed and restores with the recovery phrase") {
    test::TempStore ts;
    core::Store s = ts.open();
    logWalkIns(s, 25);
    HttpsServer::DavFolder dav;
    HttpsServer server([&](const Received& r) { return dav(r); });
    const std::string phrase = setUp(s, server);
    CHECK(s.db().queryText("SELECT value FROM setting WHERE key = 'offsite.password'") == "app-password-1");
    core::offsite::Settings withUser = core::offsite::loadSettings(s);
    withUser.url = "https://spot46:secret@cloud.example.nl/dav/";
    CHECK_ERROR(core::offsite::configure(s, core::Actor::cli(), withUser), core::ErrorKind::InvalidInput,
                "offsite.url_user");
    CHECK(test::count(s, "SELECT count(*) FROM audit_log WHERE detail LIKE '%secret%'") == 0);
    CHECK(test::count(s, "SELECT count(*) FROM audit_log WHERE detail LIKE '%app-password-1%'") == 0);

    const core::offsite::Result r = core::offsite::runBackup(ts.data, core::offsite::Trigger::Cli, options());
    INFO(r.message);
    REQUIRE(r.ok);
    const auto files = folderFiles(dav);
    REQUIRE(files.size() == 1);
    CHECK(files[0] == "/dav/inloop/" + r.name);
    CHECK(r.bytes > 0);
    CHECK(lastRunStatus(s) == "ok");
    CHECK(server.requests().front().headers.count("authorization") == 1);
    // Sealed: the uploaded bytes are not an SQLite archive and hold no SQLite header.
    {
        std::lock_guard lock(dav.mutex);
        const std::string& body = dav.files.begin()->second;
        CHECK(body.rfind("INLOOPBK", 0) == 0);
        CHECK(body.find("SQLite format 3") == std::string::npos);
    }
    // Nothing unsealed is left behind in the data folder.
    CHECK(scratchLeftovers(ts.data).empty());

    // A new machine: restore from the address with the phrase into an empty folder.
    test::TempDir other;
    const fs::path data = other.path() / "data";
    core::offsite::restoreFromUrl(data, server.url(files[0]), phrase, options());
    CHECK(core::checkStore(data).ok());
    CHECK(contacts(data) == 25);
}

TEST_CASE("net: a wrong or mistyped recovery phrase is refused and the data stays as it was") {
    test::TempStore ts;
    core::Store s = ts.open();
    logWalkIns(s, 3);
    HttpsServer::DavFolder dav;
    HttpsServer server([&](const Received& r) { return dav(r); });
    std::string phrase = setUp(s, server);
    const auto r = core::offsite::runBackup(ts.data, core::offsite::Trigger::Cli, options());
    REQUIRE(r.ok);

    test::TempStore target; // a store with its own data, which must survive every refused restore
    {
        core::Store t = target.open();
        logWalkIns(t, 7);
    }
    const std::string before = test::readBytes(target.paths().deskDb());
    const auto url = server.url("/dav/inloop/" + r.name);
    CHECK_ERROR(core::offsite::restoreFromUrl(target.data, url, core::backup::newRecoveryPhrase().phrase, options()),
                core::ErrorKind::InvalidInput, "backup.wrong_phrase");
    const size_t requests = server.requests().size();
    std::string typo = phrase;
    typo[0] = typo[0] == '7' ? '8' : '7';
    CHECK_ERROR(core::offsite::restoreFromUrl(target.data, url, typo, options()), core::ErrorKind::InvalidInput,
                "backup.phrase");
    CHECK(server.requests().size() == requests); // a mistyped phrase is refused before downloading anything
    {
        // A damaged copy (one byte flipped in the middle) is refused too.
        std::lock_guard lock(dav.mutex);
        std::string& body = dav.files.begin()->second;
        body[body.size() / 2] = static_cast<char>(body[body.size() / 2] ^ 0x20);
    }
    CHECK_ERROR(core::offsite::restoreFromUrl(target.data, url, phrase, options()), core::ErrorKind::Storage,
                "backup.damaged");
    CHECK(test::readBytes(target.paths().deskDb()) == before);
    CHECK(contacts(target.data) == 7);
    CHECK_FALSE(fs::exists(target.dir.path() / "data.download.sealed"));
}

TEST_CASE("net: an upload that meets a 500 is retried — an untrusted certificate is refused and recorded") {
    test::TempStore ts;
    core::Store s = ts.open();
    HttpsServer::DavFolder dav;
    std::atomic<int> puts{0};
    HttpsServer server([&](const Received& r) {
        if (r.method == "PUT" && puts++ == 0) return Reply{500, "busy", {}};
        return dav(r);
    });
    setUp(s, server);
    const auto r = core::offsite::runBackup(ts.data, core::offsite::Trigger::Desk, options());
    INFO(r.message);
    CHECK(r.ok);
    CHECK(puts == 2);
    CHECK(folderFiles(dav).size() == 1);

    HttpsServer::DavFolder stranger;
    HttpsServer selfSigned([&](const Received& q) { return stranger(q); }, HttpsServer::Cert::SelfSigned);
    core::offsite::Settings cfg = core::offsite::loadSettings(s);
    cfg.url = selfSigned.url("/dav/inloop/");
    cfg.password.clear();
    core::offsite::configure(s, core::Actor::cli(), cfg);
    const auto refused = core::offsite::runBackup(ts.data, core::offsite::Trigger::Nightly, options());
    CHECK_FALSE(refused.ok);
    CHECK(refused.message.find("certificate") != std::string::npos);
    CHECK(refused.reason == "tls");
    CHECK(core::offsite::recentRuns(s, 1).at(0).reason == "tls");
    CHECK(folderFiles(stranger).empty());
    CHECK(lastRunStatus(s) == "failed");
    CHECK(scratchLeftovers(ts.data).empty());
}

TEST_CASE("net: a server that does not answer in time fails the backup, which is then due again later") {
    test::TempStore ts;
    core::Store s = ts.open();
    HttpsServer::DavFolder dav;
    HttpsServer server([&](const Received& r) {
        if (r.method == "PUT") return Reply{201, "", {}, 1500};
        return dav(r);
    });
    setUp(s, server);
    core::net::Options o = options();
    o.timeoutMs = 300;
    o.attempts = 2;
    const int64_t night = core::unixFromLocal(core::localDay(core::nowUnix()), 3 * 60 + 5);
    CHECK(core::offsite::nightlyDue(s, night));
    const auto r = core::offsite::runBackup(ts.data, core::offsite::Trigger::Nightly, o, nullptr, night);
    CHECK_FALSE(r.ok);
    CHECK(r.reason == "upload");
    CHECK(lastRunStatus(s) == "failed");
    CHECK_FALSE(core::offsite::nightlyDue(s, night + 60));      // not hammered
    CHECK(core::offsite::nightlyDue(s, night + 31 * 60));       // but tried again within the hour
    CHECK_FALSE(core::offsite::nightlyDue(s, night - 4 * 3600)); // before the hour: not yet
}

TEST_CASE("net: only the newest copies are kept remotely — other files in the folder are never touched") {
    test::TempStore ts;
    core::Store s = ts.open();
    HttpsServer::DavFolder dav;
    {
        std::lock_guard lock(dav.mutex);
        dav.files["/dav/inloop/notes.txt"] = "the coordinator's own file";
    }
    HttpsServer server([&](const Received& r) { return dav(r); });
    setUp(s, server, 2);
    const int64_t t = core::unixFromLocal("2026-11-20", 3 * 60);
    std::vector<std::string> names;
    for (int i = 0; i < 4; ++i) {
        const auto r = core::offsite::runBackup(ts.data, core::offsite::Trigger::Nightly, options(), nullptr, t + 86400 * i);
        INFO(r.message);
        REQUIRE(r.ok);
        names.push_back(r.name);
    }
    const std::vector<std::string> want = {"/dav/inloop/" + names[2], "/dav/inloop/" + names[3], "/dav/inloop/notes.txt"};
    CHECK(folderFiles(dav) == want);
}

// Before issue 15: a damaged store was sealed and uploaded as good, and after `keep` such nights rotation had
// deleted every good copy. Now the snapshot's integrity_check fails the run before anything is sealed: nothing is
// uploaded, nothing is deleted remotely, the run is a failed backup_run row, and the good copies stay.
TEST_CASE("net: a damaged store is never uploaded and never rotates the good copies away") {
    test::TempStore ts;
    HttpsServer::DavFolder dav;
    HttpsServer server([&](const Received& r) { return dav(r); });
    const int64_t t = core::unixFromLocal("2026-11-20", 3 * 60);
    std::vector<std::string> good;
    {
        core::Store s = ts.open();
        logWalkIns(s, 300); // a desk.db of many pages
        setUp(s, server, 2);
        for (int i = 0; i < 2; ++i) {
            const auto r = core::offsite::runBackup(ts.data, core::offsite::Trigger::Nightly, options(), nullptr, t + 86400 * i);
            INFO(r.message);
            REQUIRE(r.ok);
            good.push_back("/dav/inloop/" + r.name);
        }
    }
    // Random bytes over a page in the middle of desk.db, as a failing disk would leave them.
    const fs::path desk = core::StorePaths{ts.data}.deskDb();
    const auto size = static_cast<std::streamoff>(fs::file_size(desk));
    {
        std::fstream f(desk, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp((size / 2) / 4096 * 4096);
        const std::string junk(4096, '\x5a');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    const size_t requestsBefore = server.requests().size();
    for (int i = 2; i < 5; ++i) {
        const auto r = core::offsite::runBackup(ts.data, core::offsite::Trigger::Nightly, options(), nullptr, t + 86400 * i);
        INFO(r.message);
        CHECK_FALSE(r.ok);
        CHECK(r.reason == "snapshot");
        CHECK(r.message.find("does not pass its check") != std::string::npos);
    }
    CHECK(server.requests().size() == requestsBefore); // no PUT, no PROPFIND, no DELETE
    CHECK(folderFiles(dav) == good);
    CHECK(scratchLeftovers(ts.data).empty());
    core::Store s = ts.open();
    CHECK(lastRunStatus(s) == "failed");
    CHECK(test::count(s, "SELECT count(*) FROM backup_run WHERE status = 'failed' AND reason = 'snapshot'") == 3);
}

TEST_CASE("net: a backup made while the front desk writes restores every row committed before it started") {
    test::TempStore ts;
    HttpsServer::DavFolder dav;
    HttpsServer server([&](const Received& r) { return dav(r); });
    std::string phrase;
    {
        core::Store s = ts.open();
        logWalkIns(s, 200);
        phrase = setUp(s, server);
    }
    std::atomic<bool> stop{false};
    std::atomic<int64_t> committed{200};
    std::thread desk([&] {
        core::Store s = ts.open();
        while (!stop) {
            core::logContact(s, core::Actor::cli(), core::NewContact{});
            ++committed;
            // A very busy desk, but not a loop that never lets go of the write lock: SQLite's busy handler
            // sleeps, so a writer that re-takes the lock at once could starve the backup's own bookkeeping.
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
    });
    while (committed < 300) std::this_thread::yield();
    const int64_t before = committed;
    const auto r = core::offsite::runBackup(ts.data, core::offsite::Trigger::Cli, options());
    stop = true;
    desk.join();
    INFO(r.message);
    REQUIRE(r.ok);
    test::TempDir other;
    const fs::path data = other.path() / "data";
    core::offsite::restoreFromUrl(data, server.url("/dav/inloop/" + r.name), phrase, options());
    CHECK(core::checkStore(data).ok());
    const int64_t restored = contacts(data);
    CHECK(restored >= before);
    CHECK(restored <= committed);
    // The restored rows are exactly the first ones written: no gap, no half transaction.
    core::Store back = core::Store::open(data);
    CHECK(back.db().queryInt("SELECT max(id) - min(id) + 1 FROM contact") == restored);
}

TEST_CASE("net: inloopctl offsite, backup --upload and restore --from-url") {
    test::TempStore ts;
    {
        core::Store s = ts.open();
        logWalkIns(s, 5);
    }
    HttpsServer::DavFolder dav;
    HttpsServer server([&](const Received& r) { return dav(r); });
    const fs::path pw = ts.dir.path() / "password";
    std::ofstream(pw) << "app-password-2\n";
    const std::vector<std::string> env = {"INLOOP_CA_FILE=" + HttpsServer::caFile(), "no_proxy=127.0.0.1"};
    const auto setup = test::runCtl({"--data-dir", ts.data.string(), "offsite", "--url", server.url("/dav/inloop/"),
                                     "--user", "spot46", "--password-file", pw.string(), "--keep", "5", "--new-phrase"},
                                    env);
    INFO(setup.err);
    REQUIRE(setup.exitCode == 0);
    // The phrase is the one line of 12 groups of 4 that the command printed.
    std::string phrase;
    std::istringstream lines(setup.out);
    for (std::string line; std::getline(lines, line);) {
        const auto start = line.find_first_not_of(' ');
        if (start != std::string::npos && line.size() - start == 59 && line[start + 4] == '-') phrase = line.substr(start);
    }
    REQUIRE(phrase.size() == 59);
    CHECK(setup.out.find("app-password-2") == std::string::npos);

    const auto up = test::runCtl({"--data-dir", ts.data.string(), "backup", "--upload"}, env);
    INFO(up.err);
    REQUIRE(up.exitCode == 0);
    const auto files = folderFiles(dav);
    REQUIRE(files.size() == 1);

    test::TempDir other;
    const std::string data = (other.path() / "data").string();
    const auto wrong = test::runCtl({"--data-dir", data, "restore", "--from-url", server.url(files[0]), "--user", "spot46"},
                                    {env[0], env[1], "INLOOP_RECOVERY_PHRASE=" + core::backup::newRecoveryPhrase().phrase});
    CHECK(wrong.exitCode == 1);
    CHECK(wrong.err.find("belongs to other backups") != std::string::npos);
    CHECK_FALSE(fs::exists(core::StorePaths{data}.deskDb()));
    const auto ok = test::runCtl({"--data-dir", data, "restore", "--from-url", server.url(files[0]), "--user", "spot46"},
                                 {env[0], env[1], "INLOOP_RECOVERY_PHRASE=" + phrase, "INLOOP_BACKUP_PASSWORD=app-password-2"});
    INFO(ok.err);
    CHECK(ok.exitCode == 0);
    CHECK(contacts(data) == 5);
    const auto usage = test::runCtl({"--data-dir", data, "backup"}, env);
    CHECK(usage.exitCode == 2);
}

TEST_CASE("net: two backups of the same data at once: the second one says so and leaves the first alone") {
    test::TempStore ts;
    core::Store s = ts.open();
    HttpsServer::DavFolder dav;
    std::atomic<bool> uploading{false};
    HttpsServer server([&](const Received& r) {
        if (r.method == "PUT") {
            uploading = true;
            Reply slow = dav(r);
            slow.delayMs = 600;
            return slow;
        }
        return dav(r);
    });
    setUp(s, server);
    core::offsite::Result first;
    std::thread desk([&] { first = core::offsite::runBackup(ts.data, core::offsite::Trigger::Nightly, options()); });
    while (!uploading) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto second = core::offsite::runBackup(ts.data, core::offsite::Trigger::Cli, options());
    desk.join();
    CHECK_FALSE(second.ok);
    CHECK(second.reason == "busy");
    INFO(first.message);
    CHECK(first.ok);
    CHECK(folderFiles(dav).size() == 1);
    CHECK(scratchLeftovers(ts.data).empty());
    CHECK(test::count(s, "SELECT count(*) FROM backup_run") == 1); // the refused one is not a run
}
