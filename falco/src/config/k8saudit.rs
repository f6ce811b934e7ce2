//! The plugins falco.yaml loads (`load_plugins`, `plugins`): `container` (built in, see
//! container_engines.rs), `k8saudit` (the `k8s_audit` source: its `open_params` and `init_config`)
//! and `json` (its fields are built in). Any other plugin is refused. Without `load_plugins`,
//! every plugin defined under `plugins` is loaded, as in Falco.

use yaml_rust2::Yaml;

use super::ConfigError;
use super::container_engines::yaml_to_json;
use super::tree;
use crate::source::k8saudit::AuditSettings;

/// The plugins this falco has built in.
const BUILT_IN: [&str; 3] = ["container", "k8saudit", "json"];

/// The k8saudit plugin's settings when it is loaded.
pub fn from_tree(root: &Yaml) -> Result<Option<AuditSettings>, ConfigError> {
    let defined: &[Yaml] = match tree::get(root, "plugins") {
        Some(Yaml::Array(a)) => a,
        _ => &[],
    };
    let name_of = |p: &Yaml| {
        tree::get(p, "name")
            .and_then(Yaml::as_str)
            .map(str::to_string)
    };
    let selected: Vec<String> = match tree::get(root, "load_plugins") {
        Some(Yaml::Array(names)) => names
            .iter()
            .map(|n| n.as_str().unwrap_or_default().to_string())
            .collect(),
        _ => defined.iter().filter_map(name_of).collect(),
    };
    let mut settings = None;
    for name in selected {
        if !BUILT_IN.contains(&name.as_str()) {
            return Err(ConfigError::Unsupported {
                key: "load_plugins".into(),
                why: format!(
                    "plugin '{name}' cannot be loaded: this falco runs no plugins (container, \
                     k8saudit and json are built in)"
                ),
            });
        }
        if name != "k8saudit" {
            continue;
        }
        let Some(def) = defined
            .iter()
            .find(|p| name_of(p).as_deref() == Some("k8saudit"))
        else {
            return Err(ConfigError::Unsupported {
                key: "load_plugins".into(),
                why: "Cannot load plugin 'k8saudit': plugin config not found for given name".into(),
            });
        };
        let open = match tree::get(def, "open_params") {
            Some(Yaml::String(s)) => s.clone(),
            None => String::new(),
            Some(other) => format!("{other:?}"),
        };
        let init = tree::get(def, "init_config")
            .map(yaml_to_json)
            .unwrap_or_default();
        let s = AuditSettings::from_plugin(&open, &init).map_err(|why| ConfigError::Invalid {
            key: "plugins[k8saudit]".into(),
            expected: "the k8saudit plugin's open_params and init_config".into(),
            got: why,
        })?;
        settings = Some(s);
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use yaml_rust2::YamlLoader;

    fn load(text: &str) -> Result<Option<AuditSettings>, ConfigError> {
        from_tree(&YamlLoader::load_from_str(text).unwrap()[0])
    }

    #[test]
    fn k8saudit_entry() {
        let s = load(
            "load_plugins: [k8saudit, json]\nplugins:\n  - name: k8saudit\n    library_path: libk8saudit.so\n    \
             init_config:\n      maxEventSize: 1000\n    open_params: \"http://:9765/k8s-audit\"\n  - name: json\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(s.max_event_size, 1000);
        assert!(
            load("load_plugins: []\nplugins:\n  - name: k8saudit\n")
                .unwrap()
                .is_none()
        );
        assert!(load("load_plugins: [k8saudit]\n").is_err());
        assert!(load("load_plugins: [cloudtrail]\n").is_err());
        assert!(load("plugins:\n  - name: k8saudit\n    open_params: 'ftp://x'\n").is_err());
        assert!(load("load_plugins: [container]\n").unwrap().is_none());
    }
}
