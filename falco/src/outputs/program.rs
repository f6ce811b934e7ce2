//! program_output: alerts written to the standard input of a shell command, one per line. With
//! keep_alive the program runs once and receives every alert; otherwise it is started for each alert
//! and waited for. SIGUSR1 ends the running program; the next alert starts it again.

use std::io::{BufWriter, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

use super::{Output, OutputError};
use crate::alert::Alert;

pub struct ProgramOutput {
    program: String,
    keep_alive: bool,
    buffered: bool,
    running: Option<(Child, BufWriter<ChildStdin>)>,
}

impl ProgramOutput {
    pub fn new(program: &str, keep_alive: bool, buffered: bool) -> ProgramOutput {
        ProgramOutput {
            program: program.to_string(),
            keep_alive,
            buffered,
            running: None,
        }
    }

    fn start(&mut self) -> Result<(), OutputError> {
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            .arg(&self.program)
            .stdin(Stdio::piped())
            .spawn()
            .map_err(|e| OutputError::Spawn {
                program: self.program.clone(),
                source: e,
            })?;
        let stdin = child.stdin.take().expect("stdin was piped");
        self.running = Some((child, BufWriter::with_capacity(64 << 10, stdin)));
        Ok(())
    }

    /// Closes the program's input and waits for it (as pclose does).
    fn stop(&mut self) -> Result<(), OutputError> {
        if let Some((mut child, mut stdin)) = self.running.take() {
            let flushed = stdin.flush();
            drop(stdin);
            let _ = child.wait();
            flushed.map_err(|e| self.io(e))?;
        }
        Ok(())
    }

    fn io(&self, e: std::io::Error) -> OutputError {
        OutputError::Io {
            what: format!("program '{}'", self.program),
            source: e,
        }
    }
}

impl Output for ProgramOutput {
    fn name(&self) -> &'static str {
        "program"
    }

    fn write(&mut self, alert: &Alert) -> Result<(), OutputError> {
        if self.running.is_none() {
            self.start()?;
        }
        let (_, stdin) = self.running.as_mut().expect("started above");
        let r = stdin
            .write_all(alert.line.as_bytes())
            .and_then(|_| stdin.write_all(b"\n"))
            .and_then(|_| {
                if self.buffered && self.keep_alive {
                    Ok(())
                } else {
                    stdin.flush()
                }
            });
        if let Err(e) = r {
            // The program exited (EPIPE): reap it; the next alert starts it again.
            let _ = self.stop();
            return Err(self.io(e));
        }
        if !self.keep_alive {
            self.stop()?;
        }
        Ok(())
    }

    fn reopen(&mut self) -> Result<(), OutputError> {
        self.stop()
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        let r = match self.running.as_mut() {
            Some((_, stdin)) => stdin.flush(),
            None => Ok(()),
        };
        r.map_err(|e| self.io(e))
    }
}

impl Drop for ProgramOutput {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}
