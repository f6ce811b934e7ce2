// SPDX-License-Identifier: GPL-2.0
//! Data transfer on file descriptors: read, write, pread64, pwrite64, readv, writev. The data
//! buffer is cut at the snaplen and, for writes, taken from what the caller asked to write when the
//! call failed.

use super::emit::{emit, emit_io, patch_u32, FdSize, FdSizePos};
use super::user::iov_data;
use super::Exit;
use crate::abi::event_id as ev;
use crate::ring::Ring;

/// Bytes a write-like call moved, for its data buffer: what it returned, or what it was asked to
/// move (`asked`) when it failed.
#[inline(always)]
fn written(ret: i64, asked: i64) -> i64 {
    if ret > 0 {
        ret
    } else {
        asked
    }
}

#[inline(always)]
pub(super) fn read(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let data = (x.arg(1), x.data_len(x.ret));
    let trailer = ([8, 4], FdSize(x.fd(0), x.arg(2) as u32));
    emit_io(ring, ts, tid, ev::SYSCALL_READ_X, x.ret, data, trailer)
}

#[inline(always)]
pub(super) fn write(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let data = (x.arg(1), x.data_len(written(x.ret, x.arg(2) as i64)));
    let trailer = ([8, 4], FdSize(x.fd(0), x.arg(2) as u32));
    emit_io(ring, ts, tid, ev::SYSCALL_WRITE_X, x.ret, data, trailer)
}

#[inline(always)]
pub(super) fn pread(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let data = (x.arg(1), x.data_len(x.ret));
    let trailer = ([8, 4, 8], FdSizePos(x.fd(0), x.arg(2) as u32, x.arg(3)));
    emit_io(ring, ts, tid, ev::SYSCALL_PREAD_X, x.ret, data, trailer)
}

#[inline(always)]
pub(super) fn pwrite(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let data = (x.arg(1), x.data_len(written(x.ret, x.arg(2) as i64)));
    let trailer = ([8, 4, 8], FdSizePos(x.fd(0), x.arg(2) as u32, x.arg(3)));
    emit_io(ring, ts, tid, ev::SYSCALL_PWRITE_X, x.ret, data, trailer)
}

#[inline(always)]
pub(super) fn readv(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_READV_X, 4, |e| {
        e.i64(x.ret);
        e.u32(0); // size: the iovec total, known once the iovecs are read below
        let size = iov_data(e, x.arg(1), x.arg(2), x.data_len(x.ret));
        e.i64(x.fd(0));
        patch_u32(e, 1, size as u32);
    })
}

#[inline(always)]
pub(super) fn writev(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_WRITEV_X, 4, |e| {
        e.i64(x.ret);
        let len = x.data_len(written(x.ret, i64::MAX));
        let size = iov_data(e, x.arg(1), x.arg(2), len);
        e.i64(x.fd(0));
        e.u32(size as u32);
    })
}
