#!/usr/bin/env bash
# Host side. Builds the kernel modules against the cached kernel's build tree, inside the trixie chroot
# (the tree's objtool and modpost need its glibc, and the modules need its rustc 1.85.1): probe/
# (falco_probe.ko) and tests/vm/floor (falco_floor.ko, the benchmark's counting-only reference).
#
#   modules.sh          `make probe`: $PROBE_OUT/falco_probe.ko and falco_floor.ko: target/probe/ for
#                       the test kernel, target/probe-bench/ for the bench kernel (FALCO_VM_KERNEL)
#   modules.sh --lint   `make lint`: both modules built with clippy (CLIPPY=1) and the kernel's lints,
#                       clippy::undocumented_unsafe_blocks among them, warnings denied; nothing kept
#   modules.sh --lint DIR   the same for the falco_probe sources in DIR only (lint-test.sh)
#
# The lint build runs in a mount namespace of its own (unshare), so the chroot mounts it needs are
# invisible to a guest booting that chroot at the same time, and it does not wait for vm.lock.
source "$(dirname "$0")/common.sh"

lint=0 lint_dir=""
[ "${1:-}" = --lint ] && lint=1 lint_dir=${2:-}
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

if [ "$lint" = 1 ]; then
  in_chroot sh -c 'command -v clippy-driver' >/dev/null \
    || die "no clippy-driver in $CHROOT (rust-clippy is in chroot-packages.txt: an older chroot?)"
  work=$(mktemp -d "$CHROOT/build/lint.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # lint_module SRC NAME: builds a fresh copy of SRC with clippy, every warning an error.
  lint_module() {
    local from=$1 name=$2
    sync_sources "$from" "$work/$name"
    kbuild "${work#"$CHROOT"}/$name" "$work/$name.log" CLIPPY=1 KRUSTFLAGS=-Dwarnings KCFLAGS=-Werror \
      || die "$name: clippy or the kernel's lints failed (above)"
    log "$name: clippy and the kernel's lints are clean"
  }
  export -f sync_sources kbuild lint_module in_chroot log die
  export CHROOT KERNEL_OUT REPO_DIR VM_DIR kdir work lint_dir
  # The mounts below exist only in this namespace, and end with it.
  unshare --mount --propagation private bash -euo pipefail -c '
    mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
    mountpoint -q "$CHROOT/dev" || mount --bind /dev "$CHROOT/dev"
    mkdir -p "$CHROOT$kdir"
    mount --bind "$KERNEL_OUT/build" "$CHROOT$kdir"
    if [ -n "$lint_dir" ]; then
      lint_module "$lint_dir" falco_probe
    else
      lint_module "$REPO_DIR/probe" falco_probe
      lint_module "$VM_DIR/floor" falco_floor
    fi'
  exit 0
fi

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
