//! Versions and the system: --version (text or JSON), /versions, --support, --page-size,
//! --list-plugins and --plugin-info, in Falco's shapes.

use falco_engine::abi;
use serde_json::{Value as Json, json};

use crate::config::Loaded;

pub const FALCO_VERSION: &str = env!("CARGO_PKG_VERSION");

fn semver(v: u64) -> String {
    format!(
        "{}.{}.{}",
        abi::version_major(v),
        abi::version_minor(v),
        abi::version_patch(v)
    )
}

/// The rules engine version's minor number, which Falco reports as `engine_version`.
fn engine_minor() -> String {
    falco_engine::rules::ENGINE_VERSION
        .split('.')
        .nth(1)
        .unwrap_or("0")
        .to_string()
}

/// The versions as JSON (--version with json_output, /versions, --support's engine_info).
pub fn versions_json() -> Json {
    json!({
        "falco_version": FALCO_VERSION,
        "libs_version": FALCO_VERSION,
        "plugin_api_version": "none",
        "driver_api_version": semver(abi::API_VERSION),
        "driver_schema_version": semver(abi::SCHEMA_VERSION),
        "default_driver_version": FALCO_VERSION,
        "engine_version": engine_minor(),
        "engine_version_semver": falco_engine::rules::ENGINE_VERSION,
    })
}

/// `falco --version`.
pub fn version(json_output: bool) -> String {
    if json_output {
        return format!("{}\n", versions_json());
    }
    format!(
        "Falco version: {FALCO_VERSION}\nLibs version:  {FALCO_VERSION}\nPlugin API:    none\nEngine:        {engine}\nDriver:\n  API version:    {api}\n  Schema version: {schema}\n  Default driver: {FALCO_VERSION}\n",
        engine = falco_engine::rules::ENGINE_VERSION,
        api = semver(abi::API_VERSION),
        schema = semver(abi::SCHEMA_VERSION),
    )
}

fn uname() -> Json {
    match nix::sys::utsname::uname() {
        Ok(u) => json!({
            "sysname": u.sysname().to_string_lossy(),
            "nodename": u.nodename().to_string_lossy(),
            "release": u.release().to_string_lossy(),
            "version": u.version().to_string_lossy(),
            "machine": u.machine().to_string_lossy(),
        }),
        Err(_) => json!({}),
    }
}

/// `falco --support`: one JSON line with the system, versions, command line, the configuration
/// as loaded (a flow-YAML string, as Falco's) and every rules file with its content.
pub fn support(loaded: &Loaded, rules_files: &[std::path::PathBuf]) -> String {
    let files: Vec<Json> = rules_files
        .iter()
        .map(|f| {
            json!({
                "name": f.display().to_string(),
                "variants": [{"content": std::fs::read_to_string(f).unwrap_or_default()}],
            })
        })
        .collect();
    let v = json!({
        "system_info": uname(),
        "version": FALCO_VERSION,
        "engine_info": versions_json(),
        "cmdline": std::env::args().collect::<Vec<_>>().join(" "),
        "config": crate::config::tree::dump(&loaded.root),
        "rules_files": files,
    });
    format!("{v}\n")
}

/// `--page-size`: the line Falco logs.
pub fn page_size() -> String {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    format!("Your system page size is: {p} bytes")
}

/// What `--list-plugins` and `--plugin-info` say of each plugin falco has built in, as the
/// plugins say it of themselves (falcosecurity/plugins: container 0.7.1, k8saudit 0.18.0, json
/// 0.7.4).
struct PluginFacts {
    name: &'static str,
    description: &'static str,
    contact: &'static str,
    version: &'static str,
    /// (id, source) of a plugin that sources events.
    sourcing: Option<(u32, &'static str)>,
    parsing_and_async: bool,
}

const BUILT_IN_PLUGINS: [PluginFacts; 3] = [
    PluginFacts {
        name: "container",
        description: "Falco container metadata enrichment Plugin",
        contact: "github.com/falcosecurity/plugins",
        version: "0.7.1",
        sourcing: None,
        parsing_and_async: true,
    },
    PluginFacts {
        name: "k8saudit",
        description: "Read Kubernetes Audit Events and monitor Kubernetes Clusters",
        contact: "github.com/falcosecurity/plugins",
        version: "0.18.0",
        sourcing: Some((1, "k8s_audit")),
        parsing_and_async: false,
    },
    PluginFacts {
        name: "json",
        description: "implements extracting arbitrary fields from inputs formatted as JSON",
        contact: "github.com/falcosecurity/plugins/",
        version: "0.7.4",
        sourcing: None,
        parsing_and_async: false,
    },
];

fn facts(name: &str) -> Option<&'static PluginFacts> {
    BUILT_IN_PLUGINS.iter().find(|p| p.name == name)
}

/// Falco's plugin description block (name, description, contact, version, capabilities).
fn plugin_text(p: &PluginFacts) -> String {
    let mut s = format!(
        "Name: {}\nDescription: {}\nContact: {}\nVersion: {}\nCapabilities: \n",
        p.name, p.description, p.contact, p.version
    );
    if let Some((id, source)) = p.sourcing {
        s.push_str(&format!(
            "  - Event Sourcing (ID={id}, source='{source}')\n"
        ));
    }
    s.push_str("  - Field Extraction\n");
    if p.parsing_and_async {
        s.push_str("  - Event Parsing\n  - Async Events\n");
    }
    s
}

/// `--list-plugins`: the plugins falco.yaml selects, in load order (every one is built in).
pub fn list_plugins(loaded: &Loaded) -> String {
    let plugins = &loaded.config.plugins;
    let mut body = String::new();
    for p in plugins.iter().filter_map(|(name, _)| facts(name)) {
        body.push_str(&plugin_text(p));
        body.push('\n');
    }
    format!("{} Plugins Loaded:\n\n{body}\n", plugins.len())
}

/// `--plugin-info NAME`: None when no selected plugin has that name or library path.
pub fn plugin_info(loaded: &Loaded, name: &str) -> Option<String> {
    let (plugin, _) = loaded
        .config
        .plugins
        .iter()
        .find(|(n, lib)| n == name || lib == name)?;
    let p = facts(plugin)?;
    let mut s = format!(
        "{}\nInit config schema type: Not available, plugin does not implement the init config schema functionality\n\n\n",
        plugin_text(p)
    );
    if p.sourcing.is_some() {
        s.push_str("No suggested open params available: plugin has not been configured, or it does not implement the open params suggestion functionality\n\n");
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names_the_probe_abi() {
        let v = version(false);
        assert!(v.starts_with("Falco version: "));
        assert!(v.contains("Schema version: 4.5.1"), "{v}");
        let j: Json = serde_json::from_str(&version(true)).unwrap();
        assert_eq!(j["driver_schema_version"], "4.5.1");
        for k in [
            "falco_version",
            "libs_version",
            "plugin_api_version",
            "driver_api_version",
            "default_driver_version",
            "engine_version",
            "engine_version_semver",
        ] {
            assert!(j.get(k).is_some(), "{k}");
        }
    }
}
