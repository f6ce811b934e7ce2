//! `evt.*` fields.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::evt_args::{appended_from_enter, arg_index, arg_text, data_param};
pub use super::evt_args::{raw_param, return_code};
use super::{Ctx, Field, FieldArg, FieldId, Value};
use crate::event::Event;
use crate::render;
use crate::schema::{self, Direction, ec, ef};
use crate::state::parser::param_str;
use crate::state::parser::{PPM_O_F_CREATED, concat_paths, p_i64, p_str};

const PPM_O_RDONLY: u64 = 1;
const PPM_O_WRONLY: u64 = 2;
const PPM_O_CREAT: u64 = 1 << 2;
const EXEC_BITS: u64 = 0o111;
const PPM_O_TMPFILE: u32 = 1 << 13;

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

fn is_open_family(name: &str) -> bool {
    matches!(
        name,
        "open" | "openat" | "openat2" | "creat" | "open_by_handle_at"
    )
}

/// Per event type: whether it is an open-family exit, and the indexes of its `flags` and `mode`
/// parameters. Computed once: the evt.is_open_* fields run on every open in the default rules.
struct OpenParams {
    open_exit: bool,
    /// creat: no flags, only a mode.
    creat: bool,
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
                        creat: info.name == "creat",
                        flags: idx("flags"),
                        mode: idx("mode"),
                    }
                })
                .collect()
        })
        .get(t as usize)
}

fn arg_name(arg: &Option<FieldArg>) -> Option<&str> {
    match arg {
        Some(FieldArg::Name(n)) => Some(n),
        _ => None,
    }
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

/// `evt.abspath`: the path argument of an *at() syscall's exit made absolute against its directory
/// fd (`which` = `src` / `dst` picks the old or new path of renameat and linkat).
pub fn abspath(ctx: &Ctx<'_>, which: Option<&str>) -> Option<String> {
    let e = ctx.evt;
    let t = ctx.thread?;
    if e.direction() != Direction::Exit {
        return None;
    }
    let dst = which == Some("dst");
    let (dirfd_param, path_param) = match e.name() {
        "renameat" | "renameat2" if dst => ("newdirfd", "newpath"),
        "renameat" | "renameat2" => ("olddirfd", "oldpath"),
        "linkat" if dst => ("newdir", "newpath"),
        "linkat" => ("olddir", "oldpath"),
        "symlinkat" => ("linkdirfd", "linkpath"),
        "openat" | "openat2" | "unlinkat" => ("dirfd", "name"),
        "mkdirat" => ("dirfd", "path"),
        "fchmodat" => ("dirfd", "filename"),
        "fchownat" => ("dirfd", "pathname"),
        "open_by_handle_at" => {
            // Only a successful open names its file, always absolute.
            let path = param_str!(e, "path").filter(|_| return_code(e).is_some_and(|r| r > 0))?;
            return Some(concat_paths("", &String::from_utf8_lossy(path)));
        }
        _ => return None,
    };
    let dirfd = p_i64(e, dirfd_param)?;
    let path = p_str(e, path_param).filter(|p| !p.is_empty())?;
    let path = String::from_utf8_lossy(path);
    let dir = if path.starts_with('/') {
        String::new()
    } else if dirfd == crate::abi::AT_FDCWD {
        t.cwd.clone()
    } else {
        match ctx.state.fd(e.tid, dirfd) {
            Some(f) => format!("{}/", f.name),
            None => "<UNKNOWN>/".to_string(),
        }
    };
    Some(concat_paths(&dir, &path))
}

fn str_val<'a>(s: String) -> Value<'a> {
    Value::Str(Cow::Owned(s))
}

/// The value every enter event of type `event_type` gives for field `id`, for the fields where
/// that does not depend on the event (`Some(None)`: no value), as the extractors compute them; None
/// for the others. The rule index leaves out the enter events on which a rule's condition can never
/// hold, and a rule's form for the type leaves out the tests the type decides.
pub fn value_on_enter(id: FieldId, event_type: u16) -> Option<Option<Value<'static>>> {
    match id {
        FieldId::EvtIsOpenRead
        | FieldId::EvtIsOpenWrite
        | FieldId::EvtIsOpenExec
        | FieldId::EvtIsOpenCreate
        | FieldId::EvtFailed => Some(Some(Value::Bool(false))),
        // return_code: only exits have one.
        FieldId::EvtRes | FieldId::EvtRawres => Some(None),
        // An enter event that takes no fd (an open's, a socket's) has none yet: the name of the
        // fd an open makes is its exit's (an fd without a table entry is named on exits only).
        FieldId::FdName | FieldId::FdNameraw | FieldId::FdDirectory
            if !crate::state::parser::type_info(event_type).uses_fd =>
        {
            Some(None)
        }
        _ => None,
    }
}

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let e = ctx.evt;
    let exit = e.direction() == Direction::Exit;
    Some(match f.id {
        FieldId::EvtNum => Value::Uint(ctx.num),
        FieldId::EvtDir => Value::Str(Cow::Borrowed(e.direction().symbol())),
        FieldId::EvtType => Value::Str(Cow::Borrowed(type_name(e))),
        FieldId::EvtTypeIs => {
            let Some(FieldArg::Name(n)) = &f.arg else {
                return None;
            };
            // A type by name matches both directions; a number, exactly that event id.
            let hit = match n.parse::<u16>() {
                Ok(id) => e.event_type == id,
                Err(_) => e.name() == n,
            };
            Value::Uint(hit as u64)
        }
        FieldId::SyscallType => {
            let info = e.info()?;
            if info.category & ec::EC_SYSCALL == 0 {
                return None;
            }
            Value::Str(Cow::Borrowed(type_name(e)))
        }
        FieldId::EvtCategory => Value::Str(Cow::Borrowed(category(ctx)?)),
        FieldId::EvtCpu => Value::Int(e.cpu as i64),
        FieldId::EvtArgs | FieldId::EvtInfo => {
            let mut s = String::new();
            render::render_args(&mut s, e, ctx.state, &ctx.render);
            str_val(s)
        }
        FieldId::EvtArg => match arg_index(e, &f.arg) {
            Some(i) => str_val(arg_text(e, i, ctx)?),
            None => {
                let (enter, i) = appended_from_enter(e, arg_name(&f.arg)?, ctx)?;
                str_val(arg_text(&enter, i, ctx)?)
            }
        },
        FieldId::EvtRawarg => raw_param(ctx, arg_name(&f.arg)?)?,
        FieldId::EvtBuffer => Value::Bytes(Cow::Borrowed(e.param(data_param(e)?)?)),
        FieldId::EvtFailed => Value::Bool(return_code(e).is_some_and(|r| r < 0)),
        FieldId::EvtRawres => Value::Int(return_code(e)?),
        FieldId::EvtRes => {
            let r = return_code(e)?;
            Value::Str(Cow::Borrowed(if r >= 0 {
                "SUCCESS"
            } else {
                render::names::errno_name((-r) as u32).unwrap_or("ERROR")
            }))
        }
        FieldId::EvtAbspath => str_val(abspath(ctx, arg_name(&f.arg))?),
        FieldId::EvtSource => Value::Str(Cow::Borrowed("syscall")),
        FieldId::EvtIsAsync => Value::Bool(false),
        FieldId::EvtHostname => Value::Str(Cow::Borrowed(ctx.state.machine.hostname.as_str())),
        FieldId::EvtIsOpenRead
        | FieldId::EvtIsOpenWrite
        | FieldId::EvtIsOpenExec
        | FieldId::EvtIsOpenCreate => Value::Bool(exit && is_open(f.id, ctx)),
        FieldId::EvtLatencyQuantized => {
            let lat = latency(ctx);
            Value::Uint(if lat == 0 {
                0
            } else {
                ((lat as f64).log10() as u64).min(10)
            })
        }
        FieldId::EvtLatencyHuman => str_val(human_time(latency(ctx))),
        FieldId::EvtWaitLatency => Value::Uint(0),
        _ => return time_field(f.id, ctx).or_else(|| io_field(f.id, ctx)),
    })
}

fn latency(ctx: &Ctx<'_>) -> u64 {
    let e = ctx.evt;
    if e.direction() != Direction::Exit {
        return 0;
    }
    ctx.thread
        .filter(|t| t.last_enter_type.wrapping_add(1) == e.event_type && t.last_enter.len() >= 8)
        .map_or(0, |t| {
            e.ts.saturating_sub(u64::from_le_bytes(t.last_enter[..8].try_into().expect("8")))
        })
}

/// A duration as `1.23s`, `4.56ms`, `78us` or `12ns`: two decimals (truncated) below 10 units, none
/// above, as sysdig prints it.
fn human_time(ns: u64) -> String {
    let (unit, scale) = match ns {
        1_000_000_000.. => ("s", 1_000_000_000),
        1_000_000.. => ("ms", 1_000_000),
        1_000.. => ("us", 1_000),
        _ => return format!("{ns}ns"),
    };
    let hundredths = ns / (scale / 100);
    if hundredths >= 1000 {
        return format!("{}{unit}", hundredths / 100);
    }
    format!("{}.{:02}{unit}", hundredths / 100, hundredths % 100)
}

/// Timestamps and durations.
fn time_field<'a>(id: FieldId, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    const NS: u64 = 1_000_000_000;
    let ts = ctx.evt.ts;
    let rel = ts.saturating_sub(ctx.first_ts);
    let delta = ts.saturating_sub(ctx.prev_ts);
    Some(match id {
        FieldId::EvtTime | FieldId::EvtOutputtime => {
            let mut s = String::with_capacity(18);
            push_time(&mut s, ts, false);
            str_val(s)
        }
        FieldId::EvtTimeS => str_val(local_time(ts).format("%H:%M:%S").to_string()),
        FieldId::EvtTimeIso8601 => str_val(format!(
            "{}.{:09}{}",
            local_time(ts).format("%Y-%m-%dT%H:%M:%S"),
            ts % NS,
            local_time(ts).format("%z")
        )),
        FieldId::EvtDatetime => {
            let mut s = String::with_capacity(29);
            push_time(&mut s, ts, true);
            str_val(s)
        }
        FieldId::EvtDatetimeS => str_val(local_time(ts).format("%Y-%m-%d %H:%M:%S").to_string()),
        FieldId::EvtRawtime => Value::Uint(ts),
        FieldId::EvtRawtimeS => Value::Uint(ts / NS),
        FieldId::EvtRawtimeNs => Value::Uint(ts % NS),
        FieldId::EvtReltime => Value::Uint(rel),
        FieldId::EvtReltimeS => Value::Uint(rel / NS),
        FieldId::EvtReltimeNs => Value::Uint(rel % NS),
        FieldId::EvtDeltatime => Value::Uint(delta),
        FieldId::EvtDeltatimeS => Value::Uint(delta / NS),
        FieldId::EvtDeltatimeNs => Value::Uint(delta % NS),
        FieldId::EvtLatency => Value::Uint(latency(ctx)),
        FieldId::EvtLatencyS => Value::Uint(latency(ctx) / NS),
        FieldId::EvtLatencyNs => Value::Uint(latency(ctx) % NS),
        _ => return None,
    })
}

/// `evt.category`: an I/O event takes the category of the fd it works on (as sinsp).
fn category(ctx: &Ctx<'_>) -> Option<&'static str> {
    let cat = ctx.evt.info()?.category;
    Some(if is_io(cat) {
        ctx.fd.map_or("unknown", |fd| io_category(fd.kind))
    } else {
        category_name(cat)
    })
}

fn is_io(category: u32) -> bool {
    matches!(
        category & ec::EC_ENUM_MASK,
        ec::EC_IO_READ | ec::EC_IO_WRITE | ec::EC_IO_OTHER
    )
}

/// The error count of an event with a return value: 1 when it failed.
fn error_count<'a>(e: &Event<'_>) -> Option<Value<'a>> {
    Some(Value::Uint((return_code(e)? < 0) as u64))
}

/// I/O flags, buffer lengths and the counting fields.
fn io_field<'a>(id: FieldId, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    use crate::state::FdType;
    let e = ctx.evt;
    let info = e.info();
    let flags = info.map_or(0, |i| i.flags);
    let cat = info.map_or(0, |i| i.category) & ec::EC_ENUM_MASK;
    let fd_kind = ctx.fd.map(|f| f.kind);
    let is_file = matches!(fd_kind, Some(FdType::File | FdType::Directory));
    let is_net = fd_kind.is_some_and(|k| k.is_ip_socket());
    let name = e.name();
    // The buffer length of an I/O exit on a known fd, when the call did not fail.
    let buflen = |pred: bool| -> Option<Value<'a>> {
        let fd = ctx
            .fd
            .filter(|_| pred && e.direction() == Direction::Exit)?;
        if !is_io(cat) || io_category(fd.kind) == "unknown" {
            return None;
        }
        e.param_i64(0)
            .filter(|r| *r >= 0)
            .map(|r| Value::Uint(r as u64))
    };
    let (read, write) = (cat == ec::EC_IO_READ, cat == ec::EC_IO_WRITE);
    let is_open_evt = matches!(
        name,
        "open" | "openat" | "openat2" | "creat" | "open_by_handle_at"
    );
    let is_conn_evt = matches!(name, "accept" | "accept4" | "connect");
    Some(match id {
        FieldId::EvtBuflen => return buflen(true),
        FieldId::EvtBuflenIn => return buflen(read),
        FieldId::EvtBuflenOut => return buflen(write),
        FieldId::EvtBuflenFile => return buflen(fd_kind == Some(FdType::File)),
        FieldId::EvtBuflenFileIn => return buflen(read && fd_kind == Some(FdType::File)),
        FieldId::EvtBuflenFileOut => return buflen(write && fd_kind == Some(FdType::File)),
        FieldId::EvtBuflenNet => return buflen(is_net),
        FieldId::EvtBuflenNetIn => return buflen(read && is_net),
        FieldId::EvtBuflenNetOut => return buflen(write && is_net),
        FieldId::EvtIsIo => Value::Bool(flags & (ef::EF_READS_FROM_FD | ef::EF_WRITES_TO_FD) != 0),
        FieldId::EvtIsIoRead => Value::Bool(flags & ef::EF_READS_FROM_FD != 0),
        FieldId::EvtIsIoWrite => Value::Bool(flags & ef::EF_WRITES_TO_FD != 0),
        FieldId::EvtIoDir if flags & ef::EF_READS_FROM_FD != 0 => Value::Str(Cow::Borrowed("read")),
        FieldId::EvtIoDir if flags & ef::EF_WRITES_TO_FD != 0 => Value::Str(Cow::Borrowed("write")),
        FieldId::EvtIsWait => Value::Bool(flags & ef::EF_WAITS != 0),
        FieldId::EvtIsSyslog => Value::Bool(
            flags & ef::EF_WRITES_TO_FD != 0
                && ctx.fd.is_some_and(|fd| fd.name.contains("/dev/log")),
        ),
        FieldId::EvtCount => Value::Uint(1),
        FieldId::EvtCountError => return error_count(e),
        FieldId::EvtCountErrorFile if is_file || (ctx.fd.is_none() && is_open_evt) => {
            return error_count(e);
        }
        FieldId::EvtCountErrorNet
            if is_net || fd_kind == Some(FdType::UnixSock) || (ctx.fd.is_none() && is_conn_evt) =>
        {
            return error_count(e);
        }
        FieldId::EvtCountErrorMemory if cat == ec::EC_MEMORY => return error_count(e),
        FieldId::EvtCountErrorOther => {
            let classified = match fd_kind {
                Some(k) => is_file || k.is_socket(),
                None => is_open_evt || is_conn_evt || cat == ec::EC_MEMORY,
            };
            if classified {
                return None;
            }
            return error_count(e);
        }
        FieldId::EvtCountExit if e.direction() == Direction::Exit => Value::Uint(1),
        FieldId::EvtCountProcinfo | FieldId::EvtCountThreadinfo => {
            let pi = e.event_type == schema::ev::PROCINFO_E;
            let main = ctx.thread.is_some_and(|t| t.is_main_thread());
            Value::Uint((pi && (id == FieldId::EvtCountThreadinfo || main)) as u64)
        }
        _ => return None,
    })
}

/// `evt.is_open_read`, `_write`, `_exec`, `_create`, as [`extract`] gives them, for
/// [`Field::extractor`].
pub(super) fn open_kind<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    Some(Value::Bool(
        ctx.evt.direction() == Direction::Exit && is_open(f.id, ctx),
    ))
}

/// evt.is_open_read / write / exec / create on an open-family exit, from its flags and mode.
fn is_open(id: FieldId, ctx: &Ctx<'_>) -> bool {
    let e = ctx.evt;
    let Some(op) = open_params(e.event_type).filter(|o| o.open_exit) else {
        return false;
    };
    let param = |i: Option<u8>| {
        i.filter(|i| (*i as usize) < e.nparams())
            .and_then(|i| e.param_u64(i as usize))
    };
    if op.creat {
        // creat has no flags: only its mode says whether the new file is executable.
        return id == FieldId::EvtIsOpenExec && param(op.mode).is_some_and(|m| m & EXEC_BITS != 0);
    }
    let Some(of) = param(op.flags).or_else(|| ctx.fd.map(|f| f.open_flags as u64)) else {
        return false;
    };
    let of = of as u32;
    match id {
        FieldId::EvtIsOpenRead => of as u64 & PPM_O_RDONLY != 0,
        FieldId::EvtIsOpenWrite => of as u64 & PPM_O_WRONLY != 0,
        FieldId::EvtIsOpenCreate => {
            of & PPM_O_F_CREATED != 0
                || (of & PPM_O_TMPFILE != 0 && return_code(e).is_some_and(|r| r >= 0))
        }
        _ => {
            of as u64 & (PPM_O_CREAT | PPM_O_TMPFILE as u64) != 0
                && param(op.mode).is_some_and(|m| m & EXEC_BITS != 0)
        }
    }
}
