// What the kiosk shows, read in one go from public.db: the week's sessions with free places, and the
// ticket numbers being served now. The kiosk's screens read only this, never the database.
#pragma once

#include "core/store/store.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace inloop::core {

struct SessionView {
    int64_t id = 0;
    std::string service; // code: sti_test, accountant, lawyer, gp, youth, …
    std::string day;     // YYYY-MM-DD
    int startMin = 0, endMin = 0;
    int capacity = 0, freePlaces = 0;
    std::string place;   // spot46 | shelter
    std::string status;  // planned | cancelled | closed
    std::string reason;  // why cancelled or closed ("holiday:kings_day", free text)
    std::vector<std::string> languages;
    int64_t startsAt = 0; // unix seconds
};

struct CalledTicket {
    std::string ticket, service; // "A22", "accountant"
};

struct KioskView {
    std::string today;
    std::vector<SessionView> sessions;   // today and the next 7 days, in time order
    std::vector<CalledTicket> nowServing; // today's tickets called and not yet done, most recent first
    std::map<std::string, std::map<std::string, std::string>> descriptions; // service code → lang → text
    std::map<std::string, std::string> siteFacts; // what a coordinator set at the desk (site_facts.hpp)
    int64_t dataVersion = 0;
};

// Reads the view for `today` (sessions ending before `nowMinute` today are left out).
KioskView loadKioskView(Store& store, const std::string& today, int nowMinute);
// A version of public.db as this connection sees it: changes when any connection commits, this one included.
int64_t publicDataVersion(Store& store);

} // namespace inloop::core
