//! Alert priorities are the engine's ([`falco_engine::rules::Priority`]); this adds what only the
//! daemon prints.

pub use falco_engine::rules::Priority;

/// Daemon-side views of a priority.
pub trait PriorityExt {
    /// The upper-case short name of the exit summary ("WARNING", "INFO").
    fn summary_name(self) -> &'static str;
    /// 0 (emergency) to 7 (debug): the syslog severity and the `priority` metric label.
    fn index(self) -> usize;
}

impl PriorityExt for Priority {
    fn summary_name(self) -> &'static str {
        match self {
            Priority::Emergency => "EMERGENCY",
            Priority::Alert => "ALERT",
            Priority::Critical => "CRITICAL",
            Priority::Error => "ERROR",
            Priority::Warning => "WARNING",
            Priority::Notice => "NOTICE",
            Priority::Informational => "INFO",
            Priority::Debug => "DEBUG",
        }
    }

    fn index(self) -> usize {
        self.syslog_level() as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_are_falcos() {
        assert_eq!(Priority::Informational.summary_name(), "INFO");
        assert_eq!(Priority::Warning.summary_name(), "WARNING");
        assert_eq!(Priority::Debug.index(), 7);
    }
}
