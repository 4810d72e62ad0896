// The Markdown-subset parser, site settings and page loading (see content.hpp).
#include "core/i18n/content.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>

namespace inloop::core {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// **bold** spans; an unmatched ** stays as literal text.
std::vector<Span> parseInline(std::string_view text) {
    std::vector<Span> spans;
    const auto add = [&](std::string_view t, bool bold) {
        if (t.empty()) return;
        if (!spans.empty() && spans.back().bold == bold) spans.back().text += t;
        else spans.push_back({std::string(t), bold});
    };
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t open = text.find("**", pos);
        if (open == std::string_view::npos) break;
        const size_t close = text.find("**", open + 2);
        if (close == std::string_view::npos) break;
        add(text.substr(pos, open - pos), false);
        add(text.substr(open + 2, close - open - 2), true);
        pos = close + 2;
    }
    add(text.substr(pos), false);
    return spans;
}

// A header line: "X-Name: value" (a letter-and-dash name starting with "X-"), only before the first block.
bool isHeaderLine(std::string_view line) {
    if (line.substr(0, 2) != "X-") return false;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon < 3) return false;
    for (char c : line.substr(0, colon))
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-')) return false;
    return true;
}

std::string readText(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

std::string Block::plainText() const {
    std::string out;
    for (const auto& s : spans) out += s.text;
    return out;
}

std::string Page::title() const {
    for (const auto& b : blocks)
        if (b.kind == Block::Kind::Title) return b.plainText();
    return {};
}

Page parseMarkdown(std::string_view text) {
    Page page;
    std::string paragraph;
    const auto flush = [&] {
        if (!paragraph.empty()) page.blocks.push_back({Block::Kind::Paragraph, parseInline(paragraph)});
        paragraph.clear();
    };
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3); // a byte-order mark from some editors
    size_t pos = 0;
    bool inHeaders = true;
    while (pos <= text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (inHeaders && isHeaderLine(line)) {
            if (end == text.size()) break;
            continue;
        }
        inHeaders = false;
        if (line.empty()) {
            flush();
        } else if (line.substr(0, 3) == "## ") {
            flush();
            page.blocks.push_back({Block::Kind::Heading, parseInline(trim(line.substr(3)))});
        } else if (line.substr(0, 2) == "# ") {
            flush();
            page.blocks.push_back({Block::Kind::Title, parseInline(trim(line.substr(2)))});
        } else if (line.substr(0, 2) == "- " || line.substr(0, 2) == "* ") {
            flush();
            page.blocks.push_back({Block::Kind::ListItem, parseInline(trim(line.substr(2)))});
        } else {
            if (!paragraph.empty()) paragraph += ' ';
            paragraph += line;
        }
        if (end == text.size()) break;
    }
    flush();
    return page;
}

std::vector<std::string_view> splitTrimmed(std::string_view text, char separator) {
    std::vector<std::string_view> pieces;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find(separator, pos);
        if (end == std::string_view::npos) end = text.size();
        pieces.push_back(trim(text.substr(pos, end - pos)));
        pos = end + 1;
    }
    return pieces;
}

std::string pageHeader(std::string_view text, std::string_view name) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    for (const std::string_view line : trimmedLines(text)) {
        if (!isHeaderLine(line)) break;
        const size_t colon = line.find(':');
        if (line.substr(0, colon) == name) return std::string(trim(line.substr(colon + 1)));
    }
    return {};
}

SiteSettings SiteSettings::parse(std::string_view text) {
    SiteSettings s;
    for (const std::string_view line : trimmedLines(text)) {
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        const size_t eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view key = trim(line.substr(0, eq));
        if (!key.empty()) s.m_values[std::string(key)] = std::string(trim(line.substr(eq + 1)));
    }
    return s;
}

SiteSettings SiteSettings::load(const std::filesystem::path& file) { return parse(readText(file)); }

const std::string* SiteSettings::get(std::string_view key) const {
    auto it = m_values.find(key);
    return it == m_values.end() ? nullptr : &it->second;
}

std::string SiteSettings::keepNumbersWithWords(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ' ' && i > 0 && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') out += "\xC2\xA0";
        else out += text[i];
    }
    return out;
}

std::string SiteSettings::fill(std::string_view text, std::vector<std::string>* unknown) const {
    std::string out;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t open = text.find("{{", pos);
        const size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        out += text.substr(pos, open - pos);
        const std::string_view key = trim(text.substr(open + 2, close - open - 2));
        if (const std::string* v = get(key)) {
            // A phone number never breaks across lines: its spaces become no-break spaces.
            const bool unbreakable = key.size() >= 5 && (key.substr(key.size() - 5) == "phone" ||
                                                         (key.size() >= 6 && key.substr(key.size() - 6) == "number"));
            if (unbreakable) {
                for (char c : *v) {
                    if (c == ' ') out += "\xC2\xA0";
                    else out += c;
                }
            } else {
                out += keepNumbersWithWords(*v);
            }
        } else {
            out += text.substr(open, close + 2 - open);
            if (unknown) unknown->emplace_back(key);
        }
        pos = close + 2;
    }
    out += text.substr(pos);
    return out;
}

namespace {
// Thai terms of the glossary and the pages that ICU's line breaker (ICU 72.1, Debian 12) cuts into pieces, e.g.
// เอชไอวี into เอ|ช|ไอ|วี. Add a term here when a reviewer sees it split at a line end.
constexpr std::string_view kThaiCompounds[] = {
    "การแสวงหาประโยชน์", "การค้ามนุษย์", "ใบอนุญาตพำนัก", "บ้านพักพิง", "ผู้ประสานงาน", "ยาคุมฉุกเฉิน", "ค้ามนุษย์", "เอชไอวี",
    "เพศสัมพันธ์", "สุขภาพดี", "ถูกค้ามนุษย์",
};
} // namespace

void keepCompoundsTogether(std::string_view text, std::string_view lang, std::vector<size_t>& breaks) {
    if (lang != "th") return;
    for (std::string_view compound : kThaiCompounds)
        for (size_t at = text.find(compound); at != std::string_view::npos; at = text.find(compound, at + 1)) {
            const size_t end = at + compound.size();
            breaks.erase(std::remove_if(breaks.begin(), breaks.end(), [&](size_t b) { return b > at && b < end; }),
                         breaks.end());
        }
}

bool isPlaceholder(std::string_view value) {
    value = trim(value);
    if (value.empty()) return true;
    std::string upper(value);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (std::string_view mark : {"IN TE VULLEN", "TO BE SET", ".INVALID", "000 000"})
        if (upper.find(mark) != std::string::npos) return true;
    return false;
}

const std::string* SiteSettings::fact(std::string_view key, std::string_view lang) const {
    if (!lang.empty())
        if (const std::string* v = get(std::string(key) + "." + std::string(lang)); v && !isPlaceholder(*v)) return v;
    const std::string* v = get(key);
    return v && !isPlaceholder(*v) ? v : nullptr;
}

namespace {

// The {{keys}} a piece of text names.
std::vector<std::string_view> factKeys(std::string_view text) {
    std::vector<std::string_view> keys;
    for (size_t open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open + 2)) {
        const size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        keys.push_back(trim(text.substr(open + 2, close - open - 2)));
    }
    return keys;
}

// The line without its sentences that name a fact `missing` says is not there. ICU's sentence breaks for the
// language (Chinese and Thai end sentences without spaces).
std::string withoutSentences(std::string_view line, std::string_view lang,
                             const std::function<bool(std::string_view)>& missing) {
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(line.data(), static_cast<int32_t>(line.size())));
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createSentenceInstance(icu::Locale(std::string(lang).c_str()), status));
    if (U_FAILURE(status)) return {};
    it->setText(text);
    std::string out;
    for (int32_t start = it->first(), end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
        std::string sentence;
        text.tempSubStringBetween(start, end).toUTF8String(sentence);
        const auto keys = factKeys(sentence);
        if (std::none_of(keys.begin(), keys.end(), missing)) out += sentence;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    return out;
}

} // namespace

std::string SiteSettings::fillVisible(std::string_view text, std::string_view lang) const {
    const auto missing = [&](std::string_view key) { return fact(key) == nullptr; };
    std::string kept;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        const auto keys = factKeys(line);
        if (std::none_of(keys.begin(), keys.end(), missing)) {
            kept.append(line);
        } else {
            const std::string_view body = trim(line);
            const bool item = body.substr(0, 2) == "- " || body.substr(0, 2) == "* ";
            const bool heading = !body.empty() && body[0] == '#';
            if (!item && !heading) kept += withoutSentences(line, lang, missing); // an item or heading goes whole
        }
        if (end < text.size()) kept += '\n';
    }
    // Per-language values ("site.opening_hours.en") are filled by a copy that sees them under the plain key.
    SiteSettings local = *this;
    for (const auto& [key, value] : m_values)
        if (const std::string* v = fact(key, lang)) local.m_values[key] = *v;
    return local.fill(kept);
}

std::filesystem::path pagePath(const std::filesystem::path& assetsDir, std::string_view lang, std::string_view topic) {
    return assetsDir / "content" / std::string(lang) / (std::string(topic) + ".md");
}

Page loadPage(const std::filesystem::path& assetsDir, std::string_view lang, std::string_view topic,
              const SiteSettings& settings) {
    for (std::string_view l : {lang, std::string_view("en"), std::string_view("nl")}) {
        const auto file = pagePath(assetsDir, l, topic);
        if (std::filesystem::is_regular_file(file)) return parseMarkdown(settings.fillVisible(readText(file), l));
    }
    return {};
}

} // namespace inloop::core
