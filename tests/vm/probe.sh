#!/usr/bin/env bash
# (c) Build the falco_probe kernel module against the cached test kernel's build tree, inside the
# trixie chroot (the tree's objtool/modpost need its glibc, and the module needs its rustc 1.85.1).
# Output: $PROBE_OUT/falco_probe.ko (and falco_floor.ko, the benchmark's reference module): target/probe/
# for the test kernel, target/probe-bench/ for the bench kernel (FALCO_VM_KERNEL, common.sh).
source "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || die "must run as root (chroot, mount)"
[ -f "$KERNEL_OUT/.ready" ] || "$VM_DIR/kernel.sh"
vm_lock   # builds mount into the chroot that guests boot from: one at a time

kdir=/build/kdir                          # inside the chroot
trap 'umount_probe_build' EXIT
umount_probe_build() {
  mountpoint -q "$CHROOT$kdir" && umount -l "$CHROOT$kdir"
  chroot_umount
}
chroot_mount
mkdir -p "$CHROOT$kdir"
mountpoint -q "$CHROOT$kdir" || mount --bind "$KERNEL_OUT/build" "$CHROOT$kdir"
# build_module SRC NAME: copies the sources of SRC into the chroot (cp -p keeps mtimes; build products
# stay in the chroot copy, so make is incremental) and builds NAME.ko into target/probe/.
build_module() {
  local from=$1 name=$2 dst=/build/$2-src-$KERNEL_VARIANT
  mkdir -p "$CHROOT$dst"
  for f in "$CHROOT$dst"/*.rs "$CHROOT$dst"/*.c "$CHROOT$dst"/*.h; do
    [ -e "$f" ] && [ ! -e "$from/$(basename "$f")" ] && rm -f "$f"
  done
  find "$from" -maxdepth 1 -type f \( -name '*.rs' -o -name '*.c' -o -name '*.h' -o -name Kbuild \
    -o -name Makefile -o -name dkms.conf \) -exec cp -p {} "$CHROOT$dst/" \;
  local buildlog="$CACHE_DIR/$name-$KERNEL_VARIANT-build.log"
  if ! in_chroot make -C "$kdir" M="$dst" modules >"$buildlog" 2>&1; then
    grep -v "rustfmt" "$buildlog" | tail -60 >&2
    die "$name build failed (log: $buildlog)"
  fi
  grep -i "warning" "$buildlog" >&2 || true
  mkdir -p "$PROBE_OUT"
  cp "$CHROOT$dst/$name.ko" "$PROBE_OUT/$name.ko"
  log "built ${PROBE_OUT#"$REPO_DIR"/}/$name.ko ($(stat -c %s "$PROBE_OUT/$name.ko") bytes)"
}

log "building the modules against $(cat "$KERNEL_OUT/release")"
build_module "$REPO_DIR/probe" falco_probe
# The benchmark's counting-only reference module (tests/vm/floor).
build_module "$VM_DIR/floor" falco_floor
