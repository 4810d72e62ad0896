// The domain API: staff, PINs, roles and sign-in.
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


} // namespace inloop::core
