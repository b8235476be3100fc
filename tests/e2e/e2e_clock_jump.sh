#!/usr/bin/env bash
# A forward clock jump (issue 16): with the clock at 2040 — far ahead of everything the screen
# has seen (build date, feed dates, HTTP Date headers) — nothing expires or is purged; back at
# the real time the 2-hour notice is still there. A jump within the evidence still expires it.
#   e2e_clock_jump.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; pngcmp="$2"; src="$3"; work="$4"
source "$(dirname "$0")/lib.sh"
demo_clock_setup
now=1795742100 # Friday 27/11/2026 08:15 in Hà Nội, the demo feed's newest day
echo $now > "$clock"
run --fetch-once 2> "$work/f1.log"
check "fetch fills the cache" grep -q "12 items cached" "$work/f1.log"
id=$("$bangtin" notify --data-dir "$work/data" --title "Cắt nước" --body "Từ 9 giờ." \
     --expires 2h 2>/dev/null | tail -1)
check "notice pushed" test -n "$id"

# The clock jumps to 2040 (a bad NTP answer, a wrong RTC): twice, two hours apart.
echo 2208988800 > "$clock" # 2040-01-01
run --fetch-once 2> "$work/f2.log"
echo $((2208988800 + 2 * 3600)) > "$clock"
run --fetch-once 2> "$work/f3.log"
check "at 2040 nothing is purged" grep -q "12 items cached" "$work/f3.log"
check "at 2040 no purge is even tried" bash -c "! grep -q purged '$work/f2.log' '$work/f3.log'"
"$bangtin" notify --data-dir "$work/data" --list > "$work/list2040.txt" 2>/dev/null
check "at 2040 the notice is still listed" grep -q "$id" "$work/list2040.txt"
run --screenshot "$work/2040.png" --size 1280x720 2> /dev/null
check "at 2040 the notice is still shown" "$pngcmp" color "$work/2040.png" \
    0 0 1280 720 FF7A00 40 0.4 1.0

# Back at the real time, an hour later: the notice is still there and shown.
echo $((now + 3600)) > "$clock"
"$bangtin" notify --data-dir "$work/data" --list > "$work/list.txt" 2>/dev/null
check "back at the real time the notice is there" grep -q "$id" "$work/list.txt"
run --screenshot "$work/back.png" --size 1280x720 2> /dev/null
check "back at the real time the notice is shown" "$pngcmp" color "$work/back.png" \
    0 0 1280 720 FF7A00 40 0.4 1.0
# Three hours after the push (within the evidence): it has expired, as it should.
echo $((now + 3 * 3600)) > "$clock"
run --screenshot "$work/expired.png" --size 1280x720 2> /dev/null
check "three hours later the notice has expired" "$pngcmp" color "$work/expired.png" \
    0 0 1280 720 FF7A00 40 0 0.2
finish
