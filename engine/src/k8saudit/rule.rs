//! One rule of the `k8s_audit` source, compiled: its condition over audit events and its output.

use std::sync::Arc;

use super::SOURCE;
use super::event::AuditEvent;
use super::extract::EvtInfo;
use super::filter::{self, CompileError, Expr, Names, Used};
use super::output::{OutputError, Template};
use crate::fields::Value;
use crate::filter::ast::Ast;
use crate::rules::{Priority, RuleMatch};

/// Why a `k8s_audit` rule does not compile.
#[derive(Debug, thiserror::Error)]
pub enum AuditRuleError {
    #[error(transparent)]
    Condition(#[from] CompileError),
    #[error(transparent)]
    Output(#[from] OutputError),
}

#[derive(Debug)]
pub struct AuditRule {
    pub name: Arc<str>,
    pub priority: Priority,
    pub tags: Arc<[String]>,
    condition: Expr,
    output: Template,
}

impl AuditRule {
    pub fn compile(
        name: Arc<str>,
        priority: Priority,
        tags: Arc<[String]>,
        condition: &Ast,
        output: &str,
        names: &dyn Names,
        used: &mut Used,
    ) -> Result<AuditRule, AuditRuleError> {
        Ok(AuditRule {
            name,
            priority,
            tags,
            condition: filter::compile_with_usage(condition, names, used)?,
            output: Template::compile(output)?,
        })
    }

    #[inline]
    pub fn matches(&self, ev: &AuditEvent, info: EvtInfo<'_>) -> bool {
        self.condition.eval(ev, info)
    }

    /// The match of this rule on `ev`, its output rendered.
    pub fn to_match(&self, ev: &AuditEvent, info: EvtInfo<'_>) -> RuleMatch {
        let (output, fields) = self.output.render(ev, info);
        RuleMatch {
            // Set by the rule set, which knows the rule's position.
            index: 0,
            rule: self.name.clone(),
            priority: self.priority,
            output,
            output_fields: fields
                .into_iter()
                .map(|(k, v)| (k, v.map(|s| Value::Str(s.into()))))
                .collect(),
            tags: self.tags.clone(),
            source: Arc::from(SOURCE),
            time: ev.time(),
            // Set by the rule set, with the index.
            capture: false,
            capture_duration_ms: 0,
        }
    }
}
