//! The daemon from start to exit: options and configuration, rules, output channels, webserver,
//! signals, the pipeline, then flushing and the exit summary.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};
use crossbeam_channel::{Receiver, bounded, unbounded};

use crate::alert::Alert;
use crate::capture_writer::CaptureWriter;
use crate::cli::Options;
use crate::config::EngineKind;
use crate::detector::{self, sha256_hex};
use crate::drop_monitor::DropMonitor;
use crate::listing;
use crate::logger;
use crate::metrics::{self, Info};
use crate::outputs::Outputs;
use crate::pipeline::{Matching, Pipeline, StopReason};
use crate::priority::Priority;
use crate::reload::{self, Reloaded};
use crate::signals::SignalThread;
use crate::source::EventSource;
use crate::source::live::{Driver, LiveSettings, LiveSource};
use crate::source::replay::ReplaySource;
use crate::stats::{Stats, StatsFile};
use crate::webserver::Webserver;
use falco_engine::capture::select::Selection;

/// The hostname in alerts: FALCO_HOSTNAME when set, as Falco does.
pub fn hostname() -> String {
    if let Ok(h) = std::env::var("FALCO_HOSTNAME")
        && !h.is_empty()
    {
        return h;
    }
    nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .unwrap_or_else(|| "localhost".into())
}

fn kernel_release() -> String {
    nix::sys::utsname::uname()
        .map(|u| u.release().to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Prints to stdout; a closed pipe is not an error worth more than a quiet exit.
fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

/// The options that print something and exit.
fn run_listing(opts: &Options) -> Result<ExitCode> {
    // JSON variants follow json_output; a broken configuration should not stop --version.
    let loaded = reload::load_config(opts);
    let json = loaded
        .as_ref()
        .map(|l| l.config.json_output)
        .unwrap_or(false);
    if opts.version {
        print(&listing::version(json));
        return Ok(ExitCode::SUCCESS);
    }
    if opts.support {
        let loaded = loaded?;
        let files = reload::rules_files(opts, &loaded);
        let v = serde_json::json!({
            "version": listing::versions_json(),
            "system_info": {"hostname": hostname(), "kernel_release": kernel_release(), "machine": std::env::consts::ARCH},
            "cmdline": std::env::args().collect::<Vec<_>>().join(" "),
            "config": loaded.text,
            "config_file": loaded.path.as_ref().map(|p| p.display().to_string()),
            "rules_files": detector::rules_file_digests(&files).into_iter().map(|(n, s)| serde_json::json!({"name": n, "sha256": s})).collect::<Vec<_>>(),
        });
        print(&format!("{v:#}\n"));
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(src) = &opts.list_fields {
        match listing::list_fields(src, opts.names_only, opts.markdown) {
            Ok(s) => {
                print(&s);
                return Ok(ExitCode::SUCCESS);
            }
            Err(e) => bail!(e),
        }
    }
    if opts.list_events {
        print(&listing::list_events(opts.markdown));
        return Ok(ExitCode::SUCCESS);
    }
    if opts.print_ignored {
        print(&listing::ignored_events());
        return Ok(ExitCode::SUCCESS);
    }
    if !opts.validate.is_empty() {
        let (report, ok) = listing::validate(&opts.validate, json);
        print(&report);
        return Ok(if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let loaded = loaded?;
    let files = reload::rules_files(opts, &loaded);
    let (engine, warnings) =
        detector::load_for_listing(&loaded.config, &files, &reload::selection(opts))
            .map_err(|e| anyhow::anyhow!("Error loading rules:\n{e}"))?;
    for w in warnings {
        eprintln!("{w}");
    }
    if opts.describe_all {
        print(&listing::describe_all(&engine, json));
    } else if let Some(name) = &opts.describe_rule {
        match listing::describe_rule(&engine, name, json) {
            Some(s) => print(&s),
            None => bail!("rule '{name}' is not loaded"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Removes the pid file at exit.
struct PidFile(PathBuf);

impl PidFile {
    fn write(path: &Path) -> Result<PidFile> {
        std::fs::write(path, format!("{}\n", std::process::id()))
            .with_context(|| format!("cannot write pid file {}", path.display()))?;
        Ok(PidFile(path.to_path_buf()))
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The host's root filesystem: HOST_ROOT when falco runs in a container with the host mounted
/// there (as Falco's images do), else "/".
fn host_root() -> PathBuf {
    match std::env::var_os("HOST_ROOT") {
        Some(r) if !r.is_empty() => PathBuf::from(r),
        _ => PathBuf::from("/"),
    }
}

fn open_source(
    r: &Reloaded,
    opts: &Options,
    detector: &crate::detector::Detector,
    state: &mut falco_engine::state::State,
) -> Result<Box<dyn EventSource>> {
    let e = &r.loaded.config.engine;
    match e.kind {
        EngineKind::Replay => {
            let path = e
                .replay_capture_file
                .as_ref()
                .expect("validated: replay has a capture file");
            logger::info(&format!(
                "Reading events from capture file {}",
                path.display()
            ));
            let s = ReplaySource::open(path)
                .with_context(|| format!("cannot replay {}", path.display()))?;
            Ok(Box::new(s))
        }
        EngineKind::Nodriver => {
            let root = host_root();
            let s = crate::source::nodriver::NodriverSource::open(&root, state);
            Ok(with_container_metadata(
                Box::new(s),
                &r.loaded.config.container_engines,
                &root,
            ))
        }
        EngineKind::Kmod | EngineKind::ModernEbpf => {
            let c = &r.loaded.config;
            let ebpf = e.kind == EngineKind::ModernEbpf;
            let settings = LiveSettings {
                driver: if ebpf {
                    Driver::ModernEbpf {
                        cpus_for_each_buffer: e.ebpf_cpus_for_each_buffer,
                    }
                } else {
                    Driver::Kmod
                },
                host_root: host_root(),
                snaplen: opts.snaplen,
                selection: Selection {
                    all: opts.all_events,
                    custom_set: c.base_syscalls_custom_set.clone(),
                    repair: c.base_syscalls_repair,
                },
                drop_failed: if ebpf {
                    e.ebpf_drop_failed_exit
                } else {
                    e.kmod_drop_failed_exit
                },
                buf_size_preset: if ebpf {
                    e.ebpf_buf_size_preset
                } else {
                    e.kmod_buf_size_preset
                },
            };
            let (required, generic) = detector.live_requirements();
            let s = LiveSource::open(&settings, &required, &generic, state)
                .context("cannot start live capture")?;
            Ok(with_container_metadata(
                Box::new(s),
                &c.container_engines,
                &settings.host_root,
            ))
        }
    }
}

/// A live source with the container runtimes' metadata, when any configured runtime socket exists.
fn with_container_metadata(
    source: Box<dyn EventSource>,
    cfg: &falco_runtimes::EnginesConfig,
    host_root: &std::path::Path,
) -> Box<dyn EventSource> {
    let endpoints = cfg.endpoints(host_root);
    if endpoints.is_empty() {
        logger::info("No container runtime socket found: container names and images stay <NA>");
        return source;
    }
    for e in &endpoints {
        logger::info(&format!(
            "Container metadata from {} at {}",
            e.kind.name(),
            e.socket.display()
        ));
    }
    let log: falco_runtimes::LogFn = Arc::new(|level, msg: &str| match level {
        falco_runtimes::Level::Warning => logger::warning(msg),
        falco_runtimes::Level::Info => logger::info(msg),
        falco_runtimes::Level::Debug => logger::debug(msg),
    });
    match falco_runtimes::Resolver::start(endpoints, cfg, log) {
        Ok(r) => Box::new(crate::source::containers::ContainerSource::new(source, r)),
        Err(e) => {
            logger::error(&format!(
                "cannot start the container metadata thread: {e}; container names and images stay <NA>"
            ));
            source
        }
    }
}

/// Modification times of the configuration and rules files (watch_config_files).
fn watched_mtimes(paths: &[PathBuf]) -> Vec<Option<SystemTime>> {
    let mut warnings = Vec::new();
    let files =
        falco_engine::rules::expand_paths(&detector::existing_rules_paths(paths, &mut warnings))
            .unwrap_or_default();
    files
        .iter()
        .chain(paths.iter())
        .map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .collect()
}

/// The periodic work besides events: the -s statistics file, metrics snapshots, and watching the
/// configuration and rules files. Ends when `done` is dropped.
struct Ticker {
    done: Option<crossbeam_channel::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Option<StatsFile>>>,
}

struct TickerSettings {
    stats_file: Option<StatsFile>,
    stats_every: Duration,
    metrics: Option<(crate::config::MetricsConfig, Arc<Info>)>,
    watch: Vec<PathBuf>,
    internal: crossbeam_channel::Sender<Alert>,
    format: crate::alert::AlertFormat,
}

impl Ticker {
    fn start(stats: Arc<Stats>, mut s: TickerSettings) -> Ticker {
        let (done_tx, done_rx) = bounded::<()>(0);
        let thread = std::thread::Builder::new()
            .name("ticker".into())
            .spawn(move || {
                let start = Instant::now();
                let mut next_stats = start + s.stats_every;
                let mut next_metrics = s
                    .metrics
                    .as_ref()
                    .map(|(m, _)| start + Duration::from_millis(m.interval_ms));
                let mut mtimes = watched_mtimes(&s.watch);
                let mut next_watch = start + Duration::from_secs(1);
                loop {
                    let mut wake = next_watch;
                    if s.stats_file.is_some() {
                        wake = wake.min(next_stats);
                    }
                    if let Some(n) = next_metrics {
                        wake = wake.min(n);
                    }
                    let wait = wake.saturating_duration_since(Instant::now());
                    match done_rx.recv_timeout(wait) {
                        Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                        _ => return s.stats_file,
                    }
                    let now = Instant::now();
                    if now >= next_stats {
                        if let Some(f) = s.stats_file.as_mut()
                            && let Err(e) = f.write(&stats)
                        {
                            logger::error(&format!("cannot write statistics: {e}"));
                        }
                        next_stats = now + s.stats_every;
                    }
                    if let (Some(n), Some((m, info))) = (next_metrics, s.metrics.as_ref())
                        && now >= n
                    {
                        metrics_snapshot(&stats, m, info, &s.internal, &s.format);
                        next_metrics = Some(now + Duration::from_millis(m.interval_ms));
                    }
                    if now >= next_watch && !s.watch.is_empty() {
                        let m = watched_mtimes(&s.watch);
                        if m != mtimes {
                            mtimes = m;
                            logger::info("A configuration or rules file changed");
                            // The same path as SIGHUP, handled on the signal thread.
                            // SAFETY: raise has no preconditions.
                            unsafe {
                                libc::raise(libc::SIGHUP);
                            }
                        }
                        next_watch = now + Duration::from_secs(1);
                    }
                }
            })
            .expect("spawning the ticker");
        Ticker {
            done: Some(done_tx),
            thread: Some(thread),
        }
    }

    fn stop(mut self) -> Option<StatsFile> {
        drop(self.done.take());
        self.thread.take().and_then(|t| t.join().ok()).flatten()
    }
}

fn metrics_snapshot(
    stats: &Stats,
    m: &crate::config::MetricsConfig,
    info: &Info,
    internal: &crossbeam_channel::Sender<Alert>,
    format: &crate::alert::AlertFormat,
) {
    let fields = metrics::snapshot_fields(stats, info, m);
    let now = crate::stats::now_ns();
    if let Some(path) = &m.output_file {
        let line = serde_json::json!({
            "hostname": info.hostname,
            "output": "Falco metrics snapshot",
            "output_fields": fields,
            "priority": "Informational",
            "rule": "Falco internal: metrics snapshot",
            "source": "internal",
            "time": crate::alert::rfc3339_utc(now),
        });
        let r = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| writeln!(f, "{line}"));
        if let Err(e) = r {
            logger::error(&format!("cannot write metrics to {}: {e}", path.display()));
        }
    }
    if m.output_rule {
        let mut f = format.clone();
        // The snapshot alert is always JSON-shaped in Falco when json_output is on; text otherwise.
        f.time_format_iso_8601 = format.time_format_iso_8601;
        let a = f.internal(
            now,
            Priority::Informational,
            "Falco internal: metrics snapshot",
            "Falco metrics snapshot",
            fields,
        );
        let _ = internal.try_send(a);
    }
}

pub fn run(opts: Options) -> Result<ExitCode> {
    opts.validate()?;
    if opts.is_listing() {
        return run_listing(&opts);
    }
    let host = hostname();
    let mut first = reload::build(&opts, &host)?;
    let cfg = first.loaded.config.clone();
    logger::configure(
        cfg.log_level,
        cfg.log_stderr,
        cfg.log_syslog.then_some(cfg.syslog_socket.as_path()),
        cfg.time_format_iso_8601,
    );
    logger::info(&format!(
        "Falco version: {} ({})",
        listing::FALCO_VERSION,
        std::env::consts::ARCH
    ));
    match &first.loaded.path {
        Some(p) => logger::info(&format!(
            "Falco initialized with configuration file: {}",
            p.display()
        )),
        None => logger::info("Falco initialized with the built-in default configuration"),
    }
    for f in &first.rules_files {
        logger::info(&format!("Loading rules from: {}", f.display()));
    }
    for w in &first.warnings {
        logger::warning(w);
    }
    let detector = first.detector.take().expect("freshly built");
    logger::info(&format!("{} rules loaded", detector.rule_count()));
    if opts.verbose {
        for (r, enabled) in detector.engine().rules() {
            if enabled {
                logger::info(&format!("Rule: {} ({})", r.name, r.priority.name()));
            }
        }
    }
    if opts.dry_run {
        logger::info("Dry run: configuration and rules are valid; not processing events");
        return Ok(ExitCode::SUCCESS);
    }

    if opts.daemon {
        // Before any thread starts: fork keeps only the calling thread.
        nix::unistd::daemon(true, false).context("cannot daemonize")?;
    }
    let _pidfile = opts.pidfile.as_deref().map(PidFile::write).transpose()?;

    let stats = Arc::new(Stats::default());
    // Signals are handled from here on (a SIGHUP must never kill falco, even while it opens the
    // capture, which blocks on a FIFO until data arrives).
    let stop = Arc::new(AtomicBool::new(false));
    let (ctl_tx, ctl_rx) = unbounded();
    let reload_opts = opts.clone();
    let reload_stats = stats.clone();
    let reload_host = host.clone();
    let signals =
        SignalThread::start(
            stop.clone(),
            stats.clone(),
            ctl_tx,
            move || match reload::build(&reload_opts, &reload_host) {
                Ok(r) => {
                    let c = &r.loaded.config;
                    logger::configure(
                        c.log_level,
                        c.log_stderr,
                        c.log_syslog.then_some(c.syslog_socket.as_path()),
                        c.time_format_iso_8601,
                    );
                    for w in &r.warnings {
                        logger::warning(w);
                    }
                    Some(r)
                }
                Err(e) => {
                    reload_stats.reload_failures.fetch_add(1, Ordering::Relaxed);
                    logger::error(&format!(
                        "Reload failed, keeping the running configuration and rules: {e:#}"
                    ));
                    None
                }
            },
        )
        .context("cannot install signal handlers")?;

    let mut state = falco_engine::state::State::default();
    let source = open_source(&first, &opts, &detector, &mut state)?;
    let table = stats.install_rules(std::mem::take(&mut first.rule_table));

    let info = Arc::new(Info {
        version: listing::FALCO_VERSION.to_string(),
        hostname: host.clone(),
        engine_name: source.name().to_string(),
        kernel_release: kernel_release(),
        rules_files: detector::rules_file_digests(&first.rules_files),
        config_files: first
            .loaded
            .path
            .as_ref()
            .map(|p| {
                vec![(
                    detector::file_name(p),
                    sha256_hex(first.loaded.text.as_bytes()),
                )]
            })
            .unwrap_or_default(),
    });

    let _webserver = if cfg.webserver.enabled {
        let w = Webserver::start(
            &cfg.webserver,
            cfg.metrics.clone(),
            stats.clone(),
            info.clone(),
            listing::versions_json().to_string(),
        )?;
        logger::info(&format!(
            "Starting health webserver, listening on {}",
            w.addr
        ));
        Some(w)
    } else {
        None
    };

    let capture = opts
        .write_capture
        .as_deref()
        .map(CaptureWriter::create)
        .transpose()?;

    let outputs = Outputs::start(
        std::mem::take(&mut first.built_channels),
        &first.channels.options,
        &stats.outputs,
    );
    logger::info(&format!("Enabled outputs: {}", outputs.names().join(", ")));

    let (internal_tx, internal_rx): (_, Receiver<Alert>) = bounded(64);
    let stats_file = opts
        .stats_file
        .as_deref()
        .map(|p| StatsFile::open(p).with_context(|| format!("cannot open {}", p.display())))
        .transpose()?;
    let mut watch = Vec::new();
    if cfg.watch_config_files {
        watch.extend(first.loaded.path.clone());
        watch.extend(first.rules_files.clone());
    }
    let ticker = Ticker::start(
        stats.clone(),
        TickerSettings {
            stats_file,
            stats_every: Duration::from_millis(opts.stats_interval),
            metrics: cfg
                .metrics
                .enabled
                .then(|| (cfg.metrics.clone(), info.clone())),
            watch,
            internal: internal_tx,
            format: first.alert_format.clone(),
        },
    );

    let started = Instant::now();
    let mut pipeline = Pipeline {
        source,
        state,
        matching: Matching::new(&first, table, detector),
        outputs,
        channels: first.channels.clone(),
        stats: stats.clone(),
        control: ctl_rx,
        stop: stop.clone(),
        capture,
        drops: DropMonitor::new(cfg.syscall_event_drops.clone()),
        internal: internal_rx,
        duration: opts.duration,
        max_idle: cfg.syscall_event_timeouts_max_consecutives,
        output_timeout: Duration::from_millis(cfg.output_timeout_ms),
    };
    let result = pipeline.run();
    let elapsed = started.elapsed();

    // -M with a capture: stay up (webserver, signals) until the duration has passed, as Falco does.
    let replayed = matches!(result, Ok(StopReason::EndOfCapture | StopReason::Duration));
    if let (true, Some(secs)) = (
        replayed && cfg.engine.kind == EngineKind::Replay,
        opts.duration,
    ) {
        let until = started + Duration::from_secs(secs);
        while Instant::now() < until && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    let Pipeline {
        outputs,
        capture,
        drops,
        ..
    } = pipeline;
    let mut stats_file = ticker.stop();
    drop(signals);
    if let Some(c) = capture {
        let path = c.path().display().to_string();
        match c.finish() {
            Ok(n) => logger::info(&format!("Wrote {n} events to {path}")),
            Err(e) => logger::error(&e.to_string()),
        }
    }
    outputs.shutdown(Duration::from_millis(cfg.output_timeout_ms));
    if let Some(f) = stats_file.as_mut()
        && let Err(e) = f.write(&stats)
    {
        logger::error(&format!("cannot write statistics: {e}"));
    }
    if opts.verbose {
        let src = stats.source();
        let events = stats.events.load(Ordering::Relaxed);
        let secs = elapsed.as_secs_f64().max(1e-9);
        eprintln!(
            "Driver Events:{}\nDriver Drops:{}\nElapsed time: {:.3}, Captured Events: {}, {:.2} eps",
            src.n_evts,
            src.n_drops(),
            secs,
            events,
            events as f64 / secs
        );
        let dropped = stats.outputs.total_dropped();
        let limited = stats.rate_limited.load(Ordering::Relaxed);
        eprintln!("Alerts dropped by full output queues: {dropped}, rate limited: {limited}");
    }
    let _ = drops;
    print(&stats.drop_summary());
    print(&stats.summary());

    match result {
        Ok(StopReason::Drops(msg)) => {
            logger::error(&msg);
            Ok(ExitCode::FAILURE)
        }
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(anyhow::Error::new(e).context("error reading events")),
    }
}
