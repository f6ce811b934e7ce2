//! Live container metadata: a source wrapper that asks the container runtimes about each new
//! container id the state sees, and delivers their answers as `container` events, as Falco does.
//!
//! The event path never waits on a runtime: after a clone or execve of a thread in a container
//! not asked about yet, it queues a lookup (bounded, non-blocking); answers, when the worker has
//! them, are handed out before the next event of the wrapped source. Until then the container's
//! fields are `<NA>`. A `container` event carries the container JSON of Falco's libs, so rules on
//! `evt.type = container` fire on it, `-w` captures keep it, and their replay sees the same fields.

use falco_engine::event::Event;
use falco_engine::filter::evttype::EventTypeSet;
use falco_engine::schema::{Direction, ev};
use falco_engine::state::State;
use falco_engine::state::containers::full_container_id_from_cgroup;
use falco_engine::state::parser::{Kind, type_info};
use falco_runtimes::resolver::Counters;
use falco_runtimes::{Answer, Resolver};
use rustc_hash::FxHashSet;
use std::time::{Duration, Instant};

use super::{EventSource, Next, SourceError};
use crate::stats::SourceCounters;

/// Container ids asked about are remembered up to this many; past it, new ones are not asked
/// (and counted as dropped), so memory stays bounded on hosts that churn containers.
pub const MAX_ASKED: usize = 65_536;

/// Whether the rules see events of type `t` (procinfo records are bookkeeping; container events are
/// rule-visible, as `evt.type = container` rules need).
pub fn is_container_event(t: u16) -> bool {
    matches!(
        t,
        ev::CONTAINER_E | ev::CONTAINER_JSON_E | ev::CONTAINER_JSON_2_E
    )
}

/// Threads whose containers are checked again when the source is idle, at most this often (new
/// threads read from /proc, containers whose clone was not seen).
const RECHECK_EVERY: Duration = Duration::from_secs(1);

pub struct ContainerSource {
    inner: Box<dyn EventSource>,
    lookups: Lookups,
    /// The thread of the last event when it was a clone or execve exit: its container is checked
    /// on the next call, once the state has applied the event.
    check_tid: Option<i64>,
    next_recheck: Instant,
    last_ts: u64,
    buf: Vec<u8>,
}

/// The lookups asked for, apart from the wrapped source (so they can be updated while its event
/// is borrowed).
struct Lookups {
    resolver: Resolver,
    asked: FxHashSet<String>,
}

impl ContainerSource {
    pub fn new(inner: Box<dyn EventSource>, resolver: Resolver) -> ContainerSource {
        ContainerSource {
            inner,
            lookups: Lookups {
                resolver,
                asked: FxHashSet::default(),
            },
            check_tid: None,
            next_recheck: Instant::now(),
            last_ts: 0,
            buf: Vec::new(),
        }
    }

    /// The `container` event for an answer. Its thread is the one whose event asked (so proc.*
    /// fields name the process that started it, as in Falco), or another thread of the container
    /// if that one is gone; -1 when none is left.
    fn encode(&mut self, state: &State, a: &Answer) {
        let id = a.info.id.as_str();
        let tid = match state.thread(a.tid) {
            Some(t) if t.container_id == id => a.tid,
            _ => state
                .threads
                .iter()
                .find(|t| t.container_id == id)
                .map_or(-1, |t| t.tid),
        };
        let json = a.info.to_json().to_string();
        // In the stream's order: the time of the last event, or now before any.
        let ts = if self.last_ts > 0 {
            self.last_ts
        } else {
            crate::stats::now_ns()
        };
        encode_container_event(&mut self.buf, ts, tid, &json);
    }
}

impl Lookups {
    /// Asks about the container of thread `tid`, unless it is known or already asked about.
    fn note_thread(&mut self, state: &State, tid: i64) {
        let Some(t) = state.thread(tid) else { return };
        if t.container_id.is_empty()
            || state.containers.get(&t.container_id).is_some()
            || self.asked.contains(&t.container_id)
        {
            return;
        }
        if self.asked.len() >= MAX_ASKED {
            self.resolver
                .counters()
                .dropped
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return;
        }
        // The runtimes are asked with the full id when the cgroup has it (containerd needs it).
        let full = t
            .cgroups
            .iter()
            .find_map(|(_, p)| full_container_id_from_cgroup(p))
            .filter(|f| f.starts_with(t.container_id.as_str()))
            .unwrap_or(&t.container_id);
        self.resolver.request(full, tid);
        self.asked.insert(t.container_id.clone());
    }

    /// Threads read from /proc at start: their containers are asked about once.
    fn note_all(&mut self, state: &State) {
        let tids: Vec<i64> = state
            .threads
            .iter()
            .filter(|t| !t.container_id.is_empty())
            .map(|t| t.tid)
            .collect();
        for tid in tids {
            self.note_thread(state, tid);
        }
    }
}

/// A CONTAINER_JSON_2_E event (one large-payload parameter: the JSON, NUL-terminated) into `buf`.
pub fn encode_container_event(buf: &mut Vec<u8>, ts: u64, tid: i64, json: &str) {
    let param_len = json.len() + 1;
    let len = falco_engine::abi::EVENT_HEADER_LEN + 4 + param_len;
    buf.clear();
    buf.extend_from_slice(&ts.to_le_bytes());
    buf.extend_from_slice(&(tid as u64).to_le_bytes());
    buf.extend_from_slice(&(len as u32).to_le_bytes());
    buf.extend_from_slice(&ev::CONTAINER_JSON_2_E.to_le_bytes());
    buf.extend_from_slice(&1u32.to_le_bytes());
    buf.extend_from_slice(&(param_len as u32).to_le_bytes());
    buf.extend_from_slice(json.as_bytes());
    buf.push(0);
}

impl EventSource for ContainerSource {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn is_live(&self) -> bool {
        self.inner.is_live()
    }

    fn next<'a>(&'a mut self, state: &mut State) -> Result<Next<'a>, SourceError> {
        if let Some(tid) = self.check_tid.take() {
            self.lookups.note_thread(state, tid);
        }
        if let Some(a) = self.lookups.resolver.try_answer() {
            // A container the state already has (from a capture or an earlier answer) is not
            // announced twice.
            if state.containers.get(&a.info.id) != Some(&a.info) {
                self.encode(state, &a);
                let event = Event::from_bytes(&self.buf, 0).expect("a well-formed container event");
                return Ok(Next::Event { event, flags: 0 });
            }
        }
        let next = self.inner.next(state)?;
        match &next {
            Next::Event { event, .. } => {
                self.last_ts = event.ts;
                let kind = type_info(event.event_type).kind;
                if matches!(kind, Kind::Clone | Kind::Execve)
                    && event.direction() == Direction::Exit
                {
                    self.check_tid = Some(event.tid);
                }
            }
            Next::Idle if Instant::now() >= self.next_recheck => {
                self.next_recheck = Instant::now() + RECHECK_EVERY;
                self.lookups.note_all(state);
            }
            _ => {}
        }
        Ok(next)
    }

    fn counters(&self) -> SourceCounters {
        self.inner.counters()
    }

    fn rules_changed(&mut self, required: &EventTypeSet, rule_syscalls: &[u16]) {
        self.inner.rules_changed(required, rule_syscalls);
    }

    fn take_warnings(&mut self) -> Vec<String> {
        self.inner.take_warnings()
    }
}

impl Drop for ContainerSource {
    fn drop(&mut self) {
        let c = self.lookups.resolver.counters();
        let n = |x: &std::sync::atomic::AtomicU64| Counters::get(x);
        if n(&c.requested) > 0 {
            crate::logger::info(&format!(
                "Container metadata: {} lookups, {} found, {} unknown to the runtimes, {} failed \
                 ({} runtime call errors), {} dropped",
                n(&c.requested),
                n(&c.found),
                n(&c.not_found),
                n(&c.failed),
                n(&c.call_errors),
                n(&c.dropped)
            ));
        }
    }
}
