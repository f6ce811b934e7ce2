#!/usr/bin/env bash
# `make chart`: renders the chart once (a template error fails here, not at install time) and packs
# it as target/chart/falco-VERSION.tgz, the layout `helm install` takes (a top-level falco/ dir).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$REPO/target/chart}
chart="$REPO/packaging/helm/falco"
render=${HELM_RENDER:-$REPO/target/release/helm-render}
[ -x "$render" ] || { echo "make chart: error: $render is missing: cargo build --release -p helm-render" >&2; exit 1; }
version=$(sed -n 's/^version: *//p' "$chart/Chart.yaml")
app=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}/\1/p' "$chart/Chart.yaml")
want=$("$REPO/packaging/version.sh")
[ "$app" = "$want" ] || { echo "make chart: error: Chart.yaml appVersion is $app but the workspace version is $want: update Chart.yaml" >&2; exit 1; }
"$render" "$chart" >/dev/null
mkdir -p "$OUT"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$chart/.." -czf "$OUT/falco-$version.tgz" falco
echo "built $OUT/falco-$version.tgz"
