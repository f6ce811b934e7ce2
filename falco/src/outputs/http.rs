//! http_output: each alert POSTed to a URL (a webhook, falcosidekick), with Content-Type
//! application/json under json_output and text/plain otherwise. TLS is configured by
//! [`super::http_tls`]; proxies come from the environment (http_proxy, https_proxy, no_proxy) as
//! with Falco's libcurl. A request that times out is retried up to max_consecutive_timeouts times.

use std::io::Read;
use std::time::Duration;

use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::{ConnectProxyConnector, Connector, TcpConnector};

use super::http_tls::{TlsConnector, client_config};
use super::{Delivery, Failure, Output, OutputError};
use crate::alert::Alert;
use crate::config::HttpOutputConfig;

pub struct HttpOutput {
    agent: ureq::Agent,
    url: String,
    content_type: &'static str,
    echo: bool,
    max_timeouts: u64,
}

impl HttpOutput {
    pub fn new(
        c: &HttpOutputConfig,
        json: bool,
        timeout: Duration,
    ) -> Result<HttpOutput, OutputError> {
        let url = c.url.trim_matches('"').to_string();
        let tls = if url.starts_with("https://") {
            Some(client_config(c)?)
        } else {
            None
        };
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .user_agent(c.user_agent.as_str())
            .http_status_as_error(false)
            .max_idle_connections(if c.keep_alive { 10 } else { 0 })
            .build();
        let connector =
            ().chain(ConnectProxyConnector::default())
                .chain(TcpConnector::default())
                .chain(TlsConnector { config: tls });
        Ok(HttpOutput {
            agent: ureq::Agent::with_parts(config, connector, DefaultResolver::default()),
            url,
            content_type: if json {
                "application/json"
            } else {
                "text/plain"
            },
            echo: c.echo,
            max_timeouts: c.max_consecutive_timeouts,
        })
    }

    fn error(&self, message: String) -> Failure {
        Failure::one(OutputError::Http {
            url: self.url.clone(),
            message,
        })
    }
}

fn is_timeout(e: &ureq::Error) -> bool {
    matches!(e, ureq::Error::Timeout(_))
        || matches!(e, ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut)
}

impl Output for HttpOutput {
    fn name(&self) -> &'static str {
        "http"
    }

    fn write(&mut self, alert: &Alert) -> Delivery {
        let mut attempts = 0;
        loop {
            let r = self
                .agent
                .post(&self.url)
                .header("Content-Type", self.content_type)
                .send(alert.line.as_str());
            match r {
                Ok(mut resp) => {
                    let status = resp.status();
                    let mut body = String::new();
                    let _ = resp
                        .body_mut()
                        .as_reader()
                        .take(1 << 20)
                        .read_to_string(&mut body);
                    if self.echo {
                        println!("{body}");
                    }
                    if !status.is_success() {
                        return Err(self.error(format!("server answered {status}")));
                    }
                    return Ok(1);
                }
                Err(e) if is_timeout(&e) && attempts < self.max_timeouts => attempts += 1,
                Err(e) => return Err(self.error(e.to_string())),
            }
        }
    }
}
