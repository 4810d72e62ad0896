// The on-screen keyboard (see keyboard.hpp).
#include "keyboard.hpp"

#include "core/i18n/fonts.hpp"
#include "ui/icons.hpp"
#include "ui/widgets.hpp"

#include <unicode/uchar.h>

#include <imgui.h>

#include <algorithm>
#include <vector>

namespace inloop::kiosk {

namespace {
const std::vector<std::vector<std::string_view>> kLatin = {
    {"Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P"},
    {"A", "S", "D", "F", "G", "H", "J", "K", "L"},
    {"Z", "X", "C", "V", "B", "N", "M", "-", "'"},
    {"Á", "É", "Í", "Ó", "Ú", "Ñ", "Ă", "Â", "Ș", "Ț", "Ö", "Ő", "Ü", "Ű"},
};
const std::vector<std::vector<std::string_view>> kCyrillic = {
    {"А", "Б", "В", "Г", "Д", "Е", "Ж", "З", "И", "Й"},
    {"К", "Л", "М", "Н", "О", "П", "Р", "С", "Т", "У"},
    {"Ф", "Х", "Ц", "Ч", "Ш", "Щ", "Ъ", "Ь", "Ю", "Я"},
    {"-", "’"}, // Бек-Ахмед, Д’Арк
};
// The consonants in use, then the vowels and tone marks, in alphabetical order: easier to find than Kedmanee's
// shifted keys for someone who types rarely. Marks that sit on a consonant are shown on a dotted circle.
const std::vector<std::vector<std::string_view>> kThai = {
    {"ก", "ข", "ค", "ฆ", "ง", "จ", "ฉ", "ช", "ซ", "ฌ", "ญ", "ฎ", "ฏ"},
    {"ฐ", "ฑ", "ฒ", "ณ", "ด", "ต", "ถ", "ท", "ธ", "น", "บ", "ป", "ผ"},
    {"ฝ", "พ", "ฟ", "ภ", "ม", "ย", "ร", "ล", "ว", "ศ", "ษ", "ส", "ห"},
    {"ฬ", "อ", "ฮ", "ฤ", "-", "ะ", "า", "ำ", "เ", "แ", "โ", "ใ", "ไ"},
    {"ั", "ิ", "ี", "ึ", "ื", "ุ", "ู", "็", "่", "้", "๊", "๋", "์"},
};
const std::vector<std::vector<std::string_view>>* const kLayouts[] = {&kLatin, &kCyrillic, &kThai};
const char* const kLayoutSamples[] = {"ABC", "АБВ", "กขค"};

// A mark that combines with the letter before it (Thai vowels above and below, tone marks).
bool combines(std::string_view key) {
    const auto cps = core::decodeUtf8(key);
    return cps.size() == 1 && u_charType(static_cast<UChar32>(cps[0])) == U_NON_SPACING_MARK;
}
std::string labelOf(std::string_view key) { return combines(key) ? "\u25CC" + std::string(key) : std::string(key); }

size_t codePoints(const std::string& s) { return core::decodeUtf8(s).size(); }

// Names start with a capital: after the start, a space or a dash; small letters elsewhere.
std::string letterFor(const std::string& text, std::string_view key) {
    const bool capital = text.empty() || text.back() == ' ' || text.back() == '-';
    if (capital) return std::string(key);
    std::string out;
    for (char32_t cp : core::decodeUtf8(key)) out += core::encodeUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))));
    return out;
}
} // namespace

void Keyboard::press(std::string& text, std::string_view key) {
    if (key == "backspace") {
        auto cps = core::decodeUtf8(text);
        if (!cps.empty()) cps.pop_back();
        std::string out;
        for (char32_t cp : cps) out += core::encodeUtf8(cp);
        text = out;
        return;
    }
    if (codePoints(text) >= kMaxChars) return;
    if (key == "space") {
        if (!text.empty() && text.back() != ' ') text += ' ';
        return;
    }
    text += letterFor(text, key);
}

std::string Keyboard::allLabels() {
    std::string out;
    for (const char* sample : kLayoutSamples) out += sample;
    for (const auto* rows : kLayouts)
        for (const auto& row : *rows)
            for (std::string_view key : row) {
                std::string k(key);
                out += labelOf(k) + letterFor("x", k);
            }
    return out;
}

int Keyboard::firstLayout(std::string_view lang) { return lang == "bg" ? kCyrillicLayout : lang == "th" ? kThaiLayout : kLatinLayout; }

int Keyboard::otherLayout(std::string_view lang) { return lang == "th" ? kThaiLayout : kCyrillicLayout; }

bool Keyboard::draw(std::string& text, int& layout, std::string_view lang, float width, float height) {
    if (layout < 0 || layout > kThaiLayout) layout = kLatinLayout;
    const auto& rows = *kLayouts[layout];
    const float gap = 10;
    const float keyH = std::clamp((height - gap * static_cast<float>(rows.size())) / static_cast<float>(rows.size() + 1),
                                  44.0f, 84.0f); // 44 px: still a finger's width, so six rows fit at 150 %
    bool changed = false;
    for (const auto& row : rows) {
        const float n = std::max<float>(10.0f, static_cast<float>(row.size()));
        const float keyW = (width - gap * (n - 1)) / n;
        const float rowW = keyW * static_cast<float>(row.size()) + gap * static_cast<float>(row.size() - 1);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (width - rowW) * 0.5f);
        for (size_t i = 0; i < row.size(); ++i) {
            if (i) ImGui::SameLine(0, gap);
            else ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + gap);
            if (ui::button("key." + std::string(row[i]), nullptr, labelOf(row[i]), ImVec2(keyW, keyH), ui::Tone::Surface,
                           lang)) {
                press(text, row[i]);
                changed = true;
            }
        }
    }
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + gap);
    const float sideW = width * 0.2f;
    // Latin and the visitor's other script (Thai for Thai visitors, Cyrillic for everyone else), in turn.
    const int next = layout == kLatinLayout ? otherLayout(lang) : kLatinLayout;
    if (ui::button("key.layout", ui::icon::Translate, kLayoutSamples[next], ImVec2(sideW, keyH), ui::Tone::Quiet, lang))
        layout = next;
    ImGui::SameLine(0, gap);
    if (ui::button("key.space", ui::icon::Space, "", ImVec2(width - 2 * sideW - 2 * gap, keyH), ui::Tone::Surface, lang)) {
        press(text, "space");
        changed = true;
    }
    ImGui::SameLine(0, gap);
    if (ui::button("key.backspace", ui::icon::Backspace, "", ImVec2(sideW, keyH), ui::Tone::Quiet, lang)) {
        press(text, "backspace");
        changed = true;
    }
    return changed;
}

} // namespace inloop::kiosk
