// Helpers the domain files share; not part of the domain API (callers include domain.hpp or an area's header).
#pragma once

#include "core/domain/audit.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace inloop::core::detail {

Error invalid(std::string key, const std::string& message);
// Throws unless the store is the desk's (desk.db with public.db attached).
void requireDesk(Store& store);
void checkLanguage(std::string_view lang);
void checkLength(std::string_view text, size_t min, size_t max, const char* key, const char* what);
bool isPlace(std::string_view place);
// The id the one-parameter query `sql` returns for `key`, if any.
std::optional<int64_t> lookupId(Store& store, std::string_view sql, std::string_view key);
// Steps a one-row lookup; no row means the record does not exist (any more).
Statement& requireRow(Statement& st, const char* key, const char* message);
// Walk-ins of a client in the calendar year of `day`, undone ones not counted.
int walkInsThisYear(Store& store, int64_t clientId, std::string_view day);
// The client row for a visitor code, created on first use.
int64_t clientFor(Store& store, std::string_view code, std::string_view day);
std::string_view actorWord(Actor::Kind kind);
// Trusted to go further back than staff: the CLI, the demo, the system, and a signed-in coordinator.
bool isCoordinator(Store& store, const Actor& actor);
// The moment of an entry: now, or a back-dated moment for something forgotten earlier.
int64_t entryMoment(Store& store, const Actor& actor, const When& when);
// The audit row's own time is when the entry was typed; a back-dated entry also names the moment it is for.
std::string withMoment(std::string detail, int64_t at);
// Undo is for the one who typed it, within the shift: desk staff their own entries, a coordinator anyone's.
void requireUndoRight(Store& store, const Actor& actor, std::optional<int64_t> owner, int64_t typedAt);

} // namespace inloop::core::detail
