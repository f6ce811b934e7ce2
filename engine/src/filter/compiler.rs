//! [`Ast`] → [`Expr`]: resolves macros, lists and fields, checks each operator against its field's
//! type and builds typed constants, so evaluation does no parsing and (for the common operators)
//! no allocation.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use super::ast::{Ast, Check, Literal, Op, Operand, Rhs, Transformer};
use super::error::{FilterError, FilterErrorKind};
use super::eval::{Expr, Glob, InSet, IpNet, Lhs, Lit, Test, TypeMatch};

use super::evttype::{self, EventTypeSet};
use crate::fields::{Field, FieldError, FieldId, FieldType};

/// Deepest tree accepted after macro expansion; evaluation recurses once per level.
pub const MAX_EXPANDED_DEPTH: usize = 512;

/// What a condition may refer to besides fields: macros (parsed conditions) and lists.
#[derive(Default)]
pub struct Definitions<'a> {
    pub macros: HashMap<&'a str, &'a Ast>,
    pub lists: HashMap<&'a str, &'a [String]>,
}

/// Names a compilation used, so the loader can warn about unused macros and lists.
#[derive(Default, Debug)]
pub struct Usage {
    pub macros: HashSet<String>,
    pub lists: HashSet<String>,
}

struct Compiler<'d, 'a> {
    defs: &'d Definitions<'a>,
    usage: &'d mut Usage,
    /// Macros being expanded, for cycle detection.
    stack: Vec<String>,
    /// Offset of the outermost macro reference: errors inside macros point at it.
    macro_pos: Option<(usize, String)>,
}

/// Compiles a parsed condition.
pub fn compile(ast: &Ast, defs: &Definitions<'_>, usage: &mut Usage) -> Result<Expr, FilterError> {
    compile_as(None, ast, defs, usage)
}

/// Compiles a condition; `macro_name` names the macro whose body it is, so a reference back to it
/// is reported as a cycle.
pub fn compile_as(
    macro_name: Option<&str>,
    ast: &Ast,
    defs: &Definitions<'_>,
    usage: &mut Usage,
) -> Result<Expr, FilterError> {
    let mut c = Compiler {
        defs,
        usage,
        stack: macro_name.map(str::to_string).into_iter().collect(),
        macro_pos: None,
    };
    let e = c.node(ast, 1)?;
    Ok(optimize(e))
}

impl Compiler<'_, '_> {
    fn err(&self, kind: FilterErrorKind, pos: usize, token: impl Into<String>) -> FilterError {
        match &self.macro_pos {
            // An error inside a macro names the macro; the macro's own definition was checked
            // where it is defined.
            Some((p, name)) => FilterError::new(
                FilterErrorKind::Syntax(format!("in macro '{name}': {kind}")),
                *p,
                name.clone(),
            ),
            None => FilterError::new(kind, pos, token),
        }
    }

    fn node(&mut self, ast: &Ast, depth: usize) -> Result<Expr, FilterError> {
        if depth > MAX_EXPANDED_DEPTH {
            let pos = self.macro_pos.as_ref().map_or(0, |m| m.0);
            return Err(FilterError::new(
                FilterErrorKind::TooDeep(MAX_EXPANDED_DEPTH),
                pos,
                "",
            ));
        }
        Ok(match ast {
            Ast::And(v) => Expr::And(
                v.iter()
                    .map(|a| self.node(a, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_boxed_slice(),
            ),
            Ast::Or(v) => Expr::Or(
                v.iter()
                    .map(|a| self.node(a, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_boxed_slice(),
            ),
            Ast::Not(a) => Expr::Not(Box::new(self.node(a, depth + 1)?)),
            Ast::Macro { name, pos } => {
                let Some(body) = self.defs.macros.get(name.as_str()).copied() else {
                    if Field::parse(name, None).is_ok() {
                        return Err(self.err(
                            FilterErrorKind::MissingOperator(name.clone()),
                            *pos + name.len(),
                            name.clone(),
                        ));
                    }
                    return Err(self.err(
                        FilterErrorKind::UndefinedMacro(name.clone()),
                        *pos,
                        name.clone(),
                    ));
                };
                if self.stack.iter().any(|s| s == name) {
                    return Err(self.err(
                        FilterErrorKind::MacroCycle(name.clone()),
                        *pos,
                        name.clone(),
                    ));
                }
                self.usage.macros.insert(name.clone());
                self.stack.push(name.clone());
                let outer = self.macro_pos.is_none();
                if outer {
                    self.macro_pos = Some((*pos, name.clone()));
                }
                let r = self.node(body, depth + 1);
                if outer {
                    self.macro_pos = None;
                }
                self.stack.pop();
                r?
            }
            Ast::Check(c) => self.check(c)?,
        })
    }

    fn field(&self, name: &str, arg: Option<&str>, pos: usize) -> Result<Field, FilterError> {
        Field::parse(name, arg).map_err(|e| {
            let token = match arg {
                Some(a) => format!("{name}[{a}]"),
                None => name.to_string(),
            };
            match e {
                FieldError::Unknown(n) => self.err(FilterErrorKind::UnknownField(n), pos, token),
                other => self.err(FilterErrorKind::Field(other), pos, token),
            }
        })
    }

    /// Resolves an operand to a field with its transformers; returns the resulting type.
    fn lhs(&self, o: &Operand) -> Result<(Lhs, FieldType), FilterError> {
        match o {
            Operand::Field { name, arg, pos } => {
                let f = self.field(name, arg.as_deref(), *pos)?;
                let t = f.ftype();
                Ok((Lhs::Field(f), t))
            }
            Operand::Transform { kind, inner, pos } => {
                let (inner_lhs, t) = self.lhs(inner)?;
                if !(t.is_stringy() || t == FieldType::Bytes || t == FieldType::Dynamic) {
                    return Err(self.err(
                        FilterErrorKind::BadTransformer {
                            transformer: kind.name(),
                            field: inner.text(),
                            ftype: t.name(),
                        },
                        *pos,
                        o.text(),
                    ));
                }
                let out = match kind {
                    Transformer::Len => FieldType::Int64,
                    _ => FieldType::String,
                };
                Ok((Lhs::Transform(*kind, Box::new(inner_lhs)), out))
            }
        }
    }

    /// Expands list references among unquoted list items.
    fn expand_items(&mut self, items: &[Literal]) -> Vec<(String, usize)> {
        let mut out = Vec::with_capacity(items.len());
        for i in items {
            match (!i.quoted)
                .then(|| self.defs.lists.get(i.text.as_str()))
                .flatten()
            {
                Some(vals) => {
                    self.usage.lists.insert(i.text.clone());
                    out.extend(vals.iter().map(|v| (v.clone(), i.pos)));
                }
                None => out.push((i.text.clone(), i.pos)),
            }
        }
        out
    }

    fn check(&mut self, c: &Check) -> Result<Expr, FilterError> {
        let (lhs, ftype) = self.lhs(&c.lhs)?;
        let field_text = c.lhs.text();
        let op = c.op;
        if !op_allowed(ftype, op) {
            return Err(self.err(
                FilterErrorKind::BadOperator {
                    op: op.name(),
                    field: field_text.clone(),
                    ftype: ftype.name(),
                },
                c.op_pos,
                op.name(),
            ));
        }
        // evt.dir against `<` / `>`: the parity of the event id, which also narrows event types.
        if let (Lhs::Field(f), Op::Eq | Op::Ne, Rhs::Value(l)) = (&lhs, op, &c.rhs)
            && f.id == FieldId::EvtDir
            && (l.text == "<" || l.text == ">")
        {
            let exit = (l.text == "<") == (op == Op::Eq);
            return Ok(Expr::Dir { exit });
        }
        // evt.type against names: a precomputed set of event ids.
        if let Lhs::Field(f) = &lhs
            && f.id == FieldId::EvtType
            && matches!(op, Op::Eq | Op::Ne | Op::In | Op::Intersects)
        {
            {
                let names: Vec<(String, usize)> = match &c.rhs {
                    Rhs::Value(l) => vec![(l.text.clone(), l.pos)],
                    Rhs::List(items) => self.expand_items(items),
                    _ => Vec::new(),
                };
                if !matches!(c.rhs, Rhs::Field(_) | Rhs::None) {
                    // As sysdig: a name that is no event or syscall is a mistake, not a miss.
                    if let Some((n, pos)) = names
                        .iter()
                        .find(|(n, _)| evttype::ids_for_name(n).is_empty())
                    {
                        return Err(self.err(
                            FilterErrorKind::UnknownEventType(n.clone()),
                            *pos,
                            n.clone(),
                        ));
                    }
                    return Ok(Expr::EvtType(Box::new(TypeMatch::new(
                        names.iter().map(|(n, _)| n.as_str()),
                        op == Op::Ne,
                    ))));
                }
            }
        }
        let test = match (op, &c.rhs) {
            (Op::Exists, Rhs::None) => Test::Exists,
            (Op::Exists, _) => unreachable!("grammar gives exists no operand"),
            (_, Rhs::None) => unreachable!("grammar gives operators an operand"),
            (o, Rhs::Value(l)) if o.takes_list() => {
                return Err(self.err(
                    FilterErrorKind::ListExpected(o.name()),
                    l.pos,
                    l.text.clone(),
                ));
            }
            (o, Rhs::List(items)) if !o.takes_list() => {
                let pos = items.first().map_or(c.op_pos, |i| i.pos);
                return Err(self.err(FilterErrorKind::ListUnexpected(o.name()), pos, "("));
            }
            (_, Rhs::Field(other)) => {
                let (rl, rt) = self.lhs(other)?;
                if !comparable(ftype, rt) {
                    return Err(self.err(
                        FilterErrorKind::FieldTypeMismatch {
                            field: field_text,
                            other: other.text(),
                        },
                        other.pos(),
                        other.text(),
                    ));
                }
                Test::FieldCmp(op, rl)
            }
            (Op::Pmatch, Rhs::List(items)) => {
                let items = self.expand_items(items);
                Test::Pmatch(items.into_iter().map(|(s, _)| s.into_boxed_str()).collect())
            }
            (Op::In | Op::Intersects, Rhs::List(items)) => {
                let items = self.expand_items(items);
                let mut lits = Vec::with_capacity(items.len());
                for (text, pos) in &items {
                    lits.push(self.literal(ftype, Op::Eq, text, *pos, &field_text)?);
                }
                Test::In(InSet::new(lits))
            }
            (o, Rhs::Value(l)) => {
                let lit = self.literal(ftype, o, &l.text, l.pos, &field_text)?;
                match o {
                    Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => Test::Cmp(o, lit),
                    Op::Glob | Op::Iglob => Test::Glob(Glob::new(&l.text, o == Op::Iglob)),
                    Op::Regex => {
                        let re = regex::Regex::new(&format!("^(?:{})$", l.text)).map_err(|e| {
                            self.err(
                                FilterErrorKind::BadRegex(e.to_string()),
                                l.pos,
                                l.text.clone(),
                            )
                        })?;
                        Test::Regex(Box::new(re))
                    }
                    Op::Icontains => {
                        Test::Icontains(l.text.to_ascii_lowercase().into_bytes().into())
                    }
                    Op::Contains | Op::Bcontains => {
                        Test::Contains(super::eval::Finder::new(&lit_bytes(&lit)))
                    }
                    Op::Startswith | Op::Bstartswith => Test::Startswith(lit_bytes(&lit)),
                    Op::Endswith => Test::Endswith(lit_bytes(&lit)),
                    _ => unreachable!("list operators handled above"),
                }
            }
            (_, Rhs::List(_)) => unreachable!("list operators handled above"),
        };
        Ok(Expr::Check(Box::new(super::eval::CheckExpr { lhs, test })))
    }

    /// Builds the typed constant for `text` compared with a field of type `t`.
    fn literal(
        &self,
        t: FieldType,
        op: Op,
        text: &str,
        pos: usize,
        field: &str,
    ) -> Result<Lit, FilterError> {
        let bad = |expected: &'static str| {
            self.err(
                FilterErrorKind::BadValue {
                    value: text.to_string(),
                    field: field.to_string(),
                    expected,
                },
                pos,
                text.to_string(),
            )
        };
        if matches!(op, Op::Bcontains | Op::Bstartswith) {
            return hex_bytes(text)
                .map(Lit::Bytes)
                .ok_or_else(|| bad("hex byte string"));
        }
        if matches!(op, Op::Glob | Op::Iglob | Op::Regex | Op::Icontains) {
            return Ok(Lit::Str(text.into()));
        }
        Ok(match t {
            FieldType::String | FieldType::AbsPath => Lit::Str(text.into()),
            FieldType::Bytes => Lit::Bytes(text.as_bytes().into()),
            FieldType::Int64
            | FieldType::Uint64
            | FieldType::Port
            | FieldType::RelTime
            | FieldType::AbsTime => Lit::Num(parse_int(text).ok_or_else(|| bad("number"))?),
            FieldType::Double => Lit::Float(text.trim().parse().map_err(|_| bad("number"))?),
            FieldType::Bool => match text {
                "true" => Lit::Bool(true),
                "false" => Lit::Bool(false),
                _ => return Err(bad("boolean (true or false)")),
            },
            FieldType::IpAddr => match text.parse::<IpAddr>() {
                Ok(ip) => Lit::Ip(ip),
                Err(_) => return Err(bad("IP address")),
            },
            FieldType::IpNet => Lit::Net(IpNet::parse(text).ok_or_else(|| bad("IP network"))?),
            FieldType::Dynamic => Lit::Dyn {
                text: text.into(),
                num: parse_int(text),
            },
        })
    }
}

fn lit_bytes(l: &Lit) -> Box<[u8]> {
    match l {
        Lit::Str(s) => s.as_bytes().into(),
        Lit::Bytes(b) => b.clone(),
        Lit::Dyn { text, .. } => text.as_bytes().into(),
        _ => Box::new([]),
    }
}

/// Decimal (optionally signed) or 0x hexadecimal.
pub fn parse_int(s: &str) -> Option<i128> {
    let s = s.trim();
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return i128::from_str_radix(h, 16).ok();
    }
    s.parse().ok()
}

fn hex_bytes(s: &str) -> Option<Box<[u8]>> {
    let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
        .collect()
}

/// Which operators a field type supports (as libsinsp: numbers have no string operators, booleans
/// and addresses only equality and lists).
pub fn op_allowed(t: FieldType, op: Op) -> bool {
    use Op::*;
    match t {
        FieldType::String | FieldType::AbsPath | FieldType::Dynamic => true,
        FieldType::Bytes => matches!(
            op,
            Eq | Ne
                | Contains
                | Icontains
                | Bcontains
                | Startswith
                | Bstartswith
                | Endswith
                | Exists
                | In
                | Intersects
                | Glob
                | Iglob
        ),
        FieldType::Int64
        | FieldType::Uint64
        | FieldType::Port
        | FieldType::RelTime
        | FieldType::AbsTime
        | FieldType::Double => matches!(op, Eq | Ne | Lt | Le | Gt | Ge | In | Intersects | Exists),
        FieldType::Bool | FieldType::IpAddr | FieldType::IpNet => {
            matches!(op, Eq | Ne | In | Intersects | Exists)
        }
    }
}

fn comparable(a: FieldType, b: FieldType) -> bool {
    let class = |t: FieldType| match t {
        FieldType::String | FieldType::AbsPath | FieldType::Bytes => 0,
        t if t.is_numeric() => 1,
        FieldType::Bool => 2,
        FieldType::IpAddr | FieldType::IpNet => 3,
        _ => 4,
    };
    a == FieldType::Dynamic || b == FieldType::Dynamic || class(a) == class(b)
}

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
    }
}

/// Cost plus a penalty for tests that rarely fail (ranges, `!=`, booleans, fd kinds), so the
/// selective ones (a path prefix, a process name) decide first.
fn check_cost(c: &super::eval::CheckExpr) -> u32 {
    let test = match &c.test {
        Test::Regex(_) => 20,
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
