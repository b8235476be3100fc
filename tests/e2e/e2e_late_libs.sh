#!/usr/bin/env bash
# Issue 11: the network libraries are loaded at their first use, not at exec. glibc's loader
# (LD_DEBUG=files) lists every library a process loads: --version and --screenshot must not
# load libcurl, libmosquitto, libmicrohttpd or GnuTLS; a fetch must load libcurl (which also
# shows that the check sees a load when there is one).
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

finish
