// The off-site backup and calendars view as a coordinator uses it, offscreen, against a WebDAV folder and a
// calendar served on 127.0.0.1: set the folder up, make the recovery phrase (shown once), back up now.
#include "desk_fixture.hpp"

#include "support/https_server.hpp"

#include "core/backup/sealed_backup.hpp"

#include <cstdlib>
#include <thread>

using namespace inloop;
using namespace inloop::test;
using desk::View;

TEST_SUITE("sqlite") { // the off-site backup of a data folder (PostgreSQL's backups: issue 20)

TEST_CASE("a coordinator sets up the off-site backup, sees the phrase once and backs up now") {
    setenv("INLOOP_CA_FILE", HttpsServer::caFile().c_str(), 1);
    setenv("no_proxy", "127.0.0.1", 1);
    HttpsServer::DavFolder dav;
    HttpsServer server([&](const Received& r) { return dav(r); });
    DeskFixture f(true);
    f.signInAs(f.anna);
    f.tap("nav.offsite");
    f.settle();
    REQUIRE(f.d->view() == View::Offsite);
    REQUIRE(f.views().offsite.loaded());
    CHECK_FALSE(f.views().offsite.data().settings.configured());

    // Back up now before anything is set up: a clear message, nothing uploaded.
    f.tap("offsite.now");
    f.settle();
    CHECK(dav.files.empty());

    f.views().offsite.setFolder("http://plain.example/dav", "spot46", "secret-app-pw", 3, 2);
    f.tap("offsite.save");
    f.settle();
    CHECK(f.deskInt("SELECT count(*) FROM setting WHERE key = 'offsite.url'") == 0); // refused: not https
    f.views().offsite.setFolder(server.url("/dav/inloop/"), "spot46", "secret-app-pw", 3, 2);
    f.tap("offsite.save");
    f.settle();
    CHECK(f.deskText("SELECT value FROM setting WHERE key = 'offsite.url'") == server.url("/dav/inloop/"));
    CHECK(f.deskText("SELECT value FROM setting WHERE key = 'offsite.hour'") == "2");

    // A phrase that is cancelled is never used: the key is stored only once it is written down.
    f.tap("offsite.phrase");
    f.settle(3);
    CHECK(f.views().offsite.phrase().size() == 59);
    f.tap("offsite.phrase_cancel");
    f.settle();
    CHECK(f.views().offsite.phrase().empty());
    CHECK(f.deskInt("SELECT count(*) FROM setting WHERE key = 'offsite.public_key'") == 0);

    f.tap("offsite.phrase");
    f.settle(3);
    const std::string phrase = f.views().offsite.phrase();
    CHECK(phrase.size() == 59);
    CHECK(f.ui->visible("offsite.phrase_done"));
    CHECK(f.deskInt("SELECT count(*) FROM setting WHERE key = 'offsite.public_key'") == 0);
    f.tap("offsite.phrase_done");
    f.settle();
    CHECK(f.views().offsite.phrase().empty());
    CHECK_FALSE(f.ui->visible("offsite.phrase_done"));
    CHECK(f.deskText("SELECT value FROM setting WHERE key = 'offsite.public_key'") ==
          core::backup::toHex(core::backup::publicKeyFromPhrase(phrase)));
    CHECK(f.deskInt("SELECT count(*) FROM audit_log WHERE action = 'new_phrase' AND staff_id = " + std::to_string(f.anna)) == 1);

    REQUIRE(f.views().offsite.data().settings.configured());
    f.tap("offsite.now");
    // Three toasts are stacked over the buttons by now (two refusals and "saved"): they let the tap through.
    CHECK(f.d->backupQueued());
    for (int i = 0; i < 400 && (f.d->backupQueued() || f.d->backupRunning()); ++i) {
        f.settle(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    f.settle();
    CHECK_FALSE(f.d->backupQueued());
    {
        std::lock_guard lock(dav.mutex);
        CHECK(dav.files.size() == 1);
    }
    REQUIRE(f.d->netStatus().last);
    CHECK(f.d->netStatus().last->status == "ok");
    CHECK(f.d->netStatus().last->trigger == "desk");

    // A phrase left on screen goes when the desk locks by itself, and the one written down stays in use.
    const std::string key = f.deskText("SELECT value FROM setting WHERE key = 'offsite.public_key'");
    f.tap("offsite.phrase");
    f.settle(3);
    CHECK_FALSE(f.views().offsite.phrase().empty());
    f.d->setIdleClockForTest(400);
    f.settle();
    CHECK_FALSE(f.d->user());
    CHECK(f.views().offsite.phrase().empty());
    CHECK(f.deskText("SELECT value FROM setting WHERE key = 'offsite.public_key'") == key);
}

TEST_CASE("a desk-role colleague has no backup view, but sees when the backup failed") {
    DeskFixture f(true);
    {
        core::Store s = f.open();
        s.db().exec("INSERT INTO backup_run(started_at, finished_at, trigger, status, reason, message) "
                    "VALUES (strftime('%s','now'), strftime('%s','now'), 'nightly', 'failed', 'upload', 'HTTP 507')");
        s.db().exec("INSERT INTO calendar_feed(service_id, url, capacity, checked_at, error_kind, error) "
                    "SELECT id, 'https://partner.example/soa.ics', 6, strftime('%s','now'), 'parse', 'no events' "
                    "FROM service WHERE code = 'sti_test'");
    }
    f.signInAs(f.bo);
    CHECK_FALSE(f.ui->visible("nav.offsite"));
    f.d->go(View::Offsite);
    CHECK(f.d->view() != View::Offsite);
    f.d->reloadNetStatus();
    f.settle();
    REQUIRE(f.d->netStatus().last);
    CHECK(f.d->netStatus().last->status == "failed");
    CHECK(f.d->netStatus().feedProblems == 1);
    CHECK(desk::backupReason(*f.d, "upload", "HTTP 507") == "The upload failed (HTTP 507).");
}

} // TEST_SUITE
