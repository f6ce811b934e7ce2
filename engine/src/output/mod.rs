//! Output formatting of events and alerts.

pub mod formatter;

pub use formatter::{FormatError, Formatter};
