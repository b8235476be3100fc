#!/usr/bin/env bash
# End to end for urgent notices: the kiosk runs offscreen on a loopback feed (every finished
# frame saved by the test-only BANGTIN_FRAME_DUMP); `bangtin notify` is issued; the next frame
# is the urgent page (the severe look: black on orange); after `notify --cancel` it is gone; a notice survives
# a kill -9 of the kiosk right after notify returns.
#   e2e_urgent.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR [RUNS]
# RUNS > 1 repeats notify/cancel and prints the latency of each (scripts/bench uses 50).
set -uo pipefail
bangtin="$1"; pngcmp="$2"; src="$3"; work="$4"; runs="${5:-2}"
source "$(dirname "$0")/lib.sh"

rm -rf "$work"; mkdir -p "$work/www" "$work/data" "$work/frames"
cp "$src/assets/demo/feed.xml" "$src/assets/demo/photo-hop-dan.jpg" "$work/www/"
export SDL_VIDEODRIVER=dummy BANGTIN_FAKE_TIME=1795742100
start_feed_server "$work/www"
test_conf "$work" "http://127.0.0.1:$port/feed.xml" "Xã thử nghiệm" "" \
    "office_name = UBND XÃ THỬ NGHIỆM
transition = none"

start_kiosk() {
    BANGTIN_FRAME_DUMP="$work/frames" "$bangtin" --config "$work/bangtin.conf" --windowed \
        --size 1280x720 2>> "$work/kiosk.log" &
    kiosk=$!
}
start_kiosk
check "kiosk shows its first frame" wait_for "first frame" "$work/kiosk.log" 60
check "kiosk fetched the loopback feed" wait_for "Xã thử nghiệm: 12 items" "$work/kiosk.log" 60

for run in $(seq "$runs"); do
    t0=$(now_ms)
    id=$("$bangtin" notify --config "$work/bangtin.conf" --title "Cắt điện khẩn cấp lần $run" \
         --body "Toàn xã cắt điện từ 14 giờ 00 để sửa chữa đường dây." --expires 2h \
         --severity severe 2>> "$work/notify.log" | tail -1)
    check "notify returns an id" test -n "$id"
    if wait_for "urgent notice on screen: $id" "$work/kiosk.log" 10 &&
       wait_for "frame [0-9]+ saved \(urgent\)" "$work/kiosk.log" 10; then
        echo "latency run $run: $(($(now_ms) - t0)) ms from notify to the urgent frame"
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); echo "FAIL: urgent notice $id not on screen within 10 s"
    fi
    sleep 0.3
    frame="$(ls "$work/frames"/frame-*.png | tail -1)"
    # Severe notice style (render/urgent.c): most of the page is orange (#FF7A00), black text.
    check "urgent frame is black on orange (severe)" "$pngcmp" color "$frame" 0 0 1280 720 FF7A00 40 0.4 1.0
    : > "$work/kiosk.log.mark"; before=$(wc -l < "$work/kiosk.log")
    "$bangtin" notify --config "$work/bangtin.conf" --cancel "$id" 2>> "$work/notify.log"
    check "cancel succeeds" test $? -eq 0
    ok=1
    for _ in $(seq 500); do
        tail -n +"$((before + 1))" "$work/kiosk.log" | grep -q "saved (regular)" && { ok=0; break; }
        sleep 0.01
    done
    check "after cancel the next frame is regular" test $ok -eq 0
    sleep 0.3
    frame="$(ls "$work/frames"/frame-*.png | tail -1)"
    check "regular frame is not orange" "$pngcmp" color "$frame" 0 0 1280 720 FF7A00 40 0 0.2
done

# Power cut: kill -9 the kiosk right after notify returns; the notice must survive.
id=$("$bangtin" notify --config "$work/bangtin.conf" --title "Sơ tán khẩn" \
     --body "Các hộ ven sông di dời ngay." --expires 2h 2>> "$work/notify.log" | tail -1)
kill -9 "$kiosk"; wait "$kiosk" 2>/dev/null; kiosk=""
"$bangtin" --config "$work/bangtin.conf" --screenshot "$work/after-kill.png" --size 1280x720 \
    2>> "$work/shot.log"
check "after kill -9 the screenshot succeeds" test $? -eq 0
check "after kill -9 the notice is still on screen" "$pngcmp" color "$work/after-kill.png" \
    0 0 1280 720 FF7A00 40 0.4 1.0
"$bangtin" notify --config "$work/bangtin.conf" --list > "$work/list.txt" 2>> "$work/notify.log"
check "notify --list shows the surviving notice" grep -q "$id" "$work/list.txt"

finish
