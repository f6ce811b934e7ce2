//! `fd.*` and `fs.path.*` fields.

use std::borrow::Cow;
use std::net::IpAddr;

use super::evt::abspath;
use super::{Ctx, Field, FieldArg, FieldId, Value};
use crate::state::fds::{FdType, SocketRole};
use crate::state::parser::{p_i64, p_str};
use crate::state::{FdInfo, State};

fn s(v: &str) -> Value<'_> {
    Value::Str(Cow::Borrowed(v))
}

/// For the enter event of a syscall that creates an fd, sysdig reports the kind of fd it will make.
fn pending_kind(ctx: &Ctx<'_>) -> Option<FdType> {
    if ctx.ectx.fd != Some(-1) {
        return None;
    }
    match ctx.evt.name() {
        "open" | "openat" | "openat2" | "creat" => Some(FdType::File),
        "socket" | "accept" | "accept4" => Some(FdType::Ipv4Sock),
        _ => None,
    }
}

fn is_local(state: &State, ip: &IpAddr) -> bool {
    ip.is_loopback() || state.interfaces.iter().any(|i| i.addr == *ip)
}

/// (client ip, client port, server ip, server port) of an IP socket.
fn endpoints(fd: &FdInfo) -> Option<(IpAddr, u16, IpAddr, u16)> {
    let t = fd.tuple?;
    if matches!(fd.kind, FdType::Ipv4ServSock | FdType::Ipv6ServSock) {
        return Some((t.sip, t.sport, t.dip, t.dport));
    }
    Some((t.sip, t.sport, t.dip, t.dport))
}

/// (local ip, local port, remote ip, remote port): the side this process is on.
fn local_remote(state: &State, fd: &FdInfo) -> Option<(IpAddr, u16, IpAddr, u16)> {
    let (cip, cport, sip, sport) = endpoints(fd)?;
    let server_side = match fd.role {
        SocketRole::Server => true,
        SocketRole::Client => false,
        SocketRole::None => is_local(state, &sip) && !is_local(state, &cip),
    };
    Some(if server_side {
        (sip, sport, cip, cport)
    } else {
        (cip, cport, sip, sport)
    })
}

fn split_path(name: &str) -> (&str, &str) {
    match name.rfind('/') {
        Some(0) => ("/", &name[1..]),
        Some(i) => (&name[..i], &name[i + 1..]),
        None => ("", name),
    }
}

fn is_file_like(k: FdType) -> bool {
    matches!(k, FdType::File | FdType::Directory)
}

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    match f.id {
        FieldId::FsPathName => return Some(Value::Str(Cow::Owned(fs_path(ctx, None)?))),
        FieldId::FsPathSource => return Some(Value::Str(Cow::Owned(fs_path(ctx, Some("src"))?))),
        FieldId::FsPathTarget => return Some(Value::Str(Cow::Owned(fs_path(ctx, Some("dst"))?))),
        FieldId::FdNum => return Some(Value::Int(ctx.ectx.fd?)),
        _ => {}
    }
    let Some(fd) = ctx.fd else {
        return extract_without_fd(f, ctx);
    };
    Some(match f.id {
        FieldId::FdType => s(fd.kind.name()),
        FieldId::FdTypechar => Value::Str(Cow::Owned(fd.kind.typechar().to_string())),
        FieldId::FdName | FieldId::FdNameraw => s(&fd.name),
        FieldId::FdDirectory => {
            if !is_file_like(fd.kind) {
                return None;
            }
            if fd.kind == FdType::Directory {
                return Some(s(&fd.name));
            }
            s(split_path(&fd.name).0)
        }
        FieldId::FdFilename => {
            if fd.kind != FdType::File {
                return None;
            }
            s(split_path(&fd.name).1)
        }
        FieldId::FdCip => Value::Ip(endpoints(fd)?.0),
        FieldId::FdSip => Value::Ip(endpoints(fd)?.2),
        FieldId::FdCport => Value::Uint(endpoints(fd)?.1 as u64),
        FieldId::FdSport => Value::Uint(endpoints(fd)?.3 as u64),
        FieldId::FdLip => Value::Ip(local_remote(ctx.state, fd)?.0),
        FieldId::FdLport => Value::Uint(local_remote(ctx.state, fd)?.1 as u64),
        FieldId::FdRip => Value::Ip(local_remote(ctx.state, fd)?.2),
        FieldId::FdRport => Value::Uint(local_remote(ctx.state, fd)?.3 as u64),
        // Filter-only fields: the filter matches either side through any_value semantics on both.
        FieldId::FdIp | FieldId::FdNet => Value::Ip(endpoints(fd)?.2),
        FieldId::FdCnet => Value::Ip(endpoints(fd)?.0),
        FieldId::FdSnet => Value::Ip(endpoints(fd)?.2),
        FieldId::FdLnet => Value::Ip(local_remote(ctx.state, fd)?.0),
        FieldId::FdRnet => Value::Ip(local_remote(ctx.state, fd)?.2),
        FieldId::FdPort => Value::Uint(endpoints(fd)?.3 as u64),
        FieldId::FdL4proto => {
            if !fd.kind.is_ip_socket() {
                return None;
            }
            s(fd.effective_l4proto().name())
        }
        FieldId::FdSockfamily => match fd.kind {
            FdType::UnixSock => s("unix"),
            k if k.is_ip_socket() => s("ip"),
            _ => return None,
        },
        FieldId::FdIsServer => {
            if !fd.kind.is_socket() {
                return None;
            }
            Value::Bool(fd.role == SocketRole::Server)
        }
        FieldId::FdConnected => {
            if !fd.kind.is_socket() {
                return None;
            }
            Value::Bool(fd.tuple.is_some() && fd.role != SocketRole::Server)
        }
        FieldId::FdDev => Value::Int(fd.dev as i64),
        FieldId::FdDevMajor => Value::Int(((fd.dev >> 20) & 0xfff) as i64),
        FieldId::FdDevMinor => Value::Int((fd.dev & 0xfffff) as i64),
        FieldId::FdIno => Value::Int(fd.ino as i64),
        _ => return None,
    })
}

/// Fields of events whose fd is not (or not yet) in the table.
fn extract_without_fd<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    if let Some(kind) = pending_kind(ctx) {
        return match f.id {
            FieldId::FdType => Some(s(kind.name())),
            FieldId::FdTypechar => Some(Value::Str(Cow::Owned(kind.typechar().to_string()))),
            _ => None,
        };
    }
    // A failed open still names the file it tried.
    if matches!(f.id, FieldId::FdName | FieldId::FdNameraw) && ctx.ectx.fd.is_some_and(|fd| fd < 0)
    {
        let e = ctx.evt;
        if matches!(e.name(), "open" | "openat" | "openat2" | "creat") {
            let name = p_str(e, "name")?;
            let name = String::from_utf8_lossy(name);
            let dirfd = p_i64(e, "dirfd");
            return Some(Value::Str(Cow::Owned(
                ctx.state.resolve_path(e.tid, dirfd, &name),
            )));
        }
    }
    None
}

/// The path an event touches: the fd's file for open-family and fd events, else the path argument.
fn fs_path(ctx: &Ctx<'_>, which: Option<&str>) -> Option<String> {
    let e = ctx.evt;
    if which.is_none() {
        if let Some(p) = abspath(ctx, None) {
            return Some(p);
        }
        for name in ["path", "name", "pathname", "filename"] {
            if let Some(p) = p_str(e, name) {
                let p = String::from_utf8_lossy(p);
                return Some(ctx.state.resolve_path(e.tid, None, &p));
            }
        }
        return ctx
            .fd
            .filter(|f| is_file_like(f.kind))
            .map(|f| f.name.clone());
    }
    match e.name() {
        "rename" | "renameat" | "renameat2" | "link" | "linkat" | "symlink" | "symlinkat" => {
            abspath(ctx, which)
        }
        _ => None,
    }
}

#[allow(dead_code)]
fn index_arg(f: &Field) -> Option<i64> {
    match f.arg {
        Some(FieldArg::Index(i)) => Some(i),
        _ => None,
    }
}
