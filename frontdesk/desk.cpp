// The front-desk shell (see desk.hpp).
//
// [SECTION] set-up
// [SECTION] signing in and out
// [SECTION] store work and view models
// [SECTION] frame: sidebar, view, toasts, shortcuts
// [SECTION] tick: polling and auto-lock
// [SECTION] network: off-site backup and calendars
// [SECTION] tour
#include "desk.hpp"

#include "views.hpp"

#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/base/install_paths.hpp"
#include "core/store/database.hpp"
#include "core/domain/report.hpp"
#include "core/domain/site_facts.hpp"
#include "core/backup/upkeep.hpp"
#include "ui/fonts.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <cstdlib>
#include <thread>

namespace inloop::desk {

namespace {
double steadySeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A site's own CA (and the tests'): $INLOOP_CA_FILE; the system's CAs always count. Transfers stop when the
// desk closes.
core::net::Options netOptions(const std::shared_ptr<std::atomic<bool>>& stopping, core::net::Options o) {
    if (const char* ca = std::getenv("INLOOP_CA_FILE")) o.caFile = ca;
    o.progress = [stopping](uint64_t, uint64_t) { return !stopping->load(); };
    return o;
}

NetStatus readNetStatus(core::Store& store, const core::SiteSettings& siteFile) {
    NetStatus st;
    st.unsetFacts = core::unsetSiteFacts(core::withDeskFacts(siteFile, core::loadSiteFacts(store.db())));
    st.configured = core::offsite::loadSettings(store).configured();
    const auto runs = core::offsite::recentRuns(store, 1);
    if (!runs.empty()) st.last = runs.front();
    const int64_t ok = store.db().queryInt("SELECT coalesce(max(started_at), 0) FROM backup_run WHERE status = 'ok'");
    if (ok) st.lastOk = ok;
    st.feeds = core::calendar::listFeeds(store);
    for (const auto& f : st.feeds) st.feedProblems += !f.errorKind.empty();
    return st;
}
} // namespace

// [SECTION] set-up

Desk::Desk(ui::App& app, DeskOptions options)
    : m_app(app), m_options(std::move(options)), m_siteFile(core::SiteSettings::load(core::siteFile(m_options.root))),
      m_messages(m_options.root / "locales" / "desk", {core::kDeskLanguages.begin(), core::kDeskLanguages.end()}),
      m_views(std::make_unique<Views>()),
      m_netWorker([loc = m_options.store] { return core::Store::open(loc, core::Store::Access::Desk); },
                  [] { ui::App::wake(); }, [this](const std::exception& e) { return storeTrouble(e); }),
      m_worker([loc = m_options.store] { return core::Store::open(loc, core::Store::Access::Desk); },
               [] { ui::App::wake(); }, [this](const std::exception& e) { return storeTrouble(e); }) {
    std::string glyphs;
    for (std::string_view lang : core::kDeskLanguages)
        if (const auto* cat = m_messages.catalog(lang))
            for (const auto& [key, e] : *cat) glyphs += e.text;
    for (const char* icon : ui::icon::kAll) glyphs += icon;
    glyphs += "—–·…€×•→←\u00A0\u202F"; // ICU puts no-break spaces in numbers and prices
    ui::applyTheme();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowPadding = ImVec2(20, 16);
    style.FramePadding = ImVec2(12, 8);
    style.ItemSpacing = ImVec2(12, 10);
    style.CellPadding = ImVec2(8, 6);
    ui::buildFonts(glyphs, 0.78f, ui::fonts());
    m_app.fontsChanged();
    upkeep();
    m_views->signIn.reload(*this);
    if (m_options.store.isPostgres())
        m_feed = std::make_unique<core::ChangeFeed>(m_options.store.server, std::vector<std::string>{"pub", "desk"},
                                                    [this](const core::ChangeFeed::Event& e) {
                                                        if (e.changed) m_feedChanged = true;
                                                        m_linkDown = !e.connected;
                                                        ui::App::wake();
                                                    });
}

// A worker's store cannot be opened: the desk says so and keeps running (the next job tries again).
core::Worker::Completion Desk::storeTrouble(const std::exception& e) {
    const ErrorText error = ErrorText::of(e);
    return [this, error] {
        m_storageProblem = true;
        m_refreshing = false;
        toast(describe(error), true);
    };
}

Desk::~Desk() {
    // An upload or a sync in flight stops at its next progress callback; queued network jobs return at once.
    *m_stopping = true;
    m_progress->cancel = true;
}

std::string Desk::tr(std::string_view key, std::initializer_list<core::NamedArg> args) const {
    return m_messages.tr(m_options.lang, key, args);
}

bool Desk::hasMessage(std::string_view key) const { return m_messages.has(m_options.lang, key); }

void Desk::setLang(const std::string& lang) {
    if (std::find(core::kDeskLanguages.begin(), core::kDeskLanguages.end(), lang) != core::kDeskLanguages.end())
        m_options.lang = lang;
}

Desk::ErrorText Desk::ErrorText::of(const std::exception& e) {
    core::logError("inloop-frontdesk", e); // every error the desk shows passes here
    if (const auto* err = dynamic_cast<const core::Error*>(&e)) return {err->key(), err->what()};
    if (const auto* db = dynamic_cast<const core::DbError*>(&e)) { // a site's server: the link, in words
        if (db->outcomeUnknown()) return {"store.commit_unknown", e.what()};
        if (db->isConnectionLost()) return {"store.connection_lost", e.what()};
    }
    return {"", e.what()};
}

std::string Desk::describe(const ErrorText& e) const {
    const std::string key = "error." + e.key;
    return !e.key.empty() && m_messages.has("nl", key) ? tr(key) : e.what;
}

// Daily upkeep, at start and when the day changes: the coming 4 weeks of sessions exist, past days are closed
// (typed names wiped), and aliases past the retention period are purged.
void Desk::upkeep() {
    m_upkeepDay = core::localDay(core::nowUnix());
    m_worker.post([](core::Store& s) -> core::Worker::Completion {
        core::dailyUpkeep(s, core::localDay(core::nowUnix()), 1000); // a busy reader: the next run finishes it
        return {};
    });
}

// [SECTION] signing in and out
void Desk::signedIn(const core::StaffMember& who) {
    m_user = who;
    m_view = View::Today;
    m_app.markActivity();
    refresh();
    reloadNetStatus(); // the side bar's lines (backup, calendars, site facts) are right from the first frame
}

void Desk::lock() {
    if (m_user) m_views->signIn.lockedBy(*m_user);
    m_user.reset();
    m_views->contact.close();
    m_views->supplies.closeDialogs(); // nothing half-typed survives a lock
    m_views->staff.closeDialogs();
    m_views->beds.closeDialogs();
    m_views->reports.closeDialogs();
    m_views->offsite.closeDialogs(); // a recovery phrase on screen goes with the person who asked for it
    m_views->beds.forget(); // residents' names are read again for whoever signs in next
    m_toasts.clear(); // an "undo" must not outlive the person who could use it
    m_views->signIn.reload(*this);
}

void Desk::go(View view) {
    if ((view == View::Staff || view == View::Audit || view == View::Schedule || view == View::Reports ||
         view == View::Offsite || view == View::Site) &&
        !isCoordinator())
        return;
    m_view = view;
    if (view == View::Queue) m_views->queue.reload(*this);
    if (view == View::Beds) m_views->beds.reload(*this);
    if (view == View::Schedule) m_views->schedule.reload(*this);
    if (view == View::Audit) m_views->audit.reload(*this);
    if (view == View::Staff) m_views->staff.reload(*this);
    if (view == View::Reports) m_views->reports.reload(*this);
    if (view == View::Offsite) m_views->offsite.reload(*this);
    if (view == View::Site) m_views->site.reload(*this);
}

// [SECTION] store work and view models
void Desk::write(std::function<void(core::Store&)> job, std::function<void()> then) {
    m_worker.post([this, job = std::move(job), then = std::move(then)](core::Store& store) -> core::Worker::Completion {
        try {
            job(store);
        } catch (const std::exception& e) {
            const ErrorText error = ErrorText::of(e);
            return [this, error] { toast(describe(error), true); };
        }
        return [this, then] {
            if (then) then();
            refresh();
        };
    });
}

void Desk::refresh() {
    if (m_refreshing || !m_user) return;
    m_refreshing = true;
    const int64_t staffId = m_user->id;
    struct Loaded {
        core::TodaySummary today;
        std::vector<core::StockRow> stock;
        std::vector<core::UndoableAction> undoable;
    };
    m_worker.post([this, staffId](core::Store& store) -> core::Worker::Completion {
        auto loaded = std::make_shared<Loaded>();
        loaded->today = core::loadToday(store, core::localDay(core::nowUnix()));
        loaded->stock = core::loadStock(store);
        loaded->undoable = core::loadUndoable(store, staffId);
        m_seenVersion = loaded->today.dataVersion;
        return [this, loaded] {
            if (m_view == View::Queue) m_views->queue.reload(*this);
            if (m_view == View::Beds) m_views->beds.reload(*this);
            m_today = std::move(loaded->today);
            m_stock = std::move(loaded->stock);
            m_undoable = std::move(loaded->undoable);
            m_refreshing = false;
            m_storageProblem = false;
            m_app.requestRedraw();
        };
    });
}

void Desk::waitForWorker() {
    while (m_netWorker.pending() > 0)
        if (!m_netWorker.poll()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    while (m_worker.pending() > 0)
        if (!m_worker.poll()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

void Desk::toast(std::string text, bool error, std::function<void()> undo, std::function<void()> more) {
    m_toasts.push_back({std::move(text), error, steadySeconds() + (error ? 10.0 : 8.0), std::move(undo), std::move(more)});
    while (m_toasts.size() > 3) m_toasts.pop_front();
    m_app.requestRedraw();
}

// [SECTION] frame: sidebar, view, toasts, shortcuts
void Desk::sidebar() {
    const ui::Theme& t = ui::theme();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(kSidebarWidth, static_cast<float>(m_app.height())));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ui::toVec4(t.surface));
    ImGui::Begin("###sidebar", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
    ImGui::PopStyleColor();
    ui::textWrapped(tr("app.title"), lang(), ui::fonts().heading, t.primary);
    ImGui::Dummy(ImVec2(0, 8));
    struct Item {
        View view;
        const char* id;
        const char* icon;
        const char* key;
        const char* hotkey;
        bool coordinatorOnly;
    };
    const Item items[] = {
        {View::Today, "nav.today", ui::icon::Today, "nav.today", "F1", false},
        {View::Supplies, "nav.supplies", ui::icon::Inventory, "nav.supplies", "F2", false},
        {View::Queue, "nav.queue", ui::icon::Ticket, "nav.queue", "F3", false},
        {View::Beds, "nav.beds", ui::icon::BunkBed, "nav.beds", "F4", false},
        {View::Schedule, "nav.schedule", ui::icon::Event, "nav.schedule", "F7", true},
        {View::Staff, "nav.staff", ui::icon::Groups, "nav.staff", "F5", true},
        {View::Audit, "nav.audit", ui::icon::Shield, "nav.audit", "F6", true},
        {View::Reports, "nav.reports", ui::icon::Chart, "nav.reports", "F8", true},
        {View::Offsite, "nav.offsite", ui::icon::Backup, "nav.offsite", "F9", true},
        {View::Site, "nav.site", ui::icon::Place, "nav.site", "F10", true},
    };
    const float w = kSidebarWidth - 40;
    // Who is signed in, the language and the lock take the bottom 222 px, each status line 46 more: the items
    // share the rest.
    const bool backupLine = backupRunning() || (m_net.last && m_net.last->status == "failed") || m_net.lastOk;
    const int statusLines = (backupLine ? 1 : 0) + (m_net.feedProblems > 0 ? 1 : 0) + (m_net.unsetFacts.empty() ? 0 : 1);
    const float bottom = static_cast<float>(m_app.height()) - 222 - 46 * static_cast<float>(statusLines);
    int shown = 0;
    for (const Item& it : items) shown += !it.coordinatorOnly || isCoordinator();
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    const float itemH =
        std::clamp((bottom - ImGui::GetCursorPosY()) / static_cast<float>(std::max(shown, 1)) - spacing, 40.0f, 64.0f);
    for (const Item& it : items) {
        if (it.coordinatorOnly && !isCoordinator()) continue;
        const bool current = m_view == it.view;
        if (ui::button(it.id, it.icon, tr(it.key) + "  " + it.hotkey, ImVec2(w, itemH),
                       current ? ui::Tone::Primary : ui::Tone::Quiet, lang()))
            go(it.view);
    }
    if (ImGui::GetCursorPosY() < bottom) ImGui::SetCursorPosY(bottom);
    netStatusLine(w);
    if (m_user) {
        ui::iconText(ui::icon::Account, m_user->name + " · " + tr("role." + std::string(core::word(m_user->role))),
                     ui::fonts().bold, t.text, lang(), w);
    }
    ImGui::Dummy(ImVec2(0, 4));
    const float half = (w - ImGui::GetStyle().ItemSpacing.x) / 2;
    if (ui::button("lang.nl", nullptr, "NL", ImVec2(half, 44), lang() == "nl" ? ui::Tone::Primary : ui::Tone::Quiet, lang()))
        setLang("nl");
    ImGui::SameLine();
    if (ui::button("lang.en", nullptr, "EN", ImVec2(half, 44), lang() == "en" ? ui::Tone::Primary : ui::Tone::Quiet, lang()))
        setLang("en");
    if (ui::button("nav.lock", ui::icon::Lock, tr("nav.lock") + "  Ctrl+L", ImVec2(w, 56), ui::Tone::Surface, lang()))
        lock();
    ImGui::End();
}

void Desk::toasts() {
    const double now = steadySeconds();
    while (!m_toasts.empty() && m_toasts.front().until < now) m_toasts.pop_front();
    const float w = 640, pad = 16, gap = 10, buttonH = 52;
    const float x = static_cast<float>(m_app.width()) - w - 20;
    float y = static_cast<float>(m_app.height()) - 20;
    ImFont* font = ui::fonts().bold;
    for (size_t i = m_toasts.size(); i-- > 0;) {
        Toast& toast = m_toasts[i];
        const char* icon = toast.error ? ui::icon::Warning : ui::icon::Check;
        // The buttons fit their labels on one line ("Ongedaan maken"); the text is laid out in the width left of
        // them, and the toast grows to hold every line: nothing runs under a button or out of the toast.
        const std::string detailsLabel = tr("common.details"), undoLabel = tr("common.undo");
        const float detailsW = toast.more ? std::max(140.0f, buttonWidth(detailsLabel, ui::icon::Edit, buttonH)) : 0;
        const float undoW = toast.undo ? std::max(140.0f, buttonWidth(undoLabel, ui::icon::Undo, buttonH)) : 0;
        const float buttonsW = (toast.more ? detailsW + gap : 0) + (toast.undo ? undoW + gap : 0);
        const float textW = w - 2 * pad - buttonsW;
        // As ui::iconText lays it out: the icon at 1.2 × the font, 12 px to the text, lines 1.3 apart.
        const float iconW = ui::fonts().body->CalcTextSizeA(font->FontSize * 1.2f, FLT_MAX, 0, icon).x + 12;
        const auto lines = ui::layoutRuns({{toast.text, font}}, lang(), textW - iconW);
        const float textH = static_cast<float>(lines.size()) * font->FontSize * 1.3f;
        const float h = std::max(84.0f, std::max(textH, buttonH) + 2 * pad);
        y -= h;
        ImGui::SetNextWindowPos(ImVec2(x, y));
        ImGui::SetNextWindowSize(ImVec2(w, h));
        ImGui::PushStyleColor(ImGuiCol_WindowBg, ui::toVec4(toast.error ? ui::theme().danger : ui::theme().text));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 14);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad, pad));
        const std::string id = "###toast" + std::to_string(i);
        // A toast without buttons lets taps through: it must never hide a button someone is about to press.
        const ImGuiWindowFlags passThrough = toast.undo || toast.more ? 0 : ImGuiWindowFlags_NoInputs;
        ImGui::Begin(id.c_str(), nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                              ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoSavedSettings |
                                              passThrough);
        ImGui::PopStyleVar(2);
        ImGui::PopStyleColor();
        ImGui::SetCursorPosY(std::max(pad, (h - textH) * 0.5f));
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ImGui::BeginGroup();
        ui::iconText(icon, toast.text, font, ui::theme().onPrimary, lang(), textW);
        ImGui::EndGroup();
        ui::widgetRects().record("toast.text." + std::to_string(i), ImRect(at, ImVec2(at.x + textW, at.y + textH)));
        float bx = pad + textW + gap;
        const float by = (h - buttonH) * 0.5f;
        if (toast.more) {
            ImGui::SetCursorPos(ImVec2(bx, by));
            bx += detailsW + gap;
            if (ui::button("toast.details." + std::to_string(i), ui::icon::Edit, detailsLabel, ImVec2(detailsW, buttonH),
                           ui::Tone::Surface, lang())) {
                auto more = toast.more;
                toast.until = 0;
                more();
            }
        }
        if (toast.undo) {
            ImGui::SetCursorPos(ImVec2(bx, by));
            if (ui::button("toast.undo." + std::to_string(i), ui::icon::Undo, undoLabel, ImVec2(undoW, buttonH),
                           ui::Tone::Surface, lang())) {
                auto undo = toast.undo;
                toast.until = 0;
                undo();
            }
        }
        ImGui::End();
        y -= 10;
    }
    if (!m_toasts.empty()) m_app.wakeWithin(std::chrono::milliseconds(500)); // so they go away by themselves
}

void Desk::shortcuts() {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) return;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) return;
    if (io.KeyCtrl && ImGui::IsKeyPressed(SDL_SCANCODE_L, false)) lock();
    if (ImGui::IsKeyPressed(SDL_SCANCODE_F1, false)) go(View::Today);
    if (ImGui::IsKeyPressed(SDL_SCANCODE_F2, false)) go(View::Supplies);
    if (ImGui::IsKeyPressed(SDL_SCANCODE_F3, false)) go(View::Queue);
    if (ImGui::IsKeyPressed(SDL_SCANCODE_F4, false)) go(View::Beds);
    if (ImGui::IsKeyPressed(SDL_SCANCODE_F7, false)) go(View::Schedule);
    if (ImGui::IsKeyPressed(SDL_SCANCODE_F5, false)) go(View::Staff);
    if (ImGui::IsKeyPressed(SDL_SCANCODE_F6, false)) go(View::Audit);
    if (ImGui::IsKeyPressed(SDL_SCANCODE_F8, false)) go(View::Reports);
    if (ImGui::IsKeyPressed(SDL_SCANCODE_F9, false)) go(View::Offsite);
    if (ImGui::IsKeyPressed(SDL_SCANCODE_F10, false)) go(View::Site);
}

void Desk::frame() {
    ui::widgetRects().beginFrame();
    if (!m_user) {
        m_views->signIn.draw(*this);
    } else {
        shortcuts();
        // The bed board's night view fills the screen: read from across a dark room, nothing else on it.
        const bool fullScreen = m_view == View::Beds && m_views->beds.night();
        const float left = fullScreen ? 0 : kSidebarWidth;
        if (!fullScreen) sidebar();
        const ImVec2 pos(left, 0);
        const ImVec2 size(static_cast<float>(m_app.width()) - left, static_cast<float>(m_app.height()));
        ImGui::SetNextWindowPos(pos);
        ImGui::SetNextWindowSize(size);
        ImGui::Begin("###view", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                             ImGuiWindowFlags_NoBringToFrontOnFocus);
        switch (m_view) {
        case View::Today: m_views->today.draw(*this); break;
        case View::Supplies: m_views->supplies.draw(*this); break;
        case View::Queue: m_views->queue.draw(*this); break;
        case View::Beds: m_views->beds.draw(*this); break;
        case View::Schedule: m_views->schedule.draw(*this); break;
        case View::Staff: m_views->staff.draw(*this); break;
        case View::Audit: m_views->audit.draw(*this); break;
        case View::Reports: m_views->reports.draw(*this); break;
        case View::Offsite: m_views->offsite.draw(*this); break;
        case View::Site: m_views->site.draw(*this); break;
        }
        ImGui::End();
        m_views->contact.draw(*this);
    }
    if (m_linkShownDown) linkBanner();
    toasts();
}

// Across the top, over everything: the store's server cannot be reached. What is on screen stays (dialogs keep
// what was typed); a save in the meantime fails with its own message and can be tried again.
void Desk::linkBanner() {
    const ui::Theme& t = ui::theme();
    const float w = static_cast<float>(m_app.width());
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(w, 0));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ui::toVec4(t.danger));
    ImGui::Begin("###link", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                         ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing |
                                         ImGuiWindowFlags_NoInputs);
    ImGui::PopStyleColor();
    ui::iconText(ui::icon::CloudOff, tr("store.link_down"), ui::fonts().bold, t.onDanger, lang(), w - 40, t.onDanger);
    ImGui::End();
}

// [SECTION] tick: polling and auto-lock
double Desk::idleSeconds() const { return m_idleOverride >= 0 ? m_idleOverride : m_app.idleSeconds(); }

bool Desk::tick() {
    m_worker.poll();
    m_netWorker.poll();
    if (steadySeconds() >= m_nextNetCheck) networkUpkeep();
    if (backupRunning()) m_app.wakeWithin(std::chrono::milliseconds(250)); // the progress moves
    if (core::localDay(core::nowUnix()) != m_upkeepDay) upkeep();
    if (m_user && idleSeconds() >= m_options.lockSeconds) {
        lock();
        return true;
    }
    const double now = steadySeconds();
    bool redraw = false;
    if (m_linkDown != m_linkShownDown) { // the banner comes and goes with the link
        m_linkShownDown = m_linkDown;
        m_app.requestRedraw();
        redraw = true;
    }
    if (m_feedChanged.exchange(false) && m_user) refresh();
    if (m_user && now >= m_nextPoll) {
        // Twice a second; with a change feed (PostgreSQL) it tells at once, and this only catches a missed notice.
        m_nextPoll = now + (m_feed ? 5.0 : 0.5);
        // PRAGMA data_version on both files: a kiosk registration or another desk's entry shows within a second.
        const int64_t seen = m_seenVersion;
        m_worker.post([this, seen](core::Store& store) -> core::Worker::Completion {
            if (core::deskDataVersion(store) == seen) return {};
            return [this] { refresh(); };
        });
    }
    m_app.wakeWithin(std::chrono::milliseconds(500));
    return redraw;
}

// [SECTION] network: off-site backup and calendars
void Desk::network(std::function<void(core::Store&)> job, std::function<void()> then) {
    m_netWorker.post([this, job = std::move(job), then = std::move(then)](core::Store& store) -> core::Worker::Completion {
        try {
            job(store);
            auto status = std::make_shared<NetStatus>(readNetStatus(store, m_siteFile));
            return [this, then, status] {
                m_net = std::move(*status);
                if (then) then();
                m_app.requestRedraw();
            };
        } catch (const std::exception& e) {
            const ErrorText error = ErrorText::of(e);
            return [this, error] { toast(describe(error), true); };
        }
    });
}

void Desk::reloadNetStatus() { network([](core::Store&) {}); }

bool Desk::backupRunning() const {
    const core::offsite::Stage s = m_progress->stage;
    return s != core::offsite::Stage::Idle && s != core::offsite::Stage::Done;
}

// Every minute: the nightly backup when it is due (retried through the night after a failure) and the
// calendars that were last read over an hour ago.
void Desk::networkUpkeep() {
    m_nextNetCheck = steadySeconds() + 60;
    if (m_netWorker.pending() > 0) return; // an upload still running: no pile of checks behind it
    // On PostgreSQL too: the nightly backup is a pg_dump (postgresql-client on this machine) of the shared store,
    // due once for the site (backup_run is shared), so whichever desk sees it due first makes it.
    network([where = m_options.store, progress = m_progress, stopping = m_stopping](core::Store& store) {
        if (*stopping) return;
        const int64_t now = core::nowUnix();
        if (core::offsite::nightlyDue(store, now)) {
            core::offsite::runBackup(where, core::offsite::Trigger::Nightly,
                                     netOptions(stopping, core::offsite::uploadOptions()), progress.get(), now);
            progress->stage = core::offsite::Stage::Idle;
        }
        bool due = false;
        for (const auto& f : core::calendar::listFeeds(store))
            due = due || !f.checkedAt || now - *f.checkedAt >= 3600;
        if (due && !*stopping)
            core::calendar::syncFeeds(store, core::net::Client(netOptions(stopping, core::calendar::feedOptions())), now);
    });
}

void Desk::backupNow() {
    if (m_backupQueued) return;
    m_backupQueued = true;
    m_progress->cancel = false;
    auto result = std::make_shared<core::offsite::Result>();
    network(
        [where = m_options.store, progress = m_progress, stopping = m_stopping, result](core::Store&) {
            if (*stopping) return;
            *result = core::offsite::runBackup(where, core::offsite::Trigger::Desk,
                                               netOptions(stopping, core::offsite::uploadOptions()), progress.get());
            progress->stage = core::offsite::Stage::Idle;
        },
        [this, result] {
            m_backupQueued = false;
            if (result->ok) toast(tr("offsite.done", {{"name", result->name}}));
            else toast(tr("offsite.failed", {{"reason", backupReason(*this, result->reason, result->detail)}}), true);
            if (m_view == View::Offsite) m_views->offsite.reload(*this);
        });
}

void Desk::syncCalendarsNow() {
    if (m_syncRunning) return;
    m_syncRunning = true;
    auto results = std::make_shared<std::vector<core::calendar::SyncResult>>();
    network(
        [stopping = m_stopping, results](core::Store& store) {
            const core::net::Client client(netOptions(stopping, core::calendar::feedOptions()));
            *results = core::calendar::syncFeeds(store, client, core::nowUnix());
        },
        [this, results] {
            m_syncRunning = false;
            int failed = 0;
            for (const auto& r : *results) failed += r.outcome == core::calendar::SyncResult::Outcome::Failed;
            if (failed) toast(tr("calendar.sync_failed", {{"count", static_cast<int64_t>(failed)}}), true);
            else toast(tr("calendar.synced", {{"count", static_cast<int64_t>(results->size())}}));
            refresh();
        });
}

// One line above who is signed in: the off-site backup's state, and calendars that failed (for everyone, so
// a failure is noticed even when no coordinator is on duty).
void Desk::netStatusLine(float width) {
    const ui::Theme& t = ui::theme();
    if (backupRunning()) {
        ui::iconText(ui::icon::Backup, tr("offsite.running_short"), ui::fonts().body, t.muted, lang(), width);
    } else if (m_net.last && m_net.last->status == "failed") {
        warningLine("nav.backup_failed", ui::icon::CloudOff, tr("offsite.failed_short"), View::Offsite, width);
    } else if (m_net.lastOk) {
        ui::iconText(ui::icon::CloudDone,
                     tr("offsite.ok_short", {{"time", core::formatDateTime(lang(), *m_net.lastOk, "MMMdHHmm")}}),
                     ui::fonts().body, t.muted, lang(), width);
    }
    if (m_net.feedProblems > 0)
        ui::iconText(ui::icon::EventBusy, tr("calendar.problem_short", {{"count", static_cast<int64_t>(m_net.feedProblems)}}),
                     ui::fonts().bold, t.danger, lang(), width);
    // Not ready for go-live: the kiosk leaves those lines out until a coordinator sets them (F10).
    if (!m_net.unsetFacts.empty())
        warningLine("nav.site_unset", ui::icon::Warning, tr("site.unset_short"), View::Site, width);
}

// A warning in the side bar. For a coordinator it is a way in: one tap opens the view that says why.
void Desk::warningLine(const char* id, const char* icon, const std::string& text, View view, float width) {
    if (isCoordinator()) {
        if (ui::button(id, icon, text, ImVec2(width, 36), ui::Tone::Danger, lang())) go(view);
    } else {
        ui::iconText(icon, text, ui::fonts().bold, ui::theme().danger, lang(), width);
    }
}

} // namespace inloop::desk
