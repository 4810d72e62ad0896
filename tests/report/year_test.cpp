// Issue 17, items 8–12: a second hand-made year (2023) whose answers are worked out by hand, entered through the
// domain API — people per outreach channel, exit programme per stay and per client, same-day stays, a bed out of
// service for part of the year and another one today — and a quiet year (2022) that must have the same keys.
#include "support/temp_store.hpp"

#include "core/views/board_view.hpp"
#include "core/base/clock.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/report.hpp"
#include "core/store/schema.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

const Actor kCli = Actor::cli();

int64_t at(const char* day, int hour) { return unixFromLocal(day, hour * 60); }

void contact(Store& store, Channel channel, Gender gender, std::optional<std::string> code, const char* day) {
    NewContact c;
    c.channel = channel;
    c.gender = gender;
    c.language = "en";
    c.clientCode = std::move(code);
    c.when.at = at(day, 12);
    logContact(store, kCli, c);
}

std::vector<int64_t> beds(Store& store) {
    std::vector<int64_t> ids;
    const auto stOwned = store.db().statement("SELECT id FROM bed ORDER BY id");
    Statement& st = *stOwned;
    while (st.step()) ids.push_back(st.getInt(0));
    return ids;
}

void stay(Store& store, int64_t bed, std::optional<std::string> code, StayReferral referral, ExitProgramme programme,
          int64_t in, int64_t out, Destination destination) {
    CheckIn c;
    c.bedId = bed;
    c.alias = "guest";
    c.clientCode = std::move(code);
    c.referral = referral;
    c.exitProgramme = programme;
    c.when.at = in;
    checkOut(store, kCli, checkIn(store, kCli, c), destination, When{out});
}

std::set<std::string> keysOf(const Report& r) {
    std::set<std::string> keys;
    for (const auto& [key, value] : r.figures)
        if (key.rfind("kiosk.pages.", 0) != 0) keys.insert(key); // pages: only those opened (see REPORT.md)
    return keys;
}

struct Year2023 {
    TempStore ts;
    Store store = ts.open();
    std::vector<int64_t> b = beds(store);

    // Online outreach: O1 ON1 woman, O2 ON1 woman, O3 ON2 man, O4 no code trans, O5 ON3 trans
    //   → contacts 5, people 3 (ON1 ON2 ON3), without code 1; people by gender woman 1, man 1, trans 1;
    //     contacts by gender woman 2, man 1, trans 2.
    // Street outreach: S1 ST1 woman, S2 ON1 woman (met online too: one person in each channel), S3 no code woman
    //   → contacts 3, people 2, without code 1; people by gender woman 2; contacts by gender woman 3.
    // Both channels by gender (contacts): woman 5, man 1, trans 2.
    // Walk-ins: WK1 twice, one without a code → visits 3, unique 1, without code 1.
    void contacts() {
        using enum Channel;
        contact(store, OutreachOnline, Gender::Woman, "ON1", "2023-03-01");
        contact(store, OutreachOnline, Gender::Woman, "ON1", "2023-03-05");
        contact(store, OutreachOnline, Gender::Man, "ON2", "2023-03-06");
        contact(store, OutreachOnline, Gender::Trans, std::nullopt, "2023-03-07");
        contact(store, OutreachOnline, Gender::Trans, "ON3", "2023-03-08");
        contact(store, OutreachStreet, Gender::Woman, "ST1", "2023-04-01");
        contact(store, OutreachStreet, Gender::Woman, "ON1", "2023-04-02");
        contact(store, OutreachStreet, Gender::Woman, std::nullopt, "2023-04-03");
        contact(store, WalkIn, Gender::Woman, "WK1", "2023-05-01");
        contact(store, WalkIn, Gender::Woman, "WK1", "2023-05-02");
        contact(store, WalkIn, Gender::Woman, std::nullopt, "2023-05-03");
    }

    //   A bed0 SH1  02-01 → 02-11  social_work  exit yes  own_home             10 nights
    //   B bed1 SH1  05-01 → 05-06  self         exit no   supported_housing     5 nights
    //   C bed2 SH2  06-01 → 06-04  partner      exit no   home_country          3 nights
    //   D bed3 —    07-01 → 07-03  police       exit yes  left_without_notice   2 nights
    //   E bed4 SH3  08-01 10:00 → 08-01 15:00   other  exit yes  other_shelter  no night: no stay, no client
    //   F bed5 —    08-02 10:00 → 08-02 15:00   other  exit yes  other_shelter  no night: no stay, no client
    // → stays 4; clients 3 (SH1, SH2, D); exit programme: stays 2 of 4 (A, D), clients 2 of 3 (SH1, D);
    //   average stay (10 + 5 + 3 + 2) / 4 = 5; referral other 0; destination other_shelter 0.
    void shelter() {
        stay(store, b[0], "SH1", StayReferral::SocialWork, ExitProgramme::Yes, at("2023-02-01", 18), at("2023-02-11", 10),
             Destination::OwnHome);
        stay(store, b[1], "SH1", StayReferral::Self, ExitProgramme::No, at("2023-05-01", 18), at("2023-05-06", 10),
             Destination::SupportedHousing);
        stay(store, b[2], "SH2", StayReferral::Partner, ExitProgramme::No, at("2023-06-01", 18), at("2023-06-04", 10),
             Destination::HomeCountry);
        stay(store, b[3], std::nullopt, StayReferral::Police, ExitProgramme::Yes, at("2023-07-01", 18),
             at("2023-07-03", 10), Destination::LeftWithoutNotice);
        stay(store, b[4], "SH3", StayReferral::Other, ExitProgramme::Yes, at("2023-08-01", 10), at("2023-08-01", 15),
             Destination::OtherShelter);
        stay(store, b[5], std::nullopt, StayReferral::Other, ExitProgramme::Yes, at("2023-08-02", 10),
             at("2023-08-02", 15), Destination::OtherShelter);
    }

    // Bed 16 out of service from 1 March to 31 March 2023 (back that day): 30 nights lost → 16 × 365 − 30 = 5810.
    // Bed 15 goes out of service today: 2023 keeps its 5810; this year loses tonight.
    void service() {
        setBedInService(store, kCli, b[15], false, "leaking radiator", When{at("2023-03-01", 9)});
        setBedInService(store, kCli, b[15], true, {}, When{at("2023-03-31", 9)});
        setBedInService(store, kCli, b[14], false, "bed frame broken");
    }

    Year2023() {
        REQUIRE(b.size() == 16);
        contacts();
        shelter();
        service();
    }
    Report year() { return buildReport(store, Period::year(2023)); }
};

} // namespace

TEST_SUITE("report") {

TEST_CASE("issue 17 #8: the exit programme per stay and per client, each named for what it counts") {
    Year2023 y;
    const Report r = y.year();
    CHECK(r.get("shelter.exit_programme_stays") == 2);
    CHECK(r.get("shelter.exit_programme_share_of_stays") == doctest::Approx(2.0 / 4.0));
    CHECK(r.get("shelter.exit_programme_clients") == 2);
    CHECK(r.get("shelter.exit_programme_share_of_clients") == doctest::Approx(2.0 / 3.0));
    CHECK(r.figures.count("shelter.exit_programme_share") == 0); // the old name said neither
}

TEST_CASE("issue 17 #9: outreach counts people per channel by visitor code, and genders per channel") {
    Year2023 y;
    const Report r = y.year();
    const std::pair<const char*, double> expected[] = {
        {"outreach_online.contacts", 5}, {"outreach_online.unique_people", 3},
        {"outreach_online.contacts_without_code", 1}, {"outreach_online.people_by_gender.woman", 1},
        {"outreach_online.people_by_gender.man", 1}, {"outreach_online.people_by_gender.trans", 1},
        {"outreach_online.contacts_by_gender.woman", 2}, {"outreach_online.contacts_by_gender.trans", 2},
        {"outreach_street.contacts", 3}, {"outreach_street.unique_people", 2},
        {"outreach_street.contacts_without_code", 1}, {"outreach_street.people_by_gender.woman", 2},
        {"outreach_street.people_by_gender.man", 0}, {"outreach_street.contacts_by_gender.woman", 3},
        {"outreach_by_gender.woman", 5}, {"outreach_by_gender.trans", 2}, // both channels together, contacts
        {"walk_in.visits", 3}, {"walk_in.unique_visitors", 1}, {"walk_in.visits_without_code", 1},
    };
    for (const auto& [key, value] : expected) CHECK_MESSAGE(r.get(key) == value, key);
}

TEST_CASE("issue 17 #10: a period's capacity is what it was then, whatever happens to the beds later") {
    Year2023 y;
    const Report r = y.year();
    CHECK(r.get("shelter.available_bed_nights") == 16 * 365 - 30);
    CHECK(buildReport(y.store, Period::month(2023, 3)).get("shelter.available_bed_nights") == 16 * 31 - 30);
    CHECK(buildReport(y.store, Period::month(2023, 4)).get("shelter.available_bed_nights") == 16 * 30);
    // This year: bed 15 is out of service from today, so tonight is not available.
    const std::string today = localDay(nowUnix());
    const Period thisYear = Period::year(yearOf(today));
    const int days = daysBetween(thisYear.from, today) + 1;
    CHECK(buildReport(y.store, thisYear).get("shelter.available_bed_nights") == 16 * days - 1);
    // The history: one closed spell, one open one.
    CHECK(y.store.db().queryInt("SELECT count(*) FROM bed_service WHERE in_day IS NULL") == 1);
    CHECK(y.store.db().queryInt("SELECT count(*) FROM bed_service WHERE in_day = '2023-03-31'") == 1);
}

TEST_CASE("issue 17 #10: the migration that starts the history records the beds out of service then") {
    TempDir dir;
    {
        SqliteDatabase db(dir.path() / "desk.db", SqliteDatabase::Mode::ReadWriteCreate);
        migrate(db, StoreFile::Desk, 1); // the first schema: beds, no history
        db.exec("INSERT INTO room (name) VALUES ('Kamer 1');"
                "INSERT INTO bed (room_id, label, tier, in_service, out_reason) VALUES (1, '1', 'single', 0, 'mould'),"
                " (1, '2', 'single', 1, '')");
        migrate(db, StoreFile::Desk);
        CHECK(db.queryInt("SELECT count(*) FROM bed_service") == 1);
        CHECK(db.queryInt("SELECT count(*) FROM bed_service WHERE bed_id = 1 AND in_day IS NULL AND reason = 'mould' "
                          "AND out_day = date('now', 'localtime')") == 1);
    }
}

TEST_CASE("issue 17 #11: a quiet year has every key of a busy one, with 0 — money has two decimals") {
    Year2023 y;
    const Report busy = y.year();
    const Report quiet = buildReport(y.store, Period::year(2022));
    CHECK(keysOf(quiet) == keysOf(busy));
    for (const char* key : {"outreach_by_gender.non_binary", "contacts_by_gender.not_said", "topics.law",
                            "languages.nl", "shelter.referral.police", "shelter.destination.unknown",
                            "outreach_online.people_by_gender.woman", "kiosk.sessions.th", "kiosk.registrations"}) {
        CHECK_MESSAGE(quiet.figures.count(key) == 1, key);
        CHECK_MESSAGE(busy.figures.count(key) == 1, key);
    }
    const std::string json = reportJson(quiet), csv = reportCsv(quiet, "nl"), csvEn = reportCsv(quiet, "en");
    CHECK(json.find("\"outreach_by_gender\": {") != std::string::npos);
    CHECK(json.find("\"non_binary\": 0") != std::string::npos);
    CHECK(json.find("\"revenue_eur\": 0.00") != std::string::npos);
    CHECK(csv.find("2022;shelter.referral.police;0\r\n") != std::string::npos);
    CHECK(csv.find("2022;supplies.lube.revenue_eur;0,00\r\n") != std::string::npos);
    CHECK(csvEn.find("2022,supplies.lube.revenue_eur,0.00\r\n") != std::string::npos);
}

TEST_CASE("issue 17 #12: a stay with no night is no stay and no client, as the glossary says") {
    Year2023 y;
    const Report r = y.year();
    CHECK(r.get("shelter.stays") == 4);
    CHECK(r.get("shelter.unique_clients") == 3);
    CHECK(r.get("shelter.bed_nights") == 20);
    CHECK(r.get("shelter.average_stay_nights") == doctest::Approx(5));
    CHECK(r.get("shelter.referral.other") == 0);
    CHECK(r.get("shelter.destination.other_shelter") == 0);
    const ShelterFigures august = shelterFigures(y.store, "2023-08-01", "2023-08-31");
    CHECK(august.stays == 0);
    CHECK(august.distinctClients == 0);
}

} // TEST_SUITE
