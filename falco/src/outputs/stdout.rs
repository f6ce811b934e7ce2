//! stdout_output: one alert per line on standard output. With buffered_outputs, lines are written
//! in blocks (and at exit); otherwise each line is written at once. Alerts are counted as sent once
//! written whole.

use std::fs::File;
use std::os::fd::AsFd;

use super::lines::Lines;
use super::{Delivery, Output, OutputError};
use crate::alert::Alert;

pub struct StdoutOutput {
    /// Standard output without the standard library's buffering, so what was written is known.
    out: File,
    lines: Lines,
    buffered: bool,
}

impl StdoutOutput {
    pub fn new(buffered: bool) -> Result<StdoutOutput, OutputError> {
        let fd = std::io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .map_err(|e| OutputError::Io {
                what: "stdout".into(),
                source: e,
            })?;
        Ok(StdoutOutput {
            out: File::from(fd),
            lines: Lines::default(),
            buffered,
        })
    }

    fn write_out(&mut self) -> Delivery {
        self.lines
            .write_to(&mut self.out)
            .map_err(|t| t.failure("stdout".into()))
    }
}

impl Output for StdoutOutput {
    fn name(&self) -> &'static str {
        "stdout"
    }

    fn write(&mut self, alert: &Alert) -> Delivery {
        self.lines.push(&alert.line);
        if self.buffered && !self.lines.full() {
            return Ok(0);
        }
        self.write_out()
    }

    fn flush(&mut self) -> Delivery {
        self.write_out()
    }

    fn pending(&self) -> u64 {
        self.lines.pending()
    }
}
