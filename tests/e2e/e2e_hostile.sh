#!/usr/bin/env bash
# Hostile servers and bodies against the whole program: each is logged once with its reason,
# returns within its time bound, and leaves the cached items of the source untouched.
#   e2e_hostile.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; src="$3"; work="$4"   # $2 (pngcmp) is not needed here
source "$(dirname "$0")/lib.sh"
rm -rf "$work"; mkdir -p "$work/data"
export SDL_VIDEODRIVER=dummy BANGTIN_FAKE_TIME=1795742100
python3 "$src/tests/e2e/hostile_feed_server.py" "$src/tests/data/wordpress/feed-rss2.xml" \
    > "$work/port" &
server=$!
trap 'kill $server 2>/dev/null; wait 2>/dev/null' EXIT
wait_port "$work/port"
base="http://127.0.0.1:$(head -1 "$work/port")"
cat > "$work/bangtin.conf" <<CONF
[network]
connect_timeout = 3s
total_timeout = 8s
low_speed_time = 3s
low_speed_limit = 64
max_feed_size = 2M
[system]
data_dir = $work/data
CONF
# One source id for every URL: the good content must survive every bad answer.
fetch() { # fetch PATH LOG → exit code; the elapsed ms in $elapsed
    local t0=$(date +%s%N)
    sed "s|^url = .*||" "$work/bangtin.conf" > "$work/run.conf"
    printf '[source prov]\nurl = %s%s\nname = Tỉnh\n' "$base" "$1" >> "$work/run.conf"
    "$bangtin" --config "$work/run.conf" --fetch-once 2> "$2"
    local rc=$?
    elapsed=$((($(date +%s%N) - t0) / 1000000))
    return $rc
}
fetch /good "$work/good.log"
check "good feed fetched" grep -q "10 items cached" "$work/good.log"
"$bangtin" --config "$work/run.conf" --screenshot "$work/before.png" --size 960x540 2>/dev/null

for case in "500:HTTP 500:3000" "404:HTTP 404:3000" "html:not a feed\|no feed\|HTML:3000" \
            "empty:empty:3000" "truncated:truncat\|parse\|premature\|broken:3000" \
            "short:truncat\|partial\|closed:5000" "trickle:slow\|low.speed\|timed out:12000" \
            "hang:timed out\|timeout\|too slow:12000" "bomb:larger\|over\|cap:8000" \
            "redirect-file:scheme\|redirect:3000" "laughs:entit\|DTD\|refused:3000"; do
    name="${case%%:*}"; rest="${case#*:}"; pattern="${rest%:*}"; bound="${rest##*:}"
    fetch "/$name" "$work/$name.log"; rc=$?
    check "$name: fetch reports failure" test $rc -ne 0
    check "$name: reason logged" grep -qi "$pattern" "$work/$name.log"
    check "$name: cache kept (10 items)" grep -q "10 items cached" "$work/$name.log"
    check "$name: within ${bound} ms (took ${elapsed} ms)" test "$elapsed" -lt "$bound"
done
"$bangtin" --config "$work/run.conf" --screenshot "$work/after.png" --size 960x540 2>/dev/null
check "screen unchanged after every hostile answer" cmp -s "$work/before.png" "$work/after.png"

finish
