#!/usr/bin/env bash
# Host side. Boots the cached kernel under QEMU (TCG: these hosts' /dev/kvm cannot run ordinary
# guests) with the chroot as a read-only 9p root and a writable 9p scratch export, runs a guest
# scenario script (tests/vm/guest/) with guest/init.sh as PID 1, and brings back its output, exit
# code and dmesg.
#
#   run-guest.sh [options] SCENARIO [FILE...]
#     SCENARIO   shell script run in the guest as `sh scenario.sh $SCENARIO_ARGS` from the scratch dir
#     FILE...    copied into the scratch dir (binaries, the module)
#   options: --out DIR (scratch dir, default a fresh one under $CACHE_DIR/runs), --timeout S (600),
#            --smp N (2), --mem MB (1024), --icount (guest time = instructions: -icount shift=0),
#            --args "..." (SCENARIO_ARGS), --first-timeout S (the first attempt's timeout; the
#            rig's own regression test, retry-test.sh, uses it to force a retry)
# The guest sees FALCO_VM_ATTEMPT (1, or 2 on the retry) in its environment.
# Prints the scratch dir on stdout; exits with the scenario's exit code (or 100+ on rig failures).
source "$(dirname "$0")/common.sh"

out="" timeout=600 first_timeout="" smp=2 mem=1024 icount=0 args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --first-timeout) first_timeout=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --icount) icount=1; shift ;;
    --args) args=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || die "usage: run-guest.sh [options] SCENARIO [FILE...]"
scenario=$1; shift
[ "$(id -u)" = 0 ] || die "must run as root (the chroot is root-owned; 9p passthrough)"
[ -f "$CHROOT/.ready" ] || "$VM_DIR/chroot.sh"
[ -f "$KERNEL_OUT/.ready" ] || "$VM_DIR/kernel.sh"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86 missing"
vm_lock   # builds mount into the chroot that guests boot from: one at a time

# Keep the 30 newest runs' results (a live test's run holds a capture and the binaries).
prune_runs 30
if [ -z "$out" ]; then
  out=$(mktemp -d "$CACHE_DIR/runs/run.XXXXXX")
fi
mkdir -p "$out"
# A retry must not see what the failed attempt wrote (appended alert files, partial captures):
# each boot starts from a scratch dir holding only the inputs, copied from a pristine set.
inputs="$out/.inputs"
mkdir -p "$inputs"
cp "$scenario" "$inputs/scenario.sh"
for f in "$@"; do cp "$f" "$inputs/"; done
fresh_scratch() {
  find "$out" -mindepth 1 -maxdepth 1 ! -name .inputs ! -name 'attempt*.serial.log' -exec rm -rf {} +
  cp -a "$inputs/." "$out/"
}

# The guest root must not carry the host's /proc, /dev or build bind mounts.
chroot_umount
mountpoint -q "$CHROOT/build/kdir" && umount -l "$CHROOT/build/kdir"
# VM_ROOT (hook for tests/packaging/vm-test.sh): boot another root than the chroot, e.g. an overlay
# of it with the falco package installed. The caller unmounts what it mounted there.
root=${VM_ROOT:-$CHROOT}
mkdir -p "$root/lab/scratch"
install -m 0755 "$VM_DIR/guest/init.sh" "$root/lab/init.sh"

accel=(-accel tcg)
[ "$icount" = 1 ] && accel=(-accel tcg -icount shift=0)
# no_timer_check: on a loaded host, TCG runs the guest so slowly that the kernel's early check of the
# timer interrupt times out and panics ("IO-APIC + timer doesn't work!"); QEMU's timer works.
boot() {
  fresh_scratch
  local t=$timeout
  [ "$attempt" = 1 ] && [ -n "$first_timeout" ] && t=$first_timeout
  timeout --kill-after=10 "$t" qemu-system-x86_64 -nodefaults -no-user-config -machine ${VM_MACHINE:-q35} \
    "${accel[@]}" -cpu max -smp "$smp" -m "$mem" -display none -monitor none -no-reboot \
    -serial "file:$out/serial.log" -kernel "$KERNEL_OUT/bzImage" \
    -append "console=ttyS0 root=r rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro init=/lab/init.sh panic=-1 no_timer_check FALCO_VM_ATTEMPT=$attempt SCENARIO_ARGS=\"$args\"" \
    -fsdev "local,id=r,path=$root,security_model=passthrough,readonly=on" \
    -device virtio-9p-pci,fsdev=r,mount_tag=r \
    -fsdev "local,id=s,path=$out,security_model=passthrough" \
    -device virtio-9p-pci,fsdev=s,mount_tag=scratch \
    >"$out/qemu.log" 2>&1
}

start=$(date +%s)
for attempt in 1 2; do
  boot || true
  grep -q "FALCO_VM_DONE" "$out/serial.log" 2>/dev/null && break
  # A hang or an early boot failure: one retry (an early hang happens about 1 boot in 16 under load).
  log "attempt $attempt: no completion marker after $(( $(date +%s) - start )) s; serial tail:"
  tail -5 "$out/serial.log" 2>/dev/null >&2 || true
  cp "$out/serial.log" "$out/attempt$attempt.serial.log" 2>/dev/null || true
  [ "$attempt" = 2 ] && { echo "$out"; exit 101; }
done
rc=$(cat "$out/rc" 2>/dev/null || echo 102)
log "guest finished in $(( $(date +%s) - start )) s, scenario rc=$rc (results in $out)"
echo "$out"
exit "$rc"
