#!/usr/bin/env bash
# Installs what building, running and testing falco needs on a Debian 12 (bookworm) host. Idempotent.
# Host packages are pinned to bookworm; the VM rig installs its trixie packages inside its own chroot.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "scripts/deps.sh: run as root (apt-get, and later chroot/mount/insmod need it): sudo make ..." >&2
  exit 1
fi
PKGS=(
  make gcc libc6-dev pkg-config ca-certificates curl git xz-utils zstd
  sysdig             # the oracle of the differential tests (Debian's 0.29.3)
  time               # peak RSS in the benchmarks (/usr/bin/time -v)
  valgrind           # callgrind instruction counts of make bench-replay
  debootstrap qemu-system-x86 kmod   # the VM rig: trixie chroot, TCG guest
  dpkg-dev fakeroot lintian rpm      # make deb / make rpm
  clang-19 libbpf-dev                # the eBPF driver's programs (probe-ebpf/, built by engine/build.rs)
  bpftool                            # make ebpf-test: nothing left loaded after start/stop cycles
  python3 python3-venv               # manifest validation (kubernetes-validate from PyPI)
  podman docker.io containerd runc busybox-static   # the container tests (tests/containers): real runtimes
  openssl                            # certificates for the TLS tests (webserver, http_output mTLS)
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
# Rust: bookworm's rustc (1.63) predates edition 2024, so the toolchain comes from rustup.
RUST_VERSION=${RUST_VERSION:-1.95}
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null; then
  echo "scripts/deps.sh: installing Rust $RUST_VERSION with rustup into $HOME/.cargo"
  # rustup-init straight from static.rust-lang.org (what sh.rustup.rs fetches): only that host is
  # needed, which matters on networks that reach the Rust distribution servers and nothing else.
  # It must be called rustup-init: rustup picks what it does from its own name.
  init_dir=$(mktemp -d)
  curl --proto '=https' --tlsv1.2 -sSf -o "$init_dir/rustup-init" \
    "https://static.rust-lang.org/rustup/dist/$(uname -m)-unknown-linux-gnu/rustup-init"
  chmod +x "$init_dir/rustup-init"
  "$init_dir/rustup-init" -y --no-modify-path --profile minimal --default-toolchain "$RUST_VERSION" \
    -c rustfmt,clippy
  rm -rf "$init_dir"
fi
if command -v rustup >/dev/null; then
  # `make lint` needs these; a no-op when present.
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
fi
# cargo-fuzz drives the fuzz targets `make fuzz` runs (pinned, with its own lockfile).
CARGO_FUZZ_VERSION=0.13.1
if ! cargo fuzz --version 2>/dev/null | grep -qx "cargo-fuzz $CARGO_FUZZ_VERSION"; then
  echo "scripts/deps.sh: installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi
echo "scripts/deps.sh: host dependencies present ($(cargo --version))"
