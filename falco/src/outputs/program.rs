//! program_output: alerts written to the standard input of a shell command, one per line. With
//! keep_alive the program runs once and receives every alert (in blocks with buffered_outputs);
//! otherwise it is started for each alert and waited for, as Falco's popen/pclose do. SIGUSR1 ends
//! the running program; the next alert starts it again.
//!
//! Each program runs in a process group of its own, recorded until it is reaped, so that
//! [`end_all`] can end what is left when falco exits (a program that never reads its input or
//! ignores its end would otherwise outlive falco).

use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use super::lines::Lines;
use super::{Delivery, Output, OutputError};
use crate::alert::Alert;

/// Process groups of running programs. Global because a program must be ended at exit whichever
/// set of channels started it (a reload retires channels in the background).
static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

fn groups() -> std::sync::MutexGuard<'static, Vec<i32>> {
    GROUPS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Ends every program output still running (at exit): SIGTERM to its process group, then SIGKILL
/// to what is left after a short grace.
pub fn end_all() {
    let running: Vec<i32> = groups().clone();
    if running.is_empty() {
        return;
    }
    for g in &running {
        let _ = killpg(Pid::from_raw(*g), Signal::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_millis(500);
    let alive = |g: &i32| killpg(Pid::from_raw(*g), None).is_ok();
    while running.iter().any(alive) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    for g in running.iter().filter(|g| alive(g)) {
        let _ = killpg(Pid::from_raw(*g), Signal::SIGKILL);
    }
}

pub struct ProgramOutput {
    program: String,
    keep_alive: bool,
    buffered: bool,
    running: Option<(Child, ChildStdin)>,
    lines: Lines,
}

impl ProgramOutput {
    pub fn new(program: &str, keep_alive: bool, buffered: bool) -> ProgramOutput {
        ProgramOutput {
            program: program.to_string(),
            keep_alive,
            buffered,
            running: None,
            lines: Lines::default(),
        }
    }

    fn start(&mut self) -> Result<(), OutputError> {
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            .arg(&self.program)
            .stdin(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|e| OutputError::Spawn {
                program: self.program.clone(),
                source: e,
            })?;
        groups().push(child.id() as i32);
        let stdin = child.stdin.take().expect("stdin was piped");
        self.running = Some((child, stdin));
        Ok(())
    }

    /// Closes the program's input and waits for it (as pclose does).
    fn stop(&mut self) {
        if let Some((mut child, stdin)) = self.running.take() {
            drop(stdin);
            let _ = child.wait();
            let id = child.id() as i32;
            groups().retain(|g| *g != id);
        }
    }

    fn write_out(&mut self) -> Delivery {
        if self.lines.pending() == 0 {
            return Ok(0);
        }
        if self.running.is_none()
            && let Err(e) = self.start()
        {
            return Err(self.lines.lose(e));
        }
        let (_, stdin) = self.running.as_mut().expect("started above");
        match self.lines.write_to(stdin) {
            Ok(n) => {
                if !self.keep_alive {
                    self.stop();
                }
                Ok(n)
            }
            Err(t) => {
                // The program exited (EPIPE): reap it; the next alert starts it again.
                self.stop();
                Err(t.failure(format!("program '{}'", self.program)))
            }
        }
    }
}

impl Output for ProgramOutput {
    fn name(&self) -> &'static str {
        "program"
    }

    fn write(&mut self, alert: &Alert) -> Delivery {
        self.lines.push(&alert.line);
        if self.buffered && self.keep_alive && !self.lines.full() {
            return Ok(0);
        }
        self.write_out()
    }

    fn reopen(&mut self) -> Delivery {
        let r = self.write_out();
        self.stop();
        r
    }

    fn flush(&mut self) -> Delivery {
        self.write_out()
    }

    fn pending(&self) -> u64 {
        self.lines.pending()
    }
}

impl Drop for ProgramOutput {
    fn drop(&mut self) {
        self.stop();
    }
}
