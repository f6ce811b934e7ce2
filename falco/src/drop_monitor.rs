//! syscall_event_drops: once per second of event time, compares the events the source dropped with
//! those it delivered; above the threshold, runs the configured actions (log, alert, exit), at most
//! as often as the rate/max_burst token bucket allows.

use serde_json::{Map, json};

use crate::config::{DropAction, DropsConfig};
use crate::stats::SourceCounters;
use crate::token_bucket::TokenBucket;

const SECOND_NS: u64 = 1_000_000_000;

/// What the pipeline must do after a check.
#[derive(Debug, Clone, PartialEq)]
pub struct DropReport {
    pub message: String,
    pub log: bool,
    /// Output fields of the "Falco internal: syscall event drop" alert, when `alert` is on.
    pub alert: Option<Map<String, serde_json::Value>>,
    pub exit: bool,
}

pub const DROP_RULE: &str = "Falco internal: syscall event drop";

pub struct DropMonitor {
    cfg: DropsConfig,
    bucket: TokenBucket,
    last_check_ns: Option<u64>,
    last: SourceCounters,
    /// Times drops crossed the threshold, and times actions ran.
    pub detections: u64,
    pub actions_taken: u64,
}

impl DropMonitor {
    pub fn new(cfg: DropsConfig) -> DropMonitor {
        let bucket = TokenBucket::new(cfg.rate, cfg.max_burst);
        DropMonitor {
            cfg,
            bucket,
            last_check_ns: None,
            last: SourceCounters::default(),
            detections: 0,
            actions_taken: 0,
        }
    }

    pub fn enabled(&self) -> bool {
        !(self.cfg.actions.is_empty() || self.cfg.actions == [DropAction::Ignore])
    }

    /// Called with each event's time and the source's counters (fetched lazily by the caller only
    /// when `due` says a second has passed).
    pub fn due(&self, ts: u64) -> bool {
        self.last_check_ns
            .is_none_or(|l| ts.saturating_sub(l) >= SECOND_NS)
    }

    pub fn check(&mut self, ts: u64, now: SourceCounters) -> Option<DropReport> {
        let Some(last_ts) = self.last_check_ns.replace(ts) else {
            self.last = now;
            return None;
        };
        let _ = last_ts;
        let d_evts = now.n_evts.saturating_sub(self.last.n_evts);
        let d_drops = now.n_drops().saturating_sub(self.last.n_drops());
        let d_buffer = now.n_drops_buffer.saturating_sub(self.last.n_drops_buffer);
        let d_pf = now
            .n_drops_page_faults
            .saturating_sub(self.last.n_drops_page_faults);
        let d_bug = now.n_drops_bug.saturating_sub(self.last.n_drops_bug);
        self.last = now;
        let (d_drops, d_buffer) = if self.cfg.simulate_drops {
            (d_drops.max(1), d_buffer.max(1))
        } else {
            (d_drops, d_buffer)
        };
        if d_drops == 0 {
            return None;
        }
        let ratio = d_drops as f64 / (d_evts + d_drops) as f64;
        if !self.cfg.simulate_drops && ratio <= self.cfg.threshold {
            return None;
        }
        self.detections += 1;
        if !self.enabled() || !self.bucket.claim(ts) {
            return None;
        }
        self.actions_taken += 1;
        let message = format!("{DROP_RULE}. {d_drops} system calls dropped in last second.");
        let mut fields = Map::new();
        fields.insert("n_evts".into(), json!(d_evts));
        fields.insert("n_drops".into(), json!(d_drops));
        fields.insert("n_drops_buffer_total".into(), json!(d_buffer));
        fields.insert("n_drops_page_faults".into(), json!(d_pf));
        fields.insert("n_drops_bug".into(), json!(d_bug));
        fields.insert("n_drops_pct".into(), json!(ratio * 100.0));
        fields.insert("ebpf_enabled".into(), json!(0));
        let has = |a| self.cfg.actions.contains(&a);
        Some(DropReport {
            message,
            log: has(DropAction::Log),
            alert: has(DropAction::Alert).then_some(fields),
            exit: has(DropAction::Exit),
        })
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
    fn acts_above_the_threshold_only() {
        let mut m = DropMonitor::new(cfg(vec![DropAction::Log, DropAction::Alert], false));
        assert!(m.check(0, c(0, 0)).is_none());
        // 5% dropped: below 10%.
        assert!(m.check(SECOND_NS, c(95, 5)).is_none());
        let r = m.check(2 * SECOND_NS, c(95 + 50, 5 + 50)).unwrap();
        assert!(r.log && !r.exit);
        assert_eq!(r.alert.as_ref().unwrap()["n_drops"], 50);
        assert!(r.message.contains("50 system calls dropped"));
        assert_eq!((m.detections, m.actions_taken), (1, 1));
    }

    #[test]
    fn actions_are_rate_limited_but_detections_counted() {
        let mut m = DropMonitor::new(cfg(vec![DropAction::Exit], true));
        m.check(0, c(0, 0));
        let mut acted = 0;
        for i in 1..=4u64 {
            // Four checks within two seconds of event time at 1 token per second, burst 1.
            if m.check(i * SECOND_NS / 2, c(0, 0)).is_some() {
                acted += 1;
            }
        }
        assert_eq!(m.detections, 4);
        assert_eq!(acted, 2);
    }

    #[test]
    fn ignore_detects_without_acting() {
        let mut m = DropMonitor::new(cfg(vec![DropAction::Ignore], true));
        m.check(0, c(0, 0));
        assert!(m.check(SECOND_NS, c(0, 0)).is_none());
        assert_eq!(m.detections, 1);
    }
}
