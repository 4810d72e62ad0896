// `inloopctl i18n-check`: every language complete and valid — messages, info pages, glyphs.
#pragma once

#include "i18n.hpp"
#include "install_paths.hpp" // resourceRoot(), siteFile()

#include <filesystem>
#include <string>
#include <vector>

namespace inloop::core {

struct TranslationReport {
    std::vector<LocaleProblem> problems;
    std::vector<std::string> facts; // what was checked, and which files are still drafts
    bool ok() const { return problems.empty(); }
};

// Messages (checkMessages), one info page per topic and language with the same sections as the Dutch source,
// every {{placeholder}} known to the site facts (siteFile(root)), and a glyph in the font stack for every character used.
TranslationReport checkTranslations(const std::filesystem::path& root);

} // namespace inloop::core
