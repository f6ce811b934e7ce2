//! Compiled conditions and their evaluation. Constants are typed at load time; comparing borrowed
//! field values with them allocates nothing (transformers and a few composite fields excepted).

use std::collections::HashSet;
use std::net::IpAddr;

use super::ast::{Modifier, Op};
use super::evttype::{EventTypeSet, ids_for_name, syscall_id};
pub use super::text::{Finder, Glob};
use super::text::{contains_bytes, ends_with, icontains_bytes, pmatch, same_bytes, starts_with};
pub use super::transform::Lhs;
use crate::fields::{Ctx, Field, FieldId, Value};
use crate::schema::ev;

/// A compiled condition.
#[derive(Debug, Clone)]
pub enum Expr {
    And(Box<[Expr]>),
    Or(Box<[Expr]>),
    Not(Box<Expr>),
    /// `evt.type = X` / `in (...)` / `!= X`, precomputed as sets of event and syscall ids.
    EvtType(Box<TypeMatch>),
    /// `evt.dir = <` (exit) or `evt.dir = >` (enter): the parity of the event id.
    Dir {
        exit: bool,
    },
    Const(bool),
    Check(std::sync::Arc<CheckExpr>),
    /// A subcondition several rules have, evaluated once per event ([`super::shared`]).
    Shared(Box<super::shared::Shared>),
}

/// evt.type membership: by event id, or by syscall id for generic events.
#[derive(Debug, Clone)]
pub struct TypeMatch {
    ids: EventTypeSet,
    /// Ids named exactly (without the generic event added for syscalls that have none).
    exact: EventTypeSet,
    syscalls: Vec<u16>,
    negated: bool,
}

impl TypeMatch {
    pub fn new<'a>(names: impl Iterator<Item = &'a str>, negated: bool) -> TypeMatch {
        let mut ids = EventTypeSet::empty();
        let mut exact = EventTypeSet::empty();
        let mut syscalls = Vec::new();
        let mut generic = EventTypeSet::empty();
        generic.insert(ev::GENERIC_E);
        generic.insert(ev::GENERIC_X);
        for n in names {
            let mut s = ids_for_name(n);
            ids = ids.union(&s);
            syscalls.extend(syscall_id(n));
            // Generic events match by syscall id, never by event id.
            s = s.minus(&generic);
            exact = exact.union(&s);
        }
        syscalls.sort_unstable();
        syscalls.dedup();
        TypeMatch {
            ids,
            exact,
            syscalls,
            negated,
        }
    }

    pub fn ids(&self) -> EventTypeSet {
        self.ids
    }

    pub fn exact_ids(&self) -> EventTypeSet {
        self.exact
    }

    pub fn negated(&self) -> bool {
        self.negated
    }

    /// The ppm_sc codes of the syscalls named (matched through generic events).
    pub fn syscalls(&self) -> &[u16] {
        &self.syscalls
    }

    /// The result on every event of type `t`, or None for the generic events (matched by
    /// syscall).
    fn matches_type(&self, t: u16) -> Option<bool> {
        (t != ev::GENERIC_E && t != ev::GENERIC_X).then(|| self.exact.contains(t) != self.negated)
    }

    #[inline]
    pub(super) fn matches(&self, ctx: &Ctx<'_>) -> bool {
        let t = ctx.evt.event_type;
        let hit = if t == ev::GENERIC_E || t == ev::GENERIC_X {
            ctx.evt
                .param_u64(0)
                .is_some_and(|id| self.syscalls.binary_search(&(id as u16)).is_ok())
        } else {
            self.exact.contains(t)
        };
        hit != self.negated
    }
}

/// An IP network (CIDR), or a single address as a /32 or /128.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn parse(s: &str) -> Option<IpNet> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(IpNet { addr, prefix })
    }

    pub fn contains(&self, ip: &IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - self.prefix)
                };
                u32::from(n) & mask == u32::from(*a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - self.prefix)
                };
                u128::from(n) & mask == u128::from(*a) & mask
            }
            _ => false,
        }
    }
}

/// A typed constant.
#[derive(Debug, Clone)]
pub enum Lit {
    Str(Box<str>),
    Num(i128),
    Float(f64),
    Bool(bool),
    Ip(IpAddr),
    Net(IpNet),
    Bytes(Box<[u8]>),
    /// For fields whose type depends on the event (evt.rawarg): text, and its number if it is one.
    Dyn {
        text: Box<str>,
        num: Option<i128>,
    },
}

/// FNV-1a: list items are short strings, for which it beats the default SipHash by far.
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvSet = HashSet<Box<str>, std::hash::BuildHasherDefault<Fnv>>;

/// The values of `in (...)`: strings are hashed when the list is long.
#[derive(Debug)]
pub struct InSet {
    lits: Box<[Lit]>,
    strings: Option<FnvSet>,
    /// Bit n set when some string item has length n (n < 256; bit 255 for longer ones): most
    /// values are rejected without hashing.
    lengths: [u64; 4],
    all_str: bool,
}

impl InSet {
    pub fn new(lits: Vec<Lit>) -> InSet {
        let all_str = lits.iter().all(|l| matches!(l, Lit::Str(_)));
        let strings = (all_str && lits.len() > 8).then(|| {
            lits.iter()
                .filter_map(|l| match l {
                    Lit::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect()
        });
        let mut lengths = [0u64; 4];
        for l in &lits {
            if let Lit::Str(s) = l {
                let n = s.len().min(255);
                lengths[n / 64] |= 1 << (n % 64);
            }
        }
        InSet {
            lits: lits.into_boxed_slice(),
            strings,
            lengths,
            all_str,
        }
    }

    fn contains(&self, v: &Value<'_>) -> bool {
        if let Value::Str(s) = v {
            let n = s.len().min(255);
            if self.lengths[n / 64] & (1 << (n % 64)) == 0 && self.all_str {
                return false;
            }
            if let Some(set) = &self.strings {
                return set.contains(s.as_ref());
            }
        }
        self.lits.iter().any(|l| compare(Op::Eq, v, l))
    }
}

/// What a check tests.
#[derive(Debug)]
pub enum Test {
    Exists,
    Cmp(Op, Lit),
    Contains(Finder),
    /// The needle is lower-case ASCII.
    Icontains(Box<[u8]>),
    Startswith(Box<[u8]>),
    Endswith(Box<[u8]>),
    Glob(Glob),
    Regex(Box<regex::Regex>),
    In(InSet),
    Pmatch(Box<[Box<str>]>),
    FieldCmp(Op, Lhs),
    /// `op oneof|anyof|allof (a, b, ...)`: one test per item; exactly one, at least one, or every
    /// one must hold.
    Modified(Modifier, Box<[Test]>),
}

/// One field test.
#[derive(Debug)]
pub struct CheckExpr {
    pub lhs: Lhs,
    pub test: Test,
}

impl Expr {
    /// Evaluates the condition on one event.
    /// `memo` keeps the results of the [`Shared`](super::shared::Shared) subconditions.
    pub fn eval(&self, ctx: &Ctx<'_>, memo: &super::shared::Memo) -> bool {
        match self {
            Expr::And(v) => v.iter().all(|e| e.eval(ctx, memo)),
            Expr::Or(v) => v.iter().any(|e| e.eval(ctx, memo)),
            Expr::Not(e) => !e.eval(ctx, memo),
            Expr::EvtType(m) => m.matches(ctx),
            Expr::Dir { exit } => (ctx.evt.event_type & 1 == 1) == *exit,
            Expr::Const(b) => *b,
            Expr::Check(c) => c.eval(ctx),
            Expr::Shared(s) => s.eval(ctx, memo),
        }
    }
}

impl Expr {
    /// The result on every event of type `t` when the type alone decides it (its type and
    /// direction tests; the fields whose value on an enter event is fixed,
    /// [`crate::fields::value_on_enter`]), or None when it depends on the event.
    pub fn value_for_type(&self, t: u16) -> Option<bool> {
        match self {
            Expr::And(v) => value_of_operands(v, t, false),
            Expr::Or(v) => value_of_operands(v, t, true),
            Expr::Not(x) => x.value_for_type(t).map(|b| !b),
            Expr::EvtType(m) => m.matches_type(t),
            Expr::Dir { exit } => Some((t & 1 == 1) == *exit),
            Expr::Const(b) => Some(*b),
            Expr::Check(c) => c.value_for_type(t),
            Expr::Shared(s) => s.expr.value_for_type(t),
        }
    }
}

/// [`Expr::value_for_type`] of an `and` (`decider` false) or an `or` (true): one operand of value
/// `decider` decides; when every one is known and none is, the other value.
fn value_of_operands(v: &[Expr], t: u16, decider: bool) -> Option<bool> {
    let mut known = true;
    for x in v {
        match x.value_for_type(t) {
            Some(b) if b == decider => return Some(decider),
            Some(_) => {}
            None => known = false,
        }
    }
    known.then_some(!decider)
}

fn value_bytes<'v>(v: &'v Value<'_>) -> Option<&'v [u8]> {
    match v {
        Value::Str(s) => Some(s.as_bytes()),
        Value::Bytes(b) => Some(b),
        _ => None,
    }
}

fn num_of(v: &Value<'_>) -> Option<i128> {
    match v {
        Value::Int(i) => Some(*i as i128),
        Value::Uint(u) => Some(*u as i128),
        Value::Bool(b) => Some(*b as i128),
        _ => None,
    }
}

/// `v op lit`.
pub fn compare(op: Op, v: &Value<'_>, lit: &Lit) -> bool {
    match (v, lit) {
        // Equality checks lengths first; only ordering needs a full comparison.
        (Value::Str(s), Lit::Str(t)) if op == Op::Eq => same_bytes(s.as_bytes(), t.as_bytes()),
        (Value::Str(s), Lit::Str(t)) if op == Op::Ne => !same_bytes(s.as_bytes(), t.as_bytes()),
        (Value::Str(s), Lit::Str(t)) => op.holds(s.as_ref().cmp(t.as_ref())),
        (Value::Str(s), Lit::Dyn { text, .. }) => op.holds(s.as_ref().cmp(text.as_ref())),
        (Value::Bytes(b), Lit::Bytes(t)) => op.holds(b.as_ref().cmp(t.as_ref())),
        (Value::Bytes(b), Lit::Str(t) | Lit::Dyn { text: t, .. }) => {
            op.holds(b.as_ref().cmp(t.as_bytes()))
        }
        (Value::Bool(b), Lit::Bool(c)) => op.holds(b.cmp(c)),
        (Value::Ip(a), Lit::Ip(b)) => op.holds(a.cmp(b)),
        (Value::Ip(a), Lit::Net(n)) => match op {
            Op::Eq => n.contains(a),
            Op::Ne => !n.contains(a),
            _ => false,
        },
        (Value::Double(d), Lit::Float(f)) => d.partial_cmp(f).is_some_and(|o| op.holds(o)),
        (Value::Double(d), Lit::Num(n)) => d.partial_cmp(&(*n as f64)).is_some_and(|o| op.holds(o)),
        (v, Lit::Num(n) | Lit::Dyn { num: Some(n), .. }) => {
            num_of(v).is_some_and(|x| op.holds(x.cmp(n)))
        }
        _ => false,
    }
}

/// `a op b` for two field values (`val()`).
fn compare_values(op: Op, a: &Value<'_>, b: &Value<'_>) -> bool {
    let lit = match b {
        Value::Str(s) => Lit::Dyn {
            text: s.as_ref().into(),
            num: s.parse().ok(),
        },
        Value::Int(i) => Lit::Num(*i as i128),
        Value::Uint(u) => Lit::Num(*u as i128),
        Value::Bool(x) => Lit::Bool(*x),
        Value::Ip(ip) => Lit::Ip(*ip),
        Value::Bytes(x) => Lit::Bytes(x.as_ref().into()),
        Value::Double(d) => Lit::Float(*d),
    };
    match op {
        Op::Contains
        | Op::Startswith
        | Op::Endswith
        | Op::Icontains
        | Op::Bcontains
        | Op::Bstartswith => {
            let (Some(h), Some(n)) = (value_bytes(a), value_bytes(b)) else {
                return false;
            };
            match op {
                Op::Contains | Op::Bcontains => contains_bytes(h, n),
                Op::Icontains => icontains_bytes(h, &n.to_ascii_lowercase()),
                Op::Endswith => h.ends_with(n),
                _ => h.starts_with(n),
            }
        }
        Op::Glob | Op::Iglob => match (value_bytes(a), b.as_str()) {
            (Some(h), Some(p)) => Glob::new(p, op == Op::Iglob).matches(h),
            _ => false,
        },
        Op::Pmatch => match (a.as_str(), b.as_str()) {
            (Some(p), Some(pre)) => pmatch(p, pre),
            _ => false,
        },
        Op::In | Op::Intersects => compare(Op::Eq, a, &lit),
        _ => compare(op, a, &lit),
    }
}

impl CheckExpr {
    /// As [`Expr::value_for_type`], for a test of a single-valued field without transformers
    /// (what [`CheckExpr::eval`] runs on the extracted value, or false without one).
    fn value_for_type(&self, t: u16) -> Option<bool> {
        if crate::schema::Direction::of(t) != crate::schema::Direction::Enter
            || matches!(self.test, Test::FieldCmp(..))
        {
            return None;
        }
        let Lhs::Field(f) = &self.lhs else {
            return None;
        };
        if f.arg.is_some() || f.is_multi_valued() {
            return None;
        }
        let v = crate::fields::value_on_enter(f.id, t)?;
        Some(v.is_some_and(|v| run_test(&self.test, &v)))
    }

    #[inline]
    pub(super) fn eval(&self, ctx: &Ctx<'_>) -> bool {
        let test = &self.test;
        if let Test::FieldCmp(op, other) = test {
            let Some(b) = other.first_value(ctx) else {
                return false;
            };
            return self.lhs.any_value(ctx, &mut |a| compare_values(*op, a, &b));
        }
        // For the fields that stand for both ends of a connection, `!=` means neither end equals
        // (as sysdig): not "some end differs".
        if let (Test::Cmp(Op::Ne, lit), Lhs::Field(f)) = (test, &self.lhs)
            && matches!(f.id, FieldId::FdIp | FieldId::FdPort | FieldId::FdNet)
        {
            let mut any = false;
            let found = f.any_value(ctx, &mut |v| {
                any = true;
                compare(Op::Eq, v, lit)
            });
            return any && !found;
        }
        // Single-valued fields (nearly all) skip the callback machinery of any_value.
        if let Some(f) = self.single_field() {
            return self.holds_on(f.extract(ctx).as_ref());
        }
        self.lhs.any_value(ctx, &mut |v| run_test(test, v))
    }

    /// The field when the check is a test of the one value a field extracts (no transformer,
    /// a single-valued field, a constant operand): the check then holds exactly when
    /// [`CheckExpr::holds_on`] that value does, so checks of the same field can share one
    /// extraction.
    pub(crate) fn single_field(&self) -> Option<&Field> {
        match (&self.lhs, &self.test) {
            (_, Test::FieldCmp(..)) => None,
            (Lhs::Field(f), _) if !f.is_multi_valued() => Some(f),
            _ => None,
        }
    }

    /// The strings this check compares its value with for equality, when it holds exactly on a
    /// text or bytes value equal to one of them and on no other value: `= "a"`, `in ("a", "b")`,
    /// and an `anyof` of such tests. A keyed stage looks such tests up by the value
    /// ([`crate::rules::plan`]).
    pub(crate) fn equal_strings(&self) -> Option<Vec<&str>> {
        fn of<'a>(test: &'a Test, out: &mut Vec<&'a str>) -> bool {
            match test {
                Test::Cmp(Op::Eq, Lit::Str(s)) => {
                    out.push(&**s);
                    true
                }
                Test::In(set) if set.all_str => {
                    for l in set.lits.iter() {
                        if let Lit::Str(s) = l {
                            out.push(&**s);
                        }
                    }
                    true
                }
                Test::Modified(Modifier::Anyof, tests) => tests.iter().all(|t| of(t, out)),
                _ => false,
            }
        }
        let mut found = Vec::new();
        of(&self.test, &mut found).then_some(found)
    }

    /// The check on the value its [`CheckExpr::single_field`] extracted (None: no value).
    #[inline]
    pub(crate) fn holds_on(&self, v: Option<&Value<'_>>) -> bool {
        v.is_some_and(|v| run_test(&self.test, v))
    }
}

#[inline]
fn run_test(test: &Test, v: &Value<'_>) -> bool {
    match test {
        Test::Exists => true,
        Test::Cmp(op, lit) => compare(*op, v, lit),
        Test::Contains(n) => value_bytes(v).is_some_and(|h| n.is_in(h)),
        Test::Icontains(n) => value_bytes(v).is_some_and(|h| icontains_bytes(h, n)),
        Test::Startswith(n) => value_bytes(v).is_some_and(|h| starts_with(h, n)),
        Test::Endswith(n) => value_bytes(v).is_some_and(|h| ends_with(h, n)),
        Test::Glob(g) => value_bytes(v).is_some_and(|h| g.matches(h)),
        Test::Regex(r) => match v {
            Value::Str(s) => r.is_match(s),
            Value::Bytes(b) => r.is_match(&String::from_utf8_lossy(b)),
            _ => false,
        },
        Test::In(set) => set.contains(v),
        Test::Pmatch(prefixes) => v
            .as_str()
            .is_some_and(|p| prefixes.iter().any(|pre| pmatch(p, pre))),
        Test::FieldCmp(..) => false,
        Test::Modified(m, tests) => {
            let mut hits = 0usize;
            for t in tests.iter() {
                if run_test(t, v) {
                    hits += 1;
                    match m {
                        Modifier::Anyof => return true,
                        Modifier::Oneof if hits > 1 => return false,
                        _ => {}
                    }
                } else if *m == Modifier::Allof {
                    return false;
                }
            }
            match m {
                Modifier::Oneof => hits == 1,
                Modifier::Anyof => false,
                Modifier::Allof => !tests.is_empty(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nets() {
        let n = IpNet::parse("10.0.0.0/8").unwrap();
        assert!(n.contains(&"10.1.2.3".parse().unwrap()));
        assert!(!n.contains(&"11.1.2.3".parse().unwrap()));
        assert!(
            IpNet::parse("::1/128")
                .unwrap()
                .contains(&"::1".parse().unwrap())
        );
        assert!(IpNet::parse("10.0.0.0/33").is_none());
    }
}
