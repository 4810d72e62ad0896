#!/usr/bin/env bash
# End-to-end: the real inloop-kiosk under Xvfb. In --kiosk-mode a window-manager close request (WM_DELETE_WINDOW,
# what the title bar's X and Alt+F4 send) leaves it running, and SIGTERM (systemd stopping the unit) ends it with
# exit code 0. Without --kiosk-mode the same close request ends it: the check can fail. Usage: kiosk_mode.sh BIN_DIR
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
data=$(mktemp -d)
kiosk=""
trap '[[ -n $kiosk ]] && kill -9 $kiosk 2>/dev/null; rm -rf "$data"' EXIT
"$bin/inloopctl" --data-dir "$data/var" init >/dev/null

start() { # starts the kiosk with extra options; sets $kiosk and $window
  "$bin/inloop-kiosk" --data-dir "$data/var" --size 800x600 "$@" 2>"$data/stderr" &
  kiosk=$!
  window=""
  for _ in $(seq 100); do
    window=$(xdotool search --pid $kiosk --name Inloop 2>/dev/null | head -1 || true)
    [[ -n $window ]] && break
    sleep 0.1
  done
  [[ -n $window ]] || { echo "FAILED: the kiosk opened no window" >&2; cat "$data/stderr" >&2; exit 1; }
  sleep 1 # fonts built, first frames drawn
}

# 1. Without kiosk mode the close request ends the app (the request reaches it).
start
python3 "$here/close_window.py" "$window"
for _ in $(seq 50); do kill -0 $kiosk 2>/dev/null || break; sleep 0.1; done
if kill -0 $kiosk 2>/dev/null; then echo "FAILED: a close request did not reach the kiosk" >&2; exit 1; fi
wait $kiosk || true
kiosk=""

# 2. In kiosk mode it is ignored, twice; SIGTERM then ends it cleanly.
start --kiosk-mode
python3 "$here/close_window.py" "$window"
sleep 1
python3 "$here/close_window.py" "$window"
sleep 1
kill -0 $kiosk 2>/dev/null || { echo "FAILED: the kiosk closed on a close request in kiosk mode" >&2; exit 1; }
grep -q "ignored a request to close" "$data/stderr" || { echo "FAILED: nothing in the journal about the request" >&2; exit 1; }
kill -TERM $kiosk
code=0
wait $kiosk || code=$?
kiosk=""
if [[ $code != 0 ]]; then echo "FAILED: SIGTERM ended the kiosk with exit code $code, not 0" >&2; exit 1; fi
echo "passed: kiosk mode ignored 2 close requests and ended on SIGTERM with exit code 0"
