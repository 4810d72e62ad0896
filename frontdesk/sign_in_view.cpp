// The sign-in view (see sign_in_view.hpp).
#include "sign_in_view.hpp"

#include "desk.hpp"

#include "core/base/clock.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>

namespace inloop::desk {

void SignInView::reload(Desk& d) {
    d.read<std::vector<core::StaffMember>>([](core::Store& s) { return core::listStaff(s); },
                                           [this](std::vector<core::StaffMember> staff) {
                                               m_staff = std::move(staff);
                                               m_loaded = true;
                                           });
}

void SignInView::lockedBy(const core::StaffMember& who) {
    m_picked = who.id;
    m_pin.clear();
    m_message.clear();
}

void SignInView::pick(int64_t staffId) {
    m_picked = staffId;
    m_pin.clear();
    m_message.clear();
}

void SignInView::setFirstStart(const std::string& name, const std::string& pin, const std::string& again) {
    std::snprintf(m_name, sizeof m_name, "%s", name.c_str());
    std::snprintf(m_pin1, sizeof m_pin1, "%s", pin.c_str());
    std::snprintf(m_pin2, sizeof m_pin2, "%s", again.c_str());
}

void SignInView::submit(Desk& d) {
    if (!m_picked || m_pin.empty() || m_busy) return;
    m_busy = true;
    const int64_t id = *m_picked;
    const std::string pin = m_pin;
    m_pin.clear();
    struct Outcome {
        core::SignInResult result;
        std::optional<core::StaffMember> member;
    };
    d.read<Outcome>(
        [id, pin](core::Store& s) { return Outcome{core::signIn(s, id, pin), core::findStaff(s, id)}; },
        [this, &d](Outcome o) {
            m_busy = false;
            if (o.result.ok && o.member) {
                m_message.clear();
                d.signedIn(*o.member);
            } else if (o.result.lockedUntil > 0) {
                const int64_t wait = std::max<int64_t>(1, o.result.lockedUntil - core::nowUnix());
                m_message = d.tr("signin.locked", {{"seconds", wait}});
            } else {
                m_message = d.tr("signin.wrong", {{"left", int64_t{std::max(0, 5 - o.result.failures)}}});
            }
        });
    // A refused sign-in (inactive account) arrives as an error toast; the pad stays usable.
    d.worker().post([this](core::Store&) -> core::Worker::Completion { return [this] { m_busy = false; }; });
}

void SignInView::drawPad(Desk& d, float width) {
    const ui::Theme& t = ui::theme();
    // The PIN as dots.
    std::string dots;
    for (size_t i = 0; i < m_pin.size(); ++i) dots += "• ";
    if (dots.empty()) dots = d.tr("signin.type_pin");
    ui::textWrapped(dots, d.lang(), ui::fonts().title, m_pin.empty() ? t.muted : t.text);
    // The message's two lines are kept free whether or not there is a message: a wrong PIN must not move the
    // keys under a finger that is about to tap again.
    const ImVec2 at = ImGui::GetCursorPos();
    const float room = 2 * ui::fonts().bold->FontSize * 1.3f + ImGui::GetStyle().ItemSpacing.y;
    if (!m_message.empty()) ui::iconText(ui::icon::Warning, m_message, ui::fonts().bold, t.danger, d.lang(), width);
    ImGui::SetCursorPos(ImVec2(at.x, std::max(at.y + room, ImGui::GetCursorPosY())));
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float key = (width - 2 * gap) / 3;
    const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
    for (int i = 0; i < 9; ++i) {
        if (i % 3) ImGui::SameLine();
        if (ui::button(std::string("pin.") + keys[i], nullptr, keys[i], ImVec2(key, 64), ui::Tone::Surface, d.lang()) &&
            m_pin.size() < 12)
            m_pin += keys[i];
    }
    if (ui::button("pin.back", ui::icon::Backspace, "", ImVec2(key, 64), ui::Tone::Quiet, d.lang()) && !m_pin.empty())
        m_pin.pop_back();
    ImGui::SameLine();
    if (ui::button("pin.0", nullptr, "0", ImVec2(key, 64), ui::Tone::Surface, d.lang()) && m_pin.size() < 12) m_pin += "0";
    ImGui::SameLine();
    if (ui::button("pin.ok", m_busy ? ui::icon::Hourglass : ui::icon::Check, d.tr("signin.ok"), ImVec2(key, 64),
                   ui::Tone::Primary, d.lang()))
        submit(d);
    // Typing works too: digits, Backspace, Enter; Escape picks someone else.
    const ImGuiIO& io = ImGui::GetIO();
    for (ImWchar c : io.InputQueueCharacters)
        if (c >= '0' && c <= '9' && m_pin.size() < 12) m_pin += static_cast<char>(c);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace)) && !m_pin.empty()) m_pin.pop_back();
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false))
        submit(d);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
        m_picked.reset();
        m_pin.clear();
        m_message.clear();
    }
}

void SignInView::drawFirstStart(Desk& d) {
    const ui::Theme& t = ui::theme();
    ui::textWrapped(d.tr("signin.first_title"), d.lang(), ui::fonts().title, t.primary);
    ui::textWrapped(d.tr("signin.first_hint"), d.lang(), ui::fonts().body, t.muted);
    ImGui::Dummy(ImVec2(0, 8));
    ImGui::PushItemWidth(420);
    ImGui::TextUnformatted(d.tr("staff.name").c_str());
    ImGui::InputText("##first_name", m_name, sizeof m_name);
    ImGui::TextUnformatted(d.tr("staff.pin").c_str());
    ImGui::InputText("##first_pin1", m_pin1, sizeof m_pin1, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal);
    ImGui::TextUnformatted(d.tr("staff.pin_again").c_str());
    const bool enter = ImGui::InputText("##first_pin2", m_pin2, sizeof m_pin2,
                                        ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal |
                                            ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::PopItemWidth();
    if (!m_message.empty()) ui::iconText(ui::icon::Warning, m_message, ui::fonts().bold, t.danger, d.lang(), 600);
    if (ui::button("first.create", ui::icon::PersonAdd, d.tr("signin.first_create"), ImVec2(420, 64), ui::Tone::Primary,
                   d.lang()) ||
        enter) {
        if (std::strcmp(m_pin1, m_pin2) != 0) {
            m_message = d.tr("staff.pins_differ");
        } else {
            const std::string name = m_name, pin = m_pin1;
            std::memset(m_pin1, 0, sizeof m_pin1);
            std::memset(m_pin2, 0, sizeof m_pin2);
            m_message.clear();
            // The first coordinator has just chosen her PIN: she is signed in, not asked for it again at once.
            d.read<std::optional<core::StaffMember>>(
                [name, pin](core::Store& s) {
                    return core::findStaff(s, core::addStaff(s, core::Actor::system(), name, core::Role::Coordinator, pin));
                },
                [this, &d](std::optional<core::StaffMember> member) {
                    std::memset(m_name, 0, sizeof m_name);
                    reload(d);
                    if (member) d.signedIn(*member);
                });
        }
    }
}

// NL / EN at the top right: whoever signs in first reads the screen in their language.
void SignInView::drawLanguages(Desk& d, float column) {
    const ImVec2 at = ImGui::GetCursorPos();
    const float w = 88, gap = ImGui::GetStyle().ItemSpacing.x;
    ImGui::SetCursorPos(ImVec2(at.x + column - 2 * w - gap, at.y));
    for (const char* lang : {"nl", "en"}) {
        std::string label(lang);
        for (char& c : label) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (ui::button(std::string("signin.lang.") + lang, nullptr, label, ImVec2(w, 44),
                       d.lang() == lang ? ui::Tone::Primary : ui::Tone::Quiet, d.lang()))
            d.setLang(lang);
        ImGui::SameLine();
    }
    ImGui::NewLine();
    ImGui::SetCursorPos(at);
}

void SignInView::draw(Desk& d) {
    const ImVec2 size(static_cast<float>(d.app().width()), static_cast<float>(d.app().height()));
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("###signin", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
    const ui::Theme& t = ui::theme();
    const float column = std::min(size.x - 80, 900.0f);
    ImGui::SetCursorPosX((size.x - column) * 0.5f);
    ImGui::BeginGroup();
    ImGui::Dummy(ImVec2(column, 20));
    drawLanguages(d, column);
    ui::iconText(ui::icon::Lock, d.tr("app.title"), ui::fonts().heading, t.primary, d.lang(), column - 2 * 96);
    if (!m_loaded) {
        ui::textWrapped(d.tr("common.loading"), d.lang(), ui::fonts().body, t.muted);
    } else if (m_staff.empty()) {
        drawFirstStart(d);
    } else if (!m_picked) {
        ui::textWrapped(d.tr("signin.who"), d.lang(), ui::fonts().title, t.text);
        const float gap = ImGui::GetStyle().ItemSpacing.x;
        const int cols = 3;
        const float w = (column - gap * (cols - 1)) / cols;
        int i = 0;
        for (const auto& m : m_staff) {
            if (i++ % cols) ImGui::SameLine();
            const std::string label = m.name + " · " + d.tr("role." + std::string(core::word(m.role)));
            if (ui::button("signin.staff." + std::to_string(m.id), ui::icon::Account, label, ImVec2(w, 84),
                           ui::Tone::Surface, d.lang()))
                pick(m.id);
        }
    } else {
        std::string name;
        for (const auto& m : m_staff)
            if (m.id == *m_picked) name = m.name;
        ui::textWrapped(d.tr("signin.hello", {{"name", name}}), d.lang(), ui::fonts().title, t.text);
        const float padW = std::min(column, 600.0f);
        drawPad(d, padW);
        if (ui::button("signin.other", ui::icon::Groups, d.tr("signin.someone_else"), ImVec2(padW, 56), ui::Tone::Quiet,
                       d.lang())) {
            m_picked.reset();
            m_pin.clear();
            m_message.clear();
        }
    }
    ImGui::EndGroup();
    ImGui::End();
}

} // namespace inloop::desk
