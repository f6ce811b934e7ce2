//! Errors of the capture reader and writer. Every decoding error names the byte offset (in the
//! decompressed stream) of the block or field that is wrong.

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum ScapError {
    #[error("cannot open {path}: {source}")]
    Open { path: String, source: io::Error },
    #[error("I/O error at byte offset {offset}: {source}")]
    Io { offset: u64, source: io::Error },
    #[error("not a scap capture: {what} at byte offset {offset}")]
    NotScap { offset: u64, what: String },
    #[error(
        "unsupported capture version {major}.{minor} at byte offset {offset} (this reader supports 1.x)"
    )]
    Version { offset: u64, major: u16, minor: u16 },
    #[error(
        "truncated capture: {what} at byte offset {offset} needs {needed} bytes, only {available} left"
    )]
    Truncated {
        offset: u64,
        what: &'static str,
        needed: u64,
        available: u64,
    },
    #[error("corrupt capture at byte offset {offset}: {what}")]
    Corrupt { offset: u64, what: String },
    #[error("write error: {0}")]
    Write(#[source] io::Error),
}

impl ScapError {
    pub fn corrupt(offset: u64, what: impl Into<String>) -> Self {
        ScapError::Corrupt {
            offset,
            what: what.into(),
        }
    }

    /// The byte offset the error refers to, if any.
    pub fn offset(&self) -> Option<u64> {
        match self {
            ScapError::Io { offset, .. }
            | ScapError::NotScap { offset, .. }
            | ScapError::Version { offset, .. }
            | ScapError::Truncated { offset, .. }
            | ScapError::Corrupt { offset, .. } => Some(*offset),
            ScapError::Open { .. } | ScapError::Write(_) => None,
        }
    }
}
