// The front-desk shell: who is signed in, the views and their navigation, auto-lock, keyboard shortcuts,
// toasts, and the worker that reads and writes the store off the UI thread.
#pragma once

#include "core/net/calendar.hpp"
#include "core/i18n/content.hpp"
#include "core/views/desk_view.hpp"
#include "core/domain/domain.hpp"
#include "core/net/offsite.hpp"
#include "core/i18n/i18n.hpp"
#include "core/base/worker.hpp"
#include "core/store/change_feed.hpp"
#include "ui/app.hpp"

#include <imgui.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace inloop::desk {

enum class View { Today, Supplies, Queue, Beds, Schedule, Staff, Audit, Reports, Offsite, Site };

struct DeskOptions {
    core::StoreLocation store; // the data folder, or a PostgreSQL server (its data folder holds only the key)
    std::filesystem::path root; // holds locales/desk/
    int lockSeconds = 300;      // lock after 5 minutes without input
    std::string lang = "nl";
};

struct Toast {
    std::string text;
    bool error = false;
    double until = 0;            // steady seconds
    std::function<void()> undo;  // an "Undo" button when set
    std::function<void()> more;  // a "Details" button when set
};

class Views;

// Off-site backup and partner calendars as the desk sees them (read on the network thread).
struct NetStatus {
    bool configured = false;                   // a folder and a recovery phrase exist
    std::optional<core::offsite::Run> last;    // the newest backup attempt
    std::optional<int64_t> lastOk;             // when the newest successful one started
    std::vector<core::calendar::FeedInfo> feeds;
    int feedProblems = 0;                      // feeds whose last attempt failed
    std::vector<std::string> unsetFacts;       // site facts still placeholders: not ready for go-live
};

class Desk {
public:
    Desk(ui::App& app, DeskOptions options);
    ~Desk();

    void frame();
    bool tick();

    // Who is signed in (none: the sign-in view shows).
    const std::optional<core::StaffMember>& user() const { return m_user; }
    bool isCoordinator() const { return m_user && m_user->role == core::Role::Coordinator; }
    core::Actor actor() const { return m_user ? core::Actor::staff(m_user->id) : core::Actor::system(); }
    void signedIn(const core::StaffMember& who);
    void lock();

    View view() const { return m_view; }
    void go(View view);

    std::string tr(std::string_view key, std::initializer_list<core::NamedArg> args = {}) const;
    bool hasMessage(std::string_view key) const; // in the desk's language (codes from the data may have none)
    const std::string& lang() const { return m_options.lang; }
    void setLang(const std::string& lang);
    // An error as a sentence in the desk's language: "error.<key>" if translated, else its English message.
    struct ErrorText {
        std::string key, what;
        static ErrorText of(const std::exception& e);
    };
    std::string describe(const ErrorText& e) const;

    // Work for the store. `job` runs on the worker; an exception becomes an error toast; `then` runs on the UI
    // thread after success. The view models are re-read after every write.
    void write(std::function<void(core::Store&)> job, std::function<void()> then = {});
    // A read on the worker whose result is handed to `done` on the UI thread.
    template <typename T> void read(std::function<T(core::Store&)> job, std::function<void(T)> done);
    void refresh();
    const core::TodaySummary& today() const { return m_today; }
    const std::vector<core::StockRow>& stock() const { return m_stock; }
    const std::vector<core::UndoableAction>& undoable() const { return m_undoable; }

    void toast(std::string text, bool error = false, std::function<void()> undo = {}, std::function<void()> more = {});
    const std::deque<Toast>& toastsShown() const { return m_toasts; } // tests
    ui::App& app() { return m_app; }
    const DeskOptions& options() const { return m_options; }
    Views& views() { return *m_views; }
    core::Worker& worker() { return m_worker; }
    bool storageProblem() const { return m_storageProblem; }
    bool linkDownShown() const { return m_linkShownDown; } // the "no connection" banner is up (tests)

    // Off-site backup and calendars: network work runs on its own thread and store connection (an upload can
    // take minutes; the store worker must stay free for the desk's two-tap writes).
    void backupNow();
    void syncCalendarsNow();
    // A job on the network thread; `then` runs on the UI thread. Errors become an error toast.
    void network(std::function<void(core::Store&)> job, std::function<void()> then = {});
    const NetStatus& netStatus() const { return m_net; }
    bool backupRunning() const; // a backup is being made or uploaded right now
    bool backupQueued() const { return m_backupQueued; }
    bool syncRunning() const { return m_syncRunning; }
    const core::offsite::Progress& backupProgress() const { return *m_progress; }
    void reloadNetStatus();

    // Tours and tests.
    void renderTour(const std::filesystem::path& dir);
    void waitForWorker();
    void setIdleClockForTest(double seconds) { m_idleOverride = seconds; }
    static constexpr float kSidebarWidth = 250.0f;

private:
    core::Worker::Completion storeTrouble(const std::exception& e);
    void upkeep();
    void networkUpkeep();
    void netStatusLine(float width);
    void warningLine(const char* id, const char* icon, const std::string& text, View view, float width);
    void sidebar();
    void toasts();
    void linkBanner();
    void shortcuts();
    double idleSeconds() const;

    ui::App& m_app;
    DeskOptions m_options;
    core::SiteSettings m_siteFile; // site.ini: the starting values of the site facts
    core::Messages m_messages;
    std::unique_ptr<Views> m_views;
    std::optional<core::StaffMember> m_user;
    View m_view = View::Today;
    core::TodaySummary m_today;
    std::vector<core::StockRow> m_stock;
    std::vector<core::UndoableAction> m_undoable;
    std::deque<Toast> m_toasts;
    bool m_refreshing = false;
    bool m_storageProblem = false;
    std::atomic<int64_t> m_seenVersion{-1}; // written by the worker, read by tick()
    double m_nextPoll = 0;
    double m_idleOverride = -1;
    std::string m_upkeepDay;
    NetStatus m_net;
    bool m_backupQueued = false, m_syncRunning = false;
    double m_nextNetCheck = 0;
    std::shared_ptr<core::offsite::Progress> m_progress = std::make_shared<core::offsite::Progress>();
    std::shared_ptr<std::atomic<bool>> m_stopping = std::make_shared<std::atomic<bool>>(false);
    // A PostgreSQL store: the change feed wakes the desk on a commit and says when the link is down.
    std::atomic<bool> m_feedChanged{false}, m_linkDown{false};
    bool m_linkShownDown = false;
    std::unique_ptr<core::ChangeFeed> m_feed;
    // Last: destroyed first, so their threads have finished every job before the members those jobs use go away.
    core::Worker m_netWorker; // network: off-site backups, calendar sync
    core::Worker m_worker;
};

template <typename T> void Desk::read(std::function<T(core::Store&)> job, std::function<void(T)> done) {
    m_worker.post([this, job = std::move(job), done = std::move(done)](core::Store& store) -> core::Worker::Completion {
        try {
            auto result = std::make_shared<T>(job(store));
            return [this, result, done] {
                done(std::move(*result));
                m_app.requestRedraw();
            };
        } catch (const std::exception& e) {
            const ErrorText error = ErrorText::of(e); // translated on the UI thread: Messages is not thread-safe
            return [this, error] { toast(describe(error), true); };
        }
    });
}

} // namespace inloop::desk
