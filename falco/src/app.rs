//! The daemon from start to exit: options and configuration, rules, output channels, webserver,
//! signals, the pipeline, then flushing and the exit summary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::alert::Alert;
use crate::alert_capture::AlertCapture;
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
use crate::source::nodriver::NodriverSource;
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

/// The syscalls live capture asks for: base_syscalls (`all` as -A).
fn live_selection(opts: &Options, c: &crate::config::Config) -> Selection {
    Selection {
        all: opts.all_events || c.base_syscalls_all,
        custom_set: c.base_syscalls_custom_set.clone(),
        repair: c.base_syscalls_repair,
    }
}

/// Falco's ring buffer sizes by `buf_size_preset` (index 0 is reserved).
fn ring_bytes(preset: u8) -> Result<u64> {
    if !(1..=10).contains(&preset) {
        bail!("The 'buf_size_preset' value must be between '1' and '10'");
    }
    Ok(1u64 << (19 + u32::from(preset)))
}

fn open_source(
    r: &Reloaded,
    opts: &Options,
    detector: &crate::detector::Detector,
    state: &mut falco_engine::state::State,
    stop: &Arc<AtomicBool>,
) -> Result<Box<dyn EventSource>> {
    let c = &r.loaded.config;
    let e = &c.engine;
    let selection = live_selection(opts, c);
    let snaplen = opts.snaplen.or(c.falco_libs.snaplen);
    match e.kind {
        EngineKind::Replay => {
            let path = e
                .replay_capture_file
                .as_ref()
                .expect("validated: replay has a capture file");
            let threads = e.event_threads();
            logger::info(&format!(
                "Replaying events from the capture file: {} ({threads} event thread{})",
                path.display(),
                if threads == 1 { "" } else { "s" }
            ));
            let s = ReplaySource::open(path, stop.clone(), threads).with_context(|| {
                format!(
                    "Could not open trace filename {} for reading",
                    path.display()
                )
            })?;
            Ok(Box::new(s))
        }
        EngineKind::NoDriver => {
            logger::info("Opening 'syscall' source with no driver");
            let root = host_root();
            let s = NodriverSource::open(&root, state);
            Ok(with_container_metadata(
                Box::new(s),
                &c.container_engines,
                &root,
            ))
        }
        EngineKind::Kmod | EngineKind::ModernEbpf => {
            let (driver, buffers) = if e.kind == EngineKind::ModernEbpf {
                logger::info("Opening 'syscall' source with modern BPF probe");
                let m = &e.modern_ebpf;
                let driver = Driver::ModernEbpf {
                    cpus_for_each_buffer: m.cpus_for_each_buffer,
                };
                (driver, m.buffers)
            } else {
                logger::info("Opening 'syscall' source with Kernel module");
                (Driver::Kmod, e.kmod)
            };
            ring_bytes(buffers.buf_size_preset)?;
            let settings = LiveSettings {
                driver,
                host_root: host_root(),
                snaplen,
                selection,
                drop_failed: buffers.drop_failed_exit,
                buf_size_preset: buffers.buf_size_preset,
                purge_interval: Duration::from_secs(c.falco_libs.purge_interval_s.max(1)),
                threads: e.event_threads(),
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

/// Applies log_level, log_stderr, log_syslog and time_format_iso_8601.
fn configure_logging(c: &crate::config::Config) {
    logger::configure(
        c.log_level,
        c.log_stderr,
        c.log_syslog.then_some(c.syslog_socket.as_path()),
        c.time_format_iso_8601,
    );
}

/// Falco's start-up lines: version, configuration files, rules files, the warnings, then the
/// rules loaded (each enabled one with -v).
fn log_start(r: &Reloaded, detector: &crate::detector::Detector, verbose: bool) {
    logger::info(&format!(
        "Falco version: {} ({})",
        listing::FALCO_VERSION,
        std::env::consts::ARCH
    ));
    if r.loaded.files.is_empty() {
        logger::info("Falco initialized with the built-in default configuration");
    } else {
        logger::info("Falco initialized with configuration files:");
        for f in &r.loaded.files {
            let v = if r.loaded.file_has_warnings(&f.path) {
                "failed"
            } else {
                "ok"
            };
            logger::info(&format!("   {} | schema validation: {v}", f.path.display()));
        }
    }
    logger::info("Loading rules from:");
    for f in &r.rules_files {
        logger::info(&format!("   {}", f.display()));
    }
    for w in &r.warnings {
        logger::warning(w);
    }
    let m = &r.loaded.config.metrics;
    if m.enabled {
        logger::info(&format!(
            "Setting metrics interval to {}, equivalent to {} (ms)",
            m.interval_text, m.interval_ms
        ));
    }
    let c = &r.loaded.config.capture;
    if c.enabled {
        let mode = match c.mode {
            crate::config::CaptureMode::Rules => "'rules'",
            crate::config::CaptureMode::AllRules => "'all_rules'",
        };
        logger::info(&format!(
            "Capture is enabled in mode {mode}. Capturing events to {}",
            c.path_prefix
        ));
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

/// What a SIGHUP runs: a fresh load, or None (and the reason logged) when it fails.
fn reloader(
    opts: &Options,
    host: &str,
    stats: &Arc<Stats>,
) -> impl Fn() -> Option<Reloaded> + use<> {
    let (opts, host, stats) = (opts.clone(), host.to_string(), stats.clone());
    move || match reload::build(&opts, &host) {
        Ok(r) => {
            configure_logging(&r.loaded.config);
            for w in &r.warnings {
                logger::warning(w);
            }
            Some(r)
        }
        Err(e) => {
            stats.reload_failures.fetch_add(1, Ordering::Relaxed);
            logger::error(&format!(
                "Reload failed, keeping the running configuration and rules: {e:#}"
            ));
            None
        }
    }
}

/// Signal handling, with SIGHUP's reload (built on the signal thread, handed over on `control`).
fn start_signals(
    opts: &Options,
    host: &str,
    stats: &Arc<Stats>,
    stop: &Arc<AtomicBool>,
    control: crate::mailbox::MailSender<crate::signals::Control>,
) -> Result<SignalThread> {
    SignalThread::start(
        stop.clone(),
        stats.clone(),
        control,
        reloader(opts, host, stats),
    )
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
    internal: crate::mailbox::MailSender<Alert>,
) -> Result<Ticker> {
    let cfg = &first.loaded.config;
    let stats_file = opts
        .stats_file
        .as_deref()
        .map(|p| StatsFile::open(p).with_context(|| format!("cannot open {}", p.display())))
        .transpose()?;
    Ok(Ticker::start(
        stats.clone(),
        TickerSettings {
            stats_file,
            stats_every: Duration::from_millis(opts.stats_interval),
            metrics: cfg
                .metrics
                .enabled
                .then(|| (cfg.metrics.clone(), info.clone())),
            watch: watched(first),
            internal,
            format: first.alert_format.clone(),
        },
    ))
}

/// What metrics say about this run besides counters.
fn run_info(r: &Reloaded, host: &str, engine: &str) -> Info {
    Info {
        version: listing::FALCO_VERSION.to_string(),
        hostname: host.to_string(),
        engine_name: engine.to_string(),
        kernel_release: kernel_release(),
        rules_files: detector::rules_file_digests(&r.rules_files),
        config_files: r
            .loaded
            .files
            .iter()
            .map(|f| (detector::file_name(&f.path), sha256_hex(f.text.as_bytes())))
            .collect(),
    }
}

/// The files watch_config_files looks at: every configuration file and config_files directory,
/// and the rules files.
fn watched(r: &Reloaded) -> Vec<PathBuf> {
    if !r.loaded.config.watch_config_files {
        return Vec::new();
    }
    let mut w: Vec<PathBuf> = r.loaded.files.iter().map(|f| f.path.clone()).collect();
    w.extend(r.loaded.folders.iter().cloned());
    w.extend(r.rules_files.iter().cloned());
    w
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
/// every channel that lost alerts, Falco's drop summary (on stderr), then its rule summary (on
/// stdout).
fn report_exit(stats: &Stats, drops: Option<&DropMonitor>, verbose: bool, elapsed: Duration) {
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
    if let Some(d) = drops {
        eprint!("{}", d.summary());
    }
    listing::print(&stats.summary());
}

/// The k8s_audit source, when it is enabled: its webhook and file readers, its counters in stats.
fn start_audit(
    settings: Option<&crate::source::k8saudit::AuditSettings>,
    stats: &Stats,
) -> Result<Option<crate::source::k8saudit::AuditInput>> {
    let Some(settings) = settings else {
        return Ok(None);
    };
    let audit = crate::source::k8saudit::AuditInput::start(settings)?;
    let _ = stats.audit.set(audit.counters.clone());
    if let Some(addr) = audit.addr {
        logger::info(&format!("k8s_audit webhook listening on {addr}"));
    }
    Ok(Some(audit))
}

pub fn run(opts: Options) -> Result<ExitCode> {
    opts.validate()?;
    if opts.is_listing() {
        return listing::run(&opts);
    }
    let host = hostname();
    let mut first = reload::build(&opts, &host)?;
    let cfg = first.loaded.config.clone();
    configure_logging(&cfg);
    let detector = first.detector.take().expect("freshly built");
    log_start(&first, &detector, opts.verbose);
    // --enable-source/--disable-source, as Falco checks them (a capture replay is syscalls only).
    let (syscall_on, audit_settings) = crate::source::k8saudit::choose_sources(
        &opts.enable_sources,
        &opts.disable_sources,
        cfg.k8saudit.as_ref(),
        cfg.engine.kind == EngineKind::Replay,
    )
    .map_err(anyhow::Error::msg)?;
    if opts.dry_run {
        logger::debug("Skipping event processing in dry-run");
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
    let (ctl_tx, ctl_rx) = crate::mailbox::unbounded();
    let signals = start_signals(&opts, &host, &stats, &stop, ctl_tx)?;

    let mut state = falco_engine::state::State::default();
    state.max_threads = cfg.falco_libs.thread_table_size;
    let audit = start_audit(audit_settings.as_ref(), &stats)?;
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
            report_exit(&stats, None, opts.verbose, Duration::ZERO);
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(e),
    };
    let table = stats.install_rules(std::mem::take(&mut first.rule_table));
    let info = Arc::new(run_info(&first, &host, source.name()));

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

    let (internal_tx, internal_rx) = crate::mailbox::bounded::<Alert>(64);
    let ticker = start_ticker(&opts, &first, &stats, &info, internal_tx)?;

    let live = source.is_live();
    let initial = if live {
        source.counters()
    } else {
        Default::default()
    };
    let ebpf = cfg.engine.kind == EngineKind::ModernEbpf;
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
        alert_capture: AlertCapture::new(&cfg.capture),
        drops: DropMonitor::new(cfg.syscall_event_drops.clone(), initial, ebpf),
        internal: internal_rx,
        duration: opts.duration,
        max_idle: cfg.syscall_event_timeouts_max_consecutives,
        output_timeout: Duration::from_millis(cfg.output_timeout_ms),
        audit_only: audit.is_some() && !syscall_on,
        audit,
        audit_num: 0,
        libs_log: cfg.libs_log_level,
    };
    let result = pipeline.run();
    let elapsed = started.elapsed();

    // -M with a capture: after the replay, falco stays up (webserver, signals) for the duration,
    // as Falco does.
    if let (false, Some(secs), Ok(_)) = (live, opts.duration, &result) {
        let until = Instant::now() + Duration::from_secs(secs);
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
    wind_down(ticker, capture, outputs, &stats, &cfg);
    report_exit(&stats, Some(&drops), opts.verbose, elapsed);
    if let Some(why) = stats.outputs.failure() {
        bail!("{why}");
    }
    match result {
        Ok(StopReason::Drops(_)) => bail!("Drop manager internal error"),
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(anyhow::Error::new(e).context("error reading events")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_syscalls_reach_live_capture() {
        let c = crate::config::load_str(
            "base_syscalls:\n  all: true\n  custom_set: [openat, \"!read\"]\n  repair: true\n",
            &[],
            None,
        )
        .unwrap()
        .config;
        let s = live_selection(&Options::default(), &c);
        assert!(s.all && s.repair);
        assert_eq!(s.custom_set, ["openat", "!read"]);
        let plain = live_selection(&Options::default(), &crate::config::Config::default());
        assert!(!plain.all);
        let dash_a = Options {
            all_events: true,
            ..Options::default()
        };
        assert!(live_selection(&dash_a, &crate::config::Config::default()).all);
    }

    #[test]
    fn ring_sizes_follow_falcos_presets() {
        assert_eq!(ring_bytes(1).unwrap(), 1 << 20);
        assert_eq!(ring_bytes(4).unwrap(), 8 << 20);
        assert_eq!(ring_bytes(10).unwrap(), 512 << 20);
        assert!(ring_bytes(0).is_err() && ring_bytes(11).is_err());
    }
}
