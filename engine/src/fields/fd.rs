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

/// The fd type char sysdig reports for an event whose fd is not in the table: the kind the syscall
/// creates, or `o`.
fn null_fd_typechar(e: &crate::event::Event<'_>) -> char {
    match e.name() {
        "open" | "openat" | "openat2" | "creat" => 'f',
        "socket" | "accept" | "accept4" => '4',
        "pipe" | "pipe2" => 'p',
        "eventfd" | "eventfd2" => 'e',
        "signalfd" | "signalfd4" => 's',
        "timerfd_create" => 't',
        "inotify_init" | "inotify_init1" => 'i',
        _ => 'o',
    }
}

/// The name sysdig reports for an exit event whose fd is not in the table: the path or tuple the
/// creating syscall was given (a failed open still names its file), else empty. None for enters.
fn null_fd_name(ctx: &Ctx<'_>) -> Option<String> {
    let e = ctx.evt;
    if e.direction() == crate::schema::Direction::Enter {
        return None;
    }
    Some(match e.name() {
        "open" | "creat" | "accept" | "accept4" | "connect" | "openat" | "openat2" => {
            let name = match e.name() {
                "accept" | "accept4" | "connect" => {
                    let mut s = String::new();
                    let i = e.param_index("tuple")?;
                    crate::render::render_param(&mut s, e, i, ctx.state, &ctx.render);
                    return Some(s);
                }
                _ => p_str(e, "name").map(|n| String::from_utf8_lossy(n).into_owned()),
            };
            let Some(name) = name else {
                return Some(String::new());
            };
            let dirfd = p_i64(e, "dirfd");
            ctx.state.resolve_path(e.tid, dirfd, &name)
        }
        _ => String::new(),
    })
}

/// Whether an address is this machine's. Without any IPv6 interface known, sysdig counts every
/// IPv6 address as local.
/// A one-character string for an fd type char, without allocating.
fn char_str(c: char) -> &'static str {
    // A match, not a search: fd.typechar is in the default rules' hot path.
    match c {
        'f' => "f",
        'd' => "d",
        '4' => "4",
        '6' => "6",
        'p' => "p",
        'u' => "u",
        'e' => "e",
        's' => "s",
        'l' => "l",
        'i' => "i",
        't' => "t",
        'n' => "n",
        'b' => "b",
        'm' => "m",
        'r' => "r",
        'P' => "P",
        _ => "o",
    }
}

fn is_local(state: &State, ip: &IpAddr) -> bool {
    if ip.is_loopback() || state.interfaces.iter().any(|i| i.addr == *ip) {
        return true;
    }
    ip.is_ipv6() && (ip.is_unspecified() || !state.interfaces.iter().any(|i| i.addr.is_ipv6()))
}

/// (client ip, client port, server ip, server port) of a connected IP socket with a role.
fn endpoints(fd: &FdInfo) -> Option<(IpAddr, u16, IpAddr, u16)> {
    if !matches!(fd.kind, FdType::Ipv4Sock | FdType::Ipv6Sock) || fd.role == SocketRole::None {
        return None;
    }
    let t = fd.tuple?;
    Some((t.sip, t.sport, t.dip, t.dport))
}

/// The server address of a socket: the peer of a client socket, or what a listening socket bound.
fn server_end(fd: &FdInfo) -> Option<(IpAddr, u16)> {
    match fd.kind {
        FdType::Ipv4ServSock | FdType::Ipv6ServSock => fd.tuple.map(|t| (t.dip, t.dport)),
        _ => endpoints(fd).map(|(_, _, ip, port)| (ip, port)),
    }
}

/// (local ip, local port, remote ip, remote port): the side this process is on.
fn local_remote(state: &State, fd: &FdInfo) -> Option<(IpAddr, u16, IpAddr, u16)> {
    // As sysdig: the client end is local when its address belongs to this machine.
    let (cip, cport, sip, sport) = endpoints(fd)?;
    Some(if is_local(state, &cip) {
        (cip, cport, sip, sport)
    } else {
        (sip, sport, cip, cport)
    })
}

fn split_path(name: &str) -> (&str, &str) {
    match memchr::memrchr(b'/', name.as_bytes()) {
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
    // A failed connect names the address it tried, not the socket.
    if f.id == FieldId::FdName
        && ctx.evt.event_type == crate::schema::ev::SOCKET_CONNECT_X
        && crate::state::parser::retval(ctx.evt).is_some_and(|r| r < 0)
    {
        return extract_without_fd(f, ctx);
    }
    Some(match f.id {
        FieldId::FdType => s(fd.kind.name()),
        FieldId::FdTypechar => Value::Str(Cow::Borrowed(char_str(fd.kind.typechar()))),
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
        FieldId::FdSip => Value::Ip(server_end(fd)?.0),
        // sysdig reports the client port of any IP socket, with a role or not.
        // sysdig reads the client port of any socket with a role; a listening socket has none (0).
        FieldId::FdCport => match fd.kind {
            _ if fd.role == SocketRole::None => return None,
            FdType::Ipv4Sock | FdType::Ipv6Sock => {
                Value::Uint(fd.tuple.map_or(0, |t| t.sport) as u64)
            }
            FdType::Ipv4ServSock | FdType::Ipv6ServSock => Value::Uint(0),
            _ => return None,
        },
        FieldId::FdSport => Value::Uint(server_end(fd)?.1 as u64),
        FieldId::FdLip => Value::Ip(local_remote(ctx.state, fd)?.0),
        FieldId::FdLport => Value::Uint(local_remote(ctx.state, fd)?.1 as u64),
        FieldId::FdRip => Value::Ip(local_remote(ctx.state, fd)?.2),
        FieldId::FdRport => Value::Uint(local_remote(ctx.state, fd)?.3 as u64),
        // Filter-only fields: the filter matches either side through any_value semantics on both.
        FieldId::FdIp | FieldId::FdNet => Value::Ip(server_end(fd)?.0),
        FieldId::FdCnet => Value::Ip(endpoints(fd)?.0),
        FieldId::FdSnet => Value::Ip(server_end(fd)?.0),
        FieldId::FdLnet => Value::Ip(local_remote(ctx.state, fd)?.0),
        FieldId::FdRnet => Value::Ip(local_remote(ctx.state, fd)?.2),
        FieldId::FdPort => Value::Uint(server_end(fd)?.1 as u64),
        FieldId::FdL4proto => s(fd.effective_l4proto().name()),
        FieldId::FdSockfamily => match fd.kind {
            FdType::UnixSock => s("unix"),
            k if k.is_ip_socket() => s("ip"),
            _ => return None,
        },
        FieldId::FdIsServer => Value::Bool(match fd.kind {
            FdType::Ipv4ServSock | FdType::Ipv6ServSock => true,
            FdType::Ipv4Sock | FdType::Ipv6Sock => {
                let dip = fd
                    .tuple
                    .map(|t| t.dip)
                    .unwrap_or(if fd.kind == FdType::Ipv6Sock {
                        IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED)
                    } else {
                        IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
                    });
                is_local(ctx.state, &dip)
            }
            _ => false,
        }),
        FieldId::FdConnected => Value::Bool(fd.connected),
        FieldId::FdDev => Value::Int(fd.dev as i64),
        FieldId::FdDevMajor => Value::Int(((fd.dev >> 20) & 0xfff) as i64),
        FieldId::FdDevMinor => Value::Int((fd.dev & 0xfffff) as i64),
        FieldId::FdIno => Value::Int(fd.ino as i64),
        _ => return None,
    })
}

/// Fields of events whose fd is not (or not yet) in the table.
fn extract_without_fd<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    ctx.ectx.fd?;
    match f.id {
        FieldId::FdTypechar => Some(Value::Str(Cow::Borrowed(char_str(null_fd_typechar(
            ctx.evt,
        ))))),
        FieldId::FdName | FieldId::FdNameraw => Some(Value::Str(Cow::Owned(null_fd_name(ctx)?))),
        FieldId::FdDirectory => {
            let name = null_fd_name(ctx)?;
            Some(Value::Str(Cow::Owned(match name.rfind('/') {
                Some(p) if p != 0 && p < name.len() - 1 => name[..p].to_string(),
                Some(p) if p != 0 => name,
                _ => "/".to_string(),
            })))
        }
        _ => None,
    }
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
