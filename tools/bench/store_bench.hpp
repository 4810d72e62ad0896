// The store benchmarks (no UI): the demo data, commit latency, the yearly report, writers in three processes.
#pragma once

#include "results.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace inloop::core {
class Store;
struct Report;
} // namespace inloop::core

namespace inloop::bench {

// The demo years and the busy today (what prepareData puts in paths.demo) into an initialised store of either
// engine; data_years, data_contacts … under `prefix`.
void fillDemo(core::Store& store, const Settings& settings, Results& results, const std::string& prefix);
// The demo's coordinator: the staff member the commit benchmarks log as.
int64_t coordinatorId(core::Store& store);

// Runs `a` and `b` `runs` times each, alternating which goes first so both see the same machine; their times (ms).
std::pair<std::vector<double>, std::vector<double>> interleaved(int runs, const std::function<void()>& a,
                                                                const std::function<void()>& b);

// The main figures of the yearly report with the least SQL that gets them right (undo rows and moved
// registrations included): the report baseline, on either engine.
struct MainFigures {
    double walkIns = 0, walkInVisitors = 0, contacts = 0;
    std::map<std::string, double> channels;
    double registered = 0, attended = 0, noShow = 0, cancelled = 0;
    double handedOut = 0;
    double bedNights = 0;
    // One row of the per-channel contact count, one of the per-status registration count.
    void addContacts(const std::string& channel, double count, double visitors);
    void addRegistrations(const std::string& status, double count);
};
// The figures both compute, compared: a baseline that counts something else would make the ratio meaningless.
std::string disagreements(const core::Report& report, const MainFigures& baseline);

// The keys of one commit or report comparison under `prefix` ("" for SQLite, "pg_"): commit_p99_ms,
// baseline_commit_p99_ms, commit_ratio …; report_ms, baseline_report_ms, report_ratio, report_baseline_agrees …
void recordCommits(Results& results, const std::string& prefix, const std::vector<double>& domain,
                   const std::vector<double>& baseline);
void recordReport(Results& results, const std::string& prefix, const core::Report& report, const MainFigures& baseline,
                  const std::vector<double>& full, const std::vector<double>& minimal);

// Demo data for settings.years into paths.demo, with a busy today (contacts, handouts, a queue); a copy of it
// in paths.writes for the write benchmarks; the same busy today alone in paths.todayOnly. Throws when the data
// cannot be made (nothing else can run then).
void prepareData(const Settings& settings, const Paths& paths, Results& results);

// 1. core::logContact vs a bare INSERT + COMMIT with the same pragmas: commit_ratio and friends.
void measureCommit(const Settings& settings, const Paths& paths, Results& results);

// 2. core::buildReport for last year vs minimal hand-written SQL for the main figures: report_ratio, report_ms.
void measureReport(const Settings& settings, const Paths& paths, Results& results);

// 7. Kiosk-, desk- and CLI-like processes writing at once: concurrent_tps, concurrent_errors.
// Forks: call it while the bench has no other threads and no open store.
void measureConcurrent(const Settings& settings, const Paths& paths, Results& results);

} // namespace inloop::bench
