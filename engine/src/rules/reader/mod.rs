//! Rules files → [`Collection`]: each item read as Falco's rule loader reads it (the same keys,
//! defaults, warnings and errors), with file:line:col on every message. Nothing is compiled here;
//! [`super::compile`] does that once every file is in.

mod exceptions;
mod rule;

use std::sync::Arc;

use super::collection::{Collection, ListDef, MacroDef, PluginRequirement, Segment, Text};
use super::diag::{Diagnostic, ItemRef, Location, Severity, code};
use super::versions::{self, Version};
use crate::yaml::{self, Node, NodeKind, Pos};

type Map<'n> = &'n [(Node, Node)];

/// The value of `key` (the first, when it repeats: yaml-cpp's choice, which Falco inherits).
fn get<'n>(m: Map<'n>, key: &str) -> Option<&'n Node> {
    m.iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

/// libsinsp's identifier token, which macro references must match.
fn is_identifier(s: &str) -> bool {
    let mut c = s.bytes();
    c.next().is_some_and(|f| f.is_ascii_alphabetic())
        && c.all(|x| x.is_ascii_alphanumeric() || x == b'_')
}

/// libsinsp's bare string token, which list names substituted into conditions must match.
fn is_bare_str(s: &str) -> bool {
    !s.is_empty()
        && !s
            .chars()
            .any(|c| c.is_ascii_whitespace() || "()\"'=,\u{0B}".contains(c))
}

/// Checks that a field (possibly transformed) exists for a source: None when the source has no
/// field check, else why the field is refused.
pub type FieldCheck<'a> = &'a dyn Fn(&str, &str) -> Option<Result<(), String>>;

/// Which event sources rules may name, and how to check an exception field against each.
pub struct Sources<'a> {
    pub names: &'a [&'a str],
    pub check_field: FieldCheck<'a>,
}

pub(crate) struct Reader<'a> {
    file: Arc<str>,
    source: Arc<str>,
    col: &'a mut Collection,
    sources: &'a Sources<'a>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// Reads one rules file's bytes into `col`. Returns (errors, warnings); on errors `col` may be
/// partly updated, so callers load into a copy.
pub fn read(
    col: &mut Collection,
    bytes: &[u8],
    file: &str,
    sources: &Sources<'_>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut r = Reader {
        file: Arc::from(file),
        source: Arc::from(""),
        col,
        sources,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    match yaml::decode(bytes) {
        Ok(text) => {
            r.source = Arc::from(text);
            r.read_all();
        }
        Err(e) => r.error(code::YAML_PARSE, e.pos(), &None, e.to_string()),
    }
    (r.errors, r.warnings)
}

impl Reader<'_> {
    fn loc(&self, pos: Pos) -> Location {
        Location::new(&self.file, pos)
    }

    fn diag(
        &mut self,
        sev: Severity,
        code: &'static str,
        pos: Pos,
        item: Option<ItemRef>,
        msg: String,
    ) {
        let d = Diagnostic {
            severity: sev,
            code,
            location: self.loc(pos),
            item,
            message: msg,
        };
        match sev {
            Severity::Error => self.errors.push(d),
            Severity::Warning => self.warnings.push(d),
        }
    }

    fn error(
        &mut self,
        code: &'static str,
        pos: Pos,
        item: &Option<ItemRef>,
        msg: impl Into<String>,
    ) {
        self.diag(Severity::Error, code, pos, item.clone(), msg.into());
    }

    fn warn(
        &mut self,
        code: &'static str,
        pos: Pos,
        item: &Option<ItemRef>,
        msg: impl Into<String>,
    ) {
        self.diag(Severity::Warning, code, pos, item.clone(), msg.into());
    }

    fn segment(&self, n: &Node) -> Option<Segment> {
        match &n.kind {
            NodeKind::Scalar { value, style } => Some(Segment {
                text: value.trim_end_matches('\n').to_string(),
                file: self.file.clone(),
                source: self.source.clone(),
                pos: n.pos,
                style: *style,
            }),
            _ => None,
        }
    }

    fn read_all(&mut self) {
        let docs = match yaml::parse(&self.source.clone()) {
            Ok(d) => d,
            Err(e) => {
                let msg = match e {
                    yaml::YamlError::Syntax { .. } => format!("invalid YAML: {e}"),
                    _ => e.to_string(),
                };
                self.error(code::YAML_PARSE, e.pos(), &None, msg);
                return;
            }
        };
        for doc in &docs {
            if doc.is_null() {
                continue;
            }
            let NodeKind::Seq(items) = &doc.kind else {
                self.error(
                    code::YAML_VALIDATE,
                    doc.pos,
                    &None,
                    format!(
                        "rules content must be a sequence of items, found {}",
                        doc.kind_name()
                    ),
                );
                return;
            };
            for item in items.iter().filter(|i| !i.is_null()) {
                self.item(item);
            }
        }
    }

    fn item(&mut self, item: &Node) {
        let NodeKind::Map(m) = &item.kind else {
            self.error(
                code::YAML_VALIDATE,
                item.pos,
                &None,
                format!(
                    "each item must be a mapping (list, macro, rule...), found {}",
                    item.kind_name()
                ),
            );
            return;
        };
        self.duplicate_keys(m);
        if let Some(v) = get(m, "required_engine_version") {
            self.engine_version(v, item.pos);
            self.unknown_keys(m, &["required_engine_version"], &None);
        } else if let Some(v) = get(m, "required_plugin_versions") {
            self.plugin_versions(v);
            self.unknown_keys(m, &["required_plugin_versions"], &None);
        } else if get(m, "list").is_some() {
            self.list(m, item.pos);
        } else if get(m, "macro").is_some() {
            self.macro_item(m, item.pos);
        } else if get(m, "rule").is_some() {
            self.rule(m, item.pos);
        } else {
            self.warn(
                code::UNKNOWN_ITEM,
                item.pos,
                &None,
                "unknown top-level item, ignored",
            );
        }
    }

    /// A key given twice: like Falco (yaml-cpp) the first value counts, but not silently.
    fn duplicate_keys(&mut self, m: Map<'_>) {
        for (i, (k, _)) in m.iter().enumerate() {
            let Some(name) = k.as_str() else { continue };
            if m[..i].iter().any(|(p, _)| p.as_str() == Some(name)) {
                self.warn(
                    code::DUPLICATE_KEY,
                    k.pos,
                    &None,
                    format!("key '{name}' appears more than once; the first value is used"),
                );
            }
        }
    }

    /// Keys Falco does not know are ignored with a warning.
    fn unknown_keys(&mut self, m: Map<'_>, known: &[&str], item: &Option<ItemRef>) {
        for (k, _) in m {
            let name = k.as_str().unwrap_or("");
            if !known.contains(&name) {
                self.warn(
                    code::UNKNOWN_KEY,
                    k.pos,
                    item,
                    format!("unknown key '{name}', ignored"),
                );
            }
        }
    }

    /// A required, non-empty scalar (Falco's decode_val); None after an error.
    fn scalar(
        &mut self,
        m: Map<'_>,
        key: &str,
        pos: Pos,
        item: &Option<ItemRef>,
    ) -> Option<String> {
        let Some(v) = get(m, key) else {
            self.error(
                code::YAML_VALIDATE,
                pos,
                item,
                format!("item has no '{key}'"),
            );
            return None;
        };
        self.scalar_value(v, key, item)
    }

    fn scalar_value(&mut self, v: &Node, key: &str, item: &Option<ItemRef>) -> Option<String> {
        match v.as_str() {
            _ if v.is_null() => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos,
                    item,
                    format!("'{key}' is empty"),
                );
                None
            }
            None => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos,
                    item,
                    format!("'{key}' must be a scalar, found {}", v.kind_name()),
                );
                None
            }
            Some("") => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos,
                    item,
                    format!("'{key}' must not be empty"),
                );
                None
            }
            Some(s) => Some(s.to_string()),
        }
    }

    /// An optional boolean; Some(None) when absent, None after an error.
    fn opt_bool(&mut self, m: Map<'_>, key: &str, item: &Option<ItemRef>) -> Option<Option<bool>> {
        let Some(v) = get(m, key) else {
            return Some(None);
        };
        self.scalar_value(v, key, item)?;
        match v.as_bool() {
            Some(b) => Some(Some(b)),
            None => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos,
                    item,
                    format!("'{key}' must be true or false"),
                );
                None
            }
        }
    }

    /// A sequence of scalars (list items, tags); None after an error.
    fn strings(&mut self, v: &Node, key: &str, item: &Option<ItemRef>) -> Option<Vec<String>> {
        let NodeKind::Seq(items) = &v.kind else {
            self.error(
                code::YAML_VALIDATE,
                v.pos,
                item,
                format!("'{key}' must be a sequence, found {}", v.kind_name()),
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for i in items {
            match i.as_str() {
                Some(s) => out.push(s.to_string()),
                None => {
                    self.error(
                        code::YAML_VALIDATE,
                        i.pos,
                        item,
                        format!("'{key}' entries must be scalars"),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// Reads `override: {key: append|replace}`: (appended keys, replaced keys); None after an
    /// error.
    fn overrides(
        &mut self,
        m: Map<'_>,
        appendable: &[&str],
        replaceable: &[&str],
        item: &Option<ItemRef>,
    ) -> Option<(Vec<String>, Vec<String>)> {
        let mut out = (Vec::new(), Vec::new());
        let Some(v) = get(m, "override") else {
            return Some(out);
        };
        let NodeKind::Map(kv) = &v.kind else {
            self.error(
                code::YAML_VALIDATE,
                v.pos,
                item,
                "'override' must be a mapping of key: append|replace",
            );
            return None;
        };
        for (k, mode) in kv {
            let key = k.as_str().unwrap_or("").to_string();
            match mode.as_str() {
                Some("append") if appendable.contains(&key.as_str()) => out.0.push(key),
                Some("replace") if replaceable.contains(&key.as_str()) => out.1.push(key),
                Some("append") => {
                    self.error(
                        code::YAML_VALIDATE,
                        k.pos,
                        item,
                        format!("key '{key}' cannot be appended to, use 'replace' instead"),
                    );
                    return None;
                }
                Some("replace") => {
                    self.error(
                        code::YAML_VALIDATE,
                        k.pos,
                        item,
                        format!("key '{key}' cannot be replaced"),
                    );
                    return None;
                }
                _ => {
                    self.error(
                        code::YAML_VALIDATE,
                        mode.pos,
                        item,
                        format!(
                            "invalid override operation for key '{key}': expected append or replace"
                        ),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// `append: true` (deprecated, with a warning) or `override: {KEY: ...}` on a list or macro:
    /// Some(true) appends, Some(false) defines; None after an error.
    fn list_or_macro_append(
        &mut self,
        m: Map<'_>,
        key: &str,
        pos: Pos,
        item: &Option<ItemRef>,
    ) -> Option<bool> {
        let append = self.opt_bool(m, "append", item)?.unwrap_or(false);
        if append {
            self.warn(code::DEPRECATED_ITEM, pos, item, WARNING_APPEND);
        }
        let (app, rep) = self.overrides(m, &[key], &[key], item)?;
        if append && !(app.is_empty() && rep.is_empty()) {
            self.error(code::YAML_VALIDATE, pos, item, ERROR_OVERRIDE_APPEND);
            return None;
        }
        Some(append || !app.is_empty())
    }

    fn engine_version(&mut self, v: &Node, pos: Pos) {
        let Some(s) = self.scalar_value(v, "required_engine_version", &None) else {
            return;
        };
        let Some(req) = versions::required_engine(&s) else {
            self.error(
                code::YAML_VALIDATE,
                v.pos,
                &None,
                format!("unable to parse engine version '{s}': expected x.y.z"),
            );
            return;
        };
        let ours = versions::engine_version();
        if !ours.compatible_with(req) {
            self.error(
                code::VALIDATE,
                v.pos.max(pos),
                &None,
                format!("rules require engine version {req}, but this engine is version {ours}"),
            );
            return;
        }
        let higher = self
            .col
            .required_engine_version
            .as_deref()
            .and_then(Version::parse)
            .is_none_or(|cur| cur < req);
        if higher {
            self.col.required_engine_version = Some(req.to_string());
        }
    }

    fn plugin_versions(&mut self, v: &Node) {
        let NodeKind::Seq(entries) = &v.kind else {
            self.error(
                code::YAML_VALIDATE,
                v.pos,
                &None,
                "required_plugin_versions must be a sequence",
            );
            return;
        };
        for e in entries {
            let NodeKind::Map(m) = &e.kind else {
                self.error(
                    code::YAML_VALIDATE,
                    e.pos,
                    &None,
                    "plugin version must be a mapping",
                );
                return;
            };
            let Some(first) = self.plugin_version(m, e.pos) else {
                return;
            };
            let mut alternatives = vec![first];
            if let Some(alts) = get(m, "alternatives") {
                let NodeKind::Seq(alts) = &alts.kind else {
                    self.error(
                        code::YAML_VALIDATE,
                        alts.pos,
                        &None,
                        "plugin version alternatives must be a sequence",
                    );
                    return;
                };
                for a in alts {
                    let NodeKind::Map(am) = &a.kind else {
                        self.error(
                            code::YAML_VALIDATE,
                            a.pos,
                            &None,
                            "plugin version alternative must be a mapping",
                        );
                        return;
                    };
                    let Some(alt) = self.plugin_version(am, a.pos) else {
                        return;
                    };
                    if alternatives.iter().any(|(n, _)| *n == alt.0) {
                        self.error(
                            code::VALIDATE,
                            a.pos,
                            &None,
                            format!(
                                "multiple alternative version requirements for plugin '{}'",
                                alt.0
                            ),
                        );
                        return;
                    }
                    alternatives.push(alt);
                }
            }
            let loc = self.loc(e.pos);
            self.col
                .required_plugins
                .push(PluginRequirement { alternatives, loc });
        }
    }

    fn plugin_version(&mut self, m: Map<'_>, pos: Pos) -> Option<(String, String)> {
        let name = self.scalar(m, "name", pos, &None)?;
        let version = self.scalar(m, "version", pos, &None)?;
        if Version::parse(&version).is_none() {
            let at = get(m, "version").map_or(pos, |v| v.pos);
            self.error(
                code::VALIDATE,
                at,
                &None,
                format!("invalid required version '{version}' for plugin '{name}'"),
            );
            return None;
        }
        Some((name, version))
    }

    fn list(&mut self, m: Map<'_>, pos: Pos) {
        let Some(name) = self.scalar(m, "list", pos, &None) else {
            return;
        };
        let item = Some(ItemRef {
            kind: "list",
            name: name.clone(),
        });
        if !is_bare_str(&name) {
            self.warn(
                code::INVALID_LIST_NAME,
                pos,
                &item,
                "list names should be one word without blanks, quotes, parentheses, '=' or ','",
            );
        }
        let Some(items_node) = get(m, "items") else {
            self.error(code::YAML_VALIDATE, pos, &item, "list has no 'items'");
            return;
        };
        let Some(items) = self.strings(items_node, "items", &item) else {
            return;
        };
        let Some(append) = self.list_or_macro_append(m, "items", pos, &item) else {
            return;
        };
        let existing = self.col.lists.iter().position(|l| l.name == name);
        if append {
            let Some(i) = existing else {
                self.error(code::VALIDATE, pos, &item, ERROR_NO_PREVIOUS_LIST);
                return;
            };
            let n = self.col.take_number();
            let l = &mut self.col.lists[i];
            l.items.extend(items);
            l.visibility = n;
        } else {
            let n = self.col.take_number();
            let loc = self.loc(pos);
            match existing {
                Some(i) => {
                    let l = &mut self.col.lists[i];
                    (l.items, l.loc, l.visibility) = (items, loc, n);
                }
                None => self.col.lists.push(ListDef {
                    name,
                    items,
                    loc,
                    index: n,
                    visibility: n,
                }),
            }
        }
        self.unknown_keys(m, &["list", "items", "append", "override"], &item);
    }

    fn macro_item(&mut self, m: Map<'_>, pos: Pos) {
        let Some(name) = self.scalar(m, "macro", pos, &None) else {
            return;
        };
        let item = Some(ItemRef {
            kind: "macro",
            name: name.clone(),
        });
        if !is_identifier(&name) {
            self.warn(
                code::INVALID_MACRO_NAME,
                pos,
                &item,
                "macro names should be a letter followed by letters, digits and underscores",
            );
        }
        let Some(_) = self.scalar(m, "condition", pos, &item) else {
            return;
        };
        let seg = self
            .segment(get(m, "condition").expect("checked"))
            .expect("scalar");
        let Some(append) = self.list_or_macro_append(m, "condition", pos, &item) else {
            return;
        };
        let existing = self.col.macros.iter().position(|x| x.name == name);
        if append {
            let Some(i) = existing else {
                self.error(code::VALIDATE, pos, &item, ERROR_NO_PREVIOUS_MACRO);
                return;
            };
            let n = self.col.take_number();
            let d = &mut self.col.macros[i];
            d.condition.segments.push(seg);
            d.visibility = n;
        } else {
            let n = self.col.take_number();
            let loc = self.loc(pos);
            match existing {
                Some(i) => {
                    let d = &mut self.col.macros[i];
                    (d.condition, d.loc, d.visibility) = (Text::one(seg), loc, n);
                }
                None => self.col.macros.push(MacroDef {
                    name,
                    condition: Text::one(seg),
                    loc,
                    index: n,
                    visibility: n,
                }),
            }
        }
        self.unknown_keys(m, &["macro", "condition", "append", "override"], &item);
    }
}

const WARNING_APPEND: &str = "'append' key is deprecated: add an 'append' entry (e.g. 'condition: append') under 'override' instead";
const ERROR_OVERRIDE_APPEND: &str = "keys 'override' and 'append: true' cannot be used together: add an 'append' entry (e.g. 'condition: append') under 'override' instead";
const ERROR_NO_PREVIOUS_LIST: &str =
    "list uses 'append' or 'override.items: append' but no list by that name already exists";
const ERROR_NO_PREVIOUS_MACRO: &str =
    "macro uses 'append' or 'override.condition: append' but no macro by that name already exists";
