//! syslog_output: each alert as one syslog message, with the rule's priority as the severity.

use std::path::Path;

use super::{Delivery, Failure, Output, OutputError};
use crate::alert::Alert;
use crate::syslog::SyslogSocket;

pub struct SyslogOutput {
    sock: SyslogSocket,
    path: String,
}

impl SyslogOutput {
    pub fn new(path: &Path) -> SyslogOutput {
        SyslogOutput {
            sock: SyslogSocket::new(path),
            path: path.display().to_string(),
        }
    }
}

impl Output for SyslogOutput {
    fn name(&self) -> &'static str {
        "syslog"
    }

    fn write(&mut self, alert: &Alert) -> Delivery {
        self.sock.send(alert.priority, &alert.line).map_err(|e| {
            Failure::one(OutputError::Io {
                what: format!("syslog socket {}", self.path),
                source: e,
            })
        })?;
        Ok(1)
    }
}
