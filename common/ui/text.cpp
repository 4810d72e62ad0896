// Line breaking with ICU on UTF-8 text (UText keeps break positions as byte offsets).
#include "ui/text.hpp"

#include "core/i18n/content.hpp"

#include <imgui.h>
#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <map>
#include <memory>

namespace inloop::ui {

namespace {

struct Piece {
    size_t run;
    std::string text;
    bool space;   // only spaces: may hang past the line end
    bool canBreakBefore;
    size_t at; // byte offset of text in the runs' whole text
};

icu::BreakIterator* breaker(std::string_view lang, bool characters) {
    thread_local std::map<std::string, std::unique_ptr<icu::BreakIterator>> cache;
    const std::string key = std::string(lang) + (characters ? "/c" : "/l");
    auto it = cache.find(key);
    if (it == cache.end()) {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Locale locale(std::string(lang).c_str());
        std::unique_ptr<icu::BreakIterator> b(characters ? icu::BreakIterator::createCharacterInstance(locale, status)
                                                         : icu::BreakIterator::createLineInstance(locale, status));
        if (U_FAILURE(status)) return nullptr;
        it = cache.emplace(key, std::move(b)).first;
    }
    return it->second.get();
}

std::vector<size_t> boundaries(std::string_view text, std::string_view lang, bool characters) {
    std::vector<size_t> out;
    icu::BreakIterator* b = breaker(lang, characters);
    UErrorCode status = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
    if (!b || U_FAILURE(status)) {
        out = {0, text.size()};
    } else {
        b->setText(ut, status);
        for (int32_t p = b->first(); p != icu::BreakIterator::DONE; p = b->next()) out.push_back(static_cast<size_t>(p));
        b->setText(icu::UnicodeString()); // drop the UText before closing it
    }
    utext_close(ut);
    return out;
}

float measure(const Run& run, std::string_view s) {
    if (s.empty()) return 0;
    return run.font->CalcTextSizeA(run.px(), FLT_MAX, 0, s.data(), s.data() + s.size()).x;
}

} // namespace

float Run::px() const { return size > 0 ? size : font->FontSize; }

std::vector<LaidLine> layoutRuns(const std::vector<Run>& runs, std::string_view lang, float maxWidth,
                                 bool splitLongWords) {
    // Break opportunities come from the whole paragraph; runs split the segments further.
    std::string all;
    std::vector<size_t> runStart;
    for (const auto& r : runs) {
        runStart.push_back(all.size());
        all += r.text;
    }
    runStart.push_back(all.size());
    std::vector<size_t> breaks = boundaries(all, lang, false);
    core::keepCompoundsTogether(all, lang, breaks); // th: การค้ามนุษย์ stays on one line

    // Segments between break opportunities; trailing spaces of a segment become their own piece.
    std::vector<Piece> pieces;
    for (size_t i = 0; i + 1 < breaks.size(); ++i) {
        size_t a = breaks[i];
        const size_t b = breaks[i + 1];
        bool first = true;
        while (a < b) {
            size_t r = 0;
            while (r + 1 < runStart.size() && runStart[r + 1] <= a) ++r;
            const size_t end = std::min(b, runStart[r + 1]);
            std::string_view seg(all.data() + a, end - a);
            size_t wordEnd = seg.find_last_not_of(" \t");
            wordEnd = wordEnd == std::string_view::npos ? 0 : wordEnd + 1;
            if (wordEnd > 0) pieces.push_back({r, std::string(seg.substr(0, wordEnd)), false, first, a});
            if (wordEnd < seg.size())
                pieces.push_back({r, std::string(seg.substr(wordEnd)), true, first && wordEnd == 0, a + wordEnd});
            first = false;
            a = end;
        }
    }

    std::vector<LaidLine> lines(1);
    float x = 0, pendingSpace = 0;
    std::vector<Piece> pendingSpaces;
    const auto put = [&](size_t run, const std::string& t, float w, size_t at) {
        LaidLine& line = lines.back();
        if (line.runs.empty()) line.begin = at;
        if (!line.runs.empty() && line.runs.back().font == runs[run].font && line.runs.back().size == runs[run].size)
            line.runs.back().text += t;
        else line.runs.push_back({t, runs[run].font, runs[run].size});
        x += w;
        line.width = x;
    };
    // Words that belong together (no break opportunity between pieces) are measured as one.
    for (size_t i = 0; i < pieces.size();) {
        if (pieces[i].space) {
            pendingSpace += measure(runs[pieces[i].run], pieces[i].text);
            pendingSpaces.push_back(pieces[i]);
            ++i;
            continue;
        }
        size_t j = i + 1;
        float w = measure(runs[pieces[i].run], pieces[i].text);
        while (j < pieces.size() && !pieces[j].space && !pieces[j].canBreakBefore) {
            w += measure(runs[pieces[j].run], pieces[j].text);
            ++j;
        }
        if (x > 0 && x + pendingSpace + w > maxWidth) {
            lines.emplace_back();
            x = 0;
        } else {
            for (const auto& s : pendingSpaces) put(s.run, s.text, measure(runs[s.run], s.text), s.at);
        }
        pendingSpace = 0;
        pendingSpaces.clear();
        for (size_t k = i; k < j; ++k) {
            const Piece& p = pieces[k];
            const Run& run = runs[p.run];
            const float pw = measure(run, p.text);
            if (x + pw <= maxWidth || !splitLongWords) {
                put(p.run, p.text, pw, p.at);
                continue;
            }
            // Longer than a line: split between characters.
            const auto cuts = boundaries(p.text, lang, true);
            for (size_t c = 0; c + 1 < cuts.size(); ++c) {
                const std::string ch = p.text.substr(cuts[c], cuts[c + 1] - cuts[c]);
                const float cw = measure(run, ch);
                if (x > 0 && x + cw > maxWidth) {
                    lines.emplace_back();
                    x = 0;
                }
                put(p.run, ch, cw, p.at + cuts[c]);
            }
        }
        i = j;
    }
    if (lines.back().runs.empty() && lines.size() > 1) lines.pop_back();
    return lines;
}

float widestWord(const std::vector<Run>& runs, std::string_view lang) {
    float widest = 0;
    for (const auto& line : layoutRuns(runs, lang, 1.0f, false)) widest = std::max(widest, line.width); // a word a line
    return widest;
}

std::vector<std::string> wrapText(std::string_view text, std::string_view lang, ImFont* font, float maxWidth) {
    std::vector<std::string> out;
    for (const auto& line : layoutRuns({{std::string(text), font}}, lang, maxWidth)) {
        std::string s;
        for (const auto& r : line.runs) s += r.text;
        out.push_back(std::move(s));
    }
    return out;
}

namespace {
bool g_recordText = false;
std::vector<std::string> g_drawnText;

// The part of `line` inside the mark's byte range, as a rounded band behind its text (drawn before the text).
void markLine(TextMark& mark, const LaidLine& line, ImVec2 at, float height) {
    size_t lineEnd = line.begin;
    for (const auto& r : line.runs) lineEnd += r.text.size();
    const size_t from = std::max(mark.begin, line.begin), to = std::min(mark.end, lineEnd);
    if (from >= to) return;
    float x0 = at.x, x1 = at.x;
    size_t pos = line.begin;
    for (const auto& r : line.runs) {
        const size_t runEnd = pos + r.text.size();
        const auto width = [&](size_t upTo) {
            return measure(r, std::string_view(r.text).substr(0, std::clamp(upTo, pos, runEnd) - pos));
        };
        if (from >= pos && from <= runEnd) x0 = x1 + width(from);
        if (to >= pos && to <= runEnd) {
            x1 += width(to);
            break;
        }
        x1 += measure(r, r.text);
        pos = runEnd;
    }
    const float pad = height * 0.12f;
    const ImVec2 min(x0 - pad, at.y - pad * 0.5f), max(x1 + pad, at.y + height - pad * 0.5f);
    ImGui::GetWindowDrawList()->AddRectFilled(min, max, mark.color, pad);
    if (!mark.drawn) {
        mark = {mark.begin, mark.end, mark.color, true, min.y, max.y, min.x, max.x};
        return;
    }
    mark.top = std::min(mark.top, min.y);
    mark.bottom = std::max(mark.bottom, max.y);
    mark.left = std::min(mark.left, min.x);
    mark.right = std::max(mark.right, max.x);
}
} // namespace

void recordDrawnText(bool on) {
    g_recordText = on;
    if (on) g_drawnText.clear();
}

const std::vector<std::string>& drawnText() { return g_drawnText; }

float drawLines(const std::vector<LaidLine>& lines, unsigned int color, float lineSpacing, bool centred,
                TextMark* mark) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float avail = ImGui::GetContentRegionAvail().x;
    float y = 0;
    for (const auto& line : lines) {
        float lineHeight = 0;
        for (const auto& r : line.runs) lineHeight = std::max(lineHeight, r.px());
        float x = centred ? std::max(0.0f, (avail - line.width) * 0.5f) : 0;
        if (mark) markLine(*mark, line, ImVec2(origin.x + x, origin.y + y), lineHeight * lineSpacing);
        for (const auto& r : line.runs) {
            dl->AddText(r.font, r.px(), ImVec2(origin.x + x, origin.y + y + (lineHeight - r.px())), color, r.text.c_str(),
                        r.text.c_str() + r.text.size());
            x += measure(r, r.text);
            if (g_recordText) g_drawnText.push_back(r.text);
        }
        y += lineHeight * lineSpacing;
    }
    ImGui::Dummy(ImVec2(avail, y));
    return y;
}

void textWrapped(std::string_view text, std::string_view lang, ImFont* font, unsigned int color, bool centred,
                 TextMark* mark) {
    const float avail = ImGui::GetContentRegionAvail().x;
    drawLines(layoutRuns({{std::string(text), font}}, lang, avail), color, 1.25f, centred, mark);
}

} // namespace inloop::ui
