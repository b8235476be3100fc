#!/usr/bin/env bash
# Bad networks for the MQTT client: nothing listening, a wrong password, a broker certificate
# from another CA, an expired broker certificate, a 256 MB publish, a payload over the screen's
# maximum packet size on a broker without a limit, a flood of 10,000 messages. Each time the
# screen keeps showing what it has, the HTTP source keeps being polled, the failure is logged
# once (not per retry) and is in status.json; afterwards a real notice still gets through.
#   e2e_push_badnet.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; pngcmp="$2"; src="$3"; work="$4"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push_lib.sh"
push_require faketime

rm -rf "$work"; mkdir -p "$work/www"
cp "$src/assets/demo/feed.xml" "$work/www/"
export SDL_VIDEODRIVER=dummy BANGTIN_FAKE_TIME=1795742100
broker_pid=""; kiosk_pid=""
python3 "$src/tests/e2e/feed_server.py" --dir "$work/www" --log "$work/requests.log" > "$work/http-port" &
http_pid=$!
trap 'kill -9 $kiosk_pid 2>/dev/null; kill $http_pid 2>/dev/null; push_broker_stop; wait 2>/dev/null' EXIT
wait_port "$work/http-port"
export PUSH_SOURCE_URL="http://127.0.0.1:$(head -1 "$work/http-port")/feed.xml"
push_pki "$work/pki" || exit 1
push_keys "$work/keys" || exit 1
push_passwd "$work/passwd" desk desk-pw bt-a pw-bt-a || exit 1
pub=$(pubkey_of "$work/keys/main.pub")
http_polls() { grep -c "GET /feed.xml" "$work/requests.log" 2> /dev/null || echo 0; }

# run_case NAME SECONDS: a kiosk against the broker as configured, for SECONDS; then checks.
run_case() {
    local name="$1" secs="$2" pattern="$3" w="$work/$1"
    start_kiosk_in "$w"
    check "$name: first frame" wait_for "first frame" "$w/kiosk.log" 60
    local polls0
    polls0=$(http_polls)
    sleep "$secs"
    check "$name: failure logged ($pattern)" grep -qE "broker .*$pattern" "$w/kiosk.log"
    local n
    n=$(grep -cE "broker mqtts?://.*retrying" "$w/kiosk.log")
    local tries
    tries=$(grep -cE "push: broker .*failure [0-9]+" "$w/kiosk.log")
    check "$name: logged once, not per retry ($n warning lines, $tries quiet retries)" test "$n" -eq 1
    check "$name: retried more than once meanwhile" test "$tries" -ge 1
    check "$name: status.json says retrying" grep -q '"state": "retrying"' "$w/status.json"
    check "$name: the HTTP source kept being polled" test "$(http_polls)" -gt "$polls0"
    check "$name: the screen shows its items" grep -q "saved (regular)" "$w/kiosk.log"
    kill -TERM "$kiosk_pid"; wait "$kiosk_pid" 2> /dev/null
    check "$name: clean exit" test $? -eq 0
    kiosk_pid=""
}

port=$(free_port) # nothing listens here yet
push_conf "$work/unreachable" bt-a 19 05569 "$pub"
sed -i "s/^\[system\]/[system]\nlog_level = debug/" "$work/unreachable/bangtin.conf"
run_case unreachable 12 "cannot reach 127.0.0.1"

push_broker_start "$work" "$port" || exit 1
push_conf "$work/password" bt-a 19 05569 "$pub"
printf 'wrong\n' > "$work/password/mqtt-password"
sed -i 's/^\[system\]/[system]\nlog_level = debug/' "$work/password/bangtin.conf"
run_case password 12 "wrong user name or password|not authorised"

push_conf "$work/ca" bt-a 19 05569 "$pub" "$work/pki/other-ca.pem"
sed -i 's/^\[system\]/[system]\nlog_level = debug/' "$work/ca/bangtin.conf"
run_case ca 12 "TLS"

push_broker_stop
if [[ -s "$work/pki/expired.crt" ]]; then
    push_broker_start "$work" "$port" "$work/pki/expired.crt" "$work/pki/expired.key" || exit 1
    push_conf "$work/expired" bt-a 19 05569 "$pub"
    sed -i 's/^\[system\]/[system]\nlog_level = debug/' "$work/expired/bangtin.conf"
    run_case expired 12 "TLS"
    push_broker_stop
fi

# The good broker again: a huge publish, an oversized payload, a flood; then a real notice.
push_broker_start "$work" "$port" || exit 1
w="$work/good"
push_conf "$w" bt-a 19 05569 "$pub"
start_kiosk_in "$w"
check "good: connected" wait_for "connected to mqtts://" "$w/kiosk.log" 30
head -c $((256 * 1000 * 1000)) /dev/zero | tr '\0' 'x' > "$work/big"
# MQTT 5: the broker advertised its maximum packet size, so the publisher's library refuses.
pub_as desk desk-pw bangtin/v1/notice/c/05569/big -f "$work/big" > "$work/big.log" 2>&1
echo "256 MB publish (MQTT 5): mosquitto_pub exit $?: $(head -c 200 "$work/big.log")"
# MQTT 3.1.1 has no such property: the broker cuts the connection after the fixed header.
mosquitto_pub -h 127.0.0.1 -p "$port" --cafile "$work/pki/ca.pem" -u desk -P desk-pw \
    -V mqttv311 -q 1 -t bangtin/v1/notice/c/05569/big -f "$work/big" > "$work/big311.log" 2>&1
echo "256 MB publish (MQTT 3.1.1): mosquitto_pub exit $?: $(head -c 200 "$work/big311.log")"
rm -f "$work/big"
check "256 MB over 3.1.1: the broker cut it off (max_packet_size)" grep -q "disconnected due to oversize packet" "$work/mosquitto.log"
check "256 MB: nothing retained on the topic" test -z "$(sub_retained desk desk-pw bangtin/v1/notice/c/05569/big 1)"
check "256 MB: the kiosk never received it" bash -c "! grep -q 'notice/c/05569/big' '$w/kiosk.log'"
check "256 MB: the kiosk is still connected" bash -c "! grep -q 'connection lost' '$w/kiosk.log'"

# 230 KB: under the broker's limit, over the screen's (MQTT 5 maximum packet size in CONNECT):
# the broker must not send it to the screen, and the screen would drop it anyway.
python3 -c 'import json; print(json.dumps({"notice": "x" * 230000, "minisig": "y"}))' > "$work/over"
pub_as desk desk-pw bangtin/v1/notice/c/05569/over -f "$work/over"
sleep 1
check "230 KB: not handed to the screen's main thread" bash -c "! grep -q 'notice/c/05569/over' '$w/kiosk.log'"

# Flood: 10,000 messages (junk and forged payloads) on the screen's topic.
python3 - "$work/flood.txt" << 'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(10000):
        if i % 2:
            f.write("junk %d {not json\n" % i)
        else:
            f.write(json.dumps({"notice": '{"id":"f%d","seq":%d}' % (i, i),
                                "minisig": "untrusted comment: x\nRWQ\ntrusted comment: y\nz\n"}) + "\n")
PY
t0=$(now_ms)
mosquitto_pub -h 127.0.0.1 -p "$port" --cafile "$work/pki/ca.pem" -u desk -P desk-pw -V mqttv5 \
    -q 1 -t bangtin/v1/notice/c/05569/flood -l < "$work/flood.txt"
echo "flood of 10,000 published in $(($(now_ms) - t0)) ms"
sleep 3
check "flood: the kiosk is alive" kill -0 "$kiosk_pid"
lines=$(grep -c "flood" "$w/kiosk.log")
echo "flood: $lines log lines mention it; $(grep -c 'dropped' "$w/kiosk.log") about dropping"
check "flood: the log is bounded ($lines lines, at most 20 a minute + summaries)" test "$lines" -le 30
check "flood: no crash, nothing shown" bash -c "! grep -q 'urgent notice on screen' '$w/kiosk.log'"
notice_doc after-flood 1 05569 > "$work/n.json"
payload_of "$work/n.json" "$work/keys/main.key" > "$work/n.payload"
pub_as desk desk-pw bangtin/v1/notice/c/05569/after-flood -r -f "$work/n.payload"
check "after all that a real notice is shown" wait_for "urgent notice on screen: .*:after-flood" "$w/kiosk.log" 20
check "status.json says connected" grep -q '"state": "connected"' "$w/status.json"
finish
