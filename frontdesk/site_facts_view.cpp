// The site facts view (see site_facts_view.hpp).
#include "site_facts_view.hpp"

#include "desk.hpp"
#include "supplies_view.hpp" // recordItem

#include "core/i18n/i18n.hpp"
#include "core/base/install_paths.hpp"
#include "core/domain/site_facts.hpp"
#include "core/i18n/speech.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstring>

namespace inloop::desk {

namespace {

void copyTo(std::array<char, 401>& buf, const std::string& text) {
    buf.fill(0);
    std::memcpy(buf.data(), text.data(), std::min(text.size(), buf.size() - 1));
}

} // namespace

std::vector<std::string> SiteFactsView::rowKeys() const {
    // The centre's own facts first, in the order a visitor meets them; then national numbers; then any key the
    // site added to its site.ini.
    static const char* const kOrder[] = {"site.name", "site.address", "site.opening_hours", "site.phone",
                                         "site.email", "site.website", "shelter.phone", "emergency.number",
                                         "police.number", "csg.phone", "mma.phone"};
    std::vector<std::string> out;
    const auto add = [&](const std::string& key) {
        if (std::find(out.begin(), out.end(), key) != out.end() || !m_file.get(key) || core::isKioskSetting(key))
            return; // a kiosk setting has its own control below the facts
        out.push_back(key);
        if (key == "site.opening_hours")
            for (std::string_view l : core::kLanguages) out.push_back(key + "." + std::string(l));
    };
    for (const char* key : kOrder) add(key);
    for (const auto& [key, value] : m_file.values()) add(key);
    return out;
}

void SiteFactsView::reload(Desk& d) {
    m_file = core::SiteSettings::load(core::siteFile(d.options().root));
    d.read<std::map<std::string, std::string>>([](core::Store& s) { return core::loadSiteFacts(s.db()); },
                                               [this](std::map<std::string, std::string> facts) {
                                                   m_keys = rowKeys();
                                                   m_facts = core::withDeskFacts(m_file, facts);
                                                   m_speech = core::kioskSpeech(m_facts);
                                                   for (const std::string& key : m_keys) {
                                                       auto it = facts.find(key);
                                                       const std::string* file = m_file.get(key);
                                                       copyTo(m_edit[key], it != facts.end() ? it->second
                                                                           : file && !core::isPlaceholder(*file) ? *file
                                                                                                                 : "");
                                                   }
                                                   m_loaded = true;
                                               });
}

void SiteFactsView::setValue(const std::string& key, const std::string& value) { copyTo(m_edit[key], value); }

void SiteFactsView::save(Desk& d, const std::string& key) { saveSetting(d, key, m_edit[key].data()); }

void SiteFactsView::saveSetting(Desk& d, std::string_view keyView, const std::string& value) {
    if (!d.isCoordinator()) return;
    const core::Actor actor = d.actor();
    const std::string key(keyView);
    const core::SiteSettings file = m_file;
    d.write([actor, file, key, value](core::Store& s) { core::setSiteFact(s, actor, file, key, value); },
            [this, &d] {
                reload(d);
                d.reloadNetStatus();
                d.toast(d.tr("site.saved"));
            });
}

void SiteFactsView::draw(Desk& d) {
    const ui::Theme& t = ui::theme();
    if (!d.isCoordinator()) {
        ui::iconText(ui::icon::Lock, d.tr("error.role"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    ui::textWrapped(d.tr("nav.site"), d.lang(), ui::fonts().title, t.primary);
    ui::textWrapped(d.tr("site.intro"), d.lang(), ui::fonts().body, t.muted);
    if (!m_loaded) {
        ui::iconText(ui::icon::Hourglass, d.tr("common.loading"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    ImGui::BeginChild("###site_scroll", ImVec2(0, 0), false);
    const float width = ImGui::GetContentRegionAvail().x;
    const float buttonW = 200;
    for (const std::string& key : m_keys) {
        const std::string lang(core::splitLanguage(key).second);
        std::string label = lang.empty() ? d.tr("site_fact." + key)
                                         : d.tr("site_fact.site.opening_hours") + " · " + core::languageNameIn(lang, d.lang());
        if (lang.empty() && !d.hasMessage("site_fact." + key)) label = key; // a key the site added to site.ini
        const bool unset = lang.empty() && !m_facts.fact(key);
        ImGui::PushID(key.c_str());
        // A language's own wording is optional (the plain opening hours stand for every language).
        const char* icon = !lang.empty() ? ui::icon::Translate : unset ? ui::icon::Warning : ui::icon::Check;
        ui::iconText(icon, label + (unset ? " · " + d.tr("site.not_set") : !lang.empty() ? " · " + d.tr("site.optional") : ""),
                     ui::fonts().bold, unset ? t.danger : !lang.empty() ? t.muted : t.text, d.lang(), width);
        ImGui::SetNextItemWidth(width - buttonW - ImGui::GetStyle().ItemSpacing.x);
        ImGui::InputText("##value", m_edit[key].data(), m_edit[key].size());
        recordItem("site." + key);
        ImGui::SameLine();
        if (ui::button("site.save." + key, ui::icon::Check, d.tr("common.save"), ImVec2(buttonW, ImGui::GetFrameHeight()), ui::Tone::Primary,
                       d.lang()))
            save(d, key);
        ImGui::Dummy(ImVec2(0, 6));
        ImGui::PopID();
    }
    drawSpeech(d, width);
    ImGui::EndChild();
}

void SiteFactsView::drawSpeech(Desk& d, float width) {
    const ui::Theme& t = ui::theme();
    ImGui::Dummy(ImVec2(0, 12));
    ui::textWrapped(d.tr("site.speech"), d.lang(), ui::fonts().heading, t.text);
    ui::textWrapped(d.tr("site.speech_intro"), d.lang(), ui::fonts().body, t.muted);
    const auto onOff = [](bool on) { return std::string(on ? "on" : "off"); };
    if (ImGui::Checkbox(d.tr("site.read_aloud").c_str(), &m_speech.readAloud))
        saveSetting(d, core::kReadAloudKey, onOff(m_speech.readAloud));
    recordItem("site.read_aloud");
    ImGui::BeginDisabled(!m_speech.readAloud);
    const float sliderW = std::min(width * 0.5f, 420.0f);
    const auto slider = [&](const char* id, const std::string& label, int& value, int lo, int hi,
                            std::string_view key) {
        ui::textWrapped(label, d.lang(), ui::fonts().body, t.text);
        ImGui::SetNextItemWidth(sliderW);
        ImGui::SliderInt(id, &value, lo, hi, "%d %%", ImGuiSliderFlags_AlwaysClamp);
        if (ImGui::IsItemDeactivatedAfterEdit()) saveSetting(d, key, std::to_string(value));
        recordItem(std::string("site.") + (id + 2));
    };
    slider("##read_aloud_volume", d.tr("site.read_aloud_volume"), m_speech.volume, core::kQuietest, core::kLoudest,
           core::kReadAloudVolumeKey);
    slider("##read_aloud_speed", d.tr("site.read_aloud_speed"), m_speech.speed, core::speech::kSlowest,
           core::speech::kFastest, core::kReadAloudSpeedKey);
    ImGui::EndDisabled();
    if (ImGui::Checkbox(d.tr("site.spoken_greeting").c_str(), &m_speech.greeting))
        saveSetting(d, core::kSpokenGreetingKey, onOff(m_speech.greeting));
    recordItem("site.spoken_greeting");
}

} // namespace inloop::desk
