// The domain API shared by the kiosk, the front desk, the CLI and the bench.
// Every write runs in one transaction with its audit row (desk side); bad input throws Error and writes nothing.
//
// [SECTION] enumerations
// [SECTION] actor and audit
// [SECTION] contacts
// [SECTION] supplies
// [SECTION] services, schedule and registrations
// [SECTION] shelter
// [SECTION] staff
#pragma once

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

// [SECTION] enumerations: stored as these exact words (the schema CHECKs the same lists).
enum class Channel { WalkIn, Phone, Email, OutreachStreet, OutreachOnline };
enum class Gender { Unknown, Woman, Man, Trans, NonBinary, NotSaid };
enum class Referral { None, SocialWork, CareCoordinator, Shelter, Partner };
enum class Topic { Health, StiTest, Money, Law, Work, Housing, Exploitation, Shelter, OtherWork, SuppliesOnly, CoffeeChat };
enum class StockKind { Handout, Sale, Delivery, Correction };
enum class Payment { Cash, Card };
enum class RegistrationSource { Kiosk, Desk, Phone };
enum class StayReferral { SocialWork, Partner, Police, Self, Other, Unknown };
enum class ExitProgramme { Yes, No, Unknown };
enum class Destination { OwnHome, SupportedHousing, OtherShelter, HomeCountry, Unknown, LeftWithoutNotice };
enum class Role { Desk, Shelter, Coordinator };

template <typename E> struct EnumWords;
#define INLOOP_ENUM_WORDS(E, ...)                                                                                  \
    template <> struct EnumWords<E> {                                                                              \
        static constexpr std::array words{__VA_ARGS__};                                                            \
    }
INLOOP_ENUM_WORDS(Channel, "walk_in", "phone", "email", "outreach_street", "outreach_online");
INLOOP_ENUM_WORDS(Gender, "unknown", "woman", "man", "trans", "non_binary", "not_said");
INLOOP_ENUM_WORDS(Referral, "none", "social_work", "care_coordinator", "shelter", "partner");
INLOOP_ENUM_WORDS(Topic, "health", "sti_test", "money", "law", "work", "housing", "exploitation", "shelter",
                  "other_work", "supplies_only", "coffee_chat");
INLOOP_ENUM_WORDS(StockKind, "handout", "sale", "delivery", "correction");
INLOOP_ENUM_WORDS(Payment, "cash", "card");
INLOOP_ENUM_WORDS(RegistrationSource, "kiosk", "desk", "phone");
INLOOP_ENUM_WORDS(StayReferral, "social_work", "partner", "police", "self", "other", "unknown");
INLOOP_ENUM_WORDS(ExitProgramme, "yes", "no", "unknown");
INLOOP_ENUM_WORDS(Destination, "own_home", "supported_housing", "other_shelter", "home_country", "unknown",
                  "left_without_notice");
INLOOP_ENUM_WORDS(Role, "desk", "shelter", "coordinator");
#undef INLOOP_ENUM_WORDS
// Languages the desk offers for a contact (ISO 639-1, most heard first; others are stored as typed). The report
// lists each of them, 0 when nobody spoke it.
inline constexpr std::array kContactLanguages{"nl", "en", "es", "ro", "bg", "hu", "pl", "pt", "fr", "de", "it", "ru",
                                              "uk", "zh", "th", "vi", "ar", "tr", "sw", "yo", "tl", "id", "ms", "sk"};

template <typename E> constexpr std::string_view word(E value) {
    return EnumWords<E>::words[static_cast<size_t>(value)];
}
template <typename E> std::optional<E> parseWord(std::string_view text) {
    const auto& words = EnumWords<E>::words;
    for (size_t i = 0; i < words.size(); ++i)
        if (text == words[i]) return static_cast<E>(i);
    return std::nullopt;
}

// [SECTION] actor and audit
struct Actor {
    enum class Kind { Staff, Cli, Demo, System, Kiosk };
    Kind kind = Kind::System;
    std::optional<int64_t> staffId;
    static Actor staff(int64_t id) { return {Kind::Staff, id}; }
    static Actor cli() { return {Kind::Cli, std::nullopt}; }
    static Actor demo() { return {Kind::Demo, std::nullopt}; }
    static Actor system() { return {Kind::System, std::nullopt}; }
    static Actor kiosk() { return {Kind::Kiosk, std::nullopt}; }
};

// Appends an audit row; call inside the transaction of the change it records. No-op on the kiosk's store.
void audit(Store& store, const Actor& actor, std::string_view action, std::string_view entity,
           std::optional<int64_t> recordId, std::string_view detail = {});

// The moment a write happens: now, unless a past moment is given (demo data, back-dated entries).
struct When {
    std::optional<int64_t> at;
    int64_t resolve() const;
};

// Back-dating an entry forgotten earlier: staff go back at most this far, a coordinator (and the CLI) further.
// A moment in the future is refused for everyone (key "when.future"; too far back: "when.too_old").
inline constexpr int64_t kBackdateSeconds = 7 * 24 * 3600;
// Staff undo their own entries (coordinators anyone's) within one shift of typing them.
inline constexpr int64_t kShiftSeconds = 12 * 3600;

// The language of a contact nobody asked about (ISO 639-2 "undetermined"): a quick log records this, never
// the language used last, so the yearly figures do not grow a language nobody heard.
inline constexpr const char* kLanguageNotAsked = "und";

// [SECTION] contacts
struct NewContact {
    Channel channel = Channel::WalkIn;
    Gender gender = Gender::Unknown;            // "unknown" is "not asked"
    std::string language = kLanguageNotAsked; // ISO 639 code of the language spoken
    std::vector<Topic> topics;
    Referral referral = Referral::None;
    std::optional<std::string> clientCode; // the visitor's own short code; only its keyed hash is stored
    When when;
};
struct LoggedContact {
    int64_t id = 0;
    std::optional<int64_t> clientId;
    int visitsThisYear = 0; // walk-ins of this client this calendar year, this one included (0 without a code)
};
LoggedContact logContact(Store& store, const Actor& actor, const NewContact& contact);
// Undo: adds a reversing contact row that cancels the original in every count. Returns the new row's id.
// Desk staff undo only their own contacts; a coordinator anyone's.
int64_t undoContact(Store& store, const Actor& actor, int64_t contactId, When when = {});

// The optional details of a contact logged with one tap (the second tap). The channel and time stay.
// The audit row names the fields that changed, never their values for the code.
struct ContactDetails {
    Gender gender = Gender::Unknown;
    std::string language = kLanguageNotAsked;
    std::vector<Topic> topics;
    Referral referral = Referral::None;
    std::optional<std::string> clientCode; // absent: keep the code it has; "": remove it; else the visitor's code
    When when;                             // set: the contact happened then (back-dated, audited); else it stays
};
LoggedContact updateContactDetails(Store& store, const Actor& actor, int64_t contactId, const ContactDetails& details);

// [SECTION] supplies
struct NewSupplyItem {
    std::string code; // stable, lower-case: "condom_m"
    std::string name;
    std::string unit = "piece";
    int64_t priceCents = 0;
    int64_t minStock = 0;
};
int64_t addSupplyItem(Store& store, const Actor& actor, const NewSupplyItem& item);
std::optional<int64_t> findSupplyItem(Store& store, std::string_view code);
int64_t stockOf(Store& store, int64_t itemId);

struct StockChange {
    int64_t itemId = 0;
    StockKind kind = StockKind::Handout;
    int64_t quantity = 0;        // handout, sale, delivery: how many (> 0); correction: the signed change
    std::optional<Payment> payment; // sale only
    std::optional<int64_t> priceCents; // sale: total price; default item price × quantity
    std::optional<int64_t> contactId;
    std::string reason;          // required for a correction and for going below zero
    bool confirmBelowZero = false;
    When when;
};
// Throws NeedsConfirmation (key "stock.below_zero") when stock would go below zero without confirmation.
int64_t moveStock(Store& store, const Actor& actor, const StockChange& change);
int64_t undoStockMove(Store& store, const Actor& actor, int64_t moveId, When when = {});

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

// [SECTION] shelter
struct CheckIn {
    int64_t bedId = 0;
    std::string alias;                      // what the shelter calls her; purged after the retention period
    std::optional<std::string> clientCode;  // optional visitor code, stored as keyed hash
    StayReferral referral = StayReferral::Unknown; // nothing preselected: a skipped answer is "not known"
    ExitProgramme exitProgramme = ExitProgramme::Unknown;
    std::optional<std::string> expectedOutDay;
    bool confirmEmergencyBed = false;       // required to give away the last free bed…
    std::string emergencyReason;            // …with a reason
    std::optional<int64_t> reservationId;   // arriving for a reservation on this bed
    When when;
    // A stay entered after it ended (forgotten): when she left and where to. The stay is checked against the
    // bed's other stays as the interval [when, leftAt); without it the stay is open, [when, now and later).
    std::optional<int64_t> leftAt;
    Destination destination = Destination::Unknown;
};
// Throws Conflict when the bed is taken or out of service (or was, in the stay's interval), NeedsConfirmation
// for the last free bed (not for a police placement: that is what the emergency bed is kept for).
int64_t checkIn(Store& store, const Actor& actor, const CheckIn& checkIn);
void checkOut(Store& store, const Actor& actor, int64_t stayId, Destination destination, When when = {});
// Beds in service, not occupied and not held by an open reservation that has not expired yet.
int freeBeds(Store& store, int64_t now = 0);
// A resident moves to another free bed (no confirmation: the number of free beds stays the same).
void moveStay(Store& store, const Actor& actor, int64_t stayId, int64_t toBedId, When when = {});

// Someone is expected: the bed is held from now until `expiresAt`. The last free bed needs the same confirmation
// and reason as a check-in.
struct NewReservation {
    int64_t bedId = 0;
    std::string alias;
    StayReferral referral = StayReferral::Unknown;
    int64_t expectedAt = 0;
    int64_t expiresAt = 0;
    bool confirmEmergencyBed = false;
    std::string emergencyReason;
};
int64_t reserveBed(Store& store, const Actor& actor, const NewReservation& reservation);
void cancelReservation(Store& store, const Actor& actor, int64_t reservationId);
// Undo of a bed action, within the shift it was typed in (desk staff: their own; a coordinator: anyone's). Each is
// audited and leaves the figures as if it never happened: an undone check-in removes the stay (a reservation it
// came from is open again), an undone check-out reopens the stay, an undone move puts her back, an undone
// reservation removes it.
void undoCheckIn(Store& store, const Actor& actor, int64_t stayId);
void undoCheckOut(Store& store, const Actor& actor, int64_t stayId);
void undoMove(Store& store, const Actor& actor, int64_t stayId);
void undoReservation(Store& store, const Actor& actor, int64_t reservationId);

// Out of service (with a reason) and back; a bed with a resident or an open reservation cannot go out of service.
// Each change is kept in the bed's service history (bed_service): a period's capacity is what it was then.
void setBedInService(Store& store, const Actor& actor, int64_t bedId, bool inService, std::string_view reason = {},
                     When when = {});

// Retention: aliases of stays (and reservations) that ended before `beforeDay` are removed; counts remain.
// Returns how many were purged; each run is recorded in purge_run and the audit log.
int purgeAliases(Store& store, const Actor& actor, std::string_view beforeDay);
// The retention period in months (setting "retention.months", default 24) and the day it implies.
int retentionMonths(Store& store);
std::string retentionCutoff(Store& store, std::string_view today);

// [SECTION] staff
// Adds a staff member with a personal PIN (argon2id). At the desk's first start the first one must be a
// coordinator; after that only a coordinator (or the CLI) may add staff.
int64_t addStaff(Store& store, const Actor& actor, std::string_view name, Role role, std::string_view pin);

struct StaffMember {
    int64_t id = 0;
    std::string name;
    Role role = Role::Desk;
    bool active = true;
    int64_t lockedUntil = 0; // unix seconds; 0 = not locked
};
std::vector<StaffMember> listStaff(Store& store, bool activeOnly = true);
std::optional<StaffMember> findStaff(Store& store, int64_t staffId);

// Checks a PIN. Five wrong PINs in a row lock the account: 30 s, then twice as long after every further
// miss, at most an hour. A locked account refuses without checking. Sign-ins and misses are audited.
struct SignInResult {
    bool ok = false;
    int64_t lockedUntil = 0; // when refused because locked (or now locked)
    int failures = 0;        // wrong PINs in a row
};
// Checking a PIN runs outside the lock; counting a miss and deciding the lockout happen in one write transaction
// on the row as it is then, so guesses made at the same time from several processes all count.
SignInResult signIn(Store& store, int64_t staffId, std::string_view pin, int64_t now = 0);
inline constexpr int kPinTries = 5; // wrong PINs in a row before the account locks

// The shortest PIN a new PIN may have (4 to 8 digits; a coordinator sets it, audited). Existing PINs keep
// working; new and changed PINs must meet it.
inline constexpr int kPinMinLengthDefault = 4;
int pinMinLength(Store& store);
void setPinMinLength(Store& store, const Actor& actor, int length);

// Coordinators only: a new PIN (also unlocks), a role, or (de)activation. Nobody can deactivate the last coordinator.
void setStaffPin(Store& store, const Actor& actor, int64_t staffId, std::string_view pin);
void setStaffRole(Store& store, const Actor& actor, int64_t staffId, Role role);
void setStaffActive(Store& store, const Actor& actor, int64_t staffId, bool active);
// A coordinator corrects a name; Error(Conflict, "staff.exists") when a colleague has it already. Audited.
void renameStaff(Store& store, const Actor& actor, int64_t staffId, std::string_view name);
// Throws Error(InvalidInput, "role") unless the actor is a signed-in staff member with one of these roles
// (the CLI and the system are trusted).
void requireRole(Store& store, const Actor& actor, std::initializer_list<Role> roles);

// The site's defaults, written by `init` once: the shelter's rooms and beds, the documented services,
// the supply catalogue. Does nothing to a store that has them.
void seedSiteDefaults(Store& store);

} // namespace inloop::core
