//! The configuration as the rest of falco uses it: typed values, grouped by what they configure.
//! Built from a checked tree in `build.rs`.

use std::path::PathBuf;

use crate::priority::Priority;

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
    /// The CO-RE eBPF driver.
    ModernEbpf,
    /// A capture file.
    Replay,
    /// No syscall events at all.
    NoDriver,
}

/// What to do when the driver reports dropped events. Ordered as Falco runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
    pub follow_symlinks: bool,
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
    pub ssl_enabled: bool,
    pub ssl_certificate: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DropsConfig {
    pub threshold: f64,
    /// Sorted and without duplicates (Falco keeps them in a set).
    pub actions: Vec<DropAction>,
    pub rate: f64,
    pub max_burst: f64,
    pub simulate_drops: bool,
}

/// Ring buffer settings of a kernel driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriverBuffers {
    /// Falco's preset: 1 = 1 MiB ... 10 = 512 MiB per buffer.
    pub buf_size_preset: u8,
    pub drop_failed_exit: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModernEbpfConfig {
    pub buffers: DriverBuffers,
    /// CPUs sharing one ring buffer (0: one buffer for all).
    pub cpus_for_each_buffer: u32,
    pub disable_iterators: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    pub kind: EngineKind,
    pub kmod: DriverBuffers,
    pub modern_ebpf: ModernEbpfConfig,
    pub replay_capture_file: Option<PathBuf>,
    /// engine.threads as written: 0 chooses by the CPUs falco may use.
    pub threads: u8,
}

impl EngineConfig {
    /// The threads that handle events: engine.threads, or when 0, 2 if falco may run on two CPUs
    /// or more (its affinity and cgroup quota counted), else 1.
    pub fn event_threads(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(2)),
            n => usize::from(n),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MetricsConfig {
    pub enabled: bool,
    pub interval_ms: u64,
    /// As written (for the log line).
    pub interval_text: String,
    pub output_rule: bool,
    pub output_file: Option<PathBuf>,
    pub rules_counters_enabled: bool,
    pub resource_utilization_enabled: bool,
    pub state_counters_enabled: bool,
    pub kernel_event_counters_enabled: bool,
    pub kernel_event_counters_per_cpu_enabled: bool,
    pub libbpf_stats_enabled: bool,
    pub convert_memory_to_mb: bool,
    pub include_empty_values: bool,
}

/// The `falco_libs` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LibsConfig {
    pub thread_table_size: usize,
    pub purge_interval_s: u64,
    /// Bytes of I/O buffers (None: the driver's default).
    pub snaplen: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureMode {
    /// Rules with `capture: true`.
    Rules,
    /// Every alert.
    AllRules,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaptureConfig {
    pub enabled: bool,
    pub path_prefix: String,
    pub mode: CaptureMode,
    pub default_duration_ms: u64,
    /// 0: no limit.
    pub max_file_size_mb: u64,
}

/// One `rules:` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSelection {
    pub enable: bool,
    /// A rule name, `*` matching any text.
    pub rule: Option<String>,
    pub tag: Option<String>,
}

/// A field `append_output` adds to output_fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtraField {
    /// The value of the field of the same name, typed.
    Raw,
    /// A format rendered as text.
    Format(String),
}

/// One `append_output` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppendOutput {
    pub source: String,
    pub tags: Vec<String>,
    pub rule: String,
    pub extra_output: String,
    pub extra_fields: Vec<(String, ExtraField)>,
    pub suggested_output: bool,
}

impl AppendOutput {
    /// Whether the entry applies to a rule (Falco: same source when set, all the tags, same name
    /// when set).
    pub fn matches(&self, source: &str, tags: &[String], rule: &str) -> bool {
        (self.source.is_empty() || self.source == source)
            && self.tags.iter().all(|t| tags.contains(t))
            && (self.rule.is_empty() || self.rule == rule)
    }
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub rules_files: Vec<PathBuf>,
    pub rules_selection: Vec<RuleSelection>,
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
    /// Alerts queued per output channel; 0: no limit on the count (Falco's meaning).
    pub outputs_queue_capacity: usize,
    pub output_timeout_ms: u64,
    pub append_output: Vec<AppendOutput>,
    /// `static_fields`, sorted by name.
    pub static_fields: Vec<(String, String)>,
    /// Whether the `container` plugin is selected (its suggested output fields apply).
    pub container_plugin: bool,
    /// The container runtimes asked for container metadata (`container_engines`, or the container
    /// plugin's `init_config`).
    pub container_engines: falco_runtimes::EnginesConfig,
    /// The `k8s_audit` source, when falco.yaml loads the k8saudit plugin.
    pub k8saudit: Option<crate::source::k8saudit::AuditSettings>,
    /// The plugins selected (all built in), in load order: (name, library_path).
    pub plugins: Vec<(String, String)>,
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
    /// The least severe event-library message logged; None when libs_logger is off.
    pub libs_log_level: Option<Priority>,
    pub webserver: WebserverConfig,
    pub syscall_event_drops: DropsConfig,
    pub syscall_event_timeouts_max_consecutives: u64,
    pub engine: EngineConfig,
    pub metrics: MetricsConfig,
    pub base_syscalls_custom_set: Vec<String>,
    pub base_syscalls_repair: bool,
    pub base_syscalls_all: bool,
    pub falco_libs: LibsConfig,
    pub capture: CaptureConfig,
}

impl Default for Config {
    fn default() -> Self {
        super::load_str("", &[], None)
            .expect("the built-in defaults are valid")
            .config
    }
}
