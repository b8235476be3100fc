#!/usr/bin/env bash
# End to end for notices over MQTT (DESIGN.md §12) against a real mosquitto on 127.0.0.1 (TLS
# with a test CA, a password per account, the shipped ACL): a headless kiosk receives a signed
# notice published with mosquitto_pub and shows the urgent page; altered, unpinned, replayed,
# expired and untargeted payloads are each refused with the reason in the log and in the ack
# while the screen stays byte-identical; a cancel; a kiosk started after the publish gets the
# retained notice; kill -9 → the last will; broker restart → reconnect, nothing lost or shown
# twice; a screen's credentials cannot publish a notice.
#   e2e_push.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; pngcmp="$2"; src="$3"; work="$4"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push_lib.sh"
push_require

rm -rf "$work"; mkdir -p "$work"
export SDL_VIDEODRIVER=dummy BANGTIN_FAKE_TIME=1795742100
broker_pid=""; kiosk_pid=""; kb_pid=""
trap 'kill -9 $kiosk_pid $kb_pid 2>/dev/null; push_broker_stop; wait 2>/dev/null' EXIT

push_pki "$work/pki" || { echo "FAIL: test CA"; exit 1; }
push_keys "$work/keys" || { echo "FAIL: minisign keys"; exit 1; }
push_passwd "$work/passwd" desk desk-pw bt-a pw-bt-a bt-b pw-bt-b || exit 1
port=$(free_port)
push_broker_start "$work" "$port" || exit 1
pub=$(pubkey_of "$work/keys/main.pub")

A="$work/a"; B="$work/b"
push_conf "$A" bt-a 19 05569 "$pub"
push_conf "$B" bt-b 19 05569 "$pub"
start_kiosk_in "$A"
check "kiosk A shows its first frame" wait_for "first frame" "$A/kiosk.log" 60
check "kiosk A connects over TLS with its password" wait_for "connected to mqtts://" "$A/kiosk.log" 30
check "kiosk A publishes its retained status" \
    wait_sub desk desk-pw bangtin/v1/status/bt-a '"online":true' 10

n=0
publish() { # publish ID SEQ TARGET TOPIC_TARGET [ACTION] [EXPIRES] [KEY] [ALTER]
    local id="$1" seq="$2" target="$3" tt="$4" action="${5:-show}" exp="${6:-2026-11-28T00:00:00Z}"
    local key="${7:-$work/keys/main.key}" alter="${8:-0}"
    n=$((n + 1))
    notice_doc "$id" "$seq" "$target" "$action" "$exp" > "$work/doc-$n.json"
    payload_of "$work/doc-$n.json" "$key" "$alter" > "$work/payload-$n.json" || return 1
    local topic
    case $tt in all) topic=bangtin/v1/notice/all/$id ;; ??) topic=bangtin/v1/notice/p/$tt/$id ;;
        *) topic=bangtin/v1/notice/c/$tt/$id ;; esac
    pub_as desk desk-pw "$topic" -r -f "$work/payload-$n.json"
}
last_frame() { ls "$1"/frame-*.png 2> /dev/null | tail -1; }

# 1. A signed notice → the urgent page, and an ack "shown".
t0=$(now_ms)
publish lu-1 5 05569 05569
check "notice lu-1 accepted and on screen" wait_for "urgent notice on screen: signed:[0-9A-F]+:lu-1" "$A/kiosk.log" 10
check "an urgent frame was saved" wait_for "frame [0-9]+ saved \(urgent\)" "$A/kiosk.log" 10
echo "publish → urgent frame: $(($(now_ms) - t0)) ms"
sleep 0.5
check "the urgent frame is white on dark red" "$pngcmp" color "$(last_frame "$A/frames")" 0 0 640 360 A00000 40 0.4 1.0
check "ack shown for lu-1" wait_sub desk desk-pw bangtin/v1/ack/lu-1/bt-a '"result":"shown"' 10

# 2. Refusals: the reason in the log and in the ack, the screen byte-identical.
sleep 1
before=$(last_frame "$A/frames"); frames_before=$(ls "$A/frames" | wc -l)
publish bad-body 6 05569 05569 show "" "" 1
publish unpinned 6 05569 05569 show "" "$work/keys/other.key"
publish old-seq 3 05569 05569
publish expired 7 05569 05569 show 2026-11-26T01:00:00Z
publish elsewhere 8 00004 05569
for pair in "bad-body:bad signature" "unpinned:unknown key" "old-seq:replayed" \
            "expired:expired" "elsewhere:not targeted"; do
    id=${pair%%:*}; why=${pair#*:}
    check "$id refused in the log ($why)" wait_for "mqtt:bangtin/v1/notice/c/05569/$id refused: $why" "$A/kiosk.log" 10
    check "$id refused in the ack ($why)" wait_sub desk desk-pw "bangtin/v1/ack/$id/bt-a" "\"result\":\"refused\",\"reason\":\"$why" 10
done
sleep 1
after=$(last_frame "$A/frames")
check "no new frame after the refusals" test "$(ls "$A/frames" | wc -l)" -eq "$frames_before"
check "the screen is byte-identical" "$pngcmp" diff "$before" "$after" 0 0 640 360 0 0
check "nothing but lu-1 reached the screen" bash -c "! grep -E 'urgent notice on screen: .*(bad-body|unpinned|old-seq|expired|elsewhere)' '$A/kiosk.log'"

# 3. The same notice again (retained re-publish) is unchanged, not an error, not shown twice.
pub_as desk desk-pw bangtin/v1/notice/c/05569/lu-1 -r -f "$work/payload-1.json"
check "the same notice again is 'unchanged' in the ack" wait_sub desk desk-pw bangtin/v1/ack/lu-1/bt-a '"reason":"unchanged"' 10
check "lu-1 accepted exactly once" test "$(grep -c 'signed notice lu-1 from source .* accepted' "$A/kiosk.log")" -eq 1

# 4. Cancel on the same topic.
mark=$(wc -l < "$A/kiosk.log")
publish lu-1 9 05569 05569 cancel
check "cancel acknowledged" wait_sub desk desk-pw bangtin/v1/ack/lu-1/bt-a '"result":"cancelled"' 10
ok=1
for _ in $(seq 500); do
    tail -n +"$((mark + 1))" "$A/kiosk.log" | grep -q "saved (regular)" && { ok=0; break; }
    sleep 0.01
done
check "after the cancel the next frame is regular" test $ok -eq 0

# 5. Retained: a notice for the whole province, then kiosk B starts and gets it.
publish tinh-2 10 19 19
check "kiosk A shows the province notice" wait_for "urgent notice on screen: signed:[0-9A-F]+:tinh-2" "$A/kiosk.log" 10
apid=$kiosk_pid
start_kiosk_in "$B"; kb_pid=$kiosk_pid; kiosk_pid=$apid
check "kiosk B (started later) gets the retained notice" wait_for "urgent notice on screen: signed:[0-9A-F]+:tinh-2" "$B/kiosk.log" 30
check "kiosk B acks it" wait_sub desk desk-pw bangtin/v1/ack/tinh-2/bt-b '"result":"shown"' 10
check "kiosk B did not show the cancelled lu-1" bash -c "! grep -q 'urgent notice on screen: .*:lu-1' '$B/kiosk.log'"

# 6. kill -9 → the broker publishes B's last will.
kill -9 "$kb_pid"; wait "$kb_pid" 2> /dev/null; kb_pid=""
check "kill -9: the last will {\"online\": false} appears" \
    wait_sub desk desk-pw bangtin/v1/status/bt-b '"online": ?false' 30

# 7. Broker restart: A keeps showing, reconnects, nothing lost, nothing shown twice.
push_broker_stop
check "A logs the lost connection" wait_for "broker mqtts://.*(connection lost|cannot reach)" "$A/kiosk.log" 30
sleep 2
push_broker_start "$work" "$port" || exit 1
check "A reconnects" wait_for "connected to mqtts://.* again after" "$A/kiosk.log" 60
publish after-restart 11 all all
check "a notice published after the restart is shown" wait_for "urgent notice on screen: signed:[0-9A-F]+:after-restart" "$A/kiosk.log" 15
check "tinh-2 accepted exactly once on A" test "$(grep -c 'signed notice tinh-2 from source .* accepted' "$A/kiosk.log")" -eq 1
check "each lost connection logged once, not per retry" test "$(grep -c 'broker mqtts://.*retrying' "$A/kiosk.log")" -le 2
check "status.json carries the push state" grep -q '"state": "connected"' "$A/status.json"

# 8. ACL: a screen's credentials cannot publish a notice, nor another screen's status.
pub_as bt-a pw-bt-a bangtin/v1/notice/all/forged -r -m '{"notice":"x","minisig":"y"}' > "$work/acl.log" 2>&1
pub_as bt-a pw-bt-a bangtin/v1/status/bt-b -r -m '{"online":true,"forged":1}' >> "$work/acl.log" 2>&1
sleep 1
check "the screen's notice publish is not retained" test -z "$(sub_retained desk desk-pw bangtin/v1/notice/all/forged 1)"
no_forged_status() { ! sub_retained desk desk-pw bangtin/v1/status/bt-b 1 | grep -q forged; }
check "the screen cannot write another screen's status" no_forged_status
check "kiosk A never saw the forged notice" bash -c "! grep -q 'notice/all/forged' '$A/kiosk.log'"

kill -TERM $kiosk_pid 2> /dev/null
for _ in $(seq 500); do kill -0 $kiosk_pid 2> /dev/null || break; sleep 0.01; done
check "a clean stop publishes {\"online\": false}" wait_sub desk desk-pw bangtin/v1/status/bt-a '"online": ?false' 10
finish || { tail -30 "$A/kiosk.log"; exit 1; }
