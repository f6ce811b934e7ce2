//! Lookups against real docker, podman and containerd daemons, started by tests/containers/run.sh
//! on sockets of their own (FALCO_CT_DIR names their directory; without it these tests say they
//! were skipped: `make container-test` runs them for real).

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use falco_runtimes::{Endpoint, EngineKind, EnginesConfig, Level, Resolver};

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

fn podman(dir: &std::path::Path) -> Command {
    let mut c = Command::new("podman");
    c.arg("--url")
        .arg(format!("unix://{}/podman.sock", dir.display()));
    c
}

fn docker(dir: &std::path::Path) -> Command {
    let mut c = Command::new("/usr/bin/docker");
    c.arg("-H")
        .arg(format!("unix://{}/docker.sock", dir.display()));
    c
}

fn resolve(endpoints: Vec<Endpoint>, id: &str) -> Option<falco_engine::state::ContainerInfo> {
    let r = Resolver::start(
        endpoints,
        &EnginesConfig::default(),
        Arc::new(|_: Level, m: &str| eprintln!("{m}")),
    )
    .unwrap();
    assert!(r.request(id, 1));
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Some(a) = r.try_answer() {
            assert_eq!(a.tid, 1);
            return Some(a.info);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

fn ep(kind: EngineKind, dir: &std::path::Path, sock: &str) -> Endpoint {
    Endpoint {
        kind,
        socket: dir.join(sock),
    }
}

#[test]
fn podman_privileged_with_k8s_labels() {
    let Some(dir) = ct_dir() else { return };
    let name = format!("rt-podman-{}", std::process::id());
    let id = run(podman(&dir).args([
        "run",
        "-d",
        "--privileged",
        "--name",
        &name,
        "--label",
        "io.kubernetes.pod.name=pod-a",
        "--label",
        "io.kubernetes.pod.namespace=ns-a",
        "-v",
        "/etc:/host/etc:ro",
        "localhost/falco-test:1",
        "sleep",
        "60",
    ]));
    let info = resolve(vec![ep(EngineKind::Podman, &dir, "podman.sock")], &id);
    let _ = podman(&dir).args(["rm", "-f", &name]).output();
    let info = info.expect("podman answered");
    assert_eq!(info.name, name);
    assert_eq!(info.full_id, id);
    assert_eq!(info.id, &id[..12]);
    assert_eq!(info.image, "localhost/falco-test:1");
    assert_eq!(
        (info.image_repository.as_str(), info.image_tag.as_str()),
        ("localhost/falco-test", "1")
    );
    assert!(info.image_digest.starts_with("sha256:"), "{info:?}");
    assert_eq!(info.privileged, Some(true));
    assert_eq!(info.runtime, "podman");
    assert_eq!(info.k8s_pod_name(), Some("pod-a"));
    assert_eq!(info.k8s_ns_name(), Some("ns-a"));
    assert!(
        info.mounts
            .iter()
            .any(|m| m.source == "/etc" && m.dest == "/host/etc" && !m.rdwr),
        "{:?}",
        info.mounts
    );
    assert!(info.created_time > 1_600_000_000);
}

#[test]
fn docker_and_its_containerd() {
    let Some(dir) = ct_dir() else { return };
    let name = format!("rt-docker-{}", std::process::id());
    let id = run(docker(&dir).args([
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        &name,
        "--user",
        "0",
        "--label",
        "team=sec",
        "falco-test:1",
        "sleep",
        "60",
    ]));
    let by_docker = resolve(vec![ep(EngineKind::Docker, &dir, "docker.sock")], &id[..12]);
    // docker's containers live in containerd's `moby` namespace: the containerd engine finds them too.
    let by_containerd = resolve(
        vec![ep(EngineKind::Containerd, &dir, "containerd.sock")],
        &id,
    );
    let _ = docker(&dir).args(["rm", "-f", &name]).output();
    let d = by_docker.expect("docker answered");
    assert_eq!(d.name, name);
    assert_eq!(d.image, "falco-test:1");
    assert_eq!(
        (d.image_repository.as_str(), d.image_tag.as_str()),
        ("falco-test", "1")
    );
    assert_eq!(d.privileged, Some(false));
    assert_eq!(d.runtime, "docker");
    assert_eq!(d.user, "0");
    assert_eq!(d.label("team"), Some("sec"));
    assert!(!d.image_id.is_empty());
    let c = by_containerd.expect("containerd answered");
    assert_eq!(c.full_id, id);
    assert_eq!(c.runtime, "containerd");
    assert_eq!(c.user, "0");
    assert_eq!(c.privileged, Some(false));
    assert!(!c.host_pid && !c.host_network);
}

#[test]
fn cri_of_containerd_answers_unknown_for_a_container_outside_kubernetes() {
    let Some(dir) = ct_dir() else { return };
    // containerd's CRI plugin serves on the same socket; it knows only Kubernetes containers.
    let rt = tokio_rt();
    let sock = dir.join("containerd.sock");
    let name = rt
        .block_on(falco_runtimes::cri::runtime_name(&sock))
        .expect("CRI Version");
    assert_eq!(name, "containerd");
    let e = rt
        .block_on(falco_runtimes::cri::lookup(
            &sock,
            &"0".repeat(64),
            name,
            100,
        ))
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
}

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}
