// Read aloud with espeak-ng's synchronous API (see speech.hpp).
#include "speech.hpp"

#include "error.hpp"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>
#include <cstring>
#include <mutex>
#include <utility>

namespace inloop::core::speech {

namespace {

// ---- Voices -----------------------------------------------------------------------------------------------------

// The kiosk's languages and espeak-ng's names for their voices (the file names under espeak-ng-data/lang/).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kVoices{{
    {"nl", "nl"}, {"en", "en"}, {"es", "es"}, {"ro", "ro"}, {"bg", "bg"}, {"hu", "hu"}, {"zh", "cmn"}, {"th", "th"}}};

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

// espeak-ng's identifier is the voice file's path under lang/ ("gmw/nl", "sit/cmn"); its last part is the name.
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

} // namespace

// ---- Public API ---------------------------------------------------------------------------------------------------

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

Audio synthesize(std::string_view text, std::string_view lang, const std::atomic<bool>* cancel) {
    const std::string_view name = voiceName(lang);
    std::lock_guard lock(engineMutex());
    ensureStarted();
    if (name.empty() || !voiceInstalled(name) || espeak_SetVoiceByName(std::string(name).c_str()) != EE_OK)
        throw Error(ErrorKind::InvalidInput, "speech.voice", "no espeak-ng voice for language " + std::string(lang));
    Collect c;
    c.audio.sampleRate = espeak_ng_GetSampleRate();
    c.cancel = cancel;
    const std::string z(text); // espeak reads up to the terminating NUL
    espeak_Synth(z.c_str(), z.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &c);
    for (size_t i = 0; i < c.audio.sentences.size(); ++i)
        c.audio.sentences[i].textOffset = includeOpeningMarks(text, byteOffsetOfChar(text, c.sentenceChars[i]));
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
