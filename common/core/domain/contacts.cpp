// The domain API: contacts (see contacts.hpp).

#include "core/domain/contacts.hpp"
#include "core/domain/internal.hpp"

#include "core/base/clock.hpp"

#include <set>

namespace inloop::core {

using namespace detail;

// [SECTION] contacts
bool isFirstEverContact(Store& store, int64_t contactId) {
    Statement& st = store.db().prepare(std::string("SELECT ") + kFirstEverContactSql + " FROM contact c WHERE c.id = ?");
    const bool first = st.bind(1, contactId).step() && st.getInt(0) == 1;
    st.reset();
    return first;
}

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
        "INSERT INTO contact(at, day, channel, gender, language, referral, client_id, staff_id) VALUES (?,?,?,?,?,?,?,?) "
        "RETURNING id");
    ins.bindAll(at, day, word(c.channel), word(c.gender), c.language, word(c.referral), out.clientId, actor.staffId);
    out.id = ins.step() ? ins.getInt(0) : 0; // the id in the same round trip (PostgreSQL: no lastval() after it)
    ins.reset();
    Statement& topic = store.db().prepare(
        "INSERT INTO contact_topic(contact_id, topic_id) SELECT ?, id FROM topic WHERE code = ?");
    for (Topic t : topics) topic.bindAll(out.id, word(t)).run();
    // Without a code it is never a first-ever contact (kFirstEverContactSql): no query for the one-tap walk-in.
    if (out.clientId) {
        out.visitsThisYear = walkInsThisYear(store, *out.clientId, day);
        out.firstEver = isFirstEverContact(store, out.id);
    }
    audit(store, actor, "log", "contact", out.id, withMoment(std::string(word(c.channel)), at));
    tx.commit();
    return out;
}

int64_t undoContact(Store& store, const Actor& actor, int64_t contactId, When when) {
    requireDesk(store);
    Transaction tx(store.db(), Transaction::Writes::Main);
    const int64_t at = entryMoment(store, actor, when); // an undo lies no more in the future than an entry
    // When it was typed: its "log" audit row (a back-dated contact was typed later than its moment).
    Statement& get = store.db().prepare(
        "SELECT reverses, (SELECT count(*) FROM contact r WHERE r.reverses = c.id), staff_id, "
        "COALESCE((SELECT min(a.at) FROM audit_log a WHERE a.entity = 'contact' AND a.record_id = c.id "
        "AND a.action = 'log'), c.at) FROM contact c WHERE id = ?");
    requireRow(get.bind(1, contactId), "contact.not_found", "That contact does not exist.");
    const bool isReversal = !get.isNull(0), alreadyUndone = get.getInt(1) > 0;
    const std::optional<int64_t> owner = get.getOptInt(2);
    const int64_t typedAt = get.getInt(3);
    get.reset();
    requireUndoRight(store, actor, owner, typedAt);
    if (isReversal) throw Error(ErrorKind::Conflict, "contact.is_undo", "An undo cannot itself be undone.");
    if (alreadyUndone) throw Error(ErrorKind::Conflict, "contact.already_undone", "That contact was already undone.");
    Statement& ins = store.db().prepare(
        "INSERT INTO contact(at, day, channel, gender, language, referral, client_id, staff_id, reverses) "
        "SELECT ?, ?, channel, gender, language, referral, client_id, ?, id FROM contact WHERE id = ? RETURNING id");
    ins.bindAll(at, localDay(at), actor.staffId, contactId);
    const int64_t id = ins.step() ? ins.getInt(0) : 0;
    ins.reset();
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
    if (out.clientId) {
        out.visitsThisYear = walkInsThisYear(store, *out.clientId, day);
        out.firstEver = isFirstEverContact(store, contactId);
    }
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

} // namespace inloop::core
