#!/usr/bin/env bash
# Starts containerd, dockerd and the podman API service on sockets of their own under $1 (a fresh
# directory), for the container tests. Nothing here touches a runtime the machine already runs:
# every daemon gets its own socket, state, data root and pid file. Stop them with `daemons.sh stop $1`.
#
# Facts about these hosts the settings follow: crun refuses the hybrid cgroup v1/v2 layout, so podman
# uses runc; root's nofile/nproc limits are below podman's defaults, so containers.conf lowers them;
# dockerd runs without iptables or a bridge (containers use --network none); images come from a local
# root filesystem (busybox-static) through `import`, since no registry is reachable.
set -euo pipefail
cmd=${1:?usage: daemons.sh start|stop DIR}
dir=${2:?usage: daemons.sh start|stop DIR}
# Everything lives under $dir (sockets, state, image stores), so runs never share a daemon's data.
DATA=$dir/data

stop() {
  [ -d "$dir" ] || return 0
  # Containers first (their mounts live under $dir), then the daemons.
  if [ -S "$dir/podman.sock" ]; then
    timeout 60 podman --url "unix://$dir/podman.sock" rm -f -a -t 0 >/dev/null 2>&1 || true
  fi
  if [ -S "$dir/docker.sock" ]; then
    ids=$(timeout 20 /usr/bin/docker -H "unix://$dir/docker.sock" ps -aq 2>/dev/null || true)
    [ -z "$ids" ] || timeout 60 /usr/bin/docker -H "unix://$dir/docker.sock" rm -f $ids >/dev/null 2>&1 || true
  fi
  for p in podman dockerd containerd; do
    p="$dir/$p.pid"
    [ -f "$p" ] || continue
    pid=$(cat "$p")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$p"
  done
  # The containers' monitors (conmon) outlive a killed podman service: they hold its storage.
  pkill -9 -f -- "$dir/" 2>/dev/null || true
  # Whatever the runtimes left mounted below $dir, then the directory. A runtime's exiting
  # children can still hold or remount its storage for a moment: try again before giving up.
  for _ in 1 2 3 4 5; do
    { grep -o " $dir/[^ ]*" /proc/self/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$dir" 2>/dev/null && return 0
    sleep 1
  done
  echo "daemons.sh: could not remove $dir:" >&2
  grep " $dir/" /proc/self/mounts >&2 || true
  return 1
}

wait_socket() { # SOCKET LOG
  for _ in $(seq 200); do
    [ -S "$1" ] && return 0
    sleep 0.1
  done
  echo "daemons.sh: $1 did not appear; log:" >&2
  tail -20 "$2" >&2
  return 1
}

start() {
  mkdir -p "$dir" "$DATA"
  # containerd: docker's, and the containerd engine's.
  cat >"$dir/containerd.toml" <<TOML
version = 2
root = "$DATA/containerd"
state = "$dir/containerd-state"
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
TOML
  containerd --config "$dir/containerd.toml" >"$dir/containerd.log" 2>&1 &
  echo $! >"$dir/containerd.pid"
  wait_socket "$dir/containerd.sock" "$dir/containerd.log"

  echo "{}" >"$dir/daemon.json"
  dockerd --host "unix://$dir/docker.sock" --containerd "$dir/containerd.sock" \
    --data-root "$DATA/docker" --exec-root "$dir/docker-exec" --pidfile "$dir/dockerd.pidfile" \
    --iptables=false --ip6tables=false --bridge=none --ip-masq=false --userland-proxy=false \
    --storage-driver overlay2 --config-file "$dir/daemon.json" >"$dir/dockerd.log" 2>&1 &
  echo $! >"$dir/dockerd.pid"
  wait_socket "$dir/docker.sock" "$dir/dockerd.log"

  # podman: its own storage and runroot, runc, and limits root may set here.
  cat >"$dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
netns = "none"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/podman-events.log"
tmp_dir = "$dir/podman-tmp"
CONF
  cat >"$dir/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$DATA/podman"
runroot = "$dir/podman-run"
CONF
  CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf" \
    podman system service --time=0 "unix://$dir/podman.sock" >"$dir/podman.log" 2>&1 &
  echo $! >"$dir/podman.pid"
  wait_socket "$dir/podman.sock" "$dir/podman.log"
}

case $cmd in
  start) start ;;
  stop) stop ;;
  *) echo "usage: daemons.sh start|stop DIR" >&2; exit 2 ;;
esac
