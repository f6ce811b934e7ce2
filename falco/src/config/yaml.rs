//! falco.yaml as a tree that remembers where each value came from (file:line:col, or the `-o` that
//! set it), read the way Falco's YAML library (yaml-cpp) reads it: every scalar is text, typed only
//! when a key is read, so `yes`, `On` and `TRUE` are booleans and `"5"` is a number.
//!
//! Aliases are expanded while the tree is built, within a node budget, so a small file of nested
//! aliases cannot exhaust memory.

use std::fmt;
use std::sync::Arc;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Nodes one configuration file may expand to (aliases included). Falco's own falco.yaml has a
/// few hundred.
pub const MAX_NODES: usize = 200_000;

/// Nesting levels of sequences and maps: the tree is walked and dropped recursively, so a file of
/// 100,000 `[` must not reach it. Falco's falco.yaml nests 4 deep.
pub const MAX_DEPTH: usize = 256;

/// Where a value was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file position (1-based line and column).
    File {
        file: Arc<str>,
        line: usize,
        col: usize,
    },
    /// A `-o key=value` option.
    Option(Arc<str>),
    /// Built in (defaults, or a value falco derived).
    Builtin,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { file, line, col } => write!(f, "{file}:{line}:{col}"),
            Origin::Option(o) => write!(f, "-o {o}"),
            Origin::Builtin => f.write_str("<defaults>"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar's text; `plain` when it was written without quotes (only plain scalars can be null).
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Keys in file order; a repeated key keeps its last value.
    Map(Vec<(String, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub at: Origin,
}

impl Node {
    pub fn scalar(text: impl Into<String>, at: Origin) -> Node {
        Node {
            value: Value::Scalar {
                text: text.into(),
                plain: true,
            },
            at,
        }
    }

    pub fn map(at: Origin) -> Node {
        Node {
            value: Value::Map(Vec::new()),
            at,
        }
    }

    /// `~`, `null`, or nothing at all: the key is as good as absent (yaml-cpp's IsNull).
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(String, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The value of `key` in a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The value of `key` in a map, created (as null) when absent; a non-map becomes a map.
    pub fn entry(&mut self, key: &str, at: &Origin) -> &mut Node {
        if !matches!(self.value, Value::Map(_)) {
            self.value = Value::Map(Vec::new());
        }
        let Value::Map(m) = &mut self.value else {
            unreachable!("made a map above")
        };
        let i = match m.iter().rposition(|(k, _)| k == key) {
            Some(i) => i,
            None => {
                m.push((key.to_string(), Node::scalar("", at.clone())));
                m.len() - 1
            }
        };
        &mut m[i].1
    }

    /// Sets `key` in a map (replacing its value).
    pub fn set(&mut self, key: &str, value: Node) {
        let at = value.at.clone();
        *self.entry(key, &at) = value;
    }

    /// How the value reads in a message: `'text'`, `a list`, `a map`.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Scalar { .. } if self.is_null() => "nothing (null)".to_string(),
            Value::Scalar { text, .. } => format!("'{text}'"),
            Value::Seq(_) => "a list".to_string(),
            Value::Map(_) => "a map".to_string(),
        }
    }

    /// Calls `f` on every scalar value (map keys excluded), as Falco's environment expansion does.
    pub fn for_each_scalar_mut(&mut self, f: &mut impl FnMut(&mut String)) {
        match &mut self.value {
            Value::Scalar { text, .. } => f(text),
            Value::Seq(s) => s.iter_mut().for_each(|n| n.for_each_scalar_mut(f)),
            Value::Map(m) => m.iter_mut().for_each(|(_, n)| n.for_each_scalar_mut(f)),
        }
    }
}

/// A scalar as a boolean, as yaml-cpp converts it: y/n, yes/no, true/false, on/off, written all
/// lower case, all upper case, or capitalised.
pub fn parse_bool(s: &str) -> Option<bool> {
    let flexible = s == s.to_ascii_lowercase()
        || s == s.to_ascii_uppercase()
        || (s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && s[1..] == s[1..].to_ascii_lowercase());
    if !flexible {
        return None;
    }
    match s.to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" | "on" => Some(true),
        "n" | "no" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// A scalar as an integer: decimal with an optional sign, `0x` hexadecimal or `0o` octal.
pub fn parse_int(s: &str) -> Option<i128> {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = if let Some(h) = body.strip_prefix("0x") {
        i128::from_str_radix(h, 16).ok()?
    } else if let Some(o) = body.strip_prefix("0o") {
        i128::from_str_radix(o, 8).ok()?
    } else if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
        body.parse().ok()?
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

/// A scalar as a number: anything an integer is, decimals (`.1`, `1e3`), and YAML's `.inf`/`.nan`.
pub fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    match t {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(t) {
        return Some(i as f64);
    }
    // Rust also reads "inf" and "nan", which YAML does not.
    if t.chars()
        .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    t.parse().ok()
}

/// A YAML syntax error, or a file that expands beyond [`MAX_NODES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub at: Origin,
    pub message: String,
}

struct Builder {
    file: Arc<str>,
    stack: Vec<(Node, Option<String>)>,
    docs: Vec<Node>,
    anchors: Vec<(usize, Node)>,
    /// Anchors of the collections being built, innermost last.
    open_anchors: Vec<usize>,
    nodes: usize,
    error: Option<YamlError>,
}

impl Builder {
    fn origin(&self, m: Marker) -> Origin {
        Origin::File {
            file: self.file.clone(),
            line: m.line(),
            col: m.col() + 1,
        }
    }

    fn fail(&mut self, at: Origin, message: String) {
        if self.error.is_none() {
            self.error = Some(YamlError { at, message });
        }
    }

    /// Adds `n` nodes (an alias's expansion when `alias`) to the budget; false once it is spent.
    fn count(&mut self, n: usize, at: &Origin, alias: bool) -> bool {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            let what = if alias {
                "aliases expand"
            } else {
                "the document expands"
            };
            self.fail(at.clone(), format!("{what} to more than {MAX_NODES} nodes"));
            return false;
        }
        true
    }

    fn push_value(&mut self, n: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(n),
            Some((parent, pending)) => match &mut parent.value {
                Value::Seq(v) => v.push(n),
                Value::Map(m) => match pending.take() {
                    None => {
                        // A key: yaml-cpp keys are scalars; collections as keys are kept as text.
                        *pending = Some(n.as_text().unwrap_or("?").to_string());
                        if m.is_empty() {
                            // A block map is marked after its first key: start it at the key.
                            parent.at = n.at;
                        }
                    }
                    Some(k) => {
                        if let Some(i) = m.iter().position(|(x, _)| *x == k) {
                            m.remove(i);
                        }
                        m.push((k, n));
                    }
                },
                Value::Scalar { .. } => {}
            },
        }
    }
}

fn node_count(n: &Node) -> usize {
    1 + match &n.value {
        Value::Scalar { .. } => 0,
        Value::Seq(s) => s.iter().map(node_count).sum(),
        Value::Map(m) => m.iter().map(|(_, v)| 1 + node_count(v)).sum(),
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, m: Marker) {
        if self.error.is_some() {
            return;
        }
        let at = self.origin(m);
        match ev {
            Event::Scalar(text, style, anchor, _) => {
                if !self.count(1, &at, false) {
                    return;
                }
                let n = Node {
                    value: Value::Scalar {
                        text,
                        plain: style == TScalarStyle::Plain,
                    },
                    at,
                };
                if anchor > 0 {
                    self.anchors.push((anchor, n.clone()));
                }
                self.push_value(n);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if !self.count(1, &at, false) {
                    return;
                }
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(at, format!("nesting is deeper than {MAX_DEPTH} levels"));
                    return;
                }
                let value = if matches!(ev, Event::SequenceStart(..)) {
                    Value::Seq(Vec::new())
                } else {
                    Value::Map(Vec::new())
                };
                self.open_anchors.push(anchor);
                self.stack.push((Node { value, at }, None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let anchor = self.open_anchors.pop().unwrap_or(0);
                if let Some((n, _)) = self.stack.pop() {
                    if anchor > 0 {
                        self.anchors.push((anchor, n.clone()));
                    }
                    self.push_value(n);
                }
            }
            Event::Alias(id) => {
                let found = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n);
                match found {
                    Some(n) => {
                        let size = node_count(n);
                        let n = n.clone();
                        if self.count(size, &at, true) {
                            self.push_value(n);
                        }
                    }
                    None => self.fail(at, "unknown alias".to_string()),
                }
            }
            _ => {}
        }
    }
}

/// Parses the first document of `text` (`file` names it in positions). An empty document is an
/// empty map.
pub fn parse(text: &str, file: &str) -> Result<Node, YamlError> {
    let file: Arc<str> = Arc::from(file);
    let mut b = Builder {
        file: file.clone(),
        stack: Vec::new(),
        docs: Vec::new(),
        anchors: Vec::new(),
        open_anchors: Vec::new(),
        nodes: 0,
        error: None,
    };
    let mut p = Parser::new_from_str(text);
    p.load(&mut b, false).map_err(|e| YamlError {
        at: Origin::File {
            file: file.clone(),
            line: e.marker().line(),
            col: e.marker().col() + 1,
        },
        message: e.info().to_string(),
    })?;
    if let Some(e) = b.error {
        return Err(e);
    }
    let root = b.docs.into_iter().next();
    Ok(match root {
        Some(n) if !n.is_null() => n,
        _ => Node::map(Origin::File {
            file,
            line: 1,
            col: 1,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_as_yaml_cpp_reads_them() {
        for t in [
            "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y",
        ] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in [
            "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N",
        ] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for x in ["tRuE", "1", "0", "", "enabled", "yEs"] {
            assert_eq!(parse_bool(x), None, "{x}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_int("42"), Some(42));
        assert_eq!(parse_int("-3"), Some(-3));
        assert_eq!(parse_int("0x10"), Some(16));
        assert_eq!(parse_int("0o10"), Some(8));
        assert_eq!(parse_int("4.0"), None);
        assert_eq!(parse_float(".1"), Some(0.1));
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float("-.inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float("inf"), None);
        assert_eq!(parse_float("abc"), None);
    }

    #[test]
    fn positions_and_last_key_wins() {
        let n = parse("a: 1\nb:\n  c: [x, 'y']\na: 2\n", "f.yaml").unwrap();
        assert_eq!(n.get("a").unwrap().as_text(), Some("2"));
        let c = n.get("b").unwrap().get("c").unwrap();
        assert_eq!(c.as_seq().unwrap().len(), 2);
        let y = &c.as_seq().unwrap()[1];
        assert_eq!(
            y.value,
            Value::Scalar {
                text: "y".into(),
                plain: false
            }
        );
        assert_eq!(y.at.to_string(), "f.yaml:3:10");
        assert_eq!(n.get("b").unwrap().at.to_string(), "f.yaml:3:3");
        assert!(parse("", "e").unwrap().as_map().unwrap().is_empty());
        assert!(parse("a: [\n", "e").is_err());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse(&text, "bomb.yaml").unwrap_err();
        assert!(e.message.contains("aliases expand to more than"), "{e:?}");
        // Deep nesting is refused near 256 levels (by the YAML parser's own recursion limit or
        // by MAX_DEPTH, whichever comes first), never by the stack.
        let deep = "a: ".to_string() + &"[".repeat(100_000);
        let e = parse(&deep, "deep.yaml").unwrap_err();
        assert!(
            matches!(e.at, Origin::File { col, .. } if col <= MAX_DEPTH + 8),
            "{e:?}"
        );
        // Ordinary aliases still work.
        let n = parse("x: &v 5\ny: *v\n", "ok").unwrap();
        assert_eq!(n.get("y").unwrap().as_text(), Some("5"));
    }
}
