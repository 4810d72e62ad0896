// Correcting a staff name through the domain API (issue 17, item 20): coordinators only, never a colleague's
// name, audited with the old and the new name; the account and what it did stay.
#include "desk_fixture.hpp"

using namespace inloop;
using namespace inloop::core;
using namespace inloop::test;

TEST_SUITE("desk") {

TEST_CASE("renameStaff: a coordinator corrects a name, audited — a taken or empty name and a desk role are refused") {
    StaffedStore t;
    const int64_t bo = t.addBo();
    renameStaff(t.s, t.annaActor(), bo, "Bo de Vries");
    CHECK(findStaff(t.s, bo)->name == "Bo de Vries");
    const auto rows = auditOf(t.s, "staff", bo);
    REQUIRE_FALSE(rows.empty());
    CHECK(rows.front().action == "rename");
    CHECK(rows.front().detail.find("Bo") != std::string::npos);
    CHECK(rows.front().detail.find("Bo de Vries") != std::string::npos);
    // She signs in as before: the PIN belongs to the account, not to the name.
    CHECK(signIn(t.s, bo, kDeskPin).ok);

    CHECK_ERROR(renameStaff(t.s, t.annaActor(), bo, "Anna"), ErrorKind::Conflict, "staff.exists");
    CHECK_ERROR(renameStaff(t.s, t.annaActor(), bo, ""), ErrorKind::InvalidInput, "staff.name");
    CHECK_ERROR(renameStaff(t.s, Actor::staff(bo), t.anna, "Anne"), ErrorKind::InvalidInput, "role");
    CHECK(findStaff(t.s, bo)->name == "Bo de Vries");
    CHECK(findStaff(t.s, t.anna)->name == "Anna");
    // The same name again changes nothing and writes no audit row.
    const size_t before = auditOf(t.s, "staff", bo).size();
    renameStaff(t.s, t.annaActor(), bo, "Bo de Vries");
    CHECK(auditOf(t.s, "staff", bo).size() == before);
}

} // TEST_SUITE
