//! Per-channel counters, kept across reloads and shared with statistics and metrics, and the
//! registry's reach into the running channels (SIGUSR1 reopens them; a channel that cannot be kept
//! alive stops falco).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crossbeam_channel::Sender;

use super::worker::{Control, Fatal};

/// Counters of one channel. Every alert handed to a channel ends in exactly one of them.
#[derive(Debug, Default)]
pub struct OutputStats {
    /// Alerts delivered.
    pub sent: AtomicU64,
    /// Alerts dropped without an attempt: the channel's queue was full (in alerts or bytes), or it
    /// was still queued when falco gave up on the channel at exit (also in `given_up`).
    pub dropped: AtomicU64,
    /// Alerts the channel failed to deliver (write or HTTP errors, a full disk).
    pub errors: AtomicU64,
    /// Of `dropped`: alerts abandoned at exit because the channel was still busy after
    /// output_timeout.
    pub given_up: AtomicU64,
}

/// One channel's counters, read at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelCounts {
    pub name: &'static str,
    pub sent: u64,
    pub dropped: u64,
    pub errors: u64,
    pub given_up: u64,
}

/// Per-channel counters, shared with stats and metrics.
#[derive(Debug, Default)]
pub struct OutputRegistry {
    channels: Mutex<Vec<(&'static str, Arc<OutputStats>)>>,
    /// Control queues of the running channels, so SIGUSR1 reaches them without waiting for the
    /// pipeline (which may be blocked reading events). Not touched per alert.
    pub(super) running: Mutex<Vec<Sender<Control>>>,
    /// Where a channel that could not be kept running says why, and stops falco.
    pub(super) fatal: Arc<Fatal>,
}

impl OutputRegistry {
    /// The counters of channel `name`, created on first use.
    pub fn stats_for(&self, name: &'static str) -> Arc<OutputStats> {
        let mut c = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, s)) = c.iter().find(|(n, _)| *n == name) {
            return s.clone();
        }
        let s = Arc::new(OutputStats::default());
        c.push((name, s.clone()));
        s
    }

    /// The counters of every channel that has existed.
    pub fn counts(&self) -> Vec<ChannelCounts> {
        let c = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        c.iter()
            .map(|(n, s)| ChannelCounts {
                name: n,
                sent: s.sent.load(Ordering::Relaxed),
                dropped: s.dropped.load(Ordering::Relaxed),
                errors: s.errors.load(Ordering::Relaxed),
                given_up: s.given_up.load(Ordering::Relaxed),
            })
            .collect()
    }

    /// (name, sent, dropped, errors) of every channel that has existed.
    pub fn snapshot(&self) -> Vec<(&'static str, u64, u64, u64)> {
        self.counts()
            .into_iter()
            .map(|c| (c.name, c.sent, c.dropped, c.errors))
            .collect()
    }

    /// SIGUSR1: asks every running channel to close and reopen its file or program.
    pub fn reopen_all(&self) {
        for c in self
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = c.send(Control::Reopen);
        }
    }

    /// Alerts dropped by any channel (Falco's outputs_queue_num_drops).
    pub fn total_dropped(&self) -> u64 {
        self.counts().iter().map(|c| c.dropped).sum()
    }

    /// The flag a failed channel raises to stop falco.
    pub fn stop_with(&self, stop: Arc<AtomicBool>) {
        let _ = self.fatal.stop.set(stop);
    }

    /// Why a channel failed for good, if one did.
    pub fn failure(&self) -> Option<String> {
        self.fatal
            .failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}
