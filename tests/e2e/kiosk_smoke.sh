#!/usr/bin/env bash
# End-to-end smoke test: the real inloop-kiosk under Xvfb, a real X click (xdotool) on the "English" tile,
# and the anonymous usage counter that click writes to public.db. Usage: kiosk_smoke.sh BIN_DIR
set -euo pipefail
bin=$1
data=$(mktemp -d)
trap 'kill $kiosk 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin/inloopctl" --data-dir "$data/var" init >/dev/null

# xvfb-run gives us a display; the kiosk opens at 0,0 in 1280x800.
SDL_VIDEO_WINDOW_POS=0,0 "$bin/inloop-kiosk" --data-dir "$data/var" --size 1280x800 &
kiosk=$!
for _ in $(seq 50); do xdotool search --name Inloop >/dev/null 2>&1 && break; sleep 0.2; done
sleep 1
# The language tiles: 4 in a row; "English" is the second of the first row.
xdotool mousemove 486 300 && sleep 0.3 && xdotool click 1

count=""
for _ in $(seq 50); do
  count=$(sqlite3 "$data/var/public/public.db" "SELECT count FROM kiosk_usage WHERE kind = 'language' AND key = 'en'" 2>/dev/null || true)
  [[ $count == 1 ]] && break
  sleep 0.2
done
if [[ $count != 1 ]]; then
  echo "FAILED: a click on English did not count one English visit (got '${count}')" >&2
  exit 1
fi
kill -0 $kiosk || { echo "FAILED: the kiosk is no longer running" >&2; exit 1; }
echo "passed: a real click on the kiosk counted one English visit"
