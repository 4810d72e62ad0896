// The Reports view (see reports_view.hpp).
//
// [SECTION] helpers: numbers, text, cards
// [SECTION] loading and export
// [SECTION] header and pickers
// [SECTION] figures
// [SECTION] charts
// [SECTION] glossary and draw
#include "reports_view.hpp"

#include "desk.hpp"
#include "supplies_view.hpp" // buttonWidth

#include "core/base/clock.hpp"
#include "core/i18n/content.hpp"
#include "core/views/desk_view.hpp"
#include "core/i18n/i18n.hpp"
#include "core/base/install_paths.hpp"
#include "core/views/queue_view.hpp"
#include "ui/chart.hpp"
#include "ui/icons.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <functional>
#include <system_error>
#include <vector>

namespace inloop::desk {

// [SECTION] helpers: numbers, text, cards
namespace {
// The summary's and the glossary's words: the desk's catalogue in the desk's language.
core::Wording wordingOf(Desk& d) {
    return {d.lang(), [&d](std::string_view key, std::initializer_list<core::NamedArg> args) { return d.tr(key, args); },
            [&d](std::string_view key) { return d.hasMessage(key); }};
}
} // namespace

namespace {
constexpr float kPad = 18;  // inside a card
constexpr float kGap = 16;  // between cards
constexpr float kChartH = 190;

std::string count(const Desk& d, double v) { return core::formatNumber(d.lang(), v, 0); }

float textWidth(ImFont* font, float px, std::string_view s) {
    return font->CalcTextSizeA(px, FLT_MAX, 0, s.data(), s.data() + s.size()).x;
}

// "januari" → "Januari" for a label of its own (month names in nl and en are Latin letters).
std::string capitalised(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

std::string monthName(const Desk& d, int year, int month, std::string_view skeleton) {
    return core::formatDateTime(d.lang(), core::unixFromLocal(core::makeDay(year, month, 15), 12 * 60), skeleton);
}

// Wrapped text at the cursor, `width` wide (right-aligned lines when asked); advances the cursor.
float wrapped(const std::string& text, ImFont* font, float px, ImU32 color, float width, std::string_view lang,
              bool right = false) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const auto lines = ui::layoutRuns({{text, font, px}}, lang, std::max(20.0f, width));
    float y = 0;
    for (const auto& line : lines) {
        float x = right ? p.x + width - line.width : p.x;
        for (const auto& r : line.runs) {
            dl->AddText(r.font, r.px(), ImVec2(x, p.y + y), color, r.text.c_str(), r.text.c_str() + r.text.size());
            x += textWidth(r.font, r.px(), r.text);
        }
        y += px * 1.3f;
    }
    ImGui::Dummy(ImVec2(width, y));
    return y;
}

// A card's heading: an icon in the primary colour and the title.
void cardTitle(const char* icon, const std::string& title, float width, std::string_view lang) {
    ui::iconText(icon, title, ui::fonts().heading, ui::theme().text, lang, width);
    ImGui::Dummy(ImVec2(width, 2));
}

// One figure: its label on the left (wrapping), its value in bold on the right; a note under it when given.
void figureLine(const std::string& label, const std::string& value, float width, std::string_view lang,
                const std::string& note = {}) {
    ui::Fonts& f = ui::fonts();
    const ui::Theme& t = ui::theme();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float vw = textWidth(f.bold, f.bold->FontSize, value);
    ImGui::GetWindowDrawList()->AddText(f.bold, f.bold->FontSize, ImVec2(p.x + width - vw, p.y), t.text, value.c_str(),
                                        value.c_str() + value.size());
    wrapped(label, f.body, f.body->FontSize, t.text, width - vw - 16, lang);
    if (!note.empty()) wrapped(note, f.body, f.body->FontSize, t.muted, width, lang);
}

// A small table in a card: a name column and right-aligned number columns with their (wrapping) headers.
void numberTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                 float width, std::string_view lang) {
    ui::Fonts& f = ui::fonts();
    const ui::Theme& t = ui::theme();
    const float headPx = f.bold->FontSize; // the atlas's own sizes only: scaled text blurs
    const size_t cols = headers.size();
    std::vector<float> colW(cols, 0);
    for (size_t c = 1; c < cols; ++c) {
        colW[c] = ui::widestWord({{headers[c], f.bold, headPx}}, lang);
        for (const auto& r : rows) colW[c] = std::max(colW[c], textWidth(f.bold, f.bold->FontSize, r[c]));
        colW[c] = std::max(colW[c] + 18, 76.0f);
    }
    float numbers = 0;
    for (size_t c = 1; c < cols; ++c) numbers += colW[c];
    colW[0] = std::max(60.0f, width - numbers);
    const auto row = [&](const std::vector<std::string>& cells, bool head) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        float x = p.x, tallest = 0;
        for (size_t c = 0; c < cols; ++c) {
            ImGui::SetCursorScreenPos(ImVec2(x, p.y));
            ImGui::BeginGroup();
            if (head) wrapped(cells[c], f.bold, headPx, t.muted, colW[c] - (c ? 0 : 12), lang, c > 0);
            else wrapped(cells[c], c ? f.bold : f.body, f.body->FontSize, t.text, colW[c] - (c ? 0 : 12), lang, c > 0);
            ImGui::EndGroup();
            tallest = std::max(tallest, ImGui::GetItemRectSize().y);
            x += colW[c];
        }
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + tallest));
        ImGui::Dummy(ImVec2(width, head ? 2.0f : 0.0f));
        if (head)
            ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, p.y + tallest + 1), ImVec2(p.x + width, p.y + tallest + 1),
                                                t.border, 1.5f);
    };
    row(headers, true);
    for (const auto& r : rows) row(r, false);
}

struct Card {
    float share;
    std::function<void(float width)> body;
};

// Cards side by side, all as tall as the tallest: the contents are drawn first (channel 1), the cards behind them.
void cardRow(const std::vector<Card>& cards, float width) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    float shares = 0;
    for (const Card& c : cards) shares += c.share;
    const float usable = width - kGap * static_cast<float>(cards.size() - 1);
    std::vector<std::pair<float, float>> spans;
    float x = origin.x, tallest = 0;
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(12, 6));
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    for (const Card& c : cards) {
        const float w = usable * c.share / shares;
        ImGui::SetCursorScreenPos(ImVec2(x + kPad, origin.y + kPad));
        ImGui::BeginGroup();
        c.body(w - 2 * kPad);
        ImGui::EndGroup();
        tallest = std::max(tallest, ImGui::GetItemRectMax().y - origin.y + kPad);
        spans.emplace_back(x, w);
        x += w + kGap;
    }
    dl->ChannelsSetCurrent(0);
    const ui::Theme& t = ui::theme();
    for (const auto& [left, w] : spans) {
        dl->AddRectFilled(ImVec2(left, origin.y), ImVec2(left + w, origin.y + tallest), t.surface, 14);
        dl->AddRect(ImVec2(left, origin.y), ImVec2(left + w, origin.y + tallest), t.border, 14, 0, 1.5f);
    }
    dl->ChannelsMerge();
    ImGui::PopStyleVar();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + tallest));
    ImGui::Dummy(ImVec2(width, kGap - ImGui::GetStyle().ItemSpacing.y));
}

// The codes under "<prefix><code><suffix>" among the figures, in key order.
std::vector<std::string> codesOf(const core::Report& r, const std::string& prefix, const std::string& suffix = {}) {
    std::vector<std::string> out;
    for (auto it = r.figures.lower_bound(prefix);
         it != r.figures.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
        std::string code = it->first.substr(prefix.size());
        if (!suffix.empty()) {
            if (code.size() <= suffix.size() || code.compare(code.size() - suffix.size(), suffix.size(), suffix) != 0)
                continue;
            code.resize(code.size() - suffix.size());
        }
        if (code.find('.') == std::string::npos && (out.empty() || out.back() != code)) out.push_back(code);
    }
    return out;
}

// The figures under a prefix, largest first (ties by code).
std::vector<std::pair<std::string, double>> largestFirst(const core::Report& r, const std::string& prefix) {
    std::vector<std::pair<std::string, double>> out;
    for (const auto& code : codesOf(r, prefix))
        if (r.get(prefix + code) != 0) out.emplace_back(code, r.get(prefix + code)); // every key is there; zeros are not news
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

std::string languageName(const Desk& d, const std::string& code) {
    if (code == core::kLanguageNotAsked) return d.tr("language.not_asked"); // as the contact's details say
    if (code.empty()) return d.tr("reports.language_unknown");
    return core::languageNameIn(code, d.lang());
}

// A file written whole or not at all: a temporary file beside it, synced, then renamed over it; mode 0640.
std::filesystem::path writeExport(const std::filesystem::path& dir, const std::string& name, const std::string& body) {
    if (std::filesystem::create_directories(dir)) std::filesystem::permissions(dir, std::filesystem::perms(0750));
    const std::filesystem::path target = dir / name;
    const std::filesystem::path tmp = dir / ("." + name + ".partial");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), tmp.string());
    bool ok = ::fchmod(fd, 0640) == 0;
    for (size_t done = 0; ok && done < body.size();) {
        const ssize_t n = ::write(fd, body.data() + done, body.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    if (!ok) {
        ::unlink(tmp.c_str());
        throw std::system_error(error, std::generic_category(), target.string());
    }
    std::filesystem::rename(tmp, target);
    return target;
}
} // namespace

std::string ReportsView::serviceName(Desk& d, const std::string& code) const {
    if (d.hasMessage("service." + code)) return d.tr("service." + code);
    auto it = m_serviceNames.find(code);
    return it != m_serviceNames.end() && !it->second.empty() ? it->second : code;
}

std::string ReportsView::itemName(Desk&, const std::string& code) const {
    auto it = m_itemNames.find(code);
    return it != m_itemNames.end() && !it->second.empty() ? it->second : code;
}

core::Period ReportsView::period() const {
    return m_month ? core::Period::month(m_year, m_month) : core::Period::year(m_year);
}

// [SECTION] loading and export
void ReportsView::reload(Desk& d) { load(d, true); }

void ReportsView::load(Desk& d, bool months) {
    if (!m_year) m_year = core::yearOf(core::localDay(core::nowUnix())); // opens on this year, as it stands
    const uint64_t generation = ++m_generation;
    const core::Period p = period();
    const int year = m_year;
    months = months || m_monthlyYear != m_year;
    struct Loaded {
        core::Report report;
        std::array<double, 12> monthly{};
        bool months = false;
        std::map<std::string, std::string> services, items;
    };
    m_loading = true;
    d.read<Loaded>(
        [p, year, months](core::Store& s) {
            Loaded l;
            l.report = core::buildReport(s, p);
            l.months = months;
            if (months)
                for (int m = 1; m <= 12; ++m) {
                    const core::Report month = core::buildReport(s, core::Period::month(year, m));
                    l.monthly[static_cast<size_t>(m - 1)] = month.get("walk_in.visits");
                }
            const std::string today = core::localDay(core::nowUnix());
            for (const auto& sv : core::loadSchedule(s, today).services) l.services[sv.code] = sv.name;
            for (const auto& item : core::loadStock(s)) l.items[item.code] = item.name;
            return l;
        },
        [this, generation, year](Loaded l) {
            if (generation != m_generation) return;
            m_report = std::move(l.report);
            if (l.months) {
                m_monthly = l.monthly;
                m_monthlyYear = year;
            }
            m_serviceNames = std::move(l.services);
            m_itemNames = std::move(l.items);
            m_loaded = true;
            m_loading = false;
        });
    // A failed read arrives as a toast; then the view stops saying it is calculating.
    d.worker().post([this, generation](core::Store&) -> core::Worker::Completion {
        return [this, generation] {
            if (generation == m_generation) m_loading = false;
        };
    });
}

void ReportsView::setPeriod(Desk& d, int year, int month) {
    const int thisYear = core::yearOf(core::localDay(core::nowUnix()));
    m_year = std::clamp(year, 2000, thisYear);
    m_month = std::clamp(month, 0, 12);
    load(d, false); // another month of the same year: the monthly chart stays
}

const std::optional<core::ExportTarget>& ReportsView::exportTarget(Desk& d) {
    const int64_t now = core::nowUnix();
    if (now - m_targetCheckedAt >= 2 || now < m_targetCheckedAt) { // a stick can come and go: look again now and then
        m_target = core::exportTarget(core::SiteSettings::load(core::siteFile(d.options().root)));
        m_targetCheckedAt = now;
    }
    return m_target;
}

void ReportsView::exportAs(Desk& d, Format format) {
    if (m_exporting || !m_year) return;
    m_exporting = true;
    m_exportFormat = format;
    const core::Period p = period();
    const std::string lang = d.lang();
    m_targetCheckedAt = 0; // look for the stick again now
    const std::optional<core::ExportTarget> target = exportTarget(d);
    if (!target) {
        m_exporting = false;
        d.toast(d.tr("reports.export_nowhere"), true);
        return;
    }
    const std::filesystem::path dir = target->dir;
    struct Written {
        std::string path, error;
    };
    d.read<Written>(
        [p, lang, dir, format](core::Store& s) {
            Written w;
            try {
                const core::Report r = core::buildReport(s, p);
                const bool csv = format == Format::Csv;
                w.path = writeExport(dir, core::exportFileName(p, csv ? "csv" : "json"),
                                     csv ? core::reportCsv(r, lang) : core::reportJson(r))
                             .string();
            } catch (const std::exception& e) {
                w.error = e.what();
            }
            return w;
        },
        [this, &d](Written w) {
            m_exporting = false;
            if (!w.error.empty()) {
                d.toast(d.tr("reports.export_failed", {{"reason", w.error}}), true);
                return;
            }
            m_lastExport = w.path;
            d.toast(d.tr("reports.exported", {{"path", w.path}}));
        });
    d.worker().post([this](core::Store&) -> core::Worker::Completion { return [this] { m_exporting = false; }; });
}

void ReportsView::closeDialogs() {
    m_openMonth = false;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    for (int i = 0; i < g.OpenPopupStack.Size; ++i)
        if (g.OpenPopupStack[i].PopupId == m_monthPopupId) {
            ImGui::ClosePopupToLevel(i, false);
            break;
        }
}

// [SECTION] header and pickers
void ReportsView::header(Desk& d) {
    const ui::Theme& t = ui::theme();
    const ImVec2 start = ImGui::GetCursorPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const std::string title = d.tr("nav.reports") + " · " +
                              (m_month ? monthName(d, m_year, m_month, "MMMMy") : std::to_string(m_year));
    ui::textWrapped(title, d.lang(), ui::fonts().title, t.primary);
    const ImVec2 after = ImGui::GetCursorPos();
    // The export buttons, top right; an hourglass on the one at work.
    const std::string csv = d.tr("reports.export_csv"), json = d.tr("reports.export_json");
    const float csvW = std::max(200.0f, buttonWidth(csv, ui::icon::Inventory, 52));
    const float jsonW = std::max(150.0f, buttonWidth(json, ui::icon::Inventory, 52));
    ImGui::SetCursorPos(ImVec2(start.x + width - csvW - jsonW - ImGui::GetStyle().ItemSpacing.x, start.y));
    const bool busy = m_exporting || !m_loaded;
    const auto icon = [&](Format f) {
        return m_exporting && m_exportFormat == f ? ui::icon::Hourglass : ui::icon::Inventory;
    };
    if (ui::button("reports.export.csv", icon(Format::Csv), csv, ImVec2(csvW, 52), ui::Tone::Surface, d.lang()) && !busy)
        exportAs(d, Format::Csv);
    ImGui::SameLine();
    if (ui::button("reports.export.json", icon(Format::Json), json, ImVec2(jsonW, 52), ui::Tone::Surface, d.lang()) &&
        !busy)
        exportAs(d, Format::Json);
    ImGui::SetCursorPos(ImVec2(after.x, std::max(after.y, ImGui::GetCursorPos().y)));
}

void ReportsView::pickers(Desk& d) {
    const ui::Theme& t = ui::theme();
    const int thisYear = core::yearOf(core::localDay(core::nowUnix()));
    if (ui::button("reports.year.prev", ui::icon::Remove, "", ImVec2(60, 52), ui::Tone::Quiet, d.lang()))
        setPeriod(d, m_year - 1, m_month);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.tr("reports.prev_year").c_str());
    ImGui::SameLine();
    if (ui::button("reports.year", ui::icon::Event, std::to_string(m_year), ImVec2(150, 52), ui::Tone::Surface, d.lang()))
        setPeriod(d, thisYear, m_month);
    ImGui::SameLine();
    const bool last = m_year >= thisYear;
    if (ui::button("reports.year.next", ui::icon::Add, "", ImVec2(60, 52), last ? ui::Tone::Surface : ui::Tone::Quiet,
                   d.lang()) &&
        !last)
        setPeriod(d, m_year + 1, m_month);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.tr("reports.next_year").c_str());
    ImGui::SameLine(0, 28);
    const std::string month =
        m_month ? capitalised(monthName(d, m_year, m_month, "MMMM")) : d.tr("reports.whole_year");
    if (ui::button("reports.month", ui::icon::Today, month, ImVec2(240, 52), ui::Tone::Surface, d.lang()))
        m_openMonth = true;
    ImGui::SameLine(0, 28);
    // What is shown: the period's days, or that it is being calculated.
    const float rowH = 52;
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (rowH - ui::fonts().body->FontSize * 1.3f) * 0.5f);
    if (m_loading || !m_loaded) {
        ui::iconText(ui::icon::Hourglass, d.tr("reports.calculating"), ui::fonts().bold, t.text, d.lang());
    } else {
        const core::Period p = m_report.period;
        const std::string from = core::formatDateTime(d.lang(), core::unixFromLocal(p.from, 720), "yMMMMd");
        const std::string to = core::formatDateTime(d.lang(), core::unixFromLocal(p.to, 720), "yMMMMd");
        ui::iconText(ui::icon::Info, d.tr("reports.period", {{"from", from}, {"to", to}}), ui::fonts().body, t.muted,
                     d.lang());
    }
    if (m_exporting) {
        ui::iconText(ui::icon::Hourglass, d.tr("reports.exporting"), ui::fonts().body, t.text, d.lang());
    } else {
        const std::string today = core::localDay(core::nowUnix());
        const auto& target = exportTarget(d);
        const std::string note = !target ? d.tr("reports.export_nowhere")
                                 : target->removable ? d.tr("reports.export_usb", {{"dir", target->dir.string()}})
                                                     : d.tr("reports.export_where", {{"dir", target->dir.string()}});
        // Two things, two lines: what the figures cover, and where an export goes.
        if (m_loaded && m_report.period.to >= today && m_report.period.from <= today)
            ui::iconText(ui::icon::Hourglass, d.tr("reports.partial"), ui::fonts().body, t.muted, d.lang());
        ui::iconText(ui::icon::Backup, note, ui::fonts().body, t.muted, d.lang());
    }
}

void ReportsView::monthPopup(Desk& d) {
    if (m_openMonth) {
        m_monthPopupId = ImGui::GetID("###reports_month");
        ImGui::OpenPopup("###reports_month");
        m_openMonth = false;
    }
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = 3 * 200 + 2 * gap;
    const float padding = ImGui::GetStyle().WindowPadding.x;
    if (!beginDialog(d, d.tr("reports.pick_month") + "###reports_month", w + 2 * padding)) return;
    const auto pick = [&](int month) {
        setPeriod(d, m_year, month);
        ImGui::CloseCurrentPopup();
    };
    if (ui::button("reports.month.0", ui::icon::Event, d.tr("reports.whole_year"), ImVec2(w, 52),
                   m_month == 0 ? ui::Tone::Primary : ui::Tone::Surface, d.lang()))
        pick(0);
    for (int m = 1; m <= 12; ++m) {
        if ((m - 1) % 3) ImGui::SameLine();
        if (ui::button("reports.month." + std::to_string(m), nullptr, capitalised(monthName(d, m_year, m, "MMMM")),
                       ImVec2(200, 52), m_month == m ? ui::Tone::Primary : ui::Tone::Surface, d.lang()))
            pick(m);
    }
    ImGui::Dummy(ImVec2(0, 4));
    if (ui::button("reports.month.cancel", ui::icon::Close, d.tr("common.cancel") + "  (Esc)", ImVec2(260, 52),
                   ui::Tone::Quiet, d.lang()) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
        ImGui::CloseCurrentPopup();
    endDialog();
}

// [SECTION] figures
void ReportsView::figures(Desk& d, float width) {
    const core::Report& r = m_report;
    const std::string lang = d.lang();
    const ui::Theme& t = ui::theme();
    const auto noData = [&](float w) {
        wrapped(d.tr("reports.no_data"), ui::fonts().body, ui::fonts().body->FontSize, t.muted, w, lang);
    };
    const auto percent = [&](double v) { return d.tr("reports.percent", {{"rate", v}}); };

    // The year in sentences, as the summary and the magazine write it (core::reportSentences), walk-ins first.
    cardRow({{1,
              [&](float w) {
                  cardTitle(ui::icon::Book, d.tr("summary.title", {{"period", r.period.label}}), w, lang);
                  const core::Wording words = wordingOf(d);
                  for (const std::string& line : core::reportSentences(r, words))
                      wrapped(line, ui::fonts().body, ui::fonts().body->FontSize, t.text, w, lang);
              }}},
            width);

    cardRow({{0.95f,
              [&](float w) {
                  cardTitle(ui::icon::Person, d.tr("reports.walk_in.title"), w, lang);
                  figureLine(d.tr("reports.walk_in.visits"), count(d, r.get("walk_in.visits")), w, lang);
                  figureLine(d.tr("reports.walk_in.unique"), count(d, r.get("walk_in.unique_visitors")), w, lang);
                  figureLine(d.tr("reports.walk_in.without_code"), count(d, r.get("walk_in.visits_without_code")), w,
                             lang);
              }},
             {1.05f,
              [&](float w) {
                  cardTitle(ui::icon::Chat, d.tr("reports.contacts.title"), w, lang);
                  double total = 0;
                  for (const char* ch : {"walk_in", "phone", "email", "outreach_street", "outreach_online"}) {
                      const double n = r.get(std::string("contacts.") + ch);
                      total += n;
                      figureLine(d.tr(std::string("channel.") + ch), count(d, n), w, lang);
                  }
                  const ImVec2 p = ImGui::GetCursorScreenPos();
                  ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, p.y + 2), ImVec2(p.x + w, p.y + 2), t.border, 1.5f);
                  ImGui::Dummy(ImVec2(w, 4));
                  figureLine(d.tr("reports.total"), count(d, total), w, lang);
              }},
             {1.2f,
              [&](float w) {
                  cardTitle(ui::icon::NightShelter, d.tr("reports.shelter.title"), w, lang);
                  figureLine(d.tr("reports.shelter.clients"), count(d, r.get("shelter.unique_clients")), w, lang);
                  figureLine(d.tr("reports.shelter.bed_nights"), count(d, r.get("shelter.bed_nights")), w, lang);
                  const auto whole = [&](const char* key) { return static_cast<int64_t>(std::llround(r.get(key))); };
                  figureLine(d.tr("reports.shelter.occupancy"), percent(r.get("shelter.occupancy_rate")), w, lang,
                             d.tr("reports.shelter.occupancy_how",
                                  {{"nights", whole("shelter.bed_nights")},
                                   {"available", whole("shelter.available_bed_nights")}}));
                  const double stay = std::round(r.get("shelter.average_stay_nights") * 10) / 10; // one decimal
                  figureLine(d.tr("reports.shelter.average_stay"), d.tr("reports.nights", {{"count", stay}}), w, lang);
                  figureLine(d.tr("reports.shelter.exit_clients"),
                             percent(r.get("shelter.exit_programme_share_of_clients")), w, lang);
                  figureLine(d.tr("reports.shelter.exit_stays"), percent(r.get("shelter.exit_programme_share_of_stays")),
                             w, lang);
              }}},
            width);

    cardRow({{3,
              [&](float w) {
                  cardTitle(ui::icon::Event, d.tr("reports.spreekuren.title"), w, lang);
                  std::vector<std::vector<std::string>> rows;
                  for (const auto& code : codesOf(r, "spreekuren.", ".registered")) {
                      const std::string base = "spreekuren." + code;
                      rows.push_back({serviceName(d, code), count(d, r.get(base + ".registered")),
                                      count(d, r.get(base + ".attended")), count(d, r.get(base + ".no_show"))});
                  }
                  if (rows.empty()) return noData(w);
                  numberTable({d.tr("reports.col.service"), d.tr("reports.col.registered"), d.tr("reports.col.attended"),
                               d.tr("reports.col.no_show")},
                              rows, w, lang);
              }},
             {2,
              [&](float w) {
                  cardTitle(ui::icon::Book, d.tr("reports.topics.title"), w, lang);
                  const auto topics = largestFirst(r, "topics.");
                  if (topics.empty()) return noData(w);
                  for (const auto& [code, n] : topics)
                      figureLine(d.hasMessage("topic." + code) ? d.tr("topic." + code) : code, count(d, n), w, lang);
              }}},
            width);

    cardRow({{3,
              [&](float w) {
                  cardTitle(ui::icon::Inventory, d.tr("reports.supplies.title"), w, lang);
                  std::vector<std::vector<std::string>> rows;
                  for (const auto& code : codesOf(r, "supplies.", ".handed_out")) {
                      const std::string base = "supplies." + code;
                      rows.push_back({itemName(d, code), count(d, r.get(base + ".handed_out")),
                                      count(d, r.get(base + ".sold")),
                                      d.tr("supplies.price", {{"amount", r.get(base + ".revenue_eur")}})});
                  }
                  if (rows.empty()) return noData(w);
                  numberTable({d.tr("supplies.col.item"), d.tr("reports.col.handed_out"), d.tr("reports.col.sold"),
                               d.tr("reports.col.revenue")},
                              rows, w, lang);
              }},
             {2,
              [&](float w) {
                  cardTitle(ui::icon::TouchApp, d.tr("reports.kiosk.title"), w, lang);
                  const auto sessions = largestFirst(r, "kiosk.sessions.");
                  if (sessions.empty()) noData(w);
                  for (const auto& [code, n] : sessions) figureLine(languageName(d, code), count(d, n), w, lang);
                  const ImVec2 p = ImGui::GetCursorScreenPos(); // a line between the languages and the total
                  ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, p.y + 2), ImVec2(p.x + w, p.y + 2), t.border, 1.5f);
                  ImGui::Dummy(ImVec2(w, 4));
                  figureLine(d.tr("reports.kiosk.registrations"), count(d, r.get("kiosk.registrations")), w, lang);
              }}},
            width);
}

// [SECTION] charts
void ReportsView::charts(Desk& d, float width) {
    const core::Report& r = m_report;
    const std::string lang = d.lang();
    const std::string empty = d.tr("reports.no_data");
    const auto chartTitle = [&](const std::string& text, float w) {
        wrapped(text, ui::fonts().heading, ui::fonts().heading->FontSize, ui::theme().text, w, lang);
        ImGui::Dummy(ImVec2(w, 4));
    };

    m_sectionY[static_cast<size_t>(Section::Months)] = ImGui::GetCursorPosY();
    cardRow({{1,
              [&](float w) {
                  chartTitle(d.tr("reports.chart.months", {{"year", std::to_string(m_monthlyYear)}}), w);
                  std::vector<ui::Bar> bars;
                  for (int m = 1; m <= 12; ++m)
                      bars.push_back({monthName(d, m_monthlyYear, m, "MMM"), m_monthly[static_cast<size_t>(m - 1)], "",
                                      m == m_month && m_monthlyYear == m_year});
                  ui::barChart("reports.chart.months", bars, ImVec2(w, kChartH), lang, empty);
              }}},
            width);

    m_sectionY[static_cast<size_t>(Section::Languages)] = ImGui::GetCursorPosY();
    cardRow({{1,
              [&](float w) {
                  chartTitle(d.tr("reports.chart.languages"), w);
                  const auto langs = largestFirst(r, "languages.");
                  std::vector<ui::Bar> bars;
                  double rest = 0;
                  for (size_t i = 0; i < langs.size(); ++i) {
                      if (langs.size() > 10 && i >= 9) rest += langs[i].second;
                      else bars.push_back({languageName(d, langs[i].first), langs[i].second, "", false});
                  }
                  if (rest > 0) bars.push_back({d.tr("reports.other_languages"), rest, "", false});
                  ui::barChart("reports.chart.languages", bars, ImVec2(w, kChartH), lang, empty);
              }}},
            width);

    cardRow({{1,
              [&](float w) {
                  chartTitle(d.tr("reports.chart.genders"), w);
                  std::vector<ui::Bar> bars;
                  std::vector<std::string> genders = {"woman", "man", "trans", "non_binary", "not_said", "unknown"};
                  for (const auto& g : codesOf(r, "contacts_by_gender."))
                      if (std::find(genders.begin(), genders.end(), g) == genders.end()) genders.push_back(g);
                  for (const auto& g : genders)
                      bars.push_back({d.hasMessage("gender." + g) ? d.tr("gender." + g) : g,
                                      r.get("contacts_by_gender." + g), "", false});
                  ui::barChart("reports.chart.genders", bars, ImVec2(w, kChartH), lang, empty);
              }}},
            width);
}

// [SECTION] glossary and draw
void ReportsView::glossary(Desk& d, float width) {
    const std::string lang = d.lang();
    cardRow({{1,
              [&](float w) {
                  ui::Fonts& f = ui::fonts();
                  const ui::Theme& t = ui::theme();
                  cardTitle(ui::icon::Help, d.tr("reports.glossary.title"), w, lang);
                  wrapped(d.tr("reports.glossary.hint"), f.body, f.body->FontSize, t.muted, w, lang);
                  ImGui::Dummy(ImVec2(w, 4));
                  // The lines in the desk's language, from its catalogue (glossary.*), as the text report has them.
                  const core::Wording words = wordingOf(d);
                  const auto lines = core::glossary(words);
                  float keyW = 0; // as wide as the longest key, at most 40 % of the card
                  for (const auto& entry : lines)
                      keyW = std::max(keyW, textWidth(f.bold, f.bold->FontSize, entry.first) + 24);
                  keyW = std::min(keyW, w * 0.4f);
                  for (const auto& [key, text] : lines) {
                      const ImVec2 p = ImGui::GetCursorScreenPos();
                      ImGui::BeginGroup();
                      wrapped(key, f.bold, f.bold->FontSize, t.text, keyW - 16, "en");
                      ImGui::EndGroup();
                      const float keyH = ImGui::GetItemRectSize().y;
                      ImGui::SetCursorScreenPos(ImVec2(p.x + keyW, p.y));
                      ImGui::BeginGroup();
                      wrapped(text, f.body, f.body->FontSize, t.text, w - keyW, lang);
                      ImGui::EndGroup();
                      const float textH = ImGui::GetItemRectSize().y;
                      ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + std::max(keyH, textH) + 6));
                  }
                  ImGui::Dummy(ImVec2(w, 0));
              }}},
            width);
}

void ReportsView::draw(Desk& d) {
    const ui::Theme& t = ui::theme();
    if (!d.isCoordinator()) { // the shell hides this view from others
        ui::iconText(ui::icon::Lock, d.tr("error.role"), ui::fonts().body, t.muted, d.lang());
        return;
    }
    if (!m_year) reload(d);
    header(d);
    pickers(d);
    ImGui::Dummy(ImVec2(0, 2));
    ImGui::BeginChild("###reports_body", ImVec2(0, 0), false);
    const float width = ImGui::GetContentRegionAvail().x - 4;
    if (!m_loaded) {
        ui::iconText(ui::icon::Hourglass, d.tr("reports.calculating"), ui::fonts().body, t.muted, d.lang());
    } else {
        figures(d, width);
        charts(d, width);
        m_sectionY[static_cast<size_t>(Section::Glossary)] = ImGui::GetCursorPosY();
        glossary(d, width);
        if (m_scrollPending) {
            ImGui::SetScrollY(m_sectionY[static_cast<size_t>(m_scrollTo)]);
            m_scrollPending = false;
        }
    }
    ImGui::EndChild();
    monthPopup(d);
}

} // namespace inloop::desk
