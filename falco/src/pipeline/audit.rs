//! The pipeline's `k8s_audit` turn: between syscall events it takes the audit events waiting on
//! the source's queue and matches them, each alert going the way syscall alerts go (counted,
//! rate-limited, formatted, dispatched).

use super::Pipeline;
use crate::source::k8saudit::Polled;

/// Payloads taken per turn while syscall events flow, so they keep flowing under a flood of audit
/// events; an idle turn takes every payload waiting.
const PAYLOADS_PER_TURN: usize = 16;

/// Whether the audit source may still deliver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditTurn {
    Open,
    /// Its files are read and every event matched.
    Ended,
}

impl Pipeline {
    pub(super) fn audit_turn(&mut self, idle: bool) -> AuditTurn {
        let Some(input) = self.audit.as_ref() else {
            return AuditTurn::Open;
        };
        let turns = if idle { usize::MAX } else { PAYLOADS_PER_TURN };
        for _ in 0..turns {
            let payload = match input.try_next() {
                Polled::Payload(p) => p,
                Polled::Empty => return AuditTurn::Open,
                Polled::Ended => return AuditTurn::Ended,
            };
            for ev in &payload.events {
                self.audit_num += 1;
                let m = &mut self.matching;
                let (outputs, stats) = (&self.outputs, &self.stats);
                m.detector.for_each_audit_match(ev, self.audit_num, |hit| {
                    stats.count_match(&m.rules, hit.index);
                    super::deliver(&mut m.rate, &m.format, outputs, stats, hit);
                });
            }
        }
        AuditTurn::Open
    }
}
