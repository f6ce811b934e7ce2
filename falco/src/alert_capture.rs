//! Capture on alert (falco.yaml's `capture:`), as Falco does it: an alert of a rule with
//! `capture: true` (or any alert, in `all_rules` mode) opens PREFIX_<event ns>_<event number>.scap
//! and writes the events from the one that matched until the deadline, in event time: the alert's
//! time plus the rule's capture_duration (or capture.default_duration). Alerts while a capture is
//! open push the deadline out. A capture that reaches max_file_size_mb is closed and reported.

use std::path::PathBuf;

use falco_engine::event::Event;
use falco_engine::state::State;
use serde_json::{Map, Value as Json};

use crate::capture_writer::CaptureWriter;
use crate::config::{CaptureConfig, CaptureMode};
use crate::logger;

pub const SIZE_RULE: &str = "Falco internal: capture size limit reached";

/// What a closed capture reports.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeLimit {
    pub message: String,
    pub fields: Map<String, Json>,
}

pub struct AlertCapture {
    cfg: CaptureConfig,
    open: Option<CaptureWriter>,
    /// Latest deadline asked for by alerts since the last capture closed (0: none).
    deadline_ns: u64,
    /// An alert of this event asks for a capture to start.
    wanted: bool,
}

/// Falco's file name: the prefix, then the event time and number, each zero-padded to 20 digits.
pub fn capture_path(prefix: &str, ts: u64, num: u64) -> PathBuf {
    PathBuf::from(format!("{prefix}_{ts:020}_{num:020}.scap"))
}

impl AlertCapture {
    /// None when capture is disabled.
    pub fn new(cfg: &CaptureConfig) -> Option<AlertCapture> {
        cfg.enabled.then(|| AlertCapture {
            cfg: cfg.clone(),
            open: None,
            deadline_ns: 0,
            wanted: false,
        })
    }

    pub fn config(&self) -> &CaptureConfig {
        &self.cfg
    }

    /// An alert at event time `ts` of a rule with these capture settings.
    pub fn on_alert(&mut self, ts: u64, rule_capture: bool, rule_duration_ms: u64) {
        if self.cfg.mode == CaptureMode::AllRules || rule_capture {
            self.wanted = true;
        }
        let ms = if rule_duration_ms > 0 {
            rule_duration_ms
        } else {
            self.cfg.default_duration_ms
        };
        self.deadline_ns = self
            .deadline_ns
            .max(ts.saturating_add(ms.saturating_mul(1_000_000)));
    }

    /// After the alerts of an event: starts a capture if one was asked for, writes the event to
    /// the open capture, and closes it at its deadline or size limit.
    pub fn after_event(
        &mut self,
        state: &State,
        event: &Event<'_>,
        flags: u32,
        num: u64,
    ) -> Option<SizeLimit> {
        if std::mem::take(&mut self.wanted) && self.open.is_none() {
            let path = capture_path(&self.cfg.path_prefix, event.ts, num);
            match CaptureWriter::create(&path) {
                Ok(w) => {
                    logger::info(&format!("Capturing events to {}", path.display()));
                    self.open = Some(w);
                }
                Err(e) => logger::error(&format!("capture on alert: {e}")),
            }
        }
        let w = self.open.as_mut()?;
        w.write(state, event, flags);
        let written = w.written_bytes();
        let limit = self.cfg.max_file_size_mb.saturating_mul(1024 * 1024);
        let over = limit > 0 && written >= limit;
        if event.ts < self.deadline_ns && !over {
            return None;
        }
        self.close();
        over.then(|| {
            let mut fields = Map::new();
            fields.insert(
                "max_file_size_mb".into(),
                Json::from(self.cfg.max_file_size_mb),
            );
            fields.insert("written_bytes".into(), Json::from(written));
            SizeLimit {
                message: format!(
                    "{SIZE_RULE}. Configured limit: {} MB.",
                    self.cfg.max_file_size_mb
                ),
                fields,
            }
        })
    }

    /// Closes the open capture (at its deadline, its size limit, or exit).
    pub fn close(&mut self) {
        self.deadline_ns = 0;
        if let Some(w) = self.open.take() {
            let path = w.path().display().to_string();
            match w.finish() {
                Ok(n) => logger::info(&format!("Capture {path} closed: {n} events")),
                Err(e) => logger::error(&e.to_string()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_as_falco_names_them() {
        assert_eq!(
            capture_path("/tmp/falco", 1_234_567_890, 42),
            PathBuf::from("/tmp/falco_00000000001234567890_00000000000000000042.scap")
        );
    }

    #[test]
    fn deadlines_extend_and_modes_decide() {
        let cfg = CaptureConfig {
            enabled: true,
            path_prefix: "/x".into(),
            mode: CaptureMode::Rules,
            default_duration_ms: 5000,
            max_file_size_mb: 0,
        };
        let mut c = AlertCapture::new(&cfg).unwrap();
        c.on_alert(1_000, false, 0);
        assert!(!c.wanted, "rules mode: only rules with capture: true");
        assert_eq!(c.deadline_ns, 1_000 + 5_000_000_000);
        c.on_alert(2_000, true, 10);
        assert!(c.wanted);
        assert_eq!(
            c.deadline_ns,
            1_000 + 5_000_000_000,
            "the later deadline stays"
        );
        let mut all = AlertCapture::new(&CaptureConfig {
            mode: CaptureMode::AllRules,
            ..cfg.clone()
        })
        .unwrap();
        all.on_alert(1, false, 0);
        assert!(all.wanted);
        assert!(
            AlertCapture::new(&CaptureConfig {
                enabled: false,
                ..cfg
            })
            .is_none()
        );
    }
}
