// Site facts as visitors see them: /etc/inloop/site.ini (assets/site.ini in a checkout) is the starting value,
// and what a coordinator sets at the desk (public.db's site_fact, audited) wins. A value that is still the
// shipped placeholder is never shown (SiteSettings::fact, fillVisible), and the site is not ready for go-live
// while any remain (`inloopctl check`, the desk's side bar).
#pragma once

#include "core/i18n/content.hpp"
#include "core/store/store.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace inloop::core {

struct Actor;

// The facts set at the desk: key → value (keys as in site.ini, or "key.lang" for one language's wording).
std::map<std::string, std::string> loadSiteFacts(Database& db);

// The file's facts with the desk's over them.
SiteSettings withDeskFacts(SiteSettings fromFile, const std::map<std::string, std::string>& desk);

// Coordinators: set a fact the file knows ("site.phone", or "site.opening_hours.en" for one language); an empty
// value goes back to the file's. A placeholder ("IN TE VULLEN", a 000 number) is refused: say nothing instead.
void setSiteFact(Store& store, const Actor& actor, const SiteSettings& fromFile, std::string_view key,
                 std::string_view value);

// "site.opening_hours.en" → {"site.opening_hours", "en"}; a key without a kiosk language → {key, ""}.
std::pair<std::string_view, std::string_view> splitLanguage(std::string_view key);

// The keys still to be set before go-live (sorted), after the desk's values.
std::vector<std::string> unsetSiteFacts(const SiteSettings& facts);

// ---- Read aloud on the kiosk (issue 21) --------------------------------------------------------------------------
// Kiosk settings a coordinator sets at the desk, stored and audited as site facts (setSiteFact) under these keys,
// which need not be in site.ini; unset, they take the defaults below.
inline constexpr std::string_view kReadAloudKey = "kiosk.read_aloud";          // "on" | "off"
inline constexpr std::string_view kReadAloudVolumeKey = "kiosk.read_aloud.volume"; // 10–100 (percent)
inline constexpr std::string_view kReadAloudSpeedKey = "kiosk.read_aloud.speed";   // 50–200 (percent of normal)
inline constexpr std::string_view kSpokenGreetingKey = "kiosk.spoken_greeting";    // "on" | "off"
inline constexpr int kQuietest = 10, kLoudest = 100;

struct KioskSpeech {
    bool readAloud = true;  // the Read aloud button on the kiosk's pages
    int volume = 100;       // percent of the voice's full loudness
    int speed = 100;        // percent of espeak-ng's normal pace
    bool greeting = false;  // the welcome screen says "Choose your language" in each language (the room hears it)
};
KioskSpeech kioskSpeech(const SiteSettings& site);
bool isKioskSetting(std::string_view key);

} // namespace inloop::core
