//! The k8saudit plugin's entry under `plugins` (its `open_params` and `init_config`): the
//! settings of the built-in `k8s_audit` source (docs/k8s-audit.md).

use super::ConfigError;
use super::yaml::Node;
use crate::source::k8saudit::AuditSettings;

/// The settings of the k8saudit plugin's entry `def`.
pub fn from_node(def: Option<&Node>) -> Result<AuditSettings, ConfigError> {
    let at = def.map(|d| d.at.to_string()).unwrap_or_default();
    let open = def
        .and_then(|d| d.get("open_params"))
        .and_then(Node::as_text)
        .unwrap_or("");
    let init = def
        .and_then(|d| d.get("init_config"))
        .filter(|n| !n.is_null())
        .map(super::container_engines::to_json)
        .unwrap_or_default();
    AuditSettings::from_plugin(open, &init).map_err(|why| ConfigError::Type {
        at,
        key: "plugins[k8saudit]".into(),
        expected: "the k8saudit plugin's open_params and init_config".into(),
        got: why,
    })
}
