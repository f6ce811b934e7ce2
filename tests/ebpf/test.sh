#!/usr/bin/env bash
# `make ebpf-test`: the eBPF driver (engine.kind: modern_ebpf) on this host's own kernel, with the
# same checks as the kernel module's in the VM (tests/vm/guest/probe.sh, probe-check):
#   1. acceptance: exec of a known binary, open for writing of a known path, connect to
#      127.0.0.1:PORT, exit: exactly those events, with the right pid/tid, path, flags, tuple, code;
#   2. a stalled consumer (128 KiB rings nobody reads): drops counted, the workload unaffected;
#   3. CYCLES load/storm/unload cycles (a syscall storm on every CPU with a reader draining; every
#      other cycle the reader is falco's ring reader thread, engine.threads 2), then no program or
#      map of the driver left (bpftool prog/map list as before) and no warning in the kernel log.
# The acceptance runs twice: read by the caller's thread, and read ahead by the ring reader thread
# (--ahead: `AheadCapture`, what falco does with two event threads).
# Needs root (loading BPF programs), BTF and bpftool (scripts/deps.sh). Args: [CYCLES] [STORM_SECONDS].
set -euo pipefail
cd "$(dirname "$0")/../.."
cycles=${1:-20}
storm=${2:-2}
CARGO=${CARGO:-cargo}
log() { printf '[ebpf-test] %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (loading BPF programs): sudo make ebpf-test"
command -v bpftool >/dev/null || die "bpftool missing: run scripts/deps.sh"

log "building probe-check and falco"
$CARGO build --release -q -p probe-check -p falco
pc=$PWD/target/release/probe-check
falco=$PWD/target/release/falco
work=$(mktemp -d /tmp/falco-ebpf-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The driver's programs and maps, as bpftool names them (names are cut at 15 characters).
ours='^(sys_enter|sys_exit|sched_exec|sched_fork|sched_exit|x_[a-z0-9_]+|settings|counters|scratch|ringbufs|exit_encoders|deferred_enter|falco_ring|\.rodata)$'
our_objects() {
  { bpftool prog list -j; bpftool map list -j; } | python3 -c '
import json, re, sys
pat = re.compile(sys.argv[1])
for line in sys.stdin:
    for o in json.loads(line):
        if pat.match(o.get("name", "")):
            print(o.get("type"), o.get("id"), o.get("name"))
' "$ours"
}
before=$(our_objects)
[ -z "$before" ] || die "objects with the driver's names are already loaded (another falco running?):\n$before"
progs0=$(bpftool prog list | grep -c '^[0-9]' || true)
maps0=$(bpftool map list | grep -c '^[0-9]' || true)
dmesg0=$(dmesg | wc -l)

log "1. acceptance: exec, open for writing, connect, exit"
(cd "$work" && "$pc" --ebpf acceptance 0) || die "acceptance"
log "the acceptance workload as the engine renders it:"
"$falco" inspect "$work/acceptance.scap" \
  "evt.type in (clone3, execve, connect, procexit) or fd.name contains falco-acceptance" | head -12 >&2 || true

log "1b. the same, read ahead by the ring reader thread (engine.threads 2)"
(cd "$work" && "$pc" --ebpf --ahead acceptance 0) || die "acceptance, read ahead"

log "2. stalled consumer: 128 KiB rings that nobody reads"
"$pc" --ebpf stall || die "stall"

log "3. $cycles cycles of load, ${storm}s storm on every CPU with a reader, unload"
for i in $(seq 1 "$cycles"); do
  ahead=""; [ $((i % 2)) = 0 ] && ahead=--ahead
  "$pc" --ebpf $ahead storm "$storm" >"$work/storm.log" 2>&1 || { cat "$work/storm.log"; die "storm (cycle $i${ahead:+, read ahead})"; }
  tail -1 "$work/storm.log" | sed "s/^/cycle $i${ahead:+ (read ahead)}: /" >&2
done
# The kernel frees programs and maps shortly after their last reference closes.
for _ in $(seq 1 50); do
  left=$(our_objects)
  [ -z "$left" ] && break
  sleep 0.2
done
[ -z "$left" ] || die "left loaded after $cycles cycles:\n$left"
log "bpftool: $(bpftool prog list | grep -c '^[0-9]' || true) programs, $(bpftool map list | grep -c '^[0-9]' || true) maps loaded (before: $progs0, $maps0); none of the driver's"
if dmesg | tail -n +"$((dmesg0 + 1))" | grep -E "BUG|WARNING|Oops|Call Trace|RIP:|bpf.*(error|fail)"; then
  die "the kernel log shows a problem"
fi
log "eBPF driver checks passed (acceptance, read directly and ahead; stall; $cycles cycles; no leftovers; clean kernel log)"
