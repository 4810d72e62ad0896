// Off-site backup and partner calendars (coordinators, F9): the WebDAV folder and its app password, copies to
// keep, the nightly hour, the recovery phrase (shown once), "back up now" with progress, the last runs; and per
// service the address of the partner's calendar, with the last sync's state and reason.
#pragma once

#include "core/net/calendar.hpp"
#include "core/net/offsite.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace inloop::desk {

class Desk;

class OffsiteView {
public:
    struct Data {
        core::offsite::Settings settings; // the password is never read into the UI: only whether one is set
        bool passwordSet = false;
        std::vector<core::offsite::Run> runs;
        std::vector<core::calendar::FeedInfo> feeds;
        struct Service {
            int64_t id;
            std::string code, name;
        };
        std::vector<Service> services; // active services, for the calendar form
    };

    void draw(Desk& d);
    void reload(Desk& d);
    // Closes the phrase dialog and wipes the phrase and a typed password (the shell's lock calls this).
    void closeDialogs();

    // Tests: what a coordinator does.
    void setFolder(const std::string& url, const std::string& user, const std::string& password, int keep, int hour);
    void saveSettings(Desk& d);
    // A new phrase in the dialog; its key is stored only by confirmPhrase ("I have written it down"), so a
    // phrase nobody wrote down (cancelled, or the desk locked) never seals a backup.
    void makePhrase(Desk& d);
    void confirmPhrase(Desk& d);
    const std::string& phrase() const { return m_phrase; }
    void setFeedForm(int64_t serviceId, const std::string& url, int capacity);
    void saveFeed(Desk& d);
    const Data& data() const { return m_data; }
    // Tours: show this state (and a phrase) without touching the store.
    void showForTour(Data data, std::string phrase);
    void scrollToCalendars() { m_scrollToCalendars = true; }
    bool loaded() const { return m_loaded; }
    const std::string& formError() const { return m_error; }

private:
    void backupSection(Desk& d);
    void runsTable(Desk& d);
    void calendarSection(Desk& d);
    void phraseDialog(Desk& d);
    void pickFeedService(int64_t serviceId); // the form shows that service's address and places

    Data m_data;
    bool m_loaded = false;
    std::array<char, 601> m_url{};
    std::array<char, 201> m_user{};
    std::array<char, 401> m_password{};
    int m_keep = 14, m_hour = 3;
    bool m_fieldsSet = false; // typed (or set) and not yet saved: a reload keeps them
    bool m_takeBack = false;
    std::string m_error;
    std::string m_phrase; // shown once, then wiped
    std::array<unsigned char, 32> m_phraseKey{};
    bool m_phraseOpen = false;
    bool m_scrollToCalendars = false, m_scrollToTop = false;
    // The calendar form.
    int64_t m_feedService = 0;
    std::array<char, 601> m_feedUrl{};
    int m_feedCapacity = 8;
};

// A backup run's reason word and technical detail as a sentence in the desk's language.
std::string backupReason(const Desk& d, const std::string& reason, const std::string& detail);

} // namespace inloop::desk
