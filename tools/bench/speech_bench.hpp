// Read aloud (issue 21): how soon the first sound comes after a tap, in every kiosk language.
#pragma once

#include "results.hpp"

namespace inloop::bench {

// 8. The kiosk in process (offscreen, SDL's dummy audio driver unless SDL_AUDIODRIVER says otherwise) on an info
// page in each language: Read aloud's path from the tap (Kiosk::speak with the page's blocks) through the worker,
// the inloop-speak helper and back, to the first samples queued on the audio device. speech_first_audio_ms_<lang>
// (median of the runs), speech_first_audio_ms (the slowest language; issue 21: < 300 ms).
void measureSpeech(const Settings& settings, const Paths& paths, Results& results);

// --speech-wav DIR: the first paragraph of the safe-work page (and a time and a ticket code) as Read aloud says it
// in each language, through the inloop-speak helper, written to DIR/speech-<lang>.wav; one line per language on
// standard output (seconds of speech, sentences). Returns the exit status.
int writeSpeechWavs(const fs::path& dir);

} // namespace inloop::bench
