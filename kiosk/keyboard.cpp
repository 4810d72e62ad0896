// The on-screen keyboard (see keyboard.hpp).
#include "keyboard.hpp"

#include "core/fonts.hpp"
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
};

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
    std::string out = "ABCАБВ";
    for (const auto* rows : {&kLatin, &kCyrillic})
        for (const auto& row : *rows)
            for (std::string_view key : row) {
                std::string k(key);
                out += k + letterFor("x", k);
            }
    return out;
}

bool Keyboard::draw(std::string& text, int& layout, std::string_view lang, float width, float height) {
    const auto& rows = layout == 0 ? kLatin : kCyrillic;
    const float gap = 10;
    const float keyH = std::clamp((height - gap * static_cast<float>(rows.size())) / static_cast<float>(rows.size() + 1),
                                  52.0f, 84.0f);
    bool changed = false;
    for (const auto& row : rows) {
        const float n = std::max<float>(10.0f, static_cast<float>(row.size()));
        const float keyW = (width - gap * (n - 1)) / n;
        const float rowW = keyW * static_cast<float>(row.size()) + gap * static_cast<float>(row.size() - 1);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (width - rowW) * 0.5f);
        for (size_t i = 0; i < row.size(); ++i) {
            if (i) ImGui::SameLine(0, gap);
            else ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + gap);
            if (ui::button("key." + std::string(row[i]), nullptr, row[i], ImVec2(keyW, keyH), ui::Tone::Surface, lang)) {
                press(text, row[i]);
                changed = true;
            }
        }
    }
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + gap);
    const float sideW = width * 0.2f;
    if (ui::button("key.layout", ui::icon::Translate, layout == 0 ? "АБВ" : "ABC", ImVec2(sideW, keyH),
                   ui::Tone::Quiet, lang))
        layout = 1 - layout;
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
