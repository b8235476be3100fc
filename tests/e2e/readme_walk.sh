#!/usr/bin/env bash
# Walks the README's officials' and IT staff's steps (between <!-- walk:start --> and
# <!-- walk:end -->) verbatim: every command of every ```sh block, in order, exactly as
# written, in an empty home folder, with bangtin and sign-notice on PATH as if installed. The
# liberties, and only these: every command reads the password "pw" (twice) on its standard
# input, as a person types it at each prompt (one command at a time: minisign reads stdin
# buffered, so a whole block on one stdin would feed the second prompt half a line);
# the ```ini block is the screen's configuration with the example key replaced by the key
# the official just made, https://example.gov.vn/canh-bao/ replaced by the official's out/
# folder (file://, local = true: "publishing" is that folder), and a [system] section
# keeping the cache in the walk's folder; the IT staff's blocks find that file through
# BANGTIN_CONFIG. Then the results are checked.
#   readme_walk.sh BANGTIN SOURCE_DIR WORK_DIR
set -uo pipefail
bangtin="$1"; src="$2"; work="$3"
source "$(dirname "$0")/lib.sh"
command -v minisign >/dev/null || { echo "SKIP: minisign is not installed"; exit 77; }
doc="$src/README.md"
[ -r "$doc" ] || { echo "FAIL: $doc missing"; exit 1; }
rm -rf "$work"; mkdir -p "$work/home" "$work/official" "$work/it" "$work/bin" "$work/blocks"
work=$(cd "$work" && pwd)
ln -s "$(cd "$(dirname "$bangtin")" && pwd)/$(basename "$bangtin")" "$work/bin/bangtin"
ln -s "$src/scripts/sign-notice" "$work/bin/sign-notice"
export HOME="$work/home" PATH="$work/bin:$PATH"
conf="$work/bangtin.conf"
export SDL_VIDEODRIVER=dummy
unset BANGTIN_FAKE_TIME

# Split the document: blocks/NN-official.sh, NN-it.sh, NN-it.ini, in document order.
awk -v dir="$work/blocks" '
    /^<!-- walk:start/ { walking = 1 }
    /^<!-- walk:end/ { walking = 0 }
    !walking { next }
    /^#+ For officials/ { who = "official" }
    /^#+ For IT staff/ { who = "it" }
    /^```(sh|ini)$/ && !inblock { n++; ext = substr($0, 4); inblock = 1
        file = sprintf("%s/%02d-%s.%s", dir, n, who, ext); printf "" > file; next }
    /^```/ && inblock { inblock = 0; close(file); next }
    /^```/ { skipping = !skipping; next }
    inblock { print >> file }
' "$doc"
n_blocks=$(ls "$work/blocks" | wc -l)
check "the document has runnable blocks ($n_blocks)" test "$n_blocks" -ge 6

for b in "$work/blocks"/*; do
    name=$(basename "$b")
    case $name in
    *-official.sh) dir="$work/official" ;;
    *-it.sh) dir="$work/it" ;;
    *-it.ini)
        pub=$(sed -n 2p "$HOME/.minisign/minisign.pub")
        sed -e "s|^trusted_key = RW[A-Za-z0-9+/=]* |trusted_key = $pub |" \
            -e "s|^url = https://example.gov.vn/canh-bao/\(.*\)$|url = file://$work/official/out/\1\nlocal = true|" \
            "$b" > "$conf"
        printf '\n[system]\ndata_dir = %s/data\nstatus_file = %s/status.json\n' "$work" "$work" \
            >> "$conf"
        continue ;;
    esac
    echo "--- $name"
    : > "$b.out"
    cmd=""
    while IFS= read -r line || [ -n "$line" ]; do
        cmd+="$line"$'\n'
        [[ $line == *\\ ]] && continue
        [[ -z ${cmd//[$' \n']/} ]] && { cmd=""; continue; }
        printf '$ %s' "$cmd"
        if [[ $name == *-it.sh ]]; then
            (cd "$dir" && BANGTIN_CONFIG="$conf" bash -e -c "$cmd" < <(printf 'pw\npw\n')) >> "$b.out" 2>&1
        else
            (cd "$dir" && bash -e -c "$cmd" < <(printf 'pw\npw\n')) >> "$b.out" 2>&1
        fi
        rc=$?
        check "$name: rc $rc: $(grep -vE '^(Password|Deriving)' "$b.out" | tail -2 | tr '\n' '|')" test $rc -eq 0
        cmd=""
    done < "$b"
done

out="$work/official/out"
check "step 1 made both key files in ~/.minisign" test -s "$HOME/.minisign/minisign.key" -a -s "$HOME/.minisign/minisign.pub"
check "step 2 wrote a notice that verifies" minisign -V -q -p "$HOME/.minisign/minisign.pub" -m "$out/notice.json"
check "the signing printed paths without //" bash -c "! grep -q '//notice' '$work'/blocks/*-official.sh.out"
check "notice check says SHOWN" grep -q "SHOWN on the screens of every commune" "$work"/blocks/*-official.sh.out
check "the notice list holds two entries after the cancel" test "$(grep -c '^{"notice":' "$out/notices.json")" -eq 2
check "--check-config: configuration OK" grep -qx "configuration OK" "$work"/blocks/*-it.sh.out
all_it=$(cat "$work"/blocks/*-it.sh.out)
check "fetch-once found the signed notices" grep -q "2 urgent notices active" <<<"$all_it"
check "notify --list shows the signed notice" grep -q "Cảnh báo lũ trên sông Hồng" <<<"$all_it"
check "…the list's remaining notice" grep -q "Tiêm chủng mở rộng" <<<"$all_it"
check "…not the cancelled one" bash -c "! grep -q 'Lịch cắt điện' <<<\"\$1\"" _ "$all_it"
check "…and the local notice, issued by the office" grep -qP "^local:mat-dien\t.*\tỦY BAN NHÂN DÂN XÃ\t" <<<"$all_it"
check "the local notice was cancelled" grep -q "cancelled local:mat-dien" <<<"$all_it"
finish
