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

const CONTAINER_DESCRIPTION: &str = "Built into this falco: container.* and k8s.* fields from \
    cgroups and container events (Falco's container plugin).";

/// `--list-plugins`: the plugins selected by the configuration (only `container` can be).
pub fn list_plugins(loaded: &Loaded) -> String {
    if !loaded.config.container_plugin {
        return "0 Plugins Loaded:\n\n\n".to_string();
    }
    format!("1 Plugins Loaded:\n\n{}\n\n", plugin_text())
}

fn plugin_text() -> String {
    format!(
        "Name: container\nDescription: {CONTAINER_DESCRIPTION}\nContact: https://falco.org\nVersion: {FALCO_VERSION}\nCapabilities:\n  - Extraction Events: syscall\n"
    )
}

/// `--plugin-info NAME`: None when no configured plugin has that name or library path.
pub fn plugin_info(loaded: &Loaded, name: &str) -> Option<String> {
    let defined = crate::config::tree::get(&loaded.root, "plugins")
        .and_then(|n| n.as_seq())
        .unwrap_or_default()
        .iter()
        .any(|p| {
            let field = |k: &str| p.get(k).and_then(|v| v.as_text()).unwrap_or("");
            field("name") == "container" && (name == "container" || field("library_path") == name)
        });
    (defined || (name == "container" && loaded.config.container_plugin)).then(|| {
        format!(
            "{}\nInit config schema type: Not available, plugin does not implement the init config schema functionality\n\n\n",
            plugin_text()
        )
    })
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
