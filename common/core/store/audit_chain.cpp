// Tamper evidence for the audit log (see audit_chain.hpp).
#include "core/store/audit_chain.hpp"

#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/backup/maintenance.hpp"
#include "core/store/schema.hpp"
#include "core/store/store.hpp"

#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace inloop::core {

namespace {
constexpr std::string_view kDomain = "inloop.audit_log.v1"; // changes only with the encoding

void putInt(std::string& out, int64_t v) {
    const auto u = static_cast<uint64_t>(v);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((u >> shift) & 0xff);
}
void putOptInt(std::string& out, const std::optional<int64_t>& v) {
    out += v ? '\1' : '\0';
    putInt(out, v.value_or(0));
}
void putText(std::string& out, std::string_view s) {
    putInt(out, static_cast<int64_t>(s.size()));
    out.append(s);
}

std::string hex(const AuditHash& h) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : h) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::optional<AuditHash> unhex(std::string_view s) {
    AuditHash h{};
    size_t len = 0;
    if (s.size() != 64 || sodium_hex2bin(h.data(), h.size(), s.data(), s.size(), nullptr, &len, nullptr) != 0 ||
        len != h.size())
        return std::nullopt;
    return h;
}

AuditFields readFields(Statement& st) {
    AuditFields f;
    f.id = st.getInt(0);
    f.at = st.getInt(1);
    f.actor = st.getText(2);
    f.staffId = st.getOptInt(3);
    f.action = st.getText(4);
    f.entity = st.getText(5);
    f.recordId = st.getOptInt(6);
    f.detail = st.getText(7);
    return f;
}

constexpr std::string_view kSelectRows =
    "SELECT id, at, actor, staff_id, action, entity, record_id, detail, hash FROM audit_log ORDER BY id";
} // namespace

AuditHash auditRowHash(const AuditHash& previous, const AuditFields& row) {
    std::string enc;
    enc.reserve(128 + row.detail.size());
    putText(enc, kDomain);
    enc.append(reinterpret_cast<const char*>(previous.data()), previous.size());
    putInt(enc, row.id);
    putInt(enc, row.at);
    putText(enc, row.actor);
    putOptInt(enc, row.staffId);
    putText(enc, row.action);
    putText(enc, row.entity);
    putOptInt(enc, row.recordId);
    putText(enc, row.detail);
    AuditHash out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(enc.data()), enc.size(), nullptr, 0);
    return out;
}

namespace {
// The chain's head as this thread last wrote it: a hint only. The INSERT below checks on the server that it is
// still the head (another connection, a rolled-back transaction or another store may have moved it) and adds
// nothing otherwise; then the head is read as before. A write is one round trip instead of two.
struct AuditHeadHint {
    const Database* db = nullptr;
    int64_t id = 0;
    AuditHash hash{};
};
thread_local AuditHeadHint t_auditHead;

constexpr std::string_view kInsertAuditRow =
    "INSERT INTO audit_log(id, at, actor, staff_id, action, entity, record_id, detail, hash) ";
} // namespace

void insertAuditRow(Database& db, AuditFields row) {
    // The id is part of the hash, so it is chosen here (the caller's transaction holds desk.db's write lock).
    if (t_auditHead.db == &db && t_auditHead.id > 0) {
        row.id = t_auditHead.id + 1;
        const AuditHash hash = auditRowHash(t_auditHead.hash, row);
        Statement& ins = db.prepare(std::string(kInsertAuditRow) +
                                    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE (SELECT max(id) FROM audit_log) = ?10 "
                                    "AND EXISTS (SELECT 1 FROM audit_log WHERE id = ?10 AND hash = ?11)");
        ins.bindAll(row.id, row.at, row.actor, row.staffId, row.action, row.entity, row.recordId, row.detail);
        ins.bindBlob(9, hash.data(), hash.size()).bind(10, t_auditHead.id);
        ins.bindBlob(11, t_auditHead.hash.data(), t_auditHead.hash.size());
        ins.run();
        if (db.changes() == 1) {
            t_auditHead = {&db, row.id, hash};
            return;
        }
    }
    t_auditHead = {};
    Statement& last = db.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    AuditHash previous{};
    row.id = 1;
    if (last.step()) {
        row.id = last.getInt(0) + 1;
        const std::string h = last.getBlob(1);
        if (h.size() == previous.size()) std::copy(h.begin(), h.end(), previous.begin());
    }
    last.reset();
    const AuditHash hash = auditRowHash(previous, row);
    Statement& ins = db.prepare(std::string(kInsertAuditRow) + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bindAll(row.id, row.at, row.actor, row.staffId, row.action, row.entity, row.recordId, row.detail);
    ins.bindBlob(9, hash.data(), hash.size());
    ins.run();
    t_auditHead = {&db, row.id, hash};
}

void hashAllAuditRows(Database& db) {
    std::vector<std::pair<int64_t, AuditHash>> hashes;
    {
        const auto rowsOwned = db.statement(kSelectRows);
        Statement& rows = *rowsOwned;
        AuditHash previous{};
        while (rows.step()) {
            previous = auditRowHash(previous, readFields(rows));
            hashes.emplace_back(rows.getInt(0), previous);
        }
    }
    const auto updOwned = db.statement("UPDATE audit_log SET hash = ? WHERE id = ?");
    Statement& upd = *updOwned;
    for (const auto& [id, h] : hashes) {
        upd.bindBlob(1, h.data(), h.size()).bind(2, id);
        upd.run();
    }
}

AuditAnchor auditHead(Database& db, int64_t takenAt) {
    AuditAnchor a;
    a.takenAt = takenAt;
    const auto stOwned = db.statement("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    Statement& st = *stOwned;
    if (st.step()) {
        a.rowId = st.getInt(0);
        const std::string h = st.getBlob(1);
        if (h.size() == a.hash.size()) std::copy(h.begin(), h.end(), a.hash.begin());
    }
    return a;
}

void appendAuditAnchor(const StorePaths& paths, const AuditAnchor& anchor) {
    const fs::path file = paths.auditAnchors();
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) throw Error(ErrorKind::Storage, "audit.anchor", "Cannot write " + file.string() + ".");
    const std::string line =
        std::to_string(anchor.takenAt) + " " + std::to_string(anchor.rowId) + " " + hex(anchor.hash) + "\n";
    const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw Error(ErrorKind::Storage, "audit.anchor", "Cannot write " + file.string() + ".");
}

std::vector<AuditAnchor> readAuditAnchors(const StorePaths& paths) {
    std::vector<AuditAnchor> out;
    std::ifstream in(paths.auditAnchors());
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        AuditAnchor a;
        std::string h;
        if (!(fields >> a.takenAt >> a.rowId >> h)) continue;
        if (const auto hash = unhex(h)) {
            a.hash = *hash;
            out.push_back(a);
        }
    }
    return out;
}

void restartAuditAnchors(const StorePaths& paths, const fs::path& keptAs) {
    std::error_code ec;
    if (fs::exists(paths.auditAnchors(), ec)) {
        if (keptAs.empty()) fs::remove(paths.auditAnchors(), ec);
        else fs::rename(paths.auditAnchors(), keptAs.string() + ".audit-anchors", ec);
    }
    try {
        SqliteDatabase db(paths.deskDb(), SqliteDatabase::Mode::ReadWrite);
        if (db.queryInt("PRAGMA user_version") < 5) return; // no chain yet: the migration hashes the rows
        appendAuditAnchor(paths, auditHead(db, nowUnix()));
    } catch (const std::exception&) {
        // The restore itself is done; without a fresh anchor the next backup starts the file again.
    }
}

std::vector<std::pair<std::string, std::string>> expectedDeskTriggers(int version) {
    SqliteDatabase fresh(":memory:", SqliteDatabase::Mode::ReadWriteCreate);
    migrate(fresh, StoreFile::Desk, std::clamp(version, 1, latestVersion(StoreFile::Desk)));
    std::vector<std::pair<std::string, std::string>> out;
    const auto stOwned = fresh.statement("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name");
    Statement& st = *stOwned;
    while (st.step()) out.emplace_back(st.getText(0), st.getText(1));
    return out;
}

AuditVerdict verifyAuditLog(Database& deskDb, const std::vector<AuditAnchor>& anchors) {
    AuditVerdict v;
    // One snapshot: a row added while we read cannot look like a break.
    ReadTransaction snapshot(deskDb);

    // The triggers, exactly as the schema makes them (SQLite; PostgreSQL's guards are checked with its grants).
    if (deskDb.engine() == Engine::Sqlite) {
        // A dropped one, or one with the same name and another body.
        const int version = static_cast<int>(deskDb.queryInt("PRAGMA main.user_version"));
        std::map<std::string, std::string> actual;
        {
            const auto stOwned = deskDb.statement("SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger'");
            Statement& st = *stOwned;
            while (st.step()) actual[st.getText(0)] = st.getText(1);
        }
        for (const auto& [name, sql] : expectedDeskTriggers(version)) {
            const auto it = actual.find(name);
            if (it == actual.end())
                v.problems.push_back("desk.db: the protection " + name + " was removed; the audit log could be changed.");
            else if (it->second != sql)
                v.problems.push_back("desk.db: the protection " + name + " was replaced by another text; the audit log could "
                                     "be changed.");
            if (it != actual.end()) actual.erase(it);
        }
        for (const auto& [name, sql] : actual)
            v.problems.push_back("desk.db: an unknown trigger " + name + " was added.");
        v.guardsChanged = !v.problems.empty();
    }

    // The chain: every row's hash over its fields and the row before's hash.
    std::map<int64_t, AuditHash> anchored; // ids the anchors name, with the hash found there
    for (const auto& a : anchors) anchored.emplace(a.rowId, AuditHash{});
    int64_t lastId = 0;
    {
        const auto rowsOwned = deskDb.statement(kSelectRows);
        Statement& rows = *rowsOwned;
        AuditHash previous{};
        while (rows.step()) {
            const AuditFields f = readFields(rows);
            const std::string stored = rows.getBlob(8);
            const AuditHash expected = auditRowHash(previous, f);
            lastId = f.id;
            if (auto it = anchored.find(f.id); it != anchored.end() && stored.size() == it->second.size())
                std::copy(stored.begin(), stored.end(), it->second.begin());
            if (v.brokenId) continue; // keep reading for the anchors
            if (stored.size() != expected.size() || !std::equal(expected.begin(), expected.end(),
                                                                reinterpret_cast<const unsigned char*>(stored.data()))) {
                v.brokenId = f.id;
                v.problems.push_back("The audit log was changed: row " + std::to_string(f.id) +
                                     " does not match the chain (rows deleted or edited).");
                continue;
            }
            previous = expected;
            ++v.rows;
            v.verifiedId = f.id;
            v.verifiedAt = f.at;
        }
    }

    // The anchors of backups: what a backup saw must still be there, unchanged.
    for (const auto& a : anchors) {
        if (a.rowId == 0) continue;
        if (a.rowId > lastId) {
            v.problems.push_back("The audit log is shorter than when the backup of " + localDayAndTime(a.takenAt) +
                                 " was made (row " + std::to_string(a.rowId) + " then, " + std::to_string(lastId) +
                                 " now): rows were deleted, or an older backup was restored.");
            v.failedAnchor = a;
            break;
        }
        const AuditHash& found = anchored[a.rowId];
        if (found != a.hash) {
            v.problems.push_back("The audit log does not match the backup of " + localDayAndTime(a.takenAt) + " at row " +
                                 std::to_string(a.rowId) + ": rows were deleted or edited and the chain rebuilt.");
            v.failedAnchor = a;
            break;
        }
    }
    return v;
}

void checkAuditLog(const fs::path& deskDb, const StorePaths& paths, CheckReport& report) {
    if (!fs::exists(deskDb)) return; // reported as missing already
    try {
        SqliteDatabase db(deskDb, SqliteDatabase::Mode::ReadWrite); // a private copy: opening it changes nothing of the store
        const int version = static_cast<int>(db.queryInt("PRAGMA user_version"));
        if (version < 1 || version > latestVersion(StoreFile::Desk)) return; // reported by the schema check
        if (version < 5) {
            report.facts.push_back("desk.db: the audit chain starts when desk.db is migrated");
            return;
        }
        const std::vector<AuditAnchor> anchors = readAuditAnchors(paths);
        const AuditVerdict v = verifyAuditLog(db, anchors);
        report.problems.insert(report.problems.end(), v.problems.begin(), v.problems.end());
        if (v.ok())
            report.facts.push_back("desk.db: audit log verified, " + std::to_string(v.rows) + " rows chained" +
                                   (anchors.empty() ? std::string(" (no backup anchors yet)")
                                                    : ", matching " + std::to_string(anchors.size()) + " backup anchors"));
    } catch (const SqliteError& e) {
        report.problems.push_back("desk.db: the audit log cannot be verified: " + std::string(e.what()));
    }
}

} // namespace inloop::core
