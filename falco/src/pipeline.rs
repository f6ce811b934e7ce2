//! The detection pipeline, on one thread: read an event from the source, update the tracked state,
//! match the rules, and hand alerts to the output channels (which never make it wait). Between events
//! it applies what the signal thread asked for (reopen outputs, switch to reloaded rules).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use falco_engine::fields::Ctx;
use falco_engine::inspector::is_hidden_type;
use falco_engine::state::State;

use crate::alert::{Alert, AlertFormat};
use crate::capture_writer::CaptureWriter;
use crate::detector::Detector;
use crate::drop_monitor::{DROP_RULE, DropMonitor};
use crate::logger;
use crate::outputs::{ChannelConfig, Outputs};
use crate::priority::Priority;
use crate::reload::Reloaded;
use crate::signals::Control;
use crate::source::containers::is_container_event;
use crate::source::{EventSource, Next, SourceError};
use crate::stats::{RuleTable, Stats};
use crate::token_bucket::TokenBucket;

mod audit;
use audit::AuditTurn;

/// Why the pipeline stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The capture ended.
    EndOfCapture,
    /// SIGINT/SIGTERM.
    Signal,
    /// -M elapsed.
    Duration,
    /// The drop monitor's `exit` action.
    Drops(String),
}

/// The settings the pipeline reads per alert; replaced on reload.
pub struct Matching {
    pub detector: Detector,
    pub rules: Arc<RuleTable>,
    pub format: AlertFormat,
    pub min_priority: Priority,
    pub rate: Option<TokenBucket>,
}

impl Matching {
    pub fn new(r: &Reloaded, rules: Arc<RuleTable>, detector: Detector) -> Matching {
        let c = &r.loaded.config;
        Matching {
            detector,
            rules,
            format: r.alert_format.clone(),
            min_priority: c.priority,
            rate: (c.outputs_rate > 0.0)
                .then(|| TokenBucket::new(c.outputs_rate, c.outputs_max_burst)),
        }
    }
}

pub struct Pipeline {
    pub source: Box<dyn EventSource>,
    pub state: State,
    pub matching: Matching,
    pub outputs: Outputs,
    pub channels: ChannelConfig,
    pub stats: Arc<Stats>,
    pub control: Receiver<Control>,
    pub stop: Arc<AtomicBool>,
    pub capture: Option<CaptureWriter>,
    pub drops: DropMonitor,
    /// Alerts raised elsewhere (metrics snapshots) to deliver through the outputs.
    pub internal: Receiver<Alert>,
    /// -M, in seconds.
    pub duration: Option<u64>,
    /// syscall_event_timeouts.max_consecutives: idle reads in a row (of at most 100 ms each) from a
    /// live source before falco reports that no event arrives.
    pub max_idle: u64,
    pub output_timeout: Duration,
    /// The `k8s_audit` source, when it runs.
    pub audit: Option<crate::source::k8saudit::AuditInput>,
    /// The syscall source is a stand-in (`--disable-source syscall`): stop when audit ends.
    pub audit_only: bool,
    /// Number of the last audit event (`evt.num` of that source).
    pub audit_num: u64,
}

/// Syscall events between two looks at the audit queue.
const AUDIT_EVERY: u64 = 64;
/// Events between publications of the event counter (keeps the hot loop free of shared writes).
const PUBLISH_EVERY: u64 = 1024;

impl Pipeline {
    fn apply_control(&mut self) {
        while let Ok(c) = self.control.try_recv() {
            match c {
                Control::Reload(r) => self.switch(*r),
            }
        }
    }

    /// Switches to a reloaded configuration and rules, between two events.
    fn switch(&mut self, mut r: Reloaded) {
        let detector = r.detector.take().expect("a reload carries its rules");
        let table = self.stats.install_rules(std::mem::take(&mut r.rule_table));
        let (required, generic) = detector.live_requirements();
        self.source.rules_changed(&required, &generic);
        self.matching = Matching::new(&r, table, detector);
        if r.channels != self.channels {
            let started = Outputs::start(
                std::mem::take(&mut r.built_channels),
                &r.channels.options,
                &self.stats.outputs,
            );
            let old = std::mem::replace(&mut self.outputs, started);
            old.retire(self.output_timeout);
            self.channels = r.channels.clone();
            logger::info(&format!(
                "Outputs restarted: {}",
                self.outputs.names().join(", ")
            ));
        }
        self.drops = DropMonitor::new(r.loaded.config.syscall_event_drops.clone());
        self.stats
            .reload_ns
            .store(crate::stats::now_ns(), Ordering::Relaxed);
        self.stats.reloads.fetch_add(1, Ordering::Relaxed);
        logger::info(&format!(
            "Reloaded: {} rules loaded",
            self.matching.detector.rule_count()
        ));
    }

    fn deliver_internal(&mut self) {
        while let Ok(a) = self.internal.try_recv() {
            if a.priority.at_least(self.matching.min_priority) {
                self.outputs.dispatch(a);
            }
        }
    }

    /// syscall_event_timeouts: the probe delivered nothing for `n` reads in a row (Falco's
    /// "timeouts notification", logged and sent as a Debug internal alert).
    fn report_timeouts(&mut self, n: u64) {
        let msg = format!("{n} consecutive timeouts without event");
        logger::info(&msg);
        let a = self.matching.format.internal(
            crate::stats::now_ns(),
            Priority::Debug,
            "Falco internal: timeouts notification",
            &msg,
            serde_json::Map::new(),
        );
        if a.priority.at_least(self.matching.min_priority) {
            self.outputs.dispatch(a);
        }
    }

    /// Runs syscall_event_drops; returns the message when its `exit` action fires.
    fn check_drops(&mut self, ts: u64) -> Option<String> {
        let counters = self.source.counters();
        let report = self.drops.check(ts, counters);
        self.stats
            .drop_detections
            .store(self.drops.detections, Ordering::Relaxed);
        self.stats
            .drop_actions
            .store(self.drops.actions_taken, Ordering::Relaxed);
        let report = report?;
        if report.log {
            logger::debug(&report.message);
        }
        if let Some(fields) = report.alert {
            let a = self.matching.format.internal(
                ts,
                Priority::Debug,
                DROP_RULE,
                &report.message,
                fields,
            );
            if a.priority.at_least(self.matching.min_priority) {
                self.outputs.dispatch(a);
            }
        }
        report.exit.then_some(report.message)
    }

    /// Runs until the source ends, a signal, -M, or a drop `exit` action.
    pub fn run(&mut self) -> Result<StopReason, SourceError> {
        let mut num: u64 = 0;
        let mut first_ts: Option<u64> = None;
        let mut prev_ts: u64 = 0;
        let mut unpublished: u64 = 0;
        let started = Instant::now();
        let limit_ns = self.duration.map(|s| s.saturating_mul(1_000_000_000));
        let live = self.source.is_live();
        let mut publish = false;
        let mut drop_check: Option<u64> = None;
        let mut idle_in_a_row: u64 = 0;
        let reason = loop {
            if self.stop.load(Ordering::Relaxed) {
                break StopReason::Signal;
            }
            if !self.control.is_empty() {
                self.apply_control();
            }
            if !self.internal.is_empty() {
                self.deliver_internal();
            }
            if std::mem::take(&mut publish) {
                self.stats.set_source(self.source.counters());
                self.stats
                    .threads
                    .store(self.state.threads.len() as u64, Ordering::Relaxed);
            }
            if let Some(ts) = drop_check.take()
                && let Some(msg) = self.check_drops(ts)
            {
                break StopReason::Drops(msg);
            }
            // Audit events get a turn every AUDIT_EVERY syscall events and whenever the syscall
            // source idles (always, when it is the stand-in of an audit-only run).
            if self.audit.is_some()
                && (num.is_multiple_of(AUDIT_EVERY) || idle_in_a_row > 0)
                && self.audit_turn(idle_in_a_row > 0) == AuditTurn::Ended
                && self.audit_only
            {
                break StopReason::EndOfCapture;
            }
            let next = match self.source.next(&mut self.state) {
                Ok(n) => n,
                // A source waiting for data gives up when falco stops (a FIFO with no writer).
                Err(_) if self.stop.load(Ordering::Relaxed) => break StopReason::Signal,
                Err(e) => return Err(e),
            };
            let (event, flags) = match next {
                Next::End => break StopReason::EndOfCapture,
                Next::Idle => {
                    self.stats
                        .events
                        .fetch_add(std::mem::take(&mut unpublished), Ordering::Relaxed);
                    self.stats.set_source(self.source.counters());
                    self.stats
                        .threads
                        .store(self.state.threads.len() as u64, Ordering::Relaxed);
                    if let Some(c) = self.capture.as_mut() {
                        c.hand_over();
                    }
                    if live && limit_ns.is_some_and(|l| started.elapsed().as_nanos() as u64 >= l) {
                        break StopReason::Duration;
                    }
                    idle_in_a_row += 1;
                    if live && self.max_idle > 0 && idle_in_a_row == self.max_idle {
                        self.report_timeouts(idle_in_a_row);
                    }
                    continue;
                }
                Next::Event { event, flags } => (event, flags),
            };
            idle_in_a_row = 0;
            num += 1;
            let first = *first_ts.get_or_insert(event.ts);
            if let Some(l) = limit_ns {
                let elapsed = if live {
                    started.elapsed().as_nanos() as u64
                } else {
                    event.ts.saturating_sub(first)
                };
                if elapsed >= l {
                    break StopReason::Duration;
                }
            }
            if let Some(c) = self.capture.as_mut() {
                c.write(&self.state, &event, flags);
            }
            let ectx = self.state.process(&event);
            unpublished += 1;
            if unpublished >= PUBLISH_EVERY {
                self.stats.events.fetch_add(unpublished, Ordering::Relaxed);
                unpublished = 0;
                publish = true;
            }
            if self.drops.due(event.ts) {
                // Checked before the next read: the event borrows the source until then.
                drop_check = Some(event.ts);
            }
            let prev = std::mem::replace(&mut prev_ts, event.ts);
            // Procinfo records are bookkeeping; container events are matched (`evt.type = container`).
            if is_hidden_type(event.event_type) && !is_container_event(event.event_type) {
                continue;
            }
            let mut ctx = Ctx::new(&event, &self.state, ectx, num);
            ctx.first_ts = first;
            ctx.prev_ts = prev;
            let m = &mut self.matching;
            let outputs = &self.outputs;
            let stats = &self.stats;
            m.detector.for_each_match(&ctx, |hit| {
                // Counted before the rate limit, as Falco's engine counts matches.
                stats.count_match(&m.rules, hit.index);
                if let Some(bucket) = m.rate.as_mut()
                    && !bucket.claim(event.ts)
                {
                    stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                    logger::debug(&format!(
                        "Skipping rate-limited notification for rule {}",
                        hit.name
                    ));
                    return;
                }
                let alert = m.format.format(
                    event.ts,
                    hit.priority,
                    hit.name.clone(),
                    hit.source.clone(),
                    hit.tags,
                    &hit.message,
                    &hit.fields,
                );
                outputs.dispatch(alert);
            });
        };
        self.stats.events.fetch_add(unpublished, Ordering::Relaxed);
        self.stats.set_source(self.source.counters());
        for w in self.source.take_warnings() {
            logger::warning(&w);
        }
        let d = self.state.drops();
        if d.total() > 0 {
            logger::warning(&format!(
                "state limits reached: {} threads evicted (table full), {} threads evicted \
                 (memory budget), {} fds not tracked (per-process limit), {} containers evicted, \
                 {} interfaces/users/groups not kept",
                d.threads_full, d.threads_memory, d.fds, d.containers, d.metadata
            ));
        }
        // Signals that arrived during the last events still count (a reopen before exit, say).
        self.apply_control();
        self.deliver_internal();
        Ok(reason)
    }
}
