//! Metrics with Falco's names: the Prometheus text exposition served on /metrics, and the JSON
//! snapshot (the "Falco internal: metrics snapshot" alert and metrics.output_file lines).

use std::fmt::Write as _;
use std::sync::atomic::Ordering;

use serde_json::{Map, Value as Json, json};

use crate::config::MetricsConfig;
use crate::stats::Stats;

/// What metrics say about this falco besides counters.
#[derive(Debug, Clone, Default)]
pub struct Info {
    pub version: String,
    pub hostname: String,
    pub engine_name: String,
    pub kernel_release: String,
    /// (file name, sha256) of each rules file loaded.
    pub rules_files: Vec<(String, String)>,
    /// (file name, sha256) of the configuration file.
    pub config_files: Vec<(String, String)>,
}

fn escape_label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Prometheus label names allow [a-zA-Z0-9_] only.
fn label_name(v: &str) -> String {
    v.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

struct Family<'a> {
    out: &'a mut String,
}

impl Family<'_> {
    fn start<'a>(out: &'a mut String, name: &str, kind: &str) -> Family<'a> {
        let _ = writeln!(out, "# HELP {name} https://falco.org/docs/metrics/");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        Family { out }
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: impl std::fmt::Display) {
        self.out.push_str(name);
        if !labels.is_empty() {
            self.out.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                let _ = write!(self.out, "{k}=\"{}\"", escape_label(v));
            }
            self.out.push('}');
        }
        let _ = writeln!(self.out, " {value}");
    }
}

fn one(
    out: &mut String,
    name: &str,
    kind: &str,
    labels: &[(&str, &str)],
    v: impl std::fmt::Display,
) {
    Family::start(out, name, kind).sample(name, labels, v);
}

/// Resident memory of this process, bytes.
pub fn rss_bytes() -> u64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/statm") else {
        return 0;
    };
    let pages: u64 = s
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    pages * page.max(0) as u64
}

/// CPU time this process used, seconds.
pub fn cpu_seconds() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let Some(rest) = s.rsplit_once(')').map(|r| r.1) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of stat(5); here index 11 and 12.
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    (ticks(11) + ticks(12)) / hz
}

pub fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// The Prometheus text format for /metrics.
pub fn prometheus(stats: &Stats, info: &Info, m: &MetricsConfig) -> String {
    let mut out = String::with_capacity(8192);
    let now = crate::stats::now_ns();
    one(
        &mut out,
        "falcosecurity_falco_version_info",
        "gauge",
        &[("version", &info.version)],
        1,
    );
    {
        let name = "falcosecurity_falco_sha256_rules_files_info";
        let mut f = Family::start(&mut out, name, "gauge");
        for (file, sha) in &info.rules_files {
            f.sample(name, &[("file_name", file), ("sha256", sha)], 1);
        }
    }
    {
        let name = "falcosecurity_falco_sha256_config_files_info";
        let mut f = Family::start(&mut out, name, "gauge");
        for (file, sha) in &info.config_files {
            f.sample(name, &[("file_name", file), ("sha256", sha)], 1);
        }
    }
    one(
        &mut out,
        "falcosecurity_scap_engine_name_info",
        "gauge",
        &[
            ("engine_name", &info.engine_name),
            ("evt_source", "syscall"),
        ],
        1,
    );
    one(
        &mut out,
        "falcosecurity_falco_kernel_release_info",
        "gauge",
        &[("kernel_release", &info.kernel_release)],
        1,
    );
    one(
        &mut out,
        "falcosecurity_evt_hostname_info",
        "gauge",
        &[("hostname", &info.hostname)],
        1,
    );
    if m.rules_counters_enabled {
        let total: u64 = stats.detected.load(Ordering::Relaxed);
        let name = "falcosecurity_falco_rules_matches_total";
        let mut f = Family::start(&mut out, name, "counter");
        let rules = stats.rules();
        for r in &rules.rules {
            let n = r.matches.load(Ordering::Relaxed);
            if n == 0 && !m.include_empty_values {
                continue;
            }
            let prio = (r.priority as u8).to_string();
            let tag_labels: Vec<(String, &str)> = r
                .tags
                .iter()
                .map(|t| (format!("tag_{}", label_name(t)), "true"))
                .collect();
            let mut labels: Vec<(&str, &str)> = vec![
                ("priority", &prio),
                ("rule_name", &r.name),
                ("source", &r.source),
            ];
            labels.extend(tag_labels.iter().map(|(k, v)| (k.as_str(), *v)));
            f.sample(name, &labels, n);
        }
        let _ = total;
    }
    one(
        &mut out,
        "falcosecurity_falco_outputs_queue_num_drops_total",
        "counter",
        &[],
        stats.outputs.total_dropped(),
    );
    {
        let name = "falcosecurity_falco_outputs_channel_alerts_total";
        let mut f = Family::start(&mut out, name, "counter");
        for (ch, sent, dropped, errors) in stats.outputs.snapshot() {
            f.sample(name, &[("output", ch), ("result", "sent")], sent);
            f.sample(name, &[("output", ch), ("result", "dropped")], dropped);
            f.sample(name, &[("output", ch), ("result", "error")], errors);
        }
    }
    one(
        &mut out,
        "falcosecurity_falco_outputs_rate_limited_total",
        "counter",
        &[],
        stats.rate_limited.load(Ordering::Relaxed),
    );
    one(
        &mut out,
        "falcosecurity_falco_events_processed_total",
        "counter",
        &[],
        stats.events.load(Ordering::Relaxed),
    );
    if let Some(a) = stats.audit.get() {
        for (name, v) in a.named() {
            let metric = format!("falcosecurity_falco_k8s_audit_{name}_total");
            one(&mut out, &metric, "counter", &[], v);
        }
    }
    if m.state_counters_enabled {
        one(
            &mut out,
            "falcosecurity_falco_n_threads",
            "gauge",
            &[],
            stats.threads.load(Ordering::Relaxed),
        );
    }
    if m.kernel_event_counters_enabled {
        let s = stats.source();
        one(
            &mut out,
            "falcosecurity_scap_n_evts_total",
            "counter",
            &[],
            s.n_evts,
        );
        one(
            &mut out,
            "falcosecurity_scap_n_drops_buffer_total",
            "counter",
            &[],
            s.n_drops_buffer,
        );
        one(
            &mut out,
            "falcosecurity_scap_n_drops_page_faults_total",
            "counter",
            &[],
            s.n_drops_page_faults,
        );
        one(
            &mut out,
            "falcosecurity_scap_n_drops_bug_total",
            "counter",
            &[],
            s.n_drops_bug,
        );
        one(
            &mut out,
            "falcosecurity_scap_n_drops_too_big_total",
            "counter",
            &[],
            s.n_drops_too_big,
        );
        one(
            &mut out,
            "falcosecurity_scap_n_drops_total",
            "counter",
            &[],
            s.n_drops(),
        );
        one(
            &mut out,
            "falcosecurity_scap_n_preemptions_total",
            "counter",
            &[],
            s.n_preemptions,
        );
    }
    one(
        &mut out,
        "falcosecurity_falco_reload_timestamp_nanoseconds",
        "gauge",
        &[],
        stats.reload_ns.load(Ordering::Relaxed),
    );
    one(
        &mut out,
        "falcosecurity_falco_start_timestamp_nanoseconds",
        "gauge",
        &[],
        stats.start_ns,
    );
    one(
        &mut out,
        "falcosecurity_falco_duration_seconds_total",
        "counter",
        &[],
        now.saturating_sub(stats.start_ns) / 1_000_000_000,
    );
    one(
        &mut out,
        "falcosecurity_falco_host_num_cpus_total",
        "gauge",
        &[],
        num_cpus(),
    );
    if m.resource_utilization_enabled {
        one(
            &mut out,
            "falcosecurity_falco_memory_rss_bytes",
            "gauge",
            &[],
            rss_bytes(),
        );
        one(
            &mut out,
            "falcosecurity_falco_cpu_seconds_total",
            "counter",
            &[],
            format!("{:.3}", cpu_seconds()),
        );
    }
    out
}

/// The `output_fields` of a metrics snapshot, with Falco's `falco.*` and `scap.*` names.
pub fn snapshot_fields(stats: &Stats, info: &Info, m: &MetricsConfig) -> Map<String, Json> {
    let mut f = Map::new();
    let now = crate::stats::now_ns();
    f.insert("evt.hostname".into(), json!(info.hostname));
    f.insert("evt.source".into(), json!("syscall"));
    f.insert("evt.time".into(), json!(now));
    f.insert("falco.version".into(), json!(info.version));
    f.insert("falco.start_ts".into(), json!(stats.start_ns));
    f.insert(
        "falco.reload_ts".into(),
        json!(stats.reload_ns.load(Ordering::Relaxed)),
    );
    f.insert(
        "falco.duration_sec".into(),
        json!(now.saturating_sub(stats.start_ns) / 1_000_000_000),
    );
    f.insert("falco.host_num_cpus".into(), json!(num_cpus()));
    if let Some(a) = stats.audit.get() {
        for (name, v) in a.named() {
            f.insert(format!("falco.k8s_audit.{name}"), json!(v));
        }
    }
    f.insert("falco.kernel_release".into(), json!(info.kernel_release));
    f.insert(
        "falco.num_evts".into(),
        json!(stats.events.load(Ordering::Relaxed)),
    );
    f.insert(
        "falco.outputs_queue_num_drops".into(),
        json!(stats.outputs.total_dropped()),
    );
    f.insert("scap.engine_name".into(), json!(info.engine_name));
    if m.rules_counters_enabled {
        let rules = stats.rules();
        let mut total = 0;
        for r in &rules.rules {
            let n = r.matches.load(Ordering::Relaxed);
            total += n;
            if n > 0 || m.include_empty_values {
                f.insert(format!("falco.rules.{}", label_name(&r.name)), json!(n));
            }
        }
        f.insert("falco.rules.matches_total".into(), json!(total));
    }
    if m.resource_utilization_enabled {
        let rss = rss_bytes();
        if m.convert_memory_to_mb {
            f.insert(
                "falco.memory_rss_mb".into(),
                json!((rss as f64 / 1_048_576.0 * 10.0).round() / 10.0),
            );
        } else {
            f.insert("falco.memory_rss_kb".into(), json!(rss / 1024));
        }
    }
    if m.state_counters_enabled {
        f.insert(
            "falco.n_threads".into(),
            json!(stats.threads.load(Ordering::Relaxed)),
        );
    }
    if m.kernel_event_counters_enabled {
        let s = stats.source();
        f.insert("scap.n_evts".into(), json!(s.n_evts));
        f.insert("scap.n_drops".into(), json!(s.n_drops()));
        f.insert("scap.n_drops_buffer_total".into(), json!(s.n_drops_buffer));
        f.insert(
            "scap.n_drops_page_faults".into(),
            json!(s.n_drops_page_faults),
        );
        f.insert("scap.n_drops_bug".into(), json!(s.n_drops_bug));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::priority::Priority;
    use crate::stats::RuleTable;

    #[test]
    fn exposition_has_rule_counters_with_falcos_labels() {
        let s = Stats::default();
        let t = s.install_rules(RuleTable::new([(
            "Write \"below\" etc".into(),
            Priority::Error,
            "syscall".into(),
            vec!["filesystem".into(), "mitre_persistence".into()],
        )]));
        s.count_match(&t, 0);
        let text = prometheus(
            &s,
            &Info {
                version: "0.1.0".into(),
                hostname: "h".into(),
                engine_name: "replay".into(),
                ..Default::default()
            },
            &crate::config::Config::default().metrics,
        );
        assert!(text.contains(
            "falcosecurity_falco_rules_matches_total{priority=\"3\",rule_name=\"Write \\\"below\\\" etc\",source=\"syscall\",tag_filesystem=\"true\",tag_mitre_persistence=\"true\"} 1\n"
        ), "{text}");
        assert!(text.contains("falcosecurity_scap_n_drops_buffer_total 0\n"));
        // One TYPE line per family.
        let types = text
            .lines()
            .filter(|l| l.starts_with("# TYPE falcosecurity_falco_rules_matches_total"))
            .count();
        assert_eq!(types, 1);
    }
}
