//! The k8saudit plugin's settings as Falco users write them in falco.yaml: its `open_params`
//! (`http://[host]:port/path`, `https://...`, `file://path` to follow a log, or a plain path to
//! read a file or a directory once) and its `init_config` (`sslCertificate`, `maxEventSize`,
//! `webhookMaxBatchSize`, `useAsync`).

use std::path::PathBuf;

use falco_engine::k8saudit::event::DEFAULT_MAX_EVENT_SIZE;
use serde_json::Value;

/// The plugin's default `webhookMaxBatchSize`: 20% above the API server's default batch size.
pub const DEFAULT_MAX_BATCH_SIZE: usize = 12 * 1024 * 1024;
/// The plugin's default `sslCertificate`.
pub const DEFAULT_SSL_CERTIFICATE: &str = "/etc/falco/falco.pem";

/// Where audit events come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenParams {
    /// An HTTP(S) endpoint the API server's webhook backend posts to.
    Webhook {
        /// Host to listen on (empty: every interface).
        host: String,
        port: u16,
        path: String,
        tls: bool,
    },
    /// A log file followed as it grows (and when it is rotated), from its end.
    Follow(PathBuf),
    /// A file, or every file of a directory (oldest first), read once.
    Read(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditSettings {
    pub open: OpenParams,
    pub ssl_certificate: PathBuf,
    pub max_event_size: usize,
    pub webhook_max_batch_size: usize,
}

impl AuditSettings {
    /// Reads a `plugins:` entry's `open_params` and `init_config` (a JSON object, or null/empty
    /// for the defaults). Errors name the setting.
    pub fn from_plugin(open_params: &str, init_config: &Value) -> Result<AuditSettings, String> {
        let mut s = AuditSettings {
            open: parse_open_params(open_params)?,
            ssl_certificate: PathBuf::from(DEFAULT_SSL_CERTIFICATE),
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
            webhook_max_batch_size: DEFAULT_MAX_BATCH_SIZE,
        };
        let init = match init_config {
            Value::Null => return Ok(s),
            Value::String(t) if t.trim().is_empty() => return Ok(s),
            Value::String(t) => serde_json::from_str(t)
                .map_err(|e| format!("init_config is not a JSON object: {e}"))?,
            v => v.clone(),
        };
        let Value::Object(map) = init else {
            return Err(format!("init_config must be a map, not {init}"));
        };
        let size = |key: &str, v: &Value| -> Result<usize, String> {
            v.as_u64()
                .filter(|n| *n > 0)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| format!("init_config.{key} must be a positive integer, not {v}"))
        };
        for (k, v) in &map {
            match k.as_str() {
                "sslCertificate" => {
                    let p = v.as_str().ok_or_else(|| {
                        format!("init_config.sslCertificate must be a path, not {v}")
                    })?;
                    s.ssl_certificate = PathBuf::from(p);
                }
                "maxEventSize" => s.max_event_size = size(k, v)?,
                "webhookMaxBatchSize" => s.webhook_max_batch_size = size(k, v)?,
                // Extraction is synchronous here; the setting is accepted and has no effect.
                "useAsync" if v.is_boolean() => {}
                "useAsync" => {
                    return Err(format!("init_config.useAsync must be a boolean, not {v}"));
                }
                // The plugin's schema accepts keys it does not know.
                _ => {}
            }
        }
        Ok(s)
    }
}

/// Parses `open_params` as the plugin does.
pub fn parse_open_params(p: &str) -> Result<OpenParams, String> {
    let p = p.trim();
    let (scheme, rest) = match p.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None if p.is_empty() => return Err("open_params is empty".into()),
        None => return Ok(OpenParams::Read(PathBuf::from(p))),
    };
    match scheme.as_str() {
        "http" | "https" => {
            let tls = scheme == "https";
            let (authority, path) = match rest.find('/') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, "/"),
            };
            let (host, port) = match authority.rsplit_once(':') {
                Some((h, port)) if !port.contains(']') => {
                    let port = port
                        .parse()
                        .map_err(|_| format!("open_params '{p}': bad port '{port}'"))?;
                    (h, port)
                }
                _ => (authority, if tls { 443 } else { 80 }),
            };
            let host = host.trim_start_matches('[').trim_end_matches(']');
            Ok(OpenParams::Webhook {
                host: host.to_string(),
                port,
                path: path.to_string(),
                tls,
            })
        }
        "file" if !rest.is_empty() => Ok(OpenParams::Follow(PathBuf::from(rest))),
        _ => Err(format!(
            "open_params '{p}': scheme \"{scheme}\" is not supported"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn open_params() {
        assert_eq!(
            parse_open_params("http://:9765/k8s-audit").unwrap(),
            OpenParams::Webhook {
                host: String::new(),
                port: 9765,
                path: "/k8s-audit".into(),
                tls: false
            }
        );
        assert_eq!(
            parse_open_params("https://[::1]:1/x").unwrap(),
            OpenParams::Webhook {
                host: "::1".into(),
                port: 1,
                path: "/x".into(),
                tls: true
            }
        );
        assert_eq!(
            parse_open_params("file:///var/log/audit.log").unwrap(),
            OpenParams::Follow("/var/log/audit.log".into())
        );
        assert_eq!(
            parse_open_params(" /tmp/a.json ").unwrap(),
            OpenParams::Read("/tmp/a.json".into())
        );
        assert!(parse_open_params("ftp://x").is_err());
        assert!(parse_open_params("http://:x/").is_err());
    }

    #[test]
    fn init_config() {
        let s = AuditSettings::from_plugin("/x", &json!("")).unwrap();
        assert_eq!(s.max_event_size, DEFAULT_MAX_EVENT_SIZE);
        let s = AuditSettings::from_plugin(
            "/x",
            &json!({"maxEventSize": 10, "webhookMaxBatchSize": 20, "sslCertificate": "/c.pem", "useAsync": false}),
        )
        .unwrap();
        assert_eq!((s.max_event_size, s.webhook_max_batch_size), (10, 20));
        assert_eq!(s.ssl_certificate, PathBuf::from("/c.pem"));
        let s = AuditSettings::from_plugin("/x", &json!("{\"maxEventSize\": 5}")).unwrap();
        assert_eq!(s.max_event_size, 5);
        assert!(AuditSettings::from_plugin("/x", &json!({"maxEventSize": "big"})).is_err());
        assert!(AuditSettings::from_plugin("/x", &json!([1])).is_err());
    }
}
