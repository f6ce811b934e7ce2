//! A syslog client over the local unix socket (`/dev/log`), speaking the BSD format glibc's syslog()
//! writes: `<PRI>Mmm dd hh:mm:ss falco: message`, facility LOG_USER.

use std::io::Write;
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::path::{Path, PathBuf};

use crate::priority::Priority;

/// LOG_USER, the facility Falco's alerts and logs use.
const FACILITY_USER: u8 = 1;

enum Conn {
    Datagram(UnixDatagram),
    Stream(UnixStream),
}

/// A connection to the syslog socket, re-established when the daemon restarts.
pub struct SyslogSocket {
    path: PathBuf,
    conn: Option<Conn>,
    buf: String,
}

impl SyslogSocket {
    pub fn new(path: &Path) -> SyslogSocket {
        SyslogSocket {
            path: path.to_path_buf(),
            conn: None,
            buf: String::with_capacity(1024),
        }
    }

    fn connect(&self) -> std::io::Result<Conn> {
        // Datagram first (rsyslog, journald), then stream (some containers), as glibc does.
        let d = UnixDatagram::unbound()?;
        match d.connect(&self.path) {
            Ok(()) => Ok(Conn::Datagram(d)),
            Err(_) => Ok(Conn::Stream(UnixStream::connect(&self.path)?)),
        }
    }

    /// Sends one message at `priority`.
    pub fn send(&mut self, priority: Priority, msg: &str) -> std::io::Result<()> {
        self.buf.clear();
        let pri = FACILITY_USER * 8 + priority as u8;
        let now = chrono::Local::now();
        use std::fmt::Write as _;
        let _ = write!(
            self.buf,
            "<{pri}>{} falco: {msg}",
            now.format("%b %e %H:%M:%S")
        );
        for attempt in 0..2 {
            if self.conn.is_none() {
                self.conn = Some(self.connect()?);
            }
            let r = match self.conn.as_mut().expect("connected above") {
                Conn::Datagram(d) => d.send(self.buf.as_bytes()).map(|_| ()),
                Conn::Stream(s) => s
                    .write_all(self.buf.as_bytes())
                    .and_then(|_| s.write_all(b"\0")),
            };
            match r {
                Ok(()) => return Ok(()),
                Err(e) if attempt == 1 => return Err(e),
                // The daemon may have restarted: reconnect once.
                Err(_) => self.conn = None,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_bsd_format_to_a_datagram_socket() {
        let dir = std::env::temp_dir().join(format!("falco-syslog-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("log.sock");
        let _ = std::fs::remove_file(&path);
        let server = UnixDatagram::bind(&path).unwrap();
        let mut s = SyslogSocket::new(&path);
        s.send(Priority::Warning, "hello").unwrap();
        let mut buf = [0u8; 512];
        let n = server.recv(&mut buf).unwrap();
        let got = std::str::from_utf8(&buf[..n]).unwrap();
        assert!(got.starts_with("<12>"), "{got}");
        assert!(got.ends_with(" falco: hello"), "{got}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
