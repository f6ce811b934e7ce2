#!/usr/bin/env bash
# Records tests/rules/captures/behaviours-live.scap: the behaviours the default rules detect, done
# for real on this host (tests/rules/live-behaviours.sh says how each stays harmless) while falco
# runs live with the eBPF driver (root, BTF kernel) and -w. The behaviours run in a session of their
# own and the capture keeps that session's events only (falco inspect -w, the session leader and
# its descendants), so what other users of a shared host do stays out. "In a container" is a
# docker-style cgroup with no runtime behind it. rules/tests/live.test.yaml asserts the alerts the
# capture raises.
# Usage (root): tests/rules/record-live.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-tests/rules/captures/behaviours-live.scap}
CARGO=${CARGO:-cargo}
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
for t in script setpriv useradd userdel insmod shred unshare ssh /usr/bin/python3; do
  command -v $t >/dev/null || { echo "needs $t" >&2; exit 1; }
done
$CARGO build --release -q -p falco
falco=$PWD/target/release/falco
# A fixed folder, so that the paths in the alerts (and in live.test.yaml) are the same each time.
work=/tmp/falco-live-rules
[ ! -e $work ] || { echo "$work exists: another recording running?" >&2; exit 1; }
mkdir -m 700 $work
log=$(mktemp /tmp/falco-live-rules-log.XXXXXX)
CID=6a1f0e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5
if [ -d /sys/fs/cgroup/pids ]; then cgbase=/sys/fs/cgroup/pids; else cgbase=/sys/fs/cgroup; fi
cgdir=$cgbase/docker/$CID
cleanup() {
  rm -rf $work /dev/shm/falco-live-rules /dev/.falco-live-rules /var/log/falco-live-rules.log \
    /etc/cron.d/falco-live-rules /etc/falco-live-rules.conf /root/.falco-live-rules \
    /usr/local/bin/falco-live-rules /usr/local/lib/falco-live-rules.so
  rmdir /usr/local/bin/falco-live-rules.d 2>/dev/null || true
  userdel falco-live-tmp 2>/dev/null || true
  rmdir "$cgdir" 2>/dev/null || true
  rmdir "$cgbase/docker" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
mkdir -p "$cgdir"
ip=$(ip -4 route get 198.51.100.77 | sed -n 's/.* src \([0-9.]*\).*/\1/p')
[ -n "$ip" ] || { echo "no IPv4 address with a route out" >&2; exit 1; }

# Every rules file, and -A: the capture keeps every event a rule of any set may need.
"$falco" -c falco.yaml -r rules/falco_rules.yaml -r rules/falco-incubating_rules.yaml \
  -r rules/falco-sandbox_rules.yaml -o engine.kind=modern_ebpf -A \
  -o webserver.enabled=false -o syslog_output.enabled=false -o log_syslog=false -o log_stderr=true \
  -o stdout_output.enabled=false -v -w "$work/all.scap" 2>"$log" &
fpid=$!
for _ in $(seq 1 600); do
  grep -q "threads and .* fds from" "$log" 2>/dev/null && break
  kill -0 $fpid 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
sleep 1

mkdir $work/b
cp tests/rules/live-behaviours.sh $work/live-behaviours.sh
setsid sh -c 'echo $$ >"$0/sid"; exec sh "$0/live-behaviours.sh" "$0/b" "$1" "$2"' $work "$cgdir" "$ip"
sleep 3
kill -TERM $fpid
wait $fpid || { tail -20 "$log" >&2; exit 1; }
sid=$(cat $work/sid)
mkdir -p "$(dirname "$out")"
"$falco" inspect $work/all.scap -w "$out" "proc.pid = $sid or proc.apid = $sid"
ls -la "$out"
