//! stdout_output: one alert per line on standard output.

use std::io::{BufWriter, Stdout, Write};

use super::{Output, OutputError};
use crate::alert::Alert;

pub struct StdoutOutput {
    /// With buffered_outputs, lines are block-buffered and flushed on flush/stop; otherwise each
    /// line is written through at once.
    out: BufWriter<Stdout>,
    buffered: bool,
}

impl StdoutOutput {
    pub fn new(buffered: bool) -> StdoutOutput {
        StdoutOutput {
            out: BufWriter::with_capacity(64 << 10, std::io::stdout()),
            buffered,
        }
    }
}

fn io(e: std::io::Error) -> OutputError {
    OutputError::Io {
        what: "stdout".into(),
        source: e,
    }
}

impl Output for StdoutOutput {
    fn name(&self) -> &'static str {
        "stdout"
    }

    fn write(&mut self, alert: &Alert) -> Result<(), OutputError> {
        self.out.write_all(alert.line.as_bytes()).map_err(io)?;
        self.out.write_all(b"\n").map_err(io)?;
        if !self.buffered {
            self.out.flush().map_err(io)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        self.out.flush().map_err(io)
    }
}
