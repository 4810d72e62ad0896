// The front-desk tour: every view in nl and en, rendered offscreen to DIR/<lang>/<view>.png.
#include "desk.hpp"
#include "views.hpp"

#include "core/base/clock.hpp"
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
        std::optional<int64_t> contactId;
        if (!m_today.contacts.empty()) contactId = m_today.contacts.front().id;
        for (const auto& a : m_undoable) // a day without contacts yet (a weekend): one of hers from earlier
            if (!contactId && a.entity == "contact") contactId = a.id;
        if (contactId) {
            m_views->contact.open(*this, *contactId);
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
        go(View::Site);
        waitForWorker();
        shoot(lang, "site_facts");
        go(View::Offsite);
        waitForWorker();
        shoot(lang, "offsite");
        {
            // What a coordinator sees on a bad morning: last night's upload failed, a partner's feed broke;
            // and the recovery phrase dialog (a made-up phrase: the tour never changes the store's key).
            const NetStatus saved = m_net;
            const int64_t night = core::unixFromLocal(core::localDay(core::nowUnix()), 3 * 60 + 2);
            core::offsite::Run failed;
            failed.startedAt = night;
            failed.finishedAt = night + 40;
            failed.trigger = "nightly";
            failed.status = "failed";
            failed.reason = "upload";
            failed.message = "HTTP 507 Insufficient Storage";
            m_net.last = failed;
            m_net.lastOk = night - 86400;
            m_net.feedProblems = 1;
            OffsiteView::Data sample = m_views->offsite.data();
            sample.settings.url = "https://cloud.example.nl/remote.php/dav/files/spot46/inloop/";
            sample.settings.user = "spot46";
            sample.settings.publicKeyHex = std::string(64, 'a');
            sample.passwordSet = true;
            core::offsite::Run ok = failed;
            ok.startedAt = night - 86400;
            ok.status = "ok";
            ok.message.clear();
            ok.reason.clear();
            ok.bytes = 5'400'000;
            sample.runs = {failed, ok};
            core::calendar::FeedInfo feed;
            feed.serviceName = "Soa/hiv-test";
            feed.url = "https://agenda.partner.example/spot46/soa.ics";
            feed.capacity = 6;
            feed.okAt = night - 3600;
            feed.errorKind = "parse";
            feed.error = "not an iCalendar file";
            core::calendar::FeedInfo skipped = feed;
            skipped.serviceName = "Schuldhulp";
            skipped.url = "https://agenda.partner.example/spot46/schuldhulp.ics";
            skipped.errorKind.clear();
            skipped.error.clear();
            skipped.sessions = 8;
            skipped.warnings = {"The event \"Spreekuur extra\" was left out: it has no start time.",
                                "Times without a time zone were read as Europe/Amsterdam time."};
            sample.feeds = {feed, skipped};
            m_views->offsite.showForTour(sample, "");
            shoot(lang, "offsite_failed");
            m_views->offsite.scrollToCalendars();
            shoot(lang, "offsite_calendars");
            m_views->offsite.showForTour(sample, "7K2M-Q9XD-4TRV-88HC-ZP3N-WJ6E-K0AB-5MSY-D2QF-GX7T-R4NC-H9VP");
            shoot(lang, "offsite_phrase");
            m_views->offsite.closeDialogs();
            ImGui::GetCurrentContext()->OpenPopupStack.resize(0);
            m_net = saved;
        }
        go(View::Beds);
        waitForWorker();
        shoot(lang, "beds_day");
        {
            // The check-in dialog on the emergency bed (with its confirmation when it is the last free one), else
            // on a free bed; on a full night the dialog as it looks all the same (the picture saves nothing).
            const core::BoardView& board = m_views->beds.data();
            std::optional<int64_t> emergency, free, any;
            for (const auto& room : board.rooms)
                for (const auto& b : room.beds) {
                    if (b.emergencyHeld) emergency = b.id;
                    if (b.state == core::BedView::State::Free) free = b.id;
                    if (!any) any = b.id;
                }
            if (const auto bedId = emergency ? emergency : free ? free : any)
                m_views->beds.open(*this, *bedId, BedBoardView::Dialog::CheckIn);
            if (m_views->beds.dialog() != BedBoardView::Dialog::None) {
                m_views->beds.setAlias("Roos");
                shoot(lang, "beds_checkin");
                // Every back-dating row open (a stay forgotten altogether): Save stays on screen, the body scrolls.
                m_views->beds.when().setEarlier(2, 21, 30);
                shoot(lang, "beds_checkin_earlier");
                m_views->beds.setLeftAlready(true);
                m_views->beds.leftWhen().setEarlier(1, 9, 15);
                shoot(lang, "beds_checkin_left");
                m_views->beds.closeDialogs();
                ImGui::GetCurrentContext()->OpenPopupStack.resize(0);
            }
        }
        {
            // A busy night: every bed taken but the emergency bed (the board says so in amber), one resident past
            // her expected departure, one expected next year; then the check-out, move and reservation dialogs.
            // A picture of the demo's board changed in memory: the store is not written.
            const core::BoardView saved = m_views->beds.data();
            core::BoardView busy = saved;
            const std::string today = core::localDay(core::nowUnix());
            core::BedView* last = nullptr;
            std::vector<core::BedView*> taken;
            for (auto& room : busy.rooms)
                for (auto& b : room.beds) {
                    b.emergencyHeld = false;
                    if (b.state == core::BedView::State::Free || b.state == core::BedView::State::Reserved) {
                        b.state = core::BedView::State::Occupied;
                        b.stayId = b.stayId ? b.stayId : std::optional<int64_t>(b.id);
                        b.alias = b.alias.empty() ? "Noor" : b.alias;
                        b.inDay = core::addDays(today, -3);
                    }
                    if (b.state == core::BedView::State::Occupied) taken.push_back(&b);
                    if (b.state != core::BedView::State::OutOfService) last = &b;
                }
            if (last && taken.size() >= 3) {
                last->state = core::BedView::State::Free;
                last->emergencyHeld = true;
                last->stayId.reset();
                last->alias.clear();
                taken.front()->expectedOutDay = core::addDays(today, -2);
                taken.front()->overdue = true;
                taken[1]->expectedOutDay = std::to_string(core::yearOf(today) + 1) + "-01-15";
                busy.free = 1;
                busy.heldForEmergency = 1;
                busy.reserved = 0;
                busy.dueOutToday = {*taken.front()};
                busy.expiringSoon.clear();
                busy.occupied = 0;
                for (const auto& room : busy.rooms)
                    for (const auto& b : room.beds) busy.occupied += b.state == core::BedView::State::Occupied;
                m_views->beds.showForTour(busy);
                shoot(lang, "beds_emergency_only");
                const int64_t resident = taken[1]->id;
                m_views->beds.open(*this, resident, BedBoardView::Dialog::CheckOut);
                shoot(lang, "beds_checkout");
                m_views->beds.closeDialogs();
                m_views->beds.open(*this, resident, BedBoardView::Dialog::Move);
                shoot(lang, "beds_move");
                m_views->beds.closeDialogs();
                m_views->beds.open(*this, last->id, BedBoardView::Dialog::Reserve);
                m_views->beds.setAlias("Iris");
                shoot(lang, "beds_reserve");
                m_views->beds.closeDialogs();
                ImGui::GetCurrentContext()->OpenPopupStack.resize(0);
                m_views->beds.showForTour(saved);
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
