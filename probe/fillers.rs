// SPDX-License-Identifier: GPL-2.0
//! Event encoders ("fillers"): one per syscall the default Falco rules and state tracking need, in the
//! scap schema of current drivers: exit events carry every parameter (the enter parameters appended
//! after the exit ones), enter events exist only for open/openat/openat2/creat/connect, the child
//! side of clone comes from sched_process_fork and successful execs from sched_process_exec. Every
//! other syscall becomes the generic `syscall` exit event. docs/probe.md lists the layouts.

use crate::abi::event_id as ev;
use crate::abi::{EventHeader, EVENT_HEADER_LEN};
use crate::convert;
use crate::event::Event;
use crate::ffi::{self, Regs, SockInfo};
use crate::ring::{DropKind, Ring};
use crate::syscalls as nr;
use kernel::bindings;

/// Longest path read from user memory (PATH_MAX).
const MAX_PATH: usize = 4096;
/// Largest argv/env block copied for execve and clone events.
const MAX_ARGS: usize = 4096;
/// Largest cgroups list.
const MAX_CGROUPS: usize = 1024;
/// Longest sockaddr copied from user memory.
const MAX_SOCKADDR: usize = 128;
/// Most iovecs gathered for readv/writev/sendmsg/recvmsg data.
const MAX_IOVS: usize = 16;

/// What a syscall exit encoder needs.
pub(crate) struct Exit {
    pub(crate) regs: Regs,
    pub(crate) ret: i64,
    pub(crate) nr: i64,
    pub(crate) snaplen: u32,
}

impl Exit {
    #[inline(always)]
    fn arg(&self, i: usize) -> u64 {
        self.regs.arg(i)
    }
    #[inline(always)]
    fn fd(&self, i: usize) -> i64 {
        self.arg(i) as i32 as i64
    }
    /// Bytes of a data buffer to capture: the snaplen, at most what the call moved (`n`).
    #[inline(always)]
    fn data_len(&self, n: i64) -> usize {
        if n <= 0 {
            0
        } else {
            (n as u64).min(self.snaplen as u64) as usize
        }
    }
}

/// Writes one event into `ring`: `f` encodes the `nparams` parameters.
#[inline(always)]
pub(crate) fn emit<F: FnOnce(&mut Event)>(
    ring: &Ring,
    ts: u64,
    tid: u64,
    event_type: u16,
    nparams: usize,
    f: F,
) {
    let Some((head, at, free)) = ring.begin() else {
        return;
    };
    // SAFETY: `begin` returned a head pointer valid for `free` bytes (the double mapping).
    let mut e = unsafe { Event::new(at, free, event_type, nparams) };
    f(&mut e);
    match e.finish(ts, tid) {
        Ok((len, faulted)) => {
            if faulted {
                ring.page_fault();
            }
            ring.commit(head, len);
        }
        Err(kind) => ring.drop_event(kind),
    }
}

/// An event whose parameters all have fixed sizes: header, `N` lengths and the packed payload `P`.
#[repr(C, packed)]
#[derive(Clone, Copy)]
struct Fixed<const N: usize, P: Copy> {
    hdr: EventHeader,
    lens: [u16; N],
    payload: P,
}

/// Writes a fixed-size event in one store: the common short events (the generic event, close, the
/// uid calls...) skip the per-parameter bookkeeping of `Event`. `P` must be packed: an array or a
/// `#[repr(C, packed)]` struct laid out as the parameters.
#[inline(always)]
fn emit_fixed<const N: usize, P: Copy>(
    ring: &Ring,
    ts: u64,
    tid: u64,
    event_type: u16,
    lens: [u16; N],
    payload: P,
) {
    let Some((head, at, free)) = ring.begin() else {
        return;
    };
    let len = core::mem::size_of::<Fixed<N, P>>();
    if (free as usize) < len {
        ring.drop_event(DropKind::Full);
        return;
    }
    let hdr = EventHeader {
        ts,
        tid,
        len: len as u32,
        event_type,
        nparams: N as u32,
    };
    // SAFETY: `begin` gave `free >= len` writable bytes at `at`; Fixed is packed (alignment 1).
    unsafe { core::ptr::write_unaligned(at.cast::<Fixed<N, P>>(), Fixed { hdr, lens, payload }) };
    ring.commit(head, len);
}

/// Writes `res, data, <trailer>`: the I/O events (read, write, pread, pwrite), whose only variable
/// part is the data buffer, without the per-parameter bookkeeping of `Event`. `n` bytes of user
/// memory at `addr` are copied straight into the ring (an unreadable buffer is written empty).
#[inline(always)]
fn emit_io<const N: usize, P: Copy>(
    ring: &Ring,
    ts: u64,
    tid: u64,
    event_type: u16,
    res: i64,
    (addr, n): (u64, usize),
    trailer_lens: [u16; N],
    trailer: P,
) {
    let Some((head, at, free)) = ring.begin() else {
        return;
    };
    let lens_at = EVENT_HEADER_LEN;
    let res_at = lens_at + 2 * (2 + N);
    let data_at = res_at + 8;
    let tsize = core::mem::size_of::<P>();
    if (free as usize) < data_at + n + tsize {
        ring.drop_event(DropKind::Full);
        return;
    }
    // SAFETY: all writes below stay within `data_at + n + tsize <= free` bytes from `at`, which
    // `begin` guarantees writable; the destination is the ring, never `buf`'s source.
    unsafe {
        let buf = core::slice::from_raw_parts_mut(at.add(data_at), n);
        let n = if n == 0 || ffi::copy_from_user(buf, addr) {
            n
        } else {
            ring.page_fault();
            0
        };
        let w16 =
            |i: usize, v: u16| core::ptr::write_unaligned(at.add(lens_at + 2 * i).cast::<u16>(), v);
        w16(0, 8);
        w16(1, n as u16);
        for (i, l) in trailer_lens.iter().enumerate() {
            w16(2 + i, *l);
        }
        core::ptr::write_unaligned(at.add(res_at).cast::<i64>(), res);
        core::ptr::write_unaligned(at.add(data_at + n).cast::<P>(), trailer);
        let len = data_at + n + tsize;
        let hdr = EventHeader {
            ts,
            tid,
            len: len as u32,
            event_type,
            nparams: (2 + N) as u32,
        };
        core::ptr::write_unaligned(at.cast::<EventHeader>(), hdr);
        ring.commit(head, len);
    }
}

/// fd (i64) then size (u32), the trailer of read/write.
#[repr(C, packed)]
#[derive(Clone, Copy)]
struct FdSize(i64, u32);

/// fd, size, pos: the trailer of pread/pwrite.
#[repr(C, packed)]
#[derive(Clone, Copy)]
struct FdSizePos(i64, u32, u64);

/// Two i64 parameters (res and an fd or pid), the most common fixed payload.
#[repr(C, packed)]
#[derive(Clone, Copy)]
struct I64x2(i64, i64);

// ---------------------------------------------------------------------------------------------------
// Parameter helpers
// ---------------------------------------------------------------------------------------------------

/// A data buffer parameter: `len` bytes of user memory (empty if 0 or faulting).
#[inline(always)]
fn data(e: &mut Event, addr: u64, len: usize) {
    if len == 0 {
        e.empty()
    } else {
        e.user_bytes(addr, len)
    }
}

/// Gathers up to `len` bytes from a user iovec array into one data parameter, and returns the sum of
/// the iovec lengths (the `size` scap reports).
fn iov_data(e: &mut Event, iov: u64, iovcnt: u64, len: usize) -> u64 {
    let cnt = (iovcnt as usize).min(MAX_IOVS);
    let mut raw = [0u8; 16 * MAX_IOVS];
    if cnt == 0 || !ffi::copy_from_user(&mut raw[..16 * cnt], iov) {
        e.empty();
        return 0;
    }
    let entry = |i: usize| {
        let b = &raw[16 * i..16 * i + 16];
        (
            u64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8])),
            u64::from_le_bytes(b[8..].try_into().unwrap_or([0; 8])),
        )
    };
    let total: u64 = (0..cnt)
        .map(|i| entry(i).1)
        .fold(0u64, |a, b| a.wrapping_add(b));
    let mut faulted = false;
    e.with(len, |buf| {
        let mut off = 0;
        for i in 0..cnt {
            if off == buf.len() {
                break;
            }
            let (base, n) = entry(i);
            let take = (n as usize).min(buf.len() - off);
            if !ffi::copy_from_user(&mut buf[off..off + take], base) {
                faulted = true;
                break;
            }
            off += take;
        }
        (off > 0).then_some(off)
    });
    if faulted {
        e.set_faulted();
    }
    total
}

/// The `PT_SOCKADDR` encoding of a user sockaddr of `len` bytes at `addr`.
fn sockaddr(e: &mut Event, addr: u64, len: u64) {
    let len = (len as usize).min(MAX_SOCKADDR);
    let mut raw = [0u8; MAX_SOCKADDR];
    if addr == 0 || len < 2 || !ffi::copy_from_user(&mut raw[..len], addr) {
        e.empty();
        return;
    }
    encode_sockaddr(e, &raw[..len]);
}

fn encode_sockaddr(e: &mut Event, raw: &[u8]) {
    let family = u16::from_le_bytes([raw[0], raw[1]]);
    match family {
        2 if raw.len() >= 8 => {
            let mut out = [0u8; 7];
            out[0] = convert::socket_family(family);
            out[1..5].copy_from_slice(&raw[4..8]);
            out[5..7].copy_from_slice(&u16::from_be_bytes([raw[2], raw[3]]).to_le_bytes());
            e.bytes(&out);
        }
        10 if raw.len() >= 24 => {
            let mut out = [0u8; 19];
            out[0] = convert::socket_family(family);
            out[1..17].copy_from_slice(&raw[8..24]);
            out[17..19].copy_from_slice(&u16::from_be_bytes([raw[2], raw[3]]).to_le_bytes());
            e.bytes(&out);
        }
        1 => {
            let path = &raw[2..];
            e.with(1 + path.len() + 1, |buf| {
                buf[0] = 1;
                let n = unix_path(&mut buf[1..], path);
                Some(1 + n)
            });
        }
        _ => e.bytes(&[convert::socket_family(family)]),
    }
}

/// Copies a sun_path into `out` as a C string; abstract names (leading NUL) get a leading '@', as
/// the scap drivers write them. Returns the bytes written, NUL included.
fn unix_path(out: &mut [u8], path: &[u8]) -> usize {
    if out.is_empty() {
        return 0;
    }
    let (abstract_name, p) = match path.first() {
        Some(0) => (true, &path[1..]),
        _ => (false, path),
    };
    let end = if abstract_name {
        p.len()
    } else {
        p.iter().position(|&c| c == 0).unwrap_or(p.len())
    };
    let mut n = 0;
    if abstract_name && out.len() > 1 {
        out[0] = b'@';
        n = 1;
    }
    let take = end.min(out.len() - n - 1);
    out[n..n + take].copy_from_slice(&p[..take]);
    n += take;
    out[n] = 0;
    n + 1
}

fn v4_mapped(a: &[u8; 16]) -> bool {
    a[..10].iter().all(|&b| b == 0) && a[10] == 0xff && a[11] == 0xff
}

/// The `PT_SOCKTUPLE` of a socket. Outbound (connect, send): source is the local end; inbound
/// (accept, receive): source is the peer. `remote` replaces an unset peer address (unconnected UDP).
fn socktuple(e: &mut Event, si: &SockInfo, inbound: bool, remote: Option<&[u8]>) {
    let (mut raddr, mut rport) = (si.raddr, si.rport);
    if let Some(r) = remote {
        let fam = u16::from_le_bytes([r[0], r[1]]);
        if raddr == [0; 16] && rport == 0 {
            if fam == 2 && r.len() >= 8 && si.family == 2 {
                raddr[..4].copy_from_slice(&r[4..8]);
                rport = u16::from_be_bytes([r[2], r[3]]);
            } else if fam == 10 && r.len() >= 24 && si.family == 10 {
                raddr.copy_from_slice(&r[8..24]);
                rport = u16::from_be_bytes([r[2], r[3]]);
            }
        }
    }
    let order = |l: &[u8], lp: u16, r: &[u8], rp: u16, out: &mut [u8], w: usize| {
        let (s, sp, d, dp) = if inbound {
            (r, rp, l, lp)
        } else {
            (l, lp, r, rp)
        };
        out[1..1 + w].copy_from_slice(s);
        out[1 + w..3 + w].copy_from_slice(&sp.to_le_bytes());
        out[3 + w..3 + 2 * w].copy_from_slice(d);
        out[3 + 2 * w..5 + 2 * w].copy_from_slice(&dp.to_le_bytes());
    };
    match si.family {
        2 => {
            let mut out = [0u8; 13];
            out[0] = 2;
            order(&si.laddr[..4], si.lport, &raddr[..4], rport, &mut out, 4);
            e.bytes(&out);
        }
        10 if v4_mapped(&si.laddr) && (v4_mapped(&raddr) || raddr == [0; 16]) => {
            let mut out = [0u8; 13];
            out[0] = 2;
            order(&si.laddr[12..], si.lport, &raddr[12..], rport, &mut out, 4);
            e.bytes(&out);
        }
        10 => {
            let mut out = [0u8; 37];
            out[0] = 10;
            order(&si.laddr, si.lport, &raddr, rport, &mut out, 16);
            e.bytes(&out);
        }
        1 => {
            let path = &si.path[..(si.path_len as usize).min(si.path.len())];
            e.with(17 + path.len() + 2, |buf| {
                if buf.len() < 18 {
                    return None;
                }
                buf[0] = 1;
                buf[1..9].copy_from_slice(&si.sk.to_le_bytes());
                buf[9..17].copy_from_slice(&si.peer.to_le_bytes());
                Some(17 + unix_path(&mut buf[17..], path))
            });
        }
        _ => e.empty(),
    }
}

/// The tuple of socket `fd`, or an empty parameter if it is not a socket.
fn fd_tuple(e: &mut Event, fd: i64, inbound: bool, remote: Option<&[u8]>) {
    let mut si = SockInfo::zeroed();
    if ffi::fd_sock_info(fd, &mut si) {
        socktuple(e, &si, inbound, remote);
    } else {
        e.empty();
    }
}

/// The two fds pipe, pipe2 and socketpair stored at `ptr` in user memory; (-1, -1) when the call
/// failed or that memory cannot be read.
fn user_fd_pair(ret: i64, ptr: u64) -> (i64, i64) {
    let mut fds = [0u8; 8];
    if ret != 0 || !ffi::copy_from_user(&mut fds, ptr) {
        return (-1, -1);
    }
    let fd = |i: usize| i32::from_le_bytes([fds[i], fds[i + 1], fds[i + 2], fds[i + 3]]) as i64;
    (fd(0), fd(4))
}

/// Reads a user sockaddr into `buf` for tuple completion; returns the bytes read.
fn user_sockaddr(buf: &mut [u8; MAX_SOCKADDR], addr: u64, len: u64) -> Option<usize> {
    let len = (len as usize).min(MAX_SOCKADDR);
    (addr != 0 && len >= 2 && ffi::copy_from_user(&mut buf[..len], addr)).then_some(len)
}

/// The argv or env strings of a *user* pointer array (a failed execve), NUL separated, as one
/// parameter. With `split_first`, argv[0] goes into its own (exe) parameter first.
fn user_strv(e: &mut Event, argv: u64, split_first: bool) {
    let mut ptrs = [0u64; 64];
    let ok = argv != 0 && {
        // SAFETY: [u64; 64] is plain old data, viewed as bytes only for the copy.
        let bytes = unsafe { core::slice::from_raw_parts_mut(ptrs.as_mut_ptr().cast::<u8>(), 512) };
        // Read pointers one page-safe chunk at a time would be exact; one copy of the whole table
        // is enough in practice (argv lives on the stack) and an unreadable tail only shortens it.
        ffi::copy_from_user(bytes, argv) || ffi::copy_from_user(&mut bytes[..64], argv)
    };
    let mut i = 0;
    if split_first {
        if ok && ptrs[0] != 0 {
            e.user_str(ptrs[0], MAX_PATH);
        } else {
            e.empty();
        }
        i = 1;
    }
    if !ok {
        e.empty();
        return;
    }
    e.with(MAX_ARGS, |buf| {
        let mut off = 0;
        while i < ptrs.len() && ptrs[i] != 0 && off < buf.len() {
            match ffi::strncpy_from_user(&mut buf[off..], ptrs[i]) {
                Some(n) => off += n,
                None => break,
            }
            i += 1;
        }
        (off > 0).then_some(off)
    });
}

/// argv[0] and the remaining args of the *current* mm (after exec, or in a fork child whose memory
/// is still the parent's): `[arg_start, arg_end)` holds the strings back to back.
fn mm_args(e: &mut Event, pi: &ffi::ProcInfo) {
    let total = pi.arg_end.saturating_sub(pi.arg_start) as usize;
    let mut exe_len = 0;
    if total == 0 {
        e.empty();
    } else {
        e.with(MAX_PATH.min(total), |buf| {
            let r = ffi::strncpy_from_user(buf, pi.arg_start);
            exe_len = r.unwrap_or(0);
            r
        });
    }
    let rest = total.saturating_sub(exe_len).min(MAX_ARGS);
    if rest == 0 {
        e.empty()
    } else {
        e.user_bytes(pi.arg_start + exe_len as u64, rest)
    }
}

fn mm_env(e: &mut Event, pi: &ffi::ProcInfo) {
    let total = (pi.env_end.saturating_sub(pi.env_start) as usize).min(MAX_ARGS);
    if total == 0 {
        e.empty()
    } else {
        e.user_bytes(pi.env_start, total)
    }
}

fn cgroups(e: &mut Event, t: *mut bindings::task_struct) {
    e.with(MAX_CGROUPS, |buf| {
        let n = ffi::cgroups(t, buf);
        (n > 0).then_some(n)
    });
}

/// The open-family exit tail: flags (with "created") and the new fd's device and inode.
fn open_tail(e: &mut Event, fd: i64, flags: u32, mode: u32) {
    let fi = if fd >= 0 { ffi::fd_file_info(fd) } else { None };
    let created = fi.as_ref().map_or(0, |f| {
        if f.created != 0 {
            convert::PPM_O_F_CREATED
        } else {
            0
        }
    });
    e.u32(convert::open_flags(flags) | created);
    e.u32(convert::open_mode(flags, mode));
    e.u32(fi.as_ref().map_or(0, |f| f.dev));
    e.u64(fi.as_ref().map_or(0, |f| f.ino));
}

// ---------------------------------------------------------------------------------------------------
// Enter events (sys_enter): only the calls whose arguments may change under the kernel's feet
// (TOCTOU): the path and address as passed in are what the rules must see.
// ---------------------------------------------------------------------------------------------------

/// True for the syscalls that have an enter event.
#[inline(always)]
pub(crate) fn has_enter(id: i64) -> bool {
    matches!(
        id,
        nr::OPEN | nr::OPENAT | nr::OPENAT2 | nr::CREAT | nr::CONNECT
    )
}

pub(crate) fn enter(ring: &Ring, ts: u64, tid: u64, regs: Regs, id: i64) {
    let a = |i| regs.arg(i);
    match id {
        nr::OPEN => emit(ring, ts, tid, ev::SYSCALL_OPEN_E, 3, |e| {
            e.user_str(a(0), MAX_PATH);
            e.u32(convert::open_flags(a(1) as u32));
            e.u32(convert::open_mode(a(1) as u32, a(2) as u32));
        }),
        nr::OPENAT => emit(ring, ts, tid, ev::SYSCALL_OPENAT_2_E, 4, |e| {
            e.i64(convert::dirfd(a(0)));
            e.user_str(a(1), MAX_PATH);
            e.u32(convert::open_flags(a(2) as u32));
            e.u32(convert::open_mode(a(2) as u32, a(3) as u32));
        }),
        nr::OPENAT2 => {
            let how = open_how(a(2), a(3));
            emit(ring, ts, tid, ev::SYSCALL_OPENAT2_E, 5, |e| {
                e.i64(convert::dirfd(a(0)));
                e.user_str(a(1), MAX_PATH);
                e.u32(convert::open_flags(how.0 as u32));
                e.u32(convert::open_mode(how.0 as u32, how.1 as u32));
                e.u32(how.2 as u32);
            })
        }
        nr::CREAT => emit(ring, ts, tid, ev::SYSCALL_CREAT_E, 2, |e| {
            e.user_str(a(0), MAX_PATH);
            e.u32(convert::open_mode(0o100, a(1) as u32));
        }),
        nr::CONNECT => emit(ring, ts, tid, ev::SOCKET_CONNECT_E, 2, |e| {
            e.i64(a(0) as i32 as i64);
            sockaddr(e, a(1), a(2));
        }),
        _ => {}
    }
}

/// `struct open_how` {flags, mode, resolve} of openat2, or zeros if unreadable.
fn open_how(addr: u64, size: u64) -> (u64, u64, u64) {
    let mut raw = [0u8; 24];
    if size < 24 || !ffi::copy_from_user(&mut raw, addr) {
        return (0, 0, 0);
    }
    let w = |i: usize| u64::from_le_bytes(raw[8 * i..8 * i + 8].try_into().unwrap_or([0; 8]));
    (w(0), w(1), w(2))
}

// ---------------------------------------------------------------------------------------------------
// Exit events (sys_exit)
// ---------------------------------------------------------------------------------------------------

/// Encodes the exit event of syscall `x.nr`. Successful execs and clone children are reported by
/// the sched tracepoints instead, so nothing is written for them here.
pub(crate) fn exit(ring: &Ring, ts: u64, tid: u64, x: &Exit) {
    let ret = x.ret;
    match x.nr {
        nr::READ => {
            let data = (x.arg(1), x.data_len(ret));
            emit_io(
                ring,
                ts,
                tid,
                ev::SYSCALL_READ_X,
                ret,
                data,
                [8, 4],
                FdSize(x.fd(0), x.arg(2) as u32),
            )
        }
        nr::WRITE => {
            let data = (
                x.arg(1),
                x.data_len(if ret > 0 { ret } else { x.arg(2) as i64 }),
            );
            emit_io(
                ring,
                ts,
                tid,
                ev::SYSCALL_WRITE_X,
                ret,
                data,
                [8, 4],
                FdSize(x.fd(0), x.arg(2) as u32),
            )
        }
        nr::PREAD64 | nr::PWRITE64 => {
            let (ty, n) = if x.nr == nr::PREAD64 {
                (ev::SYSCALL_PREAD_X, ret)
            } else {
                (
                    ev::SYSCALL_PWRITE_X,
                    if ret > 0 { ret } else { x.arg(2) as i64 },
                )
            };
            let trailer = FdSizePos(x.fd(0), x.arg(2) as u32, x.arg(3));
            emit_io(
                ring,
                ts,
                tid,
                ty,
                ret,
                (x.arg(1), x.data_len(n)),
                [8, 4, 8],
                trailer,
            )
        }
        nr::READV => emit(ring, ts, tid, ev::SYSCALL_READV_X, 4, |e| {
            e.i64(ret);
            e.u32(0); // size: the iovec total, known once the iovecs are read below
            let size = iov_data(e, x.arg(1), x.arg(2), x.data_len(ret));
            e.i64(x.fd(0));
            patch_u32(e, 1, size as u32);
        }),
        nr::WRITEV => emit(ring, ts, tid, ev::SYSCALL_WRITEV_X, 4, |e| {
            e.i64(ret);
            let size = iov_data(
                e,
                x.arg(1),
                x.arg(2),
                x.data_len(if ret > 0 { ret } else { i64::MAX }),
            );
            e.i64(x.fd(0));
            e.u32(size as u32);
        }),
        nr::OPEN => emit(ring, ts, tid, ev::SYSCALL_OPEN_X, 6, |e| {
            e.i64(ret);
            e.user_str(x.arg(0), MAX_PATH);
            open_tail(e, ret, x.arg(1) as u32, x.arg(2) as u32);
        }),
        nr::OPENAT => emit(ring, ts, tid, ev::SYSCALL_OPENAT_2_X, 7, |e| {
            e.i64(ret);
            e.i64(convert::dirfd(x.arg(0)));
            e.user_str(x.arg(1), MAX_PATH);
            open_tail(e, ret, x.arg(2) as u32, x.arg(3) as u32);
        }),
        nr::OPENAT2 => {
            let how = open_how(x.arg(2), x.arg(3));
            emit(ring, ts, tid, ev::SYSCALL_OPENAT2_X, 8, |e| {
                e.i64(ret);
                e.i64(convert::dirfd(x.arg(0)));
                e.user_str(x.arg(1), MAX_PATH);
                e.u32(convert::open_flags(how.0 as u32));
                e.u32(convert::open_mode(how.0 as u32, how.1 as u32));
                e.u32(how.2 as u32);
                let fi = if ret >= 0 {
                    ffi::fd_file_info(ret)
                } else {
                    None
                };
                e.u32(fi.as_ref().map_or(0, |f| f.dev));
                e.u64(fi.as_ref().map_or(0, |f| f.ino));
            })
        }
        nr::CREAT => emit(ring, ts, tid, ev::SYSCALL_CREAT_X, 6, |e| {
            e.i64(ret);
            e.user_str(x.arg(0), MAX_PATH);
            e.u32(convert::open_mode(0o100, x.arg(1) as u32));
            let fi = if ret >= 0 {
                ffi::fd_file_info(ret)
            } else {
                None
            };
            e.u32(fi.as_ref().map_or(0, |f| f.dev));
            e.u64(fi.as_ref().map_or(0, |f| f.ino));
            e.u16(0); // creat_flags: overlayfs layers, not computed
        }),
        nr::CLOSE => emit_fixed(
            ring,
            ts,
            tid,
            ev::SYSCALL_CLOSE_X,
            [8, 8],
            I64x2(ret, x.fd(0)),
        ),
        nr::DUP => emit_fixed(
            ring,
            ts,
            tid,
            ev::SYSCALL_DUP_1_X,
            [8, 8],
            I64x2(ret, x.fd(0)),
        ),
        nr::DUP2 => emit(ring, ts, tid, ev::SYSCALL_DUP2_X, 3, |e| {
            e.i64(ret);
            e.i64(x.fd(0));
            e.i64(x.fd(1));
        }),
        nr::DUP3 => emit(ring, ts, tid, ev::SYSCALL_DUP3_X, 4, |e| {
            e.i64(ret);
            e.i64(x.fd(0));
            e.i64(x.fd(1));
            e.u32(convert::fd_flags(x.arg(2) as u32));
        }),
        nr::PIPE | nr::PIPE2 => {
            let (fd1, fd2) = user_fd_pair(ret, x.arg(0));
            let ino = if fd1 >= 0 {
                ffi::fd_file_info(fd1).map_or(0, |f| f.ino)
            } else {
                0
            };
            let pipe2 = x.nr == nr::PIPE2;
            let (ty, n) = if pipe2 {
                (ev::SYSCALL_PIPE2_X, 5)
            } else {
                (ev::SYSCALL_PIPE_X, 4)
            };
            emit(ring, ts, tid, ty, n, |e| {
                e.i64(ret);
                e.i64(fd1);
                e.i64(fd2);
                e.u64(ino);
                if pipe2 {
                    e.u32(convert::fd_flags(x.arg(1) as u32));
                }
            })
        }
        nr::SOCKET => emit(ring, ts, tid, ev::SOCKET_SOCKET_X, 5, |e| {
            e.i64(ret);
            e.u32(x.arg(0) as u32);
            e.u32(x.arg(1) as u32);
            e.u32(x.arg(2) as u32);
            // SOCK_NONBLOCK and SOCK_CLOEXEC are O_NONBLOCK and O_CLOEXEC.
            e.u32(convert::fd_flags(x.arg(1) as u32));
        }),
        nr::SOCKETPAIR => {
            let (fd1, fd2) = user_fd_pair(ret, x.arg(3));
            let mut si = SockInfo::zeroed();
            let have = fd1 >= 0 && ffi::fd_sock_info(fd1, &mut si);
            emit(ring, ts, tid, ev::SOCKET_SOCKETPAIR_X, 8, |e| {
                e.i64(ret);
                e.i64(fd1);
                e.i64(fd2);
                e.u64(if have { si.sk } else { 0 });
                e.u64(if have { si.peer } else { 0 });
                e.u32(x.arg(0) as u32);
                e.u32(x.arg(1) as u32);
                e.u32(x.arg(2) as u32);
            })
        }
        nr::CONNECT => {
            let mut raw = [0u8; MAX_SOCKADDR];
            let ulen = user_sockaddr(&mut raw, x.arg(1), x.arg(2));
            emit(ring, ts, tid, ev::SOCKET_CONNECT_X, 4, |e| {
                e.i64(ret);
                fd_tuple(e, x.fd(0), false, ulen.map(|n| &raw[..n]));
                e.i64(x.fd(0));
                match ulen {
                    Some(n) => encode_sockaddr(e, &raw[..n]),
                    None => e.empty(),
                }
            })
        }
        nr::ACCEPT | nr::ACCEPT4 => {
            let mut lsi = SockInfo::zeroed();
            let listening = ffi::fd_sock_info(x.fd(0), &mut lsi);
            let (qlen, qmax) = if listening {
                (lsi.ack_backlog, lsi.max_ack_backlog)
            } else {
                (0, 0)
            };
            let pct = if qmax > 0 {
                (qlen as u64 * 100 / qmax as u64).min(100) as u8
            } else {
                0
            };
            let four = x.nr == nr::ACCEPT4;
            let (ty, n) = if four {
                (ev::SOCKET_ACCEPT4_6_X, 6)
            } else {
                (ev::SOCKET_ACCEPT_5_X, 5)
            };
            emit(ring, ts, tid, ty, n, |e| {
                e.i64(ret);
                if ret >= 0 {
                    fd_tuple(e, ret, true, None)
                } else {
                    e.empty()
                }
                e.u8(pct);
                e.u32(qlen);
                e.u32(qmax);
                if four {
                    e.u32(x.arg(3) as u32);
                }
            })
        }
        nr::BIND => emit(ring, ts, tid, ev::SOCKET_BIND_X, 3, |e| {
            e.i64(ret);
            sockaddr(e, x.arg(1), x.arg(2));
            e.i64(x.fd(0));
        }),
        nr::LISTEN => emit(ring, ts, tid, ev::SOCKET_LISTEN_X, 3, |e| {
            e.i64(ret);
            e.i64(x.fd(0));
            e.u32(x.arg(1) as u32);
        }),
        nr::SENDTO => {
            let mut raw = [0u8; MAX_SOCKADDR];
            let ulen = user_sockaddr(&mut raw, x.arg(4), x.arg(5));
            emit(ring, ts, tid, ev::SOCKET_SENDTO_X, 5, |e| {
                e.i64(ret);
                data(
                    e,
                    x.arg(1),
                    x.data_len(if ret > 0 { ret } else { x.arg(2) as i64 }),
                );
                e.i64(x.fd(0));
                e.u32(x.arg(2) as u32);
                fd_tuple(e, x.fd(0), false, ulen.map(|n| &raw[..n]));
            })
        }
        nr::RECVFROM => {
            let mut raw = [0u8; MAX_SOCKADDR];
            let mut alen = [0u8; 4];
            let ulen = if x.arg(5) != 0 && ret >= 0 && ffi::copy_from_user(&mut alen, x.arg(5)) {
                user_sockaddr(&mut raw, x.arg(4), u32::from_le_bytes(alen) as u64)
            } else {
                None
            };
            emit(ring, ts, tid, ev::SOCKET_RECVFROM_X, 5, |e| {
                e.i64(ret);
                data(e, x.arg(1), x.data_len(ret));
                fd_tuple(e, x.fd(0), true, ulen.map(|n| &raw[..n]));
                e.i64(x.fd(0));
                e.u32(x.arg(2) as u32);
            })
        }
        nr::SENDMSG | nr::RECVMSG => msg(ring, ts, tid, x),
        nr::CLONE | nr::FORK | nr::VFORK | nr::CLONE3 => {
            // The child's side comes from sched_process_fork.
            if ret != 0 {
                clone_event(ring, ts, tid, x.nr, ret, ffi::current(), Some(x));
            }
        }
        nr::EXECVE | nr::EXECVEAT => {
            // A successful exec is reported by sched_process_exec, from the new image.
            if ret != 0 {
                exec_event(
                    ring,
                    ts,
                    tid,
                    x.nr == nr::EXECVEAT,
                    ret,
                    ffi::current(),
                    Exec::Failed(x),
                );
            }
        }
        nr::KILL => emit(ring, ts, tid, ev::SYSCALL_KILL_X, 3, |e| {
            e.i64(ret);
            e.i64(x.arg(0) as i32 as i64);
            e.u8(x.arg(1) as u8);
        }),
        nr::CHDIR => emit(ring, ts, tid, ev::SYSCALL_CHDIR_X, 2, |e| {
            e.i64(ret);
            e.user_str(x.arg(0), MAX_PATH);
        }),
        nr::FCHDIR => emit_fixed(
            ring,
            ts,
            tid,
            ev::SYSCALL_FCHDIR_X,
            [8, 8],
            I64x2(ret, x.fd(0)),
        ),
        nr::MKDIR => emit(ring, ts, tid, ev::SYSCALL_MKDIR_2_X, 3, |e| {
            e.i64(ret);
            e.user_str(x.arg(0), MAX_PATH);
            e.u32(x.arg(1) as u32);
        }),
        nr::MKDIRAT => emit(ring, ts, tid, ev::SYSCALL_MKDIRAT_X, 4, |e| {
            e.i64(ret);
            e.i64(convert::dirfd(x.arg(0)));
            e.user_str(x.arg(1), MAX_PATH);
            e.u32(x.arg(2) as u32);
        }),
        nr::RMDIR => path1(ring, ts, tid, ev::SYSCALL_RMDIR_2_X, x),
        nr::UNLINK => path1(ring, ts, tid, ev::SYSCALL_UNLINK_2_X, x),
        nr::UNLINKAT => emit(ring, ts, tid, ev::SYSCALL_UNLINKAT_2_X, 4, |e| {
            e.i64(ret);
            e.i64(convert::dirfd(x.arg(0)));
            e.user_str(x.arg(1), MAX_PATH);
            e.u32(x.arg(2) as u32);
        }),
        nr::RENAME => path2(ring, ts, tid, ev::SYSCALL_RENAME_X, x),
        nr::LINK => path2(ring, ts, tid, ev::SYSCALL_LINK_2_X, x),
        nr::SYMLINK => path2(ring, ts, tid, ev::SYSCALL_SYMLINK_X, x),
        nr::RENAMEAT | nr::RENAMEAT2 | nr::LINKAT => {
            let (ty, n) = match x.nr {
                nr::RENAMEAT => (ev::SYSCALL_RENAMEAT_X, 5),
                nr::RENAMEAT2 => (ev::SYSCALL_RENAMEAT2_X, 6),
                _ => (ev::SYSCALL_LINKAT_2_X, 6),
            };
            emit(ring, ts, tid, ty, n, |e| {
                e.i64(ret);
                e.i64(convert::dirfd(x.arg(0)));
                e.user_str(x.arg(1), MAX_PATH);
                e.i64(convert::dirfd(x.arg(2)));
                e.user_str(x.arg(3), MAX_PATH);
                if n == 6 {
                    e.u32(x.arg(4) as u32);
                }
            })
        }
        nr::SYMLINKAT => emit(ring, ts, tid, ev::SYSCALL_SYMLINKAT_X, 4, |e| {
            e.i64(ret);
            e.user_str(x.arg(0), MAX_PATH);
            e.i64(convert::dirfd(x.arg(1)));
            e.user_str(x.arg(2), MAX_PATH);
        }),
        nr::CHMOD => emit(ring, ts, tid, ev::SYSCALL_CHMOD_X, 3, |e| {
            e.i64(ret);
            e.user_str(x.arg(0), MAX_PATH);
            e.u32(x.arg(1) as u32 & 0o7777);
        }),
        nr::FCHMOD => emit(ring, ts, tid, ev::SYSCALL_FCHMOD_X, 3, |e| {
            e.i64(ret);
            e.i64(x.fd(0));
            e.u32(x.arg(1) as u32 & 0o7777);
        }),
        nr::FCHMODAT => emit(ring, ts, tid, ev::SYSCALL_FCHMODAT_X, 4, |e| {
            e.i64(ret);
            e.i64(convert::dirfd(x.arg(0)));
            e.user_str(x.arg(1), MAX_PATH);
            e.u32(x.arg(2) as u32 & 0o7777);
        }),
        nr::CHOWN | nr::LCHOWN => {
            let ty = if x.nr == nr::CHOWN {
                ev::SYSCALL_CHOWN_X
            } else {
                ev::SYSCALL_LCHOWN_X
            };
            emit(ring, ts, tid, ty, 4, |e| {
                e.i64(ret);
                e.user_str(x.arg(0), MAX_PATH);
                e.u32(x.arg(1) as u32);
                e.u32(x.arg(2) as u32);
            })
        }
        nr::FCHOWN => emit(ring, ts, tid, ev::SYSCALL_FCHOWN_X, 4, |e| {
            e.i64(ret);
            e.i64(x.fd(0));
            e.u32(x.arg(1) as u32);
            e.u32(x.arg(2) as u32);
        }),
        nr::FCHOWNAT => emit(ring, ts, tid, ev::SYSCALL_FCHOWNAT_X, 6, |e| {
            e.i64(ret);
            e.i64(convert::dirfd(x.arg(0)));
            e.user_str(x.arg(1), MAX_PATH);
            e.u32(x.arg(2) as u32);
            e.u32(x.arg(3) as u32);
            e.u32(convert::fchownat_flags(x.arg(4) as u32));
        }),
        nr::SETUID | nr::SETGID => {
            let ty = if x.nr == nr::SETUID {
                ev::SYSCALL_SETUID_X
            } else {
                ev::SYSCALL_SETGID_X
            };
            emit(ring, ts, tid, ty, 2, |e| {
                e.i64(ret);
                e.u32(x.arg(0) as u32);
            })
        }
        nr::SETRESUID | nr::SETRESGID => {
            let ty = if x.nr == nr::SETRESUID {
                ev::SYSCALL_SETRESUID_X
            } else {
                ev::SYSCALL_SETRESGID_X
            };
            emit(ring, ts, tid, ty, 4, |e| {
                e.i64(ret);
                e.u32(x.arg(0) as u32);
                e.u32(x.arg(1) as u32);
                e.u32(x.arg(2) as u32);
            })
        }
        nr::PTRACE => emit(ring, ts, tid, ev::SYSCALL_PTRACE_X, 5, |e| {
            e.i64(ret);
            // PT_DYN: a table index byte (PPM_PTRACE_IDX_UINT64 = 0), then the value.
            let mut dynv = [0u8; 9];
            dynv[1..].copy_from_slice(&x.arg(2).to_le_bytes());
            e.bytes(&dynv);
            dynv[1..].copy_from_slice(&x.arg(3).to_le_bytes());
            e.bytes(&dynv);
            e.u16(convert::ptrace_request(x.arg(0)));
            e.i64(x.arg(1) as i32 as i64);
        }),
        nr::MOUNT => emit(ring, ts, tid, ev::SYSCALL_MOUNT_X, 5, |e| {
            e.i64(ret);
            e.user_str(x.arg(0), MAX_PATH);
            e.user_str(x.arg(1), MAX_PATH);
            e.user_str(x.arg(2), MAX_PATH);
            e.u32(convert::mount_flags(x.arg(3)));
        }),
        nr::UMOUNT2 => emit(ring, ts, tid, ev::SYSCALL_UMOUNT2_X, 3, |e| {
            e.i64(ret);
            e.user_str(x.arg(0), MAX_PATH);
            e.u32(x.arg(1) as u32);
        }),
        _ => emit_fixed(
            ring,
            ts,
            tid,
            ev::GENERIC_X,
            [2, 2],
            [crate::syscalls::ppm_sc(x.nr), x.nr as u16],
        ),
    }
}

/// Overwrites fixed u32 parameter `idx` (already written) of `e`.
fn patch_u32(e: &mut Event, idx: usize, v: u32) {
    e.patch(idx, &v.to_le_bytes());
}

fn path1(ring: &Ring, ts: u64, tid: u64, ty: u16, x: &Exit) {
    emit(ring, ts, tid, ty, 2, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
    })
}

fn path2(ring: &Ring, ts: u64, tid: u64, ty: u16, x: &Exit) {
    emit(ring, ts, tid, ty, 3, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
        e.user_str(x.arg(1), MAX_PATH);
    })
}

/// sendmsg/recvmsg: the data comes from the msghdr's iovecs, the address from its msg_name.
fn msg(ring: &Ring, ts: u64, tid: u64, x: &Exit) {
    let ret = x.ret;
    // struct user_msghdr: name(8) namelen(4)+pad(4) iov(8) iovlen(8) control(8) controllen(8) flags
    let mut hdr = [0u8; 48];
    let have = ffi::copy_from_user(&mut hdr, x.arg(1));
    let w = |i: usize| u64::from_le_bytes(hdr[i..i + 8].try_into().unwrap_or([0; 8]));
    let (name, namelen, iov, iovlen, control, controllen) = if have {
        (w(0), w(8) & 0xffff_ffff, w(16), w(24), w(32), w(40))
    } else {
        (0, 0, 0, 0, 0, 0)
    };
    let mut raw = [0u8; MAX_SOCKADDR];
    let ulen = user_sockaddr(&mut raw, name, namelen);
    if x.nr == nr::SENDMSG {
        emit(ring, ts, tid, ev::SOCKET_SENDMSG_X, 5, |e| {
            e.i64(ret);
            let len = x.data_len(if ret > 0 { ret } else { i64::MAX });
            let size = if have {
                iov_data(e, iov, iovlen, len)
            } else {
                e.empty();
                0
            };
            e.i64(x.fd(0));
            e.u32(size as u32);
            fd_tuple(e, x.fd(0), false, ulen.map(|n| &raw[..n]));
        })
    } else {
        emit(ring, ts, tid, ev::SOCKET_RECVMSG_X, 6, |e| {
            e.i64(ret);
            e.u32(0); // size: the iovec total, known once the iovecs are read below
            let size = if have {
                iov_data(e, iov, iovlen, x.data_len(ret))
            } else {
                e.empty();
                0
            };
            patch_u32(e, 1, size as u32);
            fd_tuple(e, x.fd(0), true, ulen.map(|n| &raw[..n]));
            if ret >= 0 && control != 0 && controllen != 0 {
                e.user_bytes(control, (controllen as usize).min(x.snaplen as usize));
            } else {
                e.empty();
            }
            e.i64(x.fd(0));
        })
    }
}

// ---------------------------------------------------------------------------------------------------
// Process events: clone (both sides), execve, procexit
// ---------------------------------------------------------------------------------------------------

/// The clone-family exit event for `task`: the parent's (from sys_exit, `res` = child tid, `x` set)
/// or the child's (from sched_process_fork, `res` = 0, header tid = the child).
pub(crate) fn clone_event(
    ring: &Ring,
    ts: u64,
    tid: u64,
    syscall: i64,
    res: i64,
    task: *mut bindings::task_struct,
    x: Option<&Exit>,
) {
    let ty = match syscall {
        nr::FORK => ev::SYSCALL_FORK_20_X,
        nr::VFORK => ev::SYSCALL_VFORK_20_X,
        nr::CLONE3 => ev::SYSCALL_CLONE3_X,
        _ => ev::SYSCALL_CLONE_20_X,
    };
    let pi = ffi::proc_info(task);
    // The clone flags are the syscall's first argument (clone3: the first field of the struct it
    // points to). The child's event is written from sched_process_fork, in the parent, whose
    // registers still hold them: both sides report the flags the call was made with, as the upstream
    // driver does.
    let arg0 = match x {
        Some(x) => x.arg(0),
        None => ffi::current_syscall_arg0(),
    };
    let flags = match syscall {
        nr::CLONE => convert::clone_flags(arg0),
        nr::CLONE3 => {
            let mut f = [0u8; 8];
            if ffi::copy_from_user(&mut f, arg0) {
                convert::clone_flags(u64::from_le_bytes(f))
            } else {
                0
            }
        }
        nr::VFORK => convert::PPM_CL_CLONE_VFORK | convert::PPM_CL_CLONE_VM,
        _ => 0,
    };
    let flags = if pi.pidns_level != 0 {
        flags | convert::PPM_CL_CHILD_IN_PIDNS
    } else {
        flags
    };
    let comm = ffi::task_comm(task);
    emit(ring, ts, tid, ty, 21, |e| {
        e.i64(res);
        mm_args(e, &pi);
        e.i64(pi.pid as i64);
        e.i64(pi.tgid as i64);
        e.i64(pi.ptid as i64);
        e.empty(); // cwd: left to userspace, like the modern driver (chdir events track it)
        e.u64(pi.fdlimit);
        e.u64(pi.pgft_maj);
        e.u64(pi.pgft_min);
        e.u32(pi.vm_size_kb as u32);
        e.u32(pi.vm_rss_kb as u32);
        e.u32(pi.vm_swap_kb as u32);
        e.cstr(&comm);
        cgroups(e, task);
        e.u32(flags);
        e.u32(pi.euid as u32);
        e.u32(pi.egid as u32);
        e.i64(pi.vtid as i64);
        e.i64(pi.vpid as i64);
        e.u64(pi.pidns_init_start);
    });
}

/// How an exec event gets its exe/args/env/filename.
pub(crate) enum Exec<'a> {
    /// From the new image (sched_process_exec); `filename` is bprm->filename.
    Ok { filename: *const u8 },
    /// From the failed call's user arguments.
    Failed(&'a Exit),
}

/// The execve/execveat exit event of `task` (current).
pub(crate) fn exec_event(
    ring: &Ring,
    ts: u64,
    tid: u64,
    at: bool,
    res: i64,
    task: *mut bindings::task_struct,
    how: Exec<'_>,
) {
    let pi = ffi::proc_info(task);
    let comm = ffi::task_comm(task);
    let (ty, n) = if at {
        (ev::SYSCALL_EXECVEAT_X, 30)
    } else {
        (ev::SYSCALL_EXECVE_19_X, 31)
    };
    emit(ring, ts, tid, ty, n, |e| {
        e.i64(res);
        match &how {
            Exec::Ok { .. } => mm_args(e, &pi),
            Exec::Failed(x) => user_strv(e, x.arg(if at { 2 } else { 1 }), true),
        }
        e.i64(pi.pid as i64);
        e.i64(pi.tgid as i64);
        e.i64(pi.ptid as i64);
        e.empty(); // cwd, as for clone
        e.u64(pi.fdlimit);
        e.u64(pi.pgft_maj);
        e.u64(pi.pgft_min);
        e.u32(pi.vm_size_kb as u32);
        e.u32(pi.vm_rss_kb as u32);
        e.u32(pi.vm_swap_kb as u32);
        e.cstr(&comm);
        cgroups(e, task);
        match &how {
            Exec::Ok { .. } => mm_env(e, &pi),
            Exec::Failed(x) => user_strv(e, x.arg(if at { 3 } else { 2 }), false),
        }
        e.u32(pi.tty as u32);
        e.i64(pi.vpgid as i64);
        e.u32(pi.loginuid as u32);
        e.u32(pi.exe_flags as u32);
        e.u64(pi.cap_inheritable);
        e.u64(pi.cap_permitted);
        e.u64(pi.cap_effective);
        e.u64(pi.exe_ino);
        e.u64(pi.exe_ctime_ns);
        e.u64(pi.exe_mtime_ns);
        e.u32(pi.euid as u32);
        if matches!(how, Exec::Ok { .. }) {
            e.with(MAX_PATH, |buf| ffi::exe_path(task, buf));
        } else {
            e.empty();
        }
        e.i64(pi.pgid as i64);
        e.u32(pi.egid as u32);
        // execve ends with the filename; execveat has no enter parameters appended (libs' table).
        if !at {
            match &how {
                Exec::Ok { filename } => {
                    // SAFETY: bprm->filename is a NUL-terminated kernel string, alive during the
                    // sched_process_exec tracepoint that handed it over.
                    e.cstr(unsafe { kernel_cstr(*filename) });
                }
                Exec::Failed(x) => e.user_str(x.arg(0), MAX_PATH),
            }
        }
    });
}

/// # Safety
/// `p` must be null or a NUL-terminated string that outlives the returned slice.
unsafe fn kernel_cstr<'a>(p: *const u8) -> &'a [u8] {
    if p.is_null() {
        return &[];
    }
    let mut n = 0;
    // SAFETY: per the contract, every byte up to and including the NUL is readable.
    while n < MAX_PATH && unsafe { *p.add(n) } != 0 {
        n += 1;
    }
    // SAFETY: the first `n` bytes were just read.
    unsafe { core::slice::from_raw_parts(p, n) }
}

/// The procexit event of `task` (current), from sched_process_exit.
pub(crate) fn procexit(ring: &Ring, ts: u64, task: *mut bindings::task_struct, reaper: i64) {
    let code = ffi::task_exit_code(task);
    let tid = ffi::task_pid(task) as u64;
    emit(ring, ts, tid, ev::PROCEXIT_1_E, 5, |e| {
        e.i64(code as i64);
        e.i64(((code >> 8) & 0xff) as i64); // WEXITSTATUS
        e.u8((code & 0x7f) as u8); // WTERMSIG
        e.u8(((code & 0x80) != 0) as u8); // WCOREDUMP
        e.i64(reaper);
    });
}
