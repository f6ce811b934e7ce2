#!/usr/bin/env bash
# `make ebpf-live-test`: falco live on this host with the eBPF driver and the default rules, checked
# by tests/vm/check_live.py as the kernel probe's VM run is:
#   run 1 (falco -w live.scap): a benign baseline raises no alert; each behaviour the rules cover
#   (scenario.sh) raises its alert; the capture replayed with `falco -e` gives the same alerts, and
#   sysdig reads it;
#   run 2: a syscall storm on every CPU; drops, if any, reported; RSS bounded.
# The scenario runs in its own session: on a shared host the checker keeps only the alerts of that
# session's processes (FALCO_LIVE_SESSION). A docker-style cgroup stands in for a container. The
# hostname is the VM's (falco-vm), as check_live.py replays with it. Falco's rule outputs carry no
# pid: -p appends one for the checker's session filter.
# Args: [STORM_SECONDS] [BASELINE_SECONDS].
set -euo pipefail
cd "$(dirname "$0")/../.."
storm=${1:-60}
baseline=${2:-30}
CARGO=${CARGO:-cargo}
log() { printf '[ebpf-live] %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root: sudo make ebpf-live-test"
$CARGO build --release -q -p falco -p probe-check
repo=$PWD
falco=$repo/target/release/falco
out=$(mktemp -d /tmp/falco-ebpf-live.XXXXXX)
export WORK=$out

# A docker-style container cgroup (cgroup v2, or the v1 pids hierarchy).
CID=4f7a1c2e9b3d5a6c8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d
if [ -d /sys/fs/cgroup/pids ]; then cgbase=/sys/fs/cgroup/pids; else cgbase=/sys/fs/cgroup; fi
cgdir=$cgbase/docker/$CID
mkdir -p "$cgdir" || die "cannot create a container cgroup under $cgbase"
echo "$CID" | cut -c1-12 >"$out/container_id"
cleanup() {
  rm -f /etc/falco-live-test.conf /dev/.falco-implant /root/.falco-backdoor /tmp/suid-copy /var/log/falco-test.log
  rmdir "$cgdir" "$cgbase/docker" 2>/dev/null || true
}
trap cleanup EXIT
mkdir -p "$out/sysbin" "$out/srv"
printf '#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/$1\necho hello >&3\n' >"$out/sysbin/cat"
printf '#!/bin/sh\n/usr/bin/id >/dev/null\n' >"$out/srv/nginx"
chmod +x "$out/sysbin/cat" "$out/srv/nginx"
# A "runc" that gives the container's shell a terminal, as `docker exec -it` does: script(1).
cp "$(command -v script)" "$out/srv/runc"
cp tests/ebpf/scenario.sh "$out/scenario.sh"

start_falco() { # start_falco NAME ARGS...
  local name=$1; shift
  FALCO_HOSTNAME=falco-vm "$falco" -c falco.yaml -r rules/falco_rules.yaml -r rules/falco-incubating_rules.yaml \
    -r rules/falco-sandbox_rules.yaml -o engine.kind=modern_ebpf -p 'proc_pid=%proc.pid' \
    -o webserver.enabled=false -o syslog_output.enabled=false -o log_syslog=false -o log_stderr=true \
    -o json_output=true -o stdout_output.enabled=false -v "$@" 2>"$out/$name.log" &
  FPID=$!
  for _ in $(seq 1 600); do
    grep -q "threads and .* fds from" "$out/$name.log" 2>/dev/null && { sleep 1; return 0; }
    kill -0 $FPID 2>/dev/null || { cat "$out/$name.log" >&2; die "falco exited at start"; }
    sleep 0.1
  done
  die "falco did not start in 60 s"
}
stop_falco() {
  kill -TERM $FPID
  wait $FPID || { tail -20 "$out/$1.log" >&2; die "falco exited with an error"; }
}

log "run 1: benign baseline (${baseline}s), then the behaviours, with -w live.scap (results in $out)"
start_falco run1 -o file_output.enabled=true -o file_output.filename="$out/alerts.json" -w "$out/live.scap"
# One session for both parts; its id is the checker's filter.
(cd "$out" && exec setsid sh -c 'echo $$ >session; sh ./scenario.sh baseline '"$baseline"'; sleep 3;
  cp alerts.json alerts-baseline.json 2>/dev/null || : >alerts-baseline.json; sh ./scenario.sh behaviours '"$cgdir"'; true')
sleep 5
stop_falco run1

log "run 2: syscall storm on every CPU for ${storm}s, RSS sampled every 10 s"
# Any second with drops raises the drop alert: with the stock threshold (10% of a second's
# events) a storm's steady few-percent drops are counted in the statistics but alert no one, and
# the checker asks that drops, if any, be reported by an alert.
start_falco run2 -o file_output.enabled=true -o file_output.filename="$out/alerts-storm.json" \
  -o syscall_event_drops.threshold=0 -s "$out/stats-storm.jsonl" --stats-interval 10000
"$repo/target/release/probe-check" storm-load "$storm" >"$out/storm.log" &
SPID=$!
: >"$out/rss.txt"
t=0
while [ $t -le "$storm" ]; do
  echo "$t $(awk '/VmRSS/ {print $2}' /proc/$FPID/status)" >>"$out/rss.txt"
  [ $t -ge "$storm" ] && break
  sleep 10
  t=$((t + 10))
done
wait $SPID
sleep 2
stop_falco run2
FALCO_LIVE_SESSION=$(cat "$out/session") python3 tests/vm/check_live.py "$out" "$falco" \
  rules/falco_rules.yaml,rules/falco-incubating_rules.yaml,rules/falco-sandbox_rules.yaml falco.yaml \
  || die "live detection checks failed (results in $out)"
log "live detection on the eBPF driver passed (results in $out)"
