//! Typed reads of a checked tree, by declared key: the declaration gives the default, so a key's
//! default is written once (in `keys.rs`). Reading a key that is not declared is a bug, caught by
//! the tests (every read of the defaults goes through here).

use std::cell::RefCell;

use super::schema::{self, Key};
use super::tree;
use super::yaml::{Node, Origin, Value, parse_bool, parse_float, parse_int};

pub struct Reader<'a> {
    pub root: &'a Node,
    /// Keys read so far (for the test that every declared key is used).
    read: RefCell<Vec<&'static str>>,
}

fn decl(path: &str) -> &'static Key {
    schema::key(path).unwrap_or_else(|| panic!("configuration key '{path}' is not declared"))
}

impl<'a> Reader<'a> {
    pub fn new(root: &'a Node) -> Reader<'a> {
        Reader {
            root,
            read: RefCell::new(Vec::new()),
        }
    }

    fn lookup(&self, path: &str) -> (&'static Key, Option<&'a Node>) {
        let k = decl(path);
        self.read.borrow_mut().push(k.path);
        (k, tree::get(self.root, path))
    }

    /// The node set for `path`, if any (for keys whose use reads structure).
    pub fn node(&self, path: &str) -> Option<&'a Node> {
        self.lookup(path).1
    }

    /// Whether the key is set (to something other than null).
    pub fn is_set(&self, path: &str) -> bool {
        self.lookup(path).1.is_some()
    }

    /// Where the key was set (its default: built in).
    pub fn origin(&self, path: &str) -> Origin {
        self.lookup(path)
            .1
            .map(|n| n.at.clone())
            .unwrap_or(Origin::Builtin)
    }

    fn text_of(&self, path: &str) -> String {
        let (k, n) = self.lookup(path);
        match n.and_then(Node::as_text) {
            Some(t) => t.to_string(),
            None => k.default.to_string(),
        }
    }

    pub fn bool(&self, path: &str) -> bool {
        parse_bool(&self.text_of(path)).unwrap_or(false)
    }

    pub fn int(&self, path: &str) -> i64 {
        parse_int(&self.text_of(path))
            .and_then(|v| i64::try_from(v).ok())
            .unwrap_or(0)
    }

    pub fn uint(&self, path: &str) -> u64 {
        self.int(path).max(0) as u64
    }

    pub fn float(&self, path: &str) -> f64 {
        parse_float(&self.text_of(path)).unwrap_or(0.0)
    }

    pub fn string(&self, path: &str) -> String {
        self.text_of(path)
    }

    /// A list of text; a single scalar is a list of one; the default when unset.
    pub fn strings(&self, path: &str) -> Vec<String> {
        let (k, n) = self.lookup(path);
        match n {
            Some(n) => strings_of(n),
            None => default_list(k.default),
        }
    }

    #[cfg(test)]
    pub fn keys_read(&self) -> Vec<&'static str> {
        self.read.borrow().clone()
    }
}

/// The text items of a list node (a scalar counts as a list of one).
pub fn strings_of(n: &Node) -> Vec<String> {
    match &n.value {
        Value::Scalar { text, .. } => vec![text.clone()],
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| i.as_text().map(str::to_string))
            .collect(),
        Value::Map(_) => Vec::new(),
    }
}

/// A default written as a YAML flow list (`[a, b]`).
fn default_list(text: &str) -> Vec<String> {
    let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
    inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::yaml::parse;

    #[test]
    fn defaults_come_from_the_declarations() {
        let root = parse("webserver:\n  listen_port: 9000\n", "f").unwrap();
        let r = Reader::new(&root);
        assert_eq!(r.int("webserver.listen_port"), 9000);
        assert_eq!(r.string("webserver.k8s_healthz_endpoint"), "/healthz");
        assert!(r.bool("webserver.enabled"));
        assert_eq!(r.float("syscall_event_drops.threshold"), 0.1);
        assert_eq!(
            r.strings("syscall_event_drops.actions"),
            vec!["log".to_string(), "alert".to_string()]
        );
        assert_eq!(r.strings("rules_files").len(), 3);
        assert_eq!(r.origin("webserver.listen_port").to_string(), "f:2:16");
    }

    #[test]
    #[should_panic(expected = "not declared")]
    fn undeclared_reads_are_bugs() {
        let root = parse("", "f").unwrap();
        Reader::new(&root).bool("no_such_key");
    }
}
