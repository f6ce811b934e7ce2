#!/usr/bin/env bash
# (c) Build the falco_probe kernel module against the cached test kernel's build tree, inside the
# trixie chroot (the tree's objtool/modpost need its glibc, and the module needs its rustc 1.85.1).
# Output: $REPO_DIR/target/probe/falco_probe.ko
source "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || die "must run as root (chroot, mount)"
[ -f "$KERNEL_OUT/.ready" ] || "$VM_DIR/kernel.sh"

src=/build/probe-src                       # paths inside the chroot
kdir=/build/kdir
trap 'umount_probe_build' EXIT
umount_probe_build() {
  mountpoint -q "$CHROOT$kdir" && umount -l "$CHROOT$kdir"
  chroot_umount
}
chroot_mount
mkdir -p "$CHROOT$kdir" "$CHROOT$src"
mountpoint -q "$CHROOT$kdir" || mount --bind "$KERNEL_OUT/build" "$CHROOT$kdir"
# Sources only (cp -p keeps mtimes): build products stay in the chroot copy, so make is incremental.
for f in "$CHROOT$src"/*.rs "$CHROOT$src"/*.c "$CHROOT$src"/*.h; do
  [ -e "$f" ] && [ ! -e "$REPO_DIR/probe/$(basename "$f")" ] && rm -f "$f"
done
find "$REPO_DIR/probe" -maxdepth 1 -type f \( -name '*.rs' -o -name '*.c' -o -name '*.h' -o -name Kbuild \
  -o -name Makefile -o -name dkms.conf \) -exec cp -p {} "$CHROOT$src/" \;
log "building falco_probe against $(cat "$KERNEL_OUT/release")"
buildlog="$CACHE_DIR/probe-build.log"
if ! in_chroot make -C "$kdir" M="$src" modules >"$buildlog" 2>&1; then
  grep -v "rustfmt" "$buildlog" | tail -60 >&2
  die "module build failed (log: $buildlog)"
fi
mkdir -p "$REPO_DIR/target/probe"
cp "$CHROOT$src/falco_probe.ko" "$REPO_DIR/target/probe/falco_probe.ko"
log "built target/probe/falco_probe.ko ($(stat -c %s "$REPO_DIR/target/probe/falco_probe.ko") bytes)"
