// A sealed backup that opens but does not restore is reported about the user's own file or address, never
// about the scratch copy it was unpacked to (issue 15, item 11).
#include "support/https_server.hpp"
#include "support/temp_store.hpp"

#include "core/base/error.hpp"
#include "core/net/offsite.hpp"
#include "core/backup/sealed_backup.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace inloop;
using inloop::test::HttpsServer;
using inloop::test::Received;
using inloop::test::Reply;
namespace fs = std::filesystem;

namespace {

// The error restoring `run` throws, as "key: sentence" ("" when it does not throw).
template <typename Run> std::string errorOf(Run run) {
    try {
        run();
    } catch (const core::Error& e) {
        return e.key() + ": " + e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_CASE("net: a sealed file that is no Inloop backup inside is refused naming the user's file or address") {
    test::TempStore s;
    const core::backup::NewPhrase phrase = core::backup::newRecoveryPhrase();
    // Sealed for the right phrase, so it opens; what is inside is a shopping list, not an SQLite archive.
    const fs::path list = s.dir.path() / "list.txt";
    std::ofstream(list) << "condoms, lube, coffee\n";
    const fs::path sealed = s.dir.path() / "inloop-backup-from-the-usb-stick.sealed";
    core::backup::sealFile(list, sealed, phrase.publicKey);

    const std::string local = errorOf([&] { core::offsite::restoreSealedFile(s.data, sealed, phrase.phrase); });
    INFO(local);
    CHECK(contains(local, "backup.invalid: " + sealed.string() + " is not an Inloop backup"));
    CHECK_FALSE(contains(local, "scratch"));
    CHECK_FALSE(contains(local, "opened.sqlar"));

    std::string bytes;
    {
        std::ifstream in(sealed, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    HttpsServer server([&](const Received&) { return Reply{200, bytes, {}}; });
    core::net::Options o;
    o.caFile = HttpsServer::caFile();
    const std::string url = server.url("/dav/inloop/inloop-backup-1.sealed");
    const std::string remote = errorOf([&] { core::offsite::restoreFromUrl(s.data, url, phrase.phrase, o); });
    INFO(remote);
    CHECK(contains(remote, "backup.invalid: " + url + " is not an Inloop backup"));
    CHECK_FALSE(contains(remote, "download"));
    CHECK_FALSE(contains(remote, "scratch"));
    // Nothing left beside the data folder.
    for (const auto& e : fs::directory_iterator(s.dir.path()))
        CHECK((e.path() == s.data || e.path() == list || e.path() == sealed));
}
