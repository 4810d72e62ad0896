// The today view (see today_view.hpp).
#include "today_view.hpp"

#include "desk.hpp"
#include "views.hpp"

#include "core/base/clock.hpp"
#include "core/i18n/i18n.hpp"
#include "ui/fonts.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <cfloat>
#include <cmath>

namespace inloop::desk {

const char* channelIcon(std::string_view channel) {
    if (channel == "walk_in") return ui::icon::Person;
    if (channel == "phone") return ui::icon::Call;
    if (channel == "email") return ui::icon::Email;
    if (channel == "outreach_street") return ui::icon::Place;
    return ui::icon::Chat;
}

std::string channelLabel(Desk& d, std::string_view channel) { return d.tr("channel." + std::string(channel)); }

std::string languageLabel(Desk& d, const std::string& code) {
    if (code == core::kLanguageNotAsked) return d.tr("language.not_asked");
    return core::languageNameIn(code, d.lang());
}

std::string undoableLabel(Desk& d, const core::UndoableAction& a) {
    if (a.entity == "contact") return channelLabel(d, a.what);
    if (a.entity == "stock_move") return a.what + " · " + d.tr("supplies.kind." + a.kind);
    return d.tr("audit.action." + a.kind) + " · " + a.what;
}

std::string undoableLine(Desk& d, const core::UndoableAction& a) {
    // A back-dated entry lies on another day: its date then, and its year when that is not this one.
    const std::string today = core::localDay(core::nowUnix()), day = core::localDay(a.at);
    const char* skeleton = day == today ? "HHmm" : day.substr(0, 4) == today.substr(0, 4) ? "dMMMHHmm" : "yMMMdHHmm";
    return core::formatDateTime(d.lang(), a.at, skeleton) + " " + undoableLabel(d, a);
}

std::string undoableId(const core::UndoableAction& a) {
    // A stay can have a check-in and a check-out on the list at once: bed actions are told apart by their kind.
    const bool bed = a.entity == "stay" || a.entity == "reservation";
    return "undo." + a.entity + "." + std::to_string(a.id) + (bed ? "." + a.kind : std::string());
}

namespace {
void undoAction(core::Store& s, const core::Actor& actor, const core::UndoableAction& a) {
    if (a.entity == "contact") core::undoContact(s, actor, a.id);
    else if (a.entity == "stock_move") core::undoStockMove(s, actor, a.id);
    else if (a.kind == "check_in") core::undoCheckIn(s, actor, a.id);
    else if (a.kind == "check_out") core::undoCheckOut(s, actor, a.id);
    else if (a.kind == "move") core::undoMove(s, actor, a.id);
    else if (a.kind == "reserve") core::undoReservation(s, actor, a.id);
}
} // namespace

void TodayView::logContact(Desk& d, core::Channel channel) {
    core::NewContact c;
    c.channel = channel;
    const core::Actor actor = d.actor();
    auto logged = std::make_shared<core::LoggedContact>();
    d.write([c, actor, logged](core::Store& s) { *logged = core::logContact(s, actor, c); },
            [&d, logged, channel, actor] {
                // The desk may have locked meanwhile: no undo or details for whoever signs in next.
                if (!stillSignedIn(d, actor)) return;
                const int64_t id = logged->id;
                d.toast(d.tr("today.logged", {{"channel", channelLabel(d, core::word(channel))}}), false,
                        [&d, id, actor] {
                            if (!stillSignedIn(d, actor)) return;
                            d.write([actor, id](core::Store& s) { core::undoContact(s, actor, id); },
                                    [&d] { d.toast(d.tr("today.undone")); });
                        },
                        [&d, id, actor] {
                            if (stillSignedIn(d, actor)) d.views().contact.open(d, id);
                        });
            });
}

void TodayView::channelButtons(Desk& d) {
    const core::Channel channels[] = {core::Channel::WalkIn, core::Channel::Phone, core::Channel::Email,
                                      core::Channel::OutreachStreet, core::Channel::OutreachOnline};
    const char* hotkeys[] = {"W", "T", "E", "S", "O"};
    const int scancodes[] = {SDL_SCANCODE_W, SDL_SCANCODE_T, SDL_SCANCODE_E, SDL_SCANCODE_S, SDL_SCANCODE_O};
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float avail = ImGui::GetContentRegionAvail().x;
    // The walk-in button is the biggest (it is pressed most), but not at the cost of the others' labels: each of
    // them gets the width its label needs on two lines ("Veldwerk / online (O)"), or ui::button draws it smaller.
    // At most an equal share; a label that still does not fit leaves its icon out (the words matter more).
    // The key that logs it stands in the button's corner, not in its label: "Online outreach" then keeps its icon.
    const auto label = [&](int i) { return channelLabel(d, core::word(channels[i])); };
    const auto twoLines = [&](int i, float room) {
        return ui::layoutRuns({{label(i), ui::fonts().bold}}, d.lang(), room).size() <= 2;
    };
    const float iconRoom = ui::fonts().body->CalcTextSizeA(40, FLT_MAX, 0, ui::icon::Chat).x + 12; // as ui::button
    const float share = (avail - gap * 4) / 5;
    float rest = (avail - avail * 0.28f - gap * 4) / 4;
    for (int i = 1; i < 5; ++i)
        while (rest < share && !twoLines(i, rest - 36 - iconRoom)) rest = std::min(share, rest + 8);
    rest = std::floor(rest);
    const float first = avail - rest * 4 - gap * 4;
    const bool typing = ImGui::GetIO().WantTextInput || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
    for (int i = 0; i < 5; ++i) {
        if (i) ImGui::SameLine();
        const std::string word(core::word(channels[i]));
        const bool icon = i == 0 || twoLines(i, rest - 36 - iconRoom);
        if (!icon) ui::widgetRects().record("log." + word + ".no_icon", ImRect()); // the tests' way to know
        const bool tapped = ui::button("log." + word, icon ? channelIcon(word) : nullptr, label(i),
                                       ImVec2(i == 0 ? first : rest, 110), i == 0 ? ui::Tone::Primary : ui::Tone::Surface,
                                       d.lang());
        {
            const ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
            const ImVec2 size = ui::fonts().bold->CalcTextSizeA(ui::fonts().bold->FontSize, FLT_MAX, 0, hotkeys[i]);
            const ImVec2 at(r.Max.x - size.x - 14, r.Min.y + 8);
            ImGui::GetWindowDrawList()->AddText(ui::fonts().bold, ui::fonts().bold->FontSize, at,
                                                i == 0 ? ui::theme().onPrimary : ui::theme().muted,
                                                hotkeys[i]);
            ui::widgetRects().record("log." + word + ".key", ImRect(at, ImVec2(at.x + size.x, at.y + size.y)));
        }
        const bool key = !typing && !ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(scancodes[i], false);
        if (tapped || key) logContact(d, channels[i]);
    }
}

void TodayView::contactTable(Desk& d, float height) {
    const ui::Theme& t = ui::theme();
    const auto& rows = d.today().contacts;
    if (rows.empty()) {
        ui::iconText(ui::icon::Info, d.tr("today.empty"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    // Alternating rows, no lines (as in the audit log): wrapped cells draw their own text, which the table's
    // per-column row lines would be cut under.
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("###contacts", 7, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(d.tr("col.time").c_str(), ImGuiTableColumnFlags_WidthFixed, 70);
    ImGui::TableSetupColumn(d.tr("col.channel").c_str(), ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn(d.tr("col.who").c_str(), ImGuiTableColumnFlags_WidthStretch, 1.5f); // "Portuguese" unbroken
    ImGui::TableSetupColumn(d.tr("col.topics").c_str(), ImGuiTableColumnFlags_WidthStretch, 1.7f);
    ImGui::TableSetupColumn(d.tr("col.code").c_str(), ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn(d.tr("col.staff").c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 132); // two icon buttons
    ImGui::TableHeadersRow();
    // Cells wrap between words (ICU), never inside one: "Veldwerk online" becomes two lines, not "Veldwer k".
    const auto cell = [&](const std::string& text, ImU32 color) {
        ImGui::TableNextColumn();
        ui::textWrapped(text, d.lang(), ui::fonts().body, color);
    };
    for (const auto& r : rows) {
        ImGui::TableNextRow(0, 56);
        ImGui::PushID(static_cast<int>(r.id));
        const ImU32 color = r.undone ? t.muted : t.text;
        cell(core::formatDateTime(d.lang(), r.at, "HHmm"), color);
        cell(channelLabel(d, r.channel) + (r.undone ? " · " + d.tr("today.is_undone") : ""), color);
        cell(d.tr("gender." + r.gender) + " · " + languageLabel(d, r.language), color);
        std::string topics;
        for (const auto& tp : r.topics) topics += (topics.empty() ? "" : ", ") + d.tr("topic." + tp);
        if (r.handouts > 0) topics += (topics.empty() ? "" : " · ") + d.tr("today.handouts", {{"count", int64_t{r.handouts}}});
        cell(topics, color);
        cell(!r.hasCode    ? "—"
             : r.firstEver ? d.tr("today.new")
                           : d.tr("today.known", {{"visit", int64_t{r.visitsThisYear}}}),
             color);
        cell(r.staffName, color);
        ImGui::TableNextColumn();
        if (!r.undone) {
            if (ui::button("row.details." + std::to_string(r.id), ui::icon::Edit, "", ImVec2(60, 44), ui::Tone::Quiet,
                           d.lang()))
                d.views().contact.open(d, r.id);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.tr("common.details").c_str());
            ImGui::SameLine();
            const bool undo = ui::button("row.undo." + std::to_string(r.id), ui::icon::Undo, "", ImVec2(60, 44),
                                         ui::Tone::Quiet, d.lang());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.tr("common.undo").c_str());
            if (undo) {
                const core::Actor a = d.actor();
                const int64_t id = r.id;
                d.write([a, id](core::Store& s) { core::undoContact(s, a, id); }, [&d] { d.toast(d.tr("today.undone")); });
            }
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
}

void TodayView::sidePanel(Desk& d) {
    const ui::Theme& t = ui::theme();
    ui::textWrapped(d.tr("today.low_stock"), d.lang(), ui::fonts().heading, t.text);
    const bool opening = openingStockMissing(d.stock()); // a new site: one prompt, not an alarm per item
    if (opening) ui::iconText(ui::icon::Info, d.tr("supplies.opening_stock"), ui::fonts().body, t.primary, d.lang());
    if (!opening && d.today().lowStock.empty())
        ui::iconText(ui::icon::Check, d.tr("today.stock_ok"), ui::fonts().body, t.success, d.lang());
    for (const auto& s : d.today().lowStock)
        if (!opening) ui::iconText(ui::icon::Warning,
                     d.tr("today.low_item", {{"item", s.name}, {"stock", s.stock}, {"min", s.minStock}}),
                     ui::fonts().body, t.danger, d.lang());
    ImGui::Dummy(ImVec2(0, 8));
    ui::textWrapped(d.tr("today.your_actions"), d.lang(), ui::fonts().heading, t.text);
    if (d.undoable().empty()) ui::textWrapped(d.tr("today.no_actions"), d.lang(), ui::fonts().body, t.muted);
    int shown = 0;
    for (const auto& a : d.undoable()) {
        if (++shown > 6) break;
        const std::string id = undoableId(a);
        ImGui::PushID(id.c_str());
        if (ui::button(id, ui::icon::Undo, undoableLine(d, a),
                       ImVec2(ImGui::GetContentRegionAvail().x, 58), ui::Tone::Quiet, d.lang())) { // two lines fit
            const core::Actor actor = d.actor();
            d.write([actor, a](core::Store& s) { undoAction(s, actor, a); },
                    [&d] {
                        d.views().beds.reload(d);
                        d.toast(d.tr("today.undone"));
                    });
        }
        ImGui::PopID();
    }
}

void TodayView::draw(Desk& d) {
    const ui::Theme& t = ui::theme();
    ui::textWrapped(d.tr("today.title", {{"date", core::formatDateTime(d.lang(), core::nowUnix(), "EEEEdMMMM")}}),
                    d.lang(), ui::fonts().title, t.primary);
    channelButtons(d);
    // Today's counters.
    std::string counts;
    int total = 0;
    for (const char* ch : {"walk_in", "phone", "email", "outreach_street", "outreach_online"}) {
        auto it = d.today().counts.find(ch);
        const int n = it == d.today().counts.end() ? 0 : it->second;
        total += n;
        counts += (counts.empty() ? "" : "   ·   ") + channelLabel(d, ch) + ": " + std::to_string(n);
    }
    ui::iconText(ui::icon::Chart, d.tr("today.total", {{"count", int64_t{total}}}) + "   —   " + counts, ui::fonts().bold,
                 t.text, d.lang());
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float side = std::min(300.0f, avail.x * 0.25f);
    ImGui::BeginChild("###list", ImVec2(avail.x - side - ImGui::GetStyle().ItemSpacing.x, avail.y));
    contactTable(d, ImGui::GetContentRegionAvail().y);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("###side", ImVec2(side, avail.y));
    sidePanel(d);
    ImGui::EndChild();
}

} // namespace inloop::desk
