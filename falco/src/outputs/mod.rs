//! Output channels and their delivery threads.
//!
//! Every enabled channel runs on its own thread behind its own queue, bounded in alerts
//! (outputs_queue.capacity; 0, Falco's default, sets no count limit) and always in bytes
//! ([`QUEUE_BYTES`]). The matching thread hands each alert to
//! every queue without waiting: a full queue (a slow or dead receiver) drops the alert for that
//! channel, counts it, and logs it; matching never waits, and the other channels are not held
//! back. Every alert a channel takes is settled exactly once: sent, failed (counted as an error),
//! or dropped (a full queue, or still queued when falco gave up on the channel at exit).

mod fanout;
pub mod file;
pub mod http;
mod http_tls;
mod lines;
pub mod program;
mod registry;
pub mod stdout;
pub mod syslog;
mod worker;

use std::time::Duration;

pub use fanout::Outputs;
pub use registry::OutputRegistry;

use crate::alert::Alert;
use crate::config::Config;

/// The most alert text one channel's queue holds (besides outputs_queue.capacity alerts): a stalled
/// receiver costs at most this much memory per channel.
pub const QUEUE_BYTES: usize = 16 << 20;

/// What an alert costs in a queue.
fn queued_size(a: &Alert) -> usize {
    a.line.len() + std::mem::size_of::<Alert>()
}

/// Why an output could not deliver.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("cannot start program '{program}': {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("POST {url}: {message}")]
    Http { url: String, message: String },
    #[error("{0}")]
    Setup(String),
}

/// Alerts an output could not deliver, and why.
#[derive(Debug)]
pub struct Failure {
    pub error: OutputError,
    /// Alerts that reached the destination before the failure (buffered ones written first).
    pub sent: u64,
    /// Alerts that did not.
    pub lost: u64,
}

impl Failure {
    /// One alert lost.
    pub fn one(error: OutputError) -> Failure {
        Failure {
            error,
            sent: 0,
            lost: 1,
        }
    }
}

/// What an operation on an output came to: Ok(n) when n alerts reached the destination with it.
pub type Delivery = Result<u64, Failure>;

/// One output channel. Its methods run on the channel's own thread.
pub trait Output: Send {
    fn name(&self) -> &'static str;
    /// Takes one alert. Ok(1) once delivered; a buffering output returns Ok(0) while it holds the
    /// alert, and the count of what it writes later.
    fn write(&mut self, alert: &Alert) -> Delivery;
    /// Closes and reopens what the channel writes to (SIGUSR1: log rotation).
    fn reopen(&mut self) -> Delivery {
        Ok(0)
    }
    /// Pushes out anything buffered.
    fn flush(&mut self) -> Delivery {
        Ok(0)
    }
    /// Alerts taken but not delivered yet (buffered).
    fn pending(&self) -> u64 {
        0
    }
}

/// Builds an output from its configuration (at start, and again if it must be restarted).
pub type Builder = Box<dyn Fn() -> Result<Box<dyn Output>, OutputError> + Send>;

/// A built channel and how to build it again.
pub struct Channel {
    pub output: Box<dyn Output>,
    pub rebuild: Builder,
}

impl Channel {
    /// Builds the output once now (so a bad configuration fails at start).
    pub fn new(rebuild: Builder) -> Result<Channel, OutputError> {
        Ok(Channel {
            output: rebuild()?,
            rebuild,
        })
    }
}

/// Settings every channel shares.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputOptions {
    pub buffered: bool,
    pub json: bool,
    pub queue_capacity: usize,
    pub timeout: Duration,
}

/// The channel part of the configuration: a reload rebuilds the channels only when it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelConfig {
    pub options: OutputOptions,
    pub stdout: bool,
    pub syslog: Option<std::path::PathBuf>,
    pub file: Option<crate::config::FileOutputConfig>,
    pub program: Option<crate::config::ProgramOutputConfig>,
    pub http: Option<crate::config::HttpOutputConfig>,
}

impl ChannelConfig {
    pub fn from_config(c: &Config, unbuffered: bool) -> ChannelConfig {
        ChannelConfig {
            options: OutputOptions {
                buffered: c.buffered_outputs && !unbuffered,
                json: c.json_output,
                queue_capacity: c.outputs_queue_capacity,
                timeout: Duration::from_millis(c.output_timeout_ms),
            },
            stdout: c.stdout_output,
            syslog: c.syslog_output.then(|| c.syslog_socket.clone()),
            file: c.file_output.enabled.then(|| c.file_output.clone()),
            program: c.program_output.enabled.then(|| c.program_output.clone()),
            http: c.http_output.enabled.then(|| c.http_output.clone()),
        }
    }

    /// Builds the enabled channels (files and programs open on their first alert).
    pub fn build(&self) -> Result<Vec<Channel>, OutputError> {
        let o = self.options.clone();
        let mut v = Vec::new();
        if self.stdout {
            let buffered = o.buffered;
            v.push(Channel::new(Box::new(move || {
                Ok(Box::new(stdout::StdoutOutput::new(buffered)?) as Box<dyn Output>)
            }))?);
        }
        if let Some(sock) = self.syslog.clone() {
            v.push(Channel::new(Box::new(move || {
                Ok(Box::new(syslog::SyslogOutput::new(&sock)) as Box<dyn Output>)
            }))?);
        }
        if let Some(f) = self.file.clone() {
            let buffered = o.buffered;
            v.push(Channel::new(Box::new(move || {
                Ok(Box::new(file::FileOutput::new(
                    &f.filename,
                    f.keep_alive,
                    buffered,
                    f.follow_symlinks,
                )?) as Box<dyn Output>)
            }))?);
        }
        if let Some(p) = self.program.clone() {
            let buffered = o.buffered;
            v.push(Channel::new(Box::new(move || {
                Ok(Box::new(program::ProgramOutput::new(
                    &p.program,
                    p.keep_alive,
                    buffered,
                )) as Box<dyn Output>)
            }))?);
        }
        if let Some(h) = self.http.clone() {
            let (json, timeout) = (o.json, o.timeout);
            v.push(Channel::new(Box::new(move || {
                Ok(Box::new(http::HttpOutput::new(&h, json, timeout)?) as Box<dyn Output>)
            }))?);
        }
        Ok(v)
    }
}
