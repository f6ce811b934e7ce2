//! What a compiled condition can match, for indexing (event types, generic syscalls), and its
//! operands reordered cheapest first.

use std::collections::HashSet;

use super::ast::Op;
use super::eval::{Expr, Lhs, Lit, Test};
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
/// are flattened and their operands ordered cheapest first, so event-type and direction tests run
/// before field extraction, and string-building fields or ancestor walks run last. Conditions
/// have no side effects, so the order of operands does not matter for the result.
pub fn optimize(e: Expr) -> Expr {
    match e {
        Expr::And(v) => {
            let mut flat = Vec::with_capacity(v.len());
            for x in v.into_vec() {
                match optimize(x) {
                    Expr::And(inner) => flat.extend(inner.into_vec()),
                    o => flat.push(o),
                }
            }
            flat.sort_by_key(cost);
            Expr::And(flat.into_boxed_slice())
        }
        Expr::Or(v) => {
            let mut flat = Vec::with_capacity(v.len());
            for x in v.into_vec() {
                match optimize(x) {
                    Expr::Or(inner) => flat.extend(inner.into_vec()),
                    o => flat.push(o),
                }
            }
            flat.sort_by_key(cost);
            Expr::Or(flat.into_boxed_slice())
        }
        Expr::Not(x) => Expr::Not(Box::new(optimize(*x))),
        other => other,
    }
}

/// A rough evaluation cost, for ordering operands.
fn cost(e: &Expr) -> u32 {
    match e {
        Expr::Const(_) | Expr::Dir { .. } => 0,
        Expr::EvtType(_) => 1,
        // A negated test is usually true, so it rarely ends an `and`: run it late.
        Expr::Not(x) => cost(x) + 3,
        // An `and` usually stops at its first (cheapest) operand; an `or` that fails runs them all.
        Expr::And(v) => v.iter().map(cost).min().unwrap_or(0) + 1,
        Expr::Or(v) => v.iter().map(cost).sum(),
        Expr::Check(c) => check_cost(c),
        Expr::Shared(s) => cost(&s.expr),
    }
}

/// Cost plus a penalty for tests that rarely fail (ranges, `!=`, booleans, fd kinds), so the
/// selective ones (a path prefix, a process name) decide first.
fn check_cost(c: &super::eval::CheckExpr) -> u32 {
    let test = match &c.test {
        Test::Regex(_) => 20,
        Test::Modified(_, tests) => 2 + tests.len() as u32,
        Test::FieldCmp(..) => 10,
        Test::Glob(_) | Test::Pmatch(_) => 2,
        Test::In(_) => 4,
        Test::Cmp(Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge, _) => 3,
        Test::Cmp(_, Lit::Bool(_)) => 2,
        Test::Exists => 3,
        _ => 1,
    };
    let unselective = match &c.lhs {
        Lhs::Field(f) => matches!(
            f.id,
            FieldId::FdTypechar | FieldId::FdType | FieldId::EvtDir
        ) as u32,
        _ => 0,
    };
    test + unselective + lhs_cost(&c.lhs)
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
