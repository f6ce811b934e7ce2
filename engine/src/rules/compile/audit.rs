//! Rules of the `k8s_audit` source: their conditions (exceptions and lists substituted as for
//! syscall rules, the same macros) and outputs compiled against the audit event fields of
//! [`crate::k8saudit`].

use std::sync::Arc;

use super::{Lists, RuleCtx, diag, rule_ast};
use crate::filter::Usage;
use crate::filter::ast::Ast;
use crate::k8saudit::filter::{Names, Used};
use crate::k8saudit::rule::{AuditRule, AuditRuleError};
use crate::k8saudit::ruleset::AuditEntry;
use crate::rules::RuleInfo;
use crate::rules::collection::RuleDef;
use crate::rules::diag::{Diagnostic, Severity, code};

/// The macros as the audit condition compiler sees them (lists are already substituted).
struct Macros<'a, 'c, 'd>(&'a RuleCtx<'c, 'd>);

impl Names for Macros<'_, '_, '_> {
    fn macro_body(&self, name: &str) -> Option<&Ast> {
        self.0.defs.macros.get(name).copied()
    }
}

/// Compiles one `k8s_audit` rule; Ok(None) when it is skipped (with a warning).
pub(super) fn compile_rule(
    r: &RuleDef,
    ctx: &RuleCtx<'_, '_>,
    lists: &mut Lists<'_>,
    usage: &mut Usage,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<AuditEntry>, Diagnostic> {
    let (mapped, ast) = rule_ast(r, ctx, lists, usage)?;
    let output = r.output.joined();
    let compiled = AuditRule::compile(
        Arc::from(r.name.as_str()),
        r.priority,
        r.tags.clone().into(),
        &ast,
        &output,
        &Macros(ctx),
        &mut Used::default(),
    );
    let (code, loc, msg, unknown) = match compiled {
        Ok(rule) => {
            let info = RuleInfo {
                name: r.name.clone(),
                desc: r.desc.clone(),
                condition: r.condition.joined(),
                output,
                priority: r.priority,
                tags: r.tags.clone(),
                source: r.source.clone(),
                enabled_by_default: r.enabled,
                // What Falco reports for a rule of a plugin's source: the events that carry
                // plugin payloads.
                event_types: vec!["asyncevent", "pluginevent"],
                exceptions: r.exceptions.iter().map(|e| e.name.clone()).collect(),
                capture: r.capture,
                capture_duration: r.capture_duration,
                location: r.loc.clone(),
            };
            return Ok(Some(AuditEntry {
                info: Arc::new(info),
                rule,
            }));
        }
        Err(AuditRuleError::Condition(c)) => (
            code::COMPILE_CONDITION,
            mapped.location(c.pos),
            c.msg,
            c.unknown_field,
        ),
        Err(AuditRuleError::Output(o)) => (
            code::COMPILE_OUTPUT,
            r.output.location(0).unwrap_or_else(|| r.loc.clone()),
            format!("invalid output: {o}"),
            o.msg == "unknown field",
        ),
    };
    if r.skip_if_unknown_filter && unknown {
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
    Err(diag(Severity::Error, code, loc, "rule", &r.name, msg))
}
