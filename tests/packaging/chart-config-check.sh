#!/usr/bin/env bash
# chart-config-check.sh FALCO RENDERED.yaml RULES: runs falco --dry-run with the falco.yaml of the
# chart's ConfigMap and the falco container's arguments, as the pod would; fails on an error or on
# a configuration key falco does not know.
set -euo pipefail
falco=$1 rendered=$2 rules=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$rendered" "$work" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# The ConfigMap's falco.yaml block: the lines indented by 4 after `  falco.yaml: |-`.
block = text.split("  falco.yaml: |-\n", 1)[1].split("\n---", 1)[0]
lines = [l[4:] for l in block.splitlines()]
open(sys.argv[2] + "/falco.yaml", "w").write("\n".join(lines) + "\n")
# The falco container's args: `- value` lines between `args:` and `securityContext:`.
args = text.split("        - name: falco\n", 1)[1].split("          args:\n", 1)[1]
args = args.split("          securityContext:", 1)[0]
vals = []
for l in args.splitlines():
    m = re.match(r"^\s*- (.*)$", l)
    if m:
        v = m.group(1)
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
            v = v[1:-1]
        vals.append(v)
# `-c /etc/falco/falco.yaml` points at the ConfigMap file: replaced by the extracted one.
assert vals[:2] == ["-c", "/etc/falco/falco.yaml"], vals[:2]
open(sys.argv[2] + "/args", "w").write("\n".join(vals[2:]) + "\n")
PY
mapfile -t args <"$work/args"
"$falco" -c "$work/falco.yaml" "${args[@]}" -r "$rules" \
  -o log_syslog=false -o syslog_output.enabled=false -o webserver.enabled=false --dry-run >"$work/out" 2>&1 || {
  cat "$work/out"; exit 1; }
if grep -e 'unknown configuration key' -e 'Error:' "$work/out"; then exit 1; fi
echo "falco --dry-run: ok with ${#args[@]} chart arguments"
