//! Reading a capture from a FIFO (or another stream) so that SIGTERM ends falco even while no data
//! comes: the descriptor is non-blocking, and each read first waits in poll() for at most
//! [`POLL_MS`], checking the stop flag in between. A regular file is read directly instead.

use std::fs::File;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// How long one wait for data lasts before the stop flag is checked again.
const POLL_MS: i32 = 200;

/// The message of the error a read returns once falco is stopping.
pub const STOPPED: &str = "falco is stopping";

pub struct StoppableFifo {
    file: File,
    stop: Arc<AtomicBool>,
}

impl StoppableFifo {
    /// Opens `path` without waiting for a writer (a FIFO's open would block until one comes).
    pub fn open(path: &Path, stop: Arc<AtomicBool>) -> std::io::Result<StoppableFifo> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(path)?;
        Ok(StoppableFifo { file, stop })
    }

    /// Waits until the descriptor is readable (data, or the writer gone) or the stop flag is set.
    fn wait_readable(&self) -> std::io::Result<()> {
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return Err(std::io::Error::other(STOPPED));
            }
            let mut pfd = libc::pollfd {
                fd: self.file.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd for the duration of the call. A FIFO that never had a
            // writer reports nothing (no POLLHUP), so this waits for the first writer's data.
            let n = unsafe { libc::poll(&mut pfd, 1, POLL_MS) };
            if n > 0 {
                return Ok(());
            }
            if n < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() != std::io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
}

impl Read for StoppableFifo {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            self.wait_readable()?;
            match self.file.read(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                r => return r,
            }
        }
    }
}

/// Whether `path` is something other than a regular file (a FIFO, a character device, a socket):
/// a stream that may wait for data.
pub fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}
