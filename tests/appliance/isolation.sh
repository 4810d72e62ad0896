#!/usr/bin/env bash
# The appliance's isolation, as root, under xvfb-run: the package's own sysusers.d and tmpfiles.d files make the
# accounts and folders in a scratch root; a staff member's account makes the data; the real kiosk runs as the kiosk
# account and works, while that account cannot open desk.db, its WAL or the code key.
# Usage: isolation.sh SOURCE_DIR BIN_DIR KIOSK_REGISTER_HELPER
set -euo pipefail
src=$1 bin=$2 helper=$3
if [[ $(id -u) != 0 ]]; then
  echo "skipped: the isolation test needs root (accounts in a scratch root, setpriv)"
  exit 77
fi
# A mount namespace of our own: the scratch root's /etc/passwd and /etc/group are bound over this machine's, so
# systemd-tmpfiles (252 resolves names through NSS, not --root), setpriv and the apps' sentences see its accounts.
if [[ -z ${INLOOP_ISOLATION_NS:-} ]]; then
  if ! unshare --mount --propagation private true 2>/dev/null; then
    echo "skipped: unshare --mount is not allowed here"
    exit 77
  fi
  exec unshare --mount --propagation private env INLOOP_ISOLATION_NS=1 "$0" "$@"
fi

root=$(mktemp -d)
kiosk_pid=""
holder_pid=""
cleanup() {
  exec 9>&- 2>/dev/null || true
  [[ -n $kiosk_pid ]] && kill "$kiosk_pid" 2>/dev/null || true
  [[ -n $holder_pid ]] && kill "$holder_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  umount /etc/passwd /etc/group 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*" >&2
  exit 1
}
chmod 755 "$root" # mktemp's 0700 would keep every account but root out before our folders do
# Under the sanitizers the accounts' programs need LeakSanitizer's suppressions (leaks inside Debian's libraries,
# e.g. libgettextpo when the report reads the desk's catalogue), from a copy every account can read.
cp "$src/tests/lsan.supp" "$root/lsan.supp" && chmod 644 "$root/lsan.supp"
export LSAN_OPTIONS=suppressions=$root/lsan.supp
# Pages, translations and the desk's catalogue (the report reads it) from a copy every account can read: the
# checkout may sit in a private folder (a clone into `mktemp -d` is 0700), as it never does on the appliance
# (/usr/share/inloop).
mkdir -p "$root/res" && cp -r "$src/assets" "$src/locales" "$root/res/" && chmod -R a+rX "$root/res"
export INLOOP_ROOT=$root/res
mkdir -p "$root/etc"

# 1. Accounts, as the package makes them; then people's accounts as a coordinator would add them (README).
systemd-sysusers --root="$root" "$src/packaging/sysusers.d/inloop.conf" >/dev/null
cat >"$root/etc/people.conf" <<'EOF'
u anouk  4646 "staff, in both groups" /nonexistent
m anouk  inloop-staff
m anouk  inloop-public
u sanne  3333 "staff, public group only" /nonexistent
m sanne  inloop-public
u mirela 2222 "not added yet" /nonexistent
EOF
systemd-sysusers --root="$root" "$root/etc/people.conf" >/dev/null
mount --bind "$root/etc/passwd" /etc/passwd
mount --bind "$root/etc/group" /etc/group

field() { awk -F: -v n="$2" '$1 == n { print $'"$3"' }' "$root/etc/$1"; }
pub_gid=$(field group inloop-public 3)
staff_gid=$(field group inloop-staff 3)
kiosk_uid=$(field passwd inloop-kiosk 3)
[[ -n $pub_gid && -n $staff_gid && -n $kiosk_uid ]] || fail "sysusers made no inloop-public, inloop-staff or inloop-kiosk"
[[ $(field passwd inloop-kiosk 4) == "$pub_gid" ]] || fail "the kiosk account's group is not inloop-public"
[[ ",$(field group inloop-staff 4)," != *,inloop-kiosk,* ]] || fail "the kiosk account is in inloop-staff"
[[ $(field passwd inloop-kiosk 7) == /usr/sbin/nologin ]] || fail "the kiosk account has a login shell"

# 2. Folders, as the package makes them.
systemd-tmpfiles --create --root="$root" "$src/packaging/tmpfiles.d/inloop.conf"
data=$root/var/lib/inloop
[[ $(stat -c '%a %U %G' "$data") == "755 root root" ]] || fail "$data is $(stat -c '%a %U %G' "$data")"
[[ $(stat -c '%a %G' "$data/public") == "2770 inloop-public" ]] || fail "public/ is $(stat -c '%a %G' "$data/public")"
[[ $(stat -c '%a %G' "$data/desk") == "2770 inloop-staff" ]] || fail "desk/ is $(stat -c '%a %G' "$data/desk")"

run_as() { # run_as USER: sets $as_user to the command prefix that runs as USER with the groups a login would give
  local uid
  uid=$(id -u "$1")
  as_user=(env HOME=/nonexistent setpriv --reuid="$uid" --regid="$(id -g "$uid")" --init-groups --)
}
as() { # as USER COMMAND...
  run_as "$1"
  "${as_user[@]}" "${@:2}"
}
ctl() { as "$1" "$bin/inloopctl" --data-dir "$data" "${@:2}"; }

# 3. A staff member makes the data: no root needed once the folders exist.
ctl anouk init >/dev/null
ctl anouk demo --years 1 >/dev/null
[[ $(stat -c '%a %G' "$data/public/public.db") == "660 inloop-public" ]] || fail "public.db is $(stat -c '%a %G' "$data/public/public.db")"
[[ $(stat -c '%a %G' "$data/desk/desk.db") == "660 inloop-staff" ]] || fail "desk.db is $(stat -c '%a %G' "$data/desk/desk.db")"
[[ $(stat -c '%a %G' "$data/desk/client-code.key") == "640 inloop-staff" ]] || fail "the key is $(stat -c '%a %G' "$data/desk/client-code.key")"
ctl anouk check >/dev/null || [[ $? == 3 ]] || fail "inloopctl check is not happy with the layout the package makes" # 3: placeholders
year=$(date +%Y)
report=$(ctl anouk report --year "$year") && [[ -n $report ]] || fail "inloopctl report failed for a staff member"

# People not (fully) in the groups are told which group, in one sentence.
err=$(ctl mirela report --year "$year" 2>&1 >/dev/null) && fail "mirela, in no group, could read the report"
[[ $err == *"needs the group inloop-public to open $data/public (you are mirela; ask a coordinator to run \`adduser mirela inloop-public\`)."* ]] ||
  fail "mirela's sentence: $err"
err=$(ctl sanne report --year "$year" 2>&1 >/dev/null) && fail "sanne, not in inloop-staff, could read the report"
[[ $err == *"needs the group inloop-staff to open $data/desk (you are sanne;"* ]] || fail "sanne's sentence: $err"

# 4. Keep desk.db open as staff, so its WAL and -shm exist while the kiosk account tries them.
mkfifo "$root/hold"
run_as anouk
"${as_user[@]}" sqlite3 "$data/desk/desk.db" <"$root/hold" >/dev/null &
holder_pid=$!
exec 9>"$root/hold"
echo "SELECT count(*) FROM contact;" >&9
# SQLite creates the -wal (umask applies) and then sets the database's mode on it: wait for that step too,
# so a check between the two does not fail; a mode that never arrives still does.
wal_mode() { stat -c '%a %G' "$data/desk/desk.db-wal" 2>/dev/null || true; }
for _ in $(seq 50); do [[ $(wal_mode) == "660 inloop-staff" ]] && break; sleep 0.1; done
[[ -e $data/desk/desk.db-wal ]] || fail "desk.db-wal did not appear while staff had desk.db open"
[[ $(wal_mode) == "660 inloop-staff" ]] || fail "desk.db-wal is $(wal_mode)"

denied() { # the kiosk account runs COMMAND...: it must fail, saying "Permission denied"
  local out
  if out=$(as inloop-kiosk "$@" 2>&1); then fail "the kiosk account could: $*"; fi
  [[ ${out,,} == *"permission denied"* ]] || fail "the kiosk account: $* failed without 'Permission denied': $out"
}
for f in desk.db desk.db-wal desk.db-shm client-code.key; do denied cat "$data/desk/$f"; done
denied ls "$data/desk"
out=$(as inloop-kiosk sqlite3 "$data/desk/desk.db" "SELECT count(*) FROM contact" 2>&1) && fail "sqlite3 as the kiosk read desk.db: $out"
err=$(as inloop-kiosk "$bin/inloopctl" --data-dir "$data" report --year "$year" 2>&1 >/dev/null) &&
  fail "inloopctl as the kiosk account read desk.db"
[[ $err == *"must never be in the group inloop-staff"* ]] || fail "inloopctl as the kiosk: $err"

# 5. The real kiosk as the kiosk account: it opens public.db and a real click writes its usage counter.
cp "$XAUTHORITY" "$root/kiosk.xauth"
chown inloop-kiosk "$root/kiosk.xauth"
run_as inloop-kiosk # the pid of the kiosk itself (env and setpriv exec it), so that kill reaches it
XAUTHORITY=$root/kiosk.xauth SDL_VIDEO_WINDOW_POS=0,0 "${as_user[@]}" "$bin/inloop-kiosk" --data-dir "$data" \
  --size 1280x800 2>"$root/kiosk.err" &
kiosk_pid=$!
for _ in $(seq 50); do xdotool search --name Inloop >/dev/null 2>&1 && break; sleep 0.2; done
sleep 1
english() { as anouk sqlite3 "$data/public/public.db" \
  "SELECT coalesce(sum(count), 0) FROM kiosk_usage WHERE kind = 'language' AND key = 'en'" 2>/dev/null || true; }
before=$(english)
xdotool mousemove 486 300 && sleep 0.3 && xdotool click 1 # "English", as in tests/e2e/kiosk_smoke.sh
count=""
for _ in $(seq 50); do
  count=$(english)
  [[ $count == $((before + 1)) ]] && break
  sleep 0.2
done
[[ $count == $((before + 1)) ]] ||
  fail "a click on English in the kiosk (as inloop-kiosk) did not count one visit ($before, then '$count'): $(cat "$root/kiosk.err")"
kill -0 "$kiosk_pid" || fail "the kiosk stopped: $(cat "$root/kiosk.err")"
[[ $(stat -c '%G' "$data/public/public.db-wal") == inloop-public ]] || fail "public.db-wal lost the folder's group"

# The kiosk's registration (the domain call its register screen makes), as the kiosk account; staff see the ticket.
ticket=$(as inloop-kiosk "$helper" "$data") || fail "the kiosk account could not register: $ticket"
read -r code _ day <<<"$ticket"
[[ $(as anouk sqlite3 "$data/public/public.db" \
  "SELECT count(*) FROM registration WHERE ticket = '$code' AND day = '$day' AND source = 'kiosk'") == 1 ]] ||
  fail "staff do not see the kiosk's ticket $code"
ctl anouk report --year "$year" >/dev/null || fail "the report failed after the kiosk wrote public.db"

# 6. A kiosk started under an account without the public group says why, on stderr (the journal).
run_as mirela
"${as_user[@]}" "$bin/inloop-kiosk" --data-dir "$data" --size 640x480 2>"$root/mirela.err" &
wrong=$!
for _ in $(seq 50); do grep -q "The kiosk cannot open" "$root/mirela.err" && break; sleep 0.2; done
kill "$wrong" 2>/dev/null || true
wait "$wrong" 2>/dev/null || true
grep -q "The kiosk cannot open $data/public: this account (mirela) is not in the group inloop-public." \
  "$root/mirela.err" || fail "the kiosk without the group said: $(cat "$root/mirela.err")"

exec 9>&-
echo "passed: accounts and folders from packaging/, the kiosk works as inloop-kiosk (ticket $code) and is denied desk/"
