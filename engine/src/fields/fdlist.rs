//! `fdlist.*` fields: the fds of a poll/ppoll event's `fds` argument, each resolved in the process's
//! fd table, comma-separated. Falco 0.44 reads the exit event; sysdig reads the enter event too
//! (which Falco's own captures of old layouts have): both are served.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Ctx, Field, FieldId, Value};
use crate::state::FdType;
use crate::state::parser::param_bytes;

/// The (fd, events) entries of a PT_FDLIST parameter: a u16 count, then an i64 fd and a u16 of
/// flags per entry.
fn entries(b: &[u8]) -> impl Iterator<Item = i64> + '_ {
    let n = b
        .get(..2)
        .map_or(0, |c| u16::from_le_bytes([c[0], c[1]]) as usize);
    b.get(2..)
        .unwrap_or_default()
        .chunks_exact(10)
        .take(n)
        .map(|c| i64::from_le_bytes(c[..8].try_into().expect("8 bytes")))
}

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let e = ctx.evt;
    if !matches!(e.name(), "poll" | "ppoll") {
        return None;
    }
    let fds = param_bytes!(e, "fds")?;
    ctx.thread?;
    let owner = ctx.state.threads.fd_owner(e.tid);
    let mut out = String::new();
    for fd in entries(fds) {
        let fi = owner.and_then(|o| o.fds.get(fd));
        let socket = fi.filter(|fi| matches!(fi.kind, FdType::Ipv4Sock | FdType::Ipv6Sock));
        let tuple = socket.and_then(|fi| fi.tuple);
        // Entries without a value leave no item (and no comma) for the address and port lists.
        let wrote = match f.id {
            FieldId::FdlistNums => write!(out, "{fd}").is_ok(),
            FieldId::FdlistNames => {
                match fi.filter(|fi| !fi.name.is_empty()) {
                    Some(fi) => out.push_str(&fi.name),
                    None => out.push_str("<NA>"),
                }
                true
            }
            FieldId::FdlistCips => tuple.is_some_and(|t| write!(out, "{}", t.sip).is_ok()),
            FieldId::FdlistSips => match fi {
                Some(fi) if matches!(fi.kind, FdType::Ipv4ServSock | FdType::Ipv6ServSock) => {
                    fi.tuple.is_some_and(|t| write!(out, "{}", t.dip).is_ok())
                }
                _ => tuple.is_some_and(|t| write!(out, "{}", t.dip).is_ok()),
            },
            FieldId::FdlistCports => tuple.is_some_and(|t| write!(out, "{}", t.sport).is_ok()),
            FieldId::FdlistSports => tuple.is_some_and(|t| write!(out, "{}", t.dport).is_ok()),
            _ => return None,
        };
        if wrote {
            out.push(',');
        }
    }
    if out.ends_with(',') {
        out.pop();
    }
    (!out.is_empty()).then_some(Value::Str(Cow::Owned(out)))
}
