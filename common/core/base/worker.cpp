// The store worker thread (see worker.hpp).
#include "core/base/worker.hpp"

#include <cstdio>
#include <optional>
#include <stdexcept>

namespace inloop::core {

Worker::Worker(std::function<Store()> open, std::function<void()> wake,
               std::function<Completion(const std::exception&)> onOpenError)
    : m_open(std::move(open)), m_wake(std::move(wake)), m_onOpenError(std::move(onOpenError)),
      m_thread([this] { loop(); }) {}

Worker::~Worker() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

void Worker::post(Job job) {
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
        ++m_pending;
    }
    m_cv.notify_all();
}

bool Worker::poll() {
    std::deque<Completion> done;
    {
        std::lock_guard lock(m_mutex);
        done.swap(m_done);
        m_pending -= static_cast<int>(done.size());
    }
    for (auto& c : done)
        if (c) c();
    return !done.empty();
}

int Worker::pending() const {
    std::lock_guard lock(m_mutex);
    return m_pending;
}

void Worker::loop() {
    std::optional<Store> store;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [&] { return m_stop || !m_jobs.empty(); });
            if (m_jobs.empty()) return; // stopping, and everything is done
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        Completion result;
        try {
            if (store && store->filesReplaced()) {
                // Deleted, restored or re-created under us: never write through the old descriptor.
                std::fprintf(stderr, "inloop: the data files were replaced or deleted; opening them again\n");
                store->abandon();
                store.reset();
            }
            if (store && store->db().lost()) store.reset(); // the server's link broke: a new connection
            if (!store) store.emplace(m_open()); // retried with the next job if it fails
            result = job(*store);
        } catch (const std::exception& e) {
            result = m_onOpenError(e);
        }
        {
            std::lock_guard lock(m_mutex);
            m_done.push_back(std::move(result));
        }
        if (m_wake) m_wake();
    }
}

} // namespace inloop::core
