// The PostgreSQL schema (issue 19): the same tables, columns, constraints and CHECKs as schema.cpp's SQLite files,
// public.db's tables in the schema `pub`, desk.db's in `desk`. With `SET search_path = desk, pub` (the desk) or
// `pub` (the kiosk) the domain's unqualified SQL resolves as it does through SQLite's ATTACH.
//
// Versions are counted per engine: PostgreSQL's version 1 of a part is SQLite's latest shape of that file
// (public.db v6, desk.db v8); later versions follow SQLite's one for one (desk 2 = desk.db 9), and PostgreSQL may
// have its own besides (pub 2: what the kiosk's database role needs; pub 3 and desk 3: the data versions). They are kept
// in pub.schema_version, one row
// per part.
//
// A site with several machines (issue 20) has three database roles, made by `inloopctl server init` and recorded in
// site.db_role: the owner (owns the schemas, runs the migrations), the desk's (what the front desk does, but the
// audit log and the stock moves are append-only), the kiosk's (reads what the kiosk shows, writes what it does).
#pragma once

#include "core/store/schema.hpp"

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace inloop::core {

// "pub" or "desk".
std::string_view pgSchemaName(StoreFile part);

// The forward-only migrations of a part, [0] is version 1. Each text is a script of several statements that
// expects to run inside one transaction (it sets its own search_path with SET LOCAL).
std::span<const std::string_view> pgMigrations(StoreFile part);

// The newest PostgreSQL version of a part this program knows.
int pgLatestVersion(StoreFile part);

// Runs one SQL script (one or more statements, no parameters) on the connection and returns the first column
// of the first row of the last statement's result as text ("" when there is none or it is NULL). Throws on error.
using PgRun = std::function<std::string(std::string_view sql)>;

// Brings `part` up to `target` (default: latest) in one transaction that `migratePg` opens and commits itself,
// serialised with other processes by an advisory lock. The desk part needs pub at version 1 or newer.
// A part newer than this program knows is refused (Error store.too_new), as is a schema holding tables that are
// not Inloop's (store.foreign); nothing is changed then.
void migratePg(const PgRun& run, StoreFile part, int target = -1);

// The part's version in the database: 0 when it has none yet.
int pgVersion(const PgRun& run, StoreFile part);

// [SECTION] database roles
struct PgRoles {
    std::string owner, desk, kiosk;
    bool empty() const { return owner.empty(); }
};

// A role name Inloop makes: a lower-case letter or `_`, then letters, digits or `_`, at most 63 bytes.
bool isPgRoleName(std::string_view name);

// The roles recorded in site.db_role; empty when there are none (a store made by `init`, one role for everything).
PgRoles pgRoles(const PgRun& run);

// Records the roles and gives the desk's and the kiosk's exactly the privileges of the design, on every schema,
// table, column, sequence and function of pub, desk and site: everything is revoked from PUBLIC and from both first,
// so a second run also takes back what someone granted by hand. Run as the owner (or a superuser).
void applyPgGrants(const PgRun& run, const PgRoles& roles);

// Each difference between the roles' privileges and the design, one sentence each (for `inloopctl check`); the
// catalog is read, nothing is changed. Works under any role.
std::vector<std::string> pgGrantProblems(const PgRun& run, const PgRoles& roles);

} // namespace inloop::core
