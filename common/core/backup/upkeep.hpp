// The daily upkeep: what must happen every day whether or not an app runs (the systemd timer runs
// `inloopctl upkeep`; the front desk also runs it at start and when the day changes).
#pragma once

#include "core/store/store.hpp"

#include <string>
#include <string_view>

namespace inloop::core {

struct UpkeepResult {
    int sessionsAdded = 0;       // the coming 4 weeks of sessions exist
    int registrationsClosed = 0; // registrations of earlier days: names typed at the kiosk wiped, no-shows closed
    int aliasesPurged = 0;       // shelter aliases past the retention period
    std::string cutoff;          // stays that ended before this day lost their alias
    int safetyCopiesDeleted = 0; // restore's safety copies past their 30 days (they hold purged text)
    std::string leftInWal;       // empty, or which WAL still holds old text because a reader blocked the flush
};

// Runs every step for `today` (YYYY-MM-DD, site-local). Each step is its own transaction and is safe to repeat.
// Waits up to flushWaitMs for readers before it gives up flushing the WALs (the next run finishes it).
UpkeepResult dailyUpkeep(Store& store, std::string_view today, int flushWaitMs = 5000);

} // namespace inloop::core
