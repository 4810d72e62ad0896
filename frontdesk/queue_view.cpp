// The queue view (see queue_view.hpp).
#include "queue_view.hpp"

#include "desk.hpp"

#include "core/base/clock.hpp"
#include "core/i18n/i18n.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <cstring>

namespace inloop::desk {

void sameLineIfRoom(float width, float indent) {
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x >= width) return;
    ImGui::NewLine();
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent);
}

namespace {
std::string timeRange(Desk& d, const core::SessionView& s) {
    const int64_t end = core::unixFromLocal(s.day, std::min(s.endMin, 1439));
    return core::formatDateTime(d.lang(), s.startsAt, "HHmm") + "–" + core::formatDateTime(d.lang(), end, "HHmm");
}
std::string serviceName(Desk& d, const std::string& code) { return d.tr("service." + code); }
} // namespace

void QueueView::reload(Desk& d) {
    if (m_day.empty()) m_day = core::localDay(core::nowUnix());
    if (m_loading) return;
    m_loading = true;
    const std::string day = m_day;
    d.read<core::QueueView>([day](core::Store& s) { return core::loadQueue(s, day); },
                            [this](core::QueueView v) {
                                m_data = std::move(v);
                                m_loading = false;
                            });
    // A failed read arrives as a toast; the next refresh tries again.
    d.worker().post([this](core::Store&) -> core::Worker::Completion { return [this] { m_loading = false; }; });
}

void QueueView::setDay(Desk& d, const std::string& day) {
    m_day = day;
    m_loading = false;
    reload(d);
}

// [SECTION] actions, each with an undo on its toast (a reversing change, audited as "undo")
const core::QueueEntry* QueueView::entry(int64_t registrationId) const {
    for (const auto& qs : m_data.sessions)
        for (const auto& e : qs.entries)
            if (e.id == registrationId) return &e;
    return nullptr;
}

void QueueView::undoStep(Desk& d, const core::Actor& a, int64_t id, const std::string& previous) {
    d.write([a, id, previous](core::Store& s) { core::undoQueueStep(s, a, id, previous); },
            [&d] { d.toast(d.tr("queue.undone")); });
}

void QueueView::setStatus(Desk& d, int64_t id, const std::string& status) {
    const core::Actor a = d.actor();
    const core::QueueEntry* e = entry(id);
    const std::string previous = e ? e->status : "waiting", ticket = e ? e->ticket : std::string();
    d.write(
        [a, id, status](core::Store& s) {
            if (status == "cancelled") core::cancelRegistration(s, a, id);
            else core::setRegistrationStatus(s, a, id, status);
        },
        [this, &d, a, id, status, previous, ticket] {
            d.toast(d.tr("queue.done." + status, {{"ticket", ticket}}), false,
                    [this, &d, a, id, previous] { undoStep(d, a, id, previous); });
        });
}

void QueueView::move(Desk& d, int64_t id, int64_t toSession) {
    const core::Actor a = d.actor();
    const core::QueueEntry* e = entry(id);
    const std::string previous = e ? e->status : "waiting";
    std::string day;
    for (const auto& s : m_data.moveTargets)
        if (s.id == toSession) day = core::formatDateTime(d.lang(), s.startsAt, "EEEEdMMMM");
    auto ticket = std::make_shared<core::Ticket>();
    d.write([a, id, toSession, ticket](core::Store& s) { *ticket = core::moveRegistration(s, a, id, toSession); },
            [this, &d, a, id, previous, day, ticket] {
                d.toast(d.tr("queue.moved", {{"ticket", ticket->code}, {"day", day}}), false,
                        [this, &d, a, id, previous] { undoStep(d, a, id, previous); });
            });
}

void QueueView::undoRegistration(Desk& d, const core::Actor& a, int64_t registrationId) {
    d.write([a, registrationId](core::Store& s) { core::undoDeskRegistration(s, a, registrationId); },
            [&d] { d.toast(d.tr("queue.undone")); });
}

void QueueView::registerAtDesk(Desk& d, int64_t sessionId, const std::string& name, core::RegistrationSource source) {
    const core::Actor a = d.actor();
    std::optional<std::string> callName;
    if (!name.empty()) callName = name;
    auto ticket = std::make_shared<core::Ticket>();
    d.write([=](core::Store& s) { *ticket = core::registerForSession(s, a, sessionId, source, "nl", callName); },
            [this, &d, a, ticket] {
                d.toast(d.tr("queue.registered", {{"ticket", ticket->code}}), false,
                        [this, &d, a, ticket] { undoRegistration(d, a, ticket->registrationId); });
            });
}

void QueueView::serveNow(Desk& d, int64_t sessionId) {
    const core::Actor a = d.actor();
    auto ticket = std::make_shared<core::Ticket>();
    d.write([a, sessionId, ticket](core::Store& st) { *ticket = core::serveWithoutTicket(st, a, sessionId); },
            [this, &d, a, ticket] {
                d.toast(d.tr("queue.served"), false,
                        [this, &d, a, ticket] { undoRegistration(d, a, ticket->registrationId); });
            });
}

std::string QueueView::counts(const Desk& d, const core::QueueSession& qs) {
    // Called is not waiting any more: the two are counted apart.
    return d.tr("queue.counts", {{"capacity", int64_t{qs.session.capacity}},
                                 {"free", int64_t{qs.session.freePlaces}},
                                 {"waiting", int64_t{qs.waiting}},
                                 {"called", int64_t{qs.called}},
                                 {"seen", int64_t{qs.seen}},
                                 {"no_show", int64_t{qs.noShow}}});
}

namespace {
// Why a session is not held: a coordinator's own words as typed, or a stored word in the desk's language.
std::string notHeldReason(const Desk& d, const std::string& reason) {
    if (reason.rfind("holiday:", 0) == 0 && d.hasMessage("holiday." + reason.substr(8)))
        return d.tr("holiday." + reason.substr(8));
    if (reason == "feed:removed") return d.tr("queue.feed_removed");
    return reason;
}
} // namespace

void QueueView::sessionCard(Desk& d, const core::QueueSession& qs) {
    const ui::Theme& t = ui::theme();
    const auto& s = qs.session;
    ImGui::PushID(static_cast<int>(s.id));
    ImGui::Separator();
    const std::string head = serviceName(d, s.service) + " · " + timeRange(d, s) + " · " + d.tr("place." + s.place);
    ui::iconText(ui::icon::Event, head, ui::fonts().heading, t.text, d.lang());
    if (s.status != "planned") {
        ui::iconText(ui::icon::EventBusy, d.tr("queue.not_held", {{"reason", notHeldReason(d, s.reason)}}), ui::fonts().bold, t.danger,
                     d.lang());
    }
    ui::textWrapped(counts(d, qs), d.lang(), ui::fonts().body, t.muted);
    if (s.status == "planned") {
        if (ui::button("queue.register." + std::to_string(s.id), ui::icon::PersonAdd, d.tr("queue.register"),
                       ImVec2(280, 48), ui::Tone::Quiet, d.lang())) {
            m_registerFor = s.id;
            m_name.fill(0);
            m_phone = false;
            m_openRegister = true;
        }
        ImGui::SameLine();
        if (ui::button("queue.serve." + std::to_string(s.id), ui::icon::DoneAll, d.tr("queue.serve_now"), ImVec2(300, 48),
                       ui::Tone::Quiet, d.lang()))
            serveNow(d, s.id);
    }
    if (qs.entries.empty()) ui::textWrapped(d.tr("queue.empty"), d.lang(), ui::fonts().body, t.muted);
    for (const auto& e : qs.entries) {
        ImGui::PushID(static_cast<int>(e.id));
        const bool open = e.status == "waiting" || e.status == "called";
        const ImU32 color = open ? t.text : t.muted;
        ui::Fonts& f = ui::fonts();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (e.status == "called") dl->AddRectFilled(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + 56),
                                                    IM_COL32(0xFF, 0xF1, 0xD6, 0xFF), 10);
        dl->AddText(f.heading, f.heading->FontSize, ImVec2(p.x + 8, p.y + 10), color, e.ticket.c_str());
        std::string info = (e.callName ? *e.callName + " · " : std::string()) + e.language + " · " +
                           d.tr("source." + e.source) + " · " + d.tr("status." + e.status);
        dl->AddText(f.body, f.body->FontSize, ImVec2(p.x + 110, p.y + 16), color, info.c_str());
        ImGui::Dummy(ImVec2(10, 48));
        if (open) {
            // The actions on their own line under the ticket: wide enough for every label.
            const float indent = 24;
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent);
            const std::string id = std::to_string(e.id);
            if (e.status == "waiting" &&
                ui::button("queue.call." + id, ui::icon::Call, d.tr("queue.call"), ImVec2(170, 48), ui::Tone::Primary, d.lang()))
                setStatus(d, e.id, "called");
            if (e.status == "called") ImGui::Dummy(ImVec2(170, 48));
            sameLineIfRoom(170, indent);
            if (ui::button("queue.seen." + id, ui::icon::Check, d.tr("queue.seen"), ImVec2(170, 48), ui::Tone::Surface, d.lang()))
                setStatus(d, e.id, "seen");
            sameLineIfRoom(190, indent);
            if (ui::button("queue.no_show." + id, ui::icon::Block, d.tr("queue.no_show"), ImVec2(190, 48), ui::Tone::Quiet,
                           d.lang()))
                setStatus(d, e.id, "no_show");
            sameLineIfRoom(180, indent);
            if (ui::button("queue.move." + id, ui::icon::ArrowForward, d.tr("queue.move"), ImVec2(180, 48), ui::Tone::Quiet,
                           d.lang())) {
                m_moving = e.id;
                m_movingFrom = s.id;
                m_openMove = true;
            }
            // Spelled out: a touch screen shows no tooltip, and an icon alone does not say "cancel the ticket".
            sameLineIfRoom(170, indent);
            if (ui::button("queue.cancel." + id, ui::icon::Close, d.tr("queue.cancel"), ImVec2(170, 48), ui::Tone::Quiet,
                           d.lang()))
                setStatus(d, e.id, "cancelled");
        }
        ImGui::PopID();
    }
    ImGui::PopID();
}

void QueueView::movePopup(Desk& d) {
    if (m_openMove) {
        ImGui::OpenPopup("###queue_move");
        m_openMove = false;
    }
    ImGui::SetNextWindowSize(ImVec2(700, 560));
    const std::string title = d.tr("queue.move_title") + "###queue_move";
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoResize)) return;
    ImGui::BeginChild("###targets", ImVec2(0, 420));
    if (m_data.moveTargets.empty()) ui::textWrapped(d.tr("queue.no_targets"), d.lang(), ui::fonts().body, ui::theme().muted);
    for (const auto& s : m_data.moveTargets) {
        if (m_movingFrom && s.id == *m_movingFrom) continue; // where the ticket is already
        const std::string label = core::formatDateTime(d.lang(), s.startsAt, "EEEEdMMMM") + " · " + timeRange(d, s) +
                                  " · " + serviceName(d, s.service) + " · " +
                                  d.tr("queue.free", {{"count", int64_t{s.freePlaces}}});
        if (ui::button("queue.move_to." + std::to_string(s.id), nullptr, label, ImVec2(640, 48), ui::Tone::Surface, d.lang()) &&
            m_moving) {
            move(d, *m_moving, s.id);
            m_moving.reset();
            ImGui::CloseCurrentPopup();
        }
    }
    ImGui::EndChild();
    if (ui::button("queue.move_cancel", ui::icon::Close, d.tr("common.cancel") + "  (Esc)", ImVec2(260, 52),
                   ui::Tone::Quiet, d.lang()) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
        m_moving.reset();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void QueueView::registerPopup(Desk& d) {
    if (m_openRegister) {
        ImGui::OpenPopup("###queue_register");
        m_openRegister = false;
    }
    ImGui::SetNextWindowSize(ImVec2(620, 380));
    const std::string title = d.tr("queue.register") + "###queue_register";
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoResize)) return;
    ui::textWrapped(d.tr("queue.name_optional"), d.lang(), ui::fonts().body, ui::theme().muted);
    // On the white dialog a field and a checkbox need the page's colour and a border to show at all.
    ImGui::PushStyleColor(ImGuiCol_FrameBg, ui::toVec4(ui::theme().background));
    ImGui::PushStyleColor(ImGuiCol_Border, ui::toVec4(ui::theme().muted));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
    ImGui::SetNextItemWidth(400);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter = ImGui::InputText("##queue_name", m_name.data(), m_name.size(), ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::Checkbox(d.tr("queue.by_phone").c_str(), &m_phone);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(2);
    ImGui::Dummy(ImVec2(0, 8));
    if (ui::button("queue.register_ok", ui::icon::Check, d.tr("queue.register_ok") + "  (Enter)", ImVec2(280, 56),
                   ui::Tone::Primary, d.lang()) ||
        enter) {
        if (m_registerFor)
            registerAtDesk(d, *m_registerFor, m_name.data(),
                           m_phone ? core::RegistrationSource::Phone : core::RegistrationSource::Desk);
        m_name.fill(0);
        m_registerFor.reset();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ui::button("queue.register_cancel", ui::icon::Close, d.tr("common.cancel") + "  (Esc)", ImVec2(240, 56),
                   ui::Tone::Quiet, d.lang()) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
        m_name.fill(0);
        m_registerFor.reset();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void QueueView::draw(Desk& d) {
    if (m_day.empty()) reload(d);
    const ui::Theme& t = ui::theme();
    ui::textWrapped(d.tr("queue.title"), d.lang(), ui::fonts().title, t.primary);
    if (ui::button("queue.prev", ui::icon::ArrowBack, "", ImVec2(60, 52), ui::Tone::Quiet, d.lang()))
        setDay(d, core::addDays(m_day, -1));
    ImGui::SameLine();
    const std::string dayLabel = m_day.empty() ? "" : core::formatDateTime(d.lang(), core::unixFromLocal(m_day, 720), "EEEEdMMMMy");
    if (ui::button("queue.today", ui::icon::Today, dayLabel, ImVec2(380, 52), ui::Tone::Surface, d.lang()))
        setDay(d, core::localDay(core::nowUnix()));
    ImGui::SameLine();
    if (ui::button("queue.next", ui::icon::ArrowForward, "", ImVec2(60, 52), ui::Tone::Quiet, d.lang()))
        setDay(d, core::addDays(m_day, 1));
    ImGui::BeginChild("###queue_sessions");
    if (m_data.sessions.empty()) ui::iconText(ui::icon::Info, d.tr("queue.no_sessions"), ui::fonts().body, t.muted, d.lang());
    for (const auto& qs : m_data.sessions) sessionCard(d, qs);
    ImGui::EndChild();
    movePopup(d);
    registerPopup(d);
}

} // namespace inloop::desk
