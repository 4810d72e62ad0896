// The off-site backup and calendars view (see offsite_view.hpp).
#include "offsite_view.hpp"

#include "desk.hpp"
#include "supplies_view.hpp" // the shared table and dialog pieces

#include "core/base/clock.hpp"
#include "core/i18n/i18n.hpp"
#include "core/views/queue_view.hpp"
#include "core/backup/sealed_backup.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace inloop::desk {

namespace {
constexpr const char* kPhraseDialog = "###offsite_phrase";

template <size_t N> void wipe(std::array<char, N>& buf) { sodium_memzero(buf.data(), N); }

std::string serviceName(const Desk& d, const std::string& code, const std::string& name) {
    return d.hasMessage("service." + code) ? d.tr("service." + code) : name;
}

std::string stageText(const Desk& d, core::offsite::Stage s) {
    switch (s) {
    case core::offsite::Stage::Snapshot: return d.tr("offsite.stage.snapshot");
    case core::offsite::Stage::Seal: return d.tr("offsite.stage.seal");
    case core::offsite::Stage::Upload: return d.tr("offsite.stage.upload");
    case core::offsite::Stage::Prune: return d.tr("offsite.stage.prune");
    case core::offsite::Stage::Idle:
    case core::offsite::Stage::Done: break;
    }
    return d.tr("offsite.stage.waiting");
}

std::string megabytes(const Desk& d, int64_t bytes) {
    return core::formatNumber(d.lang(), static_cast<double>(bytes) / 1e6, 1) + " MB";
}
} // namespace

std::string backupReason(const Desk& d, const std::string& reason, const std::string& detail) {
    const std::string key = "offsite.reason." + reason;
    if (reason.empty() || !d.hasMessage(key)) return detail;
    return d.tr(key, {{"detail", detail}});
}

void OffsiteView::reload(Desk& d) {
    auto loaded = std::make_shared<Data>(); // filled on the network thread, read after the job has finished
    d.network(
        [loaded](core::Store& s) {
            loaded->settings = core::offsite::loadSettings(s);
            loaded->passwordSet = !loaded->settings.password.empty();
            sodium_memzero(loaded->settings.password.data(), loaded->settings.password.size());
            loaded->settings.password.clear();
            loaded->runs = core::offsite::recentRuns(s, 8);
            loaded->feeds = core::calendar::listFeeds(s);
            for (const core::ServiceRow& row : core::loadSchedule(s, core::localDay(core::nowUnix())).services)
                if (row.active) loaded->services.push_back({row.id, row.code, row.name});
        },
        [this, loaded] {
            m_data = std::move(*loaded);
            if (!m_fieldsSet) {
                copyTo(m_url, m_data.settings.url);
                copyTo(m_user, m_data.settings.user);
                m_keep = m_data.settings.keep;
                m_hour = m_data.settings.hour;
            }
            if (m_feedService == 0 && !m_data.services.empty()) m_feedService = m_data.services.front().id;
            pickFeedService(m_feedService);
            m_loaded = true;
        });
}

void OffsiteView::closeDialogs() {
    if (!m_phrase.empty()) sodium_memzero(m_phrase.data(), m_phrase.size());
    m_phrase.clear();
    m_phraseKey.fill(0);
    m_phraseOpen = false;
    wipe(m_password);
    m_error.clear();
}

void OffsiteView::setFolder(const std::string& url, const std::string& user, const std::string& password, int keep,
                            int hour) {
    m_fieldsSet = m_takeBack = true;
    copyTo(m_url, url);
    copyTo(m_user, user);
    copyTo(m_password, password);
    m_keep = keep;
    m_hour = hour;
}

void OffsiteView::saveSettings(Desk& d) {
    core::offsite::Settings s;
    s.url = m_url.data();
    s.user = m_user.data();
    s.password = m_password.data();
    s.keep = m_keep;
    s.hour = m_hour;
    m_error.clear();
    wipe(m_password);
    const core::Actor actor = d.actor();
    d.write([s, actor](core::Store& store) { core::offsite::configure(store, actor, s); },
            [this, &d] {
                m_fieldsSet = false;
                d.toast(d.tr("offsite.saved"));
                reload(d);
            });
}

void OffsiteView::makePhrase(Desk&) {
    closeDialogs();
    core::backup::NewPhrase made = core::backup::newRecoveryPhrase();
    m_phrase = std::move(made.phrase);
    m_phraseKey = made.publicKey;
    m_phraseOpen = true;
}

void OffsiteView::confirmPhrase(Desk& d) {
    if (m_phrase.empty() || std::all_of(m_phraseKey.begin(), m_phraseKey.end(), [](unsigned char b) { return b == 0; }))
        return closeDialogs(); // a tour's sample phrase has no key
    const core::Actor actor = d.actor();
    const auto key = m_phraseKey;
    closeDialogs();
    d.write([actor, key](core::Store& store) { core::offsite::setRecoveryKey(store, actor, key); },
            [this, &d] {
                d.toast(d.tr("offsite.phrase_saved"));
                reload(d);
            });
}

void OffsiteView::showForTour(Data data, std::string phrase) {
    m_data = std::move(data);
    m_loaded = true;
    m_phrase = std::move(phrase);
    m_phraseOpen = !m_phrase.empty();
    m_scrollToTop = true;
}

void OffsiteView::pickFeedService(int64_t serviceId) {
    m_feedService = serviceId;
    m_feedUrl.fill(0);
    m_feedCapacity = 8;
    for (const auto& f : m_data.feeds)
        if (f.serviceId == serviceId) {
            copyTo(m_feedUrl, f.url);
            m_feedCapacity = f.capacity;
        }
}

void OffsiteView::setFeedForm(int64_t serviceId, const std::string& url, int capacity) {
    m_feedService = serviceId;
    copyTo(m_feedUrl, url);
    m_feedCapacity = capacity;
}

void OffsiteView::saveFeed(Desk& d) {
    const core::Actor actor = d.actor();
    const int64_t service = m_feedService;
    const std::string url = m_feedUrl.data();
    const int capacity = m_feedCapacity;
    d.write(
        [actor, service, url, capacity](core::Store& store) {
            core::calendar::setFeed(store, actor, service, url, capacity);
            core::generateSessions(store, core::localDay(core::nowUnix()), 28); // rules again, when removed
        },
        [this, &d, url] {
            if (!url.empty()) d.syncCalendarsNow(); // the new address is read at once, so a typo shows now
            reload(d);
        });
}

// [SECTION] drawing
void OffsiteView::draw(Desk& d) {
    const ui::Theme& t = ui::theme();
    if (!d.isCoordinator()) {
        ui::iconText(ui::icon::Lock, d.tr("error.role"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    ui::textWrapped(d.tr("nav.offsite"), d.lang(), ui::fonts().title, t.primary);
    if (!m_loaded) {
        ui::iconText(ui::icon::Hourglass, d.tr("common.loading"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    ImGui::BeginChild("###offsite_scroll", ImVec2(0, 0), false);
    if (m_scrollToTop) {
        ImGui::SetScrollY(0);
        m_scrollToTop = false;
    }
    backupSection(d);
    ImGui::Dummy(ImVec2(0, 16));
    if (m_scrollToCalendars) {
        ImGui::SetScrollHereY(0.0f);
        m_scrollToCalendars = false;
    }
    calendarSection(d);
    ImGui::EndChild();
    phraseDialog(d);
}

void OffsiteView::backupSection(Desk& d) {
    const ui::Theme& t = ui::theme();
    const float width = ImGui::GetContentRegionAvail().x;
    ui::iconText(ui::icon::Backup, d.tr("offsite.title"), ui::fonts().heading, t.text, d.lang());
    ui::textWrapped(d.tr("offsite.hint"), d.lang(), ui::fonts().body, t.muted);

    // State first: what a coordinator glances at.
    const auto& status = d.netStatus();
    if (d.backupRunning()) {
        const auto& p = d.backupProgress();
        const uint64_t done = p.done, total = p.total;
        ui::iconText(ui::icon::Hourglass, stageText(d, p.stage), ui::fonts().bold, t.text, d.lang());
        const float fraction = total ? static_cast<float>(static_cast<double>(done) / static_cast<double>(total)) : 0.0f;
        ImGui::ProgressBar(fraction, ImVec2(std::min(width, 700.0f), 28),
                           total ? (megabytes(d, static_cast<int64_t>(done)) + " / " + megabytes(d, static_cast<int64_t>(total))).c_str() : "");
    } else if (status.last && status.last->status == "failed") {
        warningLine(d.tr("offsite.last_failed",
                         {{"time", core::formatDateTime(d.lang(), status.last->startedAt, "yMMMdHHmm")},
                          {"reason", backupReason(d, status.last->reason, status.last->message)}}));
    } else if (status.lastOk) {
        ui::iconText(ui::icon::CloudDone,
                     d.tr("offsite.last_ok", {{"time", core::formatDateTime(d.lang(), *status.lastOk, "yMMMdHHmm")}}),
                     ui::fonts().bold, t.text, d.lang());
    } else {
        ui::iconText(ui::icon::CloudOff, d.tr("offsite.never"), ui::fonts().bold, t.danger, d.lang());
    }

    // The folder.
    // A field being edited owns its value (ImGui): values set by a test (or a reload) take it back, once.
    if (m_takeBack) ImGui::ClearActiveID();
    m_takeBack = false;
    const auto label = [&](const std::string& text) { ui::textWrapped(text, d.lang(), ui::fonts().bold, t.text); };
    const float fieldW = std::min(width - 20, 760.0f);
    label(d.tr("offsite.url"));
    ImGui::SetNextItemWidth(fieldW);
    ImGui::InputTextWithHint("##offsite.url", "https://cloud.example.nl/remote.php/dav/files/spot46/inloop/", m_url.data(),
                             m_url.size());
    recordItem("offsite.url");
    label(d.tr("offsite.user"));
    ImGui::SetNextItemWidth(fieldW / 2);
    ImGui::InputText("##offsite.user", m_user.data(), m_user.size());
    recordItem("offsite.user");
    label(d.tr("offsite.password"));
    ImGui::SetNextItemWidth(fieldW / 2);
    ImGui::InputTextWithHint("##offsite.password",
                             m_data.passwordSet ? d.tr("offsite.password_kept").c_str() : "", m_password.data(),
                             m_password.size(), ImGuiInputTextFlags_Password);
    recordItem("offsite.password");
    label(d.tr("offsite.keep_hour"));
    ImGui::SetNextItemWidth(160);
    ImGui::InputInt("##offsite.keep", &m_keep);
    m_keep = std::clamp(m_keep, 1, 365);
    ImGui::SameLine();
    cellText(d.tr("offsite.copies"), ui::fonts().body, t.text, 0);
    ImGui::SameLine(0, 32);
    ImGui::SetNextItemWidth(160);
    ImGui::InputInt("##offsite.hour", &m_hour);
    m_hour = std::clamp(m_hour, 0, 23);
    ImGui::SameLine();
    cellText(d.tr("offsite.hour"), ui::fonts().body, t.text, 0);

    const std::string save = d.tr("common.save");
    if (ui::button("offsite.save", ui::icon::Check, save, ImVec2(std::max(200.0f, buttonWidth(save, ui::icon::Check, 56)), 56),
                   ui::Tone::Primary, d.lang()))
        saveSettings(d);
    ImGui::SameLine();
    const std::string phraseLabel = d.tr(m_data.settings.publicKeyHex.empty() ? "offsite.make_phrase" : "offsite.new_phrase");
    if (ui::button("offsite.phrase", ui::icon::Key, phraseLabel,
                   ImVec2(std::max(260.0f, buttonWidth(phraseLabel, ui::icon::Key, 56)), 56), ui::Tone::Surface, d.lang()))
        makePhrase(d);
    ImGui::SameLine();
    const bool busy = d.backupRunning() || d.backupQueued();
    const std::string now = d.tr("offsite.now");
    if (ui::button("offsite.now", busy ? ui::icon::Hourglass : ui::icon::Backup, now,
                   ImVec2(std::max(240.0f, buttonWidth(now, ui::icon::Backup, 56)), 56),
                   m_data.settings.configured() ? ui::Tone::Surface : ui::Tone::Quiet, d.lang()) &&
        !busy) {
        if (m_data.settings.configured()) d.backupNow();
        else d.toast(d.tr(m_data.settings.url.empty() ? "offsite.need_url" : "offsite.need_phrase"), true);
    }
    ui::iconText(ui::icon::Key,
                 d.tr(m_data.settings.publicKeyHex.empty() ? "offsite.phrase_missing" : "offsite.phrase_made"),
                 ui::fonts().body, m_data.settings.publicKeyHex.empty() ? t.danger : t.muted, d.lang());
    runsTable(d);
}

void OffsiteView::runsTable(Desk& d) {
    if (m_data.runs.empty()) return;
    const ui::Theme& t = ui::theme();
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("###offsite_runs", 4, flags)) return;
    ImGui::TableSetupColumn(d.tr("col.time").c_str());
    ImGui::TableSetupColumn(d.tr("offsite.col.how").c_str());
    ImGui::TableSetupColumn(d.tr("offsite.col.size").c_str());
    ImGui::TableSetupColumn(d.tr("offsite.col.result").c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (const core::offsite::Run& r : m_data.runs) {
        ImGui::TableNextRow(0, 34);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(core::formatDateTime(d.lang(), r.startedAt, "yMMMdHHmm").c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(d.tr("offsite.trigger." + r.trigger).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.bytes ? megabytes(d, r.bytes).c_str() : "—");
        ImGui::TableNextColumn();
        const bool ok = r.status == "ok";
        const std::string why = backupReason(d, r.reason, r.message);
        const std::string text = d.tr("offsite.status." + r.status) + (why.empty() ? "" : " — " + why);
        ui::iconText(ok ? ui::icon::Check : r.status == "failed" ? ui::icon::Warning : ui::icon::Hourglass, text,
                     ui::fonts().body, r.status == "failed" ? t.danger : t.text, d.lang());
    }
    ImGui::EndTable();
}

void OffsiteView::calendarSection(Desk& d) {
    const ui::Theme& t = ui::theme();
    const float width = ImGui::GetContentRegionAvail().x;
    ui::iconText(ui::icon::Event, d.tr("calendar.title"), ui::fonts().heading, t.text, d.lang());
    ui::textWrapped(d.tr("calendar.hint"), d.lang(), ui::fonts().body, t.muted);
    for (const core::calendar::FeedInfo& f : m_data.feeds) {
        std::string name = f.serviceName;
        for (const auto& sv : m_data.services)
            if (sv.id == f.serviceId) name = serviceName(d, sv.code, sv.name);
        ui::iconText(ui::icon::Event, name + " — " + f.url, ui::fonts().bold, t.text, d.lang(), width - 20);
        if (!f.errorKind.empty()) {
            warningLine(d.tr("calendar.error." + f.errorKind, {{"detail", f.error}}));
        } else if (f.okAt) {
            ui::textWrapped(d.tr("calendar.ok", {{"time", core::formatDateTime(d.lang(), *f.okAt, "MMMdHHmm")},
                                                 {"count", static_cast<int64_t>(f.sessions)},
                                                 {"places", static_cast<int64_t>(f.capacity)}}),
                            d.lang(), ui::fonts().body, t.muted);
        } else {
            ui::textWrapped(d.tr("calendar.not_yet"), d.lang(), ui::fonts().body, t.muted);
        }
        if (!f.warnings.empty()) // events left out, guessed time zones: the partner should hear of them
            warningLine(d.tr("calendar.warnings", {{"count", static_cast<int64_t>(f.warnings.size())},
                                                   {"first", f.warnings.front()}}));
    }
    if (m_data.services.empty()) return;
    // The form: a service, its calendar's address (empty: weekly rules again) and places per session.
    std::string current;
    for (const auto& sv : m_data.services)
        if (sv.id == m_feedService) current = serviceName(d, sv.code, sv.name);
    ImGui::SetNextItemWidth(320);
    if (ImGui::BeginCombo("##calendar.service", current.c_str())) {
        for (const auto& sv : m_data.services)
            if (ImGui::Selectable(serviceName(d, sv.code, sv.name).c_str(), sv.id == m_feedService))
                pickFeedService(sv.id);
        ImGui::EndCombo();
    }
    recordItem("calendar.service");
    ImGui::SameLine();
    const std::string places = d.tr("calendar.places");
    const float placesW = ImGui::CalcTextSize(places.c_str()).x;
    ImGui::SetNextItemWidth(std::max(200.0f, width - 320 - 140 - placesW - 60));
    ImGui::InputTextWithHint("##calendar.url", "https://…/calendar.ics", m_feedUrl.data(), m_feedUrl.size());
    recordItem("calendar.url");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(140);
    ImGui::InputInt("##calendar.capacity", &m_feedCapacity);
    m_feedCapacity = std::clamp(m_feedCapacity, 1, 500);
    ImGui::SameLine();
    cellText(places, ui::fonts().body, t.text, 0);
    const std::string save = d.tr("calendar.save");
    if (ui::button("calendar.save", ui::icon::Check, save, ImVec2(std::max(240.0f, buttonWidth(save, ui::icon::Check, 56)), 56),
                   ui::Tone::Primary, d.lang())) {
        if (m_feedUrl[0]) saveFeed(d);
        else d.toast(d.tr("error.calendar.url"), true);
    }
    ImGui::SameLine();
    bool hasFeed = false;
    for (const auto& f : m_data.feeds) hasFeed = hasFeed || f.serviceId == m_feedService;
    if (hasFeed) {
        const std::string rules = d.tr("calendar.use_rules");
        if (ui::button("calendar.use_rules", ui::icon::Schedule, rules,
                       ImVec2(std::max(240.0f, buttonWidth(rules, ui::icon::Schedule, 56)), 56), ui::Tone::Surface, d.lang())) {
            m_feedUrl.fill(0);
            saveFeed(d);
        }
        ImGui::SameLine();
    }
    const std::string sync = d.tr("calendar.sync");
    if (ui::button("calendar.sync", d.syncRunning() ? ui::icon::Hourglass : ui::icon::Sync, sync,
                   ImVec2(std::max(240.0f, buttonWidth(sync, ui::icon::Sync, 56)), 56), ui::Tone::Surface, d.lang()) &&
        !d.syncRunning())
        d.syncCalendarsNow();
}

void OffsiteView::phraseDialog(Desk& d) {
    if (m_phraseOpen && !ImGui::IsPopupOpen(kPhraseDialog)) ImGui::OpenPopup(kPhraseDialog);
    if (!beginDialog(d, d.tr("offsite.phrase_title") + kPhraseDialog, 820)) return;
    if (!m_phraseOpen) { // wiped meanwhile (the desk locked): the dialog goes too
        ImGui::CloseCurrentPopup();
        endDialog();
        return;
    }
    const ui::Theme& t = ui::theme();
    ui::textWrapped(d.tr("offsite.phrase_hint"), d.lang(), ui::fonts().body, t.text);
    ImGui::Dummy(ImVec2(0, 8));
    ui::textWrapped(m_phrase, "en", ui::fonts().heading, t.primary);
    ImGui::Dummy(ImVec2(0, 8));
    ui::textWrapped(d.tr("offsite.phrase_once"), d.lang(), ui::fonts().bold, t.danger);
    const std::string done = d.tr("offsite.phrase_done");
    if (ui::button("offsite.phrase_done", ui::icon::Check, done, ImVec2(std::max(360.0f, buttonWidth(done, ui::icon::Check, 64)), 64),
                   ui::Tone::Primary, d.lang())) {
        confirmPhrase(d);
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    const std::string cancel = d.tr("offsite.phrase_cancel");
    if (ui::button("offsite.phrase_cancel", ui::icon::Close, cancel,
                   ImVec2(std::max(300.0f, buttonWidth(cancel, ui::icon::Close, 64)), 64), ui::Tone::Quiet, d.lang()) ||
        escapePressed()) {
        closeDialogs(); // the old phrase (if any) stays the one backups are sealed for
        ImGui::CloseCurrentPopup();
    }
    endDialog();
}

} // namespace inloop::desk
