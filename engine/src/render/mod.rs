//! Rendering of event parameters exactly as sysdig prints them (`evt.args`, `evt.arg.NAME`).
//!
//! Examples: `fd=3(<f>/etc/ld.so.cache)`, `flags=4097(O_RDONLY|O_CLOEXEC)`, `res=-2(ENOENT)`,
//! `tuple=127.0.0.1:46686->10.0.0.1:80`, data buffers with non-printable bytes as `.`.

pub mod names;

use std::fmt::Write as _;

use crate::event::Event;
use crate::schema::{ParamExtra, ParamInfo, pf, pt};
use crate::state::State;
use crate::state::parser::{SockAddr, SockTuple, parse_sockaddr, parse_socktuple};

/// Buffers longer than this are cut, with `...` appended (sysdig's default print length).
pub const DEFAULT_PRINT_LEN: usize = 80;

/// How data buffers (PT_BYTEBUF) are printed, as sysdig's `-A`/`-X`/`-b` options choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BufFormat {
    /// Printable ASCII as is, other bytes as `.`.
    #[default]
    Normal,
}

/// Rendering options.
#[derive(Debug, Clone, Copy)]
pub struct RenderOpts {
    pub print_len: usize,
    pub buf_format: BufFormat,
    /// Append the resolved path to relative paths (`name=a.txt(/tmp/a.txt)`).
    pub resolve_paths: bool,
}

impl Default for RenderOpts {
    fn default() -> Self {
        RenderOpts {
            print_len: DEFAULT_PRINT_LEN,
            buf_format: BufFormat::Normal,
            resolve_paths: true,
        }
    }
}

#[inline]
fn le_u16(b: &[u8]) -> u16 {
    u16::from_le_bytes([b[0], b[1]])
}

/// Integer value of a parameter of any integer-like type, sign-extended when the type is signed.
pub fn int_value(ptype: u8, b: &[u8]) -> Option<i128> {
    let u = match b.len() {
        1 => b[0] as u64,
        2 => le_u16(b) as u64,
        4 => u32::from_le_bytes(b.try_into().ok()?) as u64,
        8 => u64::from_le_bytes(b.try_into().ok()?),
        _ => return None,
    };
    let signed = matches!(
        ptype,
        pt::PT_INT8
            | pt::PT_INT16
            | pt::PT_INT32
            | pt::PT_INT64
            | pt::PT_ERRNO
            | pt::PT_FD
            | pt::PT_PID
    );
    Some(if signed {
        match b.len() {
            1 => u as u8 as i8 as i128,
            2 => u as u16 as i16 as i128,
            4 => u as u32 as i32 as i128,
            _ => u as i64 as i128,
        }
    } else {
        u as i128
    })
}

/// Appends `b` as sysdig prints a data buffer: printable ASCII kept, the rest as `.`. A buffer
/// longer than `max` is cut so that, with the `...` appended, the text is `max` characters long.
pub fn push_buffer(out: &mut String, b: &[u8], max: usize) {
    let n = if b.len() > max {
        max.saturating_sub(3)
    } else {
        b.len()
    };
    for &c in &b[..n] {
        out.push(if (0x20..0x7f).contains(&c) {
            c as char
        } else {
            '.'
        });
    }
    if b.len() > max {
        out.push_str("...");
    }
}

/// The string of a PT_CHARBUF-like value: the bytes before the first NUL.
pub fn charbuf(b: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(crate::scap::trim_nul(b))
}

fn push_flags(out: &mut String, v: u64, table: &[crate::schema::FlagName], exact: bool) {
    // An enum value that is not in the table is shown with the bitmask names sysdig used before
    // these parameters became enums (futex ops with FUTEX_PRIVATE_FLAG, for example).
    let exact = exact && table.iter().any(|f| f.value as u64 == v);
    out.push_str(itoa::Buffer::new().format(v));
    // Names written straight after the number: "(" before the first, "|" between, ")" after.
    let mut named = false;
    for f in table {
        let fv = f.value as u64;
        let hit = if exact {
            fv == v
        } else if fv == 0 {
            // A zero-valued name (O_RDONLY in some tables, F_OK...) stands for "no bits".
            v == 0
        } else {
            v & fv == fv
        };
        if hit {
            out.push(if named { '|' } else { '(' });
            named = true;
            out.push_str(f.name);
            if exact {
                break;
            }
        }
    }
    if named {
        out.push(')');
    }
}

fn push_int(out: &mut String, v: i128, fmt: u8) {
    match fmt {
        pf::PF_HEX => {
            let _ = write!(out, "{:X}", v as u64);
        }
        pf::PF_OCT => {
            // C's %#o: a leading 0 except for zero itself.
            if v == 0 {
                out.push('0');
            } else {
                let _ = write!(out, "0{:o}", v as u64);
            }
        }
        pf::PF_10_PADDED_DEC => {
            let _ = write!(out, "{v:09}");
        }
        _ => {
            out.push_str(itoa::Buffer::new().format(v));
        }
    }
}

/// `(<typechar[l4]>name)`: sysdig's annotation of an fd argument. The protocol letter (t, u, i, r)
/// follows the type of IP sockets once they have a role (client or server).
pub fn push_fd_info(out: &mut String, fi: &crate::state::FdInfo) {
    out.push_str("(<");
    push_fd_tag(out, fi);
    out.push('>');
    out.push_str(&fi.name);
    out.push(')');
}

/// `typechar[l4]` of an fd, as in `<4t>`.
pub fn push_fd_tag(out: &mut String, fi: &crate::state::FdInfo) {
    use crate::state::L4Proto;
    out.push(fi.kind.typechar());
    if fi.kind.is_ip_socket() {
        match fi.effective_l4proto() {
            L4Proto::Tcp => out.push('t'),
            L4Proto::Udp => out.push('u'),
            L4Proto::Icmp => out.push('i'),
            L4Proto::Raw => out.push('r'),
            _ => {}
        }
    }
}

/// Renders the value of parameter `i` of `e` (without the `name=` prefix) into `out`.
pub fn render_param(out: &mut String, e: &Event<'_>, i: usize, state: &State, opts: &RenderOpts) {
    let (Some(b), Some(info)) = (e.param(i), e.param_info(i)) else {
        return;
    };
    render_value(out, e, info, b, state, opts);
}

fn render_value(
    out: &mut String,
    e: &Event<'_>,
    info: &ParamInfo,
    b: &[u8],
    state: &State,
    opts: &RenderOpts,
) {
    match info.ptype {
        pt::PT_INT8
        | pt::PT_INT16
        | pt::PT_INT32
        | pt::PT_INT64
        | pt::PT_UINT8
        | pt::PT_UINT16
        | pt::PT_UINT32
        | pt::PT_UINT64
        | pt::PT_RELTIME
        | pt::PT_ABSTIME
        | pt::PT_PORT
        | pt::PT_UID
        | pt::PT_GID => {
            if let Some(v) = int_value(info.ptype, b) {
                push_int(out, v, info.fmt);
            }
        }
        pt::PT_ERRNO => push_errno(out, info, b),
        pt::PT_FD => push_fd(out, e, info, b, state),
        pt::PT_PID => {
            if let Some(v) = int_value(info.ptype, b) {
                out.push_str(itoa::Buffer::new().format(v));
                if let Some(t) = state.thread(v as i64) {
                    let _ = write!(out, "({})", t.comm);
                }
            }
        }
        pt::PT_CHARBUF => out.push_str(&charbuf(b)),
        pt::PT_FSPATH | pt::PT_FSRELPATH => {
            let s = charbuf(b);
            out.push_str(&s);
            if opts.resolve_paths && !s.is_empty() && !s.starts_with('/') {
                let dirfd = match info.extra {
                    ParamExtra::DirFd(d) => e.param_i64(d as usize),
                    _ => None,
                };
                let resolved = state.resolve_path(e.tid, dirfd, &s);
                if resolved != s {
                    let _ = write!(out, "({resolved})");
                }
            }
        }
        pt::PT_BYTEBUF => push_buffer(out, b, opts.print_len),
        pt::PT_SOCKADDR | pt::PT_SOCKTUPLE if b.is_empty() => out.push_str("NULL"),
        pt::PT_SOCKADDR => match parse_sockaddr(b) {
            Some(SockAddr::Ip(ip, port)) => {
                let _ = write!(out, "{ip}:{port}");
            }
            Some(SockAddr::Unix(p)) => out.push_str(&p),
            _ => {}
        },
        pt::PT_SOCKTUPLE => match parse_socktuple(b) {
            Some(SockTuple::Ip(t)) => out.push_str(&crate::state::fds::format_tuple(&t)),
            Some(SockTuple::Unix { source, dest, path }) => {
                let _ = write!(out, "{source:x}->{dest:x} {path}");
            }
            _ => {}
        },
        pt::PT_FDLIST => push_fdlist(out, e, b, state),
        pt::PT_FLAGS8
        | pt::PT_FLAGS16
        | pt::PT_FLAGS32
        | pt::PT_MODE
        | pt::PT_ENUMFLAGS8
        | pt::PT_ENUMFLAGS16
        | pt::PT_ENUMFLAGS32 => {
            let exact = matches!(
                info.ptype,
                pt::PT_ENUMFLAGS8 | pt::PT_ENUMFLAGS16 | pt::PT_ENUMFLAGS32
            );
            if let Some(v) = int_value(pt::PT_UINT64, b) {
                match info.extra {
                    ParamExtra::Flags(table) => push_flags(out, v as u64, table, exact),
                    _ => push_int(out, v, info.fmt),
                }
            }
        }
        pt::PT_SIGTYPE => {
            if let Some(v) = int_value(pt::PT_UINT8, b) {
                out.push_str(itoa::Buffer::new().format(v));
                if let Some(n) = names::signal_name(v as u32) {
                    let _ = write!(out, "({n})");
                }
            }
        }
        pt::PT_SYSCALLID => {
            if let Some(v) = int_value(pt::PT_UINT16, b) {
                out.push_str(itoa::Buffer::new().format(v));
                if let Some(n) = crate::schema::syscall_name(v as u16) {
                    let _ = write!(out, "({n})");
                }
            }
        }
        pt::PT_BOOL => {
            if let Some(v) = int_value(pt::PT_UINT32, b) {
                out.push_str(if v != 0 { "true" } else { "false" });
            }
        }
        pt::PT_IPV4ADDR => {
            if b.len() >= 4 {
                let _ = write!(out, "{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
            }
        }
        pt::PT_IPV6ADDR => {
            if b.len() >= 16 {
                let a: [u8; 16] = b[..16].try_into().expect("16");
                let _ = write!(out, "{}", std::net::Ipv6Addr::from(a));
            }
        }
        pt::PT_SOCKFAMILY | pt::PT_L4PROTO => {
            if let Some(v) = int_value(pt::PT_UINT8, b) {
                out.push_str(itoa::Buffer::new().format(v));
            }
        }
        pt::PT_SIGSET => {
            if let Some(v) = int_value(pt::PT_UINT32, b) {
                out.push_str(itoa::Buffer::new().format(v));
            }
        }
        pt::PT_DOUBLE => {
            if b.len() == 8 {
                let _ = write!(out, "{}", f64::from_le_bytes(b.try_into().expect("8")));
            }
        }
        pt::PT_DYN => {
            if let (ParamExtra::Dyn(table), Some((&idx, rest))) = (info.extra, b.split_first())
                && let Some(sub) = table.get(idx as usize)
            {
                render_value(out, e, sub, rest, state, opts);
            }
        }
        _ => push_buffer(out, b, opts.print_len),
    }
}

/// An fd: AT_FDCWD for a directory fd, the errno name when negative, else what the state knows of it.
fn push_fd(out: &mut String, e: &Event<'_>, info: &ParamInfo, b: &[u8], state: &State) {
    if let Some(v) = int_value(info.ptype, b) {
        out.push_str(itoa::Buffer::new().format(v));
        if v == crate::abi::AT_FDCWD as i128 && info.name.contains("dir") {
            out.push_str("(AT_FDCWD)");
        } else if v < 0 {
            if let Some(n) = names::errno_name((-v) as u32) {
                let _ = write!(out, "({n})");
            }
        } else if let Some(fi) = state.fd(e.tid, v as i64) {
            push_fd_info(out, fi);
        }
    }
}

/// An fd list (poll's): `fd:TYPEflags` items, the type from the state when the fd is known.
fn push_fdlist(out: &mut String, e: &Event<'_>, b: &[u8], state: &State) {
    if b.len() >= 2 {
        let n = le_u16(b) as usize;
        let mut first = true;
        for k in 0..n {
            let at = 2 + k * 10;
            if at + 10 > b.len() {
                break;
            }
            let fd = i64::from_le_bytes(b[at..at + 8].try_into().expect("8"));
            let flags = le_u16(&b[at + 8..]);
            if !first {
                out.push(' ');
            }
            first = false;
            let _ = write!(out, "{fd}:");
            if let Some(fi) = state.fd(e.tid, fd) {
                out.push(fi.kind.typechar());
            }
            let _ = write!(out, "{flags:x}");
        }
    }
}

/// A return value: its errno name when negative, an address when the schema formats it in hex.
fn push_errno(out: &mut String, info: &ParamInfo, b: &[u8]) {
    if let Some(v) = int_value(info.ptype, b) {
        // A hex-formatted return value is an address (mmap): print it as one.
        if v >= 0 && info.fmt == pf::PF_HEX {
            let _ = write!(out, "{:X}", v as u64);
            return;
        }
        out.push_str(itoa::Buffer::new().format(v));
        if v < 0
            && let Some(n) = names::errno_name((-v) as u32)
        {
            let _ = write!(out, "({n})");
        }
    }
}

/// `evt.args`: every parameter the schema names, as `name=value `, each followed by a space.
/// Generic `syscall` events show none, as in sysdig.
pub fn render_args(out: &mut String, e: &Event<'_>, state: &State, opts: &RenderOpts) {
    let Some(info) = e.info() else { return };
    if info.name == "syscall" {
        return;
    }
    for i in 0..e.nparams().min(info.params.len()) {
        out.push_str(info.params[i].name);
        out.push('=');
        render_param(out, e, i, state, opts);
        out.push(' ');
    }
}
