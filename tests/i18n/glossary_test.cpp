// One word for one thing (locales/GLOSSARY.md's Terms table) and the facts state of every info page (issue 18).
#include "core/i18n/content.hpp"
#include "core/i18n/i18n_check.hpp"
#include "support/temp_store.hpp"

#include <doctest/doctest.h>

#include <array>
#include <fstream>
#include <sstream>

using namespace inloop::core;
namespace fs = std::filesystem;

namespace {
const char* const kTable = "# Glossary\n\n| term (nl) | en |\n|---|---|\n| opvang | shelter |\n\n"
                           "## Terms\n\n| term | lang | use | avoid | allow |\n|---|---|---|---|---|\n"
                           "| shelter | es | casa de acogida | albergue | |\n"
                           "| STI | hu | nemibetegség | STI | |\n"
                           "| sign up | zh | 登记 | 预约 | 免预约; 不需要预约 |\n";

std::string readAll(const fs::path& f) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeAll(const fs::path& f, const std::string& text) { std::ofstream(f, std::ios::binary) << text; }

// The real locales and assets, copied so a test can spoil one file and run the whole check on the copy.
fs::path copyOfTree(const fs::path& into) {
    const fs::path root = resourceRoot();
    fs::copy(root / "locales", into / "locales", fs::copy_options::recursive);
    fs::copy(root / "assets", into / "assets", fs::copy_options::recursive);
    return into;
}

bool mentions(const std::vector<LocaleProblem>& problems, const std::string& where, const std::string& words) {
    for (const auto& p : problems)
        if (p.where.find(where) != std::string::npos && p.message.find(words) != std::string::npos) return true;
    return false;
}

// The whole check on a copy of the tree after text is appended to some pages ({lang, topic, text} each).
std::vector<LocaleProblem> problemsWithAppended(const std::vector<std::array<std::string, 3>>& extra) {
    inloop::test::TempDir tmp;
    const fs::path root = copyOfTree(tmp.path());
    for (const auto& [lang, topic, text] : extra) {
        const fs::path page = pagePath(root / "assets", lang, topic);
        writeAll(page, readAll(page) + text);
    }
    return checkTranslations(root).problems;
}
} // namespace

TEST_SUITE("i18n") {
TEST_CASE("the glossary's Terms table is read: only its rows, with lists split on semicolons") {
    const auto rules = parseGlossary(kTable);
    REQUIRE(rules.size() == 3);
    CHECK(rules[0].lang == "es");
    CHECK(rules[0].avoid == std::vector<std::string>{"albergue"});
    CHECK(rules[2].allow == std::vector<std::string>{"免预约", "不需要预约"});
}

TEST_CASE("an avoided variant is found case-insensitively, as a whole word, and an allowed phrase is skipped") {
    const auto rules = parseGlossary(kTable);
    CHECK(avoidedVariants("El Albergue abre de noche.", "es", rules).size() == 1);
    CHECK(avoidedVariants("La casa de acogida abre de noche.", "es", rules).empty());
    CHECK(avoidedVariants("albergue", "en", rules).empty()); // a rule holds for its own language only
    CHECK(avoidedVariants("Sok STI-teszt.", "hu", rules).size() == 1);
    CHECK(avoidedVariants("A testi egészség.", "hu", rules).empty()); // "sti" inside a word is not the term
    CHECK(avoidedVariants("你不需要预约。免预约咨询时间。", "zh", rules).empty());
    CHECK(avoidedVariants("预约咨询时间", "zh", rules).size() == 1);
    // A no-break space, a double space or a line break between the words is still the variant.
    const auto terms = parseGlossary("## Terms\n| term | lang | use | avoid | allow |\n|---|---|---|---|---|\n"
                                     "| law | nl | Wet en regels | Wetten en regels | |\n");
    CHECK(avoidedVariants("Lees Wetten en\xC2\xA0regels.", "nl", terms).size() == 1);
    CHECK(avoidedVariants("Lees Wetten  en\nregels.", "nl", terms).size() == 1);
    CHECK(avoidedVariants("Lees Wetten\xE2\x80\xAF" "en regels.", "nl", terms).size() == 1);
    CHECK(avoidedVariants("Lees Wet en regels.", "nl", terms).empty());
}

TEST_CASE("the real glossary has rules, and i18n-check fails on an avoided variant in a page or a message") {
    REQUIRE_FALSE(parseGlossary(readAll(resourceRoot() / "locales" / "GLOSSARY.md")).empty());
    inloop::test::TempDir tmp;
    const fs::path root = copyOfTree(tmp.path());
    REQUIRE(checkTranslations(root).problems.empty());

    const fs::path page = root / "assets" / "content" / "es" / "shelter.md";
    writeAll(page, readAll(page) + "\nDuerme en el albergue.\n");
    const fs::path po = root / "locales" / "nl.po";
    std::string messages = readAll(po);
    const size_t at = messages.find("msgstr \"Wet en regels\"");
    REQUIRE(at != std::string::npos);
    messages.replace(at, 22, "msgstr \"Wetten en regels\"");
    writeAll(po, messages);

    const auto problems = checkTranslations(root).problems;
    CHECK(mentions(problems, "assets/content/es/shelter.md", "\"albergue\""));
    CHECK(mentions(problems, "nl.po: topic.law", "\"Wetten en regels\""));
}

TEST_CASE("i18n-check reads a page as the visitor does: a variant split over two lines or marked bold is still found") {
    // The page joins a paragraph's lines with a space and drops the ** of bold; the raw file shows neither.
    const auto problems = problemsWithAppended({{"nl", "law", "\nLees ook de folder over Wetten en\nregels in Den Haag.\n"},
                                                {"es", "shelter", "\nLee la página **Ley** y normas.\n"},
                                                {"en", "exploitation", "\n- Help **after** exploitation, any time.\n"}});
    CHECK(mentions(problems, "assets/content/nl/law.md", "\"Wetten en regels\""));
    CHECK(mentions(problems, "assets/content/es/shelter.md", "\"Ley y normas\""));
    CHECK(mentions(problems, "assets/content/en/exploitation.md", "\"Help after exploitation\""));
}

TEST_CASE("i18n-check fails on a phone number written out in a page: phone numbers are site facts") {
    const auto problems = problemsWithAppended({{"nl", "contact", "\nVerkracht? Bel 0800-0188, gratis.\n"},
                                                {"en", "safe_work", "\nIn danger? Call 112.\n"},
                                                {"th", "shelter", "\nโทร +31 70 123 4567\n"}});
    CHECK(mentions(problems, "assets/content/nl/contact.md", "0800-0188"));
    CHECK(mentions(problems, "assets/content/en/safe_work.md", "112"));
    CHECK(mentions(problems, "assets/content/th/shelter.md", "+31 70 123 4567"));
    CHECK_FALSE(mentions(problems, "assets/content/nl/law.md", "phone number")); // 20.000 euro, 21 jaar: no phone
}

TEST_CASE("every info page has a facts state and its topic a sources entry — unchecked facts only warn") {
    const TranslationReport real = checkTranslations(resourceRoot());
    CHECK(real.problems.empty());
    for (std::string_view lang : kLanguages)
        for (std::string_view topic : kTopics) {
            const std::string state = pageHeader(readAll(pagePath(resourceRoot() / "assets", lang, topic)), "X-Inloop-Facts");
            CHECK_MESSAGE((state == "unchecked" || state == "checked"), lang << "/" << topic);
        }

    inloop::test::TempDir tmp;
    const fs::path root = copyOfTree(tmp.path());
    const fs::path page = pagePath(root / "assets", "ro", "law");
    std::string text = readAll(page);
    text.erase(0, text.find('\n') + 1); // drop the X-Inloop-Facts line
    writeAll(page, text);
    const fs::path sources = root / "assets" / "content" / "SOURCES.md";
    std::string list = readAll(sources);
    const size_t at = list.find("\n## youth\n");
    REQUIRE(at != std::string::npos);
    list.replace(at, 10, "\n## young\n");
    writeAll(sources, list);

    const TranslationReport spoiled = checkTranslations(root);
    CHECK(mentions(spoiled.problems, "assets/content/ro/law.md", "X-Inloop-Facts"));
    CHECK(mentions(spoiled.problems, "SOURCES.md", "## youth"));
    CHECK_FALSE(mentions(spoiled.warnings, "assets/content/ro/law.md", "not yet confirmed"));
    CHECK(mentions(spoiled.warnings, "assets/content/nl/law.md", "not yet confirmed"));
}

TEST_CASE("a page's header lines are metadata: never shown, and read by pageHeader") {
    const std::string text = "X-Inloop-Facts: unchecked\n\n# Title\n\nX-Not-A-Header: text after the title stays.\n";
    CHECK(pageHeader(text, "X-Inloop-Facts") == "unchecked");
    CHECK(pageHeader(text, "X-Other").empty());
    const Page p = parseMarkdown(text);
    REQUIRE(p.blocks.size() == 2);
    CHECK(p.title() == "Title");
    CHECK(p.blocks[1].plainText() == "X-Not-A-Header: text after the title stays.");
}
}
