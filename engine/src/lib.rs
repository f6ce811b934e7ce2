//! falco engine: the library behind the `falco` daemon.
//!
//! It decodes scap events (from capture files or the live probe), tracks process, file-descriptor,
//! user and container state, evaluates Falco rule conditions and formats alert outputs. A program can
//! embed it without the daemon.

// A function over 150 lines (clippy.toml) fails `make lint`.
#![warn(clippy::too_many_lines)]

#[path = "../../probe/abi.rs"]
pub mod abi;
pub mod bytes;
pub mod capture;
pub mod event;
pub mod fields;
pub mod filter;
pub mod inspector;
pub mod k8saudit;
pub mod output;
pub mod render;
pub mod rules;
pub mod scap;
pub mod schema;
pub mod state;
pub mod yaml;
