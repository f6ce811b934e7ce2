//! The container engines falco asks for metadata: Falco's `container_engines` (up to 0.40) and the
//! container plugin's `init_config` under `plugins` (0.41 and later: `label_max_len`, `engines`
//! with `docker`, `podman`, `containerd`, `cri`, each `enabled` and `sockets`). The plugin's
//! settings win where both are given. Engines falco has no client for (lxc, libvirt_lxc, bpm,
//! static) and settings without meaning here (with_size, hooks, disable_async) are accepted.

use falco_runtimes::{EngineKind, EnginesConfig};
use serde_json::Value;

use super::ConfigError;
use super::yaml::{self, Node};

/// The container engines of `container_engines` and of the container plugin's `init_config`.
pub fn from_nodes(
    engines: Option<&Node>,
    plugin_init: Option<&Node>,
) -> Result<EnginesConfig, ConfigError> {
    let mut cfg = EnginesConfig::default();
    if let Some(engines) = engines.filter(|n| !n.is_null()) {
        apply_engines(
            &mut cfg,
            &to_json(engines),
            &engines.at.to_string(),
            "container_engines",
        )?;
    }
    if let Some(n) = plugin_init {
        let at = n.at.to_string();
        let init = match n.as_text() {
            _ if n.is_null() => Value::Null,
            Some(s) if s.trim().is_empty() => Value::Null,
            Some(s) => serde_json::from_str(s).map_err(|e| {
                invalid(
                    &at,
                    "plugins[container].init_config",
                    "a map, or a JSON object as text",
                    &format!("'{s}' ({e})"),
                )
            })?,
            None => to_json(n),
        };
        apply_plugin(&mut cfg, &init, &at)?;
    }
    Ok(cfg)
}

fn invalid(at: &str, key: &str, expected: &str, got: &str) -> ConfigError {
    ConfigError::Type {
        at: at.to_string(),
        key: key.to_string(),
        expected: expected.to_string(),
        got: got.to_string(),
    }
}

fn apply_plugin(cfg: &mut EnginesConfig, init: &Value, at: &str) -> Result<(), ConfigError> {
    const KEY: &str = "plugins[container].init_config";
    if init.is_null() {
        return Ok(());
    }
    if !init.is_object() {
        return Err(invalid(at, KEY, "a map", &init.to_string()));
    }
    if let Some(v) = init.get("label_max_len") {
        cfg.label_max_len = v.as_u64().ok_or_else(|| {
            invalid(
                at,
                &format!("{KEY}.label_max_len"),
                "a number",
                &v.to_string(),
            )
        })? as usize;
    }
    if let Some(e) = init.get("engines") {
        apply_engines(cfg, e, at, &format!("{KEY}.engines"))?;
    }
    Ok(())
}

fn apply_engines(
    cfg: &mut EnginesConfig,
    engines: &Value,
    at: &str,
    key: &str,
) -> Result<(), ConfigError> {
    let Some(map) = engines.as_object() else {
        return Err(invalid(at, key, "a map of engines", &engines.to_string()));
    };
    for kind in EngineKind::ALL {
        let Some(e) = map.get(kind.name()) else {
            continue;
        };
        let k = format!("{key}.{}", kind.name());
        if e.is_null() {
            continue;
        }
        if !e.is_object() {
            return Err(invalid(
                at,
                &k,
                "a map with enabled and sockets",
                &e.to_string(),
            ));
        }
        let engine = cfg.engine_mut(kind);
        if let Some(v) = e.get("enabled") {
            engine.enabled = v.as_bool().ok_or_else(|| {
                invalid(at, &format!("{k}.enabled"), "true or false", &v.to_string())
            })?;
        }
        if let Some(v) = e.get("sockets") {
            let list = v.as_array().ok_or_else(|| {
                invalid(
                    at,
                    &format!("{k}.sockets"),
                    "a list of socket paths",
                    &v.to_string(),
                )
            })?;
            engine.sockets = list
                .iter()
                .map(|s| {
                    s.as_str().map(str::to_string).ok_or_else(|| {
                        invalid(at, &format!("{k}.sockets"), "socket paths", &s.to_string())
                    })
                })
                .collect::<Result<_, _>>()?;
        }
    }
    Ok(())
}

/// A YAML subtree as JSON (what the plugin's init_config is), plain scalars typed as yaml-cpp
/// reads them.
pub(crate) fn to_json(n: &Node) -> Value {
    match &n.value {
        yaml::Value::Map(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
        yaml::Value::Seq(s) => Value::Array(s.iter().map(to_json).collect()),
        yaml::Value::Scalar { .. } if n.is_null() => Value::Null,
        yaml::Value::Scalar { text, plain: false } => Value::String(text.clone()),
        yaml::Value::Scalar { text, plain: true } => {
            if let Some(b) = yaml::parse_bool(text) {
                Value::Bool(b)
            } else if let Some(i) = yaml::parse_int(text).and_then(|i| i64::try_from(i).ok()) {
                Value::from(i)
            } else {
                Value::String(text.clone())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<EnginesConfig, ConfigError> {
        let root = yaml::parse(text, "t.yaml").unwrap();
        let init = root
            .get("plugins")
            .and_then(Node::as_seq)
            .and_then(|p| {
                p.iter()
                    .find(|p| p.get("name").and_then(Node::as_text) == Some("container"))
            })
            .and_then(|p| p.get("init_config"));
        from_nodes(root.get("container_engines"), init)
    }

    #[test]
    fn falco_040_and_plugin_keys() {
        let c = load("container_engines:\n  docker:\n    enabled: false\n  cri:\n    enabled: true\n    sockets: [/run/crio/crio.sock]\n    disable_async: false\n  lxc:\n    enabled: true\n").unwrap();
        assert!(
            !c.engines
                .iter()
                .find(|e| e.kind == EngineKind::Docker)
                .unwrap()
                .enabled
        );
        let cri = c
            .engines
            .iter()
            .find(|e| e.kind == EngineKind::Cri)
            .unwrap();
        assert_eq!(cri.sockets, vec!["/run/crio/crio.sock".to_string()]);

        let c = load("plugins:\n  - name: container\n    library_path: libcontainer.so\n    init_config:\n      label_max_len: 20\n      with_size: false\n      engines:\n        podman:\n          enabled: true\n          sockets: ['/tmp/p.sock']\n        containerd:\n          enabled: false\n").unwrap();
        assert_eq!(c.label_max_len, 20);
        let p = c
            .engines
            .iter()
            .find(|e| e.kind == EngineKind::Podman)
            .unwrap();
        assert_eq!(p.sockets, vec!["/tmp/p.sock".to_string()]);
        assert!(
            !c.engines
                .iter()
                .find(|e| e.kind == EngineKind::Containerd)
                .unwrap()
                .enabled
        );

        // init_config as JSON text, as Falco also accepts it.
        let c = load("plugins:\n  - name: container\n    init_config: '{\"engines\": {\"docker\": {\"enabled\": false}}}'\n").unwrap();
        assert!(
            !c.engines
                .iter()
                .find(|e| e.kind == EngineKind::Docker)
                .unwrap()
                .enabled
        );
        assert_eq!(
            load("plugins:\n  - name: container\n    init_config: ''\n").unwrap(),
            EnginesConfig::default()
        );
    }

    #[test]
    fn wrong_types_stop_the_start() {
        assert!(load("container_engines:\n  docker:\n    enabled: maybe\n").is_err());
        assert!(load("container_engines:\n  cri:\n    sockets: /one.sock\n").is_err());
        assert!(
            load("plugins:\n  - name: container\n    init_config:\n      label_max_len: lots\n")
                .is_err()
        );
        assert!(load("plugins:\n  - name: container\n    init_config: '{not json'\n").is_err());
    }
}
