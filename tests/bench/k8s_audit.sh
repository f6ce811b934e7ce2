#!/usr/bin/env bash
# make bench-k8s-audit: audit events posted to the k8s_audit webhook over loopback, in EventList
# batches built from Falco's k8s audit traces (../shared/upstream/k8s_audit), three ways in the same
# run: a sink that only reads the requests (the client's and loopback's ceiling), falco with no
# k8s_audit rules (transport and parsing), and falco with Falco's k8s_audit_rules.yaml (matching and
# alert formatting added). Prints events/s of each, the ratios and falco's peak RSS. A 503 (queue
# full) makes the poster send the batch again, so the rate is what falco sustains.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EVENTS=${EVENTS:-1000000}
BATCH=${BATCH:-100}
CONNS=${CONNS:-2}
CARGO=${CARGO:-cargo}
UPSTREAM=${UPSTREAM:-$ROOT/../shared/upstream/k8s_audit}
FALCO=${FALCO:-$ROOT/target/release/falco}
POSTER=$ROOT/target/release/examples/audit_poster
WORK=$(mktemp -d /tmp/falco-bench-k8s.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install -t bookworm time" >&2; exit 1; }
[ -d "$UPSTREAM/traces" ] || { echo "$UPSTREAM/traces missing" >&2; exit 1; }
"$CARGO" build --release -q -p falco --bin falco --example audit_poster

post() { # port -> the poster's summary line
  "$POSTER" --port "$1" --events "$EVENTS" --batch "$BATCH" --conns "$CONNS" --traces "$UPSTREAM/traces"
}

# The ceiling: a server that reads each request and answers 200.
"$POSTER" --sink >"$WORK/sink.out" &
for _ in $(seq 100); do grep -q listening "$WORK/sink.out" && break; sleep 0.05; done
sink_port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/sink.out")
sink_line=$(post "$sink_port")
kill %1

echo "- required_engine_version: 0" >"$WORK/empty.yaml"
cat >"$WORK/falco.yaml" <<YAML
stdout_output: {enabled: true}
syslog_output: {enabled: false}
log_syslog: false
webserver: {enabled: false}
watch_config_files: false
load_plugins: [k8saudit, json]
plugins:
  - name: k8saudit
    library_path: libk8saudit.so
    init_config: ""
    open_params: "http://127.0.0.1:0/k8s-audit"
  - name: json
    library_path: libjson.so
YAML

run_falco() { # name rules -> "poster line|rss_kb|summary"
  local name=$1 rules=$2
  /usr/bin/time -v "$FALCO" -c "$WORK/falco.yaml" -r "$rules" --disable-source syscall \
    >/dev/null 2>"$WORK/$name.err" &
  local pid=$!
  local port=""
  for _ in $(seq 200); do
    port=$(sed -n 's/.*k8s_audit webhook listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/$name.err" | head -1)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { cat "$WORK/$name.err" >&2; exit 1; }
  local line
  line=$(post "$port")
  kill -TERM "$(pgrep -P $pid falco || echo $pid)" 2>/dev/null || true
  wait $pid || true
  local rss
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/$name.err")
  echo "$line|$rss|$(grep -m1 'k8s_audit:.*events' "$WORK/$name.err" | sed 's/.*k8s_audit:/k8s_audit:/')"
}

IFS='|' read -r norules_line norules_rss norules_sum < <(run_falco norules "$WORK/empty.yaml")
IFS='|' read -r rules_line rules_rss rules_sum < <(run_falco rules "$UPSTREAM/k8s_audit_rules.yaml")

rate() { sed -n 's/.* \([0-9]*\) events\/s.*/\1/p' <<<"$1"; }
awk -v s="$(rate "$sink_line")" -v n="$(rate "$norules_line")" -v r="$(rate "$rules_line")" \
    -v nr="$norules_rss" -v rr="$rules_rss" -v ev="$EVENTS" -v b="$BATCH" -v c="$CONNS" 'BEGIN {
  printf "%d events in EventList batches of %d over %d keep-alive connections\n", ev, b, c
  printf "sink (reads requests only):      %10.0f events/s\n", s
  printf "falco, no k8s_audit rules:       %10.0f events/s  peak RSS %7.1f MiB\n", n, nr/1024
  printf "falco, k8s_audit_rules.yaml:     %10.0f events/s  peak RSS %7.1f MiB\n", r, rr/1024
  printf "ratio: with rules %.2fx without; %.2fx the sink\n", r/n, r/s
}'
echo "counters (no rules): $norules_sum"
echo "counters (rules):    $rules_sum"
