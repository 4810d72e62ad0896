// The kiosk shell (see kiosk.hpp).
//
// [SECTION] set-up and fonts
// [SECTION] data: the view model, refreshed off the UI thread
// [SECTION] navigation and the visit
// [SECTION] registration
// [SECTION] frame: top bar, screen, idle countdown
// [SECTION] tick: timers and worker results
// [SECTION] tour
#include "kiosk.hpp"

#include "help_screen.hpp"
#include "home_screen.hpp"
#include "hours_screen.hpp"
#include "privacy_screen.hpp"
#include "register_screen.hpp"
#include "screen.hpp"
#include "ticket_screen.hpp"
#include "today_screen.hpp"
#include "topic_screen.hpp"
#include "topics_screen.hpp"
#include "welcome_screen.hpp"

#include "core/base/clock.hpp"
#include "core/base/install_paths.hpp"
#include "core/domain/site_facts.hpp"
#include "ui/fonts.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <unicode/brkiter.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

namespace inloop::kiosk {

struct Screens {
    WelcomeScreen welcome;
    HomeScreen home;
    TopicsScreen topics;
    TopicScreen topic;
    HoursScreen hours;
    RegisterScreen reg;
    TicketScreen ticket;
    PrivacyScreen privacy;
    TodayScreen today;
    HelpScreen help;
    uint64_t visitGeneration = 0; // a worker result for a wiped visit is dropped
    int64_t seenVersion = -1;     // worker thread only
    std::string seenMinute;       // worker thread only
    Screen lastShown = Screen::Welcome; // the screen the previous frame drew, and since when (see frame)
    double shownAt = 0;
};

// [SECTION] set-up and fonts
namespace {
std::string readFile(const std::filesystem::path& f) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
} // namespace


Kiosk::Kiosk(ui::App& app, KioskOptions options)
    : m_app(app), m_options(std::move(options)), m_messages(m_options.root / "locales"),
      m_fileSite(core::SiteSettings::load(core::siteFile(m_options.root))), m_site(m_fileSite),
      m_screens(std::make_unique<Screens>()),
      m_readAloud(std::make_unique<ReadAloud>(m_options.speakHelper.empty() ? core::helperProgram("inloop-speak")
                                                                             : m_options.speakHelper)),
      m_worker([loc = m_options.store] { return core::Store::open(loc, core::Store::Access::Kiosk); },
               [] { ui::App::wake(); },
               [this](const std::exception& e) -> core::Worker::Completion {
                   core::logError("inloop-kiosk", e);
                   return [this] {
                       m_storageProblem = true;
                       m_refreshing = false;
                       m_visit.registering = false;
                   };
               }) {
    // The atlas holds exactly the glyphs of every message, page and language name we can show.
    for (std::string_view lang : core::kLanguages) {
        if (const auto* cat = m_messages.catalog(lang))
            for (const auto& [key, e] : *cat) m_glyphText += e.text;
        m_glyphText += core::nativeLanguageName(lang);
        for (std::string_view topic : core::kTopics)
            m_glyphText += m_site.fill(readFile(core::pagePath(m_options.root / "assets", lang, topic)));
        // Weekday and month names as ICU writes them, for every day of a week and month of a year.
        for (int d = 0; d < 7; ++d) m_glyphText += core::formatDateTime(lang, core::unixFromLocal(core::addDays("2026-01-05", d), 720), "EEEEdMMMM");
        for (int m = 1; m <= 12; ++m) m_glyphText += core::formatDateTime(lang, core::unixFromLocal(core::makeDay(2026, m, 10), 720), "EEEEdMMMM");
    }
    for (const auto& [key, value] : m_site.values()) m_glyphText += value;
    for (const char* icon : ui::icon::kAll) m_glyphText += icon;
    m_glyphText += "—–·…\u00A0\u202F" + Keyboard::allLabels(); // ICU puts no-break spaces in numbers
    ui::applyTheme();
    rebuildFonts();
    if (m_options.store.isPostgres())
        m_feed = std::make_unique<core::ChangeFeed>(m_options.store.server, std::vector<std::string>{"pub"},
                                                    [this](const core::ChangeFeed::Event& e) {
                                                        if (e.changed) m_feedChanged = true;
                                                        m_linkDown = !e.connected;
                                                        ui::App::wake();
                                                    });
    requestRefresh();
    applySpeechSettings(); // site.ini's, until the store's are read
    m_readAloud->listVoices(m_worker);
}

void Kiosk::applySpeechSettings() {
    const core::KioskSpeech speech = core::kioskSpeech(m_site);
    m_readAloud->configure(speech.readAloud, speech.volume, speech.speed);
    m_spokenGreeting = speech.greeting;
}

void Kiosk::speakGreeting() {
    // The welcome screen's "Choose your language", said in the language it shows, once each time it changes:
    // only when the site turned it on (the room hears it). A visitor's tap on a language silences it (go()).
    if (!m_spokenGreeting || !m_visit.lang.empty()) {
        m_greeted = SIZE_MAX;
        return;
    }
    const size_t index = m_screens->welcome.cycleIndex();
    if (index == m_greeted) return;
    m_greeted = index;
    const std::string lang(core::kLanguages[index]);
    if (m_readAloud->available(lang))
        m_readAloud->start(m_worker, {m_messages.tr(lang, "welcome.choose_language")}, lang);
}

Kiosk::~Kiosk() = default;

void Kiosk::rebuildFonts() {
    const float scales[] = {1.0f, 1.25f, 1.5f};
    if (m_fontStep == m_visit.textStep) return;
    m_fontStep = m_visit.textStep;
    const auto stats = ui::buildFonts(m_glyphText, scales[m_fontStep], ui::fonts());
    m_app.fontsChanged();
    if (std::getenv("INLOOP_FONT_STATS")) {
        std::fprintf(stderr, "font atlas: %.1f ms, %dx%d, %d code points\n", stats.buildMs, stats.width, stats.height,
                     stats.codepoints);
        std::ifstream status("/proc/self/status");
        for (std::string line; std::getline(status, line);)
            if (line.rfind("VmHWM", 0) == 0 || line.rfind("VmRSS", 0) == 0) std::fprintf(stderr, "%s\n", line.c_str());
    }
}

std::string Kiosk::tr(std::string_view key, std::initializer_list<core::NamedArg> args) const {
    return m_messages.tr(m_visit.lang.empty() ? "nl" : m_visit.lang, key, args);
}

std::string Kiosk::noticeText() const {
    if (m_visit.notice != "register.already" || !m_visit.session) return tr(m_visit.notice);
    const auto it = m_visit.tickets.find(m_visit.session->service);
    return tr(m_visit.notice, {{"ticket", it == m_visit.tickets.end() ? std::string() : it->second}});
}

core::Page Kiosk::page(const std::string& topic) const {
    return core::loadPage(m_options.root / "assets", lang(), topic, m_site);
}

std::string Kiosk::siteName() const {
    const std::string* name = m_site.get("site.name");
    return core::SiteSettings::keepNumbersWithWords(name ? *name : std::string("Spot 46")); // "Spot / 46" never
}

std::string Kiosk::serviceName(const std::string& code) const {
    const std::string key = "service." + code;
    return m_messages.has("nl", key) ? tr(key) : code;
}

std::string Kiosk::serviceDescription(const std::string& code) const {
    auto service = m_view.descriptions.find(code);
    if (service != m_view.descriptions.end()) {
        for (const std::string& l : {lang(), std::string("en"), std::string("nl")}) {
            auto text = service->second.find(l);
            if (text != service->second.end()) return text->second;
        }
    }
    const std::string key = "service." + code + ".about";
    return m_messages.has("nl", key) ? tr(key) : std::string();
}

std::string Kiosk::sessionTime(const core::SessionView& s) const {
    const int64_t end = core::unixFromLocal(s.day, std::min(s.endMin, 1439));
    return core::formatDateTime(lang(), s.startsAt, "EEEEHHmm") + "–" + core::formatDateTime(lang(), end, "HHmm");
}

std::string Kiosk::placeName(const std::string& place) const { return tr("place." + place); }

// [SECTION] data: the view model, refreshed off the UI thread
void Kiosk::requestRefresh() {
    if (m_refreshing) return;
    m_refreshing = true;
    Screens* screens = m_screens.get();
    m_worker.post([this, screens](core::Store& store) -> core::Worker::Completion {
        const int64_t now = core::nowUnix();
        const std::string minute = core::localDay(now) + std::to_string(core::localMinuteOfDay(now));
        const int64_t version = core::publicDataVersion(store);
        if (version == screens->seenVersion && minute == screens->seenMinute)
            return [this] { m_refreshing = false; };
        if (minute.substr(0, 10) != screens->seenMinute.substr(0, 10))
            core::closeDays(store, core::localDay(now)); // a new day: yesterday's names are wiped, as promised
        screens->seenVersion = core::publicDataVersion(store);
        screens->seenMinute = minute;
        auto view = std::make_shared<core::KioskView>(
            core::loadKioskView(store, core::localDay(now), core::localMinuteOfDay(now)));
        return [this, view] {
            m_view = std::move(*view);
            m_site = core::withDeskFacts(m_fileSite, m_view.siteFacts);
            applySpeechSettings();
            m_refreshing = false;
            m_storageProblem = false;
            m_app.requestRedraw();
        };
    });
}

void Kiosk::refreshNow() {
    m_screens->seenVersion = -1;
    waitForWorker();
    requestRefresh();
    waitForWorker();
}

float Kiosk::topicScrollOffset() const { return m_screens->topic.scrollOffset(); }

void Kiosk::waitForWorker() {
    while (m_worker.pending() > 0) {
        if (!m_worker.poll()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

void Kiosk::count(std::string_view kind, std::string_view key) {
    m_worker.post([kind = std::string(kind), key = std::string(key)](core::Store& store) -> core::Worker::Completion {
        core::countKioskUse(store, kind, key);
        return {};
    });
}

// [SECTION] navigation and the visit
void Kiosk::chooseLanguage(const std::string& lang) {
    m_readAloud->stop(); // the welcome screen's spoken greeting ends with the visitor's choice
    m_visit.lang = lang;
    count("language", lang);
    m_visit.history.clear();
    m_visit.screen = Screen::Home;
}

void Kiosk::go(Screen screen) {
    if (screen == m_visit.screen) return;
    m_readAloud->stop(); // a page is read only while it is shown
    m_visit.history.push_back(m_visit.screen);
    m_visit.screen = screen;
    resetAreaScrolling(); // a new screen starts at its top
    if (screen == Screen::Hours) m_screens->hours.reset();
    if (screen != Screen::RegisterConfirm && screen != Screen::Hours) m_visit.notice.clear();
    m_app.requestRedraw();
}

void Kiosk::back() {
    m_readAloud->stop();
    if (m_visit.history.empty() || m_visit.screen == Screen::Ticket) {
        m_visit.screen = Screen::Home;
    } else {
        m_visit.screen = m_visit.history.back();
        m_visit.history.pop_back();
    }
    resetAreaScrolling();
    m_visit.notice.clear();
}

void Kiosk::leave(const char* why) {
    // One wipe for everything: language, typed name, ticket, history, scroll positions, text size.
    if (!m_visit.lang.empty()) count("wipe", why);
    m_readAloud->stop();
    m_visit = Visit{};
    m_overlayUp = false;
    ++m_screens->visitGeneration;
    m_screens->topic.reset();
    m_screens->hours.reset();
    resetAreaScrolling();
    m_app.markActivity();
    m_app.requestRedraw();
}

void Kiosk::openTopic(const std::string& topic) {
    m_visit.topic = topic;
    m_screens->topic.reset();
    count("page", topic);
    go(Screen::Topic);
}

void Kiosk::chooseSession(const core::SessionView& session) {
    m_visit.session = session;
    if (m_visit.tickets.count(session.service)) { // one place per service and visit: the hours are for everyone
        m_visit.notice = "register.already";
        return;
    }
    m_visit.typedName.clear();
    m_visit.keyboardLayout = Keyboard::firstLayout(m_visit.lang); // Cyrillic for Bulgarian, Thai for Thai
    m_visit.notice.clear();
    go(Screen::RegisterName);
}

void Kiosk::cycleTextSize() { m_visit.textStep = (m_visit.textStep + 1) % 3; }

void Kiosk::speak(std::vector<std::string> texts) {
    m_readAloud->start(m_worker, std::move(texts), m_visit.lang);
    m_app.requestRedraw();
}

// [SECTION] registration
void Kiosk::submitRegistration() {
    if (!m_visit.session || m_visit.registering) return;
    m_visit.registering = true;
    const int64_t sessionId = m_visit.session->id;
    const std::string lang = m_visit.lang, service = m_visit.session->service;
    std::optional<std::string> name;
    if (!m_visit.typedName.empty()) name = m_visit.typedName;
    const uint64_t generation = m_screens->visitGeneration;
    m_worker.post([=, this](core::Store& store) -> core::Worker::Completion {
        std::optional<core::Ticket> ticket;
        std::string notice;
        try {
            ticket = core::registerForSession(store, core::Actor::kiosk(), sessionId, core::RegistrationSource::Kiosk,
                                              lang, name);
            core::countKioskUse(store, "registration", service);
        } catch (const core::Error& e) {
            // Full: somebody took the last place; anything else (the session was just cancelled): ask at the desk.
            notice = e.kind() == core::ErrorKind::Full ? "register.full_now" : "register.failed";
            if (e.kind() != core::ErrorKind::Full) core::logError("inloop-kiosk", e);
        } catch (const std::exception& e) {
            notice = "register.failed";
            core::logError("inloop-kiosk", e);
        }
        return [=, this] {
            requestRefresh();
            if (generation != m_screens->visitGeneration) return; // the visitor left meanwhile
            m_visit.registering = false;
            if (ticket) {
                m_visit.ticket = ticket;
                m_visit.tickets[service] = ticket->code;
                m_visit.screen = Screen::Ticket;
                m_visit.history.clear();
                m_app.markActivity();
            } else {
                m_visit.notice = notice;
                if (notice == "register.full_now") {
                    m_visit.screen = Screen::Hours;
                    m_visit.history = {Screen::Home};
                }
            }
            m_app.requestRedraw();
        };
    });
}

// [SECTION] frame: top bar, screen, idle countdown
double Kiosk::idleSeconds() const { return m_idleOverride >= 0 ? m_idleOverride : m_app.idleSeconds(); }

int Kiosk::idleCountdown() const {
    if (m_visit.lang.empty() || m_visit.screen == Screen::Ticket) return -1;
    const double idle = idleSeconds();
    if (idle < m_options.idleSeconds) return -1;
    return std::max(0, static_cast<int>(std::ceil(m_options.idleSeconds + m_options.countdownSeconds - idle)));
}

namespace {
void topBar(Kiosk& k) {
    const float w = static_cast<float>(k.app().width());
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(w, kTopBarHeight));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(24, 14));
    ImGui::Begin("###topbar", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                           ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    const float h = kTopBarHeight - 28;
    const float bw = std::min(260.0f, (w - 48) / 3.4f);
    if (k.visit().screen != Screen::Home) {
        if (ui::button("bar.back", ui::icon::ArrowBack, k.tr("common.back"), ImVec2(bw, h), ui::Tone::Quiet, k.lang()))
            k.back();
    } else {
        ImGui::Dummy(ImVec2(bw, h));
    }
    // "Text size" gets the width its label needs on one line (Размер на текста at 150 %), up to the Back button.
    const std::string sizeLabel = k.tr("common.text_size");
    const ImFont* bold = ui::fonts().bold;
    const float oneLine = bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, sizeLabel.c_str()).x + std::min(h * 0.5f, 40.0f) * 1.5f + 12 + 48;
    const float sizeW = std::clamp(oneLine, bw, w - 48 - bw * 2 - 32);
    ImGui::SameLine(w - 24 - bw - sizeW - 16);
    if (ui::button("bar.text_size", ui::icon::TextSize, sizeLabel, ImVec2(sizeW, h), ui::Tone::Quiet, k.lang()))
        k.cycleTextSize();
    ImGui::SameLine();
    if (ui::button("bar.leave", ui::icon::Logout, k.tr("common.leave"), ImVec2(bw, h), ui::Tone::Danger, k.lang()))
        k.leave("leave");
    ImGui::GetWindowDrawList()->AddLine(ImVec2(0, kTopBarHeight - 1), ImVec2(w, kTopBarHeight - 1), ui::theme().border, 2);
    ImGui::End();
}

void idleOverlay(Kiosk& k, int seconds) {
    const ImVec2 size(static_cast<float>(k.app().width()), static_cast<float>(k.app().height()));
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(size);
    ImGui::SetNextWindowFocus(); // in front of the top bar and the screen, whichever was touched last
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ui::toVec4(ui::theme().scrim));
    ImGui::Begin("###idle", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                         ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleColor();
    const float cardW = std::min(size.x - 80, 760.0f);
    const ImVec2 p((size.x - cardW) * 0.5f, size.y * 0.25f);
    ImGui::SetCursorScreenPos(ImVec2(p.x + 40, p.y + 36));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(p.x + cardW - 40);
    const float inner = cardW - 80;
    ui::drawLines(ui::layoutRuns({{k.tr("idle.question"), ui::fonts().title}}, k.lang(), inner), ui::theme().text);
    ui::drawLines(ui::layoutRuns({{k.tr("idle.countdown", {{"seconds", int64_t{seconds}}}), ui::fonts().body}}, k.lang(), inner),
                  ui::theme().text);
    ImGui::Dummy(ImVec2(0, 12));
    if (ui::button("idle.stay", ui::icon::TouchApp, k.tr("idle.stay"), ImVec2(inner, 110), ui::Tone::Primary, k.lang()))
        k.app().markActivity();
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + 36;
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(p, ImVec2(p.x + cardW, bottom), ui::theme().surface, 24);
    dl->ChannelsMerge();
    ImGui::End();
}
} // namespace

void Kiosk::frame() {
    ui::widgetRects().beginFrame();
    Screens& s = *m_screens;
    // A press in the first frame of a new screen, or within the guard time after it, began on the old one
    // (the second tap of a double tap): it never acts on the new one. Without a press, no release acts either.
    const Screen shown = m_visit.lang.empty() ? Screen::Welcome : m_visit.screen;
    const bool changed = shown != s.lastShown;
    if (changed) s.shownAt = ImGui::GetTime();
    if (changed || ImGui::GetTime() - s.shownAt < m_options.tapGuardSeconds) ImGui::GetIO().MouseClicked[0] = false;
    s.lastShown = shown;
    // No store: a banner along the bottom, in the visitor's language (on the welcome screen: the one shown now),
    // as tall as its text needs; the screens end above it.
    m_bannerLang = m_visit.lang.empty() ? std::string(core::kLanguages[s.welcome.cycleIndex()]) : m_visit.lang;
    m_banner = m_storageProblem ? m_messages.tr(m_bannerLang, "register.unavailable") : std::string();
    const std::string& banner = m_banner;
    const std::string& bannerLang = m_bannerLang;
    const float w = static_cast<float>(m_app.width());
    ui::Fonts& f = ui::fonts();
    const float bannerLines = static_cast<float>(
        banner.empty() ? 0 : ui::layoutRuns({{banner, f.bold}}, bannerLang, w - 64 - f.bold->FontSize * 1.2f - 12).size());
    const float bannerH = banner.empty() ? 0.0f : std::max(90.0f, bannerLines * f.bold->FontSize * 1.3f + 48);
    setBottomBanner(bannerH);
    if (m_visit.screen == Screen::Welcome || m_visit.lang.empty()) {
        m_visit.screen = Screen::Welcome;
        s.welcome.draw(*this);
    } else {
        topBar(*this);
        switch (m_visit.screen) {
        case Screen::Welcome: break;
        case Screen::Home: s.home.draw(*this); break;
        case Screen::Topics: s.topics.draw(*this); break;
        case Screen::Topic: s.topic.draw(*this); break;
        case Screen::Hours: s.hours.draw(*this); break;
        case Screen::RegisterName: s.reg.drawName(*this); break;
        case Screen::RegisterConfirm: s.reg.drawConfirm(*this); break;
        case Screen::Ticket: s.ticket.draw(*this); break;
        case Screen::Privacy: s.privacy.draw(*this); break;
        case Screen::Today: s.today.draw(*this); break;
        case Screen::Help: s.help.draw(*this); break;
        }
    }
    if (!banner.empty()) {
        // The data cannot be read or written: the kiosk keeps running and sends people to the desk.
        ImGui::SetNextWindowPos(ImVec2(0, static_cast<float>(m_app.height()) - bannerH));
        ImGui::SetNextWindowSize(ImVec2(w, bannerH));
        ImGui::PushStyleColor(ImGuiCol_WindowBg, ui::toVec4(ui::theme().danger));
        ImGui::Begin("###storage", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs);
        ImGui::PopStyleColor();
        ui::iconText(ui::icon::Warning, banner, f.bold, ui::theme().onDanger, bannerLang, 0, ui::theme().onDanger);
        ImGui::End();
    }
    // The countdown lies over everything until the touch that answers it has ended. That touch restarts the idle
    // clock at once (App::run: its motion may even come a frame before its press), so without this the same finger
    // would land on what is beneath (Back, Leave). Input that is no touch lets it go after a second.
    if (const int countdown = idleCountdown(); countdown >= 0) {
        m_overlayUp = true;
        m_overlayTouched = false;
        m_overlaySeconds = countdown;
    } else if (m_overlayUp) {
        if (ImGui::IsAnyMouseDown()) m_overlayTouched = true;
        const bool touchEnded =
            m_overlayTouched && !ImGui::IsAnyMouseDown() && !ImGui::IsMouseReleased(ImGuiMouseButton_Left);
        if (touchEnded || (!m_overlayTouched && idleSeconds() > 1.0)) m_overlayUp = false;
    }
    if (m_overlayUp) idleOverlay(*this, m_overlaySeconds);
}

// [SECTION] tick: timers and worker results
bool Kiosk::tick() {
    m_worker.poll(); // completions that change what is shown ask for a redraw themselves
    bool redraw = false;
    if (m_fontStep != m_visit.textStep) {
        rebuildFonts(); // between frames: the atlas must not change while a frame is being built
        redraw = true;
    }
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    // The link to a PostgreSQL store is down: "please ask at the desk" at once (the change feed noticed); the
    // next change it reports once the link is back reloads, and a reload that works takes the banner away.
    if (m_feed && m_linkDown && !m_storageProblem) {
        m_storageProblem = true;
        m_app.requestRedraw();
        redraw = true;
    }
    if (m_feedChanged.exchange(false)) requestRefresh();
    if (now >= m_nextPoll) {
        // data_version twice a second: a desk's "call" shows within a second. With a change feed only the clock's
        // minute (and a missed notice) is polled for.
        m_nextPoll = now + (m_feed ? 5.0 : 0.5);
        requestRefresh();
    }
    m_app.wakeWithin(std::chrono::milliseconds(500));

    // Read aloud: listening is being there (no countdown while a page is read); a countdown all the same (tests,
    // a clock set back) silences it, and the end of the last sentence shows the button again.
    if (idleCountdown() >= 0) m_readAloud->stop();
    else if (m_readAloud->speaking()) m_app.markActivity();
    speakGreeting();
    if (m_readAloud->tick()) redraw = true;
    if (m_readAloud->speaking()) m_app.wakeWithin(std::chrono::milliseconds(100)); // the band follows the voice

    const double idle = idleSeconds();
    if (m_visit.screen == Screen::Ticket && idle >= m_options.ticketSeconds) {
        leave("ticket");
        return true;
    }
    if (!m_visit.lang.empty() && m_visit.screen != Screen::Ticket) {
        if (idle >= m_options.idleSeconds + m_options.countdownSeconds) {
            leave("idle");
            return true;
        }
    }
    // Only what moves on screen asks for a frame: the welcome invitation and clock, and the countdowns.
    std::string moving;
    if (m_visit.lang.empty())
        moving = std::to_string(m_screens->welcome.cycleIndex()) + core::formatDateTime("nl", core::nowUnix(), "HHmm");
    else if (m_visit.screen == Screen::Ticket || idleCountdown() >= 0)
        moving = std::to_string(static_cast<int>(idle));
    if (moving != m_lastMoving) {
        m_lastMoving = moving;
        redraw = true;
    }
    return redraw;
}

// [SECTION] tour
namespace {
// The tour's Read aloud band: the second sentence of the page's first paragraph (ICU's sentence breaks; in Thai,
// which has no full stops, up to a space a third in), so that the picture shows a band starting and ending mid-line.
ReadAloud::Sentence secondSentence(const core::Page& page, std::string_view lang) {
    for (size_t b = 0; b < page.blocks.size(); ++b) {
        if (page.blocks[b].kind != core::Block::Kind::Paragraph) continue;
        const std::string text = page.blocks[b].plainText();
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> it(
            icu::BreakIterator::createSentenceInstance(icu::Locale(std::string(lang).c_str()), status));
        const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
        std::vector<int32_t> cuts;
        if (U_SUCCESS(status)) {
            it->setText(u);
            for (int32_t p = it->first(); p != icu::BreakIterator::DONE; p = it->next()) cuts.push_back(p);
        }
        if (lang == "th" || cuts.size() < 3) {
            const size_t space = text.find(' ', text.size() / 3);
            return {b, 0, space == std::string::npos ? text.size() : space};
        }
        std::string before, sentence;
        u.tempSubString(0, cuts[1]).toUTF8String(before);
        u.tempSubString(cuts[1], cuts[2] - cuts[1]).toUTF8String(sentence);
        while (!sentence.empty() && sentence.back() == ' ') sentence.pop_back();
        return {b, before.size(), before.size() + sentence.size()};
    }
    return {};
}
} // namespace

void Kiosk::renderTour(const std::filesystem::path& dir) {
    refreshNow();
    m_messages.setMarkMissing(true); // an untranslated message shows as "[?lang] …" in the pictures
    std::optional<core::SessionView> open;
    for (const auto& s : m_view.sessions)
        if (!open && s.status == "planned" && s.freePlaces > 0) open = s;
    struct Shot {
        const char* name;
        std::function<void(Visit&)> setUp;
    };
    const std::vector<Shot> shots = {
        {"welcome", [](Visit&) {}},
        {"home", [](Visit& v) { v.screen = Screen::Home; }},
        {"topics", [](Visit& v) { v.screen = Screen::Topics; }},
        {"topic", [](Visit& v) { v.screen = Screen::Topic; v.topic = "shelter"; }},
        {"topic_exploitation", [](Visit& v) { v.screen = Screen::Topic; v.topic = "exploitation"; }},
        {"topic_reading", [](Visit& v) { v.screen = Screen::Topic; v.topic = "safe_work"; }}, // Read aloud's band
        {"hours", [](Visit& v) { v.screen = Screen::Hours; }},
        {"hours_reading", [](Visit& v) { v.screen = Screen::Hours; }}, // Read aloud at the first hour
        {"register_name", [&](Visit& v) {
             v.screen = Screen::RegisterName;
             v.session = open;
             v.typedName = v.lang == "bg" ? "Мира" : v.lang == "th" ? "มาลี" : "Mira";
             v.keyboardLayout = Keyboard::firstLayout(v.lang);
         }},
        {"register_confirm", [&](Visit& v) { v.screen = Screen::RegisterConfirm; v.session = open; v.typedName = "Mira"; }},
        // Where a visitor lands when the last place went to someone else while she confirmed: the hours, with why.
        {"register_full", [](Visit& v) { v.screen = Screen::Hours; v.notice = "register.full_now"; }},
        {"ticket", [&](Visit& v) { v.screen = Screen::Ticket; v.session = open; v.ticket = core::Ticket{0, "S27"}; }},
        {"ticket_reading", [&](Visit& v) { v.screen = Screen::Ticket; v.session = open; v.ticket = core::Ticket{0, "S27"}; }},
        {"privacy", [](Visit& v) { v.screen = Screen::Privacy; }},
        {"today", [](Visit& v) { v.screen = Screen::Today; }},
        {"help", [](Visit& v) { v.screen = Screen::Help; }},
        {"idle_countdown", [](Visit& v) { v.screen = Screen::Home; }},
    };
    for (std::string_view lang : core::kLanguages) {
        for (const Shot& shot : shots) {
            m_visit = Visit{};
            m_overlayUp = false; // each picture starts untouched
            if (std::string_view(shot.name) != "welcome") m_visit.lang = std::string(lang);
            shot.setUp(m_visit);
            m_visit.textStep = m_options.tourTextStep;
            rebuildFonts();
            m_screens->topic.reset();
            m_screens->hours.reset();
            if (std::string_view(shot.name) == "topic_reading")
                m_screens->topic.markForTour(secondSentence(page(m_visit.topic), lang));
            if (std::string_view(shot.name) == "hours_reading") m_screens->hours.markForTour(0);
            m_screens->ticket.markForTour(std::string_view(shot.name) == "ticket_reading" ? std::optional<size_t>(2)
                                                                                            : std::nullopt);
            m_idleOverride = std::string_view(shot.name) == "idle_countdown" ? m_options.idleSeconds + 3.0 : 0.0;
            for (int i = 0; i < 3; ++i) m_app.renderFrame([this] { frame(); });
            std::error_code ec;
            std::filesystem::create_directories(dir / std::string(lang), ec);
            m_app.savePng(dir / std::string(lang) / (std::string(shot.name) + ".png"));
        }
    }
    m_idleOverride = -1;
    m_visit = Visit{};
}

} // namespace inloop::kiosk
