// Schema of public.db (kiosk-facing, nothing sensitive) and desk.db (staff only), as migrations.
//
// [SECTION] public.db migrations
// [SECTION] desk.db migrations
// [SECTION] migrate()
//
// Rules: STRICT tables, a CHECK for every enumeration, times as unix seconds plus the local day
// ("YYYY-MM-DD") so reports cut days and years in local time. Table names are unique across both
// files, so the desk's connection (desk.db + public.db attached as "pub") resolves them unqualified.
#include "core/store/schema.hpp"

#include "core/store/audit_chain.hpp"
#include "core/base/error.hpp"

#include <array>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace inloop::core {

namespace {

// [SECTION] public.db migrations
constexpr std::array kPublicMigrations = {
    // 1: services, weekly schedule, sessions, registrations, anonymous usage counters
    R"sql(
CREATE TABLE service (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE CHECK (code GLOB '[a-z]*' AND length(code) <= 32),
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  partner     TEXT NOT NULL DEFAULT '' CHECK (length(partner) <= 120),
  place       TEXT NOT NULL CHECK (place IN ('spot46', 'shelter')),
  languages   TEXT NOT NULL DEFAULT 'nl' CHECK (languages GLOB '[a-z][a-z]*'),
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE schedule_rule (
  id          INTEGER PRIMARY KEY,
  service_id  INTEGER NOT NULL REFERENCES service(id),
  weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_min   INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
  end_min     INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440 AND end_min > start_min),
  capacity    INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 500),
  place       TEXT NOT NULL CHECK (place IN ('spot46', 'shelter')),
  valid_from  TEXT NOT NULL CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  valid_until TEXT CHECK (valid_until IS NULL OR valid_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;
CREATE INDEX schedule_rule_service ON schedule_rule(service_id);

CREATE TABLE schedule_exception (
  id          INTEGER PRIMARY KEY,
  service_id  INTEGER REFERENCES service(id),          -- NULL: the whole centre
  day         TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind        TEXT NOT NULL CHECK (kind IN ('closed', 'cancelled', 'extra')),
  start_min   INTEGER CHECK (start_min BETWEEN 0 AND 1439),
  end_min     INTEGER CHECK (end_min BETWEEN 1 AND 1440),
  capacity    INTEGER CHECK (capacity BETWEEN 1 AND 500),
  reason      TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
  CHECK (kind <> 'extra' OR (service_id IS NOT NULL AND start_min IS NOT NULL AND end_min > start_min AND capacity IS NOT NULL))
) STRICT;
CREATE INDEX schedule_exception_day ON schedule_exception(day);

CREATE TABLE session (
  id          INTEGER PRIMARY KEY,
  service_id  INTEGER NOT NULL REFERENCES service(id),
  day         TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  start_min   INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
  end_min     INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440 AND end_min > start_min),
  capacity    INTEGER NOT NULL CHECK (capacity BETWEEN 0 AND 500),
  place       TEXT NOT NULL CHECK (place IN ('spot46', 'shelter')),
  status      TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled', 'closed')),
  reason      TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
  UNIQUE (service_id, day, start_min)
) STRICT;
CREATE INDEX session_day ON session(day);

CREATE TABLE registration (
  id          INTEGER PRIMARY KEY,
  session_id  INTEGER NOT NULL REFERENCES session(id),
  day         TEXT NOT NULL,                              -- the session's day: tickets are unique per day
  ticket      TEXT NOT NULL CHECK (length(ticket) BETWEEN 2 AND 8 AND ticket NOT GLOB '*[0O1I]*'),
  call_name   TEXT CHECK (call_name IS NULL OR length(call_name) BETWEEN 1 AND 40),
  language    TEXT NOT NULL DEFAULT 'nl' CHECK (language GLOB '[a-z][a-z]*' AND length(language) <= 8),
  source      TEXT NOT NULL CHECK (source IN ('kiosk', 'desk', 'phone')),
  status      TEXT NOT NULL DEFAULT 'waiting'
              CHECK (status IN ('waiting', 'called', 'seen', 'no_show', 'cancelled', 'moved')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  moved_to    INTEGER REFERENCES registration(id),
  UNIQUE (day, ticket)
) STRICT;
CREATE INDEX registration_session ON registration(session_id, status);

-- Anonymous usage: one counter per day and key, never a row per visitor.
CREATE TABLE kiosk_usage (
  day         TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind        TEXT NOT NULL CHECK (kind IN ('language', 'page', 'registration', 'wipe')),
  key         TEXT NOT NULL CHECK (length(key) <= 40),
  count       INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
  PRIMARY KEY (day, kind, key)
) STRICT, WITHOUT ROWID;
)sql",
    // 2: anonymous feedback from the kiosk ("was this helpful?"), counted per day like usage
    R"sql(
CREATE TABLE kiosk_feedback (
  day         TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  page        TEXT NOT NULL CHECK (length(page) <= 40),
  answer      TEXT NOT NULL CHECK (answer IN ('helpful', 'not_helpful')),
  count       INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
  PRIMARY KEY (day, page, answer)
) STRICT, WITHOUT ROWID;
)sql",
    // 3: a service's short description in each language, as the coordinator writes it (the kiosk shows it)
    R"sql(
CREATE TABLE service_text (
  service_id  INTEGER NOT NULL REFERENCES service(id),
  lang        TEXT NOT NULL CHECK (lang GLOB '[a-z][a-z]*' AND length(lang) <= 8),
  description TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 400),
  PRIMARY KEY (service_id, lang)
) STRICT, WITHOUT ROWID;
)sql",
    // 4: partner calendars: a service's sessions can come from an iCalendar feed instead of weekly rules
    R"sql(
CREATE TABLE calendar_feed (
  service_id    INTEGER PRIMARY KEY REFERENCES service(id),
  url           TEXT NOT NULL CHECK (url GLOB 'https://?*' AND length(url) <= 600),
  capacity      INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 500),
  etag          TEXT NOT NULL DEFAULT '' CHECK (length(etag) <= 200),
  last_modified TEXT NOT NULL DEFAULT '' CHECK (length(last_modified) <= 100),
  checked_at    INTEGER,                                -- the last attempt
  ok_at         INTEGER,                                -- the last attempt that fetched (or confirmed) the feed
  sessions      INTEGER NOT NULL DEFAULT 0,             -- sessions the feed gave at the last good fetch
  error_kind    TEXT NOT NULL DEFAULT '' CHECK (error_kind IN ('', 'fetch', 'parse')), -- '' when the last attempt was fine
  error         TEXT NOT NULL DEFAULT '' CHECK (length(error) <= 400)  -- its technical detail
) STRICT;
ALTER TABLE session ADD COLUMN source TEXT NOT NULL DEFAULT 'schedule' CHECK (source IN ('schedule', 'feed'));
)sql",
    // 5: what the last good read of a feed warned about (events left out, guessed time zones), one per line
    R"sql(
ALTER TABLE calendar_feed ADD COLUMN warnings TEXT NOT NULL DEFAULT '' CHECK (length(warnings) <= 4000);
)sql",
    // 6: site facts a coordinator sets at the desk (address, phones, opening hours per language), over site.ini's
    R"sql(
CREATE TABLE site_fact (
  key         TEXT PRIMARY KEY CHECK (key GLOB '[a-z]*' AND key NOT GLOB '*[^a-z0-9._]*' AND length(key) <= 64),
  value       TEXT NOT NULL CHECK (length(value) <= 400),
  changed_at  INTEGER NOT NULL
) STRICT;
)sql",
};

// [SECTION] desk.db migrations
constexpr std::array kDeskMigrations = {
    // 1: staff, contacts, supplies, shelter, client codes, audit log, settings
    R"sql(
CREATE TABLE setting (
  key         TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64),
  value       TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 60),
  role        TEXT NOT NULL CHECK (role IN ('desk', 'shelter', 'coordinator')),
  pin_hash    TEXT NOT NULL CHECK (pin_hash GLOB '$argon2id$*'),
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_pins INTEGER NOT NULL DEFAULT 0 CHECK (failed_pins >= 0),
  locked_until INTEGER,
  created_at  INTEGER NOT NULL
) STRICT;

-- A visitor's own short code, stored only as a keyed hash (BLAKE2b with the key beside desk.db).
CREATE TABLE client (
  id          INTEGER PRIMARY KEY,
  code_hash   BLOB NOT NULL UNIQUE CHECK (typeof(code_hash) = 'blob' AND length(code_hash) = 32),
  first_day   TEXT NOT NULL
) STRICT;

CREATE TABLE contact (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  day         TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  channel     TEXT NOT NULL CHECK (channel IN ('walk_in', 'phone', 'email', 'outreach_street', 'outreach_online')),
  gender      TEXT NOT NULL DEFAULT 'unknown'
              CHECK (gender IN ('unknown', 'woman', 'man', 'trans', 'non_binary', 'not_said')),
  language    TEXT NOT NULL DEFAULT 'nl' CHECK (language GLOB '[a-z][a-z]*' AND length(language) <= 8),
  referral    TEXT NOT NULL DEFAULT 'none'
              CHECK (referral IN ('none', 'social_work', 'care_coordinator', 'shelter', 'partner')),
  client_id   INTEGER REFERENCES client(id),
  staff_id    INTEGER REFERENCES staff(id),
  reverses    INTEGER UNIQUE REFERENCES contact(id)        -- an undo: this row cancels that one
) STRICT;
CREATE INDEX contact_day ON contact(day, channel);
CREATE INDEX contact_client ON contact(client_id) WHERE client_id IS NOT NULL;

CREATE TABLE topic (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE CHECK (code IN ('health', 'sti_test', 'money', 'law', 'work', 'housing',
              'exploitation', 'shelter', 'other_work', 'supplies_only', 'coffee_chat'))
) STRICT;
INSERT INTO topic(code) VALUES ('health'), ('sti_test'), ('money'), ('law'), ('work'), ('housing'),
  ('exploitation'), ('shelter'), ('other_work'), ('supplies_only'), ('coffee_chat');

CREATE TABLE contact_topic (
  contact_id  INTEGER NOT NULL REFERENCES contact(id),
  topic_id    INTEGER NOT NULL REFERENCES topic(id),
  PRIMARY KEY (contact_id, topic_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE supply_item (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE CHECK (code GLOB '[a-z]*' AND length(code) <= 32),
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  unit        TEXT NOT NULL DEFAULT 'piece' CHECK (unit IN ('piece', 'pack', 'tube', 'box')),
  price_cents INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
  min_stock   INTEGER NOT NULL DEFAULT 0 CHECK (min_stock >= 0),
  stock       INTEGER NOT NULL DEFAULT 0,                   -- kept equal to SUM(stock_move.qty) by a trigger
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE stock_move (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES supply_item(id),
  at          INTEGER NOT NULL,
  day         TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind        TEXT NOT NULL CHECK (kind IN ('handout', 'sale', 'delivery', 'correction', 'reversal')),
  qty         INTEGER NOT NULL CHECK (qty <> 0),              -- signed change of stock
  price_cents INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
  payment     TEXT CHECK (payment IN ('cash', 'card')),
  contact_id  INTEGER REFERENCES contact(id),
  staff_id    INTEGER REFERENCES staff(id),
  reason      TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
  reverses    INTEGER UNIQUE REFERENCES stock_move(id),
  CHECK ((kind = 'sale') = (payment IS NOT NULL)),
  CHECK (kind NOT IN ('handout', 'sale') OR qty < 0),
  CHECK (kind <> 'delivery' OR qty > 0),
  CHECK (kind <> 'correction' OR length(reason) > 0)
) STRICT;
CREATE INDEX stock_move_item ON stock_move(item_id, day);
CREATE INDEX stock_move_day ON stock_move(day);
CREATE TRIGGER stock_move_keeps_stock AFTER INSERT ON stock_move BEGIN
  UPDATE supply_item SET stock = stock + NEW.qty WHERE id = NEW.item_id;
END;
CREATE TRIGGER stock_move_is_append_only_u BEFORE UPDATE ON stock_move BEGIN
  SELECT RAISE(ABORT, 'stock moves cannot be changed; add a reversal');
END;
CREATE TRIGGER stock_move_is_append_only_d BEFORE DELETE ON stock_move BEGIN
  SELECT RAISE(ABORT, 'stock moves cannot be deleted; add a reversal');
END;

CREATE TABLE room (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 40),
  sort        INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE bed (
  id          INTEGER PRIMARY KEY,
  room_id     INTEGER NOT NULL REFERENCES room(id),
  label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 20),
  tier        TEXT NOT NULL CHECK (tier IN ('lower', 'upper', 'single')),
  in_service  INTEGER NOT NULL DEFAULT 1 CHECK (in_service IN (0, 1)),
  out_reason  TEXT NOT NULL DEFAULT '' CHECK (length(out_reason) <= 200),
  UNIQUE (room_id, label)
) STRICT;

CREATE TABLE stay (
  id          INTEGER PRIMARY KEY,
  bed_id      INTEGER NOT NULL REFERENCES bed(id),
  client_id   INTEGER REFERENCES client(id),
  alias       TEXT CHECK (alias IS NULL OR length(alias) BETWEEN 1 AND 40),  -- NULL once purged
  referral    TEXT NOT NULL CHECK (referral IN ('social_work', 'partner', 'police', 'self', 'other')),
  exit_programme TEXT NOT NULL DEFAULT 'unknown' CHECK (exit_programme IN ('yes', 'no', 'unknown')),
  emergency_bed INTEGER NOT NULL DEFAULT 0 CHECK (emergency_bed IN (0, 1)),
  in_at       INTEGER NOT NULL,
  in_day      TEXT NOT NULL CHECK (in_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  expected_out_day TEXT CHECK (expected_out_day IS NULL OR expected_out_day >= in_day),
  out_at      INTEGER,
  out_day     TEXT CHECK (out_day IS NULL OR out_day >= in_day),
  destination TEXT CHECK (destination IN ('own_home', 'supported_housing', 'other_shelter', 'home_country',
              'unknown', 'left_without_notice')),
  CHECK ((out_at IS NULL) = (out_day IS NULL) AND (out_at IS NULL) = (destination IS NULL))
) STRICT;
-- No bed ever holds two people; nobody is in two beds.
CREATE UNIQUE INDEX stay_one_per_bed ON stay(bed_id) WHERE out_at IS NULL;
CREATE UNIQUE INDEX stay_one_per_client ON stay(client_id) WHERE out_at IS NULL AND client_id IS NOT NULL;
CREATE INDEX stay_days ON stay(in_day, out_day);

-- Every staff change, append-only: triggers refuse UPDATE and DELETE.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL CHECK (actor IN ('staff', 'cli', 'demo', 'system')),
  staff_id    INTEGER REFERENCES staff(id),
  action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 40),
  entity      TEXT NOT NULL CHECK (length(entity) BETWEEN 1 AND 40),
  record_id   INTEGER,
  detail      TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 400)
) STRICT;
CREATE INDEX audit_log_record ON audit_log(entity, record_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log cannot be deleted');
END;
)sql",
    // 2: a record of retention purges (when, what kind, how many rows), so purges themselves are visible
    R"sql(
CREATE TABLE purge_run (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  what        TEXT NOT NULL CHECK (what IN ('stay_alias', 'call_name')),
  before_day  TEXT NOT NULL CHECK (before_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  rows        INTEGER NOT NULL CHECK (rows >= 0)
) STRICT;
)sql",
    // 3: bed reservations (someone is expected: the bed waits until the reservation expires)
    R"sql(
CREATE TABLE reservation (
  id          INTEGER PRIMARY KEY,
  bed_id      INTEGER NOT NULL REFERENCES bed(id),
  alias       TEXT CHECK (alias IS NULL OR length(alias) BETWEEN 1 AND 40),   -- NULL once purged
  referral    TEXT NOT NULL CHECK (referral IN ('social_work', 'partner', 'police', 'self', 'other')),
  expected_at INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL CHECK (expires_at >= expected_at),
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'arrived', 'cancelled')),
  stay_id     INTEGER REFERENCES stay(id),
  created_at  INTEGER NOT NULL,
  CHECK ((status = 'arrived') = (stay_id IS NOT NULL))
) STRICT;
CREATE INDEX reservation_bed ON reservation(bed_id, status);
)sql",
    // 4: off-site backups: one row per attempt (nightly, from the desk or the CLI), for the desk's status line
    R"sql(
CREATE TABLE backup_run (
  id          INTEGER PRIMARY KEY,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  trigger     TEXT NOT NULL CHECK (trigger IN ('nightly', 'desk', 'cli')),
  status      TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
  name        TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 100),
  bytes       INTEGER NOT NULL DEFAULT 0 CHECK (bytes >= 0),
  reason      TEXT NOT NULL DEFAULT '' CHECK (reason IN ('', 'not_configured', 'no_phrase', 'store', 'snapshot',
                                                         'upload', 'tls', 'not_listed', 'not_pruned', 'interrupted')),
  message     TEXT NOT NULL DEFAULT '' CHECK (length(message) <= 400)  -- the technical detail, as it came
) STRICT;
)sql",
    // 5: tamper evidence: every audit row carries a BLAKE2b hash chained to the row before (audit_chain.cpp).
    // The UPDATE guard is lifted only inside this migration's transaction, while the existing rows get their
    // hashes (deskStep), and re-created with the same text.
    R"sql(
DROP TRIGGER audit_log_no_update;
ALTER TABLE audit_log ADD COLUMN hash BLOB CHECK (hash IS NULL OR length(hash) = 32);
)sql",
    // 6: a stay's and a reservation's referral can be "unknown" (not known; nothing is preselected). SQLite
    // cannot change a CHECK in place: both tables are rebuilt with the same rows and ids. The new reservation
    // table points at stay_new, so dropping the old tables breaks no foreign key; renaming stay_new to stay
    // rewrites that reference.
    R"sql(
CREATE TABLE stay_new (
  id          INTEGER PRIMARY KEY,
  bed_id      INTEGER NOT NULL REFERENCES bed(id),
  client_id   INTEGER REFERENCES client(id),
  alias       TEXT CHECK (alias IS NULL OR length(alias) BETWEEN 1 AND 40),  -- NULL once purged
  referral    TEXT NOT NULL CHECK (referral IN ('social_work', 'partner', 'police', 'self', 'other', 'unknown')),
  exit_programme TEXT NOT NULL DEFAULT 'unknown' CHECK (exit_programme IN ('yes', 'no', 'unknown')),
  emergency_bed INTEGER NOT NULL DEFAULT 0 CHECK (emergency_bed IN (0, 1)),
  in_at       INTEGER NOT NULL,
  in_day      TEXT NOT NULL CHECK (in_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  expected_out_day TEXT CHECK (expected_out_day IS NULL OR expected_out_day >= in_day),
  out_at      INTEGER,
  out_day     TEXT CHECK (out_day IS NULL OR out_day >= in_day),
  destination TEXT CHECK (destination IN ('own_home', 'supported_housing', 'other_shelter', 'home_country',
              'unknown', 'left_without_notice')),
  CHECK ((out_at IS NULL) = (out_day IS NULL) AND (out_at IS NULL) = (destination IS NULL))
) STRICT;
INSERT INTO stay_new SELECT id, bed_id, client_id, alias, referral, exit_programme, emergency_bed, in_at, in_day,
  expected_out_day, out_at, out_day, destination FROM stay;
CREATE TABLE reservation_new (
  id          INTEGER PRIMARY KEY,
  bed_id      INTEGER NOT NULL REFERENCES bed(id),
  alias       TEXT CHECK (alias IS NULL OR length(alias) BETWEEN 1 AND 40),   -- NULL once purged
  referral    TEXT NOT NULL CHECK (referral IN ('social_work', 'partner', 'police', 'self', 'other', 'unknown')),
  expected_at INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL CHECK (expires_at >= expected_at),
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'arrived', 'cancelled')),
  stay_id     INTEGER REFERENCES stay_new(id),
  created_at  INTEGER NOT NULL,
  CHECK ((status = 'arrived') = (stay_id IS NOT NULL))
) STRICT;
INSERT INTO reservation_new SELECT id, bed_id, alias, referral, expected_at, expires_at, status, stay_id, created_at
  FROM reservation;
DROP TABLE reservation;
DROP TABLE stay;
ALTER TABLE stay_new RENAME TO stay;
ALTER TABLE reservation_new RENAME TO reservation;
CREATE UNIQUE INDEX stay_one_per_bed ON stay(bed_id) WHERE out_at IS NULL;
CREATE UNIQUE INDEX stay_one_per_client ON stay(client_id) WHERE out_at IS NULL AND client_id IS NOT NULL;
CREATE INDEX stay_days ON stay(in_day, out_day);
CREATE INDEX reservation_bed ON reservation(bed_id, status);
)sql",
    // 7: each bed's service history, so a past period's capacity is what it was then (report.cpp). A bed out
    // of service now is recorded as out from the day of this migration: when it went out is not known.
    R"sql(
CREATE TABLE bed_service (
  id          INTEGER PRIMARY KEY,
  bed_id      INTEGER NOT NULL REFERENCES bed(id),
  out_day     TEXT NOT NULL CHECK (out_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  in_day      TEXT CHECK (in_day IS NULL OR in_day >= out_day),   -- NULL: still out of service
  reason      TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200)
) STRICT;
CREATE UNIQUE INDEX bed_service_open ON bed_service(bed_id) WHERE in_day IS NULL;
INSERT INTO bed_service (bed_id, out_day, reason)
  SELECT id, date('now', 'localtime'), out_reason FROM bed WHERE in_service = 0;
)sql",
    // 8: "your last actions" reads a staff member's recent bed actions from the audit log on every refresh
    R"sql(
CREATE INDEX audit_log_staff_at ON audit_log(staff_id, at);
)sql",
    // 9: each move of a stay, from which bed to which, so an undo puts her back without reading the audit
    // log's wording. Moves made before this are filled in from their audit rows (deskStep).
    R"sql(
CREATE TABLE stay_move (
  id          INTEGER PRIMARY KEY,
  stay_id     INTEGER NOT NULL REFERENCES stay(id),
  at          INTEGER NOT NULL,
  from_bed    INTEGER NOT NULL REFERENCES bed(id),
  to_bed      INTEGER NOT NULL REFERENCES bed(id),
  CHECK (from_bed <> to_bed)
) STRICT;
CREATE INDEX stay_move_stay ON stay_move(stay_id);
)sql",
};

// C++ work a desk.db migration needs after its SQL, inside the same transaction.
void deskStep(Database& db, int version) {
    if (version == 9) {
        // Moves recorded before stay_move: the audit detail of that time was "bed <from> to <to>" (bed ids), and an
        // undo row ("undo", detail "move") took back the stay's latest move still standing. Replayed in order, per
        // stay; a stay that was removed since (an undone check-in) keeps none.
        std::map<int64_t, std::vector<std::array<int64_t, 3>>> moves; // stay → (at, from, to), oldest first
        {
            const auto rowsOwned = db.statement("SELECT a.record_id, a.at, a.action, a.detail FROM audit_log a JOIN stay s ON s.id = a.record_id "
                               "WHERE a.entity = 'stay' AND (a.action = 'move' OR (a.action = 'undo' AND a.detail = 'move')) "
                               "ORDER BY a.id");
            Statement& rows = *rowsOwned;
            while (rows.step()) {
                auto& list = moves[rows.getInt(0)];
                if (rows.getText(2) == "undo") {
                    if (!list.empty()) list.pop_back();
                    continue;
                }
                long long from = 0, to = 0;
                if (std::sscanf(rows.getText(3).c_str(), "bed %lld to %lld", &from, &to) == 2 && from != to)
                    list.push_back({rows.getInt(1), from, to});
            }
        }
        const auto insOwned = db.statement("INSERT INTO stay_move(stay_id, at, from_bed, to_bed) SELECT ?1, ?2, ?3, ?4 "
                          "WHERE EXISTS (SELECT 1 FROM bed WHERE id = ?3) AND EXISTS (SELECT 1 FROM bed WHERE id = ?4)");
        Statement& ins = *insOwned;
        for (const auto& [stay, list] : moves)
            for (const auto& m : list) ins.bindAll(stay, m[0], m[1], m[2]).run();
    }
    if (version == 5) {
        hashAllAuditRows(db);
        db.exec(R"sql(CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;)sql");
    }
}

template <size_t N> const char* migrationSql(const std::array<const char*, N>& list, int version) {
    return list[static_cast<size_t>(version - 1)];
}

} // namespace

int latestVersion(StoreFile file) {
    return static_cast<int>(file == StoreFile::Public ? kPublicMigrations.size() : kDeskMigrations.size());
}

void applyConnectionSettings(Database& db) {
    // journal_mode=WAL persists in the file; the rest is per connection.
    // secure_delete: a wiped name or purged alias is overwritten in the file, not just unlinked.
    db.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA trusted_schema = OFF; "
            "PRAGMA secure_delete = ON;");
    if (db.queryText("PRAGMA journal_mode = WAL") != "wal")
        throw Error(ErrorKind::Storage, "store.wal", "Cannot switch " + std::filesystem::path(db.name()).filename().string() + " to WAL mode.");
}

// [SECTION] migrate()
void migrate(Database& db, StoreFile file, int target) {
    const int latest = latestVersion(file);
    if (target < 0) target = latest;
    const std::string name(fileName(file));
    const auto check = [&](int current) {
        if (current > latest)
            throw Error(ErrorKind::Storage, "store.too_new",
                        name + " has schema version " + std::to_string(current) + ", but this Inloop knows only up to " +
                            std::to_string(latest) + ". Install the newer Inloop, or restore a backup made with this one.");
        if (current == 0 && db.queryInt("SELECT count(*) FROM sqlite_schema") > 0)
            throw Error(ErrorKind::Storage, "store.foreign", name + " holds tables that are not Inloop's; it was left as it is.");
    };
    // Up to date: a plain read, no write lock (a backup must not wait for a busy front desk).
    const int seen = static_cast<int>(db.queryInt("PRAGMA user_version"));
    check(seen);
    if (seen >= target) return;
    Transaction tx(db);
    const int current = static_cast<int>(db.queryInt("PRAGMA user_version")); // another process may have migrated
    check(current);
    for (int v = current + 1; v <= target; ++v) {
        db.exec(file == StoreFile::Public ? migrationSql(kPublicMigrations, v) : migrationSql(kDeskMigrations, v));
        if (file == StoreFile::Desk) deskStep(db, v);
        db.exec("PRAGMA user_version = " + std::to_string(v));
    }
    tx.commit();
}

} // namespace inloop::core
