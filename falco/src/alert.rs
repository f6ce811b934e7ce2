//! Alerts as Falco writes them: a text line `<time>: <Priority> <message>`, or, with json_output, one
//! JSON object with the keys hostname, output, output_fields, priority, rule, source, tags and time
//! (sorted, as Falco's JSON library sorts them). Consumers of Falco alerts (falcosidekick and others)
//! read this shape as it is.

use std::sync::Arc;

use falco_engine::fields::Value;
use falco_engine::rules::RuleMatch;
use serde_json::{Map, Value as Json};

use crate::priority::Priority;

/// One alert, formatted once on the matching thread and shared by every output.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Event time, ns since the epoch.
    pub ts: u64,
    pub priority: Priority,
    pub rule: Arc<str>,
    pub source: Arc<str>,
    /// The complete line outputs write (JSON or text), without a trailing newline.
    pub line: String,
    /// Whether `line` is JSON.
    pub json: bool,
}

impl Alert {
    /// A text alert: `line` is what outputs write.
    fn text(ts: u64, priority: Priority, rule: Arc<str>, source: Arc<str>, line: String) -> Alert {
        Alert {
            ts,
            priority,
            rule,
            source,
            line,
            json: false,
        }
    }
}

/// The alert options of falco.yaml.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertFormat {
    pub json_output: bool,
    pub include_output: bool,
    pub include_tags: bool,
    pub include_message: bool,
    pub include_output_fields: bool,
    pub time_format_iso_8601: bool,
    pub hostname: String,
}

impl AlertFormat {
    pub fn from_config(c: &crate::config::Config, hostname: String) -> AlertFormat {
        AlertFormat {
            json_output: c.json_output,
            include_output: c.json_include_output_property,
            include_tags: c.json_include_tags_property,
            include_message: c.json_include_message_property,
            include_output_fields: c.json_include_output_fields_property,
            time_format_iso_8601: c.time_format_iso_8601,
            hostname,
        }
    }

    /// The time prefix of text outputs: `%evt.time`, or `%evt.time.iso8601` (local time, as sysdig).
    pub fn time_prefix(&self, ts: u64) -> String {
        let t = local_time(ts);
        let ns = ts % 1_000_000_000;
        if self.time_format_iso_8601 {
            format!(
                "{}.{ns:09}{}",
                t.format("%Y-%m-%dT%H:%M:%S"),
                t.format("%z")
            )
        } else {
            format!("{}.{ns:09}", t.format("%H:%M:%S"))
        }
    }

    /// Builds the alert for a rule match. `message` is the rendered rule output; `fields` are the
    /// values of the fields it uses (None where the event has no value).
    #[allow(clippy::too_many_arguments)]
    pub fn format(&self, m: &RuleMatch) -> Alert {
        let (ts, priority, message) = (m.time, m.priority, m.output.as_str());
        let (rule, source) = (m.rule.clone(), m.source.clone());
        let output = format!("{}: {} {}", self.time_prefix(ts), priority.name(), message);
        if !self.json_output {
            let line = escape_text(output);
            return Alert::text(ts, priority, rule, source, line);
        }
        let mut obj = Map::new();
        if self.include_output {
            obj.insert("output".into(), Json::String(output));
        }
        if self.include_message {
            obj.insert("message".into(), Json::String(message.to_string()));
        }
        if self.include_output_fields {
            let mut f = Map::new();
            for (name, v) in &m.output_fields {
                f.insert(name.clone(), v.as_ref().map_or(Json::Null, value_to_json));
            }
            // The time prefix's field, as Falco adds it.
            if self.time_format_iso_8601 {
                f.insert(
                    "evt.time.iso8601".into(),
                    Json::String(self.time_prefix(ts)),
                );
            } else {
                f.insert("evt.time".into(), Json::from(ts));
            }
            obj.insert("output_fields".into(), Json::Object(f));
        }
        if self.include_tags {
            let mut t: Vec<&String> = m.tags.iter().collect();
            // Falco keeps tags in a std::set: sorted, without duplicates.
            t.sort();
            t.dedup();
            obj.insert(
                "tags".into(),
                Json::Array(t.into_iter().map(|s| Json::String(s.clone())).collect()),
            );
        }
        self.json(ts, priority, rule, source, obj)
    }

    /// A message falco itself raises (drops, metrics snapshots): source "internal".
    pub fn internal(
        &self,
        ts: u64,
        priority: Priority,
        rule: &str,
        message: &str,
        fields: Map<String, Json>,
    ) -> Alert {
        let rule: Arc<str> = Arc::from(rule);
        let source: Arc<str> = Arc::from("internal");
        if !self.json_output {
            // Falco's text form: the fields after the message, `(k1="v" k2=5)`, sorted by name.
            let mut output = format!(
                "{}: {} {} (",
                self.time_prefix(ts),
                priority.name(),
                message
            );
            for (i, (k, v)) in fields.iter().enumerate() {
                if i > 0 {
                    output.push(' ');
                }
                output.push_str(&format!("{k}={v}"));
            }
            output.push(')');
            return Alert::text(ts, priority, rule, source, output);
        }
        let mut obj = Map::new();
        obj.insert("output".into(), Json::String(message.to_string()));
        obj.insert("output_fields".into(), Json::Object(fields));
        self.json(ts, priority, rule, source, obj)
    }

    /// A JSON alert: `obj` has what differs between kinds of alert; this adds the keys every alert
    /// has. (The map is sorted, which is also the key order of Falco's alerts.)
    fn json(
        &self,
        ts: u64,
        priority: Priority,
        rule: Arc<str>,
        source: Arc<str>,
        mut obj: Map<String, Json>,
    ) -> Alert {
        obj.insert("hostname".into(), Json::String(self.hostname.clone()));
        obj.insert("priority".into(), Json::String(priority.name().into()));
        obj.insert("rule".into(), Json::String(rule.to_string()));
        obj.insert("source".into(), Json::String(source.to_string()));
        obj.insert("time".into(), Json::String(rfc3339_utc(ts)));
        Alert {
            ts,
            priority,
            rule,
            source,
            line: Json::Object(obj).to_string(),
            json: true,
        }
    }
}

/// A text alert as Falco encodes it: the line as a JSON string without its quotes, so control
/// characters from event data (newlines, carriage returns, terminal escapes in process names,
/// arguments or file names) are escaped (`\n`, `\r`, `\u001b`) and cannot start a line of their
/// own; quotes and backslashes are escaped too, so the encoding can be reversed.
pub fn escape_text(line: String) -> String {
    if !line.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        return line;
    }
    let quoted = Json::String(line).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// A field value as Falco's JSON output types it: numbers stay numbers.
pub fn value_to_json(v: &Value<'_>) -> Json {
    match v {
        Value::Str(s) => Json::String(s.to_string()),
        Value::Int(i) => Json::from(*i),
        Value::Uint(u) => Json::from(*u),
        Value::Bool(b) => Json::Bool(*b),
        Value::Double(d) => serde_json::Number::from_f64(*d).map_or(Json::Null, Json::Number),
        Value::Ip(_) | Value::Bytes(_) => Json::String(v.to_text()),
    }
}

fn local_time(ts: u64) -> chrono::DateTime<chrono::Local> {
    let utc =
        chrono::DateTime::from_timestamp((ts / 1_000_000_000) as i64, (ts % 1_000_000_000) as u32)
            .unwrap_or_default();
    utc.with_timezone(&chrono::Local)
}

/// `2016-08-04T16:17:57.882054739Z`: the JSON `time` key.
pub fn rfc3339_utc(ts: u64) -> String {
    let utc = chrono::DateTime::from_timestamp((ts / 1_000_000_000) as i64, 0).unwrap_or_default();
    format!(
        "{}.{:09}Z",
        utc.format("%Y-%m-%dT%H:%M:%S"),
        ts % 1_000_000_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn fmt(json: bool) -> AlertFormat {
        AlertFormat {
            json_output: json,
            include_output: true,
            include_tags: true,
            include_message: false,
            include_output_fields: true,
            time_format_iso_8601: false,
            hostname: "host1".into(),
        }
    }

    const TS: u64 = 1_470_327_477_882_054_739;

    /// A match of rule R at TS.
    fn matched(
        priority: Priority,
        tags: &[String],
        message: &str,
        fields: &[(String, Option<Value<'static>>)],
    ) -> RuleMatch {
        RuleMatch {
            index: 0,
            rule: Arc::from("R"),
            priority,
            output: message.to_string(),
            output_fields: fields.to_vec(),
            tags: tags.into(),
            source: Arc::from("syscall"),
            time: TS,
            capture: false,
            capture_duration_ms: 0,
        }
    }

    #[test]
    fn json_has_falcos_keys_in_order() {
        let a = fmt(true).format(&matched(
            Priority::Warning,
            &["b".to_string(), "a".to_string()],
            "msg x=1",
            &[
                ("proc.name".into(), Some(Value::Str(Cow::Borrowed("cat")))),
                ("proc.pid".into(), Some(Value::Int(42))),
                ("fd.name".into(), None),
            ],
        ));
        assert!(a.json);
        let v: Json = serde_json::from_str(&a.line).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "hostname",
                "output",
                "output_fields",
                "priority",
                "rule",
                "source",
                "tags",
                "time"
            ]
        );
        assert_eq!(v["time"], "2016-08-04T16:17:57.882054739Z");
        assert_eq!(v["priority"], "Warning");
        assert_eq!(v["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(v["output_fields"]["proc.pid"], 42);
        assert_eq!(v["output_fields"]["fd.name"], Json::Null);
        assert_eq!(v["output_fields"]["evt.time"], TS);
        assert!(
            v["output"]
                .as_str()
                .unwrap()
                .ends_with(".882054739: Warning msg x=1")
        );
        assert!(!a.line.contains('\n'));
    }

    #[test]
    fn text_is_time_priority_message() {
        let a = fmt(false).format(&matched(Priority::Informational, &[], "hello", &[]));
        assert!(!a.json);
        assert!(
            a.line.ends_with(".882054739: Informational hello"),
            "{}",
            a.line
        );
        assert_eq!(a.line.split(':').count(), 4, "{}", a.line);
    }

    #[test]
    fn text_escapes_control_characters_as_falco_does() {
        let a = fmt(false).format(&matched(
            Priority::Warning,
            &[],
            "cmd=echo a\nb\r\u{1b}[2J\t\"q\" \\ \u{7f} é",
            &[],
        ));
        assert!(
            a.line
                .ends_with("Warning cmd=echo a\\nb\\r\\u001b[2J\\t\\\"q\\\" \\\\ \u{7f} é"),
            "{}",
            a.line
        );
        assert_eq!(escape_text("plain".to_string()), "plain");
    }

    #[test]
    fn optional_properties_can_be_left_out() {
        let mut f = fmt(true);
        f.include_output = false;
        f.include_tags = false;
        f.include_output_fields = false;
        f.include_message = true;
        let a = f.format(&matched(Priority::Error, &[], "m", &[]));
        let v: Json = serde_json::from_str(&a.line).unwrap();
        let o = v.as_object().unwrap();
        assert!(!o.contains_key("output") && !o.contains_key("tags"));
        assert!(!o.contains_key("output_fields"));
        assert_eq!(o["message"], "m");
    }
}
