// Contacts at the desk through the domain API: undo as a reversing row, visitor codes as keyed hashes only.
#include "desk_fixture.hpp"

#include "core/store/audit_chain.hpp"

using namespace inloop;
using namespace inloop::core;
using namespace inloop::test;

namespace {

NewContact walkIn(std::optional<std::string> code = std::nullopt, std::optional<int64_t> at = std::nullopt) {
    NewContact c;
    c.clientCode = std::move(code);
    c.when.at = at;
    return c;
}

// A moment on a fixed past working day, so visits have distinct, ordered times.
constexpr const char* kDay = "2025-03-04";
int64_t on(int hour, int minute = 0) { return unixFromLocal(kDay, hour * 60 + minute); }

ContactDetails detailsWith(std::optional<std::string> code) {
    ContactDetails d;
    d.gender = Gender::Woman;
    d.language = "ro";
    d.topics = {Topic::Health};
    d.clientCode = std::move(code);
    return d;
}

std::optional<int64_t> clientOf(Store& s, int64_t contactId) {
    Statement& st = s.db().prepare("SELECT client_id FROM contact WHERE id = ?");
    st.bind(1, contactId);
    REQUIRE(st.step());
    const auto id = st.getOptInt(0);
    st.reset();
    return id;
}

bool anyFileContains(const std::vector<fs::path>& files, const std::string& needle) {
    for (const auto& f : files) {
        if (!fs::exists(f)) continue;
        if (readBytes(f).find(needle) != std::string::npos) {
            MESSAGE("found \"" << needle << "\" in " << f.filename().string());
            return true;
        }
    }
    return false;
}

} // namespace

TEST_SUITE("desk") {

TEST_CASE("undoing a contact adds a reversing row: the original stays, today's count drops by one, never a deletion") {
    StaffedStore t;
    const int64_t a = logContact(t.s, t.annaActor(), walkIn()).id;
    const int64_t b = logContact(t.s, t.annaActor(), walkIn()).id;
    NewContact call;
    call.channel = Channel::Phone;
    logContact(t.s, t.annaActor(), call);
    CHECK(todayCount(t.s) == 2);
    CHECK(todayCount(t.s, "phone") == 1);
    const int64_t rows = countOf(t.s, "SELECT count(*) FROM contact");

    const int64_t undoId = undoContact(t.s, t.annaActor(), a);
    CHECK(undoId != a);
    CHECK(countOf(t.s, "SELECT count(*) FROM contact") == rows + 1);
    CHECK(countOf(t.s, "SELECT count(*) FROM contact WHERE id = " + std::to_string(a)) == 1);
    CHECK(countOf(t.s, "SELECT reverses FROM contact WHERE id = " + std::to_string(undoId)) == a);
    CHECK(todayCount(t.s) == 1);
    CHECK(todayCount(t.s, "phone") == 1);

    // The list still shows the original, marked undone; the reversal itself is not listed.
    const auto today = loadToday(t.s, localDay(nowUnix()));
    bool sawA = false, sawB = false;
    for (const auto& r : today.contacts) {
        CHECK(r.id != undoId);
        if (r.id == a) sawA = r.undone;
        if (r.id == b) sawB = !r.undone;
    }
    CHECK(sawA);
    CHECK(sawB);

    CHECK_ERROR(undoContact(t.s, t.annaActor(), a), ErrorKind::Conflict, "contact.already_undone");
    CHECK_ERROR(undoContact(t.s, t.annaActor(), undoId), ErrorKind::Conflict, "contact.is_undo");
    CHECK_ERROR(updateContactDetails(t.s, t.annaActor(), a, detailsWith(std::nullopt)), ErrorKind::Conflict,
                     "contact.already_undone");
    CHECK(todayCount(t.s) == 1);
    // An undone contact is no longer offered to undo.
    for (const auto& u : loadUndoable(t.s, t.anna)) CHECK_FALSE((u.entity == "contact" && u.id == a));
}

TEST_CASE("the same visitor code typed differently is the same visitor, and her visits this year count up") {
    StaffedStore t;
    const int64_t c1 = logContact(t.s, t.annaActor(), walkIn(std::nullopt, on(10))).id;
    const int64_t c2 = logContact(t.s, t.annaActor(), walkIn(std::nullopt, on(10, 30))).id;
    const int64_t c3 = logContact(t.s, t.annaActor(), walkIn(std::nullopt, on(11))).id;

    const LoggedContact r1 = updateContactDetails(t.s, t.annaActor(), c1, detailsWith(std::string("mk 1991")));
    const LoggedContact r2 = updateContactDetails(t.s, t.annaActor(), c2, detailsWith(std::string("MK-1991")));
    const LoggedContact r3 = updateContactDetails(t.s, t.annaActor(), c3, detailsWith(std::string(" Mk1991 ")));
    REQUIRE(r1.clientId);
    CHECK(r2.clientId == r1.clientId);
    CHECK(r3.clientId == r1.clientId);
    CHECK(r1.visitsThisYear == 1);
    CHECK(r2.visitsThisYear == 2);
    CHECK(r3.visitsThisYear == 3);
    CHECK(countOf(t.s, "SELECT count(*) FROM client") == 1);

    // A different code is a different visitor.
    const LoggedContact other = logContact(t.s, t.annaActor(), walkIn(std::string("MK1992"), on(11, 30)));
    REQUIRE(other.clientId);
    CHECK(other.clientId != r1.clientId);
    CHECK(other.visitsThisYear == 1);

    // An undone visit no longer counts.
    undoContact(t.s, t.annaActor(), c3);
    const LoggedContact r4 = logContact(t.s, t.annaActor(), walkIn(std::string("mk-1991"), on(12)));
    CHECK(r4.clientId == r1.clientId);
    CHECK(r4.visitsThisYear == 3);
    // The desk's list says which visit each one was.
    int listed = 0;
    for (const auto& r : loadToday(t.s, kDay).contacts) {
        CAPTURE(r.id);
        if (r.id == c1) CHECK(r.visitsThisYear == 1);
        if (r.id == c2) CHECK(r.visitsThisYear == 2);
        if (r.id == r4.id) CHECK(r.visitsThisYear == 3);
        if (r.id == c1 || r.id == c2 || r.id == r4.id) {
            CHECK(r.hasCode);
            ++listed;
        }
    }
    CHECK(listed == 3);
    // Too short a code is refused and writes nothing.
    const int64_t audits = countOf(t.s, "SELECT count(*) FROM audit_log");
    CHECK_ERROR(updateContactDetails(t.s, t.annaActor(), c2, detailsWith(std::string("m-k"))),
                     ErrorKind::InvalidInput, "client_code");
    CHECK(clientOf(t.s, c2) == r1.clientId);
    CHECK(countOf(t.s, "SELECT count(*) FROM audit_log") == audits);
}

TEST_CASE("\"New\" is a visitor code's first-ever contact, not its first visit of the year") {
    StaffedStore t;
    const auto at = [](const char* day, int hour) { return unixFromLocal(day, hour * 60); };
    const auto listed = [&](const char* day, int64_t id) {
        for (const auto& r : loadToday(t.s, day).contacts)
            if (r.id == id) return r;
        FAIL("contact " << id << " not listed on " << day);
        return ContactRow{};
    };
    // A visitor from last year, back in January: her first visit this year, but not new.
    const LoggedContact december = logContact(t.s, t.annaActor(), walkIn(std::string("RT1988"), at("2024-12-30", 14)));
    CHECK(december.firstEver);
    const LoggedContact january = logContact(t.s, t.annaActor(), walkIn(std::string("rt 1988"), at("2025-01-02", 11)));
    CHECK(january.visitsThisYear == 1);
    CHECK_FALSE(january.firstEver);
    CHECK(listed("2024-12-30", december.id).firstEver);
    const ContactRow back = listed("2025-01-02", january.id);
    CHECK(back.visitsThisYear == 1);
    CHECK_FALSE(back.firstEver);

    // Met on the street first: known at her first walk-in.
    NewContact street = walkIn(std::string("SV1990"), at("2025-01-02", 9));
    street.channel = Channel::OutreachStreet;
    CHECK(logContact(t.s, t.annaActor(), street).firstEver);
    const LoggedContact walked = logContact(t.s, t.annaActor(), walkIn(std::string("SV1990"), at("2025-01-02", 12)));
    CHECK_FALSE(walked.firstEver);
    CHECK_FALSE(listed("2025-01-02", walked.id).firstEver);

    // An undone contact never happened: the next one is still her first.
    const LoggedContact typo = logContact(t.s, t.annaActor(), walkIn(std::string("LP2001"), at("2025-01-02", 13)));
    undoContact(t.s, t.annaActor(), typo.id);
    const LoggedContact real = logContact(t.s, t.annaActor(), walkIn(std::string("LP2001"), at("2025-01-02", 14)));
    CHECK(real.firstEver);
    CHECK(listed("2025-01-02", real.id).firstEver);

    // A forgotten earlier contact entered afterwards goes first: the one typed before is no longer new.
    const LoggedContact later = logContact(t.s, t.annaActor(), walkIn(std::string("GH1979"), at("2025-01-02", 16)));
    CHECK(later.firstEver);
    const LoggedContact forgotten = logContact(t.s, t.annaActor(), walkIn(std::string("GH1979"), at("2025-01-02", 10)));
    CHECK(forgotten.firstEver);
    CHECK_FALSE(listed("2025-01-02", later.id).firstEver);
    CHECK(listed("2025-01-02", forgotten.id).firstEver);
    // Without a code nobody is new or known.
    const LoggedContact anonymous = logContact(t.s, t.annaActor(), walkIn(std::nullopt, at("2025-01-02", 15)));
    CHECK_FALSE(anonymous.firstEver);
    CHECK_FALSE(listed("2025-01-02", anonymous.id).firstEver);
}

TEST_CASE("a contact can be undone within the shift it was typed in, not in a later one") {
    StaffedStore t;
    const int64_t bo = t.addBo();
    const Actor boActor = Actor::staff(bo);
    const int64_t now = nowUnix();
    // A contact Bo typed 13 hours ago (written as logContact writes it: the row and its "log" audit row).
    const auto typedAgo = [&](int64_t seconds) {
        Statement& ins = t.s.db().prepare(
            "INSERT INTO contact(at, day, channel, gender, language, referral, staff_id) "
            "VALUES (?, ?, 'walk_in', 'unknown', 'und', 'none', ?)");
        ins.bindAll(now - seconds, localDay(now - seconds), bo).run();
        const int64_t id = t.s.db().lastInsertRowid();
        insertAuditRow(t.s.db(), AuditFields{0, now - seconds, "staff", bo, "log", "contact", id, "walk_in"});
        return id;
    };
    const int64_t old = typedAgo(kShiftSeconds + 3600);
    const int64_t contacts = countOf(t.s, "SELECT count(*) FROM contact");
    CHECK_ERROR(undoContact(t.s, boActor, old), ErrorKind::Conflict, "undo.too_late");
    // A coordinator is held to the same shift, as for bed actions.
    CHECK_ERROR(undoContact(t.s, t.annaActor(), old), ErrorKind::Conflict, "undo.too_late");
    CHECK(countOf(t.s, "SELECT count(*) FROM contact") == contacts);

    // Typed an hour ago: still this shift, undone.
    const int64_t recent = typedAgo(3600);
    undoContact(t.s, boActor, recent);
    CHECK(countOf(t.s, "SELECT count(*) FROM contact WHERE reverses = " + std::to_string(recent)) == 1);
    // Back-dated two days but typed now: the shift counts from the typing.
    const LoggedContact forgotten = logContact(t.s, boActor, walkIn(std::nullopt, now - 2 * 86400));
    // Her recent actions offer what she may still undo: the back-dated one, not the one of an earlier shift.
    const auto offered = [&](int64_t id) {
        for (const auto& u : loadUndoable(t.s, bo))
            if (u.entity == "contact" && u.id == id) return true;
        return false;
    };
    CHECK(offered(forgotten.id));
    CHECK_FALSE(offered(old));
    undoContact(t.s, boActor, forgotten.id);
    CHECK(countOf(t.s, "SELECT count(*) FROM contact WHERE reverses = " + std::to_string(forgotten.id)) == 1);
}

TEST_CASE("no visitor code in any data file, not in the write-ahead log and not after a checkpoint" * doctest::test_suite("sqlite")) {
    StaffedStore t;
    const std::vector<fs::path> files = {t.s.paths().deskDb(), fs::path(t.s.paths().deskDb().string() + "-wal"),
                                         t.s.paths().publicDb(), fs::path(t.s.paths().publicDb().string() + "-wal"),
                                         t.s.paths().codeKey()};
    const LoggedContact first = logContact(t.s, t.annaActor(), walkIn(std::string("ZQXJ1987")));
    REQUIRE(first.clientId);
    const int64_t second = logContact(t.s, t.annaActor(), walkIn()).id;
    updateContactDetails(t.s, t.annaActor(), second, detailsWith(std::string("zqxj 1987")));
    const int64_t third = logContact(t.s, t.annaActor(), walkIn()).id;
    updateContactDetails(t.s, t.annaActor(), third, detailsWith(std::string("ZQXJ-1987")));
    CHECK(countOf(t.s, "SELECT count(DISTINCT client_id) FROM contact WHERE client_id IS NOT NULL") == 1);

    CHECK(fs::exists(files[0]));
    for (const char* needle : {"ZQXJ1987", "zqxj1987", "zqxj 1987", "ZQXJ-1987"}) CHECK_FALSE(anyFileContains(files, needle));

    t.s.db().exec("PRAGMA main.wal_checkpoint(TRUNCATE)");
    t.s.db().exec("PRAGMA pub.wal_checkpoint(TRUNCATE)");
    for (const char* needle : {"ZQXJ1987", "zqxj1987", "zqxj 1987", "ZQXJ-1987"}) CHECK_FALSE(anyFileContains(files, needle));
    // Nor in anything the audit log says.
    for (const auto& a : loadAudit(t.s, 1000)) {
        CHECK(a.detail.find("ZQXJ") == std::string::npos);
        CHECK(a.detail.find("zqxj") == std::string::npos);
    }
}

TEST_CASE("details: an empty code removes the visitor code, an absent one keeps it") {
    StaffedStore t;
    const int64_t c = logContact(t.s, t.annaActor(), walkIn()).id;
    const LoggedContact withCode = updateContactDetails(t.s, t.annaActor(), c, detailsWith(std::string("AB12")));
    REQUIRE(withCode.clientId);
    CHECK(clientOf(t.s, c) == withCode.clientId);

    // Changing only the gender (clientCode absent) keeps the code.
    ContactDetails keep = detailsWith(std::nullopt);
    keep.gender = Gender::Trans;
    const LoggedContact kept = updateContactDetails(t.s, t.annaActor(), c, keep);
    CHECK(kept.clientId == withCode.clientId);
    CHECK(kept.visitsThisYear == 1);
    CHECK(clientOf(t.s, c) == withCode.clientId);
    CHECK(t.s.db().queryText("SELECT gender FROM contact WHERE id = " + std::to_string(c)) == "trans");

    // An empty code removes it.
    const LoggedContact removed = updateContactDetails(t.s, t.annaActor(), c, detailsWith(std::string()));
    CHECK_FALSE(removed.clientId);
    CHECK(removed.visitsThisYear == 0);
    CHECK_FALSE(clientOf(t.s, c));
    for (const auto& r : loadToday(t.s, localDay(nowUnix())).contacts)
        if (r.id == c) CHECK_FALSE(r.hasCode);
    // Topics are replaced, not added to.
    ContactDetails topics = detailsWith(std::nullopt);
    topics.topics = {Topic::Money, Topic::Law, Topic::Money};
    updateContactDetails(t.s, t.annaActor(), c, topics);
    CHECK(countOf(t.s, "SELECT count(*) FROM contact_topic WHERE contact_id = " + std::to_string(c)) == 2);
}

TEST_CASE("the audit log names which details changed and never the visitor code") {
    StaffedStore t;
    const int64_t c = logContact(t.s, t.annaActor(), walkIn()).id;
    updateContactDetails(t.s, t.annaActor(), c, detailsWith(std::string("QQ-4711")));
    ContactDetails second = detailsWith(std::string("RR4712"));
    second.referral = Referral::Partner;
    updateContactDetails(t.s, t.annaActor(), c, second);
    updateContactDetails(t.s, t.annaActor(), c, detailsWith(std::string()));

    const auto rows = auditOf(t.s, "contact", c);
    int details = 0;
    for (const auto& r : rows) {
        CAPTURE(r.detail);
        CHECK(r.staffName == "Anna");
        CHECK(r.detail.find("4711") == std::string::npos);
        CHECK(r.detail.find("4712") == std::string::npos);
        CHECK(r.detail.find("QQ") == std::string::npos);
        CHECK(r.detail.find("RR") == std::string::npos);
        if (r.action != "details") continue;
        ++details;
        CHECK(r.detail.find("code") != std::string::npos); // each of the three changed the code
    }
    CHECK(details == 3);
    // The newest (code removed) also does not name the gender, which did not change.
    REQUIRE_FALSE(rows.empty());
    CHECK(rows.front().action == "details");
    CHECK(rows.front().detail.find("gender") == std::string::npos);
    CHECK(rows.front().detail.find("referral") != std::string::npos);
}

} // TEST_SUITE
