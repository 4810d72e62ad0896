// Messages from PO files (libgettextpo) formatted with ICU MessageFormat; ICU formatting helpers; the checks.
//
// [SECTION] loading PO files
// [SECTION] translating
// [SECTION] formatting
// [SECTION] checking
#include "core/i18n/i18n.hpp"

#include "core/base/clock.hpp"

#include <gettext-po.h>
#include <unicode/coll.h>
#include <unicode/dtptngen.h>
#include <unicode/locdspnm.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/numfmt.h>
#include <unicode/plurrule.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <csetjmp>
#include <cstdlib>
#include <memory>
#include <set>

namespace inloop::core {

namespace {

std::string toUtf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

icu::UnicodeString fromUtf8(std::string_view s) {
    return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

icu::Locale localeOf(std::string_view lang) { return icu::Locale(std::string(lang).c_str()); }

// [SECTION] loading PO files
// libgettextpo reports problems through callbacks; a fatal one must not return, so it jumps back.
struct PoErrors {
    std::vector<LocaleProblem>* sink = nullptr;
    std::string file;
    std::jmp_buf fatal;
};
thread_local PoErrors* t_poErrors = nullptr;

void poRecord(int severity, const char* filename, size_t lineno, const char* text) {
    if (!t_poErrors) return;
    std::string where = t_poErrors->file;
    if (filename && lineno != static_cast<size_t>(-1)) where += ":" + std::to_string(lineno);
    std::string msg = text ? text : "syntax error";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    t_poErrors->sink->push_back({where, msg});
    if (severity == PO_SEVERITY_FATAL_ERROR) std::longjmp(t_poErrors->fatal, 1);
}

void poXerror(int severity, po_message_t, const char* filename, size_t lineno, size_t, int, const char* text) {
    poRecord(severity, filename, lineno, text);
}

void poXerror2(int severity, po_message_t, const char* filename, size_t lineno, size_t, int, const char* text1,
               po_message_t, const char*, size_t, size_t, int, const char* text2) {
    std::string text = std::string(text1 ? text1 : "") + " " + (text2 ? text2 : "");
    poRecord(severity, filename, lineno, text.c_str());
}

const po_xerror_handler kPoHandler = {poXerror, poXerror2};

// Kept apart so that no local of the caller lives across the setjmp.
po_file_t readPoGuarded(const char* path) {
    if (setjmp(t_poErrors->fatal) != 0) return nullptr;
    return po_file_read(path, &kPoHandler);
}

} // namespace

bool isSupportedLanguage(std::string_view lang) {
    return std::find(kLanguages.begin(), kLanguages.end(), lang) != kLanguages.end();
}

Messages::Messages(const std::filesystem::path& localesDir, std::vector<std::string> languages)
    : m_dir(localesDir), m_languages(std::move(languages)) {
    for (const std::string& lang : m_languages) {
        const std::filesystem::path file = localesDir / (lang + ".po");
        const std::string fileName = lang + ".po";
        if (!std::filesystem::is_regular_file(file)) {
            m_problems.push_back({fileName, "The translation file is missing."});
            continue;
        }
        PoErrors errors{&m_problems, fileName, {}};
        t_poErrors = &errors;
        const size_t problemsBefore = m_problems.size();
        po_file_t po = readPoGuarded(file.c_str());
        t_poErrors = nullptr;
        if (po && m_problems.size() > problemsBefore) {
            // A file with syntax errors is not used at all: half a file could show garbage.
            m_problems.push_back({fileName, "The file has errors; " + lang + " falls back to English until they are fixed."});
            po_file_free(po);
            po = nullptr;
        }
        if (!po) continue;
        Catalog& catalog = m_catalogs[lang];
        // libgettextpo 0.21 returns a malloc'ed copy of the header (gettext-po.h does not say so): ours to free.
        const std::unique_ptr<char, decltype(&std::free)> header(const_cast<char*>(po_file_domain_header(po, nullptr)),
                                                                 &std::free);
        if (header) {
            if (char* review = po_header_field(header.get(), "X-Inloop-Review")) {
                m_review[lang] = review;
                std::free(review);
            }
        }
        po_message_iterator_t it = po_message_iterator(po, nullptr);
        while (po_message_t msg = po_next_message(it)) {
            const std::string id = po_message_msgid(msg);
            if (id.empty() || po_message_is_obsolete(msg)) continue; // the header, old entries
            const po_filepos_t pos = po_message_filepos(msg, 0);
            const size_t line = pos ? po_filepos_start_line(pos) : 0;
            if (po_message_is_fuzzy(msg)) {
                m_problems.push_back({fileName + ":" + std::to_string(line), "\"" + id + "\" is marked fuzzy (unreviewed)."});
                continue;
            }
            const std::string text = po_message_msgstr(msg);
            if (text.empty()) continue; // untranslated: falls back
            Entry e;
            e.text = text;
            e.line = line;
            catalog.emplace(id, std::move(e));
        }
        po_message_iterator_free(it);
        po_file_free(po);
    }
}

Messages::~Messages() = default;

const Messages::Catalog* Messages::catalog(std::string_view lang) const {
    auto it = m_catalogs.find(lang);
    return it == m_catalogs.end() ? nullptr : &it->second;
}

std::string Messages::reviewState(std::string_view lang) const {
    auto it = m_review.find(lang);
    return it == m_review.end() ? std::string() : it->second;
}

// [SECTION] translating
const Messages::Entry* Messages::find(std::string_view lang, std::string_view key) const {
    if (const Catalog* c = catalog(lang)) {
        auto it = c->find(key);
        if (it != c->end()) return &it->second;
    }
    return nullptr;
}

bool Messages::has(std::string_view lang, std::string_view key) const { return find(lang, key) != nullptr; }

std::string Messages::tr(std::string_view lang, std::string_view key, std::initializer_list<NamedArg> args) const {
    if (const Entry* e = find(lang, key)) return format(lang, *e, key, args);
    for (std::string_view fallback : {std::string_view("en"), kSourceLanguage}) {
        if (const Entry* e = find(fallback, key)) {
            std::string text = format(fallback, *e, key, args);
            return m_markMissing ? "[?" + std::string(lang) + "] " + text : text;
        }
    }
    return "[" + std::string(key) + "]";
}

std::string Messages::format(std::string_view lang, const Entry& e, std::string_view key,
                             std::initializer_list<NamedArg> args) const {
    UErrorCode status = U_ZERO_ERROR;
    if (!e.compiled) {
        UParseError parseError;
        auto mf = std::make_unique<icu::MessageFormat>(fromUtf8(e.text), localeOf(lang), parseError, status);
        if (U_FAILURE(status)) return "[" + std::string(key) + "]";
        e.compiled = std::move(mf);
    }
    std::vector<icu::UnicodeString> names;
    std::vector<icu::Formattable> values;
    for (const auto& a : args) {
        names.push_back(fromUtf8(a.name));
        if (const auto* i = std::get_if<int64_t>(&a.value)) values.emplace_back(static_cast<int64_t>(*i));
        else if (const auto* d = std::get_if<double>(&a.value)) values.emplace_back(*d);
        else values.emplace_back(fromUtf8(std::get<std::string>(a.value)));
    }
    icu::UnicodeString out;
    e.compiled->format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
    if (U_FAILURE(status)) return "[" + std::string(key) + "]";
    return toUtf8(out);
}

// [SECTION] formatting
std::string formatNumber(std::string_view lang, double value, int maxFractionDigits) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::NumberFormat> nf(icu::NumberFormat::createInstance(localeOf(lang), status));
    if (U_FAILURE(status)) return std::to_string(value);
    nf->setMaximumFractionDigits(maxFractionDigits);
    icu::UnicodeString out;
    nf->format(value, out);
    return toUtf8(out);
}

std::string formatDateTime(std::string_view lang, int64_t unixSeconds, std::string_view skeleton) {
    thread_local std::map<std::string, std::unique_ptr<icu::SimpleDateFormat>> cache;
    const std::string cacheKey = std::string(lang) + "|" + std::string(skeleton);
    auto it = cache.find(cacheKey);
    if (it == cache.end()) {
        UErrorCode status = U_ZERO_ERROR;
        // English dates are British ("Tuesday 8 December"): the visitors live in Europe, not the US.
        const icu::Locale locale = localeOf(lang == "en" ? std::string_view("en_GB") : lang);
        std::unique_ptr<icu::DateTimePatternGenerator> gen(icu::DateTimePatternGenerator::createInstance(locale, status));
        if (U_FAILURE(status)) return localDay(unixSeconds);
        const icu::UnicodeString pattern = gen->getBestPattern(fromUtf8(skeleton), status);
        auto fmt = std::make_unique<icu::SimpleDateFormat>(pattern, locale, status);
        if (U_FAILURE(status)) return localDay(unixSeconds);
        fmt->adoptTimeZone(icu::TimeZone::createTimeZone(fromUtf8(kSiteTimeZone)));
        it = cache.emplace(cacheKey, std::move(fmt)).first;
    }
    icu::UnicodeString out;
    it->second->format(static_cast<UDate>(unixSeconds) * 1000.0, out);
    return toUtf8(out);
}

std::string formatWeekdayTime(std::string_view lang, int64_t unixSeconds) {
    return formatDateTime(lang, unixSeconds, "EEEEHHmm");
}

std::string languageNameIn(std::string_view lang, std::string_view displayLang) {
    UDisplayContext contexts[] = {UDISPCTX_CAPITALIZATION_FOR_BEGINNING_OF_SENTENCE, UDISPCTX_DIALECT_NAMES};
    std::unique_ptr<icu::LocaleDisplayNames> names(
        icu::LocaleDisplayNames::createInstance(localeOf(displayLang), contexts, 2));
    icu::UnicodeString out;
    names->localeDisplayName(localeOf(lang), out);
    return toUtf8(out);
}

std::string nativeLanguageName(std::string_view lang) { return languageNameIn(lang, lang); }

void sortForLanguage(std::string_view lang, std::vector<std::string>& items) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> coll(icu::Collator::createInstance(localeOf(lang), status));
    if (U_FAILURE(status)) {
        std::sort(items.begin(), items.end());
        return;
    }
    std::stable_sort(items.begin(), items.end(), [&](const std::string& a, const std::string& b) {
        UErrorCode s = U_ZERO_ERROR;
        return coll->compareUTF8(a, b, s) == UCOL_LESS;
    });
}

namespace {
std::vector<std::string> keywordsOf(const icu::PluralRules& rules) {
    std::vector<std::string> out;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::StringEnumeration> e(rules.getKeywords(status));
    if (U_FAILURE(status)) return out;
    while (const char* k = e->next(nullptr, status)) out.emplace_back(k);
    return out;
}

std::unique_ptr<icu::PluralRules> rulesFor(std::string_view lang, UPluralType type) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::PluralRules> rules(icu::PluralRules::forLocale(localeOf(lang), type, status));
    return U_FAILURE(status) ? nullptr : std::move(rules);
}

// The categories a whole number 0..1000 can fall in: what a translation must cover.
std::set<std::string> neededCategories(const icu::PluralRules& rules) {
    std::set<std::string> out;
    for (int n = 0; n <= 1000; ++n) out.insert(toUtf8(rules.select(static_cast<int32_t>(n))));
    return out;
}
} // namespace

std::vector<std::string> pluralCategories(std::string_view lang) {
    auto rules = rulesFor(lang, UPLURAL_TYPE_CARDINAL);
    return rules ? keywordsOf(*rules) : std::vector<std::string>{};
}

// [SECTION] checking
namespace {
struct PatternFacts {
    std::set<std::string> argNames;
    // For each plural / selectordinal argument: its selectors (keywords and "=n").
    std::vector<std::pair<bool /*ordinal*/, std::set<std::string>>> plurals;
    std::string error; // empty when the pattern parses
};

PatternFacts analyse(const std::string& text) {
    PatternFacts facts;
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe;
    icu::MessagePattern pattern(fromUtf8(text), &pe, status);
    if (U_FAILURE(status)) {
        facts.error = "does not parse as ICU MessageFormat (" + std::string(u_errorName(status)) + " at offset " +
                      std::to_string(pe.offset) + ")";
        return facts;
    }
    std::vector<int> stack; // index into facts.plurals, or -1 for other argument kinds
    for (int i = 0; i < pattern.countParts(); ++i) {
        const icu::MessagePattern::Part& part = pattern.getPart(i);
        switch (part.getType()) {
        case UMSGPAT_PART_TYPE_ARG_START: {
            const UMessagePatternArgType t = part.getArgType();
            if (t == UMSGPAT_ARG_TYPE_PLURAL || t == UMSGPAT_ARG_TYPE_SELECTORDINAL) {
                facts.plurals.push_back({t == UMSGPAT_ARG_TYPE_SELECTORDINAL, {}});
                stack.push_back(static_cast<int>(facts.plurals.size()) - 1);
            } else {
                stack.push_back(-1);
            }
            break;
        }
        case UMSGPAT_PART_TYPE_ARG_LIMIT:
            if (!stack.empty()) stack.pop_back();
            break;
        case UMSGPAT_PART_TYPE_ARG_NAME:
            facts.argNames.insert(toUtf8(pattern.getSubstring(part)));
            break;
        case UMSGPAT_PART_TYPE_ARG_NUMBER:
            facts.argNames.insert("#" + std::to_string(part.getValue()));
            break;
        case UMSGPAT_PART_TYPE_ARG_SELECTOR:
            if (!stack.empty() && stack.back() >= 0)
                facts.plurals[static_cast<size_t>(stack.back())].second.insert(toUtf8(pattern.getSubstring(part)));
            break;
        default: break;
        }
    }
    return facts;
}

std::string joined(const std::set<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}
} // namespace

std::vector<LocaleProblem> checkMessages(const Messages& messages, const std::string& prefix) {
    std::vector<LocaleProblem> problems;
    for (const auto& p : messages.problems()) problems.push_back({prefix + p.where, p.message});
    const Messages::Catalog* source = messages.catalog(kSourceLanguage);
    if (!source) return problems;
    std::map<std::string, PatternFacts, std::less<>> sourceFacts;
    for (const auto& [key, entry] : *source) sourceFacts[key] = analyse(entry.text);

    for (const std::string& lang : messages.languages()) {
        const std::string file = prefix + lang + ".po";
        const Messages::Catalog* cat = messages.catalog(lang);
        if (!cat) continue; // already reported as missing or unreadable
        const auto cardinal = rulesFor(lang, UPLURAL_TYPE_CARDINAL);
        const auto ordinal = rulesFor(lang, UPLURAL_TYPE_ORDINAL);
        // Once per language, not per message: 1,001 selects each.
        const std::set<std::string> needCardinal = cardinal ? neededCategories(*cardinal) : std::set<std::string>{};
        const std::set<std::string> needOrdinal = ordinal ? neededCategories(*ordinal) : std::set<std::string>{};
        for (const auto& [key, facts] : sourceFacts)
            if (!cat->count(key)) problems.push_back({file, "\"" + key + "\" is missing."});
        for (const auto& [key, entry] : *cat) {
            const std::string where = file + ":" + std::to_string(entry.line);
            auto src = sourceFacts.find(key);
            if (src == sourceFacts.end()) {
                problems.push_back({where, "\"" + key + "\" is not in nl.po (an old or misspelt key)."});
                continue;
            }
            const PatternFacts facts = analyse(entry.text);
            if (!facts.error.empty()) {
                problems.push_back({where, "\"" + key + "\" " + facts.error + "."});
                continue;
            }
            if (facts.argNames != src->second.argNames)
                problems.push_back({where, "\"" + key + "\" uses the arguments {" + joined(facts.argNames) +
                                               "} but nl.po uses {" + joined(src->second.argNames) + "}."});
            for (const auto& [isOrdinal, selectors] : facts.plurals) {
                const auto& rules = isOrdinal ? ordinal : cardinal;
                if (!rules) continue;
                const auto known = keywordsOf(*rules);
                std::set<std::string> unknown, missing;
                for (const auto& s : selectors)
                    if (s[0] != '=' && std::find(known.begin(), known.end(), s) == known.end()) unknown.insert(s);
                for (const auto& need : isOrdinal ? needOrdinal : needCardinal)
                    if (!selectors.count(need)) missing.insert(need);
                if (!unknown.empty())
                    problems.push_back({where, "\"" + key + "\" uses plural categories {" + joined(unknown) + "} that " +
                                                   lang + " does not have."});
                if (!missing.empty())
                    problems.push_back({where, "\"" + key + "\" lacks the plural categories {" + joined(missing) +
                                                   "} that " + lang + " needs."});
            }
        }
    }
    return problems;
}

} // namespace inloop::core
