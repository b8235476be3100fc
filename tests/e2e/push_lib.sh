# Helpers of the MQTT end-to-end scripts (sourced after lib.sh): a test CA and broker
# certificate (openssl), a password file (mosquitto_passwd), a mosquitto on 127.0.0.1 on a free
# port with the shipped ACL (dist/mosquitto/acl), minisign keys, signed notice payloads, and a
# kiosk config with [push]. Needs: mosquitto, mosquitto_pub/sub, mosquitto_passwd, openssl,
# minisign, faketime (expired certificate). Exits 77 (ctest SKIP) when one is missing.
push_require() {
    local t
    for t in mosquitto mosquitto_pub mosquitto_sub mosquitto_passwd openssl minisign "$@"; do
        if ! command -v "$t" > /dev/null && [[ ! -x /usr/sbin/$t ]]; then
            echo "SKIP: $t not installed (scripts/deps --test installs it)"
            exit 77
        fi
    done
    MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# push_pki DIR: ca.pem, server.{crt,key} for 127.0.0.1, other-ca.pem (a CA that signed nothing
# here), expired.{crt,key} (valid for 127.0.0.1 but expired, by the real CA).
push_pki() {
    local d="$1"
    mkdir -p "$d"
    (
        cd "$d" || exit 1
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
            -subj "/CN=bangtin test CA" 2> /dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem \
            -days 30 -subj "/CN=another CA" 2> /dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
            -subj "/CN=127.0.0.1" 2> /dev/null
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
            -out server.crt -days 30 -extfile san.ext 2> /dev/null
        if command -v faketime > /dev/null; then
            faketime '2020-01-01 00:00:00' openssl x509 -req -in server.csr -CA ca.pem \
                -CAkey ca.key -CAcreateserial -out expired.crt -days 2 -extfile san.ext \
                2> /dev/null
        fi
        cp server.key expired.key
    ) || return 1
}

# push_passwd FILE USER PASS [USER PASS…]
push_passwd() {
    local f="$1"
    shift
    : > "$f"
    while (($# >= 2)); do
        mosquitto_passwd -b "$f" "$1" "$2" || return 1
        shift 2
    done
    chmod 600 "$f"
}

# push_broker_start WORK PORT [CERT KEY]: mosquitto with TLS, passwords and the shipped ACL;
# sets broker_pid. Persistence in WORK/mosq-data (a restart keeps retained messages).
push_broker_start() {
    local w="$1" port="$2" cert="${3:-$1/pki/server.crt}" key="${4:-$1/pki/server.key}"
    mkdir -p "$w/mosq-data"
    # As root, mosquitto would switch to the user "mosquitto", who cannot read the test files.
    cat > "$w/mosquitto.conf" << CONF
user $(id -un)
per_listener_settings false
allow_anonymous false
password_file $w/passwd
acl_file $src/dist/mosquitto/acl
listener $port 127.0.0.1
certfile $cert
keyfile $key
tls_version tlsv1.2
max_packet_size 262144
max_queued_messages 20000
persistence true
persistence_location $w/mosq-data/
log_dest file $w/mosquitto.log
log_type error
log_type warning
log_type notice
log_type information
connection_messages true
CONF
    "$MOSQUITTO" -c "$w/mosquitto.conf" > /dev/null 2>> "$w/mosquitto.stderr" &
    broker_pid=$!
    local _
    for _ in $(seq 100); do
        grep -q "Opening ipv4 listen socket on port $port" "$w/mosquitto.log" 2> /dev/null &&
            return 0
        kill -0 $broker_pid 2> /dev/null || break
        sleep 0.05
    done
    echo "mosquitto did not start:"
    cat "$w/mosquitto.stderr" "$w/mosquitto.log" 2> /dev/null | tail -20
    return 1
}

push_broker_stop() {
    [[ -n "${broker_pid:-}" ]] || return 0
    kill -TERM "$broker_pid" 2> /dev/null
    wait "$broker_pid" 2> /dev/null
    broker_pid=""
}

# pub/sub as a given account: pub_as USER PASS TOPIC [mosquitto_pub args…]
pub_as() {
    local u="$1" p="$2" t="$3"
    shift 3
    mosquitto_pub -h 127.0.0.1 -p "$port" --cafile "$work/pki/ca.pem" -u "$u" -P "$p" \
        -V mqttv5 -q 1 -t "$t" "$@"
}
# sub_retained USER PASS TOPIC [SECONDS]: print the retained messages on TOPIC ("topic payload").
sub_retained() {
    mosquitto_sub -h 127.0.0.1 -p "$port" --cafile "$work/pki/ca.pem" -u "$1" -P "$2" \
        -V mqttv5 -t "$3" --retained-only -W "${4:-2}" -v 2> /dev/null
    true
}
# wait_sub USER PASS TOPIC REGEX SECONDS: until a message on TOPIC matches REGEX.
wait_sub() {
    local deadline=$(($(now_ms) + $5 * 1000))
    while (($(now_ms) < deadline)); do
        sub_retained "$1" "$2" "$3" 1 | grep -qE "$4" && return 0
    done
    return 1
}

# minisign keys: push_keys DIR makes DIR/{main,other}.{pub,key} (no password).
push_keys() {
    local d="$1" k
    mkdir -p "$d"
    for k in main other; do
        rm -f "$d/$k.pub" "$d/$k.key"
        minisign -G -W -p "$d/$k.pub" -s "$d/$k.key" > /dev/null || return 1
    done
}
pubkey_of() { tail -1 "$1"; }

# notice_doc ID SEQ TARGET [ACTION] [EXPIRES] [TITLE]: a notice.json on stdout (fixed dates
# around BANGTIN_FAKE_TIME = 1795742100 = 2026-11-27T01:15:00Z).
notice_doc() {
    local id="$1" seq="$2" target="$3" action="${4:-show}" exp="${5:-2026-11-28T00:00:00Z}"
    local title="${6:-Cảnh báo lũ khẩn cấp $1}"
    printf '{"id":"%s","seq":%s,"issued":"2026-11-26T00:00:00Z","expires":"%s","title":"%s","body":"Nước sông dâng cao, các hộ ven sông di dời ngay đến điểm an toàn.","severity":"extreme","targets":["%s"],"action":"%s"}' \
        "$id" "$seq" "$exp" "$title" "$target" "$action"
}
# payload_of DOC_FILE KEY [ALTER]: the MQTT payload for a signed document; ALTER=1 changes the
# body after signing.
payload_of() {
    local doc="$1" key="$2"
    rm -f "$doc.minisig"
    minisign -S -s "$key" -m "$doc" -x "$doc.minisig" > /dev/null < /dev/null || return 1
    python3 - "$doc" "$doc.minisig" "${3:-0}" << 'PY'
import json, sys
doc = open(sys.argv[1], encoding="utf-8").read()
sig = open(sys.argv[2], encoding="utf-8").read()
if sys.argv[3] == "1":
    doc = doc.replace("di dời ngay", "ở yên tại nhà")
print(json.dumps({"notice": doc, "minisig": sig}, ensure_ascii=False))
PY
}

# push_conf WORK DEVICE PROVINCE COMMUNE PUBKEY [CA] [PASSFILE]: WORK/bangtin.conf for a kiosk
# with the demo feed (file://, or $PUSH_SOURCE_URL polled every 5 s), [push] to the test broker and a pinned key.
push_conf() {
    local w="$1" dev="$2" prov="$3" comm="$4" pub="$5" ca="${6:-$work/pki/ca.pem}"
    local pw="${7:-$w/mqtt-password}"
    mkdir -p "$w/data" "$w/frames"
    [[ -f "$w/mqtt-password" ]] || printf '%s\n' "pw-$dev" > "$w/mqtt-password"
    cat > "$w/bangtin.conf" << CONF
[display]
office_name = UBND XÃ $dev
transition = none
[rotation]
max_age_days = 0
dwell_min_s = 600
dwell_max_s = 600
dwell_base_s = 600
[network]
startup_delay_max = 0s
[urgent]
province_code = $prov
commune_code = $comm
trusted_key = $pub Văn phòng UBND tỉnh (thử)
[push]
broker = mqtts://127.0.0.1:$port
ca_file = $ca
username = $dev
password_file = $pw
device_id = $dev
keepalive = 10s
[system]
data_dir = $w/data
status_file = $w/status.json
[source demo]
url = ${PUSH_SOURCE_URL:-file://$src/assets/demo/feed.xml}
local = $([[ -n "${PUSH_SOURCE_URL:-}" ]] && echo false || echo true)
poll_interval = $([[ -n "${PUSH_SOURCE_URL:-}" ]] && echo 5s || echo 10m)
name = Demo
CONF
}

# start_kiosk_in WORK: the kiosk headless with every frame dumped; sets kiosk_pid.
start_kiosk_in() {
    BANGTIN_FRAME_DUMP="$1/frames" "$bangtin" --config "$1/bangtin.conf" --windowed \
        --size 640x360 2>> "$1/kiosk.log" &
    kiosk_pid=$!
}
