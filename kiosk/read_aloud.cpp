// Read aloud through SDL audio (see read_aloud.hpp).
#include "read_aloud.hpp"

#include "core/i18n.hpp"
#include "core/speech.hpp"

namespace inloop::kiosk {

namespace {
constexpr int kSampleRate = 22050; // espeak-ng's voices; SDL converts if the device wants another rate
} // namespace

ReadAloud::ReadAloud() {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) return;
    SDL_AudioSpec want{};
    want.freq = kSampleRate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    want.callback = nullptr; // queued with SDL_QueueAudio
    m_device = SDL_OpenAudioDevice(nullptr, 0, &want, nullptr, 0); // SDL converts to what the device plays
    if (m_device == 0) {
        SDL_QuitSubSystem(SDL_INIT_AUDIO); // no sound here: the kiosk runs without Read aloud
        return;
    }
    for (std::string_view lang : core::kLanguages)
        if (core::speech::hasVoice(lang)) m_voices.emplace(lang);
}

ReadAloud::~ReadAloud() {
    if (m_device == 0) return;
    stop();
    SDL_CloseAudioDevice(m_device);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool ReadAloud::available(const std::string& lang) const { return m_device != 0 && m_voices.count(lang) > 0; }

void ReadAloud::start(core::Worker& worker, std::vector<std::string> texts, const std::string& lang) {
    stop();
    if (m_device == 0) return;
    m_speaking = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const uint64_t reading = ++m_reading;
    m_blocksLeft = 0;
    for (std::string& text : texts) {
        if (text.empty()) continue;
        ++m_blocksLeft;
        // The job needs no store; it runs on the worker so that no frame waits for espeak.
        worker.post([this, reading, lang, text = std::move(text), cancel = m_cancel](core::Store&) {
            auto audio = std::make_shared<core::speech::Audio>();
            try {
                if (!cancel->load()) *audio = core::speech::synthesize(text, lang, cancel.get());
            } catch (const std::exception&) {
                // No voice after all: this block stays silent (never the storage banner the worker's errors raise).
            }
            return core::Worker::Completion([this, reading, audio] {
                if (reading != m_reading || !m_speaking) return; // stopped, or another reading began
                --m_blocksLeft;
                if (audio->samples.empty()) return;
                SDL_QueueAudio(m_device, audio->samples.data(),
                               static_cast<Uint32>(audio->samples.size() * sizeof(int16_t)));
                SDL_PauseAudioDevice(m_device, 0);
            });
        });
    }
    if (m_blocksLeft == 0) m_speaking = false;
}

void ReadAloud::stop() {
    if (m_cancel) m_cancel->store(true);
    m_cancel.reset();
    ++m_reading;
    m_speaking = false;
    m_blocksLeft = 0;
    if (m_device == 0) return;
    SDL_PauseAudioDevice(m_device, 1);
    SDL_ClearQueuedAudio(m_device);
}

bool ReadAloud::playing() const { return m_device != 0 && SDL_GetQueuedAudioSize(m_device) > 0; }

bool ReadAloud::tick() {
    if (!m_speaking || m_blocksLeft > 0 || playing()) return false;
    m_speaking = false; // the last block has been heard
    return true;
}

} // namespace inloop::kiosk
