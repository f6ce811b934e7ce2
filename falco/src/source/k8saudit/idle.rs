//! The syscall side when only `k8s_audit` runs (`--disable-source syscall`): no events, only idle
//! turns that end as soon as audit events wait, so the pipeline takes them without delay.

use std::time::Duration;

use crossbeam_channel::Receiver;
use falco_engine::k8saudit::event::Payload;
use falco_engine::state::State;

use crate::source::{EventSource, Next, SourceError};
use crate::stats::SourceCounters;

/// Longest idle turn (signals, -M and output flushes get their turn).
const IDLE: Duration = Duration::from_millis(100);

pub struct AuditOnly {
    waker: Receiver<Payload>,
}

impl AuditOnly {
    pub fn new(waker: Receiver<Payload>) -> AuditOnly {
        AuditOnly { waker }
    }
}

impl EventSource for AuditOnly {
    fn name(&self) -> &'static str {
        "none"
    }

    fn is_live(&self) -> bool {
        true
    }

    fn next<'a>(&'a mut self, _state: &mut State) -> Result<Next<'a>, SourceError> {
        let mut sel = crossbeam_channel::Select::new();
        sel.recv(&self.waker);
        let _ = sel.ready_timeout(IDLE);
        Ok(Next::Idle)
    }

    fn counters(&self) -> SourceCounters {
        SourceCounters::default()
    }
}
