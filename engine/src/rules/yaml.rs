//! YAML documents as trees that remember where each node starts, so every loader message can name
//! file:line:col. Built from yaml-rust2's event stream (serde_yaml keeps no node positions).

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A position in a file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar { value: String, style: TScalarStyle },
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
        matches!(&self.kind, NodeKind::Scalar { value, style: TScalarStyle::Plain } if value.is_empty() || value == "~" || value == "null" || value == "Null" || value == "NULL")
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.as_str()? {
            "true" | "True" | "TRUE" | "yes" | "Yes" | "on" | "On" => Some(true),
            "false" | "False" | "FALSE" | "no" | "No" | "off" | "Off" => Some(false),
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
}

/// A YAML syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

#[derive(Default)]
struct Builder {
    stack: Vec<(Node, Option<Node>)>,
    docs: Vec<Node>,
    anchors: Vec<(usize, Node)>,
    error: Option<YamlError>,
}

fn pos(m: Marker) -> Pos {
    Pos {
        line: m.line(),
        col: m.col() + 1,
    }
}

impl Builder {
    fn push_value(&mut self, n: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(n),
            Some((parent, pending_key)) => match &mut parent.kind {
                NodeKind::Seq(v) => v.push(n),
                NodeKind::Map(v) => match pending_key.take() {
                    None => *pending_key = Some(n),
                    Some(k) => v.push((k, n)),
                },
                NodeKind::Scalar { .. } => {}
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, m: Marker) {
        match ev {
            Event::Scalar(value, style, anchor, _) => {
                let n = Node {
                    kind: NodeKind::Scalar { value, style },
                    pos: pos(m),
                };
                if anchor > 0 {
                    self.anchors.push((anchor, n.clone()));
                }
                self.push_value(n);
            }
            Event::Alias(id) => {
                let n = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone());
                match n {
                    Some(n) => self.push_value(n),
                    None if self.error.is_none() => {
                        self.error = Some(YamlError {
                            pos: pos(m),
                            message: "unknown anchor".into(),
                        })
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }
}

/// Parses every document of `text`.
pub fn parse(text: &str) -> Result<Vec<Node>, YamlError> {
    let mut b = FixupBuilder::default();
    let mut p = Parser::new_from_str(text);
    p.load(&mut b, true).map_err(|e| YamlError {
        pos: pos(*e.marker()),
        message: e.info().to_string(),
    })?;
    if let Some(e) = b.inner.error {
        return Err(e);
    }
    Ok(b.inner.docs)
}

/// Adds collections to [`Builder`]: each starts without a pending key, and anchored ones are
/// remembered for aliases.
#[derive(Default)]
struct FixupBuilder {
    inner: Builder,
    collection_anchors: Vec<usize>,
}

impl MarkedEventReceiver for FixupBuilder {
    fn on_event(&mut self, ev: Event, m: Marker) {
        match ev {
            Event::SequenceStart(a, _) | Event::MappingStart(a, _) => {
                let kind = if matches!(ev, Event::SequenceStart(..)) {
                    NodeKind::Seq(Vec::new())
                } else {
                    NodeKind::Map(Vec::new())
                };
                self.collection_anchors.push(a);
                self.inner.stack.push((Node { kind, pos: pos(m) }, None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let a = self.collection_anchors.pop().unwrap_or(0);
                if let Some((mut n, _)) = self.inner.stack.pop() {
                    // yaml-rust2 marks a block mapping after its first key; the key's own
                    // position is where the mapping starts.
                    if let NodeKind::Map(kv) = &n.kind
                        && let Some((k, _)) = kv.first()
                    {
                        n.pos = k.pos;
                    }
                    if a > 0 {
                        self.inner.anchors.push((a, n.clone()));
                    }
                    self.inner.push_value(n);
                }
            }
            other => self.inner.on_event(other, m),
        }
    }
}

/// Maps byte offsets of a scalar's value back to file positions, by walking the value and the
/// source text side by side (folding and indentation only change whitespace).
pub struct ScalarMap<'a> {
    source: &'a str,
    start: usize,
}

impl<'a> ScalarMap<'a> {
    /// `source` is the whole file; `at` is where the scalar node starts.
    pub fn new(source: &'a str, at: Pos, style: TScalarStyle) -> ScalarMap<'a> {
        let line_start = source
            .split_inclusive('\n')
            .take(at.line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>();
        let mut start = line_start;
        for (i, (b, _)) in source[line_start..].char_indices().enumerate() {
            if i + 1 == at.col {
                start = line_start + b;
                break;
            }
        }
        // Block scalars are marked at their first content character, quoted ones at the quote.
        if matches!(
            style,
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
        ) {
            start += 1;
        }
        ScalarMap {
            source,
            start: start.min(source.len()),
        }
    }

    /// File position of byte `offset` of `value`, or None when the walk loses track.
    pub fn position(&self, value: &str, offset: usize) -> Option<Pos> {
        let src = self.source.as_bytes();
        let val = value.as_bytes();
        let mut j = self.start;
        for (i, &c) in val.iter().enumerate() {
            // Skip source characters the value does not have: indentation, folded line breaks,
            // escapes.
            while j < src.len() && src[j] != c {
                if !(src[j].is_ascii_whitespace()
                    || src[j] == b'\\'
                    || src[j] == b'\''
                    || src[j] == b'"')
                {
                    return None;
                }
                j += 1;
            }
            if j >= src.len() {
                return None;
            }
            if i == offset {
                return Some(offset_pos(self.source, j));
            }
            j += 1;
        }
        if offset >= val.len() {
            return Some(offset_pos(self.source, j.min(src.len())));
        }
        None
    }
}

/// Line and column of a byte offset.
pub fn offset_pos(text: &str, off: usize) -> Pos {
    let (line, col) = crate::filter::error::line_col(text, off);
    Pos { line, col }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_nodes() {
        let docs = parse("- rule: a\n  condition: >\n    evt.type = open\n    and x\n").unwrap();
        let NodeKind::Seq(items) = &docs[0].kind else {
            panic!()
        };
        assert_eq!(items[0].pos, Pos { line: 1, col: 3 });
        let NodeKind::Map(kv) = &items[0].kind else {
            panic!()
        };
        assert_eq!(kv[1].0.pos, Pos { line: 2, col: 3 });
        assert_eq!(kv[1].1.as_str(), Some("evt.type = open and x\n"));
    }

    #[test]
    fn maps_scalar_offsets_to_file_positions() {
        let src = "- rule: a\n  condition: >\n    evt.type = open\n    and x\n- macro: m\n  condition: proc.name = a and\n     fd.name = b\n";
        let docs = parse(src).unwrap();
        let NodeKind::Seq(items) = &docs[0].kind else {
            panic!()
        };
        for (item, off, want) in [
            (0, 20, Pos { line: 4, col: 9 }),
            (1, 18, Pos { line: 7, col: 6 }),
        ] {
            let NodeKind::Map(kv) = &items[item].kind else {
                panic!()
            };
            let v = &kv[1].1;
            let NodeKind::Scalar { value, style } = &v.kind else {
                panic!()
            };
            let m = ScalarMap::new(src, v.pos, *style);
            assert_eq!(m.position(value, off), Some(want), "{value:?}");
        }
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse("- rule: a\n  condition: [x\n").unwrap_err();
        assert_eq!(e.pos.line, 3);
        assert!(!e.message.is_empty());
    }

    #[test]
    fn aliases_resolve() {
        let docs = parse("- &a [x, y]\n- *a\n").unwrap();
        let NodeKind::Seq(items) = &docs[0].kind else {
            panic!()
        };
        assert_eq!(items[0].kind, items[1].kind);
    }
}
