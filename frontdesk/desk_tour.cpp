// The front-desk tour: every view in nl and en, rendered offscreen to DIR/<lang>/<view>.png.
#include "desk.hpp"
#include "views.hpp"

#include "core/clock.hpp"
#include "ui/widgets.hpp"

#include <imgui_internal.h>

namespace inloop::desk {

void Desk::renderTour(const std::filesystem::path& dir) {
    waitForWorker(); // the staff list
    std::optional<core::StaffMember> coordinator, deskMember;
    read<std::vector<core::StaffMember>>([](core::Store& s) { return core::listStaff(s); },
                                         [&](std::vector<core::StaffMember> staff) {
                                             for (const auto& m : staff) {
                                                 if (m.role == core::Role::Coordinator && !coordinator) coordinator = m;
                                                 if (m.role == core::Role::Desk && !deskMember) deskMember = m;
                                             }
                                         });
    waitForWorker();
    const auto shoot = [&](const std::string& lang, const std::string& name) {
        for (int i = 0; i < 3; ++i) {
            m_app.renderFrame([this] { frame(); });
            waitForWorker();
        }
        std::error_code ec;
        std::filesystem::create_directories(dir / lang, ec);
        m_app.savePng(dir / lang / (name + ".png"));
    };
    for (std::string_view langView : core::kDeskLanguages) {
        const std::string lang(langView);
        setLang(lang);
        m_user.reset();
        m_toasts.clear();
        m_views->signIn.reload(*this);
        waitForWorker();
        shoot(lang, "sign_in");
        if (!coordinator) continue;
        m_views->signIn.pick(coordinator->id);
        m_views->signIn.typePin("46");
        shoot(lang, "sign_in_pin");
        signedIn(*coordinator);
        waitForWorker();
        go(View::Today);
        shoot(lang, "today");
        if (!m_today.contacts.empty()) {
            m_views->contact.open(*this, m_today.contacts.front().id);
            shoot(lang, "today_details");
            m_views->contact.close();
            ImGui::GetCurrentContext()->OpenPopupStack.resize(0);
        }
        go(View::Supplies);
        waitForWorker();
        shoot(lang, "supplies");
        go(View::Queue);
        {
            // A day with sessions and people waiting: the coming Tuesday (accountant and GP in the demo).
            std::string day = core::localDay(core::nowUnix());
            do day = core::addDays(day, 1);
            while (core::isoWeekday(day) != 2);
            m_views->queue.setDay(*this, day);
        }
        waitForWorker();
        shoot(lang, "queue");
        go(View::Schedule);
        waitForWorker();
        shoot(lang, "schedule");
        go(View::Staff);
        waitForWorker();
        shoot(lang, "staff");
        go(View::Audit);
        waitForWorker();
        shoot(lang, "audit");
        go(View::Reports);
        waitForWorker();
        shoot(lang, "reports"); // last year, the whole year
        m_views->reports.openMonthPicker();
        shoot(lang, "reports_month_picker");
        m_views->reports.closeDialogs();
        {
            // This year with a month picked: the demo's year of data is mostly in it; the month shows in the chart.
            const int year = core::yearOf(core::localDay(core::nowUnix()));
            m_views->reports.setPeriod(*this, year, 3);
            waitForWorker();
            m_views->reports.scrollTo(ReportsView::Section::Months);
            shoot(lang, "reports_months");
            m_views->reports.setPeriod(*this, year, 0);
            waitForWorker();
            m_views->reports.scrollTo(ReportsView::Section::Languages);
            shoot(lang, "reports_languages");
            m_views->reports.scrollTo(ReportsView::Section::Glossary);
            shoot(lang, "reports_glossary");
            m_views->reports.setPeriod(*this, year - 1, 0);
            m_views->reports.scrollTo(ReportsView::Section::Top);
            waitForWorker();
        }
        go(View::Beds);
        waitForWorker();
        shoot(lang, "beds_day");
        {
            // The check-in dialog on the emergency bed (with its confirmation when it is the last free one).
            const core::BoardView& board = m_views->beds.data();
            for (const auto& room : board.rooms)
                for (const auto& b : room.beds)
                    if (b.emergencyHeld) m_views->beds.open(*this, b.id, BedBoardView::Dialog::CheckIn);
            if (m_views->beds.dialog() != BedBoardView::Dialog::None) {
                m_views->beds.setAlias("Roos");
                shoot(lang, "beds_checkin");
                m_views->beds.closeDialogs();
                ImGui::GetCurrentContext()->OpenPopupStack.resize(0);
            }
        }
        m_views->beds.setNight(true);
        shoot(lang, "beds_night");
        m_views->beds.setNight(false);
        if (deskMember) { // what the desk role sees: states only, no names, no actions
            signedIn(*deskMember);
            go(View::Beds);
            waitForWorker();
            shoot(lang, "beds_desk_role");
            signedIn(*coordinator);
            waitForWorker();
        }
        go(View::Today);
        toast(tr("today.logged", {{"channel", tr("channel.walk_in")}}), false, [] {}, [] {});
        shoot(lang, "today_toast");
        lock();
        waitForWorker();
        shoot(lang, "locked");
    }
}

} // namespace inloop::desk
