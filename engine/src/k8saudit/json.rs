//! A read-only JSON document: parsed once into a flat table of nodes that point into the original
//! text, so fields are read without copying, object keys keep their order, and numbers keep the
//! text they were written with (what the k8saudit and json plugins print for non-string values).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Deepest nesting accepted; deeper documents are rejected rather than recursed into.
pub const MAX_DEPTH: usize = 256;

/// Why a document could not be parsed: a message and the byte offset it happened at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSON at byte {offset}: {msg}")]
pub struct JsonError {
    pub offset: usize,
    pub msg: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    /// A string; `escaped` when its text has backslash escapes to decode.
    String {
        escaped: bool,
    },
    Array,
    Object,
}

/// One value: where its text is and, for arrays and objects, where its subtree ends. An object's
/// children alternate key (a string node) and value.
#[derive(Debug, Clone, Copy)]
struct Node {
    kind: Kind,
    /// Byte range of the value's text; for strings, without the quotes.
    start: u32,
    end: u32,
    /// Index of the first node after this node's subtree.
    next: u32,
}

/// A parsed document that owns its text.
#[derive(Debug)]
pub struct Doc {
    text: Box<str>,
    nodes: Vec<Node>,
}

impl Doc {
    /// Parses `text` (one JSON value, surrounded by optional whitespace).
    pub fn parse(text: impl Into<Box<str>>) -> Result<Doc, JsonError> {
        let text: Box<str> = text.into();
        if text.len() > u32::MAX as usize {
            return Err(JsonError {
                offset: 0,
                msg: "document larger than 4 GiB",
            });
        }
        let mut p = Parser {
            b: text.as_bytes(),
            i: 0,
            nodes: Vec::with_capacity(text.len() / 16),
        };
        p.ws();
        p.value(0)?;
        p.ws();
        if p.i != p.b.len() {
            return p.err("unexpected data after the value");
        }
        let nodes = p.nodes;
        Ok(Doc { text, nodes })
    }

    pub fn root(&self) -> Val<'_> {
        Val { doc: self, idx: 0 }
    }

    /// The value at node `idx` (an index from [`Val::index_in_doc`]).
    pub fn at(&self, idx: u32) -> Option<Val<'_>> {
        ((idx as usize) < self.nodes.len()).then_some(Val { doc: self, idx })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Heap bytes the document holds (its text and node table).
    pub fn heap_bytes(&self) -> usize {
        self.text.len() + self.nodes.capacity() * std::mem::size_of::<Node>()
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    nodes: Vec<Node>,
}

impl Parser<'_> {
    fn err<T>(&self, msg: &'static str) -> Result<T, JsonError> {
        Err(JsonError {
            offset: self.i,
            msg,
        })
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn push(&mut self, kind: Kind, start: usize) -> usize {
        self.nodes.push(Node {
            kind,
            start: start as u32,
            end: start as u32,
            next: 0,
        });
        self.nodes.len() - 1
    }

    fn finish(&mut self, n: usize, end: usize) {
        let next = self.nodes.len() as u32;
        let node = &mut self.nodes[n];
        node.end = end as u32;
        node.next = next;
    }

    fn value(&mut self, depth: usize) -> Result<(), JsonError> {
        if depth >= MAX_DEPTH {
            return self.err("nesting too deep");
        }
        match self.b.get(self.i) {
            Some(b'{') => self.container(depth, b'}', true),
            Some(b'[') => self.container(depth, b']', false),
            Some(b'"') => self.string(),
            Some(b't') => self.literal(b"true", Kind::Bool),
            Some(b'f') => self.literal(b"false", Kind::Bool),
            Some(b'n') => self.literal(b"null", Kind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.err("unexpected character"),
            None => self.err("unexpected end of data"),
        }
    }

    fn container(&mut self, depth: usize, close: u8, object: bool) -> Result<(), JsonError> {
        let start = self.i;
        let n = self.push(if object { Kind::Object } else { Kind::Array }, start);
        self.i += 1;
        self.ws();
        if self.b.get(self.i) == Some(&close) {
            self.i += 1;
            self.finish(n, self.i);
            return Ok(());
        }
        loop {
            if object {
                if self.b.get(self.i) != Some(&b'"') {
                    return self.err("expected a string key");
                }
                self.string()?;
                self.ws();
                if self.b.get(self.i) != Some(&b':') {
                    return self.err("expected ':'");
                }
                self.i += 1;
                self.ws();
            }
            self.value(depth + 1)?;
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(c) if *c == close => {
                    self.i += 1;
                    self.finish(n, self.i);
                    return Ok(());
                }
                _ => return self.err("expected ',' or the end of the container"),
            }
        }
    }

    fn string(&mut self) -> Result<(), JsonError> {
        self.i += 1;
        let start = self.i;
        let mut escaped = false;
        loop {
            // Jump to the next byte that ends or escapes the string.
            match memchr::memchr3(b'"', b'\\', b'\n', &self.b[self.i..]) {
                None => {
                    self.i = self.b.len();
                    return self.err("unterminated string");
                }
                Some(off) => self.i += off,
            }
            let skipped = &self.b[start..self.i];
            if skipped.iter().any(|&c| c < 0x20) {
                return self.err("control character in string");
            }
            match self.b[self.i] {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.i += 1;
                    match self.b.get(self.i) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            let hex = self.b.get(self.i + 1..self.i + 5);
                            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                                return self.err("bad \\u escape");
                            }
                            self.i += 5;
                        }
                        _ => return self.err("bad escape"),
                    }
                }
                _ => return self.err("control character in string"),
            }
        }
        let n = self.push(Kind::String { escaped }, start);
        self.finish(n, self.i);
        self.i += 1;
        Ok(())
    }

    fn literal(&mut self, word: &[u8], kind: Kind) -> Result<(), JsonError> {
        if !self.b[self.i..].starts_with(word) {
            return self.err("unexpected word");
        }
        let n = self.push(kind, self.i);
        self.i += word.len();
        self.finish(n, self.i);
        Ok(())
    }

    fn number(&mut self) -> Result<(), JsonError> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.b.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i - s
        };
        if self.b[self.i] == b'-' {
            self.i += 1;
        }
        let int_start = self.i;
        let n = digits(self);
        if n == 0 || (n > 1 && self.b[int_start] == b'0') {
            return self.err("bad number");
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return self.err("bad number");
            }
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return self.err("bad number");
            }
        }
        let node = self.push(Kind::Number, start);
        self.finish(node, self.i);
        Ok(())
    }
}

/// A value inside a [`Doc`].
#[derive(Clone, Copy)]
pub struct Val<'d> {
    doc: &'d Doc,
    idx: u32,
}

impl std::fmt::Debug for Val<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.raw())
    }
}

impl<'d> Val<'d> {
    fn node(&self) -> Node {
        self.doc.nodes[self.idx as usize]
    }

    pub fn kind(&self) -> Kind {
        self.node().kind
    }

    /// This value's position in its document (for [`Doc::at`]).
    pub fn index_in_doc(&self) -> u32 {
        self.idx
    }

    /// The value's text as written (strings without their quotes and still escaped).
    pub fn raw(&self) -> &'d str {
        let n = self.node();
        &self.doc.text[n.start as usize..n.end as usize]
    }

    /// The direct children: array items, or alternating keys and values of an object.
    fn children(&self) -> impl Iterator<Item = Val<'d>> + 'd {
        let n = self.node();
        let doc = self.doc;
        let mut i = self.idx + 1;
        let container = matches!(n.kind, Kind::Array | Kind::Object);
        std::iter::from_fn(move || {
            if !container || i >= n.next {
                return None;
            }
            let v = Val { doc, idx: i };
            i = doc.nodes[i as usize].next;
            Some(v)
        })
    }

    /// An array's items (nothing for other values).
    pub fn items(&self) -> impl Iterator<Item = Val<'d>> + 'd {
        let is_array = self.kind() == Kind::Array;
        self.children().filter(move |_| is_array)
    }

    /// An object's members in document order (nothing for other values).
    pub fn entries(&self) -> impl Iterator<Item = (Val<'d>, Val<'d>)> + 'd {
        let is_object = self.kind() == Kind::Object;
        let mut it = self.children().filter(move |_| is_object);
        std::iter::from_fn(move || Some((it.next()?, it.next()?)))
    }

    /// Member `key` of an object (the first one, when a key repeats), or item `key` of an array
    /// when `key` is a decimal index: the lookup the json plugin does for each pointer segment.
    pub fn get(&self, key: &str) -> Option<Val<'d>> {
        let n = self.node();
        let nodes = &self.doc.nodes;
        match n.kind {
            Kind::Object => {
                // Keys are compared by length first, then bytes; escaped keys are decoded.
                let text = self.doc.text.as_bytes();
                let mut i = self.idx + 1;
                while i < n.next {
                    let k = nodes[i as usize];
                    let v = i + 1;
                    let hit = match k.kind {
                        Kind::String { escaped: false } => {
                            (k.end - k.start) as usize == key.len()
                                && &text[k.start as usize..k.end as usize] == key.as_bytes()
                        }
                        _ => Val {
                            doc: self.doc,
                            idx: i,
                        }
                        .str_eq(key),
                    };
                    if hit {
                        return Some(Val {
                            doc: self.doc,
                            idx: v,
                        });
                    }
                    i = nodes[v as usize].next;
                }
                None
            }
            Kind::Array => {
                let i: usize = key.parse().ok()?;
                self.items().nth(i)
            }
            _ => None,
        }
    }

    /// Follows `keys` through nested objects.
    pub fn path(&self, keys: &[&str]) -> Option<Val<'d>> {
        keys.iter().try_fold(*self, |v, k| v.get(k))
    }

    fn str_eq(&self, s: &str) -> bool {
        match self.kind() {
            Kind::String { escaped: false } => self.raw() == s,
            Kind::String { escaped: true } => self.as_str().is_some_and(|v| v == s),
            _ => false,
        }
    }

    /// A string's decoded value (None for other values).
    pub fn as_str(&self) -> Option<Cow<'d, str>> {
        match self.kind() {
            Kind::String { escaped: false } => Some(Cow::Borrowed(self.raw())),
            Kind::String { escaped: true } => Some(Cow::Owned(unescape(self.raw()))),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        (self.kind() == Kind::Bool).then(|| self.raw() == "true")
    }

    /// The value as the plugins turn it into a string: a string's decoded value, anything else as
    /// compact JSON.
    pub fn to_text(&self) -> Cow<'d, str> {
        match self.kind() {
            Kind::String { .. } => self.as_str().unwrap_or_default(),
            Kind::Null | Kind::Bool | Kind::Number => Cow::Borrowed(self.raw()),
            Kind::Array | Kind::Object => {
                let mut s = String::with_capacity(self.raw().len());
                self.write_compact(&mut s);
                Cow::Owned(s)
            }
        }
    }

    /// Appends the value as compact JSON.
    pub fn write_compact(&self, out: &mut String) {
        match self.kind() {
            Kind::String { .. } => {
                out.push('"');
                out.push_str(self.raw());
                out.push('"');
            }
            Kind::Array => {
                out.push('[');
                for (i, v) in self.items().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_compact(out);
                }
                out.push(']');
            }
            Kind::Object => {
                out.push('{');
                for (i, (k, v)) in self.entries().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    k.write_compact(out);
                    out.push(':');
                    v.write_compact(out);
                }
                out.push('}');
            }
            _ => out.push_str(self.raw()),
        }
    }

    /// Appends the value indented by two spaces per level, as Go's `json.Indent` lays it out.
    pub fn write_indented(&self, out: &mut String, level: usize) {
        let pad = |out: &mut String, l: usize| {
            out.push('\n');
            for _ in 0..l {
                out.push_str("  ");
            }
        };
        match self.kind() {
            Kind::Array | Kind::Object => {
                let object = self.kind() == Kind::Object;
                out.push(if object { '{' } else { '[' });
                let mut any = false;
                if object {
                    for (i, (k, v)) in self.entries().enumerate() {
                        out.push_str(if i > 0 { "," } else { "" });
                        pad(out, level + 1);
                        k.write_compact(out);
                        out.push_str(": ");
                        v.write_indented(out, level + 1);
                        any = true;
                    }
                } else {
                    for (i, v) in self.items().enumerate() {
                        out.push_str(if i > 0 { "," } else { "" });
                        pad(out, level + 1);
                        v.write_indented(out, level + 1);
                        any = true;
                    }
                }
                if any {
                    pad(out, level);
                }
                out.push(if object { '}' } else { ']' });
            }
            _ => self.write_compact(out),
        }
    }
}

/// Decodes the escapes of a string's text (already checked by the parser).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices();
    let b = s.as_bytes();
    let hex = |at: usize| u32::from_str_radix(s.get(at..at + 4).unwrap_or("0"), 16).unwrap_or(0);
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else { break };
        match e {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let mut cp = hex(i + 2);
                for _ in 0..4 {
                    chars.next();
                }
                // A surrogate pair spans two escapes.
                if (0xD800..0xDC00).contains(&cp) && b.get(i + 6..i + 8) == Some(b"\\u") {
                    let lo = hex(i + 8);
                    if (0xDC00..0xE000).contains(&lo) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        for _ in 0..6 {
                            chars.next();
                        }
                    }
                }
                out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
            }
            other => out.push(other),
        }
    }
    out
}

/// Writes `s` as a JSON string literal (quotes included).
pub fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_number_text() {
        let d = Doc::parse(r#" {"b": 1.50, "a": [true, null, "x\"y"], "c": {}} "#).unwrap();
        let r = d.root();
        assert_eq!(r.get("b").unwrap().to_text(), "1.50");
        assert_eq!(r.to_text(), r#"{"b":1.50,"a":[true,null,"x\"y"],"c":{}}"#);
        assert_eq!(r.path(&["a", "2"]).unwrap().to_text(), "x\"y");
        assert!(r.get("missing").is_none());
        let mut s = String::new();
        r.write_indented(&mut s, 0);
        assert_eq!(
            s,
            "{\n  \"b\": 1.50,\n  \"a\": [\n    true,\n    null,\n    \"x\\\"y\"\n  ],\n  \"c\": {}\n}"
        );
    }

    #[test]
    fn unicode_escapes() {
        let d = Doc::parse(r#"["\u00e9\ud83d\ude00\n"]"#).unwrap();
        assert_eq!(d.root().get("0").unwrap().to_text(), "é😀\n");
    }

    #[test]
    fn rejects_bad_documents_with_an_offset() {
        for (text, off) in [
            ("{", 1),
            ("{\"a\" 1}", 5),
            ("[1,]", 3),
            ("01", 2),
            ("\"a\nb\"", 2),
            ("[1] 2", 4),
            ("nul", 0),
            ("", 0),
        ] {
            let e = Doc::parse(text).unwrap_err();
            assert_eq!(e.offset, off, "{text:?}: {e}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(Doc::parse(deep).unwrap_err().msg, "nesting too deep");
    }
}
