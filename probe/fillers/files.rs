// SPDX-License-Identifier: GPL-2.0
//! File descriptors: the open family (open, openat, openat2, creat: enter and exit events),
//! close, dup/dup2/dup3, pipe/pipe2, and the working directory (chdir, fchdir).

use super::emit::{emit, emit_fixed, I64x2};
use super::user::user_fd_pair;
use super::{Exit, MAX_PATH};
use crate::abi::event_id as ev;
use crate::convert;
use crate::event::Event;
use crate::ffi::{self, Regs};
use crate::ring::Ring;

/// O_CREAT: creat(2) is open(2) with these flags.
const CREAT_FLAGS: u32 = 0o100;

#[inline(always)]
pub(super) fn open_enter(ring: &Ring, ts: u64, tid: u64, regs: &Regs) {
    let a = |i| regs.arg(i);
    emit(ring, ts, tid, ev::SYSCALL_OPEN_E, 3, |e| {
        e.user_str(a(0), MAX_PATH);
        e.u32(convert::open_flags(a(1) as u32));
        e.u32(convert::open_mode(a(1) as u32, a(2) as u32));
    })
}

#[inline(always)]
pub(super) fn openat_enter(ring: &Ring, ts: u64, tid: u64, regs: &Regs) {
    let a = |i| regs.arg(i);
    emit(ring, ts, tid, ev::SYSCALL_OPENAT_2_E, 4, |e| {
        e.i64(convert::dirfd(a(0)));
        e.user_str(a(1), MAX_PATH);
        e.u32(convert::open_flags(a(2) as u32));
        e.u32(convert::open_mode(a(2) as u32, a(3) as u32));
    })
}

#[inline(always)]
pub(super) fn openat2_enter(ring: &Ring, ts: u64, tid: u64, regs: &Regs) {
    let a = |i| regs.arg(i);
    let how = open_how(a(2), a(3));
    emit(ring, ts, tid, ev::SYSCALL_OPENAT2_E, 5, |e| {
        e.i64(convert::dirfd(a(0)));
        e.user_str(a(1), MAX_PATH);
        e.u32(convert::open_flags(how.0 as u32));
        e.u32(convert::open_mode(how.0 as u32, how.1 as u32));
        e.u32(how.2 as u32);
    })
}

#[inline(always)]
pub(super) fn creat_enter(ring: &Ring, ts: u64, tid: u64, regs: &Regs) {
    let a = |i| regs.arg(i);
    emit(ring, ts, tid, ev::SYSCALL_CREAT_E, 2, |e| {
        e.user_str(a(0), MAX_PATH);
        e.u32(convert::open_mode(CREAT_FLAGS, a(1) as u32));
    })
}

#[inline(always)]
pub(super) fn open(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_OPEN_X, 6, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
        open_tail(e, x.ret, x.arg(1) as u32, x.arg(2) as u32);
    })
}

#[inline(always)]
pub(super) fn openat(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_OPENAT_2_X, 7, |e| {
        e.i64(x.ret);
        e.i64(convert::dirfd(x.arg(0)));
        e.user_str(x.arg(1), MAX_PATH);
        open_tail(e, x.ret, x.arg(2) as u32, x.arg(3) as u32);
    })
}

#[inline(always)]
pub(super) fn openat2(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let how = open_how(x.arg(2), x.arg(3));
    emit(ring, ts, tid, ev::SYSCALL_OPENAT2_X, 8, |e| {
        e.i64(x.ret);
        e.i64(convert::dirfd(x.arg(0)));
        e.user_str(x.arg(1), MAX_PATH);
        e.u32(convert::open_flags(how.0 as u32));
        e.u32(convert::open_mode(how.0 as u32, how.1 as u32));
        e.u32(how.2 as u32);
        new_fd_inode(e, x.ret);
    })
}

#[inline(always)]
pub(super) fn creat(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_CREAT_X, 6, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
        e.u32(convert::open_mode(CREAT_FLAGS, x.arg(1) as u32));
        new_fd_inode(e, x.ret);
        e.u16(0); // creat_flags: overlayfs layers, not computed
    })
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

/// The device and inode of a new fd (zeros if the call failed).
fn new_fd_inode(e: &mut Event, fd: i64) {
    let fi = if fd >= 0 { ffi::fd_file_info(fd) } else { None };
    e.u32(fi.as_ref().map_or(0, |f| f.dev));
    e.u64(fi.as_ref().map_or(0, |f| f.ino));
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

#[inline(always)]
pub(super) fn close(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let payload = I64x2(x.ret, x.fd(0));
    emit_fixed(ring, ts, tid, ev::SYSCALL_CLOSE_X, [8, 8], payload)
}

#[inline(always)]
pub(super) fn dup(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let payload = I64x2(x.ret, x.fd(0));
    emit_fixed(ring, ts, tid, ev::SYSCALL_DUP_1_X, [8, 8], payload)
}

#[inline(always)]
pub(super) fn dup2(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_DUP2_X, 3, |e| {
        e.i64(x.ret);
        e.i64(x.fd(0));
        e.i64(x.fd(1));
    })
}

#[inline(always)]
pub(super) fn dup3(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_DUP3_X, 4, |e| {
        e.i64(x.ret);
        e.i64(x.fd(0));
        e.i64(x.fd(1));
        e.u32(convert::fd_flags(x.arg(2) as u32));
    })
}

/// pipe and pipe2 (`pipe2`: with its flags parameter).
#[inline(always)]
pub(super) fn pipe(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>, pipe2: bool) {
    let (fd1, fd2) = user_fd_pair(x.ret, x.arg(0));
    let ino = if fd1 >= 0 {
        ffi::fd_file_info(fd1).map_or(0, |f| f.ino)
    } else {
        0
    };
    let (ty, n) = if pipe2 {
        (ev::SYSCALL_PIPE2_X, 5)
    } else {
        (ev::SYSCALL_PIPE_X, 4)
    };
    emit(ring, ts, tid, ty, n, |e| {
        e.i64(x.ret);
        e.i64(fd1);
        e.i64(fd2);
        e.u64(ino);
        if pipe2 {
            e.u32(convert::fd_flags(x.arg(1) as u32));
        }
    })
}

#[inline(always)]
pub(super) fn chdir(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_CHDIR_X, 2, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
    })
}

#[inline(always)]
pub(super) fn fchdir(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let payload = I64x2(x.ret, x.fd(0));
    emit_fixed(ring, ts, tid, ev::SYSCALL_FCHDIR_X, [8, 8], payload)
}
