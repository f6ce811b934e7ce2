//! Audit events: what the API server sends (one `Event`, an `EventList` batch, or a JSON array
//! of either) split into events that share their parsed document.

use std::sync::Arc;

use super::json::{Doc, JsonError, Kind, Val};

/// The k8saudit plugin's default `maxEventSize`: larger events are dropped (and counted).
pub const DEFAULT_MAX_EVENT_SIZE: usize = 262_144;

/// One audit event: a JSON object inside a parsed payload, and its time.
#[derive(Clone)]
pub struct AuditEvent {
    doc: Arc<Doc>,
    root: u32,
    /// `stageTimestamp`, nanoseconds since the epoch.
    time: u64,
    /// Whether it has an `auditID` (the k8saudit plugin reads nothing from JSON without one).
    audit_id: bool,
}

impl std::fmt::Debug for AuditEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditEvent")
            .field("time", &self.time)
            .field("json", &self.json())
            .finish()
    }
}

impl AuditEvent {
    /// The event's JSON object.
    pub fn json(&self) -> Val<'_> {
        self.doc.at(self.root).unwrap_or_else(|| self.doc.root())
    }

    /// Nanoseconds since the epoch (the event's `stageTimestamp`).
    pub fn time(&self) -> u64 {
        self.time
    }

    /// True when the event has an `auditID`: the `ka.*` fields read only such events.
    pub fn has_audit_id(&self) -> bool {
        self.audit_id
    }

    /// Size of the event's JSON text in bytes.
    pub fn size(&self) -> usize {
        self.json().raw().len()
    }
}

/// Why a whole payload was refused.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error(transparent)]
    Json(#[from] JsonError),
    #[error("data not recognized as a k8s audit event")]
    NotAudit,
}

/// Why one event of a payload was dropped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("can't read stageTimestamp")]
    NoStageTimestamp,
    #[error("bad stageTimestamp '{0}'")]
    BadTimestamp(String),
    #[error("event larger than maxEventSize: size={0}")]
    TooLarge(usize),
}

/// The events of one payload, and the ones dropped with why.
#[derive(Debug, Default)]
pub struct Payload {
    pub events: Vec<AuditEvent>,
    pub dropped: Vec<EventError>,
    /// Heap bytes the payload holds while its events are alive.
    pub bytes: usize,
}

/// Splits a payload into events. `max_event_size` bounds each event's JSON text.
pub fn parse_payload(
    text: impl Into<Box<str>>,
    max_event_size: usize,
) -> Result<Payload, PayloadError> {
    let doc = Arc::new(Doc::parse(text)?);
    let mut out = Payload {
        bytes: doc.heap_bytes(),
        ..Payload::default()
    };
    collect(&doc, doc.root(), max_event_size, &mut out)?;
    Ok(out)
}

fn collect(doc: &Arc<Doc>, v: Val<'_>, max: usize, out: &mut Payload) -> Result<(), PayloadError> {
    if v.kind() == Kind::Array {
        for item in v.items() {
            collect(doc, item, max, out)?;
        }
        return Ok(());
    }
    match v.get("kind").and_then(|k| k.as_str()).as_deref() {
        Some("EventList") => {
            let items = v.get("items").filter(|i| i.kind() == Kind::Array);
            let Some(items) = items else {
                return Err(PayloadError::NotAudit);
            };
            for item in items.items() {
                push_event(doc, item, max, out);
            }
            Ok(())
        }
        Some("Event") => {
            push_event(doc, v, max, out);
            Ok(())
        }
        _ => Err(PayloadError::NotAudit),
    }
}

fn push_event(doc: &Arc<Doc>, v: Val<'_>, max: usize, out: &mut Payload) {
    match event_time(v) {
        Err(e) => out.dropped.push(e),
        Ok(_) if v.raw().len() > max => out.dropped.push(EventError::TooLarge(v.raw().len())),
        Ok(time) => out.events.push(AuditEvent {
            doc: doc.clone(),
            root: v.index_in_doc(),
            time,
            audit_id: v.get("auditID").is_some(),
        }),
    }
}

fn event_time(v: Val<'_>) -> Result<u64, EventError> {
    let ts = v
        .get("stageTimestamp")
        .ok_or(EventError::NoStageTimestamp)?
        .to_text();
    let t = chrono::DateTime::parse_from_rfc3339(&ts)
        .map_err(|_| EventError::BadTimestamp(ts.to_string()))?;
    t.timestamp_nanos_opt()
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| EventError::BadTimestamp(ts.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EV: &str = r#"{"kind":"Event","auditID":"a","stageTimestamp":"2018-10-25T14:09:12.581541Z","verb":"get"}"#;

    #[test]
    fn single_event_list_and_array() {
        let p = parse_payload(EV, DEFAULT_MAX_EVENT_SIZE).unwrap();
        assert_eq!(p.events.len(), 1);
        assert_eq!(p.events[0].time(), 1_540_476_552_581_541_000);
        let list = format!(r#"{{"kind":"EventList","items":[{EV},{EV}]}}"#);
        let p = parse_payload(list.as_str(), DEFAULT_MAX_EVENT_SIZE).unwrap();
        assert_eq!(p.events.len(), 2);
        assert_eq!(p.events[1].json().get("verb").unwrap().to_text(), "get");
        let arr = format!("[{EV}, {list}]");
        assert_eq!(
            parse_payload(arr, DEFAULT_MAX_EVENT_SIZE)
                .unwrap()
                .events
                .len(),
            3
        );
    }

    #[test]
    fn drops_and_refusals() {
        let no_ts = r#"{"kind":"Event","auditID":"a"}"#;
        let p = parse_payload(no_ts, DEFAULT_MAX_EVENT_SIZE).unwrap();
        assert_eq!(p.dropped, vec![EventError::NoStageTimestamp]);
        let p = parse_payload(EV, 10).unwrap();
        assert!(matches!(p.dropped[..], [EventError::TooLarge(_)]));
        assert!(matches!(
            parse_payload(r#"{"kind":"Pod"}"#, 100),
            Err(PayloadError::NotAudit)
        ));
        assert!(matches!(
            parse_payload("nope", 100),
            Err(PayloadError::Json(_))
        ));
    }
}
