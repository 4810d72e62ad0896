// The domain API (see domain.hpp): validation, one transaction per change, its audit row inside it.
//
// [SECTION] helpers
// [SECTION] audit
// [SECTION] contacts
// [SECTION] supplies
// [SECTION] services, schedule and registrations
// [SECTION] shelter
// [SECTION] staff
// [SECTION] site defaults
#include "core/domain/domain.hpp"

#include "core/store/audit_chain.hpp"
#include "core/base/clock.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace inloop::core {

// [SECTION] helpers
namespace {

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

// The moment of an entry: now, or a back-dated moment for something forgotten earlier. Never in the future (a
// minute's grace for clocks); desk staff at most kBackdateSeconds back, a coordinator further.
int64_t entryMoment(Store& store, const Actor& actor, const When& when) {
    const int64_t now = nowUnix();
    if (!when.at) return now;
    if (*when.at > now + 60) throw invalid("when.future", "That moment lies in the future.");
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

} // namespace

int64_t When::resolve() const { return at ? *at : nowUnix(); }

// [SECTION] audit
void audit(Store& store, const Actor& actor, std::string_view action, std::string_view entity,
           std::optional<int64_t> recordId, std::string_view detail) {
    if (!store.isDesk()) return; // the kiosk's registrations are anonymous by design
    // Chained to the row before (audit_chain.cpp): reading the head and inserting must be one write transaction.
    Transaction tx(store.db(), Transaction::Writes::Main);
    insertAuditRow(store.db(), AuditFields{0, nowUnix(), std::string(actorWord(actor.kind)), actor.staffId,
                                           std::string(action), std::string(entity), recordId, std::string(detail)});
    tx.commit();
}

// [SECTION] contacts
LoggedContact logContact(Store& store, const Actor& actor, const NewContact& c) {
    requireDesk(store);
    checkLanguage(c.language);
    std::set<Topic> topics(c.topics.begin(), c.topics.end());
    const int64_t at = entryMoment(store, actor, c.when);
    const std::string day = localDay(at);

    Transaction tx(store.db(), Transaction::Writes::Main);
    LoggedContact out;
    if (c.clientCode && !c.clientCode->empty()) out.clientId = clientFor(store, *c.clientCode, day);
    Statement& ins = store.db().prepare(
        "INSERT INTO contact(at, day, channel, gender, language, referral, client_id, staff_id) VALUES (?,?,?,?,?,?,?,?)");
    ins.bindAll(at, day, word(c.channel), word(c.gender), c.language, word(c.referral), out.clientId, actor.staffId)
        .run();
    out.id = store.db().lastInsertRowid();
    Statement& topic = store.db().prepare(
        "INSERT INTO contact_topic(contact_id, topic_id) SELECT ?, id FROM topic WHERE code = ?");
    for (Topic t : topics) topic.bindAll(out.id, word(t)).run();
    if (out.clientId) out.visitsThisYear = walkInsThisYear(store, *out.clientId, day);
    audit(store, actor, "log", "contact", out.id, withMoment(std::string(word(c.channel)), at));
    tx.commit();
    return out;
}

int64_t undoContact(Store& store, const Actor& actor, int64_t contactId, When when) {
    requireDesk(store);
    const int64_t at = when.resolve();
    Transaction tx(store.db(), Transaction::Writes::Main);
    Statement& get = store.db().prepare(
        "SELECT reverses, (SELECT count(*) FROM contact r WHERE r.reverses = c.id), staff_id FROM contact c WHERE id = ?");
    requireRow(get.bind(1, contactId), "contact.not_found", "That contact does not exist.");
    const bool isReversal = !get.isNull(0), alreadyUndone = get.getInt(1) > 0;
    const std::optional<int64_t> owner = get.getOptInt(2);
    get.reset();
    if (actor.kind == Actor::Kind::Staff && owner != actor.staffId && !isCoordinator(store, actor))
        throw Error(ErrorKind::InvalidInput, "undo.not_yours", "Only who entered this, or a coordinator, can undo it.");
    if (isReversal) throw Error(ErrorKind::Conflict, "contact.is_undo", "An undo cannot itself be undone.");
    if (alreadyUndone) throw Error(ErrorKind::Conflict, "contact.already_undone", "That contact was already undone.");
    Statement& ins = store.db().prepare(
        "INSERT INTO contact(at, day, channel, gender, language, referral, client_id, staff_id, reverses) "
        "SELECT ?, ?, channel, gender, language, referral, client_id, ?, id FROM contact WHERE id = ?");
    ins.bindAll(at, localDay(at), actor.staffId, contactId).run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "undo", "contact", contactId, "reversed by contact " + std::to_string(id));
    tx.commit();
    return id;
}

LoggedContact updateContactDetails(Store& store, const Actor& actor, int64_t contactId, const ContactDetails& d) {
    requireDesk(store);
    checkLanguage(d.language);
    std::set<Topic> topics(d.topics.begin(), d.topics.end());
    Transaction tx(store.db(), Transaction::Writes::Main);
    Statement& get = store.db().prepare(
        "SELECT c.day, c.reverses, (SELECT count(*) FROM contact r WHERE r.reverses = c.id), c.gender, c.language, "
        "c.referral, c.client_id FROM contact c WHERE c.id = ?");
    requireRow(get.bind(1, contactId), "contact.not_found", "That contact does not exist.");
    std::string day = get.getText(0);
    const bool reversal = !get.isNull(1), undone = get.getInt(2) > 0;
    const std::string oldGender = get.getText(3), oldLanguage = get.getText(4), oldReferral = get.getText(5);
    const std::optional<int64_t> oldClient = get.getOptInt(6);
    get.reset();
    if (reversal || undone)
        throw Error(ErrorKind::Conflict, "contact.already_undone", "That contact was undone; log a new one instead.");
    // Back-dated: the contact happened earlier than it was logged (its day follows the moment).
    std::optional<int64_t> movedTo;
    if (d.when.at) {
        movedTo = entryMoment(store, actor, d.when);
        day = localDay(*movedTo);
        Statement& move = store.db().prepare("UPDATE contact SET at = ?, day = ? WHERE id = ?");
        move.bindAll(*movedTo, day, contactId).run();
    }
    LoggedContact out;
    out.id = contactId;
    if (!d.clientCode) out.clientId = oldClient;
    else if (!d.clientCode->empty()) out.clientId = clientFor(store, *d.clientCode, day);
    Statement& upd = store.db().prepare(
        "UPDATE contact SET gender = ?, language = ?, referral = ?, client_id = ? WHERE id = ?");
    upd.bindAll(word(d.gender), d.language, word(d.referral), out.clientId, contactId).run();
    Statement& clear = store.db().prepare("DELETE FROM contact_topic WHERE contact_id = ?");
    clear.bind(1, contactId).run();
    Statement& topic = store.db().prepare(
        "INSERT INTO contact_topic(contact_id, topic_id) SELECT ?, id FROM topic WHERE code = ?");
    for (Topic t : topics) topic.bindAll(contactId, word(t)).run();
    if (out.clientId) out.visitsThisYear = walkInsThisYear(store, *out.clientId, day);
    // Which fields changed, never the code itself: the audit log outlives everything personal.
    std::string changed;
    const auto note = [&](bool differs, const char* field) {
        if (!differs) return;
        changed.append(field);
        changed.push_back(',');
    };
    note(oldGender != word(d.gender), "gender");
    note(oldLanguage != d.language, "language");
    note(oldReferral != word(d.referral), "referral");
    note(oldClient != out.clientId, "code");
    changed.append("topics");
    audit(store, actor, "details", "contact", contactId, movedTo ? withMoment(changed, *movedTo) : changed);
    tx.commit();
    return out;
}

// [SECTION] supplies
int64_t addSupplyItem(Store& store, const Actor& actor, const NewSupplyItem& item) {
    requireDesk(store);
    checkLength(item.code, 1, 32, "supply.code", "An item code");
    checkLength(item.name, 1, 80, "supply.name", "An item name");
    if (item.priceCents < 0) throw invalid("supply.price", "A price cannot be negative.");
    if (item.minStock < 0) throw invalid("supply.min_stock", "A minimum stock cannot be negative.");
    if (item.unit != "piece" && item.unit != "pack" && item.unit != "tube" && item.unit != "box")
        throw invalid("supply.unit", "The unit is one of piece, pack, tube or box.");
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, {Role::Coordinator});
    if (findSupplyItem(store, item.code))
        throw Error(ErrorKind::Conflict, "supply.exists", "An item with code " + item.code + " exists already.");
    Statement& ins =
        store.db().prepare("INSERT INTO supply_item(code, name, unit, price_cents, min_stock) VALUES (?,?,?,?,?)");
    ins.bindAll(item.code, item.name, item.unit, item.priceCents, item.minStock).run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "add", "supply_item", id, item.code);
    tx.commit();
    return id;
}

std::optional<int64_t> findSupplyItem(Store& store, std::string_view code) {
    requireDesk(store);
    return lookupId(store, "SELECT id FROM supply_item WHERE code = ?", code);
}

int64_t stockOf(Store& store, int64_t itemId) {
    requireDesk(store);
    Statement& st = store.db().prepare("SELECT stock FROM supply_item WHERE id = ?");
    requireRow(st.bind(1, itemId), "supply.not_found", "That supply item does not exist.");
    const int64_t stock = st.getInt(0);
    st.reset();
    return stock;
}

int64_t moveStock(Store& store, const Actor& actor, const StockChange& ch) {
    requireDesk(store);
    const bool outgoing = ch.kind == StockKind::Handout || ch.kind == StockKind::Sale;
    if (ch.kind == StockKind::Correction ? ch.quantity == 0 : ch.quantity <= 0)
        throw invalid("stock.quantity", "The quantity must be a whole number above zero.");
    if (ch.quantity > 100000 || ch.quantity < -100000) throw invalid("stock.quantity", "That quantity is too large.");
    if ((ch.kind == StockKind::Sale) != ch.payment.has_value())
        throw invalid("stock.payment", ch.kind == StockKind::Sale ? "A sale needs a payment: cash or card."
                                                                  : "Only a sale has a payment.");
    if (ch.kind == StockKind::Correction && ch.reason.empty())
        throw invalid("stock.reason", "A stock correction needs a reason.");
    if (ch.reason.size() > 200) throw invalid("stock.reason", "A reason has at most 200 characters.");
    if (ch.priceCents && (*ch.priceCents < 0 || ch.kind != StockKind::Sale))
        throw invalid("stock.price", "Only a sale has a price, and it cannot be negative.");

    const int64_t at = ch.when.resolve();
    Transaction tx(store.db(), Transaction::Writes::Main);
    const int64_t stock = stockOf(store, ch.itemId);
    const int64_t delta = outgoing ? -ch.quantity : ch.quantity;
    if (stock + delta < 0) {
        if (!ch.confirmBelowZero)
            throw Error(ErrorKind::NeedsConfirmation, "stock.below_zero",
                        "Only " + std::to_string(stock) + " in stock; confirm and give a reason to go below zero.");
        if (ch.reason.empty()) throw invalid("stock.reason", "Going below zero needs a reason.");
    }
    int64_t price = 0;
    if (ch.kind == StockKind::Sale) {
        if (ch.priceCents) {
            price = *ch.priceCents;
        } else {
            Statement& p = store.db().prepare("SELECT price_cents FROM supply_item WHERE id = ?");
            p.bind(1, ch.itemId);
            p.step();
            price = p.getInt(0) * ch.quantity;
            p.reset();
        }
    }
    std::optional<std::string_view> payment;
    if (ch.payment) payment = word(*ch.payment);
    Statement& ins = store.db().prepare("INSERT INTO stock_move(item_id, at, day, kind, qty, price_cents, payment, "
                                        "contact_id, staff_id, reason) VALUES (?,?,?,?,?,?,?,?,?,?)");
    ins.bindAll(ch.itemId, at, localDay(at), word(ch.kind), delta, price, payment, ch.contactId, actor.staffId,
                ch.reason);
    ins.run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, word(ch.kind), "stock_move", id, std::to_string(delta));
    tx.commit();
    return id;
}

int64_t undoStockMove(Store& store, const Actor& actor, int64_t moveId, When when) {
    requireDesk(store);
    const int64_t at = when.resolve();
    Transaction tx(store.db(), Transaction::Writes::Main);
    Statement& get = store.db().prepare(
        "SELECT item_id, kind, qty, price_cents, (SELECT count(*) FROM stock_move r WHERE r.reverses = m.id) "
        "FROM stock_move m WHERE id = ?");
    requireRow(get.bind(1, moveId), "stock.not_found", "That stock entry does not exist.");
    const int64_t item = get.getInt(0), qty = get.getInt(2), price = get.getInt(3);
    const std::string kind = get.getText(1);
    const bool undone = get.getInt(4) > 0;
    get.reset();
    if (kind == "reversal") throw Error(ErrorKind::Conflict, "stock.is_undo", "An undo cannot itself be undone.");
    if (undone) throw Error(ErrorKind::Conflict, "stock.already_undone", "That entry was already undone.");
    if (stockOf(store, item) - qty < 0)
        throw Error(ErrorKind::NeedsConfirmation, "stock.below_zero",
                    "Undoing this would take the stock below zero; make a stock correction instead.");
    Statement& ins = store.db().prepare("INSERT INTO stock_move(item_id, at, day, kind, qty, price_cents, staff_id, "
                                        "reverses) VALUES (?,?,?,'reversal',?,?,?,?)");
    ins.bindAll(item, at, localDay(at), -qty, price, actor.staffId, moveId).run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "undo", "stock_move", moveId, "reversed by stock move " + std::to_string(id));
    tx.commit();
    return id;
}

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
        } catch (const SqliteError& e) {
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
    } catch (const SqliteError& e) {
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
        "UPDATE session SET status = CASE WHEN ?1 IS NULL THEN 'closed' ELSE 'cancelled' END, reason = ?3 "
        "WHERE day = ?2 AND (?1 IS NULL OR service_id = ?1) AND status = 'planned'");
    upd.bindAll(serviceId, day, reason).run();
    // People registered for a session that no longer happens are not no-shows: their registrations are cancelled.
    Statement& cancel = store.db().prepare(
        "UPDATE registration SET status = 'cancelled', updated_at = ?3 WHERE status IN ('waiting', 'called') AND "
        "session_id IN (SELECT id FROM session WHERE day = ?2 AND (?1 IS NULL OR service_id = ?1) AND status <> 'planned')");
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
        "INSERT OR IGNORE INTO session(service_id, day, start_min, end_min, capacity, place, status, reason) "
        "VALUES (?,?,?,?,?,?,?,?)");
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
    } catch (const SqliteError& e) {
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
    Statement& st = store.db().prepare(
        "UPDATE registration SET status = CASE WHEN status IN ('waiting', 'called') THEN 'no_show' ELSE status END, "
        "call_name = NULL, updated_at = ?2 "
        "WHERE day < ?1 AND (status IN ('waiting', 'called') OR call_name IS NOT NULL)");
    st.bindAll(today, nowUnix()).run();
    const int changed = store.db().changes();
    if (changed > 0) audit(store, Actor::system(), "close_days", "registration", std::nullopt, std::to_string(changed));
    tx.commit();
    // The old pages with the names are still in the WAL until a checkpoint: write them back and empty it now.
    // (A reader holding an old snapshot can delay this; the next close or the next checkpoint finishes it.)
    if (changed > 0 && !store.db().inTransaction())
        store.db().exec(store.isDesk() ? "PRAGMA pub.wal_checkpoint(TRUNCATE)" : "PRAGMA wal_checkpoint(TRUNCATE)");
    return changed;
}

void countKioskUse(Store& store, std::string_view kind, std::string_view key, When when) {
    if (kind != "language" && kind != "page" && kind != "registration" && kind != "wipe")
        throw invalid("usage.kind", "Unknown kind of kiosk usage.");
    checkLength(key, 1, 40, "usage.key", "A usage key");
    Transaction tx(store.db());
    Statement& up = store.db().prepare(
        "INSERT INTO kiosk_usage(day, kind, key, count) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (day, kind, key) DO UPDATE SET count = count + 1");
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
        "SELECT s.day, s.status, v.code FROM session s JOIN service v ON v.id = s.service_id WHERE s.id = ?");
    requireRow(get.bind(1, sessionId), "session.not_found", "That session does not exist.");
    const std::string day = get.getText(0), status = get.getText(1), service = get.getText(2);
    get.reset();
    if (status != "planned")
        throw Error(ErrorKind::Conflict, "session.cancelled", "This session is cancelled; please ask at the desk.");
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
    Statement& taken = store.db().prepare(
        "SELECT EXISTS (SELECT 1 FROM registration WHERE ticket = ?1 AND (day = ?2 OR status IN ('waiting', 'called')))");
    auto isTaken = [&](const std::string& code) {
        taken.bindAll(code, day);
        taken.step();
        const bool out = taken.getInt(0) != 0;
        taken.reset();
        return out;
    };
    while (isTaken(ticketCode(letter, n))) ++n;
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

// [SECTION] shelter
namespace {
// A bed is held by an open reservation until the reservation expires.
constexpr const char* kBedFreeSql =
    "b.in_service = 1 AND NOT EXISTS (SELECT 1 FROM stay s WHERE s.bed_id = b.id AND s.out_at IS NULL) "
    "AND NOT EXISTS (SELECT 1 FROM reservation r WHERE r.bed_id = b.id AND r.status = 'open' AND r.expires_at > ?1)";
const std::initializer_list<Role> kShelterRoles = {Role::Shelter, Role::Coordinator};

// The last free bed is kept for police emergencies: giving it away needs a confirmation and a reason. A police
// placement is what it is kept for, so that one takes it without either.
void guardLastBed(Store& store, int64_t now, StayReferral referral, bool confirmed, std::string_view reason) {
    if (referral == StayReferral::Police || freeBeds(store, now) != 1) return;
    if (!confirmed)
        throw Error(ErrorKind::NeedsConfirmation, "bed.last_free",
                    "This is the last free bed, kept for police emergencies. Confirm and give a reason.");
    if (reason.empty()) throw invalid("stay.emergency_reason", "Giving away the emergency bed needs a reason.");
}

struct BedState {
    bool inService = false, occupied = false;
    std::optional<int64_t> heldBy; // an open, unexpired reservation
};
BedState bedState(Store& store, int64_t bedId, int64_t now) {
    Statement& bed = store.db().prepare(
        "SELECT in_service, EXISTS (SELECT 1 FROM stay s WHERE s.bed_id = b.id AND s.out_at IS NULL), "
        "(SELECT id FROM reservation r WHERE r.bed_id = b.id AND r.status = 'open' AND r.expires_at > ?2) "
        "FROM bed b WHERE id = ?1");
    requireRow(bed.bindAll(bedId, now), "bed.not_found", "That bed does not exist.");
    BedState st{bed.getInt(0) == 1, bed.getInt(1) == 1, bed.getOptInt(2)};
    bed.reset();
    return st;
}
} // namespace

int freeBeds(Store& store, int64_t now) {
    requireDesk(store);
    if (now == 0) now = nowUnix();
    Statement& st = store.db().prepare(std::string("SELECT count(*) FROM bed b WHERE ") + kBedFreeSql);
    st.bind(1, now);
    st.step();
    const int free = static_cast<int>(st.getInt(0));
    st.reset();
    return free;
}

namespace {
// Whether another stay on the bed (or of the client) overlaps [from, until); until absent: open-ended. Stays are
// compared as intervals, so a forgotten stay fits between two recorded ones.
bool stayOverlaps(Store& store, const char* column, int64_t value, int64_t from, std::optional<int64_t> until,
                  int64_t exceptStay = 0) {
    Statement& st = store.db().prepare(
        std::string("SELECT EXISTS (SELECT 1 FROM stay WHERE ") + column +
        " = ?1 AND id <> ?4 AND (?3 IS NULL OR in_at < ?3) AND (out_at IS NULL OR out_at > ?2))");
    st.bindAll(value, from, until, exceptStay).step();
    const bool overlaps = st.getInt(0) == 1;
    st.reset();
    return overlaps;
}
} // namespace

int64_t checkIn(Store& store, const Actor& actor, const CheckIn& in) {
    requireDesk(store);
    checkLength(in.alias, 1, 40, "stay.alias", "An alias");
    if (in.expectedOutDay && !isValidDay(*in.expectedOutDay)) throw invalid("stay.expected_out", "Not a date (YYYY-MM-DD).");
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    const int64_t at = entryMoment(store, actor, in.when);
    const std::string day = localDay(at);
    if (in.expectedOutDay && *in.expectedOutDay < day)
        throw invalid("stay.expected_out", "The expected departure lies before the arrival.");
    // A stay entered after it ended: it only has to fit between the bed's other stays.
    const bool ended = in.leftAt.has_value();
    if (ended) {
        if (*in.leftAt <= at) throw invalid("stay.out_day", "A check-out cannot lie before the check-in.");
        entryMoment(store, actor, When{in.leftAt});
    }
    const BedState bed = bedState(store, in.bedId, at);
    if (!bed.inService) throw Error(ErrorKind::Conflict, "bed.out_of_service", "That bed is out of service.");
    if (bed.occupied && !ended) throw Error(ErrorKind::Conflict, "bed.taken", "That bed is already taken.");
    if (stayOverlaps(store, "bed_id", in.bedId, at, in.leftAt))
        throw Error(ErrorKind::Conflict, "bed.taken", "That bed was taken at that time.");
    bool emergency = false;
    if (in.reservationId) {
        // Arriving for a reservation: the bed was set aside (and confirmed, if it was the last) when reserving.
        if (bed.heldBy != in.reservationId)
            throw Error(ErrorKind::Conflict, "reservation.not_open", "That reservation is not open for this bed.");
    } else if (!ended) {
        if (bed.heldBy) throw Error(ErrorKind::Conflict, "bed.reserved", "That bed is reserved for someone else.");
        guardLastBed(store, at, in.referral, in.confirmEmergencyBed, in.emergencyReason);
        emergency = freeBeds(store, at) == 1;
    }
    std::optional<int64_t> client;
    if (in.clientCode && !in.clientCode->empty()) {
        client = clientFor(store, *in.clientCode, day);
        if (stayOverlaps(store, "client_id", *client, at, in.leftAt))
            throw Error(ErrorKind::Conflict, "client.already_in", "This visitor code already has a bed then.");
    }
    std::optional<std::string> outDay;
    std::optional<std::string_view> destination;
    if (ended) {
        outDay = localDay(*in.leftAt);
        destination = word(in.destination);
    }
    Statement& ins = store.db().prepare(
        "INSERT INTO stay(bed_id, client_id, alias, referral, exit_programme, emergency_bed, in_at, in_day, "
        "expected_out_day, out_at, out_day, destination) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bindAll(in.bedId, client, in.alias, word(in.referral), word(in.exitProgramme), emergency ? 1 : 0, at, day,
                in.expectedOutDay, in.leftAt, outDay, destination);
    try {
        ins.run();
    } catch (const SqliteError& e) {
        if (e.isConstraint())
            throw Error(ErrorKind::Conflict, "client.already_in", "This visitor code already has a bed.");
        throw;
    }
    const int64_t id = store.db().lastInsertRowid();
    if (in.reservationId) {
        Statement& arrived = store.db().prepare("UPDATE reservation SET status = 'arrived', stay_id = ? WHERE id = ?");
        arrived.bindAll(id, *in.reservationId).run();
    }
    audit(store, actor, "check_in", "stay", id,
          withMoment(emergency ? "emergency bed: " + in.emergencyReason : std::string(), at));
    if (ended) audit(store, actor, "check_out", "stay", id, withMoment(std::string(word(in.destination)), *in.leftAt));
    tx.commit();
    return id;
}

void moveStay(Store& store, const Actor& actor, int64_t stayId, int64_t toBedId, When when) {
    requireDesk(store);
    const int64_t at = when.resolve();
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    Statement& get = store.db().prepare("SELECT bed_id, out_at FROM stay WHERE id = ?");
    requireRow(get.bind(1, stayId), "stay.not_found", "That stay does not exist.");
    const int64_t from = get.getInt(0);
    const bool ended = !get.isNull(1);
    get.reset();
    if (ended) throw Error(ErrorKind::Conflict, "stay.already_out", "This stay has already ended.");
    if (from == toBedId) throw invalid("stay.same_bed", "That is the bed she is in already.");
    const BedState bed = bedState(store, toBedId, at);
    if (!bed.inService) throw Error(ErrorKind::Conflict, "bed.out_of_service", "That bed is out of service.");
    if (bed.occupied) throw Error(ErrorKind::Conflict, "bed.taken", "That bed is already taken.");
    if (bed.heldBy) throw Error(ErrorKind::Conflict, "bed.reserved", "That bed is reserved for someone else.");
    Statement& upd = store.db().prepare("UPDATE stay SET bed_id = ? WHERE id = ?");
    upd.bindAll(toBedId, stayId).run();
    audit(store, actor, "move", "stay", stayId, "bed " + std::to_string(from) + " to " + std::to_string(toBedId));
    tx.commit();
}

int64_t reserveBed(Store& store, const Actor& actor, const NewReservation& r) {
    requireDesk(store);
    checkLength(r.alias, 1, 40, "stay.alias", "An alias");
    const int64_t now = nowUnix();
    if (r.expiresAt <= r.expectedAt || r.expiresAt <= now)
        throw invalid("reservation.expiry", "A reservation expires after the expected arrival, in the future.");
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    const BedState bed = bedState(store, r.bedId, now);
    if (!bed.inService) throw Error(ErrorKind::Conflict, "bed.out_of_service", "That bed is out of service.");
    if (bed.occupied) throw Error(ErrorKind::Conflict, "bed.taken", "That bed is already taken.");
    if (bed.heldBy) throw Error(ErrorKind::Conflict, "bed.reserved", "That bed is reserved for someone else.");
    guardLastBed(store, now, r.referral, r.confirmEmergencyBed, r.emergencyReason);
    // An expired reservation on this bed is closed now, so there is only ever one open one.
    Statement& expire = store.db().prepare(
        "UPDATE reservation SET status = 'cancelled' WHERE bed_id = ? AND status = 'open' AND expires_at <= ?");
    expire.bindAll(r.bedId, now).run();
    Statement& ins = store.db().prepare(
        "INSERT INTO reservation(bed_id, alias, referral, expected_at, expires_at, created_at) VALUES (?,?,?,?,?,?)");
    ins.bindAll(r.bedId, r.alias, word(r.referral), r.expectedAt, r.expiresAt, now).run();
    const int64_t id = store.db().lastInsertRowid();
    audit(store, actor, "reserve", "reservation", id,
          r.confirmEmergencyBed && !r.emergencyReason.empty() ? "emergency bed: " + r.emergencyReason : "");
    tx.commit();
    return id;
}

void cancelReservation(Store& store, const Actor& actor, int64_t reservationId) {
    requireDesk(store);
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    Statement& get = store.db().prepare("SELECT status FROM reservation WHERE id = ?");
    requireRow(get.bind(1, reservationId), "reservation.not_found", "That reservation does not exist.");
    const std::string status = get.getText(0);
    get.reset();
    if (status != "open") throw Error(ErrorKind::Conflict, "reservation.not_open", "That reservation is not open.");
    Statement& upd = store.db().prepare("UPDATE reservation SET status = 'cancelled' WHERE id = ?");
    upd.bind(1, reservationId).run();
    audit(store, actor, "cancel", "reservation", reservationId);
    tx.commit();
}

void setBedInService(Store& store, const Actor& actor, int64_t bedId, bool inService, std::string_view reason,
                     When when) {
    requireDesk(store);
    if (!inService) checkLength(reason, 1, 200, "bed.out_reason", "A reason");
    const int64_t now = when.resolve();
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    const BedState bed = bedState(store, bedId, now);
    if (!inService && bed.occupied) throw Error(ErrorKind::Conflict, "bed.taken", "Someone sleeps in that bed.");
    if (!inService && bed.heldBy) throw Error(ErrorKind::Conflict, "bed.reserved", "That bed is reserved.");
    Statement& upd = store.db().prepare("UPDATE bed SET in_service = ?, out_reason = ? WHERE id = ?");
    upd.bindAll(inService ? 1 : 0, inService ? std::string_view() : reason, bedId).run();
    // The service history: an out-of-service spell opens on its day and closes on the day the bed returns.
    const std::string day = localDay(now);
    Statement& spell = store.db().prepare(
        inService ? "UPDATE bed_service SET in_day = MAX(out_day, ?2) WHERE bed_id = ?1 AND in_day IS NULL"
                  : "INSERT INTO bed_service (bed_id, out_day, reason) SELECT ?1, ?2, ?3 WHERE NOT EXISTS "
                    "(SELECT 1 FROM bed_service WHERE bed_id = ?1 AND in_day IS NULL)");
    spell.bind(1, bedId);
    spell.bind(2, day);
    if (!inService) spell.bind(3, reason);
    spell.run();
    audit(store, actor, inService ? "in_service" : "out_of_service", "bed", bedId);
    tx.commit();
}

int retentionMonths(Store& store) {
    requireDesk(store);
    const std::string v = store.db().queryText("SELECT value FROM setting WHERE key = 'retention.months'");
    int months = 24;
    if (!v.empty()) months = std::atoi(v.c_str());
    return std::clamp(months, 1, 120);
}

std::string retentionCutoff(Store& store, std::string_view today) {
    const int months = retentionMonths(store);
    int y = yearOf(today), m = std::atoi(std::string(today.substr(5, 2)).c_str()) - months;
    while (m < 1) {
        m += 12;
        --y;
    }
    // The same day of the month, or the month's last day (31 March minus one month is 28 or 29 February).
    int d = std::atoi(std::string(today.substr(8, 2)).c_str());
    while (d > 28 && !isValidDay(makeDay(y, m, d))) --d;
    return makeDay(y, m, d);
}

int purgeAliases(Store& store, const Actor& actor, std::string_view beforeDay) {
    requireDesk(store);
    if (!isValidDay(beforeDay)) throw invalid("date", "Not a date (YYYY-MM-DD).");
    Transaction tx(store.db(), Transaction::Writes::Main);
    Statement& stays = store.db().prepare(
        "UPDATE stay SET alias = NULL WHERE alias IS NOT NULL AND out_day IS NOT NULL AND out_day < ?");
    stays.bind(1, beforeDay).run();
    int purged = store.db().changes();
    // Reservations that ended (arrived, cancelled) or lapsed without anyone arriving.
    Statement& res = store.db().prepare(
        "UPDATE reservation SET alias = NULL WHERE alias IS NOT NULL AND "
        "((status <> 'open' AND created_at < ?1) OR (status = 'open' AND expires_at < ?1))");
    res.bind(1, unixFromLocal(beforeDay, 0)).run();
    purged += store.db().changes();
    Statement& log = store.db().prepare("INSERT INTO purge_run(at, what, before_day, rows) VALUES (?, 'stay_alias', ?, ?)");
    log.bindAll(nowUnix(), beforeDay, purged).run();
    audit(store, actor, "purge", "stay", std::nullopt, std::string(beforeDay) + ": " + std::to_string(purged));
    tx.commit();
    if (purged > 0 && !store.db().inTransaction()) store.db().exec("PRAGMA main.wal_checkpoint(TRUNCATE)");
    return purged;
}

void checkOut(Store& store, const Actor& actor, int64_t stayId, Destination destination, When when) {
    requireDesk(store);
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    const int64_t at = entryMoment(store, actor, when);
    const std::string day = localDay(at);
    Statement& get = store.db().prepare("SELECT in_at, out_at FROM stay WHERE id = ?");
    requireRow(get.bind(1, stayId), "stay.not_found", "That stay does not exist.");
    const int64_t inAt = get.getInt(0);
    const bool out = !get.isNull(1);
    get.reset();
    if (out) throw Error(ErrorKind::Conflict, "stay.already_out", "This stay has already ended.");
    if (at < inAt) throw invalid("stay.out_day", "A check-out cannot lie before the check-in.");
    Statement& upd = store.db().prepare("UPDATE stay SET out_at = ?, out_day = ?, destination = ? WHERE id = ?");
    upd.bindAll(at, day, word(destination), stayId).run();
    audit(store, actor, "check_out", "stay", stayId, withMoment(std::string(word(destination)), at));
    tx.commit();
}

// [SECTION] shelter: undo
namespace {
// The newest audit row of this action on this record, not undone since: who typed it, when, and its detail.
struct BedEntry {
    std::optional<int64_t> staffId;
    int64_t typedAt = 0;
    std::string detail;
};
BedEntry lastEntry(Store& store, std::string_view entity, int64_t id, std::string_view action) {
    Statement& st = store.db().prepare(
        "SELECT staff_id, at, detail FROM audit_log a WHERE entity = ?1 AND record_id = ?2 AND action = ?3 "
        "AND NOT EXISTS (SELECT 1 FROM audit_log u WHERE u.entity = ?1 AND u.record_id = ?2 AND u.action = 'undo' "
        "  AND u.id > a.id AND u.detail = ?3) ORDER BY id DESC LIMIT 1");
    requireRow(st.bindAll(entity, id, action), "undo.nothing", "There is nothing to undo here.");
    BedEntry e{st.getOptInt(0), st.getInt(1), st.getText(2)};
    st.reset();
    return e;
}

// Every undo of a bed action: in one transaction, with the right to undo checked and an audit row naming the action.
template <typename Change>
void undoBedAction(Store& store, const Actor& actor, std::string_view entity, int64_t id, std::string_view action,
                   Change change) {
    requireDesk(store);
    Transaction tx(store.db(), Transaction::Writes::Main);
    requireRole(store, actor, kShelterRoles);
    const BedEntry e = lastEntry(store, entity, id, action);
    requireUndoRight(store, actor, e.staffId, e.typedAt);
    change(e);
    audit(store, actor, "undo", entity, id, action);
    tx.commit();
}

struct StayState {
    int64_t bedId = 0, inAt = 0;
    std::optional<int64_t> clientId, outAt;
};
StayState stayState(Store& store, int64_t stayId) {
    Statement& get = store.db().prepare("SELECT bed_id, in_at, client_id, out_at FROM stay WHERE id = ?");
    requireRow(get.bind(1, stayId), "stay.not_found", "That stay does not exist.");
    StayState s{get.getInt(0), get.getInt(1), get.getOptInt(2), get.getOptInt(3)};
    get.reset();
    return s;
}
} // namespace

void undoCheckIn(Store& store, const Actor& actor, int64_t stayId) {
    undoBedAction(store, actor, "stay", stayId, "check_in", [&](const BedEntry&) {
        // A reservation she arrived for is open again; the stay goes, so no figure counts it.
        Statement& reopen = store.db().prepare(
            "UPDATE reservation SET status = 'open', stay_id = NULL WHERE stay_id = ?");
        reopen.bind(1, stayId).run();
        Statement& del = store.db().prepare("DELETE FROM stay WHERE id = ?");
        del.bind(1, stayId).run();
        if (store.db().changes() == 0) throw Error(ErrorKind::NotFound, "stay.not_found", "That stay does not exist.");
    });
}

void undoCheckOut(Store& store, const Actor& actor, int64_t stayId) {
    undoBedAction(store, actor, "stay", stayId, "check_out", [&](const BedEntry&) {
        const StayState s = stayState(store, stayId);
        if (!s.outAt) throw Error(ErrorKind::Conflict, "stay.not_out", "This stay has not ended.");
        // Open again from her arrival on: the bed and her code must be free of anyone entered since.
        if (stayOverlaps(store, "bed_id", s.bedId, s.inAt, std::nullopt, stayId))
            throw Error(ErrorKind::Conflict, "bed.taken", "Someone else has that bed since; undo that first.");
        if (s.clientId && stayOverlaps(store, "client_id", *s.clientId, s.inAt, std::nullopt, stayId))
            throw Error(ErrorKind::Conflict, "client.already_in", "This visitor code has another bed since.");
        Statement& upd = store.db().prepare(
            "UPDATE stay SET out_at = NULL, out_day = NULL, destination = NULL WHERE id = ?");
        upd.bind(1, stayId).run();
    });
}

void undoMove(Store& store, const Actor& actor, int64_t stayId) {
    undoBedAction(store, actor, "stay", stayId, "move", [&](const BedEntry& e) {
        // The move's audit detail is "bed <from> to <to>" (bed ids).
        long long from = 0, to = 0;
        if (std::sscanf(e.detail.c_str(), "bed %lld to %lld", &from, &to) != 2)
            throw Error(ErrorKind::Conflict, "undo.nothing", "There is nothing to undo here.");
        const StayState s = stayState(store, stayId);
        if (s.outAt) throw Error(ErrorKind::Conflict, "stay.already_out", "This stay has already ended.");
        if (s.bedId != to) throw Error(ErrorKind::Conflict, "undo.nothing", "She has moved again since.");
        const BedState bed = bedState(store, from, nowUnix());
        if (!bed.inService || bed.occupied || bed.heldBy)
            throw Error(ErrorKind::Conflict, "bed.taken", "Her former bed is not free any more.");
        Statement& upd = store.db().prepare("UPDATE stay SET bed_id = ? WHERE id = ?");
        upd.bindAll(static_cast<int64_t>(from), stayId).run();
    });
}

void undoReservation(Store& store, const Actor& actor, int64_t reservationId) {
    undoBedAction(store, actor, "reservation", reservationId, "reserve", [&](const BedEntry&) {
        Statement& del = store.db().prepare("DELETE FROM reservation WHERE id = ? AND status = 'open'");
        del.bind(1, reservationId).run();
        if (store.db().changes() == 0)
            throw Error(ErrorKind::Conflict, "reservation.not_open", "That reservation is not open.");
    });
}

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

// [SECTION] site defaults
void seedSiteDefaults(Store& store) {
    requireDesk(store);
    Transaction tx(store.db());
    const Actor actor = Actor::system();
    if (store.db().queryInt("SELECT count(*) FROM room") == 0) {
        // SHOP's shelter: 2 dormitories, 4 bunk beds each (lower and upper) = 16 places.
        for (int r = 1; r <= 2; ++r) {
            Statement& room = store.db().prepare("INSERT INTO room(name, sort) VALUES (?, ?)");
            room.bindAll("Slaapzaal " + std::to_string(r), r).run();
            const int64_t roomId = store.db().lastInsertRowid();
            for (int b = 1; b <= 4; ++b)
                for (const char* tier : {"lower", "upper"}) {
                    Statement& bed = store.db().prepare("INSERT INTO bed(room_id, label, tier) VALUES (?, ?, ?)");
                    const std::string label = std::to_string(b) + (std::string_view(tier) == "lower" ? "A" : "B");
                    bed.bindAll(roomId, label, tier).run();
                }
        }
        audit(store, actor, "seed", "bed", std::nullopt, "2 rooms, 16 beds");
    }
    if (store.db().queryInt("SELECT count(*) FROM service") == 0) {
        const NewService services[] = {
            {"sti_test", "Soa/hiv-test", "Centrum Seksuele Gezondheid", "spot46", "nl,en,es"},
            {"accountant", "Boekhouder", "", "spot46", "nl,en"},
            {"lawyer", "Advocaat", "", "spot46", "nl,en"},
            {"gp", "Huisarts", "", "shelter", "nl,en"},
            {"youth", "Jongerenspreekuur", "SHOP", "spot46", "nl"},
        };
        for (const auto& s : services) addService(store, actor, s);
    }
    if (store.db().queryInt("SELECT count(*) FROM supply_item") == 0) {
        // Example prices: the site sets its own.
        const NewSupplyItem items[] = {
            {"condom_s", "Condoom S", "piece", 25, 200},     {"condom_m", "Condoom M", "piece", 25, 500},
            {"condom_l", "Condoom L", "piece", 25, 300},     {"condom_xl", "Condoom XL", "piece", 30, 100},
            {"internal_condom", "Vrouwencondoom", "piece", 150, 20}, {"dental_dam", "Beflapje", "piece", 100, 20},
            {"lube", "Glijmiddel", "tube", 350, 40},         {"sponge", "Sponsjes", "pack", 600, 30},
            {"flyer", "Folder", "piece", 0, 50},
        };
        for (const auto& i : items) addSupplyItem(store, actor, i);
    }
    if (store.db().queryInt("SELECT count(*) FROM setting") == 0) {
        Statement& set = store.db().prepare("INSERT INTO setting(key, value) VALUES (?, ?)");
        set.bindAll("site.name", "Spot 46").run();
        set.bindAll("retention.months", "24").run();
    }
    tx.commit();
}

} // namespace inloop::core
