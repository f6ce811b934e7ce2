//! Reading the BPF ring buffers (`BPF_MAP_TYPE_RINGBUF`) that the programs write, and merging
//! them by timestamp.
//!
//! A ring buffer maps as a consumer page (read-write: `consumer_pos`), then a producer page
//! (`producer_pos`) and the data pages, mapped twice back to back so a record never wraps (read-only).
//! Each record is an 8-byte header (`len` with the BUSY and DISCARD bits, then a page offset) and
//! the data, padded to 8 bytes. The kernel publishes `producer_pos` and a record's header with
//! release ordering; we load them with acquire, and hand space back by storing `consumer_pos`
//! with release. Records are committed in any order, so a BUSY record (reserved, not yet committed)
//! holds back the records after it until its writer finishes.
//!
//! As for the kernel module's rings, we take a snapshot of every producer position and drain it
//! smallest-timestamp-first; space goes back when a snapshot is exhausted, and every eighth of the
//! ring during a long one.

use memmap2::{Mmap, MmapMut, MmapOptions};
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

const BUSY: u32 = 1 << 31;
const DISCARD: u32 = 1 << 30;
const RECORD_HEADER: u64 = 8;
const PAGE: usize = 4096;

/// One mapped ring buffer and our position in it.
pub(super) struct Ring {
    // Kept for the unmapping on drop; all access goes through the raw pointers below, so no Rust
    // reference spans memory the kernel writes.
    _consumer_map: MmapMut,
    _data_map: Mmap,
    consumer_pos: *const AtomicU64,
    producer_pos: *const AtomicU64,
    data: *const u8,
    mask: u64,
    /// Producer position as of the last refresh.
    head: u64,
    /// Our read position: the next record starts here.
    tail: u64,
    /// The position last stored to `consumer_pos`.
    released: u64,
    /// Timestamp of the event at `tail`, when `ready`.
    next_ts: u64,
    /// A committed event is at `tail`.
    ready: bool,
}

impl Ring {
    /// Maps the ring buffer map `fd` of `size` data bytes (a power of two, a page multiple).
    pub(super) fn map(fd: RawFd, size: u64) -> std::io::Result<Ring> {
        // SAFETY: the consumer page of a ring buffer map: kernel memory that stays valid until
        // munmap, and the one part of it userspace may write.
        let mut consumer_map = unsafe { MmapOptions::new().len(PAGE).map_mut(fd)? };
        // SAFETY: the producer page and the twice-mapped data pages; the kernel writes them
        // concurrently, which the record protocol orders (see the module comment).
        let data_map = unsafe {
            MmapOptions::new()
                .offset(PAGE as u64)
                .len(PAGE + 2 * size as usize)
                .map(fd)?
        };
        let consumer_pos = consumer_map.as_mut_ptr() as *const AtomicU64;
        let producer_pos = data_map.as_ptr() as *const AtomicU64;
        // SAFETY: the data pages follow the producer page in the mapping.
        let data = unsafe { data_map.as_ptr().add(PAGE) };
        // SAFETY: a page-aligned word of the consumer page, mapped for the ring's lifetime.
        let pos = unsafe { &*consumer_pos }.load(Ordering::Acquire);
        Ok(Ring {
            _consumer_map: consumer_map,
            _data_map: data_map,
            consumer_pos,
            producer_pos,
            data,
            mask: size - 1,
            head: pos,
            tail: pos,
            released: pos,
            next_ts: 0,
            ready: false,
        })
    }

    fn size(&self) -> u64 {
        self.mask + 1
    }

    fn producer(&self) -> u64 {
        // SAFETY: the producer page is mapped read-only for the ring's lifetime; an atomic load is
        // a plain load on x86_64 and aarch64, valid on a read-only mapping.
        unsafe { &*self.producer_pos }.load(Ordering::Acquire)
    }

    fn release(&mut self) {
        // SAFETY: the consumer page is mapped read-write for the ring's lifetime.
        unsafe { &*self.consumer_pos }.store(self.tail, Ordering::Release);
        self.released = self.tail;
    }

    /// The header word of the record at `pos` (inside the snapshot).
    fn header(&self, pos: u64) -> u32 {
        // SAFETY: `pos & mask` is inside the data area and 8-aligned (records are padded to 8).
        let w = unsafe { &*(self.data.add((pos & self.mask) as usize) as *const AtomicU32) };
        w.load(Ordering::Acquire)
    }

    /// Skips discarded records and finds whether a committed event is at `tail`.
    fn settle(&mut self) {
        self.ready = false;
        while self.tail != self.head {
            let h = self.header(self.tail);
            if h & BUSY != 0 {
                return;
            }
            let len = (h & !(BUSY | DISCARD)) as u64;
            if h & DISCARD != 0 || len < 8 {
                self.tail = self.tail.wrapping_add((len + RECORD_HEADER + 7) & !7);
                continue;
            }
            // SAFETY: a committed record of `len >= 8` bytes starts 8 bytes past its header; the
            // double mapping keeps it contiguous.
            self.next_ts = unsafe {
                std::ptr::read_unaligned(
                    self.data
                        .add(((self.tail & self.mask) + RECORD_HEADER) as usize)
                        .cast::<u64>(),
                )
            };
            self.ready = true;
            return;
        }
    }

    /// Hands consumed space back and takes a new snapshot of the producer position.
    pub(super) fn refresh(&mut self) {
        self.release();
        self.head = self.producer();
        if self.head.wrapping_sub(self.tail) > self.size() {
            // Only a kernel bug could overrun our position; resynchronize rather than read garbage.
            self.tail = self.head;
        }
        self.settle();
    }

    /// Bytes written and not yet consumed.
    pub(super) fn backlog(&self) -> u64 {
        self.producer().wrapping_sub(self.tail)
    }

    /// Drops everything written so far.
    pub(super) fn skip_all(&mut self) {
        self.tail = self.producer();
        self.head = self.tail;
        self.refresh();
    }
}

/// Every ring of a session, merged.
pub(super) struct Rings {
    rings: Vec<Ring>,
    /// The event returned by the last `next_event`: (ring, record bytes). Released on the next call.
    pending: Option<(usize, u64)>,
}

// SAFETY: the raw pointers refer to mappings owned by the same struct; nothing is shared with other
// threads except through the kernel, which the ring protocol orders.
unsafe impl Send for Rings {}

/// A record that does not hold an event.
#[derive(Debug)]
pub(super) struct BadRecord {
    pub ring: usize,
    pub pos: u64,
    pub len: u64,
}

impl Rings {
    pub(super) fn new(rings: Vec<Ring>) -> Rings {
        let mut r = Rings {
            rings,
            pending: None,
        };
        r.refresh();
        r
    }

    pub(super) fn count(&self) -> usize {
        self.rings.len()
    }

    pub(super) fn refresh(&mut self) {
        for r in &mut self.rings {
            r.refresh();
        }
    }

    fn consume_pending(&mut self) {
        if let Some((i, len)) = self.pending.take() {
            let r = &mut self.rings[i];
            r.tail = r.tail.wrapping_add((len + RECORD_HEADER + 7) & !7);
            if r.tail.wrapping_sub(r.released) >= r.size() / 8 {
                r.release();
            }
            r.settle();
        }
    }

    fn pick(&self) -> Option<usize> {
        let mut best: Option<(usize, u64)> = None;
        for (i, r) in self.rings.iter().enumerate() {
            if r.ready && best.is_none_or(|(_, ts)| r.next_ts < ts) {
                best = Some((i, r.next_ts));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Whether an event is ready now (refreshing the snapshot if the last one is drained).
    pub(super) fn has_event(&mut self) -> bool {
        self.consume_pending();
        if self.pick().is_some() {
            return true;
        }
        self.refresh();
        self.pick().is_some()
    }

    /// The next event in timestamp order as `(ring, bytes)`, or None if every ring is empty now.
    /// The slice stays valid until the next call.
    pub(super) fn next_event(&mut self) -> Result<Option<(usize, &[u8])>, BadRecord> {
        if !self.has_event() {
            return Ok(None);
        }
        let Some(i) = self.pick() else {
            return Ok(None);
        };
        let r = &self.rings[i];
        let len = (r.header(r.tail) & !(BUSY | DISCARD)) as u64;
        let base = ((r.tail & r.mask) + RECORD_HEADER) as usize;
        // SAFETY: the record is committed (settle checked BUSY) and lies in the snapshot; the
        // double mapping keeps its `len <= size` bytes contiguous; the space is not handed back
        // until the next call, after this borrow of `self` has ended.
        let bytes = unsafe { std::slice::from_raw_parts(r.data.add(base), len as usize) };
        let evt_len = bytes
            .get(16..20)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64);
        if len > r.size() || evt_len < crate::abi::EVENT_HEADER_LEN as u64 || evt_len > len {
            let pos = r.tail;
            let r = &mut self.rings[i];
            r.tail = r.head;
            r.settle();
            return Err(BadRecord { ring: i, pos, len });
        }
        self.pending = Some((i, len));
        Ok(Some((i, &bytes[..evt_len as usize])))
    }

    pub(super) fn backlog(&self) -> u64 {
        self.rings.iter().map(Ring::backlog).sum()
    }

    pub(super) fn skip_all(&mut self) {
        self.pending = None;
        for r in &mut self.rings {
            r.skip_all();
        }
    }
}
