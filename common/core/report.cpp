// The figures, their definitions, and the text/JSON/CSV output (see report.hpp).
//
// [SECTION] periods
// [SECTION] figures
// [SECTION] glossary
// [SECTION] output
#include "report.hpp"

#include "board_view.hpp"
#include "clock.hpp"

#include <cmath>
#include <optional>
#include <cstdio>
#include <sstream>

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
    Statement st(store.db(), sql);
    st.bindAll(p.from, p.to);
    while (st.step()) r.figures[prefix + st.getText(0)] += st.getDouble(1);
}

double single(Store& store, const std::string& sql, const Period& p) {
    Statement st(store.db(), sql);
    st.bindAll(p.from, p.to);
    return st.step() ? st.getDouble(0) : 0;
}
} // namespace

Report buildReport(Store& store, const Period& p) {
    Report r;
    r.period = p;
    ReadTransaction snapshot(store.db());
    const std::string counted = kCountedContact;

    // Walk-in: visits; distinct visitors among visits with a code; visits without one — no guessing.
    r.figures["walk_in.visits"] =
        single(store, "SELECT count(*) FROM contact c WHERE c.channel = 'walk_in' AND " + counted, p);
    r.figures["walk_in.unique_visitors"] = single(
        store, "SELECT count(DISTINCT c.client_id) FROM contact c WHERE c.channel = 'walk_in' AND " + counted, p);
    r.figures["walk_in.visits_without_code"] = single(
        store, "SELECT count(*) FROM contact c WHERE c.channel = 'walk_in' AND c.client_id IS NULL AND " + counted, p);

    for (const char* ch : {"walk_in", "phone", "email", "outreach_street", "outreach_online"}) r.figures[std::string("contacts.") + ch] = 0;
    grouped(store, r, "contacts.", "SELECT c.channel, count(*) FROM contact c WHERE " + counted + " GROUP BY 1", p);
    grouped(store, r, "contacts_by_gender.", "SELECT c.gender, count(*) FROM contact c WHERE " + counted + " GROUP BY 1", p);
    grouped(store, r, "outreach_by_gender.",
            "SELECT c.gender, count(*) FROM contact c WHERE c.channel LIKE 'outreach%' AND " + counted + " GROUP BY 1", p);
    grouped(store, r, "topics.",
            "SELECT t.code, count(*) FROM contact c JOIN contact_topic ct ON ct.contact_id = c.id "
            "JOIN topic t ON t.id = ct.topic_id WHERE " + counted + " GROUP BY 1", p);
    grouped(store, r, "languages.", "SELECT c.language, count(*) FROM contact c WHERE " + counted + " GROUP BY 1", p);

    // Consultation hours per service, by the session's day. A moved registration counts once, where it went.
    Statement services(store.db(), "SELECT code FROM service ORDER BY id");
    while (services.step())
        for (const char* f : {".registered", ".attended", ".no_show", ".cancelled"})
            r.figures["spreekuren." + services.getText(0) + f] = 0;
    {
        Statement st(store.db(),
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

    // Supplies: units handed out and sold (net of undos), revenue, and how often stock fell below the minimum.
    {
        Statement items(store.db(), "SELECT code FROM supply_item ORDER BY id");
        while (items.step())
            for (const char* f : {".handed_out", ".sold", ".revenue_eur", ".low_stock_events"})
                r.figures["supplies." + items.getText(0) + f] = 0;
        Statement st(store.db(),
                     "SELECT i.code, COALESCE(o.kind, m.kind), sum(-m.qty), "
                     "  sum(CASE WHEN m.kind = 'reversal' THEN -m.price_cents ELSE m.price_cents END) "
                     "FROM stock_move m JOIN supply_item i ON i.id = m.item_id "
                     "LEFT JOIN stock_move o ON o.id = m.reverses "
                     "WHERE m.day BETWEEN ?1 AND ?2 AND COALESCE(o.kind, m.kind) IN ('handout', 'sale') GROUP BY 1, 2");
        st.bindAll(p.from, p.to);
        while (st.step()) {
            const std::string base = "supplies." + st.getText(0);
            if (st.getText(1) == "handout") r.figures[base + ".handed_out"] += st.getDouble(2);
            else {
                r.figures[base + ".sold"] += st.getDouble(2);
                r.figures[base + ".revenue_eur"] += st.getDouble(3) / 100.0;
            }
        }
        grouped(store, r, "supplies.",
                // The stock before the period is one sum per item (an opening balance); only the period's own
                // moves are ordered and run through the window, not every move since the start.
                "WITH opening AS (SELECT item_id, SUM(qty) AS qty FROM stock_move WHERE day < ?1 GROUP BY item_id), "
                "running AS (SELECT m.item_id, m.day, COALESCE(o.qty, 0) + SUM(m.qty) OVER (PARTITION BY m.item_id "
                "  ORDER BY m.at, m.id) AS after, m.qty FROM stock_move m LEFT JOIN opening o ON o.item_id = m.item_id "
                "  WHERE m.day BETWEEN ?1 AND ?2) "
                "SELECT i.code || '.low_stock_events', count(*) FROM running x JOIN supply_item i ON i.id = x.item_id "
                "WHERE x.day BETWEEN ?1 AND ?2 AND x.after < i.min_stock AND x.after - x.qty >= i.min_stock GROUP BY 1",
                p);
    }

    // Shelter.
    const ShelterFigures sf = shelterFigures(store, p.from, p.to);
    r.figures["shelter.unique_clients"] = sf.distinctClients;
    r.figures["shelter.stays"] = sf.stays;
    r.figures["shelter.bed_nights"] = static_cast<double>(sf.bedNights);
    r.figures["shelter.available_bed_nights"] = static_cast<double>(sf.availableBedNights);
    r.figures["shelter.occupancy_rate"] = sf.occupancy();
    r.figures["shelter.average_stay_nights"] = sf.averageStayNights;
    r.figures["shelter.exit_programme_share"] =
        sf.stays ? static_cast<double>(sf.exitProgrammeYes) / static_cast<double>(sf.stays) : 0;
    grouped(store, r, "shelter.referral.",
            "SELECT referral, count(*) FROM stay WHERE in_day BETWEEN ?1 AND ?2 GROUP BY 1", p);
    grouped(store, r, "shelter.destination.",
            "SELECT destination, count(*) FROM stay WHERE out_day BETWEEN ?1 AND ?2 GROUP BY 1", p);

    // Kiosk: anonymous daily counters.
    grouped(store, r, "kiosk.sessions.",
            "SELECT key, sum(count) FROM kiosk_usage WHERE kind = 'language' AND day BETWEEN ?1 AND ?2 GROUP BY 1", p);
    grouped(store, r, "kiosk.pages.",
            "SELECT key, sum(count) FROM kiosk_usage WHERE kind = 'page' AND day BETWEEN ?1 AND ?2 GROUP BY 1", p);
    r.figures["kiosk.registrations"] =
        single(store, "SELECT COALESCE(sum(count), 0) FROM kiosk_usage WHERE kind = 'registration' AND day BETWEEN ?1 AND ?2", p);
    return r;
}

// [SECTION] glossary
const std::vector<std::pair<std::string, std::string>>& glossary() {
    static const std::vector<std::pair<std::string, std::string>> g = {
        {"walk_in.visits", "Walk-in contacts logged at the desk in the period; undone contacts are not counted."},
        {"walk_in.unique_visitors", "Distinct visitor codes among those walk-ins (keyed hash, same code = same person)."},
        {"walk_in.visits_without_code", "Walk-ins without a code: counted as visits, never guessed into people."},
        {"contacts.<channel>", "Contacts per channel: walk_in, phone, email, outreach_street, outreach_online."},
        {"contacts_by_gender.<g>", "All contacts per gender as recorded (unknown when not asked)."},
        {"outreach_by_gender.<g>", "Street and online outreach contacts per gender."},
        {"topics.<topic>", "Contacts that touched a topic (a contact can have several)."},
        {"languages.<code>", "Contacts per language spoken."},
        {"spreekuren.<service>.*", "Registrations for sessions in the period (by the session's day): registered "
                                   "(moved ones counted where they went), attended (seen), no_show, cancelled."},
        {"supplies.<item>.*", "Units handed out and sold, revenue in euro (undos subtracted), and low_stock_events: "
                              "times the stock fell below its minimum."},
        {"shelter.unique_clients", "Stays in the period, one per visitor code; stays without a code count once each."},
        {"shelter.stays", "Stays with at least one night in the period."},
        {"shelter.available_bed_nights", "Beds in service now × days of the period up to today."},
        {"shelter.bed_nights", "Nights a bed was taken: a stay from day A to day B has B − A nights; open stays run "
                               "to today or the end of the period."},
        {"shelter.occupancy_rate", "bed_nights ÷ available_bed_nights (beds in service × days), 0–1."},
        {"shelter.average_stay_nights", "Average nights of the stays that ended in the period."},
        {"shelter.exit_programme_share", "Share of stays in the period taking part in the exit programme (yes), 0–1."},
        {"shelter.referral.<source>", "Stays that began in the period, by who referred."},
        {"shelter.destination.<d>", "Stays that ended in the period, by where she went."},
        {"kiosk.sessions.<lang>", "Kiosk visits per chosen language (anonymous daily counters)."},
        {"kiosk.pages.<topic>", "Info pages opened at the kiosk."},
        {"kiosk.registrations", "Registrations made at the kiosk (anonymous daily counter)."},
    };
    return g;
}

// [SECTION] output
namespace {
std::string number(double v, bool decimalComma) {
    char buf[64];
    if (std::fabs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.4f", v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    if (decimalComma)
        for (char& c : s)
            if (c == '.') c = ',';
    return s;
}
} // namespace

std::string reportText(const Report& r) {
    std::ostringstream out;
    out << "Inloop figures for " << r.period.label << " (" << r.period.from << " to " << r.period.to << ")\n\n";
    std::string group;
    for (const auto& [key, value] : r.figures) {
        const std::string g = key.substr(0, key.find('.'));
        if (g != group) {
            out << (group.empty() ? "" : "\n") << g << "\n";
            group = g;
        }
        out << "  " << key.substr(g.size() + 1) << ": " << number(value, false) << "\n";
    }
    out << "\nHow each figure is counted\n";
    for (const auto& [key, text] : glossary()) out << "  " << key << ": " << text << "\n";
    return out.str();
}

namespace {
// The dotted keys as a tree, so the JSON nests: {"walk_in": {"visits": 1017, …}, …}.
struct JsonNode {
    std::map<std::string, JsonNode> children;
    std::optional<double> value;
};

void writeJson(std::ostringstream& out, const JsonNode& node, int depth) {
    if (node.value && node.children.empty()) {
        out << number(*node.value, false);
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
    for (const auto& [key, value] : r.figures) out << r.period.label << sep << key << sep << number(value, nl) << "\r\n";
    return out.str();
}

} // namespace inloop::core
