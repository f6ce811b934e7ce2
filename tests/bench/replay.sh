#!/usr/bin/env bash
# make bench-replay: falco replaying two captures with no rules, the default rules and Falco's
# falco-rules 3.2.0 files, against `sysdig -r CAPTURE FILTER` on the same capture in the same run.
#
# Captures (cached in $FALCO_BENCH_CACHE, keyed by their inputs):
#   real: the shipped traces sysdig reads (tests/traces/sysdig-readable.txt), each in turn and again,
#         rewritten as one section by falco's own writer (falco-gen --join) until it holds 1 M events;
#   gen:  a 2 M-event workload of the generator (falco-gen --events).
# For each capture and rule set it prints events/s (wall), CPU seconds (user+sys), peak RSS, and the
# ratio of sysdig's CPU seconds to falco's; then callgrind instructions per event: the instructions of a
# replay of the capture's first 100 k events minus those of its first 10 k, over 90 k, so start-up
# (rule loading) cancels out. Callgrind counts are steady on a loaded machine; times are not.
#
# Each falco run is made with one event thread and with two (engine.threads: 1, everything on one
# thread, the gzip capture inflated in its reads; 2, the capture read, inflated and, while the
# event thread is behind, decoded on a thread of its own); the line of the two-thread run ends with its events/s over the one-thread run's. The
# instruction counts are of one thread.
#
# Environment: REAL_EVENTS, GEN_EVENTS, CALLGRIND=0 to skip the instruction counts, RULESETS (a
# subset of "none default 3.2.0"), CAPTURES (a subset of "real gen"), THREADS (a subset of "1 2"),
# REPEAT (runs per figure, the fastest kept; 3).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${FALCO_BENCH_CACHE:-/var/tmp/falco-bench}
REAL_EVENTS=${REAL_EVENTS:-1000000}
GEN_EVENTS=${GEN_EVENTS:-2000000}
FALCO=${FALCO:-$ROOT/target/release/falco}
GEN=${GEN:-$ROOT/target/release/falco-gen}
UPSTREAM_RULES=${UPSTREAM_RULES:-$ROOT/../shared/upstream/rules/falco-rules-3.2.0}
CALLGRIND=${CALLGRIND:-1}
RULESETS=${RULESETS:-none default 3.2.0}
CAPTURES=${CAPTURES:-real gen}
THREADS=${THREADS:-1 2}
# Wall-clock times on shared machines vary from run to run: each figure is the fastest of REPEAT.
REPEAT=${REPEAT:-3}
# What sysdig evaluates on every event: a condition in the rules' style (an event type list, a
# direction, a string test on the fd), printing the few events it selects.
FILTER=${FILTER:-'evt.type in (open, openat, openat2, execve, connect) and evt.dir = < and fd.name startswith /etc'}

command -v sysdig >/dev/null || { echo "sysdig missing: apt-get install -t bookworm sysdig" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install -t bookworm time" >&2; exit 1; }
if [ "$CALLGRIND" != 0 ] && ! command -v valgrind >/dev/null; then
  echo "valgrind missing: scripts/deps.sh installs it (or CALLGRIND=0)" >&2; exit 1
fi
[ -f "$UPSTREAM_RULES/falco_rules.yaml" ] || { echo "$UPSTREAM_RULES: falco-rules 3.2.0 missing" >&2; exit 1; }
mkdir -p "$CACHE"
WORK=$(mktemp -d /tmp/falco-bench-replay.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# ---- captures, keyed by what they are written from
mapfile -t TRACES < <(grep -v '^#' "$ROOT/tests/traces/sysdig-readable.txt" | sed "s|^|$ROOT/tests/traces/|")
gen_key=$(cat "$ROOT"/tests/gen/src/*.rs "$ROOT"/tests/gen/src/*/*.rs | sha256sum | cut -c1-12)
real_key=$(cat "${TRACES[@]}" "$ROOT"/tests/gen/src/join.rs | sha256sum | cut -c1-12)
declare -A CAP ONE
CAP[real]=$CACHE/replay-real-$REAL_EVENTS-$real_key.scap
CAP[gen]=$CACHE/replay-gen-$GEN_EVENTS-$gen_key.scap
if [ ! -s "${CAP[real]}" ]; then
  join_args=()
  for t in "${TRACES[@]}"; do join_args+=(--join "$t"); done
  "$GEN" "${join_args[@]}" --events "$REAL_EVENTS" "${CAP[real]}.tmp" && mv "${CAP[real]}.tmp" "${CAP[real]}"
fi
if [ ! -s "${CAP[gen]}" ]; then
  "$GEN" --events "$GEN_EVENTS" "${CAP[gen]}.tmp" && mv "${CAP[gen]}.tmp" "${CAP[gen]}"
fi
# The slices callgrind replays: a capture's first N events.
slice() { # capture n -> path
  local out="${1%.scap}-first$2-plain.scap"
  if [ ! -s "$out" ]; then
    "$GEN" --join "$1" --events "$2" --no-gzip "$out.tmp" 2>/dev/null
    mv "$out.tmp" "$out"
  fi
  echo "$out"
}
# Events in a capture, bookkeeping ones included (what the replay reads).
count() { "$FALCO" inspect --all -p '*%evt.num' "$1" | wc -l; }

# ---- falco's configuration and rule sets
cat >"$WORK/falco.yaml" <<YAML
stdout_output: {enabled: true}
syslog_output: {enabled: false}
log_syslog: false
webserver: {enabled: false}
watch_config_files: false
priority: debug
YAML
echo "- required_engine_version: 0" >"$WORK/none.yaml"
rules_args() { # ruleset -> -r arguments
  case $1 in
    none) echo "-r $WORK/none.yaml" ;;
    default) echo "-r $ROOT/rules/falco_rules.yaml" ;;
    3.2.0) echo "-r $UPSTREAM_RULES/falco_rules.yaml -r $UPSTREAM_RULES/falco-incubating_rules.yaml -r $UPSTREAM_RULES/falco-sandbox_rules.yaml" ;;
  esac
}

measure() { # out cmd... -> "wall cpu rss_kb" of the fastest of $REPEAT runs
  local out=$1 t0 t1; shift
  : >"$WORK/times"
  for _ in $(seq "$REPEAT"); do
    # The wall time from the clock in nanoseconds: /usr/bin/time's %e counts 10 ms ticks, 3% of
    # a 0.3 s replay, which is the size of the differences between one thread and two.
    t0=$(date +%s%N)
    /usr/bin/time -f '%U %S %M' -o "$WORK/time" "$@" >"$out" 2>"$WORK/stderr" || {
      echo "failed: $*" >&2; cat "$WORK/stderr" >&2; exit 1; }
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 )) $(cat "$WORK/time")" >>"$WORK/times"
  done
  sort -n "$WORK/times" | head -1 | awk '{printf "%.6f %.2f %s\n", $1 / 1e6, $2 + $3, $4}'
}

instructions() { # capture ruleset -> instructions of the replay
  # shellcheck disable=SC2046
  TZ=UTC valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
    "$FALCO" -c "$WORK/falco.yaml" -o engine.threads=1 $(rules_args "$2") -e "$1" \
    >/dev/null 2>"$WORK/cg.err" || { cat "$WORK/cg.err" >&2; exit 1; }
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/cg.err" | tail -1
}

echo "falco $("$FALCO" --version 2>/dev/null | head -1); sysdig $(sysdig --version | awk '{print $3}')"
echo "sysdig filter: $FILTER"
for cap in $CAPTURES; do
  c=${CAP[$cap]}
  n=$(count "$c")
  echo
  echo "== $cap: $c ($n events)"
  read -r sw sc srss < <(measure /dev/null env TZ=UTC sysdig -r "$c" "$FILTER")
  awk -v n="$n" -v w="$sw" -v c="$sc" -v r="$srss" 'BEGIN {
    printf "%-28s %10.0f events/s %7.2f s CPU %7.1f MiB\n", "sysdig -r FILTER", n / w, c, r / 1024 }'
  for rs in $RULESETS; do
    one=""
    for t in $THREADS; do
      # shellcheck disable=SC2046
      read -r fw fc frss < <(measure "$WORK/alerts" env TZ=UTC "$FALCO" -c "$WORK/falco.yaml" \
        -o engine.threads="$t" $(rules_args "$rs") -e "$c")
      alerts=$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]+: ' "$WORK/alerts" || true)
      [ "$t" = 1 ] && one=$fw && ONE[$rs]=$fw
      awk -v name="falco, $rs rules, $t thr" -v n="$n" -v w="$fw" -v c="$fc" -v r="$frss" -v sc="$sc" \
        -v a="$alerts" -v one="$one" -v t="$t" 'BEGIN {
        printf "%-28s %10.0f events/s %7.2f s CPU %7.1f MiB  %.2fx sysdig (CPU)  %d alerts", name, n / w, c, r / 1024, sc / c, a
        if (t != 1 && one != "") printf "  %.2fx the events/s of 1 thread", one / w
        printf "\n" }'
    done
  done
  # What this machine gives two threads, as a reference for the two-thread runs: two one-thread
  # replays at once, their events/s together over one alone's (on these shared 2-vCPU machines,
  # well under 2).
  rs=${RULESETS##* }
  if [[ " $THREADS " == *" 1 "* && " $THREADS " == *" 2 "* ]]; then
    # shellcheck disable=SC2046
    pair() { env TZ=UTC "$FALCO" -c "$WORK/falco.yaml" -o engine.threads=1 $(rules_args "$rs") -e "$c" >/dev/null 2>&1; }
    best=""
    for _ in $(seq "$REPEAT"); do
      t0=$(date +%s.%N)
      pair & pair
      wait
      t1=$(date +%s.%N)
      best=$(awk -v t0="$t0" -v t1="$t1" -v b="$best" 'BEGIN { d = t1 - t0; print (b == "" || d < b) ? d : b }')
    done
    awk -v one="${ONE[$rs]}" -v both="$best" -v name="2 x falco, $rs, 1 thr" 'BEGIN {
      printf "%-28s two replays at once: %.2fx the events/s of one (what two busy threads get here)\n", name, 2 * one / both }'
  fi
  if [ "$CALLGRIND" != 0 ]; then
    big=$(slice "$c" 100000)
    small=$(slice "$c" 10000)
    nb=$(count "$big")
    ns=$(count "$small")
    for rs in $RULESETS; do
      ib=$(instructions "$big" "$rs")
      is=$(instructions "$small" "$rs")
      awk -v name="callgrind, $rs rules" -v ib="$ib" -v is="$is" -v nb="$nb" -v ns="$ns" 'BEGIN {
        printf "%-28s %8.0f instructions/event  (%d in %d events, %d in %d)\n", name, (ib - is) / (nb - ns), ib, nb, is, ns }'
    done
  fi
done
