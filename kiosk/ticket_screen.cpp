// The ticket screen (see ticket_screen.hpp).
#include "ticket_screen.hpp"

#include "screen.hpp"

#include "core/base/clock.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <cmath>

namespace inloop::kiosk {

std::string TicketScreen::when(Kiosk& k, const core::SessionView& s) {
    if (s.day == k.view().today) return k.sessionTime(s);
    const int64_t end = core::unixFromLocal(s.day, std::min(s.endMin, 1439));
    return core::formatDateTime(k.lang(), s.startsAt, "EEEEdMMMMHHmm") + "–" + core::formatDateTime(k.lang(), end, "HHmm");
}

void TicketScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app());
    beginArea("###ticket", area);
    Visit& v = k.visit();
    const ui::Theme& t = ui::theme();
    ui::Fonts& f = ui::fonts();
    screenTitle(k, k.tr("ticket.title"));
    if (v.ticket && v.session) {
        // Read aloud: block 0 is the title and the code (the code's card gets a band around it), blocks 1–3 the
        // paragraphs below it (a band behind the one being heard). The screen never scrolls: nothing to reveal.
        const auto sentence = k.readAloud().sentence();
        const size_t reading = m_tourBlock ? *m_tourBlock : sentence ? sentence->block : SIZE_MAX;
        ui::TextMark mark;
        const auto markFor = [&](size_t block, std::string_view text) -> ui::TextMark* {
            if (block != reading) return nullptr;
            mark = {0, text.size(), t.highlight};
            return &mark;
        };
        const float width = ImGui::GetContentRegionAvail().x;
        const float cardW = std::min(width, 720.0f);
        const float cardH = f.huge->FontSize * 1.3f;
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (width - cardW) * 0.5f);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        if (reading == 0) {
            const ImRect band(ImVec2(p.x - 8, p.y - 8), ImVec2(p.x + cardW + 8, p.y + cardH + 8));
            dl->AddRectFilled(band.Min, band.Max, t.highlight, 34);
            ui::widgetRects().record("ticket.reading", band);
        }
        dl->AddRectFilled(p, ImVec2(p.x + cardW, p.y + cardH), t.primary, 28);
        const char* code = v.ticket->code.c_str();
        const ImVec2 size = f.huge->CalcTextSizeA(f.huge->FontSize, FLT_MAX, 0, code);
        dl->AddText(f.huge, f.huge->FontSize, ImVec2(p.x + (cardW - size.x) * 0.5f, p.y + (cardH - size.y) * 0.5f),
                    t.onPrimary, code);
        ui::widgetRects().record("ticket.code", ImRect(p, ImVec2(p.x + cardW, p.y + cardH)));
        ImGui::Dummy(ImVec2(cardW, cardH + 4));
        const std::string showAtDesk = k.tr("ticket.show_at_desk");
        const std::string whenWhere =
            k.tr("ticket.when_where", {{"time", when(k, *v.session)}, {"place", k.placeName(v.session->place)}});
        const std::string service = k.serviceName(v.session->service);
        ui::textWrapped(showAtDesk, k.lang(), f.heading, t.text, true, markFor(1, showAtDesk));
        ui::textWrapped(whenWhere, k.lang(), f.body, t.text, true, markFor(2, whenWhere));
        ui::textWrapped(service, k.lang(), f.body, t.text, true, markFor(3, service));
        if (mark.drawn) ui::widgetRects().record("ticket.reading", ImRect(mark.left, mark.top, mark.right, mark.bottom));
        if (!v.typedName.empty())
            ui::textWrapped(k.tr("register.call_name", {{"name", v.typedName}}), k.lang(), f.body, t.muted, true);
        const int left =
            std::max(0, k.options().ticketSeconds - static_cast<int>(std::floor(k.secondsSinceTouch())));
        ui::textWrapped(k.tr("ticket.back_soon", {{"seconds", int64_t{left}}}), k.lang(), f.body, t.muted, true);
        // Done, and beside it Read aloud: the code (spoken as letter and number), where to show it, when and where,
        // what for — never the typed name.
        const ImVec2 action = readAloudRow(k, area, "ticket", ImVec2(480, 84), [&] {
            return std::vector<std::string>{k.tr("ticket.title") + ", " + v.ticket->code, showAtDesk, whenWhere, service};
        });
        if (ui::button("ticket.done", ui::icon::Check, k.tr("ticket.done"), action,
                       ui::Tone::Surface, k.lang()))
            k.leave("done");
        readAloudNote(k);
    }
    endArea(k);
}

} // namespace inloop::kiosk
