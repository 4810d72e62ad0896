// The welcome screen (see welcome_screen.hpp).
#include "welcome_screen.hpp"

#include "screen.hpp"

#include "core/base/clock.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <chrono>

namespace inloop::kiosk {

size_t WelcomeScreen::cycleIndex() const {
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    return static_cast<size_t>(t / kCycleSeconds) % core::kLanguages.size();
}

std::string WelcomeScreen::nowServingLine(Kiosk& k, const std::string& lang, float width) {
    // Each number with its service ("A22 · Accountant"): the same number never means two people, and the
    // service says which door. As many as fit, most recent first.
    ui::Fonts& f = ui::fonts();
    std::string line;
    for (const auto& called : k.view().nowServing) {
        const std::string key = "service." + called.service;
        const std::string item = called.ticket + " · " + (k.messages().has(lang, key) ? k.messages().tr(lang, key) : called.service);
        const std::string next = line.empty() ? item : line + "     " + item;
        if (!line.empty() && f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, 0, next.c_str()).x > width) break;
        line = next;
    }
    return line.empty() ? k.messages().tr(lang, "welcome.nobody_called") : line;
}

void WelcomeScreen::draw(Kiosk& k) {
    const Area area = contentArea(k.app(), false);
    beginArea("###welcome", area, Scrolling::Inside); // fits: it is always at 100 %
    const ui::Theme& t = ui::theme();
    ui::Fonts& f = ui::fonts();
    const std::string cycleLang(core::kLanguages[cycleIndex()]);
    const float width = ImGui::GetContentRegionAvail().x;

    // The time, top right; the site's greeting, top left (in the language shown now).
    const int64_t now = core::nowUnix();
    const std::string clock = core::formatDateTime(cycleLang, now, "HHmm");
    const float clockW = f.heading->CalcTextSizeA(f.heading->FontSize, FLT_MAX, 0, clock.c_str()).x;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddText(f.heading, f.heading->FontSize, ImVec2(origin.x + width - clockW, origin.y),
                                        t.muted, clock.c_str());
    ImGui::PushTextWrapPos(origin.x + width - clockW - 24);
    ui::textWrapped(k.messages().tr(cycleLang, "welcome.greeting", {{"site", k.siteName()}}), cycleLang, f.heading,
                    t.muted);
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, area.portrait() ? 60 : 12));

    // "Choose your language", in each language in turn.
    ui::textWrapped(k.messages().tr(cycleLang, "welcome.choose_language"), cycleLang, f.title, t.primary, true);
    ImGui::Dummy(ImVec2(0, 16));

    const int cols = area.portrait() ? 2 : 4;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float tileW = (width - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    // Portrait screens have the height: the tiles use it (four rows above the now-serving strip).
    const float tileH = area.portrait() ? std::clamp((area.size.y - 560.0f) / 4.0f - gap, 200.0f, 320.0f)
                                        : std::clamp(area.size.y * 0.22f, 130.0f, 190.0f);
    int i = 0;
    for (std::string_view lang : core::kLanguages) {
        if (i % cols != 0) ImGui::SameLine();
        const std::string code(lang);
        if (ui::tile("lang." + code, ui::icon::Language, core::nativeLanguageName(lang), ImVec2(tileW, tileH),
                     ui::Tone::Surface, lang))
            k.chooseLanguage(code);
        ++i;
    }

    // Now serving, at the bottom.
    const float stripH = f.heading->FontSize * 2.2f;
    const float stripY = area.pos.y + area.size.y - stripH - ImGui::GetStyle().WindowPadding.y;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float x0 = origin.x;
    dl->AddRectFilled(ImVec2(x0, stripY), ImVec2(x0 + width, stripY + stripH), t.surface, 16);
    std::string label = k.messages().tr(cycleLang, "welcome.now_serving");
    const float textY = stripY + (stripH - f.heading->FontSize) * 0.5f;
    ui::drawIcon(dl, ui::icon::Ticket, f.heading->FontSize,
                 ImVec2(x0 + 24 + f.heading->FontSize * 0.5f, textY + f.heading->FontSize * 0.5f), t.primary);
    dl->AddText(f.bold, f.bold->FontSize, ImVec2(x0 + 24 + f.heading->FontSize + 12, textY + 4), t.muted, label.c_str());
    const float labelW = f.bold->CalcTextSizeA(f.bold->FontSize, FLT_MAX, 0, label.c_str()).x;
    const float ticketsX = x0 + 24 + f.heading->FontSize + 12 + labelW + 24;
    dl->AddText(f.heading, f.heading->FontSize, ImVec2(ticketsX, textY), t.text,
                nowServingLine(k, cycleLang, x0 + width - 24 - ticketsX).c_str());
    endArea(k);
}

} // namespace inloop::kiosk
