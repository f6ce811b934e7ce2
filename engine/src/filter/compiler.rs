//! [`Ast`] → [`Expr`]: resolves macros and fields, checks each operator against its field's type
//! and builds typed constants, so evaluation does no parsing and (for the common operators) no
//! allocation. List names were substituted into the text before parsing, as Falco does.

use std::collections::{HashMap, HashSet};

use super::ast::{Ast, Check, Literal, Modifier, Op, Operand, Rhs, TArg, Transformer};
use super::error::{FilterError, FilterErrorKind};
use super::eval::{Expr, Finder, Glob, InSet, Test, TypeMatch};
use super::evttype;
use super::transform::{Lhs, Part, result_type};
use super::typing::{comparable, lit_bytes, literal, op_allowed};
use crate::fields::{Field, FieldError, FieldId, FieldType};

pub use super::optimize::{event_types, generic_syscalls, ids_for_names, optimize};

/// Deepest tree accepted after macro expansion; compilation and evaluation recurse once per level.
/// An unoptimised build spends about 4 KiB of stack per level compiling, so 256 levels stay within
/// the 2 MiB a test or worker thread has (512 overflowed `cargo test`'s threads).
pub const MAX_EXPANDED_DEPTH: usize = 256;

/// Most nodes one condition may have with its macros expanded: macros that use each other twice
/// per level double at each level, so a few hundred bytes of rules could otherwise ask for
/// gigabytes. Falco's own rules stay under a few hundred nodes per rule.
pub const MAX_EXPANDED_NODES: usize = 100_000;

/// What a condition may refer to besides fields: macros (parsed conditions).
#[derive(Default)]
pub struct Definitions<'a> {
    pub macros: HashMap<&'a str, &'a Ast>,
}

/// Macros a compilation used, so the loader can warn about unused ones.
#[derive(Default, Debug)]
pub struct Usage {
    pub macros: HashSet<String>,
}

struct Compiler<'d, 'a> {
    defs: &'d Definitions<'a>,
    usage: &'d mut Usage,
    /// Macros being expanded (name, offset of the reference in the text that named it).
    stack: Vec<(String, usize)>,
    nodes: usize,
}

/// Compiles a parsed condition.
pub fn compile(ast: &Ast, defs: &Definitions<'_>, usage: &mut Usage) -> Result<Expr, FilterError> {
    let mut c = Compiler {
        defs,
        usage,
        stack: Vec::new(),
        nodes: 0,
    };
    let e = c.node(ast, 1)?;
    Ok(optimize(e))
}

/// Compiles a field or transformer alone; returns it with its type.
pub fn compile_operand(o: &Operand) -> Result<(Lhs, FieldType), FilterError> {
    let defs = Definitions::default();
    let mut usage = Usage::default();
    let c = Compiler {
        defs: &defs,
        usage: &mut usage,
        stack: Vec::new(),
        nodes: 0,
    };
    c.lhs(o)
}

impl Compiler<'_, '_> {
    /// An error at `pos` of the text being compiled: the innermost macro's, or the condition's.
    fn err(&self, kind: FilterErrorKind, pos: usize, token: impl Into<String>) -> FilterError {
        let mut e = FilterError::new(kind, pos, token);
        e.in_macro = self.stack.last().map(|(n, _)| n.clone());
        e
    }

    /// An error about the whole expansion, at the outermost macro reference.
    fn err_outer(&self, kind: FilterErrorKind) -> FilterError {
        let (pos, token) = self
            .stack
            .first()
            .map_or((0, String::new()), |(n, p)| (*p, n.clone()));
        FilterError::new(kind, pos, token)
    }

    fn node(&mut self, ast: &Ast, depth: usize) -> Result<Expr, FilterError> {
        if depth > MAX_EXPANDED_DEPTH {
            return Err(self.err_outer(FilterErrorKind::TooDeep(MAX_EXPANDED_DEPTH)));
        }
        self.nodes += 1;
        if self.nodes > MAX_EXPANDED_NODES {
            return Err(self.err_outer(FilterErrorKind::TooLarge(MAX_EXPANDED_NODES)));
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
                    return Err(self.err(
                        FilterErrorKind::UndefinedMacro(name.clone()),
                        *pos,
                        name.clone(),
                    ));
                };
                if self.stack.iter().any(|(s, _)| s == name) {
                    return Err(self.err(
                        FilterErrorKind::MacroCycle(name.clone()),
                        *pos,
                        name.clone(),
                    ));
                }
                self.usage.macros.insert(name.clone());
                self.stack.push((name.clone(), *pos));
                let r = self.node(body, depth + 1);
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

    fn transformer_err(&self, o: &Operand, msg: String) -> FilterError {
        self.err(FilterErrorKind::Transformer(msg), o.pos(), o.text())
    }

    /// Resolves an operand to a field with its transformers; returns the resulting type.
    fn lhs(&self, o: &Operand) -> Result<(Lhs, FieldType), FilterError> {
        let Operand::Transform {
            kind, args, arg, ..
        } = o
        else {
            let Operand::Field { name, arg, pos } = o else {
                unreachable!()
            };
            let f = self.field(name, arg.as_deref(), *pos)?;
            let t = f.ftype();
            return Ok((Lhs::Field(f), t));
        };
        let name = kind.name();
        if arg.is_some() {
            return Err(self.transformer_err(
                o,
                format!("transformer '{name}' does not take a field argument"),
            ));
        }
        match kind {
            Transformer::Concat => {
                if args.len() < 2 {
                    return Err(
                        self.transformer_err(o, "concat() needs at least 2 arguments".into())
                    );
                }
                let parts = args
                    .iter()
                    .map(|a| self.string_part(o, a, "concat() arguments must be strings"))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((Lhs::Concat(parts.into()), FieldType::String))
            }
            Transformer::Join => {
                let [sep, TArg::List(items)] = args.as_slice() else {
                    return Err(self.transformer_err(
                        o,
                        "join() needs 2 arguments: a separator and a list".into(),
                    ));
                };
                let sep = self.string_part(o, sep, "join() separator must be a string")?;
                let items = items
                    .iter()
                    .map(|a| self.string_part(o, a, "join() list items must be strings"))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((Lhs::Join(Box::new(sep), items.into()), FieldType::String))
            }
            Transformer::Getopt => Err(self.transformer_err(
                o,
                "getopt() needs a list field, and falco has none of libsinsp's list fields".into(),
            )),
            _ => {
                let [TArg::Operand(inner)] = args.as_slice() else {
                    return Err(
                        self.transformer_err(o, format!("{name}() takes one field argument"))
                    );
                };
                let (inner_lhs, t) = self.lhs(inner)?;
                let Some(out) = result_type(*kind, t) else {
                    return Err(self.err(
                        FilterErrorKind::BadTransformer {
                            transformer: name,
                            field: inner.text(),
                            ftype: t.name(),
                        },
                        o.pos(),
                        o.text(),
                    ));
                };
                if *kind == Transformer::Val {
                    return Ok((inner_lhs, out));
                }
                Ok((Lhs::Transform(*kind, Box::new(inner_lhs)), out))
            }
        }
    }

    /// A string-valued transformer argument: a string operand or a constant.
    fn string_part(&self, o: &Operand, a: &TArg, msg: &str) -> Result<Part, FilterError> {
        match a {
            TArg::Value(l) => Ok(Part::Const(l.text.as_str().into())),
            TArg::Operand(inner) => {
                let (l, t) = self.lhs(inner)?;
                if t.is_stringy() || t == FieldType::Dynamic {
                    Ok(Part::Lhs(l))
                } else {
                    Err(self.transformer_err(o, msg.to_string()))
                }
            }
            TArg::List(_) => Err(self.transformer_err(o, msg.to_string())),
        }
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
        if c.modifier.is_none()
            && let Some(e) = self.special(&lhs, op, &c.rhs)?
        {
            return Ok(e);
        }
        let test = match (op, &c.rhs) {
            (Op::Exists, _) => Test::Exists,
            (_, Rhs::None) => unreachable!("grammar gives operators an operand"),
            (_, Rhs::Operand(other)) => {
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
            (o, rhs) if c.modifier.is_some() || o.takes_list() => {
                let items: Vec<&Literal> = match rhs {
                    Rhs::List(v) => v.iter().collect(),
                    Rhs::Value(l) => vec![l],
                    _ => Vec::new(),
                };
                self.list_test(o, c.modifier, ftype, &items, &field_text)?
            }
            (o, Rhs::Value(l)) => self.value_test(o, ftype, l, &field_text)?,
            (o, Rhs::List(items)) => {
                let pos = items.first().map_or(c.op_pos, |i| i.pos);
                return Err(self.err(FilterErrorKind::ListUnexpected(o.name()), pos, "("));
            }
        };
        Ok(Expr::Check(std::sync::Arc::new(super::eval::CheckExpr {
            lhs,
            test,
        })))
    }

    /// `evt.dir` against `<`/`>` and `evt.type` against names compile to precomputed tests that
    /// also narrow the event types a rule is indexed by.
    fn special(&self, lhs: &Lhs, op: Op, rhs: &Rhs) -> Result<Option<Expr>, FilterError> {
        let Some(f) = lhs.field() else {
            return Ok(None);
        };
        if let (Op::Eq | Op::Ne, Rhs::Value(l)) = (op, rhs)
            && f.id == FieldId::EvtDir
            && (l.text == "<" || l.text == ">")
        {
            let exit = (l.text == "<") == (op == Op::Eq);
            return Ok(Some(Expr::Dir { exit }));
        }
        if f.id != FieldId::EvtType || !matches!(op, Op::Eq | Op::Ne | Op::In | Op::Intersects) {
            return Ok(None);
        }
        let names: Vec<&Literal> = match rhs {
            Rhs::Value(l) => vec![l],
            Rhs::List(items) => items.iter().collect(),
            _ => return Ok(None),
        };
        // As libsinsp: a name that is no event or syscall is a mistake, not a miss.
        if let Some(l) = names
            .iter()
            .find(|l| evttype::ids_for_name(&l.text).is_empty())
        {
            return Err(self.err(
                FilterErrorKind::UnknownEventType(l.text.clone()),
                l.pos,
                l.text.clone(),
            ));
        }
        Ok(Some(Expr::EvtType(Box::new(TypeMatch::new(
            names.iter().map(|l| l.text.as_str()),
            op == Op::Ne,
        )))))
    }

    /// `in`, `intersects`, `pmatch`, or a string operator with a modifier.
    fn list_test(
        &self,
        op: Op,
        modifier: Option<Modifier>,
        ftype: FieldType,
        items: &[&Literal],
        field: &str,
    ) -> Result<Test, FilterError> {
        if let Some(m) = modifier {
            let tests = items
                .iter()
                .map(|l| self.value_test(op, ftype, l, field))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Test::Modified(m, tests.into()));
        }
        if op == Op::Pmatch {
            return Ok(Test::Pmatch(
                items.iter().map(|l| l.text.as_str().into()).collect(),
            ));
        }
        let lits = items
            .iter()
            .map(|l| literal(ftype, Op::Eq, &l.text, l.pos, field).map_err(|e| self.relocate(e)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Test::In(InSet::new(lits)))
    }

    /// An error from a helper, attributed to the text being compiled.
    fn relocate(&self, e: FilterError) -> FilterError {
        self.err(e.kind, e.pos, e.token)
    }

    /// `field op value` with one constant.
    fn value_test(
        &self,
        op: Op,
        ftype: FieldType,
        l: &Literal,
        field: &str,
    ) -> Result<Test, FilterError> {
        let lit = literal(ftype, op, &l.text, l.pos, field).map_err(|e| self.relocate(e))?;
        Ok(match op {
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => Test::Cmp(op, lit),
            Op::Glob | Op::Iglob => Test::Glob(Glob::new(&l.text, op == Op::Iglob)),
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
            Op::Icontains => Test::Icontains(l.text.to_ascii_lowercase().into_bytes().into()),
            Op::Contains | Op::Bcontains => Test::Contains(Finder::new(&lit_bytes(&lit))),
            Op::Startswith | Op::Bstartswith => Test::Startswith(lit_bytes(&lit)),
            Op::Endswith => Test::Endswith(lit_bytes(&lit)),
            Op::In | Op::Intersects => Test::In(InSet::new(vec![lit])),
            Op::Pmatch => Test::Pmatch(Box::new([l.text.as_str().into()])),
            Op::Exists => Test::Exists,
        })
    }
}
