#!/usr/bin/env python3
"""Host-side checks of the live detection scenario (tests/vm/live-test.sh, guest/live.sh).

    check_live.py SCRATCH_DIR FALCO RULES_FILE FALCO_YAML

On a shared host (tests/ebpf/live.sh), FALCO_LIVE_SESSION names the session the scenario ran in:
only the alerts of that session's processes count for 1 and 2 (and of the storm's for 4).

Checks, from the files the guest left in SCRATCH_DIR:
  1. the benign baseline raised no alert;
  2. every behaviour raised its alert, with the right user, program, file or connection, parent and
     container id;
  3. replaying the live capture (live.scap, written with -w) with `falco -e` gives exactly the
     same alerts, and sysdig reads the capture to its end;
  4. during the storm falco kept up or reported its drops, and its RSS stayed bounded.
"""
import json
import os
import re
import subprocess
import sys

scratch, falco, rules, falco_yaml = sys.argv[1:5]
# The rules files falco ran with, comma-separated (loaded in that order).
rules = rules.split(",")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def ok(msg):
    print("ok:", msg)


def alerts(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def is_internal(a):
    return a.get("rule", "").startswith("Falco internal")


cid = open(os.path.join(scratch, "container_id")).read().strip()

session = os.environ.get("FALCO_LIVE_SESSION")
session_pids = None
if session:
    r = subprocess.run([falco, "inspect", os.path.join(scratch, "live.scap"), "-p", "%proc.pid",
                        "proc.pid=%s or proc.apid=%s" % (session, session)],
                       capture_output=True, text=True)
    session_pids = set(r.stdout.split())
    print("session %s: %d processes" % (session, len(session_pids)))


# With a session, falco ran with `-p proc_pid=%proc.pid` (Falco's outputs carry no pid): the replay
# below does the same.
PID_SUFFIX = ["-p", "proc_pid=%proc.pid"] if session else []


def ours(a):
    """An alert of the scenario's processes (all alerts without a session)."""
    return session_pids is None or str(a.get("output_fields", {}).get("proc.pid")) in session_pids


# ---- 1. baseline
base_all = alerts(os.path.join(scratch, "alerts-baseline.json"))
base = [a for a in base_all if not is_internal(a) and ours(a)]
if base:
    for a in base:
        print("  baseline alert:", a.get("output"))
    fail("the benign baseline raised %d alerts" % len(base))
else:
    ok("the benign baseline (dpkg -l, a compile, ls/find in /usr, 60 s of loopback HTTP) raised no alert")

# ---- 2. behaviours
live = alerts(os.path.join(scratch, "alerts.json"))
behaviour_alerts = [a for a in live[len(base_all):] if not is_internal(a) and ours(a)]


def expect(what, rule, **fields):
    """An alert of `rule` whose output fields include `fields` (a value list means any of them)."""
    for a in behaviour_alerts:
        if a.get("rule") != rule:
            continue
        f = a.get("output_fields", {})
        good = True
        for k, want in fields.items():
            key = k.replace("__", ".")
            have = f.get(key)
            if isinstance(want, re.Pattern):
                good = have is not None and want.search(str(have)) is not None
            elif isinstance(want, list):
                good = have in want
            else:
                good = have == want
            if not good:
                break
        if good:
            ok("%s -> %s: %s" % (what, rule, a.get("output", "")[:200]))
            return
    fail("%s: no '%s' alert with %s" % (what, rule, fields))
    for a in behaviour_alerts:
        if a.get("rule") == rule:
            print("  candidate:", json.dumps(a.get("output_fields")))


host = "host"
expect("a shell in a container", "Terminal shell in container",
       proc__name="sh", user__name="root", container__id=cid)
expect("a package manager in a container", "Launch Package Management Process in Container",
       proc__cmdline=["dpkg -l", "dpkg-query --list --"], user__name="root", container__id=cid,
       proc__pname="sh")
expect("an account tool in a container", "User mgmt binaries",
       container__id=cid, proc__cmdline="passwd -S root", user__name="root")
expect("a write below /etc", "Write below etc",
       proc__name="touch", user__name="root", fd__name="/etc/falco-live-test.conf",
       container__id=host, proc__pname="sh")
expect("a read of /etc/shadow", "Read sensitive file untrusted",
       proc__name="cat", user__name="root", fd__name="/etc/shadow", proc__pname="sh",
       container__id=host)
expect("a regular file written to /dev", "Create files below dev",
       proc__name="cp", fd__name="/dev/.falco-implant", user__name="root")
expect("a write below /root", "Write below root",
       proc__name="touch", fd__name="/root/.falco-backdoor")
expect("chmod u+s", "Set Setuid or Setgid bit",
       proc__cmdline="chmod u+s /tmp/suid-copy", evt__arg__filename="/tmp/suid-copy", user__name="root")
# The system binary's connection goes to 127.0.0.1, which `outbound` leaves out as Falco's does
# (rules/tests covers System procs network activity on a public address).
expect("find / -name id_rsa", "Search Private Keys or Passwords",
       proc__cmdline="find / -name id_rsa", user__name="root", proc__pname="timeout")
expect("a web server running a command", "Web Server Spawned Suspicious Child Process",
       proc__name="id", proc__pname="nginx")
expect("truncating a log", "Clear Log Activities", proc__cmdline=re.compile(r"^sh \./scenario\.sh"),
       fs__path__name="/var/log/falco-test.log")
expect("deleting a log", "Clear Log Activities", proc__cmdline="rm /var/log/falco-test.log",
       fs__path__name="/var/log/falco-test.log", user__name="root")
expect("ptrace attach", "PTRACE attached to process",
       proc__cmdline=re.compile(r"^python3 -c import ctypes"), evt__arg__request="PTRACE_ATTACH",
       evt__arg__pid="sleep", user__name="root")

# ---- 3. the live capture, replayed
cap = os.path.join(scratch, "live.scap")
env = dict(os.environ, FALCO_HOSTNAME="falco-vm")
replay_file = os.path.join(scratch, "alerts-replay.json")
if os.path.exists(replay_file):
    os.remove(replay_file)
r = subprocess.run([falco, "-c", falco_yaml] + [a for f in rules for a in ("-r", f)] + PID_SUFFIX + ["-e", cap,
                    "-o", "json_output=true", "-o", "stdout_output.enabled=false",
                    "-o", "file_output.enabled=true", "-o", "file_output.filename=" + replay_file,
                    "-o", "webserver.enabled=false", "-o", "syslog_output.enabled=false",
                    "-o", "log_syslog=false"], env=env, capture_output=True, text=True)
if r.returncode != 0:
    fail("falco -e live.scap exited %d: %s" % (r.returncode, r.stderr[-2000:]))
replayed = [a for a in alerts(replay_file) if not is_internal(a)]
live_rules = [a for a in live if not is_internal(a)]


def key(a):
    return json.dumps(a, sort_keys=True)


if [key(a) for a in replayed] == [key(a) for a in live_rules]:
    ok("replaying live.scap with falco -e gives the same %d alerts, field for field" % len(live_rules))
else:
    fail("replay differs: %d live alerts, %d replayed" % (len(live_rules), len(replayed)))
    lk = set(key(a) for a in live_rules)
    rk = set(key(a) for a in replayed)
    for a in live_rules:
        if key(a) not in rk:
            print("  only live:    ", a.get("output"))
    for a in replayed:
        if key(a) not in lk:
            print("  only replayed:", a.get("output"))

def histogram(lines):
    h = {}
    for line in lines:
        ts, _, t = line.partition(" ")
        h[t] = h.get(t, 0) + 1
    return h


fmt = "%evt.rawtime %evt.type"
r = subprocess.run(["sysdig", "-r", cap, "-p", fmt], capture_output=True, text=True)
sd = r.stdout.splitlines()
r2 = subprocess.run([falco, "inspect", cap, "-p", fmt], capture_output=True, text=True)
fi = r2.stdout.splitlines()
if r.returncode != 0 and session and "wrong fd type 17" in r.stderr:
    # On a host, the capture's fd table has falco's own BPF fds (SCAP_FD_BPF, type 17, as upstream
    # Falco writes them), a type newer than sysdig 0.29: a known limit of that sysdig, reported.
    print("KNOWN: sysdig 0.29.3 cannot read fd tables with BPF fds (type 17): %s" % r.stderr.strip()[-200:])
elif r.returncode != 0:
    fail("sysdig -r live.scap exited %d after %d events: %s" % (r.returncode, len(sd), r.stderr[-500:]))
elif not sd or not fi or sd[-1].split()[0] != fi[-1].split()[0]:
    fail("sysdig stopped before the end of live.scap (%d events; falco inspect: %d)" % (len(sd), len(fi)))
else:
    # sysdig 0.29 (2022) silently skips event types added to the scap format after it; every
    # other type must be there, as many times.
    hs, hf = histogram(sd), histogram(fi)
    skipped = {t: n for t, n in hf.items() if hs.get(t, 0) != n}
    bad = {t: (hs.get(t, 0), n) for t, n in skipped.items() if hs.get(t, 0) != 0}
    if bad or any(t not in hf for t in hs):
        fail("sysdig and falco disagree on event counts by type: %s" % bad)
    else:
        ok("sysdig 0.29.3 reads live.scap to its last event: %d events; falco inspect: %d; types "
           "newer than sysdig 0.29 that it skips: %s" % (len(sd), len(fi), skipped or "none"))

# ---- 4. the storm
log2 = open(os.path.join(scratch, "run2.log")).read()
m = re.search(r"Driver Events:(\d+)\s+Driver Drops:(\d+)", log2)
if not m:
    fail("run 2 printed no driver statistics at exit (-v)")
else:
    evts, drops = int(m.group(1)), int(m.group(2))
    storm_alerts = alerts(os.path.join(scratch, "alerts-storm.json"))
    drop_alerts = [a for a in storm_alerts if is_internal(a) and "drop" in a.get("rule", "")]
    if drops == 0:
        ok("storm: falco kept up (%d events, 0 drops)" % evts)
    elif drop_alerts:
        ok("storm: %d events, %d drops, reported by %d drop alerts" % (evts, drops, len(drop_alerts)))
    else:
        fail("storm: %d drops were not reported by a drop alert" % drops)
    other = [a for a in storm_alerts if not is_internal(a)
             and (session is None or "probe-check" in str(a.get("output_fields", {}).get("proc.cmdline")))]
    if other:
        fail("the storm raised %d rule alerts, e.g. %s" % (len(other), other[0].get("output")))
samples = []
for line in open(os.path.join(scratch, "rss.txt")):
    t, kb = line.split()
    samples.append((int(t), int(kb)))
print("RSS samples (s, KiB):", " ".join("%d:%d" % s for s in samples))
stats_path = os.path.join(scratch, "stats-storm.jsonl")
if os.path.exists(stats_path):
    rows = [json.loads(l) for l in open(stats_path) if l.strip()]
    print("storm statistics every 10 s (threads tracked, events processed, drops):",
          " ".join("%d/%d/%d" % (r.get("state", {}).get("threads", -1), r["events"]["processed"],
                                 r["drops"]["total"]) for r in rows))
if len(samples) < 3:
    fail("fewer than 3 RSS samples")
else:
    # Bounded: after the first 30 s (tables warm, rings mapped), RSS may not keep growing.
    warm = [kb for t, kb in samples if t >= 30] or [samples[-1][1]]
    first, peak = warm[0], max(warm)
    if peak > first * 1.5 + 16 * 1024:
        fail("RSS grew from %d KiB to %d KiB during the storm" % (first, peak))
    else:
        ok("RSS bounded during the storm: %d KiB after 30 s, peak %d KiB" % (first, peak))

if failures:
    print("%d live detection checks failed" % len(failures))
    sys.exit(1)
print("all live detection checks passed")
