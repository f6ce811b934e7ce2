//! Rule priorities, with Falco's names (syslog severities).

use std::fmt;
use std::str::FromStr;

/// A rule's priority, most severe first (so `p <= threshold` means "at least as severe").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    Emergency,
    Alert,
    Critical,
    Error,
    Warning,
    Notice,
    Informational,
    Debug,
}

impl Priority {
    pub const ALL: [Priority; 8] = [
        Priority::Emergency,
        Priority::Alert,
        Priority::Critical,
        Priority::Error,
        Priority::Warning,
        Priority::Notice,
        Priority::Informational,
        Priority::Debug,
    ];

    /// Falco's spelling in outputs (`Warning`, `Informational`...).
    pub fn name(self) -> &'static str {
        match self {
            Priority::Emergency => "Emergency",
            Priority::Alert => "Alert",
            Priority::Critical => "Critical",
            Priority::Error => "Error",
            Priority::Warning => "Warning",
            Priority::Notice => "Notice",
            Priority::Informational => "Informational",
            Priority::Debug => "Debug",
        }
    }

    /// The syslog severity number (0 = emergency).
    pub fn syslog_level(self) -> u8 {
        self as u8
    }

    /// True when this priority is at least as severe as `min`.
    pub fn at_least(self, min: Priority) -> bool {
        self <= min
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown priority name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid priority '{0}': expected one of emergency, alert, critical, error, warning, notice, informational (or info), debug"
)]
pub struct PriorityError(pub String);

impl FromStr for Priority {
    type Err = PriorityError;

    /// Case-insensitive; `info` is `Informational`.
    fn from_str(s: &str) -> Result<Priority, PriorityError> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "emergency" => Priority::Emergency,
            "alert" => Priority::Alert,
            "critical" => Priority::Critical,
            "error" => Priority::Error,
            "warning" => Priority::Warning,
            "notice" => Priority::Notice,
            "informational" | "info" => Priority::Informational,
            "debug" => Priority::Debug,
            _ => return Err(PriorityError(s.to_string())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_falco() {
        assert_eq!("WARNING".parse::<Priority>().unwrap(), Priority::Warning);
        assert_eq!("Info".parse::<Priority>().unwrap(), Priority::Informational);
        assert!("loud".parse::<Priority>().is_err());
        assert!(Priority::Critical.at_least(Priority::Warning));
        assert!(!Priority::Debug.at_least(Priority::Warning));
    }
}
