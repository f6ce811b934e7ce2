//! Errors in conditions: what went wrong, the byte offset and the offending token.

/// Why a condition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterErrorKind {
    #[error("{0}")]
    Syntax(String),
    #[error("unknown field '{0}'")]
    UnknownField(String),
    #[error("{0}")]
    Field(#[from] crate::fields::FieldError),
    #[error("undefined macro '{0}'")]
    UndefinedMacro(String),
    #[error("unknown event type '{0}'")]
    UnknownEventType(String),
    #[error("macro '{0}' refers to itself")]
    MacroCycle(String),
    #[error("field '{0}' needs an operator")]
    MissingOperator(String),
    #[error("operator '{op}' is not supported for field '{field}' of type {ftype}")]
    BadOperator {
        op: &'static str,
        field: String,
        ftype: &'static str,
    },
    #[error("'{value}' is not a valid {expected} for field '{field}'")]
    BadValue {
        value: String,
        field: String,
        expected: &'static str,
    },
    #[error("operator '{0}' needs a parenthesised list")]
    ListExpected(&'static str),
    #[error("operator '{0}' takes a single value, not a list")]
    ListUnexpected(&'static str),
    #[error("field '{field}' cannot be compared with field '{other}'")]
    FieldTypeMismatch { field: String, other: String },
    #[error("transformer '{transformer}' cannot apply to field '{field}' of type {ftype}")]
    BadTransformer {
        transformer: &'static str,
        field: String,
        ftype: &'static str,
    },
    #[error("invalid regular expression: {0}")]
    BadRegex(String),
    #[error("condition nests too deeply (more than {0} levels)")]
    TooDeep(usize),
    #[error("condition is too large with its macros expanded (more than {0} nodes)")]
    TooLarge(usize),
    #[error("{0}")]
    Transformer(String),
}

/// A refused condition: the reason, where (byte offset in the condition) and the token there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct FilterError {
    pub kind: FilterErrorKind,
    pub pos: usize,
    pub token: String,
    /// The macro whose text `pos` points into; None for the condition itself.
    pub in_macro: Option<String>,
}

impl FilterError {
    pub fn new(kind: FilterErrorKind, pos: usize, token: impl Into<String>) -> FilterError {
        FilterError {
            kind,
            pos,
            token: token.into(),
            in_macro: None,
        }
    }

    /// 1-based (line, column) of the error inside `condition`; columns count characters.
    pub fn line_col(&self, condition: &str) -> (usize, usize) {
        line_col(condition, self.pos)
    }
}

/// 1-based (line, column) of byte offset `pos` in `text`.
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = text.get(..pos).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The token starting at `pos`: a word, a quoted string, or one punctuation character.
pub fn token_at(text: &str, pos: usize) -> String {
    let Some(rest) = text.get(pos..) else {
        return String::new();
    };
    let rest = rest.trim_start();
    let mut chars = rest.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    if first == '"' || first == '\'' {
        let end = rest[1..].find(first).map_or(rest.len(), |e| e + 2);
        return rest[..end].to_string();
    }
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | ','))
        .collect();
    if word.is_empty() {
        first.to_string()
    } else {
        word
    }
}
