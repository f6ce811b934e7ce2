//! Metrics with Falco's names, labels and types: the Prometheus text served on /metrics (what the
//! official Falco Grafana dashboard queries), and the JSON snapshot (the "Falco internal: metrics
//! snapshot" alert and metrics.output_file lines).
//!
//! Falco's families: `falcosecurity_falco_*` (falco itself and resource utilization),
//! `falcosecurity_scap_*` (driver and state counters), `falcosecurity_evt_hostname_info`.
//! Counters are monotonic; memory is in bytes and CPU as a ratio, as Falco converts them.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;

use serde_json::{Map, Value as Json, json};

use crate::config::MetricsConfig;
use crate::resources::{self, Resources};
use crate::stats::Stats;

pub use crate::resources::num_cpus;

/// What metrics say about this falco besides counters.
#[derive(Debug, Clone, Default)]
pub struct Info {
    pub version: String,
    pub hostname: String,
    pub engine_name: String,
    pub kernel_release: String,
    /// (file name, sha256) of each rules file loaded.
    pub rules_files: Vec<(String, String)>,
    /// (file name, sha256) of each configuration file loaded.
    pub config_files: Vec<(String, String)>,
}

/// Buffer drop categories of Falco's drivers (`drop` label). This falco's probe counts buffer
/// drops as a whole: they are reported as `drop="uncategorized"`, the categories as 0.
pub(crate) const DROP_CATEGORIES: &[&str] = &[
    "clone_fork",
    "execve",
    "connect",
    "open",
    "dir_file",
    "other_interest",
    "close",
    "proc",
];
/// Enter-event categories Falco still reports, always 0.
const DEPRECATED_ENTER: &[&str] = &[
    "clone_fork",
    "execve",
    "connect",
    "open",
    "dir_file",
    "other_interest",
];

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

/// Falco prints doubles with six decimals.
fn double(v: f64) -> String {
    format!("{v:.6}")
}

/// The exposition being written: one HELP and TYPE line per family, then its samples.
#[derive(Default)]
struct Exposition {
    families: Vec<(String, &'static str, String, Vec<String>)>,
}

impl Exposition {
    fn sample(&mut self, name: &str, kind: &'static str, labels: &[(&str, &str)], value: String) {
        self.sample_help(name, kind, "", labels, value);
    }

    fn sample_help(
        &mut self,
        name: &str,
        kind: &'static str,
        help_note: &str,
        labels: &[(&str, &str)],
        value: String,
    ) {
        let mut line = name.to_string();
        if !labels.is_empty() {
            let mut sorted: Vec<&(&str, &str)> = labels.iter().collect();
            sorted.sort_by_key(|(k, _)| *k);
            line.push('{');
            for (i, (k, v)) in sorted.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                let _ = write!(line, "{}=\"{}\"", label_name(k), escape_label(v));
            }
            line.push('}');
        }
        let _ = write!(line, " {value}");
        match self.families.iter_mut().find(|f| f.0 == name) {
            Some(f) => f.3.push(line),
            None => self
                .families
                .push((name.to_string(), kind, help_note.to_string(), vec![line])),
        }
    }

    fn info(&mut self, name: &str, labels: &[(&str, &str)]) {
        self.sample(name, "gauge", labels, "1".into());
    }

    fn counter(&mut self, name: &str, v: u64) {
        self.sample(name, "counter", &[], v.to_string());
    }

    fn gauge(&mut self, name: &str, v: String) {
        self.sample(name, "gauge", &[], v);
    }

    fn text(self) -> String {
        let mut out = String::with_capacity(16 * 1024);
        for (name, kind, note, lines) in self.families {
            let _ = writeln!(out, "# HELP {name} https://falco.org/docs/metrics/{note}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            for l in lines {
                out.push_str(&l);
                out.push('\n');
            }
        }
        out
    }
}

fn rule_counters(e: &mut Exposition, stats: &Stats) {
    let name = "falcosecurity_falco_rules_matches_total";
    for r in &stats.rules().rules {
        let n = r.matches.load(Ordering::Relaxed);
        if n == 0 {
            continue;
        }
        let prio = (r.priority as u8).to_string();
        let tags: Vec<String> = r.tags.iter().map(|t| format!("tag_{t}")).collect();
        let mut labels: Vec<(&str, &str)> = vec![
            ("priority", &prio),
            ("rule_name", &r.name),
            ("source", &r.source),
        ];
        labels.extend(tags.iter().map(|t| (t.as_str(), "true")));
        e.sample(name, "counter", &labels, n.to_string());
    }
}

fn kernel_counters(e: &mut Exposition, stats: &Stats, m: &MetricsConfig) {
    let s = stats.source();
    e.counter("falcosecurity_scap_n_evts_total", s.n_evts);
    let buffer = "falcosecurity_scap_n_drops_buffer_total";
    for cat in DROP_CATEGORIES {
        e.sample(
            buffer,
            "counter",
            &[("dir", "exit"), ("drop", cat)],
            "0".into(),
        );
    }
    e.sample(
        buffer,
        "counter",
        &[("dir", "exit"), ("drop", "uncategorized")],
        s.n_drops_buffer.to_string(),
    );
    e.counter("falcosecurity_scap_n_drops_scratch_map_total", 0);
    e.counter(
        "falcosecurity_scap_n_drops_page_faults_total",
        s.n_drops_page_faults,
    );
    e.counter("falcosecurity_scap_n_drops_bug_total", s.n_drops_bug);
    e.counter(
        "falcosecurity_scap_n_drops_too_big_total",
        s.n_drops_too_big,
    );
    e.counter("falcosecurity_scap_n_drops_total", s.n_drops());
    e.counter("falcosecurity_scap_n_preemptions_total", s.n_preemptions);
    if m.kernel_event_counters_per_cpu_enabled {
        for c in stats.per_cpu() {
            let cpu = c.cpu.to_string();
            let l = [("cpu", cpu.as_str())];
            e.sample(
                "falcosecurity_scap_n_evts_cpu_total",
                "counter",
                &l,
                c.n_evts.to_string(),
            );
            e.sample(
                "falcosecurity_scap_n_drops_cpu_total",
                "counter",
                &l,
                c.n_drops.to_string(),
            );
        }
    }
}

fn resource_utilization(e: &mut Exposition, r: &Resources) {
    let kb = |v: u64| double((v * 1024) as f64);
    e.gauge(
        "falcosecurity_falco_cpu_usage_ratio",
        double(r.cpu_usage_perc / 100.0),
    );
    e.gauge("falcosecurity_falco_memory_rss_bytes", kb(r.memory_rss_kb));
    e.gauge("falcosecurity_falco_memory_vsz_bytes", kb(r.memory_vsz_kb));
    e.gauge("falcosecurity_falco_memory_pss_bytes", kb(r.memory_pss_kb));
    e.gauge(
        "falcosecurity_falco_container_memory_used_bytes",
        double(r.container_memory_used_bytes as f64),
    );
    e.gauge(
        "falcosecurity_falco_host_cpu_usage_ratio",
        double(r.host_cpu_usage_perc / 100.0),
    );
    e.gauge(
        "falcosecurity_falco_host_memory_used_bytes",
        kb(r.host_memory_used_kb),
    );
    e.gauge(
        "falcosecurity_falco_host_procs_running_total",
        r.host_procs_running.to_string(),
    );
    e.gauge(
        "falcosecurity_falco_host_open_fds_total",
        r.host_open_fds.to_string(),
    );
}

fn state_counters(e: &mut Exposition, stats: &Stats) {
    let s = stats.state();
    e.gauge(
        "falcosecurity_scap_n_threads_total",
        s.n_threads.to_string(),
    );
    e.gauge("falcosecurity_scap_n_fds_total", s.n_fds.to_string());
    e.gauge(
        "falcosecurity_scap_n_containers_total",
        s.n_containers.to_string(),
    );
    e.counter(
        "falcosecurity_scap_n_drops_full_threadtable_total",
        s.n_drops_full_threadtable,
    );
    // Beyond Falco's names: everything the state's limits dropped, by kind.
    for (kind, n) in state_drops(&s.drops) {
        e.sample(
            "falcosecurity_falco_state_drops_total",
            "counter",
            &[("kind", kind)],
            n.to_string(),
        );
    }
}

/// What the state's limits dropped, by kind (names as in the -s statistics line).
fn state_drops(d: &falco_engine::state::Drops) -> [(&'static str, u64); 5] {
    [
        ("threads_full", d.threads_full),
        ("threads_memory", d.threads_memory),
        ("fds", d.fds),
        ("containers", d.containers),
        ("metadata", d.metadata),
    ]
}

/// The Prometheus text format for /metrics.
pub fn prometheus(stats: &Stats, info: &Info, m: &MetricsConfig) -> String {
    let mut e = Exposition::default();
    let now = crate::stats::now_ns();
    e.info(
        "falcosecurity_falco_version_info",
        &[("version", &info.version)],
    );
    for (file, sha) in &info.rules_files {
        e.info(
            "falcosecurity_falco_sha256_rules_files_info",
            &[("file_name", file), ("sha256", sha)],
        );
    }
    for (file, sha) in &info.config_files {
        e.info(
            "falcosecurity_falco_sha256_config_files_info",
            &[("file_name", file), ("sha256", sha)],
        );
    }
    if m.rules_counters_enabled {
        rule_counters(&mut e, stats);
    }
    e.info(
        "falcosecurity_scap_engine_name_info",
        &[
            ("engine_name", &info.engine_name),
            ("evt_source", "syscall"),
        ],
    );
    if m.kernel_event_counters_enabled {
        kernel_counters(&mut e, stats, m);
    }
    let res = resources::read_all();
    if m.resource_utilization_enabled {
        resource_utilization(&mut e, &res);
    }
    if m.state_counters_enabled {
        state_counters(&mut e, stats);
    }
    if m.kernel_event_counters_enabled {
        for cat in DEPRECATED_ENTER {
            e.sample_help(
                "falcosecurity_scap_n_drops_buffer_total",
                "counter",
                "",
                &[("dir", "enter"), ("drop", cat)],
                "0".into(),
            );
        }
    }
    e.info(
        "falcosecurity_falco_kernel_release_info",
        &[("kernel_release", &info.kernel_release)],
    );
    e.info(
        "falcosecurity_evt_hostname_info",
        &[("hostname", &info.hostname)],
    );
    e.counter(
        "falcosecurity_falco_outputs_queue_num_drops_total",
        stats.outputs.total_dropped(),
    );
    e.gauge(
        "falcosecurity_falco_reload_timestamp_nanoseconds",
        stats.reload_ns.load(Ordering::Relaxed).to_string(),
    );
    e.gauge(
        "falcosecurity_falco_start_timestamp_nanoseconds",
        stats.start_ns.to_string(),
    );
    e.counter(
        "falcosecurity_falco_duration_seconds_total",
        now.saturating_sub(stats.start_ns) / 1_000_000_000,
    );
    e.gauge(
        "falcosecurity_falco_host_boot_timestamp_nanoseconds",
        res.host_boot_ts.to_string(),
    );
    e.gauge(
        "falcosecurity_falco_host_num_cpus_total",
        num_cpus().to_string(),
    );
    // Events falco processed (the dashboard's event rate).
    e.counter(
        "falcosecurity_falco_n_evts_total",
        stats.events.load(Ordering::Relaxed),
    );
    if let Some(a) = stats.audit.get() {
        for (name, v) in a.named() {
            e.counter(&format!("falcosecurity_falco_k8s_audit_{name}_total"), v);
        }
    }
    for (ch, sent, dropped, errors) in stats.outputs.snapshot() {
        let name = "falcosecurity_falco_outputs_channel_alerts_total";
        for (result, n) in [("sent", sent), ("dropped", dropped), ("error", errors)] {
            e.sample(
                name,
                "counter",
                &[("output", ch), ("result", result)],
                n.to_string(),
            );
        }
    }
    e.counter(
        "falcosecurity_falco_outputs_rate_limited_total",
        stats.rate_limited.load(Ordering::Relaxed),
    );
    e.text()
}

/// The `output_fields` of a metrics snapshot, with Falco's `falco.*` and `scap.*` names.
pub fn snapshot_fields(stats: &Stats, info: &Info, m: &MetricsConfig) -> Map<String, Json> {
    let mut f = Map::new();
    let now = crate::stats::now_ns();
    let empty = m.include_empty_values;
    let put = |f: &mut Map<String, Json>, k: &str, v: Json| {
        let zero = v.as_f64() == Some(0.0);
        if !zero || empty {
            f.insert(k.to_string(), v);
        }
    };
    let res = resources::read_all();
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
    f.insert("falco.host_boot_ts".into(), json!(res.host_boot_ts));
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
    for (file, sha) in &info.rules_files {
        f.insert(
            format!("falco.sha256_rules_file.{}", label_name(file)),
            json!(sha),
        );
    }
    for (file, sha) in &info.config_files {
        f.insert(
            format!("falco.sha256_config_file.{}", label_name(file)),
            json!(sha),
        );
    }
    f.insert("scap.engine_name".into(), json!(info.engine_name));
    if m.rules_counters_enabled {
        let mut total = 0;
        for r in &stats.rules().rules {
            let n = r.matches.load(Ordering::Relaxed);
            total += n;
            if n > 0 || empty {
                f.insert(format!("falco.rules.{}", label_name(&r.name)), json!(n));
            }
        }
        f.insert("falco.rules.matches_total".into(), json!(total));
    }
    if m.resource_utilization_enabled {
        let mem = |kb: u64| {
            if m.convert_memory_to_mb {
                json!((kb as f64 / 1024.0 * 10.0).round() / 10.0)
            } else {
                json!(kb)
            }
        };
        let unit = if m.convert_memory_to_mb { "mb" } else { "kb" };
        put(&mut f, "falco.cpu_usage_perc", json!(res.cpu_usage_perc));
        put(
            &mut f,
            &format!("falco.memory_rss_{unit}"),
            mem(res.memory_rss_kb),
        );
        put(
            &mut f,
            &format!("falco.memory_vsz_{unit}"),
            mem(res.memory_vsz_kb),
        );
        put(
            &mut f,
            &format!("falco.memory_pss_{unit}"),
            mem(res.memory_pss_kb),
        );
        put(
            &mut f,
            "falco.host_cpu_usage_perc",
            json!(res.host_cpu_usage_perc),
        );
        put(
            &mut f,
            &format!("falco.host_memory_used_{unit}"),
            mem(res.host_memory_used_kb),
        );
        put(
            &mut f,
            "falco.host_procs_running",
            json!(res.host_procs_running),
        );
        put(&mut f, "falco.host_open_fds", json!(res.host_open_fds));
    }
    if m.state_counters_enabled {
        let s = stats.state();
        put(&mut f, "falco.n_threads", json!(s.n_threads));
        put(&mut f, "falco.n_fds", json!(s.n_fds));
        put(&mut f, "falco.n_containers", json!(s.n_containers));
        put(
            &mut f,
            "falco.n_drops_full_threadtable",
            json!(s.n_drops_full_threadtable),
        );
        for (kind, n) in state_drops(&s.drops) {
            put(&mut f, &format!("falco.state_drops.{kind}"), json!(n));
        }
    }
    if m.kernel_event_counters_enabled {
        let s = stats.source();
        f.insert("scap.n_evts".into(), json!(s.n_evts));
        f.insert("scap.n_drops".into(), json!(s.n_drops()));
        put(&mut f, "scap.n_drops_buffer_total", json!(s.n_drops_buffer));
        put(
            &mut f,
            "scap.n_drops_page_faults",
            json!(s.n_drops_page_faults),
        );
        put(&mut f, "scap.n_drops_bug", json!(s.n_drops_bug));
        put(&mut f, "scap.n_preemptions", json!(s.n_preemptions));
        let pct = if s.n_evts > 0 {
            100.0 * s.n_drops() as f64 / s.n_evts as f64
        } else {
            0.0
        };
        f.insert("scap.n_drops_perc".into(), json!(pct));
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
        assert!(text.contains(
            "falcosecurity_scap_n_drops_buffer_total{dir=\"exit\",drop=\"clone_fork\"} 0\n"
        ));
        assert!(text.contains("# TYPE falcosecurity_scap_n_threads_total gauge\n"));
        // One TYPE line per family.
        let types = text
            .lines()
            .filter(|l| l.starts_with("# TYPE falcosecurity_scap_n_drops_buffer_total "))
            .count();
        assert_eq!(types, 1);
    }
}
