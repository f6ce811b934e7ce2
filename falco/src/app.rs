//! The daemon from start to exit: options and configuration, rules, output channels, webserver,
//! signals, the pipeline, then flushing and the exit summary.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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
use crate::metrics::Info;
use crate::outputs::Outputs;
use crate::pipeline::{Matching, Pipeline, StopReason};
use crate::reload::{self, Reloaded};
use crate::signals::SignalThread;
use crate::source::EventSource;
use crate::source::live::{Driver, LiveSettings, LiveSource};
use crate::source::replay::ReplaySource;
use crate::stats::{Stats, StatsFile};
use crate::ticker::{Ticker, TickerSettings};
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
    stop: &Arc<AtomicBool>,
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
            let s = ReplaySource::open(path, stop.clone())
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

/// The start-up log: version, configuration, rules files and their warnings, rules.
fn log_start(first: &Reloaded, detector: &crate::detector::Detector, verbose: bool) {
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
    logger::info(&format!("{} rules loaded", detector.rule_count()));
    if verbose {
        for (r, enabled) in detector.engine().rules() {
            if enabled {
                logger::info(&format!("Rule: {} ({})", r.name, r.priority.name()));
            }
        }
    }
}

/// Signal handling, with SIGHUP's reload (built on the signal thread, handed over on `control`).
fn start_signals(
    opts: &Options,
    host: &str,
    stats: &Arc<Stats>,
    stop: &Arc<AtomicBool>,
    control: crossbeam_channel::Sender<crate::signals::Control>,
) -> Result<SignalThread> {
    let reload_opts = opts.clone();
    let reload_stats = stats.clone();
    let reload_host = host.to_string();
    let reload = move || match reload::build(&reload_opts, &reload_host) {
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
    };
    SignalThread::start(stop.clone(), stats.clone(), control, reload)
        .context("cannot install signal handlers")
}

fn start_webserver(
    cfg: &crate::config::Config,
    stats: &Arc<Stats>,
    info: &Arc<Info>,
) -> Result<Option<Webserver>> {
    if !cfg.webserver.enabled {
        return Ok(None);
    }
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
    Ok(Some(w))
}

/// The statistics file, metrics snapshots and file watching (metrics snapshot alerts go to
/// `internal`).
fn start_ticker(
    opts: &Options,
    first: &Reloaded,
    stats: &Arc<Stats>,
    info: &Arc<Info>,
    internal: crossbeam_channel::Sender<Alert>,
) -> Result<Ticker> {
    let cfg = &first.loaded.config;
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
    Ok(Ticker::start(
        stats.clone(),
        TickerSettings {
            stats_file,
            stats_every: Duration::from_millis(opts.stats_interval),
            metrics: cfg
                .metrics
                .enabled
                .then(|| (cfg.metrics.clone(), info.clone())),
            watch,
            internal,
            format: first.alert_format.clone(),
        },
    ))
}

/// Stops what runs beside the pipeline, in order: the ticker, the capture, the outputs (each gets
/// output_timeout to deliver what it holds), program outputs still running; then the last
/// statistics line.
fn wind_down(
    ticker: Ticker,
    capture: Option<CaptureWriter>,
    outputs: Outputs,
    stats: &Stats,
    cfg: &crate::config::Config,
) {
    let mut stats_file = ticker.stop();
    if let Some(c) = capture {
        let path = c.path().display().to_string();
        match c.finish() {
            Ok(n) => logger::info(&format!("Wrote {n} events to {path}")),
            Err(e) => logger::error(&e.to_string()),
        }
    }
    outputs.shutdown(Duration::from_millis(cfg.output_timeout_ms));
    crate::outputs::program::end_all();
    if let Some(f) = stats_file.as_mut()
        && let Err(e) = f.write(stats)
    {
        logger::error(&format!("cannot write statistics: {e}"));
    }
}

/// What falco prints at exit: with -v the capture and output statistics (on stderr), a warning for
/// every channel that lost alerts, then Falco's drop and rule summaries (on stdout).
fn report_exit(stats: &Stats, verbose: bool, elapsed: Duration) {
    let channels = stats.outputs.counts();
    if verbose {
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
        for c in &channels {
            eprintln!(
                "Output {}: sent {}, dropped {} ({} given up at exit), failed {}",
                c.name, c.sent, c.dropped, c.given_up, c.errors
            );
        }
    }
    for c in channels.iter().filter(|c| c.dropped + c.errors > 0) {
        logger::warning(&format!(
            "{} alert(s) did not reach the {} output: {} dropped ({} given up at exit), {} failed",
            c.dropped + c.errors,
            c.name,
            c.dropped,
            c.given_up,
            c.errors
        ));
    }
    print(&stats.drop_summary());
    print(&stats.summary());
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
    let detector = first.detector.take().expect("freshly built");
    log_start(&first, &detector, opts.verbose);
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
    // An output channel that cannot be kept running stops falco too.
    stats.outputs.stop_with(stop.clone());
    let (ctl_tx, ctl_rx) = unbounded();
    let signals = start_signals(&opts, &host, &stats, &stop, ctl_tx)?;

    let mut state = falco_engine::state::State::default();
    let (syscall_on, audit_settings) = crate::source::k8saudit::choose_sources(
        &opts.enable_sources,
        &opts.disable_sources,
        cfg.k8saudit.as_ref(),
        cfg.engine.kind == EngineKind::Replay,
    )
    .map_err(anyhow::Error::msg)?;
    let audit = audit_settings
        .as_ref()
        .map(crate::source::k8saudit::AuditInput::start)
        .transpose()?;
    if let Some(a) = &audit {
        let _ = stats.audit.set(a.counters.clone());
    }
    if let Some(addr) = audit.as_ref().and_then(|a| a.addr) {
        logger::info(&format!("k8s_audit webhook listening on {addr}"));
    }
    let opened = match (&audit, syscall_on) {
        (Some(a), false) => Ok(
            Box::new(crate::source::k8saudit::idle::AuditOnly::new(a.waker()))
                as Box<dyn EventSource>,
        ),
        _ => open_source(&first, &opts, &detector, &mut state, &stop),
    };
    let source = match opened {
        Ok(s) => s,
        // SIGINT/SIGTERM while waiting for the capture (a FIFO with no data yet): a normal stop.
        Err(_) if stop.load(Ordering::SeqCst) => {
            report_exit(&stats, opts.verbose, Duration::ZERO);
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(e),
    };
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

    let _webserver = start_webserver(&cfg, &stats, &info)?;

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
    let ticker = start_ticker(&opts, &first, &stats, &info, internal_tx)?;

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
        audit_only: audit.is_some() && !syscall_on,
        audit,
        audit_num: 0,
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
        audit,
        ..
    } = pipeline;
    if let Some(a) = audit {
        logger::info(&a.counters.summary());
    }
    drop(signals);
    let _ = drops;
    wind_down(ticker, capture, outputs, &stats, &cfg);
    report_exit(&stats, opts.verbose, elapsed);
    if let Some(why) = stats.outputs.failure() {
        bail!("{why}");
    }
    match result {
        Ok(StopReason::Drops(msg)) => {
            logger::error(&msg);
            Ok(ExitCode::FAILURE)
        }
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(anyhow::Error::new(e).context("error reading events")),
    }
}
