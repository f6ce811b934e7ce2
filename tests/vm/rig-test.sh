#!/usr/bin/env bash
# Host side. The VM rig's bookkeeping on a fresh machine, in seconds and without a guest (part of
# `make vm-test`, run first). A fresh machine has an empty cache: no runs folder, nothing to prune.
# run-guest.sh once exited silently there (an `ls` of a glob that matched nothing, under pipefail),
# and every VM target failed on fresh machines only. Here run-guest.sh runs on an empty cache folder
# with a stand-in for qemu-system-x86_64 that plays guest/init.sh's part on the host (run the scenario in the scratch
# dir, write rc and the completion marker), so everything but the guest is the real rig.
set -euo pipefail
VM_DIR=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/falco-rig-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export FALCO_VM_CACHE="$tmp/cache"
fail() { echo "rig-test: FAIL: $*" >&2; exit 1; }

# Only the cache paths of common.sh, with the empty cache: CHROOT and KERNEL_OUT exist as markers.
# shellcheck source=common.sh
source "$VM_DIR/common.sh"
mkdir -p "$CHROOT" "$KERNEL_OUT"
touch "$CHROOT/.ready" "$KERNEL_OUT/.ready" "$KERNEL_OUT/bzImage"
[ ! -e "$CACHE_DIR/runs" ] || fail "the cache is not empty"

mkdir -p "$tmp/bin"
cat >"$tmp/bin/qemu-system-x86_64" <<'QEMU'
#!/bin/sh
# Stand-in guest: finds the scratch export and the serial log in the arguments, runs the scenario.
for a in "$@"; do
  case "$a" in
    local,id=s,path=*) scratch=${a#local,id=s,path=}; scratch=${scratch%%,*} ;;
    file:*) serial=${a#file:} ;;
  esac
done
cd "$scratch" || exit 1
echo "FALCO_VM_BOOTED stand-in" >"$serial"
sh ./scenario.sh >result.log 2>&1
echo "$?" >rc
echo "FALCO_VM_DONE" >>"$serial"
QEMU
chmod +x "$tmp/bin/qemu-system-x86_64"
printf 'echo "scenario ran with %s"\ncat input.txt\n' '$*' >"$tmp/scenario.sh"
echo "an input file" >"$tmp/input.txt"

# 1. A run on a cache that has never had one.
out=$(PATH="$tmp/bin:$PATH" "$VM_DIR/run-guest.sh" --timeout 30 "$tmp/scenario.sh" "$tmp/input.txt") \
  || fail "run-guest.sh failed on an empty cache (rc=$?)"
[ -d "$out" ] || fail "run-guest.sh printed no scratch dir (got '$out')"
grep -q "an input file" "$out/result.log" || fail "the scenario did not see its input: $(cat "$out/result.log")"

# 2. Before a run, pruning keeps the 30 newest earlier runs.
for i in $(seq 1 35); do
  d="$CACHE_DIR/runs/old.$i"; mkdir -p "$d"; touch -d "@$((1000000000 + i))" "$d"
done
PATH="$tmp/bin:$PATH" "$VM_DIR/run-guest.sh" --timeout 30 "$tmp/scenario.sh" "$tmp/input.txt" >/dev/null \
  || fail "run-guest.sh failed with old runs to prune"
n=$(find "$CACHE_DIR/runs" -mindepth 1 -maxdepth 1 -type d | wc -l)
[ "$n" = 31 ] || fail "expected 30 earlier runs and the new one, found $n"
[ ! -e "$CACHE_DIR/runs/old.1" ] || fail "the oldest run was kept"
[ -e "$CACHE_DIR/runs/old.35" ] || fail "a recent run was pruned"
echo "rig-test: the rig's bookkeeping works on an empty cache (run, scratch, pruning)"
