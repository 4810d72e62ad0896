// The Reports view (coordinators): a year's or a month's figures ("Feiten & Cijfers") grouped and labelled, bar
// charts by month, language and gender, how each figure is counted, and CSV/JSON export — all computed on the worker.
#pragma once

#include "core/domain/report.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace inloop::desk {

class Desk;

class ReportsView {
public:
    enum class Format { Csv, Json };
    enum class Section { Top, Months, Languages, Glossary }; // where scrollTo() takes the figures

    void draw(Desk& d);
    void reload(Desk& d); // computes the picked period (default: this year) again
    void setPeriod(Desk& d, int year, int month); // month 0: the whole year
    void closeDialogs();                           // the month picker (the shell's lock calls this)

    // Writes the picked period as inloop-cijfers-<period>.csv (the desk's language) or .json to a USB stick when
    // one is mounted, else to the site's exports.folder (core::exportTarget); with neither it says so.
    void exportAs(Desk& d, Format format);
    const std::optional<core::ExportTarget>& exportTarget(Desk& d); // looked up again every 2 seconds

    // Tests and tour.
    int year() const { return m_year; }
    int month() const { return m_month; }
    bool loading() const { return m_loading; }
    bool loaded() const { return m_loaded; }
    bool exporting() const { return m_exporting; }
    const core::Report& report() const { return m_report; }
    const std::array<double, 12>& monthly() const { return m_monthly; } // walk-in visits per month of year()
    const std::filesystem::path& lastExport() const { return m_lastExport; }
    void openMonthPicker() { m_openMonth = true; }
    void scrollTo(Section section) {
        m_scrollTo = section;
        m_scrollPending = true;
    }

private:
    void load(Desk& d, bool months); // months: the 12 monthly figures of the year too
    void header(Desk& d);
    void pickers(Desk& d);
    void monthPopup(Desk& d);
    void figures(Desk& d, float width);
    void charts(Desk& d, float width);
    void glossary(Desk& d, float width);
    std::string serviceName(Desk& d, const std::string& code) const;
    std::string itemName(Desk& d, const std::string& code) const;
    core::Period period() const;

    int m_year = 0, m_month = 0;
    core::Report m_report;
    std::array<double, 12> m_monthly{};
    int m_monthlyYear = 0;
    std::map<std::string, std::string> m_serviceNames, m_itemNames; // code → the name in the data
    bool m_loaded = false, m_loading = false, m_openMonth = false;
    unsigned int m_monthPopupId = 0;
    uint64_t m_generation = 0; // a late answer for an earlier period is ignored
    bool m_exporting = false;
    Format m_exportFormat = Format::Csv;
    std::filesystem::path m_lastExport;
    std::optional<core::ExportTarget> m_target;
    int64_t m_targetCheckedAt = 0;
    Section m_scrollTo = Section::Top;
    bool m_scrollPending = false;
    std::array<float, 4> m_sectionY{}; // where each Section starts in the scrolling region
};

} // namespace inloop::desk
