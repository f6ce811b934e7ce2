//! Replay: events from a capture file (`-e FILE`, or engine.kind=replay). A FIFO works too: events
//! are processed as they arrive. With two event threads (engine.threads) the capture is read (a
//! gzip one inflated) on a thread of its own, ahead of the event thread, which also decodes while
//! the event thread is behind; with one, in the event thread's reads.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use falco_engine::scap::{Reading, ScapReader};
use falco_engine::state::State;

use super::{EventSource, Next, SourceError};
use crate::stats::{CpuCounters, SourceCounters};

/// CPUs counted separately when replaying; events of higher CPU numbers count on the last.
const MAX_CPUS: usize = 1024;

pub struct ReplaySource {
    reader: ScapReader,
    events: u64,
    /// Events read, by the CPU the capture recorded them on.
    by_cpu: Vec<u64>,
}

impl ReplaySource {
    /// Opens a capture file, or a FIFO that `stop` can interrupt while it waits for data, to be
    /// replayed by `threads` event threads (1 or 2).
    pub fn open(
        path: &Path,
        stop: Arc<AtomicBool>,
        threads: usize,
    ) -> Result<ReplaySource, SourceError> {
        let reading = if threads < 2 {
            Reading::InReads
        } else {
            Reading::OwnThread
        };
        let reader = if super::fifo::is_stream(path) {
            let fifo = super::fifo::StoppableFifo::open(path, stop).map_err(|source| {
                falco_engine::scap::ScapError::Open {
                    path: path.display().to_string(),
                    source,
                }
            })?;
            ScapReader::from_reader_with(
                std::io::BufReader::with_capacity(256 << 10, fifo),
                reading,
            )?
        } else {
            ScapReader::open_with(path, reading)?
        };
        Ok(ReplaySource {
            reader,
            events: 0,
            by_cpu: Vec::new(),
        })
    }
}

/// At the end of a replay: how much of the decoding the read-ahead thread took (engine.threads).
impl Drop for ReplaySource {
    fn drop(&mut self) {
        let s = self.reader.stats();
        crate::logger::debug(&format!(
            "replay: {} events read, {} of them decoded by the read-ahead thread",
            s.events, s.events_decoded_ahead
        ));
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
        let Some((event, flags)) = falco_engine::inspector::next_event(&mut self.reader, state)?
        else {
            return Ok(Next::End);
        };
        self.events += 1;
        let cpu = usize::from(event.cpu).min(MAX_CPUS - 1);
        if cpu >= self.by_cpu.len() {
            self.by_cpu.resize(cpu + 1, 0);
        }
        self.by_cpu[cpu] += 1;
        Ok(Next::Event { event, flags })
    }

    fn counters(&self) -> SourceCounters {
        SourceCounters {
            n_evts: self.events,
            ..SourceCounters::default()
        }
    }

    fn per_cpu(&self) -> Vec<CpuCounters> {
        self.by_cpu
            .iter()
            .enumerate()
            .map(|(cpu, n)| CpuCounters {
                cpu: cpu as u32,
                n_evts: *n,
                n_drops: 0,
            })
            .collect()
    }

    fn take_warnings(&mut self) -> Vec<String> {
        self.reader.take_warnings()
    }
}
