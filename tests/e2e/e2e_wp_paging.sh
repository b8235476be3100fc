#!/usr/bin/env bash
# End to end: a WordPress REST source in pages (the 13 real posts of
# tests/data/wordpress/wp-json-posts-embed.json, served the way WordPress 6 pages them).
# --dump and --fetch-once follow X-WP-TotalPages; a page that fails or a listing that changes
# while it is walked removes nothing; a listing that really lost posts removes them; max_items
# stops the walk early; the kiosk's fetch worker walks the pages too.
#   e2e_wp_paging.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; src="$3"; work="$4"
source "$(dirname "$0")/lib.sh"

rm -rf "$work"; mkdir -p "$work/www" "$work/data"
posts="$work/posts.json"
cp "$src/tests/data/wordpress/wp-json-posts-embed.json" "$posts"
export BANGTIN_FAKE_TIME=1795742100
export SDL_VIDEODRIVER=dummy

python3 "$src/tests/e2e/feed_server.py" --dir "$work/www" --log "$work/requests.log" \
    --wp-posts "$posts" > "$work/port" &
server=$!
kiosk=""
trap 'kill $server $kiosk 2>/dev/null; wait 2>/dev/null' EXIT
wait_port "$work/port"
base="http://127.0.0.1:$(head -1 "$work/port")/wp-json/wp/v2/posts"

write_conf() { # write_conf URL [max_items]
    test_conf "$work" "$1" "Cổng TTĐT tỉnh" "${2:+max_items = $2}"
}
requests() { grep -c "^GET /wp-json/wp/v2/posts" "$work/requests.log"; }
cached() { grep -oE '[0-9]+ items cached' "$1" | grep -oE '^[0-9]+'; }

# --- --dump walks the pages and gives what one big page gives ------------------------------
"$bangtin" --dump "$base?_embed&per_page=5" > "$work/paged.jsonl" 2> "$work/dump1.log"
check "dump of the paged listing succeeds" test $? -eq 0
check "dump says 13 items from 3 of 3 pages" grep -q "13 items from 3 of 3 pages" "$work/dump1.log"
check "pages 2 and 3 were asked for" \
    grep -q "page=2 200" "$work/requests.log"
check "page 3 asked for" grep -q "page=3 200" "$work/requests.log"
check "nothing asked past the last page" bash -c "! grep -q 'page=4' '$work/requests.log'"
"$bangtin" --dump "$base?_embed&per_page=20" > "$work/whole.jsonl" 2> "$work/dump2.log"
check "dump of the one-page listing succeeds" test $? -eq 0
check "13 JSON lines" test "$(wc -l < "$work/paged.jsonl")" -eq 13
check "paged items = one-page items, line for line" cmp -s "$work/paged.jsonl" "$work/whole.jsonl"
check "a per_page over 100 is a failure with its reason" \
    bash -c "! '$bangtin' --dump '$base?per_page=101' 2> '$work/dump3.log' >/dev/null &&
             grep -q 'HTTP 400' '$work/dump3.log'"

# --- --fetch-once caches the whole listing ----------------------------------------------------
write_conf "$base?_embed&per_page=5"
common=(--config "$work/bangtin.conf" --log-level info)
"$bangtin" "${common[@]}" --fetch-once 2> "$work/fetch1.log"
check "fetch succeeds" test $? -eq 0
check "13 items from the paged listing" grep -q "13 items (wp-json, paged)" "$work/fetch1.log"
check "13 items cached" test "$(cached "$work/fetch1.log")" = 13

# a later page failing: pages 1–2 are applied, nothing is removed
echo 3 > "$work/www/wp-fail-page"
"$bangtin" "${common[@]}" --fetch-once 2> "$work/fetch2.log"
check "page 3 failure logged with its reason" grep -q "page=3: retry (HTTP 500); keeping pages 1–2" "$work/fetch2.log"
check "partial listing removed nothing (13 cached)" test "$(cached "$work/fetch2.log")" = 13
rm "$work/www/wp-fail-page"

# posts removed while the pages are walked: page 3 answers 400, nothing is removed
echo 3 > "$work/www/wp-hide-later"
"$bangtin" "${common[@]}" --fetch-once 2> "$work/fetch3.log"
check "shrinking listing logged" grep -q "listing shrank while it was read" "$work/fetch3.log"
check "shrinking listing removed nothing (13 cached)" test "$(cached "$work/fetch3.log")" = 13
rm "$work/www/wp-hide-later"

# the three newest posts really trashed: a complete two-page listing removes them
python3 - "$posts" <<'PY'
import json, sys
p = sys.argv[1]
posts = json.load(open(p, encoding="utf-8"))
json.dump(posts[3:], open(p, "w", encoding="utf-8"), ensure_ascii=False)
PY
n0=$(requests)
"$bangtin" "${common[@]}" --fetch-once 2> "$work/fetch4.log"
check "two pages asked for" test $(($(requests) - n0)) -eq 2
check "complete listing of 10 removed the 3 trashed posts" test "$(cached "$work/fetch4.log")" = 10
"$bangtin" --dump "$base?_embed&per_page=5" > "$work/after.jsonl" 2>/dev/null
check "the listing now holds items 4–13 of before" \
    cmp -s "$work/after.jsonl" <(tail -n +4 "$work/whole.jsonl")

# max_items = 5 with 5 per page: one request, no walk
write_conf "$base?_embed&per_page=5" 5
n0=$(requests)
"$bangtin" "${common[@]}" --fetch-once 2> "$work/fetch5.log"
check "max_items = 5 asks for one page only" test $(($(requests) - n0)) -eq 1

# --- the kiosk's fetch worker walks the pages too ---------------------------------------------
write_conf "$base?_embed&per_page=4"
rm -rf "$work/data"; mkdir -p "$work/data"
n0=$(requests)
"$bangtin" "${common[@]}" --windowed --size 640x360 2> "$work/kiosk.log" &
kiosk=$!
check "the kiosk stores the 10 posts of 3 pages" \
    wait_for "10 items \\(wp-json, paged\\)" "$work/kiosk.log" 30
check "the worker asked for pages 1–3" test $(($(requests) - n0)) -eq 3
status_items() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"])' \
    "$work/status.json" 2>/dev/null; }
status_says() { for _ in $(seq 50); do [ "$(status_items)" = "$1" ] && return 0; sleep 0.1; done
    return 1; }
check "status.json says 10 items right after the fetch (not a minute later)" status_says 10
kill -TERM $kiosk; wait $kiosk 2>/dev/null; kiosk=""

finish
