//! engine.kind=nodriver: no syscall events. The processes come from /proc (read at start and again
//! every few seconds, so new containers are seen); with the container runtimes' metadata this
//! gives `container` events, as Falco's nodriver engine does with its container plugin.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use falco_engine::state::State;
use falco_engine::state::host::ExitSweep;

use super::{EventSource, Next, SourceError};
use crate::logger;
use crate::stats::SourceCounters;

/// How often /proc is read again.
const RESCAN_EVERY: Duration = Duration::from_secs(2);
/// Idle turns are this long (signals, -M and output flushes get their turn).
const IDLE: Duration = Duration::from_millis(100);

pub struct NodriverSource {
    proc_root: PathBuf,
    next_scan: Instant,
    sweep: ExitSweep,
}

impl NodriverSource {
    pub fn open(host_root: &Path, state: &mut State) -> NodriverSource {
        let started = Instant::now();
        let scan = state.seed_from_host(host_root);
        logger::info(&format!(
            "engine.kind=nodriver: no syscalls; read {} threads from {} in {} ms",
            scan.threads,
            host_root.join("proc").display(),
            started.elapsed().as_millis()
        ));
        NodriverSource {
            proc_root: host_root.join("proc"),
            next_scan: Instant::now() + RESCAN_EVERY,
            sweep: ExitSweep::default(),
        }
    }
}

impl EventSource for NodriverSource {
    fn name(&self) -> &'static str {
        "nodriver"
    }

    fn is_live(&self) -> bool {
        true
    }

    fn next<'a>(&'a mut self, state: &mut State) -> Result<Next<'a>, SourceError> {
        if Instant::now() >= self.next_scan {
            state.seed_from_proc(&self.proc_root);
            state.sweep_exited_threads(&self.proc_root, &mut self.sweep);
            self.next_scan = Instant::now() + RESCAN_EVERY;
        }
        std::thread::sleep(IDLE);
        Ok(Next::Idle)
    }

    fn counters(&self) -> SourceCounters {
        SourceCounters::default()
    }
}
