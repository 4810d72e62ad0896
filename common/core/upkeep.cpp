// The daily upkeep (see upkeep.hpp).
#include "upkeep.hpp"

#include "domain.hpp"

namespace inloop::core {

UpkeepResult dailyUpkeep(Store& store, std::string_view today) {
    UpkeepResult r;
    r.sessionsAdded = generateSessions(store, today, 28);
    // A name typed for a session is wiped when that session's day has ended: the kiosk promises it.
    r.registrationsClosed = closeDays(store, today);
    r.cutoff = retentionCutoff(store, today);
    r.aliasesPurged = purgeAliases(store, Actor::system(), r.cutoff);
    return r;
}

} // namespace inloop::core
