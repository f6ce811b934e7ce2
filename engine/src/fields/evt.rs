//! `evt.*` fields.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Ctx, Field, FieldArg, FieldId, Value};
use crate::event::Event;
use crate::render;
use crate::schema::{self, Direction, ParamExtra, ec, ef, pt};
use crate::state::parser::{PPM_O_DIRECTORY, p_i64, p_str};

const PPM_O_RDONLY: u64 = 1;
const PPM_O_WRONLY: u64 = 2;
const PPM_O_CREAT: u64 = 1 << 2;
const EXEC_BITS: u64 = 0o111;

/// The event type name: for generic events the syscall's name, as sysdig shows it.
pub fn type_name(e: &Event<'_>) -> &'static str {
    match e.info() {
        None => "<unknown>",
        Some(info) if info.name == "syscall" => e
            .param_u64(0)
            .and_then(|id| schema::syscall_name(id as u16))
            .unwrap_or("<unknown>"),
        Some(info) => info.name,
    }
}

/// sysdig's name of an event category.
pub fn category_name(category: u32) -> &'static str {
    match category & ec::EC_ENUM_MASK {
        ec::EC_UNKNOWN => {
            if category & ec::EC_WAIT != 0 {
                "wait"
            } else if category & ec::EC_SCHEDULER != 0 {
                "scheduler"
            } else if category & ec::EC_INTERNAL != 0 {
                "internal"
            } else {
                "unknown"
            }
        }
        ec::EC_OTHER => "other",
        ec::EC_FILE => "file",
        ec::EC_NET => "net",
        ec::EC_IPC => "IPC",
        ec::EC_MEMORY => "memory",
        ec::EC_PROCESS => "process",
        ec::EC_SLEEP => "sleep",
        ec::EC_SYSTEM => "system",
        ec::EC_SIGNAL => "signal",
        ec::EC_USER => "user",
        ec::EC_TIME => "time",
        ec::EC_PROCESSING => "processing",
        ec::EC_IO_READ => "I/O",
        ec::EC_IO_WRITE => "I/O",
        ec::EC_IO_OTHER => "I/O",
        _ => "unknown",
    }
}

/// The category of an I/O event on an fd of kind `k`.
fn io_category(k: crate::state::fds::FdType) -> &'static str {
    use crate::state::fds::FdType::*;
    match k {
        File | Directory => "file",
        Ipv4Sock | Ipv6Sock | Ipv4ServSock | Ipv6ServSock => "net",
        Fifo | UnixSock | Event | SignalFd | Inotify => "ipc",
        Unsupported | EventPoll | TimerFd | Netlink | Bpf | UserFaultFd | IoUring | MemFd
        | PidFd => "other",
        Unknown => "unknown",
    }
}

/// The value of one argument as `evt.arg` shows it: the resolved form when there is one
/// (`<f>/etc/passwd` for an fd, `O_RDONLY` for flags, `ENOENT` for an errno), else the plain value.
pub fn arg_text(e: &Event<'_>, i: usize, ctx: &Ctx<'_>) -> Option<String> {
    let b = e.param(i)?;
    let info = e.param_info(i)?;
    let mut out = String::new();
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

fn arg_index(e: &Event<'_>, arg: &Option<FieldArg>) -> Option<usize> {
    match arg.as_ref()? {
        FieldArg::Index(i) => usize::try_from(*i).ok().filter(|i| *i < e.nparams()),
        FieldArg::Name(n) => e.param_index(n),
    }
}

/// For an exit event recorded before its layout gained a parameter (a 2022 ptrace exit has no
/// `request`), that parameter from the thread's matching enter event, as libsinsp's capture
/// converter supplies it: rules written for today's exit layouts then work on older captures.
fn appended_from_enter<'a>(
    e: &Event<'_>,
    arg: &Option<FieldArg>,
    ctx: &Ctx<'a>,
) -> Option<(Event<'a>, usize)> {
    let Some(FieldArg::Name(name)) = arg else {
        return None;
    };
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

fn data_param(e: &Event<'_>) -> Option<usize> {
    let info = e.info()?;
    info.params
        .iter()
        .take(e.nparams())
        .position(|p| p.ptype == pt::PT_BYTEBUF && p.name == "data")
}

fn is_open_family(name: &str) -> bool {
    matches!(name, "open" | "openat" | "openat2" | "creat")
}

/// Per event type: whether it is an open-family exit, and the indexes of its `flags` and `mode`
/// parameters. Computed once: the evt.is_open_* fields run on every open in the default rules.
struct OpenParams {
    open_exit: bool,
    flags: Option<u8>,
    mode: Option<u8>,
}

fn open_params(t: u16) -> Option<&'static OpenParams> {
    static TABLE: std::sync::OnceLock<Vec<OpenParams>> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| {
            schema::table::EVENTS
                .iter()
                .enumerate()
                .map(|(id, info)| {
                    let idx = |n: &str| {
                        info.params
                            .iter()
                            .position(|p| p.name == n)
                            .map(|i| i as u8)
                    };
                    OpenParams {
                        open_exit: id % 2 == 1 && is_open_family(info.name),
                        flags: idx("flags"),
                        mode: idx("mode"),
                    }
                })
                .collect()
        })
        .get(t as usize)
}

/// Appends `hh:mm:ss.nnnnnnnnn` (or `yyyy-mm-dd hh:mm:ss.nnnnnnnnn`) in local time. The calendar part
/// is cached per second: converting to local time is the slow part and events come many per second.
pub fn push_time(out: &mut String, ts: u64, with_date: bool) {
    thread_local! {
        static CACHE: std::cell::RefCell<(u64, String)> = const { std::cell::RefCell::new((u64::MAX, String::new())) };
    }
    let secs = ts / 1_000_000_000;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.0 != secs {
            c.0 = secs;
            c.1 = local_time(ts).format("%Y-%m-%d %H:%M:%S").to_string();
        }
        out.push_str(if with_date { &c.1 } else { &c.1[11..] });
    });
    let _ = write!(out, ".{:09}", ts % 1_000_000_000);
}

fn local_time(ts: u64) -> chrono::DateTime<chrono::Local> {
    let secs = (ts / 1_000_000_000) as i64;
    let nsec = (ts % 1_000_000_000) as u32;
    chrono::DateTime::from_timestamp(secs, nsec)
        .unwrap_or_default()
        .with_timezone(&chrono::Local)
}

/// The path an event works on, made absolute, for evt.abspath / fs.path.*.
pub fn abspath(ctx: &Ctx<'_>, which: Option<&str>) -> Option<String> {
    let e = ctx.evt;
    let name = e.name();
    let (path_param, dirfd_param) = match (name, which) {
        ("rename" | "link" | "symlink", Some("src")) => ("oldpath", None),
        ("rename" | "link" | "symlink", _) => ("newpath", None),
        ("renameat" | "renameat2" | "linkat", Some("src")) => ("oldpath", Some("olddirfd")),
        ("renameat" | "renameat2" | "linkat", _) => ("newpath", Some("newdirfd")),
        ("symlinkat", Some("src")) => ("target", None),
        ("symlinkat", _) => ("linkpath", Some("linkdirfd")),
        ("unlinkat" | "mkdirat" | "fchmodat" | "fchownat" | "mknodat" | "newfstatat", _) => (
            if e.param_index("name").is_some() {
                "name"
            } else {
                "path"
            },
            Some("dirfd"),
        ),
        ("openat" | "openat2", _) => ("name", Some("dirfd")),
        _ => return None,
    };
    let p = p_str(e, path_param).or_else(|| p_str(e, "pathname"))?;
    let p = String::from_utf8_lossy(p);
    let dirfd = dirfd_param.and_then(|d| {
        p_i64(e, d).or_else(|| {
            if d == "olddirfd" {
                p_i64(e, "olddir")
            } else {
                p_i64(e, "newdir")
            }
        })
    });
    Some(ctx.state.resolve_path(e.tid, dirfd, &p))
}

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let e = ctx.evt;
    let info = e.info();
    let flags = info.map_or(0, |i| i.flags);
    let exit = e.direction() == Direction::Exit;
    Some(match f.id {
        FieldId::EvtNum => Value::Uint(ctx.num),
        FieldId::EvtTime => {
            let mut s = String::with_capacity(18);
            push_time(&mut s, e.ts, false);
            Value::Str(Cow::Owned(s))
        }
        FieldId::EvtTimeS => {
            Value::Str(Cow::Owned(local_time(e.ts).format("%H:%M:%S").to_string()))
        }
        FieldId::EvtTimeIso8601 => Value::Str(Cow::Owned(format!(
            "{}.{:09}{}",
            local_time(e.ts).format("%Y-%m-%dT%H:%M:%S"),
            e.ts % 1_000_000_000,
            local_time(e.ts).format("%z")
        ))),
        FieldId::EvtDatetime => {
            let mut s = String::with_capacity(29);
            push_time(&mut s, e.ts, true);
            Value::Str(Cow::Owned(s))
        }
        FieldId::EvtDatetimeS => Value::Str(Cow::Owned(
            local_time(e.ts).format("%Y-%m-%d %H:%M:%S").to_string(),
        )),
        FieldId::EvtRawtime => Value::Uint(e.ts),
        FieldId::EvtRawtimeS => Value::Uint(e.ts / 1_000_000_000),
        FieldId::EvtRawtimeNs => Value::Uint(e.ts % 1_000_000_000),
        FieldId::EvtReltime => Value::Uint(e.ts.saturating_sub(ctx.first_ts)),
        FieldId::EvtDeltatime => Value::Uint(e.ts.saturating_sub(ctx.prev_ts)),
        FieldId::EvtLatency => {
            let lat = if exit {
                ctx.thread
                    .filter(|t| {
                        t.last_enter_type.wrapping_add(1) == e.event_type && t.last_enter.len() >= 8
                    })
                    .map(|t| {
                        e.ts.saturating_sub(u64::from_le_bytes(
                            t.last_enter[..8].try_into().expect("8"),
                        ))
                    })
                    .unwrap_or(0)
            } else {
                0
            };
            Value::Uint(lat)
        }
        FieldId::EvtDir => Value::Str(Cow::Borrowed(e.direction().symbol())),
        FieldId::EvtType => Value::Str(Cow::Borrowed(type_name(e))),
        FieldId::EvtCategory => {
            let cat = info?.category;
            // As sinsp: an I/O event takes the category of the fd it works on.
            let io = matches!(
                cat & ec::EC_ENUM_MASK,
                ec::EC_IO_READ | ec::EC_IO_WRITE | ec::EC_IO_OTHER
            );
            Value::Str(Cow::Borrowed(match (io, ctx.fd) {
                (true, Some(fd)) => io_category(fd.kind),
                (true, None) => "unknown",
                (false, _) => category_name(cat),
            }))
        }
        FieldId::EvtCpu => Value::Int(e.cpu as i64),
        FieldId::EvtArgs => {
            let mut s = String::new();
            render::render_args(&mut s, e, ctx.state, &ctx.render);
            Value::Str(Cow::Owned(s))
        }
        FieldId::EvtInfo => {
            let mut s = String::new();
            render::render_args(&mut s, e, ctx.state, &ctx.render);
            Value::Str(Cow::Owned(s))
        }
        FieldId::EvtArg => match arg_index(e, &f.arg) {
            Some(i) => Value::Str(Cow::Owned(arg_text(e, i, ctx)?)),
            None => {
                let (enter, i) = appended_from_enter(e, &f.arg, ctx)?;
                Value::Str(Cow::Owned(arg_text(&enter, i, ctx)?))
            }
        },
        FieldId::EvtRawarg => match arg_index(e, &f.arg) {
            Some(i) => arg_raw(e, i)?,
            None => {
                let (enter, i) = appended_from_enter(e, &f.arg, ctx)?;
                arg_raw(&enter, i)?
            }
        },
        FieldId::EvtBuffer => Value::Bytes(Cow::Borrowed(e.param(data_param(e)?)?)),
        // As sinsp: the return value of an I/O exit on a known fd, when not an error.
        FieldId::EvtBuflen => {
            let io = info.is_some_and(|i| {
                matches!(
                    i.category & ec::EC_ENUM_MASK,
                    ec::EC_IO_READ | ec::EC_IO_WRITE | ec::EC_IO_OTHER
                )
            });
            let fd = ctx.fd?;
            if !exit || !io || io_category(fd.kind) == "unknown" {
                return None;
            }
            match e.param_i64(0) {
                Some(r) if r >= 0 => Value::Uint(r as u64),
                _ => return None,
            }
        }
        FieldId::EvtFailed => Value::Bool(return_code(e).is_some_and(|r| r < 0)),
        FieldId::EvtRes | FieldId::EvtRawres => {
            let r = return_code(e)?;
            match f.id {
                FieldId::EvtRawres => Value::Int(r),
                _ => {
                    if r >= 0 {
                        Value::Str(Cow::Borrowed("SUCCESS"))
                    } else {
                        Value::Str(Cow::Borrowed(
                            render::names::errno_name((-r) as u32).unwrap_or("ERROR"),
                        ))
                    }
                }
            }
        }
        FieldId::EvtIsIo => Value::Bool(flags & (ef::EF_READS_FROM_FD | ef::EF_WRITES_TO_FD) != 0),
        FieldId::EvtIsIoRead => Value::Bool(flags & ef::EF_READS_FROM_FD != 0),
        FieldId::EvtIsIoWrite => Value::Bool(flags & ef::EF_WRITES_TO_FD != 0),
        FieldId::EvtIoDir => {
            if flags & ef::EF_READS_FROM_FD != 0 {
                Value::Str(Cow::Borrowed("read"))
            } else if flags & ef::EF_WRITES_TO_FD != 0 {
                Value::Str(Cow::Borrowed("write"))
            } else {
                return None;
            }
        }
        FieldId::EvtIsWait => Value::Bool(flags & ef::EF_WAITS != 0),
        FieldId::EvtIsSyslog => Value::Bool(
            flags & ef::EF_WRITES_TO_FD != 0
                && ctx.fd.is_some_and(|fd| fd.name.contains("/dev/log")),
        ),
        FieldId::EvtIsOpenRead | FieldId::EvtIsOpenWrite | FieldId::EvtIsOpenExec => {
            let op = open_params(e.event_type).filter(|o| o.open_exit && exit);
            let open_flags = op.and_then(|o| {
                o.flags
                    .filter(|i| (*i as usize) < e.nparams())
                    .and_then(|i| e.param_u64(i as usize))
                    .or_else(|| ctx.fd.map(|f| f.open_flags as u64))
            });
            let Some(of) = open_flags else {
                return Some(Value::Bool(false));
            };
            let v = match f.id {
                FieldId::EvtIsOpenRead => of & PPM_O_RDONLY != 0,
                FieldId::EvtIsOpenWrite => of & PPM_O_WRONLY != 0,
                _ => {
                    of & PPM_O_CREAT != 0
                        && op
                            .and_then(|o| o.mode)
                            .filter(|i| (*i as usize) < e.nparams())
                            .and_then(|i| e.param_u64(i as usize))
                            .is_some_and(|m| m & EXEC_BITS != 0)
                }
            };
            let _ = PPM_O_DIRECTORY;
            Value::Bool(v)
        }
        FieldId::EvtAbspath => {
            let which = match &f.arg {
                Some(FieldArg::Name(n)) => Some(n.as_str()),
                _ => None,
            };
            Value::Str(Cow::Owned(abspath(ctx, which)?))
        }
        FieldId::EvtSource => Value::Str(Cow::Borrowed("syscall")),
        FieldId::EvtHostname => Value::Str(Cow::Borrowed(ctx.state.machine.hostname.as_str())),
        _ => return None,
    })
}
