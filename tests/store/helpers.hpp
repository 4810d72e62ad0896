// Small helpers shared by the store test files: counting rows, making sessions, finding beds.
#pragma once

#include "core/base/clock.hpp"
#include "core/domain/domain.hpp"
#include "core/store/sqlite.hpp"
#include "core/store/store.hpp"

#include "support/check_error.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::test {

inline int64_t count(core::Store& store, const std::string& sql) { return store.db().queryInt(sql); }
inline int64_t auditRows(core::Store& store) { return count(store, "SELECT count(*) FROM audit_log"); }

// A future day of the given ISO weekday that is not a Dutch public holiday.
inline std::string plainDay(int weekday, std::string_view from = "2030-03-04") {
    std::string day(from);
    while (core::isoWeekday(day) != weekday || core::isDutchHoliday(day)) day = core::addDays(day, 1);
    return day;
}

// One session of the service `serviceCode` with this capacity on `day`, made the way the site makes them:
// a weekly rule (written directly, so these tests do not depend on addScheduleRule) and generateSessions.
// Returns the session id.
inline int64_t makeSession(core::Store& store, int capacity, const std::string& day,
                           std::string_view serviceCode = "sti_test", int startMin = 14 * 60) {
    const auto service = core::findService(store, serviceCode);
    REQUIRE(service);
    core::Statement& rule = store.db().prepare(
        "INSERT INTO schedule_rule(service_id, weekday, start_min, end_min, capacity, place, valid_from, valid_until) "
        "VALUES (?, ?, ?, ?, ?, 'spot46', ?, ?)");
    rule.bindAll(*service, core::isoWeekday(day), startMin, startMin + 120, capacity, day, day).run();
    core::generateSessions(store, day, 1);
    core::Statement& st = store.db().prepare("SELECT id FROM session WHERE service_id = ? AND day = ? AND start_min = ?");
    st.bindAll(*service, day, startMin);
    REQUIRE(st.step());
    const int64_t id = st.getInt(0);
    st.reset();
    return id;
}

// Every bed id of the seeded shelter, in order.
inline std::vector<int64_t> bedIds(core::Store& store) {
    std::vector<int64_t> ids;
    core::Statement st(store.db(), "SELECT id FROM bed ORDER BY id");
    while (st.step()) ids.push_back(st.getInt(0));
    return ids;
}

inline core::CheckIn stayIn(int64_t bedId, std::string alias = "Roos") {
    core::CheckIn in;
    in.bedId = bedId;
    in.alias = std::move(alias);
    return in;
}

} // namespace inloop::test
