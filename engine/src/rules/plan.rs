//! The rules tried on one event type, arranged so that a field several of them require a test of
//! is extracted once: on an open, a dozen rules each start with their own test of `fd.name` or
//! `evt.is_open_write`, and most events fail them all. Such rules form one stage that extracts
//! the field, runs each rule's test on the value, and runs a rule's remaining condition only when
//! its test holds. The others run their whole condition as before.
//!
//! A rule's result is its condition's: the test a stage runs for it is a conjunct of the
//! condition (so the rule cannot hold when it fails) and is left out of the program that follows.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::fields::{Ctx, Field};
use crate::filter::eval::{CheckExpr, Expr, Test};
use crate::filter::program::Program;
use crate::filter::shared::Memo;

/// One step of a plan.
#[derive(Debug)]
enum Stage {
    /// A rule, by its position in the type's rule list, whose whole program runs.
    Rule(u32),
    /// Rules that each require a test of `field` (with its position).
    Keyed {
        field: Field,
        rules: Box<[(Arc<CheckExpr>, u32)]>,
    },
}

/// The evaluation of the rules of one event type.
#[derive(Debug, Default)]
pub struct TypePlan {
    stages: Box<[Stage]>,
    /// By position: the rule's condition on this type, less the test its stage runs (if any).
    programs: Box<[Arc<Program>]>,
}

impl TypePlan {
    /// Arranges `conditions`, the type's rules' conditions in order as they stand on the type
    /// ([`crate::filter::optimize::for_type`]). `compile(position, key, condition)` compiles the
    /// condition a position runs, `key` being the index of the conjunct left out of it (the
    /// caller may share programs between types).
    pub fn build(
        conditions: &[&Expr],
        mut compile: impl FnMut(usize, Option<usize>, &Expr) -> Arc<Program>,
    ) -> TypePlan {
        let keys = choose_keys(conditions);
        let mut stages = Vec::new();
        let mut groups: HashMap<&Field, usize> = HashMap::new();
        let mut programs = Vec::with_capacity(conditions.len());
        for (pos, (cond, key)) in conditions.iter().zip(&keys).enumerate() {
            let Some((k, check)) = key else {
                programs.push(compile(pos, None, cond));
                stages.push(Stage::Rule(pos as u32));
                continue;
            };
            programs.push(compile(pos, Some(*k), &without(cond, *k)));
            let field = check.single_field().expect("a key tests one field");
            let at = *groups.entry(field).or_insert_with(|| {
                stages.push(Stage::Keyed {
                    field: field.clone(),
                    rules: Box::new([]),
                });
                stages.len() - 1
            });
            if let Stage::Keyed { rules, .. } = &mut stages[at] {
                let mut v = std::mem::take(rules).into_vec();
                v.push((Arc::clone(check), pos as u32));
                *rules = v.into_boxed_slice();
            }
        }
        TypePlan {
            stages: stages.into_boxed_slice(),
            programs: programs.into_boxed_slice(),
        }
    }

    /// Puts in `held` the positions of the rules whose condition holds on the event, in order.
    #[inline]
    pub fn eval(&self, ctx: &Ctx<'_>, memo: &Memo, held: &mut Vec<u32>) {
        held.clear();
        for stage in &self.stages {
            match stage {
                Stage::Rule(pos) => {
                    if self.programs[*pos as usize].eval(ctx, memo) {
                        held.push(*pos);
                    }
                }
                Stage::Keyed { field, rules } => {
                    let value = field.extract(ctx);
                    for (check, pos) in rules {
                        if check.holds_on(value.as_ref())
                            && self.programs[*pos as usize].eval(ctx, memo)
                        {
                            held.push(*pos);
                        }
                    }
                }
            }
        }
        held.sort_unstable();
    }

    /// The number of rules that share a stage with others.
    #[cfg(test)]
    fn keyed_rules(&self) -> usize {
        self.stages
            .iter()
            .map(|s| match s {
                Stage::Rule(_) => 0,
                Stage::Keyed { rules, .. } => rules.len(),
            })
            .sum()
    }
}

/// The operands of a condition's top-level `and` (the condition itself when it is not one).
fn conjuncts(e: &Expr) -> &[Expr] {
    match e {
        Expr::And(v) => v,
        other => std::slice::from_ref(other),
    }
}

/// `e` without its conjunct `k`.
fn without(e: &Expr, k: usize) -> Expr {
    let mut rest: Vec<Expr> = conjuncts(e)
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != k)
        .map(|(_, x)| x.clone())
        .collect();
    match rest.len() {
        0 => Expr::Const(true),
        1 => rest.pop().expect("one"),
        _ => Expr::And(rest.into_boxed_slice()),
    }
}

/// A conjunct a stage can run: a test of a single value that usually fails (an existence test or
/// a `!=` mostly holds, and would only add a test before the rule's own).
fn key_check(e: &Expr) -> Option<&Arc<CheckExpr>> {
    let check = match e {
        Expr::Check(c) => c,
        Expr::Shared(s) => match &s.expr {
            Expr::Check(c) => c,
            _ => return None,
        },
        _ => return None,
    };
    check.single_field()?;
    match &check.test {
        Test::Exists | Test::Cmp(crate::filter::ast::Op::Ne, _) => None,
        _ => Some(check),
    }
}

/// For each condition, the conjunct it is keyed on (index and test): the key test whose field
/// the most conditions of the list can be keyed on, when at least two can; ties go to the
/// earlier conjunct (the optimizer put the likely deciding ones first).
fn choose_keys<'e>(conditions: &[&'e Expr]) -> Vec<Option<(usize, &'e Arc<CheckExpr>)>> {
    let mut count: HashMap<&Field, usize> = HashMap::new();
    for cond in conditions {
        let fields: HashSet<&Field> = conjuncts(cond)
            .iter()
            .take(1)
            .filter_map(key_check)
            .filter_map(|c| c.single_field())
            .collect();
        for f in fields {
            *count.entry(f).or_default() += 1;
        }
    }
    conditions
        .iter()
        .map(|cond| {
            let mut best: Option<(usize, &Arc<CheckExpr>, usize)> = None;
            for (i, c) in conjuncts(cond).iter().enumerate().take(1) {
                let Some(check) = key_check(c) else { continue };
                let n = count[check.single_field().expect("keyed")];
                if n >= 2 && best.is_none_or(|(_, _, m)| n > m) {
                    best = Some((i, check, n));
                }
            }
            best.map(|(i, c, _)| (i, c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Filter, optimize};
    use crate::schema::ev;

    fn build(conditions: &[&str]) -> (TypePlan, Vec<usize>) {
        let exprs: Vec<Expr> = conditions
            .iter()
            .map(|c| optimize::for_type(Filter::new(c).unwrap().expr(), ev::SYSCALL_OPENAT_2_X))
            .collect();
        let refs: Vec<&Expr> = exprs.iter().collect();
        let mut keys = Vec::new();
        let plan = TypePlan::build(&refs, |_, key, e| {
            keys.push(key.map_or(usize::MAX, |k| k));
            Arc::new(Program::compile(e))
        });
        (plan, keys)
    }

    #[test]
    fn rules_that_start_with_a_test_of_one_field_share_its_extraction() {
        let (plan, keys) = build(&[
            "fd.name startswith /etc and proc.name = a",
            "fd.name endswith .ssh and proc.name = b",
            "proc.name = c",
        ]);
        assert_eq!(plan.keyed_rules(), 2);
        assert_eq!(keys, [0, 0, usize::MAX]);
        // The stage runs the key test: the programs that follow do not repeat it.
        assert_eq!(plan.programs[0].len(), 1);
        assert_eq!(plan.programs[2].len(), 1);
    }

    #[test]
    fn tests_that_mostly_hold_are_no_keys() {
        let (plan, _) = build(&[
            "proc.name exists and fd.num = 3",
            "proc.name exists and fd.num = 4",
        ]);
        // fd.num is the key (the existence test runs after it, it usually holds).
        assert_eq!(plan.keyed_rules(), 2);
        let (plan, _) = build(&[
            "proc.name != a and fd.num = 3",
            "proc.name != b and fd.num = 4",
        ]);
        assert_eq!(plan.keyed_rules(), 2);
        let (plan, _) = build(&["proc.name exists", "proc.name exists and fd.num = 4"]);
        assert_eq!(plan.keyed_rules(), 0);
    }
}
