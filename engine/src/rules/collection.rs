//! What rules files define, before compilation: lists, macros and rules in Falco's order, with
//! `append`, `override` and redefinition already applied, and the versions the files require.
//!
//! Order follows Falco's collector: every definition or append takes the next number; an item
//! keeps the position (`index`) of its first definition, and `visibility` is the number of its
//! latest definition or append. A list sees the lists numbered before its visibility; a macro
//! sees the macros numbered before its visibility.

use std::sync::Arc;

use super::diag::Location;
use super::priority::Priority;
use crate::yaml::{Pos, ScalarMap, Style};

/// A piece of condition or output text and where it came from.
#[derive(Debug, Clone)]
pub struct Segment {
    pub text: String,
    pub file: Arc<str>,
    pub source: Arc<str>,
    pub pos: Pos,
    pub style: Style,
}

/// Text built from one or more segments (appends), joined by a space.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub segments: Vec<Segment>,
}

impl Text {
    pub fn one(seg: Segment) -> Text {
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

    /// Where the text starts.
    pub fn start(&self) -> Option<Location> {
        self.segments.first().map(|s| Location::new(&s.file, s.pos))
    }
}

#[derive(Debug, Clone)]
pub struct ListDef {
    pub name: String,
    pub items: Vec<String>,
    pub loc: Location,
    pub index: u32,
    pub visibility: u32,
}

#[derive(Debug, Clone)]
pub struct MacroDef {
    pub name: String,
    pub condition: Text,
    pub loc: Location,
    pub index: u32,
    pub visibility: u32,
}

/// One entry of an exception's `fields`, `comps` or `values`: a string or a list of entries.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    One(String),
    Many(Vec<Entry>),
}

impl Entry {
    pub fn is_list(&self) -> bool {
        matches!(self, Entry::Many(_))
    }
}

#[derive(Debug, Clone)]
pub struct ExceptionDef {
    pub name: String,
    /// None when an append gives only values.
    pub fields: Option<Entry>,
    /// None when not given (then `=` for each field, or `in` for a single field).
    pub comps: Option<Entry>,
    pub values: Vec<(Entry, Location)>,
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
    /// Sorted and unique, as Falco keeps them.
    pub tags: Vec<String>,
    pub source: String,
    pub exceptions: Vec<ExceptionDef>,
    pub warn_evttypes: bool,
    pub skip_if_unknown_filter: bool,
    pub capture: bool,
    pub capture_duration: u64,
    pub loc: Location,
    pub index: u32,
    pub visibility: u32,
}

/// One plugin a rules file requires, with the alternatives that would do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginRequirement {
    /// (name, minimum version) pairs; any one satisfies the requirement.
    pub alternatives: Vec<(String, String)>,
    pub loc: Location,
}

/// Every definition loaded so far.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    pub lists: Vec<ListDef>,
    pub macros: Vec<MacroDef>,
    pub rules: Vec<RuleDef>,
    /// The number the next definition or append takes.
    pub next: u32,
    /// The highest `required_engine_version` seen.
    pub required_engine_version: Option<String>,
    pub required_plugins: Vec<PluginRequirement>,
}

impl Collection {
    pub fn take_number(&mut self) -> u32 {
        let n = self.next;
        self.next += 1;
        n
    }
}
