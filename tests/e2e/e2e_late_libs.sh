#!/usr/bin/env bash
# Issue 11: the network libraries are loaded at their first use, not at exec. glibc's loader
# (LD_DEBUG=files) lists every library a process loads: --version and --screenshot must not
# load libcurl, libmosquitto, libmicrohttpd or GnuTLS; a fetch must load libcurl (which also
# shows that the check sees a load when there is one). The running kiosk fetches in a separate
# process: after it fetched and showed a loopback feed, the screen process has mapped none of
# the network stack (libcurl, OpenSSL, GnuTLS), the fetch process did load libcurl, and with
# nothing due for 10 minutes the fetch process has ended.
#   e2e_late_libs.sh BANGTIN PNGCMP SOURCE_DIR WORK_DIR   (BANGTIN_LATE_NET_LIBS=ON builds)
set -uo pipefail
bangtin="$1"; src="$3"; work="$4"
source "$(dirname "$0")/lib.sh"

if [ "${BANGTIN_LATE_NET_LIBS:-ON}" != "ON" ]; then
    echo "SKIP: built with BANGTIN_LATE_NET_LIBS=OFF (the libraries are linked)"
    exit 77
fi
rm -rf "$work"; mkdir -p "$work/data"
cp "$src/tests/data/wordpress/feed-rss2.xml" "$work/feed.xml"
export SDL_VIDEODRIVER=dummy BANGTIN_FAKE_TIME=1795742100
net_libs='libcurl\.so|libmosquitto\.so|libmicrohttpd\.so|libgnutls\.so'

LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld-version" "$bangtin" --version > /dev/null
check "--version: no network library loaded" bash -c "! cat '$work'/ld-version.* | grep -qE 'file=($net_libs)'"

LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld-fetch" "$bangtin" --data-dir "$work/data" \
    --source "file://$work/feed.xml" --fetch-once 2> "$work/fetch.log"
check "fetch succeeds" test $? -eq 0
check "a fetch loads libcurl" bash -c "cat '$work'/ld-fetch.* | grep -qE 'file=libcurl\.so'"

LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld-shot" "$bangtin" --data-dir "$work/data" \
    --screenshot "$work/page.png" --size 800x480 2> "$work/shot.log"
check "screenshot succeeds" test $? -eq 0
check "screenshot written" test -s "$work/page.png"
check "--screenshot: no network library loaded" bash -c "! cat '$work'/ld-shot.* | grep -qE 'file=($net_libs)'"

# The kiosk: a loopback HTTP source polled every 10 minutes.
mkdir -p "$work/www"
cp "$work/feed.xml" "$work/www/feed.xml"
start_feed_server "$work/www"
mkdir -p "$work/k"
test_conf "$work/k" "http://127.0.0.1:$port/feed.xml" "Tỉnh" "poll_interval = 10m"
# A copy of the binary, removed while the kiosk runs (as an upgrade replaces it): the fetch
# process must still start, from the running program itself.
cp "$bangtin" "$work/bangtin-copy"
LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld-kiosk" "$work/bangtin-copy" --config "$work/k/bangtin.conf" \
    --log-level debug --windowed --size 800x480 2> "$work/kiosk.log" &
kiosk=$!
check "kiosk fetched the loopback feed" wait_for "Tỉnh: 10 items" "$work/kiosk.log" 60
check "the fetch ran in a fetch process" grep -q "fetch process [0-9]* started" "$work/kiosk.log"
check "the fetch process ended: nothing due soon" \
    wait_for "fetch process ended: nothing due soon" "$work/kiosk.log" 10
sleep 0.5
children=$(ps -o pid= --ppid "$kiosk" | wc -l)
check "no child process left beside the kiosk ($children)" test "$children" -eq 0
check "kiosk: no network library mapped in the screen process" \
    bash -c "! grep -qE 'libcurl|libssl|libcrypto|libgnutls|libnghttp2' /proc/$kiosk/maps"
check "kiosk: its loader never loaded libcurl" \
    bash -c "! grep -qE 'file=libcurl\.so' '$work/ld-kiosk.$kiosk'"
check "the fetch process loaded libcurl" \
    bash -c "cat '$work'/ld-kiosk.* | grep -qE 'file=libcurl\.so'"
rm "$work/bangtin-copy"
polls_before=$(wc -l < "$work/requests.log")
kill -HUP "$kiosk" # the reload starts the worker again: a new poll at once
two_starts() { [ "$(grep -c 'fetch process [0-9]* started' "$work/kiosk.log")" -ge 2 ]; }
more_requests() { [ "$(wc -l < "$work/requests.log")" -gt "$1" ]; }
deadline=$((SECONDS + 30))
while ! { two_starts && more_requests "$polls_before"; } && ((SECONDS < deadline)); do
    sleep 0.1
done
check "after the binary was removed, a second fetch process started" two_starts
check "… and it reached the server" more_requests "$polls_before"
check "… without a failure" bash -c "! grep -qE 'warning.*fetch process' '$work/kiosk.log'"
kill "$kiosk"; wait "$kiosk" 2>/dev/null
kiosk=""

finish
