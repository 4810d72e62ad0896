// Issue 17 #15: exports go to a USB stick when one is mounted, else to the folder the site chose; never to /tmp;
// the file name carries the period.
#include "support/temp_store.hpp"

#include "core/i18n/content.hpp"
#include "core/domain/report.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace inloop::core;
using namespace inloop::test;

TEST_SUITE("report") {

TEST_CASE("issue 17 #15: exports go to a mounted USB stick, else the site's folder, never /tmp") {
    TempDir t;
    const auto root = t.path() / "media";
    std::filesystem::create_directories(root / "desk" / "KINGSTON 16");
    const auto mounts = t.path() / "mounts";
    const std::string mediaRoot = root.string() + "/";
    const auto writeMounts = [&](const std::string& lines) { std::ofstream(mounts) << lines; };

    // Nothing mounted, nothing set: no place (the old code wrote to /tmp/exports or the data folder's parent).
    writeMounts("/dev/sda1 / ext4 rw 0 0\n");
    CHECK_FALSE(exportTarget(SiteSettings{}, mounts, {mediaRoot}));
    // A folder under /tmp is refused, as is a relative one.
    CHECK_FALSE(exportTarget(SiteSettings::parse("exports.folder = /tmp/exports\n"), mounts, {mediaRoot}));
    CHECK_FALSE(exportTarget(SiteSettings::parse("exports.folder = exports\n"), mounts, {mediaRoot}));
    // The site's folder.
    // (only its path is judged: a fixed one, as the test's own folders may lie under /tmp)
    const std::string folder = "/srv/inloop/exports";
    const auto site = SiteSettings::parse("exports.folder = " + folder + "\n");
    auto target = exportTarget(site, mounts, {mediaRoot});
    REQUIRE(target);
    CHECK(target->dir == folder);
    CHECK_FALSE(target->removable);
    // A USB stick (a label with a space, escaped as the kernel does) wins over the folder.
    writeMounts("/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 " + root.string() + "/desk/KINGSTON\\04016 vfat rw 0 0\n");
    target = exportTarget(site, mounts, {mediaRoot});
    REQUIRE(target);
    CHECK(target->dir == root / "desk" / "KINGSTON 16");
    CHECK(target->removable);

    CHECK(exportFileName(Period::year(2025), "csv") == "inloop-cijfers-2025.csv");
    CHECK(exportFileName(Period::month(2025, 3), "json") == "inloop-cijfers-2025-03.json");
}

} // TEST_SUITE
