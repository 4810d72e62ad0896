// `inloopctl i18n-check`: every language complete and valid — messages, info pages, glyphs.
#pragma once

#include "core/i18n/i18n.hpp"
#include "core/base/install_paths.hpp" // resourceRoot(), siteFile()

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::core {

struct TranslationReport {
    std::vector<LocaleProblem> problems;
    std::vector<LocaleProblem> warnings; // reported, but the check still passes (e.g. facts not yet confirmed)
    std::vector<std::string> facts; // what was checked, and which files are still drafts
    bool ok() const { return problems.empty(); }
};

// One row of locales/GLOSSARY.md's "Terms" table: how a language says a term, and the variants it must not use.
// `allow` lists longer phrases that contain a variant but are right (zh 免预约 "no appointment" contains 预约 "book").
struct GlossaryRule {
    std::string term;
    std::string lang;
    std::string use;
    std::vector<std::string> avoid;
    std::vector<std::string> allow;
};

// Reads the rows "| term | lang | use | avoid | allow |" of the table under "## Terms"; lists are separated by ";".
std::vector<GlossaryRule> parseGlossary(std::string_view markdown);

// The avoided variants of `lang` found in `text` (case-insensitive; in scripts with spaces only as whole words), as "variant (use: word)".
std::vector<std::string> avoidedVariants(std::string_view text, std::string_view lang,
                                         const std::vector<GlossaryRule>& rules);

// Messages (checkMessages), one info page per topic and language with the same sections as the Dutch source,
// every {{placeholder}} known to the site facts (siteFile(root)), and a glyph in the font stack for every character used;
// no variant the glossary avoids in any message or page; every page has an "X-Inloop-Facts:" state and its topic a
// section in assets/content/SOURCES.md. Pages whose facts are "unchecked" are warnings, not problems.
TranslationReport checkTranslations(const std::filesystem::path& root);

} // namespace inloop::core
