//! The audit webhook: the endpoint the API server's webhook backend posts to (`open_params`
//! `http://:9765/k8s-audit`), served by falco's hardened HTTP server with its limits on
//! connections, header size and time; bodies are read up to `webhookMaxBatchSize` (more: 413).
//!
//! Answers, as the k8saudit plugin gives them: 200 when the events are queued; 405 for another
//! method than POST; 400 when the content type is not JSON or the body is not audit events; 404
//! for another path. Where the plugin drops events when it falls behind, this endpoint answers
//! 503 so that the API server sends the batch again.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::{AuditSettings, AuditSourceError, Feed, FeedError, OpenParams};
use crate::http::{
    BodyPolicy, Handler, Limits, Method, Request, RequestHead, Response, Server, ServerConfig,
};
use crate::logger;

struct Webhook {
    path: String,
    max_batch: usize,
    feed: Feed,
}

impl Webhook {
    fn reject(&self, status: u16, msg: String) -> Response {
        self.feed
            .counters
            .rejected_requests
            .fetch_add(1, Ordering::Relaxed);
        logger::debug(&format!("k8s_audit webhook: {status} {msg}"));
        Response::text(status, msg + "\n")
    }

    fn is_json(head: &RequestHead) -> bool {
        head.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"))
    }
}

impl Handler for Webhook {
    fn body_policy(&self, head: &RequestHead) -> BodyPolicy {
        if head.method != Method::POST || head.path != self.path || !Webhook::is_json(head) {
            return BodyPolicy::Ignore;
        }
        // The server answers 413 on its own; count the bodies declared too large here.
        let declared = head
            .headers
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_batch as u64) {
            let c = &self.feed.counters;
            c.requests.fetch_add(1, Ordering::Relaxed);
            c.rejected_requests.fetch_add(1, Ordering::Relaxed);
        }
        BodyPolicy::Read {
            max_bytes: self.max_batch,
        }
    }

    fn handle(&self, req: Request) -> Response {
        self.feed.counters.requests.fetch_add(1, Ordering::Relaxed);
        let head = &req.head;
        if head.path != self.path {
            return self.reject(404, "404 page not found".into());
        }
        if head.method != Method::POST {
            return self.reject(405, format!("{} method not allowed", head.method));
        }
        if !Webhook::is_json(head) {
            return self.reject(400, "wrong Content Type".into());
        }
        match self.feed.push(req.body.to_vec(), false) {
            Ok(_) => Response::text(200, ""),
            Err(FeedError::Full) => self.reject(
                503,
                "too many audit events wait for matching; send again later".into(),
            ),
            Err(FeedError::Closed) => self.reject(503, "falco is stopping".into()),
            Err(e) => self.reject(400, format!("bad request: {e}")),
        }
    }
}

/// Starts the webhook's server; returns it (serving until dropped) and its address.
pub fn start(
    settings: &AuditSettings,
    feed: Feed,
) -> Result<(Server, SocketAddr), AuditSourceError> {
    let OpenParams::Webhook {
        host,
        port,
        path,
        tls,
    } = &settings.open
    else {
        return Err(AuditSourceError::Webhook("not a webhook".into()));
    };
    let host = if host.is_empty() { "0.0.0.0" } else { host };
    let addr = (host, *port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| AuditSourceError::Webhook(format!("cannot resolve '{host}'")))?;
    let cfg = ServerConfig {
        addr,
        threads: 2,
        tls_pem: tls.then(|| settings.ssl_certificate.clone()),
        limits: Limits::default(),
        name: "k8s_audit".into(),
    };
    let counters = feed.counters.clone();
    let handler = Webhook {
        path: path.clone(),
        max_batch: settings.webhook_max_batch_size,
        feed,
    };
    let server = Server::start(cfg, Arc::new(handler))
        .map_err(|e| AuditSourceError::Webhook(e.to_string()))?;
    let _ = counters.connections.set(server.counters());
    let bound = server.addr();
    Ok((server, bound))
}
