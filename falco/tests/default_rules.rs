//! The default rules (rules/falco_rules.yaml) on the generator's detections scenario: every rule
//! fires exactly once, with the exact alert text, and the benign activity around the behaviours
//! (and a whole benign workload) fires nothing.

mod common;

use common::{repo, scratch};
use std::path::Path;
use std::process::Command;

/// Replays `capture` with the default rules; returns the alert lines and stderr.
fn replay(capture: &Path) -> (Vec<String>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_falco"))
        .env("TZ", "UTC")
        .env("FALCO_HOSTNAME", "testhost")
        .arg("-c")
        .arg(repo().join("falco.yaml"))
        .arg("-r")
        .arg(repo().join("rules/falco_rules.yaml"))
        .arg("-e")
        .arg(capture)
        .args([
            "-o",
            "webserver.enabled=false",
            "-o",
            "syslog_output.enabled=false",
        ])
        .args(["-o", "log_syslog=false", "-o", "stdout_output.enabled=true"])
        .output()
        .expect("falco runs");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "falco failed: {stderr}");
    let alerts = String::from_utf8_lossy(&o.stdout)
        .lines()
        .take_while(|l| !l.starts_with("Syscall event drop monitoring:"))
        .map(str::to_string)
        .collect();
    (alerts, stderr)
}

fn default_rule_names() -> Vec<String> {
    std::fs::read_to_string(repo().join("rules/falco_rules.yaml"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("- rule: "))
        .map(|s| s.trim().to_string())
        .collect()
}

const EXPECTED: &[(&str, &str)] = &[
    (
        "Terminal shell in container",
        "00:00:00.002122624: Notice A shell was spawned in a container (user=root user_uid=0 shell=bash parent=runc cmdline=bash pid=1010 terminal=0 container_id=3ad2b9f1c4e5 container_name=web image=nginx:1.25 k8s_ns=<NA> k8s_pod=<NA>)",
    ),
    (
        "Launch privileged container",
        "00:00:00.002357853: Informational Privileged container started (user=root command=sleep 3600 pid=1015 container_id=9f8e7d6c5b4a container_name=priv image=alpine:3.19 k8s_ns=<NA> k8s_pod=<NA>)",
    ),
    (
        "Write below etc",
        "00:00:00.002454204: Error File below /etc opened for writing (user=root user_uid=0 command=vi /etc/hosts pid=1016 parent=bash pcmdline=bash file=/etc/hosts program=vi container_id=host)",
    ),
    (
        "Read sensitive file untrusted",
        "00:00:00.002609240: Warning Sensitive file opened for reading by non-trusted program (user=root user_uid=0 program=python3 command=python3 -c print(open('/etc/shadow').read()) pid=1019 file=/etc/shadow parent=bash gparent=sshd container_id=host)",
    ),
    (
        "Create files below dev",
        "00:00:00.002742815: Error File created below /dev by untrusted program (user=root user_uid=0 command=touch /dev/.hidden pid=1020 file=/dev/.hidden program=touch container_id=host)",
    ),
    (
        "Unexpected child of server process",
        "00:00:00.002807523: Warning Server process spawned an unexpected child (user=www-data parent=nginx pcmdline=nginx command=sh -c id pid=1021 program=sh container_id=host)",
    ),
    (
        "System binary network activity",
        "00:00:00.002936896: Warning System binary made an outbound connection (user=root command=cat /tmp/payload pid=1022 program=cat exepath=/usr/bin/cat connection=10.0.0.5:41119->203.0.113.5:4444 container_id=host)",
    ),
    (
        "Package management process in container",
        "00:00:00.003029875: Error Package management process launched in container (user=root command=apt-get install -y netcat-openbsd pid=1023 parent=bash container_id=3ad2b9f1c4e5 container_name=web image=nginx:1.25)",
    ),
    (
        "User management binary in container",
        "00:00:00.003107203: Notice User management binary run in container (user=root command=useradd -m backdoor pid=1024 parent=bash container_id=3ad2b9f1c4e5 container_name=web image=nginx:1.25)",
    ),
    (
        "Search private keys or passwords",
        "00:00:00.003269995: Warning Search for private keys or passwords (user=root user_uid=0 command=find / -name id_rsa pid=1026 parent=bash container_id=host)",
    ),
    (
        "Write below root",
        "00:00:00.003325545: Error File below /root opened for writing (user=root user_uid=0 command=bash pid=500 parent=sshd file=/root/.ssh/authorized_keys program=bash container_id=host)",
    ),
    (
        "Set setuid or setgid bit",
        "00:00:00.003441442: Notice Setuid or setgid bit set (user=root user_uid=0 command=chmod u+s /tmp/id-copy pid=1027 parent=bash file=/tmp/id-copy mode=S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID container_id=host)",
    ),
    (
        "Clear log activities",
        "00:00:00.003531193: Warning Log file deleted or truncated (user=root command=rm /var/log/auth.log pid=1028 file=/var/log/auth.log container_id=host)",
    ),
    (
        "PTRACE attached to process",
        "00:00:00.003684713: Warning Process attached to another with ptrace (user=root command=ptr 1030 pid=1033 request=PTRACE_ATTACH target=sleep container_id=host)",
    ),
];

#[test]
fn every_default_rule_fires_once_on_the_detections_scenario() {
    let dir = scratch("detections");
    let cap = dir.join("detections.scap");
    falco_gen::write_detections(&cap, true, 42).unwrap();
    let (alerts, stderr) = replay(&cap);
    let expected: Vec<&str> = EXPECTED.iter().map(|(_, line)| *line).collect();
    assert_eq!(alerts, expected, "stderr: {stderr}");

    // Every rule of the default rules file is covered, once.
    let mut covered: Vec<String> = EXPECTED.iter().map(|(r, _)| r.to_string()).collect();
    let mut names = default_rule_names();
    covered.sort();
    names.sort();
    assert_eq!(covered, names, "the scenario must cover every default rule");
}

#[test]
fn a_benign_workload_fires_no_default_rule() {
    let dir = scratch("workload");
    let cap = dir.join("workload.scap");
    let n = falco_gen::write_workload(&cap, true, 7, 200_000).unwrap();
    assert!(n >= 200_000);
    let (alerts, stderr) = replay(&cap);
    assert!(alerts.is_empty(), "benign alerts: {alerts:#?}\n{stderr}");
}
