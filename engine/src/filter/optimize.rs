//! What a compiled condition can match, for indexing (event types, generic syscalls), and its
//! operands ordered so the likely deciding, cheap ones run first.

use std::collections::HashSet;
use std::sync::Arc;

use super::ast::{Modifier, Op};
use super::eval::{CheckExpr, Expr, Lhs, Lit, Test};
use super::evttype::{self, EventTypeSet};
use crate::fields::FieldId;

/// The event types `e` can match: a superset, computed with De Morgan through `not`.
pub fn event_types(e: &Expr) -> EventTypeSet {
    fn go(e: &Expr, neg: bool) -> EventTypeSet {
        match e {
            Expr::And(v) if !neg => v
                .iter()
                .fold(EventTypeSet::all(), |acc, x| acc.intersect(&go(x, neg))),
            Expr::Or(v) if neg => v
                .iter()
                .fold(EventTypeSet::all(), |acc, x| acc.intersect(&go(x, neg))),
            Expr::And(v) | Expr::Or(v) => v
                .iter()
                .fold(EventTypeSet::empty(), |acc, x| acc.union(&go(x, neg))),
            Expr::Not(x) => go(x, !neg),
            Expr::EvtType(m) => {
                // `evt.type = X` holds on ids(X); its negation on every other id, except that
                // the generic event carries many syscalls, so it is never excluded.
                if m.negated() != neg {
                    let mut s = EventTypeSet::all().minus(&m.exact_ids());
                    s.insert(crate::schema::ev::GENERIC_E);
                    s.insert(crate::schema::ev::GENERIC_X);
                    s
                } else {
                    m.ids()
                }
            }
            Expr::Dir { exit } => {
                let mut s = EventTypeSet::empty();
                for id in 0..crate::schema::EVENT_COUNT as u16 {
                    if (id & 1 == 1) == (*exit != neg) {
                        s.insert(id);
                    }
                }
                s
            }
            Expr::Const(b) => {
                if *b != neg {
                    EventTypeSet::all()
                } else {
                    EventTypeSet::empty()
                }
            }
            Expr::Check(_) => EventTypeSet::all(),
            Expr::Shared(s) => go(&s.expr, neg),
        }
    }
    go(e, false)
}

/// The syscalls (ppm_sc ids) whose generic events `e` can match, or None for any: generic events
/// are indexed by their syscall, as other events by their type.
pub fn generic_syscalls(e: &Expr) -> Option<HashSet<u16>> {
    fn meet(a: Option<HashSet<u16>>, b: Option<HashSet<u16>>) -> Option<HashSet<u16>> {
        match (a, b) {
            (None, x) | (x, None) => x,
            (Some(a), Some(b)) => Some(a.intersection(&b).copied().collect()),
        }
    }
    fn join(a: Option<HashSet<u16>>, b: Option<HashSet<u16>>) -> Option<HashSet<u16>> {
        match (a, b) {
            (Some(a), Some(b)) => Some(a.union(&b).copied().collect()),
            _ => None,
        }
    }
    fn go(e: &Expr, neg: bool) -> Option<HashSet<u16>> {
        match e {
            Expr::And(v) if !neg => v.iter().fold(None, |acc, x| meet(acc, go(x, neg))),
            Expr::Or(v) if neg => v.iter().fold(None, |acc, x| meet(acc, go(x, neg))),
            Expr::And(v) | Expr::Or(v) => {
                let mut it = v.iter().map(|x| go(x, neg));
                let first = it.next().unwrap_or(None);
                it.fold(first, join)
            }
            Expr::Not(x) => go(x, !neg),
            Expr::EvtType(m) if m.negated() == neg => Some(m.syscalls().iter().copied().collect()),
            Expr::Shared(s) => go(&s.expr, neg),
            _ => None,
        }
    }
    go(e, false)
}

/// Event ids a list of evt.type names covers.
pub fn ids_for_names<'a>(names: impl Iterator<Item = &'a str>) -> EventTypeSet {
    names.fold(EventTypeSet::empty(), |acc, n| {
        acc.union(&evttype::ids_for_name(n))
    })
}

/// Rewrites a compiled condition for speed without changing its meaning: nested `and`s and `or`s
/// are flattened and their operands ordered so that the ones likely to decide the result cheaply
/// run first (an `and` stops at its first false operand, an `or` at its first true one).
/// Conditions have no side effects, so the order of operands does not matter for the result.
pub fn optimize(e: Expr) -> Expr {
    match e {
        Expr::And(v) => Expr::And(flatten_sorted(v, true)),
        Expr::Or(v) => Expr::Or(flatten_sorted(v, false)),
        Expr::Not(x) => Expr::Not(Box::new(optimize(*x))),
        other => other,
    }
}

/// `e` as it stands on events of type `t`: the parts the type decides
/// ([`Expr::value_for_type`]) folded to constants, then the operands ordered again, since what
/// is left of each can cost far less (a `rename` branch vanishes on an open). A shared part
/// keeps its slot: on events of type `t` it has the same value as before.
pub fn for_type(e: &Expr, t: u16) -> Expr {
    optimize(fold(e, t))
}

/// What [`for_type`] depends on for type `t`: the value the type gives each node of `e` (known
/// true, known false, or not known), in a fixed order. Two types with the same signature fold
/// `e` the same way, so they can share one program.
pub fn type_signature(e: &Expr, t: u16, out: &mut Vec<u8>) {
    out.push(match e.value_for_type(t) {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    });
    match e {
        Expr::And(v) | Expr::Or(v) => v.iter().for_each(|x| type_signature(x, t, out)),
        Expr::Not(x) => type_signature(x, t, out),
        Expr::Shared(s) => type_signature(&s.expr, t, out),
        _ => {}
    }
}

fn fold(e: &Expr, t: u16) -> Expr {
    if let Some(b) = e.value_for_type(t) {
        return Expr::Const(b);
    }
    match e {
        Expr::And(v) | Expr::Or(v) => {
            let and = matches!(e, Expr::And(_));
            // An operand of the neutral value drops out; one of the other value would have
            // made the whole known (value_for_type above).
            let kept: Vec<Expr> = v
                .iter()
                .map(|x| fold(x, t))
                .filter(|x| !matches!(x, Expr::Const(b) if *b == and))
                .collect();
            match <[Expr; 1]>::try_from(kept) {
                Ok([one]) => one,
                Err(kept) if and => Expr::And(kept.into_boxed_slice()),
                Err(kept) => Expr::Or(kept.into_boxed_slice()),
            }
        }
        Expr::Not(x) => Expr::Not(Box::new(fold(x, t))),
        Expr::Shared(s) => Expr::Shared(Box::new(super::shared::Shared {
            slot: s.slot,
            expr: fold(&s.expr, t),
        })),
        other => other.clone(),
    }
}

/// The operands of an `and` (`and == true`) or an `or`, flattened and ordered.
fn flatten_sorted(v: Box<[Expr]>, and: bool) -> Box<[Expr]> {
    let mut flat = Vec::with_capacity(v.len());
    for x in v.into_vec() {
        match (optimize(x), and) {
            (Expr::And(inner), true) | (Expr::Or(inner), false) => flat.extend(inner.into_vec()),
            (o, _) => flat.push(o),
        }
    }
    // For independent operands, the order that minimises the expected cost puts first those
    // with the least cost per chance of deciding: for an `and`, of being false.
    let key = |e: &Expr| {
        let est = estimate(e);
        let decides = if and { 1.0 - est.p } else { est.p };
        est.cost / decides.max(1e-3)
    };
    flat.sort_by(|a, b| key(a).total_cmp(&key(b)));
    if !and {
        flat = merge_tests_of_one_field(flat);
    }
    flat.into_boxed_slice()
}

/// The operands of an `or` with the tests of one single-valued field (`proc.cmdline contains a or
/// proc.cmdline contains b`) made one test of that field with the `anyof` modifier, which
/// extracts the value once (a command line is built each time it is extracted) and holds when
/// one of the tests holds on it, as the `or` did. The merged test takes the place of the first.
fn merge_tests_of_one_field(operands: Vec<Expr>) -> Vec<Expr> {
    let field_of = |e: &Expr| match e {
        Expr::Check(c) => c.single_field().cloned(),
        _ => None,
    };
    let mut groups: Vec<(crate::fields::Field, Vec<usize>)> = Vec::new();
    for (i, e) in operands.iter().enumerate() {
        if let Some(f) = field_of(e) {
            match groups.iter_mut().find(|(g, _)| *g == f) {
                Some((_, at)) => at.push(i),
                None => groups.push((f, vec![i])),
            }
        }
    }
    let mut slots: Vec<Option<Expr>> = operands.into_iter().map(Some).collect();
    for (field, at) in groups.into_iter().filter(|(_, at)| at.len() > 1) {
        // A check another condition holds too (a condition compiled before) keeps its form.
        let unique = at
            .iter()
            .all(|i| matches!(&slots[*i], Some(Expr::Check(c)) if Arc::strong_count(c) == 1));
        if !unique {
            continue;
        }
        let tests = at
            .iter()
            .map(|i| match slots[*i].take() {
                Some(Expr::Check(c)) => Arc::try_unwrap(c).expect("held once").test,
                _ => unreachable!("grouped operands are checks"),
            })
            .collect();
        slots[at[0]] = Some(Expr::Check(Arc::new(CheckExpr {
            lhs: Lhs::Field(field),
            test: Test::Modified(Modifier::Anyof, tests),
        })));
    }
    slots.into_iter().flatten().collect()
}

/// A rough evaluation cost, and the chance that the expression holds on an event of its types.
#[derive(Clone, Copy, Debug)]
struct Estimate {
    cost: f32,
    p: f32,
}

fn estimate(e: &Expr) -> Estimate {
    match e {
        Expr::Const(b) => Estimate {
            cost: 0.0,
            p: if *b { 1.0 } else { 0.0 },
        },
        Expr::Dir { .. } => Estimate { cost: 0.5, p: 0.5 },
        // Rules are indexed by event type: their own type tests mostly hold.
        Expr::EvtType(_) => Estimate { cost: 1.0, p: 0.5 },
        Expr::Not(x) => {
            let i = estimate(x);
            Estimate {
                cost: i.cost,
                p: 1.0 - i.p,
            }
        }
        // Operands run in order while they hold (`and`) or fail (`or`).
        Expr::And(v) => v
            .iter()
            .map(estimate)
            .fold(Estimate { cost: 0.0, p: 1.0 }, |acc, x| Estimate {
                cost: acc.cost + acc.p * x.cost,
                p: acc.p * x.p,
            }),
        Expr::Or(v) => {
            let all_fail = v
                .iter()
                .map(estimate)
                .fold(Estimate { cost: 0.0, p: 1.0 }, |acc, x| Estimate {
                    cost: acc.cost + acc.p * x.cost,
                    p: acc.p * (1.0 - x.p),
                });
            Estimate {
                cost: all_fail.cost,
                p: 1.0 - all_fail.p,
            }
        }
        Expr::Check(c) => check_estimate(c),
        Expr::Shared(s) => estimate(&s.expr),
    }
}

/// The cost of a test and how often it holds: equality, membership and string matches on a path
/// or a name rarely hold; `!=`, existence and the fd kinds often do.
fn check_estimate(c: &super::eval::CheckExpr) -> Estimate {
    let (test, p): (u32, f32) = match &c.test {
        Test::Regex(_) => (20, 0.1),
        Test::Modified(_, tests) => (2 + tests.len() as u32, 0.3),
        Test::FieldCmp(..) => (10, 0.5),
        Test::Glob(_) | Test::Pmatch(_) => (2, 0.1),
        Test::In(_) => (4, 0.1),
        Test::Cmp(Op::Ne, _) => (1, 0.9),
        Test::Cmp(Op::Lt | Op::Le | Op::Gt | Op::Ge, _) => (1, 0.5),
        Test::Cmp(_, Lit::Bool(_)) => (1, 0.5),
        Test::Exists => (1, 0.9),
        _ => (1, 0.1),
    };
    // At least this likely, whatever the test: most opens are of files, for reading, and give
    // an fd.
    let unselective = match (&c.lhs, &c.test) {
        (Lhs::Field(f), test) => match f.id {
            FieldId::FdTypechar | FieldId::FdType | FieldId::EvtDir => 0.5,
            FieldId::EvtIsOpenRead => 0.9,
            FieldId::FdNum if matches!(test, Test::Cmp(Op::Ge | Op::Gt, _)) => 0.9,
            _ => 0.0,
        },
        _ => 0.0,
    };
    Estimate {
        cost: (test + lhs_cost(&c.lhs)) as f32,
        p: p.max(unselective),
    }
}

/// The estimated chance that a check holds on an event of its types ([`check_estimate`]).
pub(crate) fn chance_of(c: &super::eval::CheckExpr) -> f32 {
    check_estimate(c).p
}

/// A test that costs about what keeping its result for the event does: one field read from the
/// event, the thread or the fd (at most a parent lookup or a path split) and a comparison that
/// does not search the value. A program runs such a shared subcondition in place rather than
/// through the memo ([`super::program`]).
pub(crate) fn is_cheap_check(c: &super::eval::CheckExpr) -> bool {
    c.single_field().is_some()
        && lhs_cost(&c.lhs) <= 6
        && matches!(
            c.test,
            Test::Exists
                | Test::Cmp(..)
                | Test::Startswith(_)
                | Test::Endswith(_)
                | Test::In(_)
                | Test::Pmatch(_)
        )
}

fn lhs_cost(l: &Lhs) -> u32 {
    match l {
        Lhs::Transform(_, inner) => 20 + lhs_cost(inner),
        Lhs::Concat(_) | Lhs::Join(..) => 40,
        Lhs::Field(f) => {
            use FieldId::*;
            match f.id {
                // Read straight from the event or the resolved thread/fd.
                EvtNum | EvtRawtime | EvtCpu | EvtDir | EvtType | EvtRawres | EvtFailed
                | EvtIsIo | EvtIsIoRead | EvtIsIoWrite | ProcPid | ProcName | ProcExe
                | ProcExepath | ProcTty | ProcVpid | ThreadTid | ThreadIsmain | FdNum | FdType
                | FdTypechar | FdName | UserUid | GroupGid | ContainerId => 2,
                EvtIsOpenRead | EvtIsOpenWrite | EvtIsOpenExec | EvtRes | EvtRawarg => 4,
                // A parent lookup, a path split, a table lookup.
                ProcPname | ProcPpid | ProcPexe | ProcPexepath | FdDirectory | FdFilename
                | UserName | GroupName | FdSip | FdCip | FdSport | FdCport | FdL4proto
                | ContainerName | ContainerImage | ContainerPrivileged => 6,
                // Multi-valued: walks the ancestors or both connection ends.
                ProcAname | ProcApid | ProcAexe | ProcAexepath | ProcAcmdline | FdIp | FdPort
                | FdNet
                    if f.arg.is_none() =>
                {
                    30
                }
                // Everything else may build a string.
                _ => 12,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Filter;

    fn operands(text: &str) -> Vec<String> {
        match Filter::new(text).unwrap().into_expr() {
            Expr::And(v) | Expr::Or(v) => v.iter().map(|e| format!("{e:?}")).collect(),
            e => vec![format!("{e:?}")],
        }
    }

    #[test]
    fn an_and_runs_the_tests_likely_to_fail_before_the_exceptions() {
        // As Falco's rules: a selective test, then exceptions that almost always hold.
        let ops = operands(
            "not (proc.name in (cmp, cp) and proc.pname in (passwd, run-parts)) \
             and not proc.name in (sshd, sudo) \
             and fd.name startswith /etc \
             and evt.type = openat",
        );
        assert!(ops[0].starts_with("EvtType"), "{ops:?}");
        assert!(ops[1].contains("Startswith"), "{ops:?}");
        assert!(
            ops[2].starts_with("Not") && ops[3].starts_with("Not"),
            "{ops:?}"
        );
    }

    #[test]
    fn an_or_of_tests_of_one_field_extracts_it_once() {
        let ops = operands(
            "proc.cmdline contains a or proc.name = x or proc.cmdline startswith b \
             or proc.name = y",
        );
        assert_eq!(ops.len(), 2, "{ops:?}");
        assert!(ops.iter().all(|o| o.contains("Modified(Anyof")), "{ops:?}");
        // Tests of fields with several values keep their own extraction.
        assert_eq!(operands("proc.aname = a or proc.aname = b").len(), 2);
    }

    #[test]
    fn an_or_runs_the_tests_likely_to_hold_first() {
        let ops = operands("fd.name = /etc/shadow or fd.typechar != f");
        assert!(ops[0].contains("FdTypechar"), "{ops:?}");
    }
}
