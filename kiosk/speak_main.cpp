// inloop-speak: the kiosk's read-aloud helper (issue 21). espeak-ng speaks here, in a process of its own, so that
// a crash or hang in espeak-ng costs one reading, never the kiosk. The kiosk starts it (core::SpeechProcess) with a
// socket on standard input and output; it ends when the kiosk closes that socket. Not for running by hand.
#include "core/i18n/speech_process.hpp"

#include <cstdio>
#include <cstring>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc > 1 || isatty(0)) {
        std::fputs("inloop-speak: the kiosk's read-aloud helper; inloop-kiosk starts it (no options)\n", stderr);
        return argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) ? 0 : 2;
    }
    return inloop::core::speech::serve(0, 1);
}
