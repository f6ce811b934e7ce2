//! Alert lines on their way to a file, a pipe or standard output, counted exactly: an alert is sent
//! once its whole line (newline included) was written, and a write that fails part-way reports how
//! many lines made it, how many did not, and how many bytes of a torn line it left behind (a file
//! output truncates them away). Alert lines never hold a raw newline (text alerts are escaped, JSON
//! escapes its own), so newlines count alerts.

use std::io::Write;

use super::{Failure, OutputError};

/// Flush buffered lines once they reach this size.
const FLUSH_BYTES: usize = 64 << 10;

/// A write that failed part-way.
#[derive(Debug)]
pub struct Torn {
    pub error: std::io::Error,
    /// Alerts written whole before the failure.
    pub sent: u64,
    /// Alerts not written (the torn one included).
    pub lost: u64,
    /// Bytes of the torn alert that were written.
    pub torn_bytes: u64,
}

impl Torn {
    /// The failure this is for an output writing to `what`.
    pub fn failure(self, what: String) -> Failure {
        Failure {
            error: OutputError::Io {
                what,
                source: self.error,
            },
            sent: self.sent,
            lost: self.lost,
        }
    }
}

/// Lines waiting to be written (all of them with `buffered` off, after each push).
#[derive(Debug, Default)]
pub struct Lines {
    buf: Vec<u8>,
    pending: u64,
}

impl Lines {
    pub fn push(&mut self, line: &str) {
        self.buf.extend_from_slice(line.as_bytes());
        self.buf.push(b'\n');
        self.pending += 1;
    }

    /// Whether buffered output should be written now.
    pub fn full(&self) -> bool {
        self.buf.len() >= FLUSH_BYTES
    }

    /// Alerts waiting.
    pub fn pending(&self) -> u64 {
        self.pending
    }

    /// Everything waiting is lost (its destination cannot be reached).
    pub fn lose(&mut self, error: OutputError) -> Failure {
        self.buf.clear();
        Failure {
            error,
            sent: 0,
            lost: std::mem::take(&mut self.pending),
        }
    }

    /// Writes everything waiting to `w` (an unbuffered sink). Returns the alerts written.
    pub fn write_to(&mut self, w: &mut impl Write) -> Result<u64, Torn> {
        let mut done = 0;
        while done < self.buf.len() {
            match w.write(&self.buf[done..]) {
                Ok(0) => return Err(self.torn(done, std::io::ErrorKind::WriteZero.into())),
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.torn(done, e)),
            }
        }
        self.buf.clear();
        Ok(std::mem::take(&mut self.pending))
    }

    fn torn(&mut self, written: usize, error: std::io::Error) -> Torn {
        let whole = &self.buf[..written];
        let sent = whole.iter().filter(|b| **b == b'\n').count() as u64;
        let torn_bytes = whole.len() - whole.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let lost = self.pending - sent;
        self.buf.clear();
        self.pending = 0;
        Torn {
            error,
            sent,
            lost,
            torn_bytes: torn_bytes as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `room` bytes, then fails as a full disk does.
    struct Disk {
        got: Vec<u8>,
        room: usize,
    }

    impl Write for Disk {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if self.got.len() >= self.room {
                return Err(std::io::Error::from_raw_os_error(libc::ENOSPC));
            }
            let n = b.len().min(self.room - self.got.len()).min(7);
            self.got.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_disk_reports_whole_torn_and_lost_lines() {
        let mut l = Lines::default();
        for s in ["aaaa", "bbbb", "cccc"] {
            l.push(s);
        }
        let mut d = Disk {
            got: Vec::new(),
            room: 12,
        };
        let t = l.write_to(&mut d).unwrap_err();
        assert_eq!((t.sent, t.lost, t.torn_bytes), (2, 1, 2));
        assert_eq!(t.error.raw_os_error(), Some(libc::ENOSPC));
        assert_eq!(l.pending(), 0);
        let mut ok = Disk {
            got: Vec::new(),
            room: 100,
        };
        l.push("dd");
        assert_eq!(l.write_to(&mut ok).unwrap(), 1);
        assert_eq!(ok.got, b"dd\n");
    }
}
