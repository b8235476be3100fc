# Shared helpers of the end-to-end scripts (sourced, not run).
# check "what" command…: counts a pass or prints FAIL; finish prints "N passed, N failed".
passed=0
failed=0
check() {
    local what="$1"
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $what"
    fi
}
finish() {
    echo "$passed passed, $failed failed"
    [[ $failed -eq 0 ]]
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_for PATTERN FILE TIMEOUT_S: poll a log every 10 ms until an extended regex matches.
wait_for() {
    local deadline=$(($(now_ms) + $3 * 1000))
    while (($(now_ms) < deadline)); do
        grep -qE "$1" "$2" 2>/dev/null && return 0
        sleep 0.01
    done
    return 1
}
# wait_port FILE: until the test server has written its port.
wait_port() {
    local _
    for _ in $(seq 100); do
        [[ -s "$1" ]] && return 0
        sleep 0.1
    done
    return 1
}
# start_feed_server DIR: the loopback feed server on DIR (requests logged to $work/requests.log);
# sets $server and $port, and $kiosk="" for the kiosk a test starts; both are stopped on exit.
# Needs $src and $work.
start_feed_server() {
    python3 "$src/tests/e2e/feed_server.py" --dir "$1" --log "$work/requests.log" \
        > "$work/port" &
    server=$!
    kiosk=""
    trap 'kill $server $kiosk 2>/dev/null; wait 2>/dev/null' EXIT
    wait_port "$work/port"
    port="$(head -1 "$work/port")"
}
# test_conf WORK URL NAME [SOURCE_LINES] [DISPLAY_LINES]: WORK/bangtin.conf for a kiosk under
# test: no purge by age, no start-up delay, data and status file in WORK, one source "xa".
test_conf() {
    cat > "$1/bangtin.conf" <<CONF
[display]
${5:-}
[rotation]
max_age_days = 0
[network]
startup_delay_max = 0s
[system]
data_dir = $1/data
status_file = $1/status.json
[source xa]
url = $2
name = $3
${4:-}
CONF
}
# demo_clock_setup: a fresh $work/data, the dummy video driver, $feed = the bundled demo feed,
# run ARGS… = bangtin on them, and the fake clock in the file $clock (BANGTIN_FAKE_TIME may name
# a file: the test moves the clock by rewriting it). Needs $bangtin, $src and $work.
demo_clock_setup() {
    rm -rf "$work"
    mkdir -p "$work/data"
    export SDL_VIDEODRIVER=dummy
    feed="file://$src/assets/demo/feed.xml"
    run() { "$bangtin" --data-dir "$work/data" --source "$feed" "$@"; }
    clock="$work/clock"
    export BANGTIN_FAKE_TIME="$clock"
}
