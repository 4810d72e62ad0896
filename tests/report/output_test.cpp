// The report's text, JSON and CSV output, its glossary, and `inloopctl report` with good and bad flags.
#include "support/temp_store.hpp"

#include "core/base/clock.hpp"
#include "core/domain/domain.hpp"
#include "core/base/install_paths.hpp"
#include "core/domain/report.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

// ---------------------------------------------------------------- a tiny strict JSON reader (RFC 8259)
struct Json {
    enum class Kind { Null, Bool, Number, String, Array, Object };
    Kind kind = Kind::Null;
    double number = 0;
    std::string text;
    std::vector<Json> items;       // array elements, or object values
    std::vector<std::string> keys; // object keys, in order
};

class JsonReader {
public:
    explicit JsonReader(std::string_view text) : m_text(text) {}

    std::optional<Json> document() {
        Json v;
        if (!value(v, 0)) return std::nullopt;
        space();
        if (m_pos != m_text.size()) return std::nullopt;
        return v;
    }

private:
    bool at(char c) const { return m_pos < m_text.size() && m_text[m_pos] == c; }
    bool digit() const { return m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9'; }
    void space() {
        while (at(' ') || at('\t') || at('\n') || at('\r')) ++m_pos;
    }
    bool word(std::string_view w) {
        if (m_text.substr(m_pos, w.size()) != w) return false;
        m_pos += w.size();
        return true;
    }

    bool value(Json& out, int depth) {
        if (depth > 32) return false;
        space();
        if (at('{')) return object(out, depth);
        if (at('[')) return array(out, depth);
        if (at('"')) {
            out.kind = Json::Kind::String;
            return string(out.text);
        }
        if (at('-') || digit()) return number(out);
        if (word("true") || word("false")) {
            out.kind = Json::Kind::Bool;
            return true;
        }
        return word("null");
    }

    bool object(Json& out, int depth) {
        out.kind = Json::Kind::Object;
        ++m_pos;
        space();
        if (at('}')) return ++m_pos, true;
        for (;;) {
            space();
            std::string key;
            if (!at('"') || !string(key)) return false;
            if (std::find(out.keys.begin(), out.keys.end(), key) != out.keys.end()) return false; // duplicate
            space();
            if (!at(':')) return false;
            ++m_pos;
            Json v;
            if (!value(v, depth + 1)) return false;
            out.keys.push_back(key);
            out.items.push_back(std::move(v));
            space();
            if (at(',')) {
                ++m_pos;
                continue;
            }
            if (at('}')) return ++m_pos, true;
            return false;
        }
    }

    bool array(Json& out, int depth) {
        out.kind = Json::Kind::Array;
        ++m_pos;
        space();
        if (at(']')) return ++m_pos, true;
        for (;;) {
            Json v;
            if (!value(v, depth + 1)) return false;
            out.items.push_back(std::move(v));
            space();
            if (at(',')) {
                ++m_pos;
                continue;
            }
            if (at(']')) return ++m_pos, true;
            return false;
        }
    }

    bool string(std::string& out) {
        ++m_pos;
        while (m_pos < m_text.size()) {
            const auto c = static_cast<unsigned char>(m_text[m_pos++]);
            if (c == '"') return true;
            if (c < 0x20) return false;
            if (c != '\\') {
                out += static_cast<char>(c);
                continue;
            }
            if (m_pos >= m_text.size()) return false;
            const char e = m_text[m_pos++];
            if (e == 'u') {
                for (int i = 0; i < 4; ++i, ++m_pos)
                    if (m_pos >= m_text.size() || !std::isxdigit(static_cast<unsigned char>(m_text[m_pos]))) return false;
                out += '?';
            } else if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) {
                out += e;
            } else {
                return false;
            }
        }
        return false;
    }

    bool number(Json& out) {
        const size_t start = m_pos;
        if (at('-')) ++m_pos;
        if (at('0')) ++m_pos;
        else if (digit()) while (digit()) ++m_pos;
        else return false;
        if (at('.')) {
            ++m_pos;
            if (!digit()) return false;
            while (digit()) ++m_pos;
        }
        if (at('e') || at('E')) {
            ++m_pos;
            if (at('+') || at('-')) ++m_pos;
            if (!digit()) return false;
            while (digit()) ++m_pos;
        }
        out.kind = Json::Kind::Number;
        out.number = std::strtod(std::string(m_text.substr(start, m_pos - start)).c_str(), nullptr);
        return true;
    }

    std::string_view m_text;
    size_t m_pos = 0;
};

std::optional<Json> parseJson(std::string_view text) { return JsonReader(text).document(); }

// The value at a dotted path ("figures.walk_in.visits"), or null.
const Json* find(const Json& root, std::string_view path) {
    const Json* node = &root;
    while (true) {
        const size_t dot = path.find('.');
        const std::string_view name = path.substr(0, dot);
        if (node->kind != Json::Kind::Object) return nullptr;
        const auto it = std::find(node->keys.begin(), node->keys.end(), name);
        if (it == node->keys.end()) return nullptr;
        node = &node->items[static_cast<size_t>(it - node->keys.begin())];
        if (dot == std::string_view::npos) return node;
        path.remove_prefix(dot + 1);
    }
}

// Every number in the tree with its dotted path.
void leaves(const Json& node, const std::string& path, std::vector<std::pair<std::string, double>>& out) {
    if (node.kind == Json::Kind::Number) out.emplace_back(path, node.number);
    for (size_t i = 0; i < node.keys.size(); ++i)
        leaves(node.items[i], path.empty() ? node.keys[i] : path + "." + node.keys[i], out);
}

// Checks that the JSON holds exactly the report's figures, nested by the dots, each to 4 decimals.
void checkSameFigures(const Json& doc, const Report& r) {
    const Json* figures = find(doc, "figures");
    REQUIRE(figures);
    for (const auto& [key, value] : r.figures) {
        const Json* v = find(*figures, key);
        CHECK_MESSAGE(v, key << " is missing");
        if (v) {
            CHECK_MESSAGE(v->kind == Json::Kind::Number, key << " is not a number");
            CHECK_MESSAGE(v->number == doctest::Approx(value).epsilon(0.0001), key);
        }
    }
    std::vector<std::pair<std::string, double>> found;
    leaves(*figures, "", found);
    CHECK(found.size() == r.figures.size());
}

// ---------------------------------------------------------------- a small year to print
const Actor kCli = Actor::cli();
int64_t at(const char* day, int hour) { return unixFromLocal(day, hour * 60); }

// 2025: walk-ins AB12 twice + one without a code (visits 3, visitors 1); one phone call, one e-mail;
// lube: delivery 50, handout 3, sale 2; sti_test on 2025-03-04: one seen, one no-show;
// stays: 10 nights (exit programme yes) and 3 nights (no) → bed-nights 13, occupancy 13 / 5840 ≈ 0.0022,
// average stay 6.5, exit programme share 0.5.
struct SmallYear {
    TempStore ts;
    Store store = ts.open();
    SmallYear() {
        for (auto [channel, code, day] : {std::tuple{Channel::WalkIn, "AB12", "2025-02-03"},
                                          std::tuple{Channel::WalkIn, "AB12", "2025-02-10"},
                                          std::tuple{Channel::WalkIn, "", "2025-02-10"},
                                          std::tuple{Channel::Phone, "", "2025-02-11"},
                                          std::tuple{Channel::Email, "", "2025-02-12"}}) {
            NewContact c;
            c.channel = channel;
            c.gender = Gender::Woman;
            c.topics = {Topic::Health};
            if (*code) c.clientCode = code;
            c.when.at = at(day, 11);
            logContact(store, kCli, c);
        }
        const int64_t lube = *findSupplyItem(store, "lube");
        for (auto [kind, qty] : {std::pair{StockKind::Delivery, 50}, std::pair{StockKind::Handout, 3},
                                 std::pair{StockKind::Sale, 2}}) {
            StockChange ch;
            ch.itemId = lube;
            ch.kind = kind;
            ch.quantity = qty;
            if (kind == StockKind::Sale) ch.payment = Payment::Cash;
            ch.when.at = at("2025-02-03", 10);
            moveStock(store, kCli, ch);
        }
        const int64_t sti = *findService(store, "sti_test");
        const int64_t session = addExtraSession(store, kCli, sti, "2025-03-04", 14 * 60, 16 * 60, 10);
        for (const char* outcome : {"seen", "no_show"}) {
            const Ticket t = registerForSession(store, kCli, session, RegistrationSource::Desk, "nl", std::nullopt,
                                                When{at("2025-03-04", 9)});
            setRegistrationStatus(store, kCli, t.registrationId, outcome, When{at("2025-03-04", 15)});
        }
        const int64_t bed = store.db().queryInt("SELECT min(id) FROM bed");
        for (auto [inDay, outDay, programme] : {std::tuple{"2025-03-01", "2025-03-11", ExitProgramme::Yes},
                                                std::tuple{"2025-05-01", "2025-05-04", ExitProgramme::No}}) {
            CheckIn in;
            in.bedId = bed;
            in.alias = "guest";
            in.exitProgramme = programme;
            in.when.at = at(inDay, 18);
            checkOut(store, kCli, checkIn(store, kCli, in), Destination::OwnHome, When{at(outDay, 10)});
        }
    }
    Report year() { return buildReport(store, Period::year(2025)); }
};

std::vector<std::string> splitLines(const std::string& text, const std::string& end) {
    std::vector<std::string> out;
    size_t pos = 0;
    for (size_t next; (next = text.find(end, pos)) != std::string::npos; pos = next + end.size())
        out.push_back(text.substr(pos, next - pos));
    if (pos < text.size()) out.push_back(text.substr(pos)); // an unterminated last line
    return out;
}

// The value column of the CSV row for this key, or "" when there is none.
std::string csvValue(const std::vector<std::string>& rows, const std::string& prefix) {
    for (const auto& row : rows)
        if (row.rfind(prefix, 0) == 0) return row.substr(prefix.size());
    return "";
}

// The report keys that the required list of the brief names: per service and per item as the store has them.
std::vector<std::string> requiredKeys(Store& store) {
    std::vector<std::string> keys = {"walk_in.visits", "walk_in.unique_visitors", "contacts.phone", "contacts.email",
                                     "shelter.unique_clients", "shelter.bed_nights", "shelter.occupancy_rate",
                                     "shelter.exit_programme_share_of_stays"};
    const auto itemsOwned = store.db().statement("SELECT code FROM supply_item");
    Statement& items = *itemsOwned;
    while (items.step()) keys.push_back("supplies." + items.getText(0) + ".handed_out");
    const auto servicesOwned = store.db().statement("SELECT code FROM service");
    Statement& services = *servicesOwned;
    while (services.step())
        for (const char* f : {".registered", ".attended", ".no_show"}) keys.push_back("spreekuren." + services.getText(0) + f);
    return keys;
}

// Whether a glossary key ("supplies.<item>.*") covers a figure key ("supplies.lube.sold").
bool covers(const std::string& pattern, const std::string& key) {
    std::vector<std::string> p, k;
    std::stringstream ps(pattern), ks(key);
    for (std::string part; std::getline(ps, part, '.');) p.push_back(part);
    for (std::string part; std::getline(ks, part, '.');) k.push_back(part);
    for (size_t i = 0; i < p.size(); ++i) {
        if (p[i] == "*") return k.size() > i;
        if (i >= k.size()) return false;
        if (!(p[i].size() > 2 && p[i].front() == '<' && p[i].back() == '>') && p[i] != k[i]) return false;
    }
    return p.size() == k.size();
}

bool isOneErrorLine(const std::string& err) {
    return err.rfind("inloopctl: ", 0) == 0 && err.size() > 12 && err.back() == '\n' &&
           std::count(err.begin(), err.end(), '\n') == 1;
}

#define RUN_INFO(run) INFO("exit " << (run).exitCode << "\nstdout: " << (run).out << "\nstderr: " << (run).err)

} // namespace

TEST_SUITE("report") {

TEST_CASE("JSON parses and nests every figure by the dots of its stable key") {
    // The reader itself refuses what is not JSON, so a broken output cannot pass.
    CHECK(parseJson("{\"a\": {\"b\": 1.5, \"c\": [true, null, \"x\"]}}"));
    CHECK_FALSE(parseJson("{\"a\": 1,}"));
    CHECK_FALSE(parseJson("{\"a\" 1}"));
    CHECK_FALSE(parseJson("{\"a\": nan}"));
    CHECK_FALSE(parseJson("{\"a\": 1, \"a\": 2}"));
    CHECK_FALSE(parseJson("{\"a\": 01}"));
    CHECK_FALSE(parseJson("{\"a\": 1} x"));

    SmallYear y;
    const Report r = y.year();
    const std::string text = reportJson(r);
    const auto doc = parseJson(text);
    INFO(text);
    REQUIRE(doc);
    CHECK(doc->kind == Json::Kind::Object);
    const Json* label = find(*doc, "period.label");
    REQUIRE(label);
    CHECK(label->text == "2025");
    CHECK(find(*doc, "period.from")->text == "2025-01-01");
    CHECK(find(*doc, "period.to")->text == "2025-12-31");
    for (const std::string& key : requiredKeys(y.store)) CHECK_MESSAGE(find(*doc, "figures." + key), key);
    checkSameFigures(*doc, r);
    CHECK(find(*doc, "figures.walk_in.visits")->number == 3);
    CHECK(find(*doc, "figures.walk_in.unique_visitors")->number == 1);
    CHECK(find(*doc, "figures.contacts.phone")->number == 1);
    CHECK(find(*doc, "figures.contacts.email")->number == 1);
    CHECK(find(*doc, "figures.supplies.lube.handed_out")->number == 3);
    CHECK(find(*doc, "figures.spreekuren.sti_test.registered")->number == 2);
    CHECK(find(*doc, "figures.spreekuren.sti_test.attended")->number == 1);
    CHECK(find(*doc, "figures.spreekuren.sti_test.no_show")->number == 1);
    CHECK(find(*doc, "figures.shelter.bed_nights")->number == 13);
    CHECK(find(*doc, "figures.shelter.unique_clients")->number == 2);
    const double occupancy = find(*doc, "figures.shelter.occupancy_rate")->number;
    CHECK(occupancy == doctest::Approx(13.0 / 5840).epsilon(0.02));
    CHECK(occupancy > 0);
    CHECK(occupancy <= 1);
    CHECK(find(*doc, "figures.shelter.exit_programme_share_of_stays")->number == doctest::Approx(0.5));
    // The nesting is real: a dotted name is never a key itself.
    for (const auto& key : find(*doc, "figures")->keys) CHECK_MESSAGE(key.find('.') == std::string::npos, key);

    // An empty month parses too.
    TempStore empty;
    Store store = empty.open();
    const auto month = parseJson(reportJson(buildReport(store, Period::month(2025, 2))));
    REQUIRE(month);
    CHECK(find(*month, "period.label")->text == "2025-02");
    CHECK(find(*month, "figures.shelter.occupancy_rate")->number == 0);
}

TEST_CASE("CSV for Dutch Excel: byte-order mark, semicolons, decimal comma, CRLF line ends") {
    SmallYear y;
    const Report r = y.year();
    const std::string csv = reportCsv(r, "nl");
    INFO(csv);
    REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    REQUIRE(csv.size() > 5);
    CHECK(csv.substr(csv.size() - 2) == "\r\n");
    // Every line ends in CRLF: no bare LF, no bare CR.
    for (size_t i = 0; i < csv.size(); ++i) {
        if (csv[i] == '\n') CHECK_MESSAGE((i > 0 && csv[i - 1] == '\r'), "bare LF at " << i);
        if (csv[i] == '\r') CHECK_MESSAGE((i + 1 < csv.size() && csv[i + 1] == '\n'), "bare CR at " << i);
    }
    const std::vector<std::string> rows = splitLines(csv.substr(3), "\r\n");
    REQUIRE(rows.size() == r.figures.size() + 1);
    CHECK(rows[0] == "periode;cijfer;waarde");
    for (const auto& row : rows) {
        CHECK_MESSAGE(std::count(row.begin(), row.end(), ';') == 2, row);
        CHECK_MESSAGE(row.substr(row.rfind(';') + 1).find('.') == std::string::npos, "a decimal point: " << row);
    }
    CHECK(csvValue(rows, "2025;walk_in.visits;") == "3");
    CHECK(csvValue(rows, "2025;shelter.bed_nights;") == "13");
    CHECK(csvValue(rows, "2025;shelter.exit_programme_share_of_stays;") == "0,5");
    CHECK(csvValue(rows, "2025;shelter.average_stay_nights;") == "6,5");
    std::string occupancy = csvValue(rows, "2025;shelter.occupancy_rate;");
    REQUIRE(occupancy.rfind("0,", 0) == 0);
    std::replace(occupancy.begin(), occupancy.end(), ',', '.');
    CHECK(std::strtod(occupancy.c_str(), nullptr) == doctest::Approx(13.0 / 5840).epsilon(0.03));
}

TEST_CASE("CSV in English: ',' between fields and a decimal point") {
    SmallYear y;
    const Report r = y.year();
    const std::string csv = reportCsv(r, "en");
    INFO(csv);
    const size_t start = csv.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    const std::vector<std::string> rows = splitLines(csv.substr(start), "\r\n");
    REQUIRE(rows.size() == r.figures.size() + 1);
    CHECK(rows[0] == "period,figure,value");
    CHECK(csv.find(';') == std::string::npos);
    for (const auto& row : rows) CHECK_MESSAGE(std::count(row.begin(), row.end(), ',') == 2, row);
    CHECK(csvValue(rows, "2025,walk_in.visits,") == "3");
    CHECK(csvValue(rows, "2025,shelter.exit_programme_share_of_stays,") == "0.5");
    CHECK(csvValue(rows, "2025,shelter.average_stay_nights,") == "6.5");
    const std::string occupancy = csvValue(rows, "2025,shelter.occupancy_rate,");
    REQUIRE(occupancy.rfind("0.", 0) == 0);
    CHECK(std::strtod(occupancy.c_str(), nullptr) == doctest::Approx(13.0 / 5840).epsilon(0.03));
}

TEST_CASE("issue 17 #13: the text report is a summary in sentences and tables, walk-ins first, in Dutch or English") {
    SmallYear y;
    const Report r = y.year();
    const Messages words(resourceRoot() / "locales" / "desk", {"nl", "en"});
    for (const char* lang : {"nl", "en"}) {
        const std::string text = reportText(r, Wording::of(words, lang));
        INFO(text);
        const bool nl = std::string(lang) == "nl";
        const auto date = [&](const char* day) { return formatDateTime(lang, unixFromLocal(day, 12 * 60), "yMMMMd"); };
        CHECK(text.rfind(std::string(nl ? "Feiten & Cijfers 2025\n" : "Facts & Figures 2025\n") + date("2025-01-01") +
                             (nl ? " t/m " : " to ") + date("2025-12-31") + "\n",
                         0) == 0);
        if (nl) CHECK(text.find("\n1 januari 2025 t/m 31 december 2025\n") != std::string::npos);
        // Walk-ins first, in a sentence: one person with a code, three visits (one without a code).
        const size_t walkIn = text.find(nl ? "1 sekswerker maakte 3 keer gebruik van de inloop.\n"
                                           : "1 sex worker used the walk-in hour 3 times.\n");
        CHECK(walkIn != std::string::npos);
        const size_t channels = text.find(nl ? "\nContacten per kanaal\n" : "\nContacts per channel\n");
        CHECK(channels != std::string::npos);
        CHECK(walkIn < channels);
        // The shelter in sentences: two stays without a code (two people), 13 nights, both shares named.
        CHECK(text.find(nl ? "2 unieke cliënten verbleven 2 keer in de opvang, samen 13 nachten.\n"
                           : "2 unique clients stayed in the shelter 2 times, 13 nights in all.\n") != std::string::npos);
        CHECK(text.find(nl ? "1 van de 2 cliënten (50%) deden mee aan het uitstapprogramma; per verblijf 1 van de 2 (50%)."
                           : "1 of 2 clients (50%) took part in the programme for other work; per stay 1 of 2 (50%).") !=
              std::string::npos);
        // No keys or zero lines before the glossary, and the glossary in the same language after its heading.
        const size_t glossaryAt = text.find(nl ? "\nHoe we tellen\n" : "\nHow each figure is counted\n");
        REQUIRE(glossaryAt != std::string::npos);
        CHECK(text.find("walk_in.", 0) > glossaryAt);
        CHECK(text.find(": 0\n") == std::string::npos);
        for (const auto& [key, line] : glossary(Wording::of(words, lang)))
            CHECK_MESSAGE(text.find("  " + key + ": " + line + "\n") > glossaryAt, key);
    }
}

TEST_CASE("the glossary (\"Hoe we tellen\") is read from the desk catalogue, a line per figure family in nl and en") {
    const Messages words(resourceRoot() / "locales" / "desk", {"nl", "en"});
    const auto nl = glossary(Wording::of(words, "nl")), en = glossary(Wording::of(words, "en"));
    REQUIRE(nl.size() == glossaryKeys().size());
    REQUIRE(en.size() == nl.size());
    for (size_t i = 0; i < nl.size(); ++i) {
        const std::string message = glossaryMessage(nl[i].first);
        INFO(message);
        CHECK(nl[i].first == en[i].first);
        CHECK(words.has("nl", message));
        CHECK(words.has("en", message));
        CHECK(nl[i].second == words.tr("nl", message, {}));
        CHECK(en[i].second == words.tr("en", message, {}));
        CHECK(nl[i].second != en[i].second);
    }
    CHECK(glossaryMessage("topics.<topic>") == "glossary.topics");
    CHECK(glossaryMessage("outreach_street.*") == "glossary.outreach_street");
    CHECK(glossaryMessage("shelter.stays") == "glossary.shelter.stays");
    // Whatever the catalogue says is what the report writes: no line of its own in the code.
    const Wording marked{"en", [](std::string_view key, std::initializer_list<NamedArg>) { return "<" + std::string(key) + ">"; },
                         [](std::string_view) { return true; }};
    for (const auto& [key, line] : glossary(marked)) CHECK(line == std::string("<").append(glossaryMessage(key)).append(">"));
}

TEST_CASE("every figure has a glossary line that says how it is counted") {
    // Known gap (see the report): shelter.stays, shelter.available_bed_nights and kiosk.registrations are figures
    // without a line of their own in glossary(), though report.hpp and docs/REPORT.md promise one per figure.
    SmallYear y;
    countKioskUse(y.store, "registration", "sti_test", When{at("2025-03-03", 12)});
    countKioskUse(y.store, "language", "nl", When{at("2025-03-03", 12)});
    countKioskUse(y.store, "page", "shelter", When{at("2025-03-03", 12)});
    const Report r = y.year();
    std::string uncovered;
    for (const auto& [key, value] : r.figures) {
        bool found = false;
        for (const auto& family : glossaryKeys()) found = found || covers(family, key);
        if (!found) uncovered += key + " ";
    }
    CHECK_MESSAGE(uncovered.empty(), "figures without a glossary line: " << uncovered);
}

TEST_CASE("inloopctl report --year (last year) --format json on 3 years of demo data") {
    TempDir dir;
    const std::string data = (dir.path() / "data").string();
    const auto init = runCtl({"--data-dir", data, "init"});
    RUN_INFO(init);
    REQUIRE(init.exitCode == 0);
    // Three whole years, 2023 to 2025, the same on every run: 2025 is the last year.
    const auto demo = runCtl({"--data-dir", data, "demo", "--years", "3", "--today", "2025-12-31", "--seed", "46"});
    RUN_INFO(demo);
    REQUIRE(demo.exitCode == 0);

    const auto run = runCtl({"--data-dir", data, "report", "--year", "2025", "--format", "json"});
    RUN_INFO(run);
    REQUIRE(run.exitCode == 0);
    CHECK(run.err.empty());
    const auto doc = parseJson(run.out);
    REQUIRE(doc);
    CHECK(find(*doc, "period.label")->text == "2025");
    Store store = Store::open(dir.path() / "data");
    for (const std::string& key : requiredKeys(store)) CHECK_MESSAGE(find(*doc, "figures." + key), key);
    checkSameFigures(*doc, buildReport(store, Period::year(2025)));
    const double visits = find(*doc, "figures.walk_in.visits")->number;
    CHECK(visits >= 900);
    CHECK(visits <= 1150);
    for (const char* share : {"figures.shelter.occupancy_rate", "figures.shelter.exit_programme_share_of_stays"}) {
        CHECK_MESSAGE(find(*doc, share)->number > 0, share);
        CHECK_MESSAGE(find(*doc, share)->number < 1, share);
    }

    // A month, and the other formats, from the same data.
    const auto month = runCtl({"--data-dir", data, "report", "--year", "2025", "--month", "12", "--format", "json"});
    RUN_INFO(month);
    REQUIRE(month.exitCode == 0);
    const auto monthDoc = parseJson(month.out);
    REQUIRE(monthDoc);
    CHECK(find(*monthDoc, "period.label")->text == "2025-12");
    checkSameFigures(*monthDoc, buildReport(store, Period::month(2025, 12)));
    const auto csv = runCtl({"--data-dir", data, "report", "--year=2025", "--format=csv", "--lang=en"});
    CHECK(csv.exitCode == 0);
    CHECK(csv.out.find("2025,walk_in.visits,") != std::string::npos);
    const auto text = runCtl({"--data-dir", data, "report", "--year", "2025"});
    CHECK(text.exitCode == 0);
    CHECK(text.out.rfind("Feiten & Cijfers 2025\n", 0) == 0); // Dutch unless asked otherwise
    const auto english = runCtl({"--data-dir", data, "report", "--year", "2025", "--lang", "en"});
    CHECK(english.exitCode == 0);
    CHECK(english.out.rfind("Facts & Figures 2025\n", 0) == 0);
}

TEST_CASE("inloopctl report refuses bad flags with exit 2 and one line") {
    TempStore ts;
    const std::string data = ts.data.string();
    struct Bad {
        std::vector<std::string> args;
        const char* mentions;
    };
    const Bad cases[] = {
        {{"report", "--year", "abc"}, "--year"},
        {{"report", "--year", "2025", "--month", "13"}, "--month"},
        {{"report", "--year", "2025", "--month", "0"}, "--month"},
        {{"report", "--year", "2025", "--format", "xml"}, "--format"},
        {{"report", "--year", "2025", "--lang", "de"}, "--lang"},
        {{"report"}, "--year"},
        {{"report", "--year", "2025", "--week", "3"}, "--week"},
        {{"report", "--year", "2025", "--month"}, "--month"},
    };
    for (const Bad& bad : cases) {
        std::vector<std::string> args = {"--data-dir", data};
        args.insert(args.end(), bad.args.begin(), bad.args.end());
        const auto run = runCtl(args);
        std::string shown;
        for (const auto& a : bad.args) shown += a + " ";
        INFO("inloopctl " << shown);
        RUN_INFO(run);
        CHECK(run.exitCode == 2);
        CHECK(run.out.empty());
        CHECK(isOneErrorLine(run.err));
        CHECK(run.err.find(bad.mentions) != std::string::npos);
    }
}

} // TEST_SUITE

TEST_SUITE("report") {

TEST_CASE("the summary's shelter tables say which stays they count and add up, the kiosk is per language, the glossary names the export") {
    // 5 stays had a night in the year; 3 began in it (by referral) and 2 ended in it (by destination).
    Report r;
    r.period = Period::year(2025);
    r.figures = {{"shelter.stays", 5},           {"shelter.unique_clients", 4},      {"shelter.referral.police", 2},
                 {"shelter.referral.self", 1},   {"shelter.referral.unknown", 0},    {"shelter.destination.own_home", 2},
                 {"kiosk.sessions.nl", 4},       {"kiosk.sessions.ro", 7},           {"kiosk.sessions.en", 0}};
    const Messages words(resourceRoot() / "locales" / "desk", {"nl", "en"});
    for (const char* lang : {"nl", "en"}) {
        CAPTURE(lang);
        const bool nl = std::string(lang) == "nl";
        const std::string text = reportText(r, Wording::of(words, lang));
        INFO(text);
        const auto lines = splitLines(text, "\n");
        const auto lineWith = [&](const std::string& a, const std::string& b) {
            for (const auto& l : lines)
                if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
            return false;
        };
        CHECK(lineWith(nl ? "Verwezen door" : "Referred by", nl ? "Verblijven begonnen" : "Stays begun"));
        CHECK(lineWith(nl ? "Vertrokken naar" : "Went on to", nl ? "Verblijven geëindigd" : "Stays ended"));
        CHECK(lineWith(nl ? "Totaal" : "Total", "3"));
        CHECK(lineWith(nl ? "Totaal" : "Total", "2"));
        // Kiosk visits per language, in words, largest first.
        const size_t romanian = text.find(nl ? "Roemeens" : "Romanian"), dutch = text.find(nl ? "Nederlands" : "Dutch");
        REQUIRE(romanian != std::string::npos);
        REQUIRE(dutch != std::string::npos);
        CHECK(romanian < dutch);
        CHECK(lineWith(nl ? "Roemeens" : "Romanian", "7"));
        // The glossary says its names are the export's before the first of them.
        const std::string hint = words.tr(lang, "reports.glossary.hint", {});
        CHECK(text.find(hint) != std::string::npos);
        CHECK(text.find(hint) < text.find("  walk_in.visits: "));
    }
}

} // TEST_SUITE

TEST_SUITE("report") {

TEST_CASE("contacts nobody asked the language of are 'not asked' in the summary's language table, never 'und'") {
    Report r;
    r.period = Period::year(2025);
    r.figures = {{"languages.und", 3}, {"languages.nl", 2}};
    const Messages words(resourceRoot() / "locales" / "desk", {"nl", "en"});
    for (const char* lang : {"nl", "en"}) {
        CAPTURE(lang);
        const std::string text = reportText(r, Wording::of(words, lang));
        const std::string tables = text.substr(0, text.find(words.tr(lang, "reports.glossary.title", {})));
        INFO(tables);
        const std::string notAsked = words.tr(lang, "language.not_asked", {});
        const size_t at = tables.find("  " + notAsked + " ");
        REQUIRE(at != std::string::npos);
        CHECK(tables.substr(at, tables.find('\n', at) - at).find('3') != std::string::npos);
        CHECK(tables.find("und") == std::string::npos);
    }
}

} // TEST_SUITE
