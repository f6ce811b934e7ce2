#!/usr/bin/env bash
# falco-probe-loader against fake kernel trees (no root, no VM): every failure must name the missing
# piece and its fix, with the documented exit code. The real build/load path runs in the VM
# (tests/packaging/vm-test.sh).
#   loader-test.sh [LOADER]   (default target/release/falco-probe-loader)
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
L=${1:-$REPO/target/release/falco-probe-loader}
[ -x "$L" ] || { echo "loader-test: $L is missing: build it with 'cargo build --release -p falco-probe-loader'"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
REL=9.9.9-fake
RUSTC_TEXT='rustc 1.85.1 (4eb161250 2025-03-15) (built from a source tarball)'

# check NAME WANT_RC PATTERN -- CMD...: runs CMD, checks its exit code and that its output matches PATTERN.
check() {
  local name=$1 want=$2 pat=$3; shift 4
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" = "$want" ] && grep -qE -- "$pat" <<<"$out"; then
    pass=$((pass + 1)); echo "ok   $name"
  else
    fail=$((fail + 1)); echo "FAIL $name: rc=$rc (want $want), output should match /$pat/:"; sed 's/^/     | /' <<<"$out"
  fi
}

host() { mkdir -p "$T/$1"; echo "$T/$1"; }
# A kernel config file with the given extra lines.
config() {
  printf '%s\n' CONFIG_MODULES=y CONFIG_TRACEPOINTS=y CONFIG_HAVE_SYSCALL_TRACEPOINTS=y "$@"
}

check "--help" 0 "Usage: falco-probe-loader" -- "$L" --help
check "--version names API and schema" 0 "driver API [0-9]+\.[0-9]+\.[0-9]+, schema [0-9]+\.[0-9]+\.[0-9]+" -- "$L" --version
check "unknown option" 2 "unknown option --bogus" -- "$L" --bogus
check "HOST_ROOT missing" 2 "HOST_ROOT .* is not a directory" -- env HOST_ROOT="$T/nope" "$L" --kernel-release "$REL"

# 1. No config anywhere.
H=$(host noconfig)
check "no kernel config" 3 "cannot find the configuration of kernel $REL.*/boot/config-$REL" -- \
  env HOST_ROOT="$H" "$L" --kernel-release "$REL"

# 2. A kernel without Rust.
H=$(host norust); mkdir -p "$H/boot"
config '# CONFIG_RUST is not set' >"$H/boot/config-$REL"
check "no CONFIG_RUST" 3 "CONFIG_RUST is not set in $H/boot/config-$REL" -- env HOST_ROOT="$H" "$L" --kernel-release "$REL"
check "no CONFIG_RUST: the fix" 3 "fix: .*CONFIG_RUST=y" -- env HOST_ROOT="$H" "$L" --kernel-release "$REL"
check "no CONFIG_RUST (--compile-only)" 3 "CONFIG_RUST is not set" -- env HOST_ROOT="$H" "$L" --kernel-release "$REL" --compile-only

# 3. Rust, but no syscall tracepoints.
H=$(host notp); mkdir -p "$H/boot"
printf '%s\n' CONFIG_RUST=y CONFIG_MODULES=y >"$H/boot/config-$REL"
check "no syscall tracepoints" 3 "CONFIG_TRACEPOINTS is not set" -- env HOST_ROOT="$H" "$L" --kernel-release "$REL"

# 4. Rust, but no build tree and no prebuilt module.
H=$(host nobuild); mkdir -p "$H/boot" "$H/lib/modules/$REL"
config CONFIG_RUST=y "CONFIG_RUSTC_VERSION_TEXT=\"$RUSTC_TEXT\"" >"$H/boot/config-$REL"
check "no build tree" 4 "no kernel build tree for $REL: .*lib/modules/$REL/build .*does not exist" -- \
  env HOST_ROOT="$H" FALCO_PROBE_CACHE="$T/cache" "$L" --kernel-release "$REL"
check "no build tree: the fix" 4 "fix: .*build tree with the Rust artefacts.*--module" -- \
  env HOST_ROOT="$H" FALCO_PROBE_CACHE="$T/cache" "$L" --kernel-release "$REL"
check "no build tree (--compile-only)" 4 "no kernel build tree" -- \
  env HOST_ROOT="$H" FALCO_PROBE_CACHE="$T/cache" "$L" --kernel-release "$REL" --compile-only

# 5. A build tree (reached through the usual absolute symlink, re-rooted under HOST_ROOT) that lacks
#    the Rust artefacts, like a distribution headers package.
H=$(host headers); mkdir -p "$H/boot" "$H/lib/modules/$REL" "$H/usr/src/linux-headers-$REL"
config CONFIG_RUST=y "CONFIG_RUSTC_VERSION_TEXT=\"$RUSTC_TEXT\"" >"$H/boot/config-$REL"
ln -s "/usr/src/linux-headers-$REL" "$H/lib/modules/$REL/build"
touch "$H/usr/src/linux-headers-$REL/Makefile"
cp "$H/boot/config-$REL" "$H/usr/src/linux-headers-$REL/.config"
check "build tree without Rust artefacts" 4 "linux-headers-$REL has no Rust artefacts \(rust/libkernel.rmeta is missing\)" -- \
  env HOST_ROOT="$H" FALCO_PROBE_CACHE="$T/cache" "$L" --kernel-release "$REL"
check "--print-env (container mode)" 0 "KERNEL_BUILD_DIR=$H/usr/src/linux-headers-$REL" -- \
  env HOST_ROOT="$H" "$L" --kernel-release "$REL" --print-env
check "--print-env shows the kernel's rustc" 0 "CONFIG_RUSTC_VERSION_TEXT=rustc 1.85.1 \(4eb161250" -- \
  env HOST_ROOT="$H" "$L" --kernel-release "$REL" --print-env

# 6. A complete tree, but the wrong rustc (and then none).
mkdir -p "$H/usr/src/linux-headers-$REL/rust" "$T/bin"
touch "$H/usr/src/linux-headers-$REL/rust/"{libkernel.rmeta,libcore.rmeta,libmacros.so}
printf '#!/bin/sh\necho "rustc 1.95.0 (59807616e 2026-04-14)"\n' >"$T/bin/rustc-new"
chmod +x "$T/bin/rustc-new"
check "rustc mismatch" 5 "rustc mismatch: kernel $REL was built with \"rustc 1.85.1.*\" but .* is \"rustc 1.95.0" -- \
  env HOST_ROOT="$H" RUSTC="$T/bin/rustc-new" FALCO_PROBE_CACHE="$T/cache" "$L" --kernel-release "$REL"
check "rustc mismatch: the fix" 5 "fix: install rustc 1.85.1" -- \
  env HOST_ROOT="$H" RUSTC="$T/bin/rustc-new" FALCO_PROBE_CACHE="$T/cache" "$L" --kernel-release "$REL"
check "rustc missing" 5 "rustc not found" -- \
  env HOST_ROOT="$H" RUSTC="$T/bin/no-such-rustc" FALCO_PROBE_CACHE="$T/cache" "$L" --kernel-release "$REL"

# 7. The right rustc, but the build fails: the log is shown and explained.
printf '#!/bin/sh\necho "%s"\n' "$RUSTC_TEXT" >"$T/bin/rustc"
printf '#!/bin/sh\necho "error[E0514]: found crate kernel compiled by an incompatible version of rustc"; exit 2\n' >"$T/bin/make"
chmod +x "$T/bin/rustc" "$T/bin/make"
mkdir -p "$T/src"; touch "$T/src/Kbuild" "$T/src/main.rs"
check "build failure explained" 6 "E0514.*|fix: the kernel's Rust crates were built by another rustc" -- \
  env HOST_ROOT="$H" PATH="$T/bin:$PATH" RUSTC="$T/bin/rustc" FALCO_PROBE_CACHE="$T/cache" \
  "$L" --kernel-release "$REL" --compile-only --source "$T/src"
check "no sources" 6 "falco_probe sources are missing: /usr/src/falco-probe-.* does not exist under $H" -- \
  env HOST_ROOT="$H" PATH="$T/bin:$PATH" RUSTC="$T/bin/rustc" FALCO_PROBE_CACHE="$T/cache" \
  "$L" --kernel-release "$REL" --compile-only

# 8. Prebuilt modules: one installed by DKMS for this kernel is found; a mismatched one is refused.
mkdir -p "$H/lib/modules/$REL/updates/dkms"
printf '\177ELFxx\0vermagic=%s SMP preempt mod_unload \0name=falco_probe\0' "$REL" >"$H/lib/modules/$REL/updates/dkms/falco_probe.ko"
check "finds the DKMS-installed module" 2 "using the module built for $REL: $H/lib/modules/$REL/updates/dkms/falco_probe.ko" -- \
  env HOST_ROOT="$H" FALCO_PROBE_CACHE="$T/cache" "$L" --kernel-release "$REL"
check "won't load into another kernel" 2 "the module is for $REL but the running kernel is" -- \
  env HOST_ROOT="$H" FALCO_PROBE_CACHE="$T/cache" "$L" --kernel-release "$REL"
printf '\177ELFxx\0vermagic=1.2.3-other SMP \0' >"$T/other.ko"
check "--module for another kernel" 7 "cannot load into kernel $REL: it was built for another kernel \(vermagic \"1.2.3-other SMP \"\)" -- \
  env HOST_ROOT="$H" "$L" --kernel-release "$REL" --module "$T/other.ko"
check "--module missing" 7 "does not exist" -- env HOST_ROOT="$H" "$L" --kernel-release "$REL" --module "$T/none.ko"
check "--param without =" 2 "expected KEY=VALUE" -- "$L" --param ring_bytes

# 9. The required versions come from `falco --version` when it prints them.
printf '#!/bin/sh\nprintf "Falco version: 0.1.0\\nPlugin API: 9.9.9\\nDriver:\\n  API version: 3.1.4\\n  Schema version: 2.7.1\\n"\n' >"$T/bin/falco"
chmod +x "$T/bin/falco"
check "versions from falco --version" 0 "API_VERSION_REQUIRED=3.1.4" -- env HOST_ROOT="$H" "$L" --kernel-release "$REL" --print-env --falco "$T/bin/falco"

echo "loader: $pass passed, $fail failed"
[ "$fail" = 0 ]
