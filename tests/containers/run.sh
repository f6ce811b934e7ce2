#!/usr/bin/env bash
# The container tests (make container-test): starts containerd, dockerd and podman on sockets of
# their own (tests/containers/daemons.sh), imports a busybox image into docker and podman (no
# registry is reachable: the image is built from busybox-static), then runs the lookups against the
# real daemons, falco end to end, and falco in its container image (tests/containers/image.sh). The daemons are stopped and their directory removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
CARGO=${CARGO:-cargo}
for b in podman dockerd containerd runc busybox; do
  command -v "$b" >/dev/null || { echo "container-test: $b is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done
dir=$(mktemp -d /run/falco-ct.XXXXXX)
cleanup() { tests/containers/daemons.sh stop "$dir"; }
trap cleanup EXIT
tests/containers/daemons.sh start "$dir"

# The image: busybox-static and a root user, with `sh` as the command.
rootfs="$dir/rootfs"
mkdir -p "$rootfs"/{bin,etc,tmp,proc,sys,dev,root}
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for a in sh ls cat sleep id true echo; do ln -s busybox "$rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
echo 'root:x:0:' >"$rootfs/etc/group"
tar -C "$rootfs" -c . | podman --url "unix://$dir/podman.sock" import --change 'CMD ["/bin/sh"]' - localhost/falco-test:1 >/dev/null
tar -C "$rootfs" -c . | /usr/bin/docker -H "unix://$dir/docker.sock" import --change 'CMD ["/bin/sh"]' - falco-test:1 >/dev/null

export FALCO_CT_DIR=$dir
# On a kernel with BTF the eBPF driver runs here (docs/modern-ebpf.md): the live tests and falco in
# its image use it, as Falco's default does. FALCO_CT_LIVE_ENGINE=none skips the live tests.
if [ -r /sys/kernel/btf/vmlinux ] && [ "$(id -u)" = 0 ]; then
  export FALCO_CT_LIVE_ENGINE=${FALCO_CT_LIVE_ENGINE:-modern_ebpf}
  FALCO_CT_IMAGE_ENGINE=${FALCO_CT_IMAGE_ENGINE:-modern_ebpf}
fi
[ "${FALCO_CT_LIVE_ENGINE:-}" = none ] && unset FALCO_CT_LIVE_ENGINE
# --workspace: the same feature set as `cargo test --workspace`, so nothing is rebuilt. With a live
# driver, FALCO_CT_LIVE_ENGINE=modern_ebpf (or kmod) adds the live tests: shells in containers, a
# privileged start, and a syscall storm while a runtime never answers.
$CARGO build --release --workspace
$CARGO test --release --workspace --test real_runtimes --test containers -- --test-threads 1
# falco in its container image, through the host's sockets under /host. Without a live driver
# (nodriver) the new container is found in /proc.
tests/containers/image.sh "$dir" "${FALCO_CT_IMAGE_ENGINE:-nodriver}"
