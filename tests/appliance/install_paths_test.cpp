// Where the programs look for their files: a checkout, an installed /usr, an unpacked package, another prefix.
#include "core/base/error.hpp"
#include "core/base/install_paths.hpp"
#include "core/store/store.hpp"
#include "support/temp_store.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

using namespace inloop;
using namespace inloop::test;

namespace {
void touch(const fs::path& file) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "site.name = Test\n";
}

// Sets $INLOOP_ROOT for one scope and puts back what was there.
class RootVariable {
public:
    explicit RootVariable(const std::optional<std::string>& value) {
        if (const char* old = std::getenv("INLOOP_ROOT")) m_old = old;
        if (value) ::setenv("INLOOP_ROOT", value->c_str(), 1);
        else ::unsetenv("INLOOP_ROOT");
    }
    ~RootVariable() {
        if (m_old) ::setenv("INLOOP_ROOT", m_old->c_str(), 1);
        else ::unsetenv("INLOOP_ROOT");
    }
    RootVariable(const RootVariable&) = delete;
    RootVariable& operator=(const RootVariable&) = delete;

private:
    std::optional<std::string> m_old;
};
} // namespace

TEST_SUITE("appliance") {
TEST_CASE("a checkout keeps its site facts in assets/site.ini") {
    TempDir dir;
    touch(dir.path() / "assets" / "site.ini");
    CHECK(core::siteFile(dir.path()) == dir.path() / "assets" / "site.ini");
}

TEST_CASE("an installed or unpacked /usr finds its site facts in <root>/etc/inloop, also with a trailing slash") {
    TempDir dir;
    const fs::path share = dir.path() / "usr" / "share" / "inloop";
    fs::create_directories(share / "locales");
    touch(dir.path() / "etc" / "inloop" / "site.ini");
    CHECK(core::siteFile(share) == dir.path() / "etc" / "inloop" / "site.ini");
    CHECK(core::siteFile(share.string() + "/") == dir.path() / "etc" / "inloop" / "site.ini");
    // Missing: still the path where it belongs, so the error names it (never the checkout's copy).
    fs::remove(dir.path() / "etc" / "inloop" / "site.ini");
    CHECK(core::siteFile(share) == dir.path() / "etc" / "inloop" / "site.ini");
}

TEST_CASE("another prefix (/opt/inloop, /usr/local) keeps its site facts in <prefix>/etc/inloop") {
    TempDir dir;
    const fs::path prefix = dir.path() / "opt" / "inloop";
    touch(prefix / "etc" / "inloop" / "site.ini");
    CHECK(core::siteFile(prefix / "share" / "inloop") == prefix / "etc" / "inloop" / "site.ini");
}

TEST_CASE("$INLOOP_ROOT pointing at an installed share folder means installed: data in <root>/var/lib/inloop") {
    TempDir dir;
    const fs::path share = dir.path() / "usr" / "share" / "inloop";
    fs::create_directories(share / "locales");
    RootVariable root(share.string());
    const core::InstallPaths p = core::installPaths();
    CHECK(p.root == share);
    CHECK(p.installed);
    CHECK(p.siteFile == dir.path() / "etc" / "inloop" / "site.ini");
    CHECK(p.dataDir == dir.path() / "var" / "lib" / "inloop");
}

// A machine of a site with several machines (issue 20): its line of `server init` in /etc/inloop, one file per kind
// of machine, read by the programs themselves (started from a desktop menu) as by the systemd units.
TEST_CASE("an installed program takes its store from /etc/inloop/store-desk.env, the kiosk from store-kiosk.env") {
    TempDir dir;
    const fs::path share = dir.path() / "usr" / "share" / "inloop", etc = dir.path() / "etc" / "inloop";
    fs::create_directories(share / "locales");
    fs::create_directories(etc);
    RootVariable root(share.string());
    std::optional<std::string> oldStore;
    if (const char* v = std::getenv("INLOOP_STORE")) oldStore = v;
    ::unsetenv("INLOOP_STORE");
    CHECK(core::installPaths().configDir == etc);

    // No file: the data folder, as before.
    CHECK_FALSE(core::resolveStore(std::nullopt, std::nullopt).isPostgres());
    std::ofstream(etc / "store-desk.env") << "# from server init\n"
                                          << "INLOOP_STORE=\"host=appliance.lan port=5432 dbname=inloop user=inloop_desk "
                                             "sslrootcert=/etc/inloop/site-ca.pem\"\n";
    std::ofstream(etc / "store-kiosk.env") << "  INLOOP_STORE='host=appliance.lan dbname=inloop user=inloop_kiosk'  \n";
    const core::StoreLocation desk = core::resolveStore(std::nullopt, std::nullopt);
    CHECK(desk.server == "host=appliance.lan port=5432 dbname=inloop user=inloop_desk sslrootcert=/etc/inloop/site-ca.pem");
    CHECK(desk.dataDir == dir.path() / "var" / "lib" / "inloop"); // the machine's key for visitor codes
    CHECK(core::resolveStore(std::nullopt, std::nullopt, true).server == "host=appliance.lan dbname=inloop user=inloop_kiosk");
    // --store and $INLOOP_STORE still win.
    CHECK(core::resolveStore(std::string("dbname=other"), std::nullopt).server == "dbname=other");
    ::setenv("INLOOP_STORE", "dbname=fromenv", 1);
    CHECK(core::resolveStore(std::nullopt, std::nullopt).server == "dbname=fromenv");
    ::unsetenv("INLOOP_STORE");
    // A file this account may not read is said, not taken for "no store" (root reads anything: a folder instead).
    fs::remove(etc / "store-kiosk.env");
    fs::create_directory(etc / "store-kiosk.env");
    try {
        core::resolveStore(std::nullopt, std::nullopt, true);
        FAIL("an unreadable store file was ignored");
    } catch (const core::Error& e) {
        CHECK(e.key() == "store.config_unreadable");
        CHECK(std::string(e.what()).find("store-kiosk.env") != std::string::npos);
    }
    if (oldStore) ::setenv("INLOOP_STORE", oldStore->c_str(), 1);
}

TEST_CASE("a build in the checkout uses the source tree and ./var") {
    RootVariable root(std::nullopt);
    const core::InstallPaths p = core::installPaths();
    CHECK_FALSE(p.installed);
    CHECK(fs::is_directory(p.root / "locales"));
    CHECK(p.siteFile == p.root / "assets" / "site.ini");
    CHECK(p.dataDir == fs::path("var"));
    CHECK(p.configDir.empty()); // a checkout never reads /etc/inloop
    CHECK(core::resourceRoot() == p.root);
}

TEST_CASE("a helper program (inloop-speak) is found beside the running program, as in a build's bin/") {
    const fs::path self = fs::read_symlink("/proc/self/exe");
    CHECK(core::helperProgram("inloop-speak") == self.parent_path() / "inloop-speak");
    CHECK(fs::is_regular_file(core::helperProgram("inloop-speak")));
    // Neither beside it nor in <prefix>/libexec/inloop: the path beside it, which the kiosk's spawn reports missing.
    CHECK(core::helperProgram("inloop-no-such-helper") == self.parent_path() / "inloop-no-such-helper");
}
}
