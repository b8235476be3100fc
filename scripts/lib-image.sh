#!/bin/bash
# Shared helpers of scripts/image and scripts/test-image (sourced), and the mmdebstrap hooks of
# the image's base root (run as `lib-image.sh essential-hook|customize-hook ROOT …`).
# shellcheck shell=bash

binfmt_dir=/proc/sys/fs/binfmt_misc
binfmt_mounted=0
binfmt_registered=
# Make sure the kernel runs foreign binaries through qemu-user-static's rule with the F flag
# (the interpreter is opened at registration, so it is found inside a chroot). The same lock
# as scripts/test-deb-chroot and scripts/test-service: they may run at the same time.
binfmt_acquire() { # name, e.g. qemu-aarch64
    local name=$1
    exec 8>/run/lock/bangtin-test-deb-chroot.lock
    flock 8
    if [ ! -e "$binfmt_dir/register" ]; then
        mount -t binfmt_misc binfmt_misc "$binfmt_dir"
        binfmt_mounted=1
    fi
    if [ -e "$binfmt_dir/$name" ] && ! grep -q '^flags:.*F' "$binfmt_dir/$name"; then
        echo -1 >"$binfmt_dir/$name"
    fi
    if [ ! -e "$binfmt_dir/$name" ]; then
        if [ -f "/usr/lib/binfmt.d/$name.conf" ]; then
            grep -v '^#' "/usr/lib/binfmt.d/$name.conf" >"$binfmt_dir/register"
        else
            update-binfmts --enable "$name"
        fi
        binfmt_registered=$name
    fi
    grep -q '^enabled' "$binfmt_dir/$name" || { echo "binfmt_misc: $name not enabled" >&2; return 1; }
}
binfmt_release() {
    if [ -n "$binfmt_registered" ] && [ -e "$binfmt_dir/$binfmt_registered" ]; then
        echo -1 >"$binfmt_dir/$binfmt_registered"
    fi
    [ "$binfmt_mounted" = 1 ] && umount "$binfmt_dir"
    binfmt_registered=
    binfmt_mounted=0
    exec 8>&-
}

# The MBR disk identifier of the image: the partitions are PARTUUID=<id>-01/-02/-03.
image_disk_id=b4a7f15e

# Byte offset and size of partition N of a disk image (from sfdisk's JSON dump).
part_offset() { # image n
    sfdisk --json "$1" | python3 -c 'import json,sys
p = json.load(sys.stdin)["partitiontable"]["partitions"][int(sys.argv[1]) - 1]
print(p["start"] * 512)' "$2"
}
part_size() { # image n
    sfdisk --json "$1" | python3 -c 'import json,sys
p = json.load(sys.stdin)["partitiontable"]["partitions"][int(sys.argv[1]) - 1]
print(p["size"] * 512)' "$2"
}

# --- base-hooks (part of the cache key of the base root) -------------------------------------
# essential-hook: before the kernel and initramfs-tools are installed, divert update-initramfs
# to a no-op. Under qemu-user every mkinitramfs run takes ~13 minutes (MODULES=most); the
# package scripts would run it twice. The customize-hook runs it once, with a short list.
hook_essential() { # root
    chroot "$1" dpkg-divert --quiet --local --rename \
        --divert /usr/sbin/update-initramfs.bangtin --add /usr/sbin/update-initramfs
    printf '#!/bin/sh\necho "update-initramfs: deferred by scripts/image"\n' \
        >"$1/usr/sbin/update-initramfs"
    chmod 0755 "$1/usr/sbin/update-initramfs"
    mkdir -p "$1/boot/firmware"
}
hook_customize() { # root modules-list
    rm -f "$1/usr/sbin/update-initramfs"
    chroot "$1" dpkg-divert --quiet --local --rename --remove /usr/sbin/update-initramfs
    grep -v '^#' "$2" >>"$1/etc/initramfs-tools/modules"
    printf '# scripts/image: only the modules listed in ../modules (and their dependencies)\n%s\n' \
        'MODULES=list' >"$1/etc/initramfs-tools/conf.d/bangtin"
    # Runs raspi-firmware's post-update hook too: the initrd lands in /boot/firmware.
    chroot "$1" update-initramfs -c -k all
    chroot "$1" apt-get clean
}
# --- end-base-hooks ----------------------------------------------------------------------------

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
    essential-hook) hook_essential "$2" ;;
    customize-hook) hook_customize "$2" "$3" ;;
    *) echo "usage: $0 essential-hook ROOT | customize-hook ROOT MODULES" >&2; exit 2 ;;
    esac
fi
