#!/usr/bin/env bash
# Records tests/rules/captures/benign-live.scap: normal administration on this host, live with the
# eBPF driver (root, BTF kernel): a package installed and removed with dpkg, a compile, ssh-keygen
# for the current user, logrotate, then a minute of shell work at a person's pace (edits, searches,
# rebuilds, commits, with pauses). The work runs in a session of its own and the capture keeps that
# session's events only (falco inspect -w, the session leader and its descendants), so what other
# users of a shared host do stays out. rules/tests/benign.test.yaml asserts that the stable rules
# raise nothing on it, that each of these programs ran in it, and that it spans the minute.
# Usage (root): tests/rules/record-benign.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-tests/rules/captures/benign-live.scap}
CARGO=${CARGO:-cargo}
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
for t in dpkg-deb gcc make ssh-keygen logrotate git; do
  command -v $t >/dev/null || { echo "needs $t (apt-get install -t bookworm $t)" >&2; exit 1; }
done
$CARGO build --release -q -p falco
falco=$PWD/target/release/falco
work=$(mktemp -d /tmp/falco-benign.XXXXXX)
fpid=
cleanup() {
  [ -z "$fpid" ] || kill -TERM "$fpid" 2>/dev/null || true
  rm -f /var/log/falco-benign.log*
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

"$falco" -c falco.yaml -r rules/falco_rules.yaml -o engine.kind=modern_ebpf \
  -o webserver.enabled=false -o syslog_output.enabled=false -o log_syslog=false -o log_stderr=true \
  -o stdout_output.enabled=false -v -w "$work/all.scap" 2>"$work/falco.log" &
fpid=$!
for _ in $(seq 1 600); do
  grep -q "threads and .* fds from" "$work/falco.log" 2>/dev/null && break
  sleep 0.1
done
sleep 1

# The administration, in its own session; its id selects the events kept.
setsid bash -c '
  echo $$ >"$0/sid"
  cd "$0" || exit 1
  # A package built, installed and removed with dpkg.
  mkdir -p pkg/DEBIAN pkg/usr/bin pkg/etc
  printf "Package: falco-benign-demo\nVersion: 1.0\nArchitecture: all\nMaintainer: falco tests <tests@example.com>\nDescription: demo\n" >pkg/DEBIAN/control
  printf "#!/bin/sh\nexit 0\n" >pkg/DEBIAN/postinst && chmod 755 pkg/DEBIAN/postinst
  printf "#!/bin/sh\necho demo\n" >pkg/usr/bin/falco-benign-demo && chmod 755 pkg/usr/bin/falco-benign-demo
  echo "setting=1" >pkg/etc/falco-benign-demo.conf
  dpkg-deb --build pkg demo.deb >/dev/null
  dpkg -i demo.deb >/dev/null
  falco-benign-demo >/dev/null
  dpkg -r falco-benign-demo >/dev/null
  dpkg -l >/dev/null
  # A compile.
  printf "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n" >hello.c
  gcc -O2 -o hello hello.c && ./hello >/dev/null
  # ssh-keygen for the current user.
  mkdir -p ~/.ssh && chmod 700 ~/.ssh
  ssh-keygen -q -t ed25519 -N "" -C falco-benign -f ~/.ssh/falco_benign_id_ed25519
  rm -f ~/.ssh/falco_benign_id_ed25519 ~/.ssh/falco_benign_id_ed25519.pub
  # logrotate on a log of its own.
  seq 1 1000 >>/var/log/falco-benign.log
  printf "/var/log/falco-benign.log {\n  rotate 2\n  compress\n  missingok\n}\n" >lr.conf
  logrotate -f -s lr.state lr.conf
  logrotate -f -s lr.state lr.conf
  # Shell work.
  ls -la /etc >/dev/null; ps aux >/dev/null; grep -r ERROR /var/log/dpkg.log >/dev/null || true
  cat /etc/os-release >/dev/null; uname -a >/dev/null; df -h >/dev/null; free -m >/dev/null
  tar czf etc-backup.tgz -C / etc/hostname etc/hosts 2>/dev/null; tar tzf etc-backup.tgz >/dev/null
  sed -i s/setting=1/setting=2/ pkg/etc/falco-benign-demo.conf
  find /usr/share/doc -maxdepth 1 -name "lib*" | wc -l >/dev/null
  sort /etc/services | uniq -c | head >/dev/null
  python3 -c "import json; print(json.dumps({\"ok\": True}))" >/dev/null
  git init -q repo && git -C repo config user.email t@example.com && git -C repo config user.name t
  echo hi >repo/README && git -C repo add README && git -C repo commit -qm init
  systemctl status --no-pager >/dev/null 2>&1 || true
  journalctl -n 20 --no-pager >/dev/null 2>&1 || true
  # A minute of it, at the pace of someone working: each round edits the configuration and a
  # source file, looks at the change, rebuilds with make, commits, checks the system, then pauses
  # to read the output. The pauses keep the capture small.
  printf "hello: hello.c\n\tgcc -O2 -o hello hello.c\n" >repo/Makefile
  cp hello.c repo/hello.c
  echo hello >repo/.gitignore
  SECONDS=0
  round=0
  while [ $SECONDS -lt 60 ]; do
    round=$((round + 1))
    sed -i "s/^setting=.*/setting=$round/" pkg/etc/falco-benign-demo.conf
    grep -n setting pkg/etc/falco-benign-demo.conf >/dev/null
    sed -i "s/puts(\"[^\"]*\")/puts(\"hi $round\")/" repo/hello.c
    git -C repo diff --stat >/dev/null
    make -s -C repo hello >/dev/null && repo/hello >/dev/null
    git -C repo add -A && git -C repo commit -qm "round $round"
    git -C repo log --oneline | head -3 >/dev/null
    tail -n 5 /var/log/dpkg.log >/dev/null 2>&1 || true
    ps -eo pid,comm | wc -l >/dev/null; df -h / >/dev/null; uptime >/dev/null
    sleep 5
  done
  sleep 2
' "$work"
sleep 3
kill -TERM $fpid
wait $fpid || { tail -20 "$work/falco.log" >&2; exit 1; }
fpid=
sid=$(cat "$work/sid")
mkdir -p "$(dirname "$out")"
"$falco" inspect "$work/all.scap" -w "$out" "proc.pid = $sid or proc.apid = $sid"
ls -la "$out"
