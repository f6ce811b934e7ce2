//! Accepting connections and serving one: the connection limit, TLS, hyper's HTTP/1.1 with the
//! head limits and timeouts, the idle watchdog, and the body policy of the handler.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body, Incoming};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore, watch};

use super::io::{Progress, Watched};
use super::{BodyPolicy, Handler, Limits, Request, RequestHead, Response};
use crate::logger;

/// What every connection task shares.
pub(super) struct Shared {
    pub handler: Arc<dyn Handler>,
    pub limits: Limits,
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// One permit per open connection.
    pub slots: Arc<Semaphore>,
    /// How to end each open connection, oldest first (connection ids grow).
    pub open: Mutex<BTreeMap<u64, Arc<Notify>>>,
    pub counters: Arc<super::ConnCounters>,
}

impl Shared {
    /// Ends the oldest open connection (at the connection limit, to make room for a new one).
    fn evict_oldest(&self) -> bool {
        let oldest = self
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop_first();
        oldest.map(|(_, end)| end.notify_one()).is_some()
    }

    fn forget(&self, id: u64) {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
    }
}

/// Rate-limits a repeated log line; counts what it did not print.
struct Throttled {
    last: Option<Instant>,
    since: u64,
}

impl Throttled {
    fn new() -> Throttled {
        Throttled {
            last: None,
            since: 0,
        }
    }

    /// Counts one occurrence; returns how many to report when a line is due (every 10 s at most).
    fn hit(&mut self) -> Option<u64> {
        self.since += 1;
        if self
            .last
            .is_some_and(|t| t.elapsed() < Duration::from_secs(10))
        {
            return None;
        }
        self.last = Some(Instant::now());
        Some(std::mem::take(&mut self.since))
    }
}

pub(super) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut refused = Throttled::new();
    let mut evictions = Throttled::new();
    let mut failed = Throttled::new();
    let mut next_id = 0u64;
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = stopped.changed() => return,
        };
        match accepted {
            Ok((stream, _peer)) => {
                let permit = match shared.slots.clone().try_acquire_owned() {
                    Ok(p) => p,
                    Err(_) => {
                        // At the limit the oldest connection makes room: clients holding every
                        // slot open cannot lock out a health probe, which asks and leaves at once.
                        let evicted = shared.evict_oldest();
                        let wait = shared.slots.clone().acquire_owned();
                        match tokio::time::timeout(Duration::from_secs(1), wait).await {
                            Ok(Ok(p)) if evicted => {
                                shared.counters.evicted.fetch_add(1, Ordering::Relaxed);
                                if let Some(n) = evictions.hit() {
                                    logger::warning(&format!(
                                        "webserver: {} connections open (the limit); {n} oldest closed to make room",
                                        shared.limits.max_connections
                                    ));
                                }
                                p
                            }
                            Ok(Ok(p)) => p,
                            _ => {
                                drop(stream);
                                shared.counters.refused.fetch_add(1, Ordering::Relaxed);
                                if let Some(n) = refused.hit() {
                                    logger::warning(&format!(
                                        "webserver: {} connections open (the limit); {n} more refused",
                                        shared.limits.max_connections
                                    ));
                                }
                                continue;
                            }
                        }
                    }
                };
                next_id += 1;
                let id = next_id;
                let end = Arc::new(Notify::new());
                shared
                    .open
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(id, end.clone());
                let shared = shared.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = serve(stream, &shared) => {}
                        _ = end.notified() => {}
                    }
                    shared.forget(id);
                    drop(permit);
                });
            }
            Err(e) => {
                if let Some(n) = failed.hit() {
                    logger::error(&format!("webserver: accept failed ({n} times): {e}"));
                }
                // Out of file descriptors and the like: wait instead of retrying at once.
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn serve(stream: TcpStream, shared: &Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let progress = Progress::new();
    let io = Watched::new(stream, progress.clone());
    match &shared.tls {
        None => serve_http(io, shared, &progress).await,
        Some(acceptor) => {
            // A handshake gets the time a request head gets; a failed one just ends.
            let handshake = acceptor.accept(io);
            let limit = shared.limits.header_read_timeout;
            match tokio::time::timeout(limit, handshake).await {
                Ok(Ok(tls)) => serve_http(tls, shared, &progress).await,
                Ok(Err(_)) => {}
                Err(_) => {
                    shared.counters.timed_out.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
}

async fn serve_http<I>(io: I, shared: &Arc<Shared>, progress: &Progress)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let l = &shared.limits;
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(l.header_read_timeout)
        .max_header_size(l.max_head_bytes)
        .max_buf_size(l.max_head_bytes.max(8192))
        .max_headers(l.max_headers)
        .keep_alive(true);
    let svc_shared = shared.clone();
    let service = hyper::service::service_fn(move |req| {
        let shared = svc_shared.clone();
        async move { Ok::<_, Infallible>(respond(req, &shared).await) }
    });
    let conn = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    loop {
        let deadline = progress.last() + l.idle_timeout;
        tokio::select! {
            r = conn.as_mut() => {
                if r.is_err_and(|e| e.is_timeout()) {
                    shared.counters.timed_out.fetch_add(1, Ordering::Relaxed);
                }
                return;
            }
            _ = tokio::time::sleep_until(deadline.into()) => {
                if progress.last() + l.idle_timeout <= Instant::now() {
                    // No byte moved for the whole idle timeout: drop the connection.
                    shared.counters.timed_out.fetch_add(1, Ordering::Relaxed);
                    return;
                }
            }
        }
    }
}

async fn respond(req: hyper::Request<Incoming>, shared: &Shared) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let head = RequestHead {
        method: parts.method,
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers,
    };
    let policy = shared.handler.body_policy(&head);
    let has_body = !body.is_end_stream();
    let work = async {
        let body = match policy {
            BodyPolicy::Ignore => Bytes::new(),
            BodyPolicy::Read { max_bytes } => match read_body(body, max_bytes).await {
                Ok(b) => b,
                Err(r) => return r,
            },
        };
        shared.handler.handle(Request { head, body })
    };
    let resp = match tokio::time::timeout(shared.limits.request_timeout, work).await {
        Ok(r) => r,
        Err(_) => {
            shared.counters.timed_out.fetch_add(1, Ordering::Relaxed);
            Response::text(408, "request timeout\n")
        }
    };
    // A body left unread cannot be skipped safely: the connection ends after this response.
    let close = has_body && policy == BodyPolicy::Ignore;
    to_hyper(resp, close)
}

/// The body, streamed into memory up to `max` bytes (the declared length is only compared, never
/// allocated).
async fn read_body(body: Incoming, max: usize) -> Result<Bytes, Response> {
    let too_large = || Response::text(413, "request body too large\n");
    if body.size_hint().lower() > max as u64 {
        return Err(too_large());
    }
    match Limited::new(body, max).collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(_) => Err(Response::text(400, "bad request body\n")),
    }
}

fn to_hyper(r: Response, close: bool) -> hyper::Response<Full<Bytes>> {
    let mut b = hyper::Response::builder()
        .status(r.status)
        .header(hyper::header::CONTENT_TYPE, r.content_type);
    if close {
        b = b.header(hyper::header::CONNECTION, "close");
    }
    b.body(Full::new(r.body)).unwrap_or_else(|_| {
        let mut resp = hyper::Response::new(Full::new(Bytes::from_static(b"bad response\n")));
        *resp.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        resp
    })
}
