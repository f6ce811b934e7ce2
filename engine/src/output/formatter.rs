//! Output formats: text with `%field` tokens (`%proc.name`, `%fd.name`, `%proc.aname[2]`,
//! `%evt.arg.fd`), compiled once and rendered per event. Missing values render as `<NA>`.

use std::sync::Arc;

use crate::fields::{Ctx, Field, FieldError, Value, registry};
use crate::filter::ast::Transformer;
use crate::filter::transform::Lhs;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Text(String),
    Field(Field),
    /// A transformer (`%tolower(proc.name)`), named as written.
    Expr(Arc<Transformed>),
}

#[derive(Debug)]
struct Transformed {
    name: String,
    lhs: Lhs,
}

impl PartialEq for Transformed {
    fn eq(&self, o: &Transformed) -> bool {
        self.name == o.name
    }
}

/// The length of a transformer call at the start of `s` (`tolower(proc.name)[x]`), if `s` starts
/// with one.
fn transformer_len(s: &str) -> Option<usize> {
    let name_end = s.find('(')?;
    let name = &s[..name_end];
    Transformer::parse(name)?;
    let b = s.as_bytes();
    let (mut depth, mut quote, mut i) = (0usize, None::<u8>, name_end);
    while i < b.len() {
        match (quote, b[i]) {
            (Some(q), c) if c == q && b[i - 1] != b'\\' => quote = None,
            (Some(_), _) => {}
            (None, c @ (b'"' | b'\'')) => quote = Some(c),
            (None, b'(') => depth += 1,
            (None, b')') => {
                depth -= 1;
                if depth == 0 {
                    let mut end = i + 1;
                    if b.get(end) == Some(&b'[') {
                        end += s[end..].find(']')? + 1;
                    }
                    return Some(end);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A compiled output format.
#[derive(Debug, Clone, PartialEq)]
pub struct Formatter {
    tokens: Vec<Token>,
    /// Print the line even when a field is missing (sysdig's `*` prefix).
    pub print_all: bool,
}

/// An error in an output format, with the byte offset of the offending token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at offset {offset} in output format")]
pub struct FormatError {
    pub offset: usize,
    pub token: String,
    pub message: String,
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || c == b'-'
}

/// Parses the field reference starting at `s[0]` (after the `%`): returns the field and the bytes used.
pub fn parse_field_ref(s: &str) -> Result<(Field, usize), FieldError> {
    let b = s.as_bytes();
    let braced = b.first() == Some(&b'{');
    let start = usize::from(braced);
    let mut end = start;
    while end < b.len() && is_name_char(b[end]) {
        end += 1;
    }
    // Trailing dots and dashes end sentences, not field names ("%fd.name." → fd.name).
    let mut name_end = end;
    while name_end > start && matches!(b[name_end - 1], b'.' | b'-') {
        name_end -= 1;
    }
    // The longest prefix that is a field (or a dotted-argument field).
    let mut cut = name_end;
    let (field_name, used) = loop {
        let cand = &s[start..cut];
        if registry::lookup(cand).is_some() || registry::split_dotted(cand).is_some() {
            break (cand, cut);
        }
        match cand.rfind('.') {
            Some(p) if p > 0 => cut = start + p,
            _ => return Err(FieldError::Unknown(s[start..name_end].to_string())),
        }
    };
    let mut used = used;
    let mut arg = None;
    if b.get(used) == Some(&b'[') {
        let close = s[used..].find(']').ok_or_else(|| FieldError::BadArg {
            field: field_name.to_string(),
            arg: s[used..].to_string(),
        })?;
        arg = Some(&s[used + 1..used + close]);
        used += close + 1;
    }
    let f = Field::parse(field_name, arg)?;
    if braced {
        if b.get(used) != Some(&b'}') {
            return Err(FieldError::Unknown(s[..used].to_string()));
        }
        used += 1;
    }
    Ok((f, used))
}

impl Formatter {
    pub fn parse(fmt: &str) -> Result<Formatter, FormatError> {
        let (print_all, body, base) = match fmt.strip_prefix('*') {
            Some(rest) => (true, rest, 1),
            None => (false, fmt, 0),
        };
        let mut tokens = Vec::new();
        let mut text = String::new();
        let mut i = 0;
        let bytes = body.as_bytes();
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let rest = &body[i + 1..];
                if rest.starts_with('%') {
                    text.push('%');
                    i += 2;
                    continue;
                }
                // Falco's `%container.info`: the container's id and name.
                if let Some(after) = rest.strip_prefix("container.info")
                    && !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                {
                    text.push_str("container_id=");
                    tokens.push(Token::Text(std::mem::take(&mut text)));
                    tokens.push(Token::Field(
                        Field::parse("container.id", None).expect("a field"),
                    ));
                    text.push_str(" container_name=");
                    tokens.push(Token::Text(std::mem::take(&mut text)));
                    tokens.push(Token::Field(
                        Field::parse("container.name", None).expect("a field"),
                    ));
                    i += 1 + "container.info".len();
                    continue;
                }
                let starts_field = rest
                    .bytes()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == b'{');
                if !starts_field {
                    text.push('%');
                    i += 1;
                    continue;
                }
                if let Some(len) = transformer_len(rest) {
                    let name = &rest[..len];
                    let (lhs, _) = crate::filter::operand(name).map_err(|e| FormatError {
                        offset: base + i,
                        token: format!("%{name}"),
                        message: e.to_string(),
                    })?;
                    if !text.is_empty() {
                        tokens.push(Token::Text(std::mem::take(&mut text)));
                    }
                    tokens.push(Token::Expr(Arc::new(Transformed {
                        name: name.to_string(),
                        lhs,
                    })));
                    i += 1 + len;
                    continue;
                }
                let (f, used) = parse_field_ref(rest).map_err(|e| FormatError {
                    offset: base + i,
                    token: format!(
                        "%{}",
                        rest.split(|c: char| c.is_whitespace()).next().unwrap_or("")
                    ),
                    message: e.to_string(),
                })?;
                if !text.is_empty() {
                    tokens.push(Token::Text(std::mem::take(&mut text)));
                }
                tokens.push(Token::Field(f));
                i += 1 + used;
            } else {
                let ch = body[i..].chars().next().expect("in bounds");
                text.push(ch);
                i += ch.len_utf8();
            }
        }
        if !text.is_empty() {
            tokens.push(Token::Text(text));
        }
        Ok(Formatter { tokens, print_all })
    }

    /// The fields the format uses, in order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.tokens.iter().filter_map(|t| match t {
            Token::Field(f) => Some(f),
            _ => None,
        })
    }

    /// Renders into `out`; returns false when some field had no value.
    pub fn render(&self, ctx: &Ctx<'_>, out: &mut String) -> bool {
        let mut all = true;
        for t in &self.tokens {
            match t {
                Token::Text(s) => out.push_str(s),
                Token::Field(f) => all &= crate::fields::render_field(out, f, ctx),
                Token::Expr(x) => match x.lhs.first_value(ctx) {
                    Some(v) => v.render(out),
                    None => {
                        out.push_str("<NA>");
                        all = false;
                    }
                },
            }
        }
        all
    }

    /// Renders every field as (name, value) pairs, missing ones as None: Falco's output_fields.
    pub fn field_values<'a>(&self, ctx: &Ctx<'a>) -> Vec<(String, Option<Value<'a>>)> {
        // An output names a few fields: a linear look for repeats beats hashing each name.
        let mut v: Vec<(String, Option<Value<'a>>)> = Vec::new();
        for t in &self.tokens {
            let (name, value) = match t {
                Token::Field(f) => (f.display_name(), f.extract(ctx)),
                Token::Expr(x) => (x.name.clone(), x.lhs.first_value(ctx)),
                Token::Text(_) => continue,
            };
            if !v.iter().any(|(n, _)| *n == name) {
                v.push((name, value));
            }
        }
        v
    }

    /// Appends more text (e.g. Falco's `-pc` container suffix) to the format.
    pub fn append(&mut self, other: Formatter) {
        self.tokens.extend(other.tokens);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldId;

    #[test]
    fn parses_tokens() {
        let f =
            Formatter::parse("%evt.num %proc.name (%thread.tid) %evt.arg.fd %proc.aname[2] 100%")
                .unwrap();
        let ids: Vec<_> = f.fields().map(|f| f.id).collect();
        assert_eq!(
            ids,
            vec![
                FieldId::EvtNum,
                FieldId::ProcName,
                FieldId::ThreadTid,
                FieldId::EvtArg,
                FieldId::ProcAname
            ]
        );
        assert!(!f.print_all);
        assert!(Formatter::parse("*%evt.num").unwrap().print_all);
    }

    #[test]
    fn container_info_is_id_and_name() {
        let f = Formatter::parse("user=%user.name %container.info.").unwrap();
        let names: Vec<_> = f.fields().map(|f| f.display_name()).collect();
        assert_eq!(names, ["user.name", "container.id", "container.name"]);
        assert_eq!(
            f.tokens.last(),
            Some(&Token::Text(".".to_string())),
            "text after %container.info stays"
        );
    }

    #[test]
    fn trailing_punctuation_is_text() {
        let f = Formatter::parse("file %fd.name. done").unwrap();
        assert_eq!(f.fields().count(), 1);
    }

    #[test]
    fn transformers_in_outputs() {
        let f = Formatter::parse("user=%toupper(user.name) exe=%basename(proc.exepath).").unwrap();
        assert_eq!(f.tokens.len(), 5);
        let e = Formatter::parse("x %tolower(proc.nope)").unwrap_err();
        assert_eq!(e.offset, 2);
        assert!(e.message.contains("proc.nope"), "{}", e.message);
    }

    #[test]
    fn unknown_field_has_offset() {
        let e = Formatter::parse("user=%user.nope x").unwrap_err();
        assert_eq!(e.offset, 5);
        assert!(e.message.contains("user.nope"), "{}", e.message);
    }
}
