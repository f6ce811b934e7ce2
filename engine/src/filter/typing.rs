//! Constants typed against the field they are compared with, and which operators each field type
//! takes (as libsinsp: numbers have no string operators, booleans and addresses only equality and
//! lists).

use std::net::IpAddr;

use super::ast::Op;
use super::error::{FilterError, FilterErrorKind};
use super::eval::{IpNet, Lit};
use crate::fields::FieldType;

/// Builds the typed constant for `text` compared with a field of type `t`.
pub fn literal(
    t: FieldType,
    op: Op,
    text: &str,
    pos: usize,
    field: &str,
) -> Result<Lit, FilterError> {
    let bad = |expected: &'static str| {
        FilterError::new(
            FilterErrorKind::BadValue {
                value: text.to_string(),
                field: field.to_string(),
                expected,
            },
            pos,
            text.to_string(),
        )
    };
    if matches!(op, Op::Bcontains | Op::Bstartswith) {
        return hex_bytes(text)
            .map(Lit::Bytes)
            .ok_or_else(|| bad("hex byte string"));
    }
    if matches!(op, Op::Glob | Op::Iglob | Op::Regex | Op::Icontains) {
        return Ok(Lit::Str(text.into()));
    }
    Ok(match t {
        FieldType::String | FieldType::AbsPath => Lit::Str(text.into()),
        FieldType::Bytes => Lit::Bytes(text.as_bytes().into()),
        FieldType::Int64
        | FieldType::Uint64
        | FieldType::Port
        | FieldType::RelTime
        | FieldType::AbsTime => Lit::Num(parse_int(text).ok_or_else(|| bad("number"))?),
        FieldType::Double => Lit::Float(text.trim().parse().map_err(|_| bad("number"))?),
        FieldType::Bool => match text {
            "true" => Lit::Bool(true),
            "false" => Lit::Bool(false),
            _ => return Err(bad("boolean (true or false)")),
        },
        FieldType::IpAddr => match text.parse::<IpAddr>() {
            Ok(ip) => Lit::Ip(ip),
            Err(_) => return Err(bad("IP address")),
        },
        FieldType::IpNet => Lit::Net(IpNet::parse(text).ok_or_else(|| bad("IP network"))?),
        FieldType::Dynamic => Lit::Dyn {
            text: text.into(),
            num: parse_int(text),
        },
    })
}

/// The bytes a string-like constant stands for.
pub fn lit_bytes(l: &Lit) -> Box<[u8]> {
    match l {
        Lit::Str(s) => s.as_bytes().into(),
        Lit::Bytes(b) => b.clone(),
        Lit::Dyn { text, .. } => text.as_bytes().into(),
        _ => Box::new([]),
    }
}

/// Decimal (optionally signed) or 0x hexadecimal.
pub fn parse_int(s: &str) -> Option<i128> {
    let s = s.trim();
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return i128::from_str_radix(h, 16).ok();
    }
    s.parse().ok()
}

pub fn hex_bytes(s: &str) -> Option<Box<[u8]>> {
    let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
        .collect()
}

/// Which operators a field type supports (as libsinsp: numbers have no string operators, booleans
/// and addresses only equality and lists).
pub fn op_allowed(t: FieldType, op: Op) -> bool {
    use Op::*;
    match t {
        FieldType::String | FieldType::AbsPath | FieldType::Dynamic => true,
        FieldType::Bytes => matches!(
            op,
            Eq | Ne
                | Contains
                | Icontains
                | Bcontains
                | Startswith
                | Bstartswith
                | Endswith
                | Exists
                | In
                | Intersects
                | Glob
                | Iglob
        ),
        FieldType::Int64
        | FieldType::Uint64
        | FieldType::Port
        | FieldType::RelTime
        | FieldType::AbsTime
        | FieldType::Double => matches!(op, Eq | Ne | Lt | Le | Gt | Ge | In | Intersects | Exists),
        FieldType::Bool | FieldType::IpAddr | FieldType::IpNet => {
            matches!(op, Eq | Ne | In | Intersects | Exists)
        }
    }
}

pub fn comparable(a: FieldType, b: FieldType) -> bool {
    let class = |t: FieldType| match t {
        FieldType::String | FieldType::AbsPath | FieldType::Bytes => 0,
        t if t.is_numeric() => 1,
        FieldType::Bool => 2,
        FieldType::IpAddr | FieldType::IpNet => 3,
        _ => 4,
    };
    a == FieldType::Dynamic || b == FieldType::Dynamic || class(a) == class(b)
}
