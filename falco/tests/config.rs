//! falco.yaml as Falco 0.44 reads it: Falco's stock files, config_files, `${VAR}`, YAML booleans,
//! wrong types, unknown and unimplemented keys, and one test per key showing its effect.

mod common;

use common::*;
use std::process::{Command, Output};

/// Replays `trace_name` with the quiet test configuration plus `extra`.
fn replay_with(name: &str, extra: &str, trace_name: &str, args: &[&str]) -> Output {
    let dir = scratch(name);
    replay(&dir, extra, trace_name, args)
}

fn warnings(o: &Output) -> Vec<String> {
    stderr(o)
        .lines()
        .filter(|l| l.contains("configuration key") || l.contains("(ignored)"))
        .map(str::to_string)
        .collect()
}

#[test]
fn stock_falco_yaml_0_44_1_loads_unchanged_without_warnings() {
    let cfg = stock_config("0.44.1");
    let o = run(Command::new(falco_bin())
        .arg("-c")
        .arg(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("--dry-run"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(warnings(&o).is_empty(), "{:#?}", warnings(&o));
    assert!(
        stderr(&o).contains(&format!("   {} | schema validation: ok", cfg.display())),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stock_falco_yaml_0_40_0_loads_warning_only_for_what_falco_0_44_dropped() {
    let o = run(Command::new(falco_bin())
        .arg("-c")
        .arg(stock_config("0.40.0"))
        .arg("-r")
        .arg(test_rules())
        .arg("--dry-run"));
    assert!(o.status.success(), "{}", stderr(&o));
    let w = warnings(&o);
    let named: Vec<&str> = w.iter().filter_map(|l| l.split('\'').nth(1)).collect();
    // Falco 0.44 no longer has gRPC, the legacy eBPF probe or gVisor (container_engines is read
    // as the container plugin's engines).
    assert_eq!(
        named,
        ["engine.ebpf", "engine.gvisor", "grpc_output", "grpc"],
        "{w:#?}"
    );
}

#[test]
fn stock_files_replay_a_trace() {
    for v in ["0.40.0", "0.44.1"] {
        // The webserver of the stock file listens on 8765; tests run side by side, so any port.
        let o = run(Command::new(falco_bin())
            .env("TZ", "UTC")
            .arg("-c")
            .arg(stock_config(v))
            .arg("-e")
            .arg(trace("cat_write.scap"))
            .arg("-r")
            .arg(test_rules())
            .args(["-o", "webserver.listen_port=0"]));
        assert!(o.status.success(), "{v}: {}", stderr(&o));
        assert_eq!(alerts(&o).len(), 4, "{v}: {}", stdout(&o));
    }
}

/// The stock file selects modern_ebpf: falco opens the CO-RE eBPF driver with it, live, as root
/// (loading BPF programs needs root; elsewhere the start fails saying why).
#[test]
fn stock_falco_yaml_0_44_1_runs_live_on_modern_ebpf() {
    let o = run(Command::new(falco_bin())
        .arg("-c")
        .arg(stock_config("0.44.1"))
        .arg("-r")
        .arg(test_rules())
        .args(["-M", "2", "-o", "webserver.listen_port=0"])
        .args(["-o", "stdout_output.enabled=false"]));
    let err = stderr(&o);
    assert!(
        err.contains("Opening 'syscall' source with modern BPF probe"),
        "{err}"
    );
    // /proc/self belongs to the effective user.
    let root = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata("/proc/self").unwrap()) == 0;
    if root {
        assert!(o.status.success(), "{err}");
    } else {
        assert_eq!(o.status.code(), Some(1), "{err}");
    }
}

#[test]
fn engine_kinds_falco_dropped_get_falcos_error_and_nodriver_runs() {
    let dir = scratch("kinds");
    for kind in ["ebpf", "gvisor"] {
        let cfg = config(&dir, &format!("engine:\n  kind: {kind}\n"));
        let o = run(falco(&cfg).arg("-r").arg(test_rules()));
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(
            stderr(&o),
            format!(
                "Error: Error reading config file ({}): engine.kind '{kind}' is not a valid kind.\n",
                cfg.display()
            )
        );
    }
    let cfg = config(&dir, "engine:\n  kind: nodriver\n");
    let o = run(falco(&cfg).arg("-r").arg(test_rules()).args(["-M", "1"]));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Opening 'syscall' source with no driver"));
}

#[test]
fn grpc_enabled_stops_the_start_naming_http_output() {
    let dir = scratch("grpc");
    let cfg = config(
        &dir,
        "grpc:\n  enabled: true\n  bind_address: unix:///run/falco/falco.sock\n",
    );
    let o = run(falco(&cfg).arg("-r").arg(test_rules()).arg("--dry-run"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!("Error: {}:", cfg.display()))
            && err.contains("configuration key 'grpc.enabled'"),
        "{err}"
    );
    assert!(err.contains("gRPC was removed from Falco in 0.44") && err.contains("http_output"));
}

/// 1-based line and column of the last `needle` in `text` (the test's lines come last).
fn position(text: &str, needle: &str) -> (usize, usize) {
    for (i, l) in text
        .lines()
        .enumerate()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        if let Some(c) = l.find(needle) {
            return (i + 1, c + 1);
        }
    }
    panic!("{needle} not in {text}")
}

#[test]
fn wrong_type_sections_webserver_false_and_syslog_output_no_stop_the_start() {
    let dir = scratch("types");
    // Both once logged an "unknown key" warning while the webserver and syslog stayed on.
    for (yaml, value, key, expected) in [
        (
            "webserver: false\n",
            "false",
            "webserver",
            "a map with the keys enabled",
        ),
        (
            "syslog_output: no\n",
            "no",
            "syslog_output",
            "a map with the keys enabled",
        ),
        (
            "syslog_output:\n  enabled: maybe\n",
            "maybe",
            "syslog_output.enabled",
            "a boolean",
        ),
        (
            "outputs_queue:\n  capacity: lots\n",
            "lots",
            "outputs_queue.capacity",
            "an integer",
        ),
    ] {
        let cfg = config(&dir, yaml);
        let text = std::fs::read_to_string(&cfg).unwrap();
        let (line, col) = position(&text, value);
        let o = run(falco(&cfg).arg("-r").arg(test_rules()).arg("--dry-run"));
        assert_eq!(o.status.code(), Some(1), "{yaml}");
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("Error: {}:{line}:{col}: ", cfg.display())),
            "{yaml}: {err}"
        );
        assert!(
            err.contains(&format!("'{key}': expected {expected}")),
            "{err}"
        );
    }
}

#[test]
fn yaml_booleans_as_yaml_cpp_reads_them() {
    // `webserver: {enabled: Off}` and `syslog_output: {enabled: no}` turn them off.
    let o = replay_with(
        "booleans",
        "webserver:\n  enabled: Off\nsyslog_output:\n  enabled: no\njson_output: YES\n",
        "cat_write.scap",
        &[],
    );
    assert!(!stderr(&o).contains("Starting health webserver"));
    assert!(
        stderr(&o).contains("Enabled outputs: stdout\n"),
        "{}",
        stderr(&o)
    );
    assert!(alerts(&o)[0].starts_with('{'), "{}", stdout(&o));
}

#[test]
fn unknown_keys_warn_with_their_position() {
    let dir = scratch("unknown");
    let cfg = config(
        &dir,
        "surprise_key: 1\nwebserver:\n  enabled: false\n  nope: 2\n",
    );
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace("cat_write.scap")));
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let (line, _) = position(&std::fs::read_to_string(&cfg).unwrap(), "surprise_key");
    let col = "surprise_key: ".len() + 1;
    assert!(
        err.contains(&format!(
            "{}:{line}:{col}: unknown configuration key 'surprise_key' (ignored)",
            cfg.display()
        )),
        "{err}"
    );
    assert!(err.contains("unknown configuration key 'webserver.nope' (ignored)"));
    assert!(err.contains(&format!("   {} | schema validation: failed", cfg.display())));
}

#[test]
fn config_files_merge_files_and_directories_in_falcos_order() {
    let dir = scratch("config-files");
    let confd = dir.join("config.d");
    std::fs::create_dir_all(&confd).unwrap();
    std::fs::write(confd.join("10-json.yaml"), "json_output: true\n").unwrap();
    std::fs::write(
        confd.join("20-rules.yaml"),
        format!("rules_files:\n  - {}\n", test_rules().display()),
    )
    .unwrap();
    let over = dir.join("override.yaml");
    std::fs::write(&over, "json_include_tags_property: false\n").unwrap();
    let cfg = config(
        &dir,
        &format!(
            "rules_files: []\nconfig_files:\n  - {}\n  - path: {}\n    strategy: override\n  - {}/missing.yaml\n",
            confd.display(),
            over.display(),
            dir.display()
        ),
    );
    let o = run(falco(&cfg).arg("-e").arg(trace("cat_write.scap")));
    assert!(o.status.success(), "{}", stderr(&o));
    let a = alerts(&o);
    assert_eq!(
        a.len(),
        4,
        "the rules of config.d are appended: {}",
        stdout(&o)
    );
    let v: serde_json::Value = serde_json::from_str(&a[0]).unwrap();
    assert!(v.get("tags").is_none(), "override.yaml applies: {v}");
    let err = stderr(&o);
    for f in [
        cfg.clone(),
        confd.join("10-json.yaml"),
        confd.join("20-rules.yaml"),
        over,
    ] {
        assert!(
            err.contains(&format!("   {} | schema validation: ok", f.display())),
            "{err}"
        );
    }
}

#[test]
fn env_vars_expand_in_values() {
    let dir = scratch("env");
    let cfg = config(
        &dir,
        "json_output: ${FALCO_TEST_JSON}\npriority: ${FALCO_TEST_UNSET}error\n",
    );
    let o = run(falco(&cfg)
        .env("FALCO_TEST_JSON", "true")
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace("libs_curl_google.scap")));
    assert!(o.status.success(), "{}", stderr(&o));
    let a = alerts(&o);
    // priority: error keeps the 2 ipv6 alerts and drops the debug one; json_output from the env.
    assert_eq!(a.len(), 2, "{a:?}");
    assert!(a.iter().all(|l| l.starts_with('{')));
}

fn rules_in(o: &Output) -> Vec<String> {
    alerts(o)
        .iter()
        .map(|l| l.split(": ").nth(1).unwrap_or("").to_string())
        .collect()
}

#[test]
fn rules_selection_by_name_wildcard_and_tag() {
    let trace_name = "open-multiple-files.scap";
    let all = replay_with("sel-all", "", trace_name, &[]);
    assert_eq!(alerts(&all).len(), 13);
    // Disable by exact name.
    let o = replay_with(
        "sel-name",
        "rules:\n  - disable:\n      rule: open_multiple_files\n",
        trace_name,
        &[],
    );
    assert!(alerts(&o).is_empty());
    // Disable everything by wildcard, enable one tag back.
    let sel = "rules:\n  - disable:\n      rule: \"*\"\n  - enable:\n      tag: python\n";
    let o = replay_with("sel-tag", sel, trace_name, &[]);
    assert_eq!(alerts(&o).len(), 13);
    let o = replay_with("sel-tag-ipv6", sel, "libs_curl_google.scap", &[]);
    assert!(alerts(&o).is_empty(), "only python-tagged rules run");
    // A wildcard inside a name; disable by tag.
    let o = replay_with(
        "sel-wild",
        "rules:\n  - disable:\n      tag: network\n  - enable:\n      rule: \"ipv6_*\"\n",
        "libs_curl_google.scap",
        &[],
    );
    assert_eq!(alerts(&o).len(), 3, "{}", stdout(&o));
    // -D still works on top of the configuration.
    let o = replay_with("sel-cli", sel, trace_name, &["-D", "open_multiple"]);
    assert!(alerts(&o).is_empty());
    // A rule name never matches part of another name.
    let o = replay_with(
        "sel-partial",
        "rules:\n  - disable:\n      rule: open_multiple\n",
        trace_name,
        &[],
    );
    assert_eq!(alerts(&o).len(), 13);
    let _ = rules_in(&o);
}

#[test]
fn append_output_and_static_fields_in_text_and_json() {
    let extra = "static_fields:\n  env: prod\n  team: sec\nappend_output:\n  - match:\n      tags: [network]\n    extra_output: \"(env=%static.env port=%fd.sport)\"\n    extra_fields:\n      - proc.pid\n      - where: \"%static.team/%proc.name\"\n  - match:\n      rule: cat_write\n    suggested_output: true\n";
    let o = replay_with("append", extra, "connect_localhost.scap", &[]);
    let a = alerts(&o);
    assert!(
        a[0].ends_with(
            "loopback connect (connection=127.0.0.1:47192->127.0.0.1:80 port=80) (env=prod port=80)"
        ),
        "{a:?}"
    );
    let o = replay_with(
        "append-json",
        &format!("json_output: true\n{extra}"),
        "connect_localhost.scap",
        &[],
    );
    let v: serde_json::Value = serde_json::from_str(&alerts(&o)[0]).unwrap();
    let f = &v["output_fields"];
    assert_eq!(f["static.env"], "prod");
    assert_eq!(f["fd.sport"], 80);
    assert!(f["proc.pid"].is_number(), "{f}");
    assert!(f["where"].as_str().unwrap().starts_with("sec/"), "{f}");
    assert!(
        v["output"]
            .as_str()
            .unwrap()
            .ends_with("(env=prod port=80)")
    );
    // Only the rules an entry matches: cat_write has the suggested static fields, not the rest.
    let o = replay_with("append-cat", extra, "cat_write.scap", &[]);
    for l in alerts(&o) {
        assert!(l.ends_with(" static_env=prod static_team=sec"), "{l}");
    }
}

#[test]
fn capture_on_alert_writes_falcos_file_around_the_alert() {
    let dir = scratch("capture");
    let rules = dir.join("rules.yaml");
    std::fs::write(
        &rules,
        "- rule: connect_localhost\n  desc: d\n  condition: evt.type = connect and evt.dir = < and fd.sip = 127.0.0.1\n  output: \"loopback connect %fd.name\"\n  priority: NOTICE\n  capture: true\n  capture_duration: 100\n",
    )
    .unwrap();
    let prefix = dir.join("cap");
    let cfg = config(
        &dir,
        &format!(
            "capture:\n  enabled: true\n  path_prefix: {}\n  mode: rules\n  default_duration: 5000\n",
            prefix.display()
        ),
    );
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(&rules)
        .arg("-e")
        .arg(trace("connect_localhost.scap")));
    assert!(o.status.success(), "{}", stderr(&o));
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scap"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    // cap_<20-digit event time>_<20-digit event number>.scap
    let parts: Vec<&str> = name.trim_end_matches(".scap").split('_').collect();
    assert_eq!(parts[0], "cap");
    assert_eq!((parts[1].len(), parts[2].len()), (20, 20), "{name}");
    let alert_ts: u64 = parts[1].parse().unwrap();
    // The capture starts at the alert; it ends with the first event at or past the rule's 100 ms.
    let times = event_times(&files[0]);
    assert_eq!(times[0], alert_ts);
    let deadline = alert_ts + 100_000_000;
    assert!(
        times[..times.len() - 1].iter().all(|t| *t < deadline),
        "{times:?}"
    );
    // falco reads it back (it starts with the state falco had, then the alert's event).
    let back = run(Command::new(falco_bin()).arg("inspect").arg(&files[0]));
    assert!(back.status.success(), "{}", stderr(&back));
    assert_eq!(
        stdout(&back).lines().count(),
        times.len(),
        "{}",
        stdout(&back)
    );
    assert!(
        stdout(&back).lines().next().unwrap().contains("connect"),
        "{}",
        stdout(&back)
    );
    // all_rules: any alert starts one; without capture: true and in rules mode, none.
    std::fs::remove_file(&files[0]).unwrap();
    let plain = dir.join("plain.yaml");
    std::fs::write(
        &plain,
        std::fs::read_to_string(&rules)
            .unwrap()
            .replace("  capture: true\n", ""),
    )
    .unwrap();
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(&plain)
        .arg("-e")
        .arg(trace("connect_localhost.scap")));
    assert!(o.status.success());
    assert!(
        !std::fs::read_dir(&dir).unwrap().any(|e| e
            .unwrap()
            .path()
            .extension()
            .is_some_and(|x| x == "scap"))
    );
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(&plain)
        .args(["-o", "capture.mode=all_rules", "-e"])
        .arg(trace("connect_localhost.scap")));
    assert!(o.status.success());
    assert!(
        std::fs::read_dir(&dir).unwrap().any(|e| e
            .unwrap()
            .path()
            .extension()
            .is_some_and(|x| x == "scap"))
    );
}

#[test]
fn metrics_gate_needs_metrics_enabled_and_prometheus_enabled() {
    let dir = scratch("gate");
    let cfg = config(&dir, "");
    for (metrics, prom, want) in [(false, true, 404), (true, false, 404), (true, true, 200)] {
        let s = Served::start(
            &cfg,
            &[
                "-r",
                test_rules().to_str().unwrap(),
                "-o",
                &format!("metrics.enabled={metrics}"),
                "-o",
                &format!("webserver.prometheus_metrics_enabled={prom}"),
                "-o",
                "metrics.output_rule=true",
                "-o",
                "engine.kind=nodriver",
            ],
        );
        let (status, _) = http_get(s.port, "/metrics");
        assert_eq!(status, want, "metrics {metrics}, prometheus {prom}");
    }
}

#[test]
fn outputs_queue_capacity_zero_means_no_limit() {
    let (port, rx) = http_server(std::time::Duration::from_millis(20));
    let http = format!(
        "http_output:\n  enabled: true\n  url: http://127.0.0.1:{port}/\nstdout_output:\n  enabled: false\n"
    );
    let o = replay_with(
        "queue-0",
        &format!("outputs_queue:\n  capacity: 0\n{http}"),
        "open-multiple-files.scap",
        &[],
    );
    assert!(!stderr(&o).contains("queue full"), "{}", stderr(&o));
    let received = (0..13)
        .take_while(|_| rx.recv_timeout(std::time::Duration::from_secs(5)).is_ok())
        .count();
    assert_eq!(received, 13);
    let o = replay_with(
        "queue-1",
        &format!("outputs_queue:\n  capacity: 1\n{http}"),
        "open-multiple-files.scap",
        &[],
    );
    assert!(stderr(&o).contains("queue full"), "{}", stderr(&o));
}

#[test]
fn falco_libs_thread_table_size_bounds_the_thread_table() {
    // Threads the table had no room for are counted (falco.n_drops_full_threadtable).
    let dropped = |size: &str| {
        let dir = scratch(&format!("threads-{size}"));
        let file = dir.join("metrics.jsonl");
        let o = replay(
            &dir,
            &format!(
                "falco_libs:\n  thread_table_size: {size}\nmetrics:\n  enabled: true\n  interval: 100ms\n  output_rule: false\n  include_empty_values: true\n  output_file: {}\n",
                file.display()
            ),
            "cat_write.scap",
            &["-M", "1"],
        );
        assert!(o.status.success());
        let text = std::fs::read_to_string(&file).unwrap();
        let v: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
        let f = &v["output_fields"];
        (
            f["falco.n_threads"].as_u64().unwrap(),
            f["falco.n_drops_full_threadtable"].as_u64().unwrap(),
        )
    };
    // cat_write.scap's process list holds 73 threads.
    assert_eq!(dropped("262144"), (73, 0));
    assert_eq!(dropped("20"), (20, 53));
}

#[test]
fn capture_max_file_size_mb_closes_the_capture_and_says_so() {
    let dir = scratch("capture-size");
    let rules = dir.join("rules.yaml");
    std::fs::write(
        &rules,
        "- rule: opens\n  desc: d\n  condition: evt.type = openat and evt.dir = <\n  output: \"open %fd.name\"\n  priority: NOTICE\n  capture: true\n  capture_duration: 600000\n",
    )
    .unwrap();
    let cfg = config(
        &dir,
        &format!(
            "capture:\n  enabled: true\n  path_prefix: {}\n  max_file_size_mb: 1\njson_output: true\n",
            dir.join("big").display()
        ),
    );
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(&rules)
        .arg("-e")
        .arg(trace("modern_scenario.scap")));
    assert!(o.status.success(), "{}", stderr(&o));
    let limit: Vec<serde_json::Value> = alerts(&o)
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v["rule"] == "Falco internal: capture size limit reached")
        .collect();
    assert!(!limit.is_empty(), "{}", stderr(&o));
    assert_eq!(
        limit[0]["output"],
        "Falco internal: capture size limit reached. Configured limit: 1 MB."
    );
    assert_eq!(limit[0]["priority"], "Informational");
    assert_eq!(limit[0]["output_fields"]["max_file_size_mb"], 1);
    assert!(limit[0]["output_fields"]["written_bytes"].as_u64().unwrap() >= 1 << 20);
    let first = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scap"))
        .min()
        .unwrap();
    // The event bytes of the closed capture reach the limit, not much more.
    let events: usize = blocks(&decompressed(&first))
        .iter()
        .filter(|(_, _, ts)| ts.is_some())
        .map(|(_, len, _)| *len)
        .sum();
    assert!((1 << 20..3 << 19).contains(&events), "{events}");
}
