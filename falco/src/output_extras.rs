//! What falco.yaml adds to rule outputs: `append_output` (text and fields for the rules an entry
//! matches), the suggested fields (`suggested_output`), and `static_fields` (`%static.NAME` in those
//! formats). Compiled once per rule at load; rendered only for alerts.

use std::borrow::Cow;

use falco_engine::fields::{Ctx, Value};
use falco_engine::output::formatter::Formatter;
use falco_engine::rules::RuleInfo;

use crate::config::{Config, ExtraField};

/// The container plugin's suggested output fields, in its order.
const CONTAINER_SUGGESTED: &[&str] = &[
    "container.id",
    "container.name",
    "container.image.repository",
    "container.image.tag",
    "k8s.pod.name",
    "k8s.ns.name",
];

const STATIC_PREFIX: &str = "static.";

/// A field added to output_fields.
enum FieldFormat {
    /// The typed value of one field.
    Raw(Formatter),
    /// A rendered format.
    Text(Formatter),
}

/// The additions of one rule.
pub struct Extras {
    /// Appended to the output, each after a space.
    formats: Vec<Formatter>,
    /// Static fields the appended formats use (they go to output_fields too).
    statics: Vec<(String, String)>,
    fields: Vec<(String, FieldFormat)>,
}

/// Why an addition does not compile.
#[derive(Debug, thiserror::Error)]
#[error("append_output for rule '{rule}': invalid format '{format}': {message}")]
pub struct ExtrasError {
    pub rule: String,
    pub format: String,
    pub message: String,
}

/// `%static.NAME` (or `%{static.NAME}`) replaced by the value; the names used are returned.
fn substitute_static(fmt: &str, statics: &[(String, String)]) -> (String, Vec<(String, String)>) {
    let mut out = String::with_capacity(fmt.len());
    let mut used = Vec::new();
    let mut rest = fmt;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let (braced, body) = match tail.strip_prefix('{') {
            Some(b) => (true, b),
            None => (false, tail),
        };
        let found = body.strip_prefix(STATIC_PREFIX).and_then(|name_rest| {
            statics
                .iter()
                .filter(|(k, _)| name_rest.starts_with(k.as_str()))
                .max_by_key(|(k, _)| k.len())
                .filter(|(k, _)| {
                    let after = &name_rest[k.len()..];
                    if braced {
                        after.starts_with('}')
                    } else {
                        !after
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    }
                })
        });
        match found {
            Some((k, v)) => {
                out.push_str(&v.replace('%', "%%"));
                if !used.iter().any(|(u, _): &(String, String)| u == k) {
                    used.push((k.clone(), v.clone()));
                }
                let len = usize::from(braced) + STATIC_PREFIX.len() + k.len() + usize::from(braced);
                rest = &tail[len..];
            }
            None => {
                out.push('%');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    (out, used)
}

fn compile(rule: &RuleInfo, fmt: &str) -> Result<Formatter, ExtrasError> {
    Formatter::parse(fmt).map_err(|e| ExtrasError {
        rule: rule.name.clone(),
        format: fmt.to_string(),
        message: e.to_string(),
    })
}

/// The suggested fields as Falco appends them: `name_with_underscores=%name`.
fn suggested(cfg: &Config) -> Vec<String> {
    let statics = cfg
        .static_fields
        .iter()
        .map(|(k, _)| format!("{STATIC_PREFIX}{k}"));
    let container: &[&str] = if cfg.container_plugin {
        CONTAINER_SUGGESTED
    } else {
        &[]
    };
    let container = container.iter().map(|f| f.to_string());
    statics
        .chain(container)
        .map(|f| format!("{}=%{f}", f.replace('.', "_")))
        .collect()
}

/// The additions for `rule`, or None when it has none.
pub fn for_rule(cfg: &Config, rule: &RuleInfo) -> Result<Option<Extras>, ExtrasError> {
    let mut texts: Vec<String> = Vec::new();
    let mut fields: Vec<(String, ExtraField)> = Vec::new();
    for e in &cfg.append_output {
        if !e.matches(&rule.source, &rule.tags, &rule.name) {
            continue;
        }
        if !e.extra_output.is_empty() {
            texts.push(e.extra_output.clone());
        }
        if e.suggested_output {
            texts.extend(suggested(cfg));
        }
        for (k, f) in &e.extra_fields {
            match fields.iter_mut().find(|(x, _)| x == k) {
                Some(slot) => slot.1 = f.clone(),
                None => fields.push((k.clone(), f.clone())),
            }
        }
    }
    if texts.is_empty() && fields.is_empty() {
        return Ok(None);
    }
    let mut x = Extras {
        formats: Vec::new(),
        statics: Vec::new(),
        fields: Vec::new(),
    };
    for t in texts {
        let (t, used) = substitute_static(&t, &cfg.static_fields);
        for u in used {
            if !x.statics.contains(&u) {
                x.statics.push(u);
            }
        }
        x.formats.push(compile(rule, &t)?);
    }
    for (k, f) in fields {
        let ff = match f {
            ExtraField::Raw => FieldFormat::Raw(compile(rule, &format!("%{k}"))?),
            ExtraField::Format(fmt) => FieldFormat::Text(compile(
                rule,
                &substitute_static(&fmt, &cfg.static_fields).0,
            )?),
        };
        x.fields.push((k, ff));
    }
    Ok(Some(x))
}

impl Extras {
    /// Appends the rendered additions to an alert's message and fields.
    pub fn apply(
        &self,
        ctx: &Ctx<'_>,
        message: &mut String,
        fields: &mut Vec<(String, Option<Value<'static>>)>,
    ) {
        for f in &self.formats {
            message.push(' ');
            f.render(ctx, message);
            for (k, v) in f.field_values(ctx) {
                if !fields.iter().any(|(n, _)| *n == k) {
                    fields.push((k, v.map(Value::into_owned)));
                }
            }
        }
        for (k, v) in &self.statics {
            let name = format!("{STATIC_PREFIX}{k}");
            if !fields.iter().any(|(n, _)| *n == name) {
                fields.push((name, Some(Value::Str(Cow::Owned(v.clone())))));
            }
        }
        for (k, f) in &self.fields {
            let v = match f {
                FieldFormat::Raw(fm) => fm
                    .field_values(ctx)
                    .into_iter()
                    .next()
                    .and_then(|(_, v)| v.map(Value::into_owned)),
                FieldFormat::Text(fm) => {
                    let mut s = String::new();
                    fm.render(ctx, &mut s);
                    Some(Value::Str(Cow::Owned(s)))
                }
            };
            match fields.iter_mut().find(|(n, _)| n == k) {
                Some(slot) => slot.1 = v,
                None => fields.push((k.clone(), v)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_fields_are_substituted() {
        let s = vec![
            ("env".to_string(), "prod 100%".to_string()),
            ("env_long".to_string(), "x".to_string()),
        ];
        let (t, used) = substitute_static(
            "e=%static.env l=%{static.env_long} p=%proc.name %static.nope",
            &s,
        );
        assert_eq!(t, "e=prod 100%% l=x p=%proc.name %static.nope");
        assert_eq!(used.len(), 2);
    }

    #[test]
    fn suggested_fields_follow_falco() {
        let mut c = Config {
            static_fields: vec![("env".into(), "prod".into())],
            container_plugin: true,
            ..Config::default()
        };
        let s = suggested(&c);
        assert_eq!(s[0], "static_env=%static.env");
        assert_eq!(s[1], "container_id=%container.id");
        assert_eq!(s.last().unwrap(), "k8s_ns_name=%k8s.ns.name");
        c.container_plugin = false;
        assert_eq!(suggested(&c).len(), 1);
    }
}
