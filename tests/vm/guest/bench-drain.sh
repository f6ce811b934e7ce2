#!/bin/sh
# Guest side of `make bench-probe` (bench-probe.sh), second part: the benchmark with a reader draining the default
# 8 MiB rings from the other vCPU. Run without -icount, so the two vCPUs run in parallel (under icount
# they take turns in slices of up to ~100 ms, and a reader waits that long for its turn). Only the
# drop count is meant to be read from it. Args: SCALE.
scale=${1:-1}
fail() { echo "FAIL: $*"; exit 1; }
insmod ./falco_probe.ko || fail insmod
./probe-check bench drain "$scale" || fail "bench drain"
rmmod falco_probe || fail rmmod
dmesg | grep -E "BUG|WARNING|Oops" && fail "kernel log shows a problem"
echo "BENCH DONE"
