// scanWal: what SQLite will make of a WAL file, read from its headers (issue 15: check reports ignored frames).
#include "support/temp_store.hpp"

#include "core/backup/maintenance.hpp"
#include "core/store/sqlite.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace inloop;
using inloop::test::TempDir;
namespace fs = std::filesystem;

namespace {

// A WAL-mode database with `commits` small transactions in its WAL, never checkpointed; the connection stays open
// (returned) so the WAL is not checkpointed away on close.
std::unique_ptr<core::SqliteDatabase> walWith(const fs::path& file, int commits) {
    auto db = std::make_unique<core::SqliteDatabase>(file, core::SqliteDatabase::Mode::ReadWriteCreate);
    db->exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t(x TEXT);");
    for (int i = 0; i < commits; ++i) db->exec("INSERT INTO t VALUES (printf('%0500d', " + std::to_string(i) + "))");
    return db;
}

void overwrite(const fs::path& file, std::streamoff at, const std::string& bytes) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(at);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

constexpr std::streamoff kFrame = 24 + 4096;

} // namespace

TEST_SUITE("sqlite") { // the bytes of the files and the WAL: the SQLite run only
TEST_CASE("scanWal: every frame valid, then one damaged, then cut short, then a damaged header") {
    TempDir dir;
    const fs::path db = dir.path() / "x.db", wal = dir.path() / "x.db-wal";
    const auto open = walWith(db, 30);
    const auto frames = static_cast<int64_t>((fs::file_size(wal) - 32) / kFrame);
    REQUIRE(frames >= 30);

    core::WalScan w = core::scanWal(wal);
    CHECK(w.present);
    CHECK(w.headerValid);
    CHECK(w.committed == frames);
    CHECK(w.damaged == 0);
    CHECK(w.unfinished == 0);

    const fs::path copy = dir.path() / "copy-wal";
    fs::copy_file(wal, copy);
    overwrite(copy, 32 + 10 * kFrame + 24 + 100, "damage"); // page data of the 11th frame
    w = core::scanWal(copy);
    CHECK(w.committed <= 10);
    CHECK(w.damaged == frames - w.committed);
    CHECK(w.damagedCommits >= 15);

    fs::copy_file(wal, copy, fs::copy_options::overwrite_existing);
    fs::resize_file(copy, static_cast<uintmax_t>(32 + (frames - 1) * kFrame + 1000)); // the last frame cut short
    w = core::scanWal(copy);
    CHECK(w.committed == frames - 1);
    CHECK(w.damaged == 1);

    fs::copy_file(wal, copy, fs::copy_options::overwrite_existing);
    overwrite(copy, 12, "xxxx"); // the checkpoint sequence: the header checksum no longer matches
    w = core::scanWal(copy);
    CHECK(w.present);
    CHECK_FALSE(w.headerValid);

    CHECK_FALSE(core::scanWal(dir.path() / "missing-wal").present);
}

// After a checkpoint the next writer starts the WAL again from its beginning with new salts; the older frames
// behind the new ones stay in the file and are ignored by SQLite as they should be: not damage.
TEST_CASE("scanWal: frames of an earlier generation of the WAL are not damage") {
    TempDir dir;
    const fs::path db = dir.path() / "x.db", wal = dir.path() / "x.db-wal";
    const auto open = walWith(db, 40);
    const auto sizeBefore = fs::file_size(wal);
    open->exec("PRAGMA wal_checkpoint(RESTART)");
    open->exec("INSERT INTO t VALUES ('after the restart')");
    REQUIRE(fs::file_size(wal) == sizeBefore); // the old frames are still there
    const core::WalScan w = core::scanWal(wal);
    CHECK(w.headerValid);
    CHECK(w.committed >= 1);
    CHECK(w.committed < 10);
    CHECK(w.damaged == 0);
    CHECK(w.unfinished == 0);
}
}
