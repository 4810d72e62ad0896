// The translation completeness check (see i18n_check.hpp).
#include "core/i18n/i18n_check.hpp"

#include "core/i18n/content.hpp"
#include "core/i18n/fonts.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace inloop::core {

namespace {
std::string readText(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The section structure of a page: one letter per block kind, e.g. "TPHPLLHP".
std::string shape(const Page& page) {
    std::string s;
    for (const auto& b : page.blocks) {
        switch (b.kind) {
        case Block::Kind::Title: s += 'T'; break;
        case Block::Kind::Heading: s += 'H'; break;
        case Block::Kind::Paragraph: s += 'P'; break;
        case Block::Kind::ListItem: s += 'L'; break;
        }
    }
    return s;
}

size_t count(const std::string& s, char c) { return static_cast<size_t>(std::count(s.begin(), s.end(), c)); }

// "a; b ;c" -> {"a", "b", "c"}; "-" or empty means none.
std::vector<std::string> splitList(std::string_view cell) {
    std::vector<std::string> out;
    for (const std::string_view item : splitTrimmed(cell, ';'))
        if (!item.empty() && item != "-") out.emplace_back(item);
    return out;
}

// Case folding for every script (Latin, Cyrillic); CJK and Thai have no case and stay as they are.
std::string lower(std::string_view s) {
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size()))).toLower().toUTF8String(out);
    return out;
}

// Every run of spaces, tabs, line breaks and no-break spaces (U+00A0, U+202F) as one space: "Wetten en" + a
// no-break space + "regels" looks like, and is, the variant "Wetten en regels".
std::string singleSpaced(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
        size_t width = 0;
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') width = 1;
        else if (s.compare(i, 2, "\xC2\xA0") == 0) width = 2;
        else if (s.compare(i, 3, "\xE2\x80\xAF") == 0) width = 3;
        if (width == 0) {
            out += s[i++];
            continue;
        }
        if (out.empty() || out.back() != ' ') out += ' ';
        i += width;
    }
    return out;
}

// Scripts written with spaces between words: there a variant must stand as a whole word ("STI", not "testi").
bool spacedLetter(UChar32 c) {
    if (!u_isalpha(c)) return false;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    return script != USCRIPT_HAN && script != USCRIPT_THAI;
}

bool letterBefore(const std::string& s, size_t at) {
    if (at == 0) return false;
    int32_t i = static_cast<int32_t>(at);
    UChar32 c = 0;
    U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, i, c);
    return c >= 0 && spacedLetter(c);
}

bool letterAt(const std::string& s, size_t at) {
    if (at >= s.size()) return false;
    int32_t i = static_cast<int32_t>(at);
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
    return c >= 0 && spacedLetter(c);
}

// Whether `word` occurs in `text`, not glued to a letter of a spaced script on an edge where the word has one.
bool containsWord(const std::string& text, const std::string& word) {
    if (word.empty()) return false;
    const bool letterFirst = letterAt(word, 0), letterLast = letterBefore(word, word.size());
    for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1))
        if (!(letterFirst && letterBefore(text, at)) && !(letterLast && letterAt(text, at + word.size()))) return true;
    return false;
}

// The glossary rules of the tree; a missing glossary is a problem, not an empty rule set.
std::vector<GlossaryRule> loadGlossary(const std::filesystem::path& file, std::vector<LocaleProblem>& problems) {
    const std::string text = std::filesystem::is_regular_file(file) ? readText(file) : std::string();
    auto rules = parseGlossary(text);
    if (rules.empty()) problems.push_back({file.string(), "The glossary has no \"## Terms\" table."});
    return rules;
}

// The text a visitor reads on a page: a paragraph's lines joined by a space, bold marks dropped. The glossary is
// checked on this, so a variant split over two lines of the file or half in bold is still found.
std::string visibleText(std::string_view page) {
    std::string out;
    for (const Block& b : parseMarkdown(page).blocks) out += b.plainText() + "\n";
    return out;
}

void checkGlossary(std::string_view text, std::string_view lang, const std::string& where,
                   const std::vector<GlossaryRule>& rules, std::vector<LocaleProblem>& problems) {
    for (const auto& v : avoidedVariants(text, lang, rules))
        problems.push_back({where, "uses the avoided variant " + v + " (locales/GLOSSARY.md)."});
}

// Phone numbers live in site.ini, never in a page: a number written out in a page stays wrong when the site changes
// it and is never left out while it is a placeholder. Finds a run of digits, spaces, dashes and "+" holding 7 or
// more digits, and a value of a *.phone / *.number key (112, 0800-0188) standing on its own.
std::vector<std::string> writtenPhoneNumbers(std::string_view text, const SiteSettings& site) {
    std::vector<std::string> found;
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    for (size_t i = 0; i < text.size();) {
        if (!isDigit(text[i]) && text[i] != '+') {
            ++i;
            continue;
        }
        size_t end = i, digits = 0;
        while (end < text.size() && (isDigit(text[end]) || text[end] == ' ' || text[end] == '-' || text[end] == '+'))
            digits += isDigit(text[end++]) ? 1 : 0;
        size_t last = end; // the run starts at a digit or "+"; drop spaces and dashes after its last digit
        while (last > i && (text[last - 1] == ' ' || text[last - 1] == '-')) --last;
        if (digits >= 7) found.emplace_back(text.substr(i, last - i));
        i = end;
    }
    for (const auto& [key, value] : site.values()) {
        const bool phone = key.ends_with("phone") || key.ends_with("number");
        if (!phone || value.empty() || isPlaceholder(value)) continue;
        for (size_t at = text.find(value); at != std::string_view::npos; at = text.find(value, at + 1)) {
            const bool alone = (at == 0 || !isDigit(text[at - 1])) &&
                               (at + value.size() >= text.size() || !isDigit(text[at + value.size()]));
            if (alone && std::find(found.begin(), found.end(), value) == found.end()) found.push_back(value);
        }
    }
    return found;
}

// Every page says whether its facts are confirmed; unconfirmed ones are warnings until the site checks them.
void checkFactsState(std::string_view raw, const std::string& where, TranslationReport& report) {
    const std::string state = pageHeader(raw, "X-Inloop-Facts");
    if (state.empty())
        report.problems.push_back({where, "The page has no \"X-Inloop-Facts: unchecked|checked\" line at the top."});
    else if (state == "unchecked")
        report.warnings.push_back({where, "The facts on this page are not yet confirmed by the site (assets/content/SOURCES.md)."});
    else if (state != "checked")
        report.problems.push_back({where, "X-Inloop-Facts is \"" + state + "\"; use \"unchecked\" or \"checked\"."});
}
} // namespace

std::vector<GlossaryRule> parseGlossary(std::string_view markdown) {
    std::vector<GlossaryRule> rules;
    bool inTerms = false;
    for (const std::string_view line : trimmedLines(markdown)) {
        if (line.substr(0, 3) == "## ") inTerms = line.substr(0, 8) == "## Terms";
        if (!inTerms || line.empty() || line.front() != '|') continue;
        const std::vector<std::string_view> cells = splitTrimmed(line.substr(1), '|');
        if (cells.size() < 4 || cells[0] == "term" || cells[0].substr(0, 3) == "---") continue;
        GlossaryRule r{std::string(cells[0]), std::string(cells[1]), std::string(cells[2]), splitList(cells[3]),
                       cells.size() > 4 ? splitList(cells[4]) : std::vector<std::string>{}};
        rules.push_back(std::move(r));
    }
    return rules;
}

std::vector<std::string> avoidedVariants(std::string_view text, std::string_view lang,
                                         const std::vector<GlossaryRule>& rules) {
    std::vector<std::string> found;
    const std::string folded = singleSpaced(lower(text));
    for (const auto& r : rules) {
        if (r.lang != lang || r.avoid.empty()) continue;
        std::string masked = folded;
        for (const auto& a : r.allow) {
            const std::string allowed = lower(a);
            for (size_t at = masked.find(allowed); at != std::string::npos; at = masked.find(allowed, at))
                masked.replace(at, allowed.size(), std::string(allowed.size(), '\x01'));
        }
        for (const auto& v : r.avoid)
            if (containsWord(masked, lower(v))) found.push_back("\"" + v + "\" (use: " + r.use + ")");
    }
    return found;
}

TranslationReport checkTranslations(const std::filesystem::path& root) {
    TranslationReport report;
    const Messages messages(root / "locales");
    report.problems = checkMessages(messages);
    const Messages desk(root / "locales" / "desk", {kDeskLanguages.begin(), kDeskLanguages.end()});
    for (auto& p : checkMessages(desk, "desk/")) report.problems.push_back(std::move(p));
    {
        // The desk's messages must be drawable too (its font atlas is built from them).
        std::string deskText;
        for (std::string_view lang : kDeskLanguages)
            if (const auto* cat = desk.catalog(lang))
                for (const auto& [key, entry] : *cat) deskText += entry.text + "\n";
        for (char32_t cp : missingGlyphs(deskText)) {
            char hex[16];
            std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(cp));
            report.problems.push_back({"desk", std::string(hex) + " has no glyph in the configured fonts."});
        }
    }
    const auto glossary = loadGlossary(root / "locales" / "GLOSSARY.md", report.problems);
    for (const auto* catalogue : {&messages, &desk})
        for (std::string_view lang : kLanguages)
            if (const auto* cat = catalogue->catalog(lang))
                for (const auto& [key, entry] : *cat)
                    checkGlossary(entry.text, lang, (catalogue == &desk ? "desk/" : "") + std::string(lang) + ".po: " + key,
                                  glossary, report.problems);
    const auto sourcesFile = root / "assets" / "content" / "SOURCES.md";
    const std::string sources = std::filesystem::is_regular_file(sourcesFile) ? readText(sourcesFile) : std::string();
    for (std::string_view topic : kTopics)
        if (sources.find("\n## " + std::string(topic) + "\n") == std::string::npos)
            report.problems.push_back({"assets/content/SOURCES.md", "has no section \"## " + std::string(topic) +
                                                                        "\" listing the facts of that page and their sources."});
    const auto siteIni = siteFile(root);
    const SiteSettings site = SiteSettings::load(siteIni);
    if (site.values().empty()) report.problems.push_back({siteIni.string(), "The site settings are missing or empty."});

    std::vector<std::string> drafts;
    size_t pages = 0;
    for (std::string_view lang : kLanguages) {
        std::string allText;
        if (const auto* cat = messages.catalog(lang))
            for (const auto& [key, entry] : *cat) allText += entry.text + "\n";
        for (std::string_view topic : kTopics) {
            const auto file = pagePath(root / "assets", lang, topic);
            const std::string where = "assets/content/" + std::string(lang) + "/" + std::string(topic) + ".md";
            if (!std::filesystem::is_regular_file(file)) {
                report.problems.push_back({where, "The info page is missing."});
                continue;
            }
            ++pages;
            const std::string raw = readText(file);
            checkFactsState(raw, where, report);
            checkGlossary(visibleText(raw), lang, where, glossary, report.problems);
            for (const auto& number : writtenPhoneNumbers(visibleText(raw), site))
                report.problems.push_back({where, "writes the phone number " + number +
                                                      "; name it as a site fact {{key}} from site.ini instead."});
            std::vector<std::string> unknown;
            const std::string filled = site.fill(raw, &unknown);
            for (const auto& u : unknown)
                report.problems.push_back({where, "{{" + u + "}} is not a key in " + siteIni.string() + "."});
            const Page page = parseMarkdown(filled);
            if (page.title().empty()) report.problems.push_back({where, "The page has no \"# Title\" line."});
            if (lang != kSourceLanguage) {
                const auto source = pagePath(root / "assets", kSourceLanguage, topic);
                if (std::filesystem::is_regular_file(source)) {
                    const std::string want = shape(parseMarkdown(readText(source))), got = shape(page);
                    if (count(want, 'H') != count(got, 'H') || count(want, 'L') != count(got, 'L'))
                        report.problems.push_back(
                            {where, "The page has " + std::to_string(count(got, 'H')) + " headings and " +
                                        std::to_string(count(got, 'L')) + " list items; the Dutch source has " +
                                        std::to_string(count(want, 'H')) + " and " + std::to_string(count(want, 'L')) + "."});
                }
            }
            allText += filled + "\n";
        }
        std::vector<std::string> unreadable;
        const auto missing = missingGlyphs(allText, lang == kSourceLanguage ? &unreadable : nullptr);
        for (const auto& u : unreadable) report.problems.push_back({"fonts", "Cannot read the font " + u + "."});
        size_t shown = 0;
        for (char32_t cp : missing) {
            if (++shown > 10) {
                report.problems.push_back({std::string(lang), "… and " + std::to_string(missing.size() - 10) + " more."});
                break;
            }
            char hex[16];
            std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(cp));
            report.problems.push_back({std::string(lang), std::string(hex) + " \"" + encodeUtf8(cp) +
                                                              "\" has no glyph in the configured fonts."});
        }
        const std::string review = messages.reviewState(lang);
        if (review == "draft") drafts.emplace_back(lang);
    }
    const auto* source = messages.catalog(kSourceLanguage);
    const auto* deskSource = desk.catalog(kSourceLanguage);
    report.facts.push_back(std::to_string(kLanguages.size()) + " languages, " +
                           std::to_string(source ? source->size() : 0) + " messages each, " + std::to_string(pages) +
                           " info pages; front desk: nl and en, " + std::to_string(deskSource ? deskSource->size() : 0) +
                           " messages each");
    if (!report.warnings.empty())
        report.facts.push_back("warning: " + std::to_string(report.warnings.size()) +
                               " info pages carry facts the site has not confirmed yet (X-Inloop-Facts: unchecked; "
                               "see assets/content/SOURCES.md)");
    if (!drafts.empty()) {
        std::string list;
        for (const auto& d : drafts) list += (list.empty() ? "" : ", ") + d;
        report.facts.push_back("drafts not yet reviewed by a native speaker: " + list);
    }
    return report;
}

} // namespace inloop::core
