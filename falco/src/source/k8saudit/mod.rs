//! The `k8s_audit` event source: Kubernetes audit events from the API server's webhook
//! ([`webhook`]) or from files ([`file`]), configured as Falco's k8saudit plugin ([`settings`]).
//!
//! Producers (the webhook's server threads, a file reader thread) parse payloads into events and
//! put them on a queue bounded in bytes ([`MAX_QUEUED_BYTES`] or two batches, whichever is larger);
//! the pipeline thread takes them off between syscall events and matches them against the
//! `k8s_audit` rules. A webhook payload that does not fit is refused with 503 (the API server
//! retries) and counted; file readers wait instead, so replay loses nothing.

pub mod file;
pub mod idle;
pub mod settings;
pub mod webhook;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, TryRecvError};
use falco_engine::k8saudit::event::{Payload, PayloadError, parse_payload};

use crate::logger;
pub use settings::{AuditSettings, OpenParams};

/// Bytes of parsed payloads that may wait for the pipeline (at least two of the largest batch).
pub const MAX_QUEUED_BYTES: usize = 64 << 20;

/// Counters of the source, shared by producers and the pipeline.
#[derive(Debug, Default)]
pub struct AuditCounters {
    /// Events queued for matching.
    pub events: AtomicU64,
    /// Events of accepted payloads dropped on their own (no stageTimestamp, over maxEventSize).
    pub dropped_events: AtomicU64,
    /// Payloads refused: not JSON, not audit events, not UTF-8.
    pub bad_payloads: AtomicU64,
    /// Payloads refused because the queue was full (their events are lost to falco; the
    /// webhook's client was told so with a 503).
    pub queue_full: AtomicU64,
    /// Webhook requests answered, and those answered with an error status (413s for bodies
    /// declared larger than webhookMaxBatchSize included).
    pub requests: AtomicU64,
    pub rejected_requests: AtomicU64,
    /// The webhook server's connections ended at its connection limit.
    pub connections: std::sync::OnceLock<Arc<crate::http::ConnCounters>>,
}

impl AuditCounters {
    pub fn get(c: &AtomicU64) -> u64 {
        c.load(Ordering::Relaxed)
    }

    /// (name, value) of each counter, for metrics (`falcosecurity_falco_k8s_audit_<name>_total`
    /// in Prometheus, `falco.k8s_audit.<name>` in metrics snapshots).
    pub fn named(&self) -> [(&'static str, u64); 9] {
        let conn = |f: fn(&crate::http::ConnCounters) -> &AtomicU64| {
            self.connections.get().map_or(0, |c| Self::get(f(c)))
        };
        [
            ("connections_evicted", conn(|c| &c.evicted)),
            ("connections_refused", conn(|c| &c.refused)),
            ("connections_timed_out", conn(|c| &c.timed_out)),
            ("events", Self::get(&self.events)),
            ("bad_payloads", Self::get(&self.bad_payloads)),
            ("dropped_events", Self::get(&self.dropped_events)),
            ("queue_full", Self::get(&self.queue_full)),
            ("requests", Self::get(&self.requests)),
            ("rejected_requests", Self::get(&self.rejected_requests)),
        ]
    }
}

/// Why a payload was not queued.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{0}")]
    Bad(#[from] PayloadError),
    #[error("the payload is not UTF-8 text")]
    NotText,
    #[error("too many audit events wait for matching")]
    Full,
    #[error("falco is stopping")]
    Closed,
}

/// The producer side: parses payloads and queues their events.
#[derive(Clone)]
pub struct Feed {
    tx: Sender<Payload>,
    queued: Arc<AtomicUsize>,
    max_queued: usize,
    max_event_size: usize,
    pub counters: Arc<AuditCounters>,
    /// Set when the consumer is gone.
    stop: Arc<AtomicBool>,
}

impl Feed {
    /// True once falco stops reading the queue.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Parses `body` and queues its events. `wait`: block while the queue is full (files) rather
    /// than refuse (webhook). Returns the number of events queued.
    pub fn push(&self, body: Vec<u8>, wait: bool) -> Result<usize, FeedError> {
        let text = String::from_utf8(body).map_err(|_| {
            self.counters.bad_payloads.fetch_add(1, Ordering::Relaxed);
            FeedError::NotText
        })?;
        let payload = parse_payload(text, self.max_event_size).inspect_err(|_| {
            self.counters.bad_payloads.fetch_add(1, Ordering::Relaxed);
        })?;
        for e in &payload.dropped {
            logger::debug(&format!("k8s_audit: event dropped: {e}"));
        }
        let dropped = payload.dropped.len() as u64;
        self.counters
            .dropped_events
            .fetch_add(dropped, Ordering::Relaxed);
        let n = payload.events.len();
        if n == 0 {
            return Ok(0);
        }
        let bytes = payload.bytes;
        loop {
            let before = self.queued.fetch_add(bytes, Ordering::AcqRel);
            if before == 0 || before + bytes <= self.max_queued {
                break;
            }
            self.queued.fetch_sub(bytes, Ordering::AcqRel);
            if !wait {
                self.counters.queue_full.fetch_add(1, Ordering::Relaxed);
                return Err(FeedError::Full);
            }
            if self.stopped() {
                return Err(FeedError::Closed);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if self.tx.send(payload).is_err() {
            self.queued.fetch_sub(bytes, Ordering::AcqRel);
            return Err(FeedError::Closed);
        }
        self.counters.events.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// What the pipeline gets from [`AuditInput::try_next`].
pub enum Polled {
    Payload(Payload),
    Empty,
    /// Every producer is done (files read); nothing more will come.
    Ended,
}

/// The consumer side, owned by the pipeline, with the producers it started.
pub struct AuditInput {
    rx: Receiver<Payload>,
    queued: Arc<AtomicUsize>,
    pub counters: Arc<AuditCounters>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    /// The webhook's server (stops when dropped).
    server: Option<Box<dyn Send>>,
    /// Where the webhook listens (port 0 in open_params: the port chosen).
    pub addr: Option<std::net::SocketAddr>,
}

/// A queue and its two ends.
pub fn channel(max_event_size: usize, max_batch: usize) -> (Feed, AuditInput) {
    let (tx, rx) = crossbeam_channel::unbounded();
    let queued = Arc::new(AtomicUsize::new(0));
    let counters = Arc::new(AuditCounters::default());
    let stop = Arc::new(AtomicBool::new(false));
    let feed = Feed {
        stop: stop.clone(),
        tx,
        queued: queued.clone(),
        max_queued: MAX_QUEUED_BYTES.max(max_batch.saturating_mul(4)),
        max_event_size,
        counters: counters.clone(),
    };
    let input = AuditInput {
        rx,
        queued,
        counters,
        stop,
        reader: None,
        server: None,
        addr: None,
    };
    (feed, input)
}

/// Why the source did not start.
#[derive(Debug, thiserror::Error)]
pub enum AuditSourceError {
    #[error("k8s_audit: cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("k8s_audit webhook: {0}")]
    Webhook(String),
}

impl AuditInput {
    /// Starts the source `settings` describe.
    pub fn start(settings: &AuditSettings) -> Result<AuditInput, AuditSourceError> {
        let (feed, mut input) = channel(settings.max_event_size, settings.webhook_max_batch_size);
        match &settings.open {
            OpenParams::Read(path) => {
                let files = file::list(path).map_err(|source| AuditSourceError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                let max = settings.webhook_max_batch_size;
                input.reader = Some(file::spawn_read(files, feed, max));
            }
            OpenParams::Follow(path) => {
                let max = settings.webhook_max_batch_size;
                let stop = input.stop.clone();
                input.reader = Some(file::spawn_follow(path.clone(), feed, max, stop));
            }
            OpenParams::Webhook { .. } => {
                let (server, addr) = webhook::start(settings, feed)?;
                input.server = Some(Box::new(server));
                input.addr = Some(addr);
            }
        }
        Ok(input)
    }

    /// The next payload, without waiting.
    pub fn try_next(&self) -> Polled {
        match self.rx.try_recv() {
            Ok(p) => {
                self.queued.fetch_sub(p.bytes, Ordering::AcqRel);
                Polled::Payload(p)
            }
            Err(TryRecvError::Empty) => Polled::Empty,
            Err(TryRecvError::Disconnected) => Polled::Ended,
        }
    }

    /// A receiver that becomes ready when a payload waits (for a source that idles on it).
    pub fn waker(&self) -> Receiver<Payload> {
        self.rx.clone()
    }
}

impl Drop for AuditInput {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.server.take();
        // A reader blocked on a full queue sees the receiver gone once this returns; a follower
        // sees `stop` within its poll period.
        if let Some(r) = self.reader.take()
            && r.is_finished()
        {
            let _ = r.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EV: &str = r#"{"kind":"Event","auditID":"a","stageTimestamp":"2018-10-25T14:09:12Z"}"#;

    #[test]
    fn queue_is_bounded_for_pushers_that_do_not_wait() {
        let (mut feed, input) = channel(1 << 20, 1 << 20);
        feed.max_queued = 1;
        assert_eq!(feed.push(EV.into(), false).unwrap(), 1);
        assert!(matches!(feed.push(EV.into(), false), Err(FeedError::Full)));
        assert_eq!(AuditCounters::get(&feed.counters.queue_full), 1);
        assert!(matches!(input.try_next(), Polled::Payload(_)));
        assert_eq!(feed.push(EV.into(), false).unwrap(), 1);
        assert!(matches!(
            feed.push(b"{".to_vec(), false),
            Err(FeedError::Bad(_))
        ));
        assert!(matches!(
            feed.push(vec![0xff], false),
            Err(FeedError::NotText)
        ));
        assert_eq!(AuditCounters::get(&feed.counters.bad_payloads), 2);
        drop(feed);
        assert!(matches!(input.try_next(), Polled::Payload(_)));
        assert!(matches!(input.try_next(), Polled::Ended));
    }
}

/// The sources that run: whether system calls do, and the `k8s_audit` settings when it does.
/// `loaded`: the k8saudit plugin's settings from falco.yaml. Checks --enable-source and
/// --disable-source as Falco does (the known sources are syscall and, when loaded, k8s_audit);
/// a capture replay (`replay`) runs system calls only.
pub fn choose_sources(
    enable: &[String],
    disable: &[String],
    loaded: Option<&AuditSettings>,
    replay: bool,
) -> Result<(bool, Option<AuditSettings>), String> {
    if replay {
        return Ok((true, None));
    }
    if !enable.is_empty() && !disable.is_empty() {
        return Err("You can not mix --enable-source and --disable-source".into());
    }
    let known =
        |s: &str| s == "syscall" || (s == falco_engine::k8saudit::SOURCE && loaded.is_some());
    if let Some(s) = enable.iter().find(|s| !known(s)) {
        return Err(format!("Attempted enabling an unknown event source: {s}"));
    }
    if let Some(s) = disable.iter().find(|s| !known(s)) {
        return Err(format!("Attempted disabling an unknown event source: {s}"));
    }
    let on = |s: &str| {
        if enable.is_empty() {
            !disable.iter().any(|d| d == s)
        } else {
            enable.iter().any(|e| e == s)
        }
    };
    let syscall = on("syscall");
    let audit = loaded
        .filter(|_| on(falco_engine::k8saudit::SOURCE))
        .cloned();
    if !syscall && audit.is_none() {
        return Err("Must enable at least one event source".into());
    }
    Ok((syscall, audit))
}

impl AuditCounters {
    /// One line for the log at exit.
    pub fn summary(&self) -> String {
        format!(
            "k8s_audit: {} events, {} bad payloads, {} dropped events, {} refused (queue full), {} requests ({} rejected), {} connections closed at the limit ({} refused), {} timed out",
            Self::get(&self.events),
            Self::get(&self.bad_payloads),
            Self::get(&self.dropped_events),
            Self::get(&self.queue_full),
            Self::get(&self.requests),
            Self::get(&self.rejected_requests),
            self.connections.get().map_or(0, |c| Self::get(&c.evicted)),
            self.connections.get().map_or(0, |c| Self::get(&c.refused)),
            self.connections
                .get()
                .map_or(0, |c| Self::get(&c.timed_out)),
        )
    }
}

#[cfg(test)]
mod choose_tests {
    use super::*;

    #[test]
    fn sources() {
        let s = AuditSettings::from_plugin("/x", &serde_json::Value::Null).unwrap();
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(choose_sources(&[], &[], None, false).unwrap(), (true, None));
        assert_eq!(
            choose_sources(&[], &[], Some(&s), false).unwrap().1,
            Some(s.clone())
        );
        assert_eq!(
            choose_sources(&[], &v(&["syscall"]), Some(&s), false).unwrap(),
            (false, Some(s.clone()))
        );
        assert_eq!(
            choose_sources(&v(&["syscall"]), &[], Some(&s), false).unwrap(),
            (true, None)
        );
        assert!(choose_sources(&[], &v(&["syscall"]), None, false).is_err());
        assert!(choose_sources(&v(&["k8s_audit"]), &[], None, false).is_err());
        assert!(choose_sources(&v(&["syscall"]), &v(&["syscall"]), None, false).is_err());
        assert_eq!(
            choose_sources(&[], &v(&["syscall"]), Some(&s), true).unwrap(),
            (true, None)
        );
    }
}
