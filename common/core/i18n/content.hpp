// Info pages (assets/content/<lang>/<topic>.md): a small Markdown subset, and the site settings they refer to.
//
// The subset: "# Title", "## Heading", paragraphs (consecutive lines join), "- list item", **bold**.
// Anything else is kept as plain text. Placeholders {{key}} are filled from assets/site.ini.
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::core {

// The kiosk's topics, in the order the Topics screen shows them.
inline constexpr std::array<std::string_view, 11> kTopics{
    "safe_work", "sti_test", "money", "law", "work_rights", "housing",
    "exploitation", "shelter", "youth", "other_work", "contact"};

struct Span {
    std::string text;
    bool bold = false;
};

struct Block {
    enum class Kind { Title, Heading, Paragraph, ListItem };
    Kind kind = Kind::Paragraph;
    std::vector<Span> spans;
    std::string plainText() const;
};

struct Page {
    std::vector<Block> blocks;
    std::string title() const; // the first Title block's text, or empty
};

// Never throws; any byte sequence gives a page (unclosed ** is literal text).
// Leading header lines ("X-Inloop-Facts: unchecked") are metadata for the checks and are skipped.
Page parseMarkdown(std::string_view text);

// The pieces of a text between separators, each trimmed of spaces, tabs and a carriage return (views into `text`);
// a separator at the very end gives no empty last piece.
std::vector<std::string_view> splitTrimmed(std::string_view text, char separator);
inline std::vector<std::string_view> trimmedLines(std::string_view text) { return splitTrimmed(text, '\n'); }

// The value of a leading header line "<name>: value" of a page, or empty if the page has none.
std::string pageHeader(std::string_view text, std::string_view name);

// Site facts that are not in the source documents (address, phone, hours): one file, one place.
class SiteSettings {
public:
    SiteSettings() = default;
    // "key = value" lines; "#" or ";" comments; blank lines ignored.
    static SiteSettings load(const std::filesystem::path& file);
    static SiteSettings parse(std::string_view text);
    const std::string* get(std::string_view key) const;
    // A fact a visitor may see: nullptr when it is missing or still a shipped placeholder (see isPlaceholder).
    // `lang` first tries "key.lang" (opening hours per language), then "key".
    const std::string* fact(std::string_view key, std::string_view lang = {}) const;
    // The site's own values (set at the desk, stored in public.db) over the file's.
    void set(std::string_view key, std::string value) { m_values[std::string(key)] = std::move(value); }
    // Replaces every {{key}}; unknown keys stay visible as {{key}} and are listed in `unknown` if given.
    // Values of keys ending in "phone" or "number" get no-break spaces, so they never wrap; in other values a
    // number stays with the word before it (keepNumbersWithWords: "Spot 46" is one name).
    std::string fill(std::string_view text, std::vector<std::string>* unknown = nullptr) const;
    // What a visitor reads: like fill, but a list item or sentence that names a missing or placeholder fact is
    // left out (never "ADRES IN TE VULLEN" or +31 70 000 0000 on a kiosk). Sentences are cut with ICU for `lang`.
    std::string fillVisible(std::string_view text, std::string_view lang) const;
    const std::map<std::string, std::string, std::less<>>& values() const { return m_values; }
    // The space before a word that starts with a digit as a no-break space: "Spot 46", "bed 7" never break there.
    static std::string keepNumbersWithWords(std::string_view text);

private:
    std::map<std::string, std::string, std::less<>> m_values;
};

// Line breaking: ICU's dictionary splits some compounds a reader needs whole (th การค้ามนุษย์ "trafficking" becomes
// การ|ค้า|มนุษย์). Removes from `breaks` (byte offsets into `text`, ascending) every offset strictly inside such a
// compound of `lang`; a compound wider than a line is still split by the layout's long-word rule.
void keepCompoundsTogether(std::string_view text, std::string_view lang, std::vector<size_t>& breaks);

// A shipped placeholder, not a fact: empty, "IN TE VULLEN" / "TO BE SET", an e-mail or website at
// example.invalid, or a phone number with "000 000" in it (the +31 70 000 0000 the package ships).
bool isPlaceholder(std::string_view value);

// Reads a page for a language, falling back to en then nl; facts filled as a visitor sees them (fillVisible). Empty page if none exists.
Page loadPage(const std::filesystem::path& assetsDir, std::string_view lang, std::string_view topic,
              const SiteSettings& settings);
std::filesystem::path pagePath(const std::filesystem::path& assetsDir, std::string_view lang, std::string_view topic);

} // namespace inloop::core
