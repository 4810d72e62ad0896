// Read aloud (issue 21): a text in one of the kiosk's languages, spoken by espeak-ng into memory.
//
// espeak-ng keeps one global synthesiser, so every call here takes one process-wide lock: one voice at a time.
// Nothing leaves the process and no text is logged; the caller plays the samples (the kiosk through SDL audio).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::core::speech {

// espeak-ng's voice for a kiosk language ("zh" speaks Mandarin, "cmn-Latn-pinyin"); empty for a language we do
// not speak.
std::string_view voiceName(std::string_view lang);

// True if this machine's espeak-ng data has the language's voice. A kiosk without it hides Read aloud for that
// language rather than speaking the text in another language's voice.
bool hasVoice(std::string_view lang);

// Where a sentence starts: in the audio, and in the text that was spoken.
struct Boundary {
    size_t sample = 0;     // offset into Audio::samples
    size_t textOffset = 0; // byte offset into the UTF-8 text
};

struct Audio {
    std::vector<int16_t> samples; // mono, 16-bit
    int sampleRate = 0;           // 22050 for espeak-ng's voices
    std::vector<Boundary> sentences; // ascending, as espeak reported them
    double seconds() const { return sampleRate ? double(samples.size()) / sampleRate : 0.0; }
};

// The text as a person reads it aloud in `lang`, which is what espeak-ng is given: times as the language says them
// ("14:00–16:00" → en "2 p.m. to 4 p.m.", nl "14 uur tot 16 uur", hu "14 órától 16 óráig"), a ticket code as
// letter and number ("A23" → "A, 23"), and in Thai every number in words (ICU's spellout: espeak's Thai voice
// reads digits one by one), and in Thai a full stop before each space between Thai words (Thai's end of a phrase
// or sentence, so that espeak reports a sentence there and pauses). Everything else is left as it is.
std::string spokenText(std::string_view text, std::string_view lang);

// A word espeak-ng says wrongly in a language, and what it is given instead (assets/speech/pronunciation.tsv,
// which spokenText applies: a word where it stands alone, as written).
struct Pronunciation {
    std::string lang, written, spoken;
};
// Throws Error(Storage) when the file cannot be read, Error(InvalidInput) for a line that is not
// "lang<TAB>written<TAB>spoken". Longest words first.
std::vector<Pronunciation> loadPronunciations(const std::filesystem::path& file);

// espeak-ng's phonemes for the text as spokenText says it (its ASCII mnemonics; "(en)…(cmn)" where it switched to
// English): for tests and for checking a pronunciation entry without listening.
std::string phonemes(std::string_view text, std::string_view lang);

// Speaks `text` (UTF-8) in `lang`'s voice, as spokenText says it; sentence offsets are into `text` itself. Throws Error(InvalidInput, "speech.voice") for a language without a
// voice and Error(Storage, "speech.engine") when espeak-ng cannot start. If `cancel` becomes true, synthesis stops
// early and returns what it has (the kiosk's Stop while a long page is still being spoken into memory).
// `speedPercent` scales espeak-ng's normal pace (175 words a minute), clamped to kSlowest–kFastest.
inline constexpr int kSlowest = 50, kFastest = 200;
Audio synthesize(std::string_view text, std::string_view lang, const std::atomic<bool>* cancel = nullptr,
                 int speedPercent = 100);

// A RIFF/WAVE file's bytes for the audio (16-bit mono PCM), for listening to a voice outside the kiosk.
std::string toWav(const Audio& audio);

} // namespace inloop::core::speech
