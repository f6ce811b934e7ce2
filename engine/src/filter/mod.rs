//! The condition language: libsinsp's filter syntax (`proc.name = bash and fd.name pmatch (/etc)`)
//! with Falco's macro references. Text is parsed with the pest grammar in `grammar.pest`
//! ([`parser`]), resolved and type-checked into an [`Expr`] ([`compiler`], with constants typed by
//! [`typing`] and transformers compiled by [`transform`]), and evaluated per event ([`eval`]).
//! [`evttype`] and [`optimize`] compute which event types a condition can match.
//!
//! ```
//! use falco_engine::filter::Filter;
//! let f = Filter::new("evt.type in (open, openat) and fd.name pmatch (/etc)").unwrap();
//! assert!(f.event_types().names().contains(&"openat"));
//! assert!(Filter::new("proc.name contains").is_err());
//! ```

pub mod ast;
pub mod compiler;
pub mod error;
pub mod eval;
pub mod evttype;
pub mod optimize;
pub mod parser;
pub mod program;
pub mod shared;
pub mod text;
pub mod transform;
pub mod typing;

pub use ast::{Ast, Op};
pub use compiler::{Definitions, Usage};
pub use error::{FilterError, FilterErrorKind};
pub use eval::Expr;
pub use evttype::EventTypeSet;

use crate::fields::Ctx;

/// Parses and compiles a field or transformer written alone (`tolower(proc.name)`).
pub fn operand(text: &str) -> Result<(transform::Lhs, crate::fields::FieldType), FilterError> {
    compiler::compile_operand(&parser::parse_operand(text)?)
}

/// Checks that `text` is a field (or transformer) that exists: what an exception's `fields` must
/// be.
pub fn check_operand(text: &str) -> Result<(), FilterError> {
    operand(text).map(|_| ())
}

/// A compiled condition, with the event types it can match.
#[derive(Debug)]
pub struct Filter {
    expr: Expr,
    types: EventTypeSet,
    /// `expr` as evaluated ([`program::Program`]).
    program: program::Program,
}

impl Filter {
    /// Compiles a condition that uses no macros or lists.
    pub fn new(text: &str) -> Result<Filter, FilterError> {
        let ast = parser::parse(text)?;
        Filter::from_ast(&ast, &Definitions::default(), &mut Usage::default())
    }

    /// Compiles a parsed condition with macro and list definitions.
    pub fn from_ast(
        ast: &Ast,
        defs: &Definitions<'_>,
        usage: &mut Usage,
    ) -> Result<Filter, FilterError> {
        let expr = compiler::compile(ast, defs, usage)?;
        let types = compiler::event_types(&expr);
        let program = program::Program::compile(&expr);
        Ok(Filter {
            expr,
            types,
            program,
        })
    }

    /// True when the event satisfies the condition.
    #[inline]
    pub fn matches(&self, ctx: &Ctx<'_>) -> bool {
        // A filter compiled alone has no shared subconditions: an empty memo allocates nothing.
        self.types.contains(ctx.evt.event_type) && self.eval(ctx, &shared::Memo::default())
    }

    /// The condition on an event of its types, with the shared subconditions' results in `memo`.
    #[inline]
    pub fn eval(&self, ctx: &Ctx<'_>, memo: &shared::Memo) -> bool {
        self.program.eval(ctx, memo)
    }

    /// The event types the condition can match (a superset).
    pub fn event_types(&self) -> &EventTypeSet {
        &self.types
    }

    /// Number of nodes of the compiled condition.
    pub fn size(&self) -> usize {
        fn go(e: &Expr) -> usize {
            match e {
                Expr::And(v) | Expr::Or(v) => 1 + v.iter().map(go).sum::<usize>(),
                Expr::Not(x) => 1 + go(x),
                _ => 1,
            }
        }
        go(&self.expr)
    }

    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The compiled condition, for [`shared::share`] to rewrite; [`Filter::recompile`] then
    /// makes the evaluation use the rewritten form (until then it evaluates the original, which
    /// gives the same results).
    pub(crate) fn expr_mut(&mut self) -> &mut Expr {
        &mut self.expr
    }

    /// The condition as it stands on events of type `t` ([`optimize::for_type`]), to compile
    /// for them.
    pub(crate) fn expr_for_type(&self, t: u16) -> Expr {
        optimize::for_type(&self.expr, t)
    }

    /// What the condition's form for type `t` depends on ([`optimize::type_signature`]).
    pub(crate) fn type_signature(&self, t: u16) -> Vec<u8> {
        let mut out = Vec::new();
        optimize::type_signature(&self.expr, t, &mut out);
        out
    }

    /// Rebuilds the evaluated program from the condition (after [`Filter::expr_mut`]), with the
    /// shared subconditions' programs of `bodies`.
    pub(crate) fn recompile(&mut self, bodies: &mut program::Bodies) {
        self.program = program::Program::compile_in(&self.expr, bodies, program::ANY_TYPE);
    }

    #[cfg(test)]
    pub(crate) fn into_expr(self) -> Expr {
        self.expr
    }

    /// The syscalls whose generic events the condition can match (None: any).
    pub fn generic_syscalls(&self) -> Option<Vec<u16>> {
        compiler::generic_syscalls(&self.expr).map(|s| {
            let mut v: Vec<u16> = s.into_iter().collect();
            v.sort_unstable();
            v
        })
    }

    /// The ppm_sc codes of syscalls the condition names in `evt.type` checks that are not negated
    /// (live capture enables these even when they have no event of their own).
    pub fn named_syscalls(&self) -> Vec<u16> {
        fn go(e: &Expr, neg: bool, out: &mut Vec<u16>) {
            match e {
                Expr::And(v) | Expr::Or(v) => v.iter().for_each(|x| go(x, neg, out)),
                Expr::Not(x) => go(x, !neg, out),
                Expr::EvtType(m) if m.negated() == neg => out.extend_from_slice(m.syscalls()),
                _ => {}
            }
        }
        let mut out = Vec::new();
        go(&self.expr, false, &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }
}
