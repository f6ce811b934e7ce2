#!/bin/sh
# Loads the probe unless SKIP_DRIVER_LOADER is set (e.g. the host's package already loaded it) or
# FALCO_DRIVER=modern_ebpf (the eBPF driver is built into falco: nothing to load, no kernel headers;
# falco then runs with -o engine.kind=modern_ebpf), then runs the command (falco by default). A
# loader failure stops here, with the loader's explanation.
set -e
if [ "${FALCO_DRIVER:-}" = modern_ebpf ]; then
    [ "$1" = /usr/bin/falco ] && { shift; set -- /usr/bin/falco -o engine.kind=modern_ebpf "$@"; }
elif [ -z "${SKIP_DRIVER_LOADER:-}" ]; then
    /usr/bin/falco-probe-loader
fi
exec "$@"
