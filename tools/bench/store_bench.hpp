// The store benchmarks (no UI): the demo data, commit latency, the yearly report, writers in three processes.
#pragma once

#include "results.hpp"

namespace inloop::bench {

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
