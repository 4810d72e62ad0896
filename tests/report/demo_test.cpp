// The report on two years of demo data: it agrees with direct SQL counts, looks like Spot 46, and months add up.
#include "support/temp_store.hpp"

#include "core/base/clock.hpp"
#include "core/domain/demo.hpp"
#include "core/domain/report.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

// Two whole calendar years, 2024 and 2025, the same on every run (the last day lies in the past).
struct DemoYears {
    TempStore ts;
    Store store = ts.open();
    DemoSummary summary;
    DemoYears() {
        DemoOptions options;
        options.years = 2;
        options.seed = 46;
        options.today = "2025-12-31";
        summary = generateDemo(store, options);
        REQUIRE(summary.firstDay == "2024-01-01");
    }
    int64_t count(const std::string& sql) { return store.db().queryInt(sql); }
    std::vector<std::string> codes(const char* table) {
        std::vector<std::string> out;
        Statement st(store.db(), std::string("SELECT code FROM ") + table + " ORDER BY code");
        while (st.step()) out.push_back(st.getText(0));
        return out;
    }
};

// Counted contacts of 2025, written apart from the report's own SQL: not an undo, not undone.
const std::string kContacts2025 = "FROM contact c WHERE c.day >= '2025-01-01' AND c.day <= '2025-12-31' "
                                  "AND c.reverses IS NULL "
                                  "AND c.id NOT IN (SELECT reverses FROM contact WHERE reverses IS NOT NULL)";

// Figures that are not sums over days: distinct people, stays overlapping the period, ratios, averages.
const std::set<std::string> kNotAdditive = {"walk_in.unique_visitors", "shelter.unique_clients",
                                            "shelter.stays",           "shelter.occupancy_rate",
                                            "shelter.average_stay_nights", "shelter.exit_programme_share_of_stays",
                                            "shelter.exit_programme_stays", "shelter.exit_programme_clients",
                                            "shelter.exit_programme_share_of_clients",
                                            "outreach_street.unique_people", "outreach_online.unique_people"};

} // namespace

TEST_SUITE("report") {

TEST_CASE("on demo data the figures agree with direct SQL counts") {
    DemoYears d;
    const Report r = buildReport(d.store, Period::year(2025));
    // The double taps that were undone are in the data, so leaving them out is tested too.
    REQUIRE(d.count("SELECT count(*) FROM contact WHERE reverses IS NOT NULL AND day LIKE '2025-%'") > 0);

    CHECK(r.get("walk_in.visits") == d.count("SELECT count(*) " + kContacts2025 + " AND c.channel = 'walk_in'"));
    CHECK(r.get("walk_in.unique_visitors") ==
          d.count("SELECT count(DISTINCT c.client_id) " + kContacts2025 + " AND c.channel = 'walk_in'"));
    CHECK(r.get("walk_in.visits_without_code") ==
          d.count("SELECT count(*) " + kContacts2025 + " AND c.channel = 'walk_in' AND c.client_id IS NULL"));
    for (const char* channel : {"walk_in", "phone", "email", "outreach_street", "outreach_online"})
        CHECK_MESSAGE(r.get(std::string("contacts.") + channel) ==
                          d.count("SELECT count(*) " + kContacts2025 + " AND c.channel = '" + channel + "'"),
                      channel);

    // Consultation hours: rows that were not moved on, by the day of their session.
    int64_t registeredAll = 0;
    for (const std::string& service : d.codes("service")) {
        INFO("service " << service);
        const std::string base = "SELECT count(*) FROM registration g JOIN session s ON s.id = g.session_id "
                                 "JOIN service v ON v.id = s.service_id WHERE v.code = '" + service +
                                 "' AND s.day >= '2025-01-01' AND s.day <= '2025-12-31' AND g.moved_to IS NULL";
        const int64_t registered = d.count(base);
        registeredAll += registered;
        CHECK(r.get("spreekuren." + service + ".registered") == registered);
        CHECK(r.get("spreekuren." + service + ".attended") == d.count(base + " AND g.status = 'seen'"));
        CHECK(r.get("spreekuren." + service + ".no_show") == d.count(base + " AND g.status = 'no_show'"));
        CHECK(r.get("spreekuren." + service + ".cancelled") == d.count(base + " AND g.status = 'cancelled'"));
    }
    CHECK(registeredAll > 500);

    // Supplies: units out minus units undone, per item; revenue of the sales.
    int64_t handedOutAll = 0;
    for (const std::string& code : d.codes("supply_item")) {
        INFO("item " << code);
        const std::string item = "(SELECT id FROM supply_item WHERE code = '" + code + "')";
        const auto units = [&](const char* kind) {
            return d.count("SELECT COALESCE(-sum(qty), 0) FROM stock_move WHERE item_id = " + item + " AND kind = '" +
                           kind + "' AND day BETWEEN '2025-01-01' AND '2025-12-31'") -
                   d.count("SELECT COALESCE(sum(u.qty), 0) FROM stock_move u JOIN stock_move o ON o.id = u.reverses "
                           "WHERE u.item_id = " + item + " AND o.kind = '" + kind +
                           "' AND u.day BETWEEN '2025-01-01' AND '2025-12-31'");
        };
        const int64_t handedOut = units("handout");
        handedOutAll += handedOut;
        CHECK(r.get("supplies." + code + ".handed_out") == handedOut);
        CHECK(r.get("supplies." + code + ".sold") == units("sale"));
        CHECK(r.get("supplies." + code + ".revenue_eur") * 100 ==
              doctest::Approx(d.count("SELECT COALESCE(sum(price_cents), 0) FROM stock_move WHERE item_id = " + item +
                                      " AND kind = 'sale' AND day BETWEEN '2025-01-01' AND '2025-12-31'") -
                              d.count("SELECT COALESCE(sum(u.price_cents), 0) FROM stock_move u JOIN stock_move o "
                                      "ON o.id = u.reverses WHERE u.item_id = " + item +
                                      " AND o.kind = 'sale' AND u.day BETWEEN '2025-01-01' AND '2025-12-31'")));
    }
    CHECK(handedOutAll > 1000);

    // Shelter: nights counted here, stay by stay (a night of day D when in_day <= D < out_day).
    int64_t nights = 0;
    Statement stays(d.store.db(), "SELECT in_day, out_day FROM stay");
    while (stays.step()) {
        const std::string from = std::max(stays.getText(0), std::string("2025-01-01"));
        const std::string to = stays.isNull(1) ? "2026-01-01" : std::min(stays.getText(1), std::string("2026-01-01"));
        nights += std::max(0, daysBetween(from, to));
    }
    CHECK(r.get("shelter.bed_nights") == nights);
    CHECK(r.get("shelter.available_bed_nights") == 365 * d.count("SELECT count(*) FROM bed WHERE in_service = 1"));
    CHECK(r.get("shelter.referral.police") ==
          d.count("SELECT count(*) FROM stay WHERE referral = 'police' AND in_day LIKE '2025-%'"));
}

TEST_CASE("on demo data each whole year looks like Spot 46's published figures") {
    DemoYears d;
    for (int year : {2024, 2025}) {
        const Report r = buildReport(d.store, Period::year(year));
        INFO("year " << year << ": visits " << r.get("walk_in.visits") << ", visitors "
                     << r.get("walk_in.unique_visitors") << ", phone " << r.get("contacts.phone") << ", shelter "
                     << r.get("shelter.unique_clients") << ", occupancy " << r.get("shelter.occupancy_rate"));
        CHECK(r.get("walk_in.visits") >= 900);
        CHECK(r.get("walk_in.visits") <= 1150);
        CHECK(r.get("walk_in.unique_visitors") >= 200);
        CHECK(r.get("walk_in.unique_visitors") <= 260);
        CHECK(r.get("contacts.phone") >= 500);
        CHECK(r.get("contacts.phone") <= 650);
        CHECK(r.get("shelter.unique_clients") >= 35);
        CHECK(r.get("shelter.unique_clients") <= 60);
        CHECK(r.get("shelter.occupancy_rate") >= 0.7);
        CHECK(r.get("shelter.occupancy_rate") <= 0.95);
        CHECK(r.get("shelter.exit_programme_share_of_stays") > 0);
        CHECK(r.get("shelter.exit_programme_share_of_stays") < 1);
    }
}

TEST_CASE("on demo data the twelve monthly reports add up to the yearly counts") {
    DemoYears d;
    const Report year = buildReport(d.store, Period::year(2025));
    std::map<std::string, double> sums;
    double maxVisitors = 0;
    for (int m = 1; m <= 12; ++m) {
        const Report month = buildReport(d.store, Period::month(2025, m));
        CHECK(month.get("walk_in.visits") > 0);
        for (const auto& [key, value] : month.figures) sums[key] += value;
        maxVisitors = std::max(maxVisitors, month.get("walk_in.visits") > 0 ? month.get("walk_in.unique_visitors") : 0);
    }
    CHECK(sums["walk_in.visits"] == year.get("walk_in.visits"));
    CHECK(sums["contacts.phone"] == year.get("contacts.phone"));
    int compared = 0;
    for (const auto& [key, value] : year.figures) {
        if (kNotAdditive.count(key) || key.find(".people_by_gender.") != std::string::npos) continue;
        CHECK_MESSAGE(sums[key] == doctest::Approx(value), key << ": months " << sums[key] << ", year " << value);
        ++compared;
    }
    for (const auto& [key, value] : sums)
        CHECK_MESSAGE(year.figures.count(key) == 1, key << " appears in a month but not in the year");
    CHECK(compared > 60);
    // Distinct visitors do not add up: the year has at least the busiest month's and at most the months' sum.
    CHECK(year.get("walk_in.unique_visitors") >= maxVisitors);
    CHECK(year.get("walk_in.unique_visitors") < sums["walk_in.unique_visitors"]);
    CHECK(year.get("shelter.occupancy_rate") ==
          doctest::Approx(year.get("shelter.bed_nights") / year.get("shelter.available_bed_nights")));
}

TEST_CASE("on demo data the kiosk's registrations are counted") {
    // Known gap (see the report): the demo registers people for sessions through the kiosk but never counts
    // them in kiosk_usage, as the kiosk itself does (kiosk/kiosk.cpp), so kiosk.registrations stays 0.
    DemoYears d;
    const Report r = buildReport(d.store, Period::year(2025));
    const int64_t fromKiosk = d.count("SELECT count(*) FROM registration WHERE source = 'kiosk' AND created_at >= " +
                                      std::to_string(unixFromLocal("2025-01-01", 0)) + " AND created_at < " +
                                      std::to_string(unixFromLocal("2026-01-01", 0)));
    REQUIRE(fromKiosk > 0);
    CHECK(r.get("kiosk.registrations") == fromKiosk);
}

} // TEST_SUITE
