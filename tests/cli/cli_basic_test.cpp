// inloopctl as a user meets it: help, usage errors, bad flags and values, where the data folder comes from.
#include "cli_helpers.hpp"

#include <doctest/doctest.h>

using namespace inloop::test;

TEST_SUITE("cli") {
TEST_CASE("init then check on a new folder succeeds") {
    TempDir dir;
    const auto data = (dir.path() / "var").string();
    const auto init = runCtl({"--data-dir", data, "init"});
    CLI_INFO(init);
    CHECK(init.exitCode == 0);
    CHECK(contains(init.out, "Inloop data ready in " + data));
    CHECK(init.err.empty());
    const auto before = snapshot(data);
    const auto check = runCtl({"--data-dir", data, "check"});
    CLI_INFO(check);
    CHECK(check.exitCode == 0);
    CHECK(check.out.find("Healthy") != std::string::npos);
    CHECK(contains(check.out, "ok: desk.db: integrity ok"));
    CHECK(contains(check.out, "ok: client-code.key: present"));
    CHECK(check.err.empty());
    CHECK(snapshot(data) == before); // check only reads
}

TEST_CASE("--help lists every command on stdout and exits 0") {
    for (const std::string flag : {"--help", "-h"}) {
        const auto r = runCtl({flag});
        CAPTURE(flag);
        CLI_INFO(r);
        CHECK(r.exitCode == 0);
        CHECK(r.err.empty());
        CHECK(r.out.rfind("Usage: inloopctl [--data-dir DIR | --store DIR-OR-POSTGRESQL-URL] COMMAND", 0) == 0);
        for (const char* cmd : {"init", "demo [--years N]", "check", "backup FILE", "restore FILE"})
            CHECK(contains(r.out, std::string("\n  ") + cmd));
    }
}

TEST_CASE("COMMAND --help explains the command, exits 0 and touches no data") {
    TempDir dir;
    const fs::path data = dir.path() / "var";
    const std::pair<const char*, const char*> cases[] = {
        {"init", "Safe to run again"},
        {"demo", "--years N"},
        {"check", "Exits 0 only if everything is healthy"},
        {"backup", "FILE must not exist yet"},
        {"restore", "a backup that fails the check changes"},
    };
    for (const auto& [cmdName, phrase] : cases) {
        const std::string cmd = cmdName;
        const auto r = ctl(data, {cmd, "--help"});
        CAPTURE(cmd);
        CLI_INFO(r);
        CHECK(r.exitCode == 0);
        CHECK(r.err.empty());
        CHECK(r.out.rfind(std::string("Usage: inloopctl [--data-dir DIR] ") + cmd, 0) == 0);
        CHECK(contains(r.out, phrase));
        CHECK_FALSE(fs::exists(data)); // `init --help` must not create the folder
    }
    // --help wins over a missing argument, and may come first.
    const auto early = runCtl({"--help", "backup"});
    CLI_INFO(early);
    CHECK(early.exitCode == 0);
    CHECK(contains(early.out, "backup FILE"));
}

TEST_CASE("no command or an unknown command is a usage error (exit 2)") {
    TempDir dir;
    const auto none = runCtl({});
    CLI_INFO(none);
    CHECK(none.exitCode == 2);
    CHECK(none.out.empty());
    CHECK(none.err.rfind("Usage: inloopctl", 0) == 0);
    CHECK(contains(none.err, "restore FILE"));

    const auto onlyDir = ctl(dir.path() / "var", {});
    CLI_INFO(onlyDir);
    CHECK(onlyDir.exitCode == 2);
    CHECK(contains(onlyDir.err, "Usage: inloopctl"));

    const auto unknown = ctl(dir.path() / "var", {"frobnicate"});
    CLI_INFO(unknown);
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.out.empty());
    CHECK(isOneErrorLine(unknown.err));
    CHECK(contains(unknown.err, "\"frobnicate\""));
    CHECK_FALSE(fs::exists(dir.path() / "var"));
}

TEST_CASE("an unknown option is named and nothing runs (exit 2)") {
    TempStore s;
    const auto before = snapshot(s.data);
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"demo", "--yeers", "2"}, "Unknown option --yeers for demo."},
        {{"demo", "--yeers=2"}, "Unknown option --yeers for demo."},
        {{"check", "--years", "2"}, "Unknown option --years for check."},
        {{"--yeers", "2", "demo"}, "Unknown option --yeers (options come after the command)."},
    };
    for (const auto& [args, message] : cases) {
        const auto r = ctl(s.data, args);
        CAPTURE(message);
        CLI_INFO(r);
        CHECK(r.exitCode == 2);
        CHECK(r.out.empty());
        CHECK(isOneErrorLine(r.err));
        CHECK(contains(r.err, message));
    }
    CHECK(snapshot(s.data) == before);
}

TEST_CASE("demo --years with a bad value is a usage error and writes nothing") {
    TempStore s;
    const auto before = snapshot(s.data);
    for (const std::string value : {"abc", "0", "99", "-1", "2x", "", "1.5"}) {
        const auto r = ctl(s.data, {"demo", "--years", value});
        CAPTURE(value);
        CLI_INFO(r);
        CHECK(r.exitCode == 2);
        CHECK(r.out.empty());
        CHECK(isOneErrorLine(r.err));
        CHECK(contains(r.err, "--years takes a whole number from 1 to 15"));
    }
    const auto noValue = ctl(s.data, {"demo", "--years"});
    CLI_INFO(noValue);
    CHECK(noValue.exitCode == 2);
    CHECK(isOneErrorLine(noValue.err));
    CHECK(contains(noValue.err, "--years needs a value"));

    const auto badSeed = ctl(s.data, {"demo", "--seed", "seven"});
    CLI_INFO(badSeed);
    CHECK(badSeed.exitCode == 2);
    CHECK(isOneErrorLine(badSeed.err));
    CHECK(contains(badSeed.err, "--seed"));

    CHECK(snapshot(s.data) == before);
    CHECK(contactCount(s.location) == 0);
}

TEST_CASE("a missing or extra argument is a usage error (exit 2)") {
    TempStore s;
    const auto before = snapshot(s.data);
    const fs::path file = s.dir.path() / "b.sqlar";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"backup"}, "backup needs a FILE, or --upload"},
        {{"restore"}, "restore needs a FILE, or --from-url URL"},
        {{"backup", file.string(), "--upload"}, "backup --upload takes no FILE"},
        {{"calendar"}, "calendar takes 1 to 3 arguments"},
        {{"calendar", "set", "sti_test"}, "calendar set takes a service code and a URL"},
        {{"backup", file.string(), "extra"}, "backup takes at most 1 argument"},
        {{"init", "extra"}, "init takes no arguments"},
        {{"check", "now"}, "check takes no arguments"},
        {{"demo", "2"}, "demo takes no arguments"},
    };
    for (const auto& [args, message] : cases) {
        const auto r = ctl(s.data, args);
        CAPTURE(message);
        CLI_INFO(r);
        CHECK(r.exitCode == 2);
        CHECK(r.out.empty());
        CHECK(isOneErrorLine(r.err));
        CHECK(contains(r.err, message));
        CHECK(contains(r.err, "inloopctl " + args[0])); // the usage line, or where to read it
    }
    CHECK_FALSE(fs::exists(file));
    CHECK(snapshot(s.data) == before);
}

TEST_CASE("--data-dir without a folder is a usage error (exit 2)") {
    TempDir dir;
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"init", "--data-dir"}, {"--data-dir=", "init"}, {"init", "--data-dir", ""}}) {
        const auto r = runCtl(args, {"INLOOP_DATA_DIR=" + (dir.path() / "env").string()});
        CLI_INFO(r);
        CHECK(r.exitCode == 2);
        CHECK(r.out.empty());
        CHECK(isOneErrorLine(r.err));
        CHECK(contains(r.err, "--data-dir needs a folder"));
    }
    CHECK(entries(dir.path()).empty()); // in particular it did not fall back to $INLOOP_DATA_DIR
}

TEST_CASE("$INLOOP_DATA_DIR is the data folder when --data-dir is absent, and --data-dir wins over it") {
    TempDir dir;
    const fs::path envData = dir.path() / "from-env", flagData = dir.path() / "from-flag";
    const std::vector<std::string> env = {"INLOOP_DATA_DIR=" + envData.string()};

    const auto init = runCtl({"init"}, env);
    CLI_INFO(init);
    CHECK(init.exitCode == 0);
    CHECK(contains(init.out, envData.string()));
    CHECK(fs::exists(inloop::core::StorePaths{envData}.deskDb()));
    CHECK(fs::exists(inloop::core::StorePaths{envData}.publicDb()));

    const auto check = runCtl({"check"}, env);
    CLI_INFO(check);
    CHECK(check.exitCode == 0);
    CHECK(contains(check.out, "Healthy: " + envData.string()));

    const auto flagWins = runCtl({"--data-dir", flagData.string(), "check"}, env);
    CLI_INFO(flagWins);
    CHECK(flagWins.exitCode == 1);
    CHECK(contains(flagWins.err, flagData.string()));
    CHECK_FALSE(fs::exists(flagData));
}
}
