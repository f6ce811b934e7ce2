//! Definitions → compiled rules: lists are expanded, macros parsed and checked, each rule's
//! condition (with its exceptions) compiled to a [`Filter`] and its output to a [`Formatter`].

use std::collections::HashMap;
use std::sync::Arc;

use super::diag::{Diagnostic, ItemRef, Location, Severity, code};
use super::loader::{Collection, ExcValue, ExceptionDef, RuleDef, Text};
use super::priority::Priority;
use crate::filter::ast::{Ast, Check, Literal, Op, Rhs};
use crate::filter::{Definitions, Filter, FilterError, FilterErrorKind, Usage, parser};
use crate::output::Formatter;

/// What a rule is, as loaded (for listing and describing).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    pub name: String,
    pub desc: String,
    /// The condition as written (appends joined), without exceptions.
    pub condition: String,
    pub output: String,
    pub priority: Priority,
    pub tags: Vec<String>,
    pub source: String,
    /// `enabled` as the rules files say.
    pub enabled_by_default: bool,
    /// Names of the event types the rule can match.
    pub event_types: Vec<&'static str>,
    pub exceptions: Vec<String>,
    pub location: Location,
}

/// A rule ready to match.
pub struct CompiledRule {
    pub info: Arc<RuleInfo>,
    pub filter: Filter,
    pub formatter: Formatter,
    /// The output format text the formatter was built from (for re-building with extras).
    pub output_text: String,
    pub tags: Arc<[String]>,
    pub name: Arc<str>,
    pub source: Arc<str>,
    /// The syscalls whose generic events the rule can match (None: any).
    pub generic_syscalls: Option<Vec<u16>>,
}

pub struct Compiled {
    pub rules: Vec<CompiledRule>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

fn diag(
    sev: Severity,
    code: &'static str,
    location: Location,
    kind: &'static str,
    name: &str,
    message: String,
) -> Diagnostic {
    Diagnostic {
        severity: sev,
        code,
        location,
        item: Some(ItemRef {
            kind,
            name: name.to_string(),
        }),
        message,
    }
}

/// The message for a condition error (messages quote their token where it helps).
fn condition_message(e: &FilterError) -> String {
    e.kind.to_string()
}

fn expand_lists(col: &Collection) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for l in &col.lists {
        let mut items = Vec::with_capacity(l.items.len());
        for i in &l.items {
            // A list may name earlier lists among its items.
            match out.get(i) {
                Some(v) if *i != l.name => items.extend(v.iter().cloned()),
                _ => items.push(i.clone()),
            }
        }
        out.insert(l.name.clone(), items);
    }
    out
}

/// Parses `text` with errors located in the rules file.
fn parse_text(t: &Text, kind: &'static str, name: &str) -> Result<Ast, Diagnostic> {
    let joined = t.joined();
    parser::parse(&joined).map_err(|e| {
        let loc = t.location(e.pos).expect("text has a segment");
        diag(
            Severity::Error,
            code::COMPILE_CONDITION,
            loc,
            kind,
            name,
            condition_message(&e),
        )
    })
}

fn lit(text: &str, quoted: bool) -> Literal {
    Literal {
        text: text.to_string(),
        quoted,
        pos: 0,
    }
}

/// The condition of one exception: `(f1 c1 v1 and f2 c2 v2) or (...)` over its value tuples.
fn exception_ast(e: &ExceptionDef) -> Result<Option<Ast>, String> {
    let operand = |f: &str| -> Result<crate::filter::ast::Operand, String> {
        match parser::parse(&format!("{f} exists")) {
            Ok(Ast::Check(c)) => Ok(c.lhs),
            _ => Err(format!("exception '{}': invalid field '{f}'", e.name)),
        }
    };
    let op = |c: &str| -> Result<Op, String> {
        Op::parse(c)
            .filter(|o| *o != Op::Exists)
            .ok_or_else(|| format!("exception '{}': invalid comparison operator '{c}'", e.name))
    };
    let check = |field: &str, comp: Op, v: &ExcValue| -> Result<Ast, String> {
        let rhs = match (comp.takes_list(), v) {
            (true, ExcValue::One(s)) => Rhs::List(vec![lit(s, false)]),
            (true, ExcValue::Many(items)) => {
                Rhs::List(items.iter().map(|s| lit(s, false)).collect())
            }
            (false, ExcValue::One(s)) => Rhs::Value(lit(s, true)),
            (false, ExcValue::Many(_)) => {
                return Err(format!(
                    "exception '{}': a list value needs 'in', 'intersects' or 'pmatch', not '{}'",
                    e.name,
                    comp.name()
                ));
            }
        };
        Ok(Ast::Check(Check {
            lhs: operand(field)?,
            op: comp,
            op_pos: 0,
            rhs,
        }))
    };
    if e.values.is_empty() {
        return Ok(None);
    }
    let mut alts = Vec::new();
    if e.single {
        let comp = op(e.comps.first().map_or("in", String::as_str))?;
        let values: Vec<String> = e
            .values
            .iter()
            .flat_map(|row| row.iter())
            .flat_map(|v| match v {
                ExcValue::One(s) => vec![s.clone()],
                ExcValue::Many(m) => m.clone(),
            })
            .collect();
        if comp.takes_list() {
            alts.push(check(&e.fields[0], comp, &ExcValue::Many(values))?);
        } else {
            for v in values {
                alts.push(check(&e.fields[0], comp, &ExcValue::One(v))?);
            }
        }
    } else {
        let comps: Vec<Op> = if e.comps.is_empty() {
            vec![Op::Eq; e.fields.len()]
        } else {
            e.comps.iter().map(|c| op(c)).collect::<Result<_, _>>()?
        };
        if comps.len() != e.fields.len() {
            return Err(format!(
                "exception '{}': 'fields' has {} entries but 'comps' has {}",
                e.name,
                e.fields.len(),
                comps.len()
            ));
        }
        for row in &e.values {
            if row.len() != e.fields.len() {
                return Err(format!(
                    "exception '{}': a value has {} entries but 'fields' has {}",
                    e.name,
                    row.len(),
                    e.fields.len()
                ));
            }
            let mut parts = Vec::new();
            for ((f, c), v) in e.fields.iter().zip(&comps).zip(row) {
                parts.push(check(f, *c, v)?);
            }
            alts.push(if parts.len() == 1 {
                parts.pop().expect("one")
            } else {
                Ast::And(parts)
            });
        }
    }
    Ok(Some(if alts.len() == 1 {
        alts.pop().expect("one")
    } else {
        Ast::Or(alts)
    }))
}

/// Compiles everything in `col`.
pub fn compile(col: &Collection) -> Compiled {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let lists = expand_lists(col);

    let mut macro_asts: Vec<(usize, Ast)> = Vec::new();
    for (i, m) in col.macros.iter().enumerate() {
        match parse_text(&m.condition, "macro", &m.name) {
            Ok(a) => macro_asts.push((i, a)),
            Err(d) => errors.push(d),
        }
    }
    let mut defs = Definitions::default();
    for (i, a) in &macro_asts {
        defs.macros.insert(col.macros[*i].name.as_str(), a);
    }
    for (k, v) in &lists {
        defs.lists.insert(k.as_str(), v.as_slice());
    }
    let mut usage = Usage::default();
    // Every macro must compile on its own, used or not.
    for (i, a) in &macro_asts {
        let m = &col.macros[*i];
        let mut own = Usage::default();
        if let Err(e) = Filter::from_macro(&m.name, a, &defs, &mut own) {
            let loc = m.condition.location(e.pos).expect("segment");
            errors.push(diag(
                Severity::Error,
                code::COMPILE_CONDITION,
                loc,
                "macro",
                &m.name,
                condition_message(&e),
            ));
        }
        usage.lists.extend(own.lists);
        own.macros.remove(&m.name);
        usage.macros.extend(own.macros);
    }

    let mut rules = Vec::new();
    for r in &col.rules {
        match compile_rule(r, &defs, &mut usage, &mut warnings) {
            Ok(Some(c)) => rules.push(c),
            Ok(None) => {}
            Err(d) => errors.push(d),
        }
    }

    for m in &col.macros {
        if !usage.macros.contains(&m.name) {
            warnings.push(diag(
                Severity::Warning,
                code::UNUSED_MACRO,
                m.loc.clone(),
                "macro",
                &m.name,
                "macro not referred to by any rule or macro".into(),
            ));
        }
    }
    for l in &col.lists {
        let in_lists = col
            .lists
            .iter()
            .any(|o| o.name != l.name && o.items.contains(&l.name));
        if !usage.lists.contains(&l.name) && !in_lists {
            warnings.push(diag(
                Severity::Warning,
                code::UNUSED_LIST,
                l.loc.clone(),
                "list",
                &l.name,
                "list not referred to by any rule, macro or list".into(),
            ));
        }
    }
    Compiled {
        rules,
        errors,
        warnings,
    }
}

fn compile_rule(
    r: &RuleDef,
    defs: &Definitions<'_>,
    usage: &mut Usage,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<CompiledRule>, Diagnostic> {
    if r.source != "syscall" {
        warnings.push(diag(
            Severity::Warning,
            code::UNKNOWN_SOURCE,
            r.loc.clone(),
            "rule",
            &r.name,
            format!("unknown event source '{}': the rule is skipped", r.source),
        ));
        return Ok(None);
    }
    let cond_ast = parse_text(&r.condition, "rule", &r.name)?;
    let mut rule_usage = Usage::default();
    // Compile the condition alone first so its errors point into the condition text.
    if let Err(e) = Filter::from_ast(&cond_ast, defs, &mut rule_usage) {
        let loc = r.condition.location(e.pos).expect("segment");
        if r.skip_if_unknown_filter && matches!(e.kind, FilterErrorKind::UnknownField(_)) {
            warnings.push(diag(
                Severity::Warning,
                code::UNKNOWN_FILTER,
                loc,
                "rule",
                &r.name,
                format!(
                    "{}: the rule is skipped (skip-if-unknown-filter)",
                    condition_message(&e)
                ),
            ));
            return Ok(None);
        }
        return Err(diag(
            Severity::Error,
            code::COMPILE_CONDITION,
            loc,
            "rule",
            &r.name,
            condition_message(&e),
        ));
    }
    let mut exc_asts = Vec::new();
    for e in &r.exceptions {
        let ast = exception_ast(e).map_err(|m| {
            diag(
                Severity::Error,
                code::VALIDATE,
                e.loc.clone(),
                "rule",
                &r.name,
                m,
            )
        })?;
        if let Some(a) = ast {
            if let Err(err) = Filter::from_ast(&a, defs, &mut rule_usage) {
                return Err(diag(
                    Severity::Error,
                    code::COMPILE_CONDITION,
                    e.loc.clone(),
                    "rule",
                    &r.name,
                    format!("exception '{}': {}", e.name, condition_message(&err)),
                ));
            }
            exc_asts.push(a);
        }
    }
    let full = if exc_asts.is_empty() {
        cond_ast
    } else {
        let exc = if exc_asts.len() == 1 {
            exc_asts.pop().expect("one")
        } else {
            Ast::Or(exc_asts)
        };
        Ast::And(vec![cond_ast, Ast::Not(Box::new(exc))])
    };
    let filter = Filter::from_ast(&full, defs, &mut rule_usage).map_err(|e| {
        diag(
            Severity::Error,
            code::COMPILE_CONDITION,
            r.loc.clone(),
            "rule",
            &r.name,
            condition_message(&e),
        )
    })?;
    usage.macros.extend(rule_usage.macros);
    usage.lists.extend(rule_usage.lists);

    let output_text = r.output.joined();
    let formatter = Formatter::parse(&output_text).map_err(|e| {
        let loc = r.output.location(e.offset).expect("segment");
        diag(
            Severity::Error,
            code::COMPILE_OUTPUT,
            loc,
            "rule",
            &r.name,
            format!("invalid output: {}", e.message),
        )
    })?;
    let types = filter.event_types();
    if r.warn_evttypes && types.is_unrestricted() {
        warnings.push(diag(
            Severity::Warning,
            code::NO_EVTTYPE,
            r.loc.clone(),
            "rule",
            &r.name,
            "rule matches too many evt.type values; this has a significant performance penalty"
                .into(),
        ));
    }
    let info = RuleInfo {
        name: r.name.clone(),
        desc: r.desc.clone(),
        condition: r.condition.joined(),
        output: output_text.clone(),
        priority: r.priority,
        tags: r.tags.clone(),
        source: r.source.clone(),
        enabled_by_default: r.enabled,
        event_types: types.names(),
        exceptions: r.exceptions.iter().map(|e| e.name.clone()).collect(),
        location: r.loc.clone(),
    };
    Ok(Some(CompiledRule {
        generic_syscalls: filter.generic_syscalls(),
        name: Arc::from(r.name.as_str()),
        source: Arc::from(r.source.as_str()),
        tags: r.tags.clone().into(),
        info: Arc::new(info),
        filter,
        formatter,
        output_text,
    }))
}
