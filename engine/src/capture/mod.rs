//! Event sources other than capture files.
//!
//! [`live`] reads the `falco_probe` kernel module's per-CPU rings through `/dev/falco`.

pub mod live;
pub mod select;

pub use live::{LiveCapture, LiveError};
