#!/usr/bin/env bash
# Latency from publication on a loopback "Thông báo khẩn" feed to the first urgent frame, at the
# default urgent poll interval (30 s). Each run publishes at a random moment of the poll cycle.
#   bench_urgent_feed.sh BANGTIN SOURCE_DIR WORK_DIR [RUNS]
set -uo pipefail
bangtin="$1"; src="$2"; work="$3"; runs="${4:-4}"
now_ms() { echo $(($(date +%s%N) / 1000000)); }
rm -rf "$work"; mkdir -p "$work/www" "$work/data"
export SDL_VIDEODRIVER=dummy
cat > "$work/www/empty.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Thông báo khẩn</title>
<link>http://127.0.0.1/</link></channel></rss>
XML
cp "$work/www/empty.xml" "$work/www/khan.xml"
python3 "$src/tests/e2e/feed_server.py" --dir "$work/www" --log "$work/requests.log" > "$work/port" &
server=$!
trap 'kill $server $kiosk 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 50); do [[ -s "$work/port" ]] && break; sleep 0.1; done
cat > "$work/bangtin.conf" <<CONF
[display]
transition = none
[network]
startup_delay_max = 0s
[source khan]
url = http://127.0.0.1:$(head -1 "$work/port")/khan.xml
name = Thông báo khẩn
kind = urgent
CONF
"$bangtin" --config "$work/bangtin.conf" --data-dir "$work/data" --windowed --size 640x360 \
    2> "$work/kiosk.log" &
kiosk=$!
sleep 3
for run in $(seq "$runs"); do
    sleep $((RANDOM % 30))
    echo "publish run $run at $(date +%s.%N)"
    when=$(date -u -R)
    t0=$(now_ms)
    sed "s|</channel>|<item><title>Khẩn $run</title><guid>khan-$run</guid><pubDate>$when</pubDate><description>Sơ tán.</description></item></channel>|" \
        "$work/www/empty.xml" > "$work/www/khan.tmp" && mv "$work/www/khan.tmp" "$work/www/khan.xml"
    until grep -q "urgent notice on screen: feed:khan:khan-$run" "$work/kiosk.log"; do
        sleep 0.05
        (($(now_ms) - t0 > 120000)) && { echo "run $run: not shown within 120 s"; break; }
    done
    echo "run $run: $(($(now_ms) - t0)) ms from publication to the urgent frame"
    cp "$work/www/empty.xml" "$work/www/khan.xml"
    sleep 31   # the next poll takes the notice down
done
