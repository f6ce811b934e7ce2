//! Decoding bugs seen while replaying real captures with Falco's rules, each on a capture written
//! by the generator (`falco-gen --scenario decoding`, cases listed at `write_decoding_cases`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The decoding capture, written once per test run.
fn capture() -> &'static Path {
    static CAP: OnceLock<PathBuf> = OnceLock::new();
    CAP.get_or_init(|| {
        let dir = common::scratch("decoding-cap");
        let cap = dir.join("decoding.scap");
        falco_gen::write_decoding_cases(&cap, false).unwrap();
        cap
    })
}

/// `falco inspect -p FMT capture FILTER`: one line per event the filter selects.
fn inspect(fmt: &str, filter: &str) -> Vec<String> {
    let o = common::run(
        Command::new(common::falco_bin())
            .env("TZ", "UTC")
            .arg("inspect")
            .arg("-p")
            .arg(fmt)
            .arg(capture())
            .arg(filter),
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    common::stdout(&o).lines().map(str::to_string).collect()
}

#[test]
fn fd_nameraw_is_the_path_as_opened_not_the_normalized_one() {
    let lines = inspect(
        "%fd.name|%fd.nameraw",
        "evt.type=openat and evt.dir=< and proc.name=python3",
    );
    assert_eq!(lines, ["/etc/shadow|/etc/../etc/../etc/shadow"]);
}

#[test]
fn openat_with_an_empty_enter_path_takes_the_exit_events_name() {
    let lines = inspect(
        "%fd.name|%fd.directory|%fd.filename",
        "evt.type=openat and evt.dir=< and proc.name=cat",
    );
    assert_eq!(lines, ["/etc/hostname|/etc|hostname"]);
}

#[test]
fn container_event_is_shown_with_the_fields_of_its_container() {
    let lines = inspect(
        "%thread.tid|%container.id|%container.name|%container.privileged|%container.image.repository|%k8s.ns.name|%k8s.pod.name|%container.mount.dest[0]",
        "evt.type=container",
    );
    assert_eq!(
        lines,
        ["-1|5c7f2e9a1b3d|runner|true|docker.io/library/alpine|shop|web-0|/var/run/docker.sock"]
    );
}

#[test]
fn container_event_fires_launch_privileged_container() {
    let dir = common::scratch("decoding-privileged");
    let rules = dir.join("rules.yaml");
    // The condition of Falco's "Launch Privileged Container", with its macros inlined.
    std::fs::write(
        &rules,
        "- rule: Launch Privileged Container\n  desc: a privileged container starts\n  condition: evt.type = container and container.id != host and container.privileged = true\n  output: Privileged container started (%container.info image=%container.image.repository:%container.image.tag)\n  priority: INFO\n",
    )
    .unwrap();
    let cfg = common::config(&dir, "");
    let o = common::run(
        common::falco(&cfg)
            .arg("-r")
            .arg(&rules)
            .arg("-e")
            .arg(capture()),
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let alerts: Vec<_> = common::alerts(&o)
        .into_iter()
        .filter(|l| l.contains("Privileged container started"))
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(
        alerts[0].ends_with(
            "(container_id=5c7f2e9a1b3d container_name=runner image=docker.io/library/alpine:3.19)"
        ),
        "{}",
        alerts[0]
    );
}

#[test]
fn container_info_on_the_host_is_host_id_and_name() {
    let dir = common::scratch("decoding-host-info");
    let rules = dir.join("rules.yaml");
    std::fs::write(
        &rules,
        "- rule: ls ran\n  desc: ls\n  condition: evt.type = execve and evt.dir = < and proc.name = ls\n  output: ls ran (%container.info)\n  priority: INFO\n",
    )
    .unwrap();
    let cfg = common::config(&dir, "");
    let o = common::run(
        common::falco(&cfg)
            .arg("-r")
            .arg(&rules)
            .arg("-e")
            .arg(capture()),
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let alerts = common::alerts(&o);
    assert!(
        alerts
            .iter()
            .any(|l| l.ends_with("ls ran (container_id=host container_name=host)")),
        "{alerts:?}"
    );
}

/// libs_test_ipv6_client.scap connects its UDP socket again (event 230) with a connect enter of the
/// oldest layout, the fd alone: Falco's libs forget the destination there and take the exit's tuple,
/// so the socket then names the new peer (Falco 0.40 raises no second Unexpected UDP Traffic).
#[test]
fn connect_enter_without_an_address_takes_the_exits_destination() {
    let trace = common::trace("libs_test_ipv6_client.scap");
    let o = common::run(
        Command::new(common::falco_bin())
            .env("TZ", "UTC")
            .arg("inspect")
            .arg("-p")
            .arg("%evt.num %fd.name")
            .arg(&trace)
            .arg("evt.num in (229, 233)"),
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert_eq!(
        common::stdout(&o).lines().collect::<Vec<_>>(),
        [
            "229 ::1:38255->::1:2345",
            "233 ::1:38255->2001:4860:4860::8888:53"
        ]
    );
}
