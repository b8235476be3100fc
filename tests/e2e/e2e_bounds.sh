#!/usr/bin/env bash
# Every input bounded in memory and time (issue 16). A table of hostile bodies just under the
# default 8 MiB max_feed_size, plus the hostile servers of e2e_hostile.sh, each read by
# `bangtin --dump` under /usr/bin/time: peak RSS must stay within 64 MiB and the wall time
# within a ceiling about ten times what it takes here — bounds about the input, not the
# machine. Then the kiosk with a 4 MB title in its cache: first frame, no watchdog stall,
# SIGTERM within a second. Prints the measured numbers (docs/bounds.md has them).
#   e2e_bounds.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; src="$3"; work="$4"   # $2 (pngcmp) is not needed here
source "$(dirname "$0")/lib.sh"
rm -rf "$work"; mkdir -p "$work/in"
if [[ ! -x /usr/bin/time ]]; then
    echo "SKIP: /usr/bin/time (Debian package time) is needed to measure peak RSS"
    exit 77
fi
export SDL_VIDEODRIVER=dummy BANGTIN_FAKE_TIME=1795742100
max_kb=$((64 * 1024))
kiosk_kb=$((128 * 1024))
slow=1
# Under ASan+UBSan (scripts/test) the shadow memory and the checks are not the product's
# cost: the bounds are then those of the sanitizer build, four times as wide.
if [[ ${BANGTIN_SANITIZED:-0} == 1 ]]; then
    max_kb=$((4 * max_kb)); kiosk_kb=$((4 * kiosk_kb)); slow=4
    echo "(sanitizer build: bounds ×4)"
fi

# The issue's generators, and the other ways to make many nodes from few bytes.
python3 - "$work/in" <<'PY'
import sys
d = sys.argv[1]
cap = 8 * 1024 * 1024 - 256
J = ('{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","title":"t",'
     '"content_text":"x","_x":[%s]}]}')
def rep(unit, sep, head, tail):
    n = (cap - len(head) - len(tail)) // (len(unit) + len(sep))
    return head + sep.join([unit] * n) + tail
h, t = J.split('%s')
RSS = ('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>t</title>'
       '<guid>g</guid><description>d</description>')
END = '</item></channel></rss>'
docs = {
    'json-objects.json': rep('{}', ',', h, t),
    'json-numbers.json': rep('1', ',', h, t),
    'json-strings.json': rep('""', ',', h, t),
    'json-members.json': rep('"k":1', ',', '{"items":[],"o":{', '}}'),
    'xml-elements.xml': rep('<a/>', '', RSS, END),
    'xml-items.xml': rep('<item></item>', '', '<rss version="2.0"><channel><title>x</title>',
                         '</channel></rss>'),
    'xml-comments.xml': rep('<!---->', '', RSS, END),
    'xml-attributes.xml': rep('<a b="" c="" d="" e="" f="" g=""/>', '', RSS, END),
    'xml-text.xml': RSS.replace('<description>d', '<description>' + 'x' * (cap - 300)) + END,
    'xml-title.xml': RSS.replace('<title>t', '<title>' + 'A' * 4000000) + END,
    'html-tags.xml': RSS.replace('<description>d', '<description>' +
                                 '&lt;b&gt;&lt;/b&gt;' * ((cap - 300) // 19)) + END,
}
for name, body in docs.items():
    with open(f'{d}/{name}', 'w') as f:
        f.write(body)
PY

# name:expected (a regex of the outcome on stderr):ceiling ms
rows=(
    "json-objects.json:JSON too dense:3000"
    "json-numbers.json:JSON too dense:3000"
    "json-strings.json:JSON too dense:3000"
    "json-members.json:JSON too dense:3000"
    "xml-elements.xml:more than [0-9]+ XML nodes:4000"
    "xml-items.xml:more than [0-9]+ XML nodes:4000"
    "xml-comments.xml:more than [0-9]+ XML nodes:4000"
    "xml-attributes.xml:more than [0-9]+ XML nodes:4000"
    "xml-text.xml:rss, 1 items:6000"
    "xml-title.xml:rss, 1 items:4000"
    "html-tags.xml:rss, 1 items:6000"
)
printf '%-22s %10s %8s  %s\n' input "peak KiB" "ms" outcome
measure() { # measure NAME SOURCE PATTERN BOUND_MS [--config FILE]
    local name="$1" source="$2" pattern="$3" bound="$4"; shift 4
    /usr/bin/time -f "%M %e" -o "$work/$name.time" "$bangtin" "$@" --dump "$source" \
        > "$work/$name.out" 2> "$work/$name.err"
    local kb ms
    read -r kb secs < <(tail -1 "$work/$name.time") # after "Command exited with …"
    ms=$(awk "BEGIN { printf \"%d\", $secs * 1000 }")
    printf '%-22s %10s %8s  %s\n' "$name" "$kb" "$ms" \
        "$(grep -v '^[0-9-]*T' "$work/$name.err" | tail -1 | cut -c1-70)"
    check "$name: outcome /$pattern/" grep -qE "$pattern" "$work/$name.err"
    check "$name: peak RSS $kb KiB <= $max_kb KiB" test "$kb" -le "$max_kb"
    check "$name: $ms ms <= $((bound * slow)) ms" test "$ms" -le $((bound * slow))
}
for row in "${rows[@]}"; do
    IFS=: read -r name pattern bound <<< "$row"
    measure "$name" "$work/in/$name" "$pattern" "$bound"
done
check "a title cut to 1000 characters with …" \
    python3 -c "import json,sys; t=json.loads(open('$work/xml-title.xml.out').readline())['title'];
sys.exit(0 if len(t) <= 1000 and t.endswith('…') else 1)"

# The hostile servers of e2e_hostile.sh, read by --dump with that test's limits.
python3 "$src/tests/e2e/hostile_feed_server.py" "$src/tests/data/wordpress/feed-rss2.xml" \
    > "$work/port" 2> "$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null; [[ -n ${kiosk:-} ]] && kill -KILL $kiosk 2>/dev/null; wait 2>/dev/null' EXIT
wait_port "$work/port"
base="http://127.0.0.1:$(head -1 "$work/port")"
cat > "$work/net.conf" <<CONF
[network]
connect_timeout = 3s
total_timeout = 8s
low_speed_time = 3s
low_speed_limit = 64
CONF
for row in "good:10 items:3000" "bomb:larger|over|cap:10000" "trickle:slow|low.speed|timed out:15000" \
           "hang:timed out|timeout|too slow:15000" "laughs:entit|DTD|refused:3000" \
           "short:truncat|partial|closed:6000"; do
    IFS=: read -r name pattern bound <<< "$row"
    measure "server-$name" "$base/$name" "$pattern" "$bound" --config "$work/net.conf"
done

# The kiosk with a 4 MB title in its cache (an old cache, before the ingest cut).
mkdir -p "$work/k"
printf '<rss version="2.0"><channel><title>x</title><item><title>Tin</title><guid>g1</guid></item></channel></rss>' \
    > "$work/k/feed.xml"
test_conf "$work/k" "file://$work/k/feed.xml" "Xã" "local = true"
"$bangtin" --config "$work/k/bangtin.conf" --fetch-once 2> /dev/null
python3 - "$work/k/data/cache.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE items SET title = ?", ("A" * 4000000,))
c.commit()
PY
# No source: the cached title stays (a fetch would replace it by the cut one).
sed -i 's|^url = .*|url = |' "$work/k/bangtin.conf"
"$bangtin" --config "$work/k/bangtin.conf" --windowed --size 1280x720 --log-level info \
    2> "$work/k/kiosk.log" &
kiosk=$!
check "kiosk: first frame with a 4 MB title" wait_for "first frame [0-9]+ ms" "$work/k/kiosk.log" 30
ff=$(grep -oE 'first frame [0-9]+ ms' "$work/k/kiosk.log" | grep -oE '[0-9]+' | head -1)
check "kiosk: first frame ${ff:-?} ms <= $((5000 * slow)) ms" test "${ff:-99999}" -le $((5000 * slow))
sleep 2
kb=$(awk '/^VmHWM/ { print $2 }' /proc/$kiosk/status) # the kiosk's peak RSS so far
t0=$(now_ms)
kill -TERM $kiosk
wait $kiosk; rc=$?
term=$(($(now_ms) - t0)); kiosk=
echo "kiosk, 4 MB title: first frame ${ff:-?} ms, SIGTERM → exit ${term} ms, peak ${kb:-?} KiB"
check "kiosk: exit 0 on SIGTERM (was $rc)" test "$rc" -eq 0
check "kiosk: SIGTERM → exit ${term} ms < $((1000 * slow)) ms" test "$term" -lt $((1000 * slow))
check "kiosk: peak RSS ${kb:-?} KiB <= $kiosk_kb KiB" test "${kb:-999999}" -le $kiosk_kb
finish
