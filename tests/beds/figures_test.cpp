// Tests the shelter figures on hand-made months whose answers were worked out by hand.
#include "support/temp_store.hpp"

#include "core/views/board_view.hpp"
#include "core/base/clock.hpp"
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

int64_t at(const char* day, int hour) { return unixFromLocal(day, hour * 60); }

struct PastStay {
    size_t bed;
    std::optional<std::string> code;
    ExitProgramme exit;
    const char* inDay;
    const char* outDay; // nullptr: still in
};

// Places the stays the way the shelter would have entered them: checked in at 21:00, out at 10:00.
void place(Store& store, const std::vector<PastStay>& stays) {
    const auto beds = bedIds(store);
    for (const auto& s : stays) {
        CheckIn in = stayIn(beds[s.bed], "Gast " + std::string(s.inDay));
        in.clientCode = s.code;
        in.exitProgramme = s.exit;
        in.when.at = at(s.inDay, 21);
        const int64_t id = checkIn(store, Actor::cli(), in);
        if (s.outDay) checkOut(store, Actor::cli(), id, Destination::SupportedHousing, When{at(s.outDay, 10)});
    }
}

// The five stays of the hand-made months (today is later than all of them; stay C is still open):
//   D  bed 4  no code   exit yes      2026-05-02 → 2026-05-20   18 nights, all in May
//   A  bed 1  "JUN-A1"  exit yes      2026-05-28 → 2026-06-05    8 nights: May 28..31 (4) + June 1..4 (4)
//   B  bed 2  no code   exit no       2026-06-10 → 2026-06-20   10 nights: June 10..19
//   C  bed 3  "jun a1"  exit unknown  2026-06-25 → open         June 25..30 (6), all of July (31), …
//   E  bed 5  "JUL-E5"  exit unknown  2026-07-03 → 2026-07-05    2 nights: July 3, 4
// A and C are the same visitor (the code is normalised), so A has to leave before C comes.
const std::vector<PastStay> kStays = {
    {3, std::nullopt, ExitProgramme::Yes, "2026-05-02", "2026-05-20"},
    {0, std::string("JUN-A1"), ExitProgramme::Yes, "2026-05-28", "2026-06-05"},
    {1, std::nullopt, ExitProgramme::No, "2026-06-10", "2026-06-20"},
    {2, std::string("jun a1"), ExitProgramme::Unknown, "2026-06-25", nullptr},
    {4, std::string("JUL-E5"), ExitProgramme::Unknown, "2026-07-03", "2026-07-05"},
};

} // namespace

TEST_SUITE("beds") {

TEST_CASE("June 2026 with three stays: 20 of 480 bed-nights, 2 clients, 9 nights on average") {
    TempStore ts;
    Store store = ts.open();
    place(store, kStays);
    REQUIRE(count(store, "SELECT count(*) FROM stay") == 5);
    REQUIRE(count(store, "SELECT count(DISTINCT client_id) FROM stay WHERE client_id IS NOT NULL") == 2);

    const ShelterFigures june = shelterFigures(store, "2026-06-01", "2026-06-30");
    // Bed-nights in June: A 4 (nights of June 1, 2, 3, 4) + B 10 (June 10..19) + C 6 (June 25..30) = 20.
    CHECK(june.bedNights == 20);
    // Available: 16 beds in service × 30 days = 480.
    CHECK(june.availableBedNights == 480);
    CHECK(june.occupancy() == doctest::Approx(20.0 / 480.0));
    // Stays touching June: A, B, C (D ended in May, E began in July) = 3.
    CHECK(june.stays == 3);
    // Clients: A and C share a code (1) + B without a code (1) = 2.
    CHECK(june.distinctClients == 2);
    // Stays that ended in June: A (8 nights) and B (10 nights): (8 + 10) / 2 = 9.
    CHECK(june.averageStayNights == doctest::Approx(9.0));
    // Exit programme: A yes, B no, C unknown: 1 yes of 2 known; the report's share is yes ÷ stays = 1/3.
    CHECK(june.exitProgrammeYes == 1);
    CHECK(june.exitProgrammeKnown == 2);
    CHECK(static_cast<double>(june.exitProgrammeYes) / june.stays == doctest::Approx(1.0 / 3.0));
}

TEST_CASE("the neighbouring months and short periods of the hand-made stays add up by hand") {
    TempStore ts;
    Store store = ts.open();
    place(store, kStays);

    // May (31 days): D 18 (May 2..19) + A 4 (May 28..31) = 22 of 16 × 31 = 496.
    const ShelterFigures may = shelterFigures(store, "2026-05-01", "2026-05-31");
    CHECK(may.bedNights == 22);
    CHECK(may.availableBedNights == 496);
    CHECK(may.stays == 2);
    CHECK(may.distinctClients == 2);                        // D without a code, A with one
    CHECK(may.averageStayNights == doctest::Approx(18.0)); // only D ended in May
    CHECK(may.exitProgrammeYes == 2);
    CHECK(may.exitProgrammeKnown == 2);

    // July (31 days): C the whole month (31, she is still in) + E 2 = 33 of 496; C and E are different visitors.
    const ShelterFigures july = shelterFigures(store, "2026-07-01", "2026-07-31");
    CHECK(july.bedNights == 33);
    CHECK(july.availableBedNights == 496);
    CHECK(july.stays == 2);
    CHECK(july.distinctClients == 2);
    CHECK(july.averageStayNights == doctest::Approx(2.0));
    CHECK(july.exitProgrammeYes == 0);
    CHECK(july.exitProgrammeKnown == 0);

    // The first half of June: A 4 + B 6 (June 10..15) = 10 of 16 × 15 = 240; only A ended in it (8 nights).
    const ShelterFigures firstHalf = shelterFigures(store, "2026-06-01", "2026-06-15");
    CHECK(firstHalf.bedNights == 10);
    CHECK(firstHalf.availableBedNights == 240);
    CHECK(firstHalf.stays == 2);
    CHECK(firstHalf.averageStayNights == doctest::Approx(8.0));

    // One day, June 30: only C sleeps there that night.
    const ShelterFigures lastDay = shelterFigures(store, "2026-06-30", "2026-06-30");
    CHECK(lastDay.bedNights == 1);
    CHECK(lastDay.availableBedNights == 16);
    CHECK(lastDay.stays == 1);
    CHECK(lastDay.averageStayNights == doctest::Approx(0.0)); // nothing ended that day

    // A quiet stretch: May 21..27, nobody in.
    const ShelterFigures quiet = shelterFigures(store, "2026-05-21", "2026-05-27");
    CHECK(quiet.bedNights == 0);
    CHECK(quiet.availableBedNights == 16 * 7);
    CHECK(quiet.stays == 0);
    CHECK(quiet.distinctClients == 0);
    CHECK(quiet.occupancy() == doctest::Approx(0.0));

    // May + June + July together: 22 + 20 + 33 = 75 bed-nights; the months add up.
    const ShelterFigures summer = shelterFigures(store, "2026-05-01", "2026-07-31");
    CHECK(summer.bedNights == 75);
    CHECK(summer.availableBedNights == 16 * (31 + 30 + 31));
    CHECK(summer.stays == 5);
    CHECK(summer.distinctClients == 4); // JUN-A1 once, JUL-E5, and D and B without codes
    CHECK(summer.averageStayNights == doctest::Approx((18.0 + 8.0 + 10.0 + 2.0) / 4.0));
}

} // TEST_SUITE
