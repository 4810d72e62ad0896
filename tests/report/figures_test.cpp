// Report figures on a small hand-made year (2025) whose every figure is worked out by hand, and local-day boundaries.
#include "support/temp_store.hpp"

#include "core/base/clock.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/report.hpp"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

const Actor kCli = Actor::cli();

int64_t at(const char* day, int hour, int minute = 0) { return unixFromLocal(day, hour * 60 + minute); }

int64_t logAt(Store& store, Channel channel, Gender gender, const char* language, std::vector<Topic> topics,
              std::optional<std::string> code, int64_t moment) {
    NewContact c;
    c.channel = channel;
    c.gender = gender;
    c.language = language;
    c.topics = std::move(topics);
    c.clientCode = std::move(code);
    c.when.at = moment;
    return logContact(store, kCli, c).id;
}

int64_t item(Store& store, const char* code) {
    const auto id = findSupplyItem(store, code);
    REQUIRE(id);
    return *id;
}

int64_t move(Store& store, int64_t itemId, StockKind kind, int64_t quantity, int64_t moment,
             std::optional<Payment> payment = std::nullopt, std::optional<int64_t> priceCents = std::nullopt) {
    StockChange ch;
    ch.itemId = itemId;
    ch.kind = kind;
    ch.quantity = quantity;
    ch.payment = payment;
    ch.priceCents = priceCents;
    if (kind == StockKind::Correction) ch.reason = "damaged in the cupboard";
    ch.when.at = moment;
    return moveStock(store, kCli, ch);
}

int64_t sessionOn(Store& store, const char* service, const char* day) {
    Statement st(store.db(), "SELECT s.id FROM session s JOIN service v ON v.id = s.service_id "
                             "WHERE v.code = ?1 AND s.day = ?2");
    st.bindAll(service, day);
    REQUIRE(st.step());
    return st.getInt(0);
}

int64_t book(Store& store, const char* service, const char* day) {
    return registerForSession(store, kCli, sessionOn(store, service, day), RegistrationSource::Kiosk, "nl",
                              std::nullopt, When{at(day, 8)})
        .registrationId;
}

std::vector<int64_t> beds(Store& store) {
    std::vector<int64_t> ids;
    Statement st(store.db(), "SELECT id FROM bed ORDER BY id");
    while (st.step()) ids.push_back(st.getInt(0));
    return ids;
}

int64_t arrive(Store& store, int64_t bed, std::optional<std::string> code, StayReferral referral,
               ExitProgramme programme, int64_t moment) {
    CheckIn in;
    in.bedId = bed;
    in.alias = "guest";
    in.clientCode = std::move(code);
    in.referral = referral;
    in.exitProgramme = programme;
    in.when.at = moment;
    return checkIn(store, kCli, in);
}

// Every figure under a prefix ("contacts.") as "suffix=value" lines, for whole-family comparisons.
std::string family(const Report& r, const std::string& prefix) {
    std::ostringstream out;
    for (const auto& [key, value] : r.figures)
        if (key.rfind(prefix, 0) == 0) out << key.substr(prefix.size()) << "=" << value << "\n";
    return out.str();
}
// The same, leaving out the zeros (every key of a family is there, 0 when nothing was counted).
std::string counted(const Report& r, const std::string& prefix) {
    std::ostringstream out;
    for (const auto& [key, value] : r.figures)
        if (key.rfind(prefix, 0) == 0 && value != 0) out << key.substr(prefix.size()) << "=" << value << "\n";
    return out.str();
}
std::string lines(const std::map<std::string, double>& expected) {
    std::ostringstream out;
    for (const auto& [key, value] : expected) out << key << "=" << value << "\n";
    return out.str();
}

// The hand-made year. Every figure of 2025 is worked out in the comments and checked by the tests below.
struct HandMadeYear {
    TempStore ts;
    Store store = ts.open();

    HandMadeYear() {
        contacts();
        supplies();
        spreekuren();
        shelter();
        kiosk();
    }

    // Walk-ins (4 count):
    //   W1 code AB12   02-03 11:00  woman   ro  {health, sti_test}
    //   W2 code ab-12  02-10 11:00  woman   ro  {health}           same visitor as W1 (case and dashes do not matter)
    //   W3 one tap     02-10 12:00, then details: trans, en, {money}, code CD34
    //   W4 no code     02-10 13:00  woman   nl  {coffee_chat}
    //   W5 no code     02-11 14:00  unknown nl  {}                  undone at 14:05: not counted
    //   W6 code EF56   02-12 15:00  woman   bg  {supplies_only}     undone at 15:02: not counted, EF56 is nobody
    //   → visits 4, unique visitors 2 (AB12, CD34), visits without a code 1 (W4).
    // Other channels:
    //   P1 phone           02-04 10:30  unknown nl  {sti_test}
    //   P2 phone           02-05 16:00  woman   en  {work, health}
    //   E1 email           02-06 09:00  unknown en  {}
    //   S1 outreach_street 02-07 20:00  woman   ro  {health}
    //   S2 outreach_street 02-07 21:00  trans   bg  {}
    //   O1 outreach_online 02-08 12:00  man     en  {work}
    // → contacts: walk_in 4, phone 2, email 1, outreach_street 2, outreach_online 1 (10 in all)
    //   by gender: woman W1 W2 W4 P2 S1 = 5, trans W3 S2 = 2, unknown P1 E1 = 2, man O1 = 1
    //   outreach by gender: woman 1 (S1), trans 1 (S2), man 1 (O1)
    //   topics: health W1 W2 P2 S1 = 4, sti_test W1 P1 = 2, work P2 O1 = 2, money W3 = 1, coffee_chat W4 = 1
    //   languages: en W3 P2 E1 O1 = 4, ro W1 W2 S1 = 3, nl W4 P1 = 2, bg S2 = 1
    void contacts() {
        using enum Channel;
        logAt(store, WalkIn, Gender::Woman, "ro", {Topic::Health, Topic::StiTest}, "AB12", at("2025-02-03", 11));
        logAt(store, WalkIn, Gender::Woman, "ro", {Topic::Health}, "ab-12", at("2025-02-10", 11));
        const int64_t w3 = logAt(store, WalkIn, Gender::Unknown, "nl", {}, std::nullopt, at("2025-02-10", 12));
        ContactDetails d;
        d.gender = Gender::Trans;
        d.language = "en";
        d.topics = {Topic::Money};
        d.clientCode = "CD34";
        updateContactDetails(store, kCli, w3, d);
        logAt(store, WalkIn, Gender::Woman, "nl", {Topic::CoffeeChat}, std::nullopt, at("2025-02-10", 13));
        const int64_t w5 = logAt(store, WalkIn, Gender::Unknown, "nl", {}, std::nullopt, at("2025-02-11", 14));
        undoContact(store, kCli, w5, When{at("2025-02-11", 14, 5)});
        const int64_t w6 = logAt(store, WalkIn, Gender::Woman, "bg", {Topic::SuppliesOnly}, "EF56", at("2025-02-12", 15));
        undoContact(store, kCli, w6, When{at("2025-02-12", 15, 2)});

        logAt(store, Phone, Gender::Unknown, "nl", {Topic::StiTest}, std::nullopt, at("2025-02-04", 10, 30));
        logAt(store, Phone, Gender::Woman, "en", {Topic::Work, Topic::Health}, std::nullopt, at("2025-02-05", 16));
        logAt(store, Email, Gender::Unknown, "en", {}, std::nullopt, at("2025-02-06", 9));
        logAt(store, OutreachStreet, Gender::Woman, "ro", {Topic::Health}, std::nullopt, at("2025-02-07", 20));
        logAt(store, OutreachStreet, Gender::Trans, "bg", {}, std::nullopt, at("2025-02-07", 21));
        logAt(store, OutreachOnline, Gender::Man, "en", {Topic::Work}, std::nullopt, at("2025-02-08", 12));
    }

    // lube (350 cents, minimum 40), stock after each move:
    //   02-03 delivery 50 → 50 | 02-04 handout 5 → 45 | 02-05 sale 3 cash (3 × 350 = 1050) → 42
    //   02-06 sale 2 card at 600 → 40 (not below 40) | 02-07 handout 4 → 36: falls below 40 — low-stock event 1
    //   02-08 handout 2 → 34 (already below: no new event) | 02-10 10:00 sale 1 (350) → 33, undone 10:05 → 34
    //   03-03 delivery 20 → 54 | 03-04 correction −3 → 51
    //   → handed out 5 + 4 + 2 = 11, sold 3 + 2 + 1 − 1 = 5, revenue 10.50 + 6.00 + 3.50 − 3.50 = 16.50,
    //     low-stock events 1 (in February)
    // flyer (free, minimum 50): 02-03 delivery 100, 02-04 handout 10, 02-05 handout 5 undone 02-05
    //   → handed out 10, sold 0, revenue 0, low-stock events 0.
    void supplies() {
        const int64_t lube = item(store, "lube"), flyer = item(store, "flyer");
        move(store, lube, StockKind::Delivery, 50, at("2025-02-03", 10));
        move(store, lube, StockKind::Handout, 5, at("2025-02-04", 10));
        move(store, lube, StockKind::Sale, 3, at("2025-02-05", 10), Payment::Cash);
        move(store, lube, StockKind::Sale, 2, at("2025-02-06", 10), Payment::Card, 600);
        move(store, lube, StockKind::Handout, 4, at("2025-02-07", 10));
        move(store, lube, StockKind::Handout, 2, at("2025-02-08", 10));
        const int64_t sale = move(store, lube, StockKind::Sale, 1, at("2025-02-10", 10), Payment::Cash);
        undoStockMove(store, kCli, sale, When{at("2025-02-10", 10, 5)});
        move(store, lube, StockKind::Delivery, 20, at("2025-03-03", 10));
        move(store, lube, StockKind::Correction, -3, at("2025-03-04", 10));
        REQUIRE(stockOf(store, lube) == 51);

        move(store, flyer, StockKind::Delivery, 100, at("2025-02-03", 10));
        move(store, flyer, StockKind::Handout, 10, at("2025-02-04", 10));
        const int64_t twice = move(store, flyer, StockKind::Handout, 5, at("2025-02-05", 10));
        undoStockMove(store, kCli, twice, When{at("2025-02-05", 10, 1)});
        REQUIRE(stockOf(store, flyer) == 90);
    }

    // Sessions: sti_test on Tuesdays, lawyer on Wednesdays (weekly rules, March and early April 2025).
    // sti_test:
    //   03-04: r1 seen, r2 no_show, r3 cancelled, r4 moved to 03-11 (r4')
    //   03-11: r4' seen, r5 called and still open at the end of the day → no_show (closeDays)
    //   03-25: r6 moved to 04-01 (r6'), seen there
    //   → March: registered 5 (r1 r2 r3 r4' r5), attended 2, no_show 2, cancelled 1; April: registered 1, attended 1
    //   → 2025: registered 6, attended 3, no_show 2, cancelled 1 (the moved rows r4 and r6 are not counted)
    // lawyer: 03-05 r7 seen; 03-12 r8 waiting, then the lawyer's session is cancelled (closure) → r8 cancelled
    //   → 2025: registered 2, attended 1, no_show 0, cancelled 1. Other services: all 0.
    void spreekuren() {
        NewRule sti;
        sti.serviceId = *findService(store, "sti_test");
        sti.weekday = 2;
        sti.startMin = 14 * 60;
        sti.endMin = 16 * 60;
        sti.capacity = 10;
        sti.validFrom = "2025-03-01";
        sti.validUntil = "2025-04-30";
        addScheduleRule(store, kCli, sti);
        NewRule lawyer = sti;
        lawyer.serviceId = *findService(store, "lawyer");
        lawyer.weekday = 3;
        addScheduleRule(store, kCli, lawyer);
        REQUIRE(generateSessions(store, "2025-03-01", 40) > 0);

        const int64_t r1 = book(store, "sti_test", "2025-03-04"), r2 = book(store, "sti_test", "2025-03-04"),
                      r3 = book(store, "sti_test", "2025-03-04"), r4 = book(store, "sti_test", "2025-03-04");
        const When afternoon{at("2025-03-04", 15)};
        setRegistrationStatus(store, kCli, r1, "seen", afternoon);
        setRegistrationStatus(store, kCli, r2, "no_show", afternoon);
        cancelRegistration(store, kCli, r3, afternoon);
        const Ticket r4moved = moveRegistration(store, kCli, r4, sessionOn(store, "sti_test", "2025-03-11"), afternoon);
        setRegistrationStatus(store, kCli, r4moved.registrationId, "seen", When{at("2025-03-11", 14)});
        const int64_t r5 = book(store, "sti_test", "2025-03-11");
        setRegistrationStatus(store, kCli, r5, "called", When{at("2025-03-11", 15)});

        const int64_t r7 = book(store, "lawyer", "2025-03-05");
        setRegistrationStatus(store, kCli, r7, "seen", When{at("2025-03-05", 14)});
        book(store, "lawyer", "2025-03-12");
        addClosure(store, kCli, "2025-03-12", *findService(store, "lawyer"), "lawyer ill");
        CHECK(closeDays(store, "2025-03-12") == 1); // r5 only: r8's session was cancelled

        const int64_t r6 = book(store, "sti_test", "2025-03-25");
        const Ticket r6moved = moveRegistration(store, kCli, r6, sessionOn(store, "sti_test", "2025-04-01"),
                                                When{at("2025-03-24", 9)});
        setRegistrationStatus(store, kCli, r6moved.registrationId, "seen", When{at("2025-04-01", 14)});
    }

    // 16 beds in service, so 2025 has 16 × 365 = 5840 available bed-nights.
    //   T0 bed1 GH78   2024-12-20 → 2025-01-05  partner      exit no       home_country         4 nights in 2025
    //   T1 bed2 AB12   2025-03-01 → 2025-03-11  social_work  exit yes      supported_housing   10 nights
    //   T2 bed3 AB12   2025-05-01 → 2025-05-04  self         exit no       own_home             3 nights
    //   T3 bed4 —      2025-06-10 → 2025-06-12  police       exit unknown  left_without_notice  2 nights
    //   T4 bed5 —      2025-12-28 → 2026-01-03  partner      exit yes      other_shelter        4 nights in 2025
    //   T5 bed6 IJ90   2025-12-30 → still there social_work  exit yes      —                    2 nights (to 31 Dec)
    // → 2025: stays 6; unique clients 5 (GH78, AB12, IJ90 + the two stays without a code);
    //   bed-nights 4 + 10 + 3 + 2 + 4 + 2 = 25; occupancy 25 / 5840;
    //   average stay of the stays that ended in 2025: (16 + 10 + 3 + 2) / 4 = 7.75;
    //   exit programme share 3 / 6 = 0.5 (T1 T4 T5);
    //   referral of stays begun in 2025: social_work 2 (T1 T5), self 1, police 1, partner 1 (T4; T0 began in 2024);
    //   destination of stays ended in 2025: home_country 1, supported_housing 1, own_home 1, left_without_notice 1.
    void shelter() {
        const std::vector<int64_t> b = beds(store);
        REQUIRE(b.size() == 16);
        const int64_t t0 = arrive(store, b[0], "GH78", StayReferral::Partner, ExitProgramme::No, at("2024-12-20", 18));
        checkOut(store, kCli, t0, Destination::HomeCountry, When{at("2025-01-05", 10)});
        const int64_t t1 = arrive(store, b[1], "AB12", StayReferral::SocialWork, ExitProgramme::Yes, at("2025-03-01", 18));
        checkOut(store, kCli, t1, Destination::SupportedHousing, When{at("2025-03-11", 10)});
        const int64_t t2 = arrive(store, b[2], "AB12", StayReferral::Self, ExitProgramme::No, at("2025-05-01", 18));
        checkOut(store, kCli, t2, Destination::OwnHome, When{at("2025-05-04", 10)});
        const int64_t t3 =
            arrive(store, b[3], std::nullopt, StayReferral::Police, ExitProgramme::Unknown, at("2025-06-10", 23));
        checkOut(store, kCli, t3, Destination::LeftWithoutNotice, When{at("2025-06-12", 7)});
        const int64_t t4 =
            arrive(store, b[4], std::nullopt, StayReferral::Partner, ExitProgramme::Yes, at("2025-12-28", 18));
        checkOut(store, kCli, t4, Destination::OtherShelter, When{at("2026-01-03", 10)});
        arrive(store, b[5], "IJ90", StayReferral::SocialWork, ExitProgramme::Yes, at("2025-12-30", 18));
    }

    // Kiosk counters: language ro × 3 and en × 1, page shelter × 2, one registration, one wipe (not a figure);
    // one more ro at 23:30 on 31 December 2024, which belongs to 2024.
    // → 2025: kiosk.sessions.ro 3, kiosk.sessions.en 1, kiosk.pages.shelter 2, kiosk.registrations 1.
    void kiosk() {
        for (int i = 0; i < 3; ++i) countKioskUse(store, "language", "ro", When{at("2025-02-03", 12, i)});
        countKioskUse(store, "language", "en", When{at("2025-06-01", 12)});
        countKioskUse(store, "page", "shelter", When{at("2025-02-03", 12, 5)});
        countKioskUse(store, "page", "shelter", When{at("2025-07-03", 12, 5)});
        countKioskUse(store, "registration", "sti_test", When{at("2025-03-03", 12)});
        countKioskUse(store, "wipe", "idle", When{at("2025-03-03", 12)});
        countKioskUse(store, "language", "ro", When{at("2024-12-31", 23, 30)});
    }

    Report year() { return buildReport(store, Period::year(2025)); }
    Report month(int m) { return buildReport(store, Period::month(2025, m)); }
};

} // namespace

TEST_SUITE("report") {

TEST_CASE("walk-ins: visits, distinct visitor codes and visits without a code, undone walk-ins left out") {
    HandMadeYear y;
    const Report r = y.year();
    CHECK(r.get("walk_in.visits") == 4);
    CHECK(r.get("walk_in.unique_visitors") == 2); // AB12 twice is one visitor; EF56 was undone
    CHECK(r.get("walk_in.visits_without_code") == 1);
    CHECK(r.get("contacts.walk_in") == r.get("walk_in.visits"));
    // All of them were in February; January and March have none.
    const Report feb = y.month(2);
    CHECK(feb.get("walk_in.visits") == 4);
    CHECK(feb.get("walk_in.unique_visitors") == 2);
    CHECK(y.month(1).get("walk_in.visits") == 0);
    CHECK(y.month(3).get("walk_in.visits") == 0);
}

TEST_CASE("contacts per channel and gender, outreach per gender, topics and languages") {
    HandMadeYear y;
    const Report r = y.year();
    CHECK(family(r, "contacts.") ==
          lines({{"walk_in", 4}, {"phone", 2}, {"email", 1}, {"outreach_street", 2}, {"outreach_online", 1}}));
    CHECK(counted(r, "contacts_by_gender.") == lines({{"woman", 5}, {"trans", 2}, {"unknown", 2}, {"man", 1}}));
    CHECK(counted(r, "outreach_by_gender.") == lines({{"woman", 1}, {"trans", 1}, {"man", 1}}));
    CHECK(counted(r, "topics.") ==
          lines({{"health", 4}, {"sti_test", 2}, {"work", 2}, {"money", 1}, {"coffee_chat", 1}}));
    CHECK(counted(r, "languages.") == lines({{"en", 4}, {"ro", 3}, {"nl", 2}, {"bg", 1}}));
}

TEST_CASE("consultation hours per service: registered, attended, no-show, cancelled, a moved registration counted once") {
    HandMadeYear y;
    const Report r = y.year();
    CHECK(family(r, "spreekuren.sti_test.") ==
          lines({{"registered", 6}, {"attended", 3}, {"no_show", 2}, {"cancelled", 1}}));
    CHECK(family(r, "spreekuren.lawyer.") ==
          lines({{"registered", 2}, {"attended", 1}, {"no_show", 0}, {"cancelled", 1}}));
    for (const char* service : {"accountant", "gp", "youth"})
        CHECK(family(r, std::string("spreekuren.") + service + ".") ==
              lines({{"registered", 0}, {"attended", 0}, {"no_show", 0}, {"cancelled", 0}}));
    // r6 was booked for 25 March and moved to 1 April: it counts in April only.
    CHECK(family(y.month(3), "spreekuren.sti_test.") ==
          lines({{"registered", 5}, {"attended", 2}, {"no_show", 2}, {"cancelled", 1}}));
    CHECK(family(y.month(4), "spreekuren.sti_test.") ==
          lines({{"registered", 1}, {"attended", 1}, {"no_show", 0}, {"cancelled", 0}}));
}

TEST_CASE("supplies: handed out, sold and revenue net of undos, and the stock falling below its minimum once") {
    HandMadeYear y;
    const Report r = y.year();
    CHECK(r.get("supplies.lube.handed_out") == 11);
    CHECK(r.get("supplies.lube.sold") == 5);
    CHECK(r.get("supplies.lube.revenue_eur") == doctest::Approx(16.5));
    CHECK(r.get("supplies.lube.low_stock_events") == 1);
    CHECK(family(r, "supplies.flyer.") ==
          lines({{"handed_out", 10}, {"sold", 0}, {"revenue_eur", 0}, {"low_stock_events", 0}}));
    // Every item of the catalogue has its four figures, zero when nothing moved.
    CHECK(family(r, "supplies.condom_m.") ==
          lines({{"handed_out", 0}, {"sold", 0}, {"revenue_eur", 0}, {"low_stock_events", 0}}));
    // The event happened in February; March's deliveries and correction are neither handed out nor sold.
    CHECK(y.month(2).get("supplies.lube.low_stock_events") == 1);
    CHECK(family(y.month(3), "supplies.lube.") ==
          lines({{"handed_out", 0}, {"sold", 0}, {"revenue_eur", 0}, {"low_stock_events", 0}}));
}

TEST_CASE("shelter: unique clients, stays, bed-nights, occupancy, average stay, exit programme, referral, destination") {
    HandMadeYear y;
    const Report r = y.year();
    CHECK(r.get("shelter.stays") == 6);
    CHECK(r.get("shelter.unique_clients") == 5);
    CHECK(r.get("shelter.bed_nights") == 25);
    CHECK(r.get("shelter.available_bed_nights") == 16 * 365);
    CHECK(r.get("shelter.occupancy_rate") == doctest::Approx(25.0 / 5840.0));
    CHECK(r.get("shelter.average_stay_nights") == doctest::Approx(7.75));
    CHECK(r.get("shelter.exit_programme_share_of_stays") == doctest::Approx(0.5));
    CHECK(counted(r, "shelter.referral.") == lines({{"social_work", 2}, {"self", 1}, {"police", 1}, {"partner", 1}}));
    CHECK(counted(r, "shelter.destination.") ==
          lines({{"home_country", 1}, {"supported_housing", 1}, {"own_home", 1}, {"left_without_notice", 1}}));
    // March alone: T1's 10 nights of 16 × 31 = 496; T1 is the only stay, ended in March after 10 nights.
    const Report march = y.month(3);
    CHECK(march.get("shelter.bed_nights") == 10);
    CHECK(march.get("shelter.available_bed_nights") == 496);
    CHECK(march.get("shelter.occupancy_rate") == doctest::Approx(10.0 / 496.0));
    CHECK(march.get("shelter.stays") == 1);
    CHECK(march.get("shelter.average_stay_nights") == doctest::Approx(10));
    CHECK(march.get("shelter.exit_programme_share_of_stays") == doctest::Approx(1));
}

TEST_CASE("kiosk counters: sessions per language, pages and registrations, by local day") {
    HandMadeYear y;
    const Report r = y.year();
    CHECK(counted(r, "kiosk.sessions.") == lines({{"ro", 3}, {"en", 1}}));
    CHECK(family(r, "kiosk.pages.") == lines({{"shelter", 2}}));
    CHECK(r.get("kiosk.registrations") == 1);
    for (const auto& [key, value] : r.figures) CHECK_MESSAGE(key.find("wipe") == std::string::npos, key);
    const Report before = buildReport(y.store, Period::year(2024));
    CHECK(counted(before, "kiosk.sessions.") == lines({{"ro", 1}}));
    CHECK(before.get("kiosk.registrations") == 0);
}

TEST_CASE("month and year boundaries follow local time in Amsterdam, not UTC") {
    TempStore ts;
    Store store = ts.open();
    // Walk-ins (local time; UTC is 1 hour behind in winter, 2 in summer):
    //   A 2025-11-30 23:59 no code  → November 2025
    //   B 2025-12-01 00:00 no code  → December 2025 (still 30 November in UTC)
    //   C 2025-12-31 23:59 code XY9 → December 2025, year 2025
    //   D 2026-01-01 00:00 code XY9 → January 2026, year 2026 (still 2025 in UTC)
    //   E 2025-03-31 23:30 no code  → March 2025 (summer time)
    //   F 2025-04-01 00:30 no code  → April 2025 (31 March 22:30 in UTC)
    // → 2025: visits 5 (A B C E F), unique 1, without code 4; 2026: visits 1, unique 1, without code 0.
    logAt(store, Channel::WalkIn, Gender::Woman, "nl", {}, std::nullopt, at("2025-11-30", 23, 59));
    logAt(store, Channel::WalkIn, Gender::Woman, "nl", {}, std::nullopt, at("2025-12-01", 0, 0));
    logAt(store, Channel::WalkIn, Gender::Woman, "nl", {}, "XY9", at("2025-12-31", 23, 59));
    logAt(store, Channel::WalkIn, Gender::Woman, "nl", {}, "XY9", at("2026-01-01", 0, 0));
    logAt(store, Channel::WalkIn, Gender::Woman, "nl", {}, std::nullopt, at("2025-03-31", 23, 30));
    logAt(store, Channel::WalkIn, Gender::Woman, "nl", {}, std::nullopt, at("2025-04-01", 0, 30));
    // The other tables' days are local too: a kiosk visit and a handout on each side of midnight,
    // and a stay that began at 00:30 on 1 January (one night, 1 → 2 January 2026).
    countKioskUse(store, "language", "en", When{at("2025-12-31", 23, 59)});
    countKioskUse(store, "language", "en", When{at("2026-01-01", 0, 0)});
    const int64_t flyer = item(store, "flyer");
    move(store, flyer, StockKind::Delivery, 100, at("2025-12-31", 10));
    move(store, flyer, StockKind::Handout, 2, at("2025-12-31", 23, 59));
    move(store, flyer, StockKind::Handout, 3, at("2026-01-01", 0, 0));
    const int64_t stayId =
        arrive(store, beds(store)[0], std::nullopt, StayReferral::Self, ExitProgramme::No, at("2026-01-01", 0, 30));
    checkOut(store, kCli, stayId, Destination::OwnHome, When{at("2026-01-02", 9)});

    const Report y2025 = buildReport(store, Period::year(2025)), y2026 = buildReport(store, Period::year(2026));
    CHECK(y2025.get("walk_in.visits") == 5);
    CHECK(y2025.get("walk_in.unique_visitors") == 1);
    CHECK(y2025.get("walk_in.visits_without_code") == 4);
    CHECK(y2026.get("walk_in.visits") == 1);
    CHECK(y2026.get("walk_in.unique_visitors") == 1);
    CHECK(y2026.get("walk_in.visits_without_code") == 0);

    CHECK(buildReport(store, Period::month(2025, 11)).get("walk_in.visits") == 1);
    CHECK(buildReport(store, Period::month(2025, 12)).get("walk_in.visits") == 2);
    CHECK(buildReport(store, Period::month(2026, 1)).get("walk_in.visits") == 1);
    CHECK(buildReport(store, Period::month(2025, 3)).get("walk_in.visits") == 1);
    CHECK(buildReport(store, Period::month(2025, 4)).get("walk_in.visits") == 1);

    CHECK(y2025.get("kiosk.sessions.en") == 1);
    CHECK(y2026.get("kiosk.sessions.en") == 1);
    CHECK(y2025.get("supplies.flyer.handed_out") == 2);
    CHECK(y2026.get("supplies.flyer.handed_out") == 3);

    CHECK(y2025.get("shelter.stays") == 0);
    CHECK(y2025.get("shelter.bed_nights") == 0);
    CHECK(y2025.get("shelter.referral.self") == 0);
    CHECK(y2026.get("shelter.stays") == 1);
    CHECK(y2026.get("shelter.bed_nights") == 1);
    CHECK(y2026.get("shelter.referral.self") == 1);
}

TEST_CASE("a stay from 2025-12-28 to 2026-01-03 has 4 bed-nights in 2025 and 2 in 2026") {
    TempStore ts;
    Store store = ts.open();
    // Nights of 28, 29, 30 and 31 December in 2025; of 1 and 2 January in 2026 (she leaves on the 3rd).
    const int64_t stayId =
        arrive(store, beds(store)[0], "KL12", StayReferral::Police, ExitProgramme::Yes, at("2025-12-28", 18));
    checkOut(store, kCli, stayId, Destination::OwnHome, When{at("2026-01-03", 10)});

    const Report y2025 = buildReport(store, Period::year(2025)), y2026 = buildReport(store, Period::year(2026));
    CHECK(y2025.get("shelter.bed_nights") == 4);
    CHECK(y2026.get("shelter.bed_nights") == 2);
    CHECK(buildReport(store, Period::month(2025, 12)).get("shelter.bed_nights") == 4);
    CHECK(buildReport(store, Period::month(2026, 1)).get("shelter.bed_nights") == 2);
    CHECK(buildReport(store, Period::month(2025, 11)).get("shelter.bed_nights") == 0);
    CHECK(buildReport(store, Period::month(2026, 2)).get("shelter.bed_nights") == 0);
    // The stay overlaps both years; it began in 2025 (referral) and ended in 2026 (destination, average stay 6).
    CHECK(y2025.get("shelter.stays") == 1);
    CHECK(y2026.get("shelter.stays") == 1);
    CHECK(y2025.get("shelter.unique_clients") == 1);
    CHECK(y2026.get("shelter.unique_clients") == 1);
    CHECK(y2025.get("shelter.referral.police") == 1);
    CHECK(y2026.get("shelter.referral.police") == 0);
    CHECK(y2025.get("shelter.destination.own_home") == 0);
    CHECK(y2026.get("shelter.destination.own_home") == 1);
    CHECK(y2025.get("shelter.average_stay_nights") == 0);
    CHECK(y2026.get("shelter.average_stay_nights") == doctest::Approx(6));
    CHECK(y2025.get("shelter.occupancy_rate") == doctest::Approx(4.0 / (16 * 365)));
}

TEST_CASE("periods are whole local years and months, leap days included") {
    const Period y = Period::year(2025);
    CHECK(y.from == "2025-01-01");
    CHECK(y.to == "2025-12-31");
    CHECK(y.label == "2025");
    const Period feb = Period::month(2024, 2);
    CHECK(feb.from == "2024-02-01");
    CHECK(feb.to == "2024-02-29");
    CHECK(feb.label == "2024-02");
    const Period dec = Period::month(2025, 12);
    CHECK(dec.from == "2025-12-01");
    CHECK(dec.to == "2025-12-31");
    CHECK(dec.label == "2025-12");
    // An empty store: every fixed figure is there and zero; the bed-nights available follow the days.
    TempStore ts;
    Store store = ts.open();
    const Report r = buildReport(store, feb);
    CHECK(r.period.label == "2024-02");
    CHECK(r.get("shelter.available_bed_nights") == 16 * 29);
    CHECK(r.figures.count("walk_in.visits") == 1);
    CHECK(r.figures.count("contacts.phone") == 1);
    CHECK(r.figures.count("spreekuren.sti_test.registered") == 1);
    CHECK(r.figures.count("supplies.condom_m.handed_out") == 1);
    CHECK(r.figures.count("shelter.occupancy_rate") == 1);
    for (const auto& [key, value] : r.figures)
        if (key != "shelter.available_bed_nights") CHECK_MESSAGE(value == 0, key);
}

} // TEST_SUITE
