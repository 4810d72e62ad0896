// Staff through the domain API: PIN lockout over time, roles, the last coordinator, and the audit trail.
#include "desk_fixture.hpp"

using namespace inloop;
using namespace inloop::core;
using namespace inloop::test;

namespace {
constexpr int64_t kT0 = 1'900'000'000; // a fixed "now" for the lockout clock
constexpr const char* kWrong = "0000";
} // namespace

TEST_SUITE("desk") {

TEST_CASE("five wrong PINs lock for 30 s - a right PIN is refused during the lock and works after it") {
    StaffedStore t;
    const int64_t bo = t.addBo();
    for (int i = 1; i <= 4; ++i) {
        const SignInResult r = signIn(t.s, bo, kWrong, kT0 + i);
        CHECK_FALSE(r.ok);
        CHECK(r.failures == i);
        CHECK(r.lockedUntil == 0);
    }
    const SignInResult fifth = signIn(t.s, bo, kWrong, kT0 + 5);
    CHECK_FALSE(fifth.ok);
    CHECK(fifth.failures == 5);
    CHECK(fifth.lockedUntil == kT0 + 5 + 30);
    CHECK(findStaff(t.s, bo)->lockedUntil == kT0 + 35);

    // The right PIN, 29 s later: still locked, and not counted as a miss.
    const SignInResult during = signIn(t.s, bo, kDeskPin, kT0 + 34);
    CHECK_FALSE(during.ok);
    CHECK(during.lockedUntil == kT0 + 35);
    CHECK(during.failures == 5);

    // Once the 30 s are over it works, and everything is forgiven.
    const SignInResult after = signIn(t.s, bo, kDeskPin, kT0 + 35);
    CHECK(after.ok);
    CHECK(after.failures == 0);
    CHECK(findStaff(t.s, bo)->lockedUntil == 0);
    const SignInResult missAgain = signIn(t.s, bo, kWrong, kT0 + 40);
    CHECK(missAgain.failures == 1);
    CHECK(missAgain.lockedUntil == 0);
    // Another member is not affected by Bo's misses.
    CHECK(signIn(t.s, t.anna, kCoordinatorPin, kT0 + 6).ok);
}

TEST_CASE("every wrong PIN after a lock doubles it: 60 s after the sixth, never more than an hour") {
    StaffedStore t;
    const int64_t bo = t.addBo();
    int64_t now = kT0;
    for (int i = 0; i < 5; ++i) signIn(t.s, bo, kWrong, ++now);
    CHECK(findStaff(t.s, bo)->lockedUntil == now + 30);

    // A wrong PIN during the lock is not even checked: the lock stays as it was.
    const SignInResult ignored = signIn(t.s, bo, kWrong, now + 10);
    CHECK(ignored.lockedUntil == now + 30);
    CHECK(ignored.failures == 5);

    now += 30;
    const SignInResult sixth = signIn(t.s, bo, kWrong, now);
    CHECK(sixth.failures == 6);
    CHECK(sixth.lockedUntil == now + 60);
    int64_t expected = 60;
    for (int miss = 7; miss <= 13; ++miss) {
        now += expected;
        expected = std::min<int64_t>(expected * 2, 3600);
        const SignInResult r = signIn(t.s, bo, kWrong, now);
        CAPTURE(miss);
        CHECK(r.failures == miss);
        CHECK(r.lockedUntil == now + expected);
    }
    CHECK(expected == 3600);
    // A coordinator's new PIN unlocks at once.
    setStaffPin(t.s, t.annaActor(), bo, "2468");
    CHECK(findStaff(t.s, bo)->lockedUntil == 0);
    CHECK(signIn(t.s, bo, "2468", now + 1).ok);
    CHECK_FALSE(signIn(t.s, bo, kDeskPin, now + 2).ok);
}

TEST_CASE("the first staff member must be a coordinator") {
    TempStore temp;
    Store s = temp.open();
    CHECK_ERROR(addStaff(s, Actor::system(), "Bo", Role::Desk, kDeskPin), ErrorKind::InvalidInput, "staff.first");
    CHECK_ERROR(addStaff(s, Actor::system(), "Bo", Role::Shelter, kDeskPin), ErrorKind::InvalidInput, "staff.first");
    CHECK(listStaff(s, false).empty());
    const int64_t anna = addStaff(s, Actor::system(), "Anna", Role::Coordinator, kCoordinatorPin);
    const auto staff = listStaff(s);
    REQUIRE(staff.size() == 1);
    CHECK(staff[0].id == anna);
    CHECK(staff[0].role == Role::Coordinator);
    // The PIN is stored as an argon2id hash, never as typed.
    CHECK(s.db().queryText("SELECT pin_hash FROM staff").rfind("$argon2id$", 0) == 0);
    CHECK(countOf(s, "SELECT count(*) FROM staff WHERE pin_hash LIKE '%4646%'") == 0);
}

TEST_CASE("a desk-role member cannot add staff or change anyone: the error is \"role\"") {
    StaffedStore t;
    const int64_t bo = t.addBo();
    const Actor boActor = Actor::staff(bo);
    const int64_t audits = countOf(t.s, "SELECT count(*) FROM audit_log");
    CHECK_ERROR(addStaff(t.s, boActor, "Cas", Role::Desk, "5555"), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(setStaffRole(t.s, boActor, bo, Role::Coordinator), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(setStaffActive(t.s, boActor, t.anna, false), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(setStaffPin(t.s, boActor, t.anna, "9999"), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(requireRole(t.s, boActor, {Role::Coordinator}), ErrorKind::InvalidInput, "role");
    // The kiosk and an unnamed staff actor are no coordinators either.
    CHECK_ERROR(addStaff(t.s, Actor::kiosk(), "Cas", Role::Desk, "5555"), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(addStaff(t.s, Actor{Actor::Kind::Staff, std::nullopt}, "Cas", Role::Desk, "5555"),
                     ErrorKind::InvalidInput, "role");
    CHECK(listStaff(t.s).size() == 2);
    CHECK(findStaff(t.s, bo)->role == Role::Desk);
    CHECK(findStaff(t.s, t.anna)->active);
    CHECK(countOf(t.s, "SELECT count(*) FROM audit_log") == audits);
    CHECK(signIn(t.s, t.anna, kCoordinatorPin, kT0).ok); // her PIN was not changed

    // A deactivated coordinator is no coordinator any more.
    const int64_t cas = addStaff(t.s, t.annaActor(), "Cas", Role::Coordinator, "5555");
    setStaffActive(t.s, t.annaActor(), cas, false);
    CHECK_ERROR(addStaff(t.s, Actor::staff(cas), "Dee", Role::Desk, "6666"), ErrorKind::InvalidInput, "role");
    CHECK_ERROR(signIn(t.s, cas, "5555", kT0), ErrorKind::Conflict, "staff.inactive");
    // Bo may do desk work.
    requireRole(t.s, boActor, {Role::Desk, Role::Coordinator});
}

TEST_CASE("the last active coordinator cannot be deactivated or demoted") {
    StaffedStore t;
    const int64_t bo = t.addBo();
    CHECK_ERROR(setStaffActive(t.s, t.annaActor(), t.anna, false), ErrorKind::Conflict, "staff.last_coordinator");
    CHECK_ERROR(setStaffRole(t.s, t.annaActor(), t.anna, Role::Desk), ErrorKind::Conflict, "staff.last_coordinator");
    CHECK_ERROR(setStaffRole(t.s, Actor::cli(), t.anna, Role::Shelter), ErrorKind::Conflict,
                     "staff.last_coordinator");
    CHECK(findStaff(t.s, t.anna)->active);
    CHECK(findStaff(t.s, t.anna)->role == Role::Coordinator);

    // With a second coordinator, Anna may step down; then Bo is the last one.
    setStaffRole(t.s, t.annaActor(), bo, Role::Coordinator);
    setStaffRole(t.s, t.annaActor(), t.anna, Role::Desk);
    CHECK(findStaff(t.s, t.anna)->role == Role::Desk);
    CHECK_ERROR(setStaffActive(t.s, Actor::staff(bo), bo, false), ErrorKind::Conflict, "staff.last_coordinator");
    // An inactive coordinator does not count as the other one.
    const int64_t cas = addStaff(t.s, Actor::staff(bo), "Cas", Role::Coordinator, "5555");
    setStaffActive(t.s, Actor::staff(bo), cas, false);
    CHECK_ERROR(setStaffRole(t.s, Actor::staff(bo), bo, Role::Desk), ErrorKind::Conflict, "staff.last_coordinator");
    CHECK(findStaff(t.s, bo)->role == Role::Coordinator);
    const auto active = listStaff(t.s);
    CHECK(std::count_if(active.begin(), active.end(), [](const StaffMember& m) { return m.role == Role::Coordinator; }) == 1);
    CHECK(listStaff(t.s, false).size() == 3);
}

TEST_CASE("every change at the desk adds an audit row naming the staff member") {
    StaffedStore t;
    const int64_t bo = t.addBo();
    const Actor boActor = Actor::staff(bo);
    const auto lastAudit = [&] {
        const auto rows = loadAudit(t.s, 1);
        REQUIRE(rows.size() == 1);
        return rows.front();
    };
    const auto expectAudit = [&](const char* action, const char* entity, int64_t record, const char* who) {
        const AuditRow a = lastAudit();
        CAPTURE(action);
        CHECK(a.action == action);
        CHECK(a.entity == entity);
        CHECK(a.recordId == record);
        CHECK(a.actor == "staff");
        CHECK(a.staffName == who);
    };

    expectAudit("add", "staff", bo, "Anna");
    NewContact c;
    const int64_t contact = logContact(t.s, boActor, c).id;
    expectAudit("log", "contact", contact, "Bo");
    ContactDetails details;
    details.gender = Gender::Woman;
    details.clientCode = "AUD1T";
    updateContactDetails(t.s, boActor, contact, details);
    expectAudit("details", "contact", contact, "Bo");
    undoContact(t.s, boActor, contact);
    expectAudit("undo", "contact", contact, "Bo");

    const int64_t item = itemId(t.s, "condom_m");
    StockChange delivery;
    delivery.itemId = item;
    delivery.kind = StockKind::Delivery;
    delivery.quantity = 50;
    const int64_t move = moveStock(t.s, boActor, delivery);
    expectAudit("delivery", "stock_move", move, "Bo");
    StockChange sold;
    sold.itemId = item;
    sold.kind = StockKind::Sale;
    sold.quantity = 2;
    sold.payment = Payment::Cash;
    const int64_t saleId = moveStock(t.s, boActor, sold);
    expectAudit("sale", "stock_move", saleId, "Bo");
    undoStockMove(t.s, boActor, saleId);
    expectAudit("undo", "stock_move", saleId, "Bo");

    setStaffRole(t.s, t.annaActor(), bo, Role::Shelter);
    expectAudit("role", "staff", bo, "Anna");
    setStaffPin(t.s, t.annaActor(), bo, "8642");
    expectAudit("new_pin", "staff", bo, "Anna");
    setStaffActive(t.s, t.annaActor(), bo, false);
    expectAudit("deactivate", "staff", bo, "Anna");
    setStaffActive(t.s, t.annaActor(), bo, true);
    expectAudit("activate", "staff", bo, "Anna");

    // Sign-ins and misses are audited in the name of the account they were for.
    signIn(t.s, bo, kWrong, kT0);
    expectAudit("wrong_pin", "staff", bo, "Bo");
    signIn(t.s, bo, "8642", kT0 + 1);
    expectAudit("sign_in", "staff", bo, "Bo");
    for (int i = 0; i < 5; ++i) signIn(t.s, bo, kWrong, kT0 + 2 + i);
    expectAudit("locked", "staff", bo, "Bo");

    // Nothing in the log carries the visitor code or a PIN.
    for (const auto& a : loadAudit(t.s, 1000)) {
        CAPTURE(a.detail);
        CHECK(a.detail.find("AUD1T") == std::string::npos);
        CHECK(a.detail.find("8642") == std::string::npos);
        CHECK(a.detail.find(kDeskPin) == std::string::npos);
    }
    // And it cannot be rewritten.
    CHECK_THROWS(t.s.db().exec("DELETE FROM audit_log"));
    CHECK_THROWS(t.s.db().exec("UPDATE audit_log SET detail = ''"));
}

} // TEST_SUITE
