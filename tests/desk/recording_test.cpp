// What a contact records (issue 17): "not asked" instead of the language used last, back-dating within limits
// (never the future), and who may undo whose contact.
#include "desk_fixture.hpp"

using namespace inloop;
using namespace inloop::core;
using namespace inloop::test;

namespace {
std::string idText(int64_t id) { return std::to_string(id); }
constexpr int64_t kDay = 24 * 3600;
} // namespace

TEST_SUITE("desk") {

TEST_CASE("a contact logged with one tap records language and gender as not asked") {
    StaffedStore st;
    const LoggedContact c = logContact(st.s, st.annaActor(), NewContact{});
    CHECK(countOf(st.s, "SELECT language = '" + std::string(kLanguageNotAsked) + "' AND gender = 'unknown' FROM contact "
                        "WHERE id = " + idText(c.id)) == 1);
    CHECK(std::string(kLanguageNotAsked) != "nl");
    CHECK(ContactDetails{}.language == kLanguageNotAsked);
}

TEST_CASE("the desk's quick log never repeats the language of the contact before") {
    DeskFixture f;
    f.signInAs(f.anna);
    f.tap("log.walk_in");
    f.settle();
    const int64_t first = f.newestContactId();
    f.tap("row.details." + idText(first));
    REQUIRE(f.views().contact.isOpen());
    f.ui->frames(2);
    f.views().contact.details().language = "ro";
    f.tap("details.save");
    f.settle();
    f.tap("log.phone");
    f.settle();
    const int64_t second = f.newestContactId();
    REQUIRE(second != first);
    CHECK_FALSE(f.views().contact.isOpen());
    CHECK(f.deskText("SELECT language FROM contact WHERE id = " + idText(first)) == "ro");
    CHECK(f.deskText("SELECT language FROM contact WHERE id = " + idText(second)) == kLanguageNotAsked);
    // The list and the details say "not asked" in words, never the code.
    CHECK(f.d->tr("language.not_asked") != "language.not_asked");
}

TEST_CASE("a contact cannot lie in the future, whoever logs it") {
    StaffedStore st;
    NewContact c;
    c.when.at = unixFromLocal("2030-06-01", 12 * 60);
    CHECK_ERROR(logContact(st.s, st.annaActor(), c), ErrorKind::InvalidInput, "when.future");
    CHECK_ERROR(logContact(st.s, Actor::cli(), c), ErrorKind::InvalidInput, "when.future");
    CHECK(countOf(st.s, "SELECT count(*) FROM contact") == 0);
    // A minute ahead is the future too, and so is an undo dated ahead.
    c.when.at = nowUnix() + 60;
    CHECK_ERROR(logContact(st.s, st.annaActor(), c), ErrorKind::InvalidInput, "when.future");
    const LoggedContact now = logContact(st.s, st.annaActor(), NewContact{});
    CHECK_ERROR(undoContact(st.s, st.annaActor(), now.id, When{nowUnix() + 3600}), ErrorKind::InvalidInput,
                "when.future");
    CHECK(countOf(st.s, "SELECT count(*) FROM contact") == 1);
}

TEST_CASE("a forgotten contact is back-dated: desk staff a week, a coordinator further, audited with both times") {
    StaffedStore st;
    const int64_t bo = st.addBo();
    const int64_t now = nowUnix();
    NewContact c;
    c.when.at = now - 8 * kDay;
    CHECK_ERROR(logContact(st.s, Actor::staff(bo), c), ErrorKind::InvalidInput, "when.too_old");
    c.when.at = now - 6 * kDay;
    const LoggedContact ok = logContact(st.s, Actor::staff(bo), c);
    CHECK(countOf(st.s, "SELECT day = '" + localDay(now - 6 * kDay) + "' FROM contact WHERE id = " + idText(ok.id)) == 1);
    const auto rows = auditOf(st.s, "contact", ok.id);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at >= now);
    CHECK(rows[0].detail.find("at=" + std::to_string(now - 6 * kDay)) != std::string::npos);
    c.when.at = now - 30 * kDay;
    CHECK(logContact(st.s, st.annaActor(), c).id > 0);

    // Logged with one tap now, it happened yesterday: the details move it, audited.
    const LoggedContact tapped = logContact(st.s, Actor::staff(bo), NewContact{});
    ContactDetails details;
    details.when.at = now - kDay;
    updateContactDetails(st.s, Actor::staff(bo), tapped.id, details);
    CHECK(countOf(st.s, "SELECT at FROM contact WHERE id = " + idText(tapped.id)) == now - kDay);
    details.when.at = now + kDay;
    CHECK_ERROR(updateContactDetails(st.s, Actor::staff(bo), tapped.id, details), ErrorKind::InvalidInput, "when.future");
}

TEST_CASE("desk staff undo their own contacts — a coordinator anyone's") {
    StaffedStore st;
    const int64_t bo = st.addBo();
    const LoggedContact annas = logContact(st.s, st.annaActor(), NewContact{});
    const LoggedContact bos = logContact(st.s, Actor::staff(bo), NewContact{});
    CHECK_ERROR(undoContact(st.s, Actor::staff(bo), annas.id), ErrorKind::InvalidInput, "undo.not_yours");
    CHECK(undoContact(st.s, Actor::staff(bo), bos.id) > 0);
    const LoggedContact bos2 = logContact(st.s, Actor::staff(bo), NewContact{});
    CHECK(undoContact(st.s, st.annaActor(), bos2.id) > 0);
}

} // TEST_SUITE
