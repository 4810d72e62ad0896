// The kiosk shell: the visit (everything one visitor did, wiped as one), navigation between the screens,
// the top bar, the idle timeout, and the worker that reads and writes public.db off the UI thread.
#pragma once

#include "core/i18n/content.hpp"
#include "core/domain/domain.hpp"
#include "core/i18n/i18n.hpp"
#include "core/views/kiosk_view.hpp"
#include "core/base/worker.hpp"
#include "core/store/change_feed.hpp"
#include "read_aloud.hpp"
#include "ui/app.hpp"

#include <atomic>
#include <filesystem>
#include <map>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace inloop::kiosk {

enum class Screen { Welcome, Home, Topics, Topic, Hours, RegisterName, RegisterConfirm, Ticket, Privacy, Today, Help };

// Everything a visitor did. leave() and the idle timeout replace it with a fresh one: nothing survives.
struct Visit {
    std::string lang; // empty until chosen on the welcome screen
    Screen screen = Screen::Welcome;
    std::vector<Screen> history;
    std::string topic;
    std::optional<core::SessionView> session; // the consultation hour being registered for
    std::string typedName;                    // optional name to be called by
    std::optional<core::Ticket> ticket;
    std::string notice;                       // message key of a banner: "register.full_now", …
    std::map<std::string, std::string> tickets; // service code → the ticket this visit got (one per service)
    bool registering = false;                 // a registration is with the worker
    double ticketShownAt = 0;
    int keyboardLayout = 0;
    int textStep = 0;                         // 0, 1, 2: 100 %, 125 %, 150 %
};

struct KioskOptions {
    core::StoreLocation store; // the data folder, or a PostgreSQL server (its data folder holds only the key)
    std::filesystem::path root;  // holds assets/ and locales/
    int idleSeconds = 60;        // without a touch, then…
    int countdownSeconds = 10;   // …a countdown, then the wipe
    int ticketSeconds = 30;      // the ticket screen returns to Welcome by itself
    double tapGuardSeconds = 0;  // a press this soon after the screen changed is ignored (main sets it; see frame)
    int tourTextStep = 0;        // the tour's text size (Visit::textStep)
    std::filesystem::path speakHelper; // read aloud's helper; empty: core::helperProgram("inloop-speak")
};

class Screens;

class Kiosk {
public:
    Kiosk(ui::App& app, KioskOptions options);
    ~Kiosk();

    void frame();
    bool tick(); // timers and worker results; true if the screen must be redrawn

    // Navigation and actions (screens call these).
    void chooseLanguage(const std::string& lang);
    void go(Screen screen);
    void back();
    void leave(const char* why = "leave");
    void openTopic(const std::string& topic);
    void chooseSession(const core::SessionView& session);
    void submitRegistration();
    void cycleTextSize();
    // Read aloud (issue 21): the texts spoken in the visitor's language, one after another; stops on go, back,
    // leave and the idle countdown.
    void speak(std::vector<std::string> texts);
    const ReadAloud& readAloud() const { return *m_readAloud; }
    ReadAloud& readAloud() { return *m_readAloud; }

    std::string tr(std::string_view key, std::initializer_list<core::NamedArg> args = {}) const;
    // The visit's banner (visit().notice) in the visitor's language.
    std::string noticeText() const;
    const std::string& lang() const { return m_visit.lang; }
    Visit& visit() { return m_visit; }
    const core::KioskView& view() const { return m_view; }
    const core::SiteSettings& site() const { return m_site; }
    const core::Messages& messages() const { return m_messages; }
    const KioskOptions& options() const { return m_options; }
    ui::App& app() { return m_app; }
    core::Page page(const std::string& topic) const;
    std::string siteName() const;
    // A session's service name, weekday and times in the visitor's language.
    std::string serviceName(const std::string& code) const;
    // What the service is, in the visitor's language: the coordinator's text, else the translated default.
    std::string serviceDescription(const std::string& code) const;
    std::string sessionTime(const core::SessionView& s) const;
    std::string placeName(const std::string& place) const;

    // Seconds since the last touch (tests can set the clock).
    double secondsSinceTouch() const { return idleSeconds(); }
    // The idle countdown: seconds left, or -1 when not counting down.
    int idleCountdown() const;
    bool storageProblem() const { return m_storageProblem; }
    // The no-store banner of the last frame, and its language (empty: none) (tests).
    const std::string& storageBanner() const { return m_banner; }
    const std::string& storageBannerLanguage() const { return m_bannerLang; }
    // How far the topic page is scrolled down, in pixels (tests).
    float topicScrollOffset() const;

    // Everything the font atlas is built from (the bench rebuilds it to time it).
    const std::string& glyphText() const { return m_glyphText; }

    // Tours and tests.
    void renderTour(const std::filesystem::path& dir);
    void refreshNow();       // reads the view model synchronously (tests, tours)
    void waitForWorker();    // until every posted job has completed (tests)
    void setIdleClockForTest(double seconds) { m_idleOverride = seconds; }
    void setTapGuardForTest(double seconds) { m_options.tapGuardSeconds = seconds; }

private:
    void rebuildFonts();
    void applySpeechSettings(); // the desk's Read aloud settings (site facts) to m_readAloud
    void speakGreeting();       // between frames on the welcome screen, when the site says so
    void requestRefresh();
    void count(std::string_view kind, std::string_view key);
    double idleSeconds() const;

    ui::App& m_app;
    KioskOptions m_options;
    core::Messages m_messages;
    core::SiteSettings m_fileSite; // site.ini
    core::SiteSettings m_site;     // with what the desk set over it (refreshed with the view)
    core::KioskView m_view;
    Visit m_visit;
    std::unique_ptr<Screens> m_screens;
    std::string m_glyphText;
    int m_fontStep = -1;
    bool m_refreshing = false;
    bool m_storageProblem = false;
    double m_nextPoll = 0;
    double m_idleOverride = -1;
    std::string m_banner, m_bannerLang;
    bool m_overlayUp = false; // the idle countdown is on screen, or the touch that answered it has not ended
    bool m_overlayTouched = false; // a finger came down on it since the countdown stopped
    int m_overlaySeconds = 0;
    std::string m_lastMoving; // what last moved on screen (see tick)
    // A PostgreSQL store: the change feed wakes the kiosk on a commit and says when the link is down.
    std::atomic<bool> m_feedChanged{false}, m_linkDown{false};
    std::unique_ptr<core::ChangeFeed> m_feed;
    std::unique_ptr<ReadAloud> m_readAloud; // outlives the worker: its completions reach it
    bool m_spokenGreeting = false;          // site setting kiosk.spoken_greeting (off by default)
    size_t m_greeted = SIZE_MAX;            // the welcome cycle's language last said aloud
    // Last: destroyed first, so its thread has finished every job before the members those jobs use go away.
    core::Worker m_worker;
};

} // namespace inloop::kiosk
