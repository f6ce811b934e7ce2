//! Operands: a field, or libsinsp's transformers applied to fields and constants (`tolower`,
//! `toupper`, `b64`, `basename`, `len`, `concat`, `join`, `val`), compiled once and evaluated per
//! event. Only transformed values are built per event; plain fields stay borrowed.

use super::ast::Transformer;
use crate::fields::{Ctx, Field, FieldType, Value};

/// A compiled operand.
#[derive(Debug)]
pub enum Lhs {
    Field(Field),
    /// A one-argument transformer (`val` compiles to its field).
    Transform(Transformer, Box<Lhs>),
    /// `concat(a, b, ...)`: the text of each part, one after the other.
    Concat(Box<[Part]>),
    /// `join(sep, (a, b, ...))`: the values of the list's parts separated by `sep`.
    Join(Box<Part>, Box<[Part]>),
}

/// A transformer argument: an operand or a constant string.
#[derive(Debug)]
pub enum Part {
    Lhs(Lhs),
    Const(Box<str>),
}

/// The type a transformer gives, or None when it cannot take `input`.
pub fn result_type(t: Transformer, input: FieldType) -> Option<FieldType> {
    let stringy = input.is_stringy() || input == FieldType::Dynamic;
    match t {
        Transformer::Tolower | Transformer::Toupper | Transformer::Basename => {
            stringy.then_some(FieldType::String)
        }
        Transformer::B64 => (stringy || input == FieldType::Bytes).then_some(FieldType::String),
        Transformer::Len => (stringy || input == FieldType::Bytes).then_some(FieldType::Uint64),
        Transformer::Val => Some(input),
        Transformer::Concat | Transformer::Join | Transformer::Getopt => Some(FieldType::String),
    }
}

impl Lhs {
    /// Calls `f` with each value (several for `proc.aname` and the like); stops when `f` is true.
    pub fn any_value<'a>(&self, ctx: &Ctx<'a>, f: &mut dyn FnMut(&Value<'_>) -> bool) -> bool {
        match self {
            Lhs::Field(fl) => fl.any_value(ctx, &mut |v| f(v)),
            Lhs::Transform(t, inner) => inner.any_value(ctx, &mut |v| match transform(*t, v) {
                Some(tv) => f(&tv),
                None => false,
            }),
            Lhs::Concat(parts) => {
                let mut out = String::new();
                for p in parts.iter() {
                    if !p.push_first(ctx, &mut out) {
                        return false;
                    }
                }
                f(&Value::Str(out.into()))
            }
            Lhs::Join(sep, items) => {
                let mut s = String::new();
                if !sep.push_first(ctx, &mut s) {
                    return false;
                }
                let mut out = String::new();
                let mut first = true;
                for p in items.iter() {
                    p.for_each(ctx, &mut |v| {
                        if !first {
                            out.push_str(&s);
                        }
                        first = false;
                        v.render(&mut out);
                    });
                }
                f(&Value::Str(out.into()))
            }
        }
    }

    /// The first value, for a field compared with another field.
    pub fn first_value(&self, ctx: &Ctx<'_>) -> Option<Value<'static>> {
        let mut out = None;
        self.any_value(ctx, &mut |v| {
            out = Some(v.clone().into_owned());
            true
        });
        out
    }

    /// The plain field, when the operand is one.
    pub fn field(&self) -> Option<&Field> {
        match self {
            Lhs::Field(f) => Some(f),
            _ => None,
        }
    }
}

impl Part {
    /// Appends the first value's text; false when the operand has no value.
    fn push_first(&self, ctx: &Ctx<'_>, out: &mut String) -> bool {
        match self {
            Part::Const(s) => {
                out.push_str(s);
                true
            }
            Part::Lhs(l) => l.any_value(ctx, &mut |v| {
                v.render(out);
                true
            }),
        }
    }

    fn for_each(&self, ctx: &Ctx<'_>, f: &mut dyn FnMut(&Value<'_>)) {
        match self {
            Part::Const(s) => f(&Value::Str(s.as_ref().into())),
            Part::Lhs(l) => {
                l.any_value(ctx, &mut |v| {
                    f(v);
                    false
                });
            }
        }
    }
}

/// Applies a one-argument transformer to one value.
pub fn transform(t: Transformer, v: &Value<'_>) -> Option<Value<'static>> {
    let bytes: &[u8] = match v {
        Value::Str(s) => s.as_bytes(),
        Value::Bytes(b) => b,
        other if t == Transformer::Val => return Some(other.clone().into_owned()),
        _ => return None,
    };
    Some(match t {
        Transformer::Tolower => Value::Str(String::from_utf8_lossy(bytes).to_lowercase().into()),
        Transformer::Toupper => Value::Str(String::from_utf8_lossy(bytes).to_uppercase().into()),
        Transformer::Len => Value::Uint(bytes.len() as u64),
        Transformer::Basename => {
            let s = String::from_utf8_lossy(bytes);
            Value::Str(s.rsplit('/').next().unwrap_or("").to_string().into())
        }
        Transformer::B64 => Value::Str(
            String::from_utf8_lossy(&b64_decode(bytes)?)
                .into_owned()
                .into(),
        ),
        _ => v.clone().into_owned(),
    })
}

/// Base64 decoding (standard and URL-safe alphabets, padding optional).
pub fn b64_decode(input: &[u8]) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        })
    };
    let data: Vec<u8> = input
        .iter()
        .copied()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for chunk in data.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= val(*c)? << (18 - 6 * i);
        }
        let n = match chunk.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => return None,
        };
        out.extend_from_slice(&acc.to_be_bytes()[1..1 + n]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b64() {
        assert_eq!(b64_decode(b"aGVsbG8=").unwrap(), b"hello");
        assert!(b64_decode(b"!!").is_none());
    }

    #[test]
    fn transformers_on_values() {
        let v = Value::Str("/usr/bin/BASH".into());
        assert_eq!(
            transform(Transformer::Basename, &v),
            Some(Value::Str("BASH".into()))
        );
        assert_eq!(
            transform(Transformer::Tolower, &v),
            Some(Value::Str("/usr/bin/bash".into()))
        );
        assert_eq!(transform(Transformer::Len, &v), Some(Value::Uint(13)));
        assert_eq!(result_type(Transformer::Tolower, FieldType::Int64), None);
    }
}
