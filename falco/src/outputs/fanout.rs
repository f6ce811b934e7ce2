//! The running channels: each alert is handed to every channel's queue without waiting (a full
//! queue drops it for that channel, counted and logged), and at exit the channels get
//! output_timeout to deliver what they hold before falco gives up on them.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError, bounded, unbounded};

use super::registry::OutputRegistry;
use super::worker::{ChannelState, Control, Worker};
use super::{Channel, OutputOptions, QUEUE_BYTES, queued_size};
use crate::alert::Alert;
use crate::logger;

struct Running {
    name: &'static str,
    tx: Sender<Arc<Alert>>,
    /// The queue's other end, to count what is left when falco gives up on the channel.
    rx: Receiver<Arc<Alert>>,
    ctl: Sender<Control>,
    state: Arc<ChannelState>,
    /// Disconnected when the thread ends.
    ended: Receiver<()>,
    handle: Option<JoinHandle<()>>,
    /// When the last "queue full" message was logged (rate-limits the log, never the count).
    last_drop_log: Cell<Option<Instant>>,
    drops_since_log: Cell<u64>,
}

/// The running output channels.
pub struct Outputs {
    channels: Vec<Running>,
}

impl Outputs {
    /// Starts one delivery thread per channel.
    pub fn start(
        channels: Vec<Channel>,
        options: &OutputOptions,
        registry: &OutputRegistry,
    ) -> Outputs {
        let channels = channels
            .into_iter()
            .map(|c| {
                let name = c.output.name();
                // outputs_queue.capacity 0 is Falco's "no limit on the count"; the byte bound
                // (QUEUE_BYTES) still holds.
                let (tx, rx) = match options.queue_capacity {
                    0 => unbounded(),
                    n => bounded(n),
                };
                let (ctl_tx, ctl_rx) = unbounded();
                let (ended_tx, ended) = bounded::<()>(0);
                let state = Arc::new(ChannelState::new(registry.stats_for(name)));
                let worker = Worker::new(
                    c.output,
                    c.rebuild,
                    rx.clone(),
                    ctl_rx,
                    state.clone(),
                    registry.fatal.clone(),
                    options.timeout,
                );
                let handle = std::thread::Builder::new()
                    .name(format!("output-{name}"))
                    .spawn(move || {
                        let _ended = ended_tx;
                        worker.run();
                    })
                    .expect("spawning an output thread");
                Running {
                    name,
                    tx,
                    rx,
                    ctl: ctl_tx,
                    state,
                    ended,
                    handle: Some(handle),
                    last_drop_log: Cell::new(None),
                    drops_since_log: Cell::new(0),
                }
            })
            .collect::<Vec<Running>>();
        *registry.running.lock().unwrap_or_else(|e| e.into_inner()) =
            channels.iter().map(|w| w.ctl.clone()).collect();
        Outputs { channels }
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.channels.iter().map(|w| w.name).collect()
    }

    /// Hands the alert to every channel without waiting. Returns how many channels dropped it.
    pub fn dispatch(&self, alert: Alert) -> usize {
        let size = queued_size(&alert);
        let alert = Arc::new(alert);
        let mut dropped = 0;
        for w in &self.channels {
            let queued = w.state.queued_bytes.load(Ordering::Relaxed);
            // The byte bound: an alert always fits an empty queue, however large.
            if queued > 0 && queued + size > QUEUE_BYTES {
                dropped += 1;
                w.dropped("full");
                continue;
            }
            w.state.queued_bytes.fetch_add(size, Ordering::Relaxed);
            let why = match w.tx.try_send(alert.clone()) {
                Ok(()) => continue,
                Err(TrySendError::Full(_)) => "full",
                Err(TrySendError::Disconnected(_)) => "stopped",
            };
            w.state.queued_bytes.fetch_sub(size, Ordering::Relaxed);
            dropped += 1;
            w.dropped(why);
        }
        dropped
    }

    /// Delivers what is queued and stops. A channel still busy after `timeout` is given up: what it
    /// still held is counted as dropped.
    pub fn shutdown(mut self, timeout: Duration) {
        for w in &self.channels {
            let _ = w.ctl.send(Control::Stop);
        }
        let deadline = Instant::now() + timeout;
        for w in &mut self.channels {
            let Some(h) = w.handle.take() else { continue };
            let wait = deadline.saturating_duration_since(Instant::now());
            if matches!(
                w.ended.recv_timeout(wait),
                Err(RecvTimeoutError::Disconnected)
            ) {
                let _ = h.join();
                continue;
            }
            w.state.abort.store(true, Ordering::Relaxed);
            let mut left = 0;
            while let Ok(a) = w.rx.try_recv() {
                w.state
                    .queued_bytes
                    .fetch_sub(queued_size(&a), Ordering::Relaxed);
                left += 1;
            }
            let st = &w.state.stats;
            st.dropped.fetch_add(left, Ordering::Relaxed);
            st.given_up.fetch_add(left, Ordering::Relaxed);
            left += w.state.write_off();
            logger::error(&format!(
                "\"{}\" output timeout: giving up on {left} queued alert(s) at shutdown",
                w.name
            ));
            // The thread may be stuck in a write; it ends when that returns (a program output's
            // child is ended at exit, see program::end_all).
        }
    }

    /// Stops in the background (a reload replaced these channels).
    pub fn retire(self, timeout: Duration) {
        std::thread::Builder::new()
            .name("outputs-retire".into())
            .spawn(move || self.shutdown(timeout))
            .expect("spawning a thread");
    }
}

impl Running {
    /// Counts an alert this channel could not take, and logs it at most every 10 s.
    fn dropped(&self, why: &str) {
        let total = self.state.stats.dropped.fetch_add(1, Ordering::Relaxed) + 1;
        self.drops_since_log.set(self.drops_since_log.get() + 1);
        let due = self
            .last_drop_log
            .get()
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(10));
        if due {
            let what = if why == "full" {
                format!("Outputs queue full for the {} output", self.name)
            } else {
                format!("The {} output has stopped", self.name)
            };
            logger::error(&format!(
                "{what}: {} alert(s) dropped ({total} in total). Drop event and continue on ...",
                self.drops_since_log.get(),
            ));
            self.last_drop_log.set(Some(Instant::now()));
            self.drops_since_log.set(0);
        }
    }
}

impl Drop for Outputs {
    fn drop(&mut self) {
        for w in &self.channels {
            let _ = w.ctl.send(Control::Stop);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::{Delivery, Output, OutputError};
    use crate::priority::Priority;
    use std::sync::Mutex;
    use std::sync::atomic::AtomicBool;

    /// A receiver that takes `delay` per alert.
    struct Slow {
        delay: Duration,
        got: Arc<Mutex<Vec<String>>>,
    }

    impl Output for Slow {
        fn name(&self) -> &'static str {
            "slow"
        }
        fn write(&mut self, a: &Alert) -> Delivery {
            std::thread::sleep(self.delay);
            self.got.lock().unwrap().push(a.line.clone());
            Ok(1)
        }
    }

    /// Panics on alerts whose line starts with "panic".
    struct Fragile {
        got: Arc<Mutex<Vec<String>>>,
    }

    impl Output for Fragile {
        fn name(&self) -> &'static str {
            "fragile"
        }
        fn write(&mut self, a: &Alert) -> Delivery {
            assert!(!a.line.starts_with("panic"), "cannot take {}", a.line);
            self.got.lock().unwrap().push(a.line.clone());
            Ok(1)
        }
    }

    fn alert(line: String) -> Alert {
        Alert {
            ts: 0,
            priority: Priority::Warning,
            rule: Arc::from("r"),
            source: Arc::from("syscall"),
            line,
            json: false,
        }
    }

    fn options(capacity: usize) -> OutputOptions {
        OutputOptions {
            buffered: false,
            json: false,
            queue_capacity: capacity,
            timeout: Duration::from_secs(5),
        }
    }

    fn slow(delay_ms: u64, got: &Arc<Mutex<Vec<String>>>) -> Channel {
        let got = got.clone();
        Channel::new(Box::new(move || {
            Ok(Box::new(Slow {
                delay: Duration::from_millis(delay_ms),
                got: got.clone(),
            }) as Box<dyn Output>)
        }))
        .unwrap()
    }

    #[test]
    fn full_queue_drops_and_counts_without_blocking() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let reg = OutputRegistry::default();
        let outs = Outputs::start(vec![slow(50, &got)], &options(2), &reg);
        let t = Instant::now();
        let mut dropped = 0;
        for i in 0..20 {
            dropped += outs.dispatch(alert(format!("a{i}")));
        }
        // 20 dispatches against a 50 ms receiver: nowhere near 1 s.
        assert!(t.elapsed() < Duration::from_millis(500));
        assert!(dropped >= 15, "dropped {dropped}");
        outs.shutdown(Duration::from_secs(5));
        let delivered = got.lock().unwrap().len();
        assert_eq!(delivered + dropped, 20);
        let c = reg.counts()[0];
        assert_eq!((c.sent as usize, c.dropped as usize), (delivered, dropped));
        assert_eq!(reg.total_dropped() as usize, dropped);
    }

    #[test]
    fn the_queue_is_bounded_in_bytes_too() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let reg = OutputRegistry::default();
        let outs = Outputs::start(vec![slow(200, &got)], &options(10_000), &reg);
        // 40 alerts of 1 MiB: far below the count bound, far above the byte bound.
        let mut dropped = 0;
        for _ in 0..40 {
            dropped += outs.dispatch(alert("x".repeat(1 << 20)));
        }
        assert!(dropped >= 40 - (QUEUE_BYTES >> 20) - 2, "dropped {dropped}");
        outs.shutdown(Duration::from_millis(100));
        let c = reg.counts()[0];
        assert_eq!(c.sent + c.dropped + c.errors, 40, "{c:?}");
    }

    #[test]
    fn capacity_zero_bounds_bytes_only() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let reg = OutputRegistry::default();
        let outs = Outputs::start(vec![slow(200, &got)], &options(0), &reg);
        // 1000 small alerts: no count limit, so none is dropped.
        let small: usize = (0..1000)
            .map(|i| outs.dispatch(alert(format!("a{i}"))))
            .sum();
        assert_eq!(small, 0);
        // 40 alerts of 1 MiB still meet the byte bound.
        let big: usize = (0..40)
            .map(|_| outs.dispatch(alert("x".repeat(1 << 20))))
            .sum();
        assert!(big >= 40 - (QUEUE_BYTES >> 20) - 2, "dropped {big}");
        outs.shutdown(Duration::from_millis(100));
        let c = reg.counts()[0];
        assert_eq!(c.sent + c.dropped + c.errors, 1040, "{c:?}");
    }

    #[test]
    fn shutdown_gives_up_after_the_timeout_and_counts_the_rest() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let reg = OutputRegistry::default();
        let outs = Outputs::start(vec![slow(100, &got)], &options(100), &reg);
        for i in 0..30 {
            outs.dispatch(alert(format!("a{i}")));
        }
        let t = Instant::now();
        outs.shutdown(Duration::from_millis(250));
        assert!(t.elapsed() < Duration::from_secs(1));
        // Counted at once, not when the abandoned thread comes back.
        let c = reg.counts()[0];
        assert!(c.given_up > 0 && c.given_up == c.dropped, "{c:?}");
        assert_eq!(c.sent + c.dropped + c.errors, 30, "{c:?}");
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(reg.counts()[0], c, "the abandoned thread counted again");
    }

    #[test]
    fn a_panicking_output_is_restarted_and_its_alert_counted() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let reg = OutputRegistry::default();
        let stop = Arc::new(AtomicBool::new(false));
        reg.stop_with(stop.clone());
        let g = got.clone();
        let ch = Channel::new(Box::new(move || {
            Ok(Box::new(Fragile { got: g.clone() }) as Box<dyn Output>)
        }))
        .unwrap();
        let outs = Outputs::start(vec![ch], &options(100), &reg);
        for line in ["one", "panic 1", "two"] {
            outs.dispatch(alert(line.into()));
        }
        outs.shutdown(Duration::from_secs(5));
        assert_eq!(*got.lock().unwrap(), ["one", "two"]);
        let c = reg.counts()[0];
        assert_eq!((c.sent, c.errors), (2, 1), "{c:?}");
        assert!(!stop.load(Ordering::SeqCst));
        assert!(reg.failure().is_none());
    }

    #[test]
    fn an_output_that_keeps_panicking_stops_falco_with_the_cause() {
        let reg = OutputRegistry::default();
        let stop = Arc::new(AtomicBool::new(false));
        reg.stop_with(stop.clone());
        let got = Arc::new(Mutex::new(Vec::new()));
        let g = got.clone();
        let ch = Channel::new(Box::new(move || {
            Ok(Box::new(Fragile { got: g.clone() }) as Box<dyn Output>)
        }))
        .unwrap();
        let outs = Outputs::start(vec![ch], &options(100), &reg);
        for i in 0..10 {
            outs.dispatch(alert(format!("panic {i}")));
        }
        outs.shutdown(Duration::from_secs(5));
        assert!(stop.load(Ordering::SeqCst));
        let why = reg.failure().unwrap();
        assert!(why.contains("cannot take panic"), "{why}");
        let c = reg.counts()[0];
        assert_eq!(c.errors, 10, "{c:?}");
    }

    #[test]
    fn a_channel_that_cannot_be_rebuilt_stops_falco() {
        let reg = OutputRegistry::default();
        let built = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let b = built.clone();
        let ch = Channel::new(Box::new(move || {
            if b.fetch_add(1, Ordering::SeqCst) > 0 {
                return Err(OutputError::Setup("gone".into()));
            }
            Ok(Box::new(Fragile {
                got: Arc::new(Mutex::new(Vec::new())),
            }) as Box<dyn Output>)
        }))
        .unwrap();
        let outs = Outputs::start(vec![ch], &options(100), &reg);
        outs.dispatch(alert("panic".into()));
        outs.dispatch(alert("fine".into()));
        outs.shutdown(Duration::from_secs(5));
        let why = reg.failure().unwrap();
        assert!(why.contains("cannot be restarted: gone"), "{why}");
        assert_eq!(reg.counts()[0].errors, 2);
    }
}
