#!/bin/sh
# Loads the probe unless SKIP_DRIVER_LOADER is set (e.g. the host's package already loaded it), then
# runs the command (falco by default). A loader failure stops here, with the loader's explanation.
set -e
if [ -z "${SKIP_DRIVER_LOADER:-}" ]; then
    /usr/bin/falco-probe-loader
fi
exec "$@"
