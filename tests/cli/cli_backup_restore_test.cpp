// inloopctl backup and restore: one private archive, round trips, refusing bad backups, backing up under load.
#include "cli_helpers.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace inloop::test;
namespace core = inloop::core;

namespace {

// A store made by `inloopctl init` holding `contacts` Dutch walk-ins; all connections closed.
struct CtlStore {
    TempDir dir;
    fs::path data = dir.path() / "data";
    explicit CtlStore(int contacts = 2) {
        const auto r = ctl(data, {"init"});
        CLI_INFO(r);
        REQUIRE(r.exitCode == 0);
        logContacts(data, contacts, "nl");
    }
};

RunResult backupTo(const fs::path& data, const fs::path& file) {
    const auto r = ctl(data, {"backup", file.string()});
    CLI_INFO(r);
    REQUIRE(r.exitCode == 0);
    return r;
}

// A restore that must be refused: exit 1, one sentence naming the file, and the data folder exactly as it was.
void requireRefused(const fs::path& data, const fs::path& file, const std::string& why) {
    const auto before = snapshot(data);
    const auto r = ctl(data, {"restore", file.string()});
    CAPTURE(file);
    CLI_INFO(r);
    CHECK(r.exitCode == 1);
    CHECK(r.out.empty());
    CHECK(isOneErrorLine(r.err));
    CHECK(contains(r.err, file.string()));
    CHECK(contains(r.err, why));
    CHECK(snapshot(data) == before); // same files, same bytes: no safety copy, no scratch folder left
}

// Damages a good backup in place: 4 KiB of random bytes in the middle of its desk.db (size and sz unchanged).
void damageDeskBlob(const fs::path& archive) {
    core::SqliteDatabase db(archive, core::SqliteDatabase::Mode::ReadWrite);
    std::string blob;
    {
        core::Statement& get = db.prepare("SELECT data FROM sqlar WHERE name = 'desk.db'");
        REQUIRE(get.step());
        blob = get.getBlob(0);
    }
    REQUIRE(blob.size() >= 8 * 4096);
    const size_t offset = (blob.size() / 2) / 4096 * 4096;
    blob.replace(offset, 4096, randomBytes(4096, 7));
    core::Statement& put = db.prepare("UPDATE sqlar SET data = ? WHERE name = 'desk.db'");
    put.bindBlob(1, blob.data(), blob.size());
    put.run();
    REQUIRE(db.changes() == 1);
}

// Starts a child process that logs walk-ins (two topics each) through the domain API for `ms` milliseconds,
// pausing `pauseUs` microseconds after each (0: back to back); returns once it has logged the first one.
// The child never returns to doctest.
pid_t startWriter(const fs::path& data, int ms, int pauseUs) {
    int pipeFds[2];
    REQUIRE(::pipe(pipeFds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(pipeFds[0]);
        int status = 0;
        try {
            core::Store store = core::Store::open(data);
            const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
            bool told = false;
            while (std::chrono::steady_clock::now() < until) {
                core::NewContact c;
                c.topics = {core::Topic::SuppliesOnly, core::Topic::Health};
                core::logContact(store, core::Actor::cli(), c);
                if (!told) told = ::write(pipeFds[1], "x", 1) == 1;
                if (pauseUs > 0) std::this_thread::sleep_for(std::chrono::microseconds(pauseUs));
            }
        } catch (...) {
            status = 1;
        }
        ::_exit(status);
    }
    ::close(pipeFds[1]);
    char started = 0;
    const auto got = ::read(pipeFds[0], &started, 1);
    ::close(pipeFds[0]);
    REQUIRE(got == 1); // the writer is logging now
    return child;
}

// Waits for the writer; its exit code (0: every contact was logged without an error).
int finishWriter(pid_t child) {
    int status = -1;
    REQUIRE(::waitpid(child, &status, 0) == child);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

TEST_SUITE("cli") {
TEST_CASE("backup writes one private archive with both files and the code key") {
    CtlStore s;
    const fs::path file = s.dir.path() / "nightly.sqlar";
    const auto r = backupTo(s.data, file);
    CHECK(r.out == "Backup written to " + file.string() + " (keep it as safe as the data itself).\n");
    CHECK(r.err.empty());
    CHECK(fileMode(file) == 0600);
    CHECK_FALSE(fs::exists(file.string() + ".partial"));

    core::SqliteDatabase db(file, core::SqliteDatabase::Mode::ReadOnly);
    CHECK(db.queryText("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlar ORDER BY name)") ==
          "client-code.key,desk.db,public.db");
    CHECK(db.queryInt("SELECT count(*) FROM sqlar WHERE sz <> length(data)") == 0);
    core::Statement& key = db.prepare("SELECT data FROM sqlar WHERE name = 'client-code.key'");
    REQUIRE(key.step());
    CHECK(key.getBlob(0) == readBytes(core::StorePaths{s.data}.codeKey()));
}

TEST_CASE("backup to a file that exists refuses and leaves that file alone") {
    CtlStore s;
    const fs::path file = s.dir.path() / "taken.sqlar";
    writeFile(file, "last week's backup\n");
    const auto before = snapshot(s.data);
    const auto r = ctl(s.data, {"backup", file.string()});
    CLI_INFO(r);
    CHECK(r.exitCode == 1);
    CHECK(r.out.empty());
    CHECK(isOneErrorLine(r.err));
    CHECK(contains(r.err, file.string() + " exists already"));
    CHECK(readBytes(file) == "last week's backup\n");
    CHECK_FALSE(fs::exists(file.string() + ".partial"));
    CHECK(snapshot(s.data) == before);
}

TEST_CASE("restore brings back the backed-up moment and keeps what it replaced") {
    CtlStore s(2);
    const fs::path file = s.dir.path() / "before.sqlar";
    backupTo(s.data, file);
    logContacts(s.data, 3, "en"); // after the backup: gone after the restore

    const auto r = ctl(s.data, {"restore", file.string()});
    CLI_INFO(r);
    REQUIRE(r.exitCode == 0);
    CHECK(r.err.empty());
    CHECK(contains(r.out, "Restored " + s.data.string() + " from " + file.string() + "."));
    const fs::path safety = safetyCopyNamed(r.out);
    CHECK_FALSE(safety.empty());
    CHECK(fs::is_regular_file(safety));
    CHECK(safety.parent_path() == core::StorePaths{s.data}.deskDir()); // staff may write desk/, not the data folder

    CHECK(contactCount(s.data) == 2);
    CHECK(queryStore(s.data, "SELECT count(*) FROM contact WHERE language = 'en'") == 0);
    const core::StorePaths paths{s.data};
    CHECK(paths.deskDb() == s.data / "desk" / "desk.db"); // restored into the layout, not beside it
    CHECK(fileMode(paths.deskDb()) == 0660);
    CHECK(fileMode(paths.publicDb()) == 0660);
    CHECK(fileMode(paths.codeKey()) == 0640);
    for (const auto& name : entries(s.data)) CHECK(name.rfind(".restore-", 0) != 0);
    const auto check = ctl(s.data, {"check"});
    CLI_INFO(check);
    CHECK(check.exitCode == 0);

    // The safety copy is itself a backup: it holds the five contacts the restore replaced.
    const fs::path elsewhere = s.dir.path() / "elsewhere";
    const auto back = ctl(elsewhere, {"restore", safety.string()});
    CLI_INFO(back);
    REQUIRE(back.exitCode == 0);
    CHECK_FALSE(contains(back.out, "kept in")); // nothing was there to keep
    CHECK(contactCount(elsewhere) == 5);
    CHECK(queryStore(elsewhere, "SELECT count(*) FROM contact WHERE language = 'en'") == 3);
}

TEST_CASE("restore refuses a file that is not a backup and changes nothing") {
    CtlStore s;
    const fs::path random = s.dir.path() / "random.bin", text = s.dir.path() / "notes.txt",
                   plain = s.dir.path() / "plain.db", partial = s.dir.path() / "partial.sqlar",
                   missing = s.dir.path() / "missing.sqlar";
    writeFile(random, randomBytes(64 * 1024, 3));
    writeFile(text, "Backups are on the USB stick in the office.\n");
    {
        core::SqliteDatabase db(plain, core::SqliteDatabase::Mode::ReadWriteCreate);
        db.exec("CREATE TABLE note(text TEXT); INSERT INTO note VALUES ('not an archive');");
    }
    {
        core::SqliteDatabase db(partial, core::SqliteDatabase::Mode::ReadWriteCreate); // an archive without desk.db
        db.exec("CREATE TABLE sqlar(name TEXT PRIMARY KEY, mode INT, mtime INT, sz INT, data BLOB);"
                "INSERT INTO sqlar VALUES ('public.db', 33152, 0, 3, x'010203');");
    }
    for (const fs::path& file : {random, text, plain, partial})
        requireRefused(s.data, file, "is not an Inloop backup, or it is damaged.");
    requireRefused(s.data, missing, "There is no backup file at");
    CHECK(contactCount(s.data) == 2);
    CHECK(ctl(s.data, {"check"}).exitCode == 0);
}

TEST_CASE("restore refuses a backup whose desk.db was damaged and changes nothing") {
    CtlStore s(300); // a desk.db of many pages
    const fs::path file = s.dir.path() / "damaged.sqlar";
    backupTo(s.data, file);
    damageDeskBlob(file);
    logContacts(s.data, 1, "en");
    requireRefused(s.data, file, "does not pass the check (desk.db");
    CHECK(contactCount(s.data) == 301);
}

// Known gap: restoreStore() creates the data folder before it has checked the backup, so a refused restore
// into a new folder leaves an empty folder behind ("a bad backup changes nothing" does not quite hold).
TEST_CASE("a refused restore into a new folder does not create it") {
    CtlStore s(300);
    const fs::path file = s.dir.path() / "damaged.sqlar";
    backupTo(s.data, file);
    damageDeskBlob(file);
    const fs::path fresh = s.dir.path() / "fresh";
    const auto r = ctl(fresh, {"restore", file.string()});
    CLI_INFO(r);
    CHECK(r.exitCode == 1);
    CHECK(isOneErrorLine(r.err));
    CHECK_FALSE(fs::exists(fresh));
}

TEST_CASE("backup while another process logs contacts gives a consistent store") {
    CtlStore s(1);
    // A front desk far busier than a real one: a contact every ~2 ms.
    const pid_t writer = startWriter(s.data, 1500, 2000);
    std::vector<fs::path> backups;
    std::vector<RunResult> runs;
    for (int i = 0; i < 3; ++i) {
        backups.push_back(s.dir.path() / ("busy-" + std::to_string(i) + ".sqlar"));
        runs.push_back(ctl(s.data, {"backup", backups.back().string()}));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(finishWriter(writer) == 0);
    const int64_t total = contactCount(s.data);
    CHECK(total > 50);

    int64_t previous = 1;
    for (size_t i = 0; i < backups.size(); ++i) {
        CAPTURE(i);
        CLI_INFO(runs[i]);
        REQUIRE(runs[i].exitCode == 0);
        const fs::path restored = s.dir.path() / ("restored-" + std::to_string(i));
        const auto restore = ctl(restored, {"restore", backups[i].string()});
        CLI_INFO(restore);
        REQUIRE(restore.exitCode == 0);
        const auto check = ctl(restored, {"check"});
        CLI_INFO(check);
        CHECK(check.exitCode == 0);
        const int64_t contacts = contactCount(restored);
        CHECK(contacts > previous); // taken 100 ms apart while the writer kept logging
        CHECK(contacts < total);    // taken before the writer stopped
        // Each contact and its audit row are written in one transaction: a snapshot has both or neither.
        CHECK(queryStore(restored, "SELECT count(*) FROM audit_log WHERE entity = 'contact'") == contacts);
        CHECK(queryStore(restored, "SELECT count(*) FROM contact_topic") == 2 * contacts - 1);
        previous = contacts;
    }
}

// Known weakness: Store::open() runs migrate(), which always starts BEGIN IMMEDIATE, so `backup` (a pure read)
// needs the write lock of both files. While a writer keeps writing, the backup waits until the writer pauses,
// and fails with "The data is busy in another program" after the 10 s busy timeout. Here every backup should be
// taken while the writer is still busy, i.e. hold fewer contacts than the writer's final total.
TEST_CASE("backup does not wait for a busy writer to pause") {
    CtlStore s(1);
    const pid_t writer = startWriter(s.data, 1500, 0);
    std::vector<int64_t> millis;
    std::vector<fs::path> backups;
    for (int i = 0; i < 3; ++i) {
        backups.push_back(s.dir.path() / ("busy-" + std::to_string(i) + ".sqlar"));
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = ctl(s.data, {"backup", backups.back().string()});
        CLI_INFO(r);
        CHECK(r.exitCode == 0);
        millis.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
    }
    CHECK(finishWriter(writer) == 0);
    const int64_t total = contactCount(s.data);
    for (size_t i = 0; i < backups.size(); ++i) {
        CAPTURE(i);
        INFO("backup took " << millis[i] << " ms");
        const fs::path restored = s.dir.path() / ("restored-" + std::to_string(i));
        REQUIRE(ctl(restored, {"restore", backups[i].string()}).exitCode == 0);
        CHECK(contactCount(restored) < total);
    }
}
}
