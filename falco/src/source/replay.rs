//! Replay: events from a capture file (`-e FILE`, or engine.kind=replay). A FIFO works too: events
//! are processed as they arrive.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use falco_engine::scap::{Item, ScapReader};
use falco_engine::state::State;

use super::{EventSource, Next, SourceError};
use crate::stats::SourceCounters;

pub struct ReplaySource {
    reader: ScapReader,
    events: u64,
}

impl ReplaySource {
    /// Opens a capture file, or a FIFO that `stop` can interrupt while it waits for data.
    pub fn open(path: &Path, stop: Arc<AtomicBool>) -> Result<ReplaySource, SourceError> {
        let reader = if super::fifo::is_stream(path) {
            let fifo = super::fifo::StoppableFifo::open(path, stop).map_err(|source| {
                falco_engine::scap::ScapError::Open {
                    path: path.display().to_string(),
                    source,
                }
            })?;
            ScapReader::from_reader(std::io::BufReader::with_capacity(256 << 10, fifo))?
        } else {
            ScapReader::open(path)?
        };
        Ok(ReplaySource { reader, events: 0 })
    }
}

impl EventSource for ReplaySource {
    fn name(&self) -> &'static str {
        "replay"
    }

    fn is_live(&self) -> bool {
        false
    }

    fn next<'a>(&'a mut self, state: &mut State) -> Result<Next<'a>, SourceError> {
        loop {
            if !self.reader.advance()? {
                return Ok(Next::End);
            }
            if self.reader.at_event() {
                break;
            }
            let item = self.reader.current()?;
            state.seed(&item);
        }
        self.events += 1;
        match self.reader.current()? {
            Item::Event { event, flags } => Ok(Next::Event { event, flags }),
            _ => unreachable!("at_event() checked the block type"),
        }
    }

    fn counters(&self) -> SourceCounters {
        SourceCounters {
            n_evts: self.events,
            ..SourceCounters::default()
        }
    }

    fn take_warnings(&mut self) -> Vec<String> {
        self.reader.take_warnings()
    }
}
