//! Subconditions that several rules share, evaluated once per event. Falco's rules build on a few
//! macros (`open_read`, `open_write`, `spawned_process`, `container`...): after expansion, the same
//! subcondition appears in tens of rules, and an open event meets twenty of them. Once the rules are
//! compiled, [`share`] finds the subconditions that occur more than once (exactly: same structure,
//! same fields, same constants) and wraps each in [`Shared`], which keeps its result for the event
//! being matched. Conditions have no side effects, so this changes no result.
//!
//! The results live in a [`Memo`] the caller owns (the rule engine, one per engine), stamped with an
//! event counter: [`Memo::next_event`] makes every kept result stale without clearing anything.

use std::cell::Cell;
use std::collections::HashMap;

use super::eval::Expr;
use crate::fields::Ctx;

/// A subcondition whose result is kept for the current event, in slot `slot`.
#[derive(Debug, Clone)]
pub struct Shared {
    pub slot: u32,
    pub expr: Expr,
}

/// The results of the shared subconditions for the event being matched. Cells, so the evaluation
/// (which borrows the conditions and the memo shared) can write them.
#[derive(Debug)]
pub struct Memo {
    /// The current event's stamp (from 1; 0 marks a slot never written).
    event: u64,
    /// Per slot: the stamp of the event it was computed for, shifted left once, and the result.
    slots: Box<[Cell<u64>]>,
}

impl Default for Memo {
    fn default() -> Memo {
        Memo::new(0)
    }
}

impl Memo {
    /// A memo for `slots` shared subconditions (what [`share`] returned). A memo with fewer slots
    /// is correct too: a subcondition without a slot is evaluated each time it is met.
    pub fn new(slots: usize) -> Memo {
        Memo {
            event: 1,
            slots: (0..slots).map(|_| Cell::new(0)).collect(),
        }
    }

    /// A new event: results kept for the previous one no longer hold.
    #[inline]
    pub fn next_event(&mut self) {
        self.event += 1;
    }
}

impl Memo {
    /// The result kept in `slot` for this event, or `eval`'s, then kept.
    #[inline]
    pub fn get_or_eval(&self, slot: u32, eval: impl FnOnce() -> bool) -> bool {
        let Some(cell) = self.slots.get(slot as usize) else {
            return eval();
        };
        let kept = cell.get();
        if kept >> 1 == self.event {
            return kept & 1 == 1;
        }
        let v = eval();
        cell.set((self.event << 1) | v as u64);
        v
    }
}

impl Shared {
    #[inline]
    pub fn eval(&self, ctx: &Ctx<'_>, memo: &Memo) -> bool {
        memo.get_or_eval(self.slot, || self.expr.eval(ctx, memo))
    }
}

/// What identifies a subcondition: its operator and the identities of its operands, or, for a test,
/// its full description (field, transformers, operator and typed constants).
#[derive(PartialEq, Eq, Hash)]
enum Key {
    And(Vec<u32>),
    Or(Vec<u32>),
    Not(u32),
    Leaf(String),
}

#[derive(Default)]
struct Interner {
    ids: HashMap<Key, u32>,
    /// Occurrences of each identity.
    counts: Vec<u32>,
}

impl Interner {
    /// The identity of `e`, counted; the identities of its nodes are pushed in post-order.
    fn visit(&mut self, e: &Expr, order: &mut Vec<u32>) -> u32 {
        let key = match e {
            Expr::And(v) => Key::And(v.iter().map(|x| self.visit(x, order)).collect()),
            Expr::Or(v) => Key::Or(v.iter().map(|x| self.visit(x, order)).collect()),
            Expr::Not(x) => Key::Not(self.visit(x, order)),
            Expr::Shared(s) => return self.visit(&s.expr, order),
            leaf => Key::Leaf(format!("{leaf:?}")),
        };
        let next = self.counts.len() as u32;
        let id = *self.ids.entry(key).or_insert(next);
        if id == next {
            self.counts.push(0);
        }
        self.counts[id as usize] += 1;
        order.push(id);
        id
    }
}

/// True for nodes that cost less than looking their result up.
fn cheap(e: &Expr) -> bool {
    matches!(
        e,
        Expr::EvtType(_) | Expr::Dir { .. } | Expr::Const(_) | Expr::Shared(_)
    )
}

/// Wraps, in every condition of `exprs`, each subcondition that occurs more than once among them
/// in a [`Shared`] node; occurrences of the same subcondition share a slot. Conditions that are
/// wrapped already are left as they are. Returns the number of slots, for [`Memo::new`].
pub fn share<'a>(exprs: impl Iterator<Item = &'a mut Expr>) -> usize {
    let exprs: Vec<&mut Expr> = exprs.filter(|e| !contains_shared(e)).collect();
    let mut interner = Interner::default();
    let mut orders = Vec::with_capacity(exprs.len());
    for e in &exprs {
        let mut order = Vec::new();
        interner.visit(e, &mut order);
        orders.push(order);
    }
    let mut slots: HashMap<u32, u32> = HashMap::new();
    for (e, order) in exprs.into_iter().zip(orders) {
        let mut ids = order.into_iter();
        wrap(e, &mut ids, &interner.counts, &mut slots);
    }
    slots.len()
}

fn contains_shared(e: &Expr) -> bool {
    match e {
        Expr::Shared(_) => true,
        Expr::And(v) | Expr::Or(v) => v.iter().any(contains_shared),
        Expr::Not(x) => contains_shared(x),
        _ => false,
    }
}

/// Walks `e` in the post-order [`Interner::visit`] numbered it in.
fn wrap(
    e: &mut Expr,
    ids: &mut impl Iterator<Item = u32>,
    counts: &[u32],
    slots: &mut HashMap<u32, u32>,
) {
    match e {
        Expr::And(v) | Expr::Or(v) => v.iter_mut().for_each(|x| wrap(x, ids, counts, slots)),
        Expr::Not(x) => wrap(x, ids, counts, slots),
        _ => {}
    }
    let id = ids.next().expect("one identity per node");
    if counts[id as usize] < 2 || cheap(e) {
        return;
    }
    let next = slots.len() as u32;
    let slot = *slots.entry(id).or_insert(next);
    let expr = std::mem::replace(e, Expr::Const(false));
    *e = Expr::Shared(Box::new(Shared { slot, expr }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Filter;

    fn expr(text: &str) -> Expr {
        Filter::new(text).unwrap().into_expr()
    }

    fn count_shared(e: &Expr) -> usize {
        match e {
            Expr::Shared(s) => 1 + count_shared(&s.expr),
            Expr::And(v) | Expr::Or(v) => v.iter().map(count_shared).sum(),
            Expr::Not(x) => count_shared(x),
            _ => 0,
        }
    }

    #[test]
    fn only_repeated_subconditions_are_shared_with_one_slot_each() {
        let mut a = expr("evt.type = open and (fd.name startswith /etc or proc.name = cat)");
        let mut b = expr(
            "evt.type = open and (fd.name startswith /etc or proc.name = cat) and proc.pid > 5",
        );
        let mut c = expr("evt.type = open and fd.name startswith /var");
        share([&mut a, &mut b, &mut c].into_iter());
        // The `or` and both its tests occur twice; `evt.type = open` is cheaper than a lookup.
        assert_eq!(count_shared(&a), 3);
        assert_eq!(count_shared(&b), 3);
        assert_eq!(count_shared(&c), 0);
        let slot = |e: &Expr| match e {
            Expr::And(v) => v.iter().find_map(|x| match x {
                Expr::Shared(s) => Some(s.slot),
                _ => None,
            }),
            _ => None,
        };
        assert_eq!(slot(&a), slot(&b));
        // Sharing again leaves wrapped conditions as they are.
        share([&mut a, &mut b].into_iter());
        assert_eq!(count_shared(&a), 3);
    }
}
