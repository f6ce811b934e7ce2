#!/bin/sh
# The behaviours of the live detection test on this host (tests/ebpf/live.sh), run as
# `sh ./scenario.sh MODE` in its own session: baseline SECONDS (benign work, no alert expected) or
# behaviours CID (each behaviour the default rules cover, once). The alerts the host checker expects
# are tests/vm/check_live.py's, the VM scenario's (tests/vm/guest/live.sh) behaviours on a host.
mode=$1
case "$mode" in
baseline)
  secs=$2
  dpkg -l >/dev/null
  printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' >"$WORK/hello.c"
  gcc -O1 -o "$WORK/hello" "$WORK/hello.c" && "$WORK/hello" >/dev/null || echo "compile failed"
  ls -l /usr/bin >/dev/null
  find /usr/include -name '*.h' >/dev/null
  python3 -m http.server 0 --bind 127.0.0.1 --directory /usr/share/doc >"$WORK/http.log" 2>&1 &
  HPID=$!
  sleep 2
  port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$WORK/http.log" | head -1)
  python3 - "$secs" "$port" <<'PY'
import sys, time, urllib.request
end, port, n = time.time() + float(sys.argv[1]), sys.argv[2], 0
while time.time() < end:
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/" % port, timeout=5).read()
        n += 1
    except OSError as e:
        print("request failed:", e)
    time.sleep(0.2)
print("benign: %d HTTP requests" % n)
PY
  kill $HPID; wait $HPID 2>/dev/null
  ;;
behaviours)
  cgdir=$2
  in_container() { sh -c 'echo $$ >'"$cgdir"'/cgroup.procs && exec "$@"' in_container "$@"; }
  in_container "$WORK/srv/runc" -qec "sh -c true" /dev/null >/dev/null
  in_container dpkg -l >/dev/null
  in_container passwd -S root >/dev/null
  touch /etc/falco-live-test.conf
  cat /etc/shadow >/dev/null
  cp /bin/true /dev/.falco-implant
  touch /root/.falco-backdoor
  cp /bin/true /tmp/suid-copy && chmod u+s /tmp/suid-copy
  python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 9999)); s.listen(1); s.settimeout(20)
try:
    c, _ = s.accept(); c.recv(100)
except OSError:
    pass
' &
  LPID=$!
  sleep 1
  "$WORK/sysbin/cat" 9999 || echo "connect failed"
  wait $LPID 2>/dev/null
  timeout 20 find / -name id_rsa >/dev/null 2>&1
  "$WORK/srv/nginx"
  echo hello >/var/log/falco-test.log
  rm /var/log/falco-test.log
  sleep 30 &
  SP=$!
  python3 -c 'import ctypes, sys; libc = ctypes.CDLL(None); print("ptrace attach:", libc.ptrace(16, int(sys.argv[1]), 0, 0))' $SP
  kill -KILL $SP 2>/dev/null
  wait $SP 2>/dev/null || true
  ;;
esac
