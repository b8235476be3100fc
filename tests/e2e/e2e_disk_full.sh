#!/usr/bin/env bash
# A card that is full at start (issue 16): the cache is still read and shown (--screenshot, the
# status page, the kiosk), the log says "disk full", `notify` says so and stores nothing, the
# kiosk keeps running (no restart loop) and stores again once there is room. Needs a small
# tmpfs: root only (CI runs as root); anyone else gets a clear SKIP.
#   e2e_disk_full.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; src="$3"; work="$4"   # $2 (pngcmp) is not needed here
source "$(dirname "$0")/lib.sh"
if [[ $(id -u) -ne 0 ]]; then
    echo "SKIP: mounting a small tmpfs needs root (CI runs as root)"
    exit 77
fi
mnt="$work/card"
umount "$mnt" 2>/dev/null
rm -rf "$work"; mkdir -p "$mnt"
if ! mount -t tmpfs -o size=4m tmpfs "$mnt"; then
    echo "SKIP: cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?)"
    exit 77
fi
kiosk=
cleanup() {
    [[ -n $kiosk ]] && kill -KILL "$kiosk" 2>/dev/null
    wait 2>/dev/null
    umount "$mnt"
}
trap cleanup EXIT
export SDL_VIDEODRIVER=dummy BANGTIN_FAKE_TIME=1795742100
feed="$src/tests/data/wordpress/feed-rss2.xml"
test_conf "$work" "file://$feed" "Xã" "local = true"
sed -i "s|^data_dir = .*|data_dir = $mnt/data|; s|^status_file = .*|status_file = $work/status.json|" \
    "$work/bangtin.conf"
conf="$work/bangtin.conf"

"$bangtin" --config "$conf" --fetch-once 2> "$work/fill.log"
check "the cache was filled" grep -q "10 items cached" "$work/fill.log"
"$bangtin" --config "$conf" --screenshot "$work/before.png" --size 640x360 2> /dev/null
# Fill the card to the last block.
dd if=/dev/zero of="$mnt/fill" bs=16k 2> /dev/null
check "the card is full" test "$(df --output=avail "$mnt" | tail -1)" -eq 0
sum_before=$(sha256sum "$mnt/data/cache.db" | cut -d' ' -f1)

"$bangtin" --config "$conf" --screenshot "$work/full.png" --size 640x360 2> "$work/shot.log"
rc=$?
check "--screenshot with a full card exits 0 (was $rc)" test $rc -eq 0
check "--screenshot shows the cache as before" cmp -s "$work/before.png" "$work/full.png"
check "the log says disk full" grep -q "disk full" "$work/shot.log"
check "the cache was opened read-only" grep -q "opened read-only" "$work/shot.log"

"$bangtin" --config "$conf" --screenshot "$work/status.png" --status --size 1280x720 \
    2> /dev/null
check "status page rendered" test -s "$work/status.png"

"$bangtin" --config "$conf" notify --title "Mất điện từ 8 giờ" > "$work/notify.out" \
    2> "$work/notify.log"
rc=$?
check "notify on a full card exits non-zero (was $rc)" test $rc -ne 0
check "notify says the card is full (vi)" grep -q "thẻ nhớ đầy" "$work/notify.log"
check "notify says the disk is full (en)" grep -q "disk is full" "$work/notify.log"
"$bangtin" --config "$conf" notify --list > "$work/list.out" 2> /dev/null
check "notify --list still reads the cache" test $? -eq 0

# The kiosk: up, first frame, still up a few seconds later (no exit → no restart loop).
"$bangtin" --config "$conf" --windowed --size 640x360 --log-level info 2> "$work/kiosk.log" &
kiosk=$!
check "kiosk draws its first frame" wait_for "first frame" "$work/kiosk.log" 20
sleep 3
check "kiosk still running on a full card" kill -0 "$kiosk"
check "kiosk shows the cached items" grep -q "showing 10 cached items" "$work/kiosk.log"
check "kiosk log says disk full" grep -q "disk full" "$work/kiosk.log"
kill -TERM "$kiosk"; wait "$kiosk"; rc=$?; kiosk=
check "kiosk exits 0 on SIGTERM (was $rc)" test $rc -eq 0
check "nothing was written to the full card's cache" \
    test "$(sha256sum "$mnt/data/cache.db" | cut -d' ' -f1)" = "$sum_before"

# Room comes back while the kiosk runs: it reopens the cache for writing on its own (first
# retry after 30 s, then doubling).
"$bangtin" --config "$conf" --windowed --size 640x360 --log-level info 2> "$work/kiosk3.log" &
kiosk=$!
wait_for "first frame" "$work/kiosk3.log" 20
mv "$mnt/fill" "$mnt/fill.keep" && truncate -s 0 "$mnt/fill.keep"
check "the running kiosk writes again once there is room" \
    wait_for "writable again" "$work/kiosk3.log" 60
check "and is still running" kill -0 "$kiosk"
kill -TERM "$kiosk"; wait "$kiosk"; kiosk=
dd if=/dev/zero of="$mnt/fill" bs=16k 2> /dev/null # full again for what follows
rm -f "$mnt/fill.keep"
sum_before=$(sha256sum "$mnt/data/cache.db" | cut -d' ' -f1)
"$bangtin" --config "$conf" --screenshot "$work/after.png" --size 640x360 2> /dev/null
check "the cache reads the same afterwards" cmp -s "$work/before.png" "$work/after.png"

# No cache at all on a full card (a fresh board, a quarantined cache): the kiosk still runs.
mv "$mnt/data/cache.db" "$mnt/saved.db" # a rename: no block needed
rm -f "$mnt/data/cache.db-wal" "$mnt/data/cache.db-shm"
"$bangtin" --config "$conf" --windowed --size 640x360 --log-level info 2> "$work/kiosk2.log" &
kiosk=$!
check "kiosk without a cache on a full card draws a frame" \
    wait_for "first frame" "$work/kiosk2.log" 20
sleep 2
check "kiosk without a cache on a full card stays up" kill -0 "$kiosk"
check "it says it runs from memory" grep -q "empty cache in memory" "$work/kiosk2.log"
kill -TERM "$kiosk"; wait "$kiosk"; rc=$?; kiosk=
check "and exits 0 on SIGTERM (was $rc)" test $rc -eq 0
rm -f "$mnt/data/cache.db"*
mv "$mnt/saved.db" "$mnt/data/cache.db"

# Room again: writes work at once for a new process.
rm -f "$mnt/fill"
"$bangtin" --config "$conf" notify --title "Mất điện từ 8 giờ" > /dev/null 2> "$work/notify2.log"
check "notify works once there is room" test $? -eq 0
check "the database is intact" test "$(sqlite3 "$mnt/data/cache.db" 'PRAGMA quick_check')" = ok
finish
