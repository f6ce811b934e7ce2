//! YAML documents as trees that remember where each node starts, so every message about a rules or
//! configuration file can name file:line:col. Shared by the rules loader and falco.yaml.
//!
//! The event parser is libyaml's (the safe Rust port `libyaml-safer`): like Falco's yaml-cpp it
//! reads flow collections whose closing bracket sits at the indentation of their key, which
//! YAML 1.2's indentation rule (and yaml-rust2 or saphyr) refuse, and which Falco's own rules
//! files contain.
//!
//! Input is bounded: aliases may expand to at most [`Limits::alias_nodes`] nodes and
//! [`Limits::alias_bytes`] bytes of scalars in all, and collections nest at most
//! [`Limits::depth`] deep, so a small file cannot ask for gigabytes (an "alias bomb") or overflow
//! the stack of whatever walks the tree.

mod parser_guard;
mod scalar_map;

use std::collections::HashMap;

use libyaml_safer::{EventData, Mark, Parser, ScalarStyle};

pub use scalar_map::{ScalarMap, offset_pos};

/// A position in a file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// How a scalar was written: it decides how positions inside its value map back to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|` block.
    Literal,
    /// `>` block.
    Folded,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar { value: String, style: Style },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A plain `~`/`null`/empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, style: Style::Plain }
            if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A boolean as yaml-cpp reads one (`true`, `yes`, `on`, `y` and their negations, in the
    /// three usual cases).
    pub fn as_bool(&self) -> Option<bool> {
        match self.as_str()? {
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
                Some(true)
            }
            "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n"
            | "N" => Some(false),
            _ => None,
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar { .. } if self.is_null() => "null",
            NodeKind::Scalar { .. } => "a scalar",
            NodeKind::Seq(_) => "a sequence",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// The value of `key` in a mapping (the first, when the key repeats, as yaml-cpp).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(kv) => kv
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Bounds on what one parse may build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Nodes that alias references may add, over the whole stream.
    pub alias_nodes: usize,
    /// Scalar bytes that alias references may add, over the whole stream.
    pub alias_bytes: usize,
    /// Deepest nesting of collections.
    pub depth: usize,
}

impl Limits {
    /// 100,000 aliased nodes, 16 MiB of aliased scalars, 256 levels: far beyond any rules or
    /// configuration file, far below what hurts (a few tens of MB).
    pub const DEFAULT: Limits = Limits {
        alias_nodes: 100_000,
        alias_bytes: 16 << 20,
        depth: 256,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// Why a YAML text was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    #[error("{message}")]
    Syntax { pos: Pos, message: String },
    #[error("invalid UTF-8 (byte 0x{byte:02x}): the file must be UTF-8")]
    NotUtf8 { pos: Pos, byte: u8 },
    #[error("control character U+{code:04X} is not allowed in YAML")]
    ControlChar { pos: Pos, code: u32 },
    #[error("unknown anchor '{name}'")]
    UnknownAnchor { pos: Pos, name: String },
    #[error("aliases expand to more than {limit} {what}")]
    AliasLimit {
        pos: Pos,
        limit: usize,
        what: &'static str,
    },
    #[error("collections nest more than {limit} deep")]
    TooDeep { pos: Pos, limit: usize },
}

impl YamlError {
    pub fn pos(&self) -> Pos {
        match self {
            YamlError::Syntax { pos, .. }
            | YamlError::NotUtf8 { pos, .. }
            | YamlError::ControlChar { pos, .. }
            | YamlError::UnknownAnchor { pos, .. }
            | YamlError::AliasLimit { pos, .. }
            | YamlError::TooDeep { pos, .. } => *pos,
        }
    }
}

/// The text of a file's bytes: UTF-8 without its byte-order mark. Refuses invalid UTF-8 and the
/// control characters YAML forbids, at their line and column.
pub fn decode(bytes: &[u8]) -> Result<&str, YamlError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.valid_up_to();
            // The prefix is valid, so slicing there is on a char boundary.
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
            let (line, col) = crate::filter::error::line_col(prefix, good);
            return Err(YamlError::NotUtf8 {
                pos: Pos { line, col },
                byte: bytes[good],
            });
        }
    };
    if let Some((off, c)) = text.char_indices().find(|(_, c)| !printable(*c)) {
        return Err(YamlError::ControlChar {
            pos: offset_pos(text, off),
            code: c as u32,
        });
    }
    Ok(text)
}

/// The characters YAML allows in a stream (libyaml's reader refuses the others).
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\x20'..='\x7E' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn pos(m: Mark) -> Pos {
    Pos {
        line: m.line as usize + 1,
        col: m.column as usize + 1,
    }
}

/// Parses every document of `text` with [`Limits::DEFAULT`].
pub fn parse(text: &str) -> Result<Vec<Node>, YamlError> {
    parse_with(text, Limits::DEFAULT)
}

/// An anchored node and what it costs to repeat it.
struct Anchor {
    node: Node,
    nodes: usize,
    bytes: usize,
}

struct Builder {
    limits: Limits,
    /// Open collections with the key waiting for its value (mappings only).
    stack: Vec<(Node, Option<Node>, Option<String>)>,
    docs: Vec<Node>,
    anchors: HashMap<String, Anchor>,
    alias_nodes: usize,
    alias_bytes: usize,
}

fn cost(n: &Node) -> (usize, usize) {
    match &n.kind {
        NodeKind::Scalar { value, .. } => (1, value.len()),
        NodeKind::Seq(v) => v
            .iter()
            .map(cost)
            .fold((1, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
        NodeKind::Map(v) => v
            .iter()
            .flat_map(|(k, v)| [cost(k), cost(v)])
            .fold((1, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
    }
}

impl Builder {
    fn push_value(&mut self, n: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(n),
            Some((parent, pending_key, _)) => match &mut parent.kind {
                NodeKind::Seq(v) => v.push(n),
                NodeKind::Map(v) => match pending_key.take() {
                    None => *pending_key = Some(n),
                    Some(k) => v.push((k, n)),
                },
                NodeKind::Scalar { .. } => {}
            },
        }
    }

    fn anchor(&mut self, name: Option<String>, n: &Node) {
        if let Some(name) = name {
            let (nodes, bytes) = cost(n);
            let node = n.clone();
            self.anchors.insert(name, Anchor { node, nodes, bytes });
        }
    }

    fn alias(&mut self, name: &str, at: Pos) -> Result<(), YamlError> {
        let Some(a) = self.anchors.get(name) else {
            return Err(YamlError::UnknownAnchor {
                pos: at,
                name: name.to_string(),
            });
        };
        self.alias_nodes = self.alias_nodes.saturating_add(a.nodes);
        self.alias_bytes = self.alias_bytes.saturating_add(a.bytes);
        if self.alias_nodes > self.limits.alias_nodes {
            return Err(YamlError::AliasLimit {
                pos: at,
                limit: self.limits.alias_nodes,
                what: "nodes",
            });
        }
        if self.alias_bytes > self.limits.alias_bytes {
            return Err(YamlError::AliasLimit {
                pos: at,
                limit: self.limits.alias_bytes,
                what: "bytes",
            });
        }
        let mut n = a.node.clone();
        n.pos = at;
        self.push_value(n);
        Ok(())
    }

    fn open(&mut self, kind: NodeKind, at: Pos, anchor: Option<String>) -> Result<(), YamlError> {
        if self.stack.len() >= self.limits.depth {
            return Err(YamlError::TooDeep {
                pos: at,
                limit: self.limits.depth,
            });
        }
        self.stack.push((Node { kind, pos: at }, None, anchor));
        Ok(())
    }

    fn close(&mut self) {
        if let Some((n, _, anchor)) = self.stack.pop() {
            self.anchor(anchor, &n);
            self.push_value(n);
        }
    }
}

/// Parses every document of `text` within `limits`.
pub fn parse_with(text: &str, limits: Limits) -> Result<Vec<Node>, YamlError> {
    if let Some(pos) = parser_guard::refused_at(text) {
        return Err(YamlError::Syntax {
            pos,
            message: "while scanning a tag: a tag directly before ',' in a flow collection".into(),
        });
    }
    parse_events(&parser_guard::terminated(text), limits)
}

fn parse_events(text: &str, limits: Limits) -> Result<Vec<Node>, YamlError> {
    let mut input = text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    let mut b = Builder {
        limits,
        stack: Vec::new(),
        docs: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        alias_bytes: 0,
    };
    let mut last = Pos { line: 1, col: 1 };
    loop {
        // libyaml-safer still panics on some input it has no rule for: an error at the last
        // position it reached.
        let ev = parser_guard::contained(|| parser.parse())
            .ok_or_else(|| YamlError::Syntax {
                pos: last,
                message: "the YAML parser cannot read this input".into(),
            })?
            .map_err(|e| syntax_error(text, &e))?;
        let at = pos(ev.start_mark);
        last = at;
        match ev.data {
            EventData::StreamEnd => break,
            EventData::Scalar {
                anchor,
                value,
                style,
                ..
            } => {
                let style = match style {
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                    _ => Style::Plain,
                };
                let n = Node {
                    kind: NodeKind::Scalar { value, style },
                    pos: at,
                };
                b.anchor(anchor, &n);
                b.push_value(n);
            }
            EventData::Alias { anchor } => b.alias(&anchor, at)?,
            EventData::SequenceStart { anchor, .. } => {
                b.open(NodeKind::Seq(Vec::new()), at, anchor)?
            }
            EventData::MappingStart { anchor, .. } => {
                b.open(NodeKind::Map(Vec::new()), at, anchor)?
            }
            EventData::SequenceEnd | EventData::MappingEnd => b.close(),
            EventData::DocumentStart { .. } => b.anchors.clear(),
            EventData::DocumentEnd { .. } | EventData::StreamStart { .. } => {}
        }
    }
    Ok(b.docs)
}

fn syntax_error(text: &str, e: &libyaml_safer::Error) -> YamlError {
    let mark = e.problem_mark().or(e.context_mark());
    let pos = mark.map_or_else(|| offset_pos(text, text.len()), pos);
    let message = match e.context() {
        Some(c) => format!("{c}: {}", e.problem()),
        None => e.problem().to_string(),
    };
    YamlError::Syntax { pos, message }
}

#[cfg(test)]
mod tests;
