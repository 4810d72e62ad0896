// Read aloud with espeak-ng's synchronous API (see speech.hpp).
#include "core/i18n/speech.hpp"

#include "core/base/error.hpp"
#include "core/base/install_paths.hpp"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <unicode/rbnf.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <regex>
#include <utility>

namespace inloop::core::speech {

namespace {

// ---- Voices -----------------------------------------------------------------------------------------------------

// The kiosk's languages and espeak-ng's names for their voices (the file names under espeak-ng-data/lang/).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kVoices{{
    {"nl", "nl"}, {"en", "en"}, {"es", "es"}, {"ro", "ro"}, {"bg", "bg"}, {"hu", "hu"}, {"zh", "cmn-Latn-pinyin"}, {"th", "th"}}};
// Mandarin: Debian's espeak-ng 1.51 "cmn" reads most characters as English pinyin with tone numbers ("点" as "dian
// three"; espeak-ng #1028); "cmn-Latn-pinyin" reads them in Mandarin (assets/speech/pronunciation.tsv says more).

// ---- The engine: global state behind one lock --------------------------------------------------------------------

std::mutex& engineMutex() {
    static std::mutex m;
    return m;
}

// What one synthesis collects; reached from the callback through the event's user_data.
struct Collect {
    Audio audio;
    const std::atomic<bool>* cancel = nullptr;
    std::vector<size_t> sentenceChars; // text_position (characters, 1-based) per sentence, mapped to bytes later
};

int onSynth(short* wav, int count, espeak_EVENT* events) {
    auto* c = static_cast<Collect*>(events ? events->user_data : nullptr);
    if (!c) return 0;
    for (espeak_EVENT* e = events; e->type != espeakEVENT_LIST_TERMINATED; ++e) {
        if (e->type != espeakEVENT_SENTENCE) continue;
        // audio_position is in milliseconds from the start of this synthesis.
        const size_t sample = size_t(e->audio_position) * size_t(c->audio.sampleRate) / 1000;
        c->audio.sentences.push_back({sample, 0});
        c->sentenceChars.push_back(size_t(e->text_position > 0 ? e->text_position - 1 : 0));
    }
    if (wav && count > 0) c->audio.samples.insert(c->audio.samples.end(), wav, wav + count);
    return c->cancel && c->cancel->load() ? 1 : 0; // non-zero stops espeak
}

// Starts espeak-ng once per process (under the lock); its data from the path Debian built it with.
void ensureStarted() {
    static bool started = false;
    if (started) return;
    espeak_ng_InitializePath(nullptr);
    espeak_ng_ERROR_CONTEXT context = nullptr;
    if (espeak_ng_Initialize(&context) != ENS_OK) {
        espeak_ng_ClearErrorContext(&context);
        throw Error(ErrorKind::Storage, "speech.engine", "espeak-ng cannot start (is espeak-ng-data installed?)");
    }
    if (espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr) != ENS_OK)
        throw Error(ErrorKind::Storage, "speech.engine", "espeak-ng cannot synthesise into memory");
    espeak_SetSynthCallback(onSynth);
    started = true;
}

// espeak-ng's identifier is the voice file's path under lang/ ("gmw/nl", "sit/cmn-Latn-pinyin"); its last part
// is the name.
// espeak lists voices by reading its data folder, so the names are read once (under the lock) and kept.
bool voiceInstalled(std::string_view name) {
    static const std::vector<std::string> installed = [] {
        std::vector<std::string> names;
        for (const espeak_VOICE** v = espeak_ListVoices(nullptr); v && *v; ++v) {
            const std::string_view id = (*v)->identifier ? (*v)->identifier : "";
            const size_t slash = id.rfind('/');
            names.emplace_back(id.substr(slash == std::string_view::npos ? 0 : slash + 1));
        }
        return names;
    }();
    for (const std::string& n : installed)
        if (n == name) return true;
    return false;
}

// Byte offset of the `chars`-th code point (0-based) of a UTF-8 text; the text's size if it has fewer.
size_t byteOffsetOfChar(std::string_view text, size_t chars) {
    for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue; // a continuation byte
        if (chars == 0) return i;
        --chars;
    }
    return text.size();
}

// espeak reports a sentence at its first letter; a reader's sentence starts at its opening mark (es "¿Se …?",
// "¡…!", «…», "(…)"). Moves `offset` back over such marks.
size_t includeOpeningMarks(std::string_view text, size_t offset) {
    while (offset > 0) {
        int32_t before = int32_t(offset);
        UChar32 c = 0;
        U8_PREV(reinterpret_cast<const uint8_t*>(text.data()), 0, before, c);
        const auto type = u_charType(c);
        const bool opening = type == U_START_PUNCTUATION || type == U_INITIAL_PUNCTUATION || c == 0xBF /* ¿ */ ||
                             c == 0xA1 /* ¡ */ || c == '"' || c == '\'';
        if (!opening) break;
        offset = size_t(before);
    }
    return offset;
}

// ---- What espeak is given: numbers as a person says them ------------------------------------------------------------

// A text being rewritten, and for each of its bytes the byte of the original it comes from (so that sentence
// boundaries found in the spoken text point into the text on screen).
struct Spoken {
    std::string text;
    std::vector<size_t> origin;
    void copy(std::string_view from, size_t at) {
        text.append(from);
        for (size_t i = 0; i < from.size(); ++i) origin.push_back(at + i);
    }
    void say(std::string_view words, size_t at) {
        text.append(words);
        origin.insert(origin.end(), words.size(), at);
    }
};

// A time of day as the language says it: numbers as digits (espeak reads those well), the words around them.
// `role`: 0 on its own, 1 the start of a range, 2 its end (Hungarian says the range with suffixes).
std::string sayTime(int h, int m, std::string_view lang, int role) {
    const std::string hs = std::to_string(h), ms = std::to_string(m);
    if (lang == "en") { // the 12-hour clock: "2 p.m.", "9 30 a.m.", "10 oh 5 a.m."
        const int h12 = h % 12 == 0 ? 12 : h % 12;
        const std::string minutes = m == 0 ? "" : m < 10 ? " oh " + ms : " " + ms;
        return std::to_string(h12) + minutes + (h < 12 ? " a.m." : " p.m.");
    }
    if (lang == "nl") return hs + " uur" + (m ? " " + ms : "");
    if (lang == "es") return m ? hs + " y " + ms : hs + (h == 1 ? " hora" : " horas");
    if (lang == "ro") return "ora " + hs + (m ? " și " + ms : "");
    if (lang == "bg") return hs + (h == 1 ? " час" : " часа") + (m ? " и " + ms : "");
    // Chinese: 时 and 至 (the "cmn" voice read 点, 到 and 分 as English pinyin; cmn-Latn-pinyin says all four).
    if (lang == "zh") return hs + "时" + (m ? ms : "");
    if (lang == "th") return hs + " นาฬิกา" + (m ? " " + ms + " นาที" : "");
    if (lang == "hu") { // "14 óra", "9 óra 30 perc"; from: -tól/-től, until: -ig
        static constexpr std::array<std::array<const char*, 3>, 2> kWord{{{"óra", "órától", "óráig"},
                                                                          {"perc", "perctől", "percig"}}};
        return m ? hs + " óra " + ms + " " + kWord[1][size_t(role)] : hs + " " + kWord[0][size_t(role)];
    }
    return hs + ":" + (m < 10 ? "0" : "") + ms;
}

// "from … to …" between two times; Hungarian's suffixes do it alone.
std::string_view rangeWord(std::string_view lang) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kWords{
        {{"nl", " tot "}, {"en", " to "}, {"es", " a "}, {"ro", " până la "}, {"bg", " до "}, {"hu", " "},
         {"zh", "至"}, {"th", " ถึง "}}};
    for (const auto& [l, w] : kWords)
        if (l == lang) return w;
    return " – ";
}

// Thai: every run of digits in words ("23" → "ยี่สิบสาม").
Spoken thaiNumbers(const Spoken& in) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::RuleBasedNumberFormat spell(icu::URBNF_SPELLOUT, icu::Locale("th"), status);
    if (U_FAILURE(status)) return in;
    Spoken out;
    const std::string& t = in.text;
    for (size_t i = 0; i < t.size();) {
        size_t j = i;
        while (j < t.size() && j - i < 12 && t[j] >= '0' && t[j] <= '9') ++j;
        if (j == i) {
            out.text.push_back(t[i]);
            out.origin.push_back(in.origin[i]);
            ++i;
            continue;
        }
        icu::UnicodeString words;
        spell.format(static_cast<int64_t>(std::stoll(t.substr(i, j - i))), words);
        words.findAndReplace(icu::UnicodeString(char16_t(0x200B)), icu::UnicodeString()); // ICU's zero-width spaces
        std::string utf8;
        words.toUTF8String(utf8);
        out.say(utf8, in.origin[i]);
        i = j;
    }
    return out;
}

// Thai writes no full stops: a space between two Thai words ends a phrase or a sentence. espeak-ng reports
// sentences only at punctuation (and ICU's sentence breaks find none in Thai either), so each such space gets a
// full stop before it: a sentence event for the highlight, and the pause a Thai reader makes there.
Spoken thaiPhrases(const Spoken& in) {
    const auto thaiBefore = [&](size_t i) { // the code point ending just before byte i is Thai (U+0E00–U+0E7F)
        if (i < 3) return false;
        const auto* t = reinterpret_cast<const unsigned char*>(in.text.data());
        return t[i - 3] == 0xE0 && (t[i - 2] == 0xB8 || t[i - 2] == 0xB9);
    };
    const auto thaiAt = [&](size_t i) {
        const auto* t = reinterpret_cast<const unsigned char*>(in.text.data());
        return i + 2 < in.text.size() && t[i] == 0xE0 && (t[i + 1] == 0xB8 || t[i + 1] == 0xB9);
    };
    Spoken out;
    for (size_t i = 0; i < in.text.size(); ++i) {
        if (in.text[i] == ' ' && thaiBefore(i)) {
            size_t j = i;
            while (j < in.text.size() && in.text[j] == ' ') ++j;
            // Only spaces of the page's own text: not those between the words a time was said in.
            const bool own = in.origin[i] == in.origin[i - 1] + 1 && in.origin[j] == in.origin[j - 1] + 1;
            if (thaiAt(j) && own) out.say(".", in.origin[i]);
        }
        out.text.push_back(in.text[i]);
        out.origin.push_back(in.origin[i]);
    }
    return out;
}

// The pronunciation list (assets/speech/pronunciation.tsv), read once.
const std::vector<Pronunciation>& pronunciations() {
    static const std::vector<Pronunciation> list = [] {
        try {
            return loadPronunciations(resourceRoot() / "assets" / "speech" / "pronunciation.tsv");
        } catch (const Error&) {
            return std::vector<Pronunciation>{}; // no list: espeak's own way with every word
        }
    }();
    return list;
}

// A letter or digit that joins a word: Chinese and Thai write without spaces, so "和HIV" holds the word HIV.
bool joins(UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    return u_isalnum(c) && script != USCRIPT_HAN && script != USCRIPT_THAI;
}

// Each listed word of `lang` that stands alone in the page's own text, as the list says it.
Spoken respell(const Spoken& in, std::string_view lang, const std::vector<Pronunciation>& list) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(in.text.data());
    const auto joined = [&](size_t i) { // at byte i
        if (i >= in.text.size()) return false;
        int32_t at = int32_t(i);
        UChar32 c = 0;
        U8_NEXT(bytes, at, int32_t(in.text.size()), c);
        return joins(c);
    };
    const auto joinedBefore = [&](size_t i) {
        if (i == 0) return false;
        int32_t at = int32_t(i);
        UChar32 c = 0;
        U8_PREV(bytes, 0, at, c);
        return joins(c);
    };
    Spoken out;
    for (size_t i = 0; i < in.text.size();) {
        const Pronunciation* hit = nullptr;
        for (const Pronunciation& p : list) {
            if (p.lang != lang || in.text.compare(i, p.written.size(), p.written) != 0) continue;
            const size_t end = i + p.written.size();
            bool own = true; // copied from the page, not words a time was said in
            for (size_t k = i + 1; k < end; ++k) own = own && in.origin[k] == in.origin[k - 1] + 1;
            if (own && !joinedBefore(i) && !joined(end)) {
                hit = &p;
                break;
            }
        }
        if (!hit) {
            out.text.push_back(in.text[i]);
            out.origin.push_back(in.origin[i]);
            ++i;
            continue;
        }
        out.say(hit->spoken, in.origin[i]);
        i += hit->written.size();
    }
    return out;
}

Spoken spoken(std::string_view text, std::string_view lang) {
    // A time H:MM, optionally a range to another (en dash, em dash or hyphen); or a ticket code: one capital and
    // one to three digits. Digits or letters just before or after are not ours ("v1.10", "ABC12").
    static const std::regex kPattern(
        "(\\d{1,2}):(\\d{2})(?:\\s*(?:\xE2\x80\x93|\xE2\x80\x94|-)\\s*(\\d{1,2}):(\\d{2}))?|([A-Z])(\\d{1,3})",
        std::regex::ECMAScript | std::regex::optimize);
    const auto isWordByte = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.'; };
    Spoken out;
    size_t done = 0;
    for (auto it = std::cregex_iterator(text.data(), text.data() + text.size(), kPattern); it != std::cregex_iterator();
         ++it) {
        const std::cmatch& m = *it;
        const size_t at = size_t(m.position(0)), end = at + size_t(m.length(0));
        if ((at > 0 && isWordByte(text[at - 1])) || (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))))
            continue;
        std::string said;
        if (m[5].matched) { // a ticket code: the letter, a breath, the number
            said = m.str(5) + ", " + m.str(6);
        } else {
            const int h1 = std::stoi(m.str(1)), m1 = std::stoi(m.str(2));
            if (h1 > 24 || m1 > 59) continue;
            if (!m[3].matched) {
                said = sayTime(h1, m1, lang, 0);
            } else {
                const int h2 = std::stoi(m.str(3)), m2 = std::stoi(m.str(4));
                if (h2 > 24 || m2 > 59) continue;
                said = sayTime(h1, m1, lang, 1) + std::string(rangeWord(lang)) + sayTime(h2, m2, lang, 2);
            }
        }
        out.copy(text.substr(done, at - done), done);
        out.say(said, at);
        done = end;
    }
    out.copy(text.substr(done), done);
    out = respell(out, lang, pronunciations());
    return lang == "th" ? thaiNumbers(thaiPhrases(out)) : out;
}

} // namespace

// ---- Public API ---------------------------------------------------------------------------------------------------

std::string spokenText(std::string_view text, std::string_view lang) { return spoken(text, lang).text; }

std::vector<Pronunciation> loadPronunciations(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw Error(ErrorKind::Storage, "speech.pronunciation", "cannot read " + file.string());
    std::vector<Pronunciation> list;
    int number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        const size_t a = line.find('\t'), b = a == std::string::npos ? a : line.find('\t', a + 1);
        if (b == std::string::npos || line.find('\t', b + 1) != std::string::npos || a == 0 || b == a + 1 ||
            b + 1 == line.size())
            throw Error(ErrorKind::InvalidInput, "speech.pronunciation",
                        file.filename().string() + " line " + std::to_string(number) +
                            ": language, word and what to say, separated by one tab each");
        list.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
    }
    // Longer words first, so that "STIs" wins over "STI".
    std::stable_sort(list.begin(), list.end(),
                     [](const Pronunciation& x, const Pronunciation& y) { return x.written.size() > y.written.size(); });
    return list;
}

std::string phonemes(std::string_view text, std::string_view lang) {
    const std::string_view name = voiceName(lang);
    std::lock_guard lock(engineMutex());
    ensureStarted();
    if (name.empty() || !voiceInstalled(name) || espeak_SetVoiceByName(std::string(name).c_str()) != EE_OK)
        throw Error(ErrorKind::InvalidInput, "speech.voice", "no espeak-ng voice for language " + std::string(lang));
    // espeak's trace of a real synthesis (espeak_TextToPhonemes leaves state behind that cost a later synthesis
    // its sentence boundaries).
    const std::string said = spoken(text, lang).text;
    char* buffer = nullptr;
    size_t size = 0;
    FILE* trace = open_memstream(&buffer, &size);
    if (!trace) throw Error(ErrorKind::Storage, "speech.engine", "no memory for espeak-ng's phonemes");
    espeak_SetPhonemeTrace(espeakPHONEMES_SHOW, trace);
    Collect c;
    c.audio.sampleRate = espeak_ng_GetSampleRate();
    espeak_Synth(said.c_str(), said.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &c);
    espeak_SetPhonemeTrace(0, nullptr);
    std::fclose(trace);
    std::string out(buffer ? buffer : "", size);
    std::free(buffer);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

std::string_view voiceName(std::string_view lang) {
    for (const auto& [kiosk, voice] : kVoices)
        if (kiosk == lang) return voice;
    return {};
}

bool hasVoice(std::string_view lang) {
    const std::string_view name = voiceName(lang);
    if (name.empty()) return false;
    std::lock_guard lock(engineMutex());
    try {
        ensureStarted();
    } catch (const Error&) {
        return false;
    }
    return voiceInstalled(name);
}

Audio synthesize(std::string_view text, std::string_view lang, const std::atomic<bool>* cancel, int speedPercent) {
    const std::string_view name = voiceName(lang);
    std::lock_guard lock(engineMutex());
    ensureStarted();
    if (name.empty() || !voiceInstalled(name) || espeak_SetVoiceByName(std::string(name).c_str()) != EE_OK)
        throw Error(ErrorKind::InvalidInput, "speech.voice", "no espeak-ng voice for language " + std::string(lang));
    // espeak keeps the rate across calls (one engine): set it every time. Its normal is 175 words a minute.
    espeak_SetParameter(espeakRATE, espeakRATE_NORMAL * std::clamp(speedPercent, kSlowest, kFastest) / 100, 0);
    Collect c;
    c.audio.sampleRate = espeak_ng_GetSampleRate();
    c.cancel = cancel;
    const Spoken said = spoken(text, lang); // a std::string: espeak reads up to the terminating NUL
    espeak_Synth(said.text.c_str(), said.text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &c);
    for (size_t i = 0; i < c.audio.sentences.size(); ++i) {
        const size_t inSaid = byteOffsetOfChar(said.text, c.sentenceChars[i]);
        const size_t inText = inSaid < said.origin.size() ? said.origin[inSaid] : text.size();
        c.audio.sentences[i].textOffset = includeOpeningMarks(text, inText);
    }
    return std::move(c.audio);
}

std::string toWav(const Audio& audio) {
    const auto u32 = [](std::string& out, uint32_t v) {
        for (int i = 0; i < 4; ++i) out.push_back(char((v >> (8 * i)) & 0xFF));
    };
    const auto u16 = [](std::string& out, uint16_t v) {
        out.push_back(char(v & 0xFF));
        out.push_back(char(v >> 8));
    };
    const uint32_t dataBytes = uint32_t(audio.samples.size() * 2);
    std::string out = "RIFF";
    u32(out, 36 + dataBytes);
    out += "WAVEfmt ";
    u32(out, 16);
    u16(out, 1); // PCM
    u16(out, 1); // mono
    u32(out, uint32_t(audio.sampleRate));
    u32(out, uint32_t(audio.sampleRate) * 2);
    u16(out, 2);
    u16(out, 16);
    out += "data";
    u32(out, dataBytes);
    for (int16_t s : audio.samples) u16(out, uint16_t(s));
    return out;
}

} // namespace inloop::core::speech
