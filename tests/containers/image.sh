#!/usr/bin/env bash
# falco in a container, as the images of packaging/docker run it: the falco-no-driver image, built
# with the test podman from a local Debian root filesystem (tests/containers/base-image.sh), runs
# --privileged with the host's /proc, /etc and /dev and the podman socket under /host (HOST_ROOT),
# with its default configuration, the default rules and the incubating set (where Falco keeps Launch
# Privileged Container, as the Helm chart's users load it). A privileged container started next to
# it must raise that alert with the container's name and image.
#   image.sh DIR ENGINE_KIND     (DIR: the test daemons' directory; ENGINE_KIND: nodriver, or a
#                                 live driver such as modern_ebpf)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:?usage: image.sh DIR ENGINE_KIND}
kind=${2:?usage: image.sh DIR ENGINE_KIND}
P=(podman --url "unix://$dir/podman.sock")
tests/containers/base-image.sh "$dir/podman.sock"
# Only the build contexts: the image is built here with podman (DOCKER_HOST keeps build.sh from
# using another engine the machine may run).
OUT="$dir/images" DOCKER_HOST=unix:///nonexistent packaging/docker/build.sh >/dev/null
"${P[@]}" build -q -t localhost/falco-no-driver:test "$dir/images/falco-no-driver" >/dev/null

tag=$$
falco_ctr=falco-image-$tag
next_ctr=next-to-falco-$tag
cleanup() { "${P[@]}" rm -f -t 0 "$falco_ctr" "$next_ctr" >/dev/null 2>&1 || true; }
trap cleanup EXIT
"${P[@]}" run -d --privileged --name "$falco_ctr" \
  -v /proc:/host/proc:ro -v /etc:/host/etc:ro -v /dev:/host/dev \
  -v "$dir/podman.sock:/host/run/podman/podman.sock" \
  localhost/falco-no-driver:test -c /etc/falco/falco.yaml \
  -r /etc/falco/falco_rules.yaml -r /etc/falco/falco-incubating_rules.yaml \
  -o engine.kind="$kind" -o json_output=true -o webserver.enabled=false \
  -o syslog_output.enabled=false -o log_syslog=false >/dev/null
# falco is up when it says which runtimes it asks.
for _ in $(seq 100); do
  "${P[@]}" logs "$falco_ctr" 2>&1 | grep -q "Container metadata from podman at /host/run/podman/podman.sock" && break
  sleep 0.2
done
"${P[@]}" run -d --privileged --name "$next_ctr" localhost/falco-test:1 sleep 60 >/dev/null
for _ in $(seq 150); do
  if "${P[@]}" logs "$falco_ctr" 2>/dev/null | grep '"rule":"Launch Privileged Container"' \
      | grep "\"container.name\":\"$next_ctr\"" | grep -q '"container.image.repository":"localhost/falco-test"'; then
    echo "image.sh: falco in a container ($kind) raised the privileged-container alert for $next_ctr"
    exit 0
  fi
  sleep 0.2
done
echo "image.sh: no privileged-container alert for $next_ctr; falco's log:" >&2
"${P[@]}" logs "$falco_ctr" 2>&1 | tail -30 >&2
exit 1
