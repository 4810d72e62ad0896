// Read aloud through SDL audio (see read_aloud.hpp).
#include "read_aloud.hpp"

#include "core/i18n/i18n.hpp"

#include <optional>

namespace inloop::kiosk {

namespace {
constexpr int kSampleRate = 22050; // espeak-ng's voices; SDL converts if the device wants another rate
} // namespace

ReadAloud::ReadAloud(const std::filesystem::path& helper)
    : m_process(std::make_shared<core::speech::SpeechProcess>(helper)) {
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
    // espeak-ng is never started in the kiosk itself: the helper lists its voices (none if it is missing or hangs).
    for (std::string& lang : m_process->languages()) m_voices.emplace(std::move(lang));
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
    m_texts = texts;
    for (std::string& text : texts) {
        if (text.empty()) continue;
        ++m_blocksLeft;
        // The job needs no store; it runs on the worker so that no frame waits for the helper.
        worker.post([this, reading, lang, text = std::move(text), cancel = m_cancel,
                     process = m_process](core::Store&) {
            auto audio = std::make_shared<std::optional<core::speech::Audio>>();
            if (!cancel->load()) *audio = process->synthesize(text, lang, cancel.get());
            return core::Worker::Completion([this, reading, audio] {
                if (reading != m_reading || !m_speaking) return; // stopped, or another reading began
                --m_blocksLeft;
                if (!*audio) {
                    m_noSound = true; // the helper crashed or hung: this block stays silent, the rest is read
                    return;
                }
                if ((*audio)->samples.empty()) return;
                SDL_QueueAudio(m_device, (*audio)->samples.data(),
                               static_cast<Uint32>((*audio)->samples.size() * sizeof(int16_t)));
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
    m_noSound = false; // the note belongs to the reading and the screen it was on
    m_texts.clear();
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
