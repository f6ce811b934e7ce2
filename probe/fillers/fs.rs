// SPDX-License-Identifier: GPL-2.0
//! Changes to the file system tree, by path: directories (mkdir, mkdirat, rmdir), names (unlink,
//! unlinkat, rename, renameat, renameat2, link, linkat, symlink, symlinkat), permissions and
//! owners (chmod, fchmod, fchmodat, chown, lchown, fchown, fchownat), mounts (mount, umount2).

use super::emit::emit;
use super::{Exit, MAX_PATH};
use crate::abi::event_id as ev;
use crate::convert;
use crate::ring::Ring;

/// The permission bits of a mode (scap's PPM_S_* equal Linux's).
const MODE_BITS: u32 = 0o7777;

/// `res, path` (rmdir, unlink).
#[inline(always)]
pub(super) fn path1(ring: &Ring, ts: u64, tid: u64, ty: u16, x: &Exit<'_>) {
    emit(ring, ts, tid, ty, 2, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
    })
}

/// `res, path, path` (rename, link, symlink).
#[inline(always)]
pub(super) fn path2(ring: &Ring, ts: u64, tid: u64, ty: u16, x: &Exit<'_>) {
    emit(ring, ts, tid, ty, 3, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
        e.user_str(x.arg(1), MAX_PATH);
    })
}

#[inline(always)]
pub(super) fn mkdir(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_MKDIR_2_X, 3, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
        e.u32(x.arg(1) as u32);
    })
}

/// `res, dirfd, path, u32` (mkdirat: mode; unlinkat: flags).
#[inline(always)]
pub(super) fn at_path_u32(ring: &Ring, ts: u64, tid: u64, ty: u16, x: &Exit<'_>) {
    emit(ring, ts, tid, ty, 4, |e| {
        e.i64(x.ret);
        e.i64(convert::dirfd(x.arg(0)));
        e.user_str(x.arg(1), MAX_PATH);
        e.u32(x.arg(2) as u32);
    })
}

/// renameat, renameat2 and linkat: `res, olddirfd, oldpath, newdirfd, newpath`, then the flags
/// when `with_flags` (renameat2, linkat).
#[inline(always)]
pub(super) fn at_path2(ring: &Ring, ts: u64, tid: u64, ty: u16, with_flags: bool, x: &Exit<'_>) {
    let n = if with_flags { 6 } else { 5 };
    emit(ring, ts, tid, ty, n, |e| {
        e.i64(x.ret);
        e.i64(convert::dirfd(x.arg(0)));
        e.user_str(x.arg(1), MAX_PATH);
        e.i64(convert::dirfd(x.arg(2)));
        e.user_str(x.arg(3), MAX_PATH);
        if with_flags {
            e.u32(x.arg(4) as u32);
        }
    })
}

#[inline(always)]
pub(super) fn symlinkat(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_SYMLINKAT_X, 4, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
        e.i64(convert::dirfd(x.arg(1)));
        e.user_str(x.arg(2), MAX_PATH);
    })
}

#[inline(always)]
pub(super) fn chmod(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_CHMOD_X, 3, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
        e.u32(x.arg(1) as u32 & MODE_BITS);
    })
}

#[inline(always)]
pub(super) fn fchmod(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_FCHMOD_X, 3, |e| {
        e.i64(x.ret);
        e.i64(x.fd(0));
        e.u32(x.arg(1) as u32 & MODE_BITS);
    })
}

#[inline(always)]
pub(super) fn fchmodat(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_FCHMODAT_X, 4, |e| {
        e.i64(x.ret);
        e.i64(convert::dirfd(x.arg(0)));
        e.user_str(x.arg(1), MAX_PATH);
        e.u32(x.arg(2) as u32 & MODE_BITS);
    })
}

/// chown and lchown: `res, path, uid, gid`.
#[inline(always)]
pub(super) fn chown(ring: &Ring, ts: u64, tid: u64, ty: u16, x: &Exit<'_>) {
    emit(ring, ts, tid, ty, 4, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
        e.u32(x.arg(1) as u32);
        e.u32(x.arg(2) as u32);
    })
}

#[inline(always)]
pub(super) fn fchown(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_FCHOWN_X, 4, |e| {
        e.i64(x.ret);
        e.i64(x.fd(0));
        e.u32(x.arg(1) as u32);
        e.u32(x.arg(2) as u32);
    })
}

#[inline(always)]
pub(super) fn fchownat(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_FCHOWNAT_X, 6, |e| {
        e.i64(x.ret);
        e.i64(convert::dirfd(x.arg(0)));
        e.user_str(x.arg(1), MAX_PATH);
        e.u32(x.arg(2) as u32);
        e.u32(x.arg(3) as u32);
        e.u32(convert::fchownat_flags(x.arg(4) as u32));
    })
}

#[inline(always)]
pub(super) fn mount(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_MOUNT_X, 5, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
        e.user_str(x.arg(1), MAX_PATH);
        e.user_str(x.arg(2), MAX_PATH);
        e.u32(convert::mount_flags(x.arg(3)));
    })
}

#[inline(always)]
pub(super) fn umount2(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_UMOUNT2_X, 3, |e| {
        e.i64(x.ret);
        e.user_str(x.arg(0), MAX_PATH);
        e.u32(x.arg(1) as u32);
    })
}
