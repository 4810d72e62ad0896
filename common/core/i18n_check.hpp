// `inloopctl i18n-check`: every language complete and valid — messages, info pages, glyphs.
#pragma once

#include "i18n.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace inloop::core {

// The folder holding assets/ and locales/: $INLOOP_ROOT if set, else the source tree this was built from.
std::filesystem::path resourceRoot();

struct TranslationReport {
    std::vector<LocaleProblem> problems;
    std::vector<std::string> facts; // what was checked, and which files are still drafts
    bool ok() const { return problems.empty(); }
};

// Messages (checkMessages), one info page per topic and language with the same sections as the Dutch source,
// every {{placeholder}} known to assets/site.ini, and a glyph in the font stack for every character used.
TranslationReport checkTranslations(const std::filesystem::path& root);

} // namespace inloop::core
