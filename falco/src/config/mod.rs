//! falco.yaml: every key falco reads, its default (Falco's), and its validation. An unknown key is a
//! warning; an invalid value is an error that names the key, what was expected and what was given.
//! The shipped falco.yaml and docs/configuration.md document the same keys.

pub mod container_engines;
pub mod k8saudit;
pub mod tree;

use std::path::{Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader};

use crate::priority::Priority;
use tree::Reader;

/// Default rules files, as in Falco's packaged configuration.
pub const DEFAULT_RULES_FILES: &[&str] = &[
    "/etc/falco/falco_rules.yaml",
    "/etc/falco/falco_rules.local.yaml",
    "/etc/falco/rules.d",
];

/// The bound of the outputs queue when `outputs_queue.capacity` is 0 (Falco's "unbounded"): falco
/// never queues without bound.
pub const DEFAULT_QUEUE_CAPACITY: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("configuration file {path} is not valid YAML: {message}")]
    Parse { path: String, message: String },
    #[error("configuration key '{key}': expected {expected}, got {got}")]
    Invalid {
        key: String,
        expected: String,
        got: String,
    },
    #[error("invalid -o {arg}: {why}")]
    BadOverride { arg: String, why: String },
    #[error("configuration key '{key}': {why}")]
    Unsupported { key: String, why: String },
}

/// Which rules fire on an event: the first that matches, or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleMatching {
    First,
    All,
}

/// Where events come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// The falco_probe kernel module.
    Kmod,
    /// The CO-RE eBPF programs built into falco.
    ModernEbpf,
    /// A capture file.
    Replay,
    /// No syscalls: the processes read from /proc and what the container runtimes say of them
    /// (`container` events), as Falco's nodriver engine with the container plugin.
    Nodriver,
}

/// What to do when the kernel reports dropped events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropAction {
    Ignore,
    Log,
    Alert,
    Exit,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileOutputConfig {
    pub enabled: bool,
    pub keep_alive: bool,
    pub filename: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProgramOutputConfig {
    pub enabled: bool,
    pub keep_alive: bool,
    pub program: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpOutputConfig {
    pub enabled: bool,
    pub url: String,
    pub user_agent: String,
    pub insecure: bool,
    pub ca_cert: String,
    pub ca_bundle: String,
    pub ca_path: String,
    pub mtls: bool,
    pub client_cert: String,
    pub client_key: String,
    pub echo: bool,
    pub compress_uploads: bool,
    pub keep_alive: bool,
    pub max_consecutive_timeouts: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WebserverConfig {
    pub enabled: bool,
    pub threadiness: u64,
    pub listen_address: String,
    pub listen_port: u16,
    pub k8s_healthz_endpoint: String,
    pub prometheus_metrics_enabled: bool,
    /// Serve HTTPS with the key and certificate chain of `ssl_certificate` (one PEM file).
    pub ssl_enabled: bool,
    pub ssl_certificate: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DropsConfig {
    pub threshold: f64,
    pub actions: Vec<DropAction>,
    pub rate: f64,
    pub max_burst: f64,
    pub simulate_drops: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    pub kind: EngineKind,
    pub kmod_buf_size_preset: u8,
    pub kmod_drop_failed_exit: bool,
    /// engine.modern_ebpf: CPUs sharing a ring buffer (0: one for all), its size preset, and
    /// drop_failed_exit.
    pub ebpf_cpus_for_each_buffer: u32,
    pub ebpf_buf_size_preset: u8,
    pub ebpf_drop_failed_exit: bool,
    pub replay_capture_file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MetricsConfig {
    pub enabled: bool,
    pub interval_ms: u64,
    pub output_rule: bool,
    pub output_file: Option<PathBuf>,
    pub rules_counters_enabled: bool,
    pub resource_utilization_enabled: bool,
    pub state_counters_enabled: bool,
    pub kernel_event_counters_enabled: bool,
    pub kernel_event_counters_per_cpu_enabled: bool,
    pub convert_memory_to_mb: bool,
    pub include_empty_values: bool,
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub rules_files: Vec<PathBuf>,
    pub watch_config_files: bool,
    pub priority: Priority,
    pub rule_matching: RuleMatching,
    pub time_format_iso_8601: bool,
    pub json_output: bool,
    pub json_include_output_property: bool,
    pub json_include_tags_property: bool,
    pub json_include_message_property: bool,
    pub json_include_output_fields_property: bool,
    pub buffered_outputs: bool,
    pub outputs_rate: f64,
    pub outputs_max_burst: f64,
    pub outputs_queue_capacity: usize,
    pub output_timeout_ms: u64,
    pub stdout_output: bool,
    pub syslog_output: bool,
    /// The syslog socket for alerts and (with log_syslog) logs.
    pub syslog_socket: PathBuf,
    pub file_output: FileOutputConfig,
    pub program_output: ProgramOutputConfig,
    pub http_output: HttpOutputConfig,
    pub log_stderr: bool,
    pub log_syslog: bool,
    pub log_level: Priority,
    pub webserver: WebserverConfig,
    pub syscall_event_drops: DropsConfig,
    pub syscall_event_timeouts_max_consecutives: u64,
    pub engine: EngineConfig,
    pub metrics: MetricsConfig,
    pub base_syscalls_custom_set: Vec<String>,
    pub base_syscalls_repair: bool,
    /// The container runtimes asked for container metadata (`container_engines`, or the container
    /// plugin's `init_config`).
    pub container_engines: falco_runtimes::EnginesConfig,
    /// The `k8s_audit` source, when falco.yaml loads the k8saudit plugin.
    pub k8saudit: Option<crate::source::k8saudit::AuditSettings>,
}

impl Default for Config {
    fn default() -> Self {
        let empty = Yaml::Hash(Default::default());
        let mut warnings = Vec::new();
        Config::from_tree(&empty, &mut warnings).expect("the defaults are valid")
    }
}

/// Keys falco reads. Anything else in the file gets an "unknown key" warning.
const KNOWN_KEYS: &[&str] = &[
    "rules_file",
    "rules_files",
    "watch_config_files",
    "priority",
    "rule_matching",
    "time_format_iso_8601",
    "json_output",
    "json_include_output_property",
    "json_include_tags_property",
    "json_include_message_property",
    "json_include_output_fields_property",
    "buffered_outputs",
    "outputs.rate",
    "outputs.max_burst",
    "outputs_queue.capacity",
    "output_timeout",
    "stdout_output.enabled",
    "syslog_output.enabled",
    "syslog_output.socket",
    "file_output.enabled",
    "file_output.keep_alive",
    "file_output.filename",
    "program_output.enabled",
    "program_output.keep_alive",
    "program_output.program",
    "http_output.enabled",
    "http_output.url",
    "http_output.user_agent",
    "http_output.insecure",
    "http_output.ca_cert",
    "http_output.ca_bundle",
    "http_output.ca_path",
    "http_output.mtls",
    "http_output.client_cert",
    "http_output.client_key",
    "http_output.echo",
    "http_output.compress_uploads",
    "http_output.keep_alive",
    "http_output.max_consecutive_timeouts",
    "log_stderr",
    "log_syslog",
    "log_level",
    "webserver.enabled",
    "webserver.threadiness",
    "webserver.listen_address",
    "webserver.listen_port",
    "webserver.k8s_healthz_endpoint",
    "webserver.prometheus_metrics_enabled",
    "webserver.ssl_enabled",
    "webserver.ssl_certificate",
    "syscall_event_drops.threshold",
    "syscall_event_drops.actions",
    "syscall_event_drops.rate",
    "syscall_event_drops.max_burst",
    "syscall_event_drops.simulate_drops",
    "syscall_event_timeouts.max_consecutives",
    "engine.kind",
    "engine.kmod.buf_size_preset",
    "engine.kmod.drop_failed_exit",
    "engine.modern_ebpf.cpus_for_each_buffer",
    "engine.modern_ebpf.buf_size_preset",
    "engine.modern_ebpf.drop_failed_exit",
    "engine.replay.capture_file",
    "metrics.enabled",
    "metrics.interval",
    "metrics.output_rule",
    "metrics.output_file",
    "metrics.rules_counters_enabled",
    "metrics.resource_utilization_enabled",
    "metrics.state_counters_enabled",
    "metrics.kernel_event_counters_enabled",
    "metrics.kernel_event_counters_per_cpu_enabled",
    "metrics.libbpf_stats_enabled",
    "metrics.plugins_metrics_enabled",
    "metrics.jemalloc_stats_enabled",
    "metrics.convert_memory_to_mb",
    "metrics.include_empty_values",
    "base_syscalls.custom_set",
    "base_syscalls.repair",
];

/// Falco keys for features this falco does not have. They are accepted (a Falco falco.yaml loads)
/// with a note, as long as they do not ask for the feature.
const FOREIGN_SECTIONS: &[&str] = &[
    "load_plugins",
    "plugins",
    "grpc",
    "grpc_output",
    "libs_logger",
    "engine.ebpf",
    "engine.gvisor",
    "engine.nodriver",
    "modern_bpf",
    "metadata_download",
    "container_engines",
    "falco_libs",
    "config_files",
    "append_output",
    "static_fields",
    "plugins_hostinfo",
    "capture",
    "syscall_buf_size_preset",
    "syscall_drop_failed_exit",
];

/// A configuration and what loading it said.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// Unknown keys and other things worth a warning.
    pub warnings: Vec<String>,
    /// The file read, if any (None: built-in defaults).
    pub path: Option<PathBuf>,
    /// The bytes of that file (for its checksum in metrics).
    pub text: String,
}

/// Loads `path` (or the default file when it exists, or the built-in defaults), then applies the
/// `-o` overrides.
pub fn load(path: Option<&Path>, overrides: &[String]) -> Result<Loaded, ConfigError> {
    let chosen = match path {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let d = Path::new(crate::cli::DEFAULT_CONFIG_FILE);
            d.exists().then(|| d.to_path_buf())
        }
    };
    let text = match &chosen {
        Some(p) => std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
            path: p.display().to_string(),
            source,
        })?,
        None => String::new(),
    };
    let mut loaded = load_str(&text, overrides, chosen.as_deref())?;
    loaded.path = chosen;
    Ok(loaded)
}

/// Loads configuration text (tests and reload share this path).
pub fn load_str(
    text: &str,
    overrides: &[String],
    path: Option<&Path>,
) -> Result<Loaded, ConfigError> {
    let shown = path
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "<defaults>".to_string());
    // The shared YAML layer bounds alias expansion and nesting, which yaml-rust2 does not.
    if let Err(e) = falco_engine::yaml::parse(text)
        && matches!(
            e,
            falco_engine::yaml::YamlError::AliasLimit { .. }
                | falco_engine::yaml::YamlError::TooDeep { .. }
        )
    {
        let at = e.pos();
        return Err(ConfigError::Parse {
            path: shown,
            message: format!("{}:{}: {e}", at.line, at.col),
        });
    }
    let mut docs = YamlLoader::load_from_str(text).map_err(|e| ConfigError::Parse {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let mut root = if docs.is_empty() {
        Yaml::Hash(Default::default())
    } else {
        docs.swap_remove(0)
    };
    if root.is_null() {
        root = Yaml::Hash(Default::default());
    }
    if !matches!(root, Yaml::Hash(_)) {
        return Err(ConfigError::Parse {
            path: shown,
            message: "the top level must be a map of keys".to_string(),
        });
    }
    for o in overrides {
        let o = tree::parse_override(o)?;
        tree::apply_override(&mut root, &o)?;
    }
    let mut warnings = Vec::new();
    for key in tree::leaf_keys(&root) {
        let known = KNOWN_KEYS.contains(&key.as_str());
        let foreign = FOREIGN_SECTIONS
            .iter()
            .any(|s| key == *s || key.starts_with(&format!("{s}.")));
        if !known && !foreign {
            warnings.push(format!(
                "unknown configuration key '{key}' in {shown} (ignored)"
            ));
        }
    }
    let config = Config::from_tree(&root, &mut warnings)?;
    Ok(Loaded {
        config,
        warnings,
        path: path.map(Path::to_path_buf),
        text: text.to_string(),
    })
}

/// Parses a Prometheus-style duration ("1h30m", "10s", "500ms") or a bare number of milliseconds.
pub fn parse_duration_ms(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total: u64 = 0;
    let mut rest = s;
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

impl Config {
    fn from_tree(root: &Yaml, warnings: &mut Vec<String>) -> Result<Config, ConfigError> {
        let r = Reader { root };

        // rules_files wins over the older rules_file spelling when both are present.
        let rules = match r.string_list("rules_files")? {
            Some(v) => Some(v),
            None => r.string_list("rules_file")?,
        };
        let rules_files = rules
            .unwrap_or_else(|| DEFAULT_RULES_FILES.iter().map(|s| s.to_string()).collect())
            .into_iter()
            .map(PathBuf::from)
            .collect();

        let priority = parse_priority(&r, "priority", "debug")?;
        let log_level = parse_priority(&r, "log_level", "info")?;
        let rule_matching = match r
            .choice("rule_matching", "first", &["first", "all"])?
            .as_str()
        {
            "all" => RuleMatching::All,
            _ => RuleMatching::First,
        };

        let capacity = r.u64_in("outputs_queue.capacity", 0, 0, 10_000_000)? as usize;
        let outputs_queue_capacity = if capacity == 0 {
            DEFAULT_QUEUE_CAPACITY
        } else {
            capacity
        };

        let http_url = r.string("http_output.url", "")?;
        let http_enabled = r.bool("http_output.enabled", false)?;
        if http_enabled && !(http_url.starts_with("http://") || http_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                key: "http_output.url".into(),
                expected: "an http:// or https:// URL".into(),
                got: format!("'{http_url}'"),
            });
        }
        let http_output = HttpOutputConfig {
            enabled: http_enabled,
            url: http_url,
            user_agent: r.string("http_output.user_agent", "falcosecurity/falco")?,
            insecure: r.bool("http_output.insecure", false)?,
            ca_cert: r.string("http_output.ca_cert", "")?,
            ca_bundle: r.string("http_output.ca_bundle", "")?,
            ca_path: r.string("http_output.ca_path", "/etc/ssl/certs")?,
            mtls: r.bool("http_output.mtls", false)?,
            client_cert: r.string("http_output.client_cert", "/etc/ssl/certs/client.crt")?,
            client_key: r.string("http_output.client_key", "/etc/ssl/certs/client.key")?,
            echo: r.bool("http_output.echo", false)?,
            compress_uploads: r.bool("http_output.compress_uploads", false)?,
            keep_alive: r.bool("http_output.keep_alive", false)?,
            max_consecutive_timeouts: r.u64_in(
                "http_output.max_consecutive_timeouts",
                5,
                0,
                1000,
            )?,
        };
        if http_output.enabled && http_output.compress_uploads {
            warnings.push(
                "http_output.compress_uploads is not supported; alerts are sent uncompressed"
                    .to_string(),
            );
        }

        let file_output = FileOutputConfig {
            enabled: r.bool("file_output.enabled", false)?,
            keep_alive: r.bool("file_output.keep_alive", false)?,
            filename: PathBuf::from(r.string("file_output.filename", "./events.txt")?),
        };
        if file_output.enabled && file_output.filename.as_os_str().is_empty() {
            return Err(ConfigError::Invalid {
                key: "file_output.filename".into(),
                expected: "a file path".into(),
                got: "''".into(),
            });
        }
        let program_output = ProgramOutputConfig {
            enabled: r.bool("program_output.enabled", false)?,
            keep_alive: r.bool("program_output.keep_alive", false)?,
            program: r.string("program_output.program", "")?,
        };
        if program_output.enabled && program_output.program.trim().is_empty() {
            return Err(ConfigError::Invalid {
                key: "program_output.program".into(),
                expected: "a command".into(),
                got: "''".into(),
            });
        }

        let endpoint = r.string("webserver.k8s_healthz_endpoint", "/healthz")?;
        if !endpoint.starts_with('/') {
            return Err(ConfigError::Invalid {
                key: "webserver.k8s_healthz_endpoint".into(),
                expected: "a path starting with '/'".into(),
                got: format!("'{endpoint}'"),
            });
        }
        let listen_address = r.string("webserver.listen_address", "0.0.0.0")?;
        if listen_address.parse::<std::net::IpAddr>().is_err() {
            return Err(ConfigError::Invalid {
                key: "webserver.listen_address".into(),
                expected: "an IP address".into(),
                got: format!("'{listen_address}'"),
            });
        }
        let webserver = WebserverConfig {
            enabled: r.bool("webserver.enabled", true)?,
            threadiness: r.u64_in("webserver.threadiness", 0, 0, 1024)?,
            listen_address,
            listen_port: r.u64_in("webserver.listen_port", 8765, 0, 65535)? as u16,
            k8s_healthz_endpoint: endpoint,
            prometheus_metrics_enabled: r.bool("webserver.prometheus_metrics_enabled", false)?,
            ssl_enabled: r.bool("webserver.ssl_enabled", false)?,
            ssl_certificate: r.string("webserver.ssl_certificate", "/etc/falco/falco.pem")?,
        };

        let actions = match r.string_list("syscall_event_drops.actions")? {
            None => vec![DropAction::Log, DropAction::Alert],
            Some(list) => list
                .iter()
                .map(|a| match a.to_ascii_lowercase().as_str() {
                    "ignore" => Ok(DropAction::Ignore),
                    "log" => Ok(DropAction::Log),
                    "alert" => Ok(DropAction::Alert),
                    "exit" => Ok(DropAction::Exit),
                    _ => Err(ConfigError::Invalid {
                        key: "syscall_event_drops.actions".into(),
                        expected: "a list of ignore, log, alert, exit".into(),
                        got: format!("'{a}'"),
                    }),
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        if actions.contains(&DropAction::Ignore) && actions.len() > 1 {
            return Err(ConfigError::Invalid {
                key: "syscall_event_drops.actions".into(),
                expected: "'ignore' alone, or any of log, alert, exit".into(),
                got: "'ignore' with other actions".into(),
            });
        }
        let syscall_event_drops = DropsConfig {
            threshold: r.f64_in("syscall_event_drops.threshold", 0.1, 0.0, 1.0)?,
            actions,
            rate: r.f64_in("syscall_event_drops.rate", 0.03333, 0.0, 1e9)?,
            max_burst: r.f64_in("syscall_event_drops.max_burst", 1.0, 0.0, 1e9)?,
            simulate_drops: r.bool("syscall_event_drops.simulate_drops", false)?,
        };

        let kind_name = r.string("engine.kind", "kmod")?;
        let kind = match kind_name.to_ascii_lowercase().as_str() {
            "kmod" => EngineKind::Kmod,
            "modern_ebpf" => EngineKind::ModernEbpf,
            "replay" => EngineKind::Replay,
            "nodriver" => EngineKind::Nodriver,
            "ebpf" | "gvisor" => {
                return Err(ConfigError::Unsupported {
                    key: "engine.kind".into(),
                    why: format!(
                        "'{kind_name}' is not available in this falco; use modern_ebpf (the CO-RE eBPF driver), kmod (the falco_probe kernel module), nodriver or replay"
                    ),
                });
            }
            _ => {
                return Err(ConfigError::Invalid {
                    key: "engine.kind".into(),
                    expected: "modern_ebpf, kmod, nodriver or replay".into(),
                    got: format!("'{kind_name}'"),
                });
            }
        };
        let capture = r.string("engine.replay.capture_file", "")?;
        let engine = EngineConfig {
            kind,
            kmod_buf_size_preset: r.u64_in("engine.kmod.buf_size_preset", 4, 0, 10)? as u8,
            kmod_drop_failed_exit: r.bool("engine.kmod.drop_failed_exit", false)?,
            ebpf_cpus_for_each_buffer: r.u64_in(
                "engine.modern_ebpf.cpus_for_each_buffer",
                2,
                0,
                4096,
            )? as u32,
            ebpf_buf_size_preset: r.u64_in("engine.modern_ebpf.buf_size_preset", 4, 0, 10)? as u8,
            ebpf_drop_failed_exit: r.bool("engine.modern_ebpf.drop_failed_exit", false)?,
            replay_capture_file: (!capture.is_empty()).then(|| PathBuf::from(capture)),
        };
        if engine.kind == EngineKind::Replay && engine.replay_capture_file.is_none() {
            return Err(ConfigError::Invalid {
                key: "engine.replay.capture_file".into(),
                expected: "a capture file when engine.kind is replay".into(),
                got: "nothing".into(),
            });
        }

        let interval_text = r.string("metrics.interval", "1h")?;
        let interval_ms = parse_duration_ms(&interval_text)
            .filter(|ms| *ms >= 100)
            .ok_or_else(|| ConfigError::Invalid {
                key: "metrics.interval".into(),
                expected: "a duration of at least 100ms, such as 15s, 1m or 1h30m".into(),
                got: format!("'{interval_text}'"),
            })?;
        let metrics_file = r.string("metrics.output_file", "")?;
        let metrics = MetricsConfig {
            enabled: r.bool("metrics.enabled", false)?,
            interval_ms,
            output_rule: r.bool("metrics.output_rule", true)?,
            output_file: (!metrics_file.is_empty()).then(|| PathBuf::from(metrics_file)),
            rules_counters_enabled: r.bool("metrics.rules_counters_enabled", true)?,
            resource_utilization_enabled: r.bool("metrics.resource_utilization_enabled", true)?,
            state_counters_enabled: r.bool("metrics.state_counters_enabled", true)?,
            kernel_event_counters_enabled: r.bool("metrics.kernel_event_counters_enabled", true)?,
            kernel_event_counters_per_cpu_enabled: r
                .bool("metrics.kernel_event_counters_per_cpu_enabled", false)?,
            convert_memory_to_mb: r.bool("metrics.convert_memory_to_mb", true)?,
            include_empty_values: r.bool("metrics.include_empty_values", false)?,
        };
        for k in [
            "metrics.libbpf_stats_enabled",
            "metrics.plugins_metrics_enabled",
            "metrics.jemalloc_stats_enabled",
        ] {
            r.bool(k, false)?;
        }

        // The container, k8saudit and json plugins are built in; any other is refused.
        let k8saudit = k8saudit::from_tree(root)?;
        let container_engines = container_engines::from_tree(root)?;

        Ok(Config {
            rules_files,
            watch_config_files: r.bool("watch_config_files", true)?,
            priority,
            rule_matching,
            time_format_iso_8601: r.bool("time_format_iso_8601", false)?,
            json_output: r.bool("json_output", false)?,
            json_include_output_property: r.bool("json_include_output_property", true)?,
            json_include_tags_property: r.bool("json_include_tags_property", true)?,
            json_include_message_property: r.bool("json_include_message_property", false)?,
            json_include_output_fields_property: r
                .bool("json_include_output_fields_property", true)?,
            buffered_outputs: r.bool("buffered_outputs", false)?,
            outputs_rate: r.f64_in("outputs.rate", 0.0, 0.0, 1e9)?,
            outputs_max_burst: r.f64_in("outputs.max_burst", 1000.0, 0.0, 1e12)?,
            outputs_queue_capacity,
            output_timeout_ms: r.u64_in("output_timeout", 2000, 1, 3_600_000)?,
            stdout_output: r.bool("stdout_output.enabled", true)?,
            syslog_output: r.bool("syslog_output.enabled", true)?,
            syslog_socket: PathBuf::from(r.string("syslog_output.socket", "/dev/log")?),
            file_output,
            program_output,
            http_output,
            log_stderr: r.bool("log_stderr", true)?,
            log_syslog: r.bool("log_syslog", true)?,
            log_level,
            webserver,
            syscall_event_drops,
            syscall_event_timeouts_max_consecutives: r.u64_in(
                "syscall_event_timeouts.max_consecutives",
                1000,
                1,
                u32::MAX as u64,
            )?,
            engine,
            metrics,
            base_syscalls_custom_set: r
                .string_list("base_syscalls.custom_set")?
                .unwrap_or_default(),
            base_syscalls_repair: r.bool("base_syscalls.repair", false)?,
            container_engines,
            k8saudit,
        })
    }
}

fn parse_priority(r: &Reader<'_>, key: &str, default: &str) -> Result<Priority, ConfigError> {
    let s = r.string(key, default)?;
    s.parse::<Priority>().map_err(|_| ConfigError::Invalid {
        key: key.to_string(),
        expected: "one of emergency, alert, critical, error, warning, notice, info, debug".into(),
        got: format!("'{s}'"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(c.outputs_queue_capacity, DEFAULT_QUEUE_CAPACITY);
    }

    #[test]
    fn unknown_keys_warn() {
        let l = load("json_output: true\nbogus: 1\nwebserver:\n  nope: 2\n", &[]).unwrap();
        assert!(l.config.json_output);
        assert_eq!(l.warnings.len(), 2, "{:?}", l.warnings);
        assert!(l.warnings[0].contains("'bogus'"));
        assert!(l.warnings[1].contains("'webserver.nope'"));
    }

    #[test]
    fn falco_only_sections_are_accepted() {
        let l = load(
            "load_plugins: []\nplugins:\n  - name: k8saudit\ngrpc:\n  enabled: false\n",
            &[],
        )
        .unwrap();
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        assert!(load("load_plugins: [cloudtrail]\n", &[]).is_err());
        assert!(load("load_plugins: [json]\n", &[]).is_ok());
        assert!(load("load_plugins: [container]\n", &[]).is_ok());
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
            (
                "syscall_event_drops:\n  actions: [log, shout]\n",
                "syscall_event_drops.actions",
            ),
            (
                "syscall_event_drops:\n  actions: [ignore, log]\n",
                "syscall_event_drops.actions",
            ),
            (
                "syscall_event_drops:\n  threshold: 2\n",
                "syscall_event_drops.threshold",
            ),
            ("metrics:\n  interval: 5x\n", "metrics.interval"),
            (
                "http_output:\n  enabled: true\n  url: ftp://x\n",
                "http_output.url",
            ),
        ] {
            let e = load(text, &[]).unwrap_err().to_string();
            assert!(e.contains(key), "{text}: {e}");
        }
        assert!(load("- a\n- b\n", &[]).is_err());
        assert!(load("a: [\n", &[]).is_err());
    }

    #[test]
    fn modern_ebpf_is_selected_with_its_keys() {
        let l = load(
            "engine:\n  kind: modern_ebpf\n  modern_ebpf:\n    cpus_for_each_buffer: 0\n    buf_size_preset: 6\n    drop_failed_exit: true\n",
            &[],
        )
        .unwrap();
        let e = &l.config.engine;
        assert_eq!(e.kind, EngineKind::ModernEbpf);
        assert_eq!(
            (
                e.ebpf_cpus_for_each_buffer,
                e.ebpf_buf_size_preset,
                e.ebpf_drop_failed_exit
            ),
            (0, 6, true)
        );
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        assert!(load("", &["engine.modern_ebpf.buf_size_preset=11"]).is_err());
    }

    #[test]
    fn overrides_win_and_replay_is_selected() {
        let l = load(
            "json_output: false\nrules_file: /a.yaml\n",
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
        // rules_files (set by the override) wins over rules_file.
        assert_eq!(l.config.rules_files, vec![PathBuf::from("/b.yaml")]);
        assert!(load("", &["engine.kind=replay"]).is_err());
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
