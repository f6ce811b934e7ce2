//! A small HTTP/1.1 server for falco's endpoints, built to hold under hostile clients: hyper on a
//! tokio runtime of one to four threads (never a thread per connection), TLS with rustls, and hard
//! limits on everything a client controls (see [`Limits`]; the figures are in
//! docs/configuration.md). Request bodies are never allocated from a declared length: a route that
//! takes a body says how much it accepts, and the body is streamed into memory up to that cap; other
//! routes never read it.
//!
//! Users implement [`Handler`]: it sees each request head, decides whether it wants the body, and
//! answers with a [`Response`].

mod conn;
mod io;
#[cfg(test)]
mod tests;
pub mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
pub use hyper::http::{HeaderMap, Method};
use tokio::sync::{Semaphore, watch};

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("TLS certificate {path}: {message}")]
    Tls { path: String, message: String },
    #[error("cannot start the server's threads: {0}")]
    Runtime(std::io::Error),
}

/// What any client may cost the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Open connections; one more closes the oldest open connection to make room.
    pub max_connections: usize,
    /// Bytes of a request line and headers together (larger: 431, connection closed).
    pub max_head_bytes: usize,
    /// Header lines in a request (more: 431, connection closed).
    pub max_headers: usize,
    /// Time a connection has to deliver a complete request head, counted from its opening or from
    /// its previous response (so it is also the keep-alive idle timeout), and to finish a TLS
    /// handshake.
    pub header_read_timeout: Duration,
    /// Time without a byte read or written after which a connection is dropped, whatever it was
    /// doing (a client that stops reading its response, say).
    pub idle_timeout: Duration,
    /// Time to read a request body and produce the response.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 256,
            max_head_bytes: 16 << 10,
            max_headers: 64,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub addr: SocketAddr,
    /// Runtime threads (at least 1).
    pub threads: usize,
    /// A PEM file holding the private key and the certificate chain: serve HTTPS.
    pub tls_pem: Option<PathBuf>,
    pub limits: Limits,
    /// The thread name prefix (`webserver`).
    pub name: String,
}

/// A request's method, path, query and headers.
#[derive(Debug)]
#[allow(
    dead_code,
    reason = "query and headers are for routes beyond falco's GET endpoints"
)]
pub struct RequestHead {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
}

/// What a route does with a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyPolicy {
    /// Never read it (if the client sent one, the connection is closed after the response).
    Ignore,
    /// Read it into memory, up to this many bytes (more: 413).
    Read { max_bytes: usize },
}

/// A request as the handler gets it.
#[derive(Debug)]
pub struct Request {
    pub head: RequestHead,
    /// Empty unless the route asked for the body.
    pub body: Bytes,
}

/// An answer: status, content type and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Bytes,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Response {
        Response {
            status,
            content_type,
            body: body.into(),
        }
    }

    pub fn json(body: impl Into<Bytes>) -> Response {
        Response::new(200, "application/json", body)
    }

    /// A plain-text error or status page.
    pub fn text(status: u16, body: impl Into<Bytes>) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }
}

/// The application behind the server. Its methods run on the server's threads and must not block.
pub trait Handler: Send + Sync + 'static {
    /// Decides, from the head alone, whether the body is wanted. Default: never.
    fn body_policy(&self, _head: &RequestHead) -> BodyPolicy {
        BodyPolicy::Ignore
    }

    fn handle(&self, req: Request) -> Response;
}

/// A running server; dropping it stops it (open connections are dropped).
pub struct Server {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    runtime: Option<tokio::runtime::Runtime>,
    counters: Arc<ConnCounters>,
}

/// Connections the server ended on its own at the connection limit.
#[derive(Debug, Default)]
pub struct ConnCounters {
    /// Oldest open connections closed to make room for a new one.
    pub evicted: std::sync::atomic::AtomicU64,
    /// New connections closed because no room could be made.
    pub refused: std::sync::atomic::AtomicU64,
    /// Connections or requests cut off by a timeout (a head, TLS handshake or body too slow, or
    /// no byte moved for the idle timeout): the slow clients.
    pub timed_out: std::sync::atomic::AtomicU64,
}

impl Server {
    /// Binds the address (port 0: any free port) and starts serving.
    pub fn start(cfg: ServerConfig, handler: Arc<dyn Handler>) -> Result<Server, HttpError> {
        let tls = cfg.tls_pem.as_deref().map(tls::acceptor).transpose()?;
        let listener = std::net::TcpListener::bind(cfg.addr).map_err(|source| HttpError::Bind {
            addr: cfg.addr.to_string(),
            source,
        })?;
        let bind_err = |source| HttpError::Bind {
            addr: cfg.addr.to_string(),
            source,
        };
        let addr = listener.local_addr().map_err(bind_err)?;
        listener.set_nonblocking(true).map_err(bind_err)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(cfg.threads.max(1))
            // Nothing here blocks; keep tokio from growing a pool of blocking threads.
            .max_blocking_threads(1)
            .thread_name(cfg.name.clone())
            .enable_io()
            .enable_time()
            .build()
            .map_err(HttpError::Runtime)?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(bind_err)?
        };
        let (shutdown, stopped) = watch::channel(false);
        let counters = Arc::new(ConnCounters::default());
        let shared = Arc::new(conn::Shared {
            handler,
            limits: cfg.limits.clone(),
            tls,
            slots: Arc::new(Semaphore::new(cfg.limits.max_connections)),
            open: Default::default(),
            counters: counters.clone(),
        });
        runtime.spawn(conn::accept_loop(listener, shared, stopped));
        Ok(Server {
            addr,
            shutdown,
            runtime: Some(runtime),
            counters,
        })
    }

    /// What the server ended on its own.
    pub fn counters(&self) -> Arc<ConnCounters> {
        self.counters.clone()
    }

    /// The bound address (with the port chosen when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}
