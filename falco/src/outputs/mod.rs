//! Output channels and their delivery threads.
//!
//! Every enabled channel runs on its own thread behind its own bounded queue. The matching thread
//! hands each alert to every queue with `try_send`: a full queue (a slow or dead receiver) drops the
//! alert for that channel, counts it, and logs it; matching never waits, and the other channels are
//! not held back.

pub mod file;
pub mod http;
pub mod program;
pub mod stdout;
pub mod syslog;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TrySendError, bounded, select, unbounded};

use crate::alert::Alert;
use crate::config::Config;
use crate::logger;

/// Why an output could not deliver an alert.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("cannot start program '{program}': {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("POST {url}: {message}")]
    Http { url: String, message: String },
    #[error("{0}")]
    Setup(String),
}

/// One output channel. Its methods run on the channel's own thread.
pub trait Output: Send {
    fn name(&self) -> &'static str;
    /// Delivers one alert.
    fn write(&mut self, alert: &Alert) -> Result<(), OutputError>;
    /// Closes and reopens what the channel writes to (SIGUSR1: log rotation).
    fn reopen(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    /// Pushes out anything buffered.
    fn flush(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Counters of one channel, kept across reloads (by channel name).
#[derive(Debug, Default)]
pub struct OutputStats {
    /// Alerts delivered.
    pub sent: AtomicU64,
    /// Alerts dropped because the channel's queue was full, or left queued at shutdown.
    pub dropped: AtomicU64,
    /// Alerts the channel failed to deliver (write or HTTP errors).
    pub errors: AtomicU64,
}

/// Per-channel counters, shared with stats and metrics.
#[derive(Debug, Default)]
pub struct OutputRegistry {
    channels: std::sync::Mutex<Vec<(&'static str, Arc<OutputStats>)>>,
    /// Control queues of the running channels, so SIGUSR1 reaches them without waiting for the
    /// pipeline (which may be blocked reading events). Not touched per alert.
    running: std::sync::Mutex<Vec<Sender<Control>>>,
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

    /// (name, sent, dropped, errors) of every channel that has existed.
    pub fn snapshot(&self) -> Vec<(&'static str, u64, u64, u64)> {
        let c = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        c.iter()
            .map(|(n, s)| {
                (
                    *n,
                    s.sent.load(Ordering::Relaxed),
                    s.dropped.load(Ordering::Relaxed),
                    s.errors.load(Ordering::Relaxed),
                )
            })
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
        self.snapshot().iter().map(|s| s.2).sum()
    }
}

#[derive(Debug)]
pub enum Control {
    Reopen,
    /// Deliver what is queued, flush, and end.
    Stop,
}

struct Worker {
    name: &'static str,
    tx: Sender<Arc<Alert>>,
    ctl: Sender<Control>,
    stats: Arc<OutputStats>,
    /// Set when shutdown gives up waiting: the worker drops what is left.
    abort: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
    /// When the last "queue full" message was logged (rate-limits the log, never the count).
    last_drop_log: std::cell::Cell<Option<Instant>>,
    drops_since_log: std::cell::Cell<u64>,
}

/// The running output channels.
pub struct Outputs {
    workers: Vec<Worker>,
}

/// Settings every channel shares.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputOptions {
    pub buffered: bool,
    pub json: bool,
    pub queue_capacity: usize,
    pub timeout: Duration,
}

/// The channel part of the configuration: a reload rebuilds the channels only when it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelConfig {
    pub options: OutputOptions,
    pub stdout: bool,
    pub syslog: Option<std::path::PathBuf>,
    pub file: Option<crate::config::FileOutputConfig>,
    pub program: Option<crate::config::ProgramOutputConfig>,
    pub http: Option<crate::config::HttpOutputConfig>,
}

impl ChannelConfig {
    pub fn from_config(c: &Config, unbuffered: bool) -> ChannelConfig {
        ChannelConfig {
            options: OutputOptions {
                buffered: c.buffered_outputs && !unbuffered,
                json: c.json_output,
                queue_capacity: c.outputs_queue_capacity,
                timeout: Duration::from_millis(c.output_timeout_ms),
            },
            stdout: c.stdout_output,
            syslog: c.syslog_output.then(|| c.syslog_socket.clone()),
            file: c.file_output.enabled.then(|| c.file_output.clone()),
            program: c.program_output.enabled.then(|| c.program_output.clone()),
            http: c.http_output.enabled.then(|| c.http_output.clone()),
        }
    }

    /// Builds the enabled channels (nothing is opened yet: files and programs open on first alert).
    pub fn build(&self) -> Result<Vec<Box<dyn Output>>, OutputError> {
        let o = &self.options;
        let mut v: Vec<Box<dyn Output>> = Vec::new();
        if self.stdout {
            v.push(Box::new(stdout::StdoutOutput::new(o.buffered)));
        }
        if let Some(sock) = &self.syslog {
            v.push(Box::new(syslog::SyslogOutput::new(sock)));
        }
        if let Some(f) = &self.file {
            v.push(Box::new(file::FileOutput::new(
                &f.filename,
                f.keep_alive,
                o.buffered,
            )));
        }
        if let Some(p) = &self.program {
            v.push(Box::new(program::ProgramOutput::new(
                &p.program,
                p.keep_alive,
                o.buffered,
            )));
        }
        if let Some(h) = &self.http {
            v.push(Box::new(http::HttpOutput::new(h, o.json, o.timeout)?));
        }
        Ok(v)
    }
}

fn run_worker(
    mut out: Box<dyn Output>,
    rx: Receiver<Arc<Alert>>,
    ctl: Receiver<Control>,
    stats: Arc<OutputStats>,
    abort: Arc<AtomicBool>,
    timeout: Duration,
) {
    let name = out.name();
    let mut last_error_log: Option<Instant> = None;
    let mut deliver = |out: &mut Box<dyn Output>, a: &Alert| {
        let started = Instant::now();
        match out.write(a) {
            Ok(()) => {
                stats.sent.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                let n = stats.errors.fetch_add(1, Ordering::Relaxed) + 1;
                if last_error_log.is_none_or(|t| t.elapsed() >= Duration::from_secs(10)) {
                    last_error_log = Some(Instant::now());
                    logger::error(&format!("{name} output: {e} ({n} failed so far)"));
                }
            }
        }
        let took = started.elapsed();
        if took > timeout {
            logger::notice(&format!(
                "\"{name}\" output timeout: one alert took {} ms (output_timeout is {} ms)",
                took.as_millis(),
                timeout.as_millis()
            ));
        }
    };
    let handle = |out: &mut Box<dyn Output>, c: Control| -> bool {
        match c {
            Control::Reopen => {
                if let Err(e) = out.reopen() {
                    logger::error(&format!("{name} output: reopen failed: {e}"));
                }
                true
            }
            Control::Stop => false,
        }
    };
    loop {
        select! {
            recv(ctl) -> c => {
                let keep_going = match c {
                    Ok(c) => handle(&mut out, c),
                    Err(_) => false,
                };
                if !keep_going {
                    while let Ok(a) = rx.try_recv() {
                        if abort.load(Ordering::Relaxed) {
                            stats.dropped.fetch_add(1 + rx.len() as u64, Ordering::Relaxed);
                            break;
                        }
                        deliver(&mut out, &a);
                    }
                    if let Err(e) = out.flush() {
                        logger::error(&format!("{name} output: flush failed: {e}"));
                    }
                    return;
                }
            },
            recv(rx) -> a => match a {
                Ok(a) => {
                    // A reopen asked for before this alert was queued applies to it: select
                    // picks among ready channels at random, so look at the controls first.
                    let mut stop = false;
                    while let Ok(c) = ctl.try_recv() {
                        match c {
                            Control::Stop => stop = true,
                            c => {
                                handle(&mut out, c);
                            }
                        }
                    }
                    deliver(&mut out, &a);
                    if stop {
                        while let Ok(a) = rx.try_recv() {
                            if abort.load(Ordering::Relaxed) {
                                stats.dropped.fetch_add(1 + rx.len() as u64, Ordering::Relaxed);
                                break;
                            }
                            deliver(&mut out, &a);
                        }
                        let _ = out.flush();
                        return;
                    }
                }
                Err(_) => {
                    let _ = out.flush();
                    return;
                }
            },
        }
    }
}

impl Outputs {
    /// Starts one delivery thread per channel.
    pub fn start(
        channels: Vec<Box<dyn Output>>,
        options: &OutputOptions,
        registry: &OutputRegistry,
    ) -> Outputs {
        let workers = channels
            .into_iter()
            .map(|out| {
                let name = out.name();
                let (tx, rx) = bounded(options.queue_capacity.max(1));
                let (ctl_tx, ctl_rx) = unbounded();
                let stats = registry.stats_for(name);
                let abort = Arc::new(AtomicBool::new(false));
                let (s, a, t) = (stats.clone(), abort.clone(), options.timeout);
                let handle = std::thread::Builder::new()
                    .name(format!("output-{name}"))
                    .spawn(move || run_worker(out, rx, ctl_rx, s, a, t))
                    .expect("spawning an output thread");
                Worker {
                    name,
                    tx,
                    ctl: ctl_tx,
                    stats,
                    abort,
                    handle: Some(handle),
                    last_drop_log: std::cell::Cell::new(None),
                    drops_since_log: std::cell::Cell::new(0),
                }
            })
            .collect::<Vec<Worker>>();
        *registry.running.lock().unwrap_or_else(|e| e.into_inner()) =
            workers.iter().map(|w| w.ctl.clone()).collect();
        Outputs { workers }
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.workers.iter().map(|w| w.name).collect()
    }

    /// Hands the alert to every channel without waiting. Returns how many channels dropped it.
    pub fn dispatch(&self, alert: Alert) -> usize {
        let alert = Arc::new(alert);
        let mut dropped = 0;
        for w in &self.workers {
            match w.tx.try_send(alert.clone()) {
                Ok(()) => {}
                Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                    dropped += 1;
                    let total = w.stats.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                    w.drops_since_log.set(w.drops_since_log.get() + 1);
                    let due = w
                        .last_drop_log
                        .get()
                        .is_none_or(|t| t.elapsed() >= Duration::from_secs(10));
                    if due {
                        logger::error(&format!(
                            "Outputs queue full for the {} output: {} alert(s) dropped ({} in total). Drop event and continue on ...",
                            w.name,
                            w.drops_since_log.get(),
                            total
                        ));
                        w.last_drop_log.set(Some(Instant::now()));
                        w.drops_since_log.set(0);
                    }
                }
            }
        }
        dropped
    }

    /// Delivers what is queued and stops. A channel still busy after `timeout` is abandoned: what it
    /// had left is counted as dropped.
    pub fn shutdown(mut self, timeout: Duration) {
        for w in &self.workers {
            let _ = w.ctl.send(Control::Stop);
        }
        let deadline = Instant::now() + timeout;
        for w in &mut self.workers {
            let Some(h) = w.handle.take() else { continue };
            while !h.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            if h.is_finished() {
                let _ = h.join();
                continue;
            }
            w.abort.store(true, Ordering::Relaxed);
            let left = w.tx.len() as u64;
            logger::error(&format!(
                "\"{}\" output timeout: giving up on {left} queued alert(s) at shutdown",
                w.name
            ));
            // The thread may be stuck in a write; it ends when that returns.
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

impl Drop for Outputs {
    fn drop(&mut self) {
        for w in &self.workers {
            let _ = w.ctl.send(Control::Stop);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::priority::Priority;
    use std::sync::Mutex;

    struct Slow {
        delay: Duration,
        got: Arc<Mutex<Vec<String>>>,
    }

    impl Output for Slow {
        fn name(&self) -> &'static str {
            "slow"
        }
        fn write(&mut self, a: &Alert) -> Result<(), OutputError> {
            std::thread::sleep(self.delay);
            self.got.lock().unwrap().push(a.line.clone());
            Ok(())
        }
    }

    fn alert(i: usize) -> Alert {
        Alert {
            ts: i as u64,
            priority: Priority::Warning,
            rule: Arc::from("r"),
            source: Arc::from("syscall"),
            line: format!("a{i}"),
            json: false,
        }
    }

    #[test]
    fn full_queue_drops_and_counts_without_blocking() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let reg = OutputRegistry::default();
        let opts = OutputOptions {
            buffered: false,
            json: false,
            queue_capacity: 2,
            timeout: Duration::from_secs(5),
        };
        let outs = Outputs::start(
            vec![Box::new(Slow {
                delay: Duration::from_millis(50),
                got: got.clone(),
            })],
            &opts,
            &reg,
        );
        let t = Instant::now();
        let mut dropped = 0;
        for i in 0..20 {
            dropped += outs.dispatch(alert(i));
        }
        // 20 dispatches against a 50 ms receiver: nowhere near 1 s.
        assert!(t.elapsed() < Duration::from_millis(500));
        assert!(dropped >= 15, "dropped {dropped}");
        outs.shutdown(Duration::from_secs(5));
        let delivered = got.lock().unwrap().len();
        assert_eq!(delivered + dropped, 20);
        let snap = reg.snapshot();
        assert_eq!(snap[0].1 as usize, delivered);
        assert_eq!(snap[0].2 as usize, dropped);
        assert_eq!(reg.total_dropped() as usize, dropped);
    }

    #[test]
    fn shutdown_gives_up_after_the_timeout_and_counts_the_rest() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let reg = OutputRegistry::default();
        let opts = OutputOptions {
            buffered: false,
            json: false,
            queue_capacity: 100,
            timeout: Duration::from_secs(5),
        };
        let outs = Outputs::start(
            vec![Box::new(Slow {
                delay: Duration::from_millis(100),
                got: got.clone(),
            })],
            &opts,
            &reg,
        );
        for i in 0..30 {
            outs.dispatch(alert(i));
        }
        let t = Instant::now();
        outs.shutdown(Duration::from_millis(250));
        assert!(t.elapsed() < Duration::from_secs(1));
        // Let the abandoned thread notice the abort.
        std::thread::sleep(Duration::from_millis(300));
        let s = reg.snapshot()[0];
        assert!(s.2 > 0, "{s:?}");
        assert!(s.1 + s.2 <= 30);
    }
}
