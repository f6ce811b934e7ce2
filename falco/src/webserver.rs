//! The embedded webserver: the health endpoint (`/healthz` by default), `/versions`, and, with
//! webserver.prometheus_metrics_enabled, Prometheus `/metrics`.

use std::sync::Arc;
use std::thread::JoinHandle;

use tiny_http::{Header, Response, Server};

use crate::config::{MetricsConfig, WebserverConfig};
use crate::metrics::{self, Info};
use crate::stats::Stats;

#[derive(Debug, thiserror::Error)]
#[error("cannot start the webserver on {addr}: {message}")]
pub struct WebserverError {
    pub addr: String,
    pub message: String,
}

/// A running webserver; dropping it stops it.
pub struct Webserver {
    server: Arc<Server>,
    threads: Vec<JoinHandle<()>>,
    pub addr: std::net::SocketAddr,
}

fn header(k: &str, v: &str) -> Header {
    Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("valid header")
}

impl Webserver {
    pub fn start(
        cfg: &WebserverConfig,
        metrics_cfg: MetricsConfig,
        stats: Arc<Stats>,
        info: Arc<Info>,
        versions_json: String,
    ) -> Result<Webserver, WebserverError> {
        let addr = format!("{}:{}", cfg.listen_address, cfg.listen_port);
        let server = Server::http(&addr).map_err(|e| WebserverError {
            addr: addr.clone(),
            message: e.to_string(),
        })?;
        let bound = server.server_addr().to_ip().ok_or_else(|| WebserverError {
            addr: addr.clone(),
            message: "not an IP socket".into(),
        })?;
        let server = Arc::new(server);
        let n = if cfg.threadiness == 0 {
            metrics::num_cpus().min(4)
        } else {
            cfg.threadiness as usize
        };
        let mut threads = Vec::new();
        for i in 0..n {
            let server = server.clone();
            let stats = stats.clone();
            let info = info.clone();
            let healthz = cfg.k8s_healthz_endpoint.clone();
            let prom = cfg.prometheus_metrics_enabled;
            let mcfg = metrics_cfg.clone();
            let versions = versions_json.clone();
            threads.push(
                std::thread::Builder::new()
                    .name(format!("webserver-{i}"))
                    .spawn(move || {
                        for req in server.incoming_requests() {
                            let path = req.url().split('?').next().unwrap_or("").to_string();
                            let resp = if path == healthz {
                                Response::from_string("{\"status\": \"ok\"}")
                                    .with_header(header("Content-Type", "application/json"))
                            } else if path == "/versions" {
                                Response::from_string(versions.clone())
                                    .with_header(header("Content-Type", "application/json"))
                            } else if prom && path == "/metrics" {
                                Response::from_string(metrics::prometheus(&stats, &info, &mcfg))
                                    .with_header(header(
                                        "Content-Type",
                                        "text/plain; version=0.0.4; charset=utf-8",
                                    ))
                            } else {
                                Response::from_string("not found").with_status_code(404)
                            };
                            let _ = req.respond(resp);
                        }
                    })
                    .expect("spawning a webserver thread"),
            );
        }
        Ok(Webserver {
            server,
            threads,
            addr: bound,
        })
    }
}

impl Drop for Webserver {
    fn drop(&mut self) {
        self.server.unblock();
        for _ in 1..self.threads.len() {
            self.server.unblock();
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
