//! Every falco.yaml key, declared once: path, type, default, documentation and whether this falco
//! implements it. The type check, the unknown-key warnings, docs/configuration.md's key reference
//! and `--config-schema` are all derived from this table (`schema.rs`); the values are read where
//! they are used (`model.rs`). Adding a key is one entry here plus the line that reads it.
//!
//! Defaults are the values of Falco's stock falco.yaml, which is what a Falco user runs with.

use super::schema::Key;
use super::schema::Kind::{self, *};
use super::schema::Status::{self, *};

const fn key(path: &'static str, kind: Kind, default: &'static str, doc: &'static str) -> Key {
    Key {
        path,
        kind,
        default,
        doc,
        status: Status::Honoured,
    }
}

const fn with(k: Key, status: Status) -> Key {
    Key {
        path: k.path,
        kind: k.kind,
        default: k.default,
        doc: k.doc,
        status,
    }
}

const U32: Kind = Int {
    min: 0,
    max: u32::MAX as i64,
};
const NUMBER: Kind = Float {
    min: f64::NEG_INFINITY,
    max: f64::INFINITY,
};
const GRPC_GONE: &str = "gRPC was removed from Falco in 0.44; http_output (for example to \
    Falcosidekick) replaces the gRPC output and API";

#[rustfmt::skip]
pub static KEYS: &[Key] = &[
    // ---- Files
    key("config_files", TextOrRecords, "[]", "More configuration files and directories (every file inside, in name order), merged into this one in order. An entry is a path or {path, strategy}. Missing paths are skipped."),
    key("config_files[].path", Str, "", "File or directory to include."),
    key("config_files[].strategy", Enum(&["append", "override", "add-only"]), "append", "append: lists are extended, other values replaced; override: values (lists too) replaced; add-only: only keys not set yet are added."),
    key("watch_config_files", Bool, "true", "Reload (as on SIGHUP) when a configuration or rules file changes; checked every second."),
    key("rules_files", StrList, "[/etc/falco/falco_rules.yaml, /etc/falco/falco_rules.local.yaml, /etc/falco/rules.d]", "Rules files and directories (their *.yaml/*.yml files in name order), loaded in order. -r replaces the list. A missing path is skipped with a warning; when no path exists at all the start fails (Falco would run without rules and say nothing)."),
    key("rules_file", StrList, "", "Deprecated spelling of rules_files (a warning); setting both is an error."),
    key("rules", Records, "[]", "Rule selection applied in order after loading: `- disable: {rule: NAME}`, `- enable: {tag: TAG}`. Rule names may use `*` wildcards. -D, -T and -t add to it."),
    key("rules[].enable", Section, "", "Enable the rules named `rule` or tagged `tag`."),
    key("rules[].enable.rule", Str, "", "Rule name; `*` matches any text."),
    key("rules[].enable.tag", Str, "", "Tag."),
    key("rules[].disable", Section, "", "Disable the rules named `rule` or tagged `tag`."),
    key("rules[].disable.rule", Str, "", "Rule name; `*` matches any text."),
    key("rules[].disable.tag", Str, "", "Tag."),
    // ---- Event source
    key("engine", Section, "", "Where events come from."),
    key("engine.kind", Str, "kmod", "kmod: the falco_probe kernel module; modern_ebpf: the CO-RE eBPF driver; replay: a capture file; nodriver: no syscall events (processes from /proc, container events from the runtimes). ebpf and gvisor are no longer shipped by Falco and are refused."),
    key("engine.threads", Int { min: 0, max: 2 }, "0", "Threads that handle syscall events. 1: one thread reads, inflates and decodes a capture, tracks state and matches rules; 2: the capture is read (a gzip one inflated) on a thread of its own, ahead of that thread, which also decodes events while the first thread is behind; 0: 2 when falco may run on two CPUs or more, else 1. Live (kmod, modern_ebpf): with 2 the driver's rings are drained on a thread of their own (`falco-ringreader`), into at most four batches of about 128 KiB of copied events ahead of the event thread; with 1 the event thread reads them in place. The alerts are the same; at the end of a replay, log_level debug logs how many events the second thread decoded; the start-up log line \"Opened ...\" says how a driver is read."),
    key("engine.kmod", Section, "", "Kernel module settings."),
    key("engine.kmod.buf_size_preset", Int { min: 0, max: 10 }, "4", "Ring buffer size per CPU: 1 = 1 MiB, 2 = 2 MiB, 3 = 4 MiB, 4 = 8 MiB ... 10 = 512 MiB. The probe sizes its rings when it loads; falco warns when the loaded probe differs."),
    key("engine.kmod.drop_failed_exit", Bool, "false", "Drop the exit events of syscalls that failed, in the kernel."),
    key("engine.modern_ebpf", Section, "", "CO-RE eBPF driver settings."),
    key("engine.modern_ebpf.cpus_for_each_buffer", U32, "2", "One ring buffer shared by this many CPUs (0: one buffer for all CPUs; more than the online CPUs means one buffer)."),
    key("engine.modern_ebpf.buf_size_preset", Int { min: 0, max: 10 }, "4", "Ring buffer size, as engine.kmod.buf_size_preset."),
    key("engine.modern_ebpf.drop_failed_exit", Bool, "false", "Drop the exit events of syscalls that failed, in the kernel."),
    key("engine.modern_ebpf.disable_iterators", Bool, "false", "Do not use BPF iterators to read the initial process table. This falco always reads it from /proc, so either value gives the same tables."),
    key("engine.replay", Section, "", "Replay settings."),
    key("engine.replay.capture_file", Str, "", "The capture (scap, plain or gzip) read when engine.kind is replay. -e FILE sets it."),
    with(key("engine.ebpf", Section, "", "Falco's legacy eBPF probe."), Ignored("Falco 0.44 no longer ships the legacy eBPF probe; use engine.kind modern_ebpf")),
    with(key("engine.gvisor", Section, "", "Falco's gVisor engine."), Ignored("Falco 0.44 no longer ships the gVisor engine")),
    key("capture", Section, "", "Write a capture file around alerts."),
    key("capture.enabled", Bool, "false", "Capture on alerts."),
    key("capture.path_prefix", Str, "/tmp/falco", "Captures are written to PREFIX_<event time ns>_<event number>.scap (gzip)."),
    key("capture.mode", Enum(&["rules", "all_rules"]), "rules", "rules: rules with `capture: true` start a capture; all_rules: every alert does."),
    key("capture.default_duration", U32, "5000", "Milliseconds of events captured after an alert (event time), unless the rule sets capture_duration; later alerts extend it."),
    key("capture.max_file_size_mb", Int { min: 0, max: 1_048_576, }, "0", "Close a capture at this size (0: no limit) and raise \"Falco internal: capture size limit reached\". Counted on the events written, before compression."),
    // ---- Plugins
    key("load_plugins", StrList, "[]", "Plugins to load, by name. `container`, `k8saudit` (the `k8s_audit` source, docs/k8s-audit.md) and `json` are accepted: they are built into this falco; any other plugin is an error."),
    key("plugins", Records, "[]", "Plugin definitions (name, library_path, init_config, open_params). Without load_plugins every defined plugin is loaded."),
    key("plugins[].name", Str, "", "Plugin name."),
    key("plugins[].library_path", Str, "", "Shared library."),
    key("plugins[].init_config", Any, "", "Plugin configuration (a map, or JSON text). For the container plugin: label_max_len and engines (as container_engines) are honoured."),
    key("plugins[].open_params", Str, "", "Plugin open parameters."),
    key("plugins_hostinfo", Bool, "true", "Give plugins host information. No plugin runs, so there is nothing to give."),
    // ---- Alert format
    key("time_format_iso_8601", Bool, "false", "ISO 8601 times in alerts and in falco's log."),
    with(key("buffer_format_base64", Bool, "false", "Print data buffers (evt.buffer, evt.arg.data) in base64."), Unsupported("data buffers are printed as text")),
    key("priority", EnumNoCase(&[ "emergency", "alert", "critical", "error", "warning", "notice", "informational", "info", "debug", ]), "debug", "Load only rules at least this severe."),
    key("json_output", Bool, "false", "Alerts as JSON objects."),
    key("json_include_output_property", Bool, "true", "JSON: include `output` (the text line)."),
    key("json_include_message_property", Bool, "false", "JSON: include `message` (the output without time and priority)."),
    key("json_include_output_fields_property", Bool, "true", "JSON: include `output_fields`."),
    key("json_include_tags_property", Bool, "true", "JSON: include `tags`."),
    key("buffered_outputs", Bool, "false", "Let outputs buffer writes; -U forces unbuffered."),
    key("rule_matching", EnumNoCase(&["first", "all"]), "first", "first: one alert per event, from the first matching rule; all: every matching rule."),
    key("outputs_queue", Section, "", "The queue in front of each output channel."),
    key("outputs_queue.capacity", Int { min: 0, max: i64::MAX, }, "0", "Alerts queued per channel; 0 means no limit on the count, as in Falco. Each queue also holds at most 16 MiB of alert text, whatever the capacity. A full queue drops the alert for that channel, counted and logged."),
    key("outputs", Section, "", "Rate limit on alerts (this falco's addition; Falco dropped it)."),
    key("outputs.rate", Float { min: 0.0, max: 1e9 }, "0", "Alerts per second of event time (token bucket); 0 disables the limit. Limited alerts are counted, not sent."),
    key("outputs.max_burst", Float { min: 0.0, max: 1e12, }, "1000", "Bucket size."),
    key("append_output", Records, "[]", "Text and fields added to the output of the rules an entry matches (by source, tags, rule)."),
    key("append_output[].match", Section, "", "Which rules: all when empty."),
    key("append_output[].match.source", Str, "", "Event source (syscall)."),
    key("append_output[].match.tags", StrList, "", "Rules having all these tags."),
    key("append_output[].match.rule", Str, "", "The rule of this name."),
    key("append_output[].extra_output", Str, "", "Format appended to the output (%fields allowed)."),
    key("append_output[].extra_fields", Any, "", "Fields added to output_fields (JSON): `name` (the field's value) or `{key: format}` (the rendered format)."),
    key("append_output[].suggested_output", Bool, "false", "Append the suggested fields: static_fields, and with the container plugin loaded container_id, container_name, container_image_repository, container_image_tag, k8s_pod_name, k8s_ns_name."),
    key("static_fields", StrMap, "{}", "Fields with fixed values, `%static.NAME` in append_output formats (and suggested with suggested_output)."),
    // ---- Output channels
    key("stdout_output", Section, "", "Alerts on standard output."),
    key("stdout_output.enabled", Bool, "true", "Enabled."),
    key("syslog_output", Section, "", "Alerts to syslog (facility user, the rule priority as severity)."),
    key("syslog_output.enabled", Bool, "true", "Enabled."),
    key("syslog_output.socket", Str, "/dev/log", "The syslog socket, also used by log_syslog (this falco's addition)."),
    key("file_output", Section, "", "Alerts appended to a file; SIGUSR1 reopens it."),
    key("file_output.enabled", Bool, "false", "Enabled."),
    key("file_output.keep_alive", Bool, "false", "Keep the file open between alerts."),
    key("file_output.filename", Str, "./events.txt", "The file, created 0600 and never opened through a symbolic link (a link here stops the start, unless follow_symlinks). A write cut short by a full disk is truncated back to the last whole line and its alerts counted as failed."),
    key("file_output.follow_symlinks", Bool, "false", "This falco's addition. A symbolic link at filename is read once at start and its target written (created if missing; a link to a link is still refused). By default a link is refused, so that whoever can place one cannot choose what falco, running as root, writes to."),
    key("http_output", Section, "", "Each alert POSTed to a URL (JSON with json_output, else text)."),
    key("http_output.enabled", Bool, "false", "Enabled."),
    key("http_output.url", Str, "", "http:// or https:// URL."),
    key("http_output.user_agent", Str, "falcosecurity/falco", "User-Agent header."),
    key("http_output.insecure", Bool, "false", "Skip TLS verification."),
    key("http_output.ca_cert", Str, "", "CA certificate file."),
    key("http_output.ca_bundle", Str, "", "CA bundle file."),
    key("http_output.ca_path", Str, "/etc/ssl/certs", "CA certificates directory."),
    key("http_output.mtls", Bool, "false", "Present a client certificate."),
    key("http_output.client_cert", Str, "/etc/ssl/certs/client.crt", "Client certificate (mtls)."),
    key("http_output.client_key", Str, "/etc/ssl/certs/client.key", "Client key (mtls)."),
    key("http_output.echo", Bool, "false", "Print the server's answers on stdout."),
    with(key("http_output.compress_uploads", Bool, "false", "Compress request bodies."), Unsupported("bodies are sent uncompressed")),
    key("http_output.keep_alive", Bool, "false", "Reuse connections."),
    key("http_output.max_consecutive_timeouts", Int { min: 0, max: 255 }, "5", "Retries of a request that timed out."),
    key("program_output", Section, "", "Alerts to a shell command's standard input; SIGUSR1 restarts it."),
    key("program_output.enabled", Bool, "false", "Enabled."),
    key("program_output.keep_alive", Bool, "false", "Keep one command running for all alerts (else one per alert)."),
    key("program_output.program", Str, "", "The command."),
    with(key("grpc_output", Section, "", "Falco's gRPC output."), Ignored(GRPC_GONE)),
    with(key("grpc_output.enabled", Bool, "false", "Enabled."), Refused(GRPC_GONE)),
    with(key("grpc", Section, "", "Falco's gRPC server."), Ignored(GRPC_GONE)),
    with(key("grpc.enabled", Bool, "false", "Enabled."), Refused(GRPC_GONE)),
    // ---- Webserver
    key("webserver", Section, "", "The embedded webserver: health endpoint, /versions and Prometheus /metrics."),
    key("webserver.enabled", Bool, "true", "Enabled."),
    key("webserver.threadiness", U32, "0", "Server threads (0: one per CPU), at most 4; connections never get a thread of their own (limits under Webserver limits)."),
    key("webserver.listen_port", Int { min: 0, max: 65535 }, "8765", "Port (0: any free port, logged)."),
    key("webserver.listen_address", Str, "0.0.0.0", "IP address to listen on."),
    key("webserver.k8s_healthz_endpoint", Str, "/healthz", "Health endpoint path."),
    key("webserver.prometheus_metrics_enabled", Bool, "false", "Serve /metrics (with metrics.enabled, as Falco requires both)."),
    key("webserver.ssl_enabled", Bool, "false", "Serve HTTPS instead of HTTP, with the key and certificate chain of ssl_certificate."),
    key("webserver.ssl_certificate", Str, "/etc/falco/falco.pem", "One PEM file holding the private key and the certificate chain, as Falco's (ssl_enabled)."),
    // ---- falco's own log
    key("log_stderr", Bool, "true", "Log to standard error."),
    key("log_syslog", Bool, "true", "Log to syslog."),
    key("log_level", Enum(&[ "emergency", "alert", "critical", "error", "warning", "notice", "info", "debug", ]), "info", "Least severe log message shown."),
    key("libs_logger", Section, "", "Messages of the event library (decoding and capture problems), logged with a `[libs]: ` prefix."),
    key("libs_logger.enabled", Bool, "true", "Enabled."),
    key("libs_logger.severity", Enum(&[ "fatal", "critical", "error", "warning", "notice", "info", "debug", "trace", ]), "info", "Least severe message logged."),
    key("output_timeout", Int { min: 1, max: 3_600_000, }, "2000", "Milliseconds. A slower delivery is logged; at exit a channel still busy after this long is given up: what it still held is counted as dropped (and as given_up), and program outputs still running are ended."),
    // ---- Drops and timeouts
    key("syscall_event_timeouts", Section, "", "Live capture: reads that found no event."),
    key("syscall_event_timeouts.max_consecutives", U32, "1000", "Empty reads in a row before \"Falco internal: timeouts notification\" (must be > 0)."),
    key("syscall_event_drops", Section, "", "What to do when the driver drops events (checked once a second of event time)."),
    key("syscall_event_drops.threshold", NUMBER, ".1", "Share of dropped events in the last second above which the actions run (0 to 1)."),
    key("syscall_event_drops.actions", StrList, "[log, alert]", "ignore, log (a debug log line), alert (\"Falco internal: syscall event drop\", priority debug), exit (stop falco)."),
    key("syscall_event_drops.rate", NUMBER, ".03333", "Actions per second (token bucket)."),
    key("syscall_event_drops.max_burst", NUMBER, "1", "Bucket size."),
    key("syscall_event_drops.simulate_drops", Bool, "false", "Act as if every check found drops (the threshold does not apply): for testing the actions."),
    // ---- Metrics
    key("metrics", Section, "", "Periodic metrics: the \"Falco internal: metrics snapshot\" alert, a JSON lines file, Prometheus /metrics."),
    key("metrics.enabled", Bool, "false", "Enabled."),
    key("metrics.interval", Duration, "1h", "Period, as a Prometheus duration (15s, 1m, 1h30m; at least 100ms)."),
    key("metrics.output_rule", Bool, "true", "Send snapshots as the alert \"Falco internal: metrics snapshot\"."),
    key("metrics.output_file", Str, "", "Also append snapshots as JSON lines to this file."),
    key("metrics.rules_counters_enabled", Bool, "true", "Matches per rule."),
    key("metrics.resource_utilization_enabled", Bool, "true", "CPU and memory of falco and the host."),
    key("metrics.state_counters_enabled", Bool, "true", "Thread, fd and container table counters."),
    key("metrics.kernel_event_counters_enabled", Bool, "true", "Driver event and drop counters."),
    key("metrics.kernel_event_counters_per_cpu_enabled", Bool, "false", "The same per CPU."),
    key("metrics.libbpf_stats_enabled", Bool, "true", "libbpf statistics of the eBPF driver (none with kmod or replay, as in Falco)."),
    key("metrics.plugins_metrics_enabled", Bool, "true", "Plugin metrics (no plugin runs)."),
    key("metrics.kernel_iter_event_counters_enabled", Bool, "true", "BPF iterator counters of the eBPF driver (none with kmod or replay)."),
    with(key("metrics.jemalloc_stats_enabled", Bool, "false", "jemalloc allocator statistics."), Unsupported("falco does not use jemalloc")),
    key("metrics.convert_memory_to_mb", Bool, "true", "Snapshots: memory in MB (Prometheus always uses bytes)."),
    key("metrics.include_empty_values", Bool, "false", "Snapshots and rule counters: include zero values."),
    // ---- Capture
    key("base_syscalls", Section, "", "Which syscalls live capture asks the driver for besides those the rules need."),
    key("base_syscalls.custom_set", StrList, "[]", "Replaces the state-tracking set (`!name` removes a name)."),
    key("base_syscalls.repair", Bool, "false", "Add the state-tracking syscalls back to custom_set."),
    key("base_syscalls.all", Bool, "false", "Capture every syscall, the high-volume ones too (as -A)."),
    key("falco_libs", Section, "", "State tables and capture."),
    key("falco_libs.thread_table_size", Int { min: 0, max: u32::MAX as i64, }, "262144", "Most threads tracked; a full table drops new threads, counted (0: the built-in default)."),
    key("falco_libs.thread_table_auto_purging_interval_s", U32, "300", "Seconds between sweeps that forget threads which exited unseen (live capture)."),
    with(key("falco_libs.thread_table_auto_purging_thread_timeout_s", U32, "300", "Seconds a thread may go unseen before a sweep may forget it."), Unsupported("sweeps forget a thread once /proc shows it gone twice in a row, whatever its age")),
    key("falco_libs.snaplen", U32, "80", "Bytes of I/O buffers captured (live; -S overrides; 0: the driver's default)."),
    key("container_engines", Any, "", "Container runtimes asked for container names, images and labels (Falco 0.40's form): docker, podman, containerd and cri, each with `enabled` and `sockets`; lxc, libvirt_lxc and bpm are accepted and have no client. The container plugin's init_config.engines wins where both are given."),
    with(key("syscall_buf_size_preset", Int { min: 0, max: 10 }, "", "Removed in Falco 0.38."), Ignored("use engine.kmod.buf_size_preset")),
    with(key("syscall_drop_failed_exit", Bool, "", "Removed in Falco 0.38."), Ignored("use engine.kmod.drop_failed_exit")),
    with(key("modern_bpf", Section, "", "Removed in Falco 0.38."), Ignored("use engine.modern_ebpf")),
];
