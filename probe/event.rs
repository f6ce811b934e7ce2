// SPDX-License-Identifier: GPL-2.0
//! The event encoder: writes one scap event (header, u16 parameter lengths, parameter data) straight
//! into the ring at the head, with no intermediate buffer. Every write is bounds-checked against the
//! room the ring gave; an event that does not fit is dropped whole, never truncated.

use crate::abi::{EventHeader, EVENT_HEADER_LEN};
use crate::ffi;
use crate::ring::DropKind;
use core::ptr;

/// Largest event the probe writes. Bounds what a writer may touch past the head (rings are at least
/// twice this size), and makes an oversized event a counted drop rather than a ring overrun.
pub(crate) const MAX_EVENT_BYTES: usize = 64 << 10;

pub(crate) struct Event {
    start: *mut u8,
    /// Bytes this event may use: min(free ring space, MAX_EVENT_BYTES).
    cap: usize,
    /// True if `cap` was limited by the ring's free space (a full ring) rather than the maximum.
    ring_limited: bool,
    event_type: u16,
    nparams: usize,
    idx: usize,
    pos: usize,
    overflow: bool,
    faulted: bool,
}

impl Event {
    /// Starts an event of `nparams` parameters at `start`.
    ///
    /// # Safety
    /// `start` must be valid for writes of `min(free, MAX_EVENT_BYTES)` bytes until `finish`.
    #[inline(always)]
    pub(crate) unsafe fn new(start: *mut u8, free: u64, event_type: u16, nparams: usize) -> Event {
        let ring_limited = free < MAX_EVENT_BYTES as u64;
        let cap = if ring_limited {
            free as usize
        } else {
            MAX_EVENT_BYTES
        };
        let pos = EVENT_HEADER_LEN + 2 * nparams;
        Event {
            start,
            cap,
            ring_limited,
            event_type,
            nparams,
            idx: 0,
            pos,
            overflow: pos > cap,
            faulted: false,
        }
    }

    /// Records the length of the next parameter, whose bytes are already at `pos`.
    #[inline(always)]
    fn close_param(&mut self, len: usize) {
        if self.idx >= self.nparams {
            // More parameters than declared: an encoder bug. Fail the event.
            self.overflow = true;
            self.nparams = usize::MAX;
            return;
        }
        if !self.overflow {
            // SAFETY: the length slots lie inside the header area checked in `new`.
            unsafe {
                ptr::write_unaligned(
                    self.start
                        .add(EVENT_HEADER_LEN + 2 * self.idx)
                        .cast::<u16>(),
                    (len as u16).to_le(),
                )
            };
        }
        // Bounded by MAX_EVENT_BYTES and MAX_EVENT_PARAMS: plain wrapping adds, no overflow checks.
        self.idx = self.idx.wrapping_add(1);
        self.pos = self.pos.wrapping_add(len);
    }

    /// Room left for parameter data, or None if the event already overflowed.
    #[inline(always)]
    fn room(&self) -> usize {
        if self.overflow {
            0
        } else {
            self.cap.wrapping_sub(self.pos)
        }
    }

    #[inline(always)]
    fn fixed<const N: usize>(&mut self, bytes: [u8; N]) {
        if self.room() < N {
            self.overflow = true;
        } else {
            // SAFETY: N bytes at pos are within cap (checked above).
            unsafe { ptr::write_unaligned(self.start.add(self.pos).cast::<[u8; N]>(), bytes) };
        }
        self.close_param(N);
    }

    #[inline(always)]
    pub(crate) fn u8(&mut self, v: u8) {
        self.fixed(v.to_le_bytes());
    }
    #[inline(always)]
    pub(crate) fn u16(&mut self, v: u16) {
        self.fixed(v.to_le_bytes());
    }
    #[inline(always)]
    pub(crate) fn u32(&mut self, v: u32) {
        self.fixed(v.to_le_bytes());
    }
    #[inline(always)]
    pub(crate) fn u64(&mut self, v: u64) {
        self.fixed(v.to_le_bytes());
    }
    #[inline(always)]
    pub(crate) fn i64(&mut self, v: i64) {
        self.fixed(v.to_le_bytes());
    }

    /// A parameter with no data (what scap readers show as `<NA>`, or an empty buffer).
    #[inline(always)]
    pub(crate) fn empty(&mut self) {
        self.close_param(0);
    }

    /// A parameter written by `f` into at most `max` bytes; `f` returns the bytes it used, or None
    /// for an empty parameter. `f` sees only the room the event has left.
    #[inline(always)]
    pub(crate) fn with<F: FnOnce(&mut [u8]) -> Option<usize>>(&mut self, max: usize, f: F) {
        let room = self.room();
        if room == 0 && max != 0 {
            self.overflow = true;
            self.close_param(0);
            return;
        }
        let n = max.min(room);
        // SAFETY: [pos, pos + n) is inside cap, and nothing else aliases it while `f` runs.
        let buf = unsafe { core::slice::from_raw_parts_mut(self.start.add(self.pos), n) };
        let len = f(buf).unwrap_or(0).min(n);
        if n < max && len == n {
            // The ring's room, not the parameter's maximum, may have cut the data: drop the event
            // rather than write a silently truncated value.
            self.overflow = true;
        }
        self.close_param(len);
    }

    /// Kernel bytes.
    #[inline(always)]
    pub(crate) fn bytes(&mut self, data: &[u8]) {
        if self.room() < data.len() {
            self.overflow = true;
            self.close_param(0);
            return;
        }
        // SAFETY: checked room above; source and ring never overlap.
        unsafe { ptr::copy_nonoverlapping(data.as_ptr(), self.start.add(self.pos), data.len()) };
        self.close_param(data.len());
    }

    /// A kernel C string (up to its first NUL, which is written too).
    pub(crate) fn cstr(&mut self, s: &[u8]) {
        let n = s.iter().position(|&c| c == 0).unwrap_or(s.len());
        self.with(n + 1, |buf| {
            if buf.len() < n + 1 {
                return None;
            }
            buf[..n].copy_from_slice(&s[..n]);
            buf[n] = 0;
            Some(n + 1)
        });
    }

    /// A NUL-terminated user string of at most `max` bytes (NUL included). Empty if `addr` faults.
    #[inline]
    pub(crate) fn user_str(&mut self, addr: u64, max: usize) {
        let mut faulted = false;
        self.with(max, |buf| {
            let r = ffi::strncpy_from_user(buf, addr);
            faulted = r.is_none() && addr != 0;
            r
        });
        self.faulted |= faulted;
    }

    /// `len` bytes of user memory. Empty if any of it faults.
    #[inline]
    pub(crate) fn user_bytes(&mut self, addr: u64, len: usize) {
        if len > self.room() {
            self.overflow = true;
            self.close_param(0);
            return;
        }
        let mut faulted = false;
        self.with(len, |buf| {
            let ok = ffi::copy_from_user(buf, addr);
            faulted = !ok;
            ok.then_some(buf.len())
        });
        self.faulted |= faulted;
    }

    /// Overwrites the data of parameter `idx`, already written with the same length as `data`.
    pub(crate) fn patch(&mut self, idx: usize, data: &[u8]) {
        if self.overflow || idx >= self.idx {
            return;
        }
        let mut off = EVENT_HEADER_LEN + 2 * self.nparams;
        for i in 0..=idx {
            // SAFETY: slots 0..self.idx were written by close_param inside the header area.
            let len = unsafe {
                u16::from_le(ptr::read_unaligned(
                    self.start.add(EVENT_HEADER_LEN + 2 * i).cast::<u16>(),
                ))
            } as usize;
            if i == idx {
                if len == data.len() {
                    // SAFETY: the parameter's bytes lie inside the part of the event already written.
                    unsafe { ptr::copy_nonoverlapping(data.as_ptr(), self.start.add(off), len) };
                }
                return;
            }
            off += len;
        }
    }

    /// Marks that a user-memory read of this event faulted (counted in `n_drops_pf`).
    pub(crate) fn set_faulted(&mut self) {
        self.faulted = true;
    }

    /// Writes the header and returns the event length, or why it must be dropped.
    /// `faulted` reports whether a user read faulted (the event is still valid).
    #[inline(always)]
    pub(crate) fn finish(self, ts: u64, tid: u64) -> Result<(usize, bool), DropKind> {
        if self.overflow {
            return Err(if self.nparams == usize::MAX {
                DropKind::Bug
            } else if self.ring_limited {
                DropKind::Full
            } else {
                DropKind::TooBig
            });
        }
        if self.idx != self.nparams {
            return Err(DropKind::Bug);
        }
        let hdr = EventHeader {
            ts,
            tid,
            len: self.pos as u32,
            event_type: self.event_type,
            nparams: self.nparams as u32,
        };
        // SAFETY: the header lies inside cap (checked in `new`); EventHeader is packed, 26 bytes.
        unsafe { ptr::write_unaligned(self.start.cast::<EventHeader>(), hdr) };
        Ok((self.pos, self.faulted))
    }
}
