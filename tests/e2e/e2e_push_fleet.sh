#!/usr/bin/env bash
# `bangtin fleet` against three running kiosks on a real mosquitto (TLS, passwords, the shipped
# ACL): all online → exit 0; a province notice → shown by the two screens of that province, the
# third not expected; one kiosk killed → its last will, the fleet says OFFLINE and exits 1.
#   e2e_push_fleet.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; pngcmp="$2"; src="$3"; work="$4"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push_lib.sh"
push_require

rm -rf "$work"; mkdir -p "$work"
export SDL_VIDEODRIVER=dummy BANGTIN_FAKE_TIME=1795742100
broker_pid=""; pids=()
trap 'kill -9 ${pids[*]} 2>/dev/null; push_broker_stop; wait 2>/dev/null' EXIT
push_pki "$work/pki" || exit 1
push_keys "$work/keys" || exit 1
push_passwd "$work/passwd" desk desk-pw fleet fleet-pw bt-a pw-bt-a bt-b pw-bt-b bt-c pw-bt-c || exit 1
printf 'fleet-pw\n' > "$work/fleet-password"
port=$(free_port)
push_broker_start "$work" "$port" || exit 1
pub=$(pubkey_of "$work/keys/main.pub")

push_conf "$work/a" bt-a 19 05569 "$pub"
push_conf "$work/b" bt-b 19 01840 "$pub"
push_conf "$work/c" bt-c 01 00004 "$pub"
for s in a b c; do
    start_kiosk_in "$work/$s"
    pids+=("$kiosk_pid")
done
for s in a b c; do
    check "kiosk $s connected" wait_for "connected to mqtts://" "$work/$s/kiosk.log" 60
    check "kiosk $s status published" wait_sub fleet fleet-pw "bangtin/v1/status/bt-$s" '"online":true' 20
done

fleet() {
    "$bangtin" fleet --broker "mqtts://127.0.0.1:$port" --ca-file "$work/pki/ca.pem" \
        --username fleet --password-file "$work/fleet-password" --wait 2s "$@"
}
fleet > "$work/fleet-1.txt" 2> "$work/fleet-1.err"
check "fleet exits 0 with all three online" test $? -eq 0
check "fleet lists three screens" grep -q "^3 screens" "$work/fleet-1.txt"
check "fleet shows bt-c online with its commune" grep -qE "^screen bt-c +01/00004 .* online since" "$work/fleet-1.txt"

notice_doc tinh-19 1 19 > "$work/n.json"
payload_of "$work/n.json" "$work/keys/main.key" > "$work/n.payload"
pub_as desk desk-pw bangtin/v1/notice/p/19/tinh-19 -r -f "$work/n.payload"
check "screen a shows the province notice" wait_for "urgent notice on screen: .*:tinh-19" "$work/a/kiosk.log" 15
check "screen b shows the province notice" wait_for "urgent notice on screen: .*:tinh-19" "$work/b/kiosk.log" 15
wait_sub fleet fleet-pw bangtin/v1/ack/tinh-19/bt-b shown 10
fleet > "$work/fleet-2.txt" 2>&1
check "fleet: tinh-19 shown by 2, not expected from the other province" \
    grep -qE "^notice tinh-19 +shown 2 +refused 0 +cancelled 0 +not answered 0" "$work/fleet-2.txt"
check "fleet: screen a shows the urgent notice" grep -qE "^screen bt-a .*showing urgent:signed:[0-9A-F]+:tinh-19" "$work/fleet-2.txt"

kill -9 "${pids[2]}"
check "kill -9 of c: its last will appears" wait_sub fleet fleet-pw bangtin/v1/status/bt-c '"online": ?false' 30
fleet > "$work/fleet-3.txt" 2>&1
check "fleet exits 1 with a screen offline" test $? -eq 1
check "fleet says bt-c is OFFLINE" grep -qE "^screen bt-c .*OFFLINE" "$work/fleet-3.txt"
# The will is fixed when the screen connects, which may be before its first status: it must
# still name the commune (the desk names the screens a notice did not reach by commune).
check "…and its will still names its commune" grep -qE "^screen bt-c +01/00004 .*OFFLINE" "$work/fleet-3.txt"
check "fleet still shows a and b online" test "$(grep -cE '^screen bt-[ab] .* online since' "$work/fleet-3.txt")" -eq 2
fleet --json > "$work/fleet-4.json" 2>&1
check "fleet --json exits 1 too" test $? -eq 1
check "fleet --json is JSON with three screens, one offline" python3 -c "
import json, sys
d = json.load(open('$work/fleet-4.json'))
s = {x['device']: x['online'] for x in d['screens']}
n = {x['id']: x for x in d['notices']}
sys.exit(0 if s == {'bt-a': True, 'bt-b': True, 'bt-c': False} and n['tinh-19']['shown'] == 2 else 1)"
"$bangtin" fleet --broker "mqtts://127.0.0.1:$port" --ca-file "$work/pki/other-ca.pem" \
    --username fleet --password-file "$work/fleet-password" --wait 0s > /dev/null 2> "$work/fleet-5.err"
check "fleet with the wrong CA fails (exit 1) and says why" test $? -eq 1
cat "$work/fleet-1.txt" "$work/fleet-3.txt"
finish
