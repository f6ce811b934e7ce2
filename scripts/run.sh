#!/usr/bin/env bash
# `make run`: live detection with the default rules, and which driver it uses, and why.
#
# 1. The eBPF driver (engine.kind: modern_ebpf), when this kernel has BTF and is recent enough: the
#    programs are built into falco, nothing is compiled or loaded beforehand. falco runs live here
#    until Ctrl-C.
# 2. Else the kernel probe, if this host's kernel can take it (CONFIG_RUST, module loading, a build
#    tree with the kernel's Rust artefacts and rustc): falco-probe-loader builds and loads it.
# 3. Else (a CI sandbox without either) the demo runs in the test VM (tests/vm/live-test.sh demo): the
#    same falco, probe and rules on the test kernel, with a script playing the behaviours the rules
#    cover while the alerts print here.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
log() { printf '[run] %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || { log "make run needs root (loading a kernel module, or the VM rig's chroot): sudo make run"; exit 1; }
log "building falco and falco-probe-loader"
$CARGO build --release -q -p falco -p falco-probe-loader

falco_live() {
  exec target/release/falco -c falco.yaml -r rules/falco_rules.yaml -o engine.kind="$1" \
    -o webserver.enabled=false -o syslog_output.enabled=false -o log_syslog=false
}

release=$(uname -r)
major=${release%%.*}; rest=${release#*.}; minor=${rest%%[.-]*}
if [ -e /sys/kernel/btf/vmlinux ] && { [ "$major" -gt 6 ] || { [ "$major" = 6 ] && [ "$minor" -ge 2 ]; }; }; then
  log "driver: modern_ebpf (CO-RE eBPF): this kernel ($release) has BTF (/sys/kernel/btf/vmlinux) and is 6.2 or newer"
  log "falco runs live on this host with the default rules. Ctrl-C stops it."
  log "try, in another terminal: sudo cat /etc/shadow; sudo touch /etc/x.conf; find / -name id_rsa"
  falco_live modern_ebpf
fi
if [ -e /sys/kernel/btf/vmlinux ]; then
  log "not the eBPF driver: this kernel ($release) is older than 6.2; trying the kernel probe"
else
  log "not the eBPF driver: this kernel ($release) has no BTF (/sys/kernel/btf/vmlinux); trying the kernel probe"
fi

set +e
target/release/falco-probe-loader --source probe --falco target/release/falco 2>/tmp/falco-run-loader.log
rc=$?
set -e
if [ "$rc" = 0 ]; then
  log "driver: kmod: the probe is loaded into this kernel ($(uname -r)); falco runs live with the default rules. Ctrl-C stops it."
  log "try, in another terminal: sudo cat /etc/shadow; sudo touch /etc/x.conf; find / -name id_rsa"
  falco_live kmod
fi

log "this kernel ($(uname -r)) cannot run the probe here; the loader said:"
sed 's/^/    /' /tmp/falco-run-loader.log >&2
case "$rc" in
  3|4|5) ;;
  *) log "(loader exit code $rc)";;
esac
log "so the demo runs in the test VM instead: kernel 7.3 with Rust, under QEMU (see README: 'make run')."
log "the first run builds a trixie chroot and the kernel (about 10 minutes, cached in /var/cache/falco-vm)."
exec tests/vm/live-test.sh demo
