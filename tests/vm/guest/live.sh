#!/bin/sh
# Guest side of live detection (tests/vm/live-test.sh): falco on the probe with the default rules.
#
#   live.sh test  STORM_SECONDS BASELINE_SECONDS   make vm-live-test / make soak: baseline, behaviours, storm
#   live.sh demo                                   make run on a host that cannot load the probe
#
# test: run 1 (falco -w live.scap) sees a benign baseline, then every behaviour below; run 2 sees a
# syscall storm on every CPU while RSS is sampled every 10 s. The host checks the files left in the
# scratch dir (tests/vm/check_live.py). demo: one run, alerts printed as text while the behaviours play.
mode=${1:-test}
storm=${2:-120}
baseline=${3:-60}
here=$(pwd)
fail() { echo "FAIL: $*"; exit 1; }
step() { echo "=== $*"; }
say() { [ "$mode" = demo ] && printf '\n>>> %s\n' "$*"; true; }

# ---- the guest as a small host with a container runtime's cgroup layout
hostname falco-vm
mount -t cgroup2 none /sys/fs/cgroup || fail "cgroup2"
# The root is a read-only 9p export: give /etc, /root and /var/log writable copies.
cp -a /etc /tmp/etc && mount --bind /tmp/etc /etc || fail "writable /etc"
mount -t tmpfs root /root && mount -t tmpfs log /var/log || fail "tmpfs"
# A docker-style (cgroupfs driver) container cgroup. The pids controller is enabled down to it,
# so the probe's cgroup list names it (a disabled controller reports the root).
CID=4f7a1c2e9b3d5a6c8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d
echo +pids >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/docker/$CID
echo +pids >/sys/fs/cgroup/docker/cgroup.subtree_control
echo "$CID" | cut -c1-12 >container_id
# in_container CMD...: runs CMD inside the container's cgroup.
in_container() { sh -c 'echo $$ >/sys/fs/cgroup/docker/'"$CID"'/cgroup.procs && exec "$@"' in_container "$@"; }

# Programs whose names are what the rules look for: a "cat" that talks to the network, and an
# "nginx" that runs a command (a script's process is named after the script).
mkdir -p /tmp/sysbin /tmp/srv
printf '#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/$1\necho hello >&3\n' >/tmp/sysbin/cat
printf '#!/bin/sh\n/usr/bin/id >/dev/null\n' >/tmp/srv/nginx
chmod +x /tmp/sysbin/cat /tmp/srv/nginx
# A "runc" that gives the container's shell a terminal, as `docker exec -it` does: script(1).
cp "$(command -v script)" /tmp/srv/runc

step "insmod"
insmod ./falco_probe.ko || fail insmod

# start_falco NAME ARGS...: falco with the default rules, JSON alerts to NAME.json, log NAME.log.
start_falco() {
  name=$1; shift
  FALCO_HOSTNAME=falco-vm ./falco -c ./falco.yaml -r ./falco_rules.yaml -r ./falco-incubating_rules.yaml \
    -r ./falco-sandbox_rules.yaml -o engine.kind=kmod \
    -o webserver.enabled=false -o syslog_output.enabled=false -o log_syslog=false \
    -o log_stderr=true "$@" 2>"$name.log" &
  FPID=$!
  i=0
  until grep -q "threads and .* fds from" "$name.log" 2>/dev/null; do
    kill -0 $FPID 2>/dev/null || { cat "$name.log"; fail "falco exited at start"; }
    i=$((i + 1)); [ $i -gt 600 ] && { cat "$name.log"; fail "falco did not start in 60 s"; }
    sleep 0.1
  done
  # Rules see events from now on; a moment for the first reads.
  sleep 1
}

stop_falco() {
  kill -TERM $FPID
  wait $FPID
  rc=$?
  [ $rc = 0 ] || { tail -20 "$1.log"; fail "falco exited with $rc"; }
}

# The behaviours the default rules cover, one after another. Each leaves the alert the host expects.
behaviours() {
  say "a shell in a container"
  in_container /tmp/srv/runc -qec "sh -c true" /dev/null >/dev/null
  say "a package manager in a container (dpkg -l)"
  in_container dpkg -l >/dev/null
  say "an account tool in a container (passwd -S root)"
  in_container passwd -S root >/dev/null
  say "writing below /etc"
  touch /etc/falco-live-test.conf
  say "reading /etc/shadow"
  cat /etc/shadow >/dev/null
  say "a regular file written to /dev"
  cp /bin/true /dev/.falco-implant
  say "writing below /root"
  touch /root/.falco-backdoor
  say "setting the setuid bit (chmod u+s)"
  cp /bin/true /tmp/suid-copy && chmod u+s /tmp/suid-copy
  say "an outbound connection by a system binary (a 'cat' that connects)"
  timeout 20 ncat -l 127.0.0.1 9999 </dev/null >/dev/null &
  LPID=$!
  sleep 1
  /tmp/sysbin/cat 9999 || echo "connect failed"
  wait $LPID 2>/dev/null
  say "searching for private keys: find / -name id_rsa"
  timeout 20 find / -name id_rsa >/dev/null 2>&1
  say "a web server running a command"
  /tmp/srv/nginx
  say "clearing logs (truncate and delete below /var/log)"
  echo hello >/var/log/falco-test.log
  rm /var/log/falco-test.log
  say "attaching to a process with ptrace"
  sleep 30 &
  SP=$!
  python3 -c 'import ctypes, sys; libc = ctypes.CDLL(None); print("ptrace attach:", libc.ptrace(16, int(sys.argv[1]), 0, 0))' $SP
  # The tracee is left stopped when its tracer exits: only SIGKILL ends it.
  kill -KILL $SP 2>/dev/null
  wait $SP 2>/dev/null
}

# Ordinary work that must raise nothing: package listing, a compile, directory walks, a loopback
# HTTP client and server, for SECONDS.
benign() {
  secs=$1
  dpkg -l >/dev/null
  printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' >/tmp/hello.c
  gcc -O1 -o /tmp/hello /tmp/hello.c && /tmp/hello >/dev/null || echo "compile failed"
  ls -l /usr/bin >/dev/null
  find /usr/include -name '*.h' >/dev/null
  python3 -m http.server 8080 --bind 127.0.0.1 --directory /usr/share/doc >/dev/null 2>&1 &
  HPID=$!
  sleep 2
  python3 - "$secs" <<'EOF'
import sys, time, urllib.request
end = time.time() + float(sys.argv[1])
n = 0
while time.time() < end:
    try:
        urllib.request.urlopen("http://127.0.0.1:8080/", timeout=5).read()
        n += 1
    except OSError as e:
        print("request failed:", e)
    time.sleep(0.2)
print("benign: %d HTTP requests" % n)
EOF
  kill $HPID; wait $HPID 2>/dev/null
}

# storm SECONDS: exec, open/close and connect loops on every CPU.
storm_load() {
  rm -f /tmp/stop
  n=$(nproc)
  i=0
  while [ $i -lt "$n" ]; do
    sh -c 'while [ ! -e /tmp/stop ]; do cat /etc/hostname >/dev/null; done' &
    python3 -c '
import os, socket
while not os.path.exists("/tmp/stop"):
    for _ in range(500):
        os.close(os.open("/etc/hostname", os.O_RDONLY))
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", 1))
    except OSError:
        pass
    s.close()
' &
    i=$((i + 1))
  done
}

if [ "$mode" = demo ]; then
  step "falco is running live on the probe with the default rules; alerts follow"
  FALCO_HOSTNAME=falco-vm ./falco -c ./falco.yaml -r ./falco_rules.yaml -r ./falco-incubating_rules.yaml \
    -r ./falco-sandbox_rules.yaml -o engine.kind=kmod \
    -o webserver.enabled=false -o syslog_output.enabled=false -o log_syslog=false \
    -o log_stderr=true -o stdout_output.enabled=true -o json_output=false 2>falco-demo.log &
  FPID=$!
  i=0
  until grep -q "threads and .* fds from" falco-demo.log 2>/dev/null; do
    kill -0 $FPID 2>/dev/null || { cat falco-demo.log; fail "falco exited at start"; }
    i=$((i + 1)); [ $i -gt 600 ] && fail "falco did not start"
    sleep 0.1
  done
  sleep 1
  behaviours
  sleep 3
  printf '\n'
  step "stopping falco"
  kill -TERM $FPID; wait $FPID
  rmmod falco_probe || fail rmmod
  echo "DEMO DONE"
  exit 0
fi

step "run 1: benign baseline (${baseline}s), then the behaviours, with -w live.scap"
start_falco run1 -o json_output=true -o stdout_output.enabled=false \
  -o file_output.enabled=true -o file_output.filename="$here/alerts.json" -w "$here/live.scap" -v
benign "$baseline"
sleep 3
cp alerts.json alerts-baseline.json 2>/dev/null || : >alerts-baseline.json
behaviours
sleep 5
stop_falco run1
echo "run 1: $(wc -l <alerts.json) alerts"

step "run 2: syscall storm on every CPU for ${storm}s, RSS sampled every 10 s"
# Any second with drops raises the drop alert: with the stock threshold (10% of a second's
# events) a storm's steady few-percent drops are counted in the statistics but alert no one, and
# the checker asks that drops, if any, be reported by an alert.
start_falco run2 -o json_output=true -o stdout_output.enabled=false \
  -o file_output.enabled=true -o file_output.filename="$here/alerts-storm.json" -v \
  -o syscall_event_drops.threshold=0 -s "$here/stats-storm.jsonl" --stats-interval 10000
storm_load
t=0
: >rss.txt
while [ $t -le "$storm" ]; do
  echo "$t $(awk '/VmRSS/ {print $2}' /proc/$FPID/status)" >>rss.txt
  [ $t -ge "$storm" ] && break
  sleep 10
  t=$((t + 10))
done
touch /tmp/stop
sleep 3
stop_falco run2
wait
cat rss.txt | sed 's/^/rss /'

step "rmmod"
rmmod falco_probe || fail rmmod
if dmesg | grep -E "BUG|WARNING|Oops|Call Trace|RIP:|sleeping function|scheduling while atomic"; then
  fail "kernel log shows a problem"
fi
echo "LIVE SCENARIO DONE"
