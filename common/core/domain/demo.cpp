// Demo data: N years of Spot 46 and the shelter, written through the domain API and shaped like SHOP's 2017 figures.
//
// [SECTION] random numbers
// [SECTION] reference figures and weights
// [SECTION] generator
// [SECTION] set-up: staff, schedule, sessions, closures
// [SECTION] contacts: the plan of a year
// [SECTION] contacts: logging
// [SECTION] supplies
// [SECTION] spreekuren
// [SECTION] shelter
// [SECTION] the day loop
// [SECTION] generateDemo()
#include "core/domain/demo.hpp"

#include "core/base/clock.hpp"
#include "core/i18n/content.hpp"
#include "core/domain/domain.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::core {

namespace {

// [SECTION] random numbers
// Only mt19937_64 and uniform_int_distribution (plus our own real numbers): same seed, same data.
class Rng {
public:
    explicit Rng(uint64_t seed) : m_engine(seed) {}
    int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_engine); }
    size_t index(size_t n) { return static_cast<size_t>(std::uniform_int_distribution<uint64_t>(0, n - 1)(m_engine)); }
    double unit() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; } // [0, 1)
    bool chance(double p) { return unit() < p; }

private:
    std::mt19937_64 m_engine;
};

template <typename T> struct Weighted {
    T value;
    int weight;
};

template <typename T, size_t N> T pick(Rng& rng, const Weighted<T> (&table)[N]) {
    int total = 0;
    for (const auto& w : table) total += w.weight;
    int r = rng.between(0, total - 1);
    for (const auto& w : table) {
        if (r < w.weight) return w.value;
        r -= w.weight;
    }
    return table[N - 1].value;
}

template <size_t N> std::vector<Topic> pickTopics(Rng& rng, const Weighted<Topic> (&table)[N], int count) {
    std::vector<Topic> out;
    for (int tries = 0; static_cast<int>(out.size()) < count && tries < 20; ++tries) {
        const Topic t = pick(rng, table);
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
    return out;
}

// Days to draw from, each with a weight (season, weekday).
class DaySampler {
public:
    void add(const std::string& day, double weight) {
        m_days.push_back(day);
        m_total += weight;
        m_cumulative.push_back(m_total);
    }
    size_t size() const { return m_days.size(); }
    const std::string& day(size_t i) const { return m_days[i]; }
    size_t sample(Rng& rng) const {
        const auto it = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), rng.unit() * m_total);
        return std::min(static_cast<size_t>(it - m_cumulative.begin()), m_days.size() - 1);
    }

private:
    std::vector<std::string> m_days;
    std::vector<double> m_cumulative;
    double m_total = 0;
};

// [SECTION] reference figures and weights
// Spot 46 in 2017: 1,017 walk-ins by 228 visitors, 582 calls, 75 e-mails, 208 field visits,
// 528 unique sex workers reached online (327 women, 144 men, 57 trans).
constexpr int kVisitorsPerYear = 228;
constexpr double kCodedShare = 0.85; // walk-ins that carry the visitor's code
// Outreach: the magazine counts people reached, so most contacts carry a code. Online almost every contact is
// someone's own profile, a few met twice in a year (580 contacts for about 525 people); on the street a code is
// asked in fewer talks, and a window is visited again, so people come back more often (some are walk-in visitors).
constexpr double kOnlineCodedShare = 0.95, kOnlineAgain = 0.05;
constexpr double kStreetCodedShare = 0.4, kStreetAgain = 0.3, kStreetIsVisitor = 0.35;
// Visitor pool: a few regulars (weekly-ish), some monthly, most once to three times a year.
constexpr double kRegularShare = 0.07, kMonthlyShare = 0.23;
constexpr double kCarryOver[3] = {0.7, 0.45, 0.15}; // chance a visitor of each tier comes again next year

struct ChannelPlan {
    Channel channel;
    int perYear;
    int firstMin, lastMin;  // local times of day
    double closedDayWeight; // weekends and holidays, relative to an open day
};
constexpr ChannelPlan kChannels[] = {
    {Channel::Phone, 582, 10 * 60, 17 * 60 - 1, 0.0},
    {Channel::Email, 75, 8 * 60, 23 * 60 - 1, 0.4},
    {Channel::OutreachStreet, 208, 13 * 60, 22 * 60 - 1, 0.3},
    {Channel::OutreachOnline, 580, 10 * 60, 22 * 60 - 1, 0.5},
};

constexpr Weighted<Gender> kVisitorGender[] = {
    {Gender::Woman, 76}, {Gender::Trans, 11}, {Gender::Man, 7}, {Gender::Unknown, 6}};
constexpr Weighted<Gender> kPhoneGender[] = {
    {Gender::Unknown, 45}, {Gender::Woman, 43}, {Gender::Trans, 6}, {Gender::Man, 6}};
constexpr Weighted<Gender> kEmailGender[] = {
    {Gender::Unknown, 65}, {Gender::Woman, 25}, {Gender::Man, 6}, {Gender::Trans, 4}};
constexpr Weighted<Gender> kStreetGender[] = {{Gender::Woman, 80}, {Gender::Trans, 14}, {Gender::Man, 6}};
constexpr Weighted<Gender> kOnlineGender[] = {{Gender::Woman, 327}, {Gender::Man, 144}, {Gender::Trans, 57}};

constexpr Weighted<std::string_view> kVisitorLanguage[] = {{"nl", 24}, {"en", 16}, {"ro", 14}, {"bg", 11},
                                                           {"hu", 9},  {"es", 9},  {"th", 6},  {"pl", 4},
                                                           {"zh", 3},  {"pt", 2},  {"pap", 1}, {"ru", 1}};
constexpr Weighted<std::string_view> kPhoneLanguage[] = {{"nl", 45}, {"en", 25}, {"ro", 8}, {"es", 6},
                                                         {"bg", 6},  {"hu", 5},  {"th", 3}, {"zh", 2}};
constexpr Weighted<std::string_view> kEmailLanguage[] = {{"nl", 55}, {"en", 35}, {"es", 5}, {"ro", 5}};
constexpr Weighted<std::string_view> kStreetLanguage[] = {{"nl", 20}, {"ro", 20}, {"bg", 18}, {"hu", 15},
                                                          {"en", 10}, {"es", 7},  {"th", 5},  {"pl", 5}};
constexpr Weighted<std::string_view> kOnlineLanguage[] = {{"nl", 45}, {"en", 30}, {"es", 8}, {"ro", 7},
                                                          {"pt", 4},  {"th", 3},  {"bg", 3}};
constexpr Weighted<std::string_view> kStiLanguage[] = {{"nl", 25}, {"en", 20}, {"es", 12}, {"ro", 12}, {"bg", 10},
                                                       {"hu", 8},  {"th", 6},  {"zh", 4},  {"pl", 3}};
constexpr Weighted<std::string_view> kConsultLanguage[] = {{"nl", 40}, {"en", 25}, {"ro", 10}, {"bg", 8},
                                                           {"hu", 6},  {"es", 6},  {"th", 3},  {"zh", 2}};

// supplies_only is drawn apart: it is a visit's only topic.
constexpr Weighted<Topic> kWalkInTopics[] = {
    {Topic::Health, 20}, {Topic::CoffeeChat, 18}, {Topic::StiTest, 12},  {Topic::Money, 12},  {Topic::Work, 12},
    {Topic::Law, 8},     {Topic::Housing, 8},     {Topic::OtherWork, 5}, {Topic::Shelter, 3}, {Topic::Exploitation, 2}};
constexpr Weighted<Topic> kPhoneTopics[] = {{Topic::Health, 20}, {Topic::StiTest, 18},  {Topic::Work, 15},
                                            {Topic::Law, 10},    {Topic::Money, 8},     {Topic::Housing, 8},
                                            {Topic::Shelter, 8}, {Topic::OtherWork, 6}, {Topic::Exploitation, 3}};
constexpr Weighted<Topic> kEmailTopics[] = {{Topic::Work, 25},       {Topic::Law, 20},     {Topic::Health, 15},
                                            {Topic::Money, 15},      {Topic::StiTest, 10}, {Topic::OtherWork, 10},
                                            {Topic::Exploitation, 5}};
// Field work: "health, exiting and finances were discussed most".
constexpr Weighted<Topic> kOutreachTopics[] = {{Topic::Health, 30}, {Topic::OtherWork, 20},  {Topic::Money, 18},
                                               {Topic::Work, 15},   {Topic::Law, 8},         {Topic::StiTest, 6},
                                               {Topic::Housing, 5}, {Topic::Exploitation, 4}};

constexpr Weighted<Referral> kReferrals[] = {
    {Referral::SocialWork, 40}, {Referral::CareCoordinator, 25}, {Referral::Shelter, 20}, {Referral::Partner, 15}};
constexpr Weighted<int> kTopicCount[] = {{1, 50}, {2, 35}, {3, 15}};
constexpr Weighted<int> kOccasionalVisits[] = {{1, 55}, {2, 30}, {3, 15}};

struct SupplyPlan {
    std::string_view code;
    int batch; // one delivery
};
constexpr SupplyPlan kSupplies[] = {
    {"condom_s", 576},   {"condom_m", 1440}, {"condom_l", 576}, {"condom_xl", 288}, {"internal_condom", 50},
    {"dental_dam", 100}, {"lube", 144},      {"sponge", 60},    {"flyer", 250},
};
constexpr Weighted<std::string_view> kCondomSize[] = {
    {"condom_m", 55}, {"condom_l", 22}, {"condom_s", 13}, {"condom_xl", 10}};

struct RuleSpec {
    std::string_view service;
    int weekday, startMin, endMin, capacity;
    std::string_view place;
};
constexpr RuleSpec kRules[] = {
    {"sti_test", 4, 13 * 60, 15 * 60, 10, "spot46"}, {"accountant", 2, 14 * 60, 16 * 60, 6, "spot46"},
    {"lawyer", 3, 14 * 60, 16 * 60, 6, "spot46"},    {"gp", 2, 19 * 60, 21 * 60, 8, "shelter"},
    {"youth", 3, 16 * 60, 18 * 60, 8, "spot46"},
};
constexpr Weighted<std::string_view> kClosureReasons[] = {
    {"partner ill", 2}, {"partner on holiday", 1}, {"staff training", 1}, {"no doctor available", 1}};

constexpr std::string_view kAliases[] = {
    "Roos",     "Ana",     "Lili",   "Maria",     "Ioana",    "Elena",    "Bianca", "Nadia",  "Sofia",  "Daria",
    "Eva",      "Fatima",  "Grace",  "Joy",       "Blessing", "Mei",      "Lin",    "Nok",    "Ploy",   "Kasia",
    "Zsofi",    "Reka",    "Petra",  "Yasmin",    "Sara",     "Noor",     "Iris",   "Lotte",  "Fleur",  "Mila",
    "Vera",     "Nina",    "Luna",   "Jade",      "Esther",   "Mirjam",   "Rita",   "Gabi",   "Timea",  "Andrea",
    "Adela",    "Irina",   "Larisa", "Diana",     "Alina",    "Cristina", "Raluca", "Monica", "Simona", "Vanya",
    "Desi",     "Gergana", "Milena", "Katya",     "Lena",     "Olga",     "Dasha",  "Aisha",  "Amina",  "Zainab",
    "Precious", "Faith",   "Mercy",  "Esperanza", "Lucia",    "Carmen",   "Rosa",   "Paola",  "Dani",   "Kim",
    "Suda",     "Malee",   "Anong",  "Wen",       "Xiu",      "Hana",     "Tess",   "Bo",     "Lieke",  "Femke"};
constexpr std::string_view kCallNames[] = {"Mira", "Ana", "Lili", "Eva", "Joy", "Nok"};

// Walk-ins per month relative to the average: quieter in summer and around Christmas.
double seasonal(std::string_view day) {
    static constexpr double kMonth[12] = {0.95, 1.0, 1.1, 1.15, 1.05, 1.0, 0.8, 0.78, 1.1, 1.15, 1.1, 0.9};
    const int month = (day[5] - '0') * 10 + (day[6] - '0'), dom = (day[8] - '0') * 10 + (day[9] - '0');
    double w = kMonth[month - 1];
    if (month == 12 && dom >= 20) w *= 0.6;
    return w;
}

bool sameMonth(std::string_view a, std::string_view b) { return a.substr(0, 7) == b.substr(0, 7); }

// [SECTION] generator
struct Visitor {
    std::string code;
    Gender gender = Gender::Woman;
    std::string language;
    Referral referral = Referral::None; // how she first came; logged with her first walk-in only
    int tier = 2;                       // 0 regular, 1 monthly, 2 occasional
    int weekday = 1;                    // a regular's usual day
    bool seen = false;
};

// Someone met by outreach this year, with a code: met again with the same code, gender and language.
struct OutreachPerson {
    std::string code;
    Gender gender = Gender::Woman;
    std::string language;
};

struct PlannedContact {
    int64_t at = 0;
    std::string day;
    Channel channel = Channel::WalkIn;
    int visitor = -1; // index in m_visitors; -1: a walk-in without a code, or another channel
};

struct SessionRow {
    int64_t id = 0;
    std::string service, place;
    int startMin = 0, endMin = 0, capacity = 0;
};

struct ShelterClient {
    std::string alias;
    std::optional<std::string> code;
    bool recurring = false; // "bed-bad-brood": comes and goes
    ExitProgramme exitProgramme = ExitProgramme::Unknown;
    bool inside = false;
    std::string lastOutDay;
};

struct Occupant {
    int64_t stayId = 0; // 0 while warming up
    size_t client = 0;
    std::string outDay;
    bool longStay = false;
    CheckIn checkIn; // as she arrived; entered again on the first day when she arrived before it
};

class DemoGenerator {
public:
    DemoGenerator(Store& store, const DemoOptions& options, std::string today);
    DemoSummary run();

private:
    void setUpStaff();
    void setUpSchedule();
    void addClosures();
    void planYear(int year);
    void refreshPool(int year, double factor);
    std::string newCode(int year);
    void logPlanned(const PlannedContact& p);
    void outreachPerson(NewContact& c, Channel channel);
    void walkInSupplies(int64_t contactId, int64_t at, const Actor& actor, bool suppliesOnly);
    void give(std::string_view item, int quantity, StockKind kind, std::optional<Payment> payment,
              std::optional<int64_t> contactId, int64_t at, const Actor& actor);
    void restock(const std::string& day, bool opening);
    void stockTake(const std::string& day);
    void runSessions(const std::string& day);
    void registerFutureSessions();
    int64_t registrationTime(const std::string& day, const SessionRow& s, RegistrationSource source);
    void shelterDay(const std::string& day);
    void admit(const std::string& day, int64_t at, bool police);
    void enterResidents(const std::string& day);
    size_t chooseClient(const std::string& day, bool longStay);
    void runDay(const std::string& day);
    void kioskUse(const std::string& day);

    bool isOpen(std::string_view day) const { return isoWeekday(day) <= 5 && !m_holidays.count(std::string(day)); }
    bool isLastOpenDayOfMonth(const std::string& day) const;
    std::string previousOpenDay(const std::string& day, int back) const;
    int64_t deskStaff();
    std::optional<int64_t> itemId(std::string_view code) const;
    int freeBedCount() const;

    Store& m_store;
    Rng m_rng;
    std::string m_today, m_first, m_weekEnd;
    int64_t m_periodStart = 0, m_cutoff = 0;
    DemoSummary m_summary;
    std::set<std::string> m_holidays;
    int64_t m_anouk = 0, m_dave = 0, m_mirela = 0, m_sanne = 0;

    std::vector<Visitor> m_visitors;
    std::vector<size_t> m_pool; // this year's visitors with a code
    std::vector<OutreachPerson> m_metOnline, m_metStreet; // this year's outreach people with a code
    std::set<std::string> m_codes;
    std::vector<PlannedContact> m_plan;
    size_t m_next = 0;

    std::vector<std::pair<std::string, int64_t>> m_items; // supply code → id
    std::vector<int64_t> m_minStock;

    std::vector<int64_t> m_beds;
    std::vector<std::optional<Occupant>> m_occupants; // per bed
    std::vector<ShelterClient> m_clients;
    bool m_recording = true; // false while the shelter warms up before the first day
};

DemoGenerator::DemoGenerator(Store& store, const DemoOptions& options, std::string today)
    : m_store(store), m_rng(options.seed), m_today(std::move(today)) {
    // The period starts the day after the same calendar day `years` ago (29 February falls back to the 28th).
    const int year = yearOf(m_today) - options.years;
    const int month = std::stoi(m_today.substr(5, 2)), dom = std::stoi(m_today.substr(8, 2));
    std::string back = makeDay(year, month, dom);
    if (!isValidDay(back)) back = makeDay(year, month, dom - 1);
    m_first = addDays(back, 1);
    m_weekEnd = addDays(m_today, 7); // the kiosk shows today and the next 7 days
    m_periodStart = unixFromLocal(m_first, 0);
    // Nothing happens after now: a demo made at 10:00 has this morning's contacts only.
    m_cutoff = std::min(nowUnix(), unixFromLocal(m_today, 24 * 60 - 1));
    for (int y = yearOf(m_first) - 1; y <= yearOf(m_weekEnd); ++y) // registrations may look back a few days
        for (const auto& h : dutchHolidays(y)) m_holidays.insert(h.day);
}

bool DemoGenerator::isLastOpenDayOfMonth(const std::string& day) const {
    for (int i = 1; i < 12; ++i) {
        const std::string next = addDays(day, i);
        if (!sameMonth(day, next)) return true;
        if (isOpen(next)) return false;
    }
    return false;
}

std::string DemoGenerator::previousOpenDay(const std::string& day, int back) const {
    std::string d = day;
    for (int found = 0; found < back;) {
        d = addDays(d, -1);
        if (isOpen(d)) ++found;
    }
    return d;
}

int64_t DemoGenerator::deskStaff() {
    const int r = m_rng.between(0, 99);
    return r < 45 ? m_mirela : r < 85 ? m_sanne : m_anouk;
}

std::optional<int64_t> DemoGenerator::itemId(std::string_view code) const {
    for (const auto& [c, id] : m_items)
        if (c == code) return id;
    return std::nullopt;
}

// [SECTION] set-up: staff, schedule, sessions, closures
void DemoGenerator::setUpStaff() {
    struct Member {
        std::string_view name;
        Role role;
        std::string_view pin;
        int64_t* id;
    };
    const Member team[] = {{"Anouk", Role::Coordinator, "4646", &m_anouk},
                           {"Dave", Role::Shelter, "1717", &m_dave},
                           {"Mirela", Role::Desk, "2222", &m_mirela},
                           {"Sanne", Role::Desk, "3333", &m_sanne}};
    for (const Member& m : team) {
        Statement& find = m_store.db().prepare("SELECT id FROM staff WHERE name = ?");
        find.bind(1, m.name);
        const bool exists = find.step();
        if (exists) *m.id = find.getInt(0);
        find.reset();
        if (!exists) *m.id = addStaff(m_store, Actor::demo(), m.name, m.role, m.pin);
        ++m_summary.staff;
    }
}

void DemoGenerator::setUpSchedule() {
    for (const RuleSpec& r : kRules) {
        const auto service = findService(m_store, r.service);
        if (!service) continue;
        Statement& count = m_store.db().prepare("SELECT count(*) FROM schedule_rule WHERE service_id = ?");
        count.bind(1, *service);
        count.step();
        const bool hasRules = count.getInt(0) > 0;
        count.reset();
        if (hasRules) continue; // the site's own schedule wins
        NewRule rule;
        rule.serviceId = *service;
        rule.weekday = r.weekday;
        rule.startMin = r.startMin;
        rule.endMin = r.endMin;
        rule.capacity = r.capacity;
        rule.place = std::string(r.place);
        rule.validFrom = m_first;
        addScheduleRule(m_store, Actor::demo(), rule);
    }
    // generateSessions takes at most ten years at a time.
    const int total = daysBetween(m_first, m_weekEnd) + 1 + 21; // sessions for the coming 4 weeks
    for (int done = 0; done < total;) {
        const int chunk = std::min(total - done, 3000);
        m_summary.sessions += generateSessions(m_store, addDays(m_first, done), chunk);
        done += chunk;
    }
}

// A few sessions a year called off by the partner (illness, holiday), chosen among the planned ones.
void DemoGenerator::addClosures() {
    for (int y = yearOf(m_first); y <= yearOf(m_today); ++y) {
        const std::string from = std::max(m_first, makeDay(y, 1, 1)), to = std::min(m_today, makeDay(y, 12, 31));
        const double share = (daysBetween(from, to) + 1) / 365.0;
        const int count = static_cast<int>(std::lround(m_rng.between(2, 4) * share));
        std::vector<std::pair<std::string, int64_t>> planned;
        Statement& st = m_store.db().prepare(
            "SELECT day, service_id FROM session WHERE status = 'planned' AND day BETWEEN ? AND ? ORDER BY day, id");
        st.bindAll(from, to);
        while (st.step()) planned.emplace_back(st.getText(0), st.getInt(1));
        st.reset();
        for (int i = 0; i < count && !planned.empty(); ++i) {
            const size_t k = m_rng.index(planned.size());
            const std::string_view reason = pick(m_rng, kClosureReasons);
            addClosure(m_store, Actor{Actor::Kind::Demo, m_anouk}, planned[k].first, planned[k].second, reason);
            planned.erase(planned.begin() + static_cast<std::ptrdiff_t>(k));
        }
    }
}

// [SECTION] contacts: the plan of a year
// Initials and birth year, as visitors make their own code: "MK1991".
std::string DemoGenerator::newCode(int year) {
    static constexpr std::string_view kLetters = "ABCDEFGHIJKLMNOPRSTVWYZ";
    for (;;) {
        std::string code;
        const int letters = m_rng.chance(0.12) ? 3 : 2;
        for (int i = 0; i < letters; ++i) code += kLetters[m_rng.index(kLetters.size())];
        code += std::to_string(year - 19 - static_cast<int>(33 * std::pow(m_rng.unit(), 1.5)));
        if (m_codes.insert(code).second) return code;
    }
}

// This year's visitors with a code: some come back from last year (regulars most), the rest are new.
void DemoGenerator::refreshPool(int year, double factor) {
    const int target = static_cast<int>(std::lround(kVisitorsPerYear * factor));
    std::vector<size_t> pool;
    for (size_t v : m_pool)
        if (m_rng.chance(kCarryOver[m_visitors[v].tier])) pool.push_back(v);
    while (static_cast<int>(pool.size()) > target)
        pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(m_rng.index(pool.size())));
    int tiers[3] = {0, 0, 0};
    for (size_t v : pool) ++tiers[m_visitors[v].tier];
    const int wanted[2] = {static_cast<int>(std::lround(target * kRegularShare)),
                           static_cast<int>(std::lround(target * kMonthlyShare))};
    while (static_cast<int>(pool.size()) < target) {
        Visitor v;
        v.tier = tiers[0] < wanted[0] ? 0 : tiers[1] < wanted[1] ? 1 : 2;
        ++tiers[v.tier];
        v.code = newCode(year);
        v.gender = pick(m_rng, kVisitorGender);
        v.language = std::string(pick(m_rng, kVisitorLanguage));
        v.weekday = m_rng.between(1, 5);
        if (m_rng.chance(0.12)) v.referral = pick(m_rng, kReferrals);
        m_visitors.push_back(std::move(v));
        pool.push_back(m_visitors.size() - 1);
    }
    m_pool = std::move(pool);
}

// Every contact of a calendar year, sorted by time; the day loop skips what lies outside the period.
void DemoGenerator::planYear(int year) {
    const double factor = 0.94 + 0.12 * m_rng.unit(); // no two years alike
    std::vector<PlannedContact> plan;
    DaySampler open, byWeekday[5];
    std::vector<std::string> allDays;
    for (std::string d = makeDay(year, 1, 1); yearOf(d) == year; d = addDays(d, 1)) allDays.push_back(d);
    for (const auto& d : allDays) {
        if (!isOpen(d)) continue;
        open.add(d, seasonal(d));
        for (int w = 1; w <= 5; ++w) byWeekday[w - 1].add(d, seasonal(d) * (isoWeekday(d) == w ? 4.0 : 1.0));
    }
    const auto walkInTime = [&] {
        return (m_rng.between(11 * 60, 17 * 60 - 1) + m_rng.between(11 * 60, 17 * 60 - 1)) / 2;
    };

    // Walk-ins with a code: each visitor on her own distinct days.
    refreshPool(year, factor);
    int coded = 0;
    for (size_t v : m_pool) {
        const Visitor& visitor = m_visitors[v];
        const int visits = visitor.tier == 0   ? m_rng.between(10, 30)
                           : visitor.tier == 1 ? m_rng.between(3, 8)
                                               : pick(m_rng, kOccasionalVisits);
        const DaySampler& days = visitor.tier == 0 ? byWeekday[visitor.weekday - 1] : open;
        std::set<size_t> chosen;
        for (int tries = 0; static_cast<int>(chosen.size()) < visits && tries < 200; ++tries)
            chosen.insert(days.sample(m_rng));
        for (size_t i : chosen) {
            const std::string& d = days.day(i);
            plan.push_back({unixFromLocal(d, walkInTime()), d, Channel::WalkIn, static_cast<int>(v)});
        }
        coded += static_cast<int>(chosen.size());
    }
    const int anonymous = static_cast<int>(std::lround(coded * (1 - kCodedShare) / kCodedShare));
    for (int i = 0; i < anonymous; ++i) {
        const std::string& d = open.day(open.sample(m_rng));
        plan.push_back({unixFromLocal(d, walkInTime()), d, Channel::WalkIn, -1});
    }

    // Calls, e-mails and outreach: a yearly total spread over the days by season and weekday.
    for (const ChannelPlan& c : kChannels) {
        DaySampler days;
        for (const auto& d : allDays) {
            const double w = seasonal(d) * (isOpen(d) ? 1.0 : c.closedDayWeight);
            if (w > 0) days.add(d, w);
        }
        const int total = static_cast<int>(std::lround(c.perYear * (0.93 + 0.14 * m_rng.unit())));
        for (int i = 0; i < total; ++i) {
            const std::string& d = days.day(days.sample(m_rng));
            plan.push_back({unixFromLocal(d, m_rng.between(c.firstMin, c.lastMin)), d, c.channel, -1});
        }
    }
    std::stable_sort(plan.begin(), plan.end(),
                     [](const PlannedContact& a, const PlannedContact& b) { return a.at < b.at; });
    m_plan = std::move(plan);
    m_next = 0;
    m_metOnline.clear();
    m_metStreet.clear();
}

// [SECTION] contacts: logging
void DemoGenerator::logPlanned(const PlannedContact& p) {
    NewContact c;
    c.channel = p.channel;
    c.when = When{p.at};
    int64_t staff = deskStaff();
    bool suppliesOnly = false;
    switch (p.channel) {
    case Channel::WalkIn:
        if (p.visitor >= 0) {
            Visitor& v = m_visitors[static_cast<size_t>(p.visitor)];
            c.gender = v.gender;
            c.language = v.language;
            c.clientCode = v.code;
            if (!v.seen) c.referral = v.referral;
            if (!v.seen) ++m_summary.distinctVisitors;
            v.seen = true;
        } else {
            c.gender = pick(m_rng, kVisitorGender);
            c.language = std::string(pick(m_rng, kVisitorLanguage));
            if (m_rng.chance(0.05)) c.referral = pick(m_rng, kReferrals);
        }
        suppliesOnly = m_rng.chance(0.15);
        c.topics = suppliesOnly ? std::vector<Topic>{Topic::SuppliesOnly}
                                : pickTopics(m_rng, kWalkInTopics, pick(m_rng, kTopicCount));
        break;
    case Channel::Phone:
        c.gender = pick(m_rng, kPhoneGender);
        c.language = std::string(pick(m_rng, kPhoneLanguage));
        c.topics = pickTopics(m_rng, kPhoneTopics, m_rng.chance(0.7) ? 1 : 2);
        break;
    case Channel::Email:
        c.gender = pick(m_rng, kEmailGender);
        c.language = std::string(pick(m_rng, kEmailLanguage));
        c.topics = pickTopics(m_rng, kEmailTopics, m_rng.chance(0.6) ? 1 : 2);
        break;
    case Channel::OutreachStreet:
        staff = m_rng.chance(0.6) ? m_anouk : m_sanne; // the field workers
        c.gender = pick(m_rng, kStreetGender);
        c.language = std::string(pick(m_rng, kStreetLanguage));
        c.topics = pickTopics(m_rng, kOutreachTopics, pick(m_rng, kTopicCount));
        outreachPerson(c, p.channel);
        break;
    case Channel::OutreachOnline:
        staff = m_rng.chance(0.6) ? m_anouk : m_mirela;
        c.gender = pick(m_rng, kOnlineGender);
        c.language = std::string(pick(m_rng, kOnlineLanguage));
        c.topics = pickTopics(m_rng, kOutreachTopics, m_rng.chance(0.6) ? 1 : 2);
        outreachPerson(c, p.channel);
        break;
    }
    const Actor actor{Actor::Kind::Demo, staff};
    const LoggedContact logged = logContact(m_store, actor, c);
    ++m_summary.contacts;
    if (p.channel == Channel::WalkIn) ++m_summary.walkIns;

    if (p.channel == Channel::WalkIn) walkInSupplies(logged.id, p.at + 60, actor, suppliesOnly);
    if (p.channel == Channel::OutreachStreet && m_rng.chance(0.55)) {
        give(pick(m_rng, kCondomSize), 12 * m_rng.between(1, 2), StockKind::Handout, std::nullopt, logged.id, p.at,
             actor);
        if (m_rng.chance(0.3)) give("flyer", 1, StockKind::Handout, std::nullopt, logged.id, p.at, actor);
    }

    // A double tap now and then: the copy is undone a few minutes later.
    if ((p.channel == Channel::WalkIn || p.channel == Channel::Phone) && m_rng.chance(0.01)) {
        NewContact copy = c;
        copy.when = When{p.at + m_rng.between(20, 90)};
        copy.referral = Referral::None;
        const int64_t undoAt = *copy.when.at + m_rng.between(60, 480);
        if (undoAt <= m_cutoff) {
            const LoggedContact twice = logContact(m_store, actor, copy);
            undoContact(m_store, actor, twice.id, When{undoAt});
            ++m_summary.undone;
        }
    }
}

// Who an outreach contact was, when she gave a code: someone met before this year, a walk-in visitor (street
// only), or someone new. Her gender and language stay hers.
void DemoGenerator::outreachPerson(NewContact& c, Channel channel) {
    const bool online = channel == Channel::OutreachOnline;
    if (!m_rng.chance(online ? kOnlineCodedShare : kStreetCodedShare)) return;
    std::vector<OutreachPerson>& met = online ? m_metOnline : m_metStreet;
    if (!met.empty() && m_rng.chance(online ? kOnlineAgain : kStreetAgain)) {
        const OutreachPerson& again = met[m_rng.index(met.size())];
        c.clientCode = again.code;
        c.gender = again.gender;
        c.language = again.language;
        return;
    }
    OutreachPerson person;
    if (!online && !m_pool.empty() && m_rng.chance(kStreetIsVisitor)) {
        const Visitor& v = m_visitors[m_pool[m_rng.index(m_pool.size())]];
        person = {v.code, v.gender == Gender::Unknown ? c.gender : v.gender, v.language};
    } else {
        person = {newCode(yearOf(localDay(*c.when.at))), c.gender, c.language};
    }
    c.clientCode = person.code;
    c.gender = person.gender;
    c.language = person.language;
    met.push_back(std::move(person));
}

// [SECTION] supplies
// Condoms and lube handed out with a visit, sometimes a purchase (bulk condoms, lube, sponges).
void DemoGenerator::walkInSupplies(int64_t contactId, int64_t at, const Actor& actor, bool suppliesOnly) {
    if (suppliesOnly || m_rng.chance(0.35)) {
        static constexpr Weighted<int> kPieces[] = {{10, 25}, {12, 25}, {20, 20}, {24, 20}, {36, 10}};
        give(pick(m_rng, kCondomSize), pick(m_rng, kPieces), StockKind::Handout, std::nullopt, contactId, at, actor);
        if (m_rng.chance(0.3))
            give("lube", m_rng.between(1, 2), StockKind::Handout, std::nullopt, contactId, at, actor);
        if (m_rng.chance(0.04))
            give("dental_dam", m_rng.between(2, 5), StockKind::Handout, std::nullopt, contactId, at, actor);
        if (m_rng.chance(0.03))
            give("internal_condom", m_rng.between(1, 3), StockKind::Handout, std::nullopt, contactId, at, actor);
        if (m_rng.chance(0.1)) give("flyer", 1, StockKind::Handout, std::nullopt, contactId, at, actor);
    }
    if (m_rng.chance(0.15)) {
        static constexpr Weighted<int> kBulk[] = {{50, 40}, {100, 35}, {144, 25}};
        const Payment payment = m_rng.chance(0.65) ? Payment::Cash : Payment::Card;
        bool any = false;
        if (m_rng.chance(0.8)) {
            give(pick(m_rng, kCondomSize), pick(m_rng, kBulk), StockKind::Sale, payment, contactId, at, actor);
            any = true;
        }
        if (m_rng.chance(0.4)) {
            give("lube", m_rng.between(1, 6), StockKind::Sale, payment, contactId, at, actor);
            any = true;
        }
        if (!any || m_rng.chance(0.3))
            give("sponge", m_rng.between(1, 3), StockKind::Sale, payment, contactId, at, actor);
    }
}

// One stock move; a rush delivery first if the shelf would not cover it (the demo never goes below zero).
void DemoGenerator::give(std::string_view item, int quantity, StockKind kind, std::optional<Payment> payment,
                         std::optional<int64_t> contactId, int64_t at, const Actor& actor) {
    at = std::min(at, m_cutoff); // a minute after a contact just now is not yet (the domain refuses the future)
    const auto id = itemId(item);
    if (!id) return;
    if (stockOf(m_store, *id) < quantity) {
        int batch = quantity;
        for (const SupplyPlan& s : kSupplies)
            if (s.code == item) batch = std::max(batch, s.batch);
        StockChange delivery;
        delivery.itemId = *id;
        delivery.kind = StockKind::Delivery;
        delivery.quantity = batch;
        delivery.reason = "rush delivery";
        delivery.when = When{at - 60};
        moveStock(m_store, Actor{Actor::Kind::Demo, m_anouk}, delivery);
        ++m_summary.stockMoves;
    }
    StockChange ch;
    ch.itemId = *id;
    ch.kind = kind;
    ch.quantity = quantity;
    ch.payment = payment;
    ch.contactId = contactId;
    ch.when = When{at};
    moveStock(m_store, actor, ch);
    ++m_summary.stockMoves;
}

// The supplier comes when an item runs under its minimum (plus a margin); everything low goes in one order.
void DemoGenerator::restock(const std::string& day, bool opening) {
    const int64_t at = unixFromLocal(day, 9 * 60 + 30 + m_rng.between(0, 60));
    if (at > m_cutoff) return;
    bool needed = opening;
    std::vector<int64_t> stock(m_items.size());
    for (size_t i = 0; i < m_items.size(); ++i) {
        stock[i] = stockOf(m_store, m_items[i].second);
        if (stock[i] < m_minStock[i]) needed = true;
    }
    if (!needed) return;
    for (size_t i = 0; i < m_items.size(); ++i) {
        if (!opening && stock[i] >= m_minStock[i] * 3 / 2) continue;
        int batch = 100;
        for (const SupplyPlan& s : kSupplies)
            if (s.code == m_items[i].first) batch = s.batch;
        StockChange delivery;
        delivery.itemId = m_items[i].second;
        delivery.kind = StockKind::Delivery;
        delivery.quantity = opening ? batch * 2 : batch;
        if (opening) delivery.reason = "opening stock";
        delivery.when = When{std::min(at + static_cast<int64_t>(i), m_cutoff)};
        moveStock(m_store, Actor{Actor::Kind::Demo, m_anouk}, delivery);
        ++m_summary.stockMoves;
    }
}

// End of month: the count does not always match the books.
void DemoGenerator::stockTake(const std::string& day) {
    if (m_items.empty() || !m_rng.chance(0.45)) return;
    const int64_t at = unixFromLocal(day, 16 * 60 + 30 + m_rng.between(0, 25));
    if (at > m_cutoff) return;
    for (int n = m_rng.between(1, 2); n > 0; --n) {
        const auto& [code, id] = m_items[m_rng.index(m_items.size())];
        StockChange ch;
        ch.itemId = id;
        ch.kind = StockKind::Correction;
        const int r = m_rng.between(0, 9);
        ch.quantity = r < 7 ? -m_rng.between(1, 10) : r < 9 ? -m_rng.between(1, 6) : m_rng.between(1, 6);
        ch.reason = r < 7 ? "count" : r < 9 ? "damaged" : "count";
        ch.when = When{at};
        if (stockOf(m_store, id) + ch.quantity < 0) continue;
        moveStock(m_store, Actor{Actor::Kind::Demo, m_anouk}, ch);
        ++m_summary.stockMoves;
    }
}

// [SECTION] spreekuren
// Kiosk registrations on the day itself (or an open day before), the desk on the day or earlier, calls days ahead.
int64_t DemoGenerator::registrationTime(const std::string& day, const SessionRow& s, RegistrationSource source) {
    const int latest = std::max(0, s.startMin - 5),
              earliest = std::min(s.place == "shelter" ? 9 * 60 : 11 * 60, latest);
    const auto sameDay = [&] { return unixFromLocal(day, m_rng.between(earliest, latest)); };
    const auto earlier = [&](int back) {
        return unixFromLocal(previousOpenDay(day, m_rng.between(1, back)), m_rng.between(10 * 60, 17 * 60 - 1));
    };
    int64_t at = 0;
    switch (source) {
    case RegistrationSource::Kiosk: at = m_rng.chance(0.7) ? sameDay() : earlier(2); break;
    case RegistrationSource::Desk: at = m_rng.chance(0.5) ? sameDay() : earlier(4); break;
    case RegistrationSource::Phone: at = earlier(5); break;
    }
    return at < m_periodStart ? sameDay() : at;
}

void DemoGenerator::runSessions(const std::string& day) {
    std::vector<SessionRow> sessions;
    Statement& st = m_store.db().prepare(
        "SELECT s.id, v.code, s.place, s.start_min, s.end_min, s.capacity FROM session s "
        "JOIN service v ON v.id = s.service_id WHERE s.day = ? AND s.status = 'planned' ORDER BY s.start_min, s.id");
    st.bind(1, day);
    while (st.step())
        sessions.push_back({st.getInt(0), st.getText(1), st.getText(2), static_cast<int>(st.getInt(3)),
                            static_cast<int>(st.getInt(4)), static_cast<int>(st.getInt(5))});
    st.reset();
    const bool past = day < m_today;
    for (const SessionRow& s : sessions) {
        // The STI test fills up; the other spreekuren less so.
        static constexpr Weighted<int> kStiFree[] = {{0, 30}, {1, 30}, {2, 25}, {3, 15}};
        int wanted = s.service == "sti_test" ? s.capacity - pick(m_rng, kStiFree)
                     : s.service == "gp"     ? m_rng.between(2, 6)
                     : s.service == "youth"  ? m_rng.between(0, 4)
                                             : m_rng.between(1, std::max(1, s.capacity - 1));
        wanted = std::clamp(wanted, 0, s.capacity);
        const bool atShelter = s.place == "shelter";
        struct Reg {
            int64_t at;
            RegistrationSource source;
        };
        std::vector<Reg> regs;
        for (int i = 0; i < wanted; ++i) {
            static constexpr Weighted<RegistrationSource> kSti[] = {
                {RegistrationSource::Kiosk, 75}, {RegistrationSource::Desk, 15}, {RegistrationSource::Phone, 10}};
            static constexpr Weighted<RegistrationSource> kShelter[] = {{RegistrationSource::Desk, 85},
                                                                        {RegistrationSource::Phone, 15}};
            static constexpr Weighted<RegistrationSource> kOther[] = {
                {RegistrationSource::Kiosk, 55}, {RegistrationSource::Desk, 25}, {RegistrationSource::Phone, 20}};
            const RegistrationSource source = atShelter                 ? pick(m_rng, kShelter)
                                              : s.service == "sti_test" ? pick(m_rng, kSti)
                                                                        : pick(m_rng, kOther);
            const int64_t at = registrationTime(day, s, source);
            if (at <= m_cutoff) regs.push_back({at, source});
        }
        std::sort(regs.begin(), regs.end(), [](const Reg& a, const Reg& b) { return a.at < b.at; });
        const int64_t start = unixFromLocal(day, s.startMin), end = unixFromLocal(day, s.endMin);
        int turn = 0;
        for (const Reg& r : regs) {
            const int64_t staff = atShelter ? m_dave : deskStaff();
            const Actor actor = r.source == RegistrationSource::Kiosk ? Actor::demo() : Actor{Actor::Kind::Demo, staff};
            const std::string language(s.service == "sti_test" ? pick(m_rng, kStiLanguage)
                                                               : pick(m_rng, kConsultLanguage));
            // Names only on today's queue: a first name to be called by, never more.
            std::optional<std::string> callName;
            if (day == m_today && m_rng.chance(0.25))
                callName = std::string(kCallNames[m_rng.index(std::size(kCallNames))]);
            const Ticket t = registerForSession(m_store, actor, s.id, r.source, language, callName, When{r.at});
            if (r.source == RegistrationSource::Kiosk) countKioskUse(m_store, "registration", s.service, When{r.at});
            ++m_summary.registrations;
            if (!past) continue;
            const Actor desk{Actor::Kind::Demo, staff};
            const int outcome = m_rng.between(0, 99);
            if (outcome < 80) {
                const int64_t slot = (end - start) / std::max<int64_t>(1, static_cast<int64_t>(regs.size()));
                setRegistrationStatus(m_store, desk, t.registrationId, "seen",
                                      When{start + slot * turn++ + m_rng.between(0, 300)});
            } else if (outcome < 95) {
                setRegistrationStatus(m_store, desk, t.registrationId, "no_show", When{end});
            } else {
                const int64_t latest = std::max(r.at + 30, start - 60);
                cancelRegistration(
                    m_store, desk, t.registrationId,
                    When{r.at + 30 + static_cast<int64_t>(m_rng.unit() * static_cast<double>(latest - r.at - 30))});
            }
        }
    }
}

// The rest of this week: a few early registrations, still waiting.
void DemoGenerator::registerFutureSessions() {
    std::vector<SessionRow> sessions;
    Statement& st = m_store.db().prepare(
        "SELECT s.id, v.code, s.place, s.start_min, s.end_min, s.capacity FROM session s JOIN service v "
        "ON v.id = s.service_id WHERE s.day > ? AND s.day <= ? AND s.status = 'planned' ORDER BY s.day, s.start_min");
    st.bindAll(m_today, m_weekEnd);
    while (st.step())
        sessions.push_back({st.getInt(0), st.getText(1), st.getText(2), static_cast<int>(st.getInt(3)),
                            static_cast<int>(st.getInt(4)), static_cast<int>(st.getInt(5))});
    st.reset();
    for (const SessionRow& s : sessions) {
        std::vector<int64_t> times;
        for (int n = m_rng.between(0, s.capacity / 3); n > 0; --n) {
            const std::string d =
                isOpen(m_today) && m_rng.chance(0.5) ? m_today : previousOpenDay(m_today, m_rng.between(1, 3));
            const int64_t at = unixFromLocal(d, m_rng.between(11 * 60, 17 * 60 - 1));
            if (at <= m_cutoff && at >= m_periodStart) times.push_back(at);
        }
        std::sort(times.begin(), times.end());
        for (int64_t at : times) {
            const bool phone = s.place == "shelter" || m_rng.chance(0.3);
            const Actor actor = phone ? Actor{Actor::Kind::Demo, deskStaff()} : Actor::demo();
            registerForSession(m_store, actor, s.id, phone ? RegistrationSource::Phone : RegistrationSource::Kiosk,
                               std::string(pick(m_rng, kConsultLanguage)), std::nullopt, When{at});
            if (!phone) countKioskUse(m_store, "registration", s.service, When{at});
            ++m_summary.registrations;
        }
    }
}

// [SECTION] shelter
// 16 places, ~45 women a year: long stays (3-12 months, often in the exit programme) and
// "bed-bad-brood" guests who come and go. New clients come via social work or a partner in the day,
// via the police at night or at the weekend; only the police get the last (emergency) bed.
constexpr double kFillChance = 0.2;    // per free bed (beyond the emergency bed) and weekday
constexpr double kPoliceChance = 0.03; // per day
constexpr double kLongStayChance = 0.2, kPoliceLongStayChance = 0.15;
constexpr double kGuestReturns = 0.95; // a short stay is a known guest coming back

int DemoGenerator::freeBedCount() const {
    return static_cast<int>(std::count_if(m_occupants.begin(), m_occupants.end(), [](const auto& o) { return !o; }));
}

size_t DemoGenerator::chooseClient(const std::string& day, bool longStay) {
    std::set<std::string_view> aliasesInside;
    for (const auto& o : m_occupants)
        if (o) aliasesInside.insert(m_clients[o->client].alias);
    if (!longStay && m_rng.chance(kGuestReturns)) {
        std::vector<size_t> known;
        for (size_t i = 0; i < m_clients.size(); ++i) {
            const ShelterClient& c = m_clients[i];
            if (!c.recurring || c.inside || c.lastOutDay.empty() || aliasesInside.count(c.alias)) continue;
            const int away = daysBetween(c.lastOutDay, day);
            if (away >= 2 && away <= 365) known.push_back(i);
        }
        if (!known.empty()) return known[m_rng.index(known.size())];
    }
    ShelterClient c;
    do {
        c.alias = std::string(kAliases[m_rng.index(std::size(kAliases))]);
    } while (aliasesInside.count(c.alias));
    c.recurring = !longStay;
    const int r = m_rng.between(0, 99);
    if (longStay) {
        c.exitProgramme = r < 65 ? ExitProgramme::Yes : r < 85 ? ExitProgramme::No : ExitProgramme::Unknown;
        if (m_rng.chance(0.6)) c.code = newCode(yearOf(day));
    } else {
        c.exitProgramme = r < 25 ? ExitProgramme::Yes : r < 62 ? ExitProgramme::No : ExitProgramme::Unknown;
        c.code = newCode(yearOf(day)); // how the shelter recognises a guest who comes back
    }
    m_clients.push_back(std::move(c));
    return m_clients.size() - 1;
}

void DemoGenerator::admit(const std::string& day, int64_t at, bool police) {
    if (m_recording && at > m_cutoff) return;
    const int free = freeBedCount();
    if (free == 0 || (free == 1 && !police)) return;
    const bool longStay = m_rng.chance(police ? kPoliceLongStayChance : kLongStayChance);
    const size_t client = chooseClient(day, longStay);
    ShelterClient& c = m_clients[client];

    std::vector<size_t> freeBeds;
    for (size_t b = 0; b < m_occupants.size(); ++b)
        if (!m_occupants[b]) freeBeds.push_back(b);
    const size_t bed = freeBeds[m_rng.index(freeBeds.size())];

    int nights = 0;
    if (longStay) {
        nights = 120 + static_cast<int>(245 * std::pow(m_rng.unit(), 0.8)); // four months to a year
    } else {
        const int r = m_rng.between(0, 99);
        nights = r < 20   ? m_rng.between(1, 3)
                 : r < 50 ? m_rng.between(4, 10)
                 : r < 82 ? m_rng.between(11, 28)
                          : m_rng.between(29, 60);
    }
    const std::string outDay = addDays(day, nights);

    CheckIn in;
    in.bedId = m_beds[bed];
    in.alias = c.alias;
    in.clientCode = c.code;
    in.exitProgramme = c.exitProgramme;
    if (police) {
        in.referral = StayReferral::Police;
    } else {
        const int r = m_rng.between(0, 99);
        in.referral = longStay ? (r < 60 ? StayReferral::SocialWork : StayReferral::Partner)
                               : (r < 55   ? StayReferral::SocialWork
                                  : r < 85 ? StayReferral::Partner
                                  : r < 95 ? StayReferral::Self
                                           : StayReferral::Other);
    }
    if (m_rng.chance(longStay ? 0.6 : 0.25))
        in.expectedOutDay = longStay ? std::max(day, addDays(outDay, m_rng.between(-14, 14))) : outDay;
    if (free == 1) {
        in.confirmEmergencyBed = true;
        in.emergencyReason = isoWeekday(day) >= 6 ? "police placement at the weekend" : "police placement at night";
    }
    in.when = When{at};
    int64_t stay = 0;
    if (m_recording) {
        stay = checkIn(m_store, Actor{Actor::Kind::Demo, m_dave}, in);
        ++m_summary.stays;
    }
    c.inside = true;
    m_occupants[bed] = Occupant{stay, client, outDay, longStay, in};
}

// The first day is the day Inloop went live: the women already staying are entered in the early morning.
void DemoGenerator::enterResidents(const std::string& day) {
    int entered = 0;
    const int beds = static_cast<int>(m_beds.size());
    for (auto& o : m_occupants) {
        if (!o) continue;
        CheckIn in = o->checkIn;
        in.when = When{unixFromLocal(day, 7 * 60 + 3 * entered)};
        if (in.expectedOutDay && *in.expectedOutDay < day) in.expectedOutDay.reset();
        in.confirmEmergencyBed = beds - entered == 1; // the domain counts the beds entered so far
        in.emergencyReason = in.confirmEmergencyBed ? "already staying here when Inloop started" : "";
        o->stayId = checkIn(m_store, Actor{Actor::Kind::Demo, m_dave}, in);
        ++m_summary.stays;
        ++entered;
    }
}

void DemoGenerator::shelterDay(const std::string& day) {
    // Everyone is out of bed by ten: departures in the morning, before new arrivals.
    for (auto& o : m_occupants) {
        if (!o || o->outDay != day) continue;
        const int64_t at = unixFromLocal(day, m_rng.between(8 * 60, 11 * 60 - 1));
        if (m_recording && at > m_cutoff) continue;
        const int r = m_rng.between(0, 99);
        const Destination dest = o->longStay ? (r < 30   ? Destination::OwnHome
                                                : r < 65 ? Destination::SupportedHousing
                                                : r < 75 ? Destination::OtherShelter
                                                : r < 85 ? Destination::HomeCountry
                                                : r < 90 ? Destination::Unknown
                                                         : Destination::LeftWithoutNotice)
                                             : (r < 35   ? Destination::LeftWithoutNotice
                                                : r < 65 ? Destination::Unknown
                                                : r < 85 ? Destination::OtherShelter
                                                : r < 90 ? Destination::HomeCountry
                                                : r < 95 ? Destination::OwnHome
                                                         : Destination::SupportedHousing);
        if (m_recording) checkOut(m_store, Actor{Actor::Kind::Demo, m_dave}, o->stayId, dest, When{at});
        ShelterClient& c = m_clients[o->client];
        c.inside = false;
        c.lastOutDay = day;
        o.reset();
    }
    const int weekday = isoWeekday(day);
    if (weekday <= 5 && !m_holidays.count(day))
        for (int tries = freeBedCount() - 1; tries > 0; --tries)
            if (m_rng.chance(kFillChance)) admit(day, unixFromLocal(day, m_rng.between(11 * 60, 17 * 60 - 1)), false);
    if (m_rng.chance(kPoliceChance)) {
        const int minute = weekday >= 6 ? m_rng.between(12 * 60, 24 * 60 - 1) : m_rng.between(22 * 60, 24 * 60 - 1);
        admit(day, unixFromLocal(day, minute), true);
    }
}

// [SECTION] the day loop
void DemoGenerator::runDay(const std::string& day) {
    const bool open = isOpen(day);
    if (open || day == m_first) restock(day, day == m_first);
    if (day == m_first) enterResidents(day);
    shelterDay(day);
    while (m_next < m_plan.size() && m_plan[m_next].day < day) ++m_next;
    for (; m_next < m_plan.size() && m_plan[m_next].day == day; ++m_next)
        if (m_plan[m_next].at <= m_cutoff) logPlanned(m_plan[m_next]);
    runSessions(day);
    if (open) kioskUse(day);
    if (open && isLastOpenDayOfMonth(day)) stockTake(day);
}

// The kiosk's anonymous daily counters: a handful of visitors a day choose a language and open a page or two.
void DemoGenerator::kioskUse(const std::string& day) {
    static constexpr Weighted<std::string_view> kKioskLanguage[] = {{"nl", 20}, {"en", 22}, {"ro", 16}, {"bg", 12},
                                                                     {"hu", 10}, {"es", 9},  {"th", 6},  {"zh", 5}};
    const int64_t noon = unixFromLocal(day, 12 * 60);
    if (noon > m_cutoff) return;
    const int visitors = m_rng.between(3, 12);
    for (int i = 0; i < visitors; ++i) {
        countKioskUse(m_store, "language", pick(m_rng, kKioskLanguage), When{noon});
        for (int p = m_rng.between(0, 3); p > 0; --p)
            countKioskUse(m_store, "page", kTopics[m_rng.index(kTopics.size())], When{noon});
    }
}

DemoSummary DemoGenerator::run() {
    {
        Transaction tx(m_store.db());
        setUpStaff();
        setUpSchedule();
        addClosures();
        for (const SupplyPlan& s : kSupplies)
            if (const auto id = findSupplyItem(m_store, s.code)) {
                m_items.emplace_back(std::string(s.code), *id);
                Statement& st = m_store.db().prepare("SELECT min_stock FROM supply_item WHERE id = ?");
                st.bind(1, *id);
                st.step();
                m_minStock.push_back(std::max<int64_t>(st.getInt(0), 10));
                st.reset();
            }
        // Beds free to use: in service and not taken.
        Statement& beds =
            m_store.db().prepare("SELECT id FROM bed b WHERE in_service = 1 AND NOT EXISTS "
                                 "(SELECT 1 FROM stay s WHERE s.bed_id = b.id AND s.out_at IS NULL) ORDER BY id");
        while (beds.step()) m_beds.push_back(beds.getInt(0));
        beds.reset();
        m_occupants.assign(m_beds.size(), std::nullopt);
        tx.commit();
    }
    // A year of shelter life in memory only, so the first day starts with a realistic board, not an empty one.
    m_recording = false;
    for (std::string day = addDays(m_first, -365); day < m_first; day = addDays(day, 1)) shelterDay(day);
    m_recording = true;
    int plannedYear = 0;
    for (std::string day = m_first; day <= m_today; day = addDays(day, 1)) {
        if (yearOf(day) != plannedYear) {
            plannedYear = yearOf(day);
            planYear(plannedYear);
        }
        runDay(day);
    }
    registerFutureSessions();
    m_summary.firstDay = m_first;
    m_summary.lastDay = m_today;
    return m_summary;
}

} // namespace

// [SECTION] generateDemo()
DemoSummary generateDemo(Store& store, const DemoOptions& options) {
    if (options.years < 1 || options.years > 15)
        throw Error(ErrorKind::InvalidInput, "demo.years", "Demo data covers 1 to 15 years.");
    const std::string today = options.today.empty() ? localDay(nowUnix()) : options.today;
    if (!isValidDay(today))
        throw Error(ErrorKind::InvalidInput, "demo.today", "The last demo day is not a date (YYYY-MM-DD).");
    if (today > localDay(nowUnix()))
        throw Error(ErrorKind::InvalidInput, "demo.today", "The last demo day cannot lie in the future.");
    if (!store.isDesk()) throw Error(ErrorKind::Storage, "store.kiosk", "Demo data needs the front desk's data.");
    if (store.db().queryInt("SELECT count(*) FROM contact") > 0)
        throw Error(ErrorKind::Conflict, "demo.not_empty",
                    "This store already holds contacts; demo data goes only into a new, empty store.");
    // All or nothing: one transaction, so a failure halfway leaves the store empty and demo can run again.
    Transaction tx(store.db());
    DemoSummary summary = DemoGenerator(store, options, today).run();
    tx.commit();
    return summary;
}

ScratchDemoStore::ScratchDemoStore(int years, const std::string& prefix) : m_dir(prefix) {
    Store::init(dir());
    Store store = Store::open(dir());
    DemoOptions demo;
    demo.years = years;
    generateDemo(store, demo);
}

} // namespace inloop::core
