//! `State::pass_over`, which the event loop uses for events no rule can match of a type that only
//! pairs a syscall's enter and exit (`RuleEngine::need`), leaves the state as `State::process`
//! does. Each capture is replayed twice, once processing every event and once passing such events
//! over: with every one passed over, the threads agree after every event and the events processed
//! in both give the same fields; with the ones the default and Falco's rules leave out, the rules
//! match the same and their fields are the same.

mod common;

use std::path::Path;

use falco_engine::event::Event;
use falco_engine::fields::{Ctx, Field};
use falco_engine::inspector::next_event;
use falco_engine::rules::{Need, RuleEngine, RuleMatching};
use falco_engine::scap::ScapReader;
use falco_engine::state::State;
use falco_engine::state::parser::type_info;

/// What of a thread the pairing and fd tracking decide: tid, last enter type, last fd, fd names.
type ThreadSummary = (i64, u16, i64, Vec<(i64, String)>);

fn threads_of(state: &State) -> Vec<ThreadSummary> {
    let mut v: Vec<_> = state
        .threads
        .iter()
        .map(|t| {
            let mut fds: Vec<(i64, String)> =
                t.fds.iter().map(|(n, f)| (*n, f.name.clone())).collect();
            fds.sort();
            (t.tid, t.last_enter_type, t.last_fd, fds)
        })
        .collect();
    v.sort();
    v
}

/// Fields whose values come from the state the pairing decides, or from the enter event.
const NAMES: [&str; 15] = [
    "evt.latency",
    "evt.res",
    "evt.failed",
    "evt.arg.fd",
    "evt.args",
    "fd.num",
    "fd.name",
    "fd.type",
    "fd.name_changed",
    "proc.name",
    "proc.cmdline",
    "proc.vmsize",
    "thread.tid",
    "evt.arg.request",
    "evt.arg.pid",
];

fn fields() -> Vec<Field> {
    NAMES
        .iter()
        .map(|n| Field::parse(n, None).unwrap())
        .collect()
}

/// One event of the two replays of [`in_step`]: its number, the context of the event processed,
/// and that of the same event in the other replay when it was not passed over there.
struct Step<'a> {
    num: u64,
    all: Ctx<'a>,
    some: Option<Ctx<'a>>,
}

/// Replays `trace` twice in step, processing every event in one state and, in the other, passing
/// over the events `pass` picks; `check` sees each event and both states after it.
fn in_step(
    trace: &Path,
    mut pass: impl FnMut(&Event<'_>) -> bool,
    mut check: impl FnMut(&Step<'_>, &State, &State),
) {
    let mut all = ScapReader::open(trace).unwrap();
    let mut some = ScapReader::open(trace).unwrap();
    let (mut s_all, mut s_some) = (State::default(), State::default());
    let mut num = 0;
    while let Some((a, _)) = next_event(&mut all, &mut s_all).unwrap() {
        let (b, _) = next_event(&mut some, &mut s_some).unwrap().unwrap();
        num += 1;
        let ectx_a = s_all.process(&a);
        let ectx_b = if pass(&b) {
            s_some.pass_over(&b);
            None
        } else {
            Some(s_some.process(&b))
        };
        let step = Step {
            num,
            all: Ctx::new(&a, &s_all, ectx_a, num),
            some: ectx_b.map(|c| Ctx::new(&b, &s_some, c, num)),
        };
        check(&step, &s_all, &s_some);
    }
    assert!(next_event(&mut some, &mut s_some).unwrap().is_none());
}

/// The fields of [`NAMES`] are the same on both sides of `step` (`what` names the replay).
fn same_fields(fields: &[Field], step: &Step<'_>, some: &Ctx<'_>, what: &str) {
    for (f, name) in fields.iter().zip(NAMES) {
        assert_eq!(
            f.extract(&step.all),
            f.extract(some),
            "{what}: {name} on event {} ({})",
            step.num,
            step.all.evt.name()
        );
    }
}

#[test]
fn passing_over_pairing_only_events_leaves_the_state_processing_leaves() {
    let fields = fields();
    let (mut passed, mut compared) = (0, 0);
    for trace in common::shipped_traces() {
        let what = trace.display().to_string();
        let pass = |e: &Event<'_>| type_info(e.event_type).pairing_only;
        in_step(&trace, pass, |step, s_all, s_some| {
            match &step.some {
                Some(some) => {
                    same_fields(&fields, step, some, &what);
                    compared += 1;
                }
                None => passed += 1,
            }
            let (ta, tb) = (threads_of(s_all), threads_of(s_some));
            if ta != tb {
                let differs = ta.iter().zip(&tb).find(|(x, y)| x != y);
                panic!(
                    "{what}: threads after event {} ({}): {} against {}, first difference \
                     {differs:?}",
                    step.num,
                    step.all.evt.name(),
                    ta.len(),
                    tb.len()
                );
            }
        });
    }
    assert!(
        passed > 5_000 && compared > 10_000,
        "{passed} passed over, {compared} compared"
    );
}

/// The bug this guards against: the ptrace enter event, which no rule matches, was passed over,
/// so "PTRACE attached to process" found no request on the exit and did not fire.
#[test]
fn events_the_rules_leave_out_change_no_match_nor_field_the_rules_see() {
    let fields = fields();
    for (name, files) in common::rule_sets() {
        let mut engine = RuleEngine::new();
        engine.load_rules_paths(&files).unwrap();
        engine.set_rule_matching(RuleMatching::All);
        let (mut passed, mut matched) = (0, 0);
        for trace in common::traces_and_detections() {
            let what = format!("{name}, {}", trace.display());
            let pass = |e: &Event<'_>| engine.need(e) == Need::Pairing;
            in_step(&trace, pass, |step, _, _| {
                let Some(some) = &step.some else {
                    passed += 1;
                    return;
                };
                if engine.need(step.all.evt) != Need::Match {
                    return;
                }
                let rules = engine.matches_by_condition(&step.all);
                assert_eq!(
                    rules,
                    engine.matches_by_condition(some),
                    "{what}: rules on event {} ({})",
                    step.num,
                    step.all.evt.name()
                );
                matched += rules.len();
                same_fields(&fields, step, some, &what);
            });
        }
        assert!(
            passed > 5_000 && matched > 20,
            "{name}: {passed} passed over, {matched} matches"
        );
    }
}
