// The desk's queue and schedule views as staff use them (issue 16): undo on every queue step, a labelled cancel,
// called is not waiting, moving offers other sessions and names the day, the extra-session button in reach.
#include "desk/desk_fixture.hpp"

#include <string>

using namespace inloop;
using test::DeskFixture;

namespace {

// Two sessions today (10:00 and 13:00, STI test) and `n` kiosk tickets in the first; the desk on the queue.
struct QueueFixture {
    DeskFixture f;
    std::string today = core::localDay(core::nowUnix());
    int64_t morning = 0, afternoon = 0;
    std::vector<int64_t> tickets;

    explicit QueueFixture(int n = 2) {
        {
            core::Store s = f.open();
            const auto sti = core::findService(s, "sti_test");
            REQUIRE(sti);
            morning = core::addExtraSession(s, core::Actor::cli(), *sti, today, 10 * 60, 11 * 60, 6);
            afternoon = core::addExtraSession(s, core::Actor::cli(), *sti, today, 13 * 60, 14 * 60, 6);
            for (int i = 0; i < n; ++i)
                tickets.push_back(core::registerForSession(s, core::Actor::kiosk(), morning, core::RegistrationSource::Kiosk)
                                      .registrationId);
        }
        f.signInAs(f.anna);
        f.d->go(desk::View::Queue);
        f.settle();
        REQUIRE(f.views().queue.data().sessions.size() == 2);
    }
    std::string status(int64_t id) const {
        return f.deskText("SELECT status FROM registration WHERE id = " + std::to_string(id));
    }
    std::string lastToast() {
        const auto& toasts = f.d->toastsShown();
        REQUIRE_FALSE(toasts.empty());
        return toasts.back().text;
    }
    // Taps the newest toast's Undo.
    void undo() {
        const std::string id = "toast.undo." + std::to_string(f.d->toastsShown().size() - 1);
        REQUIRE(f.ui->visible(id));
        f.tap(id);
        f.settle();
    }
};

} // namespace

TEST_SUITE("queue") {

TEST_CASE("seen, no-show, cancel and call at the desk each get a toast with Undo that puts the ticket back") {
    QueueFixture q(1);
    const int64_t id = q.tickets[0];
    for (const char* action : {"seen", "no_show", "cancel", "call"}) {
        CAPTURE(action);
        q.f.tap("queue." + std::string(action) + "." + std::to_string(id));
        q.f.settle();
        CHECK(q.status(id) != "waiting");
        q.undo();
        CHECK(q.status(id) == "waiting");
        CHECK(q.lastToast() == q.f.d->tr("queue.undone"));
    }
    CHECK(q.f.deskInt("SELECT count(*) FROM audit_log WHERE action = 'undo' AND record_id = " + std::to_string(id)) == 4);
    // ✕ says what it does: a label, not a tooltip a touch screen never shows.
    CHECK(q.f.ui->rect("queue.cancel." + std::to_string(id)).GetWidth() >= 150);
}

TEST_CASE("registering or serving someone at the desk can be undone from its toast") {
    QueueFixture q(0);
    q.f.views().queue.registerAtDesk(*q.f.d, q.morning, "Noor", core::RegistrationSource::Phone);
    q.f.settle();
    CHECK(q.f.deskInt("SELECT count(*) FROM registration") == 1);
    q.undo();
    CHECK(q.f.deskInt("SELECT count(*) FROM registration") == 0);
    q.f.tap("queue.serve." + std::to_string(q.morning));
    q.f.settle();
    CHECK(q.f.deskInt("SELECT count(*) FROM registration WHERE status = 'seen'") == 1);
    q.undo();
    CHECK(q.f.deskInt("SELECT count(*) FROM registration") == 0);
}

TEST_CASE("a called ticket is counted as called, not as waiting") {
    QueueFixture q(2);
    q.f.tap("queue.call." + std::to_string(q.tickets[0]));
    q.f.settle();
    const auto& sessions = q.f.views().queue.data().sessions;
    REQUIRE(sessions[0].session.id == q.morning);
    const std::string line = desk::QueueView::counts(*q.f.d, sessions[0]);
    CAPTURE(line);
    CHECK(line.find("1 waiting") != std::string::npos);
    CHECK(line.find("1 called") != std::string::npos);
}

TEST_CASE("moving a ticket offers only other sessions, the toast names the day, and Undo brings it back") {
    QueueFixture q(1);
    const int64_t id = q.tickets[0];
    q.f.tap("queue.move." + std::to_string(id));
    q.f.ui->frames(2);
    CHECK_FALSE(q.f.ui->visible("queue.move_to." + std::to_string(q.morning)));
    REQUIRE(q.f.ui->visible("queue.move_to." + std::to_string(q.afternoon)));
    q.f.tap("queue.move_to." + std::to_string(q.afternoon));
    q.f.settle();
    CHECK(q.status(id) == "moved");
    const std::string toast = q.lastToast();
    CAPTURE(toast);
    CHECK(toast.find(core::formatDateTime("en", core::unixFromLocal(q.today, 720), "EEEEdMMMM")) != std::string::npos);
    q.undo();
    CHECK(q.status(id) == "waiting");
    CHECK(q.f.deskInt("SELECT count(*) FROM registration") == 1);
}

TEST_CASE("the schedule's add-extra-session button is inside the window, not past its right edge") {
    DeskFixture f;
    f.signInAs(f.anna);
    f.d->go(desk::View::Schedule);
    f.settle();
    const auto& services = f.views().schedule.data().services;
    REQUIRE_FALSE(services.empty());
    f.views().schedule.chooseExceptionService(1);
    f.settle();
    // The same class: every service's edit button lies inside the window too.
    for (const auto& s : services) {
        CAPTURE(s.code);
        CHECK(f.ui->rect("schedule.service.edit." + s.code).Max.x <= static_cast<float>(f.app.width()) - 40); // scrollbar, margin
    }
    REQUIRE(f.ui->visible("schedule.add_extra"));
    const ImRect r = f.ui->rect("schedule.add_extra");
    CHECK(r.Max.x <= static_cast<float>(f.app.width()));
    CHECK(r.Min.x >= 0);
}

} // TEST_SUITE
