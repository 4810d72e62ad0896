// The domain API: staff and sign-in (see staff.hpp).

#include "core/domain/staff.hpp"
#include "core/domain/internal.hpp"

#include "core/base/clock.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>

namespace inloop::core {

using namespace detail;

// [SECTION] staff
namespace {
// A new PIN: digits only, at least the site's minimum length (a coordinator sets it), at most 12.
std::string hashPin(Store& store, std::string_view pin) {
    const int minLength = pinMinLength(store);
    if (pin.size() < static_cast<size_t>(minLength) || pin.size() > 12 ||
        !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw invalid(minLength == 4 ? "staff.pin" : "staff.pin_min",
                      "A PIN has " + std::to_string(minLength) + " to 12 digits.");
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw std::runtime_error("Not enough memory to hash a PIN.");
    return hash;
}

StaffMember readStaff(Statement& st) {
    StaffMember m;
    m.id = st.getInt(0);
    m.name = st.getText(1);
    m.role = parseWord<Role>(st.getText(2)).value_or(Role::Desk);
    m.active = st.getInt(3) == 1;
    m.lockedUntil = st.getOptInt(4).value_or(0);
    return m;
}

void guardLastCoordinator(Store& store, int64_t staffId) {
    Statement& st = store.db().prepare(
        "SELECT count(*) FROM staff WHERE role = 'coordinator' AND active = 1 AND id <> ?");
    st.bind(1, staffId);
    st.step();
    const int64_t others = st.getInt(0);
    st.reset();
    if (others == 0)
        throw Error(ErrorKind::Conflict, "staff.last_coordinator", "There must always be one active coordinator.");
}
} // namespace

void requireRole(Store& store, const Actor& actor, std::initializer_list<Role> roles) {
    requireDesk(store);
    if (actor.kind == Actor::Kind::Cli || actor.kind == Actor::Kind::Demo || actor.kind == Actor::Kind::System) return;
    const auto who = actor.staffId ? findStaff(store, *actor.staffId) : std::nullopt;
    if (who && who->active && std::find(roles.begin(), roles.end(), who->role) != roles.end()) return;
    throw Error(ErrorKind::InvalidInput, "role", "Your role does not allow this; ask a coordinator.");
}

int64_t addStaff(Store& store, const Actor& actor, std::string_view name, Role role, std::string_view pin) {
    requireDesk(store);
    checkLength(name, 1, 60, "staff.name", "A name");
    const std::string hash = hashPin(store, pin);
    Transaction tx(store.db(), Transaction::Writes::Main);
    if (store.db().queryInt("SELECT count(*) FROM staff") == 0) {
        // The desk's first start makes a coordinator, who can then add the others (the CLI is trusted).
        if (role != Role::Coordinator && actor.kind != Actor::Kind::Cli && actor.kind != Actor::Kind::Demo)
            throw invalid("staff.first", "The first staff member is a coordinator, who then adds the others.");
    } else {
        requireRole(store, actor, {Role::Coordinator});
    }
    if (lookupId(store, "SELECT id FROM staff WHERE name = ?", name))
        throw Error(ErrorKind::Conflict, "staff.exists", "A staff member with that name exists already.");
    Statement& ins = store.db().prepare("INSERT INTO staff(name, role, pin_hash, created_at) VALUES (?,?,?,?)");
    ins.bindAll(name, word(role), hash, nowUnix()).run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "add", "staff", id, word(role));
    tx.commit();
    return id;
}

std::vector<StaffMember> listStaff(Store& store, bool activeOnly) {
    requireDesk(store);
    std::vector<StaffMember> out;
    Statement& st = store.db().prepare(
        "SELECT id, name, role, active, locked_until FROM staff WHERE active = 1 OR ?1 = 0 ORDER BY name COLLATE NOCASE");
    st.bind(1, activeOnly ? 1 : 0);
    while (st.step()) out.push_back(readStaff(st));
    st.reset();
    return out;
}

std::optional<StaffMember> findStaff(Store& store, int64_t staffId) {
    requireDesk(store);
    Statement& st = store.db().prepare("SELECT id, name, role, active, locked_until FROM staff WHERE id = ?");
    st.bind(1, staffId);
    std::optional<StaffMember> m;
    if (st.step()) m = readStaff(st);
    st.reset();
    return m;
}

SignInResult signIn(Store& store, int64_t staffId, std::string_view pin, int64_t now) {
    requireDesk(store);
    if (now == 0) now = nowUnix();
    const Actor self = Actor::staff(staffId);
    struct Row {
        std::string hash;
        int failures = 0;
        int64_t lockedUntil = 0;
        bool active = false;
    };
    const auto read = [&] {
        Statement& get = store.db().prepare("SELECT pin_hash, failed_pins, locked_until, active FROM staff WHERE id = ?");
        requireRow(get.bind(1, staffId), "staff.not_found", "That staff member does not exist.");
        Row row{get.getText(0), static_cast<int>(get.getInt(1)), get.getOptInt(2).value_or(0), get.getInt(3) == 1};
        get.reset();
        return row;
    };
    const auto verify = [&](const std::string& hash) {
        const std::string pinText(pin);
        return crypto_pwhash_str_verify(hash.c_str(), pinText.c_str(), pinText.size()) == 0;
    };
    // A first look without the lock refuses a locked account without the slow check; the slow part
    // (argon2id, ~0.1 s) then runs outside the write transaction.
    const Row before = read();
    SignInResult r;
    r.failures = before.failures;
    if (!before.active) throw Error(ErrorKind::Conflict, "staff.inactive", "This account is switched off; ask a coordinator.");
    if (before.lockedUntil > now) {
        r.lockedUntil = before.lockedUntil;
        return r;
    }
    bool ok = verify(before.hash);
    // Counting and deciding happen on what the write lock shows: twelve processes guessing at once each count.
    Transaction tx(store.db(), Transaction::Writes::Main);
    const Row row = read();
    if (row.hash != before.hash) ok = verify(row.hash); // a new PIN was set meanwhile
    if (!row.active) throw Error(ErrorKind::Conflict, "staff.inactive", "This account is switched off; ask a coordinator.");
    if (ok && row.lockedUntil > now) { // locked by guesses that were counted meanwhile: refuse even the right PIN
        r.failures = row.failures;
        r.lockedUntil = row.lockedUntil;
        return r;
    }
    if (ok) {
        Statement& upd = store.db().prepare("UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE id = ?");
        upd.bind(1, staffId).run();
        audit(store, self, "sign_in", "staff", staffId);
        r.ok = true;
        r.failures = 0;
    } else {
        r.failures = row.failures + 1;
        if (r.failures >= kPinTries) {
            const int extra = std::min(r.failures - kPinTries, 7); // 30 s, then twice as long each time, at most an hour
            r.lockedUntil = std::max(row.lockedUntil, now + std::min<int64_t>(int64_t{30} << extra, 3600));
        }
        Statement& upd = store.db().prepare("UPDATE staff SET failed_pins = ?, locked_until = ? WHERE id = ?");
        upd.bindAll(r.failures, r.lockedUntil ? std::optional<int64_t>(r.lockedUntil) : std::nullopt, staffId).run();
        audit(store, self, r.lockedUntil ? "locked" : "wrong_pin", "staff", staffId, std::to_string(r.failures));
    }
    tx.commit();
    return r;
}

int pinMinLength(Store& store) {
    requireDesk(store);
    Statement& st = store.db().prepare("SELECT value FROM setting WHERE key = 'staff.pin_min_length'");
    int n = kPinMinLengthDefault;
    if (st.step()) n = std::atoi(st.getText(0).c_str());
    st.reset();
    return std::clamp(n, 4, 8);
}

void setPinMinLength(Store& store, const Actor& actor, int length) {
    if (length < 4 || length > 8) throw invalid("staff.pin_min_length", "The shortest PIN has 4 to 8 digits.");
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, {Role::Coordinator});
    const int before = pinMinLength(store);
    if (before != length) {
        Statement& set = store.db().prepare(
            "INSERT INTO setting(key, value) VALUES ('staff.pin_min_length', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1");
        set.bind(1, std::to_string(length)).run();
        audit(store, actor, "set", "setting", std::nullopt,
              "staff.pin_min_length: " + std::to_string(before) + " to " + std::to_string(length));
    }
    tx.commit();
}

void setStaffPin(Store& store, const Actor& actor, int64_t staffId, std::string_view pin) {
    const std::string hash = hashPin(store, pin);
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, {Role::Coordinator});
    if (!findStaff(store, staffId)) throw Error(ErrorKind::NotFound, "staff.not_found", "That staff member does not exist.");
    Statement& upd = store.db().prepare(
        "UPDATE staff SET pin_hash = ?, failed_pins = 0, locked_until = NULL WHERE id = ?");
    upd.bindAll(hash, staffId).run();
    audit(store, actor, "new_pin", "staff", staffId);
    tx.commit();
}

void setStaffRole(Store& store, const Actor& actor, int64_t staffId, Role role) {
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, {Role::Coordinator});
    const auto who = findStaff(store, staffId);
    if (!who) throw Error(ErrorKind::NotFound, "staff.not_found", "That staff member does not exist.");
    if (who->role == Role::Coordinator && role != Role::Coordinator) guardLastCoordinator(store, staffId);
    Statement& upd = store.db().prepare("UPDATE staff SET role = ? WHERE id = ?");
    upd.bindAll(word(role), staffId).run();
    audit(store, actor, "role", "staff", staffId, word(role));
    tx.commit();
}

void setStaffActive(Store& store, const Actor& actor, int64_t staffId, bool active) {
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, {Role::Coordinator});
    const auto who = findStaff(store, staffId);
    if (!who) throw Error(ErrorKind::NotFound, "staff.not_found", "That staff member does not exist.");
    if (!active && who->role == Role::Coordinator) guardLastCoordinator(store, staffId);
    Statement& upd = store.db().prepare("UPDATE staff SET active = ? WHERE id = ?");
    upd.bindAll(active ? 1 : 0, staffId).run();
    audit(store, actor, active ? "activate" : "deactivate", "staff", staffId);
    tx.commit();
}

// A name typed wrong at the first start, or a colleague who changed hers: the record (and all she did) stays.
void renameStaff(Store& store, const Actor& actor, int64_t staffId, std::string_view name) {
    checkLength(name, 1, 60, "staff.name", "A name");
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, {Role::Coordinator});
    const auto who = findStaff(store, staffId);
    if (!who) throw Error(ErrorKind::NotFound, "staff.not_found", "That staff member does not exist.");
    if (who->name == name) return;
    if (lookupId(store, "SELECT id FROM staff WHERE name = ? AND id <> " + std::to_string(staffId), name))
        throw Error(ErrorKind::Conflict, "staff.exists", "A staff member with that name exists already.");
    Statement& upd = store.db().prepare("UPDATE staff SET name = ? WHERE id = ?");
    upd.bindAll(name, staffId).run();
    audit(store, actor, "rename", "staff", staffId, who->name + " → " + std::string(name));
    tx.commit();
}

} // namespace inloop::core
