// SPDX-License-Identifier: GPL-2.0
//! Credential changes: setuid, setgid, setresuid, setresgid.

use super::emit::emit;
use super::Exit;
use crate::ring::Ring;

/// setuid and setgid: `res, id`.
#[inline(always)]
pub(super) fn set_id(ring: &Ring, ts: u64, tid: u64, ty: u16, x: &Exit<'_>) {
    emit(ring, ts, tid, ty, 2, |e| {
        e.i64(x.ret);
        e.u32(x.arg(0) as u32);
    })
}

/// setresuid and setresgid: `res, real, effective, saved`.
#[inline(always)]
pub(super) fn set_res_ids(ring: &Ring, ts: u64, tid: u64, ty: u16, x: &Exit<'_>) {
    emit(ring, ts, tid, ty, 4, |e| {
        e.i64(x.ret);
        e.u32(x.arg(0) as u32);
        e.u32(x.arg(1) as u32);
        e.u32(x.arg(2) as u32);
    })
}
