// The figures, their definitions, and the text/JSON/CSV output (see report.hpp).
//
// [SECTION] periods
// [SECTION] figures
// [SECTION] glossary
// [SECTION] summary
// [SECTION] output
// [SECTION] export
#include "core/domain/report.hpp"

#include "core/views/board_view.hpp"
#include "core/base/clock.hpp"
#include "core/i18n/content.hpp"
#include "core/domain/domain.hpp"
#include "core/i18n/i18n.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace inloop::core {

// [SECTION] periods
Period Period::year(int y) { return {makeDay(y, 1, 1), makeDay(y, 12, 31), std::to_string(y)}; }

Period Period::month(int y, int m) {
    const std::string first = makeDay(y, m, 1);
    const std::string next = m == 12 ? makeDay(y + 1, 1, 1) : makeDay(y, m + 1, 1);
    char label[16];
    std::snprintf(label, sizeof label, "%04d-%02d", y, m);
    return {first, addDays(next, -1), label};
}

// [SECTION] figures
namespace {
// Contacts that count: not an undo row, and not undone by one.
constexpr const char* kCountedContact =
    "c.day BETWEEN ?1 AND ?2 AND +c.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM contact r WHERE r.reverses = c.id)";

void grouped(Store& store, Report& r, const std::string& prefix, const std::string& sql, const Period& p) {
    Statement& st = store.db().prepare(sql);
    st.bindAll(p.from, p.to);
    while (st.step()) r.figures[prefix + st.getText(0)] += st.getDouble(1);
}

// Every key of a family, 0 until counted: a quiet period has the same keys as a busy one.
template <typename Words> void zeros(Report& r, const std::string& prefix, const Words& words,
                                     const std::string& suffix = {}) {
    for (const auto& w : words) r.figures[prefix + std::string(w) + suffix] = 0;
}

// Contacts: one pass over the period's counted contacts feeds every contact figure, counted into arrays by the
// domain's word lists and written as keys at the end (the report's costliest part; see inloop-bench).
void contactFigures(Store& store, Report& r, const Period& p) {
    constexpr size_t kChannels = EnumWords<Channel>::words.size(), kGenders = EnumWords<Gender>::words.size();
    const auto isPeopleChannel = [](size_t ch) {
        return ch == static_cast<size_t>(Channel::WalkIn) || ch == static_cast<size_t>(Channel::OutreachStreet) ||
               ch == static_cast<size_t>(Channel::OutreachOnline);
    };
    const auto isOutreach = [](size_t ch) {
        return ch == static_cast<size_t>(Channel::OutreachStreet) || ch == static_cast<size_t>(Channel::OutreachOnline);
    };
    std::array<double, kChannels> contacts{}, withoutCode{};
    std::array<double, kGenders> byGender{}, outreachByGender{};
    std::array<std::array<double, kGenders>, kChannels> channelByGender{};
    std::map<std::string, double, std::less<>> languages;
    std::array<std::unordered_map<int64_t, size_t>, kChannels> people; // client → gender of their last contact
    std::vector<int64_t> ids;

    Statement& st = store.db().prepare(std::string("SELECT c.channel, c.gender, c.language, c.client_id, c.id FROM contact c "
                                                   "WHERE ") + kCountedContact + " ORDER BY c.at, c.id");
    st.bindAll(p.from, p.to);
    while (st.step()) {
        const auto channel = parseWord<Channel>(st.getText(0));
        const auto gender = parseWord<Gender>(st.getText(1));
        if (!channel || !gender) continue; // the schema allows no others
        const size_t ch = static_cast<size_t>(*channel), g = static_cast<size_t>(*gender);
        contacts[ch] += 1;
        byGender[g] += 1;
        languages[st.getText(2)] += 1;
        ids.push_back(st.getInt(4));
        if (isOutreach(ch)) {
            outreachByGender[g] += 1;
            channelByGender[ch][g] += 1;
        }
        if (!isPeopleChannel(ch)) continue; // phone and email: no people counted
        if (st.isNull(3)) withoutCode[ch] += 1;
        else people[ch][st.getInt(3)] = g;
    }
    st.reset(); // cached per connection (one PREPARE per connection, not per report): let go of the rows

    const auto& channels = EnumWords<Channel>::words;
    const auto& genders = EnumWords<Gender>::words;
    for (const auto& code : kContactLanguages) r.figures["languages." + std::string(code)] = 0;
    for (const auto& [code, n] : languages) r.figures["languages." + code] = n;
    for (size_t g = 0; g < kGenders; ++g) {
        r.figures["contacts_by_gender." + std::string(genders[g])] = byGender[g];
        r.figures["outreach_by_gender." + std::string(genders[g])] = outreachByGender[g];
    }
    for (size_t ch = 0; ch < kChannels; ++ch) {
        const std::string name(channels[ch]);
        r.figures["contacts." + name] = contacts[ch];
        if (!isOutreach(ch)) continue;
        r.figures[name + ".contacts"] = contacts[ch];
        r.figures[name + ".unique_people"] = static_cast<double>(people[ch].size());
        r.figures[name + ".contacts_without_code"] = withoutCode[ch];
        std::array<double, kGenders> peopleByGender{};
        for (const auto& [client, g] : people[ch]) peopleByGender[g] += 1;
        for (size_t g = 0; g < kGenders; ++g) {
            r.figures[name + ".contacts_by_gender." + std::string(genders[g])] = channelByGender[ch][g];
            r.figures[name + ".people_by_gender." + std::string(genders[g])] = peopleByGender[g];
        }
    }
    // The walk-in family keeps its own names (the magazine's "used the walk-in hour 1,017 times").
    const size_t walkIn = static_cast<size_t>(Channel::WalkIn);
    r.figures["walk_in.visits"] = contacts[walkIn];
    r.figures["walk_in.unique_visitors"] = static_cast<double>(people[walkIn].size());
    r.figures["walk_in.visits_without_code"] = withoutCode[walkIn];

    // Topics of those contacts: one range read of contact_topic (its key starts with the contact), kept to the
    // counted ones, instead of joining and filtering the contacts a second time.
    std::array<double, EnumWords<Topic>::words.size()> topics{};
    if (!ids.empty()) {
        std::sort(ids.begin(), ids.end());
        std::map<int64_t, size_t> topicIndex; // topic.id → Topic
        Statement& names = store.db().prepare("SELECT id, code FROM topic");
        while (names.step())
            if (const auto t = parseWord<Topic>(names.getText(1))) topicIndex[names.getInt(0)] = static_cast<size_t>(*t);
        Statement& ct = store.db().prepare("SELECT contact_id, topic_id FROM contact_topic WHERE contact_id BETWEEN ?1 AND ?2");
        ct.bindAll(ids.front(), ids.back());
        while (ct.step()) {
            const auto t = topicIndex.find(ct.getInt(1));
            if (t != topicIndex.end() && std::binary_search(ids.begin(), ids.end(), ct.getInt(0))) topics[t->second] += 1;
        }
        ct.reset();
    }
    for (size_t t = 0; t < topics.size(); ++t) r.figures["topics." + std::string(EnumWords<Topic>::words[t])] = topics[t];
}

// Consultation hours per service, by the session's day. A moved registration counts once, where it went.
void spreekuurFigures(Store& store, Report& r, const Period& p) {
    Statement& services = store.db().prepare("SELECT code, name FROM service ORDER BY id");
    while (services.step()) {
        r.names["service." + services.getText(0)] = services.getText(1);
        for (const char* f : {".registered", ".attended", ".no_show", ".cancelled"})
            r.figures["spreekuren." + services.getText(0) + f] = 0;
    }
    Statement& st = store.db().prepare(
                 "SELECT v.code, r.status, count(*) FROM registration r JOIN session s ON s.id = r.session_id "
                 "JOIN service v ON v.id = s.service_id WHERE s.day BETWEEN ?1 AND ?2 AND r.status <> 'moved' "
                 "GROUP BY 1, 2");
    st.bindAll(p.from, p.to);
    while (st.step()) {
        const std::string base = "spreekuren." + st.getText(0);
        const std::string status = st.getText(1);
        const double n = st.getDouble(2);
        r.figures[base + ".registered"] += n;
        if (status == "seen") r.figures[base + ".attended"] += n;
        if (status == "no_show") r.figures[base + ".no_show"] += n;
        if (status == "cancelled") r.figures[base + ".cancelled"] += n;
    }
}

// Supplies: units handed out and sold (net of undos), revenue, and how often stock fell below the minimum — one
// ordered pass over the period's moves, from each item's stock at the start (its kept stock less what came since).
void supplyFigures(Store& store, Report& r, const Period& p) {
    struct Item {
        std::string code;
        int64_t minStock = 0, stock = 0;
        double handedOut = 0, sold = 0, revenueCents = 0, lowStockEvents = 0;
    };
    std::map<int64_t, Item> items;
    Statement& st = store.db().prepare(
                 "SELECT i.id, i.code, i.name, i.min_stock, i.stock - COALESCE(s.qty, 0) FROM supply_item i "
                 "LEFT JOIN (SELECT item_id, SUM(qty) AS qty FROM stock_move WHERE day >= ?1 GROUP BY item_id) s "
                 "ON s.item_id = i.id"); // one pass over the moves since, not one per item
    st.bind(1, p.from);
    while (st.step()) {
        r.names["supply." + st.getText(1)] = st.getText(2);
        items[st.getInt(0)] = Item{st.getText(1), st.getInt(3), st.getInt(4)};
    }
    Statement& moves = store.db().prepare("SELECT m.item_id, COALESCE(o.kind, m.kind), m.kind = 'reversal', m.qty, m.price_cents "
                                "FROM stock_move m LEFT JOIN stock_move o ON o.id = m.reverses "
                                "WHERE m.day BETWEEN ?1 AND ?2 ORDER BY m.item_id, m.at, m.id");
    moves.bindAll(p.from, p.to);
    while (moves.step()) {
        auto it = items.find(moves.getInt(0));
        if (it == items.end()) continue;
        Item& item = it->second;
        const std::string kind = moves.getText(1);
        const int64_t qty = moves.getInt(3);
        const bool before = item.stock >= item.minStock;
        item.stock += qty;
        if (before && item.stock < item.minStock) item.lowStockEvents += 1;
        if (kind == "handout") item.handedOut -= static_cast<double>(qty);
        if (kind == "sale") {
            item.sold -= static_cast<double>(qty);
            item.revenueCents += static_cast<double>(moves.getInt(2) ? -moves.getInt(4) : moves.getInt(4));
        }
    }
    for (const auto& [id, item] : items) {
        const std::string base = "supplies." + item.code;
        r.figures[base + ".handed_out"] = item.handedOut;
        r.figures[base + ".sold"] = item.sold;
        r.figures[base + ".revenue_eur"] = item.revenueCents / 100.0;
        r.figures[base + ".low_stock_events"] = item.lowStockEvents;
    }
}

// Shelter: stays with at least one night (shelterFigures), capacity as it was then (bed_service).
void shelterFiguresInto(Store& store, Report& r, const Period& p) {
    const ShelterFigures sf = shelterFigures(store, p.from, p.to);
    const auto share = [](int part, int whole) { return whole ? static_cast<double>(part) / whole : 0.0; };
    r.figures["shelter.unique_clients"] = sf.distinctClients;
    r.figures["shelter.stays"] = sf.stays;
    r.figures["shelter.bed_nights"] = static_cast<double>(sf.bedNights);
    r.figures["shelter.available_bed_nights"] = static_cast<double>(sf.availableBedNights);
    r.figures["shelter.occupancy_rate"] = sf.occupancy();
    r.figures["shelter.average_stay_nights"] = sf.averageStayNights;
    r.figures["shelter.exit_programme_stays"] = sf.exitProgrammeYes;
    r.figures["shelter.exit_programme_share_of_stays"] = share(sf.exitProgrammeYes, sf.stays);
    r.figures["shelter.exit_programme_clients"] = sf.exitProgrammeClients;
    r.figures["shelter.exit_programme_share_of_clients"] = share(sf.exitProgrammeClients, sf.distinctClients);
    zeros(r, "shelter.referral.", EnumWords<StayReferral>::words);
    zeros(r, "shelter.destination.", EnumWords<Destination>::words);
    const std::string night = std::string(" AND ") + kStayWithANight;
    grouped(store, r, "shelter.referral.",
            "SELECT referral, count(*) FROM stay WHERE in_day BETWEEN ?1 AND ?2" + night + " GROUP BY 1", p);
    grouped(store, r, "shelter.destination.",
            "SELECT destination, count(*) FROM stay WHERE out_day BETWEEN ?1 AND ?2" + night + " GROUP BY 1", p);
}

// Kiosk: anonymous daily counters, summed per kind and key by the database (a year is thousands of day rows).
void kioskFigures(Store& store, Report& r, const Period& p) {
    std::map<std::string, double, std::less<>> sessions, pages;
    for (const auto& lang : kLanguages) sessions[std::string(lang)] = 0;
    double registrations = 0;
    Statement& st = store.db().prepare("SELECT kind, key, sum(count) FROM kiosk_usage WHERE day BETWEEN ?1 AND ?2 "
                                       "GROUP BY kind, key");
    st.bindAll(p.from, p.to);
    while (st.step()) {
        const std::string kind = st.getText(0);
        if (kind == "registration") registrations += st.getDouble(2);
        else if (kind == "language") sessions[st.getText(1)] += st.getDouble(2);
        else if (kind == "page") pages[st.getText(1)] += st.getDouble(2);
    }
    for (const auto& [key, n] : sessions) r.figures["kiosk.sessions." + key] = n;
    for (const auto& [key, n] : pages) r.figures["kiosk.pages." + key] = n;
    r.figures["kiosk.registrations"] = registrations;
}
} // namespace

Report buildReport(Store& store, const Period& p) {
    Report r;
    r.period = p;
    ReadTransaction snapshot(store.db());
    contactFigures(store, r, p);
    spreekuurFigures(store, r, p);
    supplyFigures(store, r, p);
    shelterFiguresInto(store, r, p);
    kioskFigures(store, r, p);
    return r;
}

// [SECTION] glossary
namespace {
// The figure families, in the order the glossary explains them. Each one's line is a desk message,
// "glossary.<family>" (the key up to its first placeholder), in locales/desk/{nl,en}.po.
// clang-format off
constexpr std::string_view kGlossaryKeys[] = {
    "walk_in.visits", "walk_in.unique_visitors", "walk_in.visits_without_code", "outreach_street.*",
    "outreach_online.*", "contacts.<channel>", "contacts_by_gender.<g>", "outreach_by_gender.<g>", "topics.<topic>",
    "languages.<code>", "spreekuren.<service>.*", "supplies.<item>.*", "shelter.unique_clients", "shelter.stays",
    "shelter.available_bed_nights", "shelter.bed_nights", "shelter.occupancy_rate", "shelter.average_stay_nights",
    "shelter.exit_programme_stays", "shelter.exit_programme_clients", "shelter.exit_programme_share_of_stays",
    "shelter.exit_programme_share_of_clients", "shelter.referral.<source>", "shelter.destination.<d>",
    "kiosk.sessions.<lang>", "kiosk.pages.<topic>", "kiosk.registrations",
};
// clang-format on
} // namespace

std::string glossaryMessage(std::string_view key) {
    const size_t cut = key.find_first_of("<*");
    std::string_view family = key.substr(0, cut);
    while (!family.empty() && family.back() == '.') family.remove_suffix(1);
    return "glossary." + std::string(family);
}

const std::vector<std::string>& glossaryKeys() {
    static const std::vector<std::string> keys(std::begin(kGlossaryKeys), std::end(kGlossaryKeys));
    return keys;
}

std::vector<std::pair<std::string, std::string>> glossary(const Wording& w) {
    std::vector<std::pair<std::string, std::string>> lines;
    for (const std::string& key : glossaryKeys()) lines.emplace_back(key, w.tr(glossaryMessage(key), {}));
    return lines;
}

// [SECTION] summary
Wording Wording::of(const Messages& messages, const std::string& lang) {
    return {lang, [&messages, lang](std::string_view key, std::initializer_list<NamedArg> args) {
                return messages.tr(lang, key, args);
            },
            [&messages, lang](std::string_view key) { return messages.has(lang, key); }};
}

namespace {
// Display width of UTF-8 text: code points (the summary's words are Latin script).
size_t widthOf(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// A plain-text table: the first column left, the others right-aligned under their headings.
void table(std::ostringstream& out, const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
    if (rows.empty()) return;
    std::vector<size_t> widths(head.size(), 0);
    for (size_t c = 0; c < head.size(); ++c) widths[c] = widthOf(head[c]);
    for (const auto& row : rows)
        for (size_t c = 0; c < row.size() && c < widths.size(); ++c) widths[c] = std::max(widths[c], widthOf(row[c]));
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string text = "  ";
        for (size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(widths[c] - widthOf(cells[c]), ' ');
            text += c == 0 ? cells[c] + pad : "   " + pad + cells[c];
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << "\n";
    };
    line(head);
    for (const auto& row : rows) line(row);
}

class Summary {
public:
    Summary(const Report& r, const Wording& w) : m_r(r), m_w(w) {}

    std::string write() {
        heading();
        walkIns();
        outreach();
        contacts();
        shelter();
        spreekuren();
        topicsAndLanguages();
        supplies();
        kiosk();
        glossaryLines();
        return m_out.str();
    }

private:
    double get(const std::string& key) const { return m_r.get(key); }
    std::string n(double v, int digits = 0) const { return formatNumber(m_w.lang, v, digits); }
    std::string percent(double v) const { return m_w.tr("reports.percent", {{"rate", v}}); }
    // A category's name: the catalogue's, else the one the site gave it, else its code.
    std::string name(const std::string& key, const std::string& code) const {
        if (m_w.has(key)) return m_w.tr(key, {});
        const auto it = m_r.names.find(key);
        return it != m_r.names.end() && !it->second.empty() ? it->second : code;
    }
    void section(const char* key) { m_out << "\n" << m_w.tr(key, {}) << "\n"; }
    void sentence(const std::string& text) {
        m_out << text << "\n";
        m_sentences.push_back(text);
    }
    // The non-zero figures of a family, largest first, with their names.
    std::vector<std::vector<std::string>> ranked(const std::string& prefix, const std::string& names) const {
        std::vector<std::pair<std::string, double>> items;
        for (auto it = m_r.figures.lower_bound(prefix);
             it != m_r.figures.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
            if (it->second != 0 && it->first.find('.', prefix.size()) == std::string::npos)
                items.emplace_back(it->first.substr(prefix.size()), it->second);
        std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        std::vector<std::vector<std::string>> rows;
        for (const auto& [code, v] : items)
            rows.push_back({names == "language." ? languageName(code) : name(names + code, code), n(v)});
        return rows;
    }

    // A language in words: "not asked" for a contact nobody asked (ICU would call "und" "Root").
    std::string languageName(const std::string& code) const {
        return code == kLanguageNotAsked ? m_w.tr("language.not_asked", {}) : languageNameIn(code, m_w.lang);
    }
    void heading() {
        const auto date = [&](const std::string& day) { return formatDateTime(m_w.lang, unixFromLocal(day, 12 * 60), "yMMMMd"); };
        m_out << m_w.tr("summary.title", {{"period", m_r.period.label}}) << "\n"
              << m_w.tr("summary.period", {{"from", date(m_r.period.from)}, {"to", date(m_r.period.to)}}) << "\n";
    }
    void walkIns() {
        section("channel.walk_in");
        sentence(m_w.tr("summary.walk_in", {{"people", get("walk_in.unique_visitors")}, {"visits", get("walk_in.visits")}}));
        if (get("walk_in.visits_without_code") > 0)
            sentence(m_w.tr("summary.without_code", {{"count", get("walk_in.visits_without_code")}}));
    }
    void outreach() {
        section("summary.outreach");
        for (const char* ch : kOutreachChannels) {
            const std::string base = ch;
            std::string genders;
            for (const auto& g : EnumWords<Gender>::words) {
                const double people = get(base + ".people_by_gender." + std::string(g));
                if (people == 0) continue;
                const std::string key = "summary.gender." + std::string(g);
                genders += (genders.empty() ? "" : ", ") +
                           (m_w.has(key) ? m_w.tr(key, {{"count", people}})
                                         : n(people) + " " + name("gender." + std::string(g), std::string(g)));
            }
            sentence(m_w.tr("summary." + base, {{"people", get(base + ".unique_people")},
                                                {"contacts", get(base + ".contacts")},
                                                {"genders", genders.empty() ? "" : " (" + genders + ")"}}));
            if (get(base + ".contacts_without_code") > 0)
                sentence(m_w.tr("summary.without_code", {{"count", get(base + ".contacts_without_code")}}));
        }
    }
    void contacts() {
        section("summary.contacts");
        std::vector<std::vector<std::string>> rows;
        double total = 0;
        for (const auto& ch : EnumWords<Channel>::words) {
            const double v = get("contacts." + std::string(ch));
            total += v;
            rows.push_back({name("channel." + std::string(ch), std::string(ch)), n(v)});
        }
        rows.push_back({m_w.tr("reports.total", {}), n(total)});
        table(m_out, {m_w.tr("summary.col.channel", {}), m_w.tr("summary.col.contacts", {})}, rows);
    }
    void shelter() {
        section("reports.shelter.title");
        sentence(m_w.tr("summary.shelter", {{"clients", get("shelter.unique_clients")}, {"stays", get("shelter.stays")},
                                            {"nights", get("shelter.bed_nights")}}));
        sentence(m_w.tr("summary.occupancy", {{"rate", percent(get("shelter.occupancy_rate"))},
                                              {"available", get("shelter.available_bed_nights")}}));
        if (get("shelter.average_stay_nights") > 0)
            sentence(m_w.tr("summary.average_stay", {{"nights", n(get("shelter.average_stay_nights"), 1)}}));
        sentence(m_w.tr("summary.exit_programme",
                        {{"clients", get("shelter.exit_programme_clients")}, {"of_clients", get("shelter.unique_clients")},
                         {"client_share", percent(get("shelter.exit_programme_share_of_clients"))},
                         {"stays", get("shelter.exit_programme_stays")}, {"of_stays", get("shelter.stays")},
                         {"stay_share", percent(get("shelter.exit_programme_share_of_stays"))}}));
        // Referral counts the stays that began in the period, destination those that ended: neither is the
        // stays above (which had a night in it), so each table says what it counts and adds up to its total.
        rankedTable("shelter.referral.", "beds.referral.", "summary.col.referral", "summary.col.stays_begun");
        rankedTable("shelter.destination.", "beds.destination.", "summary.col.destination", "summary.col.stays_ended");
    }
    // A ranked family as a table under a blank line, with its total; nothing when it is all zero.
    void rankedTable(const std::string& prefix, const std::string& names, const char* nameColumn,
                     const char* countColumn) {
        auto rows = ranked(prefix, names);
        if (rows.empty()) return;
        double total = 0;
        for (auto it = m_r.figures.lower_bound(prefix);
             it != m_r.figures.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
            if (it->first.find('.', prefix.size()) == std::string::npos) total += it->second;
        rows.push_back({m_w.tr("reports.total", {}), n(total)});
        m_out << "\n";
        table(m_out, {m_w.tr(nameColumn, {}), m_w.tr(countColumn, {})}, rows);
    }
    void spreekuren() {
        std::vector<std::vector<std::string>> rows;
        for (auto it = m_r.figures.lower_bound("spreekuren."); it != m_r.figures.end() && it->first.rfind("spreekuren.", 0) == 0; ++it) {
            const std::string& key = it->first;
            if (key.size() < 11 + 11 || key.compare(key.size() - 11, 11, ".registered") != 0 || it->second == 0) continue;
            const std::string code = key.substr(11, key.size() - 22), base = "spreekuren." + code;
            rows.push_back({name("service." + code, code), n(get(base + ".registered")), n(get(base + ".attended")),
                            n(get(base + ".no_show")), n(get(base + ".cancelled"))});
        }
        if (rows.empty()) return;
        section("reports.spreekuren.title");
        table(m_out, {m_w.tr("reports.col.service", {}), m_w.tr("reports.col.registered", {}),
                      m_w.tr("reports.col.attended", {}), m_w.tr("reports.col.no_show", {}),
                      m_w.tr("summary.col.cancelled", {})},
              rows);
    }
    void topicsAndLanguages() {
        const auto topics = ranked("topics.", "topic.");
        if (!topics.empty()) {
            section("reports.topics.title");
            table(m_out, {m_w.tr("summary.col.topic", {}), m_w.tr("summary.col.contacts", {})}, topics);
        }
        const auto languages = ranked("languages.", "language.");
        if (!languages.empty()) {
            section("reports.chart.languages");
            table(m_out, {m_w.tr("summary.col.language", {}), m_w.tr("summary.col.contacts", {})}, languages);
        }
    }
    void supplies() {
        std::vector<std::vector<std::string>> rows;
        for (auto it = m_r.figures.lower_bound("supplies."); it != m_r.figures.end() && it->first.rfind("supplies.", 0) == 0; ++it) {
            const std::string& key = it->first;
            if (key.size() < 9 + 11 || key.compare(key.size() - 11, 11, ".handed_out") != 0) continue;
            const std::string code = key.substr(9, key.size() - 20), base = "supplies." + code;
            if (get(base + ".handed_out") == 0 && get(base + ".sold") == 0) continue;
            rows.push_back({name("supply." + code, code), n(get(base + ".handed_out")), n(get(base + ".sold")),
                            m_w.tr("supplies.price", {{"amount", get(base + ".revenue_eur")}})});
        }
        if (rows.empty()) return;
        section("reports.supplies.title");
        table(m_out, {m_w.tr("supplies.col.item", {}), m_w.tr("reports.col.handed_out", {}), m_w.tr("reports.col.sold", {}),
                      m_w.tr("reports.col.revenue", {})},
              rows);
    }
    void kiosk() {
        double sessions = 0;
        for (auto it = m_r.figures.lower_bound("kiosk.sessions."); it != m_r.figures.end() && it->first.rfind("kiosk.sessions.", 0) == 0; ++it)
            sessions += it->second;
        section("reports.kiosk.title");
        sentence(m_w.tr("summary.kiosk", {{"visits", sessions}, {"registrations", get("kiosk.registrations")}}));
        // The visits per language the heading promises, largest first.
        const auto languages = ranked("kiosk.sessions.", "language.");
        if (languages.empty()) return;
        m_out << "\n";
        table(m_out, {m_w.tr("summary.col.language", {}), m_w.tr("summary.col.visits", {})}, languages);
    }
    void glossaryLines() {
        section("reports.glossary.title");
        m_out << m_w.tr("reports.glossary.hint", {}) << "\n"; // the names below are the export's (CSV and JSON)
        for (const auto& [key, text] : glossary(m_w)) m_out << "  " << key << ": " << text << "\n";
    }

    const Report& m_r;
    const Wording& m_w;
    std::ostringstream m_out;

public:
    std::vector<std::string> m_sentences; // the summary's sentences, for the desk's card
};
} // namespace

std::string reportSummary(const Report& r, const Wording& w) { return Summary(r, w).write(); }

std::vector<std::string> reportSentences(const Report& r, const Wording& w) {
    Summary s(r, w);
    s.write();
    return std::move(s.m_sentences);
}

std::string reportText(const Report& r, const Wording& w) { return reportSummary(r, w); }

// [SECTION] output
namespace {
// Money (keys ending in _eur) always with two decimals; other figures as short as they are exact (to 4 places).
bool isMoney(const std::string& key) { return key.size() > 4 && key.compare(key.size() - 4, 4, "_eur") == 0; }

std::string number(double v, bool decimalComma, bool money = false) {
    char buf[64];
    if (money) std::snprintf(buf, sizeof buf, "%.2f", v);
    else if (std::fabs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.4f", v);
    std::string s = buf;
    if (!money && s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    if (decimalComma)
        for (char& c : s)
            if (c == '.') c = ',';
    return s;
}
} // namespace

namespace {
// The dotted keys as a tree, so the JSON nests: {"walk_in": {"visits": 1017, …}, …}.
struct JsonNode {
    std::map<std::string, JsonNode> children;
    std::optional<double> value;
    bool money = false;
};

void writeJson(std::ostringstream& out, const JsonNode& node, int depth) {
    if (node.value && node.children.empty()) {
        out << number(*node.value, false, node.money);
        return;
    }
    out << "{";
    bool first = true;
    for (const auto& [name, child] : node.children) {
        out << (first ? "\n" : ",\n") << std::string(static_cast<size_t>(depth + 1) * 2, ' ') << "\"" << name << "\": ";
        writeJson(out, child, depth + 1);
        first = false;
    }
    out << "\n" << std::string(static_cast<size_t>(depth) * 2, ' ') << "}";
}
} // namespace

std::string reportJson(const Report& r) {
    JsonNode root;
    for (const auto& [key, value] : r.figures) {
        JsonNode* node = &root;
        for (size_t pos = 0;;) {
            const size_t dot = key.find('.', pos);
            node = &node->children[key.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos)];
            if (dot == std::string::npos) break;
            pos = dot + 1;
        }
        node->value = value;
        node->money = isMoney(key);
    }
    std::ostringstream out;
    out << "{\n  \"period\": {\"label\": \"" << r.period.label << "\", \"from\": \"" << r.period.from
        << "\", \"to\": \"" << r.period.to << "\"},\n  \"figures\": ";
    writeJson(out, root, 1);
    out << "\n}\n";
    return out.str();
}

std::string reportCsv(const Report& r, const std::string& lang) {
    const bool nl = lang == "nl";
    std::ostringstream out;
    out << "\xEF\xBB\xBF"; // a byte-order mark: Excel then reads UTF-8
    const char sep = nl ? ';' : ',';
    out << (nl ? "periode" : "period") << sep << (nl ? "cijfer" : "figure") << sep << (nl ? "waarde" : "value") << "\r\n";
    for (const auto& [key, value] : r.figures) out << r.period.label << sep << key << sep << number(value, nl, isMoney(key)) << "\r\n";
    return out.str();
}

// [SECTION] export
namespace {
// Under /tmp or the temporary folder: gone at the next boot, and readable by others — never an export's place.
bool isTemporary(const std::filesystem::path& dir) {
    std::error_code ec;
    const auto normal = std::filesystem::weakly_canonical(dir, ec).lexically_normal();
    for (std::filesystem::path tmp : {std::filesystem::path("/tmp"), std::filesystem::path("/var/tmp"),
                                      std::filesystem::temp_directory_path(ec)}) {
        if (tmp.empty()) continue;
        tmp = std::filesystem::weakly_canonical(tmp, ec).lexically_normal();
        const auto rel = normal.lexically_relative(tmp);
        if (!rel.empty() && *rel.begin() != "..") return true;
    }
    return false;
}

// /proc/mounts escapes spaces and the like as \040 (octal).
std::string unescapeMount(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}
} // namespace

std::optional<ExportTarget> exportTarget(const SiteSettings& site, const std::filesystem::path& mountsFile,
                                         const std::vector<std::string>& removableRoots) {
    std::ifstream mounts(mountsFile);
    for (std::string device, point, rest; mounts >> device >> point && std::getline(mounts, rest);) {
        const std::string dir = unescapeMount(point);
        for (const auto& root : removableRoots)
            if (dir.size() > root.size() && dir.compare(0, root.size(), root) == 0 && ::access(dir.c_str(), W_OK) == 0)
                return ExportTarget{dir, true};
    }
    if (const std::string* folder = site.get("exports.folder"); folder && !folder->empty()) {
        const std::filesystem::path dir(*folder);
        if (dir.is_absolute() && !isTemporary(dir)) return ExportTarget{dir, false};
    }
    return std::nullopt;
}

std::string exportFileName(const Period& p, const std::string& extension) {
    return "inloop-cijfers-" + p.label + "." + extension;
}

} // namespace inloop::core
