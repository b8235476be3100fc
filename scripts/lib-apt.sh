# Shared helpers for scripts/cross and scripts/test-deb-chroot (sourced, not run).
# shellcheck shell=bash

# The Debian codename of this machine (bookworm on the build machines).
apt_codename() {
    . /etc/os-release
    echo "${VERSION_CODENAME:-bookworm}"
}

# The Debian mirror this machine is configured with, so that CI uses the same (possibly local)
# mirror for foreign architectures and chroots. Reads both the deb822 *.sources files and the
# one-line sources.list format; falls back to the public redirector.
apt_mirror() {
    local codename files f
    codename=$(apt_codename)
    files=$(ls /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
                /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    for f in $files; do
        case "$f" in
        *.sources)
            # deb822: remember URIs and Suites of each stanza, print the URI of the first stanza
            # whose Suites contain the bare codename.
            awk -v cn="$codename" '
                function flush() {
                    if (uri != "" && suites ~ ("(^| )" cn "( |$)")) { print uri; found = 1; exit }
                    uri = ""; suites = ""
                }
                /^[ \t]*$/ { flush(); next }
                tolower($1) == "uris:" { uri = $2 }
                tolower($1) == "suites:" { $1 = ""; suites = $0; sub(/^ +/, "", suites) }
                END { if (!found) flush() }' "$f"
            ;;
        *)
            awk -v cn="$codename" '
                $1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                              if ($(i + 1) == cn) { print $i; exit } }' "$f"
            ;;
        esac
    done | head -n 1 | grep . || echo "http://deb.debian.org/debian"
}

# Is every named package (optionally with :arch) installed?  Prints the missing ones.
apt_missing() {
    local p status
    for p in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
        case "$status" in
        ii*) ;;
        *) echo "$p" ;;
        esac
    done
}
