// inloop-test-speak: a read-aloud helper that misbehaves on purpose, for the kiosk's tests (issue 21). It speaks
// core::SpeechProcess's wire (a 4-byte length, then the message) just far enough: it lists all eight languages,
// then, per $INLOOP_TEST_SPEAK:
//   crash   every request to speak dies of SIGSEGV, as espeak-ng 1.51 did in utf8_in
//   hang    every request to speak is never answered
//   mute    not even the languages are answered
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>

namespace {

bool readExactly(char* p, size_t n) {
    while (n > 0) {
        const ssize_t got = ::read(0, p, n);
        if (got <= 0) return false;
        p += got;
        n -= size_t(got);
    }
    return true;
}

[[noreturn]] void hang() {
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

} // namespace

int main() {
    const char* env = std::getenv("INLOOP_TEST_SPEAK");
    const std::string_view mode = env ? env : "crash";
    for (;;) {
        uint32_t size = 0;
        if (!readExactly(reinterpret_cast<char*>(&size), sizeof size)) return 0;
        std::string request(size, '\0');
        if (!readExactly(request.data(), size)) return 0;
        if (mode == "mute") hang();
        if (request == "L") {
            const std::string langs = "nl\nen\nes\nro\nbg\nhu\nzh\nth\n";
            const uint32_t n = uint32_t(langs.size());
            if (::write(1, &n, sizeof n) != sizeof n || ::write(1, langs.data(), n) != ssize_t(n)) return 1;
            continue;
        }
        if (mode == "hang") hang();
        std::raise(SIGSEGV);
    }
}
