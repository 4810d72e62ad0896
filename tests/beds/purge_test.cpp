// Tests the alias purge after the retention period: names go (from the file too), the figures stay.
#include "support/temp_store.hpp"

#include "core/views/board_view.hpp"
#include "core/base/clock.hpp"
#include "store/helpers.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

using namespace inloop::core;
using namespace inloop::test;
using namespace std::chrono_literals;

namespace {

int64_t at(const char* day, int hour) { return unixFromLocal(day, hour * 60); }

std::string idText(int64_t id) { return std::to_string(id); }

bool fileContains(const std::filesystem::path& file, const std::string& needle) {
    return std::filesystem::exists(file) && readBytes(file).find(needle) != std::string::npos;
}

// Whether the alias is anywhere in desk.db or its WAL.
bool onDisk(const StorePaths& paths, const std::string& alias) {
    return fileContains(paths.deskDb(), alias) || fileContains(paths.deskDb().string() + "-wal", alias);
}

int64_t pastStay(Store& store, int64_t bed, const std::string& alias, const char* inDay, const char* outDay) {
    CheckIn in = stayIn(bed, alias);
    in.clientCode = alias + "-code";
    in.exitProgramme = ExitProgramme::Yes;
    in.when.at = at(inDay, 21);
    const int64_t id = checkIn(store, Actor::cli(), in);
    if (outDay) checkOut(store, Actor::cli(), id, Destination::OtherShelter, When{at(outDay, 10)});
    return id;
}

bool sameFigures(const ShelterFigures& a, const ShelterFigures& b) {
    return a.bedNights == b.bedNights && a.availableBedNights == b.availableBedNights &&
           a.distinctClients == b.distinctClients && a.stays == b.stays && a.averageStayNights == b.averageStayNights &&
           a.exitProgrammeYes == b.exitProgrammeYes && a.exitProgrammeKnown == b.exitProgrammeKnown;
}

} // namespace

TEST_SUITE("beds") {

TEST_CASE("purging aliases removes the names of ended stays from the file and keeps every figure" * doctest::test_suite("sqlite")) {
    TempStore ts;
    const StorePaths paths{ts.data};
    Store store = ts.open();
    const auto beds = bedIds(store);
    // Distinct, searchable aliases.
    const int64_t amber = pastStay(store, beds[0], "Zq-Amberlyn", "2026-05-28", "2026-06-05");
    const int64_t berk = pastStay(store, beds[1], "Zq-Berkelien", "2026-06-10", "2026-06-20");
    const int64_t ceder = pastStay(store, beds[2], "Zq-Cederique", "2026-06-25", nullptr);  // still in
    const int64_t eik = pastStay(store, beds[3], "Zq-Eikelien", "2026-06-28", "2026-07-01"); // left on the day itself
    const int64_t els = pastStay(store, beds[4], "Zq-Elsbeth", "2026-07-02", "2026-07-09");  // after it
    const ShelterFigures juneBefore = shelterFigures(store, "2026-06-01", "2026-06-30");
    const ShelterFigures summerBefore = shelterFigures(store, "2026-05-01", "2026-07-31");
    REQUIRE(juneBefore.bedNights == 4 + 10 + 6 + 3);
    const int64_t audits = auditRows(store);
    CHECK(onDisk(paths, "Zq-Amberlyn"));

    // Stays that ended before 1 July lose their alias.
    CHECK(purgeAliases(store, Actor::cli(), "2026-07-01") == 2);
    const auto aliasOf = [&](int64_t stay) {
        return store.db().queryText("SELECT COALESCE(alias, '<null>') FROM stay WHERE id = " + idText(stay));
    };
    CHECK(aliasOf(amber) == "<null>");
    CHECK(aliasOf(berk) == "<null>");
    CHECK(aliasOf(ceder) == "Zq-Cederique");
    CHECK(aliasOf(eik) == "Zq-Eikelien");
    CHECK(aliasOf(els) == "Zq-Elsbeth");
    CHECK(count(store, "SELECT count(*) FROM stay") == 5); // the stays themselves remain

    // Not in the bytes either (secure_delete, then the checkpoint after the purge); the kept ones are.
    CHECK_FALSE(onDisk(paths, "Zq-Amberlyn"));
    CHECK_FALSE(onDisk(paths, "Zq-Berkelien"));
    CHECK(onDisk(paths, "Zq-Cederique"));
    CHECK(onDisk(paths, "Zq-Elsbeth"));

    // Every figure of the old periods is the same.
    const ShelterFigures juneAfter = shelterFigures(store, "2026-06-01", "2026-06-30");
    const ShelterFigures summerAfter = shelterFigures(store, "2026-05-01", "2026-07-31");
    CHECK(sameFigures(juneAfter, juneBefore));
    CHECK(sameFigures(summerAfter, summerBefore));
    CHECK(juneAfter.bedNights == 23);
    CHECK(juneAfter.distinctClients == 4);

    // The run is recorded, in purge_run and in the audit log.
    CHECK(count(store, "SELECT count(*) FROM purge_run") == 1);
    CHECK(store.db().queryText("SELECT what || ' ' || before_day || ' ' || rows FROM purge_run") ==
          "stay_alias 2026-07-01 2");
    CHECK(auditRows(store) == audits + 1);
    CHECK(store.db().queryText("SELECT action || ' ' || entity || ' ' || detail FROM audit_log ORDER BY id DESC LIMIT 1") ==
          "purge stay 2026-07-01: 2");

    // The board still shows Ceder, who is still in.
    const BoardView board = loadBoard(store, true);
    CHECK(board.occupied == 1);

    // Again: nothing left to purge, but the run is still recorded.
    CHECK(purgeAliases(store, Actor::cli(), "2026-07-01") == 0);
    CHECK(count(store, "SELECT count(*) FROM purge_run") == 2);
    CHECK(count(store, "SELECT rows FROM purge_run ORDER BY id DESC LIMIT 1") == 0);
    CHECK(aliasOf(ceder) == "Zq-Cederique");
    CHECK(aliasOf(eik) == "Zq-Eikelien");
    CHECK(sameFigures(shelterFigures(store, "2026-06-01", "2026-06-30"), juneBefore));
    CHECK_ERROR(purgeAliases(store, Actor::cli(), "1 July"), ErrorKind::InvalidInput, "date");
    CHECK(count(store, "SELECT count(*) FROM purge_run") == 2);
}

TEST_CASE("the retention cutoff is 24 months back by default and follows the retention.months setting") {
    TempStore ts;
    Store store = ts.open();
    CHECK(retentionMonths(store) == 24);
    CHECK(retentionCutoff(store, "2026-11-22") == "2024-11-22");
    CHECK(retentionCutoff(store, "2026-01-05") == "2024-01-05");

    store.db().exec("UPDATE setting SET value = '6' WHERE key = 'retention.months'");
    CHECK(retentionMonths(store) == 6);
    CHECK(retentionCutoff(store, "2026-11-22") == "2026-05-22");
    CHECK(retentionCutoff(store, "2026-03-10") == "2025-09-10"); // across the year

    store.db().exec("UPDATE setting SET value = '13' WHERE key = 'retention.months'");
    CHECK(retentionCutoff(store, "2026-11-22") == "2025-10-22");
    store.db().exec("UPDATE setting SET value = '1' WHERE key = 'retention.months'");
    CHECK(retentionCutoff(store, "2026-01-15") == "2025-12-15");

    // The cutoff drives the purge the desk runs daily: a stay that ended 7 months ago goes with 6 months' retention.
    store.db().exec("UPDATE setting SET value = '6' WHERE key = 'retention.months'");
    const int64_t bed = bedIds(store)[0];
    CheckIn in = stayIn(bed, "Zq-Maartje");
    in.when.at = at("2026-04-01", 21);
    const int64_t stay = checkIn(store, Actor::cli(), in);
    checkOut(store, Actor::cli(), stay, Destination::OwnHome, When{at("2026-04-20", 10)});
    CHECK(purgeAliases(store, Actor::cli(), retentionCutoff(store, "2026-11-22")) == 1);
    CHECK(count(store, "SELECT count(*) FROM stay WHERE alias IS NULL") == 1);
}

// purgeAliases purges reservations only when their status is not 'open'; one that lapsed unanswered stays 'open'
// for ever (only a new reservation on the same bed closes it), so its alias is never purged.
TEST_CASE("the alias of a reservation that lapsed unanswered is purged like a cancelled one") {
    TempStore ts;
    Store store = ts.open();
    const auto beds = bedIds(store);
    NewReservation r;
    r.bedId = beds[0];
    r.alias = "Zq-Vervallen";
    r.expectedAt = nowUnix();
    r.expiresAt = nowUnix() + 1;
    const int64_t lapsed = reserveBed(store, Actor::cli(), r);
    r.bedId = beds[1];
    r.alias = "Zq-Afgezegd";
    r.expiresAt = nowUnix() + 3600;
    const int64_t cancelled = reserveBed(store, Actor::cli(), r);
    cancelReservation(store, Actor::cli(), cancelled);
    const int64_t lapse = count(store, "SELECT expires_at FROM reservation WHERE id = " + idText(lapsed));
    while (nowUnix() <= lapse) std::this_thread::sleep_for(100ms);
    REQUIRE(freeBeds(store) == 16); // both have ended

    // Both ended today, so both are before tomorrow.
    const std::string tomorrow = addDays(localDay(nowUnix()), 1);
    CHECK(purgeAliases(store, Actor::cli(), tomorrow) == 2);
    CHECK(store.db().queryText("SELECT COALESCE(alias, '<null>') FROM reservation WHERE id = " + idText(cancelled)) ==
          "<null>");
    CHECK(store.db().queryText("SELECT COALESCE(alias, '<null>') FROM reservation WHERE id = " + idText(lapsed)) ==
          "<null>");
}

} // TEST_SUITE
