#!/usr/bin/env python3
"""Writes tests/filters/corpus.txt: the differential filter corpus (one condition per line).

Kept as a generator so the coverage is visible: every operator sysdig 0.29.3 knows, on every field
type, with fields from every class, plus boolean structure. Values are ones that occur in the
shipped traces so that most conditions select some events. Re-run after editing:
    python3 tests/filters/gen_corpus.py
"""
import os

C = []
add = C.append

strings = {
    "proc.name": ["cat", "curl", "python", "test_ipv6_clien", "bash"],
    "proc.exe": ["cat", "curl", "/usr/bin/python"],
    "proc.args": ["/tmp/file-1", "google.com", ""],
    "proc.cmdline": ["cat /etc/passwd", "curl google.com"],
    "proc.pname": ["bash", "sudo", "zsh"],
    "proc.cwd": ["/root/", "/home/"],
    "proc.exepath": ["/bin/cat", "/usr/bin/curl"],
    "proc.sname": ["bash", "sshd"],
    "proc.aname": ["bash", "sshd", "systemd"],
    "proc.aname[1]": ["bash"],
    "proc.aname[2]": ["sudo", "sshd"],
    "fd.name": ["/etc/passwd", "/dev/null", "/etc/ld.so.cache", "/tmp/file-1"],
    "fd.directory": ["/etc", "/tmp", "/lib/x86_64-linux-gnu"],
    "fd.filename": ["passwd", "libc.so.6", "file-3"],
    "fd.type": ["file", "ipv4", "ipv6", "unix"],
    "fd.typechar": ["f", "4", "6", "u"],
    "fd.l4proto": ["tcp", "udp", "icmp"],
    "fd.sockfamily": ["ip", "unix"],
    "evt.type": ["open", "close", "connect", "mmap", "sendto"],
    "evt.dir": ["<", ">"],
    "evt.category": ["file", "net", "memory", "process"],
    "evt.res": ["SUCCESS", "ENOENT", "EAGAIN"],
    "evt.arg.name": ["/etc/passwd", "/etc/ld.so.cache"],
    "evt.arg.fd": ["3", "<f>/etc/passwd"],
    "evt.arg[0]": ["0", "3"],
    "evt.info": ["res=0", "fd=3"],
    "user.name": ["root", "loris"],
    "user.homedir": ["/root"],
    "user.shell": ["/bin/bash"],
    "group.name": ["root"],
    "container.id": ["host"],
    "container.name": ["host"],
    "thread.cgroup.cpuset": ["/"],
}
def q(v):
    # Falco's libs end a bare string at a blank or '=' (sysdig 0.29 took 'res=0' bare).
    return f"'{v}'" if " " in v or "=" in v else v


for f, vals in strings.items():
    vals = [q(v) for v in vals]
    v0 = vals[0]
    add(f"{f} = {v0}")
    add(f"{f} != {v0}")
    add(f"{f} exists")
    add(f"not {f} exists")
    if f != "evt.type":  # sysdig checks evt.type values against event names
        add(f"{f} contains {v0.strip(chr(39))[:3] or 'x'}")
        add(f"{f} startswith {v0.strip(chr(39))[:2] or 'x'}")
        add(f"{f} endswith {q(v0.strip(chr(39))[-2:]) or 'x'}")
    add(f"{f} in ({', '.join(vals)})" if all(vals) else f"{f} in ({', '.join(v for v in vals if v)})")
    if len(vals) > 1:
        add(f"{f} = {vals[1]}")
add("proc.name icontains CAT")
add("fd.name icontains ETC")
add("proc.cmdline icontains PASSWD")
add("proc.name glob 'c*'")
add("proc.name glob 'c?t'")
add("proc.name glob '[cp]*'")
add("fd.name glob '/etc/*'")
add("fd.name glob '*.so*'")
add("fd.name glob '/tmp/file-[0-4]'")
add("fd.name glob '/tmp/file-[!0-4]'")
add("fd.directory glob '/l*'")
add("fd.name pmatch (/etc)")
add("fd.name pmatch (/etc, /tmp)")
add("fd.name pmatch (/lib/x86_64-linux-gnu)")
add("fd.name pmatch (/usr/lib)")
add("fd.name pmatch (/tm)")
add("fd.directory pmatch (/etc, /usr)")
add("evt.arg.name pmatch (/etc)")
# No `<` on strings: Falco's libs take only a number after `< <= > >=` (sysdig 0.29 compared bytes).
add("proc.name = ''")
add("fd.name = ''")
add("fd.name != ''")
add("proc.cmdline = 'cat /etc/passwd'")
add('proc.cmdline contains "google.com"')
add("fd.name contains '/'")
add("fd.name contains ':'")
add("fd.name contains '->'")

numbers = {
    "evt.num": [1, 100, 500, 1000],
    "proc.pid": [1, 14400, 25000],
    "proc.ppid": [1, 1000],
    "proc.vpid": [1, 100],
    "thread.tid": [1, 14400, 25000],
    "thread.vtid": [1, 100],
    "proc.sid": [0, 1000],
    "proc.tty": [0, 34816],
    "proc.nthreads": [1, 2],
    "proc.loginshellid": [0, 1000],
    "proc.apid": [1],
    "proc.apid[1]": [1, 1000],
    "fd.num": [0, 3, 4],
    "evt.cpu": [0, 1, 2],
    "evt.rawres": [0, -2, 3],
    "evt.buflen": [0, 10, 100],
    "user.uid": [0, 1000],
    "user.loginuid": [-1, 1000],
    "group.gid": [0, 1000],
    "fd.sport": [80, 1234, 2345],
    "fd.cport": [47192, 38255],
    "fd.lport": [80, 2345],
    "fd.rport": [80, 1234],
    "fd.port": [80, 1234, 2345],
    "evt.latency": [0, 1000],
    "evt.rawtime": [0, 1500000000000000000],
}
numbers_no_in = {"evt.rawarg.res": [0, -1], "evt.rawarg.fd": [3, 4]}  # sysdig: no 'in' for evt.rawarg
for f, vals in numbers_no_in.items():
    add(f"{f} = {vals[0]}")
    add(f"{f} != {vals[0]}")
    add(f"{f} < {vals[-1]}")
    add(f"{f} > {vals[-1]}")
for f, vals in numbers.items():
    v0 = vals[0]
    add(f"{f} = {v0}")
    add(f"{f} != {v0}")
    if f != "fd.port":  # sysdig: fd.port supports comparisons only
        add(f"{f} exists")
    add(f"{f} in ({', '.join(map(str, vals))})")
    v = vals[-1]
    add(f"{f} < {v}")
    add(f"{f} <= {v}")
    add(f"{f} > {v}")
    add(f"{f} >= {v}")
add("evt.num > 140 and evt.num < 150")

bools = ["evt.failed", "evt.is_io", "evt.is_io_read", "evt.is_io_write", "evt.is_wait",
         "evt.is_open_read", "evt.is_open_write", "thread.ismain", "fd.is_server",
         "fd.connected", "evt.is_syslog"]
for f in bools:
    add(f"{f} = true")
    add(f"{f} = false")
    add(f"{f} != true")
    add(f"{f} exists")

ips = {
    "fd.cip": ["127.0.0.1", "::1", "2001:db8::4"],
    "fd.sip": ["127.0.0.1", "2001:db8::3", "2607:f8b0:4004:802::2004"],
    "fd.lip": ["127.0.0.1", "::1"],
    "fd.rip": ["127.0.0.1", "2001:db8::3"],
    "fd.ip": ["127.0.0.1", "::1"],
}
for f, vals in ips.items():
    add(f"{f} = {vals[0]}")
    add(f"{f} = {vals[1]}")
    add(f"{f} != {vals[0]}")
    if f != "fd.ip":  # sysdig: fd.ip supports = and != only
        add(f"{f} exists")
        add(f"{f} in ({', '.join(vals)})")
for f in ["fd.net", "fd.cnet", "fd.snet", "fd.lnet", "fd.rnet"]:
    add(f"{f} = 127.0.0.0/8")
    add(f"{f} != 127.0.0.0/8")
    add(f"{f} in (10.0.0.0/8, 127.0.0.1/32)")

add("evt.buffer contains root")
add("evt.buffer contains GET")
add("evt.buffer startswith GET")
add("evt.buffer exists")
add("evt.buffer = ''")

# Boolean structure.
add("proc.name = cat and evt.type = open")
add("proc.name = cat or proc.name = curl")
add("not proc.name = cat")
add("not (proc.name = cat or fd.name exists)")
add("(evt.type = open or evt.type = openat) and evt.dir = <")
add("evt.type in (open, openat) and not fd.name pmatch (/etc, /lib)")
add("evt.type = close and fd.typechar = f and not evt.failed = true")
add("evt.type = connect and evt.dir = < and fd.sport in (80, 443)")
add("((proc.name = cat))")
add("proc.name = cat and (fd.name = /dev/null or fd.name = /etc/passwd) and evt.is_io = true")
add("evt.type != open and evt.type != close")
add("evt.type in (open, close, mmap) or (evt.type = read and evt.buflen > 100)")
add("fd.typechar = 4 or fd.typechar = 6")
add("(fd.type = ipv4 or fd.type = ipv6) and fd.l4proto = tcp and fd.connected = true")
add("proc.name=cat and evt.num<140")
add("evt.type=open and evt.dir=> and evt.arg.name contains etc")
add("user.uid = 0 and not user.name = root")
add("evt.rawres < 0 and evt.res != SUCCESS")
add("evt.failed = true and evt.type in (open, connect, access, stat)")
add("fd.num >= 0 and fd.num <= 2")
add("evt.is_io_write = true and fd.name = /dev/null")
add("evt.category = file and not evt.type in (open, close)")
add("proc.name in (cat, curl, python) and evt.type = execve")
add("evt.type = execve or evt.type = clone or evt.type = procexit")
add("evt.type = switch or evt.type = select")
add("evt.type = sendmsg and fd.typechar exists")
add("evt.type = socket and evt.dir = <")
add("evt.type = bind or evt.type = listen or evt.type = accept")
add("evt.type = madvise")
add("evt.type = mprotect")
add("evt.type != mprotect and evt.dir = >")
add("evt.type in (mprotect, clock_gettime, arch_prctl)")
add("evt.type = rt_sigaction and evt.dir = <")
add("not evt.type in (mprotect, mmap, open, close)")
add("evt.type = clock_gettime and evt.dir = >")
add("fd.name = /etc/passwd and evt.is_open_read = true")
add("proc.name = python and fd.name glob '/tmp/file-*' and evt.type = close")

here = os.path.dirname(os.path.abspath(__file__))
seen = set()
with open(os.path.join(here, "corpus.txt"), "w") as out:
    out.write("# Generated by gen_corpus.py: the differential filter corpus (see falco_engine tests/filter_differential.rs).\n")
    for c in C:
        if c not in seen:
            seen.add(c)
            out.write(c + "\n")
print(len(seen), "conditions")
