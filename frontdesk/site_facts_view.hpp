// Site facts (coordinators, F10): the address, phone numbers, e-mail, website and opening hours (per language if
// wanted) that visitors read on the kiosk. site.ini gives the starting values; what is saved here is stored in
// public.db (the kiosk reads it) and audited. A placeholder is never shown to visitors: the line is left out
// until the fact is set (core/domain/site_facts.hpp).
#pragma once

#include "core/domain/site_facts.hpp"
#include "core/i18n/content.hpp"

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::desk {

class Desk;

class SiteFactsView {
public:
    void draw(Desk& d);
    void reload(Desk& d);
    // Tests: what a coordinator types and saves.
    void setValue(const std::string& key, const std::string& value);
    void save(Desk& d, const std::string& key);
    // Read aloud on the kiosk (issue 21): on/off, volume, speed and the spoken greeting, saved as site facts when
    // changed (core::KioskSpeech).
    const core::KioskSpeech& speech() const { return m_speech; }
    void saveSetting(Desk& d, std::string_view key, const std::string& value);
    // The rows: each key of site.ini, and per kiosk language a row for that language's opening hours.
    const std::vector<std::string>& keys() const { return m_keys; }
    bool loaded() const { return m_loaded; }

private:
    std::vector<std::string> rowKeys() const;
    void drawSpeech(Desk& d, float width);
    core::SiteSettings m_file;                  // site.ini as shipped or as the site edited it
    core::SiteSettings m_facts;                 // the file's with what is saved in public.db over them
    std::vector<std::string> m_keys;            // rowKeys(), at the last reload
    std::map<std::string, std::array<char, 401>> m_edit;
    core::KioskSpeech m_speech;                 // as saved, or as being changed here
    bool m_loaded = false;
};

} // namespace inloop::desk
