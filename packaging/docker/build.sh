#!/usr/bin/env bash
# `make images`: writes the build contexts of the falco, falco-driver-loader and falco-no-driver
# images under target/images/NAME (Dockerfile + the staged files it copies), then builds them
# when a docker engine answers; without one it prints the commands to build them elsewhere.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$REPO/target/images}
VERSION=$("$REPO/packaging/version.sh")
stage="$OUT/.stage"
"$REPO/packaging/stage.sh" "$stage" /lib/systemd/system
for name in falco falco-driver-loader falco-no-driver; do
  ctx="$OUT/$name"
  rm -rf "$ctx"; mkdir -p "$ctx"
  cp "$REPO/packaging/docker/$name/"* "$ctx/"
  case "$name" in
    falco)               parts="usr/bin/falco usr/bin/falco-probe-loader etc/falco usr/src" ;;
    falco-driver-loader) parts="usr/bin/falco-probe-loader usr/src" ;;
    falco-no-driver)     parts="usr/bin/falco etc/falco" ;;
  esac
  for p in $parts; do
    case "$p" in
      usr/bin/*) cp -p "$stage/$p" "$ctx/" ;;             # the Dockerfiles COPY binaries from the context root
      *) mkdir -p "$ctx/$(dirname "$p")"; cp -a "$stage/$p" "$ctx/$p" ;;
    esac
  done
  echo "wrote $ctx"
done
rm -rf "$stage"
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  for name in falco falco-driver-loader falco-no-driver; do
    docker build -t "$name:$VERSION" "$OUT/$name"
  done
else
  echo "no docker engine answers here: the build contexts are ready; build them where one runs with"
  for name in falco falco-driver-loader falco-no-driver; do
    echo "  docker build -t $name:$VERSION $OUT/$name"
  done
fi
