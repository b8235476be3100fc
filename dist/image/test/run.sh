#!/bin/sh
# scripts/test-image: the commands run inside the booted image (by bangtin-test.service, which
# exists only in the test copy of the image). Written to the boot partition as test/run.sh
# with the phase (first, broken, after-cut) in test/phase. Every result is a line
# "BTEST <key> <value>" on the serial console; scripts/test-image decides.
exec >/dev/ttyAMA0 2>&1
B=/boot/firmware/test
phase=$(cat "$B/phase")
say() { echo "BTEST $*"; }
say phase "$phase"

# The first frame with the local items: status.json counts them once they are in the cache.
wait_items() {
    i=0
    while [ $i -lt 400 ]; do
        if grep -q '"items": [1-9]' /run/bangtin/status.json 2>/dev/null &&
            journalctl -b -u bangtin -o cat | grep -q 'first frame'; then
            return 0
        fi
        sleep 0.5
        i=$((i + 1))
    done
    return 1
}
if wait_items; then say items-shown yes; else say items-shown no; fi
# The fetches ran in the kiosk's fetch process: the unit's sandbox let it start.
if journalctl -b -u bangtin -o cat | grep -q 'own process instead'; then say fetch-in-child no
elif journalctl -b -u bangtin -o cat | grep -q 'fetching in a separate process'; then
    say fetch-in-child yes
else say fetch-in-child unknown; fi

# Timings: monotonic seconds since the kernel started (journal short-monotonic).
mono() { journalctl -b -o short-monotonic "$@" | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p' | head -n 1; }
say t-service-started "$(mono -u bangtin -g 'Started bangtin')"
say t-first-frame "$(mono -u bangtin -g 'first frame')"
say t-userspace "$(mono -g 'systemd .* running in system mode')"
systemd-analyze 2>/dev/null | head -n 1 | sed 's/^/BTEST analyze /'

# Identity: a machine id made at the first boot, kept.
say machine-id "$(cat /etc/machine-id)"
if mountpoint -q /etc/machine-id; then say machine-id-committed no; else say machine-id-committed yes; fi
say hostname "$(hostname)"

# The root is read-only, the data partition writable, and grown.
if touch /usr/.bangtin-write-test 2>/dev/null; then say root-ro no; rm -f /usr/.bangtin-write-test
else say root-ro yes; fi
if touch /var/lib/bangtin-image/.write-test 2>/dev/null; then say data-rw yes
    rm -f /var/lib/bangtin-image/.write-test
else say data-rw no; fi
say root-options "$(findmnt -n -o OPTIONS /)"
say var-options "$(findmnt -n -o OPTIONS /var)"
dev=$(readlink -f /dev/disk/by-partuuid/b4a7f15e-03)
say data-part-sectors "$(cat /sys/class/block/${dev##*/}/size)"
say data-fs-kib "$(df -k --output=size /var | tail -n 1 | tr -d ' ')"
say journal-persistent "$(ls -d /var/log/journal/*/ 2>/dev/null | wc -l)"
say units-failed "$(systemctl --failed --no-legend --plain | awk '{printf "%s,", $1}')"

# Accounts: none with a usable password.
say usable-passwords "$(awk -F: '$2 !~ /^[!*]/ { printf "%s,", $1 }' /etc/shadow)"
say ssh-active "$(systemctl is-active ssh.service)"

# The installed configuration and what the provisioning said.
say config-sha "$(sha256sum /var/lib/bangtin-image/bangtin.conf | cut -c1-16)"
if [ -f /var/lib/bangtin/provision-error.txt ]; then
    say provision-error "$(tr '\n' '|' </var/lib/bangtin/provision-error.txt)"
else
    say provision-error none
fi
say status-errors "$(python3 -c 'import json; print(json.load(open("/run/bangtin/status.json"))["errors"].replace("\n", "|"))' 2>&1)"

case "$phase" in
first)
    say ready-frame
    sleep 8 # the host takes its screendump
    say done
    systemctl poweroff
    ;;
broken)
    # SSH: keys from the boot partition only; a password is refused even for a valid user.
    say sshd-password "$(sshd -T 2>&1 | awk '$1 == "passwordauthentication" { print $2 }')"
    say sshd-kbdint "$(sshd -T 2>&1 | awk '$1 == "kbdinteractiveauthentication" { print $2 }')"
    cp "$B/id_test" /tmp/id_test && chmod 600 /tmp/id_test
    opts="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=20"
    # shellcheck disable=SC2086
    say ssh-password-login "$(ssh $opts -o PubkeyAuthentication=no -o PreferredAuthentications=password,keyboard-interactive root@127.0.0.1 true 2>&1 | tail -n 1)"
    # shellcheck disable=SC2086
    say ssh-key-login "$(ssh $opts -i /tmp/id_test root@127.0.0.1 echo key-login-works 2>&1 | tail -n 1)"
    # Power cut: a notice, then the host kills qemu at once.
    if runuser -u bangtin -- bangtin notify --title "$(cat "$B/notice-title")" \
        --body "$(cat "$B/notice-body")" --expires 2d >/tmp/notify.out 2>&1; then
        say notified yes
    else
        say notified "no: $(tr '\n' '|' </tmp/notify.out)"
    fi
    sleep 600
    ;;
after-cut)
    say notice-list "$(bangtin notify --list 2>&1 | tr '\n' '|')"
    say ready-frame
    sleep 8
    # Fleet update: the repository of scripts/apt-repo (signed) on the boot partition is the only
    # source; unattended-upgrades installs the newer bangtin through the read-only root.
    say version-before "$(dpkg-query -W -f '${Version}' bangtin)"
    mkdir -p /run/test-apt/sources.list.d
    printf 'Types: deb\nURIs: file://%s/repo\nSuites: stable\nComponents: main\nSigned-By: %s\n' \
        "$B" "$B/repo/bangtin-archive-keyring.gpg" >/run/test-apt/sources.list.d/bangtin.sources
    printf 'Dir::Etc::SourceList "/dev/null";\nDir::Etc::SourceParts "/run/test-apt/sources.list.d";\n' \
        >/run/test-apt/apt.conf
    export APT_CONFIG=/run/test-apt/apt.conf
    apt-get update -q >/tmp/apt-update.log 2>&1; say apt-update-rc $?
    unattended-upgrade -v >/tmp/uu.log 2>&1; say uu-rc $?
    tail -n 5 /tmp/uu.log | sed 's/^/BTEST uu-log /'
    unset APT_CONFIG
    say version-after "$(dpkg-query -W -f '${Version}' bangtin)"
    say root-options-after "$(findmnt -n -o OPTIONS /)"
    sleep 3
    say service-after "$(systemctl is-active bangtin.service)"
    say done
    systemctl poweroff
    ;;
writes)
    # Steady state: sectors written to the data partition (field 10 of /proc/diskstats) over
    # the given number of seconds of rotation and polling.
    secs=$(cat "$B/writes-seconds")
    part=$(readlink -f /dev/disk/by-partuuid/b4a7f15e-03)
    w() { awk -v d="${part##*/}" '$3 == d { print $10 }' /proc/diskstats; }
    # Who writes: bytes each process sent to storage over the same time (/proc/PID/io), and
    # what the journal took in.
    io() { for f in /proc/[0-9]*/io; do
               p=${f%/io}; p=${p#/proc/}
               printf '%s %s %s\n' "$p" "$(awk '$1 == "write_bytes:" { print $2 }' "$f" 2>/dev/null)" \
                   "$(tr -d '\n' <"/proc/$p/comm" 2>/dev/null)"
           done; }
    sleep 60
    io >/run/io-a
    since=$(date '+%Y-%m-%d %H:%M:%S')
    a=$(w)
    sleep "$secs"
    b=$(w)
    io >/run/io-b
    say writes-sectors "$((b - a)) in $secs s"
    awk 'NR == FNR { a[$1] = $2; next } $2 != "" && $2 - a[$1] > 0 { print $2 - a[$1], $3 }' \
        /run/io-a /run/io-b | sort -rn | head -n 8 | while read -r bytes comm; do
        say writes-by "$comm $bytes"
    done
    say writes-journal-lines "$(journalctl -q --since "$since" -o cat | wc -l)"
    journalctl -q --since "$since" -o short-monotonic | head -n 40 | sed 's/^/BTEST writes-log /'
    say writes-journal-usage "$(journalctl --disk-usage 2>&1)"
    say done
    systemctl poweroff
    ;;
esac
