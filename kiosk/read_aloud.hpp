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
#include <set>
#include <string>
#include <vector>

namespace inloop::kiosk {

class ReadAloud {
public:
    // Opens the default audio device (SDL_AUDIODRIVER chooses the driver; tests use "dummy") and asks the helper
    // which languages it speaks.
    explicit ReadAloud(const std::filesystem::path& helper);
    ~ReadAloud(); // stops, closes the device
    ReadAloud(const ReadAloud&) = delete;
    ReadAloud& operator=(const ReadAloud&) = delete;

    // An audio device opened and espeak-ng has a voice for `lang`.
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
    // Between frames: notices the end of the last block. True when the state changed (redraw).
    bool tick();
    // A block of the last reading could not be spoken (the helper crashed or hung): the screen says so until the
    // next reading or the next screen.
    bool noSound() const { return m_noSound; }
    // What the current reading was given, block by block (tests); forgotten on stop, never logged.
    const std::vector<std::string>& texts() const { return m_texts; }
    // The helper process (tests: how often it was started).
    const core::speech::SpeechProcess& process() const { return *m_process; }

private:
    SDL_AudioDeviceID m_device = 0;
    std::shared_ptr<core::speech::SpeechProcess> m_process; // shared with the worker's jobs
    bool m_noSound = false;
    std::vector<std::string> m_texts;
    std::set<std::string, std::less<>> m_voices; // the kiosk languages espeak-ng speaks (asked once: no lock per frame)
    bool m_speaking = false;
    int m_blocksLeft = 0;                   // jobs posted for this reading and not yet queued
    uint64_t m_reading = 0;                 // which reading a finished block belongs to (a stopped one is dropped)
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace inloop::kiosk
