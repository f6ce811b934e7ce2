//! A compiled condition flattened for evaluation: its tests in a table where each names the test to
//! run next when it holds and when it does not. `and`, `or` and `not` become those jumps, so
//! evaluating a rule runs one loop over the tests it reaches, with no call per operator node (the
//! tree walk cost about 75 instructions per node, and a rule on an open event crosses several).
//!
//! The tree ([`Expr`]) stays the definition: indexing, sharing and listing read it; the program is
//! rebuilt from it and gives the same result on every event.

use std::collections::HashMap;
use std::sync::Arc;

use super::eval::{CheckExpr, Expr, TypeMatch};
use super::shared::Memo;
use crate::fields::{Ctx, Extractor};

/// Jump targets at and above this value end the evaluation.
const HOLDS: u32 = u32::MAX;
const FAILS: u32 = u32::MAX - 1;

/// One test of a condition.
#[derive(Debug)]
enum Test {
    Check(Arc<CheckExpr>),
    /// A check of the one value a field extracts ([`CheckExpr::single_field`]), known at compile
    /// time: most checks, run without asking each time which kind of check they are.
    Single {
        field: crate::fields::Field,
        get: Extractor,
        check: Arc<CheckExpr>,
    },
    EvtType(Box<TypeMatch>),
    Dir {
        exit: bool,
    },
    /// A subcondition whose result the memo keeps per event, with its own program.
    Shared {
        slot: u32,
        body: Arc<Program>,
    },
}

#[derive(Debug)]
struct Step {
    test: Test,
    on_true: u32,
    on_false: u32,
}

/// What a program is compiled for: events of one type, or of any ([`ANY_TYPE`]).
pub const ANY_TYPE: u32 = u32::MAX;

/// The programs of shared subconditions compiled so far, by slot and what they were compiled
/// for: every condition that has the subcondition uses one program, not a copy each.
#[derive(Default)]
pub struct Bodies(HashMap<(u32, u32), Arc<Program>>);

/// A condition as jumps between tests.
#[derive(Debug)]
pub struct Program {
    steps: Box<[Step]>,
    /// The first step, or [`HOLDS`]/[`FAILS`] for a condition that is constant.
    entry: u32,
}

impl Program {
    pub fn compile(e: &Expr) -> Program {
        Program::compile_in(e, &mut Bodies::default(), ANY_TYPE)
    }

    /// Compiles `e`, which is for events of type `for_type` ([`ANY_TYPE`]: any), with the shared
    /// subconditions' programs taken from or added to `bodies`.
    pub fn compile_in(e: &Expr, bodies: &mut Bodies, for_type: u32) -> Program {
        let mut steps = Vec::new();
        let entry = emit(e, HOLDS, FAILS, &mut steps, bodies, for_type);
        Program {
            steps: steps.into_boxed_slice(),
            entry,
        }
    }

    /// True when the event satisfies the condition; `memo` keeps the shared subconditions'
    /// results, as for [`Expr::eval`].
    pub fn eval(&self, ctx: &Ctx<'_>, memo: &Memo) -> bool {
        let mut at = self.entry;
        while at < FAILS {
            let step = &self.steps[at as usize];
            let holds = match &step.test {
                Test::Check(c) => c.eval(ctx),
                Test::Single { field, get, check } => check.holds_on(get(field, ctx).as_ref()),
                Test::EvtType(m) => m.matches(ctx),
                Test::Dir { exit } => (ctx.evt.event_type & 1 == 1) == *exit,
                Test::Shared { slot, body } => memo.get_or_eval(*slot, || body.eval(ctx, memo)),
            };
            at = if holds { step.on_true } else { step.on_false };
        }
        at == HOLDS
    }

    /// Number of tests.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// A shared subcondition evaluated in place: a type or direction test, or a cheap field test.
fn is_cheap(e: &Expr) -> bool {
    match e {
        Expr::EvtType(_) | Expr::Dir { .. } | Expr::Const(_) => true,
        Expr::Check(c) => super::optimize::is_cheap_check(c),
        _ => false,
    }
}

/// Appends the steps of `e`, which continue at `on_true` when it holds and `on_false` when not;
/// returns where `e` starts. Operands are emitted last first, so each one's targets exist.
fn emit(
    e: &Expr,
    on_true: u32,
    on_false: u32,
    steps: &mut Vec<Step>,
    bodies: &mut Bodies,
    for_type: u32,
) -> u32 {
    let mut push = |test: Test| {
        steps.push(Step {
            test,
            on_true,
            on_false,
        });
        (steps.len() - 1) as u32
    };
    match e {
        Expr::Check(c) => {
            return push(match c.single_field() {
                Some(f) => Test::Single {
                    field: f.clone(),
                    get: f.extractor(),
                    check: Arc::clone(c),
                },
                None => Test::Check(Arc::clone(c)),
            });
        }
        Expr::EvtType(m) => return push(Test::EvtType(m.clone())),
        Expr::Dir { exit } => return push(Test::Dir { exit: *exit }),
        // A memo lookup and a call into the body cost more than a cheap test once, and about
        // what it costs twice: such a subcondition runs in place.
        Expr::Shared(s) if is_cheap(&s.expr) => {
            return emit(&s.expr, on_true, on_false, steps, bodies, for_type);
        }
        Expr::Shared(s) => {
            let key = (s.slot, for_type);
            let body = match bodies.0.get(&key) {
                Some(b) => Arc::clone(b),
                None => {
                    let b = Arc::new(Program::compile_in(&s.expr, bodies, for_type));
                    bodies.0.insert(key, Arc::clone(&b));
                    b
                }
            };
            return push(Test::Shared { slot: s.slot, body });
        }
        _ => {}
    }
    match e {
        Expr::Const(b) => {
            if *b {
                on_true
            } else {
                on_false
            }
        }
        Expr::Not(x) => emit(x, on_false, on_true, steps, bodies, for_type),
        Expr::And(v) => v.iter().rev().fold(on_true, |next, x| {
            emit(x, next, on_false, steps, bodies, for_type)
        }),
        Expr::Or(v) => v.iter().rev().fold(on_false, |next, x| {
            emit(x, on_true, next, steps, bodies, for_type)
        }),
        Expr::Check(_) | Expr::EvtType(_) | Expr::Dir { .. } | Expr::Shared(_) => {
            unreachable!("tests are pushed above")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Filter;
    use crate::filter::shared::share;
    use crate::inspector::Inspector;
    use std::path::Path;

    #[test]
    fn programs_give_the_trees_results_on_every_event_of_the_shipped_traces() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let corpus = std::fs::read_to_string(root.join("tests/filters/corpus.txt")).unwrap();
        let mut filters: Vec<Filter> = corpus
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|c| Filter::new(c).ok())
            .collect();
        // Shared among themselves, as a rules file's conditions are.
        let slots = share(filters.iter_mut().map(|f| f.expr_mut()));
        let mut bodies = Bodies::default();
        filters.iter_mut().for_each(|f| f.recompile(&mut bodies));
        assert!(
            filters.len() > 500 && slots > 10,
            "{} filters, {slots} slots",
            filters.len()
        );
        let (mut program_memo, mut tree_memo) = (Memo::new(slots), Memo::new(slots));
        let mut traces: Vec<_> = std::fs::read_dir(root.join("tests/traces"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "scap"))
            .collect();
        traces.sort();
        let (mut events, mut held) = (0, 0);
        for trace in &traces {
            let mut insp = Inspector::open(trace).unwrap();
            while let Some(p) = insp.next().unwrap() {
                let ctx = p.ctx();
                program_memo.next_event();
                tree_memo.next_event();
                for f in &filters {
                    let by_program = f.eval(&ctx, &program_memo);
                    assert_eq!(
                        by_program,
                        f.expr().eval(&ctx, &tree_memo),
                        "{:?} on event {} of {}",
                        f.expr(),
                        p.num,
                        trace.display()
                    );
                    held += by_program as usize;
                }
                events += 1;
            }
        }
        assert!(
            events > 10_000 && held > 10_000,
            "{events} events, {held} held"
        );
    }

    #[test]
    fn operators_become_jumps_and_constants_vanish() {
        let f = Filter::new("evt.type = open and not (proc.name = a or fd.name = b)").unwrap();
        let p = Program::compile(f.expr());
        assert_eq!(p.len(), 3);
        assert_eq!(Program::compile(&Expr::Const(true)).entry, HOLDS);
        assert_eq!(Program::compile(&Expr::Const(false)).entry, FAILS);
        let e = Expr::And(vec![Expr::Const(true), Expr::Not(Box::new(Expr::Const(true)))].into());
        assert_eq!(Program::compile(&e).entry, FAILS);
    }
}
