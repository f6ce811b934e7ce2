//! Conditions over audit events: the parsed condition language of [`crate::filter`] (macros and
//! lists resolved here) compiled against the `k8s_audit` fields and evaluated per event.
//!
//! A field with no value fails every check (`!=` included), as in Falco. A list field passes
//! `in` when all its values are in the set, `intersects` when one is, and any other operator
//! when one of its values does.

use std::collections::HashSet;

use rustc_hash::FxHashSet;

use super::event::AuditEvent;
use super::extract::{EvtInfo, FieldRef, extract};
use super::fields::FieldType;
use crate::filter::ast::{Ast, Literal, Op, Operand, Rhs};

/// Deepest condition accepted after macro expansion (evaluation recurses once per level).
pub const MAX_DEPTH: usize = 512;

/// Why a condition does not compile: a message and the byte offset in the condition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{msg}")]
pub struct CompileError {
    pub pos: usize,
    pub token: String,
    pub msg: String,
    /// The condition names a field this source does not have.
    pub unknown_field: bool,
}

/// What a condition may name besides fields.
pub trait Names {
    /// The parsed body of macro `name`.
    fn macro_body(&self, name: &str) -> Option<&Ast>;
    /// The items of list `name` (None when lists are already expanded by the caller).
    fn list_items(&self, _name: &str) -> Option<&[String]> {
        None
    }
}

/// No macros, no lists.
pub struct NoNames;

impl Names for NoNames {
    fn macro_body(&self, _: &str) -> Option<&Ast> {
        None
    }
}

/// A compiled condition.
#[derive(Debug)]
pub enum Expr {
    And(Box<[Expr]>),
    Or(Box<[Expr]>),
    Not(Box<Expr>),
    Check(Box<Check>),
}

#[derive(Debug)]
pub struct Check {
    field: FieldRef,
    test: Test,
}

#[derive(Debug)]
enum Test {
    Exists,
    /// `=`, `!=`, `<`, `<=`, `>`, `>=` on text.
    Cmp(Op, String),
    /// The same on numbers (numeric fields).
    CmpNum(Op, u64),
    Contains(String),
    IContains(String),
    BContains(Vec<u8>),
    StartsWith(String),
    BStartsWith(Vec<u8>),
    EndsWith(String),
    Glob(String),
    IGlob(String),
    Regex(regex::Regex),
    In(FxHashSet<String>),
    Intersects(FxHashSet<String>),
    Pmatch(Vec<String>),
}

/// Compiles `ast`, expanding the macros and lists `names` defines.
pub fn compile(ast: &Ast, names: &dyn Names) -> Result<Expr, CompileError> {
    compile_with_usage(ast, names, &mut Used::default())
}

/// The macros and lists a compilation expanded.
#[derive(Debug, Default)]
pub struct Used {
    pub macros: HashSet<String>,
    pub lists: HashSet<String>,
}

/// Like [`compile`], recording in `used` the macros and lists it expanded.
pub fn compile_with_usage(
    ast: &Ast,
    names: &dyn Names,
    used: &mut Used,
) -> Result<Expr, CompileError> {
    let mut c = Compiler {
        names,
        stack: Vec::new(),
        used,
    };
    c.node(ast, 1)
}

/// Parses and compiles a condition that uses no macros or lists.
pub fn compile_text(text: &str) -> Result<Expr, CompileError> {
    let ast = crate::filter::parser::parse(text).map_err(|e| err(0, "", e.to_string()))?;
    compile(&ast, &NoNames)
}

struct Compiler<'n> {
    names: &'n dyn Names,
    stack: Vec<String>,
    used: &'n mut Used,
}

fn err(pos: usize, token: impl Into<String>, msg: impl Into<String>) -> CompileError {
    CompileError {
        pos,
        token: token.into(),
        msg: msg.into(),
        unknown_field: false,
    }
}

impl Compiler<'_> {
    fn node(&mut self, ast: &Ast, depth: usize) -> Result<Expr, CompileError> {
        if depth > MAX_DEPTH {
            return Err(err(
                0,
                "",
                format!("condition nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        let all = |c: &mut Self, v: &[Ast]| -> Result<Box<[Expr]>, CompileError> {
            v.iter().map(|a| c.node(a, depth + 1)).collect()
        };
        Ok(match ast {
            Ast::And(v) => Expr::And(all(self, v)?),
            Ast::Or(v) => Expr::Or(all(self, v)?),
            Ast::Not(a) => Expr::Not(Box::new(self.node(a, depth + 1)?)),
            Ast::Macro { name, pos } => {
                let names = self.names;
                let Some(body) = names.macro_body(name) else {
                    let msg = if super::fields::lookup(name).is_some() {
                        format!("missing operator after field '{name}'")
                    } else {
                        format!("undefined macro '{name}'")
                    };
                    return Err(err(*pos, name.clone(), msg));
                };
                if self.stack.iter().any(|s| s == name) {
                    return Err(err(
                        *pos,
                        name.clone(),
                        format!("macro '{name}' refers to itself"),
                    ));
                }
                self.used.macros.insert(name.clone());
                let outermost = self.stack.is_empty();
                self.stack.push(name.clone());
                let r = self.node(body, depth + 1);
                self.stack.pop();
                // An error inside a macro points at the outermost reference and names the macro.
                r.map_err(|e| match outermost {
                    true => CompileError {
                        pos: *pos,
                        token: name.clone(),
                        msg: format!("in macro '{name}': {}", e.msg),
                        ..e
                    },
                    false => e,
                })?
            }
            Ast::Check(c) if c.modifier.is_some() => {
                return Err(err(
                    c.op_pos,
                    c.op.name(),
                    "operator modifiers (oneof, anyof, allof) are not supported on k8s_audit fields",
                ));
            }
            Ast::Check(c) => Expr::Check(Box::new(self.check(&c.lhs, c.op, c.op_pos, &c.rhs)?)),
        })
    }

    fn check(
        &mut self,
        lhs: &Operand,
        op: Op,
        op_pos: usize,
        rhs: &Rhs,
    ) -> Result<Check, CompileError> {
        let Operand::Field { name, arg, pos } = lhs else {
            return Err(err(
                lhs.pos(),
                lhs.text(),
                "transformers are not supported on k8s_audit fields",
            ));
        };
        let field = FieldRef::parse(name, arg.as_deref()).map_err(|e| CompileError {
            unknown_field: matches!(e, super::extract::FieldRefError::Unknown(_)),
            ..err(*pos, lhs.text(), e.to_string())
        })?;
        let numeric = matches!(
            field.info.ftype,
            FieldType::Uint64 | FieldType::AbsTime | FieldType::RelTime
        );
        let value = |c: &Self| -> Result<String, CompileError> {
            match rhs {
                Rhs::Value(l) => Ok(l.text.clone()),
                Rhs::List(_) => Err(err(
                    op_pos,
                    op.name(),
                    format!("'{}' takes one value, not a list", op.name()),
                )),
                _ => Err(c.unsupported_rhs(op, op_pos)),
            }
        };
        let test = match op {
            Op::Exists => Test::Exists,
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge if numeric => {
                let v = value(self)?;
                let n = v.parse().map_err(|_| {
                    err(
                        op_pos,
                        v.clone(),
                        format!("'{v}' is not a number ({})", field.text()),
                    )
                })?;
                Test::CmpNum(op, n)
            }
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => Test::Cmp(op, value(self)?),
            Op::Contains => Test::Contains(value(self)?),
            Op::Icontains => Test::IContains(value(self)?.to_lowercase()),
            Op::Startswith => Test::StartsWith(value(self)?),
            Op::Endswith => Test::EndsWith(value(self)?),
            Op::Bcontains | Op::Bstartswith => {
                let v = value(self)?;
                let bytes = hex_bytes(&v).ok_or_else(|| {
                    err(op_pos, v.clone(), format!("'{v}' is not hexadecimal bytes"))
                })?;
                if op == Op::Bcontains {
                    Test::BContains(bytes)
                } else {
                    Test::BStartsWith(bytes)
                }
            }
            Op::Glob => Test::Glob(value(self)?),
            Op::Iglob => Test::IGlob(value(self)?.to_lowercase()),
            Op::Regex => {
                let v = value(self)?;
                let re = regex::Regex::new(&v)
                    .map_err(|e| err(op_pos, v.clone(), format!("bad regular expression: {e}")))?;
                Test::Regex(re)
            }
            Op::In | Op::Intersects | Op::Pmatch => {
                let items = self.list(rhs, op, op_pos)?;
                match op {
                    Op::In => Test::In(items.into_iter().collect()),
                    Op::Intersects => Test::Intersects(items.into_iter().collect()),
                    _ => Test::Pmatch(
                        items
                            .into_iter()
                            .map(|p| p.trim_end_matches('/').to_string())
                            .collect(),
                    ),
                }
            }
        };
        if field.info.ftype == FieldType::Bool {
            check_bool(&test, op, op_pos, &field.text())?;
        }
        Ok(Check { field, test })
    }

    fn unsupported_rhs(&self, op: Op, op_pos: usize) -> CompileError {
        err(
            op_pos,
            op.name(),
            format!(
                "'{}' needs a value (comparing two k8s_audit fields is not supported)",
                op.name()
            ),
        )
    }

    /// The items of a list operand, list references expanded (recursively).
    fn list(&mut self, rhs: &Rhs, op: Op, op_pos: usize) -> Result<Vec<String>, CompileError> {
        let lits: &[Literal] = match rhs {
            Rhs::List(l) => l,
            Rhs::Value(l) => std::slice::from_ref(l),
            _ => return Err(self.unsupported_rhs(op, op_pos)),
        };
        let mut out = Vec::new();
        for l in lits {
            if l.quoted {
                out.push(l.text.clone());
            } else {
                self.expand(&l.text, &mut out, 0);
            }
        }
        Ok(out)
    }

    fn expand(&mut self, item: &str, out: &mut Vec<String>, depth: usize) {
        let names = self.names;
        match names.list_items(item) {
            Some(items) if depth < 64 => {
                self.used.lists.insert(item.to_string());
                for i in items {
                    self.expand(i, out, depth + 1);
                }
            }
            _ => out.push(item.to_string()),
        }
    }
}

/// Booleans take what libs allows on them: equality and sets, of `true` and `false`.
fn check_bool(test: &Test, op: Op, op_pos: usize, field: &str) -> Result<(), CompileError> {
    let value = |v: &str| matches!(v, "true" | "false");
    let valid = match test {
        Test::Exists => true,
        Test::Cmp(Op::Eq | Op::Ne, v) => value(v),
        Test::In(items) | Test::Intersects(items) => items.iter().all(|v| value(v)),
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(err(
            op_pos,
            op.name(),
            format!(
                "{field} is a boolean: it takes '=', '!=', 'in' or 'intersects' with true or false"
            ),
        ))
    }
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

impl Expr {
    /// True when event `ev` (number `num` in its stream) satisfies the condition.
    pub fn eval(&self, ev: &AuditEvent, info: EvtInfo<'_>) -> bool {
        match self {
            Expr::And(v) => v.iter().all(|e| e.eval(ev, info)),
            Expr::Or(v) => v.iter().any(|e| e.eval(ev, info)),
            Expr::Not(e) => !e.eval(ev, info),
            Expr::Check(c) => c.eval(ev, info),
        }
    }
}

impl Check {
    fn eval(&self, ev: &AuditEvent, info: EvtInfo<'_>) -> bool {
        let values = extract(&self.field, ev, info);
        let vals = values.as_slice();
        if vals.is_empty() {
            return false;
        }
        match &self.test {
            Test::Exists => true,
            Test::In(set) => vals.iter().all(|v| set.contains(v.as_ref())),
            Test::Intersects(set) => vals.iter().any(|v| set.contains(v.as_ref())),
            t => vals.iter().any(|v| t.matches(v)),
        }
    }

    /// The field this check reads.
    pub fn field(&self) -> &FieldRef {
        &self.field
    }
}

impl Test {
    fn matches(&self, v: &str) -> bool {
        match self {
            Test::Cmp(op, s) => (*op).holds(v.cmp(s.as_str())),
            Test::CmpNum(op, n) => v.parse::<u64>().is_ok_and(|x| (*op).holds(x.cmp(n))),
            Test::Contains(s) => v.contains(s.as_str()),
            Test::IContains(s) => v.to_lowercase().contains(s.as_str()),
            Test::BContains(b) => memchr::memmem::find(v.as_bytes(), b).is_some(),
            Test::StartsWith(s) => v.starts_with(s.as_str()),
            Test::BStartsWith(b) => v.as_bytes().starts_with(b),
            Test::EndsWith(s) => v.ends_with(s.as_str()),
            Test::Glob(p) => glob(p.as_bytes(), v.as_bytes()),
            Test::IGlob(p) => glob(p.as_bytes(), v.to_lowercase().as_bytes()),
            Test::Regex(re) => re.is_match(v),
            Test::Pmatch(prefixes) => prefixes.iter().any(|p| {
                v == p || (v.starts_with(p.as_str()) && v.as_bytes().get(p.len()) == Some(&b'/'))
            }),
            Test::Exists | Test::In(_) | Test::Intersects(_) => false,
        }
    }
}

/// Shell-style matching (`*`, `?`, `[a-z]`, `[!x]`), `*` crossing `/` as fnmatch without
/// FNM_PATHNAME does. Iterative with one backtrack point, so it is linear in practice.
fn glob(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        let step = match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, si));
                pi += 1;
                continue;
            }
            Some(b'?') => Some(pi + 1),
            Some(b'[') => class(p, pi, s[si]),
            Some(&c) if c == s[si] => Some(pi + 1),
            _ => None,
        };
        match (step, star) {
            (Some(next), _) => {
                pi = next;
                si += 1;
            }
            (None, Some((sp, ss))) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            (None, None) => return false,
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Matches `c` against the class starting at `p[at] == '['`: the index after the class when it
/// matches.
fn class(p: &[u8], at: usize, c: u8) -> Option<usize> {
    let mut i = at + 1;
    let negate = matches!(p.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    while let Some(&x) = p.get(i) {
        if x == b']' && !first {
            return (hit != negate).then_some(i + 1);
        }
        first = false;
        if p.get(i + 1) == Some(&b'-') && p.get(i + 2).is_some_and(|&y| y != b']') {
            hit |= (x..=p[i + 2]).contains(&c);
            i += 3;
        } else {
            hit |= x == c;
            i += 1;
        }
    }
    // No closing bracket: '[' is a literal.
    (c == b'[').then_some(at + 1)
}

#[cfg(test)]
mod tests {
    use super::super::event::parse_payload;
    use super::*;

    const EV: &str = r#"{"kind":"Event","auditID":"x","stage":"ResponseComplete","stageTimestamp":"2018-10-25T14:09:12Z",
      "verb":"create","user":{"username":"system:anonymous"},"objectRef":{"resource":"pods","namespace":"default"},
      "responseStatus":{"code":201},"requestObject":{"spec":{"containers":[{"image":"nginx"},{"image":"busybox:1"}]}}}"#;

    fn eval(cond: &str) -> bool {
        let ev = &parse_payload(EV, 1 << 20).unwrap().events[0];
        compile_text(cond).unwrap().eval(
            ev,
            EvtInfo {
                num: 5,
                ..EvtInfo::default()
            },
        )
    }

    #[test]
    fn operators() {
        assert!(eval("ka.verb = create and ka.response.code startswith 2"));
        assert!(eval("jevt.value[/stage] in (ResponseComplete, x)"));
        assert!(eval("ka.user.name startswith \"system:\""));
        assert!(!eval("ka.target.subresource exists"));
        assert!(!eval("ka.target.name != foo"), "an absent field fails !=");
        assert!(eval("ka.target.namespace != kube-system"));
        assert!(eval(
            "ka.req.pod.containers.image.repository in (nginx, busybox)"
        ));
        assert!(!eval("ka.req.pod.containers.image.repository in (nginx)"));
        assert!(eval(
            "ka.req.pod.containers.image.repository intersects (nginx)"
        ));
        assert!(!eval(
            "ka.req.pod.containers.image.repository intersects (x)"
        ));
        assert!(eval("ka.req.pod.containers.image[1] = busybox:1"));
        assert!(eval("ka.req.pod.containers.image glob 'busy*:?'"));
        assert!(eval("ka.req.pod.containers.image iglob 'NGI[m-z]X'"));
        assert!(eval("ka.user.name icontains ANON"));
        assert!(eval("ka.uri exists or evt.num = 5"));
        assert!(eval("evt.num > 4 and evt.source = k8s_audit"));
        assert!(eval("ka.verb regex '^cr.a'"));
        assert!(!eval("jevt.rawtime = 0"));
        assert!(eval("jevt.rawtime exists"));
        assert!(eval("evt.is_async = false and evt.is_async in (false)"));
        assert!(!eval("evt.is_async != false"));
    }

    #[test]
    fn errors() {
        for bad in [
            "ka.nope = 1",
            "evt.num = x",
            "ka.uri.param = 1",
            "tolower(ka.verb) = x",
            "ka.verb",
            "evt.is_async = 0",
            "evt.is_async contains f",
        ] {
            assert!(compile_text(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn globs() {
        assert!(glob(b"a*b?c", b"a/x/bzc"));
        assert!(glob(b"[!a]x", b"bx"));
        assert!(!glob(b"[!a]x", b"ax"));
        assert!(glob(b"*", b""));
        assert!(!glob(b"a*", b"b"));
        assert!(glob(b"[]]", b"]"));
    }
}
