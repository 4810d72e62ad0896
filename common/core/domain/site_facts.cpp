// Site facts set at the desk over site.ini (see site_facts.hpp).
#include "core/domain/site_facts.hpp"

#include "core/base/clock.hpp"
#include "core/domain/domain.hpp"
#include "core/base/error.hpp"
#include "core/i18n/i18n.hpp"

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
    return fromFile.get(key) || fromFile.get(splitLanguage(key).first);
}

} // namespace

void setSiteFact(Store& store, const Actor& actor, const SiteSettings& fromFile, std::string_view key,
                 std::string_view value) {
    if (!knownKey(fromFile, key))
        throw Error(ErrorKind::InvalidInput, "site_fact.unknown", "There is no site fact called " + std::string(key) + ".");
    if (value.size() > 400) throw Error(ErrorKind::InvalidInput, "site_fact.too_long", "A site fact has at most 400 characters.");
    if (value.find('\n') != std::string_view::npos)
        throw Error(ErrorKind::InvalidInput, "site_fact.one_line", "A site fact is one line.");
    if (!value.empty() && isPlaceholder(value))
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

std::vector<std::string> unsetSiteFacts(const SiteSettings& facts) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : facts.values()) {
        // A per-language wording ("site.opening_hours.en") is optional: the plain key stands for every language.
        if (splitLanguage(key).second.empty() && !facts.fact(key)) keys.push_back(key);
    }
    return keys;
}

} // namespace inloop::core
