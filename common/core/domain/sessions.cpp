// The domain API: services, schedule and registrations (see sessions.hpp).

#include "core/domain/sessions.hpp"
#include "core/domain/internal.hpp"

#include "core/base/clock.hpp"
#include "core/store/dialect.hpp"

#include <algorithm>
#include <unordered_set>

namespace inloop::core {

using namespace detail;

// [SECTION] services, schedule and registrations
int64_t addService(Store& store, const Actor& actor, const NewService& s) {
    checkLength(s.code, 1, 32, "service.code", "A service code");
    checkLength(s.name, 1, 80, "service.name", "A service name");
    if (!isPlace(s.place)) throw invalid("service.place", "A place is spot46 or shelter.");
    if (s.languages.empty()) throw invalid("service.languages", "A service offers at least one language.");
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    if (findService(store, s.code))
        throw Error(ErrorKind::Conflict, "service.exists", "A service with code " + s.code + " exists already.");
    Statement& ins =
        store.db().prepare("INSERT INTO service(code, name, partner, place, languages) VALUES (?,?,?,?,?)");
    ins.bindAll(s.code, s.name, s.partner, s.place, s.languages).run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "add", "service", id, s.code);
    tx.commit();
    return id;
}

void updateService(Store& store, const Actor& actor, int64_t serviceId, const NewService& s, bool active) {
    checkLength(s.name, 1, 80, "service.name", "A service name");
    checkLength(s.partner, 0, 120, "service.partner", "A partner");
    if (!isPlace(s.place)) throw invalid("service.place", "A place is spot46 or shelter.");
    if (s.languages.empty() || s.languages.find_first_not_of("abcdefghijklmnopqrstuvwxyz,") != std::string::npos)
        throw invalid("service.languages", "Languages are codes separated by commas, such as nl,en,es.");
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    Statement& upd = store.db().prepare(
        "UPDATE service SET name = ?, partner = ?, place = ?, languages = ?, active = ? WHERE id = ?");
    upd.bindAll(s.name, s.partner, s.place, s.languages, active ? 1 : 0, serviceId).run();
    if (store.db().changes() == 0) throw Error(ErrorKind::NotFound, "service.not_found", "That service does not exist.");
    audit(store, actor, "update", "service", serviceId, active ? "" : "inactive");
    tx.commit();
}

void setServiceDescription(Store& store, const Actor& actor, int64_t serviceId, std::string_view lang,
                           std::string_view description) {
    checkLanguage(lang);
    checkLength(description, 0, 400, "service.description", "A description");
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    if (description.empty()) {
        Statement& del = store.db().prepare("DELETE FROM service_text WHERE service_id = ? AND lang = ?");
        del.bindAll(serviceId, lang).run();
    } else {
        Statement& up = store.db().prepare(
            "INSERT INTO service_text(service_id, lang, description) VALUES (?, ?, ?) "
            "ON CONFLICT (service_id, lang) DO UPDATE SET description = excluded.description");
        try {
            up.bindAll(serviceId, lang, description).run();
        } catch (const DbError& e) {
            if (e.isConstraint()) throw Error(ErrorKind::NotFound, "service.not_found", "That service does not exist.");
            throw;
        }
    }
    audit(store, actor, "describe", "service", serviceId, lang);
    tx.commit();
}

std::optional<int64_t> findService(Store& store, std::string_view code) {
    return lookupId(store, "SELECT id FROM service WHERE code = ?", code);
}

int64_t addScheduleRule(Store& store, const Actor& actor, const NewRule& r) {
    if (r.weekday < 1 || r.weekday > 7) throw invalid("rule.weekday", "A weekday is 1 (Monday) to 7 (Sunday).");
    if (r.startMin < 0 || r.endMin > 1440 || r.endMin <= r.startMin)
        throw invalid("rule.time", "A session ends after it starts, within one day.");
    if (r.capacity < 1 || r.capacity > 500) throw invalid("rule.capacity", "Capacity is 1 to 500 places.");
    if (!isPlace(r.place)) throw invalid("rule.place", "A place is spot46 or shelter.");
    if (!isValidDay(r.validFrom) || (r.validUntil && (!isValidDay(*r.validUntil) || *r.validUntil < r.validFrom)))
        throw invalid("rule.dates", "The rule's dates are not valid.");
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    Statement& ins = store.db().prepare("INSERT INTO schedule_rule(service_id, weekday, start_min, end_min, capacity, "
                                        "place, valid_from, valid_until) VALUES (?,?,?,?,?,?,?,?)");
    ins.bindAll(r.serviceId, r.weekday, r.startMin, r.endMin, r.capacity, r.place, r.validFrom, r.validUntil);
    try {
        ins.run();
    } catch (const DbError& e) {
        if (e.isConstraint()) throw Error(ErrorKind::NotFound, "service.not_found", "That service does not exist.");
        throw;
    }
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "add", "schedule_rule", id);
    tx.commit();
    return id;
}

int64_t addClosure(Store& store, const Actor& actor, std::string_view day, std::optional<int64_t> serviceId,
                   std::string_view reason) {
    if (!isValidDay(day)) throw invalid("date", "Not a date (YYYY-MM-DD).");
    checkLength(reason, 0, 200, "closure.reason", "A reason");
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    Statement& ins = store.db().prepare(
        "INSERT INTO schedule_exception(service_id, day, kind, reason) VALUES (?, ?, ?, ?)");
    ins.bindAll(serviceId, day, serviceId ? "cancelled" : "closed", reason).run();
    const int64_t id = store.db().lastInsertRowid();
    Statement& upd = store.db().prepare(
        "UPDATE session SET status = CASE WHEN CAST(?1 AS BIGINT) IS NULL THEN 'closed' ELSE 'cancelled' END, reason = ?3 "
        "WHERE day = ?2 AND (CAST(?1 AS BIGINT) IS NULL OR service_id = ?1) AND status = 'planned'");
    upd.bindAll(serviceId, day, reason).run();
    // People registered for a session that no longer happens are not no-shows: their registrations are cancelled.
    Statement& cancel = store.db().prepare(
        "UPDATE registration SET status = 'cancelled', updated_at = ?3 WHERE status IN ('waiting', 'called') AND "
        "session_id IN (SELECT id FROM session WHERE day = ?2 AND (CAST(?1 AS BIGINT) IS NULL OR service_id = ?1) AND status <> 'planned')");
    cancel.bindAll(serviceId, day, nowUnix()).run();
    audit(store, actor, "add", "schedule_exception", id, day);
    tx.commit();
    return id;
}

std::pair<std::string, std::string> sessionStatusOn(Store& store, std::string_view day, int64_t serviceId) {
    Statement& closed = store.db().prepare(
        "SELECT kind, reason FROM schedule_exception WHERE day = ?1 AND kind IN ('closed', 'cancelled') "
        "AND (service_id IS NULL OR service_id = ?2) ORDER BY service_id IS NOT NULL LIMIT 1");
    closed.bindAll(day, serviceId);
    if (closed.step()) {
        std::pair<std::string, std::string> out{closed.getText(0), closed.getText(1)};
        closed.reset();
        return out;
    }
    closed.reset();
    for (const auto& h : dutchHolidays(yearOf(day)))
        if (h.day == day) return {"closed", "holiday:" + h.key};
    return {"planned", ""};
}

int generateSessions(Store& store, std::string_view fromDay, int days) {
    if (!isValidDay(fromDay) || days < 0 || days > 3660) throw invalid("date", "Not a valid range of days.");
    Transaction tx(store.db());
    Statement& rules = store.db().prepare(
        "SELECT r.service_id, r.start_min, r.end_min, r.capacity, r.place FROM schedule_rule r "
        "JOIN service s ON s.id = r.service_id WHERE s.active = 1 AND r.weekday = ?1 AND r.valid_from <= ?2 "
        "AND (r.valid_until IS NULL OR r.valid_until >= ?2) "
        "AND NOT EXISTS (SELECT 1 FROM calendar_feed f WHERE f.service_id = s.id)"); // a feed replaces the rules
    Statement& ins = store.db().prepare(
        "INSERT INTO session(service_id, day, start_min, end_min, capacity, place, status, reason) "
        "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
    int created = 0;
    for (int i = 0; i < days; ++i) {
        const std::string day = addDays(fromDay, i);
        struct Row {
            int64_t service, start, end, cap;
            std::string place;
        };
        std::vector<Row> rows;
        rules.bindAll(isoWeekday(day), day);
        while (rules.step())
            rows.push_back({rules.getInt(0), rules.getInt(1), rules.getInt(2), rules.getInt(3), rules.getText(4)});
        rules.reset();
        Statement& extras = store.db().prepare(
            "SELECT service_id, start_min, end_min, capacity, (SELECT place FROM service WHERE id = service_id) "
            "FROM schedule_exception WHERE day = ? AND kind = 'extra'");
        extras.bind(1, day);
        while (extras.step())
            rows.push_back({extras.getInt(0), extras.getInt(1), extras.getInt(2), extras.getInt(3), extras.getText(4)});
        extras.reset();
        for (const Row& r : rows) {
            const auto [status, reason] = sessionStatusOn(store, day, r.service);
            ins.bindAll(r.service, day, r.start, r.end, r.cap, r.place, status, reason).run();
            created += store.db().changes();
        }
    }
    tx.commit();
    return created;
}

int freePlaces(Store& store, int64_t sessionId) {
    Statement& st = store.db().prepare(
        "SELECT s.capacity - (SELECT count(*) FROM registration r WHERE r.session_id = s.id "
        "AND r.status NOT IN ('cancelled', 'moved')) FROM session s WHERE s.id = ?");
    requireRow(st.bind(1, sessionId), "session.not_found", "That session does not exist.");
    const int free = static_cast<int>(st.getInt(0));
    st.reset();
    return std::max(free, 0);
}

Ticket moveRegistration(Store& store, const Actor& actor, int64_t registrationId, int64_t toSessionId, When when) {
    const int64_t at = when.resolve();
    Transaction tx(store.db());
    Statement& get = store.db().prepare(
        "SELECT status, call_name, language, session_id FROM registration WHERE id = ?");
    requireRow(get.bind(1, registrationId), "registration.not_found", "That registration does not exist.");
    const std::string status = get.getText(0);
    const std::optional<std::string> name = get.getOptText(1);
    const std::string language = get.getText(2);
    const int64_t from = get.getInt(3);
    get.reset();
    if (status != "waiting" && status != "called")
        throw Error(ErrorKind::Conflict, "registration.closed", "That registration is already " + status + ".");
    if (from == toSessionId) throw invalid("registration.same_session", "That is the session it is in already.");
    const Ticket t = registerForSession(store, actor, toSessionId, RegistrationSource::Desk, language, name, when);
    Statement& upd = store.db().prepare("UPDATE registration SET status = 'moved', moved_to = ?, updated_at = ? WHERE id = ?");
    upd.bindAll(t.registrationId, at, registrationId).run();
    audit(store, actor, "move", "registration", registrationId, "to registration " + std::to_string(t.registrationId));
    tx.commit();
    return t;
}

Ticket serveWithoutTicket(Store& store, const Actor& actor, int64_t sessionId, std::string_view language, When when) {
    Transaction tx(store.db());
    const Ticket t = registerForSession(store, actor, sessionId, RegistrationSource::Desk, language, std::nullopt, when);
    setRegistrationStatus(store, actor, t.registrationId, "seen", when);
    tx.commit();
    return t;
}

void endScheduleRule(Store& store, const Actor& actor, int64_t ruleId, std::string_view lastDay) {
    if (!isValidDay(lastDay)) throw invalid("date", "Not a date (YYYY-MM-DD).");
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    Statement& get = store.db().prepare(
        "SELECT service_id, start_min, valid_from, weekday FROM schedule_rule WHERE id = ?");
    requireRow(get.bind(1, ruleId), "rule.not_found", "That schedule rule does not exist.");
    const int64_t service = get.getInt(0);
    const int64_t start = get.getInt(1);
    const std::string from = get.getText(2);
    const int64_t weekday = get.getInt(3);
    get.reset();
    if (std::string(lastDay) < from) throw invalid("rule.dates", "A rule cannot end before it starts.");
    Statement& upd = store.db().prepare("UPDATE schedule_rule SET valid_until = ? WHERE id = ?");
    upd.bindAll(lastDay, ruleId).run();
    // Sessions the rule made after its last day go, unless somebody registered for one (the desk sees those).
    Statement& del = store.db().prepare(
        "DELETE FROM session WHERE service_id = ? AND start_min = ? AND day > ? "
        "AND (CAST(strftime('%w', day) AS INTEGER) + 6) % 7 + 1 = ? "
        "AND (SELECT count(*) FROM registration r WHERE r.session_id = session.id) = 0");
    del.bindAll(service, start, lastDay, weekday).run();
    audit(store, actor, "end", "schedule_rule", ruleId, lastDay);
    tx.commit();
}

int64_t addExtraSession(Store& store, const Actor& actor, int64_t serviceId, std::string_view day, int startMin,
                        int endMin, int capacity) {
    if (!isValidDay(day)) throw invalid("date", "Not a date (YYYY-MM-DD).");
    if (startMin < 0 || endMin > 1440 || endMin <= startMin)
        throw invalid("rule.time", "A session ends after it starts, within one day.");
    if (capacity < 1 || capacity > 500) throw invalid("rule.capacity", "Capacity is 1 to 500 places.");
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    Statement& place = store.db().prepare("SELECT place FROM service WHERE id = ?");
    requireRow(place.bind(1, serviceId), "service.not_found", "That service does not exist.");
    const std::string where = place.getText(0);
    place.reset();
    Statement& ex = store.db().prepare(
        "INSERT INTO schedule_exception(service_id, day, kind, start_min, end_min, capacity) VALUES (?,?,'extra',?,?,?)");
    ex.bindAll(serviceId, day, startMin, endMin, capacity).run();
    Statement& ins = store.db().prepare(
        "INSERT INTO session(service_id, day, start_min, end_min, capacity, place) VALUES (?,?,?,?,?,?)");
    try {
        ins.bindAll(serviceId, day, startMin, endMin, capacity, where).run();
    } catch (const DbError& e) {
        if (e.isConstraint())
            throw Error(ErrorKind::Conflict, "session.exists", "That service already has a session at that time.");
        throw;
    }
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "add_extra", "session", id, std::string(day));
    tx.commit();
    return id;
}

int closeDays(Store& store, std::string_view today) {
    if (!isValidDay(today)) throw invalid("date", "Not a date (YYYY-MM-DD).");
    Transaction tx(store.db());
    int changed = 0;
    if (!store.isDesk() && store.engine() == Engine::Postgres) {
        // The kiosk's database role may not read the names it wipes: pub.close_days() does the same (schema_pg.cpp).
        Statement& st = store.db().prepare("SELECT pub.close_days(?, ?)");
        st.bindAll(today, nowUnix()).step();
        changed = static_cast<int>(st.getInt(0));
        st.reset();
    } else {
        Statement& st = store.db().prepare(
            "UPDATE registration SET status = CASE WHEN status IN ('waiting', 'called') THEN 'no_show' ELSE status END, "
            "call_name = NULL, updated_at = ?2 "
            "WHERE day < ?1 AND (status IN ('waiting', 'called') OR call_name IS NOT NULL)");
        st.bindAll(today, nowUnix()).run();
        changed = store.db().changes();
    }
    if (changed > 0) audit(store, Actor::system(), "close_days", "registration", std::nullopt, std::to_string(changed));
    tx.commit();
    // The old pages with the names are still in the WAL until a checkpoint: write them back and empty it now.
    // (A reader holding an old snapshot can delay this; the next close or the next checkpoint finishes it.)
    if (changed > 0 && !store.db().inTransaction())
        flushLog(store.db(), store.isDesk() ? "pub" : "main");
    return changed;
}

void countKioskUse(Store& store, std::string_view kind, std::string_view key, When when) {
    if (kind != "language" && kind != "page" && kind != "registration" && kind != "wipe")
        throw invalid("usage.kind", "Unknown kind of kiosk usage.");
    checkLength(key, 1, 40, "usage.key", "A usage key");
    Transaction tx(store.db());
    Statement& up = store.db().prepare(
        "INSERT INTO kiosk_usage(day, kind, key, count) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (day, kind, key) DO UPDATE SET count = kiosk_usage.count + 1");
    up.bindAll(localDay(when.resolve()), kind, key).run();
    tx.commit();
}

namespace {
// Ticket codes: the service's letter and two digits, all without 0/O/1/I, in order of registration.
constexpr std::string_view kTicketDigits = "23456789";

char ticketLetter(std::string_view serviceCode) {
    for (char c : serviceCode) {
        char u = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        if (u >= 'A' && u <= 'Z' && u != 'I' && u != 'O') return u;
    }
    return 'K';
}

std::string ticketCode(char letter, int64_t n) {
    std::string digits;
    do {
        digits.insert(digits.begin(), kTicketDigits[static_cast<size_t>(n % 8)]);
        n /= 8;
    } while (n > 0);
    while (digits.size() < 2) digits.insert(digits.begin(), kTicketDigits[0]);
    return std::string(1, letter) + digits;
}
} // namespace

Ticket registerForSession(Store& store, const Actor& actor, int64_t sessionId, RegistrationSource source,
                          std::string_view language, std::optional<std::string> callName, When when) {
    checkLanguage(language);
    if (callName) {
        // Trim; an empty name means none. Control characters are refused.
        auto& n = *callName;
        n.erase(0, n.find_first_not_of(" \t"));
        n.erase(n.find_last_not_of(" \t") + 1);
        if (n.empty()) callName.reset();
        else if (std::any_of(n.begin(), n.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            throw invalid("registration.name", "A name to be called by cannot contain control characters.");
        else checkLength(n, 1, 40, "registration.name", "A name to be called by");
    }
    const int64_t at = when.resolve();
    Transaction tx(store.db());
    Statement& get = store.db().prepare(
        "SELECT s.day, s.status, v.code, s.place FROM session s JOIN service v ON v.id = s.service_id WHERE s.id = ?");
    requireRow(get.bind(1, sessionId), "session.not_found", "That session does not exist.");
    const std::string day = get.getText(0), status = get.getText(1), service = get.getText(2), place = get.getText(3);
    get.reset();
    if (status != "planned")
        throw Error(ErrorKind::Conflict, "session.cancelled", "This session is cancelled; please ask at the desk.");
    // An hour held at the shelter is for the women staying there (its address is kept secret): the shelter's staff
    // sign them up at the desk; the public kiosk never lists it and may not sign anyone up for it.
    if (source == RegistrationSource::Kiosk && place == "shelter")
        throw Error(ErrorKind::NotFound, "session.not_on_kiosk", "This hour is for the shelter's residents; please ask at the desk.");
    if (freePlaces(store, sessionId) <= 0)
        throw Error(ErrorKind::Full, "registration.full", "This session just filled up.");
    const char letter = ticketLetter(service);
    Statement& count = store.db().prepare("SELECT count(*) FROM registration WHERE day = ? AND substr(ticket, 1, 1) = ?");
    count.bindAll(day, std::string(1, letter));
    count.step();
    int64_t n = count.getInt(0);
    count.reset();
    // A code is free when nobody had it that day and no open ticket of another day holds it: "now serving A22"
    // must mean one person, whichever day they signed up for.
    // Every code of this letter that is not free, in one query: asked code by code, 300 open tickets of other days
    // cost 300 round trips to a server, inside the kiosk's write lock that every other registration waits for.
    Statement& taken = store.db().prepare("SELECT ticket FROM registration WHERE substr(ticket, 1, 1) = ?1 "
                                          "AND (day = ?2 OR status IN ('waiting', 'called'))");
    std::unordered_set<std::string> takenCodes;
    taken.bindAll(std::string(1, letter), day);
    while (taken.step()) takenCodes.insert(taken.getText(0));
    taken.reset();
    while (takenCodes.count(ticketCode(letter, n))) ++n;
    Ticket t;
    t.code = ticketCode(letter, n);
    Statement& ins = store.db().prepare("INSERT INTO registration(session_id, day, ticket, call_name, language, source, "
                                        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)");
    ins.bindAll(sessionId, day, t.code, callName, language, word(source), at, at).run();
    t.registrationId = store.db().lastInsertRowid();
    audit(store, actor, "register", "registration", t.registrationId, word(source));
    tx.commit();
    return t;
}

namespace {
void changeRegistration(Store& store, const Actor& actor, int64_t id, std::string_view status, When when) {
    const int64_t at = when.resolve();
    Transaction tx(store.db());
    Statement& get = store.db().prepare("SELECT status FROM registration WHERE id = ?");
    requireRow(get.bind(1, id), "registration.not_found", "That registration does not exist.");
    const std::string current = get.getText(0);
    get.reset();
    if (current == "cancelled" || current == "moved" || current == "seen" || current == "no_show")
        throw Error(ErrorKind::Conflict, "registration.closed", "That registration is already " + current + ".");
    Statement& upd = store.db().prepare("UPDATE registration SET status = ?, updated_at = ? WHERE id = ?");
    upd.bindAll(status, at, id).run();
    audit(store, actor, status, "registration", id);
    tx.commit();
}
} // namespace

void cancelRegistration(Store& store, const Actor& actor, int64_t registrationId, When when) {
    changeRegistration(store, actor, registrationId, "cancelled", when);
}

void setRegistrationStatus(Store& store, const Actor& actor, int64_t registrationId, std::string_view status,
                           When when) {
    if (status != "called" && status != "seen" && status != "no_show")
        throw invalid("registration.status", "A queue step is called, seen or no_show.");
    changeRegistration(store, actor, registrationId, status, when);
}

void undoQueueStep(Store& store, const Actor& actor, int64_t registrationId, std::string_view previous, When when) {
    requireDesk(store);
    if (previous != "waiting" && previous != "called")
        throw invalid("registration.status", "A ticket goes back to waiting or called.");
    const int64_t at = when.resolve();
    Transaction tx(store.db());
    Statement& get = store.db().prepare("SELECT status, session_id, moved_to FROM registration WHERE id = ?");
    requireRow(get.bind(1, registrationId), "registration.not_found", "That registration does not exist.");
    const std::string current = get.getText(0);
    const int64_t session = get.getInt(1);
    const std::optional<int64_t> movedTo = get.getOptInt(2);
    get.reset();
    if (current == previous || current == "waiting")
        throw Error(ErrorKind::Conflict, "registration.nothing_to_undo", "That ticket is already " + current + ".");
    if (current == "moved" && movedTo) {
        // The new ticket goes, unless the other session's desk has already acted on it.
        Statement& other = store.db().prepare("SELECT status FROM registration WHERE id = ?");
        requireRow(other.bind(1, *movedTo), "registration.not_found", "That registration does not exist.");
        const std::string status = other.getText(0);
        other.reset();
        if (status != "waiting")
            throw Error(ErrorKind::Conflict, "registration.moved_on", "The new ticket is already " + status + ".");
        store.db().prepare("UPDATE registration SET moved_to = NULL WHERE id = ?").bind(1, registrationId).run();
        store.db().prepare("DELETE FROM registration WHERE id = ?").bind(1, *movedTo).run();
    }
    // Cancelled and moved tickets gave their place away: it must still be free to take back.
    if ((current == "cancelled" || current == "moved") && freePlaces(store, session) <= 0)
        throw Error(ErrorKind::Full, "registration.full", "That session has no place left for this ticket.");
    Statement& upd = store.db().prepare("UPDATE registration SET status = ?, updated_at = ? WHERE id = ?");
    upd.bindAll(previous, at, registrationId).run();
    audit(store, actor, "undo", "registration", registrationId, current + " -> " + std::string(previous));
    tx.commit();
}

void undoDeskRegistration(Store& store, const Actor& actor, int64_t registrationId) {
    requireDesk(store);
    Transaction tx(store.db());
    Statement& get = store.db().prepare(
        "SELECT source, (SELECT count(*) FROM registration m WHERE m.moved_to = r.id) FROM registration r WHERE id = ?");
    requireRow(get.bind(1, registrationId), "registration.not_found", "That registration does not exist.");
    const std::string source = get.getText(0);
    const bool movedHere = get.getInt(1) > 0;
    get.reset();
    if (source == "kiosk" || movedHere)
        throw Error(ErrorKind::Conflict, "registration.not_desk", "Only a registration made at the desk can be undone.");
    store.db().prepare("DELETE FROM registration WHERE id = ?").bind(1, registrationId).run();
    audit(store, actor, "undo", "registration", registrationId, "register");
    tx.commit();
}

} // namespace inloop::core
