// SPDX-License-Identifier: GPL-2.0
//! Writing one event into a ring: `emit` for any event (through the `Event` encoder), and two
//! shortcuts for the hottest shapes, which skip the encoder's per-parameter bookkeeping:
//! `emit_fixed` (every parameter of fixed size) and `emit_io` (one user data buffer).

use crate::abi::{EventHeader, EVENT_HEADER_LEN};
use crate::event::Event;
use crate::ffi;
use crate::ring::{DropKind, Ring};

/// Writes one event into `ring`: `f` encodes the `nparams` parameters.
#[inline(always)]
pub(super) fn emit<F: FnOnce(&mut Event)>(
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
pub(super) fn emit_fixed<const N: usize, P: Copy>(
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
/// memory at `addr` are copied straight into the ring (an unreadable buffer is written empty); the
/// trailer is fixed-size parameters: their lengths and their packed payload, as for `emit_fixed`.
#[inline(always)]
pub(super) fn emit_io<const N: usize, P: Copy>(
    ring: &Ring,
    ts: u64,
    tid: u64,
    event_type: u16,
    res: i64,
    (addr, n): (u64, usize),
    (trailer_lens, trailer): ([u16; N], P),
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
pub(super) struct FdSize(pub(super) i64, pub(super) u32);

/// fd, size, pos: the trailer of pread/pwrite.
#[repr(C, packed)]
#[derive(Clone, Copy)]
pub(super) struct FdSizePos(pub(super) i64, pub(super) u32, pub(super) u64);

/// Two i64 parameters (res and an fd or pid), the most common fixed payload.
#[repr(C, packed)]
#[derive(Clone, Copy)]
pub(super) struct I64x2(pub(super) i64, pub(super) i64);

/// Overwrites fixed u32 parameter `idx` (already written) of `e`.
pub(super) fn patch_u32(e: &mut Event, idx: usize, v: u32) {
    e.patch(idx, &v.to_le_bytes());
}
