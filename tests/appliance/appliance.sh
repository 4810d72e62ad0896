#!/usr/bin/env bash
# The appliance package (issue 14), one CTest test per step:
#   appliance.sh package   BUILD_DIR            cpack -G DEB makes exactly one build/package/inloop_*.deb
#   appliance.sh contents  BUILD_DIR VERSION    control fields, Depends, conffiles, files and their modes, scripts
#   appliance.sh lintian   BUILD_DIR            lintian: no errors (warnings are printed, allowed)
#   appliance.sh extracted BUILD_DIR            dpkg -x into a scratch root: the programs find everything there
#   appliance.sh units     BUILD_DIR            systemd-analyze verify for every unit and timer; sysusers/tmpfiles
# Scratch folders are removed on every exit. Each step prints what it checked; the first failure says why.
set -euo pipefail

step=${1:?step}
build=$(cd "${2:?build dir}" && pwd)
scratch=$(mktemp -d /tmp/inloop-appliance.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

the_deb() {
    local debs=("$build"/package/inloop_*.deb)
    [[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected one package in $build/package, found: ${debs[*]}"
    echo "${debs[0]}"
}

case $step in
package)
    rm -f "$build"/package/inloop_*.deb
    start=$SECONDS
    (cd "$build" && cpack -G DEB) >"$scratch/cpack.log" 2>&1 || { cat "$scratch/cpack.log"; fail "cpack -G DEB failed"; }
    deb=$(the_deb)
    ok "$(basename "$deb"): $(stat -c %s "$deb") bytes in $((SECONDS - start)) s"
    ;;

contents)
    version=${3:?version}
    deb=$(the_deb)
    field() { dpkg-deb -f "$deb" "$1"; }
    [[ $(field Package) == inloop ]] || fail "Package is '$(field Package)'"
    [[ $(field Version) == "$version" ]] || fail "Version is '$(field Version)', the project says $version"
    [[ $(field Architecture) == "$(dpkg --print-architecture)" ]] || fail "Architecture is '$(field Architecture)'"
    for f in Section Priority Maintainer Description Installed-Size; do
        [[ -n $(field $f) ]] || fail "no $f field"
    done
    depends=$(field Depends)
    # Named by us (fonts, compositor, units) and computed by dpkg-shlibdeps (a library of each kind we link).
    for d in fonts-noto-core fonts-noto-cjk fonts-tlwg-loma-ttf fonts-material-design-icons-iconfont cage systemd \
             libpam-systemd libc6 libsqlite3-0 libsdl2-2.0-0 libsodium23 libcurl4 libical3 'libicu[0-9]+'; do
        grep -Eq "(^|, )$d( |,|$)" <<<"$depends" || fail "Depends lacks $d: $depends"
    done
    ok "control: $(field Package) $(field Version) $(field Architecture), Depends: $depends"
    # A site with several machines (issue 20): pg_dump for its backups, openssl for server init's certificate.
    for d in postgresql-client-15 openssl; do
        grep -Eq "(^|, )$d( |,|$)" <<<"$(field Recommends)" || fail "Recommends lacks $d: $(field Recommends)"
    done

    dpkg-deb -e "$deb" "$scratch/control"
    printf '/etc/inloop/network.env\n/etc/inloop/site.ini\n/etc/pam.d/inloop\n' >"$scratch/want-conffiles"
    sort "$scratch/control/conffiles" | diff -u "$scratch/want-conffiles" - || fail "conffiles differ (above)"
    for s in postinst prerm postrm; do
        [[ -x $scratch/control/$s ]] || fail "$s is missing or not executable"
        sh -n "$scratch/control/$s" || fail "$s: shell syntax"
    done
    grep -q '^ *systemd-sysusers inloop.conf$' "$scratch/control/postinst" || fail "postinst does not run systemd-sysusers inloop.conf"
    grep -q '^ *systemd-tmpfiles --create inloop.conf$' "$scratch/control/postinst" || fail "postinst does not run systemd-tmpfiles --create inloop.conf"
    # Special-category data: no maintainer script may delete the data folder, not even on purge.
    if grep -nE 'rm .*/var/lib/inloop' "$scratch/control"/{postinst,prerm,postrm}; then fail "a maintainer script removes /var/lib/inloop"; fi
    ok "conffiles, maintainer scripts (the data folder is never removed)"

    # postinst with every system command stubbed (each logs its arguments): what it would do.
    mkdir "$scratch/stubs"
    for c in systemd-sysusers systemd-tmpfiles deb-systemd-helper deb-systemd-invoke systemctl; do
        printf '#!/bin/sh\necho "%s $*" >>"%s"\n[ "$1" = --quiet ] && [ "$2" = was-enabled ] && exit "${WAS_ENABLED:-0}"\nexit 0\n' \
            "$c" "$scratch/calls" >"$scratch/stubs/$c"
        chmod +x "$scratch/stubs/$c"
    done
    PATH="$scratch/stubs:$PATH" "$scratch/control/postinst" configure >/dev/null || fail "postinst configure (new) exited $?"
    for call in 'systemd-sysusers inloop.conf' 'systemd-tmpfiles --create inloop.conf' \
                'deb-systemd-helper enable inloop-upkeep.timer' 'deb-systemd-helper enable inloop-backup.timer'; do
        grep -qxF -e "$call" "$scratch/calls" || fail "a new installation does not run '$call': $(cat "$scratch/calls")"
    done
    if grep -E 'enable inloop-(kiosk|frontdesk)' "$scratch/calls"; then fail "a new installation turns a screen on"; fi
    : >"$scratch/calls"
    WAS_ENABLED=1 PATH="$scratch/stubs:$PATH" "$scratch/control/postinst" configure 0.0.1 >/dev/null || fail "postinst (upgrade) exited $?"
    if grep -E 'helper enable' "$scratch/calls"; then fail "an upgrade re-enables a timer the site turned off"; fi
    grep -qxF 'systemd-sysusers inloop.conf' "$scratch/calls" || fail "an upgrade does not refresh the accounts"
    ok "postinst (stubbed): accounts, folders, timers on; screens stay off; a disabled timer stays off on upgrade"

    dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }' >"$scratch/list"
    expect() { # mode owner path
        grep -qxF -e "$1 $2 ./$3" "$scratch/list" || fail "expected $1 $2 $3; the package has: $(grep -F "./$3" "$scratch/list" || echo nothing)"
    }
    for b in inloop-kiosk inloop-frontdesk inloopctl; do expect -rwxr-xr-x root/root usr/bin/$b; done
    expect -rwxr-xr-x root/root usr/libexec/inloop/inloop-speak # the kiosk's read-aloud helper
    for u in inloop-kiosk.service inloop-frontdesk.service inloop-upkeep.service inloop-upkeep.timer \
             inloop-backup.service inloop-backup.timer; do
        expect -rw-r--r-- root/root usr/lib/systemd/system/$u
    done
    for f in etc/inloop/site.ini etc/inloop/network.env etc/pam.d/inloop usr/lib/sysusers.d/inloop.conf \
             usr/lib/tmpfiles.d/inloop.conf usr/share/applications/inloop-frontdesk.desktop \
             usr/share/doc/inloop/copyright usr/share/doc/inloop/changelog.gz usr/share/doc/inloop/README.md \
             usr/share/inloop/locales/nl.po usr/share/inloop/locales/th.po usr/share/inloop/locales/desk/nl.po \
             usr/share/inloop/assets/content/nl/contact.md usr/share/inloop/assets/content/zh/shelter.md \
             usr/share/lintian/overrides/inloop usr/share/man/man1/inloopctl.1.gz usr/share/man/man1/inloop-kiosk.1.gz \
             usr/share/man/man1/inloop-frontdesk.1.gz; do
        expect -rw-r--r-- root/root "$f"
    done
    # Nothing of the build machine, no data, no second site.ini that would shadow /etc/inloop/site.ini.
    if grep -E ' \./(var|work|tmp|home|root|usr/local)/|usr/share/inloop/assets/site\.ini|inloop-bench' "$scratch/list"; then
        fail "the package holds files it must not (above)"
    fi
    if awk '$2 != "root/root"' "$scratch/list" | grep .; then fail "files not owned by root/root (above)"; fi
    if grep -E '^d' "$scratch/list" | grep -v '^drwxr-xr-x '; then fail "directories not 0755 (above)"; fi
    ok "$(wc -l <"$scratch/list") entries: binaries 0755, data and units 0644, directories 0755, all root/root"

    dpkg-deb -x "$deb" "$scratch/root"
    desktop-file-validate "$scratch/root/usr/share/applications/inloop-frontdesk.desktop" || fail "desktop-file-validate"
    zcat "$scratch/root/usr/share/doc/inloop/changelog.gz" | head -1 | grep -qF "inloop ($version)" || fail "the changelog's first entry is not $version"
    ok "desktop entry valid, changelog at $version"
    ;;

lintian)
    deb=$(the_deb)
    start=$SECONDS
    # --fail-on error: warnings (no manual pages, …) are shown but pass; overrides are in the package, justified.
    lintian --tag-display-limit 0 --fail-on error "$deb" 2>&1 | grep -v 'running with root privileges' \
        | tee "$scratch/lintian.log" || true
    status=${PIPESTATUS[0]}
    grep -q '^E: ' "$scratch/lintian.log" && fail "lintian reports errors (above)"
    [[ $status -eq 0 ]] || fail "lintian exited $status"
    ok "lintian: no errors, $(grep -c '^W: ' "$scratch/lintian.log" || true) warnings, $((SECONDS - start)) s"
    ;;

extracted)
    deb=$(the_deb)
    root=$scratch/root
    dpkg-deb -x "$deb" "$root"
    mkdir "$scratch/cwd" && cd "$scratch/cwd" # outside the checkout, which must not be needed
    run() { env -u INLOOP_ROOT -u INLOOP_DATA_DIR "$@"; }

    run "$root/usr/bin/inloopctl" --help >"$scratch/out" || fail "inloopctl --help exited $?"
    grep -q '^Usage: inloopctl' "$scratch/out" || fail "inloopctl --help: $(cat "$scratch/out")"
    run "$root/usr/bin/inloop-frontdesk" --help >/dev/null || fail "inloop-frontdesk --help"
    run "$root/usr/libexec/inloop/inloop-speak" --help 2>/dev/null || fail "inloop-speak --help" # the kiosk's helper runs
    ok "inloopctl --help, inloop-frontdesk --help, inloop-speak --help"

    run "$root/usr/bin/inloopctl" i18n-check >"$scratch/out" 2>&1 || { cat "$scratch/out"; fail "i18n-check in the unpacked root"; }
    ok "i18n-check: $(tail -1 "$scratch/out")"
    # It really reads the unpacked root (the checkout still has both files): its site facts, then its pages.
    mv "$root/etc/inloop/site.ini" "$scratch/site.ini"
    if run "$root/usr/bin/inloopctl" i18n-check >"$scratch/out" 2>&1; then fail "i18n-check passed without $root/etc/inloop/site.ini"; fi
    grep -qF "$root/etc/inloop/site.ini" "$scratch/out" || fail "i18n-check did not look for $root/etc/inloop/site.ini: $(tail -3 "$scratch/out")"
    mv "$scratch/site.ini" "$root/etc/inloop/site.ini"
    rm "$root/usr/share/inloop/assets/content/th/law.md"
    if run "$root/usr/bin/inloopctl" i18n-check >"$scratch/out" 2>&1; then fail "i18n-check passed without th/law.md in the root"; fi
    grep -q 'th' "$scratch/out" || fail "i18n-check did not miss th/law.md: $(tail -3 "$scratch/out")"
    ok "the site facts come from <root>/etc/inloop, the pages from <root>/usr/share/inloop"

    # The data folder of an installed program is <root>/var/lib/inloop, never ./var.
    run "$root/usr/bin/inloopctl" init >"$scratch/out" 2>&1 || { cat "$scratch/out"; fail "inloopctl init"; }
    [[ ! -e var ]] || fail "inloopctl init made ./var"
    find "$root/var/lib/inloop" -name public.db | grep -q . || fail "no public.db under $root/var/lib/inloop"
    ok "inloopctl init made its store under <root>/var/lib/inloop"

    dpkg-deb -x "$deb" "$scratch/fresh" # the tour needs every page again
    start=$SECONDS
    run SDL_VIDEODRIVER=dummy "$scratch/fresh/usr/bin/inloop-kiosk" --tour "$scratch/tour" >"$scratch/out" 2>&1 \
        || { cat "$scratch/out"; fail "inloop-kiosk --tour"; }
    for lang in nl en es ro bg hu zh th; do
        n=$(find "$scratch/tour/$lang" -name '*.png' -size +1k 2>/dev/null | wc -l)
        [[ $n -ge 10 ]] || fail "the tour drew $n screens for $lang"
    done
    ok "inloop-kiosk --tour: $(find "$scratch/tour" -name '*.png' | wc -l) screens in 8 languages, $((SECONDS - start)) s"
    ;;

units)
    deb=$(the_deb)
    root=$scratch/root
    dpkg-deb -x "$deb" "$root"
    units=("$root"/usr/lib/systemd/system/*)
    [[ ${#units[@]} -eq 6 ]] || fail "expected 6 units, found ${#units[@]}"
    # verify checks ExecStart binaries exist: point ours at the unpacked root (cage is the system's).
    mkdir "$scratch/units"
    for u in "${units[@]}"; do sed "s#/usr/bin/inloop#$root/usr/bin/inloop#g" "$u" >"$scratch/units/$(basename "$u")"; done
    # verify exits 0 on unknown keys and bad values it ignores: any output at all is a failure.
    systemd-analyze verify --man=no "$scratch"/units/* >"$scratch/out" 2>&1 || { cat "$scratch/out"; fail "systemd-analyze verify"; }
    [[ ! -s $scratch/out ]] || { cat "$scratch/out"; fail "systemd-analyze verify complained"; }
    ok "systemd-analyze verify: ${#units[@]} units and timers, silent"

    unit() { cat "$root/usr/lib/systemd/system/$1"; }
    has() { unit "$1" | grep -qxF "$2" || fail "$1 lacks '$2'"; }
    has inloop-kiosk.service 'User=inloop-kiosk'
    has inloop-kiosk.service 'Group=inloop-public'
    has inloop-kiosk.service 'Restart=always'
    has inloop-kiosk.service 'ProtectSystem=strict'
    has inloop-kiosk.service 'ReadWritePaths=/var/lib/inloop/public'
    has inloop-kiosk.service 'InaccessiblePaths=-/var/lib/inloop/desk'
    has inloop-kiosk.service 'ExecStart=/usr/bin/cage $CAGE_OPTIONS -- /usr/bin/inloop-kiosk --kiosk-mode --fullscreen'
    has inloop-upkeep.service 'ExecStart=/usr/bin/inloopctl upkeep'
    has inloop-backup.service 'ExecStart=/usr/bin/inloopctl backup --upload --nightly'
    for t in upkeep backup; do
        has inloop-$t.timer 'Persistent=true'
        has inloop-$t.timer 'WantedBy=timers.target'
        has inloop-$t.service 'User=inloop'
        has inloop-$t.service 'Group=inloop-staff'
    done
    if unit inloop-kiosk.service | grep -E '^(SupplementaryGroups|Group)=.*inloop-staff'; then fail "the kiosk joins the staff group"; fi
    ok "kiosk: its own account, Restart=always, only the public folder writable; timers persistent, run as inloop"

    # The accounts and folders postinst makes, made in the scratch root from the shipped files (needs root).
    if [[ $(id -u) -eq 0 ]]; then
        mkdir -p "$root/etc"
        touch "$root/etc/passwd" "$root/etc/group" "$root/etc/shadow" "$root/etc/gshadow"
        systemd-sysusers --root="$root" inloop.conf >"$scratch/out" 2>&1 || { cat "$scratch/out"; fail "systemd-sysusers"; }
        grep -q '^inloop-public:' "$root/etc/group" && grep -q '^inloop-staff:' "$root/etc/group" || fail "groups missing: $(cat "$root/etc/group")"
        kiosk_gid=$(awk -F: '$1 == "inloop-kiosk" { print $4 }' "$root/etc/passwd")
        [[ $kiosk_gid == $(awk -F: '$1 == "inloop-public" { print $3 }' "$root/etc/group") ]] || fail "inloop-kiosk's group is not inloop-public"
        if grep -E '^inloop-staff:.*inloop-kiosk' "$root/etc/group"; then fail "inloop-kiosk is in inloop-staff"; fi
        grep -qE '^inloop-public:.*:.*\binloop\b' "$root/etc/group" || fail "inloop is not in inloop-public: $(cat "$root/etc/group")"
        systemd-tmpfiles --root="$root" --create inloop.conf >"$scratch/out" 2>&1 || { cat "$scratch/out"; fail "systemd-tmpfiles"; }
        [[ $(stat -c %a "$root/var/lib/inloop/public") == 2770 && $(stat -c %a "$root/var/lib/inloop/desk") == 2770 ]] \
            || fail "folder modes: public $(stat -c %a "$root/var/lib/inloop/public"), desk $(stat -c %a "$root/var/lib/inloop/desk")"
        [[ $(stat -c %g "$root/var/lib/inloop/desk") == $(awk -F: '$1 == "inloop-staff" { print $3 }' "$root/etc/group") ]] \
            || fail "the desk folder does not belong to inloop-staff"
        ok "sysusers: inloop-kiosk in inloop-public only; tmpfiles: public and desk folders 2770 with their groups"
    else
        echo "skipped: sysusers/tmpfiles in a scratch root need root"
    fi
    ;;

*) fail "unknown step $step" ;;
esac
