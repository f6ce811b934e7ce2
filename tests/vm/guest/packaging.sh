#!/bin/sh
# Guest side of tests/packaging/vm-test.sh (`make vm-packaging-test`). The guest root is the test chroot with the falco .deb
# installed (dpkg -i on the host built the module with DKMS for this kernel). It runs falco.service's
# commands as systemd would, checks that falco detects a live event from the installed files, then
# runs the loader in container mode against a /host tree that mirrors this guest.
# Args: TRIGGER_RULE_TEXT (a piece of the alert expected when /etc/shadow is read).
expect=${1:-shadow}
unit=/lib/systemd/system/falco.service
fails=0
# fail: a failed check that ends the scenario; soft: one that is reported, and the next steps still run.
fail() { echo "FAIL: $*"; exit 1; }
soft() { echo "FAIL: $*"; fails=$((fails + 1)); }
step() { echo "=== $*"; }
loaded() { grep -q '^falco_probe ' /proc/modules; }
# The command of a unit's KEY= line(s), without systemd's "-", "@", "+" prefixes.
unit_cmds() { sed -n "s/^$1=[-@+!]*//p" "$unit"; }
kernel_clean() {
  if dmesg | grep -E "BUG|WARNING|Oops|Call Trace|RIP:|falco_probe.*(error|fail)"; then
    fail "kernel log shows a problem ($1)"
  fi
}

step "installed files"
for f in /usr/bin/falco /usr/bin/falco-probe-loader /etc/falco/falco.yaml /etc/falco/falco_rules.yaml \
         /etc/falco/falco_rules.local.yaml "$unit"; do
  [ -e "$f" ] || fail "$f is not installed"
done
rel=$(uname -r)
ko=$(ls /lib/modules/"$rel"/updates/dkms/falco_probe.ko* 2>/dev/null | head -1)
[ -n "$ko" ] || fail "no DKMS-built falco_probe under /lib/modules/$rel/updates/dkms"
echo "kernel $rel, module $ko"
loaded && fail "falco_probe is loaded before anything loaded it"

step "falco.service: ExecStartPre"
unit_cmds ExecStartPre | while read -r cmd; do
  echo "\$ $cmd"
  $cmd || exit 1
done || fail "ExecStartPre failed"
loaded || fail "ExecStartPre did not load falco_probe"
[ -c /dev/falco ] || fail "no /dev/falco after ExecStartPre"

step "falco.service: ExecStart, and a live detection"
start=$(unit_cmds ExecStart)
echo "\$ $start"
$start >falco.out 2>falco.err &
pid=$!
# Wait until falco holds the device (it has loaded its rules and opened the probe).
i=0 up=0
while [ $i -lt 120 ]; do
  kill -0 $pid 2>/dev/null || break
  if [ "$(awk '$1=="falco_probe"{print $3}' /proc/modules)" -ge 1 ] 2>/dev/null; then up=1; break; fi
  sleep 1; i=$((i + 1))
done
if [ $up = 1 ]; then
  echo "falco runs (pid $pid) after ${i}s; reading /etc/shadow"
  sleep 2
  for _ in 1 2 3; do cat /etc/shadow >/dev/null; sleep 1; done
  i=0
  while [ $i -lt 60 ] && ! grep -q "$expect" falco.out; do sleep 1; i=$((i + 1)); done
  kill -INT $pid
fi
kill -0 $pid 2>/dev/null && { sleep 5; kill -KILL $pid 2>/dev/null; }
wait $pid
echo "falco exited with $?"
echo "--- falco stdout"; cat falco.out
echo "--- falco stderr"; tail -20 falco.err
if [ $up = 0 ]; then
  soft "falco (ExecStart) did not start capturing: it exited or never opened /dev/falco"
elif ! grep -q "$expect" falco.out; then
  soft "falco raised no alert containing \"$expect\" for reads of /etc/shadow"
fi

step "falco.service: ExecStopPost"
unit_cmds ExecStopPost | while read -r cmd; do
  echo "\$ $cmd"
  $cmd || exit 1
done || soft "ExecStopPost failed"
loaded && soft "falco_probe is still loaded after ExecStopPost"
kernel_clean "service commands"

step "loader in container mode: /tmp/host mirrors this guest"
# Load it first from the host side, so the container-mode run has to replace a loaded module.
falco-probe-loader >/dev/null || soft "host-mode load"
h=/tmp/host
for d in lib/modules usr/src proc boot etc dev; do
  mkdir -p "$h/$d"
  [ -d "/$d" ] || continue
  mount --bind "/$d" "$h/$d" || fail "bind mount /$d"
done
# A container has its own /usr/src and /lib/modules, without these files: make sure the loader reads
# the host's, by hiding the guest's own behind empty directories for this run.
mount -t tmpfs empty /usr/src || fail "tmpfs over /usr/src"
mount -t tmpfs empty /lib/modules || fail "tmpfs over /lib/modules"
HOST_ROOT=$h falco-probe-loader --print-env
HOST_ROOT=$h falco-probe-loader >loader.out 2>&1
rc=$?
cat loader.out
umount /lib/modules /usr/src
[ $rc = 0 ] || fail "container-mode loader exited with $rc"
grep -q "using the module built for $rel: $h/lib/modules/$rel/updates/dkms/falco_probe.ko" loader.out \
  || fail "container-mode loader did not use the host's DKMS module"
grep -q "removed the previously loaded falco_probe" loader.out || fail "container-mode loader did not replace the loaded module"
grep -q "$h/dev/falco is ready: API" loader.out || fail "container-mode loader did not check the versions through $h/dev/falco"
loaded || fail "falco_probe not loaded after the container-mode run"

step "falco in container mode: HOST_ROOT=$h"
HOST_ROOT=$h falco -c /etc/falco/falco.yaml -o engine.kind=kmod -o webserver.enabled=false -o syslog_output.enabled=false \
  -o log_syslog=false -o stdout_output.enabled=true >falco-c.out 2>falco-c.err &
cpid=$!
i=0
until grep -q "threads and .* fds from" falco-c.err 2>/dev/null; do
  kill -0 $cpid 2>/dev/null || { cat falco-c.err; fail "falco (HOST_ROOT) exited at start"; }
  i=$((i + 1)); [ $i -gt 300 ] && fail "falco (HOST_ROOT) did not start"
  sleep 0.2
done
sleep 1
cat /etc/shadow >/dev/null
sleep 3
kill -INT $cpid; wait $cpid
grep -E "Opened the kernel probe|threads and" falco-c.err
grep -q "Opened the kernel probe $h/dev/falco" falco-c.err || fail "falco did not open $h/dev/falco"
grep -q "fds from $h/proc" falco-c.err || fail "falco did not read $h/proc"
grep -q "shadow" falco-c.out || { cat falco-c.out; fail "falco (HOST_ROOT) raised no alert for /etc/shadow"; }
echo "falco in container mode: $(grep -c shadow falco-c.out) alert(s) for /etc/shadow"
HOST_ROOT=$h falco-probe-loader --unload || fail "container-mode unload"
loaded && fail "falco_probe still loaded after --unload"
for d in dev etc boot proc usr/src lib/modules; do umount "$h/$d" 2>/dev/null; done
kernel_clean "container mode"
[ $fails = 0 ] || fail "$fails check(s) failed (see FAIL lines above)"
echo "ALL PACKAGING CHECKS PASSED"
