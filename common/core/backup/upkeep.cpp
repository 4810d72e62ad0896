// The daily upkeep (see upkeep.hpp).
#include "core/backup/upkeep.hpp"

#include "core/base/clock.hpp"
#include "core/domain/domain.hpp"
#include "core/backup/maintenance.hpp"

namespace inloop::core {

UpkeepResult dailyUpkeep(Store& store, std::string_view today, int flushWaitMs) {
    UpkeepResult r;
    r.sessionsAdded = generateSessions(store, today, 28);
    // A name typed for a session is wiped when that session's day has ended: the kiosk promises it.
    r.registrationsClosed = closeDays(store, today);
    r.cutoff = retentionCutoff(store, today);
    r.aliasesPurged = purgeAliases(store, Actor::system(), r.cutoff);
    r.safetyCopiesDeleted = pruneSafetyCopies(store.paths().dir, nowUnix());
    r.leftInWal = flushAfterPurge(store, flushWaitMs); // the old text must leave the WALs too
    return r;
}

} // namespace inloop::core
