// The domain API: contacts (walk-ins, phone, e-mail, outreach).
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
    bool firstEver = false; // with a code: no earlier contact of this visitor code at all ("Nieuw")
};
// SQL condition on a contact row `c`: it carries a visitor code and no earlier contact of that code counts — in
// any channel, any year; undone contacts and undo rows do not count, as in the yearly report (kCountedContact).
// Earlier is by the moment (a back-dated contact goes before), then by id.
inline constexpr const char* kFirstEverContactSql =
    "(c.client_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contact o WHERE o.client_id = c.client_id "
    "AND +o.reverses IS NULL AND (o.at < c.at OR (o.at = c.at AND o.id < c.id)) "
    "AND NOT EXISTS (SELECT 1 FROM contact r WHERE r.reverses = o.id)))";
// Whether the contact is its visitor code's first-ever contact (kFirstEverContactSql).
bool isFirstEverContact(Store& store, int64_t contactId);
LoggedContact logContact(Store& store, const Actor& actor, const NewContact& contact);
// Undo: adds a reversing contact row that cancels the original in every count. Returns the new row's id.
// Desk staff undo only their own contacts, a coordinator anyone's; both only within the shift it was typed in
// (kShiftSeconds after its "log" audit row), as for bed actions (requireUndoRight).
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


} // namespace inloop::core
