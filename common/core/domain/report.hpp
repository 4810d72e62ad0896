// The yearly and monthly figures ("Feiten & Cijfers"): every figure defined once, here, with its glossary line.
#pragma once

#include "core/i18n/i18n.hpp"
#include "core/store/store.hpp"

#include <array>
#include <filesystem>
#include <optional>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace inloop::core {

struct Period {
    std::string from, to; // local days, inclusive
    std::string label;    // "2025" or "2025-03"
    static Period year(int y);
    static Period month(int y, int m);
};

// Stable keys (documented in docs/REPORT.md and by glossary()): walk_in.visits, walk_in.unique_visitors,
// walk_in.visits_without_code, outreach_street|outreach_online.contacts|unique_people|contacts_without_code,
// outreach_street|outreach_online.people_by_gender|contacts_by_gender.<gender>, contacts.<channel>,
// contacts_by_gender.<gender>, outreach_by_gender.<gender>, topics.<topic>, languages.<code>,
// spreekuren.<service>.registered|attended|no_show|cancelled, supplies.<item>.handed_out|sold|revenue_eur|
// low_stock_events, shelter.unique_clients, shelter.stays, shelter.bed_nights, shelter.available_bed_nights,
// shelter.occupancy_rate (0–1), shelter.average_stay_nights, shelter.exit_programme_stays|exit_programme_clients,
// shelter.exit_programme_share_of_stays|share_of_clients (0–1), shelter.referral.<source>,
// shelter.destination.<destination>, kiosk.sessions.<lang>, kiosk.pages.<topic>, kiosk.registrations.
// Every key of a family is present, 0 when nothing was counted: the categories come from the domain's word lists
// (EnumWords, kContactLanguages, kLanguages) and the catalogue (services, supply items); kiosk.pages only as opened.
// The outreach channels: their people are counted by visitor code, as walk-ins are (<channel>.* keys).
inline constexpr std::array kOutreachChannels{"outreach_street", "outreach_online"};

struct Report {
    Period period;
    std::map<std::string, double> figures;
    std::map<std::string, std::string> names; // "service.<code>", "supply.<code>": the name the site gave it
    double get(const std::string& key) const {
        auto it = figures.find(key);
        return it == figures.end() ? 0 : it->second;
    }
};

Report buildReport(Store& store, const Period& period);

// The words of the summary: the desk's catalogue (locales/desk) in one of its languages.
struct Wording {
    std::string lang; // nl or en
    std::function<std::string(std::string_view key, std::initializer_list<NamedArg> args)> tr;
    std::function<bool(std::string_view key)> has;
    static Wording of(const Messages& messages, const std::string& lang); // holds a reference to messages
};

// The figure families the glossary explains, in order ("walk_in.visits", "topics.<topic>", …).
const std::vector<std::string>& glossaryKeys();
// A family's desk message: "glossary." and the key up to its first placeholder ("glossary.topics").
std::string glossaryMessage(std::string_view key);
// One line per figure family: how it is counted (shown with the report and in the desk's Cijfers view), in the
// wording's language ("Hoe we tellen" in Dutch), read from the desk catalogue.
std::vector<std::pair<std::string, std::string>> glossary(const Wording& words);

// The year (or month) as a centre writes it, "Feiten & Cijfers": sentences and small tables, walk-ins first,
// zero rows left out, then how we count (the glossary) in the same language. The text report and the desk's
// Cijfers view show this.
std::string reportSummary(const Report& r, const Wording& w);
// Its sentences alone (walk-ins, outreach, shelter, kiosk), for the desk's Cijfers view.
std::vector<std::string> reportSentences(const Report& r, const Wording& w);

// Output formats. CSV is for Dutch Excel when lang is nl: UTF-8 with BOM, ';' between fields, decimal comma.
std::string reportText(const Report& r, const Wording& w); // the summary
std::string reportJson(const Report& r);
std::string reportCsv(const Report& r, const std::string& lang);

// Where an export goes: a USB stick when one is mounted (a writable mount point under one of `removableRoots`, as
// listed in `mountsFile`), else the folder the site chose in site.ini (`exports.folder`); never under /tmp or the
// system's temporary folder. Empty when there is neither: the desk then says to plug in a stick.
struct ExportTarget {
    std::filesystem::path dir;
    bool removable = false; // a USB stick
};
class SiteSettings;
std::optional<ExportTarget> exportTarget(const SiteSettings& site, const std::filesystem::path& mountsFile = "/proc/mounts",
                                         const std::vector<std::string>& removableRoots = {"/media/", "/run/media/"});
// "inloop-cijfers-2025.csv", "inloop-cijfers-2025-03.json": the period is in the name.
std::string exportFileName(const Period& p, const std::string& extension);

} // namespace inloop::core
