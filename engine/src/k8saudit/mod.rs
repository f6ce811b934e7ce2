//! The `k8s_audit` event source: Kubernetes audit events, as the API server's webhook and log
//! backends write them, with the fields of Falco's k8saudit and json plugins.
//!
//! - [`json`]: a parsed JSON document that keeps key order and number text;
//! - [`event`]: payloads (`Event`, `EventList`, arrays of them) split into [`AuditEvent`]s;
//! - [`fields`]: the field table (`ka.*`, `json.*`/`jevt.*`, `evt.*`), [`extract`]: reading them;
//! - [`filter`]: conditions compiled against these fields, [`output`]: rule outputs;
//! - [`rule`]: a compiled `source: k8s_audit` rule.
//!
//! ```
//! use falco_engine::k8saudit::{event::parse_payload, extract::EvtInfo, filter::compile_text};
//! let body = r#"{"kind":"Event","auditID":"1","stageTimestamp":"2024-01-01T00:00:00Z","verb":"create"}"#;
//! let payload = parse_payload(body, 1 << 20).unwrap();
//! let cond = compile_text("ka.verb = create").unwrap();
//! let info = EvtInfo { num: 1, ..EvtInfo::default() };
//! assert!(cond.eval(&payload.events[0], info));
//! ```

pub mod event;
pub mod extract;
pub mod fields;
pub mod filter;
pub mod json;
pub mod output;
pub mod rule;
pub mod ruleset;

pub use event::{AuditEvent, parse_payload};

/// The source's name in rules (`source: k8s_audit`) and alerts.
pub const SOURCE: &str = "k8s_audit";

/// The plugins whose fields this source provides, with the version it matches (for rules files'
/// `required_plugin_versions`).
pub const PLUGINS: [(&str, &str); 2] = [("k8saudit", "0.18.0"), ("json", "0.7.4")];
