// UI messages (gettext PO files holding ICU MessageFormat) and locale-aware formatting through ICU.
//
// Message files: locales/<lang>.po, msgid = a stable key ("home.register"), msgstr = an ICU MessageFormat
// pattern with named arguments ("{count, plural, one {# place} other {# places}}"). nl.po is the source.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <unicode/uversion.h> // declares the versioned icu namespace for the forward declaration below

U_NAMESPACE_BEGIN
class MessageFormat;
U_NAMESPACE_END

namespace inloop::core {

// The kiosk's languages, in the order the welcome screen shows them; nl is the source.
inline constexpr std::array<std::string_view, 8> kLanguages{"nl", "en", "es", "ro", "bg", "hu", "zh", "th"};
// The front desk's languages (staff): Dutch and English.
inline constexpr std::array<std::string_view, 2> kDeskLanguages{"nl", "en"};
inline constexpr std::string_view kSourceLanguage = "nl";
bool isSupportedLanguage(std::string_view lang);

using MessageArg = std::variant<int64_t, double, std::string>;
struct NamedArg {
    std::string_view name;
    MessageArg value;
};

struct LocaleProblem {
    std::string where;   // "ro.po:12" or "assets/content/th/shelter.md"
    std::string message; // one plain sentence
};

class Messages {
public:
    // Reads <lang>.po in localesDir for each language (default: the kiosk's eight); a file that is missing or
    // does not parse is recorded in problems(). The front desk's own catalog (locales/desk/) has nl and en.
    explicit Messages(const std::filesystem::path& localesDir,
                      std::vector<std::string> languages = {kLanguages.begin(), kLanguages.end()});
    ~Messages();
    Messages(const Messages&) = delete;
    Messages& operator=(const Messages&) = delete;

    // The message in `lang`, else en, else nl; with markMissing on (the tours), a fallback shows as "[?lang] text"
    // and an unknown key as "[key]". Never throws: a broken pattern shows its key.
    std::string tr(std::string_view lang, std::string_view key, std::initializer_list<NamedArg> args = {}) const;
    bool has(std::string_view lang, std::string_view key) const;
    void setMarkMissing(bool on) { m_markMissing = on; }

    struct Entry {
        std::string text;
        size_t line = 0;
        mutable std::unique_ptr<icu::MessageFormat> compiled; // built on first use
    };
    using Catalog = std::map<std::string, Entry, std::less<>>;
    const Catalog* catalog(std::string_view lang) const;
    const std::vector<LocaleProblem>& problems() const { return m_problems; }
    const std::filesystem::path& directory() const { return m_dir; }
    const std::vector<std::string>& languages() const { return m_languages; }
    // The file header's X-Inloop-Review field: "draft" until a native speaker has reviewed the file.
    std::string reviewState(std::string_view lang) const;

private:
    const Entry* find(std::string_view lang, std::string_view key) const;
    std::string format(std::string_view lang, const Entry& e, std::string_view key,
                       std::initializer_list<NamedArg> args) const;

    std::filesystem::path m_dir;
    std::vector<std::string> m_languages;
    std::map<std::string, Catalog, std::less<>> m_catalogs;
    std::map<std::string, std::string, std::less<>> m_review;
    std::vector<LocaleProblem> m_problems;
    bool m_markMissing = false;
};

// Locale-aware formatting, in the site's time zone.
std::string formatNumber(std::string_view lang, double value, int maxFractionDigits = 0);
// A date/time by skeleton (DateTimePatternGenerator), e.g. "EEEEHHmm" → "donderdag 13:00", "yMMMMd", "HHmm".
std::string formatDateTime(std::string_view lang, int64_t unixSeconds, std::string_view skeleton);
std::string formatWeekdayTime(std::string_view lang, int64_t unixSeconds); // weekday + 24-hour time
// A language's own name for itself, capitalised for a list in the UI: "Română", "Български", "中文", "ไทย".
std::string nativeLanguageName(std::string_view lang);
// A language's name in another language, capitalised: ("ro", "nl") → "Roemeens".
std::string languageNameIn(std::string_view lang, std::string_view displayLang);
// Sorts strings as people of that language expect (ICU collation).
void sortForLanguage(std::string_view lang, std::vector<std::string>& items);
// The CLDR plural categories of a language ("one", "few", "other", …).
std::vector<std::string> pluralCategories(std::string_view lang);

// What `inloopctl i18n-check` reports for the messages of every language the catalog was loaded with: keys
// missing or extra against nl, patterns that do not parse, argument names that differ from nl, plural categories
// wrong for the language. `prefix` goes before file names in the report ("desk/").
std::vector<LocaleProblem> checkMessages(const Messages& messages, const std::string& prefix = "");

} // namespace inloop::core
