// The data layout the operating system enforces: public/ and desk/, the move of a flat store, who may open what.
#include "helpers.hpp"
#include "process.hpp"

#include "core/base/error.hpp"
#include "support/temp_store.hpp"
#include "support/check_error.hpp"

#include <doctest/doctest.h>

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

using namespace inloop::core;
using namespace inloop::test;

namespace {

ino_t inodeOf(const fs::path& file) {
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 ? st.st_ino : 0;
}

unsigned modeOf(const fs::path& file) {
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 ? static_cast<unsigned>(st.st_mode & 07777) : 0xffffu;
}

int64_t contacts(const fs::path& data) {
    Store store = Store::open(data);
    return store.db().queryInt("SELECT count(*) FROM contact");
}

void logSome(const fs::path& data, int n) {
    Store store = Store::open(data);
    for (int i = 0; i < n; ++i) logContact(store, Actor::cli(), NewContact{});
}

// A pipe the parent writes one byte into to let a waiting child go on.
struct Gate {
    int fds[2] = {-1, -1};
    Gate() { REQUIRE(::pipe(fds) == 0); }
    ~Gate() {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    void wait() const {
        char c = 0;
        [[maybe_unused]] const ssize_t n = ::read(fds[0], &c, 1);
    }
    void open() const { [[maybe_unused]] const ssize_t n = ::write(fds[1], "x", 1); }
};

// Runs `body` in a child process as the account nobody (no groups) and returns what it wrote to the pipe.
template <typename F> std::string asNobody(F&& body) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = forkChild([&] {
        ::close(fds[0]);
        if (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0)
            throw std::runtime_error("cannot become nobody");
        const std::string said = body();
        if (::write(fds[1], said.data(), said.size()) != static_cast<ssize_t>(said.size())) ::_exit(2);
    });
    ::close(fds[1]);
    std::string out;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    CHECK(waitExit(pid) == 0);
    return out;
}

template <typename F> std::string errorOf(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_SUITE("sqlite") { // a data folder's layout and file modes: the SQLite run only
TEST_CASE("a new data folder gets public/ and desk/ with modes that let a group share them, nothing flat") {
    TempDir dir;
    const fs::path data = dir.path() / "var";
    const mode_t old = ::umask(077); // a strict umask must not narrow what init sets
    Store::init(data);
    ::umask(old);
    const StorePaths paths{data};
    CHECK_FALSE(paths.hasFlatFiles());
    CHECK(paths.publicDb() == data / "public" / "public.db");
    CHECK(paths.deskDb() == data / "desk" / "desk.db");
    CHECK(paths.codeKey() == data / "desk" / "client-code.key");
    CHECK(modeOf(data) == 0755);
    CHECK(modeOf(paths.publicDir()) == 02770);
    CHECK(modeOf(paths.deskDir()) == 02770);
    CHECK(modeOf(paths.publicDb()) == 0660);
    CHECK(modeOf(paths.deskDb()) == 0660);
    CHECK(modeOf(paths.codeKey()) == 0640);
    {
        // SQLite makes -wal and -shm with the main file's mode; the setgid folder gives them its group.
        Store store = Store::open(data);
        logContact(store, Actor::cli(), NewContact{});
        struct stat folder {}, wal {};
        REQUIRE(::stat(paths.deskDir().c_str(), &folder) == 0);
        REQUIRE(::stat((paths.deskDb().string() + "-wal").c_str(), &wal) == 0);
        CHECK(wal.st_gid == folder.st_gid);
        CHECK((wal.st_mode & 0777) == 0660);
        CHECK(modeOf(paths.publicDb().string() + "-shm") == 0660);
    }
}

TEST_CASE("a flat store from before the split opens as it is, for the desk and for the kiosk") {
    TempStore ts;
    logSome(ts.data, 3);
    makeFlat(ts.data);
    const StorePaths paths{ts.data};
    CHECK(paths.isFlat());
    CHECK(paths.deskDb() == ts.data / paths.deskDb().filename());
    CHECK(contacts(ts.data) == 3);
    Store kiosk = Store::open(ts.data, Store::Access::Kiosk);
    CHECK(kiosk.db().queryInt("SELECT count(*) FROM service") == 5);
    CHECK_FALSE(fs::exists(ts.data / "public")); // opening moves nothing
}

TEST_CASE("init moves a flat store into public/ and desk/ by rename: the same files, no WAL left behind") {
    TempStore ts;
    logSome(ts.data, 5);
    makeFlat(ts.data);
    const StorePaths flat{ts.data};
    const ino_t desk = inodeOf(flat.deskDb()), pub = inodeOf(flat.publicDb()), key = inodeOf(flat.codeKey());
    const std::string keyBytes = readBytes(flat.codeKey());
    {
        // Leave committed changes in the WAL, as a crash or a running app would.
        Store store = Store::open(ts.data);
        logContact(store, Actor::cli(), NewContact{});
        store.db().exec("PRAGMA wal_autocheckpoint = 0");
        logContact(store, Actor::cli(), NewContact{});
    }
    Store::init(ts.data);
    const StorePaths paths{ts.data};
    CHECK_FALSE(paths.hasFlatFiles());
    CHECK(paths.deskDb() == ts.data / "desk" / "desk.db");
    CHECK(inodeOf(paths.deskDb()) == desk); // moved, not copied
    CHECK(inodeOf(paths.publicDb()) == pub);
    CHECK(inodeOf(paths.codeKey()) == key);
    CHECK(readBytes(paths.codeKey()) == keyBytes);
    std::vector<std::string> top;
    for (const auto& e : fs::directory_iterator(ts.data)) top.push_back(e.path().filename().string());
    std::sort(top.begin(), top.end());
    CHECK(top == std::vector<std::string>{"desk", "public"}); // no WAL or -shm left at the old place
    CHECK(modeOf(ts.data) == 0755);
    CHECK(modeOf(paths.deskDb()) == 0660);
    CHECK(modeOf(paths.publicDb()) == 0660);
    CHECK(modeOf(paths.codeKey()) == 0640);
    CHECK(contacts(ts.data) == 7);
    Store::init(ts.data); // again: nothing to do
    CHECK(inodeOf(paths.deskDb()) == desk);
}

TEST_CASE("a move cut short by a crash still opens, and init finishes it") {
    TempStore ts;
    logSome(ts.data, 4);
    makeFlat(ts.data);
    const fs::path flatDesk = StorePaths{ts.data}.deskDb(), flatKey = StorePaths{ts.data}.codeKey(),
                   flatPublic = StorePaths{ts.data}.publicDb();
    makeLayoutFolders(ts.data);
    SUBCASE("public.db moved, desk.db and the key not yet") {
        fs::rename(flatPublic, ts.data / "public" / flatPublic.filename());
    }
    SUBCASE("both databases moved, the key not yet; an empty WAL left at the old place") {
        fs::rename(flatPublic, ts.data / "public" / flatPublic.filename());
        fs::rename(flatDesk, ts.data / "desk" / flatDesk.filename());
        writeFile(flatDesk.string() + "-wal", "");
    }
    SUBCASE("only the folders made") {}
    const StorePaths paths{ts.data};
    CHECK(paths.hasFlatFiles());
    CHECK(contacts(ts.data) == 4); // each file is found where it is
    {
        Store kiosk = Store::open(ts.data, Store::Access::Kiosk);
        CHECK(kiosk.db().queryInt("SELECT count(*) FROM service") == 5);
    }
    Store::init(ts.data);
    CHECK_FALSE(paths.hasFlatFiles());
    CHECK_FALSE(fs::exists(flatDesk.string() + "-wal"));
    CHECK(paths.codeKey() == ts.data / "desk" / flatKey.filename());
    CHECK(contacts(ts.data) == 4);
}

TEST_CASE("a WAL with changes left beside a moved desk.db is never deleted: init refuses") {
    TempStore ts;
    makeFlat(ts.data);
    const fs::path flatDesk = StorePaths{ts.data}.deskDb();
    makeLayoutFolders(ts.data);
    fs::rename(flatDesk, ts.data / "desk" / flatDesk.filename());
    writeFile(flatDesk.string() + "-wal", "not empty");
    CHECK_ERROR(Store::init(ts.data), ErrorKind::Storage, "store.leftover");
    CHECK(readBytes(flatDesk.string() + "-wal") == "not empty");
}

TEST_CASE("init refuses to move a flat store while another connection has it open, and moves nothing") {
    TempStore ts;
    logSome(ts.data, 2);
    makeFlat(ts.data);
    const StorePaths paths{ts.data};
    const ino_t desk = inodeOf(paths.deskDb());
    SUBCASE("the kiosk in this process") {
        Store kiosk = Store::open(ts.data, Store::Access::Kiosk);
        CHECK_ERROR(Store::init(ts.data), ErrorKind::Conflict, "store.in_use");
        CHECK(paths.isFlat());
    }
    SUBCASE("only desk.db, by a program in another process") {
        Gate gate, ready;
        const pid_t child = forkChild([&] {
            SqliteDatabase db(paths.deskDb(), SqliteDatabase::Mode::ReadWrite);
            db.queryInt("SELECT count(*) FROM contact");
            ready.open();
            gate.wait();
        });
        ready.wait();
        CHECK(errorOf([&] { Store::init(ts.data); }).find("desk.db is open in another program") != std::string::npos);
        CHECK(paths.isFlat()); // public.db was not moved ahead of it either
        gate.open();
        CHECK(waitExit(child) == 0);
    }
    SUBCASE("the front desk in another process") {
        Gate gate, ready;
        const pid_t child = forkChild([&] {
            Store store = Store::open(ts.data);
            store.db().queryInt("SELECT count(*) FROM contact");
            ready.open();
            gate.wait();
        });
        ready.wait();
        const std::string why = errorOf([&] { Store::init(ts.data); });
        CHECK(why.find("is open in another program") != std::string::npos);
        CHECK(paths.isFlat());
        gate.open();
        CHECK(waitExit(child) == 0);
    }
    Store::init(ts.data); // closed: now it moves
    CHECK_FALSE(paths.hasFlatFiles());
    CHECK(inodeOf(paths.deskDb()) == desk);
    CHECK(contacts(ts.data) == 2);
}

TEST_CASE("an account without the folder's group is told which group it needs, the kiosk too") {
    if (::geteuid() != 0) {
        MESSAGE("skipped: needs root to run a child as nobody");
        return;
    }
    TempStore ts;
    ::chmod(ts.dir.path().c_str(), 0755); // mkdtemp's 0700 would be the first thing nobody meets
    const auto gidOf = [](const char* name) { // getgrnam's result lives only until the next call
        const group* g = ::getgrnam(name);
        REQUIRE(g);
        return g->gr_gid;
    };
    const gid_t staff = gidOf("staff"), users = gidOf("users");
    const StorePaths paths = ts.paths();
    REQUIRE(::chown(paths.deskDir().c_str(), static_cast<uid_t>(-1), staff) == 0);
    REQUIRE(::chown(paths.publicDir().c_str(), static_cast<uid_t>(-1), users) == 0);

    const std::string kiosk = asNobody([&] { return errorOf([&] { Store::open(ts.data, Store::Access::Kiosk); }); });
    CHECK(kiosk == "The kiosk cannot open " + paths.publicDir().string() +
                       ": this account (nobody) is not in the group users.");
    const std::string desk = asNobody([&] { return errorOf([&] { Store::open(ts.data); }); });
    CHECK(desk.find("needs the group users to open " + paths.publicDir().string() +
                    " (you are nobody; ask a coordinator to run `adduser nobody users`).") != std::string::npos);
    const std::string deskOnly = asNobody([&] { return accessProblem(paths.deskDb(), R_OK | W_OK).value_or(""); });
    INFO(deskOnly);
    CHECK(deskOnly.find("needs the group staff to open " + paths.deskDir().string()) != std::string::npos);
}
}
