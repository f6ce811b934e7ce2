#!/bin/sh
# Guest side of `make vm-test` / `make soak` (probe-test.sh): acceptance, a stalled reader, then CYCLES rounds of
# insmod, a syscall storm on every CPU with a reader attached, rmmod. Args: CYCLES STORM_SECONDS.
cycles=${1:-20}
storm=${2:-2}
fail() { echo "FAIL: $*"; exit 1; }
step() { echo "=== $*"; }
kernel_clean() {
  # Anything the kernel reports as a bug, a warning or a sleeping-in-atomic splat fails the test.
  if dmesg | grep -E "BUG|WARNING|Oops|Call Trace|RIP:|sleeping function|scheduling while atomic|falco_probe.*(error|fail)"; then
    fail "kernel log shows a problem ($1)"
  fi
}

step "module info"
modinfo ./falco_probe.ko | grep -E "^(name|vermagic|parm)" || fail modinfo

step "acceptance: exec, open for writing, connect, exit"
insmod ./falco_probe.ko || fail insmod
[ -c /dev/falco ] || fail "no /dev/falco"
ls -l /dev/falco
ls -l /dev/falco | grep -q '^crw-------' || fail "/dev/falco is not mode 0600"
./probe-check acceptance 7357 || fail acceptance
rmmod falco_probe || fail rmmod
kernel_clean acceptance

step "stalled reader: 128 KiB rings that nobody reads"
insmod ./falco_probe.ko ring_bytes=131072 || fail insmod
./probe-check stall || fail stall
rmmod falco_probe || fail rmmod
kernel_clean stall

step "$cycles cycles of insmod, ${storm}s storm on every CPU with a reader, rmmod"
i=1
while [ "$i" -le "$cycles" ]; do
  insmod ./falco_probe.ko || fail "insmod (cycle $i)"
  ./probe-check storm "$storm" >storm.log 2>&1 || { cat storm.log; fail "storm (cycle $i)"; }
  tail -1 storm.log | sed "s/^/cycle $i: /"
  rmmod falco_probe || fail "rmmod (cycle $i)"
  [ -e /dev/falco ] && fail "/dev/falco left behind (cycle $i)"
  grep -q falco_probe /proc/modules && fail "module still listed (cycle $i)"
  i=$((i + 1))
done
kernel_clean storm
echo "ALL PROBE CHECKS PASSED"
