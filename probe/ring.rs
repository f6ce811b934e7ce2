// SPDX-License-Identifier: GPL-2.0
//! One CPU's ring: the pages, their kernel mapping, and the producer side of the protocol in abi.rs.
//!
//! The region is `[info][consumer][data 0..n][data 0..n]`: the data pages are mapped twice back to
//! back, in the kernel (vmap) as in userspace (mmap), so an event never wraps: the writer writes it
//! in one piece at `head & mask` and the reader reads it in one piece at `tail & mask`.

use crate::abi::{RingConsumer, RingInfo};
use crate::ffi;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::alloc::flags::{__GFP_ZERO, GFP_KERNEL};
use kernel::bindings;
use kernel::page::{Page, PAGE_SIZE};
use kernel::prelude::*;

pub(crate) struct Ring {
    /// Kernel mapping of the whole region (data twice).
    base: *mut u8,
    /// The region's distinct pages: info, consumer, then the data pages.
    pages: KVec<Page>,
    bytes: u64,
    /// `bytes - 1`.
    mask: u64,
    /// True while a writer is inside this ring: a guard against re-entry on the same CPU, which
    /// preemption being off should already make impossible.
    busy: core::cell::Cell<bool>,
}

// SAFETY: the ring is shared between CPUs only through its atomics and the single-writer rule
// (a writer holds preemption off on the ring's CPU; `busy` is only touched by that writer).
unsafe impl Send for Ring {}
// SAFETY: as above.
unsafe impl Sync for Ring {}

impl Ring {
    /// Allocates a zeroed ring with `bytes` of data (a power of two, a multiple of the page size).
    pub(crate) fn new(bytes: u64) -> Result<Ring> {
        let n = (bytes as usize) / PAGE_SIZE;
        let mut pages = KVec::with_capacity(2 + n, GFP_KERNEL)?;
        for _ in 0..2 + n {
            pages.push(Page::alloc_page(GFP_KERNEL | __GFP_ZERO)?, GFP_KERNEL)?;
        }
        let mut map: KVec<*mut bindings::page> = KVec::with_capacity(2 + 2 * n, GFP_KERNEL)?;
        map.push(pages[0].as_ptr(), GFP_KERNEL)?;
        map.push(pages[1].as_ptr(), GFP_KERNEL)?;
        for _ in 0..2 {
            for p in &pages[2..] {
                map.push(p.as_ptr(), GFP_KERNEL)?;
            }
        }
        // SAFETY: every entry is one of `pages`, which the ring owns and frees only after the
        // `vunmap` of its Drop.
        let base = unsafe { ffi::vmap(&mut map) }?;
        let ring = Ring {
            base,
            pages,
            bytes,
            mask: bytes - 1,
            busy: core::cell::Cell::new(false),
        };
        // SAFETY: the info page is mapped, zeroed, and not yet visible to anyone else.
        unsafe { (*ring.info()).ring_bytes = bytes };
        Ok(ring)
    }

    pub(crate) fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The page backing region page `i` (0 info, 1 consumer, 2.. data, wrapping for the 2nd copy).
    pub(crate) fn region_page(&self, i: usize) -> &Page {
        let n = self.pages.len() - 2;
        // No `%`: objtool does not know the divide-by-zero panic it would bring is noreturn.
        if i < 2 + n {
            &self.pages[i]
        } else {
            &self.pages[i - n]
        }
    }

    #[inline(always)]
    fn info(&self) -> *mut RingInfo {
        self.base.cast()
    }

    #[inline(always)]
    fn consumer(&self) -> *const RingConsumer {
        // SAFETY: page 1 of the region is mapped.
        unsafe { self.base.add(PAGE_SIZE).cast() }
    }

    /// Starts a write: returns the head and a pointer to it in the data area, plus the free bytes.
    /// None if a writer is already inside (see `busy`).
    #[inline(always)]
    pub(crate) fn begin(&self) -> Option<(u64, *mut u8, u64)> {
        if self.busy.replace(true) {
            // SAFETY: info is mapped; only this CPU's writer updates the counters.
            unsafe { (*self.info()).n_preemptions += 1 };
            return None;
        }
        // SAFETY: info is mapped; head is only written by this ring's writer, i.e. us.
        let head = unsafe { (*self.info()).head };
        // SAFETY: the consumer page is mapped and tail is its first, 8-byte aligned word; userspace
        // stores it with release semantics after reading the bytes below it, so acquire orders our
        // overwrite after that. (A pointer cast, not AtomicU64::from_ptr, which this kernel's core
        // does not inline.)
        let tail = unsafe { &*self.consumer().cast::<AtomicU64>() }.load(Ordering::Acquire);
        // The tail is untrusted: clamp it into [head - bytes, head].
        let used = head.wrapping_sub(tail);
        let free = if used > self.bytes {
            0
        } else {
            self.bytes.wrapping_sub(used)
        };
        let offset = (head & self.mask) as usize;
        // SAFETY: offset < bytes and the data area is mapped twice, so `bytes` bytes from here are
        // writable (the writer never writes more than `free <= bytes`).
        let at = unsafe { self.base.add(2 * PAGE_SIZE).add(offset) };
        Some((head, at, free))
    }

    /// Publishes `len` bytes written at the head (len 0: nothing written) and ends the write.
    #[inline(always)]
    pub(crate) fn commit(&self, head: u64, len: usize) {
        let info = self.info();
        if len != 0 {
            // SAFETY: info is mapped; counters are only written by this ring's writer.
            unsafe { (*info).n_evts = (*info).n_evts.wrapping_add(1) };
            // SAFETY: head is the info page's first, 8-byte aligned word; the release store orders
            // the event bytes before the new head (smp_wmb).
            unsafe { &*core::ptr::addr_of!((*info).head).cast::<AtomicU64>() }
                .store(head.wrapping_add(len as u64), Ordering::Release);
        }
        self.busy.set(false);
    }

    /// Counts a dropped event (`which` selects the counter) and ends the write.
    #[inline(always)]
    pub(crate) fn drop_event(&self, which: DropKind) {
        let info = self.info();
        // SAFETY: info is mapped; counters are only written by this ring's writer.
        unsafe {
            match which {
                DropKind::Full => (*info).n_drops_buffer += 1,
                DropKind::TooBig => (*info).n_drops_too_big += 1,
                DropKind::Bug => (*info).n_drops_bug += 1,
            }
        }
        self.busy.set(false);
    }

    /// Counts a tracepoint hit that reached the writer.
    #[inline(always)]
    pub(crate) fn hit(&self) {
        // SAFETY: info is mapped; only this CPU's writer, which holds the CPU, updates it.
        unsafe { (*self.info()).n_tp_hits = (*self.info()).n_tp_hits.wrapping_add(1) };
    }

    /// Counts an event in which a user-memory read faulted.
    #[inline(always)]
    pub(crate) fn page_fault(&self) {
        // SAFETY: as for `hit`.
        unsafe { (*self.info()).n_drops_pf += 1 };
    }

    /// A snapshot of the counters, for IOCTL_GET_STATS.
    pub(crate) fn stats(&self) -> RingInfo {
        // SAFETY: info is mapped; a torn counter read is harmless (they only grow).
        unsafe { core::ptr::read_volatile(self.info()) }
    }
}

/// Why an event was dropped.
#[derive(Clone, Copy)]
pub(crate) enum DropKind {
    /// The ring had no room.
    Full,
    /// The event exceeded the largest event the ring can hold.
    TooBig,
    /// The encoder failed (a bug).
    Bug,
}

impl core::ops::Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: `base` came from vmap; a ring is dropped only after every probe has been
        // unregistered and synchronized, so no writer is left.
        unsafe { ffi::vunmap(self.base) };
    }
}
