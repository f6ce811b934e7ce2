//! A rule's `exceptions`: read, checked (fields against the rule's source, comparison operators)
//! and appended, as Falco's loader does.

use super::{Map, Reader, get};
use crate::filter::ast::{Modifier, Op};
use crate::rules::collection::{Entry, ExceptionDef};
use crate::rules::diag::{ItemRef, code};
use crate::yaml::{Node, NodeKind};

/// An operator an exception may use: any of the language's, or a string operator with a
/// modifier (`startswith anyof`).
fn comp_ok(comp: &str) -> bool {
    if comp == "==" || Op::parse(comp).is_some() {
        return true;
    }
    modifier_comp(comp)
}

fn modifier_comp(comp: &str) -> bool {
    let mut it = comp.split_whitespace();
    matches!(
        (it.next().and_then(Op::parse), it.next().and_then(Modifier::parse), it.next()),
        (Some(op), Some(_), None) if op.takes_modifier()
    )
}

impl Reader<'_> {
    /// `exceptions`: None after an error, Some(None) when absent or null.
    pub(super) fn exceptions(
        &mut self,
        m: Map<'_>,
        item: &Option<ItemRef>,
        append: bool,
    ) -> Option<Option<Vec<ExceptionDef>>> {
        let Some(exs) = get(m, "exceptions").filter(|e| !e.is_null()) else {
            return Some(None);
        };
        let NodeKind::Seq(list) = &exs.kind else {
            self.error(
                code::YAML_VALIDATE,
                exs.pos,
                item,
                "rule exceptions must be a sequence",
            );
            return None;
        };
        let mut out: Vec<ExceptionDef> = Vec::new();
        for e in list {
            let NodeKind::Map(em) = &e.kind else {
                self.error(
                    code::YAML_VALIDATE,
                    e.pos,
                    item,
                    "rule exception must be a mapping",
                );
                return None;
            };
            self.duplicate_keys(em);
            let name = self.scalar(em, "name", e.pos, item)?;
            if out.iter().any(|x| x.name == name) {
                self.warn(
                    code::EXCEPTION_NAME_NOT_UNIQUE,
                    e.pos,
                    item,
                    format!("multiple definitions of exception '{name}' in the same rule"),
                );
            }
            let fields = match get(em, "fields") {
                None => None,
                Some(f) => Some(self.entry(f, "fields", item)?),
            };
            if fields.is_none() && !append {
                self.error(
                    code::YAML_VALIDATE,
                    e.pos,
                    item,
                    format!("exception '{name}' has no 'fields'"),
                );
                return None;
            }
            let comps = match get(em, "comps") {
                None => None,
                Some(c) => Some(self.entry(c, "comps", item)?),
            };
            let mut values = Vec::new();
            match get(em, "values") {
                Some(v) => {
                    let NodeKind::Seq(rows) = &v.kind else {
                        self.error(
                            code::YAML_VALIDATE,
                            v.pos,
                            item,
                            "rule exception values must be a sequence",
                        );
                        return None;
                    };
                    for row in rows {
                        values.push((self.entry(row, "values", item)?, self.loc(row.pos)));
                    }
                }
                None if append => self.warn(
                    code::APPEND_NO_VALUES,
                    e.pos,
                    item,
                    "overriding/appending exception with no values",
                ),
                None => {}
            }
            self.unknown_keys(em, &["name", "fields", "comps", "values"], item);
            out.push(ExceptionDef {
                name,
                fields,
                comps,
                values,
                loc: self.loc(e.pos),
            });
        }
        Some(Some(out))
    }

    /// A string or a (nested) list of strings.
    fn entry(&mut self, v: &Node, key: &str, item: &Option<ItemRef>) -> Option<Entry> {
        match &v.kind {
            NodeKind::Scalar { value, .. } if !v.is_null() && !value.is_empty() => {
                Some(Entry::One(value.clone()))
            }
            NodeKind::Seq(items) => items
                .iter()
                .map(|i| self.entry(i, key, item))
                .collect::<Option<Vec<_>>>()
                .map(Entry::Many),
            NodeKind::Scalar { .. } => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos,
                    item,
                    format!("exception '{key}' value must not be empty"),
                );
                None
            }
            NodeKind::Map(_) => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos,
                    item,
                    format!("exception '{key}' must be strings or lists, found a mapping"),
                );
                None
            }
        }
    }

    /// Falco's checks of an exception of a rule of `source` (None: a source whose fields are
    /// unknown): defaults `comps`, checks the operators and the fields.
    pub(super) fn validate_exception(
        &mut self,
        e: &mut ExceptionDef,
        source: Option<&str>,
        item: &Option<ItemRef>,
    ) -> Option<()> {
        let at = e.loc.pos();
        let name = e.name.clone();
        let fail = |this: &mut Self, msg: String| {
            this.error(
                code::VALIDATE,
                at,
                item,
                format!("exception '{name}': {msg}"),
            );
        };
        let fields: Vec<String> = match &e.fields {
            Some(Entry::Many(f)) => {
                let comps = e
                    .comps
                    .get_or_insert_with(|| Entry::Many(vec![Entry::One("=".into()); f.len()]));
                let Entry::Many(c) = comps else {
                    fail(
                        self,
                        "'fields' and 'comps' lists must have equal length".into(),
                    );
                    return None;
                };
                if c.len() != f.len() {
                    fail(
                        self,
                        "'fields' and 'comps' lists must have equal length".into(),
                    );
                    return None;
                }
                for comp in c.iter_mut() {
                    let Entry::One(s) = comp else {
                        fail(self, "'comps' must be strings".into());
                        return None;
                    };
                    *s = s.trim().to_string();
                    if !comp_ok(s) {
                        fail(
                            self,
                            format!("'{s}' is not a supported comparison operator"),
                        );
                        return None;
                    }
                }
                f.iter()
                    .map(|x| match x {
                        Entry::One(s) => Some(s.clone()),
                        Entry::Many(_) => None,
                    })
                    .collect::<Option<_>>()
                    .or_else(|| {
                        fail(self, "'fields' must be strings".into());
                        None
                    })?
            }
            Some(Entry::One(f)) => {
                let f = f.clone();
                let comps = e.comps.get_or_insert_with(|| Entry::One("in".into()));
                let Entry::One(c) = comps else {
                    fail(self, "'fields' and 'comps' must both be strings".into());
                    return None;
                };
                *c = c.trim().to_string();
                if !matches!(c.as_str(), "in" | "pmatch" | "intersects") && !modifier_comp(c) {
                    fail(
                        self,
                        "when 'fields' is a single value, 'comps' must be one of in, pmatch, intersects or a modifier operator (e.g. startswith anyof)".into(),
                    );
                    return None;
                }
                vec![f]
            }
            None => return Some(()),
        };
        if let Some(src) = source {
            for f in &fields {
                if let Some(Err(msg)) = (self.sources.check_field)(src, f) {
                    fail(
                        self,
                        format!("'{f}' is not a supported filter field: {msg}"),
                    );
                    return None;
                }
            }
        }
        Some(())
    }

    /// Appends `e` to rule `i`: more values for an exception of that name, or a new exception.
    pub(super) fn append_exception(
        &mut self,
        i: usize,
        mut e: ExceptionDef,
        source: Option<&str>,
        item: &Option<ItemRef>,
    ) -> Option<()> {
        let at = e.loc.pos();
        let existing = self.col.rules[i]
            .exceptions
            .iter()
            .position(|x| x.name == e.name);
        match existing {
            None => {
                if e.fields.is_none() {
                    self.error(
                        code::VALIDATE,
                        at,
                        item,
                        format!("rule exception '{}' must have 'fields'", e.name),
                    );
                    return None;
                }
                if e.values.is_empty() {
                    self.error(
                        code::VALIDATE,
                        at,
                        item,
                        format!("rule exception '{}' must have 'values'", e.name),
                    );
                    return None;
                }
                self.validate_exception(&mut e, source, item)?;
                self.col.rules[i].exceptions.push(e);
            }
            Some(x) => {
                if e.fields.is_some() || e.comps.is_some() {
                    self.error(
                        code::VALIDATE,
                        at,
                        item,
                        format!(
                            "cannot append 'fields' or 'comps' to existing exception '{}', only 'values'",
                            e.name
                        ),
                    );
                    return None;
                }
                self.col.rules[i].exceptions[x].values.extend(e.values);
            }
        }
        Some(())
    }
}
