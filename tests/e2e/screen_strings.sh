#!/usr/bin/env bash
# Prints every string literal of the screen's code (app/render/*.c, the status snapshot) that
# holds an English word a person would read; log lines, includes, comments and format-only
# strings aside. Empty output = all Vietnamese.   screen_strings.sh SOURCE_DIR
src="$1"
words='no|not|network|loading|error|errors|source|local|unknown|cached|items|notice|page|status|version|uptime|clock|synchroni[sz]ed|waiting|failed|ok|none|yes|never|since'
# backend.c only chooses the renderer and logs why: no text of it reaches the screen.
files=()
for f in "$src"/app/render/*.c; do [ "$(basename "$f")" = backend.c ] || files+=("$f"); done
for f in "$src/app/status.c" "$src/app/glue/report.c"; do [ -e "$f" ] && files+=("$f"); done
grep -hvE 'LOG_(ERR|WARN|INFO|DBG|MODULE)|log_msg|#include|^\s*\{"[^"]+", "|^\s*(/\*|\*)|json_|fprintf|strcmp|getenv|region_name|render_dl_region|render_sdl_ok' "${files[@]}" |
    grep -oE '"([^"\\]|\\.)*"' | grep -iwE "$words" | sort -u
