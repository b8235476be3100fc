#!/usr/bin/env bash
# End to end: a loopback server serves a real WordPress feed; --fetch-once fills a fresh cache;
# a second fetch gets 304 and changes nothing; --screenshot renders pages whose text is not
# blank and whose title region matches a golden image; with the server gone the kiosk still
# renders the cached items.
#   e2e_fetch_render.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; pngcmp="$2"; src="$3"; work="$4"
source "$(dirname "$0")/lib.sh"

rm -rf "$work"; mkdir -p "$work/www" "$work/data"
cp "$src/tests/data/wordpress/feed-rss2.xml" "$work/www/feed.xml"
touch -d '2026-11-26 10:15:00 UTC' "$work/www/feed.xml"
# Friday 27/11/2026 08:15 in Hà Nội: the header and relative ages are deterministic.
export BANGTIN_FAKE_TIME=1795742100
export SDL_VIDEODRIVER=dummy

python3 "$src/tests/e2e/feed_server.py" --dir "$work/www" --log "$work/requests.log" \
    > "$work/port" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
wait_port "$work/port"
port="$(head -1 "$work/port")"
url="http://127.0.0.1:$port/feed.xml"
common=(--data-dir "$work/data" --source "$url" --log-level info)

"$bangtin" "${common[@]}" --fetch-once 2> "$work/fetch1.log"
check "first fetch succeeds" test $? -eq 0
check "first fetch stored items" grep -q "10 items" "$work/fetch1.log"
check "cache file created" test -s "$work/data/cache.db"

"$bangtin" "${common[@]}" --fetch-once 2> "$work/fetch2.log"
check "second fetch succeeds" test $? -eq 0
check "second request was conditional and got 304" \
    grep -qE '^GET /feed.xml 304 "[0-9a-f]+" ' "$work/requests.log"
check "second fetch changed nothing" grep -q "not modified" "$work/fetch2.log"

"$bangtin" "${common[@]}" --screenshot "$work/page.png" --pages 3 --size 1920x1080 \
    2> "$work/shot1.log"
check "screenshot succeeds" test $? -eq 0
for i in 001 002 003; do
    check "page $i written" test -s "$work/page-$i.png"
done
# Text region (below the header, above the footer) carries ink on every page.
for i in 001 002 003; do
    check "page $i text region not blank" "$pngcmp" ink "$work/page-$i.png" 40 200 1840 700 0.01
done
golden="$src/tests/e2e/golden/title-1920x1080.png"
if [[ "${BANGTIN_UPDATE_GOLDEN:-}" == 1 ]]; then
    mkdir -p "$(dirname "$golden")"; cp "$work/page-001.png" "$golden"
fi
# Title area of the first page (newest item) against the golden image.
check "title pixels match the golden image" "$pngcmp" diff "$work/page-001.png" "$golden" \
    0 120 1920 300 48 400 "$work/title_err.png"

kill $server; wait $server 2>/dev/null
"$bangtin" "${common[@]}" --fetch-once 2> "$work/fetch3.log"
check "fetch with the server gone reports failure" test $? -ne 0
check "failure is logged with its reason" grep -qi "connect\|refused" "$work/fetch3.log"
"$bangtin" "${common[@]}" --screenshot "$work/offline.png" --size 1920x1080 2> "$work/shot2.log"
check "offline screenshot succeeds" test $? -eq 0
check "offline page shows the cached item" "$pngcmp" diff "$work/offline.png" \
    "$work/page-001.png" 0 120 1920 800 48 400

finish
