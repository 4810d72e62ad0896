// Site facts set at the desk over site.ini (see site_facts.hpp).
#include "core/domain/site_facts.hpp"

#include "core/base/clock.hpp"
#include "core/domain/domain.hpp"
#include "core/base/error.hpp"
#include "core/i18n/i18n.hpp"
#include "core/i18n/speech.hpp"

#include <optional>

namespace inloop::core {

std::map<std::string, std::string> loadSiteFacts(Database& db) {
    std::map<std::string, std::string> facts;
    Statement& st = db.prepare("SELECT key, value FROM site_fact ORDER BY key");
    while (st.step()) facts[st.getText(0)] = st.getText(1);
    st.reset();
    return facts;
}

SiteSettings withDeskFacts(SiteSettings fromFile, const std::map<std::string, std::string>& desk) {
    for (const auto& [key, value] : desk) fromFile.set(key, value);
    return fromFile;
}

std::pair<std::string_view, std::string_view> splitLanguage(std::string_view key) {
    const size_t dot = key.rfind('.');
    if (dot != std::string_view::npos)
        for (std::string_view l : kLanguages)
            if (key.substr(dot + 1) == l) return {key.substr(0, dot), l};
    return {key, {}};
}

namespace {

// "site.phone" or "site.opening_hours.en": a key of the file, with an optional language of the kiosk.
bool knownKey(const SiteSettings& fromFile, std::string_view key) {
    return fromFile.get(key) || fromFile.get(splitLanguage(key).first) || isKioskSetting(key);
}

std::optional<int> wholeNumber(std::string_view v) {
    if (v.empty() || v.size() > 4) return std::nullopt;
    int n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

// A kiosk setting's value, or nullopt when it is not one the kiosk understands.
std::optional<int> settingValue(std::string_view key, std::string_view v) {
    if (key == kReadAloudKey || key == kSpokenGreetingKey) {
        if (v == "on") return 1;
        if (v == "off") return 0;
        return std::nullopt;
    }
    const auto n = wholeNumber(v);
    if (!n) return std::nullopt;
    if (key == kReadAloudVolumeKey && *n >= kQuietest && *n <= kLoudest) return n;
    if (key == kReadAloudSpeedKey && *n >= speech::kSlowest && *n <= speech::kFastest) return n;
    return std::nullopt;
}

} // namespace

void setSiteFact(Store& store, const Actor& actor, const SiteSettings& fromFile, std::string_view key,
                 std::string_view value) {
    if (!knownKey(fromFile, key))
        throw Error(ErrorKind::InvalidInput, "site_fact.unknown", "There is no site fact called " + std::string(key) + ".");
    if (value.size() > 400) throw Error(ErrorKind::InvalidInput, "site_fact.too_long", "A site fact has at most 400 characters.");
    if (value.find('\n') != std::string_view::npos)
        throw Error(ErrorKind::InvalidInput, "site_fact.one_line", "A site fact is one line.");
    if (!value.empty() && isKioskSetting(key) && !settingValue(key, value))
        throw Error(ErrorKind::InvalidInput, "site_fact.setting",
                    "That is not a value for " + std::string(key) + ": on or off; a volume of " +
                        std::to_string(kQuietest) + " to " + std::to_string(kLoudest) + "; a speed of " +
                        std::to_string(speech::kSlowest) + " to " + std::to_string(speech::kFastest) + ".");
    if (!value.empty() && !isKioskSetting(key) && isPlaceholder(value))
        throw Error(ErrorKind::InvalidInput, "site_fact.placeholder",
                    "That is a placeholder, not a fact: leave it empty until you know the real value.");
    Transaction tx(store.db());
    requireRole(store, actor, {Role::Coordinator});
    if (value.empty()) {
        Statement& del = store.db().prepare("DELETE FROM site_fact WHERE key = ?");
        del.bindAll(key).run();
    } else {
        Statement& up = store.db().prepare(
            "INSERT INTO site_fact(key, value, changed_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at");
        up.bindAll(key, value, nowUnix()).run();
    }
    audit(store, actor, value.empty() ? "clear" : "set", "site_fact", std::nullopt, std::string(key) + " = " + std::string(value.substr(0, 300)));
    tx.commit();
}

bool isKioskSetting(std::string_view key) {
    return key == kReadAloudKey || key == kReadAloudVolumeKey || key == kReadAloudSpeedKey || key == kSpokenGreetingKey;
}

KioskSpeech kioskSpeech(const SiteSettings& site) {
    KioskSpeech out;
    // A value the kiosk does not understand (a hand-edited site.ini) leaves the default.
    const auto value = [&site](std::string_view key) -> std::optional<int> {
        const std::string* v = site.get(key);
        return v ? settingValue(key, *v) : std::nullopt;
    };
    if (auto v = value(kReadAloudKey)) out.readAloud = *v != 0;
    if (auto v = value(kReadAloudVolumeKey)) out.volume = *v;
    if (auto v = value(kReadAloudSpeedKey)) out.speed = *v;
    if (auto v = value(kSpokenGreetingKey)) out.greeting = *v != 0;
    return out;
}

std::vector<std::string> unsetSiteFacts(const SiteSettings& facts) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : facts.values()) {
        if (isKioskSetting(key)) continue; // a setting, not a fact a visitor reads
        // A per-language wording ("site.opening_hours.en") is optional: the plain key stands for every language.
        if (splitLanguage(key).second.empty() && !facts.fact(key)) keys.push_back(key);
    }
    return keys;
}

} // namespace inloop::core
