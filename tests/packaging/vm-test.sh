#!/usr/bin/env bash
# `make vm-packaging-test`: the falco .deb in the test VM (issue 7's acceptance).
#   1. an overlay of the VM rig's trixie chroot, over a cached layer that adds dkms and the test
#      kernel's build tree where the kernel expects it (/lib/modules/R/build -> /usr/src/linux-headers-R);
#   2. `dpkg -i falco_*.deb` in it: postinst builds and installs the module with DKMS for R;
#   3. the VM boots R with that root and runs tests/vm/guest/packaging.sh: falco.service's
#      commands, a live detection from the installed files, the loader in container mode;
#   4. `dpkg -r` removes the module and the files (`dpkg -P` then the conffiles).
# Needs root (overlayfs, chroot). Args: [DEB] (default: target/packaging/falco_VERSION-1_amd64.deb).
source "$(dirname "$0")/../vm/common.sh"
[ "$(id -u)" = 0 ] || die "must run as root (overlay mounts, chroot, 9p passthrough)"
VERSION=$("$REPO_DIR/packaging/version.sh")
deb=${1:-$REPO_DIR/target/packaging/falco_${VERSION}-1_amd64.deb}
[ -f "$deb" ] || die "$deb is missing: run 'make deb' first"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || die "this kernel has no overlayfs, which the test uses to keep the cached chroot pristine"
"$VM_DIR/chroot.sh"
"$VM_DIR/kernel.sh"
REL=$(cat "$KERNEL_OUT/release")
# The chroot is this test's lower layer: hold the rig's lock while we build on it, but release it
# around run-guest.sh, which takes it itself (flock on a fresh open of the same file would deadlock).
vm_lock

# --- 1. the cached layer: dkms + the build tree, as an overlay upper dir over the chroot.
# Keyed by what goes into it (not by this whole script, so editing the test does not rebuild it).
LAYER_PACKAGES="dkms openssl"
LAYER_KEY=$(key <(echo "$CHROOT_KEY $KERNEL_KEY $LAYER_PACKAGES build-tree-at-usr-src layer-v1"))
LAYER="$CACHE_DIR/pkg-layer-$LAYER_KEY"
mount_overlay() { # LOWER UPPER WORK MERGED
  mkdir -p "$2" "$3" "$4"
  mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$4"
}
mount_sys() { mount -t proc proc "$1/proc"; mount --bind /dev "$1/dev"; }
umount_sys() { for m in "$1/dev" "$1/proc"; do mountpoint -q "$m" && umount -l "$m"; done; return 0; }
in_root() { chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "${@:2}"; }

if [ ! -f "$LAYER/.ready" ]; then
  log "building the packaging layer (dkms, build tree of $REL) in $LAYER"
  t="$LAYER.tmp"
  mountpoint -q "$t/merged" && { umount_sys "$t/merged"; umount -l "$t/merged"; }
  rm -rf "$t"
  mount_overlay "$CHROOT" "$t/upper" "$t/work" "$t/merged"
  trap 'umount_sys "$t/merged"; umount -l "$t/merged" 2>/dev/null || true' EXIT
  mount_sys "$t/merged"
  in_root "$t/merged" apt-get update -q >"$CACHE_DIR/pkg-layer.log" 2>&1 \
    && in_root "$t/merged" apt-get install -y -q --no-install-recommends $LAYER_PACKAGES >>"$CACHE_DIR/pkg-layer.log" 2>&1 \
    || { tail -20 "$CACHE_DIR/pkg-layer.log"; die "installing dkms in the chroot overlay failed (log: $CACHE_DIR/pkg-layer.log)"; }
  in_root "$t/merged" apt-get clean
  mkdir -p "$t/merged/usr/src/linux-headers-$REL" "$t/merged/lib/modules/$REL"
  cp -a "$KERNEL_OUT/build/." "$t/merged/usr/src/linux-headers-$REL/"
  ln -sfn "/usr/src/linux-headers-$REL" "$t/merged/lib/modules/$REL/build"
  in_root "$t/merged" depmod "$REL" || true
  umount_sys "$t/merged"; umount "$t/merged"; trap - EXIT
  touch "$t/upper/.ready"
  rm -rf "$LAYER"; mv "$t/upper" "$LAYER"; rm -rf "$t"
  log "packaging layer ready"
  # Layers of older chroots or kernels are dead weight (about 300 MB each).
  for old in "$CACHE_DIR/pkg-layer-"*; do
    [ "$old" = "$LAYER" ] || remove_cached "$old"
  done
fi

# --- 2. a throwaway root: the chroot, the layer, and this run's changes.
mkdir -p "$CACHE_DIR/runs"
run=$(mktemp -d "$CACHE_DIR/runs/pkg.XXXXXX")
root="$run/root"
mount_overlay "$LAYER:$CHROOT" "$run/upper" "$run/work" "$root"
cleanup() { umount_sys "$root"; mountpoint -q "$root" && umount -l "$root"; return 0; }
trap cleanup EXIT
mount_sys "$root"
fails=0
check() { # NAME CMD...: a host-side check
  if "${@:2}"; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi
}

cp "$deb" "$root/tmp/"
log "dpkg -i $(basename "$deb") (postinst builds the module with DKMS for $REL)"
start=$(date +%s)
if ! in_root "$root" dpkg -i "/tmp/$(basename "$deb")" >"$run/dpkg-i.log" 2>&1; then
  cat "$run/dpkg-i.log"; die "dpkg -i failed (root kept in $run)"
fi
log "dpkg -i took $(( $(date +%s) - start )) s"
cat "$run/dpkg-i.log"
ko="$root/lib/modules/$REL/updates/dkms/falco_probe.ko"
check "dkms status: installed for $REL" grep -q "falco-probe/$VERSION, $REL, x86_64: installed" <(in_root "$root" dkms status)
check "module installed at /lib/modules/$REL/updates/dkms" test -f "$ko"
check "module vermagic is $REL" grep -qa "vermagic=$REL " "$ko"
for f in /usr/bin/falco /usr/bin/falco-probe-loader /etc/falco/falco.yaml /etc/falco/falco_rules.yaml \
         /etc/falco/falco_rules.local.yaml /lib/systemd/system/falco.service "/usr/src/falco-probe-$VERSION/dkms.conf"; do
  check "installed $f" test -e "$root$f"
done
[ "$fails" = 0 ] || die "$fails install checks failed (root kept in $run)"

# --- 3. boot the test kernel on that root.
umount_sys "$root"
exec 9>&-
set +e
out=$(VM_ROOT="$root" "$VM_DIR/run-guest.sh" --timeout 900 --smp 2 --mem 1536 --args "${FALCO_VM_EXPECT:-shadow}" \
  "$VM_DIR/guest/packaging.sh")
rc=$?
set -e
[ -f "$out/result.log" ] && cat "$out/result.log"
if [ "$rc" != 0 ]; then
  tail -30 "$out/dmesg.txt" 2>/dev/null >&2 || tail -30 "$out/serial.log" >&2
  log "the packaging scenario failed in the VM (rc=$rc, results in $out); checking removal anyway"
fi

# --- 4. removal.
vm_lock
mount_sys "$root"
in_root "$root" dpkg -r falco >"$run/dpkg-r.log" 2>&1 || { cat "$run/dpkg-r.log"; die "dpkg -r failed"; }
cat "$run/dpkg-r.log"
check "dpkg -r: module removed" test ! -e "$ko"
check "dpkg -r: dkms has no falco-probe" test -z "$(in_root "$root" dkms status -m falco-probe)"
for f in /usr/bin/falco /usr/bin/falco-probe-loader /lib/systemd/system/falco.service "/usr/src/falco-probe-$VERSION"; do
  check "dpkg -r: removed $f" test ! -e "$root$f"
done
check "dpkg -r: conffiles kept" test -f "$root/etc/falco/falco.yaml"
in_root "$root" dpkg -P falco >"$run/dpkg-p.log" 2>&1 || { cat "$run/dpkg-p.log"; die "dpkg -P failed"; }
check "dpkg -P: /etc/falco removed" test ! -e "$root/etc/falco"
check "dpkg -P: package gone" test -z "$(in_root "$root" dpkg-query -W -f='${Status}' falco 2>/dev/null | grep -v not-installed)"
[ "$fails" = 0 ] || die "$fails removal checks failed (root kept in $run)"
[ "$rc" = 0 ] || die "the packaging scenario failed in the VM (rc=$rc, results in $out)"
cleanup; trap - EXIT
rm -rf "$run"
log "VM packaging test passed (guest results in $out)"
