// The translation completeness check (see i18n_check.hpp).
#include "i18n_check.hpp"

#include "content.hpp"
#include "fonts.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

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
} // namespace

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
    if (!drafts.empty()) {
        std::string list;
        for (const auto& d : drafts) list += (list.empty() ? "" : ", ") + d;
        report.facts.push_back("drafts not yet reviewed by a native speaker: " + list);
    }
    return report;
}

} // namespace inloop::core
