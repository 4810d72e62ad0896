// Tests crash safety: a writer killed at a random moment loses no committed contact and leaves a healthy store.
#include "core/store/audit_chain.hpp"
#include "support/temp_store.hpp"

#include "core/backup/maintenance.hpp"
#include "helpers.hpp"
#include "process.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace inloop::core;
using namespace inloop::test;

namespace {

// Every whole 8-byte id in the pipe until the writer's end is closed.
std::vector<int64_t> readIds(int fd) {
    std::string bytes;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) bytes.append(buf, static_cast<size_t>(n));
        else if (n == 0 || errno != EINTR) break;
    }
    std::vector<int64_t> ids(bytes.size() / sizeof(int64_t));
    if (!ids.empty()) std::memcpy(ids.data(), bytes.data(), ids.size() * sizeof(int64_t));
    return ids;
}

} // namespace

TEST_SUITE("crash") {

TEST_CASE("a writer killed at a random moment loses no committed contact") {
    TempStore ts;
    constexpr int kIterations = 50;
    const unsigned seed = std::random_device{}();
    INFO("random seed " << seed);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> delayMs(5, 60);
    int64_t reportedTotal = 0, iterationsWithWrites = 0, expectedContacts = 0;

    for (int iteration = 0; iteration < kIterations; ++iteration) {
        CAPTURE(iteration);
        int ids[2];
        REQUIRE(::pipe(ids) == 0);
        const pid_t child = forkChild([&] {
            ::close(ids[0]);
            Store store = Store::open(ts.location);
            for (int i = 0;; ++i) {
                NewContact c;
                c.channel = i % 3 == 0 ? Channel::Phone : Channel::WalkIn;
                if (i % 2 == 0) c.clientCode = "CRASH" + std::to_string(i % 7);
                c.topics = {Topic::Health};
                const int64_t id = logContact(store, Actor::cli(), c).id;
                if (::write(ids[1], &id, sizeof id) != static_cast<ssize_t>(sizeof id)) ::_exit(2);
            }
        });
        REQUIRE(child > 0);
        ::close(ids[1]);
        // Every other kill comes after the first commit: opening the store takes longer on some servers (a TLS
        // handshake) than the random delay, and then the kills would all hit the opening.
        std::vector<int64_t> reported;
        if (iteration % 2 == 1) {
            int64_t first = 0;
            if (::read(ids[0], &first, sizeof first) == static_cast<ssize_t>(sizeof first)) reported.push_back(first);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
        ::kill(child, SIGKILL);
        const int exitCode = waitExit(child);
        CHECK(exitCode == 128 + SIGKILL); // the child never stops on its own: an early exit means it failed
        for (const int64_t id : readIds(ids[0])) reported.push_back(id);
        ::close(ids[0]);
        reportedTotal += static_cast<int64_t>(reported.size());
        if (!reported.empty()) ++iterationsWithWrites;

        {
            Store store = ts.open();
            // PostgreSQL: the killed writer's server process may still be reading what it was sent (a COMMIT among
            // it) and commit after this count; wait until it has gone.
            for (int wait = 0; onPostgres() && wait < 500; ++wait) {
                if (count(store, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND pid <> pg_backend_pid()") == 0)
                    break;
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            Statement& has = store.db().prepare(
                "SELECT count(*) FROM contact c JOIN audit_log a ON a.entity = 'contact' AND a.record_id = c.id "
                "WHERE c.id = ? AND (SELECT count(*) FROM contact_topic t WHERE t.contact_id = c.id) = 1");
            int64_t missing = 0;
            for (const int64_t id : reported) {
                has.bind(1, id);
                has.step();
                if (has.getInt(0) != 1) ++missing;
                has.reset();
            }
            CHECK(missing == 0);
            // At most the one contact that committed just before the kill went unreported; nothing else appeared.
            const int64_t contacts = count(store, "SELECT count(*) FROM contact");
            CHECK(contacts >= expectedContacts + static_cast<int64_t>(reported.size()));
            CHECK(contacts <= expectedContacts + static_cast<int64_t>(reported.size()) + 1);
            expectedContacts = contacts;
            CHECK(count(store, "SELECT count(*) FROM audit_log WHERE entity = 'contact'") == contacts);
        }
        if (onPostgres()) { // the server rolled the killed writer's transaction back; the chain must hold
            Store check = ts.open();
            CHECK(verifyAuditLog(check.db(), {}).ok());
        } else {
            const CheckReport report = checkStore(ts.data);
            std::string problems;
            for (const auto& p : report.problems) problems += p + "\n";
            CHECK_MESSAGE(report.ok(), problems);
        }
    }
    // After all the kills the store is still healthy and writable.
    Store store = ts.open();
    if (!onPostgres()) {
        CHECK(store.db().queryText("PRAGMA main.integrity_check") == "ok");
        CHECK(store.db().queryText("PRAGMA pub.integrity_check") == "ok");
        CHECK(count(store, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
    }
    logContact(store, Actor::cli(), NewContact{});
    MESSAGE(reportedTotal << " contacts reported in " << iterationsWithWrites << " of " << kIterations << " runs");
    CHECK(iterationsWithWrites >= kIterations / 2); // otherwise the test did not test anything
}

} // TEST_SUITE
