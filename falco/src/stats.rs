//! Counters shared by the pipeline (which writes them with relaxed atomics) and their readers: the -s
//! statistics file, the Prometheus endpoint, metrics snapshots and the exit summary.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value as Json, json};

use crate::outputs::OutputRegistry;
use crate::priority::{Priority, PriorityExt};

/// Matches of one rule.
#[derive(Debug)]
pub struct RuleCounter {
    pub name: String,
    pub priority: Priority,
    pub source: String,
    pub tags: Vec<String>,
    pub matches: AtomicU64,
}

/// The loaded rules' counters, in load order. Replaced as a whole on reload (counts carried over by
/// rule name), so the pipeline increments without any lock.
#[derive(Debug, Default)]
pub struct RuleTable {
    pub rules: Vec<RuleCounter>,
}

impl RuleTable {
    pub fn new(rules: impl IntoIterator<Item = (String, Priority, String, Vec<String>)>) -> Self {
        RuleTable {
            rules: rules
                .into_iter()
                .map(|(name, priority, source, tags)| RuleCounter {
                    name,
                    priority,
                    source,
                    tags,
                    matches: AtomicU64::new(0),
                })
                .collect(),
        }
    }

    /// Copies the counts of `old` into rules of the same name; counted rules that are gone are kept
    /// at the end so totals stay whole.
    pub fn carry_over(&mut self, old: &RuleTable) {
        for o in &old.rules {
            let n = o.matches.load(Ordering::Relaxed);
            if n == 0 {
                continue;
            }
            match self.rules.iter().find(|r| r.name == o.name) {
                Some(r) => {
                    r.matches.fetch_add(n, Ordering::Relaxed);
                }
                None => self.rules.push(RuleCounter {
                    name: o.name.clone(),
                    priority: o.priority,
                    source: o.source.clone(),
                    tags: o.tags.clone(),
                    matches: AtomicU64::new(n),
                }),
            }
        }
    }
}

/// Counters reported by the event source (the kernel probe; zero when replaying).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SourceCounters {
    /// Events the source produced (the probe's n_evts; events read when replaying).
    pub n_evts: u64,
    pub n_drops_buffer: u64,
    pub n_drops_page_faults: u64,
    pub n_drops_bug: u64,
    pub n_drops_too_big: u64,
    pub n_preemptions: u64,
}

impl SourceCounters {
    pub fn n_drops(&self) -> u64 {
        self.n_drops_buffer + self.n_drops_bug + self.n_drops_too_big
    }
}

/// Events and drops of one CPU's ring (or, replaying, of the events recorded on that CPU).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CpuCounters {
    pub cpu: u32,
    pub n_evts: u64,
    pub n_drops: u64,
}

/// Sizes of the state tables (published about once a second).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StateCounters {
    pub n_threads: u64,
    pub n_fds: u64,
    pub n_containers: u64,
    /// Threads not tracked because the table was full (falco_libs.thread_table_size).
    pub n_drops_full_threadtable: u64,
    /// Everything the state did not keep because one of its limits was reached.
    pub drops: falco_engine::state::Drops,
}

#[derive(Debug)]
pub struct Stats {
    pub start_ns: u64,
    pub reload_ns: AtomicU64,
    /// Events the pipeline processed (decoded, tracked, matched).
    pub events: AtomicU64,
    /// Matches that produced an alert (after the rate limit).
    pub detected: AtomicU64,
    pub by_priority: [AtomicU64; 8],
    /// Alerts suppressed by outputs.rate/max_burst.
    pub rate_limited: AtomicU64,
    /// Syscall drop monitoring: times drops crossed the threshold, and times actions ran.
    pub drop_detections: AtomicU64,
    pub drop_actions: AtomicU64,
    /// Rule reloads that succeeded / failed.
    pub reloads: AtomicU64,
    pub reload_failures: AtomicU64,
    /// Threads in the state tables (published with the event counter).
    pub threads: AtomicU64,
    source: Mutex<SourceCounters>,
    per_cpu: Mutex<Vec<CpuCounters>>,
    state: Mutex<StateCounters>,
    rules: Mutex<Arc<RuleTable>>,
    pub outputs: OutputRegistry,
    /// The `k8s_audit` source's counters, when it runs.
    pub audit: std::sync::OnceLock<Arc<crate::source::k8saudit::AuditCounters>>,
}

pub fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

impl Default for Stats {
    fn default() -> Self {
        let now = now_ns();
        Stats {
            start_ns: now,
            reload_ns: AtomicU64::new(now),
            events: AtomicU64::new(0),
            detected: AtomicU64::new(0),
            by_priority: Default::default(),
            rate_limited: AtomicU64::new(0),
            drop_detections: AtomicU64::new(0),
            drop_actions: AtomicU64::new(0),
            reloads: AtomicU64::new(0),
            reload_failures: AtomicU64::new(0),
            threads: AtomicU64::new(0),
            source: Mutex::new(SourceCounters::default()),
            per_cpu: Mutex::new(Vec::new()),
            state: Mutex::new(StateCounters::default()),
            rules: Mutex::new(Arc::new(RuleTable::default())),
            outputs: OutputRegistry::default(),
            audit: std::sync::OnceLock::new(),
        }
    }
}

impl Stats {
    /// Installs a new rule table (carrying counts over) and returns it for the pipeline.
    pub fn install_rules(&self, mut table: RuleTable) -> Arc<RuleTable> {
        let mut cur = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        table.carry_over(&cur);
        let t = Arc::new(table);
        *cur = t.clone();
        t
    }

    pub fn rules(&self) -> Arc<RuleTable> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Counts one alert of rule `idx` in `table`.
    #[inline]
    pub fn count_match(&self, table: &RuleTable, idx: usize) {
        if let Some(r) = table.rules.get(idx) {
            r.matches.fetch_add(1, Ordering::Relaxed);
            self.by_priority[r.priority.index()].fetch_add(1, Ordering::Relaxed);
        }
        self.detected.fetch_add(1, Ordering::Relaxed);
    }

    pub fn set_source(&self, c: SourceCounters) {
        *self.source.lock().unwrap_or_else(|e| e.into_inner()) = c;
    }

    pub fn source(&self) -> SourceCounters {
        *self.source.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_per_cpu(&self, c: Vec<CpuCounters>) {
        *self.per_cpu.lock().unwrap_or_else(|e| e.into_inner()) = c;
    }

    pub fn per_cpu(&self) -> Vec<CpuCounters> {
        self.per_cpu
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_state(&self, c: StateCounters) {
        self.threads.store(c.n_threads, Ordering::Relaxed);
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = c;
    }

    pub fn state(&self) -> StateCounters {
        *self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Falco's exit summary: `Events detected`, `Rule counts by severity`, `Triggered rules by rule
    /// name`, each count on its own indented line.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Events detected: {}",
            self.detected.load(Ordering::Relaxed)
        );
        s.push_str("Rule counts by severity:\n");
        for p in Priority::ALL {
            let n = self.by_priority[p.index()].load(Ordering::Relaxed);
            if n > 0 {
                let _ = writeln!(s, "   {}: {n}", p.summary_name());
            }
        }
        s.push_str("Triggered rules by rule name:\n");
        for r in &self.rules().rules {
            let n = r.matches.load(Ordering::Relaxed);
            if n > 0 {
                let _ = writeln!(s, "   {}: {n}", r.name);
            }
        }
        s
    }

    /// The state tables and what their limits dropped, for the -s statistics line.
    fn state_json(&self) -> Json {
        let d = self.state().drops;
        json!({
            "threads": self.threads.load(Ordering::Relaxed),
            "drops": {
                "threads_full": d.threads_full,
                "threads_memory": d.threads_memory,
                "fds": d.fds,
                "containers": d.containers,
                "metadata": d.metadata,
            },
        })
    }

    /// One line of the -s statistics file (format in docs/configuration.md).
    pub fn stats_line(&self, sample: u64, prev: &mut StatsSample) -> Json {
        let src = self.source();
        let events = self.events.load(Ordering::Relaxed);
        let now = now_ns();
        let cur = StatsSample {
            events,
            n_evts: src.n_evts,
            drops: src.n_drops(),
        };
        let delta_evts = cur.n_evts.saturating_sub(prev.n_evts);
        let delta_drops = cur.drops.saturating_sub(prev.drops);
        let drop_pct = if delta_evts + delta_drops == 0 {
            0.0
        } else {
            100.0 * delta_drops as f64 / (delta_evts + delta_drops) as f64
        };
        let mut by_rule = Map::new();
        let mut matches_total = 0;
        for r in &self.rules().rules {
            let n = r.matches.load(Ordering::Relaxed);
            matches_total += n;
            by_rule.insert(r.name.clone(), json!(n));
        }
        let mut by_priority = Map::new();
        for p in Priority::ALL {
            by_priority.insert(
                p.name().to_string(),
                json!(self.by_priority[p.index()].load(Ordering::Relaxed)),
            );
        }
        let mut outputs = Map::new();
        for c in self.outputs.counts() {
            outputs.insert(
                c.name.to_string(),
                json!({"sent": c.sent, "dropped": c.dropped, "errors": c.errors, "given_up": c.given_up}),
            );
        }
        let line = json!({
            "sample": sample,
            "time": crate::alert::rfc3339_utc(now),
            "duration_sec": (now.saturating_sub(self.start_ns)) / 1_000_000_000,
            "events": {
                "processed": events,
                "source": src.n_evts,
                "delta_processed": events.saturating_sub(prev.events),
            },
            "state": self.state_json(),
            "drops": {
                "total": src.n_drops(),
                "buffer": src.n_drops_buffer,
                "page_faults": src.n_drops_page_faults,
                "bug": src.n_drops_bug,
                "too_big": src.n_drops_too_big,
                "preemptions": src.n_preemptions,
                "delta": delta_drops,
                "pct": drop_pct,
            },
            "rules": {
                "matches_total": matches_total,
                "by_priority": by_priority,
                "by_rule": by_rule,
            },
            "outputs": {
                "queue_drops": self.outputs.total_dropped(),
                "rate_limited": self.rate_limited.load(Ordering::Relaxed),
                "channels": outputs,
            },
        });
        *prev = cur;
        line
    }
}

/// What the previous statistics line reported (for deltas).
#[derive(Debug, Default, Clone, Copy)]
pub struct StatsSample {
    pub events: u64,
    pub n_evts: u64,
    pub drops: u64,
}

/// Appends statistics lines to the -s file.
pub struct StatsFile {
    file: std::fs::File,
    sample: u64,
    prev: StatsSample,
}

impl StatsFile {
    pub fn open(path: &Path) -> std::io::Result<StatsFile> {
        Ok(StatsFile {
            file: crate::private_file::append(path)?,
            sample: 0,
            prev: StatsSample::default(),
        })
    }

    pub fn write(&mut self, stats: &Stats) -> std::io::Result<()> {
        self.sample += 1;
        let line = stats.stats_line(self.sample, &mut self.prev);
        writeln!(self.file, "{line}")?;
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_in_falcos_layout() {
        let s = Stats::default();
        let t = s.install_rules(RuleTable::new([
            ("A".into(), Priority::Warning, "syscall".into(), vec![]),
            (
                "B".into(),
                Priority::Informational,
                "syscall".into(),
                vec![],
            ),
            ("C".into(), Priority::Error, "syscall".into(), vec![]),
        ]));
        s.count_match(&t, 0);
        s.count_match(&t, 0);
        s.count_match(&t, 1);
        assert_eq!(
            s.summary(),
            "Events detected: 3\nRule counts by severity:\n   WARNING: 2\n   INFO: 1\nTriggered rules by rule name:\n   A: 2\n   B: 1\n"
        );
    }

    #[test]
    fn reload_carries_counts_by_name() {
        let s = Stats::default();
        let t = s.install_rules(RuleTable::new([
            ("A".into(), Priority::Warning, "syscall".into(), vec![]),
            ("Gone".into(), Priority::Warning, "syscall".into(), vec![]),
        ]));
        s.count_match(&t, 0);
        s.count_match(&t, 1);
        let t2 = s.install_rules(RuleTable::new([(
            "A".into(),
            Priority::Warning,
            "syscall".into(),
            vec![],
        )]));
        s.count_match(&t2, 0);
        let names: Vec<_> = s
            .rules()
            .rules
            .iter()
            .map(|r| (r.name.clone(), r.matches.load(Ordering::Relaxed)))
            .collect();
        assert_eq!(names, vec![("A".to_string(), 2), ("Gone".to_string(), 1)]);
    }

    #[test]
    fn stats_lines_have_deltas() {
        let s = Stats::default();
        s.events.store(10, Ordering::Relaxed);
        let mut prev = StatsSample::default();
        let l1 = s.stats_line(1, &mut prev);
        assert_eq!(l1["events"]["processed"], 10);
        s.events.store(25, Ordering::Relaxed);
        let l2 = s.stats_line(2, &mut prev);
        assert_eq!(l2["events"]["delta_processed"], 15);
        assert_eq!(l2["sample"], 2);
    }
}
