// The contact details dialog (see contact_dialog.hpp).
#include "contact_dialog.hpp"

#include "desk.hpp"
#include "views.hpp"

#include "core/i18n/i18n.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <algorithm>
#include <cstring>

namespace inloop::desk {

namespace {
// Languages heard at the desk most, then "other" (ISO 639-1 codes; stored as typed).
constexpr const auto& kLanguages = core::kContactLanguages;

template <typename E> bool choice(Desk& d, const char* group, E& value, float width) {
    bool changed = false;
    const auto& words = core::EnumWords<E>::words;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const int cols = static_cast<int>(words.size());
    // Wide enough for each label in at most two lines at full size ("Intake maatschappelijk werk"): else fewer to
    // a row, never a label shrunk to fit (the button's 18 px padding on each side).
    float w = std::max(110.0f, (width - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols));
    for (const auto& word : words) {
        const std::string label = d.tr(std::string(group) + "." + std::string(word));
        while (w < width && ui::wrapText(label, d.lang(), ui::fonts().bold, w - 2 * 18).size() > 2) w += 10;
    }
    w = std::min(w, width);
    float x = 0;
    for (size_t i = 0; i < words.size(); ++i) {
        if (i && x + w <= width) ImGui::SameLine();
        else if (i) x = 0;
        x += w + gap;
        const E option = static_cast<E>(i);
        const std::string id = std::string(group) + "." + std::string(words[i]);
        if (ui::button(id, nullptr, d.tr(std::string(group) + "." + std::string(words[i])), ImVec2(w, 48),
                       value == option ? ui::Tone::Primary : ui::Tone::Quiet, d.lang())) {
            value = option;
            changed = true;
        }
    }
    return changed;
}
} // namespace

void ContactDialog::open(Desk& d, int64_t contactId) {
    m_id = contactId;
    m_details = core::ContactDetails{};
    m_when.reset();
    m_hadCode = false;
    m_removeCode = false;
    m_code.fill(0);
    m_handouts.clear();
    for (const auto& r : d.today().contacts) {
        if (r.id != contactId) continue;
        m_details.gender = core::parseWord<core::Gender>(r.gender).value_or(core::Gender::Unknown);
        m_details.language = r.language;
        m_details.referral = core::parseWord<core::Referral>(r.referral).value_or(core::Referral::None);
        for (const auto& t : r.topics)
            if (auto topic = core::parseWord<core::Topic>(t)) m_details.topics.push_back(*topic);
        m_hadCode = r.hasCode;
    }
    m_open = true;
    m_justOpened = true;
    m_scrollToTop = true;
}

void ContactDialog::setCode(const std::string& code) {
    m_code.fill(0);
    std::strncpy(m_code.data(), code.c_str(), m_code.size() - 1);
}

void ContactDialog::save(Desk& d) {
    core::ContactDetails details = m_details;
    details.when.at = m_when.moment();
    const std::string code(m_code.data());
    if (!code.empty()) details.clientCode = code;
    else if (m_removeCode) details.clientCode = std::string();
    m_code.fill(0); // the typed code lives no longer than this
    const core::Actor actor = d.actor();
    const int64_t id = m_id;
    const std::map<int64_t, int> handouts = m_handouts;
    auto logged = std::make_shared<core::LoggedContact>();
    d.write(
        [=](core::Store& s) {
            core::Transaction tx(s.db()); // details and handouts together, or nothing
            *logged = core::updateContactDetails(s, actor, id, details);
            for (const auto& [item, count] : handouts) {
                if (count <= 0) continue;
                core::StockChange ch;
                ch.itemId = item;
                ch.kind = core::StockKind::Handout;
                ch.quantity = count;
                ch.contactId = id;
                core::moveStock(s, actor, ch);
            }
            tx.commit();
        },
        [&d, logged] {
            d.toast(!logged->clientId   ? d.tr("details.saved")
                    : logged->firstEver ? d.tr("details.saved_new")
                                        : d.tr("details.saved_known", {{"visit", int64_t{logged->visitsThisYear}}}));
        });
    m_open = false;
}

void ContactDialog::draw(Desk& d) {
    if (!m_open) return;
    if (m_justOpened) {
        ImGui::OpenPopup("###contact_details");
        m_justOpened = false;
    }
    const ImVec2 size(std::min(1100.0f, static_cast<float>(d.app().width()) - 60),
                      std::min(900.0f, static_cast<float>(d.app().height()) - 40));
    ImGui::SetNextWindowSize(size);
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(d.app().width()) * 0.5f, static_cast<float>(d.app().height()) * 0.5f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    const std::string title = d.tr("details.title") + "###contact_details";
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove)) {
        m_open = false;
        return;
    }
    const ui::Theme& t = ui::theme();
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::BeginChild("###fields", ImVec2(width, ImGui::GetContentRegionAvail().y - 80));
    if (m_scrollToTop) {
        ImGui::SetScrollY(0);
        m_scrollToTop = false;
    }
    ui::textWrapped(d.tr("details.gender"), d.lang(), ui::fonts().bold, t.text);
    choice(d, "gender", m_details.gender, width - 40);
    m_when.draw(d, "details.when");
    ui::textWrapped(d.tr("details.language"), d.lang(), ui::fonts().bold, t.text);
    ImGui::SetNextItemWidth(360);
    const std::string current = m_details.language == core::kLanguageNotAsked
                                    ? languageLabel(d, m_details.language)
                                    : m_details.language + " · " + languageLabel(d, m_details.language);
    if (ImGui::BeginCombo("##language", current.c_str())) {
        if (ImGui::Selectable(languageLabel(d, core::kLanguageNotAsked).c_str(),
                              m_details.language == core::kLanguageNotAsked))
            m_details.language = core::kLanguageNotAsked;
        for (const char* code : kLanguages) {
            const std::string label = std::string(code) + " · " + core::languageNameIn(code, d.lang());
            if (ImGui::Selectable(label.c_str(), m_details.language == code)) m_details.language = code;
        }
        ImGui::EndCombo();
    }
    ui::textWrapped(d.tr("details.topics"), d.lang(), ui::fonts().bold, t.text);
    {
        const float gap = ImGui::GetStyle().ItemSpacing.x;
        const float w = (width - 40 - gap * 3) / 4;
        int i = 0;
        for (const auto& word : core::EnumWords<core::Topic>::words) {
            if (i++ % 4) ImGui::SameLine();
            const core::Topic topic = *core::parseWord<core::Topic>(word);
            auto it = std::find(m_details.topics.begin(), m_details.topics.end(), topic);
            const bool on = it != m_details.topics.end();
            if (ui::button("topic." + std::string(word), on ? ui::icon::Check : nullptr, d.tr("topic." + std::string(word)),
                           ImVec2(w, 48), on ? ui::Tone::Primary : ui::Tone::Quiet, d.lang())) {
                if (on) m_details.topics.erase(it);
                else m_details.topics.push_back(topic);
            }
        }
    }
    ui::textWrapped(d.tr("details.referral"), d.lang(), ui::fonts().bold, t.text);
    choice(d, "referral", m_details.referral, width - 40);
    ui::textWrapped(d.tr("details.code"), d.lang(), ui::fonts().bold, t.text);
    ui::textWrapped(d.tr(m_hadCode ? "details.code_kept" : "details.code_hint"), d.lang(), ui::fonts().body, t.muted);
    ImGui::SetNextItemWidth(360);
    const bool codeEnter = ImGui::InputText("##code", m_code.data(), m_code.size(),
                                            ImGuiInputTextFlags_CharsUppercase | ImGuiInputTextFlags_EnterReturnsTrue);
    if (m_hadCode) {
        ImGui::SameLine();
        ImGui::Checkbox(d.tr("details.remove_code").c_str(), &m_removeCode);
    }
    ui::textWrapped(d.tr("details.handouts"), d.lang(), ui::fonts().bold, t.text);
    for (const auto& item : d.stock()) {
        ImGui::PushID(static_cast<int>(item.id));
        int& n = m_handouts[item.id];
        if (ui::button("handout.minus." + item.code, ui::icon::Remove, "", ImVec2(48, 44), ui::Tone::Quiet, d.lang()) && n > 0) --n;
        ImGui::SameLine();
        ImGui::Text("%3d", n);
        ImGui::SameLine();
        if (ui::button("handout.plus." + item.code, ui::icon::Add, "", ImVec2(48, 44), ui::Tone::Quiet, d.lang()) && n < 500) ++n;
        ImGui::SameLine();
        ImGui::TextUnformatted((item.name + "  (" + d.tr("supplies.in_stock", {{"count", item.stock}}) + ")").c_str());
        ImGui::PopID();
    }
    ImGui::EndChild();
    const float bw = 260;
    if (ui::button("details.save", ui::icon::Check, d.tr("common.save") + "  (Enter)", ImVec2(bw, 60), ui::Tone::Primary,
                   d.lang()) ||
        codeEnter || (!ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false)) {
        save(d);
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ui::button("details.cancel", ui::icon::Close, d.tr("common.cancel") + "  (Esc)", ImVec2(bw, 60), ui::Tone::Quiet,
                   d.lang()) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
        close();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

} // namespace inloop::desk
