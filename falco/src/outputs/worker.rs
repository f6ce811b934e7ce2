//! One channel's delivery thread: takes alerts from the channel's queue, applies SIGUSR1 reopens,
//! settles every alert it took as sent or failed, and keeps the channel alive. A panic inside an
//! output (a bug, a library that panics on odd input) costs the alert it was handling, is logged
//! with its cause, and the output is rebuilt from its configuration; a channel that keeps panicking
//! or cannot be rebuilt stops falco, which then exits non-zero.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, select};

use super::registry::OutputStats;
use super::{Builder, Delivery, Failure, Output, OutputError};
use crate::alert::Alert;
use crate::logger;

/// Panics in a row (without a delivery in between) after which a channel is given up.
const MAX_RESTARTS: u32 = 3;

#[derive(Debug)]
pub enum Control {
    Reopen,
    /// Deliver what is queued, flush, and end.
    Stop,
}

/// Alerts taken from the queue and not yet settled, and whether shutdown wrote them off.
#[derive(Debug, Default)]
struct Settle {
    unsettled: u64,
    written_off: bool,
}

/// What the channel's thread and its [`super::Outputs`] handle share.
#[derive(Debug, Default)]
pub(super) struct ChannelState {
    pub stats: Arc<OutputStats>,
    /// Set when shutdown gives up waiting: the thread takes nothing more.
    pub abort: AtomicBool,
    /// Bytes of alert text in the queue.
    pub queued_bytes: AtomicUsize,
    settle: Mutex<Settle>,
}

impl ChannelState {
    pub fn new(stats: Arc<OutputStats>) -> ChannelState {
        ChannelState {
            stats,
            ..ChannelState::default()
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Settle> {
        self.settle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Shutdown gives up: what the thread holds (being written, or buffered) is counted as dropped
    /// now, and whatever the thread later reports about it is ignored. Returns how many.
    pub fn write_off(&self) -> u64 {
        let mut s = self.lock();
        s.written_off = true;
        let n = std::mem::take(&mut s.unsettled);
        let st = &self.stats;
        st.dropped.fetch_add(n, Ordering::Relaxed);
        st.given_up.fetch_add(n, Ordering::Relaxed);
        n
    }

    fn take_one(&self) {
        let mut s = self.lock();
        if s.written_off {
            // Taken as shutdown gave up: it will not be delivered.
            self.stats.dropped.fetch_add(1, Ordering::Relaxed);
            self.stats.given_up.fetch_add(1, Ordering::Relaxed);
        } else {
            s.unsettled += 1;
        }
    }

    fn settle(&self, sent: u64, failed: u64) {
        let mut s = self.lock();
        if s.written_off {
            return;
        }
        s.unsettled = s.unsettled.saturating_sub(sent + failed);
        self.stats.sent.fetch_add(sent, Ordering::Relaxed);
        self.stats.errors.fetch_add(failed, Ordering::Relaxed);
    }
}

/// Where a channel that failed for good reports it (shared with the registry).
#[derive(Debug, Default)]
pub(super) struct Fatal {
    pub failure: Mutex<Option<String>>,
    pub stop: OnceLock<Arc<AtomicBool>>,
}

impl Fatal {
    pub fn raise(&self, why: String) {
        logger::error(&format!("{why}; stopping falco"));
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(why);
        if let Some(s) = self.stop.get() {
            s.store(true, Ordering::SeqCst);
        }
    }
}

pub(super) struct Worker {
    pub out: Box<dyn Output>,
    pub rebuild: Builder,
    pub rx: Receiver<Arc<Alert>>,
    pub ctl: Receiver<Control>,
    pub state: Arc<ChannelState>,
    pub fatal: Arc<Fatal>,
    pub timeout: Duration,
    pub name: &'static str,
    last_error_log: Option<Instant>,
    panics_in_a_row: u32,
    /// Failed for good: alerts are settled as failed without an attempt.
    dead: bool,
}

/// The text of a panic's payload.
fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

impl Worker {
    pub fn new(
        out: Box<dyn Output>,
        rebuild: Builder,
        rx: Receiver<Arc<Alert>>,
        ctl: Receiver<Control>,
        state: Arc<ChannelState>,
        fatal: Arc<Fatal>,
        timeout: Duration,
    ) -> Worker {
        Worker {
            name: out.name(),
            out,
            rebuild,
            rx,
            ctl,
            state,
            fatal,
            timeout,
            last_error_log: None,
            panics_in_a_row: 0,
            dead: false,
        }
    }

    pub fn run(mut self) {
        loop {
            select! {
                recv(self.ctl) -> c => match c {
                    Ok(Control::Reopen) => self.call(|o| o.reopen(), 0),
                    Ok(Control::Stop) | Err(_) => return self.finish(),
                },
                recv(self.rx) -> a => match a {
                    Ok(a) => {
                        self.taken(&a);
                        // A reopen asked for before this alert was queued applies to it: select
                        // picks among ready channels at random, so look at the controls first.
                        let mut stop = false;
                        while let Ok(c) = self.ctl.try_recv() {
                            match c {
                                Control::Stop => stop = true,
                                Control::Reopen => self.call(|o| o.reopen(), 0),
                            }
                        }
                        self.deliver(&a);
                        if stop {
                            return self.finish();
                        }
                    }
                    Err(_) => return self.finish(),
                },
            }
        }
    }

    /// An alert left the queue: its bytes no longer count against the queue's bound.
    fn taken(&self, a: &Alert) {
        self.state
            .queued_bytes
            .fetch_sub(super::queued_size(a), Ordering::Relaxed);
        self.state.take_one();
    }

    /// Delivers what is still queued (unless shutdown gave up), flushes, and ends.
    fn finish(&mut self) {
        while !self.state.abort.load(Ordering::Relaxed) {
            let Ok(a) = self.rx.try_recv() else { break };
            self.taken(&a);
            self.deliver(&a);
        }
        self.call(|o| o.flush(), 0);
        // Whatever the output still held unsettled is lost with it.
        let left = self.state.lock().unsettled;
        if left > 0 {
            self.state.settle(0, left);
        }
    }

    fn deliver(&mut self, a: &Alert) {
        let started = Instant::now();
        self.call(|o| o.write(a), 1);
        let took = started.elapsed();
        if took > self.timeout {
            logger::notice(&format!(
                "\"{}\" output timeout: one alert took {} ms (output_timeout is {} ms)",
                self.name,
                took.as_millis(),
                self.timeout.as_millis()
            ));
        }
    }

    /// Runs one operation on the output, settles the alerts it reports, and survives its panics.
    /// `taking` is how many alerts the operation hands over (1 for a write).
    fn call(&mut self, op: impl FnOnce(&mut dyn Output) -> Delivery, taking: u64) {
        if self.dead {
            self.state.settle(0, taking);
            return;
        }
        let held = self.out.pending() + taking;
        let out = &mut self.out;
        match catch_unwind(AssertUnwindSafe(|| op(out.as_mut()))) {
            Ok(Ok(n)) => {
                self.panics_in_a_row = 0;
                self.state.settle(n, 0);
            }
            Ok(Err(f)) => self.failed(f),
            Err(p) => {
                self.state.settle(0, held);
                self.restart(panic_text(p.as_ref()));
            }
        }
    }

    fn failed(&mut self, f: Failure) {
        self.state.settle(f.sent, f.lost);
        if f.sent > 0 {
            self.panics_in_a_row = 0;
        }
        if self
            .last_error_log
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(10))
        {
            self.last_error_log = Some(Instant::now());
            let n = self.state.stats.errors.load(Ordering::Relaxed);
            logger::error(&format!(
                "{} output: {} ({n} failed so far)",
                self.name, f.error
            ));
        }
    }

    /// The output panicked: rebuild it, or give the channel up.
    fn restart(&mut self, cause: String) {
        self.panics_in_a_row += 1;
        let name = self.name;
        if self.panics_in_a_row > MAX_RESTARTS {
            self.dead = true;
            self.fatal.raise(format!(
                "the {name} output failed {} times in a row ({cause})",
                self.panics_in_a_row
            ));
            return;
        }
        let rebuilt = catch_unwind(AssertUnwindSafe(|| (self.rebuild)()))
            .unwrap_or_else(|p| Err(OutputError::Setup(panic_text(p.as_ref()))));
        match rebuilt {
            Ok(o) => {
                logger::error(&format!("the {name} output failed ({cause}); restarted it"));
                self.out = o;
            }
            Err(e) => {
                self.dead = true;
                self.fatal.raise(format!(
                    "the {name} output failed ({cause}) and cannot be restarted: {e}"
                ));
            }
        }
    }
}
