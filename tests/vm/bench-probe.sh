#!/usr/bin/env bash
# Host side of `make bench-probe`: the syscall microbenchmark in the guest under -icount shift=0, where guest time
# counts instructions (1 ns ~ 1 instruction), for: no module, module loaded with capture off, capture on
# with the benchmarked syscalls masked, full capture (reader paused, rings big enough for a whole run,
# drained between runs), and full capture with a reader draining on the other vCPU.
# The draining run is a second guest without -icount (parallel vCPUs), for its drop count.
# Prints instructions added per operation and the ratio to the C driver's figures. Args: [SCALE].
# The guest runs the bench kernel (the test kernel without its debug checks; FALCO_VM_KERNEL=test
# measures on the test kernel instead).
export FALCO_VM_KERNEL=${FALCO_VM_KERNEL:-bench}
source "$(dirname "$0")/common.sh"
scale=${1:-1}
"$VM_DIR/chroot.sh"
"$VM_DIR/kernel.sh"
"$VM_DIR/modules.sh"
(cd "$REPO_DIR" && ${CARGO:-cargo} build --release -q -p probe-check) || die "probe-check build failed"
set +e
out=$("$VM_DIR/run-guest.sh" --timeout 3000 --icount --smp 2 --mem 1536 --args "$scale 134217728" \
  "$VM_DIR/guest/bench.sh" "$PROBE_OUT/falco_probe.ko" "$PROBE_OUT/falco_floor.ko" \
  "$REPO_DIR/target/release/probe-check")
rc=$?
set -e
[ "$rc" = 0 ] || { cat "$out/result.log" 2>/dev/null; die "benchmark failed (rc=$rc, results in $out)"; }
set +e
out2=$("$VM_DIR/run-guest.sh" --timeout 1500 --smp 2 --mem 1024 --args "$scale" \
  "$VM_DIR/guest/bench-drain.sh" "$PROBE_OUT/falco_probe.ko" "$REPO_DIR/target/release/probe-check")
rc=$?
set -e
[ "$rc" = 0 ] || { cat "$out2/result.log" 2>/dev/null; die "draining benchmark failed (rc=$rc, results in $out2)"; }
cat "$out2/result.log" >>"$out/result.log"
grep "^BENCH" "$out/result.log"
python3 - "$out/result.log" <<'PY'
import re, sys
rows = {}
drain_total = (0, 0)
for line in open(sys.argv[1]):
    m = re.match(r"BENCH mode=(\S+) op=(\S+) iters=\d+ ns_per_op=([\d.]+) events=(\d+) drops=(\d+)", line)
    if m:
        rows[(m[1], m[2])] = (float(m[3]), int(m[4]), int(m[5]))
    m = re.match(r"BENCH mode=drain reader_events=(\d+) drops=(\d+)", line)
    if m:
        drain_total = (int(m[1]), int(m[2]))
# The targets' reference figures (docs/performance.md, "Kernel probe"), measured on a defconfig kernel
# with CPU mitigations on: the upstream C driver (libs API 10.1.0), producer only, and a counting-only
# Rust module (+123 per syscall).
c_driver = {"getppid": 655, "open+close": 3273, "read4k": 985}
per_op = {"getppid": 1, "open+close": 2, "read4k": 1}
modes = ["floor", "off", "masked", "full"]
get = lambda mode, op: rows.get((mode, op), (float("nan"),))[0]
print("\ninstructions per operation (guest ns under -icount shift=0), added over no module (ratio to it):")
print(f"{'op':<11} {'no module':>9} " + " ".join(f"{m:>15}" for m in modes))
for op in c_driver:
    base = get("none", op)
    print(f"{op:<11} {base:9.0f} " + " ".join(f"{get(m, op) - base:+7.0f} ({get(m, op) / base:4.2f}x)" for m in modes))
print("\nagainst the targets:")
for op in c_driver:
    base, n = get("none", op), per_op[op]
    full, masked, floor = get("full", op) - base, get("masked", op) - base, get("floor", op) - base
    print(f"  {op:<11} full {full:+6.0f} = {full / c_driver[op]:.2f}x the C driver's +{c_driver[op]} (target <= 0.80x)")
    print(f"  {'':<11} masked {masked / n:+5.0f}/syscall = {masked / floor:.2f}x this kernel's floor of {floor / n:+.0f}"
          f" (target <= 1.5x), {masked / n / 123:.2f}x the reference floor of +123 (target <= 1.5x, +185)")
full_drops = sum(v[2] for (m, _), v in rows.items() if m == "full")
print(f"  drops with the reader paused and rings holding the run: {full_drops}")
events, drops = drain_total
print(f"  drops while a reader drains 8 MiB rings (no icount): {drops} of {events + drops} events (target 0)")
PY
log "raw results in $out"
