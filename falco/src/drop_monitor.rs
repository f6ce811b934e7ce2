//! syscall_event_drops, as Falco runs it: the first check comes one second (of event time) after
//! the first event, then one second after each check, while events arrive. A check compares the
//! driver's counters with the previous check's; when the share of dropped events is above the
//! threshold (or drops are simulated) it counts a detection, and when the rate/max_burst token
//! bucket allows, it counts an action and runs the configured actions, in Falco's order: log (a
//! debug log line), alert (a Debug "Falco internal: syscall event drop" alert), exit.

use serde_json::{Map, Value as Json};

use crate::config::{DropAction, DropsConfig};
use crate::stats::SourceCounters;
use crate::token_bucket::TokenBucket;

const SECOND_NS: u64 = 1_000_000_000;

pub const DROP_RULE: &str = "Falco internal: syscall event drop";

/// What the pipeline must do after a check.
#[derive(Debug, Clone, PartialEq)]
pub struct DropReport {
    /// "Falco internal: syscall event drop. N system calls dropped in last second."
    pub message: String,
    pub log: bool,
    /// Output fields of the alert, when `alert` is on.
    pub alert: Option<Map<String, Json>>,
    pub exit: bool,
}

/// What a check decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked {
    /// No drops above the threshold.
    Quiet,
    /// Drops above the threshold, but the token bucket is empty.
    Throttled,
    Act(DropReport),
}

pub struct DropMonitor {
    cfg: DropsConfig,
    bucket: TokenBucket,
    /// 0 until the first event.
    next_check_ns: u64,
    last: SourceCounters,
    /// The source is the eBPF driver (the alert's ebpf_enabled).
    ebpf: bool,
    /// Times drops crossed the threshold, and times actions ran.
    pub detections: u64,
    pub actions_taken: u64,
}

impl DropMonitor {
    /// `initial` is what the source reports before the first event.
    pub fn new(cfg: DropsConfig, initial: SourceCounters, ebpf: bool) -> DropMonitor {
        let bucket = TokenBucket::new(cfg.rate, cfg.max_burst);
        DropMonitor {
            cfg,
            bucket,
            next_check_ns: 0,
            last: initial,
            ebpf,
            detections: 0,
            actions_taken: 0,
        }
    }

    /// A reload's settings; the counts, the schedule and the last counters stay.
    pub fn reconfigure(&mut self, cfg: DropsConfig) {
        self.bucket = TokenBucket::new(cfg.rate, cfg.max_burst);
        self.cfg = cfg;
    }

    /// Called with each event's time: whether a check is due now.
    #[inline]
    pub fn due(&mut self, ts: u64) -> bool {
        if self.next_check_ns == 0 {
            self.next_check_ns = ts.saturating_add(SECOND_NS);
            return false;
        }
        self.next_check_ns < ts
    }

    /// Whether `simulate_drops` is on (the pipeline logs "Simulating syscall event drop").
    pub fn simulating(&self) -> bool {
        self.cfg.simulate_drops
    }

    /// Runs a check at event time `ts` with the source's counters now.
    pub fn check(&mut self, ts: u64, now: SourceCounters) -> Checked {
        self.next_check_ns = ts.saturating_add(SECOND_NS);
        let d = |f: fn(&SourceCounters) -> u64| f(&now).saturating_sub(f(&self.last));
        let d_evts = d(|c| c.n_evts);
        let mut d_drops = d(SourceCounters::n_drops);
        let d_buffer = d(|c| c.n_drops_buffer);
        let d_pf = d(|c| c.n_drops_page_faults);
        let d_bug = d(|c| c.n_drops_bug);
        self.last = now;
        if self.cfg.simulate_drops {
            d_drops += 1;
        }
        if d_drops == 0 {
            return Checked::Quiet;
        }
        // The driver's n_evts counts the dropped events too; with none delivered the share is
        // infinite, as in Falco.
        let ratio = d_drops as f64 / d_evts as f64;
        let threshold = if self.cfg.simulate_drops {
            0.0
        } else {
            self.cfg.threshold
        };
        if ratio.is_nan() || ratio <= threshold {
            return Checked::Quiet;
        }
        self.detections += 1;
        if !self.bucket.claim(ts) {
            return Checked::Throttled;
        }
        self.actions_taken += 1;
        let has = |a| self.cfg.actions.contains(&a);
        let fields = has(DropAction::Alert).then(|| {
            let mut f = Map::new();
            let mut put = |k: &str, v: u64| {
                f.insert(k.to_string(), Json::String(v.to_string()));
            };
            put("n_evts", d_evts);
            put("n_drops", d_drops);
            put("n_drops_buffer_total", d_buffer);
            // The probe counts buffer drops as a whole, not by syscall category.
            for cat in crate::metrics::DROP_CATEGORIES {
                put(&format!("n_drops_buffer_{cat}_exit"), 0);
            }
            put("n_drops_scratch_map", 0);
            put("n_drops_page_faults", d_pf);
            put("n_drops_bug", d_bug);
            put("ebpf_enabled", u64::from(self.ebpf));
            f
        });
        Checked::Act(DropReport {
            message: format!("{DROP_RULE}. {d_drops} system calls dropped in last second."),
            log: has(DropAction::Log),
            alert: fields,
            exit: has(DropAction::Exit),
        })
    }

    /// Falco's summary, printed on stderr at exit.
    pub fn summary(&self) -> String {
        format!(
            "Syscall event drop monitoring:\n   - event drop detected: {} occurrences\n   - num times actions taken: {}\n",
            self.detections, self.actions_taken
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(actions: Vec<DropAction>, simulate: bool) -> DropsConfig {
        DropsConfig {
            threshold: 0.1,
            actions,
            rate: 1.0,
            max_burst: 1.0,
            simulate_drops: simulate,
        }
    }

    fn c(evts: u64, drops: u64) -> SourceCounters {
        SourceCounters {
            n_evts: evts,
            n_drops_buffer: drops,
            ..Default::default()
        }
    }

    #[test]
    fn first_check_one_second_after_the_first_event() {
        let mut m = DropMonitor::new(cfg(vec![DropAction::Log], true), c(0, 0), false);
        assert!(!m.due(10 * SECOND_NS), "the first event only schedules");
        assert!(!m.due(11 * SECOND_NS), "a check needs more than one second");
        assert!(m.due(11 * SECOND_NS + 1));
        m.check(11 * SECOND_NS + 1, c(0, 0));
        assert!(!m.due(12 * SECOND_NS));
        assert!(m.due(12 * SECOND_NS + 2));
    }

    #[test]
    fn acts_above_the_threshold_only() {
        let mut m = DropMonitor::new(
            cfg(vec![DropAction::Log, DropAction::Alert], false),
            c(0, 0),
            false,
        );
        // 5 of 100 dropped: below 10%.
        assert_eq!(m.check(SECOND_NS, c(100, 5)), Checked::Quiet);
        let Checked::Act(r) = m.check(2 * SECOND_NS, c(200, 55)) else {
            panic!("50 of 100 dropped must act")
        };
        assert!(r.log && !r.exit);
        assert_eq!(r.alert.as_ref().unwrap()["n_drops"], "50");
        assert_eq!(r.alert.as_ref().unwrap()["n_evts"], "100");
        assert_eq!(
            r.message,
            "Falco internal: syscall event drop. 50 system calls dropped in last second."
        );
        assert_eq!((m.detections, m.actions_taken), (1, 1));
    }

    #[test]
    fn actions_are_rate_limited_but_detections_counted() {
        let mut m = DropMonitor::new(cfg(vec![DropAction::Exit], true), c(0, 0), false);
        let mut acted = 0;
        for i in 1..=4u64 {
            // Four checks within two seconds of event time at 1 token per second, burst 1.
            if matches!(m.check(i * SECOND_NS / 2, c(0, 0)), Checked::Act(_)) {
                acted += 1;
            }
        }
        assert_eq!(m.detections, 4);
        assert_eq!(acted, 2);
    }

    #[test]
    fn ignore_counts_an_action_that_does_nothing() {
        let mut m = DropMonitor::new(cfg(vec![DropAction::Ignore], true), c(0, 0), false);
        let Checked::Act(r) = m.check(SECOND_NS, c(0, 0)) else {
            panic!("simulated drops act")
        };
        assert!(!r.log && r.alert.is_none() && !r.exit);
        assert_eq!((m.detections, m.actions_taken), (1, 1));
    }
}
