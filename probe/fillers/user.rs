// SPDX-License-Identifier: GPL-2.0
//! Parameters read from user memory through pointers the syscall was given: data buffers, iovec
//! arrays, the fd pair of pipe/socketpair, argv/env arrays. Reads never fault pages in (the writer
//! runs with preemption off): unreadable memory gives an empty parameter, counted in `n_drops_pf`.

use super::{MAX_ARGS, MAX_PATH};
use crate::event::Event;
use crate::ffi;

/// Most iovecs gathered for readv/writev/sendmsg/recvmsg data.
const MAX_IOVS: usize = 16;

/// A data buffer parameter: `len` bytes of user memory (empty if 0 or faulting).
#[inline(always)]
pub(super) fn data(e: &mut Event, addr: u64, len: usize) {
    if len == 0 {
        e.empty()
    } else {
        e.user_bytes(addr, len)
    }
}

/// Gathers up to `len` bytes from a user iovec array into one data parameter, and returns the sum of
/// the iovec lengths (the `size` scap reports).
pub(super) fn iov_data(e: &mut Event, iov: u64, iovcnt: u64, len: usize) -> u64 {
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

/// The two fds pipe, pipe2 and socketpair stored at `ptr` in user memory; (-1, -1) when the call
/// failed or that memory cannot be read.
pub(super) fn user_fd_pair(ret: i64, ptr: u64) -> (i64, i64) {
    let mut fds = [0u8; 8];
    if ret != 0 || !ffi::copy_from_user(&mut fds, ptr) {
        return (-1, -1);
    }
    let fd = |i: usize| {
        i64::from(i32::from_le_bytes([
            fds[i],
            fds[i + 1],
            fds[i + 2],
            fds[i + 3],
        ]))
    };
    (fd(0), fd(4))
}

/// The argv or env strings of a *user* pointer array (a failed execve), NUL separated, as one
/// parameter. With `split_first`, argv[0] goes into its own (exe) parameter first.
pub(super) fn user_strv(e: &mut Event, argv: u64, split_first: bool) {
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
