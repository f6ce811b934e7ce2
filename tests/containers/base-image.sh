#!/usr/bin/env bash
# Imports a Debian bookworm root filesystem as docker.io/library/debian:bookworm-slim into the podman
# at $1 (a socket), so the falco images of packaging/docker build with no registry. The root
# filesystem (debootstrap minbase, from Debian's archive) is cached as a tarball under
# /var/cache/falco-containers, keyed by the suite and the variant.
set -euo pipefail
sock=${1:?usage: base-image.sh PODMAN_SOCKET}
CACHE=${FALCO_CT_CACHE:-/var/cache/falco-containers}
tarball="$CACHE/debian-bookworm-minbase.tar"
mkdir -p "$CACHE"
if [ ! -s "$tarball" ]; then
  exec 9>"$CACHE/.lock"
  flock 9
  if [ ! -s "$tarball" ]; then
    tmp=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    echo "base-image.sh: debootstrap bookworm minbase (cached in $tarball)"
    debootstrap --variant=minbase bookworm "$tmp" http://deb.debian.org/debian >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log" >&2; rm -rf "$tmp"; exit 1; }
    rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*
    tar -C "$tmp" -cf "$tarball.part" .
    mv "$tarball.part" "$tarball"
    rm -rf "$tmp"
  fi
fi
podman --url "unix://$sock" import "$tarball" docker.io/library/debian:bookworm-slim >/dev/null
