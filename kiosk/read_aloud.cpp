// Read aloud through SDL audio (see read_aloud.hpp).
#include "read_aloud.hpp"

#include "core/i18n/i18n.hpp"

#include <algorithm>
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
}

void ReadAloud::listVoices(core::Worker& worker) {
    if (m_device == 0) return;
    // espeak-ng is never started in the kiosk itself: the helper lists its voices (none if it is missing or hangs).
    worker.post([this, process = m_process](core::Store&) {
        auto langs = std::make_shared<std::vector<std::string>>(process->languages());
        return core::Worker::Completion([this, langs] {
            for (std::string& lang : *langs) m_voices.emplace(std::move(lang));
        });
    });
}

void ReadAloud::configure(bool on, int volumePercent, int speedPercent) {
    if (!on && m_on) stop();
    m_on = on;
    m_volume = std::clamp(volumePercent, 0, 100);
    m_speed = speedPercent;
}

ReadAloud::~ReadAloud() {
    if (m_device == 0) return;
    stop();
    SDL_CloseAudioDevice(m_device);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool ReadAloud::available(const std::string& lang) const {
    return m_device != 0 && m_on && m_voices.count(lang) > 0;
}

void ReadAloud::start(core::Worker& worker, std::vector<std::string> texts, const std::string& lang) {
    stop();
    if (m_device == 0 || !m_on) return;
    m_speaking = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const uint64_t reading = ++m_reading;
    m_blocksLeft = 0;
    m_texts = texts;
    for (size_t block = 0; block < texts.size(); ++block) {
        std::string& text = texts[block];
        if (text.empty()) continue;
        ++m_blocksLeft;
        // The job needs no store; it runs on the worker so that no frame waits for the helper.
        worker.post([this, reading, block, lang, text = std::move(text), cancel = m_cancel, process = m_process,
                     speed = m_speed](core::Store&) {
            auto audio = std::make_shared<std::optional<core::speech::Audio>>();
            if (!cancel->load()) *audio = process->synthesize(text, lang, cancel.get(), speed);
            return core::Worker::Completion([this, reading, audio, block] {
                if (reading != m_reading || !m_speaking) return; // stopped, or another reading began
                --m_blocksLeft;
                if (!*audio) {
                    m_noSound = true; // the helper crashed or hung: this block stays silent, the rest is read
                    return;
                }
                if ((*audio)->samples.empty()) return;
                queueSentences(block, **audio);
                if (m_volume < 100)
                    for (int16_t& s : (*audio)->samples) s = int16_t(int(s) * m_volume / 100);
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
    m_timeline.clear();
    m_queued = 0;
    m_heard = -1;
    if (m_device == 0) return;
    SDL_PauseAudioDevice(m_device, 1);
    SDL_ClearQueuedAudio(m_device);
}

bool ReadAloud::playing() const { return m_device != 0 && SDL_GetQueuedAudioSize(m_device) > 0; }

void ReadAloud::queueSentences(size_t block, const core::speech::Audio& audio) {
    const std::string& text = m_texts[block];
    const auto trimmedEnd = [&text](size_t end) {
        while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\n' || text[end - 1] == '\t')) --end;
        return end;
    };
    std::vector<core::speech::Boundary> starts = audio.sentences;
    if (starts.empty()) starts.push_back({0, 0}); // the block as one sentence
    for (size_t i = 0; i < starts.size(); ++i) {
        const size_t begin = std::min(starts[i].textOffset, text.size());
        const size_t end = trimmedEnd(i + 1 < starts.size() ? std::max(starts[i + 1].textOffset, begin) : text.size());
        m_timeline.push_back({m_queued + starts[i].sample, {block, begin, std::max(begin, end)}});
    }
    m_queued += audio.samples.size();
}

int ReadAloud::sentenceIndex() const {
    if (m_device == 0 || !m_speaking || m_timeline.empty()) return -1;
    const uint64_t waiting = SDL_GetQueuedAudioSize(m_device) / sizeof(int16_t);
    const uint64_t played = m_queued > waiting ? m_queued - waiting : 0;
    int index = 0;
    for (size_t i = 1; i < m_timeline.size() && m_timeline[i].sample <= played; ++i) index = int(i);
    return index;
}

std::optional<ReadAloud::Sentence> ReadAloud::sentence() const {
    const int index = sentenceIndex();
    if (index < 0) return std::nullopt;
    return m_timeline[size_t(index)].sentence;
}

bool ReadAloud::tick() {
    const int heard = sentenceIndex();
    const bool moved = heard != m_heard;
    m_heard = heard;
    if (!m_speaking || m_blocksLeft > 0 || playing()) return moved;
    m_speaking = false; // the last block has been heard
    m_heard = -1;
    return true;
}

} // namespace inloop::kiosk
