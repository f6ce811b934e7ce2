//! The lookup worker: one thread with a small async runtime asks the runtimes about new containers,
//! several at a time, each call bounded by a timeout. The event path only queues a request (never
//! waiting: a full queue drops it and counts it) and picks up answers when they are there.
//!
//! A runtime that fails (no socket, an error, no answer in time) is logged once when it starts
//! failing and once when it answers again; meanwhile it is left alone for `retry_after` so other
//! lookups do not wait on it, and every failed lookup is counted.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use falco_engine::state::ContainerInfo;
use tokio::sync::{Semaphore, mpsc};

use crate::config::{Endpoint, EngineKind, EnginesConfig};
use crate::error::RuntimeError;
use crate::{containerd, cri, docker};

/// Requests waiting for the worker; beyond this they are dropped (and counted).
pub const QUEUE: usize = 1024;
/// Lookups in flight at once.
const IN_FLIGHT: usize = 16;
/// Tries of a lookup that failed (not one the runtimes answered "unknown").
const ATTEMPTS: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Debug,
    Info,
    Warning,
}

/// Where the worker's log lines go.
pub type LogFn = Arc<dyn Fn(Level, &str) + Send + Sync>;

/// What happened to lookups so far.
#[derive(Debug, Default)]
pub struct Counters {
    /// Lookups asked for.
    pub requested: AtomicU64,
    /// Containers a runtime described.
    pub found: AtomicU64,
    /// Containers no runtime knew.
    pub not_found: AtomicU64,
    /// Lookups that got no answer (every runtime that may know it failed or timed out).
    pub failed: AtomicU64,
    /// Runtime calls that failed or timed out.
    pub call_errors: AtomicU64,
    /// Requests dropped because the queue was full.
    pub dropped: AtomicU64,
}

impl Counters {
    pub fn get(c: &AtomicU64) -> u64 {
        c.load(Ordering::Relaxed)
    }
}

/// A container a runtime described, and the thread whose event asked for it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub info: ContainerInfo,
    pub tid: i64,
}

struct Request {
    id: String,
    tid: i64,
}

/// The lookup worker's handle.
pub struct Resolver {
    requests: Option<mpsc::Sender<Request>>,
    answers: Receiver<Answer>,
    counters: Arc<Counters>,
    endpoints: Vec<Endpoint>,
    thread: Option<JoinHandle<()>>,
}

/// One socket's health, shared by the lookups.
#[derive(Default)]
struct Health {
    down_until: Option<Instant>,
    /// The runtime behind a CRI socket, asked once.
    cri_runtime: Option<&'static str>,
}

struct Worker {
    endpoints: Vec<Endpoint>,
    health: Mutex<Vec<Health>>,
    cfg: EnginesConfig,
    counters: Arc<Counters>,
    answers: Sender<Answer>,
    log: LogFn,
}

impl Resolver {
    /// Starts the worker for `endpoints` (see [`EnginesConfig::endpoints`]).
    pub fn start(
        endpoints: Vec<Endpoint>,
        cfg: &EnginesConfig,
        log: LogFn,
    ) -> std::io::Result<Resolver> {
        let (req_tx, req_rx) = mpsc::channel(QUEUE);
        let (ans_tx, ans_rx) = crossbeam_channel::unbounded();
        let counters = Arc::new(Counters::default());
        let worker = Arc::new(Worker {
            health: Mutex::new(endpoints.iter().map(|_| Health::default()).collect()),
            endpoints: endpoints.clone(),
            cfg: cfg.clone(),
            counters: counters.clone(),
            answers: ans_tx,
            log,
        });
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        let thread = std::thread::Builder::new()
            .name("container-meta".into())
            .spawn(move || rt.block_on(serve(worker, req_rx)))?;
        Ok(Resolver {
            requests: Some(req_tx),
            answers: ans_rx,
            counters,
            endpoints,
            thread: Some(thread),
        })
    }

    /// Queues a lookup of container `id` (full or 12-character) for thread `tid`. Never waits:
    /// returns false (and counts it) when the queue is full.
    pub fn request(&self, id: &str, tid: i64) -> bool {
        let Some(tx) = &self.requests else {
            return false;
        };
        self.counters.requested.fetch_add(1, Ordering::Relaxed);
        let ok = tx
            .try_send(Request {
                id: id.to_string(),
                tid,
            })
            .is_ok();
        if !ok {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
        }
        ok
    }

    /// An answer, if one is ready.
    #[inline]
    pub fn try_answer(&self) -> Option<Answer> {
        self.answers.try_recv().ok()
    }

    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }
}

impl Drop for Resolver {
    fn drop(&mut self) {
        // Closing the queue ends the worker; lookups still in flight are cancelled with its runtime.
        self.requests = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn serve(worker: Arc<Worker>, mut requests: mpsc::Receiver<Request>) {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    while let Some(req) = requests.recv().await {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            break;
        };
        let w = worker.clone();
        tokio::spawn(async move {
            w.resolve(req).await;
            drop(slot);
        });
    }
}

enum Outcome {
    Found(Box<ContainerInfo>),
    Unknown,
    Failed,
}

impl Worker {
    async fn resolve(&self, req: Request) {
        for attempt in 1..=ATTEMPTS {
            match self.lookup(&req.id).await {
                Outcome::Found(info) => {
                    self.counters.found.fetch_add(1, Ordering::Relaxed);
                    (self.log)(
                        Level::Debug,
                        &format!(
                            "Container {} ({}): name {}, image {}",
                            info.id, info.runtime, info.name, info.image
                        ),
                    );
                    let _ = self.answers.send(Answer {
                        info: *info,
                        tid: req.tid,
                    });
                    return;
                }
                Outcome::Unknown => {
                    self.counters.not_found.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Outcome::Failed if attempt < ATTEMPTS => {
                    tokio::time::sleep(self.cfg.retry_after).await
                }
                Outcome::Failed => {}
            }
        }
        self.counters.failed.fetch_add(1, Ordering::Relaxed);
    }

    /// Asks each runtime that is up, in order, until one knows the container.
    async fn lookup(&self, id: &str) -> Outcome {
        let mut failed = false;
        for (i, ep) in self.endpoints.iter().enumerate() {
            let cri_runtime = {
                let h = self.health.lock().expect("health lock");
                if h[i].down_until.is_some_and(|t| Instant::now() < t) {
                    failed = true;
                    continue;
                }
                h[i].cri_runtime
            };
            let call = self.ask(i, ep, id, cri_runtime);
            let result = match tokio::time::timeout(self.cfg.timeout, call).await {
                Ok(r) => r,
                Err(_) => Err(RuntimeError::Timeout(self.cfg.timeout.as_millis() as u64)),
            };
            match result {
                Ok(info) => {
                    self.mark_up(i);
                    return Outcome::Found(Box::new(info));
                }
                Err(e) if e.is_not_found() => self.mark_up(i),
                Err(e) => {
                    failed = true;
                    self.mark_down(i, &e);
                }
            }
        }
        if failed {
            Outcome::Failed
        } else {
            Outcome::Unknown
        }
    }

    async fn ask(
        &self,
        i: usize,
        ep: &Endpoint,
        id: &str,
        cri_runtime: Option<&'static str>,
    ) -> Result<ContainerInfo, RuntimeError> {
        let max = self.cfg.label_max_len;
        let sock: &Path = &ep.socket;
        match ep.kind {
            EngineKind::Docker => docker::docker(sock, id, max).await,
            EngineKind::Podman => docker::podman(sock, id, max).await,
            EngineKind::Containerd => containerd::lookup(sock, id, max).await,
            EngineKind::Cri => {
                let runtime = match cri_runtime {
                    Some(r) => r,
                    None => {
                        let r = cri::runtime_name(sock).await?;
                        self.health.lock().expect("health lock")[i].cri_runtime = Some(r);
                        r
                    }
                };
                cri::lookup(sock, id, runtime, max).await
            }
        }
    }

    fn mark_up(&self, i: usize) {
        let was_down = self.health.lock().expect("health lock")[i]
            .down_until
            .take()
            .is_some();
        if was_down {
            let ep = &self.endpoints[i];
            (self.log)(
                Level::Info,
                &format!(
                    "Container runtime {} at {} answers again",
                    ep.kind.name(),
                    ep.socket.display()
                ),
            );
        }
    }

    fn mark_down(&self, i: usize, e: &RuntimeError) {
        self.counters.call_errors.fetch_add(1, Ordering::Relaxed);
        let retry = self.cfg.retry_after;
        let first = {
            let mut h = self.health.lock().expect("health lock");
            let first = h[i].down_until.is_none();
            h[i].down_until = Some(Instant::now() + retry);
            first
        };
        if first {
            let ep = &self.endpoints[i];
            (self.log)(
                Level::Warning,
                &format!(
                    "Container runtime {} at {} failed: {e}. Its containers' metadata stays <NA> \
                     until it answers; it is tried again every {} s, and failures are counted",
                    ep.kind.name(),
                    ep.socket.display(),
                    retry.as_secs().max(1)
                ),
            );
        }
    }
}

/// How long a lookup may keep a slot at most (for tests and docs): every runtime timing out, on
/// every attempt.
pub fn worst_case(cfg: &EnginesConfig, endpoints: usize) -> Duration {
    (cfg.timeout * endpoints as u32 + cfg.retry_after) * ATTEMPTS
}
