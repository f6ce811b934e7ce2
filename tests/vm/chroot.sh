#!/usr/bin/env bash
# Host side. Builds the Debian trixie chroot with the kernel's Rust toolchain (rustc 1.85.1, rust-src,
# bindgen 0.71, and clippy for `make lint`), cached under $CHROOT and keyed by this script and
# chroot-packages.txt (common.sh). It is the build environment for the kernel and the modules, and
# the guest's read-only 9p root filesystem.
source "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mount)"
if [ -f "$CHROOT/.ready" ]; then log "chroot cached: $CHROOT"; exit 0; fi

command -v debootstrap >/dev/null || die "debootstrap missing: apt-get install -t bookworm debootstrap"
vm_lock   # two runs must not debootstrap into one directory; the other may have finished meanwhile
if [ -f "$CHROOT/.ready" ]; then log "chroot cached: $CHROOT"; exit 0; fi
tmp="$CHROOT.tmp"
if [ -d "$tmp" ]; then
  for m in "$tmp/proc" "$tmp/dev"; do mountpoint -q "$m" && umount -l "$m"; done
  rm -rf "$tmp"
fi
log "debootstrap trixie into $tmp"
debootstrap --variant=minbase --include=ca-certificates trixie "$tmp" http://deb.debian.org/debian >"$CACHE_DIR/debootstrap.log" 2>&1 \
  || { tail -30 "$CACHE_DIR/debootstrap.log"; die "debootstrap failed"; }
echo 'deb http://deb.debian.org/debian trixie-backports main' >"$tmp/etc/apt/sources.list.d/backports.list"
mount -t proc proc "$tmp/proc"
trap 'umount -l "$tmp/proc" 2>/dev/null || true' EXIT
chroot "$tmp" apt-get update -q
# shellcheck disable=SC2046
chroot "$tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  $(grep -v '^#' "$VM_DIR/chroot-packages.txt")
chroot "$tmp" apt-get clean
chroot "$tmp" rustc --version
umount -l "$tmp/proc"; trap - EXIT
mkdir -p "$tmp/build" "$tmp/lab" "$tmp/src"
touch "$tmp/.ready"
mv "$tmp" "$CHROOT"
log "chroot ready: $CHROOT"
