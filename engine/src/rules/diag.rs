//! Load errors and warnings: a code as Falco names it, the file:line:col, the item, and a plain
//! message.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::yaml::Pos;

/// Where something is in a rules file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<str>,
    pub line: usize,
    pub col: usize,
}

impl Location {
    pub fn new(file: &Arc<str>, pos: Pos) -> Location {
        Location {
            file: file.clone(),
            line: pos.line,
            col: pos.col,
        }
    }
}

impl Location {
    pub fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// Falco's load result codes.
pub mod code {
    pub const YAML_PARSE: &str = "LOAD_ERR_YAML_PARSE";
    pub const YAML_VALIDATE: &str = "LOAD_ERR_YAML_VALIDATE";
    pub const COMPILE_CONDITION: &str = "LOAD_ERR_COMPILE_CONDITION";
    pub const COMPILE_OUTPUT: &str = "LOAD_ERR_COMPILE_OUTPUT";
    pub const VALIDATE: &str = "LOAD_ERR_VALIDATE";
    pub const UNKNOWN_SOURCE: &str = "LOAD_UNKNOWN_SOURCE";
    pub const NO_EVTTYPE: &str = "LOAD_NO_EVTTYPE";
    pub const UNKNOWN_FILTER: &str = "LOAD_UNKNOWN_FILTER";
    pub const UNUSED_MACRO: &str = "LOAD_UNUSED_MACRO";
    pub const UNUSED_LIST: &str = "LOAD_UNUSED_LIST";
    pub const UNKNOWN_ITEM: &str = "LOAD_UNKNOWN_ITEM";
    pub const APPEND_NO_VALUES: &str = "LOAD_APPEND_NO_VALUES";
    pub const INVALID_MACRO_NAME: &str = "LOAD_INVALID_MACRO_NAME";
    pub const INVALID_LIST_NAME: &str = "LOAD_INVALID_LIST_NAME";
    pub const UNKNOWN_KEY: &str = "LOAD_UNKNOWN_KEY";
    pub const DEPRECATED_ITEM: &str = "LOAD_DEPRECATED_ITEM";
    pub const EXCEPTION_NAME_NOT_UNIQUE: &str = "LOAD_EXCEPTION_NAME_NOT_UNIQUE";
    /// falco's own: Falco takes the first of two equal keys silently.
    pub const DUPLICATE_KEY: &str = "LOAD_DUPLICATE_KEY";
    /// falco's own: Falco replaces a rule defined again silently.
    pub const RULE_REDEFINED: &str = "LOAD_RULE_REDEFINED";
}

/// The item a diagnostic is about: kind (`rule`, `macro`, `list`...) and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRef {
    pub kind: &'static str,
    pub name: String,
}

/// One error or warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub location: Location,
    pub item: Option<ItemRef>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {sev}: ", self.location)?;
        if let Some(i) = &self.item {
            write!(f, "{} '{}': ", i.kind, i.name)?;
        }
        write!(f, "{} ({})", self.message, self.code)
    }
}

/// Why rules could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read rules file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The content has errors; `warnings` are those found along the way.
    #[error("{}", .errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid {
        errors: Vec<Diagnostic>,
        warnings: Vec<Diagnostic>,
    },
    #[error("invalid rule name pattern '{pattern}': {message}")]
    Pattern { pattern: String, message: String },
    #[error("{0}")]
    Output(String),
}

impl RulesError {
    /// The errors of an invalid rules content (empty for other kinds).
    pub fn errors(&self) -> &[Diagnostic] {
        match self {
            RulesError::Invalid { errors, .. } => errors,
            _ => &[],
        }
    }

    pub fn warnings(&self) -> &[Diagnostic] {
        match self {
            RulesError::Invalid { warnings, .. } => warnings,
            _ => &[],
        }
    }
}
