#!/bin/sh
# Guest side of `make bench-probe` (bench-probe.sh), first part (run under -icount shift=0: guest ns ~ instructions).
# Args: SCALE (iteration multiplier), RING_BYTES (big enough to hold a whole run per CPU: the reader
# is paused). The draining run is guest/bench-drain.sh, in a second guest.
scale=${1:-1}
ring=${2:-134217728}
fail() { echo "FAIL: $*"; exit 1; }
./probe-check bench none "$scale" || fail "bench none"
insmod ./falco_floor.ko || fail "insmod falco_floor"
./probe-check bench floor "$scale" || fail "bench floor"
rmmod falco_floor || fail "rmmod falco_floor"
insmod ./falco_probe.ko ring_bytes="$ring" || fail insmod
for mode in off masked full; do
  ./probe-check bench "$mode" "$scale" || fail "bench $mode"
done
rmmod falco_probe || fail rmmod
dmesg | grep -E "BUG|WARNING|Oops" && fail "kernel log shows a problem"
echo "BENCH DONE"
