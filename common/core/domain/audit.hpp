// The domain API: who acts (Actor), when (When), the audit row.
// Every write runs in one transaction with its audit row (desk side); bad input throws Error and writes nothing.
#pragma once

#include "core/domain/words.hpp"
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


// Throws Error(InvalidInput, "role") unless the actor is a signed-in staff member with one of these roles
// (the CLI and the system are trusted).
void requireRole(Store& store, const Actor& actor, std::initializer_list<Role> roles);

} // namespace inloop::core
