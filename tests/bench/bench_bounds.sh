#!/usr/bin/env bash
# The numbers of docs/bounds.md (issue 16): for the worst input of each kind, the peak RSS of
# `bangtin --dump` and of the kiosk that fetches it (and its RSS once the parse is over), and
# the kiosk's first frame with a 4 MB title in its cache. Measures, asserts nothing: run it
# with the binary before and after a change.
#   tests/bench/bench_bounds.sh BANGTIN [WORK_DIR]
set -uo pipefail
bangtin="$(realpath "$1")"; work="${2:-/tmp/bangtin-bench-bounds}"
rm -rf "$work"; mkdir -p "$work/in"
export SDL_VIDEODRIVER=dummy
python3 - "$work/in" <<'PY'
import sys
d = sys.argv[1]
cap = 8 * 1024 * 1024 - 256
J = ('{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","title":"t",'
     '"content_text":"x","_x":[%s]}]}')
h, t = J.split('%s')
def rep(unit, sep, head, tail):
    n = (cap - len(head) - len(tail)) // (len(unit) + len(sep))
    return head + sep.join([unit] * n) + tail
RSS = ('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>t</title>'
       '<guid>g</guid><description>d</description>')
END = '</item></channel></rss>'
docs = {
    'json-objects.json': rep('{}', ',', h, t),
    'json-numbers.json': rep('1', ',', h, t),
    'json-strings.json': rep('""', ',', h, t),
    'xml-elements.xml': rep('<a/>', '', RSS, END),
    'xml-items.xml': rep('<item></item>', '', '<rss version="2.0"><channel><title>x</title>',
                         '</channel></rss>'),
    'xml-title.xml': RSS.replace('<title>t', '<title>' + 'A' * 4000000) + END,
}
for name, body in docs.items():
    open(f'{d}/{name}', 'w').write(body)
PY

# The e2e helpers: test_conf writes the kiosk's config, wait_for polls its log.
source "$(dirname "$0")/../e2e/lib.sh"
conf() { # conf DIR URL
    mkdir -p "$1"
    test_conf "$1" "$2" "Xã" "local = true"
}

printf '%-20s %14s %14s %16s\n' input "--dump peak MB" "kiosk peak MB" "kiosk after MB"
for f in "$work"/in/*; do
    name=$(basename "$f")
    /usr/bin/time -f "%M" -o "$work/$name.time" "$bangtin" --dump "$f" > /dev/null 2>&1
    dump_kb=$(tail -1 "$work/$name.time")
    k="$work/k-$name"
    conf "$k" "file://$f"
    "$bangtin" --config "$k/bangtin.conf" --windowed --size 1280x720 --log-level info \
        2> "$k/kiosk.log" &
    pid=$!
    wait_for "ingest: Xã|kiosk: Xã" "$k/kiosk.log" 120
    sleep 1
    peak=$(awk '/^VmHWM/ { print $2 }' /proc/$pid/status)
    now=$(awk '/^VmRSS/ { print $2 }' /proc/$pid/status)
    kill -TERM $pid; wait $pid 2>/dev/null
    printf '%-20s %14.1f %14.1f %16.1f\n' "$name" "$(echo "$dump_kb / 1024" | bc -l)" \
        "$(echo "${peak:-0} / 1024" | bc -l)" "$(echo "${now:-0} / 1024" | bc -l)"
done

# First frame with a 4 MB title already in the cache, and with an ordinary one.
for title in ordinary 4mb; do
    k="$work/ff-$title"
    printf '<rss version="2.0"><channel><title>x</title><item><title>Tin</title><guid>g</guid></item></channel></rss>' \
        > "$work/small.xml"
    conf "$k" "file://$work/small.xml"
    "$bangtin" --config "$k/bangtin.conf" --fetch-once 2> /dev/null
    [[ $title == 4mb ]] && python3 -c "
import sqlite3; c = sqlite3.connect('$k/data/cache.db')
c.execute('UPDATE items SET title = ?', ('A' * 4000000,)); c.commit()"
    sed -i 's|^url = .*|url = |' "$k/bangtin.conf"
    t0=$(date +%s%N)
    "$bangtin" --config "$k/bangtin.conf" --windowed --size 1280x720 --log-level info \
        2> "$k/kiosk.log" &
    pid=$!
    wait_for "first frame" "$k/kiosk.log" 300
    ff=$(grep -oE 'first frame [0-9]+ ms' "$k/kiosk.log" | grep -oE '[0-9]+')
    t1=$(date +%s%N)
    kill -TERM $pid
    while kill -0 $pid 2> /dev/null; do sleep 0.01; done
    t2=$(date +%s%N)
    echo "first frame, $title title: $ff ms after main, SIGTERM → exit $(((t2 - t1) / 1000000)) ms"
done
