//! Container metadata end to end, against real podman, docker and containerd daemons started by
//! tests/containers/run.sh (FALCO_CT_DIR names their directory; without it these tests say they
//! were skipped: `make container-test` runs them). falco runs with engine.kind=nodriver, which needs
//! no driver: the containers are found in /proc, the runtimes describe them, and the rules see the
//! `container` events.

mod common;

use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{config, falco_bin, repo, scratch};
use serde_json::Value;

fn ct_dir() -> Option<PathBuf> {
    let d = std::env::var_os("FALCO_CT_DIR").map(PathBuf::from);
    if d.is_none() {
        eprintln!("skipped: FALCO_CT_DIR is not set (make container-test starts the daemons)");
    }
    d
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn podman(dir: &Path) -> Command {
    let mut c = Command::new("podman");
    c.arg("--url")
        .arg(format!("unix://{}/podman.sock", dir.display()));
    c
}

fn docker(dir: &Path) -> Command {
    let mut c = Command::new("/usr/bin/docker");
    c.arg("-H")
        .arg(format!("unix://{}/docker.sock", dir.display()));
    c
}

/// Removes the named containers when dropped.
struct Containers<'a> {
    dir: &'a Path,
    podman: Vec<String>,
    docker: Vec<String>,
}

impl Drop for Containers<'_> {
    fn drop(&mut self) {
        for n in &self.podman {
            let _ = podman(self.dir).args(["rm", "-f", "-t", "0", n]).output();
        }
        for n in &self.docker {
            let _ = docker(self.dir).args(["rm", "-f", n]).output();
        }
    }
}

/// The engines section pointing at the test daemons (`docker_socket` replaces docker's).
fn engines(dir: &Path, docker_socket: &Path) -> String {
    format!(
        "container_engines:\n  docker:\n    sockets: [{}]\n  podman:\n    sockets: [{d}/podman.sock]\n  \
         containerd:\n    sockets: [{d}/containerd.sock]\n  cri:\n    sockets: [{d}/containerd.sock]\n",
        docker_socket.display(),
        d = dir.display()
    )
}

/// falco with the default rules and `extra_rules`, for `secs` seconds (-M; none for a replay,
/// which -M would keep up after the end). Returns the JSON alerts and stderr.
fn falco(cfg: &Path, extra_rules: &Path, args: &[&str], secs: Option<u32>) -> (Vec<Value>, String) {
    let mut cmd = Command::new(falco_bin());
    if let Some(s) = secs {
        cmd.args(["-M", &s.to_string()]);
    }
    let o = cmd
        .arg("-c")
        .arg(cfg)
        .arg("-r")
        .arg(repo().join("rules/falco_rules.yaml"))
        .arg("-r")
        .arg(repo().join("rules/falco-incubating_rules.yaml"))
        .arg("-r")
        .arg(extra_rules)
        .args(["-o", "json_output=true"])
        .args(args)
        .output()
        .expect("falco runs");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "falco failed: {stderr}");
    let alerts = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .collect();
    (alerts, stderr)
}

const DOCKER_RULE: &str = "- rule: Docker container seen\n  desc: test\n  condition: evt.type = container and container.type = docker\n  output: docker container %container.name image=%container.image id=%container.id\n  priority: NOTICE\n";

fn find<'a>(alerts: &'a [Value], rule: &str, name: &str) -> Option<&'a Value> {
    alerts
        .iter()
        .find(|a| a["rule"] == rule && a["output_fields"]["container.name"] == name)
}

#[test]
fn privileged_podman_and_docker_containers_alert_with_their_metadata_live_and_replayed() {
    let Some(dir) = ct_dir() else { return };
    let s = scratch("ct-e2e");
    let tag = std::process::id();
    let (priv_name, plain_name, dk_name) = (
        format!("ct-priv-{tag}"),
        format!("ct-plain-{tag}"),
        format!("ct-docker-{tag}"),
    );
    let _guard = Containers {
        dir: &dir,
        podman: vec![priv_name.clone(), plain_name.clone()],
        docker: vec![dk_name.clone()],
    };
    let priv_id = run(podman(&dir).args([
        "run",
        "-d",
        "--privileged",
        "--name",
        &priv_name,
        "--label",
        "io.kubernetes.pod.name=web-0",
        "--label",
        "io.kubernetes.pod.namespace=prod",
        "localhost/falco-test:1",
        "sleep",
        "120",
    ]));
    run(podman(&dir).args([
        "run",
        "-d",
        "--name",
        &plain_name,
        "localhost/falco-test:1",
        "sleep",
        "120",
    ]));
    let dk_id = run(docker(&dir).args([
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        &dk_name,
        "falco-test:1",
        "sleep",
        "120",
    ]));
    let rules = s.join("docker_rule.yaml");
    std::fs::write(&rules, DOCKER_RULE).unwrap();
    let cfg = config(&s, &engines(&dir, &dir.join("docker.sock")));
    let cap = s.join("live.scap");
    let (alerts, stderr) = falco(
        &cfg,
        &rules,
        &["-o", "engine.kind=nodriver", "-w", cap.to_str().unwrap()],
        Some(5),
    );

    let p = find(&alerts, "Launch Privileged Container", &priv_name)
        .unwrap_or_else(|| panic!("no privileged alert: {alerts:?}\n{stderr}"));
    let f = &p["output_fields"];
    assert_eq!(f["container.id"], &priv_id[..12]);
    assert_eq!(f["container.image.repository"], "localhost/falco-test");
    assert_eq!(f["container.image.tag"], "1");
    assert_eq!(f["k8s.pod.name"], "web-0");
    assert_eq!(f["k8s.ns.name"], "prod");
    assert!(p["output"].as_str().unwrap().contains(&format!(
        "container_image=localhost/falco-test container_image_tag=1 container_name={priv_name}"
    )));
    assert!(
        find(&alerts, "Launch Privileged Container", &plain_name).is_none(),
        "{alerts:?}"
    );
    let d = find(&alerts, "Docker container seen", &dk_name)
        .unwrap_or_else(|| panic!("no docker alert: {alerts:?}\n{stderr}"));
    assert_eq!(d["output_fields"]["container.image"], "falco-test:1");
    assert_eq!(d["output_fields"]["container.id"], &dk_id[..12]);
    assert!(stderr.contains("Container metadata: "), "{stderr}");

    // The capture carries the container events: its replay raises the same alerts, same fields.
    let (replayed, stderr) = falco(&cfg, &rules, &["-e", cap.to_str().unwrap()], None);
    let key = |a: &Value| (a["rule"].to_string(), a["output_fields"].to_string());
    let mut live: Vec<_> = alerts.iter().map(key).collect();
    let mut again: Vec<_> = replayed.iter().map(key).collect();
    live.sort();
    again.sort();
    assert_eq!(live, again, "{stderr}");
}

/// A runtime socket that accepts and never answers.
fn silent_socket(path: &Path) {
    let l = UnixListener::bind(path).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in l.incoming().take(64) {
            held.push(c);
        }
        std::thread::park();
    });
}

#[test]
fn a_runtime_that_never_answers_is_logged_once_and_counted_and_costs_nothing_else() {
    let Some(dir) = ct_dir() else { return };
    let s = scratch("ct-silent");
    let silent = s.join("silent.sock");
    silent_socket(&silent);
    let tag = std::process::id();
    let names: Vec<String> = (0..3).map(|i| format!("ct-silent-{tag}-{i}")).collect();
    let _guard = Containers {
        dir: &dir,
        podman: names.clone(),
        docker: Vec::new(),
    };
    for n in &names {
        run(podman(&dir).args([
            "run",
            "-d",
            "--privileged",
            "--name",
            n,
            "localhost/falco-test:1",
            "sleep",
            "120",
        ]));
    }
    let rules = s.join("none.yaml");
    std::fs::write(&rules, "[]\n").unwrap();
    // The silent socket is asked first (docker comes before podman).
    let cfg = config(&s, &engines(&dir, &silent));
    let (alerts, stderr) = falco(
        &cfg,
        &rules,
        &["-o", "engine.kind=nodriver", "-o", "log_level=debug"],
        Some(6),
    );
    for n in &names {
        assert!(
            find(&alerts, "Launch Privileged Container", n).is_some(),
            "{n}: {alerts:?}\n{stderr}"
        );
    }
    let failures = stderr.matches("Container runtime docker at").count();
    assert_eq!(failures, 1, "logged once: {stderr}");
    assert!(stderr.contains("no answer within 2000 ms"), "{stderr}");
    let counters = stderr
        .lines()
        .find(|l| l.contains("Container metadata: "))
        .expect("counters line");
    assert!(!counters.contains(" 0 runtime call errors"), "{counters}");
}

/// The live driver for the live tests (modern_ebpf, kmod), from FALCO_CT_LIVE_ENGINE; without it
/// they say they were skipped.
fn live_engine() -> Option<String> {
    let e = std::env::var("FALCO_CT_LIVE_ENGINE")
        .ok()
        .filter(|e| !e.is_empty());
    if e.is_none() {
        eprintln!("skipped: FALCO_CT_LIVE_ENGINE is not set (no live driver on this machine)");
    }
    e
}

/// falco live in the background; `stop` ends it with SIGTERM and returns alerts and stderr.
struct LiveFalco(std::process::Child);

impl LiveFalco {
    fn start(cfg: &Path, engine: &str, args: &[&str]) -> LiveFalco {
        let child = Command::new(falco_bin())
            .arg("-c")
            .arg(cfg)
            .arg("-r")
            .arg(repo().join("rules/falco_rules.yaml"))
            .arg("-r")
            .arg(repo().join("rules/falco-incubating_rules.yaml"))
            .args([
                "-o",
                "json_output=true",
                "-o",
                &format!("engine.kind={engine}"),
                "-v",
            ])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("falco starts");
        // Capture is on once the /proc scan is done; a few seconds is plenty.
        std::thread::sleep(std::time::Duration::from_secs(4));
        LiveFalco(child)
    }

    fn stop(self) -> (Vec<Value>, String) {
        // SAFETY: kill has no memory preconditions; the pid is our child's.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let o = self.0.wait_with_output().expect("falco ends");
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        let alerts = String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .collect();
        (alerts, stderr)
    }
}

#[test]
fn live_shells_and_a_privileged_start_alert_with_container_metadata_and_replay_the_same() {
    let Some(dir) = ct_dir() else { return };
    let Some(engine) = live_engine() else { return };
    let s = scratch("ct-live");
    let tag = std::process::id();
    let (shell_ctr, dk_ctr, priv_ctr) = (
        format!("ct-shell-{tag}"),
        format!("ct-dkshell-{tag}"),
        format!("ct-livepriv-{tag}"),
    );
    let _guard = Containers {
        dir: &dir,
        podman: vec![shell_ctr.clone(), priv_ctr.clone()],
        docker: vec![dk_ctr.clone()],
    };
    run(podman(&dir).args([
        "run",
        "-d",
        "--name",
        &shell_ctr,
        "--label",
        "io.kubernetes.pod.name=shell-pod",
        "--label",
        "io.kubernetes.pod.namespace=shell-ns",
        "localhost/falco-test:1",
        "sleep",
        "120",
    ]));
    run(docker(&dir).args([
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        &dk_ctr,
        "falco-test:1",
        "sleep",
        "120",
    ]));
    let cfg = config(&s, &engines(&dir, &dir.join("docker.sock")));
    let cap = s.join("live.scap");
    let live = LiveFalco::start(&cfg, &engine, &["-w", cap.to_str().unwrap()]);
    // `-t`: the rule reports shells with a terminal, as Falco's does.
    run(podman(&dir).args(["exec", "-t", &shell_ctr, "sh", "-c", "true"]));
    run(docker(&dir).args(["exec", "-t", &dk_ctr, "sh", "-c", "true"]));
    run(podman(&dir).args([
        "run",
        "-d",
        "--privileged",
        "--name",
        &priv_ctr,
        "localhost/falco-test:1",
        "sleep",
        "60",
    ]));
    std::thread::sleep(std::time::Duration::from_secs(3));
    let (alerts, stderr) = live.stop();

    let shell = find(&alerts, "Terminal shell in container", &shell_ctr)
        .unwrap_or_else(|| panic!("no podman shell alert: {alerts:?}\n{stderr}"));
    assert_eq!(
        shell["output_fields"]["container.image.repository"],
        "localhost/falco-test"
    );
    assert_eq!(shell["output_fields"]["k8s.pod.name"], "shell-pod");
    assert_eq!(shell["output_fields"]["k8s.ns.name"], "shell-ns");
    let dk = find(&alerts, "Terminal shell in container", &dk_ctr)
        .unwrap_or_else(|| panic!("no docker shell alert: {alerts:?}\n{stderr}"));
    assert_eq!(
        dk["output_fields"]["container.image.repository"],
        "falco-test"
    );
    let p = find(&alerts, "Launch Privileged Container", &priv_ctr)
        .unwrap_or_else(|| panic!("no privileged alert: {alerts:?}\n{stderr}"));
    assert_eq!(
        p["output_fields"]["container.image.repository"],
        "localhost/falco-test"
    );

    let rules = s.join("none.yaml");
    std::fs::write(&rules, "[]\n").unwrap();
    let (replayed, stderr) = falco(&cfg, &rules, &["-e", cap.to_str().unwrap()], None);
    let key = |a: &Value| (a["rule"].to_string(), a["output_fields"].to_string());
    let ours = |a: &&Value| {
        let n = a["output_fields"]["container.name"].as_str().unwrap_or("");
        [&shell_ctr, &dk_ctr, &priv_ctr].iter().any(|c| *c == n)
    };
    let mut live: Vec<_> = alerts.iter().filter(ours).map(key).collect();
    let mut again: Vec<_> = replayed.iter().filter(ours).map(key).collect();
    live.sort();
    again.sort();
    assert_eq!(live, again, "{stderr}");
}

/// What a storm run saw: the opens made, the driver's events and drops, falco's CPU time, alerts
/// and stderr.
struct Storm {
    opens: u64,
    events: u64,
    drops: u64,
    cpu_ticks: u64,
    alerts: Vec<Value>,
    stderr: String,
}

impl Storm {
    fn drop_fraction(&self) -> f64 {
        self.drops as f64 / self.events.max(1) as f64
    }

    /// falco's CPU time per event it read, in clock ticks per million events.
    fn cpu_per_million(&self) -> f64 {
        self.cpu_ticks as f64 * 1e6 / self.events.saturating_sub(self.drops).max(1) as f64
    }
}

/// User and system CPU time of a live process, in clock ticks (/proc/PID/stat fields 14 and 15).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // After the command name in parentheses come the fields from 3 (state) on.
    let f: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
}

/// Live falco with `docker_socket` as docker's socket while a storm of opens (the default rules
/// watch them) runs for 5 s and a privileged podman container named `name` starts.
fn storm(dir: &Path, s: &Path, engine: &str, docker_socket: &Path, name: &str) -> Storm {
    let cfg = config(s, &engines(dir, docker_socket));
    let live = LiveFalco::start(&cfg, engine, &[]);
    let storm = std::thread::spawn(|| {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let mut n = 0u64;
        while std::time::Instant::now() < until {
            for _ in 0..1000 {
                let _ = std::fs::File::open("/etc/hostname");
            }
            n += 1000;
        }
        n
    });
    run(podman(dir).args([
        "run",
        "-d",
        "--privileged",
        "--name",
        name,
        "localhost/falco-test:1",
        "sleep",
        "60",
    ]));
    let opens = storm.join().unwrap();
    std::thread::sleep(std::time::Duration::from_secs(2));
    let cpu_ticks = cpu_ticks(live.0.id());
    let (alerts, stderr) = live.stop();
    let num = |key: &str| -> u64 {
        stderr
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {key} in {stderr}"))
    };
    let (events, drops) = (num("Driver Events:"), num("Driver Drops:"));
    Storm {
        opens,
        events,
        drops,
        cpu_ticks,
        alerts,
        stderr,
    }
}

#[test]
fn live_syscall_storm_while_a_runtime_never_answers() {
    let Some(dir) = ct_dir() else { return };
    let Some(engine) = live_engine() else { return };
    let s = scratch("ct-storm");
    let silent = s.join("silent.sock");
    silent_socket(&silent);
    let tag = std::process::id();
    // Drops also come from other work on the machine taking falco's CPU, so each try compares
    // against a reference in the same run: the same storm with every runtime answering. A runtime
    // that stalled the event path would lose every try; a busy machine loses one now and then.
    let names: Vec<(String, String)> = (1..=3)
        .map(|i| {
            (
                format!("ct-storm-ref-{tag}-{i}"),
                format!("ct-storm-{tag}-{i}"),
            )
        })
        .collect();
    let _guard = Containers {
        dir: &dir,
        podman: names
            .iter()
            .flat_map(|(r, n)| [r.clone(), n.clone()])
            .collect(),
        docker: Vec::new(),
    };
    let mut tries = Vec::new();
    for (reference_name, name) in &names {
        let reference = storm(&dir, &s, &engine, &dir.join("docker.sock"), reference_name);
        let silent_run = storm(&dir, &s, &engine, &silent, name);
        for (what, r) in [("reference", &reference), ("silent docker", &silent_run)] {
            eprintln!(
                "storm ({what}): {} opens, {} driver events, {} drops ({:.2}%), {:.0} CPU ticks per million events",
                r.opens,
                r.events,
                r.drops,
                100.0 * r.drop_fraction(),
                r.cpu_per_million()
            );
            assert!(
                r.events > r.opens,
                "{what}: {} events for {} opens",
                r.events,
                r.opens
            );
        }
        let Storm { alerts, stderr, .. } = &silent_run;
        assert!(
            find(alerts, "Launch Privileged Container", name).is_some(),
            "{alerts:?}\n{stderr}"
        );
        assert_eq!(
            stderr.matches("Container runtime docker at").count(),
            1,
            "{stderr}"
        );
        // Keeping up: a runtime that never answers costs no more drops, and no more CPU per
        // event, than the storm itself does.
        let kept_up = silent_run.drop_fraction() <= 2.0 * reference.drop_fraction() + 0.01
            && silent_run.cpu_per_million() <= 1.5 * reference.cpu_per_million() + 10.0;
        tries.push(format!(
            "silent docker: {:.2}% drops, {:.0} ticks/M events; reference {:.2}%, {:.0}",
            100.0 * silent_run.drop_fraction(),
            silent_run.cpu_per_million(),
            100.0 * reference.drop_fraction(),
            reference.cpu_per_million()
        ));
        if kept_up {
            return;
        }
    }
    panic!("a silent runtime slowed the event path in every try: {tries:#?}");
}
