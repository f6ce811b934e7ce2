//! The embedded webserver: the health endpoint (`/healthz` by default), `/versions`, and, with
//! webserver.prometheus_metrics_enabled and metrics.enabled, Prometheus `/metrics`; over HTTPS with
//! webserver.ssl_enabled. It runs on the hardened server of [`crate::http`].

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{MetricsConfig, WebserverConfig};
use crate::http::{self, Handler, Method, Request, RequestHead, Response, Server, ServerConfig};
use crate::metrics::{self, Info};
use crate::stats::Stats;

/// Most threads the webserver runs, whatever webserver.threadiness asks: requests are small and
/// answered from memory, so more threads would only cost memory.
const MAX_THREADS: usize = 4;

/// A running webserver; dropping it stops it.
pub struct Webserver {
    _server: Server,
    pub addr: SocketAddr,
}

/// Falco's endpoints.
struct Endpoints {
    healthz: String,
    versions: String,
    prometheus: bool,
    metrics: MetricsConfig,
    stats: Arc<Stats>,
    info: Arc<Info>,
}

impl Handler for Endpoints {
    fn handle(&self, req: Request) -> Response {
        let RequestHead { method, path, .. } = &req.head;
        if *method != Method::GET && *method != Method::HEAD {
            return Response::text(405, "method not allowed\n");
        }
        if *path == self.healthz {
            Response::json("{\"status\": \"ok\"}")
        } else if path == "/versions" {
            Response::json(self.versions.clone())
        } else if self.prometheus && path == "/metrics" {
            Response::new(
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                metrics::prometheus(&self.stats, &self.info, &self.metrics),
            )
        } else {
            Response::text(404, "not found\n")
        }
    }
}

/// webserver.threadiness as runtime threads: 0 (Falco's "one per CPU") and larger values are
/// capped at [`MAX_THREADS`]; connections never get threads of their own.
fn threads(threadiness: u64) -> usize {
    let n = if threadiness == 0 {
        metrics::num_cpus()
    } else {
        threadiness as usize
    };
    n.clamp(1, MAX_THREADS)
}

impl Webserver {
    pub fn start(
        cfg: &WebserverConfig,
        metrics_cfg: MetricsConfig,
        stats: Arc<Stats>,
        info: Arc<Info>,
        versions_json: String,
    ) -> Result<Webserver, http::HttpError> {
        let ip: IpAddr = cfg
            .listen_address
            .parse()
            .map_err(|_| http::HttpError::Bind {
                addr: cfg.listen_address.clone(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not an IP address"),
            })?;
        let server_cfg = ServerConfig {
            addr: SocketAddr::new(ip, cfg.listen_port),
            threads: threads(cfg.threadiness),
            tls_pem: cfg.ssl_enabled.then(|| PathBuf::from(&cfg.ssl_certificate)),
            limits: http::Limits::default(),
            name: "webserver".into(),
        };
        let endpoints = Endpoints {
            healthz: cfg.k8s_healthz_endpoint.clone(),
            versions: versions_json,
            // As in Falco, /metrics needs metrics.enabled besides prometheus_metrics_enabled.
            prometheus: cfg.prometheus_metrics_enabled && metrics_cfg.enabled,
            metrics: metrics_cfg,
            stats,
            info,
        };
        let server = Server::start(server_cfg, Arc::new(endpoints))?;
        Ok(Webserver {
            addr: server.addr(),
            _server: server,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threadiness_maps_to_a_few_threads() {
        assert_eq!(threads(1), 1);
        assert_eq!(threads(3), 3);
        assert_eq!(threads(64), MAX_THREADS);
        assert!((1..=MAX_THREADS).contains(&threads(0)));
    }
}
