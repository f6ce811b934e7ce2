//! falco's own log (lifecycle and errors, not alerts): to stderr and/or syslog, filtered by log_level,
//! each line prefixed with the time as Falco prints it.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::priority::Priority;
use crate::syslog::SyslogSocket;

struct Logger {
    level: AtomicU8,
    stderr: AtomicBool,
    iso8601: AtomicBool,
    syslog: Mutex<Option<SyslogSocket>>,
}

fn logger() -> &'static Logger {
    static L: OnceLock<Logger> = OnceLock::new();
    L.get_or_init(|| Logger {
        level: AtomicU8::new(Priority::Informational as u8),
        stderr: AtomicBool::new(true),
        iso8601: AtomicBool::new(false),
        syslog: Mutex::new(None),
    })
}

/// Applies log_level, log_stderr, log_syslog and time_format_iso_8601.
pub fn configure(level: Priority, to_stderr: bool, syslog_socket: Option<&Path>, iso8601: bool) {
    let l = logger();
    l.level.store(level as u8, Ordering::Relaxed);
    l.stderr.store(to_stderr, Ordering::Relaxed);
    l.iso8601.store(iso8601, Ordering::Relaxed);
    *l.syslog.lock().unwrap_or_else(|e| e.into_inner()) = syslog_socket.map(SyslogSocket::new);
}

pub fn enabled(level: Priority) -> bool {
    (level as u8) <= logger().level.load(Ordering::Relaxed)
}

/// Logs one message (a trailing newline is trimmed).
pub fn log(level: Priority, msg: &str) {
    if enabled(level) {
        write(level, msg);
    }
}

/// Logs whatever log_level says (Falco logs the event library's messages, which libs_logger has
/// filtered already, at the current level).
pub fn unfiltered(msg: &str) {
    let n = usize::from(logger().level.load(Ordering::Relaxed));
    let level = Priority::ALL.get(n).copied().unwrap_or(Priority::Debug);
    write(level, msg);
}

fn write(level: Priority, msg: &str) {
    let l = logger();
    let msg = msg.trim_end_matches('\n');
    if l.stderr.load(Ordering::Relaxed) {
        let now = chrono::Local::now();
        let stamp = if l.iso8601.load(Ordering::Relaxed) {
            now.format("%Y-%m-%dT%H:%M:%S%z").to_string()
        } else {
            now.format("%a %b %d %H:%M:%S %Y").to_string()
        };
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{stamp}: {msg}");
    }
    let mut s = l.syslog.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(sock) = s.as_mut() {
        // No syslog daemon is common in containers; logging must not fail because of it.
        let _ = sock.send(level, msg);
    }
}

pub fn critical(msg: &str) {
    log(Priority::Critical, msg);
}
pub fn error(msg: &str) {
    log(Priority::Error, msg);
}
pub fn warning(msg: &str) {
    log(Priority::Warning, msg);
}
pub fn notice(msg: &str) {
    log(Priority::Notice, msg);
}
pub fn info(msg: &str) {
    log(Priority::Informational, msg);
}
pub fn debug(msg: &str) {
    log(Priority::Debug, msg);
}
