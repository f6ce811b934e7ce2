//! Edits of the configuration tree: key paths as Falco writes them (`a.b[2].c`, `list[]` to append,
//! `\.` for a dot inside a key), `-o key=value` overrides, `${VAR}` expansion, and the merge of a
//! `config_files` include under its strategy.

use std::sync::Arc;

use super::ConfigError;
use super::yaml::{Node, Origin, Value};

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
    Append,
}

/// Parses `a.b[1].c\.d`: segments separated by dots, `[N]` indexes, `[]` appends; a backslash
/// escapes `.`, `[`, `]` and itself.
pub fn parse_path(key: &str) -> Result<Vec<Seg>, String> {
    let mut segs = Vec::new();
    let mut name = String::new();
    let mut chars = key.chars().peekable();
    let mut after_index = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('.' | '[' | ']' | '\\')) => name.push(e),
                _ => return Err("a backslash must escape '.', '[', ']' or '\\'".into()),
            },
            '.' => {
                if name.is_empty() && !after_index {
                    return Err("empty key segment".into());
                }
                if !name.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut name)));
                }
                after_index = false;
            }
            '[' => {
                if !name.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut name)));
                } else if !after_index {
                    return Err("'[' must follow a key".into());
                }
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some(']') => break,
                        Some(d) => inner.push(d),
                        None => return Err("unclosed '['".into()),
                    }
                }
                if inner.is_empty() {
                    segs.push(Seg::Append);
                } else {
                    let i = inner
                        .parse::<usize>()
                        .map_err(|_| "a list index must be a number".to_string())?;
                    segs.push(Seg::Index(i));
                }
                after_index = true;
                if let Some(&n) = chars.peek()
                    && n != '.'
                    && n != '['
                {
                    return Err("unexpected text after ']'".into());
                }
            }
            c => {
                if after_index {
                    return Err("unexpected text after ']'".into());
                }
                name.push(c);
            }
        }
    }
    if !name.is_empty() {
        segs.push(Seg::Key(name));
    } else if segs.is_empty() || !after_index {
        return Err("empty key segment".into());
    }
    Ok(segs)
}

/// A parsed `-o key=value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub arg: String,
    pub key: String,
    pub path: Vec<Seg>,
    pub value: Node,
}

/// Parses `key.sub[1]=value`. A value in braces or brackets is YAML (`{a: 1}`, `[x, y]`); anything
/// else is a scalar, typed when the key is read (`true`, `5`, text). Surrounding quotes are removed.
pub fn parse_override(arg: &str) -> Result<Override, ConfigError> {
    let bad = |why: &str| ConfigError::BadOverride {
        arg: arg.to_string(),
        why: why.to_string(),
    };
    let (key, raw) = arg.split_once('=').ok_or_else(|| {
        bad("must be of the form key=val or key.subkey=val (Falco: Error parsing config option)")
    })?;
    let key = key.trim();
    let path = parse_path(key).map_err(|e| bad(&e))?;
    let at = Origin::Option(Arc::from(arg));
    let raw = raw.trim();
    let structured = (raw.starts_with('{') && raw.ends_with('}'))
        || (raw.starts_with('[') && raw.ends_with(']'));
    let value = if structured {
        let mut n = super::yaml::parse(&format!("v: {raw}\n"), "-o")
            .ok()
            .and_then(|n| n.get("v").cloned())
            .ok_or_else(|| bad("the value in braces or brackets is not valid YAML"))?;
        set_origin(&mut n, &at);
        n
    } else {
        let unq = raw
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .or_else(|| raw.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')));
        Node {
            value: Value::Scalar {
                text: unq.unwrap_or(raw).to_string(),
                plain: unq.is_none(),
            },
            at: at.clone(),
        }
    };
    Ok(Override {
        arg: arg.to_string(),
        key: key.to_string(),
        path,
        value,
    })
}

fn set_origin(n: &mut Node, at: &Origin) {
    n.at = at.clone();
    match &mut n.value {
        Value::Seq(s) => s.iter_mut().for_each(|c| set_origin(c, at)),
        Value::Map(m) => m.iter_mut().for_each(|(_, c)| set_origin(c, at)),
        Value::Scalar { .. } => {}
    }
}

fn shown(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
            Seg::Append => s.push_str("[]"),
        }
    }
    s
}

/// Sets the value at `o.path` in `root`, creating maps (and lists, for `[]`) on the way.
pub fn apply_override(root: &mut Node, o: &Override) -> Result<(), ConfigError> {
    let bad = |why: String| ConfigError::BadOverride {
        arg: o.arg.clone(),
        why,
    };
    let at = o.value.at.clone();
    let mut node = root;
    for (i, seg) in o.path.iter().enumerate() {
        let last = i + 1 == o.path.len();
        match seg {
            Seg::Key(k) => {
                let child = node.entry(k, &at);
                if last {
                    *child = o.value.clone();
                    return Ok(());
                }
                node = child;
            }
            Seg::Index(idx) => {
                let len = node.as_seq().map(<[Node]>::len);
                let Some(len) = len else {
                    return Err(bad(format!("'{}' is not a list", shown(&o.path[..i]))));
                };
                if *idx >= len {
                    return Err(bad(format!(
                        "index {idx} is past the end of '{}' ({len} entries)",
                        shown(&o.path[..i])
                    )));
                }
                let Value::Seq(s) = &mut node.value else {
                    unreachable!("checked above")
                };
                if last {
                    s[*idx] = o.value.clone();
                    return Ok(());
                }
                node = &mut s[*idx];
            }
            Seg::Append => {
                if node.is_null() {
                    node.value = Value::Seq(Vec::new());
                }
                let Value::Seq(s) = &mut node.value else {
                    return Err(bad(format!("'{}' is not a list", shown(&o.path[..i]))));
                };
                if last {
                    s.push(o.value.clone());
                    return Ok(());
                }
                s.push(Node::map(at.clone()));
                node = s.last_mut().expect("just pushed");
            }
        }
    }
    Ok(())
}

/// The node at a dotted key (`webserver.listen_port`), None when absent or null.
pub fn get<'a>(root: &'a Node, key: &str) -> Option<&'a Node> {
    let mut node = root;
    for seg in parse_path(key).ok()? {
        node = match seg {
            Seg::Key(k) => node.get(&k)?,
            Seg::Index(i) => node.as_seq()?.get(i)?,
            Seg::Append => return None,
        };
    }
    (!node.is_null()).then_some(node)
}

/// Expands `${NAME}` in every scalar value to the environment variable NAME (nothing when it is
/// unset), and `$${...}` to a literal `${...}`, as Falco does when it reads a configuration file.
pub fn expand_env(root: &mut Node, env: &dyn Fn(&str) -> Option<String>) {
    root.for_each_scalar_mut(&mut |text| {
        if text.contains('$') {
            *text = expand_one(text, env);
        }
    });
}

fn expand_one(s: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(body) = tail.strip_prefix("$${") {
            match body.find('}') {
                Some(end) => {
                    out.push_str("${");
                    out.push_str(&body[..=end]);
                    rest = &body[end + 1..];
                }
                None => {
                    out.push_str(tail);
                    rest = "";
                }
            }
        } else if let Some(body) = tail.strip_prefix("${") {
            match body.find('}') {
                Some(end) => {
                    if let Some(v) = env(&body[..end]) {
                        out.push_str(&v);
                    }
                    rest = &body[end + 1..];
                }
                None => {
                    out.push_str(tail);
                    rest = "";
                }
            }
        } else {
            out.push('$');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// How an included file's top-level keys combine with what is loaded already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Lists are appended to, other values replaced, new keys added (the default).
    Append,
    /// Values (lists too) replaced, new keys added.
    Override,
    /// Only keys not set yet are added.
    AddOnly,
}

impl Strategy {
    pub fn parse(s: &str) -> Option<Strategy> {
        match s {
            "append" => Some(Strategy::Append),
            "override" => Some(Strategy::Override),
            "add-only" => Some(Strategy::AddOnly),
            _ => None,
        }
    }
}

/// Merges the top-level keys of `include` into `root`.
pub fn merge(root: &mut Node, include: Node, strategy: Strategy) {
    let Value::Map(entries) = include.value else {
        return;
    };
    for (k, v) in entries {
        let absent = root.get(&k).is_none_or(Node::is_null);
        match strategy {
            Strategy::AddOnly if !absent => {}
            Strategy::Append if matches!(v.value, Value::Seq(_)) => {
                let at = v.at.clone();
                let target = root.entry(&k, &at);
                if target.is_null() {
                    target.value = Value::Seq(Vec::new());
                }
                match (&mut target.value, v.value) {
                    (Value::Seq(dst), Value::Seq(src)) => dst.extend(src),
                    (_, src) => {
                        *target = Node { value: src, at };
                    }
                }
            }
            _ => root.set(&k, v),
        }
    }
}

/// The tree as one line of flow YAML with every scalar double-quoted (Falco's configuration dump
/// in `--support`).
pub fn dump(n: &Node) -> String {
    fn quote(s: &str) -> String {
        serde_json::Value::String(s.to_string()).to_string()
    }
    match &n.value {
        Value::Scalar { .. } if n.is_null() => "null".to_string(),
        Value::Scalar { text, .. } => quote(text),
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(dump).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", quote(k), dump(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::yaml::parse;

    #[test]
    fn paths_parse_as_falco_writes_them() {
        assert_eq!(
            parse_path("a.b[2].c").unwrap(),
            vec![
                Seg::Key("a".into()),
                Seg::Key("b".into()),
                Seg::Index(2),
                Seg::Key("c".into())
            ]
        );
        assert_eq!(
            parse_path("rules_files[]").unwrap(),
            vec![Seg::Key("rules_files".into()), Seg::Append]
        );
        assert_eq!(
            parse_path(r"annotations.kubernetes\.io/role").unwrap(),
            vec![
                Seg::Key("annotations".into()),
                Seg::Key("kubernetes.io/role".into())
            ]
        );
        assert_eq!(
            parse_path("m[1][0]").unwrap(),
            vec![Seg::Key("m".into()), Seg::Index(1), Seg::Index(0)]
        );
        for bad in ["", "a..b", "a[x]", "a[1", "a[1]b", "[1]", r"a\b"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn overrides_apply() {
        let mut root = parse("a:\n  b: 1\nlist: [x, y]\n", "f").unwrap();
        for o in [
            "a.b=2",
            "a.c.d=true",
            "list[1]=z",
            "list[]=w",
            "new[]=1",
            "m={k: v}",
            "rules[].disable.rule=R",
        ] {
            apply_override(&mut root, &parse_override(o).unwrap()).unwrap();
        }
        assert_eq!(get(&root, "a.b").unwrap().as_text(), Some("2"));
        assert_eq!(get(&root, "a.c.d").unwrap().as_text(), Some("true"));
        let list: Vec<_> = get(&root, "list")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|n| n.as_text().unwrap())
            .collect();
        assert_eq!(list, ["x", "z", "w"]);
        assert_eq!(get(&root, "new[0]").unwrap().as_text(), Some("1"));
        assert_eq!(get(&root, "m.k").unwrap().as_text(), Some("v"));
        assert_eq!(
            get(&root, "rules[0].disable.rule").unwrap().as_text(),
            Some("R")
        );
        assert_eq!(
            get(&root, "a.b").unwrap().at.to_string(),
            "-o a.b=2",
            "an override's origin names it"
        );
        let e = apply_override(&mut root, &parse_override("list[9]=q").unwrap());
        assert!(e.is_err());
        assert!(parse_override("novalue").is_err());
    }

    #[test]
    fn dumps_as_flow_yaml() {
        let n = parse("a: 1\nb: [x, \"y z\"]\nc:\n  d: ~\n", "f").unwrap();
        assert_eq!(
            dump(&n),
            r#"{"a": "1", "b": ["x", "y z"], "c": {"d": null}}"#
        );
    }

    #[test]
    fn env_expansion_as_falco() {
        let env = |k: &str| match k {
            "HOME" => Some("/root".to_string()),
            _ => None,
        };
        let e = |s: &str| expand_one(s, &env);
        assert_eq!(e("${HOME}/.falco"), "/root/.falco");
        assert_eq!(e("a${UNSET}b"), "ab");
        assert_eq!(e("$${HOME}"), "${HOME}");
        assert_eq!(e("cost $5 ${HOME}"), "cost $5 /root");
        assert_eq!(e("${HOME"), "${HOME");
    }

    #[test]
    fn merge_strategies() {
        let base = || parse("l: [a]\ns: 1\n", "main").unwrap();
        let inc = || parse("l: [b]\ns: 2\nn: 3\n", "inc").unwrap();
        let text = |r: &Node, k: &str| {
            get(r, k)
                .map(|n| match &n.value {
                    Value::Seq(s) => s
                        .iter()
                        .map(|x| x.as_text().unwrap())
                        .collect::<Vec<_>>()
                        .join(","),
                    _ => n.as_text().unwrap().to_string(),
                })
                .unwrap()
        };
        let mut r = base();
        merge(&mut r, inc(), Strategy::Append);
        assert_eq!(
            (text(&r, "l"), text(&r, "s"), text(&r, "n")),
            ("a,b".into(), "2".into(), "3".into())
        );
        let mut r = base();
        merge(&mut r, inc(), Strategy::Override);
        assert_eq!((text(&r, "l"), text(&r, "s")), ("b".into(), "2".into()));
        let mut r = base();
        merge(&mut r, inc(), Strategy::AddOnly);
        assert_eq!(
            (text(&r, "l"), text(&r, "s"), text(&r, "n")),
            ("a".into(), "1".into(), "3".into())
        );
    }
}
