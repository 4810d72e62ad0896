// The staff view (see staff_view.hpp).
#include "staff_view.hpp"

#include "desk.hpp"
#include "supplies_view.hpp" // the shared table and dialog pieces

#include "core/base/clock.hpp"
#include "core/i18n/i18n.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <algorithm>
#include <cstring>

namespace inloop::desk {

namespace {
constexpr const char* kDialogId = "###staff_dialog";
constexpr core::Role kRoles[] = {core::Role::Desk, core::Role::Shelter, core::Role::Coordinator};

std::string roleLabel(const Desk& d, core::Role role) { return d.tr("role." + std::string(core::word(role))); }


bool validPin(const char* pin, int minLength) {
    const size_t n = std::strlen(pin);
    return n >= static_cast<size_t>(minLength) && n <= 12 &&
           std::all_of(pin, pin + n, [](char c) { return c >= '0' && c <= '9'; });
}
} // namespace

const core::StaffMember* StaffView::member(int64_t id) const {
    for (const auto& m : m_staff)
        if (m.id == id) return &m;
    return nullptr;
}

void StaffView::reload(Desk& d) {
    d.read<std::vector<core::StaffMember>>([](core::Store& s) { return core::listStaff(s, false); },
                                           [this](std::vector<core::StaffMember> staff) {
                                               m_staff = std::move(staff);
                                               m_loaded = true;
                                           });
    d.read<int>([](core::Store& s) { return core::pinMinLength(s); }, [this](int n) { m_pinMin = n; });
}

void StaffView::setPinMinLength(Desk& d, int length) {
    if (!d.isCoordinator() || length == m_pinMin) return;
    const core::Actor actor = d.actor();
    d.write([actor, length](core::Store& s) { core::setPinMinLength(s, actor, length); },
            [this, &d, length] {
                reload(d);
                d.toast(d.tr("staff.pin_min_saved", {{"count", static_cast<int64_t>(length)}}));
            });
}

// The shortest PIN a new PIN may have: one button per length, the current one marked.
void StaffView::drawPinMinLength(Desk& d) {
    const ui::Theme& t = ui::theme();
    cellText(d.tr("staff.pin_min"), ui::fonts().body, t.text, 52);
    for (int n = 4; n <= 8; ++n) {
        ImGui::SameLine(0, 8);
        const std::string label = std::to_string(n);
        if (ui::button("staff.pin_min." + label, n == m_pinMin ? ui::icon::Check : nullptr, label, ImVec2(n == m_pinMin ? 96 : 64, 52),
                       n == m_pinMin ? ui::Tone::Primary : ui::Tone::Surface, d.lang()))
            setPinMinLength(d, n);
    }
    ui::textWrapped(d.tr("staff.pin_min_hint"), d.lang(), ui::fonts().body, t.muted);
}

void StaffView::wipePins() {
    m_pin1.fill(0);
    m_pin2.fill(0);
}

void StaffView::closeDialogs() {
    m_mode = Mode::None;
    m_justOpened = m_busy = false;
    ++m_generation;
    m_name.fill(0);
    wipePins();
    m_error.clear();
}

void StaffView::open(Desk& d, Mode mode, int64_t staffId) {
    closeDialogs();
    if (!d.user() || !d.isCoordinator()) return;
    const core::StaffMember* who = member(staffId);
    if (mode != Mode::Add && !who) return;
    m_owner = d.user()->id;
    m_mode = mode;
    m_justOpened = true;
    m_staffId = staffId;
    m_role = who ? who->role : core::Role::Desk;
}

void StaffView::openAdd(Desk& d) { open(d, Mode::Add, 0); }
void StaffView::openPin(Desk& d, int64_t staffId) { open(d, Mode::Pin, staffId); }
void StaffView::openRole(Desk& d, int64_t staffId) { open(d, Mode::Role, staffId); }
void StaffView::openName(Desk& d, int64_t staffId) {
    open(d, Mode::Name, staffId);
    if (const core::StaffMember* who = member(staffId); who && m_mode == Mode::Name) copyTo(m_name, who->name);
}
void StaffView::setName(const std::string& name) {
    m_fieldsSet = true;
    copyTo(m_name, name);
}

void StaffView::setPins(const std::string& pin, const std::string& again) {
    m_fieldsSet = true;
    copyTo(m_pin1, pin);
    copyTo(m_pin2, again);
}

void StaffView::setActive(Desk& d, int64_t staffId, bool active) {
    const core::StaffMember* who = member(staffId);
    if (!who || !d.isCoordinator()) return;
    const core::Actor actor = d.actor();
    const std::string name = who->name;
    d.write([actor, staffId, active](core::Store& s) { core::setStaffActive(s, actor, staffId, active); },
            [this, &d, staffId, active, name, actor] {
                reload(d);
                if (!stillSignedIn(d, actor)) return;
                d.toast(d.tr(active ? "staff.activated" : "staff.deactivated", {{"name", name}}), false,
                        [this, &d, staffId, active, actor] {
                            if (!stillSignedIn(d, actor)) return;
                            d.write([actor, staffId, active](core::Store& s) { core::setStaffActive(s, actor, staffId, !active); },
                                    [this, &d] {
                                        reload(d);
                                        d.toast(d.tr("staff.undone"));
                                    });
                        });
            });
}

void StaffView::save(Desk& d) {
    if (m_mode == Mode::None || m_busy) return;
    m_error.clear();
    const core::StaffMember* who = member(m_staffId);
    std::string name(m_name.data());
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    const bool typesName = m_mode == Mode::Add || m_mode == Mode::Name;
    if (typesName && name.empty()) return void(m_error = d.tr("error.staff.name"));
    if (m_mode != Mode::Add && !who) return closeDialogs();
    const std::string oldName = who ? who->name : std::string();
    if (m_mode == Mode::Name && name == oldName) return closeDialogs();
    if (!typesName) name = oldName;
    std::string pin;
    if (m_mode == Mode::Add || m_mode == Mode::Pin) {
        const bool same = std::strcmp(m_pin1.data(), m_pin2.data()) == 0;
        const bool valid = validPin(m_pin1.data(), m_pinMin);
        if (valid && same) pin = m_pin1.data();
        // Two PINs that cannot be used are typed again; good ones stay until the dialog closes, so a name that
        // is taken does not cost the PINs too.
        if (!valid || !same) wipePins();
        if (!valid) return void(m_error = d.tr("staff.pin_length", {{"count", static_cast<int64_t>(m_pinMin)}}));
        if (!same) return void(m_error = d.tr("staff.pins_differ"));
    }
    const Mode mode = m_mode;
    const core::Role role = m_role;
    const core::Role oldRole = who ? who->role : role;
    if (mode == Mode::Role && role == oldRole) return closeDialogs();
    const int64_t staffId = m_staffId;
    const core::Actor actor = d.actor();
    const uint64_t generation = m_generation;
    m_busy = true;
    // Errors (a name taken, the last coordinator) come back into the dialog: what was typed stays.
    d.read<std::optional<Desk::ErrorText>>(
        [=](core::Store& s) -> std::optional<Desk::ErrorText> {
            try {
                switch (mode) {
                case Mode::Add: core::addStaff(s, actor, name, role, pin); break;
                case Mode::Pin: core::setStaffPin(s, actor, staffId, pin); break;
                case Mode::Role: core::setStaffRole(s, actor, staffId, role); break;
                case Mode::Name: core::renameStaff(s, actor, staffId, name); break;
                case Mode::None: break;
                }
            } catch (const std::exception& e) {
                return Desk::ErrorText::of(e);
            }
            return std::nullopt;
        },
        [this, &d, generation, mode, name, oldName, role, oldRole, staffId, actor](std::optional<Desk::ErrorText> error) {
            const bool current = generation == m_generation && m_mode != Mode::None;
            if (current) m_busy = false;
            if (error) {
                if (current) m_error = d.describe(*error);
                else d.toast(d.describe(*error), true);
                return;
            }
            if (current) closeDialogs();
            reload(d);
            if (!stillSignedIn(d, actor)) return; // locked meanwhile
            switch (mode) {
            case Mode::Add: d.toast(d.tr("staff.added", {{"name", name}, {"role", roleLabel(d, role)}})); break;
            case Mode::Pin: d.toast(d.tr("staff.pin_saved", {{"name", name}})); break;
            case Mode::Name: d.toast(d.tr("staff.renamed", {{"old", oldName}, {"name", name}})); break;
            case Mode::Role:
                d.toast(d.tr("staff.role_saved", {{"name", name}, {"role", roleLabel(d, role)}}), false,
                        [this, &d, staffId, oldRole, actor] {
                            if (!stillSignedIn(d, actor)) return;
                            d.write([actor, staffId, oldRole](core::Store& s) { core::setStaffRole(s, actor, staffId, oldRole); },
                                    [this, &d] {
                                        reload(d);
                                        d.toast(d.tr("staff.undone"));
                                    });
                        });
                break;
            case Mode::None: break;
            }
        });
}

void StaffView::table(Desk& d, float height) {
    const ui::Theme& t = ui::theme();
    if (!m_loaded) {
        ui::iconText(ui::icon::Hourglass, d.tr("common.loading"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    if (m_staff.empty()) {
        ui::iconText(ui::icon::Info, d.tr("staff.empty"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    const std::string pinLabel = d.tr("staff.new_pin"), roleLabelText = d.tr("staff.change_role"),
                      offLabel = d.tr("staff.deactivate"), onLabel = d.tr("staff.activate");
    const float pinW = buttonWidth(pinLabel, ui::icon::Key), roleW = buttonWidth(roleLabelText, ui::icon::Groups),
                switchW = std::max(buttonWidth(offLabel, ui::icon::Block), buttonWidth(onLabel, ui::icon::Check));
    const float gap = 8;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("###staff", 5, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(d.tr("staff.name").c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(d.tr("staff.col.role").c_str());
    ImGui::TableSetupColumn(d.tr("staff.col.status").c_str());
    ImGui::TableSetupColumn(d.tr("staff.col.locked").c_str());
    ImGui::TableSetupColumn("###actions", ImGuiTableColumnFlags_WidthFixed, pinW + roleW + switchW + 2 * gap);
    ImGui::TableHeadersRow();
    const int64_t now = core::nowUnix();
    for (const auto& m : m_staff) {
        const bool self = d.user() && d.user()->id == m.id;
        const std::string id = std::to_string(m.id);
        const ImU32 color = m.active ? t.text : t.muted;
        ImGui::TableNextRow(0, kRowH + ImGui::GetStyle().CellPadding.y * 2);
        ImGui::PushID(static_cast<int>(m.id));
        ImGui::TableNextColumn();
        if (ui::button("staff.name." + id, ui::icon::Edit, "", ImVec2(kRowH, kRowH), ui::Tone::Quiet, d.lang()))
            openName(d, m.id);
        ImGui::SameLine(0, gap);
        cellText(self ? d.tr("staff.you", {{"name", m.name}}) : m.name, ui::fonts().bold, color);
        ImGui::TableNextColumn();
        cellText(roleLabel(d, m.role), ui::fonts().body, color);
        ImGui::TableNextColumn();
        if (m.active) markedText(ui::icon::Check, d.tr("staff.active"), ui::fonts().body, t.success);
        else markedText(ui::icon::Block, d.tr("staff.inactive"), ui::fonts().body, t.muted);
        ImGui::TableNextColumn();
        if (m.lockedUntil > now)
            markedText(ui::icon::Lock,
                       d.tr("staff.locked_until", {{"time", core::formatDateTime(d.lang(), m.lockedUntil, "HHmm")}}),
                       ui::fonts().bold, t.danger);
        else cellText("—", ui::fonts().body, t.muted);
        ImGui::TableNextColumn();
        if (ui::button("staff.pin." + id, ui::icon::Key, pinLabel, ImVec2(pinW, kRowH), ui::Tone::Surface, d.lang()))
            openPin(d, m.id);
        // Your own role and account stay as they are: nobody locks themselves out by a slip of the finger.
        if (!self) {
            ImGui::SameLine(0, gap);
            if (ui::button("staff.role." + id, ui::icon::Groups, roleLabelText, ImVec2(roleW, kRowH), ui::Tone::Surface,
                           d.lang()))
                openRole(d, m.id);
            ImGui::SameLine(0, gap);
            if (m.active) {
                if (ui::button("staff.deactivate." + id, ui::icon::Block, offLabel, ImVec2(switchW, kRowH), ui::Tone::Quiet,
                               d.lang()))
                    setActive(d, m.id, false);
            } else if (ui::button("staff.activate." + id, ui::icon::Check, onLabel, ImVec2(switchW, kRowH),
                                  ui::Tone::Primary, d.lang())) {
                setActive(d, m.id, true);
            }
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
}

void StaffView::draw(Desk& d) {
    const ui::Theme& t = ui::theme();
    if (m_mode != Mode::None && (!d.user() || d.user()->id != m_owner)) closeDialogs();
    if (!d.isCoordinator()) { // the shell hides this view from others; the store refuses them too
        ui::iconText(ui::icon::Lock, d.tr("error.role"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    const ImVec2 start = ImGui::GetCursorPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ui::textWrapped(d.tr("nav.staff"), d.lang(), ui::fonts().title, t.primary);
    {
        const ImVec2 after = ImGui::GetCursorPos();
        const std::string text = d.tr("staff.add");
        const float w = std::max(220.0f, buttonWidth(text, ui::icon::PersonAdd, 52));
        ImGui::SetCursorPos(ImVec2(start.x + width - w, start.y));
        if (ui::button("staff.add", ui::icon::PersonAdd, text, ImVec2(w, 52), ui::Tone::Primary, d.lang())) openAdd(d);
        ImGui::SetCursorPos(ImVec2(after.x, std::max(after.y, ImGui::GetCursorPos().y)));
    }
    ui::textWrapped(d.tr("staff.hint"), d.lang(), ui::fonts().body, t.muted);
    drawPinMinLength(d);
    table(d, ImGui::GetContentRegionAvail().y);
    drawDialog(d);
}

void StaffView::drawDialog(Desk& d) {
    if (m_mode == Mode::None && !ImGui::IsPopupOpen(kDialogId)) return;
    if (m_mode != Mode::None && m_justOpened) ImGui::OpenPopup(kDialogId);
    const bool first = m_justOpened;
    m_justOpened = false;
    const core::StaffMember* who = member(m_staffId);
    std::string title;
    switch (m_mode) {
    case Mode::Add: title = d.tr("staff.add"); break;
    case Mode::Pin: title = d.tr("staff.pin_title", {{"name", who ? who->name : std::string()}}); break;
    case Mode::Role: title = d.tr("staff.role_title", {{"name", who ? who->name : std::string()}}); break;
    case Mode::Name: title = d.tr("staff.rename_title", {{"name", who ? who->name : std::string()}}); break;
    case Mode::None: break;
    }
    title += kDialogId;
    if (!beginDialog(d, title, 760)) {
        if (m_mode != Mode::None) closeDialogs();
        return;
    }
    if (m_mode == Mode::None || (m_mode != Mode::Add && !who)) {
        closeDialogs();
        ImGui::CloseCurrentPopup();
        endDialog();
        return;
    }
    // A text field being edited owns its value (ImGui): a new dialog, or values set by a test, take it back.
    if (first || m_fieldsSet) ImGui::ClearActiveID();
    m_fieldsSet = false;
    const ui::Theme& t = ui::theme();
    const float fieldW = 420;
    const auto fieldLabel = [&](const std::string& text) { ui::textWrapped(text, d.lang(), ui::fonts().bold, t.text); };
    bool focusDone = !first;
    if (m_mode == Mode::Add || m_mode == Mode::Name) {
        fieldLabel(d.tr("staff.name"));
        ImGui::SetNextItemWidth(fieldW);
        if (!focusDone) ImGui::SetKeyboardFocusHere();
        focusDone = true;
        ImGui::InputText("##staff.dialog.name", m_name.data(), m_name.size());
        recordItem("staff.dialog.name");
    }
    if (m_mode == Mode::Add || m_mode == Mode::Role) {
        fieldLabel(d.tr("staff.col.role"));
        const float gap = ImGui::GetStyle().ItemSpacing.x;
        const float w = (ImGui::GetContentRegionAvail().x - gap * 2) / 3;
        for (size_t i = 0; i < std::size(kRoles); ++i) {
            if (i) ImGui::SameLine();
            const std::string word(core::word(kRoles[i]));
            const bool on = m_role == kRoles[i];
            if (ui::button("staff.dialog.role." + word, on ? ui::icon::Check : nullptr, roleLabel(d, kRoles[i]),
                           ImVec2(w, 60), on ? ui::Tone::Primary : ui::Tone::Quiet, d.lang()))
                m_role = kRoles[i];
        }
        ui::textWrapped(d.tr("staff.role_hint." + std::string(core::word(m_role))), d.lang(), ui::fonts().body, t.muted);
    }
    if (m_mode == Mode::Add || m_mode == Mode::Pin) {
        if (m_mode == Mode::Pin) ui::textWrapped(d.tr("staff.pin_hint"), d.lang(), ui::fonts().body, t.muted);
        const ImGuiInputTextFlags pinFlags = ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal;
        fieldLabel(d.tr("staff.pin"));
        ImGui::SetNextItemWidth(fieldW);
        if (!focusDone) ImGui::SetKeyboardFocusHere();
        ImGui::InputText("##staff.dialog.pin1", m_pin1.data(), m_pin1.size(), pinFlags);
        recordItem("staff.dialog.pin1");
        fieldLabel(d.tr("staff.pin_again"));
        ImGui::SetNextItemWidth(fieldW);
        ImGui::InputText("##staff.dialog.pin2", m_pin2.data(), m_pin2.size(), pinFlags);
        recordItem("staff.dialog.pin2");
    }
    warningLine(m_error);

    switch (dialogButtons(d, "staff.dialog.save", d.tr("common.save"), m_busy, first, "staff.dialog.cancel",
                          d.tr("common.cancel"))) {
    case DialogChoice::Confirm: save(d); break;
    case DialogChoice::Cancel:
        closeDialogs();
        ImGui::CloseCurrentPopup();
        break;
    case DialogChoice::None: break;
    }
    endDialog();
}

} // namespace inloop::desk
