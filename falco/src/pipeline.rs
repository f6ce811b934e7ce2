//! The detection pipeline, on one thread: read an event from the source, update the tracked state,
//! match the rules, and hand alerts to the output channels (which never make it wait). Between events
//! it applies what the signal thread asked for (reopen outputs, switch to reloaded rules).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use falco_engine::fields::Ctx;
use falco_engine::inspector::is_hidden_type;
use falco_engine::rules::Need;
use falco_engine::state::State;
use falco_engine::state::parser::EventCtx;

use crate::alert::{Alert, AlertFormat};
use crate::alert_capture::{AlertCapture, SIZE_RULE};
use crate::capture_writer::CaptureWriter;
use crate::detector::Detector;
use crate::drop_monitor::{Checked, DROP_RULE, DropMonitor};
use crate::logger;
use crate::mailbox::Mailbox;
use crate::outputs::{ChannelConfig, Outputs};
use crate::priority::Priority;
use crate::reload::Reloaded;
use crate::signals::Control;
use crate::source::containers::is_container_event;
use crate::source::{EventSource, Next, SourceError};
use crate::stats::{RuleTable, StateCounters, Stats};
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
    pub rate: Option<TokenBucket>,
}

impl Matching {
    pub fn new(r: &Reloaded, rules: Arc<RuleTable>, detector: Detector) -> Matching {
        let c = &r.loaded.config;
        Matching {
            detector,
            rules,
            format: r.alert_format.clone(),
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
    pub control: Mailbox<Control>,
    pub stop: Arc<AtomicBool>,
    pub capture: Option<CaptureWriter>,
    /// falco.yaml's capture on alert.
    pub alert_capture: Option<AlertCapture>,
    pub drops: DropMonitor,
    /// Alerts raised elsewhere (metrics snapshots) to deliver through the outputs.
    pub internal: Mailbox<Alert>,
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
    /// libs_logger: the least severe event-library message logged (None: off).
    pub libs_log: Option<Priority>,
}

/// Syscall events between two looks at the audit queue.
const AUDIT_EVERY: u64 = 64;
/// Events between publications of the event counter (keeps the hot loop free of shared writes).
const PUBLISH_EVERY: u64 = 1024;
/// How often the state table sizes are published.
const STATE_PUBLISH_EVERY: Duration = Duration::from_secs(1);

impl Pipeline {
    fn apply_control(&mut self) {
        for c in self.control.take() {
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
        self.drops
            .reconfigure(r.loaded.config.syscall_event_drops.clone());
        self.libs_log = r.loaded.config.libs_log_level;
        let capture = &r.loaded.config.capture;
        if self.alert_capture.as_ref().map(AlertCapture::config)
            != capture.enabled.then_some(capture)
        {
            if let Some(c) = self.alert_capture.as_mut() {
                c.close();
            }
            self.alert_capture = AlertCapture::new(capture);
        }
        self.stats
            .reload_ns
            .store(crate::stats::now_ns(), Ordering::Relaxed);
        self.stats.reloads.fetch_add(1, Ordering::Relaxed);
        logger::info(&format!(
            "Reloaded: {} rules loaded",
            self.matching.detector.rule_count()
        ));
    }

    /// Publishes the source's counters, and the sizes of the state tables at most once a second
    /// (counting fds walks every thread).
    fn publish(&mut self, last_state: &mut Option<Instant>) {
        self.stats.set_source(self.source.counters());
        if last_state.is_some_and(|t| t.elapsed() < STATE_PUBLISH_EVERY) {
            return;
        }
        *last_state = Some(Instant::now());
        self.stats.set_per_cpu(self.source.per_cpu());
        let st = &self.state;
        let drops = st.drops();
        self.stats.set_state(StateCounters {
            n_threads: st.threads.len() as u64,
            n_fds: st.threads.iter().map(|t| t.fds.len() as u64).sum(),
            n_containers: st.containers.len() as u64,
            n_drops_full_threadtable: drops.threads_full + drops.threads_memory,
            drops,
        });
    }

    /// Alerts falco raises itself go to every output whatever the priority threshold, as Falco's.
    fn deliver_internal(&mut self) {
        for a in self.internal.take() {
            self.outputs.dispatch(a);
        }
    }

    /// syscall_event_timeouts: more than `max_idle` reads in a row found no event (Falco's
    /// Debug alert "Falco internal: timeouts notification", without a log line). `first_ts` is the
    /// first event's time, which Falco reports as last_event_time.
    fn report_timeouts(&mut self, first_ts: Option<u64>) {
        let rule = "Falco internal: timeouts notification";
        let msg = format!(
            "{rule}. {} consecutive timeouts without event.",
            self.max_idle
        );
        let mut fields = serde_json::Map::new();
        let last = first_ts.map_or_else(
            || "none".to_string(),
            |t| self.matching.format.time_prefix(t),
        );
        fields.insert("last_event_time".into(), serde_json::Value::String(last));
        let a = self.matching.format.internal(
            crate::stats::now_ns(),
            Priority::Debug,
            rule,
            &msg,
            fields,
        );
        self.outputs.dispatch(a);
    }

    /// Runs syscall_event_drops at event time `ts`; returns the message when its `exit` action
    /// fires. Replayed captures report no drops (only simulated ones), as in Falco.
    fn check_drops(&mut self, ts: u64, live: bool) -> Option<String> {
        let counters = if live {
            self.source.counters()
        } else {
            crate::stats::SourceCounters::default()
        };
        if self.drops.simulating() {
            logger::info("Simulating syscall event drop");
        }
        let checked = self.drops.check(ts, counters);
        self.stats
            .drop_detections
            .store(self.drops.detections, Ordering::Relaxed);
        self.stats
            .drop_actions
            .store(self.drops.actions_taken, Ordering::Relaxed);
        let report = match checked {
            Checked::Quiet => return None,
            Checked::Throttled => {
                logger::debug("Syscall event drop but token bucket depleted, skipping actions");
                return None;
            }
            Checked::Act(r) => r,
        };
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
            self.outputs.dispatch(a);
        }
        if report.exit {
            logger::critical(&report.message);
            logger::critical("Exiting.");
            return Some(report.message);
        }
        None
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
        let mut last_state_publish: Option<Instant> = None;
        let mut drop_check: Option<u64> = None;
        let mut idle_in_a_row: u64 = 0;
        let reason = loop {
            if self.stop.load(Ordering::Relaxed) {
                break StopReason::Signal;
            }
            if self.control.has_mail() {
                self.apply_control();
            }
            if self.internal.has_mail() {
                self.deliver_internal();
            }
            if std::mem::take(&mut publish) {
                self.publish(&mut last_state_publish);
            }
            if let Some(ts) = drop_check.take()
                && let Some(msg) = self.check_drops(ts, live)
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
            let (event, flags) = match self.source.next(&mut self.state) {
                Ok(Next::Event { event, flags }) => (event, flags),
                Ok(Next::End) => break StopReason::EndOfCapture,
                // A source waiting for data gives up when falco stops (a FIFO with no writer).
                Err(_) if self.stop.load(Ordering::Relaxed) => break StopReason::Signal,
                Err(e) => return Err(e),
                Ok(Next::Idle) => {
                    self.stats
                        .events
                        .fetch_add(std::mem::take(&mut unpublished), Ordering::Relaxed);
                    self.publish(&mut last_state_publish);
                    if let Some(c) = self.capture.as_mut() {
                        c.hand_over();
                    }
                    if live && limit_ns.is_some_and(|l| started.elapsed().as_nanos() as u64 >= l) {
                        break StopReason::Duration;
                    }
                    idle_in_a_row += 1;
                    if live && idle_in_a_row > self.max_idle {
                        self.report_timeouts(first_ts);
                        idle_in_a_row = 0;
                    }
                    continue;
                }
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
            // Whether some rule can match the event is a table lookup: the field context is built
            // only for those. Procinfo records are bookkeeping; container events are matched
            // (`evt.type = container`).
            let need = self.matching.detector.need(&event);
            let wanted = need == Need::Match
                && (!is_hidden_type(event.event_type) || is_container_event(event.event_type));
            let ectx = if need == Need::Pairing {
                self.state.pass_over(&event);
                EventCtx::default()
            } else {
                self.state.process(&event)
            };
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
            if wanted {
                let mut ctx = Ctx::new(&event, &self.state, ectx, num);
                ctx.first_ts = first;
                ctx.prev_ts = prev;
                detect(
                    &mut self.matching,
                    &self.outputs,
                    &self.stats,
                    self.alert_capture.as_mut(),
                    &ctx,
                );
            }
            if let Some(c) = self.alert_capture.as_mut()
                && let Some(limit) = c.after_event(&self.state, &event, flags, num)
            {
                let a = self.matching.format.internal(
                    crate::stats::now_ns(),
                    Priority::Informational,
                    SIZE_RULE,
                    &limit.message,
                    limit.fields,
                );
                self.outputs.dispatch(a);
            }
        };
        self.stats.events.fetch_add(unpublished, Ordering::Relaxed);
        self.publish(&mut None);
        // The event library's messages (capture problems), as Falco's libs_logger shows them.
        for w in self.source.take_warnings() {
            if self
                .libs_log
                .is_some_and(|min| Priority::Warning.at_least(min))
            {
                logger::unfiltered(&format!("[libs]: {w}"));
            }
        }
        if let Some(c) = self.alert_capture.as_mut() {
            c.close();
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

/// Matches one event and hands its alerts to the outputs (and to capture on alert).
fn detect(
    m: &mut Matching,
    outputs: &Outputs,
    stats: &Stats,
    mut capture: Option<&mut AlertCapture>,
    ctx: &Ctx<'_>,
) {
    let ts = ctx.evt.ts;
    m.detector.for_each_match(ctx, |hit| {
        // Counted before the rate limit, as Falco's engine counts matches.
        stats.count_match(&m.rules, hit.index);
        if let Some(c) = capture.as_deref_mut() {
            c.on_alert(ts, hit.capture, hit.capture_duration_ms);
        }
        deliver(&mut m.rate, &m.format, outputs, stats, hit);
    });
}

/// One match of any source to the outputs, unless the rate limit (`outputs.rate`) holds it back.
pub(crate) fn deliver(
    rate: &mut Option<TokenBucket>,
    format: &AlertFormat,
    outputs: &Outputs,
    stats: &Stats,
    hit: &falco_engine::rules::RuleMatch,
) {
    if let Some(bucket) = rate.as_mut()
        && !bucket.claim(hit.time)
    {
        stats.rate_limited.fetch_add(1, Ordering::Relaxed);
        // Formatted only when logged: a flood of held-back alerts costs a counter each.
        if logger::enabled(Priority::Debug) {
            logger::debug(&format!(
                "Skipping rate-limited notification for rule {}",
                hit.rule
            ));
        }
        return;
    }
    let alert = format.format(hit);
    outputs.dispatch(alert);
}
