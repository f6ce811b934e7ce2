//! [`Collection`] → compiled rules, in Falco's steps: lists expanded one level (a list sees the
//! lists defined before it), list names substituted into each condition's text, macros parsed and
//! resolved (a macro sees the macros defined before it; a rule sees them all), each rule's
//! condition (with its exceptions) compiled to a [`Filter`] and its output to a [`Formatter`].
//!
//! Expansion is bounded: a list holds at most [`MAX_LIST_BYTES`] once expanded, a condition at most
//! [`MAX_CONDITION_BYTES`] once its lists are substituted, and a condition at most
//! [`crate::filter::compiler::MAX_EXPANDED_NODES`] nodes once its macros are expanded, with
//! [`MAX_TOTAL_NODES`] over all rules. Past a bound the item gets an error naming the limit.

mod audit;
mod exceptions;
mod text;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::collection::{Collection, MacroDef, RuleDef};
use super::diag::{Diagnostic, ItemRef, Location, Severity, code};
use super::priority::Priority;
use crate::filter::ast::Ast;
use crate::filter::{Definitions, Filter, FilterError, FilterErrorKind, Usage, parser};
use crate::output::Formatter;
pub use text::{ListName, Mapped, quote_item, substitute_list};

/// Most bytes of items one list may hold once the lists it names are expanded.
pub const MAX_LIST_BYTES: usize = 1 << 20;
/// Most bytes one condition may grow to once list names are replaced by their items.
pub const MAX_CONDITION_BYTES: usize = 1 << 20;
/// Most condition nodes, macros expanded, over all the rules loaded together.
pub const MAX_TOTAL_NODES: usize = 2_000_000;

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
    pub capture: bool,
    pub capture_duration: u64,
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
    /// The rules of the `k8s_audit` source.
    pub audit: Vec<crate::k8saudit::ruleset::AuditEntry>,
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

/// Each list's items with the items of the earlier lists it names (one level, as Falco).
fn expand_lists(col: &Collection, errors: &mut Vec<Diagnostic>) -> (Vec<Vec<String>>, Vec<bool>) {
    let by_name: HashMap<&str, usize> = col
        .lists
        .iter()
        .enumerate()
        .map(|(i, l)| (l.name.as_str(), i))
        .collect();
    let mut used = vec![false; col.lists.len()];
    let mut out = Vec::with_capacity(col.lists.len());
    for l in &col.lists {
        let mut items = Vec::with_capacity(l.items.len());
        let mut bytes = 0usize;
        for item in &l.items {
            match by_name.get(item.as_str()) {
                Some(&r) if col.lists[r].index < l.visibility => {
                    used[r] = true;
                    bytes += col.lists[r].items.iter().map(String::len).sum::<usize>();
                    if bytes <= MAX_LIST_BYTES {
                        items.extend(col.lists[r].items.iter().cloned());
                    }
                }
                _ => {
                    bytes += item.len();
                    items.push(item.clone());
                }
            }
        }
        if bytes > MAX_LIST_BYTES {
            errors.push(diag(
                Severity::Error,
                code::VALIDATE,
                l.loc.clone(),
                "list",
                &l.name,
                format!("list expands to more than {MAX_LIST_BYTES} bytes of items (the limit)"),
            ));
            items.clear();
        }
        out.push(items);
    }
    (out, used)
}

/// The lists, expanded, in Falco's order of substitution.
struct Lists<'c> {
    col: &'c Collection,
    items: Vec<Vec<String>>,
    used: Vec<bool>,
    names: Vec<ListName<'c>>,
}

impl Lists<'_> {
    /// Substitutes every list into `m`; an error when the text outgrows its bound.
    fn substitute(&mut self, m: &mut Mapped<'_>) -> Result<(), (usize, String)> {
        for (i, l) in self.col.lists.iter().enumerate() {
            match substitute_list(m, &self.names[i], &self.items[i], MAX_CONDITION_BYTES) {
                Ok(true) => self.used[i] = true,
                Ok(false) => {}
                Err(_) => {
                    return Err((
                        i,
                        format!(
                            "condition grows past {MAX_CONDITION_BYTES} bytes (the limit) when list '{}' is substituted",
                            l.name
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A macro's condition, substituted and parsed.
struct ParsedMacro<'c> {
    def: &'c MacroDef,
    mapped: Mapped<'c>,
    ast: Option<Ast>,
}

/// Compiles everything in `col` (rules of `sources` only; others were warned about at load).
pub fn compile(col: &Collection, sources: &[&str]) -> Compiled {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let (items, used) = expand_lists(col, &mut errors);
    let names = col.lists.iter().map(|l| ListName::new(&l.name)).collect();
    let mut lists = Lists {
        col,
        items,
        used,
        names,
    };

    let mut macros = Vec::with_capacity(col.macros.len());
    for m in &col.macros {
        let mut mapped = Mapped::new(&m.condition);
        let ast = match lists.substitute(&mut mapped) {
            Ok(()) => parse_mapped(&mapped, "macro", &m.name)
                .map_err(|d| errors.push(d))
                .ok(),
            Err((_, msg)) => {
                let loc = m.condition.start().unwrap_or_else(|| m.loc.clone());
                errors.push(diag(
                    Severity::Error,
                    code::VALIDATE,
                    loc,
                    "macro",
                    &m.name,
                    msg,
                ));
                None
            }
        };
        macros.push(ParsedMacro {
            def: m,
            mapped,
            ast,
        });
    }
    let mut usage = Usage::default();
    resolve_macro_visibility(&macros, &mut usage, &mut errors);
    let mut defs = Definitions::default();
    for m in &macros {
        if let Some(a) = &m.ast {
            defs.macros.insert(m.def.name.as_str(), a);
        }
    }
    let mapped_of: HashMap<&str, &Mapped<'_>> = macros
        .iter()
        .map(|m| (m.def.name.as_str(), &m.mapped))
        .collect();

    let mut rules = Vec::new();
    let mut audit_rules = Vec::new();
    let mut total_nodes = 0usize;
    for r in col
        .rules
        .iter()
        .filter(|r| sources.contains(&r.source.as_str()))
    {
        let ctx = RuleCtx {
            defs: &defs,
            macro_text: &mapped_of,
        };
        if r.source == crate::k8saudit::SOURCE {
            match audit::compile_rule(r, &ctx, &mut lists, &mut usage, &mut warnings) {
                Ok(Some(e)) => audit_rules.push(e),
                Ok(None) => {}
                Err(d) => errors.push(d),
            }
            continue;
        }
        match compile_rule(r, &ctx, &mut lists, &mut usage, &mut warnings) {
            Ok(Some((c, nodes))) => {
                total_nodes += nodes;
                if total_nodes > MAX_TOTAL_NODES {
                    errors.push(diag(
                        Severity::Error,
                        code::COMPILE_CONDITION,
                        r.loc.clone(),
                        "rule",
                        &r.name,
                        format!(
                            "the rules loaded together exceed {MAX_TOTAL_NODES} condition nodes with macros expanded (the limit)"
                        ),
                    ));
                    break;
                }
                rules.push(c);
            }
            Ok(None) => {}
            Err(d) => errors.push(d),
        }
    }
    unused_warnings(col, &lists, &usage, &mut warnings);
    Compiled {
        rules,
        audit: audit_rules,
        errors,
        warnings,
    }
}

fn unused_warnings(
    col: &Collection,
    lists: &Lists<'_>,
    usage: &Usage,
    warnings: &mut Vec<Diagnostic>,
) {
    for m in &col.macros {
        if !usage.macros.contains(&m.name) {
            warnings.push(diag(
                Severity::Warning,
                code::UNUSED_MACRO,
                m.loc.clone(),
                "macro",
                &m.name,
                "macro not referred to by any other rule/macro".into(),
            ));
        }
    }
    for (i, l) in col.lists.iter().enumerate() {
        if !lists.used[i] {
            warnings.push(diag(
                Severity::Warning,
                code::UNUSED_LIST,
                l.loc.clone(),
                "list",
                &l.name,
                "list not referred to by any other rule/macro".into(),
            ));
        }
    }
}

/// Parses substituted text; errors located in the rules file.
fn parse_mapped(m: &Mapped<'_>, kind: &'static str, name: &str) -> Result<Ast, Diagnostic> {
    parser::parse(&m.text).map_err(|e| {
        diag(
            Severity::Error,
            code::COMPILE_CONDITION,
            m.location(e.pos),
            kind,
            name,
            e.kind.to_string(),
        )
    })
}

/// A macro sees only the macros numbered before its visibility (Falco resolves macros in order,
/// each against the ones visible to it). Marks the macros resolved as used.
fn resolve_macro_visibility(
    macros: &[ParsedMacro<'_>],
    usage: &mut Usage,
    errors: &mut Vec<Diagnostic>,
) {
    let by_name: HashMap<&str, usize> = macros
        .iter()
        .enumerate()
        .map(|(i, m)| (m.def.name.as_str(), i))
        .collect();
    for (i, m) in macros.iter().enumerate() {
        let Some(ast) = &m.ast else { continue };
        let mut walk = Walk {
            owner: i,
            visibility: m.def.visibility,
            path: Vec::new(),
            done: HashSet::new(),
        };
        if let Err((pos, msg)) = visit(macros, &by_name, ast, &mut walk, usage) {
            errors.push(diag(
                Severity::Error,
                code::COMPILE_CONDITION,
                m.mapped.location(pos),
                "macro",
                &m.def.name,
                msg,
            ));
        }
    }

    /// One macro's resolution: the macros being expanded, and those already checked (each is
    /// checked once, so macros that use each other many times cost linear time).
    struct Walk {
        owner: usize,
        visibility: u32,
        path: Vec<usize>,
        done: HashSet<usize>,
    }

    fn visit(
        macros: &[ParsedMacro<'_>],
        by_name: &HashMap<&str, usize>,
        ast: &Ast,
        w: &mut Walk,
        usage: &mut Usage,
    ) -> Result<(), (usize, String)> {
        let mut refs = Vec::new();
        ast.visit_macros(&mut |n, p| refs.push((n.to_string(), p)));
        for (name, pos) in refs {
            let at = if w.path.is_empty() { pos } else { 0 };
            let Some(&r) = by_name
                .get(name.as_str())
                .filter(|r| macros[**r].def.index < w.visibility && macros[**r].ast.is_some())
            else {
                return Err((at, format!("undefined macro '{name}'")));
            };
            if w.path.contains(&r) {
                return Err((at, format!("reference loop in macro '{name}'")));
            }
            usage.macros.insert(name.clone());
            // Macros before the owner were already resolved against their own visibility; the
            // owner itself and later ones are expanded as written.
            if r >= w.owner && !w.done.contains(&r) {
                if w.path.len() >= crate::filter::compiler::MAX_EXPANDED_DEPTH {
                    return Err((
                        at,
                        format!(
                            "macros nest more than {} deep",
                            crate::filter::compiler::MAX_EXPANDED_DEPTH
                        ),
                    ));
                }
                w.path.push(r);
                let body = macros[r].ast.as_ref().expect("checked");
                visit(macros, by_name, body, w, usage)?;
                w.path.pop();
                w.done.insert(r);
            }
        }
        Ok(())
    }
}

/// Marks the macros `ast` refers to, directly or through other macros, as used: Falco resolves
/// them all before it checks fields.
fn mark_macros(ast: &Ast, defs: &Definitions<'_>, usage: &mut Usage) {
    let mut todo = vec![ast];
    while let Some(a) = todo.pop() {
        a.visit_macros(&mut |name, _| {
            if usage.macros.insert(name.to_string())
                && let Some(body) = defs.macros.get(name)
            {
                todo.push(body);
            }
        });
    }
}

struct RuleCtx<'a, 'd> {
    defs: &'a Definitions<'d>,
    macro_text: &'a HashMap<&'a str, &'a Mapped<'d>>,
}

/// Falco skips a rule with `skip-if-unknown-filter` on these errors.
fn is_unknown_field(e: &FilterErrorKind) -> bool {
    matches!(
        e,
        FilterErrorKind::UnknownField(_)
            | FilterErrorKind::UnknownEventType(_)
            | FilterErrorKind::Field(crate::fields::FieldError::Unknown(_))
    )
}

/// A rule's condition with its exceptions, lists substituted, parsed; its macros marked used.
fn rule_ast<'r>(
    r: &'r RuleDef,
    ctx: &RuleCtx<'_, '_>,
    lists: &mut Lists<'_>,
    usage: &mut Usage,
) -> Result<(Mapped<'r>, Ast), Diagnostic> {
    let err = |code: &'static str, loc: Location, msg: String| {
        diag(Severity::Error, code, loc, "rule", &r.name, msg)
    };
    let mut mapped = if r.exceptions.is_empty() {
        Mapped::new(&r.condition)
    } else {
        let mut m = Mapped::parenthesized(&r.condition);
        exceptions::append(&mut m, &r.exceptions)
            .map_err(|(i, msg)| err(code::VALIDATE, r.exceptions[i].loc.clone(), msg))?;
        m
    };
    lists
        .substitute(&mut mapped)
        .map_err(|(_, msg)| err(code::VALIDATE, r.loc.clone(), msg))?;
    let ast = parse_mapped(&mapped, "rule", &r.name)?;
    mark_macros(&ast, ctx.defs, usage);
    Ok((mapped, ast))
}

/// Compiles one rule; Ok(None) when it is skipped (with a warning). Also returns its size.
fn compile_rule(
    r: &RuleDef,
    ctx: &RuleCtx<'_, '_>,
    lists: &mut Lists<'_>,
    usage: &mut Usage,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<(CompiledRule, usize)>, Diagnostic> {
    let err = |code: &'static str, loc: Location, msg: String| {
        diag(Severity::Error, code, loc, "rule", &r.name, msg)
    };
    let (mapped, ast) = rule_ast(r, ctx, lists, usage)?;
    let output_text = r.output.joined();
    let formatter = match Formatter::parse(&output_text) {
        Ok(f) => f,
        Err(e) => {
            let loc = r.output.location(e.offset).unwrap_or_else(|| r.loc.clone());
            if r.skip_if_unknown_filter {
                warnings.push(diag(
                    Severity::Warning,
                    code::UNKNOWN_FILTER,
                    loc,
                    "rule",
                    &r.name,
                    format!(
                        "{}: the rule is skipped (skip-if-unknown-filter)",
                        e.message
                    ),
                ));
                return Ok(None);
            }
            return Err(err(
                code::COMPILE_OUTPUT,
                loc,
                format!("invalid output: {}", e.message),
            ));
        }
    };
    let locate = |e: &FilterError| -> (Location, String) {
        match &e.in_macro {
            Some(m) => (
                ctx.macro_text
                    .get(m.as_str())
                    .map_or_else(|| r.loc.clone(), |t| t.location(e.pos)),
                format!("in macro '{m}': {}", e.kind),
            ),
            None => (mapped.location(e.pos), e.kind.to_string()),
        }
    };
    let mut rule_usage = Usage::default();
    let filter = match Filter::from_ast(&ast, ctx.defs, &mut rule_usage) {
        Ok(f) => f,
        Err(e) => {
            let (loc, msg) = locate(&e);
            if r.skip_if_unknown_filter && is_unknown_field(&e.kind) {
                warnings.push(diag(
                    Severity::Warning,
                    code::UNKNOWN_FILTER,
                    loc,
                    "rule",
                    &r.name,
                    format!("{msg}: the rule is skipped (skip-if-unknown-filter)"),
                ));
                return Ok(None);
            }
            return Err(err(code::COMPILE_CONDITION, loc, msg));
        }
    };
    usage.macros.extend(rule_usage.macros);
    let types = filter.event_types();
    let n_types = types.ids().count();
    if r.warn_evttypes && (n_types == 0 || n_types > 100) {
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
    let nodes = filter.size();
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
        capture: r.capture,
        capture_duration: r.capture_duration,
        location: r.loc.clone(),
    };
    Ok(Some((
        CompiledRule {
            generic_syscalls: filter.generic_syscalls(),
            name: Arc::from(r.name.as_str()),
            source: Arc::from(r.source.as_str()),
            tags: r.tags.clone().into(),
            info: Arc::new(info),
            filter,
            formatter,
            output_text,
        },
        nodes,
    )))
}
