//! The periodic work besides events, on a thread of its own: the -s statistics file, metrics
//! snapshots, and watching the configuration and rules files (watch_config_files). Between due
//! times the thread sleeps; with nothing periodic to do it sleeps until falco stops.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::{RecvTimeoutError, Sender, bounded};

use crate::mailbox::MailSender;

use crate::alert::{Alert, AlertFormat};
use crate::config::MetricsConfig;
use crate::detector;
use crate::logger;
use crate::metrics::{self, Info};
use crate::priority::Priority;
use crate::stats::{Stats, StatsFile};

/// How often watched files are checked.
const WATCH_EVERY: Duration = Duration::from_secs(1);

pub struct TickerSettings {
    pub stats_file: Option<StatsFile>,
    pub stats_every: Duration,
    pub metrics: Option<(MetricsConfig, Arc<Info>)>,
    /// Files whose change reloads falco (empty: watch nothing).
    pub watch: Vec<PathBuf>,
    /// Where metrics snapshot alerts go (to the pipeline, which delivers them).
    pub internal: MailSender<Alert>,
    pub format: AlertFormat,
}

/// The running ticker; [`Ticker::stop`] ends it.
pub struct Ticker {
    done: Option<Sender<()>>,
    thread: Option<std::thread::JoinHandle<Option<StatsFile>>>,
}

/// When each periodic job is next due (None: the job is off).
struct Due {
    stats: Option<Instant>,
    metrics: Option<Instant>,
    watch: Option<Instant>,
}

impl Due {
    fn next(&self) -> Option<Instant> {
        [self.stats, self.metrics, self.watch]
            .into_iter()
            .flatten()
            .min()
    }
}

/// Moves a due time to a period after `now` once it has passed; returns whether it had.
fn fire(due: &mut Option<Instant>, now: Instant, every: Duration) -> bool {
    match due {
        Some(t) if now >= *t => {
            *due = Some(now + every);
            true
        }
        _ => false,
    }
}

impl Ticker {
    pub fn start(stats: Arc<Stats>, mut s: TickerSettings) -> Ticker {
        let (done_tx, done_rx) = bounded::<()>(0);
        let thread = std::thread::Builder::new()
            .name("ticker".into())
            .spawn(move || {
                let start = Instant::now();
                let metrics_every = s
                    .metrics
                    .as_ref()
                    .map(|(m, _)| Duration::from_millis(m.interval_ms));
                let mut due = Due {
                    stats: s.stats_file.as_ref().map(|_| start + s.stats_every),
                    metrics: metrics_every.map(|e| start + e),
                    watch: (!s.watch.is_empty()).then(|| start + WATCH_EVERY),
                };
                let mut mtimes = watched_mtimes(&s.watch);
                loop {
                    let woke = match due.next() {
                        Some(t) => {
                            done_rx.recv_timeout(t.saturating_duration_since(Instant::now()))
                        }
                        // Nothing periodic: sleep until stopped.
                        None => done_rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    };
                    if !matches!(woke, Err(RecvTimeoutError::Timeout)) {
                        return s.stats_file;
                    }
                    let now = Instant::now();
                    if fire(&mut due.stats, now, s.stats_every)
                        && let Some(f) = s.stats_file.as_mut()
                        && let Err(e) = f.write(&stats)
                    {
                        logger::error(&format!("cannot write statistics: {e}"));
                    }
                    if let (Some(every), Some((m, info))) = (metrics_every, s.metrics.as_ref())
                        && fire(&mut due.metrics, now, every)
                    {
                        metrics_snapshot(&stats, m, info, &s.internal, &s.format);
                    }
                    if fire(&mut due.watch, now, WATCH_EVERY) {
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
                    }
                }
            })
            .expect("spawning the ticker");
        Ticker {
            done: Some(done_tx),
            thread: Some(thread),
        }
    }

    /// Stops the thread and hands back the statistics file (for the last line at exit).
    pub fn stop(mut self) -> Option<StatsFile> {
        drop(self.done.take());
        self.thread.take().and_then(|t| t.join().ok()).flatten()
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

fn metrics_snapshot(
    stats: &Stats,
    m: &MetricsConfig,
    info: &Info,
    internal: &MailSender<Alert>,
    format: &AlertFormat,
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
        let r = crate::private_file::append(path).and_then(|mut f| writeln!(f, "{line}"));
        if let Err(e) = r {
            logger::error(&format!("cannot write metrics to {}: {e}", path.display()));
        }
    }
    if m.output_rule {
        let a = format.internal(
            now,
            Priority::Informational,
            "Falco internal: metrics snapshot",
            "Falco metrics snapshot",
            fields,
        );
        let _ = internal.try_send(a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_nothing_periodic_the_ticker_sleeps_until_stopped() {
        let (tx, _rx) = crate::mailbox::bounded(1);
        let t = Ticker::start(
            Arc::new(Stats::default()),
            TickerSettings {
                stats_file: None,
                stats_every: Duration::from_secs(5),
                metrics: None,
                watch: Vec::new(),
                internal: tx,
                format: AlertFormat {
                    json_output: false,
                    include_output: true,
                    include_tags: true,
                    include_message: false,
                    include_output_fields: true,
                    time_format_iso_8601: false,
                    hostname: "h".into(),
                },
            },
        );
        std::thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        assert!(t.stop().is_none());
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn a_due_time_moves_a_period_past_now() {
        let now = Instant::now();
        let every = Duration::from_secs(1);
        let mut due = Some(now);
        assert!(fire(&mut due, now, every));
        assert_eq!(due, Some(now + every));
        assert!(!fire(&mut due, now, every));
        let mut off = None;
        assert!(!fire(&mut off, now, every));
        assert_eq!(off, None);
    }
}
