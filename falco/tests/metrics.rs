//! Prometheus /metrics as the official Falco Grafana dashboard reads it: every metric it queries is
//! there, with Falco's names, labels and types.

mod common;

use common::*;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What the official dashboard (falcosecurity/charts, charts/falco/dashboards/falco-dashboard.json)
/// queries: metric name, the labels its queries select or group by, and Falco's type.
const DASHBOARD: &[(&str, &[&str], &str)] = &[
    (
        "falcosecurity_falco_rules_matches_total",
        &["rule_name", "source", "priority"],
        "counter",
    ),
    ("falcosecurity_scap_n_evts_total", &[], "counter"),
    ("falcosecurity_falco_n_evts_total", &[], "counter"),
    ("falcosecurity_falco_memory_rss_bytes", &[], "gauge"),
    ("falcosecurity_falco_memory_vsz_bytes", &[], "gauge"),
    ("falcosecurity_falco_cpu_usage_ratio", &[], "gauge"),
    ("falcosecurity_scap_n_drops_total", &[], "counter"),
    (
        "falcosecurity_falco_outputs_queue_num_drops_total",
        &[],
        "counter",
    ),
    (
        "falcosecurity_scap_n_drops_buffer_total",
        &["dir", "drop"],
        "counter",
    ),
    ("falcosecurity_scap_n_drops_cpu_total", &["cpu"], "counter"),
    (
        "falcosecurity_scap_n_drops_full_threadtable_total",
        &[],
        "counter",
    ),
    (
        "falcosecurity_scap_n_drops_scratch_map_total",
        &[],
        "counter",
    ),
    ("falcosecurity_falco_version_info", &["version"], "gauge"),
    (
        "falcosecurity_scap_engine_name_info",
        &["engine_name"],
        "gauge",
    ),
];

const DROP_PANELS: &[&str] = &[
    "clone_fork",
    "connect",
    "dir_file",
    "execve",
    "open",
    "other_interest",
];

fn types(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((it.next()?.to_string(), it.next()?.to_string()))
        })
        .collect()
}

#[test]
fn every_metric_of_the_official_grafana_dashboard_is_served() {
    let dir = scratch("dashboard");
    let cfg = config(
        &dir,
        "metrics:\n  enabled: true\n  interval: 1h\n  output_rule: false\n  kernel_event_counters_per_cpu_enabled: true\n",
    );
    let s = Served::start(
        &cfg,
        &[
            "-r",
            test_rules().to_str().unwrap(),
            "-o",
            "webserver.prometheus_metrics_enabled=true",
            "-M",
            "30",
            "-e",
            trace("cat_write.scap").to_str().unwrap(),
        ],
    );
    // The replay of a small trace is done well within the -M window; wait for its counters. A
    // scrape reads the counters one after the other while the replay may still run (it takes a
    // millisecond): one that started before the end can show every event counted by falco but not
    // yet by the source, or no rule match or per-CPU counter yet; so wait for all of them.
    let deadline = Instant::now() + Duration::from_secs(20);
    let (text, samples) = loop {
        let (status, text) = http_get(s.port, "/metrics");
        assert_eq!(status, 200, "{text}");
        let samples = parse_prometheus(&text);
        let has = |name: &str, want: Option<f64>| {
            samples
                .iter()
                .any(|(n, _, v)| n == name && want.is_none_or(|w| *v == w))
        };
        let done = has("falcosecurity_falco_n_evts_total", Some(345.0))
            && has("falcosecurity_scap_n_evts_total", Some(345.0))
            && has("falcosecurity_falco_rules_matches_total", None)
            && has("falcosecurity_scap_n_drops_cpu_total", None);
        if done || Instant::now() > deadline {
            break (text, samples);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let types = types(&text);
    for (name, labels, kind) in DASHBOARD {
        let found: Vec<_> = samples.iter().filter(|(n, _, _)| n == name).collect();
        assert!(!found.is_empty(), "{name} missing:\n{text}");
        assert_eq!(types.get(*name).map(String::as_str), Some(*kind), "{name}");
        for l in *labels {
            assert!(
                found
                    .iter()
                    .all(|(_, ls, _)| ls.iter().any(|(k, _)| k == l)),
                "{name} lacks label {l}: {found:?}"
            );
        }
    }
    // Each drop panel of the dashboard selects one dir/drop pair.
    for dir in ["enter", "exit"] {
        for drop in DROP_PANELS {
            assert!(
                samples
                    .iter()
                    .any(|(n, ls, _)| n == "falcosecurity_scap_n_drops_buffer_total"
                        && ls.contains(&("dir".into(), dir.into()))
                        && ls.contains(&("drop".into(), drop.to_string()))),
                "{dir}/{drop}"
            );
        }
    }
    let get = |name: &str| samples.iter().find(|(n, _, _)| n == name).map(|s| s.2);
    assert_eq!(get("falcosecurity_scap_n_evts_total"), Some(345.0));
    assert!(get("falcosecurity_falco_memory_rss_bytes").unwrap() > 1e6);
    assert!(get("falcosecurity_scap_n_threads_total").unwrap() > 0.0);
    assert_eq!(types["falcosecurity_scap_n_threads_total"], "gauge");
    let engine = samples
        .iter()
        .find(|(n, _, _)| n == "falcosecurity_scap_engine_name_info")
        .unwrap();
    assert!(engine.1.contains(&("engine_name".into(), "replay".into())));
    assert!(engine.1.contains(&("evt_source".into(), "syscall".into())));
    let rule = samples
        .iter()
        .find(|(n, _, _)| n == "falcosecurity_falco_rules_matches_total")
        .unwrap();
    assert_eq!(rule.2, 4.0);
    assert!(rule.1.contains(&("rule_name".into(), "cat_write".into())));
    assert!(rule.1.contains(&("tag_filesystem".into(), "true".into())));
}

#[test]
fn metrics_snapshots_have_falcos_field_names() {
    let dir = scratch("snapshot");
    let file = dir.join("metrics.jsonl");
    let o = replay(
        &dir,
        &format!(
            "metrics:\n  enabled: true\n  interval: 200ms\n  output_rule: false\n  include_empty_values: true\n  output_file: {}\n",
            file.display()
        ),
        "cat_write.scap",
        &["-M", "1"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).unwrap();
    let v: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let f = &v["output_fields"];
    for k in [
        "falco.version",
        "falco.num_evts",
        "falco.host_num_cpus",
        "falco.outputs_queue_num_drops",
        "falco.rules.matches_total",
        "falco.cpu_usage_perc",
        "falco.memory_rss_mb",
        "scap.n_evts",
        "scap.n_drops",
        "scap.engine_name",
    ] {
        assert!(f.get(k).is_some(), "{k}: {f}");
    }
    assert_eq!(v["rule"], "Falco internal: metrics snapshot");
    // Falco refuses an interval without a unit when metrics are on.
    let cfg = config(&dir, "metrics:\n  enabled: true\n  interval: 5000\n");
    let o = run(falco(&cfg).arg("-r").arg(test_rules()).arg("--dry-run"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .contains("Metrics interval was passed as numeric value without Prometheus time unit")
    );
}

/// Alerts a full output queue drops are on /metrics (falcosecurity_falco_outputs_queue_num_drops_total),
/// as in the stats file and the -v summary.
#[test]
fn alerts_dropped_by_a_full_output_queue_are_served_on_metrics() {
    let dir = scratch("metrics-queue-drops");
    let (cfg, rules, _rx) = slow_http_queue(
        &dir,
        "metrics:\n  enabled: true\n  interval: 1h\n  output_rule: false\n",
    );
    let s = Served::start(
        &cfg,
        &[
            "-r",
            rules.to_str().unwrap(),
            "-o",
            "webserver.prometheus_metrics_enabled=true",
            "-M",
            "30",
            "-e",
            trace("libs_curl_google.scap").to_str().unwrap(),
        ],
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let drops = loop {
        let (status, text) = http_get(s.port, "/metrics");
        assert_eq!(status, 200, "{text}");
        let v = parse_prometheus(&text)
            .into_iter()
            .find(|(n, _, _)| n == "falcosecurity_falco_outputs_queue_num_drops_total")
            .map(|(_, _, v)| v)
            .unwrap_or_else(|| panic!("no queue drops metric in\n{text}"));
        if v > 100.0 || Instant::now() > deadline {
            break v;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(drops > 100.0, "{drops}");
}
