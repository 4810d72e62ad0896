// Read aloud (issue 21): a page spoken in the visitor's language through SDL audio.
//
// Synthesis runs on the kiosk's worker, one block of the page per job, so the first block plays while the rest is
// still being spoken into memory; each finished block is queued on one SDL audio device (SDL_QueueAudio). The
// worker does not speak itself: espeak-ng runs in the inloop-speak helper (core::SpeechProcess), so a crash or a
// hang there costs a block ("no sound this time"), never the kiosk. Stop clears the queue and cancels what the
// worker has not done yet. With no audio device, or no helper, the kiosk runs as before: available() is false and
// the screens show no button.
#pragma once

#include "core/i18n/speech_process.hpp"
#include "core/base/worker.hpp"

#include <SDL.h>

#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace inloop::kiosk {

class ReadAloud {
public:
    // Opens the default audio device (SDL_AUDIODRIVER chooses the driver; tests use "dummy"). No voice yet: see
    // listVoices.
    explicit ReadAloud(const std::filesystem::path& helper);
    ~ReadAloud(); // stops, closes the device
    ReadAloud(const ReadAloud&) = delete;
    ReadAloud& operator=(const ReadAloud&) = delete;

    // Asks the helper which languages it speaks, on the worker: the kiosk's start never waits for espeak-ng (or
    // for a helper that hangs). Until the answer, available() is false. Nothing to do without an audio device.
    void listVoices(core::Worker& worker);
    // The site's settings from the desk (core::KioskSpeech): off hides the button and silences a reading; the
    // volume applies to what is queued next, the speed to what is spoken next.
    void configure(bool on, int volumePercent, int speedPercent);
    int volume() const { return m_volume; }
    int speed() const { return m_speed; }
    // An audio device opened, read aloud on at this site, and espeak-ng has a voice for `lang`.
    bool available(const std::string& lang) const;
    // Speaks the texts one after another; replaces whatever was being read. `redraw` is asked for when the first
    // sound starts (the button's state changes).
    void start(core::Worker& worker, std::vector<std::string> texts, const std::string& lang);
    // Silence now: the queue cleared, the worker's remaining blocks cancelled. Nothing to do when not speaking.
    void stop();
    // Tapped Read aloud and not yet finished or stopped.
    bool speaking() const { return m_speaking; }
    // Audio is queued on the device (tests: sound really started).
    bool playing() const;
    // Between frames: notices the end of the last block and a new sentence heard. True when the state changed
    // (redraw).
    bool tick();
    // The sentence being heard: which of the texts given to start(), and its bytes in that text (trailing spaces
    // left out). The screen draws a band behind it and scrolls it into view.
    struct Sentence {
        size_t block = 0;
        size_t begin = 0, end = 0;
    };
    std::optional<Sentence> sentence() const;
    // Which sentence of this reading is being heard, counted from 0 over all blocks; -1 before the first sound and
    // after Stop. Moves with the audio the device has played.
    int sentenceIndex() const;
    // A block of the last reading could not be spoken (the helper crashed or hung): the screen says so until the
    // next reading or the next screen.
    bool noSound() const { return m_noSound; }
    // What the current reading was given, block by block (tests); forgotten on stop, never logged.
    const std::vector<std::string>& texts() const { return m_texts; }
    // The helper process (tests: how often it was started).
    const core::speech::SpeechProcess& process() const { return *m_process; }

private:
    void queueSentences(size_t block, const core::speech::Audio& audio); // adds the block's sentences to the timeline

    SDL_AudioDeviceID m_device = 0;
    std::shared_ptr<core::speech::SpeechProcess> m_process; // shared with the worker's jobs
    bool m_noSound = false;
    std::vector<std::string> m_texts;
    std::set<std::string, std::less<>> m_voices; // the kiosk languages espeak-ng speaks (asked once: no lock per frame)
    bool m_on = true;
    int m_volume = 100, m_speed = 100; // percent
    bool m_speaking = false;
    int m_blocksLeft = 0;                   // jobs posted for this reading and not yet queued
    uint64_t m_reading = 0;                 // which reading a finished block belongs to (a stopped one is dropped)
    std::shared_ptr<std::atomic<bool>> m_cancel;
    struct Timed {
        uint64_t sample = 0; // where the sentence starts among all samples queued for this reading
        Sentence sentence;
    };
    std::vector<Timed> m_timeline; // every sentence queued so far, in the order it is heard
    uint64_t m_queued = 0;         // samples queued for this reading
    int m_heard = -1;              // sentenceIndex() at the last tick
};

} // namespace inloop::kiosk
