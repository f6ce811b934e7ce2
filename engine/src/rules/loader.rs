//! Rules files → definitions: list, macro and rule items in load order, with `append`, `override`
//! and redefinition applied. Nothing is compiled here; [`super::compile`] does that once every
//! file is in.

use std::sync::Arc;

use yaml_rust2::scanner::TScalarStyle;

use super::diag::{Diagnostic, ItemRef, Location, Severity, code};
use super::priority::Priority;
use super::yaml::{self, Node, NodeKind, Pos, ScalarMap};

/// The engine version rules files may require (`required_engine_version`).
pub const ENGINE_VERSION: &str = "0.41.0";

/// A piece of condition or output text and where it came from.
#[derive(Debug, Clone)]
pub struct Segment {
    pub text: String,
    pub file: Arc<str>,
    pub source: Arc<str>,
    pub pos: Pos,
    pub style: TScalarStyle,
}

/// Text built from one or more segments (appends), joined by a space.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub segments: Vec<Segment>,
}

impl Text {
    fn one(seg: Segment) -> Text {
        Text {
            segments: vec![seg],
        }
    }

    pub fn joined(&self) -> String {
        let mut s = String::new();
        for (i, seg) in self.segments.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&seg.text);
        }
        s
    }

    /// The file location of byte `offset` of [`Text::joined`].
    pub fn location(&self, offset: usize) -> Option<Location> {
        let mut base = 0;
        for seg in &self.segments {
            let end = base + seg.text.len();
            if offset <= end {
                let m = ScalarMap::new(&seg.source, seg.pos, seg.style);
                let pos = m.position(&seg.text, offset - base).unwrap_or(seg.pos);
                return Some(Location::new(&seg.file, pos));
            }
            base = end + 1;
        }
        let seg = self.segments.last()?;
        Some(Location::new(&seg.file, seg.pos))
    }
}

#[derive(Debug, Clone)]
pub struct ListDef {
    pub name: String,
    pub items: Vec<String>,
    pub loc: Location,
}

#[derive(Debug, Clone)]
pub struct MacroDef {
    pub name: String,
    pub condition: Text,
    pub loc: Location,
}

/// One value of an exception tuple: a scalar, or a list for `in`/`pmatch` comparisons.
#[derive(Debug, Clone)]
pub enum ExcValue {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct ExceptionDef {
    pub name: String,
    /// The fields; `single` when `fields` was one string (then values are a flat list).
    pub fields: Vec<String>,
    pub single: bool,
    pub comps: Vec<String>,
    pub values: Vec<Vec<ExcValue>>,
    pub loc: Location,
}

#[derive(Debug, Clone)]
pub struct RuleDef {
    pub name: String,
    pub condition: Text,
    pub output: Text,
    pub desc: String,
    pub priority: Priority,
    pub enabled: bool,
    pub tags: Vec<String>,
    pub source: String,
    pub exceptions: Vec<ExceptionDef>,
    pub warn_evttypes: bool,
    pub skip_if_unknown_filter: bool,
    pub loc: Location,
}

/// Every definition loaded so far, in order.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    pub lists: Vec<ListDef>,
    pub macros: Vec<MacroDef>,
    pub rules: Vec<RuleDef>,
}

struct Reader<'a> {
    file: Arc<str>,
    source: Arc<str>,
    col: &'a mut Collection,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// Rule keys and whether `override` may append (true) or only replace (false) them.
const RULE_KEYS: &[&str] = &[
    "rule",
    "condition",
    "output",
    "desc",
    "priority",
    "enabled",
    "tags",
    "source",
    "exceptions",
    "warn_evttypes",
    "skip-if-unknown-filter",
    "append",
    "override",
    "capture",
    "capture_duration",
];
const RULE_APPENDABLE: &[&str] = &["condition", "output", "desc", "tags", "exceptions"];
const RULE_REPLACEABLE: &[&str] = &[
    "condition",
    "output",
    "desc",
    "priority",
    "tags",
    "exceptions",
    "enabled",
    "warn_evttypes",
    "skip-if-unknown-filter",
];
const MACRO_KEYS: &[&str] = &["macro", "condition", "append", "override"];
const LIST_KEYS: &[&str] = &["list", "items", "append", "override"];
const EXCEPTION_KEYS: &[&str] = &["name", "fields", "comps", "values"];

type Map<'n> = &'n [(Node, Node)];

fn get<'n>(m: Map<'n>, key: &str) -> Option<&'n Node> {
    m.iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

fn valid_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

/// Reads one rules file's content into `col`. Returns (errors, warnings); on errors `col` may be
/// partly updated, so callers load into a copy.
pub fn read(col: &mut Collection, content: &str, file: &str) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut r = Reader {
        file: Arc::from(file),
        source: Arc::from(content),
        col,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    r.read_all();
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
                self.error(
                    code::YAML_PARSE,
                    e.pos,
                    &None,
                    format!("invalid YAML: {}", e.message),
                );
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
            for item in items {
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
                format!("each item must be a mapping, found {}", item.kind_name()),
            );
            return;
        };
        if let Some(v) = get(m, "required_engine_version") {
            self.engine_version(v);
        } else if get(m, "list").is_some() {
            self.list(m, item.pos);
        } else if get(m, "macro").is_some() {
            self.macro_item(m, item.pos);
        } else if get(m, "rule").is_some() {
            self.rule(m, item.pos);
        } else if get(m, "required_plugin_versions").is_some() {
            // No plugins here: rules for plugin sources are skipped with LOAD_UNKNOWN_SOURCE.
        } else {
            let kind = m
                .first()
                .and_then(|(k, _)| k.as_str())
                .unwrap_or("?")
                .to_string();
            self.diag(
                Severity::Warning,
                code::UNKNOWN_ITEM,
                item.pos,
                None,
                format!("unknown top-level item '{kind}', ignored"),
            );
        }
    }

    fn engine_version(&mut self, v: &Node) {
        let Some(s) = v.as_str() else {
            self.error(
                code::YAML_VALIDATE,
                v.pos,
                &None,
                "required_engine_version must be a version string",
            );
            return;
        };
        let parse = |s: &str| -> Option<(u64, u64, u64)> {
            let mut it = s.trim().split('.').map(|p| p.parse::<u64>().ok());
            let a = it.next()??;
            let b = it.next().unwrap_or(Some(0))?;
            let c = it.next().unwrap_or(Some(0))?;
            Some((a, b, c))
        };
        let ours = parse(ENGINE_VERSION).expect("valid version");
        match parse(s) {
            // Old engines numbered their versions with one integer; every one of them is older.
            Some((n, 0, 0)) if !s.contains('.') && n <= 100 => {}
            Some(req) if req <= ours => {}
            Some(_) => self.error(
                code::VALIDATE,
                v.pos,
                &None,
                format!(
                    "rules require engine version {s}, but this engine is version {ENGINE_VERSION}"
                ),
            ),
            None => self.error(
                code::YAML_VALIDATE,
                v.pos,
                &None,
                format!("invalid required_engine_version '{s}'"),
            ),
        }
    }

    /// Checks keys; returns false after reporting the first unknown one.
    fn check_keys(&mut self, m: Map<'_>, allowed: &[&str], item: &Option<ItemRef>) -> bool {
        for (k, _) in m {
            let name = k.as_str().unwrap_or("");
            if !allowed.contains(&name) {
                self.error(
                    code::YAML_VALIDATE,
                    k.pos,
                    item,
                    format!(
                        "unknown key '{name}' (expected one of: {})",
                        allowed.join(", ")
                    ),
                );
                return false;
            }
        }
        true
    }

    /// The item's name (string, not empty) or an error.
    fn name(&mut self, m: Map<'_>, kind: &'static str, pos: Pos) -> Option<String> {
        let v = get(m, kind).expect("caller checked");
        match v.as_str() {
            Some(s) if !s.trim().is_empty() && !v.is_null() => Some(s.to_string()),
            _ => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos.max_line(pos),
                    &None,
                    format!("{kind} name must not be empty"),
                );
                None
            }
        }
    }

    fn string(&mut self, m: Map<'_>, key: &str, item: &Option<ItemRef>) -> Option<String> {
        let v = get(m, key)?;
        match v.as_str() {
            Some(s) if !v.is_null() => Some(s.to_string()),
            _ => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos,
                    item,
                    format!("'{key}' must be a string, found {}", v.kind_name()),
                );
                None
            }
        }
    }

    fn bool_key(&mut self, m: Map<'_>, key: &str, item: &Option<ItemRef>) -> Option<bool> {
        let v = get(m, key)?;
        match v.as_bool() {
            Some(b) => Some(b),
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

    fn strings(&mut self, v: &Node, key: &str, item: &Option<ItemRef>) -> Option<Vec<String>> {
        match &v.kind {
            NodeKind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    match i.as_str() {
                        Some(s) => out.push(s.to_string()),
                        None => {
                            self.error(
                                code::YAML_VALIDATE,
                                i.pos,
                                item,
                                format!("'{key}' entries must be strings"),
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            }
            _ if v.is_null() => Some(Vec::new()),
            _ => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos,
                    item,
                    format!("'{key}' must be a sequence, found {}", v.kind_name()),
                );
                None
            }
        }
    }

    /// Reads `override: {key: append|replace}`; validates against what the item kind allows.
    fn overrides(
        &mut self,
        m: Map<'_>,
        appendable: &[&str],
        replaceable: &[&str],
        item: &Option<ItemRef>,
    ) -> Option<Vec<(String, bool)>> {
        let v = get(m, "override")?;
        let NodeKind::Map(kv) = &v.kind else {
            self.error(
                code::YAML_VALIDATE,
                v.pos,
                item,
                "'override' must be a mapping of key: append|replace",
            );
            return Some(Vec::new());
        };
        if get(m, "append").is_some() {
            self.error(
                code::YAML_VALIDATE,
                v.pos,
                item,
                "'override' and 'append' cannot be used together",
            );
            return Some(Vec::new());
        }
        let mut out = Vec::new();
        for (k, mode) in kv {
            let key = k.as_str().unwrap_or("").to_string();
            let append = match mode.as_str() {
                Some("append") => true,
                Some("replace") => false,
                _ => {
                    self.error(
                        code::YAML_VALIDATE,
                        mode.pos,
                        item,
                        format!("override of '{key}' must be 'append' or 'replace'"),
                    );
                    continue;
                }
            };
            let allowed = if append { appendable } else { replaceable };
            if !allowed.contains(&key.as_str()) {
                let how = if append { "appended" } else { "replaced" };
                self.error(
                    code::YAML_VALIDATE,
                    k.pos,
                    item,
                    format!("key '{key}' cannot be {how}"),
                );
                continue;
            }
            if get(m, &key).is_none() {
                self.error(
                    code::YAML_VALIDATE,
                    k.pos,
                    item,
                    format!("'override' names key '{key}', which the item does not have"),
                );
                continue;
            }
            out.push((key, append));
        }
        Some(out)
    }

    /// The name of a list, macro or rule item, with its keys checked; None after an error.
    fn item_head(
        &mut self,
        m: Map<'_>,
        kind: &'static str,
        keys: &[&str],
        pos: Pos,
    ) -> Option<(String, Option<ItemRef>)> {
        let name = self.name(m, kind, pos)?;
        let item = Some(ItemRef {
            kind,
            name: name.clone(),
        });
        self.check_keys(m, keys, &item).then_some((name, item))
    }

    /// Conditions refer to lists and macros by name: warn about a name that is not one word.
    fn check_name_chars(
        &mut self,
        name: &str,
        code: &'static str,
        pos: Pos,
        item: &Option<ItemRef>,
    ) {
        if !valid_name(name) {
            let kind = item.as_ref().map_or("item", |i| i.kind);
            self.diag(
                Severity::Warning,
                code,
                pos,
                item.clone(),
                format!("{kind} names should be letters, digits and underscores"),
            );
        }
    }

    /// How a list or macro combines with an earlier item of its name, from `override: {KEY: ...}`
    /// or `append: true`: Some(Some(true)) appends, Some(Some(false)) replaces, Some(None) defines
    /// it anew; None after an error.
    fn merge_mode(
        &mut self,
        m: Map<'_>,
        key: &str,
        item: &Option<ItemRef>,
    ) -> Option<Option<bool>> {
        match self.overrides(m, &[key], &[key], item) {
            Some(o) => o.first().map(|&(_, append)| Some(append)),
            None => Some((self.bool_key(m, "append", item) == Some(true)).then_some(true)),
        }
    }

    fn list(&mut self, m: Map<'_>, pos: Pos) {
        let Some((name, item)) = self.item_head(m, "list", LIST_KEYS, pos) else {
            return;
        };
        self.check_name_chars(&name, code::INVALID_LIST_NAME, pos, &item);
        let Some(items_node) = get(m, "items") else {
            self.error(code::YAML_VALIDATE, pos, &item, "list has no 'items'");
            return;
        };
        let Some(items) = self.strings(items_node, "items", &item) else {
            return;
        };
        let Some(append) = self.merge_mode(m, "items", &item) else {
            return;
        };
        let existing = self.col.lists.iter().position(|l| l.name == name);
        match (append, existing) {
            (Some(_), None) => {
                self.error(
                    code::VALIDATE,
                    pos,
                    &item,
                    "list has 'append' or 'override' but no list by that name is defined earlier",
                );
            }
            (Some(true), Some(i)) => {
                if items.is_empty() {
                    self.diag(
                        Severity::Warning,
                        code::APPEND_NO_VALUES,
                        pos,
                        item.clone(),
                        "append with no items".into(),
                    );
                }
                self.col.lists[i].items.extend(items);
            }
            (Some(false), Some(i)) => self.col.lists[i].items = items,
            (None, existing) => {
                let def = ListDef {
                    name,
                    items,
                    loc: self.loc(pos),
                };
                match existing {
                    Some(i) => self.col.lists[i] = def,
                    None => self.col.lists.push(def),
                }
            }
        }
    }

    fn macro_item(&mut self, m: Map<'_>, pos: Pos) {
        let Some((name, item)) = self.item_head(m, "macro", MACRO_KEYS, pos) else {
            return;
        };
        self.check_name_chars(&name, code::INVALID_MACRO_NAME, pos, &item);
        let Some(cond_node) = get(m, "condition") else {
            self.error(code::YAML_VALIDATE, pos, &item, "macro has no 'condition'");
            return;
        };
        let Some(seg) = self.segment(cond_node).filter(|_| !cond_node.is_null()) else {
            self.error(
                code::YAML_VALIDATE,
                cond_node.pos,
                &item,
                "'condition' must be a string",
            );
            return;
        };
        let Some(append) = self.merge_mode(m, "condition", &item) else {
            return;
        };
        let existing = self.col.macros.iter().position(|x| x.name == name);
        match (append, existing) {
            (Some(_), None) => {
                self.error(
                    code::VALIDATE,
                    pos,
                    &item,
                    "macro has 'append' or 'override' but no macro by that name is defined earlier",
                );
            }
            (Some(true), Some(i)) => self.col.macros[i].condition.segments.push(seg),
            (Some(false), Some(i)) => self.col.macros[i].condition = Text::one(seg),
            (None, existing) => {
                let def = MacroDef {
                    name,
                    condition: Text::one(seg),
                    loc: self.loc(pos),
                };
                match existing {
                    Some(i) => self.col.macros[i] = def,
                    None => self.col.macros.push(def),
                }
            }
        }
    }

    fn exceptions(
        &mut self,
        v: &Node,
        item: &Option<ItemRef>,
        need_fields: bool,
    ) -> Option<Vec<ExceptionDef>> {
        let NodeKind::Seq(list) = &v.kind else {
            if v.is_null() {
                return Some(Vec::new());
            }
            self.error(
                code::YAML_VALIDATE,
                v.pos,
                item,
                "'exceptions' must be a sequence",
            );
            return None;
        };
        let mut out = Vec::new();
        for e in list {
            let NodeKind::Map(m) = &e.kind else {
                self.error(
                    code::YAML_VALIDATE,
                    e.pos,
                    item,
                    "each exception must be a mapping",
                );
                return None;
            };
            if !self.check_keys(m, EXCEPTION_KEYS, item) {
                return None;
            }
            let name = match get(m, "name").and_then(Node::as_str) {
                Some(n) if !n.trim().is_empty() => n.to_string(),
                _ => {
                    self.error(code::YAML_VALIDATE, e.pos, item, "exception has no 'name'");
                    return None;
                }
            };
            let (fields, single) = match get(m, "fields") {
                None if !need_fields => (Vec::new(), false),
                None => {
                    self.error(
                        code::YAML_VALIDATE,
                        e.pos,
                        item,
                        format!("exception '{name}' has no 'fields'"),
                    );
                    return None;
                }
                Some(f) => match &f.kind {
                    NodeKind::Scalar { value, .. } => (vec![value.clone()], true),
                    _ => (self.strings(f, "fields", item)?, false),
                },
            };
            let comps = match get(m, "comps") {
                None => Vec::new(),
                Some(c) => match &c.kind {
                    NodeKind::Scalar { value, .. } => vec![value.clone()],
                    _ => self.strings(c, "comps", item)?,
                },
            };
            let mut values = Vec::new();
            if let Some(vn) = get(m, "values") {
                let NodeKind::Seq(rows) = &vn.kind else {
                    if !vn.is_null() {
                        self.error(
                            code::YAML_VALIDATE,
                            vn.pos,
                            item,
                            format!("exception '{name}': 'values' must be a sequence"),
                        );
                        return None;
                    }
                    out.push(ExceptionDef {
                        name,
                        fields,
                        single,
                        comps,
                        values,
                        loc: self.loc(e.pos),
                    });
                    continue;
                };
                for row in rows {
                    match &row.kind {
                        NodeKind::Scalar { value, .. } => {
                            values.push(vec![ExcValue::One(value.clone())])
                        }
                        NodeKind::Seq(cells) => {
                            let mut tuple = Vec::new();
                            for c in cells {
                                match &c.kind {
                                    NodeKind::Scalar { value, .. } => {
                                        tuple.push(ExcValue::One(value.clone()))
                                    }
                                    NodeKind::Seq(_) => {
                                        tuple.push(ExcValue::Many(self.strings(c, "values", item)?))
                                    }
                                    NodeKind::Map(_) => {
                                        self.error(code::YAML_VALIDATE, c.pos, item, format!("exception '{name}': values must be strings or lists"));
                                        return None;
                                    }
                                }
                            }
                            values.push(tuple);
                        }
                        NodeKind::Map(_) => {
                            self.error(
                                code::YAML_VALIDATE,
                                row.pos,
                                item,
                                format!("exception '{name}': values must be strings or lists"),
                            );
                            return None;
                        }
                    }
                }
            }
            out.push(ExceptionDef {
                name,
                fields,
                single,
                comps,
                values,
                loc: self.loc(e.pos),
            });
        }
        Some(out)
    }

    fn priority(&mut self, m: Map<'_>, item: &Option<ItemRef>) -> Option<Priority> {
        let v = get(m, "priority")?;
        match v.as_str().map(str::parse::<Priority>) {
            Some(Ok(p)) => Some(p),
            Some(Err(e)) => {
                self.error(code::YAML_VALIDATE, v.pos, item, e.to_string());
                None
            }
            None => {
                self.error(
                    code::YAML_VALIDATE,
                    v.pos,
                    item,
                    "'priority' must be a string",
                );
                None
            }
        }
    }

    fn rule(&mut self, m: Map<'_>, pos: Pos) {
        let Some((name, item)) = self.item_head(m, "rule", RULE_KEYS, pos) else {
            return;
        };
        let errors_before = self.errors.len();
        let overrides = self.overrides(m, RULE_APPENDABLE, RULE_REPLACEABLE, &item);
        let append = self.bool_key(m, "append", &item).unwrap_or(false);
        let existing = self.col.rules.iter().position(|r| r.name == name);
        let cond = get(m, "condition");
        let cond_seg = match cond {
            Some(c) if c.is_null() || c.as_str().is_none() => {
                self.error(
                    code::YAML_VALIDATE,
                    c.pos,
                    &item,
                    "'condition' must be a non-empty string",
                );
                return;
            }
            Some(c) => self.segment(c),
            None => None,
        };
        let output_seg = get(m, "output").and_then(|o| self.segment(o));
        let desc = self.string(m, "desc", &item);
        let priority = self.priority(m, &item);
        let enabled = self.bool_key(m, "enabled", &item);
        let tags = match get(m, "tags") {
            Some(t) => self.strings(t, "tags", &item),
            None => None,
        };
        let source = self.string(m, "source", &item);
        let warn = self.bool_key(m, "warn_evttypes", &item);
        let skip = self.bool_key(m, "skip-if-unknown-filter", &item);
        let is_modification = append || overrides.is_some();
        let exceptions = match get(m, "exceptions") {
            Some(e) => self.exceptions(e, &item, !is_modification),
            None => Some(Vec::new()),
        };
        if self.errors.len() > errors_before {
            return;
        }
        let exceptions = exceptions.unwrap_or_default();

        if is_modification {
            let Some(i) = existing else {
                let what = if append { "append" } else { "override" };
                self.error(
                    code::VALIDATE,
                    pos,
                    &item,
                    format!("rule has '{what}' but no rule by that name is defined earlier"),
                );
                return;
            };
            let modes: Vec<(String, bool)> = match overrides {
                Some(o) => o,
                None => {
                    // Legacy append: condition text and exceptions are appended.
                    let mut v = Vec::new();
                    for (k, _) in m {
                        match k.as_str().unwrap_or("") {
                            "rule" | "append" => {}
                            "condition" => v.push(("condition".to_string(), true)),
                            "exceptions" => v.push(("exceptions".to_string(), true)),
                            other => {
                                self.error(code::YAML_VALIDATE, k.pos, &item, format!("key '{other}' cannot be used with 'append: true' (use 'override')"));
                                return;
                            }
                        }
                    }
                    v
                }
            };
            let mut exceptions = Some(exceptions);
            for (key, app) in modes {
                let r = &mut self.col.rules[i];
                match (key.as_str(), app) {
                    ("condition", true) => r.condition.segments.extend(cond_seg.clone()),
                    ("condition", false) => {
                        r.condition = Text::one(cond_seg.clone().expect("checked present"))
                    }
                    ("output", true) => r.output.segments.extend(output_seg.clone()),
                    ("output", false) => {
                        r.output = Text::one(output_seg.clone().expect("checked present"))
                    }
                    ("desc", true) => {
                        r.desc.push(' ');
                        r.desc.push_str(desc.as_deref().unwrap_or(""));
                    }
                    ("desc", false) => r.desc = desc.clone().unwrap_or_default(),
                    ("tags", true) => r.tags.extend(tags.clone().unwrap_or_default()),
                    ("tags", false) => r.tags = tags.clone().unwrap_or_default(),
                    ("priority", _) => r.priority = priority.unwrap_or(r.priority),
                    ("enabled", _) => r.enabled = enabled.unwrap_or(r.enabled),
                    ("warn_evttypes", _) => r.warn_evttypes = warn.unwrap_or(r.warn_evttypes),
                    ("skip-if-unknown-filter", _) => {
                        r.skip_if_unknown_filter = skip.unwrap_or(r.skip_if_unknown_filter)
                    }
                    ("exceptions", true) => {
                        let new = exceptions.take().unwrap_or_default();
                        if let Err((p, msg)) =
                            append_exceptions(&mut self.col.rules[i].exceptions, new)
                        {
                            self.error(code::VALIDATE, p.unwrap_or(pos), &item, msg);
                            return;
                        }
                    }
                    ("exceptions", false) => r.exceptions = exceptions.take().unwrap_or_default(),
                    _ => {}
                }
            }
            return;
        }

        // `- rule: X` with only `enabled`: turns an existing rule on or off.
        if let (Some(i), None, 2, Some(on)) = (existing, cond, m.len(), enabled) {
            self.col.rules[i].enabled = on;
            return;
        }
        let missing: Vec<&str> = ["condition", "output", "desc", "priority"]
            .into_iter()
            .filter(|k| get(m, k).is_none())
            .collect();
        if !missing.is_empty() {
            self.error(
                code::YAML_VALIDATE,
                pos,
                &item,
                format!("rule has no '{}'", missing.join("', '")),
            );
            return;
        }
        let def = RuleDef {
            name,
            condition: Text::one(cond_seg.expect("checked")),
            output: Text::one(output_seg.expect("checked")),
            desc: desc.unwrap_or_default(),
            priority: priority.unwrap_or(Priority::Debug),
            enabled: enabled.unwrap_or(true),
            tags: tags.unwrap_or_default(),
            source: source.unwrap_or_else(|| "syscall".into()),
            exceptions,
            warn_evttypes: warn.unwrap_or(true),
            skip_if_unknown_filter: skip.unwrap_or(false),
            loc: self.loc(pos),
        };
        match existing {
            Some(i) => self.col.rules[i] = def,
            None => self.col.rules.push(def),
        }
    }
}

/// Appends exceptions: values of an existing name are added to it; new names are added whole.
fn append_exceptions(
    existing: &mut Vec<ExceptionDef>,
    new: Vec<ExceptionDef>,
) -> Result<(), (Option<Pos>, String)> {
    for e in new {
        match existing.iter_mut().find(|x| x.name == e.name) {
            Some(x) => x.values.extend(e.values),
            None if e.fields.is_empty() => {
                return Err((
                    Some(Pos {
                        line: e.loc.line,
                        col: e.loc.col,
                    }),
                    format!(
                        "exception '{}' is not defined earlier and has no 'fields'",
                        e.name
                    ),
                ));
            }
            None => existing.push(e),
        }
    }
    Ok(())
}

trait PosExt {
    fn max_line(self, other: Pos) -> Pos;
}

impl PosExt for Pos {
    /// A null value has the position of whatever follows it; the item's own key is clearer.
    fn max_line(self, other: Pos) -> Pos {
        if self.line > other.line { other } else { self }
    }
}
