//! Event sources: where the pipeline's events come from. [`replay`] reads a capture file; [`live`]
//! reads a live driver (the falco_probe kernel module or the CO-RE eBPF programs); [`nodriver`] has
//! no syscalls, only /proc; [`containers`] wraps a live source with the container runtimes' metadata;
//! [`fifo`] lets SIGTERM interrupt a replay waiting on a FIFO; [`k8saudit`] is the second event
//! source, Kubernetes audit events.

pub mod containers;
pub mod fifo;
pub mod k8saudit;
pub mod live;
pub mod nodriver;
pub mod replay;

use falco_engine::event::Event;
use falco_engine::filter::evttype::EventTypeSet;
use falco_engine::state::State;

use crate::stats::{CpuCounters, SourceCounters};

/// Why a source stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Scap(#[from] falco_engine::scap::ScapError),
    #[error("live capture: {0}")]
    Live(#[from] falco_engine::capture::CaptureError),
}

/// What a source has next.
pub enum Next<'a> {
    /// An event (and its EVF flags, 0 for most).
    Event { event: Event<'a>, flags: u32 },
    /// Nothing right now; ask again. Only live sources have idle moments.
    Idle,
    /// The source is exhausted (end of a capture file).
    End,
}

pub trait EventSource: Send {
    /// The engine name reported in metrics (`replay`, `kmod`, `modern_ebpf`).
    fn name(&self) -> &'static str;

    /// Whether events come from the running system (so -M counts wall time, and drops matter).
    fn is_live(&self) -> bool;

    /// The next event. Metadata met on the way (a capture's process and fd lists) goes into `state`.
    fn next<'a>(&'a mut self, state: &mut State) -> Result<Next<'a>, SourceError>;

    /// Counters for statistics and drop monitoring.
    fn counters(&self) -> SourceCounters;

    /// The same per CPU (metrics.kernel_event_counters_per_cpu_enabled); empty when unknown.
    fn per_cpu(&self) -> Vec<CpuCounters> {
        Vec::new()
    }

    /// The rules were reloaded: a live source narrows or widens what it captures. `required` holds
    /// the event types the rules can match, `rule_syscalls` the ppm_sc codes of syscalls without
    /// events of their own that they name.
    fn rules_changed(&mut self, _required: &EventTypeSet, _rule_syscalls: &[u16]) {}

    /// Non-fatal problems seen since the last call.
    fn take_warnings(&mut self) -> Vec<String> {
        Vec::new()
    }
}
