//! Rule outputs over audit events: `%field` and `%field[arg]` (or `%(field)`) replaced by the
//! field's value, `<NA>` when it has none, list fields as `(a,b)`.

use std::borrow::Cow;

use super::event::AuditEvent;
use super::extract::{EvtInfo, FieldRef, Values, extract};

/// Why an output does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid output format '{token}': {msg}")]
pub struct OutputError {
    pub token: String,
    pub msg: String,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Field(FieldRef),
}

/// A compiled output format.
#[derive(Debug, Clone)]
pub struct Template {
    parts: Vec<Part>,
}

/// Characters a field name is made of.
fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '_'
}

impl Template {
    pub fn compile(text: &str) -> Result<Template, OutputError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('%') {
            lit.push_str(&rest[..at]);
            rest = &rest[at + 1..];
            let paren = rest.starts_with('(');
            let body = if paren { &rest[1..] } else { rest };
            let len = body.find(|c: char| !name_char(c)).unwrap_or(body.len());
            if len == 0 {
                lit.push('%');
                continue;
            }
            // The longest known field name that starts here ("%ka.verb." ends a sentence).
            let name = (1..=len)
                .rev()
                .map(|l| &body[..l])
                .find(|n| super::fields::lookup(n).is_some())
                .ok_or_else(|| OutputError {
                    token: body[..len].to_string(),
                    msg: "unknown field".into(),
                })?;
            let mut after = &body[name.len()..];
            let mut arg = None;
            if let Some(inner) = after.strip_prefix('[') {
                let close = inner.find(']').ok_or_else(|| OutputError {
                    token: name.to_string(),
                    msg: "missing ']'".into(),
                })?;
                arg = Some(&inner[..close]);
                after = &inner[close + 1..];
            }
            if paren {
                after = after.strip_prefix(')').ok_or_else(|| OutputError {
                    token: name.to_string(),
                    msg: "missing ')'".into(),
                })?;
            }
            let field = FieldRef::parse(name, arg).map_err(|e| OutputError {
                token: name.to_string(),
                msg: e.to_string(),
            })?;
            if !lit.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut lit)));
            }
            parts.push(Part::Field(field));
            rest = after;
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            parts.push(Part::Text(lit));
        }
        Ok(Template { parts })
    }

    /// The fields the output names, in order of first use.
    pub fn fields(&self) -> Vec<&FieldRef> {
        let mut out: Vec<&FieldRef> = Vec::new();
        for p in &self.parts {
            if let Part::Field(f) = p
                && !out.iter().any(|o| o.text() == f.text())
            {
                out.push(f);
            }
        }
        out
    }

    /// Renders the output for `ev`, and the value of each field it names (None when absent).
    pub fn render(
        &self,
        ev: &AuditEvent,
        info: EvtInfo<'_>,
    ) -> (String, Vec<(String, Option<String>)>) {
        let mut out = String::new();
        let mut fields: Vec<(String, Option<String>)> = Vec::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Field(f) => {
                    let v = value_text(f, &extract(f, ev, info));
                    out.push_str(v.as_deref().unwrap_or("<NA>"));
                    let name = f.text();
                    if !fields.iter().any(|(n, _)| *n == name) {
                        fields.push((name, v.map(Cow::into_owned)));
                    }
                }
            }
        }
        (out, fields)
    }
}

/// A field's values as one string: list fields as `(a,b)`.
pub fn value_text<'e>(f: &FieldRef, v: &Values<'e>) -> Option<Cow<'e, str>> {
    match v {
        Values::None => None,
        Values::One(s) if !f.info.is_list => Some(s.clone()),
        v => Some(Cow::Owned(format!("({})", v.as_slice().join(",")))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::event::parse_payload;
    use super::*;

    #[test]
    fn renders_fields_lists_and_missing_values() {
        let ev = &parse_payload(
            r#"{"kind":"Event","auditID":"x","stageTimestamp":"2018-10-25T14:09:12Z","verb":"get",
               "objectRef":{"name":"n","resource":"pods"},
               "requestObject":{"spec":{"containers":[{"image":"a"},{"image":"b"}]}}}"#,
            1 << 20,
        )
        .unwrap()
        .events[0];
        let t = Template::compile(
            "x %ka.verb. %ka.target.name/%ka.target.resource %(ka.uri) %ka.req.pod.containers.image %jevt.value[/verb] 100%",
        )
        .unwrap();
        let (s, f) = t.render(ev, EvtInfo::default());
        assert_eq!(s, "x get. n/pods <NA> (a,b) get 100%");
        assert_eq!(f[3], ("ka.uri".to_string(), None));
        assert_eq!(f[4].1.as_deref(), Some("(a,b)"));
        assert!(Template::compile("%proc.name").is_err());
        assert!(Template::compile("%ka.uri.param").is_err());
    }
}
