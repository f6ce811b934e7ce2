//! The container engines falco asks for metadata: Falco's `container_engines` (up to 0.40) and the
//! container plugin's `init_config` under `plugins` (0.41 and later: `label_max_len`, `engines`
//! with `docker`, `podman`, `containerd`, `cri`, each `enabled` and `sockets`). The plugin's
//! settings win where both are given. Engines falco has no client for (lxc, libvirt_lxc, bpm,
//! static) and settings without meaning here (with_size, hooks, disable_async) are accepted.

use falco_runtimes::{EngineKind, EnginesConfig};
use serde_json::Value;
use yaml_rust2::Yaml;

use super::ConfigError;
use super::tree;

/// The container engines of a configuration tree.
pub fn from_tree(root: &Yaml) -> Result<EnginesConfig, ConfigError> {
    let mut cfg = EnginesConfig::default();
    if let Some(engines) = tree::get(root, "container_engines") {
        apply_engines(&mut cfg, &yaml_to_json(engines), "container_engines")?;
    }
    if let Some(Yaml::Array(plugins)) = tree::get(root, "plugins") {
        for p in plugins {
            if tree::get(p, "name").and_then(Yaml::as_str) != Some("container") {
                continue;
            }
            let init = match tree::get(p, "init_config") {
                None => Value::Null,
                Some(Yaml::String(s)) if s.trim().is_empty() => Value::Null,
                Some(Yaml::String(s)) => serde_json::from_str(s).map_err(|e| {
                    invalid(
                        "plugins[container].init_config",
                        "a map, or a JSON object as text",
                        &format!("'{s}' ({e})"),
                    )
                })?,
                Some(y) => yaml_to_json(y),
            };
            apply_plugin(&mut cfg, &init)?;
        }
    }
    Ok(cfg)
}

fn invalid(key: &str, expected: &str, got: &str) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_string(),
        expected: expected.to_string(),
        got: got.to_string(),
    }
}

fn apply_plugin(cfg: &mut EnginesConfig, init: &Value) -> Result<(), ConfigError> {
    const KEY: &str = "plugins[container].init_config";
    if init.is_null() {
        return Ok(());
    }
    if !init.is_object() {
        return Err(invalid(KEY, "a map", &init.to_string()));
    }
    if let Some(v) = init.get("label_max_len") {
        cfg.label_max_len = v
            .as_u64()
            .ok_or_else(|| invalid(&format!("{KEY}.label_max_len"), "a number", &v.to_string()))?
            as usize;
    }
    if let Some(e) = init.get("engines") {
        apply_engines(cfg, e, &format!("{KEY}.engines"))?;
    }
    Ok(())
}

fn apply_engines(cfg: &mut EnginesConfig, engines: &Value, key: &str) -> Result<(), ConfigError> {
    let Some(map) = engines.as_object() else {
        return Err(invalid(key, "a map of engines", &engines.to_string()));
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
                &k,
                "a map with enabled and sockets",
                &e.to_string(),
            ));
        }
        let engine = cfg.engine_mut(kind);
        if let Some(v) = e.get("enabled") {
            engine.enabled = v
                .as_bool()
                .ok_or_else(|| invalid(&format!("{k}.enabled"), "true or false", &v.to_string()))?;
        }
        if let Some(v) = e.get("sockets") {
            let list = v.as_array().ok_or_else(|| {
                invalid(
                    &format!("{k}.sockets"),
                    "a list of socket paths",
                    &v.to_string(),
                )
            })?;
            engine.sockets = list
                .iter()
                .map(|s| {
                    s.as_str().map(str::to_string).ok_or_else(|| {
                        invalid(&format!("{k}.sockets"), "socket paths", &s.to_string())
                    })
                })
                .collect::<Result<_, _>>()?;
        }
    }
    Ok(())
}

/// A YAML subtree as JSON (what the plugin's init_config is).
pub(crate) fn yaml_to_json(y: &Yaml) -> Value {
    match y {
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), yaml_to_json(v))))
                .collect(),
        ),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Real(r) => r.parse::<f64>().map(Value::from).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yaml_rust2::YamlLoader;

    fn load(text: &str) -> Result<EnginesConfig, ConfigError> {
        from_tree(&YamlLoader::load_from_str(text).unwrap()[0])
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
