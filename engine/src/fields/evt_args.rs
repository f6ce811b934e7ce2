//! Event arguments as fields: `evt.arg` (rendered), `evt.rawarg` (raw), the return value, and the
//! parameters older exit layouts lack, read from the matching enter event.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Ctx, FieldArg, Value};
use crate::event::Event;
use crate::render;
use crate::schema::{self, Direction, ParamExtra, pt};

/// The value of one argument as `evt.arg` shows it: the resolved form when there is one
/// (`<f>/etc/passwd` for an fd, `O_RDONLY` for flags, `ENOENT` for an errno), else the plain value.
pub fn arg_text(e: &Event<'_>, i: usize, ctx: &Ctx<'_>) -> Option<String> {
    let b = e.param(i)?;
    let info = e.param_info(i)?;
    // Room for most renderings (a path, a flag list) without growing.
    let mut out = String::with_capacity(b.len().max(64));
    match info.ptype {
        pt::PT_FD => {
            let v = e.param_i64(i)?;
            if v < 0 {
                match render::names::errno_name((-v) as u32) {
                    Some(n) => out.push_str(n),
                    None => {
                        let _ = write!(out, "{v}");
                    }
                }
            } else if let Some(fi) = ctx.state.fd(e.tid, v) {
                let _ = write!(out, "<{}>{}", fi.kind.typechar(), fi.name);
            } else {
                let _ = write!(out, "{v}");
            }
        }
        // A successful return value prints in the parameter's format (mmap's address in hex).
        pt::PT_ERRNO if e.param_i64(i)? >= 0 => {
            render::render_param(&mut out, e, i, ctx.state, &ctx.render)
        }
        pt::PT_ERRNO => {
            let v = e.param_i64(i)?;
            match (v < 0)
                .then(|| render::names::errno_name((-v) as u32))
                .flatten()
            {
                Some(n) => out.push_str(n),
                None => {
                    let _ = write!(out, "{v}");
                }
            }
        }
        pt::PT_FLAGS8
        | pt::PT_FLAGS16
        | pt::PT_FLAGS32
        | pt::PT_ENUMFLAGS8
        | pt::PT_ENUMFLAGS16
        | pt::PT_ENUMFLAGS32
        | pt::PT_MODE => {
            let mut full = String::new();
            render::render_param(&mut full, e, i, ctx.state, &ctx.render);
            match (full.find('('), matches!(info.extra, ParamExtra::Flags(_))) {
                (Some(p), true) => out.push_str(&full[p + 1..full.len() - 1]),
                _ => out.push_str(&full),
            }
        }
        pt::PT_PID => {
            let v = e.param_i64(i)?;
            match ctx.state.thread(v) {
                Some(t) => out.push_str(&t.comm),
                None => {
                    let _ = write!(out, "{v}");
                }
            }
        }
        // evt.arg names the syscall of a generic event, without its number.
        pt::PT_SYSCALLID => out.push_str(
            e.param_u64(i)
                .and_then(|id| schema::syscall_name(id as u16))
                .unwrap_or("<unknown>"),
        ),
        pt::PT_SIGTYPE => {
            let v = b.first().copied()? as u32;
            match render::names::signal_name(v) {
                Some(n) => out.push_str(n),
                None => {
                    let _ = write!(out, "{v}");
                }
            }
        }
        pt::PT_FSPATH | pt::PT_FSRELPATH => {
            let s = render::charbuf(b);
            if s.starts_with('/') || s.is_empty() {
                out.push_str(&s);
            } else {
                let dirfd = match info.extra {
                    ParamExtra::DirFd(d) => e.param_i64(d as usize),
                    _ => None,
                };
                out.push_str(&ctx.state.resolve_path(e.tid, dirfd, &s));
            }
        }
        _ => render::render_param(&mut out, e, i, ctx.state, &ctx.render),
    }
    Some(out)
}

/// The raw value of an argument (evt.rawarg): numbers as numbers, strings as strings.
pub fn arg_raw<'a>(e: &Event<'a>, i: usize) -> Option<Value<'a>> {
    let b = e.param(i)?;
    let info = e.param_info(i)?;
    Some(match info.ptype {
        pt::PT_INT8
        | pt::PT_INT16
        | pt::PT_INT32
        | pt::PT_INT64
        | pt::PT_ERRNO
        | pt::PT_FD
        | pt::PT_PID => Value::Int(e.param_i64(i)?),
        pt::PT_UINT8
        | pt::PT_UINT16
        | pt::PT_UINT32
        | pt::PT_UINT64
        | pt::PT_FLAGS8
        | pt::PT_FLAGS16
        | pt::PT_FLAGS32
        | pt::PT_ENUMFLAGS8
        | pt::PT_ENUMFLAGS16
        | pt::PT_ENUMFLAGS32
        | pt::PT_MODE
        | pt::PT_UID
        | pt::PT_GID
        | pt::PT_RELTIME
        | pt::PT_ABSTIME
        | pt::PT_PORT
        | pt::PT_SIGTYPE
        | pt::PT_SYSCALLID
        | pt::PT_SOCKFAMILY
        | pt::PT_L4PROTO
        | pt::PT_BOOL => Value::Uint(e.param_u64(i)?),
        pt::PT_CHARBUF | pt::PT_FSPATH | pt::PT_FSRELPATH => Value::Str(render::charbuf(b)),
        _ => Value::Bytes(Cow::Borrowed(b)),
    })
}

/// The return value of an exit event whose first parameter is `res` or `fd`, as sysdig reads it.
pub fn return_code(e: &Event<'_>) -> Option<i64> {
    if e.direction() != Direction::Exit {
        return None;
    }
    let p0 = e.param_info(0)?;
    if p0.name == "res" || p0.name == "fd" {
        e.param_i64(0)
    } else {
        None
    }
}

pub fn arg_index(e: &Event<'_>, arg: &Option<FieldArg>) -> Option<usize> {
    match arg.as_ref()? {
        FieldArg::Index(i) => usize::try_from(*i).ok().filter(|i| *i < e.nparams()),
        FieldArg::Name(n) => e.param_index(n),
    }
}

/// For an exit event recorded before its layout gained a parameter (a 2022 ptrace exit has no
/// `request`), that parameter from the thread's matching enter event, as libsinsp's capture
/// converter supplies it: rules written for today's exit layouts then work on older captures.
pub fn appended_from_enter<'a>(
    e: &Event<'_>,
    name: &str,
    ctx: &Ctx<'a>,
) -> Option<(Event<'a>, usize)> {
    if e.direction() != Direction::Exit {
        return None;
    }
    let declared = e.info()?.params.iter().position(|p| p.name == name)?;
    if declared < e.nparams() {
        return None;
    }
    let t = ctx.thread?;
    if t.last_enter_type.wrapping_add(1) != e.event_type {
        return None;
    }
    let enter = Event::from_bytes(&t.last_enter, e.cpu).ok()?;
    let i = enter.param_index(name)?;
    Some((enter, i))
}

pub fn data_param(e: &Event<'_>) -> Option<usize> {
    let info = e.info()?;
    info.params
        .iter()
        .take(e.nparams())
        .position(|p| p.ptype == pt::PT_BYTEBUF && p.name == "data")
}

/// The raw value of the argument named `name` (evt.rawarg.NAME), from the enter event for exit
/// layouts that lack it.
pub fn raw_param<'a>(ctx: &Ctx<'a>, name: &str) -> Option<Value<'a>> {
    let e = ctx.evt;
    match e.param_index(name) {
        Some(i) => arg_raw(e, i),
        None => {
            let (enter, i) = appended_from_enter(e, name, ctx)?;
            arg_raw(&enter, i)
        }
    }
}
