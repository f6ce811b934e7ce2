#!/usr/bin/env bash
# Host side. Builds the kernel modules against the cached kernel's build tree, inside the trixie chroot
# (the tree's objtool and modpost need its glibc, and the modules need its rustc 1.85.1): probe/
# (falco_probe.ko) and tests/vm/floor (falco_floor.ko, the benchmark's counting-only reference).
#
# `make probe`: $PROBE_OUT/falco_probe.ko and falco_floor.ko: target/probe/ for the test kernel,
# target/probe-bench/ for the bench kernel (FALCO_VM_KERNEL).
source "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || die "must run as root (chroot, mount)"
[ -f "$KERNEL_OUT/.ready" ] || "$VM_DIR/kernel.sh"
kdir=/build/kdir                          # inside the chroot

# sync_sources FROM DST: mirrors the module sources of FROM (subfolders included) into DST, a folder
# in the chroot. cp -p keeps mtimes, and build products stay in DST, so make stays incremental;
# sources deleted from FROM are deleted from DST (generated *_generated.rs and *.mod.c stay).
sync_sources() {
  local from=$1 dst=$2 f
  mkdir -p "$dst"
  (cd "$dst" && find . -type f \( -name '*.rs' -o -name '*.c' -o -name '*.h' \) \
    ! -name '*_generated.rs' ! -name '*.mod.c') | while IFS= read -r f; do
    [ -e "$from/$f" ] || rm -f "$dst/$f"
  done
  (cd "$from" && find . -type f \( -name '*.rs' -o -name '*.c' -o -name '*.h' -o -name Kbuild \
    -o -name Makefile -o -name dkms.conf \) -exec cp -p --parents {} "$dst/" \;)
}

# kbuild DIR LOG MAKE_ARGS...: runs Kbuild for the module in DIR (a path inside the chroot) against
# the kernel's build tree, with the log in LOG; on failure prints the log's tail.
kbuild() {
  local dir=$1 buildlog=$2
  shift 2
  if ! in_chroot make -C "$kdir" M="$dir" "$@" modules >"$buildlog" 2>&1; then
    grep -v "rustfmt" "$buildlog" | tail -60 >&2
    return 1
  fi
}

vm_lock   # builds mount into the chroot that guests boot from: one at a time
trap 'umount_probe_build' EXIT
umount_probe_build() {
  mountpoint -q "$CHROOT$kdir" && umount -l "$CHROOT$kdir"
  chroot_umount
}
chroot_mount
mkdir -p "$CHROOT$kdir"
mountpoint -q "$CHROOT$kdir" || mount --bind "$KERNEL_OUT/build" "$CHROOT$kdir"
# build_module SRC NAME: builds NAME.ko from SRC in the chroot's copy /build/NAME-src-VARIANT, and
# copies it to $PROBE_OUT.
build_module() {
  local from=$1 name=$2 dst=/build/$2-src-$KERNEL_VARIANT
  local buildlog="$CACHE_DIR/$name-$KERNEL_VARIANT-build.log"
  sync_sources "$from" "$CHROOT$dst"
  kbuild "$dst" "$buildlog" || die "$name build failed (log: $buildlog)"
  grep -i "warning" "$buildlog" >&2 || true
  mkdir -p "$PROBE_OUT"
  cp "$CHROOT$dst/$name.ko" "$PROBE_OUT/$name.ko"
  log "built ${PROBE_OUT#"$REPO_DIR"/}/$name.ko ($(stat -c %s "$PROBE_OUT/$name.ko") bytes)"
}

log "building the modules against $(cat "$KERNEL_OUT/release")"
build_module "$REPO_DIR/probe" falco_probe
build_module "$VM_DIR/floor" falco_floor
