// Tests the desk's queue: moving a registration, serving without a ticket, attendance per service, the queue view,
// ticket numbers across days and the undo of every queue step.
#include "support/temp_store.hpp"

#include "core/base/clock.hpp"
#include "core/views/desk_view.hpp"
#include "core/views/queue_view.hpp"
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

int64_t sessionOf(Store& store, std::string_view service, const std::string& day, int startMin, int capacity) {
    const auto id = findService(store, service);
    REQUIRE(id);
    return addExtraSession(store, Actor::cli(), *id, day, startMin, startMin + 60, capacity);
}

std::string text(Store& store, const std::string& sql) { return store.db().queryText(sql); }

std::string rowOf(Store& store, int64_t id) {
    return text(store, "SELECT session_id || '|' || status || '|' || language || '|' || coalesce(call_name, '-') || '|' || "
                       "source || '|' || coalesce(CAST(moved_to AS TEXT), '-') FROM registration WHERE id = " + std::to_string(id));
}

// Every registration column plus the audit count: "nothing changed" means this is the same.
std::string snapshot(Store& store) {
    return text(store, "SELECT coalesce(group_concat(r, ';'), '') FROM (SELECT id || ',' || session_id || ',' || "
                       "ticket || ',' || coalesce(call_name, '-') || ',' || status || ',' || updated_at || ',' || "
                       "coalesce(CAST(moved_to AS TEXT), '-') AS r FROM registration ORDER BY id) AS rows") +
           " audit " + std::to_string(auditRows(store));
}

struct Attendance {
    int registered = 0, seen = 0, noShow = 0;
    bool operator==(const Attendance&) const = default;
};

// Attendance per service on a day, straight from the table: registered = every place taken (not cancelled or moved).
std::map<std::string, Attendance> attendance(Store& store, const std::string& day) {
    Statement& st = store.db().prepare(
        "SELECT v.code, sum(r.status NOT IN ('cancelled', 'moved')), sum(r.status = 'seen'), sum(r.status = 'no_show') "
        "FROM registration r JOIN session s ON s.id = r.session_id JOIN service v ON v.id = s.service_id "
        "WHERE s.day = ? GROUP BY v.code");
    st.bind(1, day);
    std::map<std::string, Attendance> out;
    while (st.step())
        out[st.getText(0)] = {static_cast<int>(st.getInt(1)), static_cast<int>(st.getInt(2)), static_cast<int>(st.getInt(3))};
    st.reset();
    return out;
}

std::string statusOf(Store& store, int64_t id) {
    return store.db().queryText("SELECT status FROM registration WHERE id = " + std::to_string(id));
}

int64_t undoAudits(Store& store, int64_t id) {
    return count(store, "SELECT count(*) FROM audit_log WHERE action = 'undo' AND entity = 'registration' AND record_id = " +
                            std::to_string(id));
}

} // namespace

TEST_SUITE("queue") {

TEST_CASE("moving a registration keeps both sessions' places right and keeps its language and name") {
    TempStore ts;
    Store store = ts.open();
    const std::string day1 = "2026-06-02", day2 = "2026-06-09";
    const int64_t from = sessionOf(store, "sti_test", day1, 14 * 60, 2);
    const int64_t to = sessionOf(store, "sti_test", day2, 14 * 60, 3);
    const Ticket ioana = registerForSession(store, Actor::kiosk(), from, RegistrationSource::Kiosk, "ro", std::string("Ioana"));
    const Ticket other = registerForSession(store, Actor::kiosk(), from, RegistrationSource::Kiosk, "en");
    registerForSession(store, Actor::cli(), to, RegistrationSource::Phone, "nl");
    REQUIRE(freePlaces(store, from) == 0);
    REQUIRE(freePlaces(store, to) == 2);

    const int64_t audits = auditRows(store);
    const Ticket moved = moveRegistration(store, Actor::cli(), ioana.registrationId, to);
    CHECK(auditRows(store) == audits + 2); // the new registration and the move
    CHECK(freePlaces(store, from) == 1);
    CHECK(freePlaces(store, to) == 1);
    CHECK(rowOf(store, ioana.registrationId) ==
          std::to_string(from) + "|moved|ro|Ioana|kiosk|" + std::to_string(moved.registrationId));
    CHECK(rowOf(store, moved.registrationId) == std::to_string(to) + "|waiting|ro|Ioana|desk|-");
    CHECK(text(store, "SELECT ticket || ' ' || day FROM registration WHERE id = " + std::to_string(moved.registrationId)) ==
          moved.code + " " + day2);

    // The first session's queue: the moved row no longer waits; the new one waits in the second.
    CHECK(count(store, "SELECT count(*) FROM registration WHERE status = 'waiting' AND session_id = " +
                           std::to_string(from)) == 1);
    CHECK(count(store, "SELECT count(*) FROM registration WHERE status = 'waiting' AND session_id = " +
                           std::to_string(to)) == 2);

    // A called registration may move too; then the target is full.
    setRegistrationStatus(store, Actor::cli(), other.registrationId, "called");
    moveRegistration(store, Actor::cli(), other.registrationId, to);
    CHECK(freePlaces(store, from) == 2);
    CHECK(freePlaces(store, to) == 0);
    CHECK(count(store, "SELECT count(*) FROM registration WHERE status = 'moved'") == 2);
    CHECK_ERROR(moveRegistration(store, Actor::cli(), registerForSession(store, Actor::cli(), from,
                                                                         RegistrationSource::Desk).registrationId, to),
                ErrorKind::Full, "registration.full");
}

TEST_CASE("a move into a full or closed session, or of a finished registration, changes nothing") {
    TempStore ts;
    Store store = ts.open();
    const std::string day = "2026-06-02";
    const int64_t from = sessionOf(store, "lawyer", day, 10 * 60, 5);
    const int64_t full = sessionOf(store, "lawyer", day, 13 * 60, 1);
    const int64_t cancelled = sessionOf(store, "lawyer", "2026-06-09", 10 * 60, 5);
    const int64_t open = sessionOf(store, "lawyer", "2026-06-16", 10 * 60, 5);
    registerForSession(store, Actor::cli(), full, RegistrationSource::Phone);
    addClosure(store, Actor::cli(), "2026-06-09", findService(store, "lawyer"), "Advocaat op vakantie");
    const auto reg = [&](const std::vector<std::string>& steps) {
        const Ticket t = registerForSession(store, Actor::kiosk(), from, RegistrationSource::Kiosk, "zh", std::string("Li"));
        for (const auto& step : steps) {
            if (step == "cancelled") cancelRegistration(store, Actor::cli(), t.registrationId);
            else if (step == "moved") moveRegistration(store, Actor::cli(), t.registrationId, open);
            else setRegistrationStatus(store, Actor::cli(), t.registrationId, step);
        }
        return t.registrationId;
    };
    const int64_t waiting = reg({});
    const int64_t seen = reg({"called", "seen"});
    const int64_t noShow = reg({"no_show"});
    const int64_t gone = reg({"cancelled"});
    const int64_t movedAway = reg({"moved"});

    const std::string before = snapshot(store);
    const int freeFrom = freePlaces(store, from), freeOpen = freePlaces(store, open);
    CHECK_ERROR(moveRegistration(store, Actor::cli(), waiting, full), ErrorKind::Full, "registration.full");
    CHECK_ERROR(moveRegistration(store, Actor::cli(), waiting, cancelled), ErrorKind::Conflict, "session.cancelled");
    CHECK_ERROR(moveRegistration(store, Actor::cli(), waiting, from), ErrorKind::InvalidInput, "registration.same_session");
    CHECK_ERROR(moveRegistration(store, Actor::cli(), waiting, 987654), ErrorKind::NotFound, "session.not_found");
    CHECK_ERROR(moveRegistration(store, Actor::cli(), 987654, open), ErrorKind::NotFound, "registration.not_found");
    for (const int64_t closed : {seen, noShow, gone, movedAway}) {
        CAPTURE(rowOf(store, closed));
        CHECK_ERROR(moveRegistration(store, Actor::cli(), closed, open), ErrorKind::Conflict, "registration.closed");
    }
    CHECK(snapshot(store) == before);
    CHECK(freePlaces(store, full) == 0);
    CHECK(freePlaces(store, from) == freeFrom);
    CHECK(freePlaces(store, open) == freeOpen);
    CHECK(rowOf(store, waiting) == std::to_string(from) + "|waiting|zh|Li|kiosk|-");
}

TEST_CASE("serving someone without a ticket counts as seen and takes a place") {
    TempStore ts;
    Store store = ts.open();
    const std::string day = "2026-06-03";
    const int64_t session = sessionOf(store, "accountant", day, 10 * 60, 3);
    const Ticket kiosk = registerForSession(store, Actor::kiosk(), session, RegistrationSource::Kiosk, "en");

    const int64_t audits = auditRows(store);
    const Ticket served = serveWithoutTicket(store, Actor::cli(), session, "bg");
    CHECK(auditRows(store) == audits + 2); // registered and seen
    CHECK(served.code != kiosk.code);
    CHECK(rowOf(store, served.registrationId) == std::to_string(session) + "|seen|bg|-|desk|-");
    CHECK(freePlaces(store, session) == 1);
    CHECK(count(store, "SELECT count(*) FROM registration WHERE status = 'seen'") == 1);
    CHECK(count(store, "SELECT count(*) FROM registration WHERE status = 'waiting'") == 1);

    serveWithoutTicket(store, Actor::cli(), session);
    CHECK(freePlaces(store, session) == 0);
    const std::string before = snapshot(store);
    CHECK_ERROR(serveWithoutTicket(store, Actor::cli(), session), ErrorKind::Full, "registration.full");
    CHECK_ERROR(registerForSession(store, Actor::kiosk(), session, RegistrationSource::Kiosk), ErrorKind::Full,
                "registration.full");
    CHECK_ERROR(serveWithoutTicket(store, Actor::cli(), session, "x1"), ErrorKind::InvalidInput, "language");
    CHECK(snapshot(store) == before);
    // Seen is final: not moved, not cancelled, not called again.
    const int64_t later = sessionOf(store, "accountant", "2026-06-10", 10 * 60, 3);
    CHECK_ERROR(moveRegistration(store, Actor::cli(), served.registrationId, later), ErrorKind::Conflict,
                "registration.closed");
    CHECK_ERROR(cancelRegistration(store, Actor::cli(), served.registrationId), ErrorKind::Conflict, "registration.closed");
    CHECK_ERROR(setRegistrationStatus(store, Actor::cli(), served.registrationId, "called"), ErrorKind::Conflict,
                "registration.closed");

    // Not on a cancelled session either; nothing is left behind.
    addClosure(store, Actor::cli(), "2026-06-10", std::nullopt, "Studiedag");
    const std::string beforeClosed = snapshot(store);
    CHECK_ERROR(serveWithoutTicket(store, Actor::cli(), later), ErrorKind::Conflict, "session.cancelled");
    CHECK(snapshot(store) == beforeClosed);
    CHECK(count(store, "SELECT count(*) FROM registration WHERE status = 'seen' AND session_id = " +
                           std::to_string(session)) == 2);
}

TEST_CASE("attendance per service from the table matches what happened at the desk") {
    TempStore ts;
    Store store = ts.open();
    const std::string day = "2026-06-04";
    const int64_t sti = sessionOf(store, "sti_test", day, 13 * 60, 5);
    const int64_t accountant = sessionOf(store, "accountant", day, 10 * 60, 3);
    const int64_t lawyer = sessionOf(store, "lawyer", day, 15 * 60, 2);
    const auto kiosk = [&](int64_t session) {
        return registerForSession(store, Actor::kiosk(), session, RegistrationSource::Kiosk, "es").registrationId;
    };
    const auto step = [&](int64_t id, const char* status) { setRegistrationStatus(store, Actor::cli(), id, status); };

    // sti_test: five tickets; one is cancelled and its place goes to someone without a ticket.
    const int64_t a = kiosk(sti), b = kiosk(sti), c = kiosk(sti), d = kiosk(sti), e = kiosk(sti);
    step(a, "called");
    step(a, "seen");
    step(b, "called");
    step(b, "no_show");
    cancelRegistration(store, Actor::cli(), c);
    step(d, "seen");
    serveWithoutTicket(store, Actor::cli(), sti);
    CHECK(e > 0); // e is still waiting when the day ends
    // accountant: two tickets; one moves to the lawyer and does not come, the other is seen.
    const int64_t f = kiosk(accountant), g = kiosk(accountant);
    const int64_t fMoved = moveRegistration(store, Actor::cli(), f, lawyer).registrationId;
    step(fMoved, "called");
    step(fMoved, "no_show");
    step(g, "seen");
    // lawyer: one more without a ticket.
    serveWithoutTicket(store, Actor::cli(), lawyer, "nl");

    std::map<std::string, Attendance> expected = {
        {"sti_test", {5, 3, 1}}, {"accountant", {1, 1, 0}}, {"lawyer", {2, 1, 1}}};
    CHECK(attendance(store, day) == expected);
    CHECK(freePlaces(store, sti) == 0);
    CHECK(freePlaces(store, accountant) == 2);
    CHECK(freePlaces(store, lawyer) == 0);

    // At the end of the day the one still waiting becomes a no-show; nothing else moves.
    CHECK(closeDays(store, addDays(day, 1)) == 1);
    expected["sti_test"].noShow = 2;
    CHECK(attendance(store, day) == expected);
    CHECK(text(store, "SELECT status FROM registration WHERE id = " + std::to_string(e)) == "no_show");
}

TEST_CASE("the desk's queue view of a day counts every state and offers only sessions with room") {
    // loadQueue reads the kiosk's view inside its own snapshot: that nesting must work (it once threw
    // "cannot start a transaction within a transaction" on every call).
    TempStore ts;
    Store store = ts.open();
    const std::string day = "2026-06-04";
    const int64_t accountant = sessionOf(store, "accountant", day, 10 * 60, 3);
    const int64_t sti = sessionOf(store, "sti_test", day, 13 * 60, 5);
    const int64_t lawyer = sessionOf(store, "lawyer", day, 15 * 60, 1);
    const int64_t nextWeek = sessionOf(store, "sti_test", "2026-06-09", 13 * 60, 2);  // in the kiosk's week
    const int64_t later = sessionOf(store, "sti_test", "2026-06-18", 13 * 60, 2);     // in the weeks after
    const int64_t laterFull = sessionOf(store, "gp", "2026-06-19", 9 * 60, 1);
    const int64_t laterCancelled = sessionOf(store, "lawyer", "2026-06-22", 10 * 60, 2);
    const int64_t tooFar = sessionOf(store, "sti_test", "2026-07-03", 13 * 60, 2);    // more than 4 weeks on
    registerForSession(store, Actor::cli(), laterFull, RegistrationSource::Phone);
    addClosure(store, Actor::cli(), "2026-06-22", findService(store, "lawyer"), "Vakantie");

    const auto kiosk = [&](int64_t session, const char* language, std::optional<std::string> name = std::nullopt) {
        return registerForSession(store, Actor::kiosk(), session, RegistrationSource::Kiosk, language, std::move(name))
            .registrationId;
    };
    const int64_t a = kiosk(sti, "en", "Amara"), b = kiosk(sti, "fr"), c = kiosk(sti, "nl"), d = kiosk(sti, "ro"),
                  e = kiosk(sti, "th");
    cancelRegistration(store, Actor::cli(), e);
    const int64_t f = kiosk(sti, "es", "Paz"); // the cancelled place
    setRegistrationStatus(store, Actor::cli(), b, "called");
    setRegistrationStatus(store, Actor::cli(), c, "seen");
    setRegistrationStatus(store, Actor::cli(), d, "no_show");
    moveRegistration(store, Actor::cli(), f, nextWeek);
    serveWithoutTicket(store, Actor::cli(), accountant, "bg");
    kiosk(lawyer, "hu");

    QueueView q;
    REQUIRE_NOTHROW(q = loadQueue(store, day));
    CHECK(q.day == day);
    CHECK(q.dataVersion == deskDataVersion(store));
    REQUIRE(q.sessions.size() == 3);
    CHECK(q.sessions[0].session.id == accountant); // in time order
    CHECK(q.sessions[1].session.id == sti);
    CHECK(q.sessions[2].session.id == lawyer);

    const QueueSession& s = q.sessions[1];
    CHECK(s.waiting == 1);
    CHECK(s.called == 1);
    CHECK(s.seen == 1);
    CHECK(s.noShow == 1);
    CHECK(s.cancelled == 1);
    CHECK(s.session.freePlaces == 1);
    REQUIRE(s.entries.size() == 6); // the moved one too, in the order they registered
    CHECK(s.entries[0].id == a);
    CHECK(s.entries[0].callName == std::optional<std::string>("Amara"));
    CHECK(s.entries[0].language == "en");
    CHECK(s.entries[5].id == f);
    CHECK(s.entries[5].status == "moved");
    CHECK(q.sessions[0].seen == 1);
    CHECK(q.sessions[0].session.freePlaces == 2);
    CHECK(q.sessions[2].waiting == 1);
    CHECK(q.sessions[2].session.freePlaces == 0);

    std::map<int64_t, SessionView> targets;
    for (const auto& t : q.moveTargets) targets[t.id] = t;
    CHECK(targets.count(accountant) == 1);
    CHECK(targets.count(sti) == 1);
    CHECK(targets.count(nextWeek) == 1);
    CHECK(targets.count(later) == 1);
    CHECK(targets.count(lawyer) == 0);         // full
    CHECK(targets.count(laterFull) == 0);      // full
    CHECK(targets.count(laterCancelled) == 0); // cancelled
    CHECK(targets.count(tooFar) == 0);
    if (targets.count(nextWeek)) CHECK(targets[nextWeek].freePlaces == 1);
    if (targets.count(later)) {
        CHECK(targets[later].freePlaces == 2);
        CHECK(targets[later].startsAt == unixFromLocal("2026-06-18", 13 * 60));
    }

    // The weeks after the first are read on their own; their start times keep to local time across both changes.
    const int64_t winterSpring = sessionOf(store, "sti_test", "2026-03-28", 13 * 60, 2);
    const int64_t summerSpring = sessionOf(store, "sti_test", "2026-03-29", 13 * 60, 2);
    const int64_t summerAutumn = sessionOf(store, "sti_test", "2026-10-24", 13 * 60, 2);
    const int64_t winterAutumn = sessionOf(store, "sti_test", "2026-10-25", 13 * 60, 2);
    std::map<int64_t, int64_t> startsAt;
    for (const std::string from : {"2026-03-20", "2026-10-16"})
        for (const auto& t : loadQueue(store, from).moveTargets) startsAt[t.id] = t.startsAt;
    CHECK(startsAt[winterSpring] == 1774699200); // 2026-03-28 12:00 UTC
    CHECK(startsAt[summerSpring] == 1774782000); // 2026-03-29 11:00 UTC
    CHECK(startsAt[summerAutumn] == 1792839600); // 2026-10-24 11:00 UTC
    CHECK(startsAt[winterAutumn] == 1792929600); // 2026-10-25 12:00 UTC

    CHECK(loadQueue(store, "2026-06-05").sessions.empty());
}


TEST_CASE("no two open tickets share a number, whatever their day, and a day never repeats its own") {
    TempStore ts;
    Store store = ts.open();
    const int64_t nextWeek = sessionOf(store, "accountant", "2026-12-15", 14 * 60, 8);
    const int64_t today = sessionOf(store, "accountant", "2026-12-08", 14 * 60, 8);
    const Ticket early = registerForSession(store, Actor::kiosk(), nextWeek, RegistrationSource::Kiosk);
    const Ticket first = registerForSession(store, Actor::kiosk(), today, RegistrationSource::Kiosk);
    const Ticket second = registerForSession(store, Actor::kiosk(), today, RegistrationSource::Kiosk);
    CHECK(first.code != early.code); // both waiting: "now serving A22" must mean one person
    CHECK(second.code != early.code);
    CHECK(second.code != first.code);
    CHECK(count(store, "SELECT count(*) FROM (SELECT ticket FROM registration WHERE status IN ('waiting', 'called') "
                       "GROUP BY ticket HAVING count(*) > 1) AS t") == 0);
    // A closed ticket's number is free again for another day, never for its own.
    setRegistrationStatus(store, Actor::cli(), early.registrationId, "seen");
    setRegistrationStatus(store, Actor::cli(), first.registrationId, "seen");
    const Ticket later = registerForSession(store, Actor::kiosk(), nextWeek, RegistrationSource::Kiosk);
    CHECK(later.code != early.code);
    const int64_t third = sessionOf(store, "accountant", "2026-12-22", 14 * 60, 8);
    std::set<std::string> open;
    for (int i = 0; i < 5; ++i) {
        const Ticket t = registerForSession(store, Actor::kiosk(), third, RegistrationSource::Kiosk);
        CHECK(open.insert(t.code).second);
        CHECK(t.code != later.code);
        CHECK(t.code != second.code);
    }
}

TEST_CASE("every queue step at the desk can be undone: back to where it was, audited as an undo") {
    TempStore ts;
    Store store = ts.open();
    const int64_t from = sessionOf(store, "sti_test", "2026-06-02", 14 * 60, 3);
    const int64_t to = sessionOf(store, "sti_test", "2026-06-09", 14 * 60, 3);
    const Actor desk = Actor::cli();
    const int64_t a = registerForSession(store, Actor::kiosk(), from, RegistrationSource::Kiosk).registrationId;

    for (const char* step : {"called", "seen", "no_show"}) {
        CAPTURE(step);
        setRegistrationStatus(store, desk, a, step);
        const int64_t before = undoAudits(store, a);
        undoQueueStep(store, desk, a, "waiting");
        CHECK(statusOf(store, a) == "waiting");
        CHECK(undoAudits(store, a) == before + 1);
        CHECK_ERROR(undoQueueStep(store, desk, a, "waiting"), ErrorKind::Conflict, "registration.nothing_to_undo");
    }
    // Seen after a call goes back to called.
    setRegistrationStatus(store, desk, a, "called");
    setRegistrationStatus(store, desk, a, "seen");
    undoQueueStep(store, desk, a, "called");
    CHECK(statusOf(store, a) == "called");

    // A cancel gives the place away: it comes back only while there is one.
    cancelRegistration(store, desk, a);
    const int64_t b = registerForSession(store, desk, from, RegistrationSource::Desk).registrationId;
    const int64_t c = registerForSession(store, desk, from, RegistrationSource::Desk).registrationId;
    const int64_t d = registerForSession(store, desk, from, RegistrationSource::Desk).registrationId;
    CHECK_ERROR(undoQueueStep(store, desk, a, "called"), ErrorKind::Full, "registration.full");
    CHECK(statusOf(store, a) == "cancelled");
    undoDeskRegistration(store, desk, d);
    CHECK(count(store, "SELECT count(*) FROM registration WHERE id = " + std::to_string(d)) == 0);
    undoQueueStep(store, desk, a, "called");
    CHECK(statusOf(store, a) == "called");
    CHECK(freePlaces(store, from) == 0);

    // A move: the new ticket goes and the old one is back, unless the other session's desk acted on it.
    const Ticket moved = moveRegistration(store, desk, b, to);
    CHECK(freePlaces(store, to) == 2);
    undoQueueStep(store, desk, b, "waiting");
    CHECK(statusOf(store, b) == "waiting");
    CHECK(count(store, "SELECT count(*) FROM registration WHERE id = " + std::to_string(moved.registrationId)) == 0);
    CHECK(freePlaces(store, to) == 3);
    CHECK(freePlaces(store, from) == 0);
    const Ticket again = moveRegistration(store, desk, c, to);
    setRegistrationStatus(store, desk, again.registrationId, "called");
    CHECK_ERROR(undoQueueStep(store, desk, c, "waiting"), ErrorKind::Conflict, "registration.moved_on");
    CHECK(statusOf(store, c) == "moved");

    // A kiosk's own registration is not the desk's to take back.
    CHECK_ERROR(undoDeskRegistration(store, desk, a), ErrorKind::Conflict, "registration.not_desk");
}

} // TEST_SUITE
