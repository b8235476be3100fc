#!/bin/sh
# Run every fuzz harness for SECONDS each (default 60). Builds nothing: configure and build first,
#   CC=clang cmake -S . -B build-fuzz -DBANGTIN_FUZZ=ON -DBANGTIN_BUILD_TESTS=OFF
#   cmake --build build-fuzz --target fuzz
# Seeds come from tests/data and, when present, ../shared/corpus; they are copied into a
# temporary directory at run time and never into the repository. FUZZ_BUILD_DIR overrides
# the build directory; FUZZ_ONLY="feed date" runs a subset; FUZZ_KEEP=1 keeps the work dir.
set -eu

secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
shared=$(cd "$root/.." && pwd)/shared/corpus
work=$(mktemp -d "${TMPDIR:-/tmp}/bangtin-fuzz.XXXXXX")
[ "${FUZZ_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

for h in feed json html date url wire ingest; do
    if [ ! -x "$build/tests/fuzz/fuzz_$h" ] && [ ! -x "$build/fuzz/fuzz_$h" ]; then
        echo "fuzz_$h not built in $build (see the header of this script)" >&2
        exit 2
    fi
done
bin() { if [ -x "$build/tests/fuzz/fuzz_$1" ]; then echo "$build/tests/fuzz/fuzz_$1"; else echo "$build/fuzz/fuzz_$1"; fi; }

# Copy files matching a find expression into a seed directory, named by content hash.
seed() {
    dir=$1; shift
    mkdir -p "$dir"
    find "$@" -type f -size -1024k 2>/dev/null | while IFS= read -r f; do
        cp "$f" "$dir/$(sha1sum "$f" | cut -c1-16)"
    done
}

seed "$work/seed_feed" "$root/tests/data" \( -name '*.xml' -o -name '*.json' \)
seed "$work/seed_ingest" "$root/tests/data" \( -name '*.xml' -o -name '*.json' \)
seed "$work/seed_json" "$root/tests/data" -name '*.json'
seed "$work/seed_html" "$root/tests/data" -name '*.html'
if [ -d "$shared" ]; then
    seed "$work/seed_feed" "$shared" ! -name '*.tsv' ! -name '*.pem' ! -path '*/LICENSES/*'
    seed "$work/seed_ingest" "$shared/wordpress" ! -name '*.tsv'
    seed "$work/seed_json" "$shared" -name '*.json'
    seed "$work/seed_html" "$shared/feedparser/wellformed/sanitize" -name '*.xml'
fi
seed "$work/seed_minisign" "$root/tests/data/minisign" -type f
mkdir -p "$work/seed_date"
i=0
for d in 'Thu, 26 Nov 2026 10:15:00 +0000' '2026-11-26T10:15:00Z' '2026-11-26T17:15:00+07:00' \
         '2026-11-26T10:15:00' 'Thursday, 26-Nov-26 10:15:00 GMT' '26 Nov 2026 05:15 EST' \
         'Nov 26 2026 10:15:00 PM (UTC)' '2026-11-26' 'Thu, 26 Nov 2026 11:15:00 A'; do
    printf '%s' "$d" > "$work/seed_date/$i"; i=$((i + 1))
done

mkdir -p "$work/seed_url"
i=0
for u in 'https://h/wp-json/wp/v2/posts?_embed&per_page=5' 'http://h/?rest_route=/wp/v2/posts&page=1' \
         'http://h/p?page&per_page=&x=1#frag?page=2' 'http://h/p#a?b' 'http://h/p?a=1&&page=12&'; do
    printf '%s' "$u" > "$work/seed_url/$i"; i=$((i + 1))
done

# fuzz_wire needs no seeds: it puts a header of the right length before each input itself.
mkdir -p "$work/seed_wire"
printf 'BTR1' > "$work/seed_wire/0"

all="feed json html date url wire ingest"
# fuzz_minisign (notify) runs too when it has been built.
if [ -x "$build/tests/fuzz/fuzz_minisign" ] || [ -x "$build/fuzz/fuzz_minisign" ]; then
    all="$all minisign"
fi
# fuzz_push (the MQTT payload path) too: seeds are payloads made of the signed test notice.
if [ -x "$build/tests/fuzz/fuzz_push" ] || [ -x "$build/fuzz/fuzz_push" ]; then
    all="$all push"
    mkdir -p "$work/seed_push"
    python3 - "$root/tests/data/minisign" "$work/seed_push" << 'PY'
import json, os, sys
d, out = sys.argv[1], sys.argv[2]
doc = open(os.path.join(d, "notice.json"), encoding="utf-8").read()
for i, s in enumerate(["notice.json.minisig", "notice.json.legacy.minisig", "notice.json.other.minisig"]):
    sig = open(os.path.join(d, s), encoding="utf-8").read()
    open(os.path.join(out, str(i)), "w").write(json.dumps({"notice": doc, "minisig": sig}))
open(os.path.join(out, "junk"), "w").write('{"notice": 1}')
PY
fi
# ASan's quarantine (256 MB by default) would count against the 256 MB bound below; 32 MB
# still catches use-after-free of anything a harness frees in one run.
case "${ASAN_OPTIONS:-}" in
*quarantine_size_mb*) ;;
*) export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=32" ;;
esac
status=0
for h in ${FUZZ_ONLY:-$all}; do
    mkdir -p "$work/corpus_$h" "$work/crash_$h"
    case $h in feed | ingest) max=65536 ;; json) max=131072 ;; html) max=32768 ;; push) max=16384 ;; *) max=4096 ;; esac
    echo "== fuzz_$h for ${secs}s (seeds: $(ls "$work/seed_$h" | wc -l))"
    # Resource bounds are findings too (issue 16): a blow-up past 256 MB or an input slower
    # than 5 s is reported like a crash (libFuzzer writes oom-/timeout- artifacts).
    "$(bin $h)" -max_total_time="$secs" -max_len="$max" -rss_limit_mb=256 -timeout=5 \
        -print_final_stats=1 -artifact_prefix="$work/crash_$h/" \
        "$work/corpus_$h" "$work/seed_$h" > "$work/log_$h" 2>&1 || true
    grep -E '^#[0-9]+.*(DONE|pulse)' "$work/log_$h" | tail -1 || true
    grep -E 'stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/log_$h" || true
    n=$(ls "$work/crash_$h" | wc -l)
    echo "crashes: $n"
    if [ "$n" -gt 0 ]; then
        status=1
        ls "$work/crash_$h"
        grep -A 15 'ERROR\|SUMMARY' "$work/log_$h" | head -40
        mkdir -p "$root/build-fuzz-crashes" 2>/dev/null || true
        cp "$work/crash_$h"/* "$root/build-fuzz-crashes/" 2>/dev/null || true
    fi
done
exit $status
