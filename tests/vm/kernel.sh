#!/usr/bin/env bash
# Host side. Builds Debian's linux-source-7.3 with a small Rust-enabled config (tinyconfig +
# kernel.config, and kernel-bench.config for FALCO_VM_KERNEL=bench) inside the trixie chroot. Output,
# cached under $KERNEL_OUT and keyed by this script, the config fragments and the chroot (common.sh):
#   bzImage         the guest kernel
#   build/          a pruned build tree (KDIR) for out-of-tree modules, Rust artefacts included
#   release         the kernel release string (uname -r in the guest)
source "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || die "must run as root"
if [ -f "$KERNEL_OUT/.ready" ]; then log "kernel cached: $KERNEL_OUT"; exit 0; fi
[ -f "$CHROOT/.ready" ] || "$VM_DIR/chroot.sh"
# The build mounts /proc and /dev into the chroot that guests boot from, and two builds of one key
# would share a tree: one at a time, then check again whether another run built it meanwhile.
vm_lock
if [ -f "$KERNEL_OUT/.ready" ]; then log "kernel cached: $KERNEL_OUT"; exit 0; fi

src="/build/linux-$KERNEL_KEY"          # path inside the chroot
tree="$CHROOT$src"
trap chroot_umount EXIT
chroot_mount
if [ ! -f "$tree/Makefile" ]; then
  log "extracting linux-source-$KERNEL_SERIES"
  rm -rf "$tree.tmp"; mkdir -p "$tree.tmp"
  in_chroot tar -C "$src.tmp" --strip-components=1 -xaf "/usr/src/linux-source-$KERNEL_SERIES.tar.xz"
  mv "$tree.tmp" "$tree"
fi
cat "${KERNEL_FRAGMENTS[@]}" >"$tree/falco-test.config"
kmake() { in_chroot make -C "$src" ARCH=x86_64 "$@"; }
kmake -s rustavailable
kmake -s tinyconfig
in_chroot sh -c "cd $src && ./scripts/kconfig/merge_config.sh -m .config falco-test.config" >/dev/null
kmake -s olddefconfig
# Every =y the fragments ask for must survive olddefconfig (a silently dropped CONFIG_RUST would waste
# the build), and every "is not set" must stay unset. A later fragment overrides an earlier one.
missing=$(awk 'FILENAME != cfg && /^CONFIG_[A-Z0-9_]+=y$/ { split($0, kv, "="); want[kv[1]] = "y" }
  FILENAME != cfg && /^# CONFIG_[A-Z0-9_]+ is not set$/ { want[$2] = "n" }
  FILENAME == cfg { split($0, kv, "="); have[kv[1]] = kv[2] }
  END { for (o in want) if ((want[o] == "y") != (have[o] == "y")) printf " %s (wanted %s)", o, want[o] }' \
  cfg="$tree/.config" "${KERNEL_FRAGMENTS[@]}" "$tree/.config")
[ -z "$missing" ] || die "kernel config lost options: $missing"

log "building the $KERNEL_VARIANT kernel with -j$JOBS (a fresh build takes a while)"
start=$(date +%s)
buildlog="$CACHE_DIR/kernel-$KERNEL_VARIANT-build.log"
kmake -j"$JOBS" bzImage modules >"$buildlog" 2>&1 || { tail -40 "$buildlog"; die "kernel build failed"; }
log "kernel built in $(( $(date +%s) - start )) s"

out="$KERNEL_OUT.tmp"; rm -rf "$out"; mkdir -p "$out"
kmake -s kernelrelease >"$out/release"
cp "$tree/arch/x86/boot/bzImage" "$out/bzImage"
# A pruned KDIR: what an out-of-tree (Rust) module build needs, as the kernel's own packaging would ship it.
kmake -s run-command KBUILD_RUN_COMMAND="\$(srctree)/scripts/package/install-extmod-build /build/kdir-$KERNEL_KEY" >/dev/null
kdir="$CHROOT/build/kdir-$KERNEL_KEY"
cp "$tree/.config" "$kdir/.config"
mkdir -p "$kdir/scripts" "$kdir/rust"
cp "$tree/scripts/target.json" "$kdir/scripts/" 2>/dev/null || true
cp "$tree"/rust/*.rmeta "$tree"/rust/*.so "$kdir/rust/"
mv "$kdir" "$out/build"
rm -rf "$tree"                            # 2 GB of objects we no longer need
touch "$out/.ready"
rm -rf "$KERNEL_OUT"; mv "$out" "$KERNEL_OUT"
# Kernels of this variant built from older inputs are dead weight (about 300 MB each).
for old in "$CACHE_DIR/kernel-$KERNEL_VARIANT-"*; do
  [ "$old" = "$KERNEL_OUT" ] || remove_cached "$old"
done
log "kernel ready: $KERNEL_OUT ($(cat "$KERNEL_OUT/release"))"
