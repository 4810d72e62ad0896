// The registration steps (see register_screen.hpp).
#include "register_screen.hpp"

#include "screen.hpp"

#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

namespace inloop::kiosk {

namespace {
// The session being registered for, as a short card.
// The session: its service, then its time and place. `reading`: the Read aloud block being heard (1 the service,
// 2 the time and place), drawn with the highlight behind it.
void sessionSummary(Kiosk& k, size_t reading = SIZE_MAX) {
    const auto& s = *k.visit().session;
    ui::Fonts& f = ui::fonts();
    const ui::Theme& t = ui::theme();
    const std::string service = k.serviceName(s.service);
    ui::TextMark mark{0, service.size(), t.highlight};
    ui::textWrapped(service, k.lang(), f.heading, t.text, false, reading == 1 ? &mark : nullptr);
    if (mark.drawn) ui::widgetRects().record("register.reading", ImRect(mark.left, mark.top, mark.right, mark.bottom));
    // Time and place: the band goes behind both rows, drawn under them once their height is known.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 top = ImGui::GetCursorScreenPos();
    if (reading == 2) {
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
    }
    ui::iconText(ui::icon::Time, k.sessionTime(s), f.body, t.text, k.lang());
    ui::iconText(ui::icon::Place, k.placeName(s.place), f.body, t.text, k.lang());
    if (reading == 2) {
        const ImRect band(ImVec2(top.x - 8, top.y - 4), ImVec2(ImGui::GetItemRectMax().x + 8, ImGui::GetItemRectMax().y + 4));
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled(band.Min, band.Max, t.highlight, 6);
        dl->ChannelsMerge();
        ui::widgetRects().record("register.reading", band);
    }
}
} // namespace

void RegisterScreen::drawName(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###register_name", area);
    Visit& v = k.visit();
    screenTitle(k, k.tr("register.name_title"));
    // No input method for Chinese characters: the Latin keys, and a word (in the same lines) that pinyin is fine.
    const bool pinyin = k.lang() == "zh";
    ui::textWrapped(k.tr("register.name_hint") + (pinyin ? k.tr("register.pinyin_hint") : std::string()), k.lang(),
                    ui::fonts().body, ui::theme().muted);
    if (pinyin) ui::widgetRects().record("register.pinyin_hint", ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()));
    ImGui::Dummy(ImVec2(0, 8));
    actionsAtBottom(area, m_inputHeight); // portrait: the field and keys where the thumbs are
    const float inputTop = ImGui::GetCursorPosY();

    // The name as typed so far, in a big field with a caret, and beside it: skip (nothing typed) or next.
    const float width = ImGui::GetContentRegionAvail().x;
    const float buttonW = std::min(320.0f, width * 0.3f);
    const float fieldW = width - buttonW - ImGui::GetStyle().ItemSpacing.x;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ui::Fonts& f = ui::fonts();
    const float fieldH = f.title->FontSize * 1.7f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + fieldW, p.y + fieldH), ui::theme().surface, 14);
    dl->AddRect(p, ImVec2(p.x + fieldW, p.y + fieldH), ui::theme().primary, 14, 0, 3);
    const float tw = f.title->CalcTextSizeA(f.title->FontSize, FLT_MAX, 0, v.typedName.c_str()).x;
    // A name longer than the field scrolls to the left inside it: its end and the caret stay in view, and nothing
    // runs out of the field under "next".
    const float shift = std::max(0.0f, tw + 8 - (fieldW - 48));
    const ImVec2 tp(p.x + 24 - shift, p.y + (fieldH - f.title->FontSize) * 0.5f);
    dl->PushClipRect(ImVec2(p.x + 12, p.y), ImVec2(p.x + fieldW - 12, p.y + fieldH), true);
    dl->AddText(f.title, f.title->FontSize, tp, ui::theme().text, v.typedName.c_str());
    dl->AddRectFilled(ImVec2(tp.x + tw + 4, tp.y + 4), ImVec2(tp.x + tw + 8, tp.y + f.title->FontSize - 2),
                      ui::theme().accent);
    dl->PopClipRect();
    ui::widgetRects().record("register.name_field", ImRect(p, ImVec2(p.x + fieldW, p.y + fieldH)));
    ImGui::Dummy(ImVec2(fieldW, fieldH));
    ImGui::SameLine();
    const bool empty = v.typedName.empty();
    if (ui::button("register.next", empty ? ui::icon::ArrowForward : ui::icon::Check,
                   k.tr(empty ? "common.skip" : "common.next"), ImVec2(buttonW, fieldH),
                   empty ? ui::Tone::Quiet : ui::Tone::Primary, k.lang()))
        k.go(Screen::RegisterConfirm);
    ImGui::Dummy(ImVec2(0, 4));
    // Portrait: a fixed share of the height (not what is left, which moving the keys down would shrink).
    const float keysHeight = area.portrait() ? area.size.y * 0.4f : ImGui::GetContentRegionAvail().y - 8;
    m_keyboard.draw(v.typedName, v.keyboardLayout, k.lang(), width, keysHeight);
    m_inputHeight = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y - inputTop;
    endArea(k);
}

void RegisterScreen::drawConfirm(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###register_confirm", area);
    Visit& v = k.visit();
    screenTitle(k, k.tr("register.confirm_title"));
    if (!v.notice.empty()) noteCard(k, ui::icon::Warning, k.noticeText(), ui::theme().danger);
    if (v.session) {
        // Read aloud: block 0 the question, 1 the service, 2 its time and place — never the typed name (the room is
        // shared).
        const auto sentence = k.readAloud().sentence();
        sessionSummary(k, sentence ? sentence->block : SIZE_MAX);
        if (!v.typedName.empty())
            ui::iconText(ui::icon::Person, k.tr("register.call_name", {{"name", v.typedName}}), ui::fonts().body,
                         ui::theme().text, k.lang());
        ImGui::Dummy(ImVec2(0, 16));
        const ImVec2 action = readAloudRow(k, area, "register", ImVec2(640, 110), [&k, &v] {
            const auto& s = *v.session;
            return std::vector<std::string>{k.tr("register.confirm_title"), k.serviceName(s.service),
                                            k.sessionTime(s) + ", " + k.placeName(s.place)};
        });
        const bool busy = v.registering;
        if (ui::button("register.confirm", busy ? ui::icon::Hourglass : ui::icon::Check, k.tr("common.confirm"),
                       action, ui::Tone::Primary, k.lang()) &&
            !busy)
            k.submitRegistration();
        readAloudNote(k);
    }
    endArea(k);
}

} // namespace inloop::kiosk
