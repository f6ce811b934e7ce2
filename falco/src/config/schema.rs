//! What a falco.yaml key is: its type, default, documentation and whether this falco implements it
//! ([`Key`], declared once in `keys.rs`). Everything generic about keys is derived from those
//! declarations here: the type check of a loaded tree (an error names file:line:col and the
//! expected type), the warnings for unknown and unimplemented keys, the key reference of
//! docs/configuration.md and the JSON schema of `--config-schema`.

use serde_json::{Map, Value as Json, json};

use super::ConfigError;
use super::keys::KEYS;
use super::yaml::{Node, Value, parse_bool, parse_float, parse_int};

/// The type of a key's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// true/false, yes/no, on/off (yaml-cpp's spellings).
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    Float {
        min: f64,
        max: f64,
    },
    /// Any scalar, as text.
    Str,
    /// One of these words.
    Enum(&'static [&'static str]),
    /// One of these words, in any case.
    EnumNoCase(&'static [&'static str]),
    /// A Prometheus duration (`1h30m`, `15s`, `500ms`) or milliseconds.
    Duration,
    /// A list of text (one scalar counts as a list of one).
    StrList,
    /// A map of the keys declared under it.
    Section,
    /// A list of maps, each with the keys declared under `key[]`.
    Records,
    /// A list whose items are text or maps with the keys declared under `key[]`.
    TextOrRecords,
    /// A map of names chosen by the user to text.
    StrMap,
    /// Anything (handed on as it is).
    Any,
}

/// Whether this falco does what the key asks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Status {
    Honoured,
    /// Not implemented: a warning names the key when its value differs from the default.
    Unsupported(&'static str),
    /// Not implemented, nor in Falco 0.44: a warning names the key (and its whole section) when it
    /// is present at all.
    Ignored(&'static str),
    /// A value other than the default stops the start with this message.
    Refused(&'static str),
}

/// One falco.yaml key.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// Dotted path; `[]` stands for the items of a list (`rules[].enable.rule`).
    pub path: &'static str,
    pub kind: Kind,
    /// The default as YAML text (`""` when there is none).
    pub default: &'static str,
    pub doc: &'static str,
    pub status: Status,
}

/// The declaration of `path`.
pub fn key(path: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.path == path)
}

fn children(path: &str) -> impl Iterator<Item = &'static Key> + '_ {
    KEYS.iter().filter(move |k| {
        k.path
            .strip_prefix(path)
            .and_then(|r| r.strip_prefix('.'))
            .is_some_and(|r| !r.contains('.'))
    })
}

impl Kind {
    /// How the type reads in a message.
    pub fn describe(&self, path: &str) -> String {
        match self {
            Kind::Bool => "a boolean (true/false, yes/no, on/off)".into(),
            Kind::Int { min, max } => format!("an integer from {min} to {max}"),
            Kind::Float { min, max } if min.is_finite() || max.is_finite() => {
                format!("a number from {min} to {max}")
            }
            Kind::Float { .. } => "a number".into(),
            Kind::Str => "text".into(),
            Kind::Enum(words) | Kind::EnumNoCase(words) => format!("one of {}", words.join(", ")),
            Kind::Duration => "a duration such as 15s, 1m or 1h30m".into(),
            Kind::StrList => "a list of text".into(),
            Kind::Section => {
                let names: Vec<&str> = children(path)
                    .map(|k| k.path.rsplit('.').next().unwrap_or(k.path))
                    .collect();
                format!("a map with the keys {}", names.join(", "))
            }
            Kind::Records => "a list of maps".into(),
            Kind::TextOrRecords => "a list of paths or {path, strategy} maps".into(),
            Kind::StrMap => "a map of names to text".into(),
            Kind::Any => "any value".into(),
        }
    }

    /// Whether a scalar's text is a value of this kind.
    fn accepts_scalar(&self, text: &str) -> bool {
        match self {
            Kind::Bool => parse_bool(text).is_some(),
            Kind::Int { min, max } => {
                parse_int(text).is_some_and(|v| v >= *min as i128 && v <= *max as i128)
            }
            Kind::Float { min, max } => parse_float(text).is_some_and(|v| v >= *min && v <= *max),
            Kind::Str | Kind::Any | Kind::StrList | Kind::TextOrRecords => true,
            Kind::Enum(words) => words.contains(&text),
            Kind::EnumNoCase(words) => words.iter().any(|w| w.eq_ignore_ascii_case(text)),
            Kind::Duration => super::parse_duration_ms(text).is_some(),
            Kind::Section | Kind::Records | Kind::StrMap => false,
        }
    }
}

/// What checking a tree found besides errors.
#[derive(Debug, Default)]
pub struct Checked {
    pub warnings: Vec<String>,
}

fn type_error(k: &Key, path: &str, n: &Node) -> ConfigError {
    ConfigError::Type {
        at: n.at.to_string(),
        key: path.to_string(),
        expected: k.kind.describe(k.path),
        got: n.describe(),
    }
}

/// Whether `n` holds the key's default (so an unimplemented key asks for nothing).
fn is_default(k: &Key, n: &Node) -> bool {
    match (&n.value, k.kind) {
        (Value::Scalar { text, .. }, Kind::Bool) => parse_bool(text) == parse_bool(k.default),
        (Value::Scalar { text, .. }, Kind::Int { .. } | Kind::Float { .. }) => {
            parse_float(text) == parse_float(k.default)
        }
        (Value::Scalar { text, .. }, _) => text == k.default,
        (Value::Seq(s), _) => s.is_empty() && matches!(k.default, "" | "[]"),
        (Value::Map(m), _) => m.is_empty() && matches!(k.default, "" | "{}"),
    }
}

/// Checks every value of `root` against the declarations: a value of the wrong type is an error;
/// unknown keys and keys this falco does not implement are warnings.
pub fn check(root: &Node) -> Result<Checked, ConfigError> {
    let mut c = Checked::default();
    walk_map(root, "", "", &mut c)?;
    Ok(c)
}

fn walk_map(n: &Node, pattern: &str, shown: &str, c: &mut Checked) -> Result<(), ConfigError> {
    let Some(entries) = n.as_map() else {
        return Ok(());
    };
    for (name, v) in entries {
        let (p, s) = if pattern.is_empty() {
            (name.clone(), name.clone())
        } else {
            (format!("{pattern}.{name}"), format!("{shown}.{name}"))
        };
        match key(&p) {
            Some(k) => walk_value(k, v, &s, c)?,
            None => c.warnings.push(format!(
                "{}: unknown configuration key '{s}' (ignored)",
                v.at
            )),
        }
    }
    Ok(())
}

fn walk_value(k: &'static Key, v: &Node, shown: &str, c: &mut Checked) -> Result<(), ConfigError> {
    if v.is_null() {
        return Ok(());
    }
    match k.status {
        Status::Honoured => {}
        Status::Unsupported(why) if !is_default(k, v) => c.warnings.push(format!(
            "{}: configuration key '{shown}' is not implemented by this falco: {why} (ignored)",
            v.at
        )),
        Status::Unsupported(_) => {}
        Status::Ignored(why) => {
            c.warnings.push(format!(
                "{}: configuration key '{shown}': {why} (ignored)",
                v.at
            ));
            // Only the keys declared inside (those that must stop the start) are looked at.
            for (name, child) in v.as_map().unwrap_or_default() {
                if let Some(ck) = key(&format!("{}.{name}", k.path)) {
                    walk_value(ck, child, &format!("{shown}.{name}"), c)?;
                }
            }
            return Ok(());
        }
        Status::Refused(why) if !is_default(k, v) => {
            return Err(ConfigError::Refused {
                at: v.at.to_string(),
                key: shown.to_string(),
                why: why.to_string(),
            });
        }
        Status::Refused(_) => {}
    }
    match (&v.value, k.kind) {
        (_, Kind::Any) => Ok(()),
        (Value::Map(_), Kind::Section) => walk_map(v, k.path, shown, c),
        (Value::Map(m), Kind::StrMap) => {
            for (name, item) in m {
                if item.as_text().is_none() {
                    return Err(type_error(k, &format!("{shown}.{name}"), item));
                }
            }
            Ok(())
        }
        (Value::Seq(items), Kind::Records | Kind::TextOrRecords | Kind::StrList) => {
            let item_pattern = format!("{}[]", k.path);
            for (i, item) in items.iter().enumerate() {
                let item_shown = format!("{shown}[{i}]");
                match (&item.value, k.kind) {
                    (Value::Scalar { .. }, Kind::StrList | Kind::TextOrRecords) => {}
                    (Value::Map(_), Kind::Records | Kind::TextOrRecords) => {
                        walk_map(item, &item_pattern, &item_shown, c)?
                    }
                    _ => return Err(type_error(k, &item_shown, item)),
                }
            }
            Ok(())
        }
        (Value::Scalar { text, .. }, kind) if kind.accepts_scalar(text) => Ok(()),
        _ => Err(type_error(k, shown, v)),
    }
}

/// The JSON schema of falco.yaml (`--config-schema`), in the shape of Falco's.
pub fn json_schema() -> Json {
    fn node(k: &Key) -> Json {
        let mut o = Map::new();
        match k.kind {
            Kind::Bool => {
                o.insert("type".into(), json!("boolean"));
            }
            Kind::Int { min, max } => {
                o.insert("type".into(), json!("integer"));
                o.insert("minimum".into(), json!(min));
                o.insert("maximum".into(), json!(max));
            }
            Kind::Float { min, max } => {
                o.insert("type".into(), json!("number"));
                if min.is_finite() {
                    o.insert("minimum".into(), json!(min));
                }
                if max.is_finite() {
                    o.insert("maximum".into(), json!(max));
                }
            }
            Kind::Str | Kind::Duration => {
                o.insert("type".into(), json!("string"));
            }
            Kind::Enum(words) | Kind::EnumNoCase(words) => {
                o.insert("type".into(), json!("string"));
                o.insert("enum".into(), json!(words));
            }
            Kind::StrList => {
                o.insert("type".into(), json!("array"));
                o.insert("items".into(), json!({"type": "string"}));
            }
            Kind::Section => {
                o.insert("type".into(), json!("object"));
                o.insert("additionalProperties".into(), json!(false));
                o.insert("properties".into(), properties(k.path));
            }
            Kind::Records | Kind::TextOrRecords => {
                let item_path = format!("{}[]", k.path);
                let rec = json!({"type": "object", "additionalProperties": false,
                    "properties": properties(&item_path)});
                o.insert("type".into(), json!("array"));
                let items = if k.kind == Kind::Records {
                    rec
                } else {
                    json!({"oneOf": [{"type": "string"}, rec]})
                };
                o.insert("items".into(), items);
            }
            Kind::StrMap => {
                o.insert("type".into(), json!("object"));
                o.insert("additionalProperties".into(), json!({"type": "string"}));
            }
            Kind::Any => {}
        }
        if !k.doc.is_empty() {
            o.insert("description".into(), json!(k.doc));
        }
        Json::Object(o)
    }
    fn properties(parent: &str) -> Json {
        let mut p = Map::new();
        let direct: Vec<&Key> = if parent.is_empty() {
            KEYS.iter()
                .filter(|k| !k.path.contains('.') && !k.path.contains("[]"))
                .collect()
        } else {
            children(parent).collect()
        };
        for k in direct {
            let name = k.path.rsplit('.').next().unwrap_or(k.path);
            p.insert(name.to_string(), node(k));
        }
        Json::Object(p)
    }
    json!({
        "$schema": "http://json-schema.org/draft-06/schema#",
        "title": "FalcoConfig",
        "type": "object",
        "additionalProperties": false,
        "properties": properties(""),
    })
}

#[cfg(test)]
fn type_name(k: &Key) -> String {
    match k.kind {
        Kind::Bool => "bool".into(),
        Kind::Int { .. } => "int".into(),
        Kind::Float { .. } => "number".into(),
        Kind::Str => "text".into(),
        Kind::Enum(w) | Kind::EnumNoCase(w) => w.join(" \\| "),
        Kind::Duration => "duration".into(),
        Kind::StrList => "list of text".into(),
        Kind::Section => "map".into(),
        Kind::Records => "list of maps".into(),
        Kind::TextOrRecords => "list".into(),
        Kind::StrMap => "map of text".into(),
        Kind::Any => "any".into(),
    }
}

/// The key reference of docs/configuration.md: one table row per key, in declaration order. The
/// test below keeps the file current (FALCO_UPDATE_DOCS=1 rewrites it).
#[cfg(test)]
pub fn markdown_reference() -> String {
    use std::fmt::Write as _;
    let mut s = String::from("| key | type | default | meaning |\n|---|---|---|---|\n");
    for k in KEYS {
        let default = if k.default.is_empty() {
            String::new()
        } else {
            format!("`{}`", k.default)
        };
        let mut doc = k.doc.replace('|', "\\|").replace('\n', " ");
        match k.status {
            Status::Honoured => {}
            Status::Unsupported(why) => {
                let _ = write!(doc, " **Not implemented** ({why}): a warning when set.");
            }
            Status::Ignored(why) => {
                let _ = write!(doc, " **Ignored**: {why} (a warning when present).");
            }
            Status::Refused(why) => {
                let _ = write!(doc, " **Refused** when not `{}`: {why}", k.default);
            }
        }
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} |",
            k.path,
            type_name(k),
            default,
            doc.trim()
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::yaml::parse;

    fn checked(text: &str) -> Result<Checked, ConfigError> {
        check(&parse(text, "f.yaml").unwrap())
    }

    #[test]
    fn every_declaration_is_well_formed() {
        for k in KEYS {
            // A nested key's parents are declared, as sections or lists of records.
            if let Some((parent, _)) = k.path.rsplit_once('.') {
                let parent = parent.strip_suffix("[]").unwrap_or(parent);
                let p = key(parent).unwrap_or_else(|| panic!("{}: no parent {parent}", k.path));
                assert!(
                    matches!(p.kind, Kind::Section | Kind::Records | Kind::TextOrRecords)
                        || matches!(p.status, Status::Ignored(_)),
                    "{}",
                    k.path
                );
            }
            assert_eq!(
                KEYS.iter().filter(|o| o.path == k.path).count(),
                1,
                "{} declared twice",
                k.path
            );
            assert!(!k.doc.is_empty(), "{} has no documentation", k.path);
            if !k.default.is_empty() && !matches!(k.kind, Kind::Section | Kind::StrList) {
                let n = parse(&format!("v: {}", k.default), "d").unwrap();
                let v = n.get("v").unwrap();
                if let Some(t) = v.as_text() {
                    assert!(k.kind.accepts_scalar(t), "{}: bad default", k.path);
                }
            }
        }
    }

    #[test]
    fn wrong_types_name_file_line_and_the_expected_type() {
        let e = checked("json_output: true\nwebserver: false\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f.yaml:2:12: "), "{e}");
        assert!(
            e.contains("'webserver'") && e.contains("a map with the keys enabled"),
            "{e}"
        );
        let e = checked("syslog_output:\n  enabled: maybe\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("f.yaml:2:12") && e.contains("a boolean"), "{e}");
        let e = checked("webserver:\n  listen_port: 70000\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("an integer from 0 to 65535"), "{e}");
        let e = checked("rules_files: {a: b}\n").unwrap_err().to_string();
        assert!(e.contains("a list of text"), "{e}");
        let e = checked("rules:\n  - enable: x\n").unwrap_err().to_string();
        assert!(e.contains("'rules[0].enable'"), "{e}");
    }

    #[test]
    fn yaml_cpp_booleans_pass_the_check() {
        checked("syslog_output:\n  enabled: no\nwebserver:\n  enabled: Off\njson_output: YES\n")
            .unwrap();
    }

    #[test]
    fn unknown_and_unimplemented_keys_warn() {
        let c = checked("bogus: 1\nwebserver:\n  nope: 2\ngrpc:\n  enabled: false\n").unwrap();
        assert_eq!(c.warnings.len(), 3, "{:?}", c.warnings);
        assert!(c.warnings[0].contains("f.yaml:1:8: unknown configuration key 'bogus'"));
        assert!(c.warnings[1].contains("'webserver.nope'"));
        assert!(c.warnings[2].contains("'grpc'") && c.warnings[2].contains("0.44"));
        let e = checked("grpc:\n  enabled: true\n").unwrap_err().to_string();
        assert!(e.contains("http_output"), "{e}");
    }

    #[test]
    fn docs_configuration_md_is_current() {
        const BEGIN: &str = "<!-- keys: generated from falco/src/config/keys.rs -->\n";
        const END: &str = "<!-- keys: end -->\n";
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/configuration.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
            panic!("docs/configuration.md lacks the generated key reference markers");
        };
        let want = format!(
            "{}{BEGIN}{}{}",
            &text[..b],
            markdown_reference(),
            &text[e..]
        );
        if want != text {
            if std::env::var_os("FALCO_UPDATE_DOCS").is_some() {
                std::fs::write(&path, want).unwrap();
            } else {
                panic!(
                    "docs/configuration.md is stale: its key reference differs from \
                     falco/src/config/keys.rs; run FALCO_UPDATE_DOCS=1 cargo test -p falco \
                     docs_configuration_md_is_current"
                );
            }
        }
    }

    #[test]
    fn schema_and_reference_come_from_the_declarations() {
        let s = json_schema();
        assert_eq!(
            s["properties"]["webserver"]["properties"]["listen_port"]["type"],
            "integer"
        );
        assert_eq!(s["properties"]["rules"]["type"], "array");
        assert!(
            s["properties"]["rules"]["items"]["properties"]["enable"]["properties"]
                .get("tag")
                .is_some()
        );
        let md = markdown_reference();
        assert!(
            md.contains("| `webserver.listen_port` | int | `8765` |"),
            "{md}"
        );
    }
}
