// Partner calendars: a service whose sessions come from the partner's iCalendar (ICS) feed instead of weekly
// rules. The feed is fetched over HTTPS (conditional GET within a day), read with ical::readFeed and turned
// into the service's sessions for the coming weeks. A feed that fails or does not parse leaves the sessions as
// they were and records the reason, which the front desk shows as a warning.
#pragma once

#include "core/domain/domain.hpp"
#include "core/net/ical.hpp"
#include "core/net/net.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace inloop::core::calendar {

struct FeedInfo {
    int64_t serviceId = 0;
    std::string serviceName;
    std::string url;
    int capacity = 0;
    std::optional<int64_t> checkedAt, okAt;
    int sessions = 0;
    std::string errorKind; // "" (the last attempt was fine), "fetch" or "parse"
    std::string error;     // the technical detail of that failure ("HTTP 500 …", the parser's reason)
    std::vector<std::string> warnings; // of the last good read (events left out, …): sentences, as many as fit
                                       // in 4,000 bytes; they stay while a later attempt fails or finds no change
};
std::vector<FeedInfo> listFeeds(Store& store);

// Coordinators: the service's sessions come from this https:// feed (capacity per session), or, with an empty
// url, from its weekly rules again: the feed's coming sessions are removed (kept, as the schedule's, where
// someone registered). Audited (the address's host only: private calendar addresses hold a secret). A new
// address or capacity reaches every coming session at the next sync.
void setFeed(Store& store, const Actor& actor, int64_t serviceId, std::string_view url, int capacity);

struct Applied {
    int added = 0, changed = 0, removed = 0, cancelled = 0; // cancelled: sessions people had registered for
    int cancelledRegistrations = 0;
    bool operator==(const Applied&) const = default;
};
// Makes the service's sessions that start in [now, now + days) match the feed, in one transaction:
// new occurrences become sessions (closures and public holidays apply as for rules), changed end times are
// updated, and sessions the feed no longer has are deleted — or, when someone registered, cancelled with
// their registrations (reason "feed:removed"). Sessions that have started are never touched; extra sessions
// added at the desk stay.
Applied applyFeed(Store& store, int64_t serviceId, const ical::Feed& feed, int64_t now, int days = 28);

struct SyncResult {
    int64_t serviceId = 0;
    std::string serviceName;
    enum class Outcome { Updated, NotModified, Failed } outcome = Outcome::Failed;
    std::string message; // the reason when Failed; warnings from the feed otherwise
    Applied applied;
};
// Network options for feeds: 30 s per attempt, 3 attempts (a calendar is small; a hung server must not hold
// the desk's network thread for long).
net::Options feedOptions(net::Options base = {});
// Every feed of an active service: fetch (no transaction is open during the transfer), read, apply.
std::vector<SyncResult> syncFeeds(Store& store, const net::Client& client, int64_t now, int days = 28);

} // namespace inloop::core::calendar
