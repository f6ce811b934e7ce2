//! Event sources: where the pipeline's events come from. [`replay`] reads a capture file; the live
//! source (the falco_probe kernel module) plugs in behind the same trait.

pub mod replay;

use falco_engine::event::Event;
use falco_engine::state::State;

use crate::stats::SourceCounters;

/// Why a source stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Scap(#[from] falco_engine::scap::ScapError),
}

/// What a source has next.
pub enum Next<'a> {
    /// An event (and its EVF flags, 0 for most).
    Event { event: Event<'a>, flags: u32 },
    /// Nothing right now; ask again. Only live sources have idle moments (none is built yet).
    #[allow(dead_code)]
    Idle,
    /// The source is exhausted (end of a capture file).
    End,
}

pub trait EventSource: Send {
    /// The engine name reported in metrics (`replay`, `kmod`).
    fn name(&self) -> &'static str;

    /// Whether events come from the running system (so -M counts wall time, and drops matter).
    fn is_live(&self) -> bool;

    /// The next event. Metadata met on the way (a capture's process and fd lists) goes into `state`.
    fn next<'a>(&'a mut self, state: &mut State) -> Result<Next<'a>, SourceError>;

    /// Counters for statistics and drop monitoring.
    fn counters(&self) -> SourceCounters;

    /// Non-fatal problems seen since the last call.
    fn take_warnings(&mut self) -> Vec<String> {
        Vec::new()
    }
}
