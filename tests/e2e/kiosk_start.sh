#!/usr/bin/env bash
# The kiosk proper (not --screenshot) on the demo content: it starts its fetch thread, stores
# the demo feed, draws its first frame, and exits cleanly on SIGTERM. Cross builds run it under
# qemu-user (scripts/cross), where a mismatched C library once made the first pthread_create
# spin forever; it prints the start → first-frame time for the README's numbers.
#   kiosk_start.sh WORK_DIR [EMULATOR…] BANGTIN
set -uo pipefail
work="$1"; shift
source "$(dirname "$0")/lib.sh"
rm -rf "$work"; mkdir -p "$work"
# Under qemu everything is 5–20× slower: generous bounds, the time itself is only reported.
bound=60

t0=$(now_ms)
SDL_VIDEODRIVER=dummy BANGTIN_FAKE_TIME=1795742100 "$@" --demo --windowed --size 640x360 \
    --data-dir "$work/data" --log-level info 2> "$work/kiosk.log" &
pid=$!
trap 'kill -KILL $pid 2>/dev/null' EXIT
check "fetch worker started" wait_for "fetch worker started" "$work/kiosk.log" $bound
check "the worker's fetch of the demo feed was stored" \
    wait_for "ingest: .*12 items \(rss\)" "$work/kiosk.log" $bound
check "first frame drawn" wait_for "first frame [0-9]+ ms after start" "$work/kiosk.log" $bound
t1=$(now_ms)
echo "start → first frame: $((t1 - t0)) ms wall ($(grep -oE 'first frame [0-9]+ ms' "$work/kiosk.log" | grep -oE '[0-9]+') ms after main)"
kill -TERM $pid
t2=$(now_ms)
for _ in $(seq 1000); do kill -0 $pid 2>/dev/null || break; sleep 0.01; done
wait $pid; rc=$?
t3=$(now_ms)
echo "SIGTERM → exit: $((t3 - t2)) ms"
check "exit status 0 after SIGTERM (was $rc)" test "$rc" -eq 0
check "the worker was stopped" grep -q "fetch worker stopped" "$work/kiosk.log"
check "nothing logged as an error" bash -c "! grep -E ' (error|crit) ' '$work/kiosk.log'"
trap - EXIT
finish || { cat "$work/kiosk.log"; exit 1; }
