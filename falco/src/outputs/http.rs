//! http_output: each alert POSTed to a URL (a webhook, falcosidekick), with Content-Type
//! application/json under json_output and text/plain otherwise. TLS verification follows
//! insecure/ca_cert/ca_bundle/ca_path; mtls sends client_cert/client_key. A request that times out is
//! retried up to max_consecutive_timeouts times.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};

use super::{Output, OutputError};
use crate::alert::Alert;
use crate::config::HttpOutputConfig;

pub struct HttpOutput {
    agent: ureq::Agent,
    url: String,
    content_type: &'static str,
    echo: bool,
    max_timeouts: u64,
}

fn setup(why: String) -> OutputError {
    OutputError::Setup(format!("http_output: {why}"))
}

fn read_pem_certs(path: &Path) -> Result<Vec<Certificate<'static>>, OutputError> {
    let bytes =
        std::fs::read(path).map_err(|e| setup(format!("cannot read {}: {e}", path.display())))?;
    let mut out = Vec::new();
    for item in ureq::tls::parse_pem(&bytes) {
        if let PemItem::Certificate(c) =
            item.map_err(|e| setup(format!("{}: {e}", path.display())))?
        {
            out.push(c);
        }
    }
    Ok(out)
}

fn root_certs(c: &HttpOutputConfig) -> Result<RootCerts, OutputError> {
    // The same order of preference as Falco: ca_cert, then ca_bundle, then every file of ca_path.
    for file in [&c.ca_cert, &c.ca_bundle] {
        if !file.is_empty() {
            let certs = read_pem_certs(Path::new(file))?;
            if certs.is_empty() {
                return Err(setup(format!("no certificate in {file}")));
            }
            return Ok(RootCerts::new_with_certs(&certs));
        }
    }
    let dir = Path::new(&c.ca_path);
    if !c.ca_path.is_empty() && dir.is_dir() {
        let mut certs = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| setup(format!("cannot list {}: {e}", dir.display())))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        for p in entries {
            // A CA directory holds other files too; only readable PEM certificates count.
            if let Ok(mut c) = read_pem_certs(&p) {
                certs.append(&mut c);
            }
        }
        if !certs.is_empty() {
            return Ok(RootCerts::new_with_certs(&certs));
        }
    }
    Ok(RootCerts::WebPki)
}

fn client_cert(c: &HttpOutputConfig) -> Result<ClientCert, OutputError> {
    let chain = read_pem_certs(Path::new(&c.client_cert))?;
    let key_bytes = std::fs::read(&c.client_key)
        .map_err(|e| setup(format!("cannot read {}: {e}", c.client_key)))?;
    let key =
        PrivateKey::from_pem(&key_bytes).map_err(|e| setup(format!("{}: {e}", c.client_key)))?;
    Ok(ClientCert::new_with_certs(&chain, key))
}

impl HttpOutput {
    pub fn new(
        c: &HttpOutputConfig,
        json: bool,
        timeout: Duration,
    ) -> Result<HttpOutput, OutputError> {
        let mut tls = TlsConfig::builder().disable_verification(c.insecure);
        if c.url.starts_with("https://") {
            tls = tls.root_certs(root_certs(c)?);
            if c.mtls {
                tls = tls.client_cert(Some(client_cert(c)?));
            }
        }
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .user_agent(c.user_agent.as_str())
            .http_status_as_error(false)
            .tls_config(tls.build())
            .max_idle_connections(if c.keep_alive { 10 } else { 0 })
            .build();
        Ok(HttpOutput {
            agent: config.into(),
            url: c.url.trim_matches('"').to_string(),
            content_type: if json {
                "application/json"
            } else {
                "text/plain"
            },
            echo: c.echo,
            max_timeouts: c.max_consecutive_timeouts,
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

    fn write(&mut self, alert: &Alert) -> Result<(), OutputError> {
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
                        return Err(OutputError::Http {
                            url: self.url.clone(),
                            message: format!("server answered {status}"),
                        });
                    }
                    return Ok(());
                }
                Err(e) if is_timeout(&e) && attempts < self.max_timeouts => attempts += 1,
                Err(e) => {
                    return Err(OutputError::Http {
                        url: self.url.clone(),
                        message: e.to_string(),
                    });
                }
            }
        }
    }
}
