# Shared settings for the VM rig. Sourced by the other scripts in tests/vm.
# Slow artefacts (chroot, kernel) live outside the repo, keyed by a hash of their inputs,
# so a second run (or a CI machine with a warm cache) skips them.
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$VM_DIR/../.." && pwd)
CACHE_DIR=${FALCO_VM_CACHE:-/var/cache/falco-vm}
KERNEL_SERIES=7.3
JOBS=${JOBS:-$(nproc)}

log() { printf '[vm %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# key FILE... : a short content hash of the given inputs. Shell scripts are hashed without their
# comment and blank lines, so editing a comment does not rebuild what they build; other files (the
# kernel config fragments, whose "# CONFIG_X is not set" lines count) are hashed whole.
key() {
  local f
  for f in "$@"; do
    case "$f" in
      *.sh) grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$f" ;;
      *) cat "$f" ;;
    esac
  done | sha256sum | cut -c1-16
}

CHROOT_KEY=$(key "$VM_DIR/chroot.sh" "$VM_DIR/chroot-packages.txt")
CHROOT="$CACHE_DIR/chroot-$CHROOT_KEY"
# FALCO_VM_KERNEL picks the guest kernel. "test" (the default) keeps the debug checks that catch probe
# bugs (sleeping in atomic context, per-CPU use while preemptible); "bench" (make bench-probe) is the
# same kernel without them, as production kernels are built: the checks tax every syscall tracepoint.
KERNEL_VARIANT=${FALCO_VM_KERNEL:-test}
KERNEL_FRAGMENTS=("$VM_DIR/kernel.config")
case "$KERNEL_VARIANT" in
  test) ;;
  bench) KERNEL_FRAGMENTS+=("$VM_DIR/kernel-bench.config") ;;
  *) die "FALCO_VM_KERNEL must be test or bench, not $KERNEL_VARIANT" ;;
esac
KERNEL_KEY=$(key "$VM_DIR/kernel.sh" "${KERNEL_FRAGMENTS[@]}" <(echo "$CHROOT_KEY"))
KERNEL_OUT="$CACHE_DIR/kernel-$KERNEL_VARIANT-$KERNEL_KEY"
# Modules built against that kernel (modules.sh).
PROBE_OUT="$REPO_DIR/target/probe"
[ "$KERNEL_VARIANT" = test ] || PROBE_OUT="$REPO_DIR/target/probe-$KERNEL_VARIANT"

# Bind mounts the chroot needs for builds; they must be gone before the chroot boots as a 9p root.
chroot_mount() {
  mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
  mountpoint -q "$CHROOT/dev" || mount --bind /dev "$CHROOT/dev"
}
chroot_umount() {
  for m in "$CHROOT/dev" "$CHROOT/proc" "$CHROOT/src"; do
    if mountpoint -q "$m"; then umount -l "$m" || true; fi
  done
}
# remove_cached DIR: deletes a stale cache entry, unless something is mounted at or below it (a run
# that died with the host's /dev bind-mounted in its root must not take /dev with it).
remove_cached() {
  local d
  d=$(realpath -m "$1")
  if awk -v d="$d" '$5 == d || index($5, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
    log "keeping $d: something is mounted below it"
    return 0
  fi
  rm -rf "$d"
}
# prune_runs KEEP: deletes all but the KEEP newest folders of $CACHE_DIR/runs. A fresh machine has
# none, and the bookkeeping must not fail there (rig-test.sh runs it on an empty cache).
prune_runs() {
  local keep=$1 d
  mkdir -p "$CACHE_DIR/runs"
  find "$CACHE_DIR/runs" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' | sort -rn \
    | tail -n +"$((keep + 1))" | cut -d' ' -f2- | while IFS= read -r d; do remove_cached "$d"; done
}
in_chroot() { chroot "$CHROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

# vm_lock: serializes what mounts into the chroot (module builds) with what boots it (run-guest.sh): a guest
# must never see the host's /proc or /dev through its 9p root. Held until the calling script exits.
vm_lock() {
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/vm.lock"
  flock -w 3600 9 || die "timed out waiting for $CACHE_DIR/vm.lock"
}
