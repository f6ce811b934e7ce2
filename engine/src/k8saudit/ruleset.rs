//! The loaded `k8s_audit` rules of a rules engine: which are enabled, their match counts, and
//! matching an audit event against them in load order.

use std::sync::Arc;

use super::event::AuditEvent;
use super::extract::EvtInfo;
use super::rule::AuditRule;
use crate::rules::{Priority, RuleInfo, RuleMatch, RuleMatching};

/// A compiled `k8s_audit` rule with what it was loaded as.
#[derive(Debug)]
pub struct AuditEntry {
    pub info: Arc<RuleInfo>,
    pub rule: AuditRule,
}

#[derive(Debug, Default)]
pub struct AuditRuleset {
    entries: Vec<AuditEntry>,
    enabled: Vec<bool>,
    counts: Vec<u64>,
    /// Indexes of the enabled rules at or above the priority threshold, in load order.
    active: Vec<u32>,
    min_priority: Option<Priority>,
    events: u64,
}

impl AuditRuleset {
    /// Replaces the rules, keeping the enabled state and counts of those that survive.
    pub fn install(&mut self, entries: Vec<AuditEntry>) {
        let old: std::collections::HashMap<&str, (bool, u64)> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.info.name.as_str(), (self.enabled[i], self.counts[i])))
            .collect();
        let (enabled, counts) = entries
            .iter()
            .map(|e| {
                old.get(e.info.name.as_str())
                    .copied()
                    .unwrap_or((e.info.enabled_by_default, 0))
            })
            .unzip();
        self.enabled = enabled;
        self.counts = counts;
        self.entries = entries;
        self.reindex();
    }

    fn reindex(&mut self) {
        let min = self.min_priority.unwrap_or(Priority::Debug);
        self.active = (0..self.entries.len())
            .filter(|&i| self.enabled[i] && self.entries[i].info.priority.at_least(min))
            .map(|i| i as u32)
            .collect();
    }

    pub fn set_enabled(&mut self, pred: &dyn Fn(&RuleInfo) -> bool, enabled: bool) {
        for (i, e) in self.entries.iter().enumerate() {
            if pred(&e.info) {
                self.enabled[i] = enabled;
            }
        }
        self.reindex();
    }

    pub fn set_min_priority(&mut self, p: Priority) {
        self.min_priority = Some(p);
        self.reindex();
    }

    /// True when at least one rule can match (an audit event is worth reading).
    pub fn has_active_rules(&self) -> bool {
        !self.active.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Each rule with whether it is enabled.
    pub fn rules(&self) -> impl Iterator<Item = (&RuleInfo, bool)> {
        self.entries
            .iter()
            .zip(&self.enabled)
            .map(|(e, on)| (&*e.info, *on))
    }

    /// (name, priority, matches) of each rule, in load order.
    pub fn counts(&self) -> impl Iterator<Item = (&str, Priority, u64)> {
        self.entries
            .iter()
            .zip(&self.counts)
            .map(|(e, n)| (e.info.name.as_str(), e.info.priority, *n))
    }

    /// Events given to [`AuditRuleset::process`].
    pub fn events(&self) -> u64 {
        self.events
    }

    pub fn reset_counts(&mut self) {
        self.counts.iter_mut().for_each(|c| *c = 0);
        self.events = 0;
    }

    /// Matches one event; None when no rule matches.
    pub fn process(
        &mut self,
        ev: &AuditEvent,
        info: EvtInfo<'_>,
        matching: RuleMatching,
    ) -> Option<Vec<RuleMatch>> {
        self.events += 1;
        let mut out: Option<Vec<RuleMatch>> = None;
        for &i in &self.active {
            let e = &self.entries[i as usize];
            if !e.rule.matches(ev, info) {
                continue;
            }
            self.counts[i as usize] += 1;
            let mut m = e.rule.to_match(ev, info);
            m.index = i as usize;
            m.capture = e.info.capture;
            m.capture_duration_ms = e.info.capture_duration;
            out.get_or_insert_with(Vec::new).push(m);
            if matching == RuleMatching::First {
                break;
            }
        }
        out
    }
}
