//! falco.yaml, read as Falco 0.44 reads it: the main file and its `config_files`, `${VAR}`
//! expansion, `-o` overrides, YAML values typed as yaml-cpp types them. Every key is declared once
//! (`keys.rs`); the type check, unknown-key warnings, docs and schema derive from those
//! declarations (`schema.rs`), and the values are read into [`Config`] (`build.rs`).

mod build;
pub mod container_engines;
pub mod files;
pub mod k8saudit;
pub mod keys;
mod model;
pub mod read;
pub mod schema;
pub mod tree;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use files::LoadedFile;
pub use model::*;
use yaml::Node;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{at}: the configuration is not valid YAML: {message}")]
    Parse { at: String, message: String },
    #[error("{at}: configuration key '{key}': expected {expected}, got {got}")]
    Type {
        at: String,
        key: String,
        expected: String,
        got: String,
    },
    #[error("{at}: configuration key '{key}': {why}")]
    Refused {
        at: String,
        key: String,
        why: String,
    },
    /// Falco's own wording.
    #[error("{0}")]
    Falco(String),
    #[error("Error parsing config option \"{arg}\": {why}")]
    BadOverride { arg: String, why: String },
}

/// A configuration and what loading it said.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// Unknown keys, unimplemented keys and Falco's configuration warnings, one line each.
    pub warnings: Vec<String>,
    /// Every file read, the main one first.
    pub files: Vec<LoadedFile>,
    /// Directories of config_files.
    pub folders: Vec<PathBuf>,
    /// The merged tree (for --support).
    pub root: Node,
}

impl Loaded {
    /// Whether loading warned about something in `file` (Falco's per-file "schema validation").
    pub fn file_has_warnings(&self, file: &Path) -> bool {
        let f = file.display().to_string();
        self.warnings
            .iter()
            .any(|w| w.starts_with(&format!("{f}:")))
    }
}

/// Loads `path` (or the default file when it exists, or the built-in defaults), with its
/// config_files, then applies the `-o` overrides.
pub fn load(path: Option<&Path>, overrides: &[String]) -> Result<Loaded, ConfigError> {
    let chosen = match path {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let d = Path::new(crate::cli::DEFAULT_CONFIG_FILE);
            d.exists().then(|| d.to_path_buf())
        }
    };
    finish(chosen.as_deref(), None, overrides)
}

/// Loads configuration text as if read from `path` (tests and defaults); config_files are
/// followed only when `path` is given.
pub fn load_str(
    text: &str,
    overrides: &[String],
    path: Option<&Path>,
) -> Result<Loaded, ConfigError> {
    finish(path, Some(text), overrides)
}

fn finish(
    path: Option<&Path>,
    text: Option<&str>,
    overrides: &[String],
) -> Result<Loaded, ConfigError> {
    let overrides = overrides
        .iter()
        .map(|o| tree::parse_override(o))
        .collect::<Result<Vec<_>, _>>()?;
    let sources = files::load(path, text, &overrides)?;
    let checked = schema::check(&sources.root)?;
    let reader = read::Reader::new(&sources.root);
    let name = path
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "default".to_string());
    let built = build::build(&reader, &name)?;
    let mut warnings = checked.warnings;
    warnings.extend(built.warnings);
    Ok(Loaded {
        config: built.config,
        warnings,
        files: sources.files,
        folders: sources.folders,
        root: sources.root,
    })
}

/// Parses a Prometheus-style duration ("1h30m", "10s", "500ms") or a bare number of milliseconds.
pub fn parse_duration_ms(s: &str) -> Option<u64> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total: u64 = 0;
    let mut rest = s.as_str();
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let ms = match unit {
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 7 * 86_400_000,
            "y" => 365 * 86_400_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(ms)?)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::priority::Priority;

    fn load(text: &str, o: &[&str]) -> Result<Loaded, ConfigError> {
        let o: Vec<String> = o.iter().map(|s| s.to_string()).collect();
        load_str(text, &o, None)
    }

    #[test]
    fn defaults_are_falcos() {
        let c = Config::default();
        assert_eq!(c.priority, Priority::Debug);
        assert_eq!(c.rule_matching, RuleMatching::First);
        assert!(c.stdout_output && c.syslog_output && !c.json_output);
        assert_eq!(c.webserver.listen_port, 8765);
        assert_eq!(c.webserver.k8s_healthz_endpoint, "/healthz");
        assert_eq!(c.outputs_max_burst, 1000.0);
        assert_eq!(c.syscall_event_drops.threshold, 0.1);
        assert_eq!(
            c.syscall_event_drops.actions,
            vec![DropAction::Log, DropAction::Alert]
        );
        assert_eq!(c.engine.kind, EngineKind::Kmod);
        assert_eq!(c.rules_files.len(), 3);
        assert_eq!(c.outputs_queue_capacity, 0, "0: no limit, as Falco");
        assert_eq!(c.falco_libs.thread_table_size, 262_144);
        assert_eq!(c.falco_libs.snaplen, Some(80));
        assert_eq!(c.capture.default_duration_ms, 5000);
        assert_eq!(c.libs_log_level, Some(Priority::Informational));
    }

    #[test]
    fn every_declared_key_is_read() {
        let root = files::parse("", "d").unwrap();
        let r = read::Reader::new(&root);
        build::build(&r, "d").unwrap();
        let read = r.keys_read();
        for k in keys::KEYS {
            let structural = matches!(
                k.kind,
                schema::Kind::Section | schema::Kind::Records | schema::Kind::TextOrRecords
            ) || k.path.contains("[]")
                || matches!(
                    k.status,
                    schema::Status::Ignored(_) | schema::Status::Refused(_)
                )
                || k.path == "config_files";
            assert!(
                structural || read.contains(&k.path),
                "'{}' is declared but never read",
                k.path
            );
        }
    }

    #[test]
    fn invalid_values_are_errors_naming_the_key() {
        for (text, key) in [
            ("priority: loud\n", "priority"),
            (
                "webserver:\n  listen_port: 70000\n",
                "webserver.listen_port",
            ),
            ("json_output: perhaps\n", "json_output"),
            ("rule_matching: some\n", "rule_matching"),
            ("engine:\n  kind: floppy\n", "engine.kind"),
            ("metrics:\n  interval: 5x\n", "metrics.interval"),
            (
                "http_output:\n  enabled: true\n  url: ftp://x\n",
                "http_output.url",
            ),
            ("webserver: false\n", "webserver"),
        ] {
            let e = load(text, &[]).unwrap_err().to_string();
            assert!(e.contains(key), "{text}: {e}");
        }
        assert!(load("- a\n- b\n", &[]).is_err());
        assert!(load("a: [\n", &[]).is_err());
    }

    #[test]
    fn drop_settings_are_checked_with_falcos_messages() {
        let e = |t: &str| load(t, &[]).unwrap_err().to_string();
        assert_eq!(
            e("syscall_event_drops:\n  threshold: 2\n"),
            "Error reading config file (default): syscall event drops threshold must be a double in the range [0, 1]"
        );
        assert_eq!(
            e("syscall_event_drops:\n  threshold: -0.5\n"),
            "Error reading config file (default): syscall event drops threshold must be a double in the range [0, 1]"
        );
        assert_eq!(
            e("syscall_event_drops:\n  actions: [ignore, log]\n"),
            "Error reading config file (default): syscall event drop action \"log\" does not make sense with the \"ignore\" action"
        );
        assert!(e("syscall_event_drops:\n  actions: [log, shout]\n").contains("available actions"));
        // Falco accepts ignore after log, and runs the actions in its own order.
        let l = load(
            "syscall_event_drops:\n  actions: [exit, log, ignore]\n",
            &[],
        )
        .unwrap();
        assert_eq!(
            l.config.syscall_event_drops.actions,
            vec![DropAction::Ignore, DropAction::Log, DropAction::Exit]
        );
        let l = load("syscall_event_drops:\n  actions: []\n", &[]).unwrap();
        assert_eq!(
            l.config.syscall_event_drops.actions,
            vec![DropAction::Ignore]
        );
    }

    #[test]
    fn overrides_win_and_replay_is_selected() {
        let l = load(
            "json_output: false\nrules_files: [/a.yaml]\n",
            &[
                "json_output=true",
                "engine.kind=replay",
                "engine.replay.capture_file=/t.scap",
                "rules_files[]=/b.yaml",
            ],
        )
        .unwrap();
        assert!(l.config.json_output);
        assert_eq!(l.config.engine.kind, EngineKind::Replay);
        assert_eq!(
            l.config.engine.replay_capture_file,
            Some(PathBuf::from("/t.scap"))
        );
        assert_eq!(
            l.config.rules_files,
            vec![PathBuf::from("/a.yaml"), PathBuf::from("/b.yaml")]
        );
        assert!(load("", &["engine.kind=replay"]).is_err());
        assert!(load("rules_file: [/a]\nrules_files: [/b]\n", &[]).is_err());
    }

    #[test]
    fn engine_kinds_falco_no_longer_ships_get_falcos_error() {
        for k in ["ebpf", "gvisor", "modern-bpf"] {
            let e = load(&format!("engine:\n  kind: {k}\n"), &[])
                .unwrap_err()
                .to_string();
            assert_eq!(
                e,
                format!(
                    "Error reading config file (default): engine.kind '{k}' is not a valid kind."
                )
            );
        }
        let l = load(
            "engine:\n  kind: modern_ebpf\n  modern_ebpf:\n    cpus_for_each_buffer: 4\n",
            &[],
        )
        .unwrap();
        assert_eq!(l.config.engine.kind, EngineKind::ModernEbpf);
        assert_eq!(l.config.engine.modern_ebpf.cpus_for_each_buffer, 4);
        assert_eq!(
            load("engine:\n  kind: nodriver\n", &[])
                .unwrap()
                .config
                .engine
                .kind,
            EngineKind::NoDriver
        );
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration_ms("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration_ms("500ms"), Some(500));
        assert_eq!(parse_duration_ms("2000"), Some(2000));
        assert_eq!(parse_duration_ms("5x"), None);
        assert_eq!(parse_duration_ms("m"), None);
    }
}
