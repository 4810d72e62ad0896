// The staff view as a coordinator uses it, offscreen: add a colleague, switch an account off and back on.
#include "desk_fixture.hpp"

using namespace inloop;
using namespace inloop::test;
using desk::View;

TEST_SUITE("desk") {

TEST_CASE("a coordinator adds a desk colleague in the staff view, who can then sign in with her PIN") {
    DeskFixture f;
    f.signInAs(f.anna);
    f.tap("nav.staff");
    f.settle();
    REQUIRE(f.d->view() == View::Staff);
    REQUIRE(f.views().staff.loaded());

    f.tap("staff.add");
    REQUIRE(f.views().staff.mode() == desk::StaffView::Mode::Add);
    f.ui->frames(2);
    f.views().staff.setName("Cas");
    f.tap("staff.dialog.role.desk");
    f.views().staff.setPins("2580", "2589"); // a slip: the two differ
    f.tap("staff.dialog.save");
    f.settle();
    CHECK(f.views().staff.mode() == desk::StaffView::Mode::Add); // still open, saying why
    CHECK(f.views().staff.dialogError() == f.d->tr("staff.pins_differ"));
    CHECK(f.deskInt("SELECT count(*) FROM staff") == 1);

    f.views().staff.setPins("2580", "2580");
    f.tap("staff.dialog.save");
    f.settle();
    CHECK(f.views().staff.mode() == desk::StaffView::Mode::None);
    CHECK(f.views().staff.dialogError().empty());
    REQUIRE(f.deskInt("SELECT count(*) FROM staff WHERE name = 'Cas' AND role = 'desk' AND active = 1") == 1);
    const int64_t cas = f.deskInt("SELECT id FROM staff WHERE name = 'Cas'");
    CHECK(f.deskInt("SELECT count(*) FROM audit_log WHERE action = 'add' AND entity = 'staff' AND record_id = " +
                    std::to_string(cas) + " AND staff_id = " + std::to_string(f.anna)) == 1);
    CHECK(f.ui->visible("staff.pin." + std::to_string(cas)));
    // Anna's own row offers no role change and no switch-off: nobody locks themselves out.
    CHECK(f.ui->visible("staff.pin." + std::to_string(f.anna)));
    CHECK_FALSE(f.ui->visible("staff.role." + std::to_string(f.anna)));
    CHECK_FALSE(f.ui->visible("staff.deactivate." + std::to_string(f.anna)));

    // Cas signs in on the pad with her own PIN and sees no staff view.
    f.tap("nav.lock");
    f.settle();
    f.tap("signin.other");
    f.padSignIn(cas, "2580");
    REQUIRE(f.d->user());
    CHECK(f.d->user()->id == cas);
    CHECK(f.d->user()->role == core::Role::Desk);
    CHECK_FALSE(f.ui->visible("nav.staff"));
}

TEST_CASE("switching an account off in the staff view takes it off the sign-in screen, and the toast undoes it") {
    DeskFixture f(true);
    f.signInAs(f.anna);
    f.tap("nav.staff");
    f.settle();
    const std::string bo = std::to_string(f.bo);
    f.tap("staff.deactivate." + bo);
    f.settle();
    CHECK(f.deskInt("SELECT active FROM staff WHERE id = " + bo) == 0);
    CHECK(f.ui->visible("staff.activate." + bo)); // still listed, switched off
    CHECK(f.deskInt("SELECT count(*) FROM audit_log WHERE action = 'deactivate' AND record_id = " + bo +
                    " AND staff_id = " + std::to_string(f.anna)) == 1);
    REQUIRE(f.ui->visible("toast.undo.0"));

    f.tap("toast.undo.0");
    f.settle();
    CHECK(f.deskInt("SELECT active FROM staff WHERE id = " + bo) == 1);
    CHECK(f.ui->visible("staff.deactivate." + bo));

    // Switched off again, Bo is not on the sign-in screen any more.
    f.tap("staff.deactivate." + bo);
    f.settle();
    f.tap("nav.lock");
    f.settle();
    f.tap("signin.other");
    f.settle();
    CHECK(f.ui->visible("signin.staff." + std::to_string(f.anna)));
    CHECK_FALSE(f.ui->visible("signin.staff." + bo));
}

} // TEST_SUITE
