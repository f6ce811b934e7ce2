#!/usr/bin/env bash
# `make bench-probe`: the syscall microbenchmark in the guest under -icount shift=0, where guest time
# counts instructions (1 ns ~ 1 instruction), for: no module, module loaded with capture off, capture on
# with the benchmarked syscalls masked, full capture (reader paused, rings big enough for a whole run,
# drained between runs), and full capture with a reader draining on the other vCPU.
# Prints instructions added per operation and the ratio to the C driver's figures. Args: [SCALE].
source "$(dirname "$0")/common.sh"
scale=${1:-1}
"$VM_DIR/chroot.sh"
"$VM_DIR/kernel.sh"
"$VM_DIR/probe.sh"
(cd "$REPO_DIR" && ${CARGO:-cargo} build --release -q -p probe-check) || die "probe-check build failed"
set +e
out=$("$VM_DIR/run.sh" --timeout 3000 --icount --smp 2 --mem 1536 --args "$scale 134217728" \
  "$VM_DIR/scenarios/bench.sh" "$REPO_DIR/target/probe/falco_probe.ko" "$REPO_DIR/target/probe/falco_floor.ko" \
  "$REPO_DIR/target/release/probe-check")
rc=$?
set -e
[ "$rc" = 0 ] || { cat "$out/result.log" 2>/dev/null; die "benchmark failed (rc=$rc, results in $out)"; }
grep "^BENCH" "$out/result.log"
python3 - "$out/result.log" <<'PY'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"BENCH mode=(\S+) op=(\S+) iters=\d+ ns_per_op=([\d.]+) events=(\d+) drops=(\d+)", line)
    if m:
        rows[(m[1], m[2])] = (float(m[3]), int(m[4]), int(m[5]))
# Reference figures (issue 5): C driver (libs API 10.1.0) producer-only added instructions, and the
# counting-only Rust floor (+123 per syscall).
c_driver = {"getppid": 655, "open+close": 3273, "read4k": 985}
syscalls_per_op = {"getppid": 1, "open+close": 2, "read4k": 1}
print(f"\n{'op':<11} {'baseline':>9} " + " ".join(f"{m:>16}" for m in ["off", "masked", "full", "drain"]))
for op in ["getppid", "open+close", "read4k"]:
    base = rows.get(("none", op), (0,))[0]
    cells = []
    for mode in ["off", "masked", "full", "drain"]:
        v = rows.get((mode, op))
        cells.append(f"{v[0] - base:+8.0f} ({v[0] / base:4.2f}x)" if v and base else f"{'-':>16}")
    print(f"{op:<11} {base:9.0f} " + " ".join(f"{c:>16}" for c in cells))
print("\nadded instructions per op vs targets:")
for op in ["getppid", "open+close", "read4k"]:
    base = rows.get(("none", op), (0,))[0]
    full = rows.get(("full", op), (0,))[0] - base
    masked = rows.get(("masked", op), (0,))[0] - base
    print(f"  {op:<11} full {full:+7.0f} = {full / c_driver[op]:.2f}x the C driver (target <= 0.80x); "
          f"masked {masked / syscalls_per_op[op]:+6.0f}/syscall (target <= +185)")
drops = sum(v[2] for (m, _), v in rows.items() if m in ("full", "drain"))
print(f"  drops in full/drain runs: {drops} (target 0)")
PY
log "raw results in $out"
