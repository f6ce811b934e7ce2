#!/usr/bin/env bash
# Host side; regression test of the VM rig's retry (part of `make vm-test`). run-guest.sh retries a boot that did not
# finish; the retry used to reuse the scratch dir as the failed attempt left it, so falco's file
# output appended to attempt 1's alerts and CI's live test saw them as alerts of the benign baseline.
# Here attempt 1 writes a file, then hangs until a short first timeout kills it; the retry must not
# see that file, and attempt 1's serial log must be kept for diagnosis.
source "$(dirname "$0")/common.sh"
"$VM_DIR/chroot.sh"
"$VM_DIR/kernel.sh"
set +e
out=$("$VM_DIR/run-guest.sh" --first-timeout 25 --timeout 120 --smp 1 --mem 512 "$VM_DIR/guest/retry.sh")
rc=$?
set -e
cat "$out/result.log" 2>/dev/null || true
[ "$rc" = 0 ] || die "retry test failed (rc=$rc, results in $out)"
grep -q "RETRY OK: attempt 2" "$out/result.log" || die "the scenario did not run a second attempt (results in $out)"
grep -q "FALCO_VM_BOOTED" "$out/attempt1.serial.log" || die "attempt 1's serial log was not kept (results in $out)"
log "VM rig retry test passed (results in $out)"
