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
    // A header of two lines, the rule, and the empty line Falco ends each rule with.
    assert_eq!(out.lines().count(), 4, "{out}");
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

#[test]
fn config_and_rule_schemas_are_json_schemas() {
    let o = run(Command::new(falco_bin()).arg("--config-schema"));
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["$schema"], "http://json-schema.org/draft-06/schema#");
    assert_eq!(
        v["properties"]["webserver"]["properties"]["listen_port"]["type"],
        "integer"
    );
    assert_eq!(
        v["properties"]["syscall_event_drops"]["properties"]["actions"]["type"],
        "array"
    );
    let o = run(Command::new(falco_bin()).arg("--rule-schema"));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["type"], "array");
    assert!(v["definitions"]["FalcoRule"]["properties"]["capture_duration"].is_object());
}

#[test]
fn plugins_page_size_and_sources_as_falco_0_44() {
    let dir = scratch("plugins");
    let cfg = config(&dir, "");
    let with_dir = scratch("plugins-container");
    let bad_dir = scratch("plugins-k8saudit");
    let o = run(falco(&cfg).arg("--list-plugins"));
    assert_eq!(stdout(&o), "0 Plugins Loaded:\n\n\n");
    let with = config(
        &with_dir,
        "load_plugins: [container]\nplugins:\n  - name: container\n    library_path: libcontainer.so\n",
    );
    let o = run(falco(&with).arg("--list-plugins"));
    assert!(
        stdout(&o).starts_with("1 Plugins Loaded:\n\nName: container\n"),
        "{}",
        stdout(&o)
    );
    let o = run(falco(&with).args(["--plugin-info", "libcontainer.so"]));
    assert!(
        stdout(&o).contains("Init config schema type:"),
        "{}",
        stdout(&o)
    );
    let o = run(falco(&cfg).args(["--plugin-info", "k8saudit"]));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("can't find plugin and print its info: k8saudit"));
    // The k8saudit and json plugins, in load order, each as the plugin describes itself.
    let k8s_dir = scratch("plugins-k8saudit-json");
    let k8s = config(
        &k8s_dir,
        "load_plugins: [k8saudit, json]\nplugins:\n  - name: k8saudit\n    library_path: libk8saudit.so\n    open_params: \"http://:9765/k8s-audit\"\n  - name: json\n    library_path: libjson.so\n",
    );
    let o = run(falco(&k8s).arg("--list-plugins"));
    assert_eq!(
        stdout(&o),
        "2 Plugins Loaded:\n\n\
         Name: k8saudit\nDescription: Read Kubernetes Audit Events and monitor Kubernetes Clusters\n\
         Contact: github.com/falcosecurity/plugins\nVersion: 0.18.0\nCapabilities: \n\
         \x20 - Event Sourcing (ID=1, source='k8s_audit')\n  - Field Extraction\n\n\
         Name: json\nDescription: implements extracting arbitrary fields from inputs formatted as JSON\n\
         Contact: github.com/falcosecurity/plugins/\nVersion: 0.7.4\nCapabilities: \n\
         \x20 - Field Extraction\n\n\n"
    );
    let o = run(falco(&k8s).args(["--plugin-info", "libk8saudit.so"]));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("Name: k8saudit\n")
            && stdout(&o).contains("Init config schema type: ")
            && stdout(&o).contains("No suggested open params available"),
        "{}",
        stdout(&o)
    );
    let bad = config(
        &bad_dir,
        "load_plugins: [cloudtrail]\nplugins:\n  - name: cloudtrail\n    library_path: libcloudtrail.so\n",
    );
    let o = run(falco(&bad).arg("-r").arg(test_rules()).arg("--dry-run"));
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("plugin 'cloudtrail' cannot be loaded"),
        "{}",
        stderr(&o)
    );
    let o = run(falco(&cfg).arg("--page-size"));
    assert!(
        stderr(&o).contains("Your system page size is: "),
        "{}",
        stderr(&o)
    );
    for (args, msg) in [
        (
            vec!["--enable-source", "syscall", "--disable-source", "syscall"],
            "You can not mix --enable-source and --disable-source",
        ),
        (
            vec!["--enable-source", "k8s_audit"],
            "Attempted enabling an unknown event source: k8s_audit",
        ),
        (
            vec!["--disable-source", "syscall"],
            "Must enable at least one event source",
        ),
    ] {
        let o = run(falco(&cfg)
            .arg("-r")
            .arg(test_rules())
            .args(&args)
            .args(["-o", "engine.kind=nodriver"]));
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(msg), "{args:?}: {}", stderr(&o));
    }
    // Replaying, the source options are ignored, as in Falco.
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args(["--disable-source", "syscall", "-e"])
        .arg(trace("cat_write.scap")));
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn list_formats_and_the_deprecated_markdown_flag() {
    let o = run(Command::new(falco_bin()).args(["--list", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["fieldclasses"][0]["fields"][0]["name"].is_string());
    let o = run(Command::new(falco_bin()).args(["--list-events", "--format", "markdown"]));
    assert!(
        stdout(&o).contains("Default | Dir | Name | Params"),
        "{}",
        stdout(&o)
    );
    let o = run(Command::new(falco_bin()).args(["--list-events", "--markdown"]));
    assert!(
        stderr(&o).contains("WARNING: --markdown is deprecated, use --format markdown instead.")
    );
    let o = run(Command::new(falco_bin()).args(["--list", "--markdown", "--format", "json"]));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("Cannot specify both --markdown and --format options together"));
    let o = run(Command::new(falco_bin()).args(["--list", "--format", "yaml"]));
    assert!(stderr(&o).contains("Invalid format 'yaml'. Valid values are: text, markdown, json"));
}

#[test]
fn version_support_and_validation_json_have_falcos_shape() {
    let dir = scratch("shapes");
    let cfg = config(&dir, "json_output: true\n");
    let o = run(falco(&cfg).arg("--version"));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for k in [
        "falco_version",
        "libs_version",
        "plugin_api_version",
        "engine_version",
        "engine_version_semver",
        "driver_api_version",
        "driver_schema_version",
        "default_driver_version",
    ] {
        assert!(v.get(k).is_some(), "{k}");
    }
    let o = run(falco(&cfg).arg("-r").arg(test_rules()).arg("--support"));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for k in ["sysname", "nodename", "release", "version", "machine"] {
        assert!(v["system_info"][k].is_string(), "{k}");
    }
    assert!(v["engine_info"]["falco_version"].is_string());
    assert!(v["config"].as_str().unwrap().starts_with('{'));
    assert_eq!(
        v["rules_files"][0]["name"],
        test_rules().display().to_string()
    );
    assert!(
        v["rules_files"][0]["variants"][0]["content"]
            .as_str()
            .unwrap()
            .contains("- rule: cat_write")
    );
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "- rule: broken\n  desc: d\n  condition: proc.name = \n  output: o\n  priority: WARNING\n",
    )
    .unwrap();
    let o = run(falco(&cfg).arg("-V").arg(&bad));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let r = &v["falco_load_results"][0];
    assert_eq!(r["successful"], false);
    let e = &r["errors"][0];
    assert!(e["code"].as_str().unwrap().starts_with("LOAD_ERR_"));
    assert!(e["codedesc"].is_string() && e["message"].is_string());
    let loc = &e["context"]["locations"][0];
    assert_eq!(loc["position"]["name"], bad.display().to_string());
    assert!(loc["position"]["line"].as_u64().unwrap() >= 1);
    assert!(e["context"]["snippet"].is_string());
}
