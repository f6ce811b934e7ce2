//! The rules tried on one event type, arranged as a tree of the tests they start with: on an open,
//! a dozen rules each start with their own test of `fd.name`, and those on writes all need
//! `evt.is_open_write`, which most opens fail. Rules whose conditions start with a test of the
//! same field form one stage that extracts the field once and runs each distinct test on the
//! value; the rules behind a test that holds go on from their next conjunct the same way (rules
//! that start with the same test share it), and a rule's remaining condition runs as a program
//! once no other rule goes its way. The others run their whole condition.
//!
//! A rule whose first conjunct is no such test joins a stage all the same when its condition
//! requires one of a few tests of the stage's field to hold (`fd.name startswith /etc/ or
//! user_ssh_directory` and the rest, on an open): those tests are its branch, and it runs its
//! whole condition behind it. Most opens fail them all, and the rule costs a few tests of a value
//! already extracted instead of a program that extracts it again for each.
//!
//! A rule's result is its condition's: each test a stage runs for it is a conjunct of the
//! condition, or tests one of which the condition requires ([`necessary_tests`]), so the rule
//! cannot hold when they fail; a conjunct is left out of what follows.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use rustc_hash::FxHasher;

use crate::fields::{Ctx, Extractor, Field, FieldId, Value};
use crate::filter::eval::{CheckExpr, Expr, Lhs, Test};
use crate::filter::optimize;
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
    test: KeyTest,
    then: Then,
}

/// What a branch tests on the value of its stage's field.
#[derive(Debug)]
enum KeyTest {
    /// The first conjunct of its rules' conditions, which they do not run again.
    Conjunct(Arc<CheckExpr>),
    /// Tests one of which holds whenever its rules' conditions do ([`necessary_tests`]); the
    /// rules run their whole conditions behind it.
    AnyOf(Box<[Arc<CheckExpr>]>),
}

impl KeyTest {
    #[inline]
    fn holds_on(&self, v: Option<&Value<'_>>) -> bool {
        match self {
            KeyTest::Conjunct(c) => c.holds_on(v),
            KeyTest::AnyOf(tests) => tests.iter().any(|c| c.holds_on(v)),
        }
    }

    /// The strings the test holds on exactly ([`CheckExpr::equal_strings`]).
    fn equal_strings(&self) -> Option<Vec<&str>> {
        match self {
            KeyTest::Conjunct(c) => c.equal_strings(),
            KeyTest::AnyOf(tests) => tests.iter().try_fold(Vec::new(), |mut all, c| {
                all.extend(c.equal_strings()?);
                Some(all)
            }),
        }
    }
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

/// A rule on its way through the plan: its position, what is left of its condition, how many
/// of its first conjuncts the stages took out so far, and whether a branch of tests its condition
/// requires ([`KeyTest::AnyOf`]) is on its way (one is enough: the next would test the same).
struct Item {
    pos: usize,
    rest: Expr,
    taken: usize,
    required_tested: bool,
}

impl TypePlan {
    /// Arranges `conditions`, the rules' conditions in order as they stand on events of type
    /// `event_type` ([`crate::filter::optimize::for_type`]). `compile(position, taken, condition)` compiles
    /// what a position runs last, `taken` being how many first conjuncts the stages took out (so
    /// the caller can share programs between types).
    pub fn build(
        event_type: u16,
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
                required_tested: false,
            })
            .collect();
        let mut programs: Vec<Option<Arc<Program>>> = vec![None; conditions.len()];
        let mut finish = |item: &Item| {
            programs[item.pos] = Some(compile(item.pos, item.taken, &item.rest));
            item.pos as u32
        };
        let derive = Derive {
            directory_in_name: event_type != crate::schema::ev::SOCKET_CONNECT_X,
        };
        let stages = arrange(items, 0, derive, &mut finish);
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
                        if b.test.holds_on(value.as_ref()) {
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
                        if b.test.holds_on(value.as_ref()) {
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
/// rules behind each.
struct Group {
    field: Field,
    stage: usize,
    tests: Vec<(KeyTest, TestId, Vec<Item>)>,
}

/// The stages for `items`, at nesting `depth`; `finish` compiles what an item runs last and
/// returns its position.
fn arrange(
    items: Vec<Item>,
    depth: usize,
    derive: Derive,
    finish: &mut impl FnMut(&Item) -> u32,
) -> Box<[Stage]> {
    let keys = if depth < MAX_DEPTH {
        choose_keys(&items, derive)
    } else {
        items.iter().map(|_| None).collect()
    };
    // Stages in the order of their first rule; tests in the order of their first rule.
    let mut stages: Vec<Stage> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for (mut item, key) in items.into_iter().zip(keys) {
        let (field, test, id) = match key {
            None => {
                stages.push(Stage::Rule(finish(&item)));
                continue;
            }
            Some(Key::Conjunct(check)) => {
                item.rest = without_first(&item.rest);
                item.taken += 1;
                let field = check.single_field().expect("a key tests one field").clone();
                let id = test_id(&check);
                (field, KeyTest::Conjunct(check), id)
            }
            Some(Key::Required(field, tests)) => {
                item.required_tested = true;
                let ids: Vec<TestId> = tests.iter().map(|c| test_id(c)).collect();
                let id = format!("any of {}", ids.join(" | "));
                (field, KeyTest::AnyOf(tests.into_boxed_slice()), id)
            }
        };
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
            None => tests.push((test, id, vec![item])),
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
            .map(|(test, _, mut members)| {
                let then = if members.len() == 1 {
                    Then::Rule(finish(&members.pop().expect("one")))
                } else {
                    Then::Stages(arrange(members, depth + 1, derive, finish))
                };
                Branch { test, then }
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
    let strings: Vec<Option<Vec<&str>>> = branches.iter().map(|b| b.test.equal_strings()).collect();
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

/// Whether a test of one value usually fails, so that a stage may run it to pass over the rules
/// behind it (an existence test or a `!=` mostly holds, and would only add a test before the
/// rule's own).
fn is_selective(check: &CheckExpr) -> bool {
    check.single_field().is_some()
        && !matches!(
            &check.test,
            Test::Exists | Test::Cmp(crate::filter::ast::Op::Ne, _)
        )
}

/// A conjunct a stage can run: a selective test of a single value.
fn key_check(e: &Expr) -> Option<&Arc<CheckExpr>> {
    let check = match e {
        Expr::Check(c) => c,
        Expr::Shared(s) => match &s.expr {
            Expr::Check(c) => c,
            _ => return None,
        },
        _ => return None,
    };
    is_selective(check).then_some(check)
}

/// How a rule joins a keyed stage.
enum Key {
    /// By its first conjunct.
    Conjunct(Arc<CheckExpr>),
    /// By tests of the field one of which its condition requires.
    Required(Field, Vec<Arc<CheckExpr>>),
}

/// Required tests of more than this many do not make a branch: the rule runs its program.
const MAX_REQUIRED_TESTS: usize = 8;
/// Nor do those likely to hold (by the optimizer's estimates, added up): `fd.typechar = f or
/// fd.typechar = d` passes most opens, and would only add its tests before the rule's own.
const MAX_REQUIRED_CHANCE: f32 = 0.45;

/// What [`necessary_tests`] may infer from the tests of other fields.
#[derive(Clone, Copy)]
struct Derive {
    /// `fd.directory` is a prefix of `fd.name` (on every event but a connect exit, where a
    /// failed connect's `fd.name` is the address it tried).
    directory_in_name: bool,
}

/// Selective tests of `field` one of which holds whenever `e` does, or None when `e` can hold
/// whatever they give: every operand of an `or` must require some, one operand of an `and` is
/// enough (the cheapest is taken).
fn necessary_tests(e: &Expr, field: &Field, derive: Derive) -> Option<Vec<Arc<CheckExpr>>> {
    match e {
        Expr::Check(c) if c.single_field() == Some(field) => {
            is_selective(c).then(|| vec![Arc::clone(c)])
        }
        Expr::Check(c) => name_prefixes_of_directory(c, field, derive),
        Expr::Shared(s) => necessary_tests(&s.expr, field, derive),
        Expr::Or(v) => v.iter().try_fold(Vec::new(), |mut all, x| {
            all.extend(necessary_tests(x, field, derive)?);
            Some(all)
        }),
        Expr::And(v) => v
            .iter()
            .filter_map(|x| necessary_tests(x, field, derive))
            .min_by_key(|tests| tests.iter().map(|c| test_cost(c)).sum::<usize>()),
        Expr::Const(false) => Some(Vec::new()),
        Expr::Const(true) | Expr::Not(_) | Expr::EvtType(_) | Expr::Dir { .. } => None,
    }
}

/// For a test that `fd.directory` is (or starts with) some absolute directories, the tests that
/// `fd.name` starts with them, which it requires: a directory's name is its own `fd.directory`,
/// a file's is its directory's, a slash and more. ("/" is left out: a relative name without a
/// table entry has the directory "/".)
fn name_prefixes_of_directory(
    c: &CheckExpr,
    field: &Field,
    derive: Derive,
) -> Option<Vec<Arc<CheckExpr>>> {
    let directory = c.single_field()?;
    if !derive.directory_in_name
        || field.id != FieldId::FdName
        || field.arg.is_some()
        || directory.id != FieldId::FdDirectory
        || directory.arg.is_some()
    {
        return None;
    }
    let dirs: Vec<&[u8]> = match &c.test {
        Test::Startswith(d) => vec![&**d],
        _ => c.equal_strings()?.into_iter().map(str::as_bytes).collect(),
    };
    dirs.into_iter()
        .map(|d| {
            (d.len() > 1 && d[0] == b'/').then(|| {
                Arc::new(CheckExpr {
                    lhs: Lhs::Field(field.clone()),
                    test: Test::Startswith(d.into()),
                })
            })
        })
        .collect()
}

/// A rough relative cost of running a test on a value.
fn test_cost(c: &CheckExpr) -> usize {
    fn of(t: &Test) -> usize {
        match t {
            // A pattern's literal start fails most values at their first bytes; a search
            // goes through the whole value.
            Test::Glob(g) if g.starts_literal() => 1,
            Test::Contains(_) | Test::Icontains(_) | Test::Glob(_) | Test::Pmatch(_) => 3,
            Test::Regex(_) => 20,
            Test::Modified(_, tests) => tests.iter().map(of).sum(),
            _ => 1,
        }
    }
    of(&c.test)
}

/// For each item, how it joins a keyed stage, if it does. A stage is made for a field when two
/// items or more can join it: by their first conjunct (the optimizer put the likely deciding,
/// cheap ones first) when that is a selective test of the field, or else by the tests of the
/// field their condition requires (unless a branch of their required tests is already on their
/// way). An item joins by its first conjunct when it can, else the busiest stage it can join.
fn choose_keys(items: &[Item], derive: Derive) -> Vec<Option<Key>> {
    let first = |cond: &Expr| conjuncts(cond).first().and_then(key_check).cloned();
    let firsts: Vec<Option<Arc<CheckExpr>>> = items.iter().map(|i| first(&i.rest)).collect();
    let first_field = |c: &Arc<CheckExpr>| c.single_field().expect("keyed").clone();
    let first_fields: Vec<Field> = firsts.iter().flatten().map(first_field).collect();
    // Whether an item's first conjunct joins a stage whatever the others require.
    let joins_by_first = |first: &Option<Arc<CheckExpr>>| {
        first.as_ref().is_some_and(|c| {
            let f = first_field(c);
            first_fields.iter().filter(|g| **g == f).count() >= 2
        })
    };
    // What the other items could join a stage of a field by: tests their condition requires.
    let required: Vec<Vec<(Field, Vec<Arc<CheckExpr>>)>> = items
        .iter()
        .zip(&firsts)
        .map(|(item, first)| {
            if item.required_tested || joins_by_first(first) {
                return Vec::new();
            }
            let mut fields: Vec<&Field> = Vec::new();
            tested_fields(&item.rest, &mut fields);
            let own_first = first.as_ref().and_then(|c| c.single_field());
            fields
                .into_iter()
                .filter(|f| Some(*f) != own_first)
                .filter_map(|f| {
                    let tests = necessary_tests(&item.rest, f, derive)?;
                    let chance: f32 = tests.iter().map(|c| optimize::chance_of(c)).sum();
                    (tests.len() <= MAX_REQUIRED_TESTS && chance <= MAX_REQUIRED_CHANCE)
                        .then(|| (f.clone(), tests))
                })
                .collect()
        })
        .collect();
    // Items each field's stage could take, in the order fields are first met (plans must not
    // depend on hashing).
    let mut counts: Vec<(Field, usize)> = Vec::new();
    let mut count = |f: &Field| match counts.iter_mut().find(|(g, _)| g == f) {
        Some((_, n)) => *n += 1,
        None => counts.push((f.clone(), 1)),
    };
    for (first, req) in firsts.iter().zip(&required) {
        if let Some(c) = first {
            count(c.single_field().expect("keyed"));
        }
        req.iter().for_each(|(f, _)| count(f));
    }
    let takers = |f: &Field| counts.iter().find(|(g, _)| g == f).map_or(0, |(_, n)| *n);
    firsts
        .into_iter()
        .zip(required)
        .map(|(first, req)| {
            let by_first = first.filter(|c| takers(c.single_field().expect("keyed")) >= 2);
            let by_required = req
                .into_iter()
                .filter(|(f, _)| takers(f) >= 2)
                .max_by_key(|(f, _)| takers(f));
            match (by_first, by_required) {
                (Some(c), _) => Some(Key::Conjunct(c)),
                (None, Some((f, tests))) => Some(Key::Required(f, tests)),
                (None, None) => None,
            }
        })
        .collect()
}

/// The fields `e` tests with single-valued checks, each once.
fn tested_fields<'e>(e: &'e Expr, out: &mut Vec<&'e Field>) {
    match e {
        Expr::Check(c) => {
            if let Some(f) = c.single_field()
                && !out.contains(&f)
            {
                out.push(f);
            }
        }
        Expr::Shared(s) => tested_fields(&s.expr, out),
        Expr::And(v) | Expr::Or(v) => v.iter().for_each(|x| tested_fields(x, out)),
        Expr::Not(x) => tested_fields(x, out),
        Expr::Const(_) | Expr::EvtType(_) | Expr::Dir { .. } => {}
    }
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
        let plan = TypePlan::build(ev::SYSCALL_OPENAT_2_X, &refs, |pos, taken, e| {
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
    fn a_rule_joins_a_stage_by_the_tests_of_its_field_its_condition_requires() {
        let (plan, taken) = build(&[
            "fd.name startswith /etc and proc.name != a",
            "fd.name endswith .ssh and proc.name != b",
            "((fd.name contains /.ssh/ and fd.name glob '/home/*') or fd.name startswith /root/.ssh) \
             and proc.name != c",
            "(fd.directory in (/etc/pam.d) or fd.name = /etc/shadow) and proc.name != d",
            "(fd.name contains /x or proc.name = e) and proc.name != f",
        ]);
        // The last rule's `or` can hold whatever fd.name is: it runs its program.
        assert_eq!(plan.keyed_rules(), 4);
        // The stage runs the first two rules' first conjuncts, the others' required tests: those
        // run their whole condition.
        assert_eq!(taken, [1, 1, 0, 0, 0]);
        let Stage::Keyed { branches, .. } = &plan.stages[0] else {
            panic!("{:?}", plan.stages)
        };
        let required: Vec<usize> = branches
            .iter()
            .filter_map(|b| match &b.test {
                KeyTest::AnyOf(tests) => Some(tests.len()),
                KeyTest::Conjunct(_) => None,
            })
            .collect();
        // `fd.directory in (/etc/pam.d)` requires `fd.name startswith /etc/pam.d`.
        assert_eq!(required, [2, 2]);
    }

    #[test]
    fn a_connect_exit_does_not_infer_fd_name_from_fd_directory() {
        let conditions = [
            "fd.name startswith /etc and proc.name != a",
            "fd.name endswith .ssh and proc.name != b",
            "(fd.directory in (/etc/pam.d) or fd.name = /etc/shadow) and proc.name != d",
        ];
        let exprs: Vec<Expr> = conditions
            .iter()
            .map(|c| optimize::for_type(Filter::new(c).unwrap().expr(), ev::SOCKET_CONNECT_X))
            .collect();
        let refs: Vec<&Expr> = exprs.iter().collect();
        let plan = TypePlan::build(ev::SOCKET_CONNECT_X, &refs, |_, _, e| {
            Arc::new(Program::compile(e))
        });
        // A failed connect's fd.name is the address it tried, whatever the fd's directory.
        assert_eq!(plan.keyed_rules(), 2);
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
