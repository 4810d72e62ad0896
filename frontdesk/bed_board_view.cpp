// The bed board view (see bed_board_view.hpp).
//
// [SECTION] helpers: looks, text, small widgets
// [SECTION] loading
// [SECTION] the day view: counts, rooms as bunk beds, side lists
// [SECTION] the night view
// [SECTION] opening the dialog and the test setters
// [SECTION] saving
// [SECTION] the dialog
#include "bed_board_view.hpp"

#include "desk.hpp"
#include "supplies_view.hpp" // the shared dialog pieces

#include "core/base/clock.hpp"
#include "core/i18n/i18n.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace inloop::desk {

// [SECTION] helpers: looks, text, small widgets
namespace {
using State = core::BedView::State;
constexpr const char* kDialogId = "###beds_dialog";
constexpr core::StayReferral kReferrals[] = {core::StayReferral::SocialWork, core::StayReferral::Partner,
                                             core::StayReferral::Police, core::StayReferral::Self,
                                             core::StayReferral::Other, core::StayReferral::Unknown};
constexpr core::ExitProgramme kExits[] = {core::ExitProgramme::Yes, core::ExitProgramme::No,
                                          core::ExitProgramme::Unknown};
constexpr core::Destination kDestinations[] = {core::Destination::OwnHome,      core::Destination::SupportedHousing,
                                               core::Destination::OtherShelter, core::Destination::HomeCountry,
                                               core::Destination::Unknown,      core::Destination::LeftWithoutNotice};

double steadyNow() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}


std::string trimmed(const char* text) {
    std::string s(text);
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
}

// How a bed looks: fill, border, text and icon colour, the icon. Text on its fill has a contrast of at least 4.5:1.
struct Look {
    ImU32 fill, border, text;
    const char* icon;
    float borderWidth;
};

Look dayLook(const core::BedView& b) {
    const ui::Theme& t = ui::theme();
    switch (b.state) {
    case State::Free:
        if (b.emergencyHeld)
            return {IM_COL32(0xFB, 0xE7, 0xEA, 0xFF), t.danger, IM_COL32(0x7A, 0x14, 0x26, 0xFF), ui::icon::Emergency,
                    3};
        return {IM_COL32(0xE3, 0xF2, 0xE6, 0xFF), t.success, IM_COL32(0x1F, 0x4D, 0x29, 0xFF), ui::icon::Bed, 2};
    case State::Occupied: return {t.primary, t.primary, t.onPrimary, ui::icon::Person, 2};
    case State::Reserved:
        return {IM_COL32(0xFF, 0xEF, 0xCF, 0xFF), IM_COL32(0x9A, 0x66, 0x00, 0xFF), IM_COL32(0x5C, 0x3D, 0x00, 0xFF),
                ui::icon::Schedule, 2};
    case State::OutOfService: break;
    }
    return {IM_COL32(0xE4, 0xE0, 0xDA, 0xFF), IM_COL32(0xB5, 0xAD, 0xA2, 0xFF), IM_COL32(0x4A, 0x47, 0x50, 0xFF),
            ui::icon::Block, 2};
}

// The night palette: dark and calm, no large bright areas, every text at least 4.5:1 on its fill.
namespace night {
constexpr ImU32 kBackground = IM_COL32(0x0E, 0x14, 0x1B, 0xFF);
constexpr ImU32 kText = IM_COL32(0xE6, 0xED, 0xF3, 0xFF);
constexpr ImU32 kMuted = IM_COL32(0xA9, 0xB4, 0xC0, 0xFF);
constexpr ImU32 kFree = IM_COL32(0x9F, 0xE3, 0xB5, 0xFF);
constexpr ImU32 kEmergency = IM_COL32(0xFF, 0xB8, 0xC3, 0xFF);
constexpr ImU32 kButton = IM_COL32(0x1C, 0x24, 0x30, 0xFF);
constexpr ImU32 kButtonBorder = IM_COL32(0x3A, 0x46, 0x56, 0xFF);
constexpr ImU32 kFrame = IM_COL32(0x2C, 0x36, 0x44, 0xFF);
} // namespace night

Look nightLook(const core::BedView& b) {
    switch (b.state) {
    case State::Free:
        if (b.emergencyHeld)
            return {IM_COL32(0x3A, 0x12, 0x1A, 0xFF), IM_COL32(0xFF, 0x7A, 0x8E, 0xFF), night::kEmergency,
                    ui::icon::Emergency, 4};
        return {IM_COL32(0x12, 0x33, 0x1F, 0xFF), IM_COL32(0x3F, 0xA5, 0x68, 0xFF), night::kFree, ui::icon::Bed, 3};
    case State::Occupied:
        return {IM_COL32(0x1A, 0x21, 0x2B, 0xFF), IM_COL32(0x2C, 0x37, 0x44, 0xFF), IM_COL32(0xC5, 0xCF, 0xDA, 0xFF),
                ui::icon::Person, 2};
    case State::Reserved:
        return {IM_COL32(0x33, 0x28, 0x0F, 0xFF), IM_COL32(0xE0, 0xB0, 0x4D, 0xFF), IM_COL32(0xF5, 0xD5, 0x8A, 0xFF),
                ui::icon::Schedule, 3};
    case State::OutOfService: break;
    }
    return {IM_COL32(0x14, 0x18, 0x1E, 0xFF), IM_COL32(0x2A, 0x2F, 0x37, 0xFF), IM_COL32(0x9A, 0xA3, 0xAE, 0xFF),
            ui::icon::Block, 2};
}

std::string stateKey(const core::BedView& b) {
    switch (b.state) {
    case State::Free: return "beds.state.free";
    case State::Occupied: return "beds.state.occupied";
    case State::Reserved: return "beds.state.reserved";
    case State::OutOfService: break;
    }
    return "beds.state.out";
}

float textWidth(ImFont* font, float size, std::string_view text) {
    return font->CalcTextSizeA(size, FLT_MAX, 0, text.data(), text.data() + text.size()).x;
}

// The text, cut with "…" where it would be wider than maxWidth (a long alias in a narrow bed).
std::string fitted(ImFont* font, float size, const std::string& text, float maxWidth) {
    if (textWidth(font, size, text) <= maxWidth) return text;
    std::string s = text;
    while (!s.empty()) {
        while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back(); // continuation bytes
        if (!s.empty()) s.pop_back();
        while (!s.empty() && s.back() == ' ') s.pop_back();
        if (textWidth(font, size, s + "\xe2\x80\xa6") <= maxWidth) return s + "\xe2\x80\xa6";
    }
    return "\xe2\x80\xa6";
}

void drawText(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color, const std::string& s) {
    dl->AddText(font, size, pos, color, s.c_str(), s.c_str() + s.size());
}

// Big digits: the huge font when it has every glyph (it is built for ticket codes), else the title font scaled.
ImFont* digitsFont(std::string_view s) {
    ImFont* huge = ui::fonts().huge;
    if (!huge) return ui::fonts().title;
    for (char c : s)
        if (!huge->FindGlyphNoFallback(static_cast<ImWchar>(static_cast<unsigned char>(c)))) return ui::fonts().title;
    return huge;
}

// The amber of "reserved" and of "only the emergency bed is free": a warning, not yet an alarm (4.5:1 on white).
constexpr ImU32 kAmber = IM_COL32(0x7A, 0x51, 0x00, 0xFF);

// A day as "4 Dec"; with its year when it is not this year ("18 May 2027").
std::string dayText(const Desk& d, const std::string& day, const char* skeleton = "dMMM") {
    return core::boardDay(d.lang(), day, skeleton, core::localDay(core::nowUnix()));
}

} // namespace

RoomFree roomFreeText(const Desk& d, const core::RoomView& room) {
    int ordinary = 0;
    bool emergency = false;
    for (const auto& b : room.beds) {
        if (b.state != core::BedView::State::Free) continue;
        if (b.emergencyHeld) emergency = true;
        else ++ordinary;
    }
    if (ordinary == 0 && emergency) return {d.tr("beds.room_emergency_only"), RoomFree::Tone::EmergencyOnly};
    std::string text = d.tr("beds.room_free", {{"count", int64_t{ordinary}}});
    if (emergency) text += " + " + d.tr("beds.held_short");
    return {text, ordinary > 0 ? RoomFree::Tone::Free : RoomFree::Tone::Full};
}

namespace {
// A time today as "21:30"; another day with its weekday: "zaterdag 01:00".
std::string timeText(const Desk& d, int64_t at) {
    const bool today = core::localDay(at) == core::localDay(core::nowUnix());
    return core::formatDateTime(d.lang(), at, today ? "HHmm" : "EEEEHHmm");
}

// A field's label, wrapped to `width` (0: the rest of the line) — side by side in a group it must not take the row.
void fieldLabel(Desk& d, const std::string& s, float width = 0, ImU32 color = 0) {
    if (width <= 0) width = ImGui::GetContentRegionAvail().x;
    ImFont* font = color ? ui::fonts().body : ui::fonts().bold;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    float y = 0;
    for (const auto& line : ui::wrapText(s, d.lang(), font, width)) {
        drawText(ImGui::GetWindowDrawList(), font, font->FontSize, ImVec2(p.x, p.y + y),
                 color ? color : ui::theme().text, line);
        y += font->FontSize * 1.25f;
    }
    ImGui::Dummy(ImVec2(width, y));
}

// A −/+ pair around a number field.
void stepper(const std::string& id, int& value, int minValue, int maxValue) {
    const float h = 56;
    if (ui::button(id + ".minus", ui::icon::Remove, "", ImVec2(64, h), ui::Tone::Surface, "") && value > minValue)
        --value;
    ImGui::SameLine(0, 8);
    ImGui::PushFont(ui::fonts().heading);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(14, (h - ui::fonts().heading->FontSize) * 0.5f));
    ImGui::SetNextItemWidth(96);
    ImGui::InputInt(("##" + id).c_str(), &value, 0, 0, ImGuiInputTextFlags_AutoSelectAll);
    ImGui::PopStyleVar();
    ImGui::PopFont();
    recordItem(id);
    ImGui::SameLine(0, 8);
    if (ui::button(id + ".plus", ui::icon::Add, "", ImVec2(64, h), ui::Tone::Surface, "") && value < maxValue) ++value;
    value = std::clamp(value, minValue, maxValue);
}

// Who sent her: six choices in a row, none chosen until staff choose ("not known" is one of them).
void referralButtons(Desk& d, std::optional<core::StayReferral>& value, float width) {
    fieldLabel(d, d.tr("beds.field.referral"));
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float n = static_cast<float>(std::size(kReferrals));
    const float w = (width - gap * (n - 1)) / n;
    for (size_t i = 0; i < std::size(kReferrals); ++i) {
        if (i) ImGui::SameLine();
        const std::string word(core::word(kReferrals[i]));
        const bool on = value == kReferrals[i];
        if (ui::button("beds.referral." + word, nullptr, d.tr("beds.referral." + word), ImVec2(w, 56),
                       on ? ui::Tone::Primary : ui::Tone::Quiet, d.lang()))
            value = kReferrals[i];
    }
}

// A tappable area with a stable id, recorded for the UI tests; true when tapped.
bool tapArea(std::string_view id, ImVec2 min, ImVec2 max, bool* hovered = nullptr, bool* held = nullptr) {
    ImGui::SetCursorScreenPos(min);
    const std::string imguiId = "##" + std::string(id);
    const bool pressed = ImGui::InvisibleButton(imguiId.c_str(), ImVec2(max.x - min.x, max.y - min.y));
    ui::widgetRects().record(id, ImRect(min, max));
    if (hovered) *hovered = ImGui::IsItemHovered();
    if (held) *held = ImGui::IsItemActive();
    return pressed;
}

// A button in the night palette (ui::button's light tones would glare in a dark room).
bool nightButton(std::string_view id, const char* icon, const std::string& label, ImVec2 size) {
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const ImVec2 max(min.x + size.x, min.y + size.y);
    bool held = false;
    const bool pressed = tapArea(id, min, max, nullptr, &held);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, held ? night::kFrame : night::kButton, 14);
    dl->AddRect(min, max, night::kButtonBorder, 14, 0, 2);
    ImFont* font = ui::fonts().bold;
    const float iconSize = 30;
    const float w = iconSize + 10 + textWidth(font, font->FontSize, label);
    float x = min.x + std::max(14.0f, (size.x - w) * 0.5f);
    ui::drawIcon(dl, icon, iconSize, ImVec2(x + iconSize * 0.5f, min.y + size.y * 0.5f), night::kText);
    x += iconSize + 10;
    drawText(dl, font, font->FontSize, ImVec2(x, min.y + (size.y - font->FontSize) * 0.5f), night::kText, label);
    ImGui::SetCursorScreenPos(ImVec2(min.x, max.y));
    return pressed;
}

// Beds grouped into bunks by their number ("2A" lower and "2B" upper are bunk 2); the upper bed first.
std::vector<std::vector<const core::BedView*>> bunksOf(const core::RoomView& room) {
    std::vector<std::vector<const core::BedView*>> bunks;
    std::string last;
    for (const auto& b : room.beds) {
        const std::string number = b.label.size() > 1 ? b.label.substr(0, b.label.size() - 1) : b.label;
        if (bunks.empty() || number != last || b.tier == "single") bunks.emplace_back();
        last = number;
        bunks.back().push_back(&b);
    }
    for (auto& bunk : bunks)
        std::stable_sort(bunk.begin(), bunk.end(), [](const core::BedView* a, const core::BedView* b) {
            return (a->tier == "upper") > (b->tier == "upper");
        });
    return bunks;
}
} // namespace

// [SECTION] loading
bool BedBoardView::seesResidents(const Desk& d) const {
    return d.user() && (d.user()->role == core::Role::Shelter || d.user()->role == core::Role::Coordinator);
}

void BedBoardView::reload(Desk& d) {
    if (!d.user()) return;
    if (m_loading) {
        m_again = true; // a write landed while reading: read once more when this one is back
        return;
    }
    m_loading = true;
    m_again = false;
    m_requestedAt = steadyNow();
    const bool residents = seesResidents(d);
    const int64_t who = d.user()->id;
    m_requestedFor = who;
    d.read<core::BoardView>([residents](core::Store& s) { return core::loadBoard(s, residents); },
                            [this, &d, who](core::BoardView v) {
                                // Names read for one person never reach the next one (or another role).
                                if (!d.user() || d.user()->id != who || v.showsResidents != seesResidents(d)) return;
                                m_data = std::move(v);
                                m_loaded = true;
                                m_loadedFor = who;
                            });
    // After the read, also when it failed (its error arrives as a toast; the next refresh tries again).
    d.worker().post([this, &d](core::Store&) -> core::Worker::Completion {
        return [this, &d] {
            m_loading = false;
            if (m_again) reload(d);
        };
    });
}

void BedBoardView::forget() {
    m_data = {};
    m_loaded = false;
    m_loadedFor = m_requestedFor = 0;
}

const core::BedView* BedBoardView::bed(int64_t id) const {
    for (const auto& r : m_data.rooms)
        for (const auto& b : r.beds)
            if (b.id == id) return &b;
    return nullptr;
}

std::string BedBoardView::roomOf(int64_t bedId) const {
    for (const auto& r : m_data.rooms)
        for (const auto& b : r.beds)
            if (b.id == bedId) return r.name;
    return {};
}

std::string BedBoardView::bedName(const core::BedView& b) const {
    const std::string room = roomOf(b.id);
    return room.empty() ? b.label : room + " · " + b.label;
}

void BedBoardView::draw(Desk& d) {
    if (m_dialog != Dialog::None && (!d.user() || d.user()->id != m_owner)) closeDialogs();
    if (!d.user()) return;
    // Read for whoever is signed in; again every minute (reservations expire without a write), and a failed
    // first read again after a few seconds rather than every frame.
    const bool ready = m_loaded && m_loadedFor == d.user()->id && m_data.showsResidents == seesResidents(d);
    const double since = steadyNow() - m_requestedAt;
    if (!m_loading && (m_requestedFor != d.user()->id || since >= 60 || (!ready && since >= 5))) reload(d);
    if (m_night)
        nightView(d);
    else
        dayView(d);
    drawDialog(d);
}

// [SECTION] the day view: counts, rooms as bunk beds, side lists
void BedBoardView::summary(Desk& d) {
    const ui::Theme& t = ui::theme();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // The chips double as the legend: the colour, the icon and the word of each state.
    struct Chip {
        core::BedView look;
        std::string label;
    };
    core::BedView occupied, reserved, out, emergency;
    occupied.state = State::Occupied;
    reserved.state = State::Reserved;
    out.state = State::OutOfService;
    emergency.emergencyHeld = true;
    std::vector<Chip> chips = {
        {occupied, d.tr("beds.count.occupied", {{"count", int64_t{m_data.occupied}}})},
        {reserved, d.tr("beds.count.reserved", {{"count", int64_t{m_data.reserved}}})},
        {out, d.tr("beds.count.out", {{"count", int64_t{m_data.outOfService}}})},
    };
    if (m_data.heldForEmergency > 0) chips.push_back({emergency, d.tr("beds.legend.emergency")});
    ImFont* font = ui::fonts().bold;
    const float h = 40, sw = 30;
    ImVec2 p = ImGui::GetCursorScreenPos();
    const float x0 = p.x;
    for (const Chip& c : chips) {
        const Look look = dayLook(c.look);
        const float w = sw + 10 + textWidth(font, font->FontSize, c.label) + 18;
        if (p.x > x0 && p.x + w > x0 + ImGui::GetContentRegionAvail().x) p = ImVec2(x0, p.y + h + 8);
        dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), t.surface, 12);
        dl->AddRect(p, ImVec2(p.x + w, p.y + h), t.border, 12, 0, 1.5f);
        const ImVec2 s(p.x + 6, p.y + (h - sw) * 0.5f);
        dl->AddRectFilled(s, ImVec2(s.x + sw, s.y + sw), look.fill, 7);
        dl->AddRect(s, ImVec2(s.x + sw, s.y + sw), look.border, 7, 0, look.borderWidth > 2 ? 2.5f : 1.5f);
        ui::drawIcon(dl, look.icon, 20, ImVec2(s.x + sw * 0.5f, s.y + sw * 0.5f), look.text);
        drawText(dl, font, font->FontSize, ImVec2(s.x + sw + 10, p.y + (h - font->FontSize) * 0.5f), t.text, c.label);
        p.x += w + 10;
    }
    // No bed free at all: said in the same row when it fits, so the rooms keep their room.
    if (m_data.free == 0) {
        const std::string none = d.tr("beds.none_free");
        const float iconSize = font->FontSize * 1.2f;
        const float w = iconSize + 8 + textWidth(font, font->FontSize, none);
        if (p.x > x0 && p.x + w > x0 + ImGui::GetContentRegionAvail().x) p = ImVec2(x0, p.y + h + 8);
        ui::drawIcon(dl, ui::icon::Warning, iconSize, ImVec2(p.x + 4 + iconSize * 0.5f, p.y + h * 0.5f), t.danger);
        drawText(dl, font, font->FontSize, ImVec2(p.x + 4 + iconSize + 8, p.y + (h - font->FontSize) * 0.5f), t.danger,
                 none);
    }
    ImGui::SetCursorScreenPos(ImVec2(x0, p.y));
    ImGui::Dummy(ImVec2(1, h));
}

bool BedBoardView::bedHit(Desk& d, const core::BedView& b, ImVec2 min, ImVec2 max) {
    if (!seesResidents(d)) return false; // the desk role sees states only: no actions
    bool hovered = false, held = false;
    const bool pressed = tapArea("beds.bed." + std::to_string(b.id), min, max, &hovered, &held);
    if (hovered || held)
        ImGui::GetWindowDrawList()->AddRect(ImVec2(min.x - 3, min.y - 3), ImVec2(max.x + 3, max.y + 3),
                                            held ? ui::theme().text : ui::theme().accent, 12, 0, 3);
    if (pressed) openBed(d, b.id);
    return pressed;
}

void BedBoardView::roomPanel(Desk& d, const core::RoomView& room, float width) {
    const ui::Theme& t = ui::theme();
    ui::Fonts& f = ui::fonts();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool residents = m_data.showsResidents;
    const auto bunks = bunksOf(room);
    const float pad = 12, headH = 36, gap = 12;
    const int perRow =
        std::max(1, std::min(static_cast<int>(bunks.size()), static_cast<int>((width - 2 * pad + gap) / (150 + gap))));
    const int rows = (static_cast<int>(bunks.size()) + perRow - 1) / perRow;
    const float bunkW = (width - 2 * pad - gap * static_cast<float>(perRow - 1)) / static_cast<float>(perRow);
    const float lineH = f.body->FontSize + 3;
    const float cellH = 10 + f.heading->FontSize + 2 + lineH * (residents ? 3.0f : 2.0f) + 8;
    const float post = 7, rail = 8;
    const float bunkH = rail + cellH + rail + cellH + rail + 6; // a rail above, between and under the beds; feet
    const float height = pad + headH + static_cast<float>(rows) * (bunkH + gap) - gap + pad;
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(p0, ImVec2(p0.x + width, p0.y + height), t.surface, 16);
    dl->AddRect(p0, ImVec2(p0.x + width, p0.y + height), t.border, 16, 0, 1.5f);
    drawText(dl, f.heading, f.heading->FontSize, ImVec2(p0.x + pad + 4, p0.y + pad), t.text, room.name);
    const RoomFree roomFree = roomFreeText(d, room);
    drawText(dl, f.bold, f.bold->FontSize,
             ImVec2(p0.x + width - pad - 4 - textWidth(f.bold, f.bold->FontSize, roomFree.text), p0.y + pad + 5),
             roomFree.tone == RoomFree::Tone::Free ? t.success : roomFree.tone == RoomFree::Tone::EmergencyOnly ? kAmber : t.muted,
             roomFree.text);
    const ImU32 wood = IM_COL32(0x8A, 0x79, 0x66, 0xFF);
    for (size_t i = 0; i < bunks.size(); ++i) {
        const int col = static_cast<int>(i) % perRow, row = static_cast<int>(i) / perRow;
        const ImVec2 b0(p0.x + pad + static_cast<float>(col) * (bunkW + gap),
                        p0.y + pad + headH + static_cast<float>(row) * (bunkH + gap));
        // The frame: two posts with feet, a rail above the upper bed, between the beds and under the lower one.
        dl->AddRectFilled(b0, ImVec2(b0.x + post, b0.y + bunkH), wood, 3);
        dl->AddRectFilled(ImVec2(b0.x + bunkW - post, b0.y), ImVec2(b0.x + bunkW, b0.y + bunkH), wood, 3);
        for (int r = 0; r < 3; ++r) {
            const float y = b0.y + static_cast<float>(r) * (cellH + rail);
            dl->AddRectFilled(ImVec2(b0.x + post, y + 2), ImVec2(b0.x + bunkW - post, y + rail - 2), wood, 2);
        }
        const auto& beds = bunks[i];
        for (size_t k = 0; k < beds.size() && k < 2; ++k) {
            const core::BedView& b = *beds[k];
            // An upper bed on top; a lower (or single) bed below it.
            const bool top = b.tier == "upper" || (beds.size() > 1 && k == 0 && beds[1]->tier != "upper");
            const float y = b0.y + rail + (top ? 0 : cellH + rail);
            const ImVec2 c0(b0.x + post + 3, y), c1(b0.x + bunkW - post - 3, y + cellH);
            const Look look = dayLook(b);
            dl->AddRectFilled(c0, c1, look.fill, 8);
            if (b.state == State::OutOfService) { // hatched: not a bed to use
                dl->PushClipRect(c0, c1, true);
                for (float x = c0.x - cellH; x < c1.x; x += 16)
                    dl->AddLine(ImVec2(x, c1.y), ImVec2(x + cellH, c0.y), IM_COL32(0xD2, 0xCB, 0xC1, 0xFF), 2);
                dl->PopClipRect();
            }
            dl->AddRect(c0, c1, look.border, 8, 0, look.borderWidth);
            const float innerW = c1.x - c0.x - 20;
            const float x = c0.x + 10;
            float ty = c0.y + 8;
            drawText(dl, f.heading, f.heading->FontSize, ImVec2(x, ty), look.text, b.label);
            ui::drawIcon(dl, look.icon, 28, ImVec2(c1.x - 22, ty + f.heading->FontSize * 0.5f + 1), look.text);
            ty += f.heading->FontSize + 2;
            drawText(dl, f.bold, f.bold->FontSize, ImVec2(x, ty), look.text,
                     fitted(f.bold, f.bold->FontSize, d.tr(stateKey(b)), innerW));
            ty += lineH;
            std::vector<std::string> lines;
            if (b.state == State::Free && b.emergencyHeld) lines.push_back(d.tr("beds.held_short"));
            if (residents) {
                if (b.state == State::Occupied) {
                    lines.push_back(b.alias.empty() ? d.tr("beds.no_alias") : b.alias);
                    const auto fits = [&](const std::string& text) {
                        return textWidth(f.body, f.body->FontSize, text) <= innerW;
                    };
                    if (b.overdue) {
                        // "over tijd sinds 3 dec" may not fit a bed: then "over tijd" (the side list has the day).
                        std::string late = d.tr("beds.overdue", {{"day", dayText(d, b.expectedOutDay)}});
                        if (!fits(late)) late = d.tr("beds.overdue_bare");
                        lines.push_back(late);
                    }
                    else if (b.expectedOutDay.empty())
                        lines.push_back(d.tr("beds.since", {{"day", dayText(d, b.inDay)}}));
                    else {
                        // "18 aug – 18 mei 2027" may not fit a bed: then the departure alone, never clipped.
                        std::string range = dayText(d, b.inDay) + " – " + dayText(d, b.expectedOutDay);
                        if (!fits(range)) range = d.tr("beds.until", {{"day", dayText(d, b.expectedOutDay)}});
                        if (!fits(range)) range = d.tr("beds.until", {{"day", dayText(d, b.expectedOutDay, "yMd")}});
                        lines.push_back(range);
                    }
                } else if (b.state == State::Reserved) {
                    if (!b.reservedFor.empty()) lines.push_back(b.reservedFor);
                    lines.push_back(d.tr("beds.expected_at", {{"time", timeText(d, b.expectedAt)}}));
                    lines.push_back(d.tr("beds.held_until", {{"time", timeText(d, b.expiresAt)}}));
                } else if (b.state == State::OutOfService && !b.outReason.empty()) {
                    lines.push_back(b.outReason);
                }
            }
            for (size_t l = 0; l < lines.size() && l < (residents ? 2u : 1u); ++l) {
                drawText(dl, f.body, f.body->FontSize, ImVec2(x, ty), look.text,
                         fitted(f.body, f.body->FontSize, lines[l], innerW));
                ty += lineH;
            }
            bedHit(d, b, c0, c1);
        }
    }
    ImGui::SetCursorScreenPos(p0);
    ImGui::Dummy(ImVec2(width, height));
}

void BedBoardView::sideLists(Desk& d, float width) {
    const ui::Theme& t = ui::theme();
    ui::Fonts& f = ui::fonts();
    const std::string today = core::localDay(core::nowUnix());
    const auto card = [&](const std::string& id, const core::BedView& b,
                          const std::vector<std::pair<std::string, ImU32>>& lines) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float lineH = f.body->FontSize + 4;
        const float h = 12 + f.bold->FontSize + 4 + lineH * static_cast<float>(lines.size()) + 8;
        const ImVec2 q(p.x + width - 4, p.y + h);
        bool hovered = false;
        if (tapArea(id, p, q, &hovered)) openBed(d, b.id);
        dl->AddRectFilled(p, q, t.surface, 12);
        dl->AddRect(p, q, hovered ? t.accent : t.border, 12, 0, hovered ? 3.0f : 1.5f);
        const Look look = dayLook(b);
        ui::drawIcon(dl, look.icon, 24, ImVec2(q.x - 22, p.y + 12 + f.bold->FontSize * 0.5f), t.primary);
        drawText(dl, f.bold, f.bold->FontSize, ImVec2(p.x + 12, p.y + 12), t.text,
                 fitted(f.bold, f.bold->FontSize, bedName(b), width - 60));
        float y = p.y + 12 + f.bold->FontSize + 4;
        for (const auto& [s, color] : lines) {
            drawText(dl, f.body, f.body->FontSize, ImVec2(p.x + 12, y), color,
                     fitted(f.body, f.body->FontSize, s, width - 28));
            y += lineH;
        }
        ImGui::SetCursorScreenPos(p);
        ImGui::Dummy(ImVec2(width - 4, h));
    };
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 4);
    markedText(ui::icon::Logout, d.tr("beds.due_out"), f.heading, t.text, 0);
    ImGui::PopTextWrapPos();
    if (m_data.dueOutToday.empty()) ui::textWrapped(d.tr("beds.due_out_empty"), d.lang(), f.body, t.muted);
    for (const auto& b : m_data.dueOutToday) {
        const bool late = b.overdue;
        const std::string when = late ? d.tr("beds.overdue", {{"day", dayText(d, b.expectedOutDay, "EEEEdMMM")}})
                                      : d.tr("beds.expected_out", {{"day", d.tr("beds.today")}});
        card("beds.due." + std::to_string(b.id), b,
             {{b.alias.empty() ? d.tr("beds.no_alias") : b.alias, t.text}, {when, late ? kAmber : t.muted}});
    }
    ImGui::Dummy(ImVec2(0, 8));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 4);
    markedText(ui::icon::Hourglass, d.tr("beds.expiring"), f.heading, t.text, 0);
    ImGui::PopTextWrapPos();
    if (m_data.expiringSoon.empty()) ui::textWrapped(d.tr("beds.expiring_empty"), d.lang(), f.body, t.muted);
    for (const auto& b : m_data.expiringSoon)
        card("beds.expiring." + std::to_string(b.id), b,
             {{d.tr("beds.expected_at", {{"time", timeText(d, b.expectedAt)}}), t.text},
              {d.tr("beds.held_until", {{"time", timeText(d, b.expiresAt)}}), t.danger}});
}

void BedBoardView::dayView(Desk& d) {
    const ui::Theme& t = ui::theme();
    ui::Fonts& f = ui::fonts();
    const ImVec2 start = ImGui::GetCursorPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const bool ready = m_loaded && m_loadedFor == d.user()->id && m_data.showsResidents == seesResidents(d);
    // The line that reads at a glance: how many beds are free, and whether the emergency bed is among them.
    std::string head = d.tr("nav.beds");
    ImU32 headColor = t.primary;
    if (ready && !m_data.rooms.empty()) {
        // Only the emergency bed left: nothing to give away to an ordinary placement, said so in amber.
        const bool onlyEmergency = m_data.onlyEmergencyFree();
        head = onlyEmergency ? d.tr("beds.only_emergency_free")
                             : d.tr("beds.free_summary",
                                    {{"free", int64_t{m_data.free}}, {"held", int64_t{m_data.heldForEmergency}}});
        headColor = onlyEmergency ? kAmber : m_data.free > 0 ? t.success : t.danger;
    }
    const std::string nightLabel = d.tr("beds.night");
    const float nightW = std::max(220.0f, buttonWidth(nightLabel, ui::icon::Night, 52));
    {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float iconSize = f.title->FontSize * 1.1f;
        if (ready && !m_data.rooms.empty())
            ui::drawIcon(ImGui::GetWindowDrawList(), ui::icon::Bed, iconSize,
                         ImVec2(p.x + iconSize * 0.5f, p.y + f.title->FontSize * 0.55f + 4), headColor);
        ImGui::SetCursorScreenPos(ImVec2(p.x + (ready && !m_data.rooms.empty() ? iconSize + 12 : 0), p.y + 4));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - nightW - 24 - iconSize);
        ImGui::PushFont(f.title);
        ImGui::PushStyleColor(ImGuiCol_Text, ui::toVec4(headColor));
        ImGui::TextWrapped("%s", head.c_str());
        ImGui::PopStyleColor();
        ImGui::PopFont();
        ImGui::PopTextWrapPos();
    }
    {
        const ImVec2 after = ImGui::GetCursorPos();
        ImGui::SetCursorPos(ImVec2(start.x + width - nightW, start.y));
        if (ui::button("beds.night", ui::icon::Night, nightLabel, ImVec2(nightW, 52), ui::Tone::Surface, d.lang()))
            m_night = true;
        ImGui::SetCursorPos(ImVec2(after.x, std::max(after.y, ImGui::GetCursorPos().y)));
    }
    if (!ready) {
        ui::iconText(ui::icon::Hourglass, d.tr("common.loading"), f.body, t.muted, d.lang());
        return;
    }
    if (m_data.rooms.empty()) {
        ui::iconText(ui::icon::Info, d.tr("beds.empty"), f.body, t.muted, d.lang());
        return;
    }
    summary(d);
    if (!m_data.showsResidents) ui::iconText(ui::icon::Lock, d.tr("beds.residents_hidden"), f.body, t.muted, d.lang());
    const bool side = m_data.showsResidents;
    const float gap = 16, sideW = side ? 290 : 0;
    const float roomsW = width - (side ? sideW + gap : 0);
    ImGui::BeginChild("###beds_rooms", ImVec2(roomsW, 0));
    const float inner = ImGui::GetContentRegionAvail().x;
    for (const auto& room : m_data.rooms) {
        ImGui::PushID(static_cast<int>(room.id));
        roomPanel(d, room, inner);
        ImGui::PopID();
    }
    ImGui::EndChild();
    if (side) {
        ImGui::SameLine(0, gap);
        ImGui::BeginChild("###beds_side", ImVec2(sideW, 0));
        sideLists(d, ImGui::GetContentRegionAvail().x);
        ImGui::EndChild();
    }
}

// [SECTION] the night view
void BedBoardView::nightView(Desk& d) {
    ui::Fonts& f = ui::fonts();
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    ImDrawList* dl = window->DrawList;
    const ImVec2 w0 = window->Pos, w1(window->Pos.x + window->Size.x, window->Pos.y + window->Size.y);
    dl->PushClipRect(w0, w1, false); // the window clips half its padding: the dark goes to the edges
    dl->AddRectFilled(w0, w1, night::kBackground);
    dl->PopClipRect();
    const float margin = 28;
    const float W = w1.x - w0.x;
    const bool ready = m_loaded && m_loadedFor == d.user()->id && m_data.showsResidents == seesResidents(d);

    // Top: the time, and the way back (day view, lock).
    const std::string now = core::formatDateTime(d.lang(), core::nowUnix(), "HHmm");
    ui::drawIcon(dl, ui::icon::Night, 40, ImVec2(w0.x + margin + 20, w0.y + 52), night::kMuted);
    drawText(dl, f.title, f.title->FontSize, ImVec2(w0.x + margin + 54, w0.y + 52 - f.title->FontSize * 0.55f),
             night::kText, now);
    const std::string dayLabel = d.tr("beds.day"), lockLabel = d.tr("nav.lock");
    const float bh = 60;
    const float dayW = std::max(200.0f, buttonWidth(dayLabel, ui::icon::Day, bh));
    const float lockW = std::max(200.0f, buttonWidth(lockLabel, ui::icon::Lock, bh));
    ImGui::SetCursorScreenPos(ImVec2(w1.x - margin - lockW - 12 - dayW, w0.y + 22));
    if (nightButton("beds.night", ui::icon::Day, dayLabel, ImVec2(dayW, bh))) m_night = false;
    ImGui::SetCursorScreenPos(ImVec2(w1.x - margin - lockW, w0.y + 22));
    if (nightButton("beds.lock", ui::icon::Lock, lockLabel, ImVec2(lockW, bh))) {
        d.lock();
        return;
    }
    const float top = w0.y + 22 + bh + 24;
    if (!ready || m_data.rooms.empty()) {
        const std::string s = d.tr(ready ? "beds.empty" : "common.loading");
        drawText(dl, f.heading, f.heading->FontSize, ImVec2(w0.x + margin, top), night::kMuted, s);
        return;
    }

    // Left: the free count, huge, and the emergency bed.
    const float leftW = std::min(360.0f, W * 0.3f);
    const std::string count = std::to_string(m_data.free);
    ImFont* big = digitsFont(count);
    const float bigSize = 150;
    const float bigW = textWidth(big, bigSize, count);
    const ImU32 freeColor = m_data.free > 0 ? night::kFree : night::kEmergency;
    float y = top + 10;
    drawText(dl, big, bigSize, ImVec2(w0.x + margin + (leftW - bigW) * 0.5f, y), freeColor, count);
    y += bigSize * 1.02f;
    const auto centred = [&](ImFont* font, float size, const std::string& s, ImU32 color) {
        for (const auto& line : ui::wrapText(s, d.lang(), font, leftW)) {
            const float lw = textWidth(font, size, line);
            drawText(dl, font, size, ImVec2(w0.x + margin + (leftW - lw) * 0.5f, y), color, line);
            y += size * 1.2f;
        }
    };
    centred(f.title, f.title->FontSize, d.tr("beds.night.free", {{"count", int64_t{m_data.free}}}), freeColor);
    y += 18;
    if (m_data.heldForEmergency > 0) {
        ui::drawIcon(dl, ui::icon::Emergency, 44, ImVec2(w0.x + margin + leftW * 0.5f, y + 22), night::kEmergency);
        y += 52;
        centred(f.heading, f.heading->FontSize, d.tr("beds.night.held", {{"count", int64_t{m_data.heldForEmergency}}}),
                night::kEmergency);
    } else {
        centred(f.heading, f.heading->FontSize, d.tr("beds.none_free"), night::kEmergency);
    }
    y += 18;
    dl->AddLine(ImVec2(w0.x + margin + 30, y), ImVec2(w0.x + margin + leftW - 30, y), night::kFrame, 2);
    y += 18;
    centred(f.heading, f.heading->FontSize, d.tr("beds.count.occupied", {{"count", int64_t{m_data.occupied}}}),
            night::kMuted);
    centred(f.heading, f.heading->FontSize, d.tr("beds.count.reserved", {{"count", int64_t{m_data.reserved}}}),
            night::kMuted);
    if (m_data.outOfService > 0)
        centred(f.heading, f.heading->FontSize, d.tr("beds.count.out", {{"count", int64_t{m_data.outOfService}}}),
                night::kMuted);

    // Right: every room, its bunks as big tiles: the bed's number, its state in a word and an icon.
    const float x0 = w0.x + margin + leftW + 32, x1 = w1.x - margin;
    const float bottom = w1.y - margin;
    const float roomGap = 22, nameH = f.heading->FontSize + 12, gap = 18, tierGap = 10;
    int rowsTotal = 0;
    std::vector<std::vector<std::vector<const core::BedView*>>> roomBunks;
    const int perRow = 4; // four bunks a row, as in the dormitories
    for (const auto& room : m_data.rooms) roomBunks.push_back(bunksOf(room));
    for (const auto& bunks : roomBunks) rowsTotal += (static_cast<int>(bunks.size()) + perRow - 1) / perRow;
    const float rooms = static_cast<float>(m_data.rooms.size());
    const float tileW = (x1 - x0 - gap * static_cast<float>(perRow - 1)) / static_cast<float>(perRow);
    const float tileH =
        std::min(150.0f, (bottom - top - rooms * nameH - (rooms - 1) * roomGap -
                          static_cast<float>(rowsTotal) * tierGap - static_cast<float>(rowsTotal - 1) * gap) /
                             (2.0f * static_cast<float>(rowsTotal)));
    y = top;
    for (size_t r = 0; r < m_data.rooms.size(); ++r) {
        const auto& room = m_data.rooms[r];
        drawText(dl, f.heading, f.heading->FontSize, ImVec2(x0, y), night::kMuted,
                 room.name + " · " + roomFreeText(d, room).text);
        y += nameH;
        const auto& bunks = roomBunks[r];
        for (size_t i = 0; i < bunks.size(); ++i) {
            const int col = static_cast<int>(i) % perRow;
            if (i > 0 && col == 0) y += 2 * tileH + tierGap + gap;
            const float bx = x0 + static_cast<float>(col) * (tileW + gap);
            // Faint posts: the two tiles are one bunk bed.
            dl->AddRectFilled(ImVec2(bx + tileW * 0.5f - 3, y + tileH - 2),
                              ImVec2(bx + tileW * 0.5f + 3, y + tileH + tierGap + 2), night::kFrame);
            for (size_t k = 0; k < bunks[i].size() && k < 2; ++k) {
                const core::BedView& b = *bunks[i][k];
                const bool upper = b.tier == "upper" || (bunks[i].size() > 1 && k == 0 && bunks[i][1]->tier != "upper");
                const ImVec2 c0(bx, y + (upper ? 0 : tileH + tierGap)), c1(bx + tileW, c0.y + tileH);
                const Look look = nightLook(b);
                dl->AddRectFilled(c0, c1, look.fill, 14);
                dl->AddRect(c0, c1, look.border, 14, 0, look.borderWidth);
                const float labelSize = std::min(60.0f, tileH * 0.42f);
                ImFont* labelFont = digitsFont(b.label);
                drawText(dl, labelFont, labelSize, ImVec2(c0.x + 16, c0.y + 10), look.text, b.label);
                const float iconSize = std::min(48.0f, tileH * 0.36f);
                ui::drawIcon(dl, look.icon, iconSize, ImVec2(c1.x - 14 - iconSize * 0.5f, c0.y + 12 + iconSize * 0.5f),
                             look.text);
                ImFont* wf = f.heading;
                drawText(dl, wf, wf->FontSize, ImVec2(c0.x + 16, c1.y - wf->FontSize - 12), look.text,
                         fitted(wf, wf->FontSize, d.tr(stateKey(b)), tileW - 32));
                if (b.emergencyHeld && b.state == State::Free) // free, and kept for the police: both in words
                    drawText(dl, f.bold, f.bold->FontSize,
                             ImVec2(c0.x + 16, c1.y - wf->FontSize - 14 - f.bold->FontSize * 1.2f), look.text,
                             fitted(f.bold, f.bold->FontSize, d.tr("beds.legend.emergency"), tileW - 32));
                bedHit(d, b, c0, c1);
            }
        }
        y += 2 * tileH + tierGap + roomGap;
    }
    ImGui::SetCursorScreenPos(w0);
    ImGui::Dummy(ImVec2(1, 1));
}

// [SECTION] opening the dialog and the test setters
void BedBoardView::closeDialogs() {
    m_dialog = Dialog::None;
    m_justOpened = m_busy = false;
    ++m_generation;
    m_alias.fill(0);
    m_code.fill(0);
    m_reason.fill(0);
    m_emergencyReason.fill(0);
    m_destination.reset();
    m_needsConfirm = m_confirmEmergency = false;
    m_error.clear();
    m_bodyHeight = 0;
}

void BedBoardView::openBed(Desk& d, int64_t bedId) {
    const core::BedView* b = bed(bedId);
    if (!b) return;
    if (b->state == State::OutOfService) return open(d, bedId, Dialog::BackInService);
    open(d, bedId, Dialog::Menu);
}

void BedBoardView::open(Desk& d, int64_t bedId, Dialog dialog) {
    const core::BedView* b = bed(bedId);
    closeDialogs();
    if (!b || !d.user() || !seesResidents(d) || dialog == Dialog::None) return;
    m_owner = d.user()->id;
    m_dialog = dialog;
    m_justOpened = true;
    m_bed = *b;
    m_room = roomOf(bedId);
    m_referral.reset();
    m_when.reset();
    m_leftWhen.reset();
    m_leftAlready = false;
    m_exit = core::ExitProgramme::Unknown;
    m_days = 0;
    m_arriveHours = 1;
    m_holdHours = 4;
    if (dialog == Dialog::Arrived) {
        // Arriving for a reservation: who was expected and who referred her are already known.
        copyTo(m_alias, b->reservedFor);
        if (auto r = core::parseWord<core::StayReferral>(b->reservedReferral)) m_referral = *r;
    }
    // The last free bed: ask for the confirmation and the reason at once (the store asks again if it changed).
    m_needsConfirm =
        (dialog == Dialog::CheckIn || dialog == Dialog::Reserve) && m_data.free == 1 && b->state == State::Free;
}

void BedBoardView::setAlias(const std::string& alias) {
    m_fieldsSet = true;
    copyTo(m_alias, alias);
}
void BedBoardView::setCode(const std::string& code) {
    m_fieldsSet = true;
    copyTo(m_code, code);
}
void BedBoardView::setReason(const std::string& reason) {
    m_fieldsSet = true;
    copyTo(m_reason, reason);
}
void BedBoardView::setEmergencyReason(const std::string& reason) {
    m_fieldsSet = true;
    copyTo(m_emergencyReason, reason);
}

// [SECTION] saving
void BedBoardView::run(Desk& d, std::function<void(core::Store&)> job, std::string done,
                       std::function<void(core::Store&)> undo) {
    m_busy = true;
    m_error.clear();
    const uint64_t generation = m_generation;
    const core::Actor actor = d.actor();
    // Errors come back into the dialog, not as a toast: what was typed stays, and it says what to do.
    d.read<std::optional<Desk::ErrorText>>(
        [job = std::move(job)](core::Store& s) -> std::optional<Desk::ErrorText> {
            try {
                job(s);
            } catch (const std::exception& e) {
                return Desk::ErrorText::of(e);
            }
            return std::nullopt;
        },
        [this, &d, generation, actor, done = std::move(done), undo = std::move(undo)](std::optional<Desk::ErrorText> error) {
            const bool current = generation == m_generation && m_dialog != Dialog::None;
            if (current) m_busy = false;
            if (error) {
                if (!current) return d.toast(d.describe(*error), true);
                if (error->key == "bed.last_free")
                    m_needsConfirm = true; // the dialog now explains and asks
                else
                    m_error = d.describe(*error);
                return;
            }
            if (current) closeDialogs();
            reload(d);
            d.refresh();
            if (!stillSignedIn(d, actor)) return;
            if (!undo) return d.toast(done);
            // Undo as for contacts: a reversing, audited change, for whoever is still signed in.
            d.toast(done, false, [this, &d, actor, undo] {
                if (!stillSignedIn(d, actor)) return;
                d.write(undo, [this, &d] {
                    reload(d);
                    d.toast(d.tr("today.undone"));
                });
            });
        });
}

void BedBoardView::save(Desk& d) {
    if (m_dialog == Dialog::None || m_busy) return;
    m_error.clear();
    const core::Actor actor = d.actor();
    const std::string alias = trimmed(m_alias.data());
    const std::string where = m_room.empty() ? m_bed.label : m_room + " · " + m_bed.label;
    const std::string who = m_bed.alias.empty() ? d.tr("beds.no_alias") : m_bed.alias;
    const auto emergencyOk = [&]() -> bool {
        if (!waiverNeeded()) return true;
        if (!m_confirmEmergency)
            m_error = d.tr("beds.error.confirm");
        else if (trimmed(m_emergencyReason.data()).empty())
            m_error = d.tr("beds.error.reason");
        return m_error.empty();
    };
    switch (m_dialog) {
    case Dialog::CheckIn:
    case Dialog::Arrived: {
        if (alias.empty()) return void(m_error = d.tr("beds.error.alias"));
        if (!m_referral) return void(m_error = d.tr("beds.error.referral"));
        const bool left = m_leftAlready && m_when.earlier();
        if (left && !m_destination) return void(m_error = d.tr("beds.error.destination"));
        if (m_dialog == Dialog::CheckIn && !left && !emergencyOk()) return;
        core::CheckIn in;
        in.bedId = m_bed.id;
        in.alias = alias;
        if (const std::string code = trimmed(m_code.data()); !code.empty()) in.clientCode = code;
        in.referral = *m_referral;
        in.when.at = m_when.moment();
        if (left) {
            in.leftAt = m_leftWhen.moment().value_or(core::nowUnix());
            in.destination = *m_destination;
        }
        in.exitProgramme = m_exit;
        if (m_days > 0) in.expectedOutDay = core::addDays(core::localDay(core::nowUnix()), m_days);
        if (m_dialog == Dialog::Arrived) in.reservationId = m_bed.reservationId;
        in.confirmEmergencyBed = waiverNeeded() && m_confirmEmergency;
        in.emergencyReason = in.confirmEmergencyBed ? trimmed(m_emergencyReason.data()) : std::string();
        auto id = std::make_shared<int64_t>(0);
        return run(
            d, [actor, in, id](core::Store& s) { *id = core::checkIn(s, actor, in); },
            d.tr("beds.done.checkin", {{"alias", alias}, {"bed", where}}),
            [actor, id](core::Store& s) { core::undoCheckIn(s, actor, *id); });
    }
    case Dialog::Reserve: {
        if (alias.empty()) return void(m_error = d.tr("beds.error.alias"));
        if (m_holdHours <= m_arriveHours) return void(m_error = d.tr("beds.error.hold"));
        if (!m_referral) return void(m_error = d.tr("beds.error.referral"));
        if (!emergencyOk()) return;
        const int64_t now = core::nowUnix();
        core::NewReservation r;
        r.bedId = m_bed.id;
        r.alias = alias;
        r.referral = *m_referral;
        r.expectedAt = now + int64_t{m_arriveHours} * 3600;
        r.expiresAt = now + int64_t{m_holdHours} * 3600;
        r.confirmEmergencyBed = waiverNeeded() && m_confirmEmergency;
        r.emergencyReason = r.confirmEmergencyBed ? trimmed(m_emergencyReason.data()) : std::string();
        auto id = std::make_shared<int64_t>(0);
        return run(
            d, [actor, r, id](core::Store& s) { *id = core::reserveBed(s, actor, r); },
            d.tr("beds.done.reserve", {{"alias", alias}, {"bed", where}, {"time", timeText(d, r.expiresAt)}}),
            [actor, id](core::Store& s) { core::undoReservation(s, actor, *id); });
    }
    case Dialog::OutOfService: {
        const std::string reason = trimmed(m_reason.data());
        if (reason.empty()) return void(m_error = d.tr("beds.error.reason"));
        const int64_t id = m_bed.id;
        return run(
            d, [actor, id, reason](core::Store& s) { core::setBedInService(s, actor, id, false, reason); },
            d.tr("beds.done.out", {{"bed", where}}));
    }
    case Dialog::BackInService: {
        const int64_t id = m_bed.id;
        return run(
            d, [actor, id](core::Store& s) { core::setBedInService(s, actor, id, true); },
            d.tr("beds.done.in", {{"bed", where}}));
    }
    case Dialog::CheckOut: {
        if (!m_destination) return void(m_error = d.tr("beds.error.destination"));
        if (!m_bed.stayId) return closeDialogs();
        const int64_t stay = *m_bed.stayId;
        const core::Destination dest = *m_destination;
        const core::When when{m_when.moment()};
        return run(
            d, [actor, stay, dest, when](core::Store& s) { core::checkOut(s, actor, stay, dest, when); },
            d.tr("beds.done.checkout", {{"alias", who}, {"bed", where}}),
            [actor, stay](core::Store& s) { core::undoCheckOut(s, actor, stay); });
    }
    case Dialog::CancelReservation: {
        if (!m_bed.reservationId) return closeDialogs();
        const int64_t id = *m_bed.reservationId;
        return run(
            d, [actor, id](core::Store& s) { core::cancelReservation(s, actor, id); },
            d.tr("beds.done.cancel_reservation", {{"bed", where}}));
    }
    case Dialog::Menu:
    case Dialog::Move:
    case Dialog::None: break;
    }
}

void BedBoardView::moveTo(Desk& d, int64_t toBedId) {
    if (m_dialog != Dialog::Move || m_busy || !m_bed.stayId) return;
    const core::BedView* to = bed(toBedId);
    if (!to) return;
    const core::Actor actor = d.actor();
    const int64_t stay = *m_bed.stayId;
    const std::string who = m_bed.alias.empty() ? d.tr("beds.no_alias") : m_bed.alias;
    run(
        d, [actor, stay, toBedId](core::Store& s) { core::moveStay(s, actor, stay, toBedId); },
        d.tr("beds.done.move", {{"alias", who}, {"bed", bedName(*to)}}),
        [actor, stay](core::Store& s) { core::undoMove(s, actor, stay); });
}

// [SECTION] the dialog
bool BedBoardView::waiverNeeded() const {
    return m_needsConfirm && m_referral != core::StayReferral::Police;
}

void BedBoardView::emergencyBlock(Desk& d) {
    if (!waiverNeeded()) return;
    ImGui::Dummy(ImVec2(0, 2));
    warningLine(d.tr("beds.emergency.warning"));
    if (ui::button("beds.emergency.confirm", m_confirmEmergency ? ui::icon::Check : ui::icon::Emergency,
                   d.tr("beds.emergency.confirm"), ImVec2(ImGui::GetContentRegionAvail().x, 56),
                   m_confirmEmergency ? ui::Tone::Danger : ui::Tone::Quiet, d.lang()))
        m_confirmEmergency = !m_confirmEmergency;
    fieldLabel(d, d.tr("beds.emergency.reason"));
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    ImGui::InputTextWithHint("##beds.emergency.reason", d.tr("beds.emergency.reason_hint").c_str(),
                             m_emergencyReason.data(), m_emergencyReason.size());
    recordItem("beds.emergency.reason");
}

void BedBoardView::menuBody(Desk& d) {
    const ui::Theme& t = ui::theme();
    const core::BedView& b = m_bed;
    const Look look = dayLook(b);
    ImU32 stateColor = t.text;
    if (b.state == State::Free) stateColor = b.emergencyHeld ? t.danger : t.success;
    if (b.state == State::Reserved) stateColor = kAmber;
    std::string state = d.tr(stateKey(b));
    if (!b.tier.empty()) state += " · " + d.tr("beds.tier." + b.tier);
    markedText(look.icon, state, ui::fonts().heading, stateColor, 0);
    if (b.state == State::Occupied) {
        ui::textWrapped(b.alias.empty() ? d.tr("beds.no_alias") : b.alias, d.lang(), ui::fonts().bold, t.text);
        std::string since = d.tr("beds.since", {{"day", dayText(d, b.inDay, "EEEEdMMM")}});
        if (!b.expectedOutDay.empty())
            since += " · " + (b.overdue ? d.tr("beds.overdue", {{"day", dayText(d, b.expectedOutDay, "EEEEdMMM")}})
                                         : d.tr("beds.expected_out", {{"day", dayText(d, b.expectedOutDay, "EEEEdMMM")}}));
        ui::textWrapped(since, d.lang(), ui::fonts().body, t.muted);
    } else if (b.state == State::Reserved) {
        ui::textWrapped(d.tr("beds.expected_at", {{"time", timeText(d, b.expectedAt)}}) + " · " +
                            d.tr("beds.held_until", {{"time", timeText(d, b.expiresAt)}}),
                        d.lang(), ui::fonts().body, t.muted);
    } else if (b.state == State::Free && b.emergencyHeld) {
        warningLine(d.tr("beds.emergency.held_note"));
    }
    ImGui::Dummy(ImVec2(0, 4));
    struct Action {
        const char* id;
        const char* icon;
        const char* key;
        Dialog dialog;
    };
    std::vector<Action> actions;
    switch (b.state) {
    case State::Free:
        actions = {{"beds.menu.checkin", ui::icon::PersonAdd, "beds.menu.checkin", Dialog::CheckIn},
                   {"beds.menu.reserve", ui::icon::Schedule, "beds.menu.reserve", Dialog::Reserve},
                   {"beds.menu.out", ui::icon::Block, "beds.menu.out", Dialog::OutOfService}};
        break;
    case State::Occupied:
        actions = {{"beds.menu.checkout", ui::icon::Logout, "beds.menu.checkout", Dialog::CheckOut},
                   {"beds.menu.move", ui::icon::ArrowForward, "beds.menu.move", Dialog::Move}};
        break;
    case State::Reserved:
        actions = {{"beds.menu.arrived", ui::icon::PersonAdd, "beds.menu.arrived", Dialog::Arrived},
                   {"beds.menu.cancel_reservation", ui::icon::EventBusy, "beds.menu.cancel_reservation",
                    Dialog::CancelReservation}};
        break;
    case State::OutOfService:
        actions = {{"beds.menu.in_service", ui::icon::Check, "beds.menu.in_service", Dialog::BackInService}};
        break;
    }
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - gap * static_cast<float>(actions.size() - 1)) /
                    static_cast<float>(actions.size());
    for (size_t i = 0; i < actions.size(); ++i) {
        if (i) ImGui::SameLine();
        if (ui::button(actions[i].id, actions[i].icon, d.tr(actions[i].key), ImVec2(w, 80),
                       i == 0 ? ui::Tone::Primary : ui::Tone::Surface, d.lang())) {
            const int64_t id = b.id;
            const Dialog next = actions[i].dialog;
            open(d, id, next);
        }
    }
}

void BedBoardView::checkInBody(Desk& d, bool first) {
    const ui::Theme& t = ui::theme();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float full = ImGui::GetContentRegionAvail().x;
    const float aliasW = std::floor(full * 0.55f);
    if (m_dialog == Dialog::Arrived)
        ui::iconText(ui::icon::Schedule,
                     d.tr("beds.expected_at", {{"time", timeText(d, m_bed.expectedAt)}}) + " · " +
                         d.tr("beds.held_until", {{"time", timeText(d, m_bed.expiresAt)}}),
                     ui::fonts().body, t.muted, d.lang());
    ImGui::BeginGroup();
    fieldLabel(d, d.tr("beds.field.alias"), aliasW);
    ImGui::SetNextItemWidth(aliasW);
    if (first) ImGui::SetKeyboardFocusHere();
    ImGui::InputTextWithHint("##beds.alias", d.tr("beds.field.alias_hint").c_str(), m_alias.data(), m_alias.size());
    recordItem("beds.alias");
    ImGui::EndGroup();
    ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    fieldLabel(d, d.tr("beds.field.code"), full - aliasW - gap);
    ImGui::SetNextItemWidth(full - aliasW - gap);
    ImGui::InputText("##beds.code", m_code.data(), m_code.size(), ImGuiInputTextFlags_CharsNoBlank);
    recordItem("beds.code");
    ImGui::EndGroup();

    referralButtons(d, m_referral, full);
    // The exit programme is only noted, in neutral words: what she says, with "not known" as the default.
    const float exitW = std::floor(full * 0.58f);
    ImGui::BeginGroup();
    fieldLabel(d, d.tr("beds.field.exit"), exitW);
    {
        const float w = (exitW - gap * 2) / 3;
        for (size_t i = 0; i < std::size(kExits); ++i) {
            if (i) ImGui::SameLine();
            const std::string word(core::word(kExits[i]));
            const bool on = m_exit == kExits[i];
            if (ui::button("beds.exit." + word, nullptr, d.tr("beds.exit." + word), ImVec2(w, 56),
                           on ? ui::Tone::Primary : ui::Tone::Quiet, d.lang()))
                m_exit = kExits[i];
        }
    }
    fieldLabel(d, d.tr("beds.field.exit_hint"), exitW, t.muted);
    ImGui::EndGroup();
    ImGui::SameLine(0, gap * 2);
    const float daysW = full - exitW - gap * 2;
    ImGui::BeginGroup();
    fieldLabel(d, d.tr("beds.field.days"), daysW);
    stepper("beds.days", m_days, 0, 365);
    const std::string out =
        m_days > 0 ? dayText(d, core::addDays(core::localDay(core::nowUnix()), m_days), "EEEEdMMM") : "";
    fieldLabel(d, d.tr("beds.days_result", {{"days", int64_t{m_days}}, {"day", out}}), daysW, t.muted);
    ImGui::EndGroup();
    if (m_dialog == Dialog::CheckIn) {
        m_when.draw(d, "beds.checkin.when");
        // A stay forgotten altogether: she has left already, when and to where.
        if (m_when.earlier()) {
            if (ui::button("beds.left_already", m_leftAlready ? ui::icon::Check : nullptr, d.tr("beds.left_already"),
                           ImVec2(full, 48), m_leftAlready ? ui::Tone::Primary : ui::Tone::Quiet, d.lang()))
                m_leftAlready = !m_leftAlready;
            if (m_leftAlready) {
                m_leftWhen.draw(d, "beds.left.when", "when.left");
                destinationButtons(d, 48);
            }
        }
        if (!(m_leftAlready && m_when.earlier())) emergencyBlock(d);
    }
}

void BedBoardView::reserveBody(Desk& d, bool first) {
    const ui::Theme& t = ui::theme();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float full = ImGui::GetContentRegionAvail().x;
    fieldLabel(d, d.tr("beds.field.alias"));
    ImGui::SetNextItemWidth(std::floor(full * 0.55f));
    if (first) ImGui::SetKeyboardFocusHere();
    ImGui::InputTextWithHint("##beds.alias", d.tr("beds.field.alias_hint").c_str(), m_alias.data(), m_alias.size());
    recordItem("beds.alias");
    referralButtons(d, m_referral, full);
    const int64_t now = core::nowUnix();
    const float half = (full - gap * 2) / 2;
    ImGui::BeginGroup();
    fieldLabel(d, d.tr("beds.field.arrive"), half);
    stepper("beds.arrive", m_arriveHours, 0, 72);
    fieldLabel(d, d.tr("beds.at_time", {{"time", timeText(d, now + int64_t{m_arriveHours} * 3600)}}), half, t.muted);
    ImGui::EndGroup();
    ImGui::SameLine(0, gap * 2);
    ImGui::BeginGroup();
    fieldLabel(d, d.tr("beds.field.hold"), half);
    stepper("beds.hold", m_holdHours, 1, 96);
    fieldLabel(d, d.tr("beds.until_time", {{"time", timeText(d, now + int64_t{m_holdHours} * 3600)}}), half,
               m_holdHours > m_arriveHours ? t.muted : t.danger);
    ImGui::EndGroup();
    emergencyBlock(d);
}

void BedBoardView::outOfServiceBody(Desk& d, bool first) {
    fieldLabel(d, d.tr("beds.field.out_reason"));
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    if (first) ImGui::SetKeyboardFocusHere();
    ImGui::InputTextWithHint("##beds.reason", d.tr("beds.field.out_hint").c_str(), m_reason.data(), m_reason.size());
    recordItem("beds.reason");
}

void BedBoardView::checkOutBody(Desk& d) {
    const ui::Theme& t = ui::theme();
    std::string line = m_bed.alias.empty() ? d.tr("beds.no_alias") : m_bed.alias;
    line += " · " + d.tr("beds.since", {{"day", dayText(d, m_bed.inDay, "EEEEdMMM")}});
    ui::iconText(ui::icon::Hotel, line, ui::fonts().bold, t.text, d.lang());
    destinationButtons(d, 64);
    m_when.draw(d, "beds.checkout.when");
}

void BedBoardView::destinationButtons(Desk& d, float height) {
    fieldLabel(d, d.tr("beds.field.destination"));
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - gap * 2) / 3;
    for (size_t i = 0; i < std::size(kDestinations); ++i) {
        if (i % 3) ImGui::SameLine();
        const std::string word(core::word(kDestinations[i]));
        const bool on = m_destination == kDestinations[i];
        if (ui::button("beds.destination." + word, on ? ui::icon::Check : nullptr, d.tr("beds.destination." + word),
                       ImVec2(w, height), on ? ui::Tone::Primary : ui::Tone::Quiet, d.lang()))
            m_destination = kDestinations[i];
    }
}

void BedBoardView::moveBody(Desk& d) {
    const ui::Theme& t = ui::theme();
    ui::iconText(ui::icon::Hotel, m_bed.alias.empty() ? d.tr("beds.no_alias") : m_bed.alias, ui::fonts().bold, t.text,
                 d.lang());
    fieldLabel(d, d.tr("beds.move.pick"));
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - gap * 2) / 3;
    int shown = 0;
    for (const auto& room : m_data.rooms)
        for (const auto& b : room.beds) {
            if (b.state != State::Free || b.id == m_bed.id) continue;
            if (shown % 3) ImGui::SameLine();
            ++shown;
            std::string label = room.name + " · " + b.label;
            if (!b.tier.empty()) label += " · " + d.tr("beds.tier." + b.tier);
            if (ui::button("beds.move.to." + std::to_string(b.id),
                           b.emergencyHeld ? ui::icon::Emergency : ui::icon::Bed, label, ImVec2(w, 64),
                           b.emergencyHeld ? ui::Tone::Quiet : ui::Tone::Surface, d.lang()))
                moveTo(d, b.id);
        }
    if (shown == 0) ui::iconText(ui::icon::Info, d.tr("beds.move.none"), ui::fonts().body, t.muted, d.lang());
}

void BedBoardView::drawDialog(Desk& d) {
    if (m_dialog == Dialog::None && !ImGui::IsPopupOpen(kDialogId)) return;
    if (m_dialog != Dialog::None && m_justOpened && !ImGui::IsPopupOpen(kDialogId)) ImGui::OpenPopup(kDialogId);
    const bool first = m_justOpened;
    m_justOpened = false;
    const std::string where = d.tr("beds.bed_title", {{"room", m_room}, {"bed", m_bed.label}});
    std::string title = where;
    const char* saveId = nullptr;
    std::string saveLabel = d.tr("common.save");
    ui::Tone saveTone = ui::Tone::Primary;
    switch (m_dialog) {
    case Dialog::CheckIn:
        title = d.tr("beds.menu.checkin") + " · " + where;
        saveId = "beds.checkin.save";
        saveLabel = d.tr("beds.save.checkin");
        break;
    case Dialog::Arrived:
        title = d.tr("beds.menu.arrived") + " · " + where;
        saveId = "beds.checkin.save";
        saveLabel = d.tr("beds.save.checkin");
        break;
    case Dialog::Reserve:
        title = d.tr("beds.menu.reserve") + " · " + where;
        saveId = "beds.reserve.save";
        saveLabel = d.tr("beds.save.reserve");
        break;
    case Dialog::OutOfService:
        title = d.tr("beds.menu.out") + " · " + where;
        saveId = "beds.out.save";
        saveLabel = d.tr("beds.save.out");
        break;
    case Dialog::CheckOut:
        title = d.tr("beds.menu.checkout") + " · " + where;
        saveId = "beds.checkout.save";
        saveLabel = d.tr("beds.save.checkout");
        break;
    case Dialog::Move: title = d.tr("beds.menu.move") + " · " + where; break;
    case Dialog::CancelReservation:
        title = d.tr("beds.menu.cancel_reservation") + " · " + where;
        saveId = "beds.cancel_reservation.save";
        saveLabel = d.tr("beds.save.cancel_reservation");
        saveTone = ui::Tone::Danger;
        break;
    case Dialog::BackInService:
        title = d.tr("beds.menu.in_service") + " · " + where;
        saveId = "beds.in.save";
        saveLabel = d.tr("beds.save.in_service");
        break;
    case Dialog::Menu:
    case Dialog::None: break;
    }
    // Six referral choices side by side need the width ("Maatschappelijk werk" unsqueezed).
    const bool wide = m_dialog == Dialog::CheckIn || m_dialog == Dialog::Arrived || m_dialog == Dialog::Reserve;
    if (!beginDialog(d, title + kDialogId, wide ? 1120 : 860)) {
        if (m_dialog != Dialog::None) closeDialogs();
        return;
    }
    if (m_dialog == Dialog::None) {
        closeDialogs();
        ImGui::CloseCurrentPopup();
        endDialog();
        return;
    }
    // A text field being edited owns its value (ImGui): a new dialog, or values set by a test, take it back.
    if (first || m_fieldsSet) ImGui::ClearActiveID();
    m_fieldsSet = false;
    // The body scrolls and the footer (error line, Save and Cancel) stays pinned under it, so Save never falls
    // below the screen (1280×800 with every back-dating row open). The body is as tall as its content was last
    // frame, at most what the screen leaves; on its first frame, that most.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float bodyTop = ImGui::GetCursorScreenPos().y - ImGui::GetWindowPos().y;
    const float maxBody = std::max(160.0f, static_cast<float>(d.app().height()) - 40 - bodyTop - style.WindowPadding.y -
                                               m_footerHeight - style.ItemSpacing.y);
    const float bodyH = first || m_bodyHeight <= 0 ? maxBody : std::min(m_bodyHeight, maxBody);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(0, 0, 0, 0)); // the dialog's own white
    ImGui::BeginChild("##beds.dialog.body", ImVec2(0, std::floor(bodyH)), false);
    ImGui::PopStyleColor();
    const Dialog shown = m_dialog;
    switch (shown) {
    case Dialog::Menu: menuBody(d); break;
    case Dialog::CheckIn:
    case Dialog::Arrived: checkInBody(d, first); break;
    case Dialog::Reserve: reserveBody(d, first); break;
    case Dialog::OutOfService: outOfServiceBody(d, first); break;
    case Dialog::CheckOut: checkOutBody(d); break;
    case Dialog::Move: moveBody(d); break;
    case Dialog::CancelReservation:
        ui::iconText(ui::icon::EventBusy, d.tr("beds.cancel_reservation.ask"), ui::fonts().body, ui::theme().text,
                     d.lang());
        break;
    case Dialog::BackInService:
        ui::iconText(
            ui::icon::Block,
            d.tr("beds.in_service.ask", {{"reason", m_bed.outReason.empty() ? std::string("—") : m_bed.outReason}}),
            ui::fonts().body, ui::theme().text, d.lang());
        break;
    case Dialog::None: break;
    }
    m_bodyHeight = std::max(1.0f, ImGui::GetCursorPosY() - style.ItemSpacing.y);
    ImGui::EndChild();
    if (m_dialog != shown) { // the menu opened an action: it draws from the next frame
        endDialog();
        return;
    }
    const float footerTop = ImGui::GetCursorPosY();
    warningLine(m_error);
    const char* cancelKey = !saveId                                 ? "beds.close"
                            : m_dialog == Dialog::CancelReservation ? "beds.back"
                                                                    : "common.cancel";
    switch (dialogButtons(d, saveId, saveLabel, m_busy, first, "beds.dialog.cancel", d.tr(cancelKey), 320, saveTone)) {
    case DialogChoice::Confirm: save(d); break;
    case DialogChoice::Cancel:
        closeDialogs();
        ImGui::CloseCurrentPopup();
        break;
    case DialogChoice::None: break;
    }
    m_footerHeight = ImGui::GetCursorPosY() - footerTop;
    endDialog();
}

} // namespace inloop::desk
