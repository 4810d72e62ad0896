// Live updates on a PostgreSQL store (issue 20): each commit to a part raises its data version, and its trigger
// sends NOTIFY inloop_pub / inloop_desk (schema_pg.cpp, pub migration 3), delivered when the commit is visible.
// A ChangeFeed holds one connection of its own in a thread of its own, LISTENs, and calls back on every change
// and whenever the link to the server goes down or comes back. A link that answers nothing for a second is down
// (a pulled cable sends no error): the app says so within two seconds and the feed keeps trying every second.
// No polling of the data: the apps reload only when told.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace inloop::core {

class ChangeFeed {
public:
    struct Event {
        bool changed = false;   // something was committed (after a reconnect: maybe, so reload)
        bool connected = false; // the link to the server is up
    };
    // `server`: the store's libpq location; `channels`: "pub", "desk". `onEvent` runs on the feed's thread.
    ChangeFeed(std::string server, std::vector<std::string> channels, std::function<void(const Event&)> onEvent);
    ~ChangeFeed(); // stops the thread within a second
    ChangeFeed(const ChangeFeed&) = delete;
    ChangeFeed& operator=(const ChangeFeed&) = delete;

    bool connected() const { return m_connected; }

private:
    void run();

    std::string m_server;
    std::vector<std::string> m_channels;
    std::function<void(const Event&)> m_onEvent;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_connected{false};
    int m_wakePipe[2] = {-1, -1};
    std::thread m_thread;
};

} // namespace inloop::core
