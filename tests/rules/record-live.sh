#!/usr/bin/env bash
# Records tests/rules/captures/behaviours-live.scap: the behaviours the default rules detect, done
# for real on this host (tests/rules/live-behaviours.sh says how each stays harmless) while falco
# runs live with the eBPF driver (root, BTF kernel) and -w. The behaviours run in a session of their
# own and the capture keeps that session's events only (falco inspect -w, the session leader and
# its descendants), so what other users of a shared host do stays out. "In a container" is a
# docker-style cgroup with no runtime behind it, and, where podman, runc, dockerd, containerd and
# busybox are installed (scripts/deps.sh), real podman containers on a daemon of their own
# (tests/containers/daemons.sh) from a busybox image: a privileged one that mounts a tmpfs, one
# that runs a program it copied into its writable layer, one with the host's /etc mounted
# read-only that reads /host/etc/shadow, and a privileged one that runs debugfs and writes the
# release_agent of a cgroup hierarchy of its own; their events are kept too.
# rules/tests/live.test.yaml asserts the alerts the capture raises.
# Usage (root): tests/rules/record-live.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-tests/rules/captures/behaviours-live.scap}
CARGO=${CARGO:-cargo}
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
for t in script setpriv useradd userdel insmod shred unshare ssh login timeout /usr/bin/python3; do
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
podman_ok=1
for b in podman runc dockerd containerd busybox debugfs; do command -v $b >/dev/null || podman_ok=; done
[ -n "$podman_ok" ] || echo "record-live: no podman/runc/dockerd/containerd/busybox/debugfs: no real containers" >&2
ct=/run/falco-live-rules-ct
if [ -d /sys/fs/cgroup/pids ]; then cgbase=/sys/fs/cgroup/pids; else cgbase=/sys/fs/cgroup; fi
cgdir=$cgbase/docker/$CID
fpid=
cleanup() {
  [ -z "$fpid" ] || kill -TERM $fpid 2>/dev/null || true
  rm -rf $work /dev/shm/falco-live-rules /dev/.falco-live-rules /var/log/falco-live-rules.log \
    /etc/cron.d/falco-live-rules /etc/falco-live-rules.conf /root/.falco-live-rules \
    /usr/local/bin/falco-live-rules /usr/local/lib/falco-live-rules.so
  rmdir /usr/local/bin/falco-live-rules.d 2>/dev/null || true
  userdel falco-live-tmp 2>/dev/null || true
  [ -z "$podman_ok" ] || tests/containers/daemons.sh stop $ct || true
  rmdir "$cgdir" 2>/dev/null || true
  rmdir "$cgbase/docker" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
mkdir -p "$cgdir"
ip=$(ip -4 route get 198.51.100.77 | sed -n 's/.* src \([0-9.]*\).*/\1/p')
[ -n "$ip" ] || { echo "no IPv4 address with a route out" >&2; exit 1; }

cp falco.yaml $work/falco.yaml
if [ -n "$podman_ok" ]; then
  [ ! -e $ct ] || tests/containers/daemons.sh stop $ct
  tests/containers/daemons.sh start $ct
  # The image: busybox-static, debugfs with the libraries it loads, and a root user.
  mkdir -p $ct/rootfs/{bin,etc,tmp,proc,sys,dev,root,mnt}
  cp "$(command -v busybox)" $ct/rootfs/bin/busybox
  for a in sh cat chmod mount umount true sleep mkdir; do ln -s busybox $ct/rootfs/bin/$a; done
  cp "$(command -v debugfs)" $ct/rootfs/bin/debugfs
  ldd "$(command -v debugfs)" | grep -o '/[^ ]*' | while read -r lib; do
    mkdir -p "$ct/rootfs$(dirname "$lib")" && cp -L "$lib" "$ct/rootfs$lib"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >$ct/rootfs/etc/passwd
  echo 'root:x:0:' >$ct/rootfs/etc/group
  tar -C $ct/rootfs -c . | podman --url unix://$ct/podman.sock import --change 'CMD ["/bin/sh"]' - \
    localhost/falco-live:1 >/dev/null
  printf 'container_engines:\n  podman:\n    sockets: [%s/podman.sock]\n' $ct >>$work/falco.yaml
fi

# Every rules file, and -A: the capture keeps every event a rule of any set may need.
"$falco" -c $work/falco.yaml -r rules/falco_rules.yaml -r rules/falco-incubating_rules.yaml \
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
keep="proc.pid = $(cat $work/sid) or proc.apid = $(cat $work/sid)"
if [ -n "$podman_ok" ]; then
  pm() { podman --url unix://$ct/podman.sock "$@"; }
  # Launch Privileged Container, Mount Launched in Privileged Container (a tmpfs in the container's
  # own mount namespace, gone with it).
  pm run --name falco-live-priv --privileged localhost/falco-live:1 mount -t tmpfs none /mnt
  # Drop and execute new binary in container: a program copied into the container's writable
  # layer, then run.
  # (busybox picks its applet by name: the copy is called true.)
  pm run --name falco-live-drift localhost/falco-live:1 sh -c 'cat /bin/busybox >/tmp/true &&
    chmod +x /tmp/true && /tmp/true' 
  # Launch Sensitive Mount Container, Container Access to Host Sensitive Paths (read-only).
  pm run --name falco-live-etc -v /etc:/host/etc:ro localhost/falco-live:1 \
    cat /host/etc/shadow >/dev/null
  # Debugfs Launched in Privileged Container: debugfs prints its version. Detect release_agent File
  # Container Escapes: the container mounts a cgroup v1 hierarchy of its own (named, no controller,
  # in its own mount namespace) and writes its release_agent; with no child cgroup and
  # notify_on_release off the agent never runs, and the hierarchy goes with the unmount. The pause
  # first lets falco learn that the container is privileged (its lookup is asynchronous).
  pm run --name falco-live-escape --privileged localhost/falco-live:1 sh -c 'sleep 1
    debugfs -V >/dev/null 2>&1
    mkdir /tmp/cg && mount -t cgroup -o none,name=falco-live cgroup /tmp/cg &&
    echo /bin/true >/tmp/cg/release_agent; umount /tmp/cg'
  for n in falco-live-priv falco-live-drift falco-live-etc falco-live-escape; do
    keep="$keep or container.id = $(pm inspect -f '{{.Id}}' $n | cut -c1-12)"
  done
  pm rm -f falco-live-priv falco-live-drift falco-live-etc falco-live-escape >/dev/null
fi
sleep 3
kill -TERM $fpid
wait $fpid || { tail -20 "$log" >&2; exit 1; }
fpid=
mkdir -p "$(dirname "$out")"
"$falco" inspect $work/all.scap -w "$out" "$keep"
ls -la "$out"
