#!/usr/bin/env bash
# `make run`: live detection with the default rules.
#
# If this host's kernel can take the probe (CONFIG_RUST, module loading, a build tree with the kernel's
# Rust artefacts and rustc), falco-probe-loader builds and loads it, and falco runs live here until
# Ctrl-C. Otherwise (no CONFIG_RUST, no modules, a CI sandbox) the loader says why, and the demo runs
# in the test VM instead (tests/vm/live.sh demo): the same falco, probe and rules on the test kernel,
# with a script playing the behaviours the rules cover while the alerts print here.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
log() { printf '[run] %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || { log "make run needs root (loading a kernel module, or the VM rig's chroot): sudo make run"; exit 1; }
log "building falco and falco-probe-loader"
$CARGO build --release -q -p falco -p falco-probe-loader

set +e
target/release/falco-probe-loader --source probe --falco target/release/falco 2>/tmp/falco-run-loader.log
rc=$?
set -e
if [ "$rc" = 0 ]; then
  log "the probe is loaded into this kernel ($(uname -r)); falco runs live with the default rules. Ctrl-C stops it."
  log "try, in another terminal: sudo cat /etc/shadow; sudo touch /etc/x.conf; find / -name id_rsa"
  exec target/release/falco -c falco.yaml -r rules/falco_rules.yaml \
    -o webserver.enabled=false -o syslog_output.enabled=false -o log_syslog=false
fi

log "this kernel ($(uname -r)) cannot run the probe here; the loader said:"
sed 's/^/    /' /tmp/falco-run-loader.log >&2
case "$rc" in
  3|4|5) ;;
  *) log "(loader exit code $rc)";;
esac
log "so the demo runs in the test VM instead: kernel 7.3 with Rust, under QEMU (see README: 'make run')."
log "the first run builds a trixie chroot and the kernel (about 10 minutes, cached in /var/cache/falco-vm)."
exec tests/vm/live.sh demo
