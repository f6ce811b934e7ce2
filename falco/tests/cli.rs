//! The command line's listings and checks: -L/-l, -V, --version, --list, and configuration validation.

mod common;

use common::*;
use std::process::Command;

#[test]
fn describe_rules_with_capital_l_and_l() {
    let dir = scratch("describe");
    let cfg = config(&dir, "");
    let o = run(falco(&cfg).arg("-r").arg(test_rules()).arg("-L"));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Rule "), "{out}");
    for r in [
        "cat_write",
        "connect_localhost",
        "ipv6_sendto",
        "debug_madvise",
    ] {
        assert!(out.lines().any(|l| l.starts_with(r)), "{r}: {out}");
    }
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args(["-l", "connect_localhost"]));
    let out = stdout(&o);
    assert!(
        out.contains("A connection to the loopback address."),
        "{out}"
    );
    assert_eq!(out.lines().count(), 3);
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args(["-o", "json_output=true", "-L"]));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["rules"].as_array().unwrap().len(), 5);
    assert_eq!(v["rules"][0]["info"]["name"], "cat_write");
    assert_eq!(v["macros"][0]["info"]["name"], "opened_ok");
    assert_eq!(v["lists"][0]["info"]["name"], "shell_readers");
    let o = run(falco(&cfg).arg("-r").arg(test_rules()).args(["-l", "nope"]));
    assert!(!o.status.success());
}

#[test]
fn validate_with_capital_v() {
    let dir = scratch("validate");
    let cfg = config(&dir, "");
    let o = run(falco(&cfg).arg("-V").arg(test_rules()));
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains(&format!("{}: Ok", test_rules().display())));
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "- rule: broken\n  desc: d\n  condition: proc.name = \n  output: o\n  priority: WARNING\n",
    )
    .unwrap();
    let o = run(falco(&cfg).arg("-V").arg(&bad));
    assert!(!o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains(&format!("{}: Invalid", bad.display())),
        "{out}"
    );
    assert!(out.contains("broken"), "{out}");
}

#[test]
fn config_unknown_keys_warn_and_invalid_values_stop() {
    let dir = scratch("config");
    let o = replay(&dir, "surprise_key: 1\n", "cat_write.scap", &[]);
    assert!(
        stderr(&o).contains("unknown configuration key 'surprise_key'"),
        "{}",
        stderr(&o)
    );
    let cfg = config(&dir, "rule_matching: sometimes\n");
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace("cat_write.scap")));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("rule_matching"), "{}", stderr(&o));
}

#[test]
fn shipped_falco_yaml_loads_without_warnings() {
    let dir = scratch("shipped");
    let o = run(Command::new(falco_bin())
        .env("TZ", "UTC")
        .arg("-c")
        .arg(repo().join("falco.yaml"))
        .arg("-r")
        .arg(test_rules())
        .args([
            "-o",
            "webserver.enabled=false",
            "-o",
            "syslog_output.enabled=false",
            "-o",
            "log_syslog=false",
            "-e",
        ])
        .arg(trace("cat_write.scap")));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("unknown configuration key"),
        "{}",
        stderr(&o)
    );
    let _ = dir;
}

#[test]
fn version_names_falco_engine_and_probe_versions() {
    let o = run(Command::new(falco_bin()).arg("--version"));
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.starts_with("Falco version: "), "{out}");
    assert!(out.contains("Engine:"), "{out}");
    assert!(out.contains("API version:    1.0.0"), "{out}");
    assert!(out.contains("Schema version: 4.5.1"), "{out}");
}

#[test]
fn list_fields_and_events() {
    let o = run(Command::new(falco_bin()).arg("--list"));
    assert!(stdout(&o).lines().any(|l| l.starts_with("proc.name ")));
    let o = run(Command::new(falco_bin()).args(["--list=syscall", "-N"]));
    assert!(stdout(&o).lines().any(|l| l == "fd.name"));
    let o = run(Command::new(falco_bin()).arg("--list-events"));
    assert!(stdout(&o).lines().any(|l| l.starts_with("> openat(")));
}

/// A rules path that does not exist and has no .yaml extension was skipped: falco ran with 0 rules
/// and exited 0.
#[test]
fn only_missing_rules_paths_stop_the_start() {
    let dir = scratch("missing-rules");
    let cfg = config(&dir, "");
    let missing = dir.join("rules.d");
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(&missing)
        .arg("-e")
        .arg(trace("cat_write.scap")));
    assert!(!o.status.success(), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{} does not exist", missing.display())),
        "{err}"
    );
    // One missing directory beside a rules file that exists: a warning, and the rules run.
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(&missing)
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace("cat_write.scap")));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("does not exist (skipped)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(alerts(&o).len(), 4);
}
