// Live updates by LISTEN/NOTIFY (see change_feed.hpp).
#include "core/store/change_feed.hpp"

#include "core/store/postgres.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace inloop::core {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kAnswerWithin = std::chrono::milliseconds(1000); // a ping unanswered this long: the link is down
constexpr auto kPingEvery = std::chrono::milliseconds(500);
constexpr auto kRetryEvery = std::chrono::milliseconds(1000);

int msUntil(Clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now()).count();
    return ms < 0 ? 0 : static_cast<int>(ms);
}

// Drains every result of the query in flight; false when the connection broke.
bool drainResults(PGconn* conn) {
    while (!PQisBusy(conn)) {
        PGresult* r = PQgetResult(conn);
        if (!r) return true;
        const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK ||
                        PQresultStatus(r) == PGRES_EMPTY_QUERY;
        PQclear(r);
        if (!ok) return false;
    }
    return true; // more to come
}

} // namespace

ChangeFeed::ChangeFeed(std::string server, std::vector<std::string> channels, std::function<void(const Event&)> onEvent)
    : m_server(std::move(server)), m_channels(std::move(channels)), m_onEvent(std::move(onEvent)) {
    if (::pipe2(m_wakePipe, O_CLOEXEC | O_NONBLOCK) != 0) m_wakePipe[0] = m_wakePipe[1] = -1;
    m_thread = std::thread([this] { run(); });
}

ChangeFeed::~ChangeFeed() {
    m_stop = true;
    if (m_wakePipe[1] >= 0) (void)!::write(m_wakePipe[1], "x", 1);
    if (m_thread.joinable()) m_thread.join();
    for (int fd : m_wakePipe)
        if (fd >= 0) ::close(fd);
}

void ChangeFeed::run() {
    bool reported = false, wasUp = false;
    const auto report = [&](bool changed, bool up) {
        m_connected = up;
        if (reported && !changed && up == wasUp) return;
        reported = true;
        wasUp = up;
        m_onEvent(Event{changed, up});
    };
    // Sleeps until `until` or the destructor; false when stopping.
    const auto pause = [&](Clock::time_point until) {
        pollfd p{m_wakePipe[0], POLLIN, 0};
        while (!m_stop && Clock::now() < until) ::poll(&p, m_wakePipe[0] >= 0 ? 1 : 0, msUntil(until));
        return !m_stop.load();
    };
    while (!m_stop) {
        const Clock::time_point attempt = Clock::now();
        // A short connect timeout: a link that is down is reported as down, not waited for.
        std::string error;
        PGconn* conn = connectPg(m_server, "inloop-feed", "2", error);
        bool up = conn != nullptr;
        if (up) {
            std::string listen;
            for (const std::string& c : m_channels) listen += "LISTEN inloop_" + c + ";";
            PGresult* r = PQexec(conn, listen.c_str());
            up = PQresultStatus(r) == PGRES_COMMAND_OK;
            PQclear(r);
        }
        if (up) {
            PQsetnonblocking(conn, 1);
            report(true, true); // (re)connected: whatever happened meanwhile, reload once
            Clock::time_point nextPing = Clock::now() + kPingEvery, answerBy = Clock::time_point::max();
            while (!m_stop) {
                pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {m_wakePipe[0], POLLIN, 0}};
                const Clock::time_point wakeAt = std::min(nextPing, answerBy);
                ::poll(fds, m_wakePipe[0] >= 0 ? 2 : 1, msUntil(wakeAt));
                if (m_stop) break;
                if (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) {
                    if (!PQconsumeInput(conn)) break; // the server closed the link (restart, terminated)
                    bool changed = false;
                    while (PGnotify* n = PQnotifies(conn)) {
                        changed = true;
                        PQfreemem(n);
                    }
                    if (answerBy != Clock::time_point::max()) {
                        if (!drainResults(conn)) break;
                        if (!PQisBusy(conn)) answerBy = Clock::time_point::max(); // the ping came back
                    }
                    if (changed) report(true, true);
                }
                if (PQstatus(conn) == CONNECTION_BAD) break;
                const Clock::time_point now = Clock::now();
                if (now >= answerBy) break; // no answer within a second: a pulled cable, a frozen server
                if (now >= nextPing && answerBy == Clock::time_point::max()) {
                    if (!PQsendQuery(conn, "")) break;
                    PQflush(conn);
                    answerBy = now + kAnswerWithin;
                    nextPing = now + kPingEvery;
                }
            }
        }
        PQfinish(conn);
        if (m_stop) break;
        report(false, false);
        if (!pause(attempt + kRetryEvery)) break;
    }
}

} // namespace inloop::core
