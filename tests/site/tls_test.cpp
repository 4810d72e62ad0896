// TLS between the machines of a site (issue 20): every connection that is not a local Unix socket is TLS with the
// server's certificate checked (sslmode=verify-full) — a location asking for less, a certificate another CA signed
// or made out to another name is refused — and `inloopctl server init --host` makes (or takes, or keeps) the
// certificate a server shows, which the printed connection lines then reach. Against the throwaway server of
// scripts/test (TLS on 127.0.0.1 with tests/net/certs) and servers of the test's own.
#include "core/base/error.hpp"
#include "core/store/change_feed.hpp"
#include "core/store/database.hpp"
#include "core/store/postgres.hpp"
#include "core/store/store.hpp"
#include "support/temp_store.hpp"
#include "support/test_pg.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace inloop;
using namespace inloop::test;
namespace fs = std::filesystem;

namespace {

const std::string kCerts = INLOOP_TEST_CERTS_DIR;

// The location with one keyword set anew (a later keyword wins in libpq).
std::string with(const std::string& location, const std::string& more) { return location + " " + more; }

// Connects as the product does; the refusal's sentence, or "" when connected.
std::string refusal(const std::string& location) {
    try {
        core::PgDatabase db(location, "pg_catalog");
        return "";
    } catch (const core::DbError& e) {
        return e.what();
    }
}

bool overTls(const std::string& location) {
    core::PgDatabase db(location, "pg_catalog");
    return db.script("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == "true";
}

// The lines of `server init` that start with `prefix`, after their first `  `.
std::vector<std::string> printed(const std::string& out, const std::string& prefix) {
    std::vector<std::string> found;
    size_t at = 0;
    while ((at = out.find("\n  " + prefix, at)) != std::string::npos) {
        const size_t end = out.find('\n', at + 1);
        found.push_back(out.substr(at + 3, end - at - 3));
        at = end;
    }
    return found;
}

// A fresh database for `server init` with roles of their own prefix (dropped afterwards), and the machine's data
// folder, where the TLS files go (data/server-tls).
struct InitSite {
    struct DropRoles {
        std::string server, prefix;
        ~DropRoles() {
            try {
                Pg admin(server);
                for (const char* r : {"kiosk", "desk", "owner"}) admin.exec("DROP ROLE IF EXISTS " + prefix + r);
            } catch (const std::exception&) {
                // a throwaway server
            }
        }
    };
    std::string server = serverOrSkip();
    std::string prefix;
    DropRoles dropRoles;
    FreshPgDatabase db{server};
    TempDir dir;
    fs::path data = dir.path() / "data", tls = data / "server-tls";
    explicit InitSite(const std::string& name)
        : prefix(name + std::to_string(::getpid()) + "_"), dropRoles{server, prefix} {}
    RunResult init(const std::vector<std::string>& more) const {
        std::vector<std::string> args = {"--data-dir", data.string(), "--store", server, "server", "init",
                                         "--database", db.name(), "--prefix", prefix};
        args.insert(args.end(), more.begin(), more.end());
        return runCtl(args);
    }
};

#define RUN_INFO(run) INFO("exit " << (run).exitCode << "\nstdout: " << (run).out << "\nstderr: " << (run).err)

} // namespace

TEST_SUITE("site") {

TEST_CASE("over the network the store is reached with TLS and a checked certificate — asking for less is refused") {
    const std::string server = serverOrSkip(); // host=127.0.0.1 … sslrootcert=tests/net/certs/ca.pem
    REQUIRE(server.find("host=127.0.0.1") != std::string::npos);
    CHECK(refusal(server).empty());
    CHECK(overTls(server));
    // Weaker modes reach this server (it speaks TLS) but are not enough: refused before any statement.
    for (const char* mode : {"require", "prefer", "allow", "verify-ca"}) {
        CAPTURE(mode);
        const std::string why = refusal(with(server, std::string("sslmode=") + mode));
        CHECK(why.find("must use TLS with the server's certificate checked") != std::string::npos);
    }
    // No TLS at all: the server has no plain line either.
    CHECK_FALSE(refusal(with(server, "sslmode=disable")).empty());
    // A CA that did not sign the server's certificate; a name the certificate is not made out to.
    CHECK(refusal(with(server, "sslrootcert=" + kCerts + "/selfsigned.pem")).find("certificate") != std::string::npos);
    CHECK(refusal(with(server, "host=localhost")).find("does not match host name") != std::string::npos);
    // No CA given at all (libpq's default file is not there): refused, not trusted blindly.
    CHECK(refusal(with(server, "sslrootcert=/nonexistent/root.crt")).find("root certificate") != std::string::npos);
}

TEST_CASE("over TCP a silent peer ends the connection: keepalives and a user timeout, unless the location says") {
    const std::string server = serverOrSkip();
    const core::PgDatabase db(server, "pg_catalog");
    CHECK(core::connectionOption(db.handle(), "keepalives_idle") == "5");
    CHECK(core::connectionOption(db.handle(), "keepalives_count") == "3");
    CHECK(core::connectionOption(db.handle(), "tcp_user_timeout") == "10000");
    const core::PgDatabase own(with(server, "keepalives_idle=30"), "pg_catalog");
    CHECK(core::connectionOption(own.handle(), "keepalives_idle") == "30");
}

TEST_CASE("the store on this machine's own Unix socket needs no TLS") {
    const std::string server = serverOrSkip();
    Pg admin(server);
    const std::string dir = admin.exec("SHOW unix_socket_directories"), port = admin.exec("SHOW port");
    const std::string socket = "host=" + dir + " port=" + port + " dbname=postgres";
    CHECK(refusal(socket).empty());
    CHECK_FALSE(overTls(socket));
}

TEST_CASE("the change feed keeps to the same rule: a location asking for less never counts as connected") {
    const std::string server = serverOrSkip();
    std::atomic<int> up{0}, events{0};
    {
        core::ChangeFeed feed(with(server, "sslmode=require"), {"pub"}, [&](const core::ChangeFeed::Event& e) {
            ++events;
            if (e.connected) ++up;
        });
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
        while (events == 0 && std::chrono::steady_clock::now() < end)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(events > 0); // it said the link is down
    CHECK(up == 0);
}

TEST_CASE("server init --host makes a site CA and a certificate that a server shows and every machine checks") {
    const InitSite site("tls");
    const fs::path& tls = site.tls;
    const auto init = [&](const std::vector<std::string>& more) { return site.init(more); };

    const RunResult made = init({"--host", "127.0.0.1,appliance.lan"});
    RUN_INFO(made);
    REQUIRE(made.exitCode == 0);
    CHECK(made.out.find("made now, with a new site CA") != std::string::npos);
    for (const char* f : {"site-ca.pem", "server.crt", "server.key"}) CHECK(fs::is_regular_file(tls / f));
    CHECK((fs::status(tls / "server.key").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    CHECK_FALSE(fs::exists(tls / ".making")); // no litter: the CA's key and the request are gone
    CHECK(fs::directory_iterator(tls) != fs::directory_iterator());
    CHECK(std::distance(fs::directory_iterator(tls), fs::directory_iterator()) == 3);
    // The connection lines carry the CA; the pg_hba lines are TLS only; the firewall lines name the port.
    const auto desk = printed(made.out, "host=127.0.0.1 ");
    REQUIRE(desk.size() == 2);
    CHECK(desk[0].find("sslrootcert=/etc/inloop/site-ca.pem") != std::string::npos);
    CHECK(printed(made.out, "hostssl").size() == 2);
    CHECK(printed(made.out, "host  ").empty());
    CHECK(printed(made.out, "nft add rule").size() == 2);

    // A server showing the made certificate: reached with the site CA, by its address, with TLS.
    const PrivatePgServer shown(tls.string());
    CHECK(shown.conninfo().find("sslrootcert=" + (tls / "site-ca.pem").string()) != std::string::npos);
    CHECK(refusal(shown.conninfo()).empty());
    CHECK(overTls(shown.conninfo()));
    // The test CA does not vouch for it, and neither does the made CA for the shared server's certificate.
    CHECK_FALSE(refusal(with(shown.conninfo(), "sslrootcert=" + kCerts + "/ca.pem")).empty());
    CHECK_FALSE(refusal(with(site.server, "sslrootcert=" + (tls / "site-ca.pem").string())).empty());

    // Again: kept, byte for byte. Another address: a new one.
    const std::string before = readBytes(tls / "server.crt");
    const RunResult again = init({"--host", "127.0.0.1"});
    RUN_INFO(again);
    CHECK(again.exitCode == 0);
    CHECK(again.out.find("kept: it still fits") != std::string::npos);
    CHECK(readBytes(tls / "server.crt") == before);
    const RunResult moved = init({"--host", "192.0.2.7"});
    RUN_INFO(moved);
    CHECK(moved.exitCode == 0);
    CHECK(moved.out.find("made now") != std::string::npos);
    CHECK(readBytes(tls / "server.crt") != before);
}

TEST_CASE("server init takes the site's own certificate after checking it — one that does not fit changes nothing") {
    const InitSite site("tlt");
    const fs::path& tls = site.tls;
    const std::string& server = site.server;
    const std::string& prefix = site.prefix;
    const auto init = [&](const std::vector<std::string>& more) { return site.init(more); };
    const std::string cert = kCerts + "/server.pem", key = kCerts + "/server.key", ca = kCerts + "/ca.pem";
    Pg admin(server);
    const auto roles = [&] {
        return admin.exec("SELECT count(*) FROM pg_roles WHERE rolname LIKE '" + prefix + "%'");
    };

    // Made out to 127.0.0.1, not to appliance.lan; a key of another certificate; a CA that did not sign it.
    const std::vector<std::pair<std::vector<std::string>, std::string>> wrong = {
        {{"--host", "appliance.lan", "--tls-cert", cert, "--tls-key", key, "--tls-ca", ca}, "not one the other machines can check for appliance.lan"},
        {{"--host", "127.0.0.1", "--tls-cert", cert, "--tls-key", kCerts + "/selfsigned.key", "--tls-ca", ca}, "does not belong to the certificate"},
        {{"--host", "127.0.0.1", "--tls-cert", cert, "--tls-key", key, "--tls-ca", kCerts + "/selfsigned.pem"}, "signed by the CA"},
        {{"--host", "127.0.0.1", "--tls-cert", kCerts + "/missing.pem", "--tls-key", key}, "There is no file"},
    };
    for (const auto& [args, why] : wrong) {
        const RunResult r = init(args);
        RUN_INFO(r);
        CHECK(r.exitCode != 0);
        CHECK(r.err.find(why) != std::string::npos);
        CHECK(roles() == "0"); // nothing on the server changed
        CHECK((!fs::exists(tls) || fs::is_empty(tls)));
    }
    const RunResult half = init({"--host", "127.0.0.1", "--tls-cert", cert});
    CHECK(half.exitCode == 2);

    const RunResult taken = init({"--host", "127.0.0.1", "--tls-cert", cert, "--tls-key", key, "--tls-ca", ca});
    RUN_INFO(taken);
    REQUIRE(taken.exitCode == 0);
    CHECK(taken.out.find("the site's own, checked") != std::string::npos);
    CHECK(readBytes(tls / "server.crt") == readBytes(cert));
    CHECK(readBytes(tls / "site-ca.pem") == readBytes(ca));
    CHECK(roles() == "3");
}

} // TEST_SUITE
