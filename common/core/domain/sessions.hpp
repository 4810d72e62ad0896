// The domain API: services, schedule and registrations.
// Every write runs in one transaction with its audit row (desk side); bad input throws Error and writes nothing.
#pragma once

#include "core/domain/audit.hpp"
#include "core/base/error.hpp"
#include "core/store/store.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace inloop::core {

// [SECTION] services, schedule and registrations
struct NewService {
    std::string code;
    std::string name;
    std::string partner;
    std::string place = "spot46"; // spot46 | shelter
    std::string languages = "nl"; // languages offered, comma-separated codes: "nl,en,es"
};
int64_t addService(Store& store, const Actor& actor, const NewService& service);
// Coordinators: change a service's name, partner, place and languages (the code stays), or (de)activate it.
void updateService(Store& store, const Actor& actor, int64_t serviceId, const NewService& service, bool active = true);
// A short description in one language ("" removes it); the kiosk shows it with the service.
void setServiceDescription(Store& store, const Actor& actor, int64_t serviceId, std::string_view lang,
                           std::string_view description);
std::optional<int64_t> findService(Store& store, std::string_view code);

struct NewRule {
    int64_t serviceId = 0;
    int weekday = 1; // 1 = Monday … 7 = Sunday
    int startMin = 0, endMin = 0;
    int capacity = 1;
    std::string place = "spot46";
    std::string validFrom;                // YYYY-MM-DD
    std::optional<std::string> validUntil; // inclusive
};
int64_t addScheduleRule(Store& store, const Actor& actor, const NewRule& rule);

// Closes the centre (serviceId empty) or cancels one service on a day.
int64_t addClosure(Store& store, const Actor& actor, std::string_view day, std::optional<int64_t> serviceId,
                   std::string_view reason);

// Creates the sessions of [fromDay, fromDay + days) from the rules, skipping Dutch public holidays and
// closures. Existing sessions stay as they are. Returns how many were created.
int generateSessions(Store& store, std::string_view fromDay, int days);
// What a session of this service on this day is: {"planned", ""}, or closed/cancelled with the closure's
// reason, or closed for a Dutch public holiday ("holiday:<key>").
std::pair<std::string, std::string> sessionStatusOn(Store& store, std::string_view day, int64_t serviceId);

struct Ticket {
    int64_t registrationId = 0;
    std::string code; // e.g. "K7": letters and digits without 0/O/1/I
};
// One transaction that respects capacity; throws Full (key "registration.full") when no place is left,
// Conflict when the session is cancelled or closed.
Ticket registerForSession(Store& store, const Actor& actor, int64_t sessionId, RegistrationSource source,
                          std::string_view language = "nl", std::optional<std::string> callName = std::nullopt,
                          When when = {});
void cancelRegistration(Store& store, const Actor& actor, int64_t registrationId, When when = {});
// Queue outcome at the desk: "called", "seen" or "no_show".
void setRegistrationStatus(Store& store, const Actor& actor, int64_t registrationId, std::string_view status,
                           When when = {});
int freePlaces(Store& store, int64_t sessionId);
// The desk's undo of a queue step (call, seen, no-show, cancel, move): the ticket goes back to `previous`
// ("waiting" or "called"); a move's new ticket is removed if nobody acted on it yet. Audited as "undo".
void undoQueueStep(Store& store, const Actor& actor, int64_t registrationId, std::string_view previous, When when = {});
// The desk's undo of its own registration (also "served without a ticket"): the row goes, audited as "undo".
void undoDeskRegistration(Store& store, const Actor& actor, int64_t registrationId);
// Moves a waiting or called registration to another session (capacity checked there): the old row becomes
// "moved" and points to the new one, which keeps the ticket's language and name. Returns the new ticket.
Ticket moveRegistration(Store& store, const Actor& actor, int64_t registrationId, int64_t toSessionId, When when = {});
// Someone at the desk without a ticket is seen now: a desk registration that is "seen" at once (counts for the
// session's attendance, takes a place).
Ticket serveWithoutTicket(Store& store, const Actor& actor, int64_t sessionId, std::string_view language = "nl",
                          When when = {});

// Schedule upkeep: a rule ends after `lastDay` (sessions after it that nobody registered for are removed).
void endScheduleRule(Store& store, const Actor& actor, int64_t ruleId, std::string_view lastDay);
// An extra session on one day, outside the weekly rules.
int64_t addExtraSession(Store& store, const Actor& actor, int64_t serviceId, std::string_view day, int startMin,
                        int endMin, int capacity);

// The end of a day, for every day before `today`: open registrations become no-shows and every typed name
// is wiped. Safe to run any number of times, from the kiosk or the desk. Returns the registrations changed.
int closeDays(Store& store, std::string_view today);

// Anonymous kiosk usage: adds one to today's counter for (kind, key); never a row per visitor.
// kind: "language" (key: code), "page" (key: topic), "registration" (key: service), "wipe" (key: "leave"|"idle").
void countKioskUse(Store& store, std::string_view kind, std::string_view key, When when = {});


} // namespace inloop::core
