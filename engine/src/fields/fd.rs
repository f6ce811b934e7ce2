//! `fd.*` and `fs.path.*` fields.

use std::borrow::Cow;
use std::net::IpAddr;

use super::{Ctx, Field, FieldArg, FieldId, Value};
use crate::state::fds::{FdType, SocketRole};
use crate::state::parser::{PPM_FD_LOWER_LAYER, PPM_FD_UPPER_LAYER};

use crate::state::parser::{param_i64, param_str};
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
                    let i = crate::param_index!(e, "tuple")?;
                    crate::render::render_param(&mut s, e, i, ctx.state, &ctx.render);
                    return Some(s);
                }
                _ => param_str!(e, "name").map(|n| String::from_utf8_lossy(n).into_owned()),
            };
            let Some(name) = name else {
                return Some(String::new());
            };
            let dirfd = param_i64!(e, "dirfd");
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

/// The table's entry for the event's fd, which the fd fields read; None when their values come
/// from the event instead: the fd is not in the table, or, for `fd.name` (`name`), a connect
/// failed (it names the address it tried, not the socket).
#[inline(always)]
fn entry<'a>(ctx: &Ctx<'a>, name: bool) -> Option<&'a FdInfo> {
    let fd = ctx.fd?;
    if name
        && ctx.evt.event_type == crate::schema::ev::SOCKET_CONNECT_X
        && crate::state::parser::retval(ctx.evt).is_some_and(|r| r < 0)
    {
        return None;
    }
    Some(fd)
}

fn typechar_of(fd: &FdInfo) -> Value<'static> {
    Value::Str(Cow::Borrowed(char_str(fd.kind.typechar())))
}

fn directory_of(fd: &FdInfo) -> Option<Value<'_>> {
    if !is_file_like(fd.kind) {
        return None;
    }
    if fd.kind == FdType::Directory {
        return Some(s(&fd.name));
    }
    Some(s(split_path(&fd.name).0))
}

/// A field of the fd's table entry, for [`Field::extractor`]: `of` the entry, or what
/// [`extract`] gives without one (`name`: the field is `fd.name`, see [`entry`]).
#[inline(always)]
fn of_entry<'a>(
    f: &Field,
    ctx: &Ctx<'a>,
    name: bool,
    of: impl FnOnce(&'a FdInfo) -> Option<Value<'a>>,
) -> Option<Value<'a>> {
    ctx.ectx.fd?;
    match entry(ctx, name) {
        Some(fd) => of(fd),
        None => extract_without_fd(f, ctx),
    }
}

/// `fd.name`, as [`extract`] gives it, for [`Field::extractor`].
pub(super) fn name<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    of_entry(f, ctx, true, |fd| Some(s(&fd.name)))
}

/// `fd.directory`, as [`extract`] gives it, for [`Field::extractor`].
pub(super) fn directory<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    of_entry(f, ctx, false, directory_of)
}

/// `fd.typechar`, as [`extract`] gives it, for [`Field::extractor`].
pub(super) fn typechar<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    of_entry(f, ctx, false, |fd| Some(typechar_of(fd)))
}

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let fdnum = ctx.ectx.fd?;
    match f.id {
        FieldId::FdNum => return Some(Value::Int(fdnum)),
        FieldId::FdUid => {
            return Some(Value::Str(Cow::Owned(format!(
                "{}{fdnum}",
                ctx.thread?.tid
            ))));
        }
        FieldId::FdTypes => {
            let Some(FieldArg::Index(n)) = f.arg else {
                return Some(Value::Str(Cow::Owned(fd_types_text(ctx)?)));
            };
            return Some(s(ctx.state.fd(ctx.evt.tid, n)?.kind.name()));
        }
        FieldId::FdContainername | FieldId::FdContainerdirectory => {
            let inner = Field {
                id: if f.id == FieldId::FdContainername {
                    FieldId::FdName
                } else {
                    FieldId::FdDirectory
                },
                arg: None,
            };
            let v = extract(&inner, ctx)?;
            let id = ctx.thread.map_or("", |t| t.container_id.as_str());
            return Some(Value::Str(Cow::Owned(format!("{id}:{}", v.as_str()?))));
        }
        // falco resolves no addresses to names (Falco only does when a condition names a domain).
        FieldId::FdCipName | FieldId::FdSipName | FieldId::FdLipName | FieldId::FdRipName => {
            return None;
        }
        _ => {}
    }
    let Some(fd) = entry(ctx, f.id == FieldId::FdName) else {
        return extract_without_fd(f, ctx);
    };
    Some(match f.id {
        FieldId::FdType => s(fd.kind.name()),
        FieldId::FdTypechar => typechar_of(fd),
        FieldId::FdName => s(&fd.name),
        FieldId::FdNameraw => raw_name(fd.raw_name()),
        FieldId::FdDirectory => return directory_of(fd),
        FieldId::FdFilename => {
            if fd.kind != FdType::File {
                return None;
            }
            s(split_path(&fd.name).1)
        }
        FieldId::FdNameChanged => Value::Bool(ctx.ectx.fd_name_changed),
        FieldId::FdIsUpperLayer => Value::Bool(fd.open_flags & PPM_FD_UPPER_LAYER != 0),
        FieldId::FdIsLowerLayer => Value::Bool(fd.open_flags & PPM_FD_LOWER_LAYER != 0),
        FieldId::FdConnected => Value::Bool(fd.connected),
        FieldId::FdDev => Value::Int(fd.dev as i64),
        FieldId::FdDevMajor => Value::Int(((fd.dev >> 20) & 0xfff) as i64),
        FieldId::FdDevMinor => Value::Int((fd.dev & 0xfffff) as i64),
        FieldId::FdIno => Value::Int(fd.ino as i64),
        FieldId::FdL4proto => s(fd.effective_l4proto().name()),
        FieldId::FdSockfamily => match fd.kind {
            FdType::UnixSock => s("unix"),
            k if k.is_ip_socket() => s("ip"),
            _ => return None,
        },
        FieldId::FdIsServer => Value::Bool(is_server(ctx.state, fd)),
        _ => return socket_field(f.id, ctx.state, fd),
    })
}

/// Addresses, ports and networks of a socket fd.
fn socket_field<'a>(id: FieldId, state: &State, fd: &FdInfo) -> Option<Value<'a>> {
    let port_text = |p: u16| Value::Str(Cow::Owned(p.to_string()));
    Some(match id {
        FieldId::FdCip | FieldId::FdCnet => Value::Ip(endpoints(fd)?.0),
        FieldId::FdSip | FieldId::FdSnet | FieldId::FdIp | FieldId::FdNet => {
            Value::Ip(server_end(fd)?.0)
        }
        FieldId::FdLip | FieldId::FdLnet => Value::Ip(local_remote(state, fd)?.0),
        FieldId::FdRip | FieldId::FdRnet => Value::Ip(local_remote(state, fd)?.2),
        // sysdig reads the client port of any socket with a role; a listening socket has none (0).
        FieldId::FdCport => match fd.kind {
            _ if fd.role == SocketRole::None => return None,
            FdType::Ipv4Sock | FdType::Ipv6Sock => {
                Value::Uint(fd.tuple.map_or(0, |t| t.sport) as u64)
            }
            FdType::Ipv4ServSock | FdType::Ipv6ServSock => Value::Uint(0),
            _ => return None,
        },
        FieldId::FdSport | FieldId::FdPort | FieldId::FdProto => {
            Value::Uint(server_end(fd)?.1 as u64)
        }
        FieldId::FdLport => Value::Uint(local_remote(state, fd)?.1 as u64),
        FieldId::FdRport => Value::Uint(local_remote(state, fd)?.3 as u64),
        // Port numbers as text: Falco resolves no service names unless asked to.
        FieldId::FdCproto => port_text(endpoints(fd)?.1),
        FieldId::FdSproto => match fd.kind {
            FdType::Ipv4ServSock | FdType::Ipv6ServSock => s(""),
            _ => port_text(server_end(fd)?.1),
        },
        FieldId::FdLproto => port_text(local_remote(state, fd)?.1),
        FieldId::FdRproto => port_text(local_remote(state, fd)?.3),
        _ => return None,
    })
}

fn is_server(state: &State, fd: &FdInfo) -> bool {
    match fd.kind {
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
            is_local(state, &dip)
        }
        _ => false,
    }
}

/// A raw path with repeated slashes collapsed (as Falco's fd.nameraw).
fn raw_name<'a>(raw: &'a str) -> Value<'a> {
    if !crate::bytes::slash_followed_by(raw.as_bytes(), b'/', b'/') {
        return Value::Str(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    Value::Str(Cow::Owned(out))
}

/// The distinct types of the process's open fds.
fn fd_types(ctx: &Ctx<'_>) -> Vec<&'static str> {
    let mut types: Vec<&'static str> = Vec::new();
    if let Some(owner) = ctx.state.threads.fd_owner(ctx.evt.tid) {
        for (_, fi) in owner.fds.iter() {
            let t = fi.kind.name();
            if !types.contains(&t) {
                types.push(t);
            }
        }
    }
    types
}

/// `fd.types` in an output: `(file,ipv4)`.
fn fd_types_text(ctx: &Ctx<'_>) -> Option<String> {
    ctx.thread?;
    Some(format!("({})", fd_types(ctx).join(",")))
}

/// `fd.types` in a condition: any of the types.
pub fn any_fd_type<'a>(ctx: &Ctx<'a>, f: &mut dyn FnMut(&Value<'a>) -> bool) -> bool {
    ctx.ectx.fd.is_some()
        && ctx.thread.is_some()
        && fd_types(ctx)
            .into_iter()
            .any(|t| f(&Value::Str(Cow::Borrowed(t))))
}

/// Fields of events whose fd is not (or not yet) in the table.
fn extract_without_fd<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    match f.id {
        FieldId::FdTypechar => Some(Value::Str(Cow::Borrowed(char_str(null_fd_typechar(
            ctx.evt,
        ))))),
        FieldId::FdName => Some(Value::Str(Cow::Owned(null_fd_name(ctx)?))),
        FieldId::FdNameraw => {
            let e = ctx.evt;
            if e.direction() == crate::schema::Direction::Enter {
                return None;
            }
            match e.name() {
                // The path exactly as the syscall was given it.
                "openat" | "openat2" => {
                    let raw =
                        String::from_utf8_lossy(param_str!(e, "name").filter(|n| !n.is_empty())?);
                    Some(raw_name(&raw).into_owned())
                }
                _ => Some(raw_name(&null_fd_name(ctx)?).into_owned()),
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_names_lose_duplicate_slashes_only() {
        let text = |r: &str| raw_name(r).to_text();
        assert_eq!(text("/etc/passwd"), "/etc/passwd");
        assert_eq!(text("//etc///passwd/"), "/etc/passwd/");
        assert_eq!(text("a/"), "a/");
        assert_eq!(text(""), "");
        assert!(matches!(raw_name("/etc/x"), Value::Str(Cow::Borrowed(_))));
    }
}
