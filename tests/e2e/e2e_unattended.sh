#!/usr/bin/env bash
# Unattended behaviour (DESIGN.md §5, §7):
#  - clock at 1970 with a cache of recent items: nothing purged, items shown, no 01/01/1970;
#    urgent notices do not expire; after the clock jumps to a real time, expiry and purge resume;
#  - a damaged cache is logged, quarantined with its -wal/-shm, and rebuilt by the next fetch.
#   e2e_unattended.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; pngcmp="$2"; src="$3"; work="$4"
source "$(dirname "$0")/lib.sh"
demo_clock_setup
now=1795742100        # Friday 27/11/2026 08:15 in Hà Nội
echo $now > "$clock"

# The demo feed's items are from 14–27/11/2026. max_age 30 days keeps them at "now".
run --fetch-once 2> "$work/f1.log"
check "fetch fills the cache" grep -q "12 items cached" "$work/f1.log"
id=$("$bangtin" notify --data-dir "$work/data" --title "Cắt nước" --body "Từ 9 giờ." \
     --expires 2h 2>/dev/null | tail -1)
check "notice pushed" test -n "$id"

# The board reboots with no RTC: the clock reads 1970.
echo 0 > "$clock"
run --fetch-once 2> "$work/f2.log"
check "at 1970 nothing is purged" grep -q "12 items cached" "$work/f2.log"
run --screenshot "$work/1970.png" --size 1280x720 2> "$work/s2.log"
check "at 1970 the screenshot succeeds" test $? -eq 0
check "at 1970 the urgent notice has not expired" "$pngcmp" color "$work/1970.png" \
    0 0 1280 720 FF7A00 40 0.4 1.0
"$bangtin" notify --data-dir "$work/data" --list > "$work/list1970.txt" 2>/dev/null
check "at 1970 notify --list still has the notice" grep -q "$id" "$work/list1970.txt"

# NTP arrives: the clock jumps 3 hours past the push. The notice (2 h) has expired.
echo $((now + 3 * 3600)) > "$clock"
run --screenshot "$work/later.png" --size 1280x720 2> "$work/s3.log"
check "after the jump the notice has expired" "$pngcmp" color "$work/later.png" \
    0 0 1280 720 FF7A00 40 0 0.2
check "after the jump the items are shown" "$pngcmp" ink "$work/later.png" 40 150 1200 450 0.01

# Sixty days later the items are old: purge runs, keeping the rotation's worth (max_items).
# A clock 60 days past everything the screen has seen is not trusted (issue 16): the feed
# brings the evidence, a post of that day, and deleting waits until the clock has been
# trusted for an hour.
later=$((now + 60 * 86400))
echo $later > "$clock"
sed "0,/<item>/s||<item><title>Tin mới</title><guid>new-$later</guid><pubDate>$(LC_ALL=C date -u \
    -d @$later '+%a, %d %b %Y %H:%M:%S +0000')</pubDate><description>Mới.</description></item><item>|" \
    "$src/assets/demo/feed.xml" > "$work/feed-later.xml"
cat > "$work/small.conf" <<CONF
[rotation]
max_items = 5
max_age_days = 30
CONF
"$bangtin" --config "$work/small.conf" --data-dir "$work/data" --source "$feed" --fetch-once \
    2> "$work/f4a.log"
check "60 days ahead of all evidence: nothing purged" grep -q "12 items cached" "$work/f4a.log"
"$bangtin" --config "$work/small.conf" --data-dir "$work/data" \
    --source "file://$work/feed-later.xml" --fetch-once 2> "$work/f4b.log"
check "evidence arrives: not purged within the hour" grep -q "13 items cached" "$work/f4b.log"
echo $((later + 2 * 3600)) > "$clock"
"$bangtin" --config "$work/small.conf" --data-dir "$work/data" \
    --source "file://$work/feed-later.xml" --fetch-once 2> "$work/f4.log"
check "with a trusted clock old items are purged" grep -q "purged 8 items" "$work/f4.log"
check "purge keeps max_items" grep -q "5 items cached" "$work/f4.log"
"$bangtin" --config "$work/small.conf" --data-dir "$work/data" --screenshot "$work/old.png" \
    --size 1280x720 2> "$work/s4.log"
check "old items still shown rather than a blank screen" "$pngcmp" ink "$work/old.png" \
    40 150 1200 450 0.01

# Damage: scribble over the middle of the database, then start again.
echo $now > "$clock"
run --fetch-once 2>/dev/null
size=$(stat -c %s "$work/data/cache.db")
dd if=/dev/urandom of="$work/data/cache.db" bs=1 seek=$((size / 3)) count=4096 conv=notrunc \
    2>/dev/null
dd if=/dev/urandom of="$work/data/cache.db" bs=1 seek=0 count=100 conv=notrunc 2>/dev/null
run --fetch-once 2> "$work/f5.log"
check "damage is logged" grep -qi "damage\|corrupt\|quarantin\|not a database" "$work/f5.log"
check "damaged files are moved to quarantine/" test -n "$(ls -A "$work/data/quarantine" 2>/dev/null)"
check "the cache is rebuilt by the fetch" grep -q "12 items cached" "$work/f5.log"
# A truncated database too.
: > "$work/data/cache.db"; printf 'garbage' > "$work/data/cache.db"
run --screenshot "$work/after-damage.png" --size 1280x720 2> "$work/s5.log"
check "kiosk renders after a truncated cache" test $? -eq 0
check "local source refilled the cache" "$pngcmp" ink "$work/after-damage.png" 40 150 1200 450 0.01

finish
