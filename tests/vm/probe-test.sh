#!/usr/bin/env bash
# Host side of `make vm-test` (20 cycles) and `make soak` (100): builds the chroot, kernel and modules
# if needed, and probe-check, then boots the guest and runs guest/probe.sh in it (acceptance, a
# stalled reader, CYCLES insmod/storm/rmmod cycles). Args: CYCLES [STORM_SECONDS].
source "$(dirname "$0")/common.sh"
cycles=${1:-20}
storm=${2:-2}
"$VM_DIR/chroot.sh"
"$VM_DIR/kernel.sh"
"$VM_DIR/modules.sh"
log "building probe-check"
(cd "$REPO_DIR" && ${CARGO:-cargo} build --release -q -p probe-check) || die "probe-check build failed"
# Each cycle is a boot-free insmod/storm/rmmod; allow ~20 s per cycle under TCG on top of the rest.
timeout=$(( 240 + cycles * (storm + 20) ))
set +e
out=$("$VM_DIR/run-guest.sh" --timeout "$timeout" --smp 2 --mem 1024 --args "$cycles $storm" \
  "$VM_DIR/guest/probe.sh" "$REPO_DIR/target/probe/falco_probe.ko" "$REPO_DIR/target/release/probe-check")
rc=$?
set -e
[ -f "$out/result.log" ] && cat "$out/result.log"
if [ "$rc" != 0 ]; then
  log "guest dmesg tail:"; tail -30 "$out/dmesg.txt" 2>/dev/null >&2 || tail -30 "$out/serial.log" >&2
  die "VM probe tests failed (rc=$rc, results in $out)"
fi
# The engine's view of what the probe wrote (falco is built by `make build`).
if [ -x "$REPO_DIR/target/release/falco" ] && [ -f "$out/acceptance.scap" ]; then
  log "the acceptance workload as the engine renders it:"
  "$REPO_DIR/target/release/falco" inspect "$out/acceptance.scap" \
    "evt.type in (clone3, execve, connect, procexit) or fd.name contains falco-acceptance" | head -20 >&2 || true
fi
log "VM probe tests passed ($cycles cycles; results in $out)"
