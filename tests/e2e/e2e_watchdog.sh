#!/usr/bin/env bash
# The systemd watchdog is fed only while the render loop AND the fetch worker are alive:
# run the kiosk with a fake NOTIFY_SOCKET, freeze the worker with the test-only fault switch,
# and watch the WATCHDOG=1 pings stop; unfreeze it and they resume. Also: READY=1 is sent,
# SIGTERM exits cleanly within a second.
#   e2e_watchdog.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; src="$3"; work="$4"   # $2 (pngcmp) is not needed here
source "$(dirname "$0")/lib.sh"
pings() { grep -c "WATCHDOG=1" "$work/notify.log" 2>/dev/null || true; }
rm -rf "$work"; mkdir -p "$work/data"
export SDL_VIDEODRIVER=dummy BANGTIN_FAKE_TIME=1795742100
python3 "$src/tests/e2e/notify_listener.py" "$work/notify.sock" "$work/notify.log" &
listener=$!
kiosk=""
trap 'kill $listener $kiosk 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 50); do [[ -S "$work/notify.sock" ]] && break; sleep 0.1; done

cat > "$work/bangtin.conf" <<CONF
[display]
transition = none
[network]
startup_delay_max = 0s
[source demo]
url = file://$src/assets/demo/feed.xml
local = true
poll_interval = 10s
CONF
NOTIFY_SOCKET="$work/notify.sock" WATCHDOG_USEC=2000000 \
BANGTIN_FAULT_FREEZE_WORKER="$work/freeze" \
    "$bangtin" --config "$work/bangtin.conf" --data-dir "$work/data" --windowed \
    --size 640x360 2> "$work/kiosk.log" &
kiosk=$!
sleep 4
check "READY=1 sent" grep -q "READY=1" "$work/notify.log"
a=$(pings)
check "pings flow while everything is alive ($a in 4 s)" test "$a" -ge 3

touch "$work/freeze"   # the worker hangs without a heartbeat
sleep 2                # let the heartbeat go stale (stale limit = 1 s)
b=$(pings)
sleep 4
c=$(pings)
check "no pings while the worker is frozen ($b then $c)" test "$c" -le $((b + 1))
check "the stall is logged" grep -qi "stale\|stall\|hung\|not alive" "$work/kiosk.log"

rm -f "$work/freeze"
sleep 4
d=$(pings)
check "pings resume once the worker is alive ($c then $d)" test "$d" -ge $((c + 2))

t0=$(date +%s%N)
kill -TERM "$kiosk"
wait "$kiosk"; rc=$?
kiosk=""
ms=$((($(date +%s%N) - t0) / 1000000))
check "SIGTERM exits cleanly (rc $rc)" test "$rc" -eq 0
check "SIGTERM exits within a second (${ms} ms)" test "$ms" -lt 1500
check "STOPPING=1 sent" grep -q "STOPPING=1" "$work/notify.log"

finish
