// Helpers the domain files share (internal.hpp).

#include "core/domain/internal.hpp"
#include "core/domain/staff.hpp"

#include "core/base/clock.hpp"

#include <algorithm>

namespace inloop::core {

namespace detail {

Error invalid(std::string key, const std::string& message) { return Error(ErrorKind::InvalidInput, std::move(key), message); }

void requireDesk(Store& store) {
    if (!store.isDesk()) throw Error(ErrorKind::Storage, "store.kiosk", "This needs the front desk's data.");
}

void checkLanguage(std::string_view lang) {
    const bool ok = lang.size() >= 2 && lang.size() <= 3 &&
                    std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (!ok) throw invalid("language", "A language is a 2- or 3-letter code such as nl, en or zh.");
}

void checkLength(std::string_view text, size_t min, size_t max, const char* key, const char* what) {
    if (text.size() < min || text.size() > max)
        throw invalid(key, std::string(what) + " must have " + std::to_string(min) + " to " + std::to_string(max) +
                               " characters.");
}

bool isPlace(std::string_view place) { return place == "spot46" || place == "shelter"; }

std::optional<int64_t> lookupId(Store& store, std::string_view sql, std::string_view key) {
    Statement& st = store.db().prepare(sql);
    st.bind(1, key);
    std::optional<int64_t> id;
    if (st.step()) id = st.getInt(0);
    st.reset();
    return id;
}

// Steps a one-row lookup; no row means the record does not exist (any more).
Statement& requireRow(Statement& st, const char* key, const char* message) {
    if (!st.step()) {
        st.reset();
        throw Error(ErrorKind::NotFound, key, message);
    }
    return st;
}

// Walk-ins of a client in the calendar year of `day`, undone ones not counted.
int walkInsThisYear(Store& store, int64_t clientId, std::string_view day) {
    // "+c.reverses": without it SQLite picks the UNIQUE(reverses) index for "IS NULL" and scans every contact.
    Statement& visits = store.db().prepare(
        "SELECT count(*) FROM contact c WHERE c.client_id = ? AND c.channel = 'walk_in' AND +c.reverses IS NULL "
        "AND c.day BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM contact r WHERE r.reverses = c.id)");
    const int year = yearOf(day);
    visits.bindAll(clientId, makeDay(year, 1, 1), makeDay(year, 12, 31));
    visits.step();
    const int n = static_cast<int>(visits.getInt(0));
    visits.reset();
    return n;
}

// The client row for a visitor code, created on first use.
int64_t clientFor(Store& store, std::string_view code, std::string_view day) {
    const CodeHash hash = store.hashClientCode(code);
    Statement& find = store.db().prepare("SELECT id FROM client WHERE code_hash = ?");
    find.bindBlob(1, hash.data(), hash.size());
    if (find.step()) {
        const int64_t id = find.getInt(0);
        find.reset();
        return id;
    }
    find.reset();
    Statement& ins = store.db().prepare("INSERT INTO client(code_hash, first_day) VALUES (?, ?)");
    ins.bindBlob(1, hash.data(), hash.size()).bind(2, day).run();
    return store.db().lastInsertRowid();
}

std::string_view actorWord(Actor::Kind kind) {
    switch (kind) {
    case Actor::Kind::Staff: return "staff";
    case Actor::Kind::Cli: return "cli";
    case Actor::Kind::Demo: return "demo";
    case Actor::Kind::Kiosk:
    case Actor::Kind::System: break;
    }
    return "system";
}

// Trusted to go further back than staff: the CLI, the demo, the system, and a signed-in coordinator.
bool isCoordinator(Store& store, const Actor& actor) {
    if (actor.kind != Actor::Kind::Staff) return true;
    const auto who = actor.staffId ? findStaff(store, *actor.staffId) : std::nullopt;
    return who && who->active && who->role == Role::Coordinator;
}

// The moment of an entry: now, or a back-dated moment for something forgotten earlier. Never in the future, not
// even by a minute (the desk's picker and this check read the same clock; the picker calls a later minute of
// today the future too); desk staff at most kBackdateSeconds back, a coordinator further.
int64_t entryMoment(Store& store, const Actor& actor, const When& when) {
    const int64_t now = nowUnix();
    if (!when.at) return now;
    if (*when.at > now) throw invalid("when.future", "That moment lies in the future.");
    if (*when.at < now - kBackdateSeconds && !isCoordinator(store, actor))
        throw invalid("when.too_old", "Staff can go back at most 7 days; a coordinator can go further.");
    return *when.at;
}

// The audit row's own time is when the entry was typed; a back-dated entry also names the moment it is for
// ("at=<unix>", which the audit view shows as a date and time).
std::string withMoment(std::string detail, int64_t at) {
    if (at >= nowUnix() - 60) return detail;
    return detail + (detail.empty() ? "" : "; ") + "at=" + std::to_string(at);
}

// Undo is for the one who typed it, within the shift: desk staff their own entries, a coordinator anyone's.
void requireUndoRight(Store& store, const Actor& actor, std::optional<int64_t> owner, int64_t typedAt) {
    if (actor.kind != Actor::Kind::Staff) return;
    const bool coordinator = isCoordinator(store, actor);
    if (!coordinator && owner != actor.staffId)
        throw Error(ErrorKind::InvalidInput, "undo.not_yours", "Only who entered this, or a coordinator, can undo it.");
    if (typedAt < nowUnix() - kShiftSeconds)
        throw Error(ErrorKind::Conflict, "undo.too_late", "This was entered in an earlier shift; it cannot be undone now.");
}

} // namespace detail

} // namespace inloop::core
