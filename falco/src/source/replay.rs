//! Replay: events from a capture file (`-e FILE`, or engine.kind=replay). A FIFO works too: events
//! are processed as they arrive.

use std::path::Path;

use falco_engine::scap::{Item, ScapReader};
use falco_engine::state::State;

use super::{EventSource, Next, SourceError};
use crate::stats::SourceCounters;

pub struct ReplaySource {
    reader: ScapReader,
    events: u64,
}

impl ReplaySource {
    pub fn open(path: &Path) -> Result<ReplaySource, SourceError> {
        Ok(ReplaySource {
            reader: ScapReader::open(path)?,
            events: 0,
        })
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
