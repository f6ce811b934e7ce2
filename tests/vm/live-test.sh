#!/usr/bin/env bash
# Host side of live detection in the VM: falco on the probe with the default rules.
#
#   live-test.sh test [STORM_SECONDS] [BASELINE_SECONDS]   `make vm-live-test` (120 s storm), `make soak` (600 s)
#   live-test.sh demo                                      `make run` when this host cannot load the probe
#
# test boots the guest with falco, the probe and the default rules, runs guest/live.sh, then checks
# on the host (check_live.py): the baseline raised nothing, every behaviour raised its alert with the
# right fields, replaying the live -w capture with `falco -e` gives exactly the same alerts, sysdig reads
# the capture, and RSS stayed bounded during the storm (with drops, if any, reported).
# demo plays the behaviours and prints falco's alerts on this terminal as they come.
source "$(dirname "$0")/common.sh"
mode=${1:-test}
storm=${2:-120}
baseline=${3:-60}
CARGO=${CARGO:-cargo}

"$VM_DIR/chroot.sh"
"$VM_DIR/kernel.sh"
"$VM_DIR/modules.sh"
log "building falco"
(cd "$REPO_DIR" && $CARGO build --release -q -p falco) || die "falco build failed"
falco="$REPO_DIR/target/release/falco"
files=("$REPO_DIR/target/probe/falco_probe.ko" "$falco" "$REPO_DIR/falco.yaml" "$REPO_DIR/rules/falco_rules.yaml"
  "$REPO_DIR/rules/falco-incubating_rules.yaml" "$REPO_DIR/rules/falco-sandbox_rules.yaml")

mkdir -p "$CACHE_DIR/runs"
out=$(mktemp -d "$CACHE_DIR/runs/live.XXXXXX")

if [ "$mode" = demo ]; then
  log "booting the test kernel under QEMU (about a minute) and starting falco in it"
  "$VM_DIR/run-guest.sh" --out "$out" --timeout 900 --smp 2 --mem 1024 --args demo \
    "$VM_DIR/guest/live.sh" "${files[@]}" >/dev/null &
  vm=$!
  # The scenario's output (falco's alerts and the narration) as it is written to the scratch dir.
  until [ -e "$out/result.log" ] || ! kill -0 $vm 2>/dev/null; do sleep 0.5; done
  tail -n +1 -F "$out/result.log" 2>/dev/null &
  tailer=$!
  set +e
  wait $vm
  rc=$?
  set -e
  sleep 1
  kill $tailer 2>/dev/null || true
  [ "$rc" = 0 ] || die "the demo failed (rc=$rc; guest files in $out)"
  log "demo finished; guest files in $out"
  exit 0
fi

# Guest time: boot, 60 s baseline and the behaviours under TCG, the storm, and margin.
timeout=$(( 600 + baseline + storm * 2 ))
set +e
"$VM_DIR/run-guest.sh" --out "$out" --timeout "$timeout" --smp 2 --mem 1024 --args "test $storm $baseline" \
  "$VM_DIR/guest/live.sh" "${files[@]}" >/dev/null
rc=$?
set -e
cat "$out/result.log" 2>/dev/null || true
if [ "$rc" != 0 ]; then
  for f in run1.log run2.log; do
    [ -f "$out/$f" ] && { log "$f tail:"; tail -20 "$out/$f" >&2; }
  done
  log "guest dmesg tail:"; tail -30 "$out/dmesg.txt" 2>/dev/null >&2 || tail -30 "$out/serial.log" >&2
  die "live VM scenario failed (rc=$rc, results in $out)"
fi
python3 "$VM_DIR/check_live.py" "$out" "$falco" \
  "$REPO_DIR/rules/falco_rules.yaml,$REPO_DIR/rules/falco-incubating_rules.yaml,$REPO_DIR/rules/falco-sandbox_rules.yaml" \
  "$REPO_DIR/falco.yaml" \
  || die "live detection checks failed (results in $out)"
log "live detection checks passed (results in $out)"
