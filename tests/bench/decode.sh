#!/usr/bin/env bash
# make bench-decode: falco inspect vs sysdig -r on the same synthetic capture, with the same -p format.
# Prints events/s of both, the ratio, and peak RSS (from /usr/bin/time -v). Run on an otherwise idle
# machine; both tools run back to back in the same invocation, so the ratio is comparable.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EVENTS=${EVENTS:-5000000}
CACHE=${FALCO_BENCH_CACHE:-/var/tmp/falco-bench}
FALCO=${FALCO:-$ROOT/target/release/falco}
GEN=${GEN:-$ROOT/target/release/falco-gen}
FORMAT=${FORMAT:-'*%evt.num %evt.time %evt.type %evt.dir %evt.cpu %evt.res %evt.args %proc.name %proc.pid %proc.ppid %proc.cmdline %proc.pname %proc.exepath %proc.cwd %thread.tid %fd.num %fd.name %fd.typechar %fd.cip %fd.sip %fd.cport %fd.sport %fd.l4proto %user.name %user.uid %group.name'}

command -v sysdig >/dev/null || { echo "sysdig missing: apt-get install -t bookworm sysdig" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install -t bookworm time" >&2; exit 1; }
mkdir -p "$CACHE"
# The capture is keyed by the generator's sources and the event count.
key=$(cat "$ROOT"/tests/gen/src/*.rs | sha256sum | cut -c1-12)
CAP="$CACHE/workload-$EVENTS-$key.scap"
if [ ! -f "$CAP" ]; then
  "$GEN" --events "$EVENTS" "$CAP.tmp" && mv "$CAP.tmp" "$CAP"
fi
# Count the events both print (hidden bookkeeping events are not printed by either).
n=$("$FALCO" inspect -p '*%evt.num' "$CAP" | wc -l)

measure() { # name cmd... -> "seconds rss_kb"
  local name=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$CACHE/$name.time"
  local secs rss
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2,a,":"); if (length(a)==3) print a[1]*3600+a[2]*60+a[3]; else print a[1]*60+a[2]}' "$CACHE/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$CACHE/$name.time")
  echo "$secs $rss"
}

read -r fs frss < <(measure falco env TZ=UTC "$FALCO" inspect -p "$FORMAT" "$CAP")
read -r ss srss < <(measure sysdig env TZ=UTC sysdig -r "$CAP" -p "$FORMAT")
awk -v n="$n" -v fs="$fs" -v ss="$ss" -v frss="$frss" -v srss="$srss" -v cap="$CAP" 'BEGIN {
  printf "capture: %s (%d events printed)\n", cap, n
  printf "falco inspect: %8.2f s  %10.0f events/s  peak RSS %7.1f MiB\n", fs, n/fs, frss/1024
  printf "sysdig -r:     %8.2f s  %10.0f events/s  peak RSS %7.1f MiB\n", ss, n/ss, srss/1024
  printf "ratio: falco is %.2fx sysdig (target >= 3x); RSS %.2fx sysdig (target <= 1x)\n", ss/fs, frss/srss
}'
