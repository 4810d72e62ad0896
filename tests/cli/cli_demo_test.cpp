// inloopctl demo: fills a new store with realistic data, the same for the same seed, and refuses a store with data.
#include "cli_helpers.hpp"

#include "core/base/clock.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace inloop::test;

namespace {

// A fixed last day makes the data the same on every run, as long as that day is over: the generator writes
// nothing after now (see demoDayIsOver).
const std::vector<std::string> kDemo = {"demo", "--years", "2", "--today", "2026-06-30", "--seed", "7"};

bool demoDayIsOver() { return inloop::core::nowUnix() > inloop::core::unixFromLocal("2026-07-01", 0); }

// A folder initialised by inloopctl, then filled by `inloopctl demo` with these arguments.
struct DemoStore {
    TempDir dir;
    fs::path data = dir.path() / "data";
    RunResult demo;
    explicit DemoStore(const std::vector<std::string>& args = kDemo) {
        const auto init = ctl(data, {"init"});
        CLI_INFO(init);
        REQUIRE(init.exitCode == 0);
        demo = ctl(data, args);
    }
};

// The number printed in "…: N contacts," of demo's summary line, or -1.
long long printedContacts(const std::string& out) {
    const auto colon = out.find("): ");
    if (colon == std::string::npos) return -1;
    char* end = nullptr;
    const long long n = std::strtoll(out.c_str() + colon + 3, &end, 10);
    return std::string_view(end).rfind(" contacts,", 0) == 0 ? n : -1;
}

} // namespace

TEST_SUITE("cli") {
TEST_CASE("demo on a folder that was never initialised fails and creates nothing") {
    TempDir dir;
    const fs::path data = dir.path() / "data";
    const auto r = ctl(data, kDemo);
    CLI_INFO(r);
    CHECK(r.exitCode == 1);
    CHECK(isOneErrorLine(r.err));
    CHECK(contains(r.err, "init"));
    CHECK_FALSE(fs::exists(data));
}

TEST_CASE("init, demo --years 2 and check succeed and the data spans the two years") {
    WARN_MESSAGE(demoDayIsOver(), "the system clock is before 2026-07-01: the demo data stops at now");
    DemoStore s;
    CLI_INFO(s.demo);
    REQUIRE(s.demo.exitCode == 0);
    CHECK(s.demo.err.empty());
    CHECK(s.demo.out.rfind("Demo data for 2 years (seed 7): ", 0) == 0);

    const int64_t contacts = contactCount(s.data);
    CHECK(contacts > 100); // two years of a walk-in centre: thousands of contacts
    // The summary counts contacts that stand: not the undos nor the contacts they cancel.
    CHECK(printedContacts(s.demo.out) ==
          queryStore(s.data, "SELECT count(*) FROM contact c WHERE reverses IS NULL "
                             "AND NOT EXISTS (SELECT 1 FROM contact r WHERE r.reverses = c.id)"));
    CHECK(queryStore(s.data, "SELECT count(*) FROM contact WHERE channel = 'walk_in'") > 0);
    CHECK(queryStore(s.data, "SELECT count(*) FROM contact WHERE day > '2026-06-30'") == 0);
    CHECK(queryStore(s.data, "SELECT count(*) FROM contact WHERE day < '2024-06-30'") == 0);
    CHECK(queryStore(s.data, "SELECT count(*) FROM contact WHERE day >= '2026-01-01'") > 0);
    CHECK(queryStore(s.data, "SELECT count(*) FROM contact WHERE day < '2025-06-30'") > 0);

    const auto check = ctl(s.data, {"check"});
    CLI_INFO(check);
    CHECK(check.exitCode == 0);
    CHECK(contains(check.out, "Healthy"));
}

TEST_CASE("demo --years 2: the yearly report reaches a plausible number of people by outreach, never 0") {
    WARN_MESSAGE(demoDayIsOver(), "the system clock is before 2026-07-01: the demo data stops at now");
    DemoStore s;
    CLI_INFO(s.demo);
    REQUIRE(s.demo.exitCode == 0);
    const auto report = ctl(s.data, {"report", "--year", "2025", "--lang", "en"});
    CLI_INFO(report);
    REQUIRE(report.exitCode == 0);
    // "Online we reached 523 unique sex workers (…), in 580 contacts." — SHOP's magazine: 528 online in a year.
    const auto reached = [&](const std::string& lead) -> long long {
        const auto at = report.out.find(lead);
        if (at == std::string::npos) return -1;
        return std::strtoll(report.out.c_str() + at + lead.size(), nullptr, 10);
    };
    const long long online = reached("Online we reached "), street = reached("On the street we reached ");
    CHECK(online >= 400);
    CHECK(online <= 650);
    CHECK(street >= 20); // 208 field visits, a code asked in some of them
    CHECK(street <= 208);
    CHECK_FALSE(contains(report.out, "reached 0 unique"));
    CHECK(contains(report.out, "women"));
}

TEST_CASE("demo with the same seed gives the same data in two folders") {
    WARN_MESSAGE(demoDayIsOver(), "the system clock is before 2026-07-01: the demo data stops at now");
    DemoStore a, b;
    CLI_INFO(a.demo);
    REQUIRE(a.demo.exitCode == 0);
    REQUIRE(b.demo.exitCode == 0);
    CHECK(a.demo.out == b.demo.out);
    const std::string fingerprint =
        "SELECT coalesce(sum(at % 1000003), -1) + 7 * coalesce(sum(length(language) * length(channel)), 0) FROM contact";
    CHECK(contactCount(a.data) > 0);
    CHECK(contactCount(a.data) == contactCount(b.data));
    CHECK(queryStore(a.data, "SELECT coalesce(sum(at), -1) FROM contact") ==
          queryStore(b.data, "SELECT coalesce(sum(at), -1) FROM contact"));
    CHECK(queryStore(a.data, fingerprint) == queryStore(b.data, fingerprint));
}

TEST_CASE("demo run twice refuses the second time and changes nothing") {
    DemoStore s;
    CLI_INFO(s.demo);
    REQUIRE(s.demo.exitCode == 0);
    const int64_t contacts = contactCount(s.data);
    CHECK(contacts > 0);
    const auto before = snapshot(s.data);

    const auto again = ctl(s.data, kDemo);
    CLI_INFO(again);
    CHECK(again.exitCode != 0);
    CHECK(again.out.empty());
    CHECK(isOneErrorLine(again.err));
    CHECK(contactCount(s.data) == contacts);
    CHECK(snapshot(s.data) == before);
}

TEST_CASE("demo refuses a store where the desk already logged a contact") {
    TempStore s;
    logContacts(s.location, 1);
    const auto before = snapshot(s.data);
    const auto r = ctl(s.data, kDemo);
    CLI_INFO(r);
    CHECK(r.exitCode != 0);
    CHECK(r.out.empty());
    CHECK(isOneErrorLine(r.err));
    CHECK(contactCount(s.location) == 1);
    CHECK(snapshot(s.data) == before);
}

TEST_CASE("demo with a --today that is not a date fails with one sentence and writes nothing") {
    TempStore s;
    const auto before = snapshot(s.data);
    for (const std::string today : {"yesterday", "2026-13-45", "30-06-2026"}) {
        const auto r = ctl(s.data, {"demo", "--years", "1", "--today", today});
        CAPTURE(today);
        CLI_INFO(r);
        CHECK(r.exitCode != 0);
        CHECK(r.out.empty());
        CHECK(isOneErrorLine(r.err));
    }
    CHECK(contactCount(s.location) == 0);
    CHECK(snapshot(s.data) == before);
}

// Known gap: --years and --seed are checked by inloopctl (exit 2, the flag and the value named); --today is
// passed on unchecked, so a typo gives exit 1 and "The last demo day is not a date (YYYY-MM-DD)." without
// saying which option or value was wrong.
TEST_CASE("demo --today with a bad date is a usage error that names the option") {
    TempStore s;
    const auto r = ctl(s.data, {"demo", "--today", "30-06-2026"});
    CLI_INFO(r);
    CHECK(r.exitCode == 2);
    CHECK(isOneErrorLine(r.err));
    CHECK(contains(r.err, "--today"));
    CHECK(contains(r.err, "30-06-2026"));
}
}
