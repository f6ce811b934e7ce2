//! From a checked tree to [`Config`]: each value read by its declared key, plus the checks Falco
//! makes on values (with Falco's wording where scripts look for it).

use std::path::PathBuf;

use super::ConfigError;
use super::model::*;
use super::read::{Reader, strings_of};
use super::yaml::{Node, Value};
use crate::priority::Priority;

/// What building found besides the configuration: warnings Falco would also print.
pub struct Built {
    pub config: Config,
    pub warnings: Vec<String>,
}

/// Falco's "Error reading config file (FILE): ..." error.
fn falco_error(file: &str, msg: &str) -> ConfigError {
    ConfigError::Falco(format!("Error reading config file ({file}): {msg}"))
}

fn invalid(r: &Reader<'_>, key: &str, expected: &str, got: String) -> ConfigError {
    ConfigError::Type {
        at: r.origin(key).to_string(),
        key: key.to_string(),
        expected: expected.to_string(),
        got,
    }
}

/// Builds the configuration; `file` names the main configuration file in Falco's messages.
pub fn build(r: &Reader<'_>, file: &str) -> Result<Built, ConfigError> {
    let mut warnings = Vec::new();
    let Plugins {
        container: container_plugin,
        container_init,
        k8saudit,
        selected: plugins,
    } = plugins(r)?;
    let config = Config {
        rules_files: rules_files(r, file, &mut warnings)?,
        rules_selection: rules_selection(r)?,
        watch_config_files: r.bool("watch_config_files"),
        priority: priority(r, "priority")?,
        rule_matching: match r.string("rule_matching").to_ascii_lowercase().as_str() {
            "all" => RuleMatching::All,
            _ => RuleMatching::First,
        },
        time_format_iso_8601: r.bool("time_format_iso_8601"),
        json_output: r.bool("json_output"),
        json_include_output_property: r.bool("json_include_output_property"),
        json_include_tags_property: r.bool("json_include_tags_property"),
        json_include_message_property: r.bool("json_include_message_property"),
        json_include_output_fields_property: r.bool("json_include_output_fields_property"),
        buffered_outputs: r.bool("buffered_outputs"),
        outputs_rate: r.float("outputs.rate"),
        outputs_max_burst: r.float("outputs.max_burst"),
        outputs_queue_capacity: usize::try_from(r.uint("outputs_queue.capacity")).unwrap_or(0),
        output_timeout_ms: r.uint("output_timeout"),
        append_output: append_output(r, &mut warnings)?,
        static_fields: static_fields(r),
        container_plugin,
        k8saudit,
        plugins,
        container_engines: super::container_engines::from_nodes(
            r.node("container_engines"),
            container_init,
        )?,
        stdout_output: r.bool("stdout_output.enabled"),
        syslog_output: r.bool("syslog_output.enabled"),
        syslog_socket: PathBuf::from(r.string("syslog_output.socket")),
        file_output: file_output(r, file)?,
        program_output: program_output(r, file)?,
        http_output: http_output(r, file)?,
        log_stderr: r.bool("log_stderr"),
        log_syslog: r.bool("log_syslog"),
        log_level: priority(r, "log_level")?,
        libs_log_level: r
            .bool("libs_logger.enabled")
            .then(|| libs_severity(&r.string("libs_logger.severity"))),
        webserver: webserver(r, file)?,
        syscall_event_drops: drops(r, file)?,
        syscall_event_timeouts_max_consecutives: timeouts(r, file)?,
        engine: engine(r, file)?,
        metrics: metrics(r)?,
        base_syscalls_custom_set: r.strings("base_syscalls.custom_set"),
        base_syscalls_repair: r.bool("base_syscalls.repair"),
        base_syscalls_all: r.bool("base_syscalls.all"),
        falco_libs: LibsConfig {
            thread_table_size: match r.uint("falco_libs.thread_table_size") {
                0 => falco_engine::state::DEFAULT_MAX_THREADS,
                n => usize::try_from(n).unwrap_or(usize::MAX),
            },
            purge_interval_s: r.uint("falco_libs.thread_table_auto_purging_interval_s"),
            snaplen: match r.uint("falco_libs.snaplen") {
                0 => None,
                n => Some(u32::try_from(n).unwrap_or(u32::MAX)),
            },
        },
        capture: capture(r),
    };
    // Read for the warning their declaration gives; nothing else to do with them.
    for k in [
        "plugins_hostinfo",
        "buffer_format_base64",
        "metrics.plugins_metrics_enabled",
        "metrics.kernel_iter_event_counters_enabled",
        "metrics.jemalloc_stats_enabled",
        "falco_libs.thread_table_auto_purging_thread_timeout_s",
    ] {
        r.is_set(k);
    }
    Ok(Built { config, warnings })
}

fn rules_files(
    r: &Reader<'_>,
    file: &str,
    warnings: &mut Vec<String>,
) -> Result<Vec<PathBuf>, ConfigError> {
    let plural = r.is_set("rules_files");
    let singular = r.is_set("rules_file");
    if plural && singular {
        return Err(falco_error(
            file,
            "both 'rules_files' and 'rules_file' keys set",
        ));
    }
    let list = if singular {
        warnings.push(
            "Using deprecated config key 'rules_file' (singular form). Please use new \
             'rules_files' config key (plural form)."
                .to_string(),
        );
        r.strings("rules_file")
    } else {
        r.strings("rules_files")
    };
    Ok(list.into_iter().map(PathBuf::from).collect())
}

fn priority(r: &Reader<'_>, key: &str) -> Result<Priority, ConfigError> {
    let s = r.string(key);
    s.parse::<Priority>().map_err(|_| {
        invalid(
            r,
            key,
            "one of emergency, alert, critical, error, warning, notice, informational, debug",
            format!("'{s}'"),
        )
    })
}

/// Event-library severities onto falco's priorities.
fn libs_severity(s: &str) -> Priority {
    match s {
        "fatal" | "critical" => Priority::Critical,
        "error" => Priority::Error,
        "warning" => Priority::Warning,
        "notice" => Priority::Notice,
        "info" => Priority::Informational,
        _ => Priority::Debug,
    }
}

fn rules_selection(r: &Reader<'_>) -> Result<Vec<RuleSelection>, ConfigError> {
    let mut out = Vec::new();
    let Some(items) = r.node("rules").and_then(Node::as_seq) else {
        return Ok(out);
    };
    for (i, item) in items.iter().enumerate() {
        let bad = |why: &str| ConfigError::Type {
            at: item.at.to_string(),
            key: format!("rules[{i}]"),
            expected: "`enable: {rule: NAME}` or `disable: {tag: TAG}` (one of rule, tag)".into(),
            got: why.to_string(),
        };
        let (enable, body) = match (item.get("enable"), item.get("disable")) {
            (Some(e), None) => (true, e),
            (None, Some(d)) => (false, d),
            (Some(_), Some(_)) => return Err(bad("both enable and disable")),
            (None, None) => return Err(bad("neither enable nor disable")),
        };
        let text = |k: &str| {
            body.get(k)
                .and_then(Node::as_text)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let (rule, tag) = (text("rule"), text("tag"));
        if rule.is_none() && tag.is_none() {
            return Err(bad("no rule and no tag"));
        }
        out.push(RuleSelection { enable, rule, tag });
    }
    Ok(out)
}

fn append_output(
    r: &Reader<'_>,
    warnings: &mut Vec<String>,
) -> Result<Vec<AppendOutput>, ConfigError> {
    let mut out = Vec::new();
    let Some(items) = r.node("append_output").and_then(Node::as_seq) else {
        return Ok(out);
    };
    for (i, item) in items.iter().enumerate() {
        let m = item.get("match");
        let text = |n: Option<&Node>, k: &str| {
            n.and_then(|n| n.get(k))
                .and_then(Node::as_text)
                .unwrap_or("")
                .to_string()
        };
        let mut e = AppendOutput {
            source: text(m, "source"),
            tags: m
                .and_then(|m| m.get("tags"))
                .map(strings_of)
                .unwrap_or_default(),
            rule: text(m, "rule"),
            extra_output: text(Some(item), "extra_output"),
            suggested_output: item
                .get("suggested_output")
                .and_then(Node::as_text)
                .and_then(super::yaml::parse_bool)
                .unwrap_or(false),
            extra_fields: Vec::new(),
        };
        if let Some(f) = item.get("extra_fields") {
            e.extra_fields = extra_fields(f, i)?;
        }
        if !e.rule.is_empty() && !e.tags.is_empty() {
            warnings.push(format!(
                "An append_output entry specifies both a rule ({}) and a list of tags ({}). \
                 This means that output will be appended only to the {} rule and only if it has \
                 all the tags: {}.",
                e.rule,
                e.tags.join(", "),
                e.rule,
                e.tags.join(", ")
            ));
        }
        out.push(e);
    }
    Ok(out)
}

fn extra_fields(n: &Node, i: usize) -> Result<Vec<(String, ExtraField)>, ConfigError> {
    let bad = |at: &Node, got: String| ConfigError::Type {
        at: at.at.to_string(),
        key: format!("append_output[{i}].extra_fields"),
        expected: "a list of field names and {name: format} maps, each name once".into(),
        got,
    };
    let Some(items) = n.as_seq() else {
        return Err(bad(n, n.describe()));
    };
    let mut out: Vec<(String, ExtraField)> = Vec::new();
    for it in items {
        let (name, field) = match &it.value {
            Value::Scalar { text, .. } => (text.clone(), ExtraField::Raw),
            Value::Map(m) if m.len() == 1 && m[0].1.as_text().is_some() => (
                m[0].0.clone(),
                ExtraField::Format(m[0].1.as_text().unwrap_or("").to_string()),
            ),
            _ => return Err(bad(it, it.describe())),
        };
        if out.iter().any(|(k, _)| *k == name) {
            return Err(bad(it, format!("'{name}' a second time")));
        }
        out.push((name, field));
    }
    Ok(out)
}

fn static_fields(r: &Reader<'_>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = r
        .node("static_fields")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_text().unwrap_or("").to_string()))
        .collect();
    v.sort();
    v
}

/// The plugins selected, all built in.
struct Plugins<'a> {
    container: bool,
    /// The container plugin's init_config.
    container_init: Option<&'a Node>,
    /// The k8saudit plugin's settings (the `k8s_audit` source).
    k8saudit: Option<crate::source::k8saudit::AuditSettings>,
    /// (name, library_path) of each, in load order.
    selected: Vec<(String, String)>,
}

/// The plugins to load: `container` (its fields and runtime clients are built in), `k8saudit`
/// (the `k8s_audit` source) and `json` (its fields are built in); any other is refused.
fn plugins<'a>(r: &Reader<'a>) -> Result<Plugins<'a>, ConfigError> {
    let defined: Vec<&Node> = r
        .node("plugins")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .collect();
    let name_of = |p: &Node| {
        p.get("name")
            .and_then(Node::as_text)
            .unwrap_or("")
            .to_string()
    };
    let selected: Vec<(String, Option<&Node>)> = if r.is_set("load_plugins") {
        let mut v = Vec::new();
        for name in r.strings("load_plugins") {
            let def = defined.iter().copied().find(|p| name_of(p) == name);
            if def.is_none() {
                return Err(ConfigError::Falco(format!(
                    "Cannot load plugin '{name}': plugin config not found for given name"
                )));
            }
            v.push((name, def));
        }
        v
    } else {
        defined.iter().map(|p| (name_of(p), Some(*p))).collect()
    };
    let mut container = false;
    let mut init = None;
    let mut k8saudit = None;
    let names = selected
        .iter()
        .map(|(name, def)| {
            let lib = def
                .and_then(|d| d.get("library_path"))
                .and_then(Node::as_text)
                .unwrap_or("");
            (name.clone(), lib.to_string())
        })
        .collect();
    for (name, def) in selected {
        match name.as_str() {
            "k8saudit" => {
                k8saudit = Some(super::k8saudit::from_node(def)?);
                continue;
            }
            "json" => continue,
            _ => {}
        }
        if name != "container" {
            return Err(ConfigError::Refused {
                at: def.map(|d| d.at.to_string()).unwrap_or_default(),
                key: "load_plugins".into(),
                why: format!(
                    "plugin '{name}' cannot be loaded: this falco runs no plugins (the container, \
                     k8saudit and json plugins are built in)"
                ),
            });
        }
        container = true;
        init = def.and_then(|d| d.get("init_config"));
    }
    Ok(Plugins {
        container,
        container_init: init,
        k8saudit,
        selected: names,
    })
}

fn file_output(r: &Reader<'_>, file: &str) -> Result<FileOutputConfig, ConfigError> {
    let c = FileOutputConfig {
        enabled: r.bool("file_output.enabled"),
        keep_alive: r.bool("file_output.keep_alive"),
        filename: PathBuf::from(r.string("file_output.filename")),
        follow_symlinks: r.bool("file_output.follow_symlinks"),
    };
    if c.enabled && c.filename.as_os_str().is_empty() {
        return Err(falco_error(
            file,
            "file output enabled but no filename in configuration block",
        ));
    }
    Ok(c)
}

fn program_output(r: &Reader<'_>, file: &str) -> Result<ProgramOutputConfig, ConfigError> {
    let c = ProgramOutputConfig {
        enabled: r.bool("program_output.enabled"),
        keep_alive: r.bool("program_output.keep_alive"),
        program: r.string("program_output.program"),
    };
    if c.enabled && c.program.trim().is_empty() {
        return Err(falco_error(
            file,
            "program output enabled but no program in configuration block",
        ));
    }
    Ok(c)
}

fn http_output(r: &Reader<'_>, file: &str) -> Result<HttpOutputConfig, ConfigError> {
    let c = HttpOutputConfig {
        enabled: r.bool("http_output.enabled"),
        url: r.string("http_output.url"),
        user_agent: r.string("http_output.user_agent"),
        insecure: r.bool("http_output.insecure"),
        ca_cert: r.string("http_output.ca_cert"),
        ca_bundle: r.string("http_output.ca_bundle"),
        ca_path: r.string("http_output.ca_path"),
        mtls: r.bool("http_output.mtls"),
        client_cert: r.string("http_output.client_cert"),
        client_key: r.string("http_output.client_key"),
        echo: r.bool("http_output.echo"),
        compress_uploads: r.bool("http_output.compress_uploads"),
        keep_alive: r.bool("http_output.keep_alive"),
        max_consecutive_timeouts: r.uint("http_output.max_consecutive_timeouts"),
    };
    if c.enabled && c.url.is_empty() {
        return Err(falco_error(
            file,
            "http output enabled but no url in configuration block",
        ));
    }
    if c.enabled && !(c.url.starts_with("http://") || c.url.starts_with("https://")) {
        return Err(invalid(
            r,
            "http_output.url",
            "an http:// or https:// URL",
            format!("'{}'", c.url),
        ));
    }
    Ok(c)
}

fn webserver(r: &Reader<'_>, file: &str) -> Result<WebserverConfig, ConfigError> {
    let c = WebserverConfig {
        enabled: r.bool("webserver.enabled"),
        threadiness: r.uint("webserver.threadiness"),
        listen_address: r.string("webserver.listen_address"),
        listen_port: u16::try_from(r.uint("webserver.listen_port")).unwrap_or(0),
        k8s_healthz_endpoint: r.string("webserver.k8s_healthz_endpoint"),
        // The webserver serves /metrics only when metrics.enabled is on too, as Falco does.
        prometheus_metrics_enabled: r.bool("webserver.prometheus_metrics_enabled"),
        ssl_enabled: r.bool("webserver.ssl_enabled"),
        ssl_certificate: PathBuf::from(r.string("webserver.ssl_certificate")),
    };
    if c.listen_address.trim().parse::<std::net::IpAddr>().is_err() {
        return Err(falco_error(
            file,
            &format!(
                "webserver listen address \"{}\" is not a valid IP address",
                c.listen_address
            ),
        ));
    }
    if !c.k8s_healthz_endpoint.starts_with('/') {
        return Err(invalid(
            r,
            "webserver.k8s_healthz_endpoint",
            "a path starting with '/'",
            format!("'{}'", c.k8s_healthz_endpoint),
        ));
    }
    Ok(c)
}

fn drops(r: &Reader<'_>, file: &str) -> Result<DropsConfig, ConfigError> {
    let mut actions = Vec::new();
    for a in r.strings("syscall_event_drops.actions") {
        let act = match a.as_str() {
            "ignore" => DropAction::Ignore,
            "log" => DropAction::Log,
            "alert" => DropAction::Alert,
            "exit" => DropAction::Exit,
            _ => {
                return Err(falco_error(
                    file,
                    "available actions for syscall event drops are \"ignore\", \"log\", \
                     \"alert\", and \"exit\"",
                ));
            }
        };
        if matches!(act, DropAction::Log | DropAction::Alert)
            && actions.contains(&DropAction::Ignore)
        {
            return Err(falco_error(
                file,
                &format!(
                    "syscall event drop action \"{a}\" does not make sense with the \"ignore\" action"
                ),
            ));
        }
        actions.push(act);
    }
    if actions.is_empty() {
        actions.push(DropAction::Ignore);
    }
    actions.sort();
    actions.dedup();
    let threshold = r.float("syscall_event_drops.threshold");
    if !(0.0..=1.0).contains(&threshold) {
        return Err(falco_error(
            file,
            "syscall event drops threshold must be a double in the range [0, 1]",
        ));
    }
    Ok(DropsConfig {
        threshold,
        actions,
        rate: r.float("syscall_event_drops.rate"),
        max_burst: r.float("syscall_event_drops.max_burst"),
        simulate_drops: r.bool("syscall_event_drops.simulate_drops"),
    })
}

fn timeouts(r: &Reader<'_>, file: &str) -> Result<u64, ConfigError> {
    let n = r.uint("syscall_event_timeouts.max_consecutives");
    if n == 0 {
        return Err(ConfigError::Falco(format!(
            "Error reading config file({file}): the maximum consecutive timeouts without an \
             event must be an unsigned integer > 0"
        )));
    }
    Ok(n)
}

fn engine(r: &Reader<'_>, file: &str) -> Result<EngineConfig, ConfigError> {
    let kind_name = r.string("engine.kind");
    let kind = match kind_name.as_str() {
        "kmod" => EngineKind::Kmod,
        "modern_ebpf" => EngineKind::ModernEbpf,
        "replay" => EngineKind::Replay,
        "nodriver" => EngineKind::NoDriver,
        _ => {
            return Err(falco_error(
                file,
                &format!("engine.kind '{kind_name}' is not a valid kind."),
            ));
        }
    };
    let preset = |k: &str| u8::try_from(r.uint(k)).unwrap_or(0);
    let capture = r.string("engine.replay.capture_file");
    let e = EngineConfig {
        kind,
        kmod: DriverBuffers {
            buf_size_preset: preset("engine.kmod.buf_size_preset"),
            drop_failed_exit: r.bool("engine.kmod.drop_failed_exit"),
        },
        modern_ebpf: ModernEbpfConfig {
            buffers: DriverBuffers {
                buf_size_preset: preset("engine.modern_ebpf.buf_size_preset"),
                drop_failed_exit: r.bool("engine.modern_ebpf.drop_failed_exit"),
            },
            cpus_for_each_buffer: u32::try_from(r.uint("engine.modern_ebpf.cpus_for_each_buffer"))
                .unwrap_or(u32::MAX),
            disable_iterators: r.bool("engine.modern_ebpf.disable_iterators"),
        },
        replay_capture_file: (!capture.is_empty()).then(|| PathBuf::from(capture)),
        threads: u8::try_from(r.uint("engine.threads")).unwrap_or(0),
    };
    if kind == EngineKind::Replay && e.replay_capture_file.is_none() {
        return Err(falco_error(
            file,
            "engine.kind is 'replay' but no engine.replay.capture_file specified.",
        ));
    }
    Ok(e)
}

fn metrics(r: &Reader<'_>) -> Result<MetricsConfig, ConfigError> {
    let interval_text = r.string("metrics.interval");
    let file = r.string("metrics.output_file");
    let m = MetricsConfig {
        enabled: r.bool("metrics.enabled"),
        interval_ms: super::parse_duration_ms(&interval_text).unwrap_or(0),
        interval_text,
        output_rule: r.bool("metrics.output_rule"),
        output_file: (!file.is_empty()).then(|| PathBuf::from(file)),
        rules_counters_enabled: r.bool("metrics.rules_counters_enabled"),
        resource_utilization_enabled: r.bool("metrics.resource_utilization_enabled"),
        state_counters_enabled: r.bool("metrics.state_counters_enabled"),
        kernel_event_counters_enabled: r.bool("metrics.kernel_event_counters_enabled"),
        kernel_event_counters_per_cpu_enabled: r
            .bool("metrics.kernel_event_counters_per_cpu_enabled"),
        libbpf_stats_enabled: r.bool("metrics.libbpf_stats_enabled"),
        convert_memory_to_mb: r.bool("metrics.convert_memory_to_mb"),
        include_empty_values: r.bool("metrics.include_empty_values"),
    };
    if !m.enabled {
        return Ok(m);
    }
    if m.interval_ms < 100 {
        return Err(ConfigError::Falco(
            "Metrics interval must have a minimum value of 100ms and reflect a Prometheus \
             compliant time duration format: \
             https://prometheus.io/docs/prometheus/latest/querying/basics/#time-durations. "
                .into(),
        ));
    }
    if m.interval_text.trim().bytes().all(|b| b.is_ascii_digit()) {
        return Err(ConfigError::Falco(
            "Metrics interval was passed as numeric value without Prometheus time unit. Please \
             specify a time unit"
                .into(),
        ));
    }
    if !(m.output_rule || m.output_file.is_some() || r.bool("webserver.prometheus_metrics_enabled"))
    {
        return Err(ConfigError::Falco(
            "Metrics are enabled with no output configured. Please enable at least one output \
             channel ('metrics.output_rule', 'metrics.output_file' or \
             'webserver.prometheus_metrics_enabled')"
                .into(),
        ));
    }
    Ok(m)
}

fn capture(r: &Reader<'_>) -> CaptureConfig {
    CaptureConfig {
        enabled: r.bool("capture.enabled"),
        path_prefix: r.string("capture.path_prefix"),
        mode: match r.string("capture.mode").as_str() {
            "all_rules" => CaptureMode::AllRules,
            _ => CaptureMode::Rules,
        },
        default_duration_ms: r.uint("capture.default_duration"),
        max_file_size_mb: r.uint("capture.max_file_size_mb"),
    }
}
