// Shared by the site tests that cut the link (link_cut_test.cpp) and load the store from several processes
// (five_machines_test.cpp): the audit chain's verdict, and a test-only pause inside a write so the link can be cut between its statements.
#pragma once

#include "core/store/audit_chain.hpp"
#include "core/store/store.hpp"
#include "support/temp_store.hpp"
#include "support/test_pg.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <sys/wait.h>

namespace inloop::test {

// A store in a fresh database on `conninfo`'s server, with this machine's key in a temp folder.
struct SiteStore {
    FreshPgDatabase db;
    TempDir dir;
    core::StoreLocation location{dir.path() / "data", db.conninfo() + " dbname=" + db.name()};
    explicit SiteStore(const std::string& conninfo) : db(conninfo) { core::Store::init(location); }
};

// A test-only pause inside a write: a contact in language `de`, or a registration whose call name starts with
// "pause", sleeps in an AFTER INSERT trigger, so its transaction has written a row and has statements still to
// run (the audit row, the COMMIT) when the test cuts the link. removePause() before the audit chain is verified
// (it compares the triggers with the schema's).
inline void installPause(Pg& db) {
    db.exec("CREATE FUNCTION public.inloop_test_pause() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(5); RETURN NEW; END $$");
    db.exec("CREATE TRIGGER inloop_test_pause AFTER INSERT ON desk.contact FOR EACH ROW "
            "WHEN (NEW.language = 'de') EXECUTE FUNCTION public.inloop_test_pause()");
    db.exec("CREATE TRIGGER inloop_test_pause AFTER INSERT ON pub.registration FOR EACH ROW "
            "WHEN (NEW.call_name LIKE 'pause%') EXECUTE FUNCTION public.inloop_test_pause()");
}
inline void removePause(Pg& db) {
    db.exec("DROP TRIGGER inloop_test_pause ON desk.contact");
    db.exec("DROP TRIGGER inloop_test_pause ON pub.registration");
    db.exec("DROP FUNCTION public.inloop_test_pause()");
}

// The audit chain of the store, verified from its first row; its problems as one text ("" when it holds).
inline std::string auditChainProblems(const core::StoreLocation& location, int64_t& rows) {
    core::Store store = core::Store::open(location);
    const core::AuditVerdict v = core::verifyAuditLog(store.db(), {});
    rows = v.rows;
    std::string text;
    for (const auto& p : v.problems) text += p + "\n";
    return text;
}

} // namespace inloop::test
