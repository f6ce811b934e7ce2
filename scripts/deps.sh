#!/usr/bin/env bash
# Installs what building, running and testing falco needs on a Debian 12 (bookworm) host. Idempotent.
# Host packages are pinned to bookworm; the VM rig installs its trixie packages inside its own chroot.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "scripts/deps.sh: run as root (apt-get, and later chroot/mount/insmod need it): sudo make ..." >&2
  exit 1
fi
PKGS=(
  make gcc pkg-config ca-certificates curl git xz-utils zstd
  sysdig             # the oracle of the differential tests (Debian's 0.29.3)
  time               # peak RSS in the benchmarks (/usr/bin/time -v)
  debootstrap qemu-system-x86 kmod   # the VM rig: trixie chroot, TCG guest
  dpkg-dev fakeroot lintian rpm      # make deb / make rpm
  python3 python3-venv               # manifest validation (kubernetes-validate from PyPI)
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "scripts/deps.sh: installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t bookworm --no-install-recommends "${missing[@]}"
fi
if ! command -v cargo >/dev/null; then
  for c in "$HOME/.cargo/bin/cargo" /root/.cargo/bin/cargo; do
    [ -x "$c" ] && { echo "scripts/deps.sh: cargo is at $c; add $(dirname "$c") to PATH" >&2; exit 1; }
  done
  echo "scripts/deps.sh: no Rust toolchain: install Rust ${RUST_VERSION:-1.95} with rustup (https://rustup.rs) first" >&2
  exit 1
fi
echo "scripts/deps.sh: host dependencies present ($(cargo --version))"
