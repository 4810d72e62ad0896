// Read aloud in a child process (see speech_process.hpp).
//
// The wire: every message is a 4-byte length (host order: both ends are this machine) and that many bytes.
//   request  'L'                          → reply: the kiosk languages with a voice, one per line
//   request  'S' <speed:2> <len:1> <lang> <text>
//                                         → reply: <ok:1> <rate:4> <n:4> n × (<sample:8> <offset:8>) <samples…>
//   (speed: percent of espeak-ng's normal pace)
#include "core/i18n/speech_process.hpp"

#include "core/base/error.hpp"
#include "core/i18n/i18n.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace inloop::core::speech {

namespace {

using Clock = std::chrono::steady_clock;

constexpr uint32_t kMaxMessage = 64u << 20; // 64 MiB: some 12 minutes of speech, far more than a page

template <typename T> void put(std::string& out, T v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

template <typename T> bool take(std::string_view& in, T& v) {
    if (in.size() < sizeof v) return false;
    std::memcpy(&v, in.data(), sizeof v);
    in.remove_prefix(sizeof v);
    return true;
}

std::string framed(std::string_view payload) {
    std::string out;
    put(out, uint32_t(payload.size()));
    out.append(payload);
    return out;
}

// ---- The helper's side: blocking reads and writes on its standard input and output ------------------------------

bool readExactly(int fd, char* p, size_t n) {
    while (n > 0) {
        const ssize_t got = ::read(fd, p, n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        p += got;
        n -= size_t(got);
    }
    return true;
}

bool writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t put = ::write(fd, data.data(), data.size());
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) return false;
        data.remove_prefix(size_t(put));
    }
    return true;
}

std::string answer(std::string_view request) {
    char kind = 0;
    if (!take(request, kind)) return {};
    if (kind == 'L') {
        std::string langs;
        for (std::string_view lang : kLanguages)
            if (hasVoice(lang)) langs.append(lang).push_back('\n');
        return langs;
    }
    uint16_t speed = 100;
    uint8_t langLen = 0;
    std::string reply;
    if (kind != 'S' || !take(request, speed) || !take(request, langLen) || request.size() < langLen)
        return std::string(1, '\0');
    const std::string_view lang = request.substr(0, langLen);
    const std::string_view text = request.substr(langLen);
    Audio a;
    try {
        a = synthesize(text, lang, nullptr, speed);
    } catch (const Error&) {
        return std::string(1, '\0'); // no voice: no sound this time
    }
    reply.push_back('\1');
    put(reply, int32_t(a.sampleRate));
    put(reply, uint32_t(a.sentences.size()));
    for (const Boundary& b : a.sentences) {
        put(reply, uint64_t(b.sample));
        put(reply, uint64_t(b.textOffset));
    }
    reply.append(reinterpret_cast<const char*>(a.samples.data()), a.samples.size() * sizeof(int16_t));
    return reply;
}

// ---- The kiosk's side: non-blocking, every wait bounded by the deadline and the cancel flag -----------------------

// Waits until `fd` is ready for `events`; false past the deadline or when cancelled.
bool waitFor(int fd, short events, Clock::time_point deadline, const std::atomic<bool>* cancel) {
    for (;;) {
        if (cancel && cancel->load()) return false;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        pollfd p{fd, events, 0};
        const int r = ::poll(&p, 1, int(std::min<long long>(left, 50))); // a cancel is noticed within 50 ms
        if (r < 0 && errno != EINTR) return false;
        if (r > 0) return true; // readable, writable, or hung up: the read or send says which
    }
}

bool sendAll(int fd, std::string_view data, Clock::time_point deadline, const std::atomic<bool>* cancel) {
    while (!data.empty()) {
        if (!waitFor(fd, POLLOUT, deadline, cancel)) return false;
        const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT); // no SIGPIPE
        if (sent < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (sent <= 0) return false;
        data.remove_prefix(size_t(sent));
    }
    return true;
}

bool recvExactly(int fd, char* p, size_t n, Clock::time_point deadline, const std::atomic<bool>* cancel) {
    while (n > 0) {
        if (!waitFor(fd, POLLIN, deadline, cancel)) return false;
        const ssize_t got = ::recv(fd, p, n, MSG_DONTWAIT);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) return false; // the helper closed its end: it died
        p += got;
        n -= size_t(got);
    }
    return true;
}

} // namespace

int serve(int in, int out) {
    std::signal(SIGPIPE, SIG_IGN); // a kiosk gone away: the write fails and we end
    for (;;) {
        uint32_t size = 0;
        if (!readExactly(in, reinterpret_cast<char*>(&size), sizeof size)) return 0; // the kiosk closed: done
        if (size > kMaxMessage) return 1;
        std::string request(size, '\0');
        if (!readExactly(in, request.data(), size)) return 0;
        if (!writeAll(out, framed(answer(request)))) return 0;
    }
}

SpeechProcess::SpeechProcess(std::filesystem::path helper) : m_helper(std::move(helper)) {}

SpeechProcess::~SpeechProcess() {
    std::lock_guard lock(m_mutex);
    if (m_pid <= 0) return;
    ::close(m_fd); // the helper reads the end of its input and exits
    m_fd = -1;
    const auto until = Clock::now() + std::chrono::milliseconds(500);
    while (Clock::now() < until) {
        if (::waitpid(m_pid, nullptr, WNOHANG) != 0) {
            m_pid = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    killLocked();
}

int SpeechProcess::starts() const {
    std::lock_guard lock(m_mutex);
    return m_starts;
}

std::chrono::milliseconds SpeechProcess::deadlineFor(size_t bytes) {
    // espeak-ng speaks some 20 times faster than real time on the kiosk's class of machine; a page of 2,000 bytes
    // is about two minutes of speech. Generous: a deadline only has to catch a helper that hangs.
    return std::chrono::milliseconds(5000 + 10 * int64_t(bytes));
}

bool SpeechProcess::startLocked() {
    if (m_pid > 0) return true;
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sv[1], 0); // dup2 clears close-on-exec on 0 and 1
    posix_spawn_file_actions_adddup2(&actions, sv[1], 1);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3); // nothing else of the kiosk's: no database, no display
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);   // not the calling thread's mask
    posix_spawnattr_setsigdefault(&attr, &all); // nor the kiosk's handlers
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    const std::string path = m_helper.string();
    char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(sv[1]);
    if (rc != 0) {
        ::close(sv[0]);
        return false;
    }
    m_pid = pid;
    m_fd = sv[0];
    ++m_starts;
    return true;
}

void SpeechProcess::killLocked() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        while (::waitpid(m_pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    m_pid = -1;
}

bool SpeechProcess::roundTripLocked(const std::string& request, std::string& reply, Clock::time_point deadline,
                                    const std::atomic<bool>* cancel) {
    uint32_t size = 0;
    const bool ok = startLocked() && sendAll(m_fd, framed(request), deadline, cancel) &&
                    recvExactly(m_fd, reinterpret_cast<char*>(&size), sizeof size, deadline, cancel) &&
                    size <= kMaxMessage && (reply.resize(size), recvExactly(m_fd, reply.data(), size, deadline, cancel));
    if (!ok) killLocked(); // crashed, hung or cancelled: the next request starts a fresh helper
    return ok;
}

std::vector<std::string> SpeechProcess::languages(std::chrono::milliseconds timeout) {
    std::lock_guard lock(m_mutex);
    std::string reply;
    std::vector<std::string> langs;
    if (!roundTripLocked("L", reply, Clock::now() + timeout, nullptr)) return langs;
    for (size_t start = 0, nl; (nl = reply.find('\n', start)) != std::string::npos; start = nl + 1)
        langs.push_back(reply.substr(start, nl - start));
    return langs;
}

std::optional<Audio> SpeechProcess::synthesize(std::string_view text, std::string_view lang,
                                               const std::atomic<bool>* cancel, int speedPercent) {
    if (lang.size() > 255) return std::nullopt;
    std::string request = "S";
    put(request, uint16_t(std::clamp(speedPercent, kSlowest, kFastest)));
    request.push_back(char(uint8_t(lang.size())));
    request.append(lang).append(text);
    std::lock_guard lock(m_mutex);
    std::string reply;
    if (!roundTripLocked(request, reply, Clock::now() + deadlineFor(text.size()), cancel)) return std::nullopt;
    std::string_view in = reply;
    uint8_t ok = 0;
    int32_t rate = 0;
    uint32_t n = 0;
    if (!take(in, ok) || ok != 1 || !take(in, rate) || !take(in, n) || in.size() < size_t(n) * 16) return std::nullopt;
    Audio a;
    a.sampleRate = rate;
    for (uint32_t i = 0; i < n; ++i) {
        uint64_t sample = 0, offset = 0;
        take(in, sample);
        take(in, offset);
        a.sentences.push_back({size_t(sample), size_t(offset)});
    }
    a.samples.resize(in.size() / sizeof(int16_t));
    std::memcpy(a.samples.data(), in.data(), a.samples.size() * sizeof(int16_t));
    return a;
}

} // namespace inloop::core::speech
