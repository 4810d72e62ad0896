// The consultation hours screen (see hours_screen.hpp).
#include "hours_screen.hpp"

#include "screen.hpp"

#include "core/base/clock.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

namespace inloop::kiosk {

namespace {

std::string languageList(const core::SessionView& s) {
    std::string out;
    for (const auto& l : s.languages) out += (out.empty() ? "" : ", ") + core::nativeLanguageName(l);
    return out;
}

// One session as a card; returns true when "sign up" was tapped. `reading`: Read aloud is saying this hour, and
// the card's background is the highlight (its text stays as readable: 12.6:1).
bool sessionCard(Kiosk& k, const core::SessionView& s, bool reading) {
    const ui::Theme& t = ui::theme();
    ui::Fonts& f = ui::fonts();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const float buttonW = std::min(300.0f, width * 0.3f);
    const float textW = width - buttonW - 72;
    const bool open = s.status == "planned" && s.freePlaces > 0;
    const bool full = s.status == "planned" && s.freePlaces <= 0;
    bool tapped = false;

    ImGui::PushID(static_cast<int>(s.id));
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(start.x + 24, start.y + 18));
    ImGui::BeginGroup();
    ui::drawLines(ui::layoutRuns({{k.serviceName(s.service), f.heading}}, k.lang(), textW), t.text, 1.15f);
    if (const std::string about = k.serviceDescription(s.service); !about.empty())
        ui::drawLines(ui::layoutRuns({{about, f.body}}, k.lang(), textW), t.muted, 1.25f);
    ui::iconText(ui::icon::Time, k.sessionTime(s), f.body, t.text, k.lang(), textW);
    ui::iconText(ui::icon::Place, k.placeName(s.place), f.body, t.text, k.lang(), textW);
    ui::iconText(ui::icon::Translate, k.tr("hours.languages", {{"languages", languageList(s)}}), f.body, t.muted,
                 k.lang(), textW);
    if (s.status != "planned") {
        ui::iconText(ui::icon::EventBusy, k.tr("hours.cancelled") + " — " + k.tr("hours.cancelled_hint"), f.bold,
                     t.danger, k.lang(), textW);
    } else if (full) {
        ui::iconText(ui::icon::Block, k.tr("hours.full") + " — " + k.tr("hours.full_hint"), f.bold, t.danger, k.lang(),
                     textW);
    } else {
        ui::iconText(ui::icon::EventAvailable, k.tr("hours.free_places", {{"count", int64_t{s.freePlaces}}}), f.bold,
                     t.success, k.lang(), textW);
    }
    ImGui::EndGroup();
    const float textBottom = ImGui::GetItemRectMax().y;
    const float cardH = std::max(textBottom - start.y + 18, 150.0f);
    if (open) {
        ImGui::SetCursorScreenPos(ImVec2(start.x + width - buttonW - 20, start.y + (cardH - 96) * 0.5f));
        tapped = ui::button("hours.register." + std::to_string(s.id), ui::icon::PersonAdd, k.tr("hours.sign_up"),
                            ImVec2(buttonW, 96), ui::Tone::Primary, k.lang());
    }
    dl->ChannelsSetCurrent(0);
    const ImU32 edge = open ? t.success : t.danger;
    dl->AddRectFilled(start, ImVec2(start.x + width, start.y + cardH), reading ? t.highlight : t.surface, 16);
    if (reading) ui::widgetRects().record("hours.reading", ImRect(start, ImVec2(start.x + width, start.y + cardH)));
    dl->AddRectFilled(start, ImVec2(start.x + 8, start.y + cardH), edge, 16, ImDrawFlags_RoundCornersLeft);
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(start.x, start.y + cardH + 14));
    ImGui::Dummy(ImVec2(width, 0));
    ImGui::PopID();
    return tapped;
}

// Read aloud: the title, then each hour as one block — its day when the day changes, the service, the time, the
// place and whether there is room — in the order and words of the cards.
std::vector<std::string> spokenSessions(Kiosk& k) {
    std::vector<std::string> texts{k.tr("hours.title")};
    std::string day;
    for (const core::SessionView& s : k.view().sessions) {
        std::string text;
        if (s.day != day) {
            day = s.day;
            text = day == k.view().today ? k.tr("hours.today") : core::formatDateTime(k.lang(), s.startsAt, "EEEEdMMMM");
            text += ", ";
        }
        text += k.serviceName(s.service) + ", " + k.sessionTime(s) + ", " + k.placeName(s.place) + ", ";
        if (s.status != "planned") text += k.tr("hours.cancelled");
        else if (s.freePlaces <= 0) text += k.tr("hours.full");
        else text += k.tr("hours.free_places", {{"count", int64_t{s.freePlaces}}});
        texts.push_back(std::move(text));
    }
    if (k.view().sessions.empty()) texts.push_back(k.tr(k.storageProblem() ? "register.unavailable" : "hours.none"));
    return texts;
}

} // namespace

void HoursScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###hours", area, Scrolling::Inside);
    screenTitle(k, k.tr("hours.title"));
    if (!k.visit().notice.empty()) noteCard(k, ui::icon::Warning, k.noticeText(), ui::theme().danger);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    m_scroll.begin("###sessions", ImVec2(avail.x, avail.y - readAloudSpace(k)));
    const auto& sessions = k.view().sessions;
    // No store: the list is empty because it cannot be read, not because there are no hours.
    if (sessions.empty()) {
        const bool unavailable = k.storageProblem();
        noteCard(k, ui::icon::Info, k.tr(unavailable ? "register.unavailable" : "hours.none"), ui::theme().border,
                 unavailable ? "note.register.unavailable" : "note.hours.none");
    }
    // Read aloud: block 0 is the title, block i the i-th hour (spokenSessions); its card is marked and scrolled to.
    const auto sentence = k.readAloud().sentence();
    const size_t reading = m_tourCard ? *m_tourCard + 1 : sentence ? sentence->block : 0;
    std::string day;
    for (size_t i = 0; i < sessions.size(); ++i) {
        const core::SessionView& s = sessions[i];
        if (s.day != day) {
            day = s.day;
            ImGui::Dummy(ImVec2(0, 4));
            const std::string label = day == k.view().today
                                          ? k.tr("hours.today")
                                          : core::formatDateTime(k.lang(), s.startsAt, "EEEEdMMMM");
            ui::textWrapped(label, k.lang(), ui::fonts().heading, ui::theme().primary);
        }
        const float top = ImGui::GetCursorScreenPos().y;
        if (sessionCard(k, s, reading == i + 1)) k.chooseSession(s);
        if (reading == i + 1 && sentence && k.readAloud().sentenceIndex() != m_revealed) {
            m_revealed = k.readAloud().sentenceIndex();
            if (m_scroll.reveal(top, ImGui::GetCursorScreenPos().y)) k.app().requestRedraw(2);
        }
    }
    if (m_scroll.end()) k.app().requestRedraw(2);
    readAloudButton(k, "hours", avail.x, [&k] { return spokenSessions(k); });
    readAloudNote(k);
    endArea(k);
}

} // namespace inloop::kiosk
