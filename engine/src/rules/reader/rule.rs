//! `- rule:` items: new rules, the `enabled`-only switch, legacy `append: true`, and
//! `override: {KEY: append|replace}`, as Falco's loader applies them.

use super::{Map, Reader, WARNING_APPEND, get};
use crate::rules::collection::{ExceptionDef, RuleDef, Segment, Text};
use crate::rules::diag::{ItemRef, code};
use crate::rules::priority::Priority;
use crate::yaml::Pos;

const APPENDABLE: &[&str] = &["condition", "output", "desc", "tags", "exceptions"];
const REPLACEABLE: &[&str] = &[
    "condition",
    "output",
    "desc",
    "priority",
    "capture",
    "capture_duration",
    "tags",
    "exceptions",
    "enabled",
    "warn_evttypes",
    "skip-if-unknown-filter",
];
const RULE_KEYS: &[&str] = &[
    "rule",
    "condition",
    "output",
    "desc",
    "priority",
    "source",
    "enabled",
    "capture",
    "capture_duration",
    "warn_evttypes",
    "skip-if-unknown-filter",
    "tags",
    "exceptions",
    "override",
    "append",
];

/// The values an append or override brings; a key is Some when the item gives it.
#[derive(Default)]
struct Update {
    condition: Option<Segment>,
    output: Option<Segment>,
    desc: Option<String>,
    tags: Option<Vec<String>>,
    exceptions: Option<Vec<ExceptionDef>>,
    priority: Option<Priority>,
    enabled: Option<bool>,
    capture: Option<bool>,
    capture_duration: Option<u64>,
    warn_evttypes: Option<bool>,
    skip_if_unknown_filter: Option<bool>,
}

fn sorted(mut tags: Vec<String>) -> Vec<String> {
    tags.sort();
    tags.dedup();
    tags
}

impl Reader<'_> {
    pub(super) fn rule(&mut self, m: Map<'_>, pos: Pos) {
        let Some(name) = self.scalar(m, "rule", pos, &None) else {
            return;
        };
        let item = Some(ItemRef {
            kind: "rule",
            name: name.clone(),
        });
        self.rule_body(m, pos, &name, &item);
        self.unknown_keys(m, RULE_KEYS, &item);
    }

    fn rule_body(&mut self, m: Map<'_>, pos: Pos, name: &str, item: &Option<ItemRef>) {
        let source = match get(m, "source") {
            Some(v) if !v.is_null() && v.as_str() != Some("") => {
                let Some(s) = self.scalar_value(v, "source", item) else {
                    return;
                };
                Some(s)
            }
            _ => None,
        };
        let Some(append) = self.opt_bool(m, "append", item) else {
            return;
        };
        let append = append.unwrap_or(false);
        if append {
            self.warn(code::DEPRECATED_ITEM, pos, item, WARNING_APPEND);
        }
        let Some((app, rep)) = self.overrides(m, APPENDABLE, REPLACEABLE, item) else {
            return;
        };
        let has_overrides = !app.is_empty() || !rep.is_empty();
        if append && has_overrides {
            self.error(code::YAML_VALIDATE, pos, item, super::ERROR_OVERRIDE_APPEND);
            return;
        }
        if has_overrides {
            self.rule_override(m, pos, name, item, source, (&app, &rep));
        } else if append {
            self.rule_append(m, pos, name, item, source);
        } else {
            self.rule_define(m, pos, name, item, source);
        }
    }

    /// The rule named `name`, after checking that a redefinition keeps its source.
    fn previous_rule(
        &mut self,
        name: &str,
        source: Option<&str>,
        pos: Pos,
        item: &Option<ItemRef>,
    ) -> Result<Option<usize>, ()> {
        let Some(i) = self.col.rules.iter().position(|r| r.name == name) else {
            return Ok(None);
        };
        if let Some(s) = source
            && self.col.rules[i].source != s
        {
            self.error(
                code::VALIDATE,
                pos,
                item,
                "rule has been re-defined with a different source",
            );
            return Err(());
        }
        Ok(Some(i))
    }

    fn rule_define(
        &mut self,
        m: Map<'_>,
        pos: Pos,
        name: &str,
        item: &Option<ItemRef>,
        source: Option<String>,
    ) {
        let any = ["condition", "output", "desc", "priority"]
            .iter()
            .any(|k| get(m, k).is_some());
        if !any {
            // `- rule: X` with only `enabled`: switches an earlier rule.
            let Some(Some(on)) = self.opt_bool(m, "enabled", item) else {
                if get(m, "enabled").is_none() {
                    self.error(code::YAML_VALIDATE, pos, item, "item has no 'enabled'");
                }
                return;
            };
            self.warn(
                code::DEPRECATED_ITEM,
                pos,
                item,
                "an item with only 'enabled' is deprecated: use 'override: {enabled: replace}'",
            );
            match self.col.rules.iter_mut().find(|r| r.name == name) {
                Some(r) => r.enabled = on,
                None => self.error(
                    code::VALIDATE,
                    pos,
                    item,
                    "rule has 'enabled' key but no rule by that name already exists",
                ),
            }
            return;
        }
        let Some(def) = self.new_rule(m, pos, name, item, source) else {
            return;
        };
        let Ok(prev) = self.previous_rule(name, Some(&def.source), pos, item) else {
            return;
        };
        if !(self.sources.names).contains(&def.source.as_str()) {
            self.warn(
                code::UNKNOWN_SOURCE,
                pos,
                item,
                format!("unknown source '{}', the rule is skipped", def.source),
            );
        }
        let n = self.col.take_number();
        match prev {
            Some(i) => {
                // Falco replaces the rule in place, silently; falco says so.
                let earlier = self.col.rules[i].loc.clone();
                self.warn(
                    code::RULE_REDEFINED,
                    pos,
                    item,
                    format!("rule redefined: it replaces the rule defined at {earlier}"),
                );
                let index = self.col.rules[i].index;
                self.col.rules[i] = RuleDef {
                    index,
                    visibility: n,
                    ..def
                };
            }
            None => self.col.rules.push(RuleDef {
                index: n,
                visibility: n,
                ..def
            }),
        }
    }

    /// A new rule: condition, output, desc and priority are required.
    fn new_rule(
        &mut self,
        m: Map<'_>,
        pos: Pos,
        name: &str,
        item: &Option<ItemRef>,
        source: Option<String>,
    ) -> Option<RuleDef> {
        let seg = |this: &mut Self, key: &str| -> Option<Segment> {
            this.scalar(m, key, pos, item)?;
            this.segment(get(m, key).expect("checked"))
        };
        let condition = seg(self, "condition")?;
        let mut output = seg(self, "output")?;
        output.text = output.text.trim().to_string();
        let desc = self.scalar(m, "desc", pos, item)?;
        let priority = self.priority(m, pos, item)?;
        let enabled = self.opt_bool(m, "enabled", item)?.unwrap_or(true);
        let capture = self.opt_bool(m, "capture", item)?.unwrap_or(false);
        let capture_duration = self.opt_u64(m, "capture_duration", item)?.unwrap_or(0);
        let warn_evttypes = self.opt_bool(m, "warn_evttypes", item)?.unwrap_or(true);
        let skip = self
            .opt_bool(m, "skip-if-unknown-filter", item)?
            .unwrap_or(false);
        let tags = match get(m, "tags") {
            Some(t) => sorted(self.strings(t, "tags", item)?),
            None => Vec::new(),
        };
        let source = source.unwrap_or_else(|| "syscall".into());
        let exceptions = self.exceptions(m, item, false)?.unwrap_or_default();
        let known = self.sources.names.contains(&source.as_str());
        let mut exceptions = exceptions;
        for e in &mut exceptions {
            if e.fields.is_none() {
                self.error(
                    code::VALIDATE,
                    e.loc.pos(),
                    item,
                    format!("exception '{}' must have 'fields'", e.name),
                );
                return None;
            }
            self.validate_exception(e, known.then_some(source.as_str()), item)?;
        }
        Some(RuleDef {
            name: name.to_string(),
            condition: Text::one(condition),
            output: Text::one(output),
            desc,
            priority,
            enabled,
            tags,
            source,
            exceptions,
            warn_evttypes,
            skip_if_unknown_filter: skip,
            capture,
            capture_duration,
            loc: self.loc(pos),
            index: 0,
            visibility: 0,
        })
    }

    fn priority(&mut self, m: Map<'_>, pos: Pos, item: &Option<ItemRef>) -> Option<Priority> {
        let s = self.scalar(m, "priority", pos, item)?;
        match s.parse::<Priority>() {
            Ok(p) => Some(p),
            Err(e) => {
                let at = get(m, "priority").map_or(pos, |v| v.pos);
                self.error(code::YAML_VALIDATE, at, item, e.to_string());
                None
            }
        }
    }

    fn opt_u64(&mut self, m: Map<'_>, key: &str, item: &Option<ItemRef>) -> Option<Option<u64>> {
        let Some(v) = get(m, key) else {
            return Some(None);
        };
        let s = self.scalar_value(v, key, item)?;
        match s.trim().parse::<u64>() {
            Ok(n) => Some(Some(n)),
            Err(_) => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos,
                    item,
                    format!("'{key}' must be a number"),
                );
                None
            }
        }
    }

    /// The keys an append or override gives, read as the new rule would read them.
    fn update(
        &mut self,
        m: Map<'_>,
        pos: Pos,
        keys: &[String],
        item: &Option<ItemRef>,
        append: bool,
    ) -> Option<Update> {
        let mut u = Update::default();
        for key in keys {
            match key.as_str() {
                "condition" | "output" => {
                    self.scalar(m, key, pos, item)?;
                    let seg = self.segment(get(m, key).expect("checked"));
                    if key == "condition" {
                        u.condition = seg;
                    } else {
                        u.output = seg;
                    }
                }
                "desc" => u.desc = Some(self.scalar(m, key, pos, item)?),
                "tags" => {
                    let t = get(m, key).expect("checked");
                    u.tags = Some(self.strings(t, "tags", item)?);
                }
                "exceptions" => u.exceptions = self.exceptions(m, item, append)?,
                "priority" => u.priority = Some(self.priority(m, pos, item)?),
                "enabled" => u.enabled = self.opt_bool(m, key, item)?,
                "capture" => u.capture = self.opt_bool(m, key, item)?,
                "capture_duration" => u.capture_duration = self.opt_u64(m, key, item)?,
                "warn_evttypes" => u.warn_evttypes = self.opt_bool(m, key, item)?,
                "skip-if-unknown-filter" => {
                    u.skip_if_unknown_filter = self.opt_bool(m, key, item)?
                }
                _ => {}
            }
        }
        Some(u)
    }

    fn rule_override(
        &mut self,
        m: Map<'_>,
        pos: Pos,
        name: &str,
        item: &Option<ItemRef>,
        source: Option<String>,
        (app, rep): (&[String], &[String]),
    ) {
        // Every appendable or replaceable key the item gives must be named under `override`.
        for (k, _) in m {
            let key = k.as_str().unwrap_or("");
            let listed = app.iter().chain(rep).any(|x| x == key);
            if (APPENDABLE.contains(&key) || REPLACEABLE.contains(&key)) && !listed {
                self.error(
                    code::YAML_VALIDATE,
                    k.pos,
                    item,
                    format!("unexpected key '{key}': no entry for it under 'override'"),
                );
                return;
            }
        }
        for key in app.iter().chain(rep) {
            if get(m, key).is_none() {
                self.error(
                    code::YAML_VALIDATE,
                    pos,
                    item,
                    format!("an override for '{key}' was specified but '{key}' is not defined"),
                );
                return;
            }
        }
        if !app.is_empty() {
            let Some(u) = self.update(m, pos, app, item, true) else {
                return;
            };
            self.apply_append(pos, name, item, source.as_deref(), u, true);
        }
        if !rep.is_empty() {
            let Some(u) = self.update(m, pos, rep, item, false) else {
                return;
            };
            self.apply_replace(pos, name, item, source.as_deref(), u);
        }
    }

    fn rule_append(
        &mut self,
        m: Map<'_>,
        pos: Pos,
        name: &str,
        item: &Option<ItemRef>,
        source: Option<String>,
    ) {
        let mut keys = Vec::new();
        for k in ["condition", "exceptions"] {
            if get(m, k).is_some() {
                keys.push(k.to_string());
            }
        }
        let Some(u) = self.update(m, pos, &keys, item, true) else {
            return;
        };
        self.apply_append(pos, name, item, source.as_deref(), u, false);
    }

    fn apply_append(
        &mut self,
        pos: Pos,
        name: &str,
        item: &Option<ItemRef>,
        source: Option<&str>,
        u: Update,
        is_override: bool,
    ) {
        let Ok(prev) = self.previous_rule(name, source, pos, item) else {
            return;
        };
        let Some(i) = prev else {
            self.error(
                code::VALIDATE,
                pos,
                item,
                "rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
            );
            return;
        };
        let any = u.condition.is_some()
            || u.exceptions.is_some()
            || (is_override && (u.output.is_some() || u.desc.is_some() || u.tags.is_some()));
        if !any {
            self.error(
                code::VALIDATE,
                pos,
                item,
                "appended rule must have exceptions or condition property",
            );
            return;
        }
        let known = {
            let s = &self.col.rules[i].source;
            self.sources.names.contains(&s.as_str()).then(|| s.clone())
        };
        if let Some(mut new) = u.exceptions {
            for e in &mut new {
                if self
                    .append_exception(i, e.clone(), known.as_deref(), item)
                    .is_none()
                {
                    return;
                }
            }
        }
        let n = self.col.take_number();
        let r = &mut self.col.rules[i];
        if let Some(c) = u.condition.filter(|c| !c.text.is_empty()) {
            r.condition.segments.push(c);
        }
        if let Some(o) = u.output.filter(|o| !o.text.is_empty()) {
            r.output.segments.push(o);
        }
        if let Some(d) = u.desc.filter(|d| !d.is_empty()) {
            r.desc.push(' ');
            r.desc.push_str(&d);
        }
        if let Some(t) = u.tags {
            r.tags = sorted(r.tags.iter().cloned().chain(t).collect());
        }
        r.visibility = n;
    }

    fn apply_replace(
        &mut self,
        pos: Pos,
        name: &str,
        item: &Option<ItemRef>,
        source: Option<&str>,
        u: Update,
    ) {
        let Ok(prev) = self.previous_rule(name, source, pos, item) else {
            return;
        };
        let Some(i) = prev else {
            self.error(
                code::VALIDATE,
                pos,
                item,
                "an 'override.<key>: replace' to a rule was requested but no rule by that name already exists",
            );
            return;
        };
        let known = {
            let s = &self.col.rules[i].source;
            self.sources.names.contains(&s.as_str()).then(|| s.clone())
        };
        let mut exceptions = u.exceptions;
        if let Some(ex) = &mut exceptions {
            for e in ex.iter_mut() {
                if e.fields.is_none() {
                    self.error(
                        code::VALIDATE,
                        e.loc.pos(),
                        item,
                        format!("exception '{}' must have 'fields'", e.name),
                    );
                    return;
                }
                if self.validate_exception(e, known.as_deref(), item).is_none() {
                    return;
                }
            }
        }
        let n = self.col.take_number();
        let r = &mut self.col.rules[i];
        if let Some(c) = u.condition {
            r.condition = Text::one(c);
        }
        if let Some(mut o) = u.output {
            o.text = o.text.trim().to_string();
            r.output = Text::one(o);
        }
        if let Some(d) = u.desc {
            r.desc = d;
        }
        if let Some(t) = u.tags {
            r.tags = sorted(t);
        }
        if let Some(e) = exceptions {
            r.exceptions = e;
        }
        r.priority = u.priority.unwrap_or(r.priority);
        r.enabled = u.enabled.unwrap_or(r.enabled);
        r.capture = u.capture.unwrap_or(r.capture);
        r.capture_duration = u.capture_duration.unwrap_or(r.capture_duration);
        r.warn_evttypes = u.warn_evttypes.unwrap_or(r.warn_evttypes);
        r.skip_if_unknown_filter = u.skip_if_unknown_filter.unwrap_or(r.skip_if_unknown_filter);
        r.visibility = n;
    }
}
