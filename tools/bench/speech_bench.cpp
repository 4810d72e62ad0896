// Read aloud's time to first sound (see speech_bench.hpp).
#include "speech_bench.hpp"

#include "kiosk.hpp"
#include "read_aloud.hpp"
#include "screen.hpp"

#include "core/base/install_paths.hpp"
#include "core/i18n/content.hpp"
#include "core/i18n/i18n.hpp"
#include "core/i18n/speech.hpp"
#include "core/i18n/speech_process.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace inloop::bench {

void measureSpeech(const Settings& settings, const Paths& paths, Results& results) {
    setenv("SDL_AUDIODRIVER", "dummy", 0); // a machine without sound still has a device to queue on
    kiosk::KioskOptions options;
    options.store = paths.demo;
    options.root = core::resourceRoot();
    ui::App app(ui::AppOptions{"speech", 1280, 800, false, true});
    kiosk::Kiosk k(app, options);
    k.waitForWorker(); // the voices listed: the helper runs, as on a kiosk that has been on for a while
    const int runs = settings.quick ? 2 : 5;
    double slowest = 0;
    for (std::string_view lang : core::kLanguages) {
        const std::string key = "speech_first_audio_ms_" + std::string(lang);
        k.chooseLanguage(std::string(lang));
        if (!k.readAloud().available(std::string(lang))) {
            results.unmeasured(key, "no audio device or no espeak-ng voice for " + std::string(lang));
            continue;
        }
        k.openTopic("safe_work");
        app.renderFrame([&] { k.frame(); });
        const std::vector<std::string> texts = kiosk::pageBlocks(k.page("safe_work"));
        std::vector<double> ms;
        for (int run = 0; run < runs; ++run) {
            const double t0 = wallMs();
            k.speak(texts); // what the button does
            while (!k.readAloud().playing() && k.readAloud().speaking() && wallMs() - t0 < 10000) {
                k.tick(); // the worker's finished blocks reach the device here, as between frames
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            const bool heard = k.readAloud().playing();
            const double took = wallMs() - t0;
            k.readAloud().stop();
            k.waitForWorker(); // the rest of the page, cancelled
            if (heard) ms.push_back(took);
        }
        if (ms.empty()) {
            results.unmeasured(key, "no sound within 10 s");
            continue;
        }
        const double m = median(ms);
        results.set(key, m);
        slowest = std::max(slowest, m);
    }
    if (slowest > 0) results.set("speech_first_audio_ms", slowest);
}

int writeSpeechWavs(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    const fs::path root = core::resourceRoot();
    const core::SiteSettings site = core::SiteSettings::load(core::siteFile(root));
    core::speech::SpeechProcess helper(core::helperProgram("inloop-speak"));
    int status = 0;
    for (std::string_view lang : core::kLanguages) {
        const core::Page page = core::loadPage(root / "assets", lang, "safe_work", site);
        std::string text;
        for (const core::Block& b : page.blocks)
            if (b.kind == core::Block::Kind::Paragraph) {
                text = b.plainText();
                break;
            }
        text += " 14:00–16:00. A23.";
        const double t0 = wallMs();
        const auto audio = helper.synthesize(text, lang);
        const double ms = wallMs() - t0;
        const fs::path file = dir / ("speech-" + std::string(lang) + ".wav");
        if (!audio) {
            std::fprintf(stderr, "inloop-bench: %.*s: no sound\n", int(lang.size()), lang.data());
            status = 1;
            continue;
        }
        std::ofstream(file, std::ios::binary) << core::speech::toWav(*audio);
        std::printf("%.*s  %6.2f s of speech, %2zu sentences, synthesised in %5.0f ms  %s\n", int(lang.size()),
                    lang.data(), audio->seconds(), audio->sentences.size(), ms, file.c_str());
    }
    return status;
}

} // namespace inloop::bench
