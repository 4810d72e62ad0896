// Read aloud in a child process (issue 21): espeak-ng runs in `inloop-speak`, never in the kiosk.
//
// espeak-ng 1.51 can crash on some texts (segfaults in utf8_in, uninitialised reads in its rules), and a visitor
// kiosk must never crash. So the kiosk talks to a small helper over a socket pair: the request is a language and
// a text, the reply the PCM and the sentence boundaries. If the helper dies, hangs past its deadline or the reading
// is cancelled, the kiosk kills it, reports "no sound this time" (an empty result) and starts a new one for the
// next request. The socket carries only the page's text; nothing is logged.
#pragma once

#include "core/i18n/speech.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace inloop::core::speech {

// The helper side: answers requests read from `in` on `out` until `in` ends (the kiosk closed it or died).
// inloop-speak's main. Returns the exit status.
int serve(int in, int out);

// The kiosk side. Thread-safe: one request at a time (espeak-ng in the helper speaks one text at a time anyway).
class SpeechProcess {
public:
    // `helper`: the inloop-speak executable (core::helperProgram("inloop-speak")). Nothing starts yet.
    explicit SpeechProcess(std::filesystem::path helper);
    ~SpeechProcess(); // closes the socket; the helper ends, or is killed after a short wait
    SpeechProcess(const SpeechProcess&) = delete;
    SpeechProcess& operator=(const SpeechProcess&) = delete;

    // The kiosk languages the helper's espeak-ng speaks; empty when the helper cannot start or answer in time.
    std::vector<std::string> languages(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    // The text spoken in `lang`'s voice; nullopt when there is no sound this time (the helper crashed, hung past
    // the deadline, has no such voice, or `cancel` became true — the helper is then killed and restarted later).
    std::optional<Audio> synthesize(std::string_view text, std::string_view lang,
                                    const std::atomic<bool>* cancel = nullptr, int speedPercent = 100);

    // Helpers started so far (tests: a crash restarts it).
    int starts() const;

    // How long a text of `bytes` may take before the helper counts as hung.
    static std::chrono::milliseconds deadlineFor(size_t bytes);

private:
    bool startLocked();
    void killLocked();
    // Sends `request` and reads the whole reply by `deadline`; false (helper killed) on any failure.
    bool roundTripLocked(const std::string& request, std::string& reply, std::chrono::steady_clock::time_point deadline,
                         const std::atomic<bool>* cancel);

    std::filesystem::path m_helper;
    mutable std::mutex m_mutex;
    pid_t m_pid = -1;
    int m_fd = -1; // our end of the socket pair
    int m_starts = 0;
};

} // namespace inloop::core::speech
