#!/usr/bin/env bash
# Issue 12, "what the first officials and IT staff tripped on": one check group per numbered
# point, each run as its own ctest (first_users_pNN). Real minisign keys, the real
# sign-notice script, the real binary (--fetch-once, the kiosk under SDL's dummy driver,
# --screenshot, notify, notice check) on file:// sources in a temp folder.
#   e2e_first_users.sh BANGTIN SIGN_NOTICE SOURCE_DIR WORK_DIR POINT
set -uo pipefail
bangtin="$1"; sign="$2"; src="$3"; work="$4"; point="$5"
source "$(dirname "$0")/lib.sh"
command -v minisign >/dev/null || { echo "SKIP: minisign is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }

rm -rf "$work"; mkdir -p "$work/home" "$work/keys" "$work/www" "$work/data"
work=$(cd "$work" && pwd)
export HOME="$work/home" SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
unset BANGTIN_FAKE_TIME
(cd "$work/keys" && minisign -G -W -p k.pub -s k.key >/dev/null) || { echo "FAIL: minisign -G"; exit 1; }
pubkey=$(sed -n 2p "$work/keys/k.pub")
# minisign writes the key id without leading zeros ("public key 4EEC90AFCB4DE9D"): one key in
# sixteen starts with 0, and bangtin names it with all 16 digits.
key_hex=$(sed -n 1p "$work/keys/k.pub" | grep -oE '[0-9A-F]{1,16}$')
key_hex=$(printf '%016s' "$key_hex" | tr ' ' 0)
kiosk=""
trap '[ -n "$kiosk" ] && kill -KILL $kiosk 2>/dev/null; wait 2>/dev/null' EXIT

# conf [EXTRA_LINES]: commune 00382, the test key pinned, one signed source www/notice.json.
conf() {
    cat > "$work/bangtin.conf" <<CONF
[display]
office_name = UBND XÃ THỬ NGHIỆM
[rotation]
max_age_days = 0
[network]
startup_delay_max = 0s
[urgent]
commune_code = 00382
trusted_key = $pubkey Sở Thông tin và Truyền thông
[system]
data_dir = $work/data
status_file = $work/status.json
[source tinh]
url = file://$work/www/${NOTICE_FILE:-notice.json}
name = UBND tỉnh
kind = urgent
local = true
require_signature = true
${1:-}
CONF
}
signit() { bash "$sign" -s "$work/keys/k.key" -o "$work/www" "$@"; }
fetch_once() {
    "$bangtin" --config "$work/bangtin.conf" --fetch-once 2> "$work/fetch.log"
    local rc=$?
    [ $rc -eq 0 ] || { echo "fetch-once rc $rc:"; cat "$work/fetch.log"; }
    return $rc
}
active_ids() { "$bangtin" notify --config "$work/bangtin.conf" --list 2>/dev/null | cut -f1 | sort | tr '\n' ' '; }
# rfc3339 OFFSET_S: UTC time now + offset, from python (independent of the script under test).
rfc3339() { python3 -c "import datetime,sys;print((datetime.datetime.now(datetime.timezone.utc)+datetime.timedelta(seconds=int(sys.argv[1]))).strftime('%Y-%m-%dT%H:%M:%SZ'))" "$1"; }
# notice_doc ID SEQ [TARGETS]: a notice document (JSON text) valid for an hour.
notice_doc() {
    printf '{"id":"%s","seq":%s,"action":"show","issued":"%s","expires":"%s","severity":"severe","title":"Thông báo %s","body":"Nội dung","targets":%s}\n' \
        "$1" "$2" "$(rfc3339 -60)" "$(rfc3339 3600)" "$1" "${3:-[\"all\"]}"
}
db_last_error() {
    python3 -c "import sqlite3,sys;c=sqlite3.connect(sys.argv[1]);r=c.execute('select last_error from sources where id=?',(sys.argv[2],)).fetchone();print(r[0] if r and r[0] else '')" "$work/data/cache.db" "$1"
}

p01() { # a failed signing leaves nothing; the documented key commands work on minisign 0.11
    mkdir -p "$work/pc" && cd "$work/pc" || return
    # The old README: `minisign -G` puts minisign.pub into the current folder (-W: no
    # password, to spare a slow key derivation; the folders are the same).
    minisign -G -W >/dev/null 2>&1
    check "minisign -G made the secret key in ~/.minisign" test -e "$HOME/.minisign/minisign.key"
    check "…and minisign.pub in the current folder" test -e minisign.pub
    bash "$sign" --title "Cảnh báo lũ" --body "Nước lên" --expires 12h \
        -s ~/.minisign/minisign.key -p ~/.minisign/minisign.pub -o out/ > out1.txt 2> err1.txt
    check "signing with a missing public key fails" test $? -ne 0
    check "…and leaves no notice.json" test ! -e out/notice.json
    check "…and no notice.json.minisig" test ! -e out/notice.json.minisig
    check "…and does not advance the saved seq" test ! -e ~/.minisign/minisign.key.bangtin-seq
    # A public key that is not the pair of the secret key: signed, then refused by the check.
    bash "$sign" --title "Cảnh báo lũ" --body "Nước lên" -s ~/.minisign/minisign.key \
        -p "$work/keys/k.pub" -o out/ > /dev/null 2> err1b.txt
    check "signing with the wrong key pair fails" test $? -ne 0
    check "…saying wrong key pair" grep -q "wrong key pair" err1b.txt
    check "…and leaves nothing in out/" bash -c "! ls -A out 2>/dev/null | grep -q ."
    check "…and does not advance the saved seq" test ! -e ~/.minisign/minisign.key.bangtin-seq
    # The documented steps (the README, "For officials"): both files in ~/.minisign.
    rm -rf ~/.minisign minisign.pub
    mkdir -p ~/.minisign
    printf 'pw\npw\n' | minisign -G -p ~/.minisign/minisign.pub -s ~/.minisign/minisign.key >/dev/null 2>&1
    printf 'pw\n' | bash "$sign" --title "Cảnh báo lũ" --body "Nước lên" --expires 12h \
        -s ~/.minisign/minisign.key -p ~/.minisign/minisign.pub -o out/ > out3.txt 2> err3.txt
    check "the documented steps sign (rc 0): $(cat err3.txt)" test $? -eq 0
    check "…and the pair verifies" minisign -V -q -p ~/.minisign/minisign.pub -m out/notice.json
    # A wrong password: minisign fails; what was published stays, the seq is not used up.
    cp out/notice.json before.json; cp ~/.minisign/minisign.key.bangtin-seq seq-before
    printf 'wrong\n' | bash "$sign" --title "T" --body "B" -s ~/.minisign/minisign.key \
        -o out/ > /dev/null 2> err2.txt
    check "a wrong password fails" test $? -ne 0
    check "…and leaves the published notice as it was" cmp -s out/notice.json before.json
    check "…and the saved seq as it was" cmp -s ~/.minisign/minisign.key.bangtin-seq seq-before
    check "…and no scratch folder" bash -c "! ls -A out | grep -v '^notice.json' | grep -q ."
    cd "$work" || return
}

p02() { # the signer refuses a seq not above the last one it signed
    signit --title "Một" --body "B" --seq 100 > /dev/null 2>&1
    check "seq 100 signs" test $? -eq 0
    signit --title "Hai" --body "B" --seq 50 > /dev/null 2> "$work/err.txt"
    check "seq 50 after 100 is refused" test $? -ne 0
    check "…saying it is not above 100" grep -q "not above 100" "$work/err.txt"
    check "…and the published notice is still seq 100" grep -q '"seq":100,' "$work/www/notice.json"
    check "…and the saved seq is still 100" grep -qx 100 "$work/keys/k.key.bangtin-seq"
    signit --title "Ba" --body "B" --seq 100 > /dev/null 2>&1
    check "an equal seq is refused too" test $? -ne 0
}

p03() { # sign-notice without GNU date -d
    mkdir -p "$work/bin"
    cat > "$work/bin/date" <<'EOF'
#!/bin/sh
for a in "$@"; do
    case $a in -d* | --date* | -r* | -j*) echo "date: illegal option -- d" >&2; exit 1 ;; esac
done
exec /bin/date "$@"
EOF
    chmod +x "$work/bin/date"
    PATH="$work/bin:$PATH" signit --title "Một" --body "B" --expires 12h > "$work/out.txt" 2>&1
    check "signs with a date that refuses -d: $(tail -1 "$work/out.txt")" test $? -eq 0
    want=$(rfc3339 43200)
    got=$(grep -oE '"expires":"[^"]+"' "$work/www/notice.json" | cut -d'"' -f4)
    check "expires is 12 h ahead ($got ~ $want)" python3 -c "
import datetime,sys
f=lambda s: datetime.datetime.strptime(s,'%Y-%m-%dT%H:%M:%SZ')
sys.exit(0 if abs((f(sys.argv[1])-f(sys.argv[2])).total_seconds())<=5 else 1)" "$got" "$want"
    PATH="$work/bin:$PATH" signit --title "Hai" --body "B" --expires 2099-01-02T07:00:00+07:00 \
        > "$work/out.txt" 2>&1
    check "an RFC 3339 --expires with an offset works too" test $? -eq 0
    check "…converted to UTC" grep -q '"expires":"2099-01-02T00:00:00Z"' "$work/www/notice.json"
}

p04() { # a leading BOM is accepted; invisible characters in messages are shown as U+XXXX
    conf
    { printf '\xEF\xBB\xBF'; notice_doc bom 10; } > "$work/www/notice.json"
    minisign -S -s "$work/keys/k.key" -m "$work/www/notice.json" >/dev/null
    fetch_once
    check "a notice.json with a BOM is accepted (rc 0)" test $? -eq 0
    check "…and logged accepted" grep -q "signed notice bom from source tinh accepted" "$work/fetch.log"
    { printf '\xE2\x80\x8B'; notice_doc zw 11; } > "$work/www/notice.json"
    minisign -S -s "$work/keys/k.key" -m "$work/www/notice.json" >/dev/null
    fetch_once
    check "a zero-width space before the JSON is named U+200B" grep -q "U+200B" "$work/fetch.log"
    check "…and not printed raw" bash -c "! grep -q \$'\\xE2\\x80\\x8B' '$work/fetch.log'"
}

p05() { # bangtin notice check
    signit --title "Cảnh báo lũ" --body "B" --expires 12h > /dev/null 2>&1
    "$bangtin" notice check "$work/www/notice.json" --key "$pubkey" > "$work/check.txt" 2>&1
    check "notice check: rc 0 for a good notice ($(head -3 "$work/check.txt" | tr '\n' '|'))" test $? -eq 0
    check "…says it is shown" grep -q "SHOWN on the screens of every commune" "$work/check.txt"
    check "…and until when" grep -qE "until [0-9]{2}:[0-9]{2} [0-9]{2}/[0-9]{2}/[0-9]{4}" "$work/check.txt"
    sed 's/Cảnh báo lũ/Cảnh báo giả/' "$work/www/notice.json" > "$work/forged.json"
    cp "$work/www/notice.json.minisig" "$work/forged.json.minisig"
    "$bangtin" notice check "$work/forged.json" --key "$pubkey" > "$work/check2.txt" 2>&1
    check "a forged copy: rc 1" test $? -eq 1
    check "…REFUSED: bad signature" grep -q "REFUSED: bad signature" "$work/check2.txt"
    conf
    signit --title "Xã khác" --body "B" --targets 01234 > /dev/null 2>&1
    "$bangtin" notice check "$work/www/notice.json" --config "$work/bangtin.conf" > "$work/check3.txt" 2>&1
    check "with a screen's config: not for this commune" grep -q "REFUSED: not targeted" "$work/check3.txt"
    "$bangtin" notice check "$work/www/notice.json" --key "$pubkey" > "$work/check4.txt" 2>&1
    check "without a config: shown on the screens of 01234" grep -q "SHOWN on the screens of 01234" "$work/check4.txt"
}

p06() { # one URL, several notices: a notice list
    NOTICE_FILE=list.json conf
    signit --title "Một" --body "B" --id a --list "$work/www/list.json" > /dev/null 2>&1
    check "sign-notice --list a" test $? -eq 0
    signit --title "Hai" --body "B" --id b --list "$work/www/list.json" > /dev/null 2>&1
    check "sign-notice --list b" test $? -eq 0
    fetch_once
    check "fetch the list: rc 0" test $? -eq 0
    check "…both notices active" test "$(active_ids)" = "signed:$key_hex:a signed:$key_hex:b "
    signit --cancel a --list "$work/www/list.json" > /dev/null 2>&1
    check "sign-notice --cancel a --list" test $? -eq 0
    fetch_once
    check "after the cancel only b is active ($(active_ids))" test "$(active_ids)" = "signed:$key_hex:b "
    check "…no warning" bash -c "! grep -E ' warning ' '$work/fetch.log'"
    fetch_once
    check "the same list again: unchanged, no warning" bash -c "! grep -E ' warning |replayed' '$work/fetch.log'"
    # A list written by hand, entries out of order: show c (seq 10), show d (11), cancel c (12).
    rm -rf "$work/data"; mkdir -p "$work/data" "$work/hand"
    notice_doc c 10 > "$work/hand/c.json"
    notice_doc d 11 > "$work/hand/d.json"
    printf '{"id":"c","seq":12,"action":"cancel","issued":"%s","targets":["all"]}\n' "$(rfc3339 -30)" > "$work/hand/x.json"
    for f in c d x; do minisign -S -s "$work/keys/k.key" -m "$work/hand/$f.json" >/dev/null; done
    python3 - "$work/hand" "$work/www/list.json" <<'EOF'
import json, sys
d = sys.argv[1]
e = lambda n: {"notice": open(f"{d}/{n}.json", encoding="utf-8").read(),
               "minisig": open(f"{d}/{n}.json.minisig", encoding="utf-8").read()}
json.dump({"format": "bangtin-notices/1", "notices": [e("x"), e("d"), e("c")]},
          open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
    fetch_once
    check "hand-made list: rc 0" test $? -eq 0
    check "…applied in seq order: only d active ($(active_ids))" test "$(active_ids)" = "signed:$key_hex:d "
}

p07() { # a notice for other communes: info, exit 0, no error anywhere
    conf
    signit --title "Xã khác" --body "B" --targets 01234 > /dev/null 2>&1
    fetch_once
    check "--fetch-once exits 0" test $? -eq 0
    check "…logs not targeted" grep -q "not targeted" "$work/fetch.log"
    check "…at info, not as a warning" bash -c "! grep -E ' (warning|error) ' '$work/fetch.log'"
    check "…and no error recorded for the status page" test -z "$(db_last_error tinh)"
}

p08() { # the current notice fetched again: "unchanged"
    conf
    signit --title "Một" --body "B" > /dev/null 2>&1
    fetch_once
    check "first fetch accepted" grep -q "accepted" "$work/fetch.log"
    fetch_once
    check "second fetch: rc 0" test $? -eq 0
    check "…logged unchanged" grep -q "unchanged" "$work/fetch.log"
    check "…not refused: replayed" bash -c "! grep -q 'replayed' '$work/fetch.log'"
}

p09() { # status.json and the status page agree; uptime survives SIGHUP; UTF-8
    mkdir -p "$work/news"
    cp "$src/assets/demo/feed.xml" "$work/news/"
    conf "[source xa]
url = file://$work/news/feed.xml
name = Cổng thông tin xã
local = true"
    signit --title "Cảnh báo" --body "B" > /dev/null 2>&1
    "$bangtin" --config "$work/bangtin.conf" --windowed --size 640x360 2> "$work/kiosk.log" &
    kiosk=$!
    check "kiosk first frame" wait_for "first frame" "$work/kiosk.log" 60
    check "kiosk accepted the notice" wait_for "signed notice .* accepted" "$work/kiosk.log" 60
    sleep 3
    kill -HUP $kiosk
    check "SIGHUP reload" wait_for "reloading the configuration" "$work/kiosk.log" 20
    wait_for "showing [0-9]+ cached items" "$work/kiosk.log" 20
    sleep 1
    kill -TERM $kiosk; wait $kiosk 2>/dev/null; kiosk=""
    j="$work/status.json"
    grep -qE "uptime_s\": [0-9]{1}," "$j" && { echo "kiosk log:"; cat "$work/kiosk.log"; }
    check "status.json written" test -s "$j"
    up=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['uptime_s'])" "$j" 2>/dev/null)
    check "uptime_s counts from the process start, not the reload ($up)" test "${up:-0}" -ge 3
    check "status.json is UTF-8 (Cổng, not \\u escapes)" grep -q "Cổng thông tin xã" "$j"
    check "…no \\u escapes" bash -c "! grep -q '\\\\u' '$j'"
    check "status.json has the commune code" python3 -c "import json,sys;sys.exit(json.load(open(sys.argv[1]))['commune_code']!='00382')" "$j"
    check "…the pinned key id" python3 -c "import json,sys;sys.exit(json.load(open(sys.argv[1]))['trusted_keys'][0]['key_id']!=sys.argv[2])" "$j" "$key_hex"
    check "…the active notice" python3 -c "import json,sys;sys.exit(not any(u['title']=='Cảnh báo' for u in json.load(open(sys.argv[1]))['urgent_notices']))" "$j"
    check "…both clock fields" python3 -c "import json,sys;d=json.load(open(sys.argv[1]));sys.exit(not isinstance(d['clock_synchronised'],bool) or not isinstance(d['clock_trusted'],bool))" "$j"
    # --screenshot --status: the kiosk's uptime (from status.json), not its own 0.
    export BANGTIN_FAKE_TIME=1795742100
    python3 - "$j" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); d["uptime_s"] = 2 * 86400 + 3 * 3600; d["time"] = "2026-11-27T01:15:00Z"
json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False)
EOF
    "$bangtin" --config "$work/bangtin.conf" --screenshot "$work/st-running.png" --status --size 640x360 2>/dev/null
    rm -f "$j"
    "$bangtin" --config "$work/bangtin.conf" --screenshot "$work/st-none.png" --status --size 640x360 2>/dev/null
    unset BANGTIN_FAKE_TIME
    check "screenshot --status shows the running kiosk's uptime (pages differ)" \
        bash -c "! cmp -s '$work/st-running.png' '$work/st-none.png'"
}

p10() { # --check-config refuses what it accepted
    cc() { # cc NAME EXPECT CONFIG_TEXT
        printf '%s\n' "$3" > "$work/c.conf"
        "$bangtin" --check-config --config "$work/c.conf" > "$work/cc.txt" 2>&1
        local rc=$?
        check "$1: refused" test $rc -eq 1
        check "$1: says '$2' ($(grep -v 'configuration has' "$work/cc.txt" | head -2 | tr '\n' '|'))" grep -qF -- "$2" "$work/cc.txt"
    }
    cc "commune code with a space" '"267 34"' $'[urgent]\ncommune_code = 267 34'
    cc "URL with a space (value quoted)" '"https://example.gov.vn/a b"' $'[source a]\nurl = https://example.gov.vn/a b'
    cc "duplicate url" 'set twice' $'[source a]\nurl = https://example.gov.vn/a\nurl = https://example.gov.vn/b'
    cc "repeated [source a]" 'appears twice' $'[source a]\nurl = https://example.gov.vn/a\n[source a]\nname = A'
    cc "a duration without unit" 'no unit' $'[network]\npoll_interval = 600'
    cc "no url has file:line" 'c.conf:1: [source tinh]: no url' $'[source tinh]\nname = T'
    cc "unknown key: did you mean" 'did you mean poll_interval' $'[network]\npol_interval = 10m'
    printf '[network]\npol_interval = 10m\n' > "$work/c.conf"
    last=$("$bangtin" --check-config --config "$work/c.conf" 2>&1 | cat | tail -1)
    check "piped: the verdict comes after the errors ($last)" test "$last" = "configuration has errors (see above)"
    printf '[network]\npoll_interval = 10m\n' > "$work/c.conf"
    "$bangtin" --check-config --config "$work/c.conf" > /dev/null 2>&1
    check "a good file still passes" test $? -eq 0
}

p11() { # bangtin notify
    conf
    mkdir -p "$work/data"
    "$bangtin" notify --config "$work/bangtin.conf" --title "T" --expires 90 > /dev/null 2> "$work/n.txt"
    check "--expires 90 (no unit) is refused with 2" test $? -eq 2
    check "…saying to write 90s or 90m" grep -q "90s, 90m" "$work/n.txt"
    "$bangtin" notify --config "$work/bangtin.conf" --title "Mất điện" --expires 2h > /dev/null 2> "$work/n.txt"
    check "push with --expires 2h" test $? -eq 0
    check "notify says which configuration and data folder" grep -qF "configuration $work/bangtin.conf, data folder $work/data" "$work/n.txt"
    "$bangtin" notify --config "$work/bangtin.conf" --title "Bơm nước" --issuer "Trạm bơm" > /dev/null 2>&1
    "$bangtin" notify --config "$work/bangtin.conf" --list > "$work/l.txt" 2>/dev/null
    check "--issuer names the issuer" grep -q "Trạm bơm" "$work/l.txt"
    check "the default issuer is the office, not 'local'" grep -P "\tUBND XÃ THỬ NGHIỆM\t" "$work/l.txt"
    check "…never 'local'" bash -c "! grep -P '\tlocal\t' '$work/l.txt'"
    "$bangtin" notify --config "$work/nope.conf" --list > /dev/null 2> "$work/n.txt"
    check "a named config that does not exist is an error" test $? -ne 0
    check "…naming it" grep -q "nope.conf" "$work/n.txt"
    # --list needs no write access.
    chmod -R a+rX "$work"
    if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
        chmod 755 "$work/data"
        setpriv --reuid=65534 --regid=65534 --clear-groups "$bangtin" notify --config "$work/bangtin.conf" \
            --list > "$work/l2.txt" 2> "$work/n.txt"
        rc=$?
    else
        chmod a-w "$work/data"
        "$bangtin" notify --config "$work/bangtin.conf" --list > "$work/l2.txt" 2> "$work/n.txt"
        rc=$?
        chmod u+w "$work/data"
    fi
    check "--list without write access works ($(tail -1 "$work/n.txt"))" test $rc -eq 0
    check "…and lists the notices" grep -q "Mất điện" "$work/l2.txt"
}

p12() { # smaller things
    conf
    signit --title "Một" --body "B" -o "$work/www/" > "$work/sign.txt" 2>&1
    check "sign-notice -o dir/ prints no //" bash -c "! grep -q '//notice' '$work/sign.txt'"
    fetch_once
    check "--fetch-once counts the notice" grep -q "1 urgent notice active" "$work/fetch.log"
    # --demo from a binary that is neither installed nor next to the source tree.
    mkdir -p "$work/elsewhere"; cp "$bangtin" "$work/elsewhere/bangtin"
    env -u BANGTIN_RESOURCE_DIR "$work/elsewhere/bangtin" --demo --fetch-once --data-dir "$work/demo" > /dev/null 2> "$work/demo.log"
    check "--demo from a build folder finds the demo feed ($(grep -m1 -E 'warning|error' "$work/demo.log"))" grep -q "12 items" "$work/demo.log"
    # The idle page with only urgent sources: "nothing to show", not "loading" forever.
    rm -rf "$work/data" "$work/www/notice.json"*; mkdir -p "$work/data"
    export BANGTIN_FAKE_TIME=1795742100
    "$bangtin" --config "$work/bangtin.conf" --screenshot "$work/idle.png" --size 640x360 2>/dev/null
    conf "[source xa]
url = https://127.0.0.1:9/never
name = Xã"
    rm -rf "$work/data"; mkdir -p "$work/data"
    "$bangtin" --config "$work/bangtin.conf" --screenshot "$work/loading.png" --size 640x360 2>/dev/null
    unset BANGTIN_FAKE_TIME
    check "idle page (only urgent sources) differs from the loading page" \
        bash -c "test -s '$work/idle.png' && ! cmp -s '$work/idle.png' '$work/loading.png'"
    # SIGHUP: the first frame is logged once from the start; the rotation keeps its place.
    mkdir -p "$work/news"; cp "$src/assets/demo/feed.xml" "$work/news/"
    cat > "$work/k.conf" <<CONF
[display]
transition = none
[rotation]
max_age_days = 0
dwell_base_s = 0
dwell_per_word_s = 0
dwell_min_s = 1
dwell_max_s = 1
max_pages_per_item = 1
[network]
startup_delay_max = 0s
[system]
data_dir = $work/kdata
status_file = $work/kstatus.json
[source xa]
url = file://$work/news/feed.xml
local = true
CONF
    "$bangtin" --config "$work/k.conf" --windowed --size 640x360 2> "$work/kiosk.log" &
    kiosk=$!
    wait_for "first frame" "$work/kiosk.log" 60
    wait_for "12 items" "$work/kiosk.log" 60
    sleep 4
    kill -HUP $kiosk
    wait_for "rotation continues at item" "$work/kiosk.log" 20
    sleep 1
    kill -TERM $kiosk; wait $kiosk 2>/dev/null; kiosk=""
    check "first frame after start logged once" test "$(grep -c 'first frame .* after start' "$work/kiosk.log")" -eq 1
    check "…and after the reload measured from the reload" grep -q "first frame [0-9]* ms after the reload" "$work/kiosk.log"
    was=$(grep -oE "rotation was at item [0-9]+" "$work/kiosk.log" | grep -oE "[0-9]+$")
    now=$(grep -oE "rotation continues at item [0-9]+" "$work/kiosk.log" | grep -oE "[0-9]+$")
    check "the rotation keeps its position (was ${was:-?}, continues ${now:-?})" \
        test -n "$was" -a "$was" = "$now" -a "${was:-1}" -gt 1
    # Every string a person reads on the screen is Vietnamese: the literals of render/ and of
    # the status snapshot, log lines and comments aside, hold no English word.
    check "no English in the screen strings ($(bash "$src/tests/e2e/screen_strings.sh" "$src" | head -3 | tr '\n' '|'))" \
        test -z "$(bash "$src/tests/e2e/screen_strings.sh" "$src")"
}

"p$point"
finish
