#!/usr/bin/env bash
# The bench's CTest checks (tests/CMakeLists.txt, label bench).
#   smoke_test.sh quick BENCH JSON    --quick writes every key: on PostgreSQL too (--store) when scripts/test
#                                     started a server (INLOOP_TEST_PG), else the table says it was not measured
#   smoke_test.sh no-createdb BENCH   a role that may not create databases is told so at once, nothing measured
# Without INLOOP_TEST_PG the PostgreSQL part is skipped (no-createdb: exit 77); under CI=true that is a failure.
set -euo pipefail
(($# >= 2)) || { echo "usage: $0 quick BENCH JSON | no-createdb BENCH" >&2; exit 2; }
mode=$1
bench=$2
unset INLOOP_STORE # the server only from INLOOP_TEST_PG here, never from the caller's store
export SDL_VIDEODRIVER=dummy
pg=${INLOOP_TEST_PG:-}
if [[ -z $pg ]]; then
  [[ ${CI:-} != true ]] || { echo "CI=true but INLOOP_TEST_PG is not set: .ci/run starts PostgreSQL through scripts/test." >&2; exit 1; }
  echo "bench: PostgreSQL not measured: INLOOP_TEST_PG is not set (scripts/test sets it)." >&2
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT

case $mode in
quick)
  json=$3
  store=()
  [[ -z $pg ]] || store=(--store "$pg")
  "$bench" --quick --json "$json" "${store[@]}" | tee "$out" # exits 1 when a required key (pg_* too) is null
  if [[ -n $pg ]]; then
    for key in pg_commit_ratio pg_commit_p50_ms pg_commit_p99_ms pg_baseline_commit_p99_ms pg_report_ratio \
               pg_report_ms pg_baseline_report_ms; do
      grep -Eq "\"$key\": [0-9]" "$json" || { echo "FAIL: $key is missing or null in $json" >&2; exit 1; }
    done
    grep -q '^PostgreSQL: log a contact p99' "$out" || { echo "FAIL: no PostgreSQL rows in the table" >&2; exit 1; }
    db=$(psql "$pg" -Atc "SELECT count(*) FROM pg_database WHERE datname LIKE 'inloop_bench_%'")
    [[ $db == 0 ]] || { echo "FAIL: the bench left its database on the server" >&2; exit 1; }
  else
    grep -q '^PostgreSQL: not measured (pass --store)' "$out" || { echo "FAIL: the table does not say PostgreSQL was not measured" >&2; exit 1; }
    ! grep -q '"pg_commit_ratio"' "$json" || { echo "FAIL: pg keys without a server" >&2; exit 1; }
  fi
  ;;
no-createdb)
  [[ -n $pg ]] || exit 77
  role=inloop_bench_nocreatedb_$$
  psql "$pg" -qAtc "CREATE ROLE $role LOGIN NOCREATEDB"
  trap 'psql "$pg" -qAtc "DROP ROLE IF EXISTS $role" || true; rm -f "$out"' EXIT
  status=0
  "$bench" --quick --store "$pg user=$role" >"$out" 2>&1 || status=$?
  cat "$out"
  [[ $status == 1 ]] || { echo "FAIL: exit status $status, expected 1" >&2; exit 1; }
  grep -q "the role $role may not create databases" "$out" || { echo "FAIL: the message does not say why" >&2; exit 1; }
  ! grep -q "making the demo data" "$out" || { echo "FAIL: it measured before saying the server cannot be used" >&2; exit 1; }
  ;;
*) echo "unknown mode $mode" >&2; exit 2 ;;
esac
