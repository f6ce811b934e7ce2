//! The rules tried on one event type, arranged as a tree of the tests they start with: on an open,
//! a dozen rules each start with their own test of `fd.name`, and those on writes all need
//! `evt.is_open_write`, which most opens fail. Rules whose conditions start with a test of the
//! same field form one stage that extracts the field once and runs each distinct test on the
//! value; the rules behind a test that holds go on from their next conjunct the same way (rules
//! that start with the same test share it), and a rule's remaining condition runs as a program
//! once no other rule goes its way. The others run their whole condition.
//!
//! A rule's result is its condition's: each test a stage runs for it is a conjunct of the
//! condition (the rule cannot hold when it fails) and is left out of what follows.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use rustc_hash::FxHasher;

use crate::fields::{Ctx, Extractor, Field, Value};
use crate::filter::eval::{CheckExpr, Expr, Test};
use crate::filter::program::Program;
use crate::filter::shared::Memo;

/// Stages nest at most this deep (a rule's conjuncts; Falco's rules have a few in common).
const MAX_DEPTH: usize = 8;

/// One step of a plan.
#[derive(Debug)]
enum Stage {
    /// A rule, by its position in the type's rule list, whose program runs.
    Rule(u32),
    /// Rules that each require a test of `field`: one branch per distinct test.
    Keyed {
        field: Field,
        /// The field's [`Field::extractor`].
        get: Extractor,
        branches: Box<[Branch]>,
        /// When enough branches test equality with strings: those branches by the string.
        by_string: Option<ByString>,
    },
}

/// A stage's branches whose test holds exactly on the values equal to some strings
/// ([`CheckExpr::equal_strings`]), found by the value in one lookup rather than by a comparison
/// each: execve's `proc.name` stage has a dozen `proc.name = ...` and `proc.name in (...)` tests.
#[derive(Debug)]
struct ByString {
    /// For each string, the branches (indexes) whose test holds on it.
    branches: HashMap<Box<[u8]>, Box<[u32]>, BuildHasherDefault<FxHasher>>,
    /// The other branches, run one by one.
    others: Box<[u32]>,
}

/// Branches of a stage that test equality with strings, from which they are looked up.
const BY_STRING_FROM: usize = 2;

/// A test, and what runs when it holds.
#[derive(Debug)]
struct Branch {
    check: Arc<CheckExpr>,
    then: Then,
}

#[derive(Debug)]
enum Then {
    /// One rule's program.
    Rule(u32),
    /// The stages of the rules that start with this test, for the rest of their conditions.
    Stages(Box<[Stage]>),
}

/// The evaluation of the rules of one event type.
#[derive(Debug, Default)]
pub struct TypePlan {
    stages: Box<[Stage]>,
    /// By position: what is left of the rule's condition on this type once the stages on its way
    /// ran their tests.
    programs: Box<[Arc<Program>]>,
}

/// A rule on its way through the plan: its position, what is left of its condition, and how many
/// of its first conjuncts the stages took out so far.
struct Item {
    pos: usize,
    rest: Expr,
    taken: usize,
}

impl TypePlan {
    /// Arranges `conditions`, the type's rules' conditions in order as they stand on the type
    /// ([`crate::filter::optimize::for_type`]). `compile(position, taken, condition)` compiles
    /// what a position runs last, `taken` being how many first conjuncts the stages took out (so
    /// the caller can share programs between types).
    pub fn build(
        conditions: &[&Expr],
        mut compile: impl FnMut(usize, usize, &Expr) -> Arc<Program>,
    ) -> TypePlan {
        let items = conditions
            .iter()
            .enumerate()
            .map(|(pos, c)| Item {
                pos,
                rest: (*c).clone(),
                taken: 0,
            })
            .collect();
        let mut programs: Vec<Option<Arc<Program>>> = vec![None; conditions.len()];
        let mut finish = |item: &Item| {
            programs[item.pos] = Some(compile(item.pos, item.taken, &item.rest));
            item.pos as u32
        };
        let stages = arrange(items, 0, &mut finish);
        TypePlan {
            stages,
            programs: programs
                .into_iter()
                .map(|p| p.expect("every position runs a program"))
                .collect(),
        }
    }

    /// Puts in `held` the positions of the rules whose condition holds on the event, in order.
    #[inline]
    pub fn eval(&self, ctx: &Ctx<'_>, memo: &Memo, held: &mut Vec<u32>) {
        held.clear();
        self.run(&self.stages, ctx, memo, held);
        held.sort_unstable();
    }

    fn run(&self, stages: &[Stage], ctx: &Ctx<'_>, memo: &Memo, held: &mut Vec<u32>) {
        for stage in stages {
            match stage {
                Stage::Rule(pos) => self.run_rule(*pos, ctx, memo, held),
                Stage::Keyed {
                    field,
                    get,
                    branches,
                    by_string: None,
                } => {
                    let value = get(field, ctx);
                    for b in branches {
                        if b.check.holds_on(value.as_ref()) {
                            self.then(&b.then, ctx, memo, held);
                        }
                    }
                }
                Stage::Keyed {
                    field,
                    get,
                    branches,
                    by_string: Some(by),
                } => {
                    let value = get(field, ctx);
                    let bytes = match &value {
                        Some(Value::Str(s)) => Some(s.as_bytes()),
                        Some(Value::Bytes(b)) => Some(b.as_ref()),
                        _ => None,
                    };
                    if let Some(hits) = bytes.and_then(|b| by.branches.get(b)) {
                        for &i in hits.iter() {
                            self.then(&branches[i as usize].then, ctx, memo, held);
                        }
                    }
                    for &i in by.others.iter() {
                        let b = &branches[i as usize];
                        if b.check.holds_on(value.as_ref()) {
                            self.then(&b.then, ctx, memo, held);
                        }
                    }
                }
            }
        }
    }

    #[inline]
    fn then(&self, then: &Then, ctx: &Ctx<'_>, memo: &Memo, held: &mut Vec<u32>) {
        match then {
            Then::Rule(pos) => self.run_rule(*pos, ctx, memo, held),
            Then::Stages(next) => self.run(next, ctx, memo, held),
        }
    }

    #[inline]
    fn run_rule(&self, pos: u32, ctx: &Ctx<'_>, memo: &Memo, held: &mut Vec<u32>) {
        if self.programs[pos as usize].eval(ctx, memo) {
            held.push(pos);
        }
    }

    /// The number of rules that a keyed stage leads to.
    #[cfg(test)]
    fn keyed_rules(&self) -> usize {
        fn count(stages: &[Stage], keyed: bool) -> usize {
            stages
                .iter()
                .map(|s| match s {
                    Stage::Rule(_) => keyed as usize,
                    Stage::Keyed { branches, .. } => branches
                        .iter()
                        .map(|b| match &b.then {
                            Then::Rule(_) => 1,
                            Then::Stages(next) => count(next, true),
                        })
                        .sum(),
                })
                .sum()
        }
        count(&self.stages, false)
    }
}

/// The rules of a stage being built: its field, its place, and its distinct tests with the
/// rules that start with each.
struct Group {
    field: Field,
    stage: usize,
    tests: Vec<(Arc<CheckExpr>, TestId, Vec<Item>)>,
}

/// The stages for `items`, at nesting `depth`; `finish` compiles what an item runs last and
/// returns its position.
fn arrange(items: Vec<Item>, depth: usize, finish: &mut impl FnMut(&Item) -> u32) -> Box<[Stage]> {
    let keys = if depth < MAX_DEPTH {
        choose_keys(&items.iter().map(|i| &i.rest).collect::<Vec<_>>())
    } else {
        vec![None; items.len()]
    };
    // Stages in the order of their first rule; tests in the order of their first rule.
    let mut stages: Vec<Stage> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for (mut item, key) in items.into_iter().zip(keys) {
        let Some(check) = key else {
            stages.push(Stage::Rule(finish(&item)));
            continue;
        };
        let field = check.single_field().expect("a key tests one field").clone();
        let id = test_id(&check);
        item.rest = without_first(&item.rest);
        item.taken += 1;
        let at = match groups.iter().position(|g| g.field == field) {
            Some(at) => at,
            None => {
                // Its place, filled below.
                stages.push(Stage::Rule(u32::MAX));
                groups.push(Group {
                    field,
                    stage: stages.len() - 1,
                    tests: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let tests = &mut groups[at].tests;
        match tests.iter_mut().find(|(_, t, _)| *t == id) {
            Some((_, _, members)) => members.push(item),
            None => tests.push((check, id, vec![item])),
        }
    }
    for Group {
        field,
        stage,
        tests,
    } in groups
    {
        let branches: Box<[Branch]> = tests
            .into_iter()
            .map(|(check, _, mut members)| {
                let then = if members.len() == 1 {
                    Then::Rule(finish(&members.pop().expect("one")))
                } else {
                    Then::Stages(arrange(members, depth + 1, finish))
                };
                Branch { check, then }
            })
            .collect();
        let by_string = by_string(&branches);
        stages[stage] = Stage::Keyed {
            get: field.extractor(),
            field,
            branches,
            by_string,
        };
    }
    stages.into_boxed_slice()
}

/// The lookup of `branches` by string, when at least [`BY_STRING_FROM`] of them allow it.
fn by_string(branches: &[Branch]) -> Option<ByString> {
    let strings: Vec<Option<Vec<&str>>> =
        branches.iter().map(|b| b.check.equal_strings()).collect();
    if strings.iter().flatten().count() < BY_STRING_FROM {
        return None;
    }
    let mut by: HashMap<Box<[u8]>, Vec<u32>, BuildHasherDefault<FxHasher>> = HashMap::default();
    let mut others = Vec::new();
    for (i, s) in strings.into_iter().enumerate() {
        let Some(s) = s else {
            others.push(i as u32);
            continue;
        };
        for text in s {
            let hits = by.entry(text.as_bytes().into()).or_default();
            // A test may name a string twice (`in (a, a)`, `anyof`).
            if hits.last() != Some(&(i as u32)) {
                hits.push(i as u32);
            }
        }
    }
    Some(ByString {
        branches: by
            .into_iter()
            .map(|(k, v)| (k, v.into_boxed_slice()))
            .collect(),
        others: others.into_boxed_slice(),
    })
}

/// What makes two key tests the same test: their description (field, operator, constants), as
/// [`crate::filter::shared`] identifies them (a cheap test is not shared, but is still the same).
type TestId = String;

fn test_id(check: &CheckExpr) -> TestId {
    format!("{check:?}")
}

/// The operands of a condition's top-level `and` (the condition itself when it is not one).
fn conjuncts(e: &Expr) -> &[Expr] {
    match e {
        Expr::And(v) => v,
        other => std::slice::from_ref(other),
    }
}

/// `e` without its first conjunct.
fn without_first(e: &Expr) -> Expr {
    let mut rest: Vec<Expr> = conjuncts(e).iter().skip(1).cloned().collect();
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

/// For each condition, the test it is keyed on: its first conjunct (the optimizer put the likely
/// deciding, cheap ones first), when that is a key test and the first conjunct of another
/// condition of the list tests the same field.
fn choose_keys(conditions: &[&Expr]) -> Vec<Option<Arc<CheckExpr>>> {
    let first = |cond: &Expr| conjuncts(cond).first().and_then(key_check).cloned();
    let mut count: HashMap<Field, usize> = HashMap::new();
    for check in conditions.iter().filter_map(|c| first(c)) {
        *count
            .entry(check.single_field().expect("keyed").clone())
            .or_default() += 1;
    }
    conditions
        .iter()
        .map(|cond| {
            let check = first(cond)?;
            let n = count[check.single_field().expect("keyed")];
            (n >= 2).then_some(check)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Filter, optimize};
    use crate::schema::ev;

    fn build(conditions: &[&str]) -> (TypePlan, Vec<usize>) {
        // The number of tests the stages took out of each rule, by position.
        let exprs: Vec<Expr> = conditions
            .iter()
            .map(|c| optimize::for_type(Filter::new(c).unwrap().expr(), ev::SYSCALL_OPENAT_2_X))
            .collect();
        let refs: Vec<&Expr> = exprs.iter().collect();
        let mut keys = Vec::new();
        let plan = TypePlan::build(&refs, |pos, taken, e| {
            keys.push((pos, taken));
            Arc::new(Program::compile(e))
        });
        keys.sort();
        let keys = keys.into_iter().map(|(_, t)| t).collect();
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
        assert_eq!(keys, [1, 1, 0]);
        // The stage runs the key test: the programs that follow do not repeat it.
        assert_eq!(plan.programs[0].len(), 1);
        assert_eq!(plan.programs[2].len(), 1);
    }

    #[test]
    fn rules_that_start_with_the_same_test_share_it_and_go_on_from_their_next() {
        let (plan, taken) = build(&[
            "proc.name = a and proc.pname = b",
            "proc.name = a and proc.pname = c",
            "proc.name = a and user.name = x",
            "proc.name = z and proc.pname = b",
        ]);
        assert_eq!(plan.keyed_rules(), 4);
        // The first three share proc.name = a, then the first two a stage on proc.pname.
        assert_eq!(taken, [2, 2, 1, 1]);
        let Stage::Keyed { branches, .. } = &plan.stages[0] else {
            panic!("{:?}", plan.stages)
        };
        assert_eq!(branches.len(), 2, "{branches:?}");
    }

    #[test]
    fn equality_tests_of_a_stage_are_looked_up_by_the_string() {
        let (plan, _) = build(&[
            "proc.name = a and fd.num = 1",
            "proc.name in (a, b)",
            "proc.name startswith c and fd.num = 3",
            "proc.name = d or proc.name in (b, e)",
            "proc.name = a and fd.num = 5",
        ]);
        let Stage::Keyed {
            branches,
            by_string: Some(by),
            ..
        } = &plan.stages[0]
        else {
            panic!("{:?}", plan.stages)
        };
        // Rules 0 and 4 share the test `= a`: one branch.
        assert_eq!(branches.len(), 4, "{branches:?}");
        let hits = |s: &str| by.branches.get(s.as_bytes()).map(|h| h.to_vec());
        assert_eq!(hits("a"), Some(vec![0, 1]));
        assert_eq!(hits("b"), Some(vec![1, 3]));
        assert_eq!(hits("d"), Some(vec![3]));
        assert_eq!(hits("e"), Some(vec![3]));
        assert_eq!(hits("c"), None);
        assert_eq!(&*by.others, &[2]);
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
