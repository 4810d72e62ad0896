// A background thread that owns its own store connection: the UI posts slow work (writes, queries) and gets
// the results back on its own thread, so no frame ever waits for the disk.
#pragma once

#include "core/store/store.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace inloop::core {

class Worker {
public:
    // A job runs on the worker with its store and returns what the UI thread should do with the result.
    using Completion = std::function<void()>;
    using Job = std::function<Completion(Store&)>;

    // `open` makes the worker's connection (on the worker thread); `wake` is called from the worker after each
    // job so the UI loop wakes up (e.g. by pushing an SDL event). A job that throws (or whose
    // store cannot be opened: retried with the next job) gets `onError`'s completion instead.
    Worker(std::function<Store()> open, std::function<void()> wake,
           std::function<Completion(const std::exception&)> onError);
    ~Worker(); // finishes the queued jobs, then stops
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void post(Job job);
    // On the UI thread: runs the completions of finished jobs; true if any ran.
    bool poll();
    // Jobs posted but not yet completed on the UI side.
    int pending() const;

private:
    void loop();

    std::function<Store()> m_open;
    std::function<void()> m_wake;
    std::function<Completion(const std::exception&)> m_onOpenError;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Job> m_jobs;
    std::deque<Completion> m_done;
    int m_pending = 0;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace inloop::core
