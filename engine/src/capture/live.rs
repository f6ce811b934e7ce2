//! The live consumer of the `falco_probe` kernel module.
//!
//! It opens `/dev/falco`, checks the probe's API and schema versions, maps every CPU's ring (info
//! page read-only, consumer page read-write, data mapped twice back to back read-only; see
//! `abi.rs`), and yields the raw events of all rings merged by timestamp. Events are decoded by the
//! caller with [`crate::event::Event::from_bytes`].
//!
//! Protocol, per ring: the kernel publishes `head` with release ordering after writing the events
//! below it; we load it with acquire ordering, read the events in `[tail, head)`, and only then
//! store our new `tail` with release ordering, which hands the space back to the kernel. Like
//! libscap, we take a snapshot of every head and drain the snapshot with a k-way merge (the
//! smallest timestamp first); space goes back when the snapshot is exhausted, and every eighth of
//! the ring during a long one.

use crate::abi::{self, ProbeStats, RingInfo};
use memmap2::{Mmap, MmapMut, MmapOptions};
use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Where the probe's device lives.
pub const DEFAULT_DEVICE: &str = "/dev/falco";

/// Failures of the live source.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("cannot open {path}: {source} (is the falco_probe module loaded, and are we root?)")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("ioctl {what} failed: {source}")]
    Ioctl {
        what: &'static str,
        source: nix::Error,
    },
    #[error("probe API version {found} is incompatible with this build's {expected}")]
    ApiVersion { found: String, expected: String },
    #[error("probe schema version {found} is incompatible with this build's {expected}")]
    SchemaVersion { found: String, expected: String },
    #[error("probe reports an invalid ring geometry: {rings} rings of {bytes} bytes")]
    Geometry { rings: u64, bytes: u64 },
    #[error("cannot map ring {cpu}: {source}")]
    Map { cpu: usize, source: std::io::Error },
    #[error(
        "ring {cpu} is corrupt at offset {tail}: event length {len} with {avail} bytes available"
    )]
    Corrupt {
        cpu: usize,
        tail: u64,
        len: u32,
        avail: u64,
    },
}

fn version_string(v: u64) -> String {
    format!(
        "{}.{}.{}",
        abi::version_major(v),
        abi::version_minor(v),
        abi::version_patch(v)
    )
}

// ioctl wrappers. The request numbers are the ABI's, so the "bad" (explicit-number) forms are used.
mod ioctl {
    use crate::abi::{self, ProbeStats};
    nix::ioctl_none_bad!(enable_capture, abi::IOCTL_ENABLE_CAPTURE);
    nix::ioctl_none_bad!(disable_capture, abi::IOCTL_DISABLE_CAPTURE);
    nix::ioctl_write_int_bad!(set_snaplen, abi::IOCTL_SET_SNAPLEN);
    nix::ioctl_write_int_bad!(enable_syscall, abi::IOCTL_ENABLE_SYSCALL);
    nix::ioctl_write_int_bad!(disable_syscall, abi::IOCTL_DISABLE_SYSCALL);
    nix::ioctl_write_int_bad!(set_all_syscalls, abi::IOCTL_SET_ALL_SYSCALLS);
    nix::ioctl_write_int_bad!(enable_tp, abi::IOCTL_ENABLE_TP);
    nix::ioctl_write_int_bad!(disable_tp, abi::IOCTL_DISABLE_TP);
    nix::ioctl_none_bad!(enable_dropfailed, abi::IOCTL_ENABLE_DROPFAILED);
    nix::ioctl_none_bad!(disable_dropfailed, abi::IOCTL_DISABLE_DROPFAILED);
    nix::ioctl_read_bad!(api_version, abi::IOCTL_GET_API_VERSION, u64);
    nix::ioctl_read_bad!(schema_version, abi::IOCTL_GET_SCHEMA_VERSION, u64);
    nix::ioctl_read_bad!(nrings, abi::IOCTL_GET_NRINGS, u64);
    nix::ioctl_read_bad!(ring_bytes, abi::IOCTL_GET_RING_BYTES, u64);
    nix::ioctl_read_bad!(stats, abi::IOCTL_GET_STATS, ProbeStats);
}

/// One CPU's mapped ring and our position in it.
struct Ring {
    // The mappings, kept only so they are unmapped on drop; all access goes through the pointers
    // below, taken once at setup, so no Rust reference ever spans memory the kernel writes.
    _info_map: Mmap,
    _consumer_map: MmapMut,
    _data_map: Mmap,
    info: *const RingInfo,
    tail_word: *const AtomicU64,
    data: *const u8,
    /// Producer head as of the last refresh.
    head: u64,
    /// Our read position: the next event starts here.
    tail: u64,
    /// The tail as last stored to the consumer page (what the kernel may reuse up to).
    released: u64,
    /// Timestamp of the event at `tail` (valid when `tail < head`).
    next_ts: u64,
}

impl Ring {
    fn head_word(&self) -> &AtomicU64 {
        // SAFETY: `info` points into the read-only info page, mapped for the ring's lifetime; head
        // is its first field, 8-byte aligned. An atomic load is a plain load on x86_64 and
        // aarch64, so it is valid on a read-only mapping.
        unsafe { &*(std::ptr::addr_of!((*self.info).head) as *const AtomicU64) }
    }

    /// The `len` bytes at ring position `pos`.
    ///
    /// # Safety
    /// `[pos, pos + len)` must lie in `[tail, head)` of the current snapshot (bytes the kernel
    /// will not touch before we store a tail past them), and `len` must not exceed the ring size.
    unsafe fn bytes(&self, pos: u64, len: usize, mask: u64) -> &[u8] {
        // SAFETY: the data area is mapped twice back to back, so `len <= ring bytes` bytes from any
        // offset below the ring size are mapped; the caller guarantees the kernel leaves them be.
        unsafe { std::slice::from_raw_parts(self.data.add((pos & mask) as usize), len) }
    }
}

/// A live capture session on `/dev/falco`.
pub struct LiveCapture {
    file: File,
    rings: Vec<Ring>,
    ring_bytes: u64,
    mask: u64,
    /// The event returned by the last `next_event`: (ring, length). Its space is released on the next
    /// call, once the caller can no longer hold the slice.
    pending: Option<(usize, u64)>,
}

// SAFETY: the raw pointers refer to mappings owned by the same struct; nothing is shared with
// other threads except through the kernel, which the ring protocol orders.
unsafe impl Send for LiveCapture {}

impl LiveCapture {
    /// Opens the default device.
    pub fn open_default() -> Result<LiveCapture, LiveError> {
        LiveCapture::open(Path::new(DEFAULT_DEVICE))
    }

    /// Opens the probe device at `path`, checks versions and maps every ring. Capture starts off:
    /// configure, then call [`LiveCapture::enable_capture`].
    pub fn open(path: &Path) -> Result<LiveCapture, LiveError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|source| LiveError::Open {
                path: path.display().to_string(),
                source,
            })?;
        let fd = file.as_raw_fd();
        let get = |what: &'static str, f: unsafe fn(i32, *mut u64) -> nix::Result<i32>| {
            let mut v = 0u64;
            // SAFETY: `fd` is the open device and `v` a valid u64 for the kernel to fill.
            unsafe { f(fd, &mut v) }.map_err(|source| LiveError::Ioctl { what, source })?;
            Ok::<u64, LiveError>(v)
        };
        let api = get("GET_API_VERSION", ioctl::api_version)?;
        if abi::version_major(api) != abi::API_VERSION_MAJOR {
            return Err(LiveError::ApiVersion {
                found: version_string(api),
                expected: version_string(abi::API_VERSION),
            });
        }
        let schema = get("GET_SCHEMA_VERSION", ioctl::schema_version)?;
        if abi::version_major(schema) != abi::SCHEMA_VERSION_MAJOR {
            return Err(LiveError::SchemaVersion {
                found: version_string(schema),
                expected: version_string(abi::SCHEMA_VERSION),
            });
        }
        let nrings = get("GET_NRINGS", ioctl::nrings)?;
        let ring_bytes = get("GET_RING_BYTES", ioctl::ring_bytes)?;
        if !(1..=4096).contains(&nrings)
            || !ring_bytes.is_power_of_two()
            || !(2 * abi::PAGE_SIZE..=abi::MAX_RING_BYTES).contains(&ring_bytes)
        {
            return Err(LiveError::Geometry {
                rings: nrings,
                bytes: ring_bytes,
            });
        }
        let mut rings = Vec::with_capacity(nrings as usize);
        for cpu in 0..nrings {
            rings.push(
                map_ring(&file, cpu, ring_bytes).map_err(|source| LiveError::Map {
                    cpu: cpu as usize,
                    source,
                })?,
            );
        }
        let mut cap = LiveCapture {
            file,
            rings,
            ring_bytes,
            mask: ring_bytes - 1,
            pending: None,
        };
        cap.refresh();
        Ok(cap)
    }

    fn ioctl_none(
        &self,
        what: &'static str,
        f: unsafe fn(i32) -> nix::Result<i32>,
    ) -> Result<(), LiveError> {
        // SAFETY: the request takes no argument; `file` is the open device.
        unsafe { f(self.file.as_raw_fd()) }
            .map(|_| ())
            .map_err(|source| LiveError::Ioctl { what, source })
    }

    fn ioctl_int(
        &self,
        what: &'static str,
        f: unsafe fn(i32, i32) -> nix::Result<i32>,
        v: i32,
    ) -> Result<(), LiveError> {
        // SAFETY: the request takes its argument by value; `file` is the open device.
        unsafe { f(self.file.as_raw_fd(), v) }
            .map(|_| ())
            .map_err(|source| LiveError::Ioctl { what, source })
    }

    /// Starts writing events.
    pub fn enable_capture(&self) -> Result<(), LiveError> {
        self.ioctl_none("ENABLE_CAPTURE", ioctl::enable_capture)
    }

    /// Stops writing events (the tracepoints stay attached).
    pub fn disable_capture(&self) -> Result<(), LiveError> {
        self.ioctl_none("DISABLE_CAPTURE", ioctl::disable_capture)
    }

    /// Sets the bytes of I/O buffers captured per event (at most [`abi::MAX_SNAPLEN`]).
    pub fn set_snaplen(&self, snaplen: u32) -> Result<(), LiveError> {
        self.ioctl_int(
            "SET_SNAPLEN",
            ioctl::set_snaplen,
            snaplen.min(abi::MAX_SNAPLEN) as i32,
        )
    }

    /// Captures (or stops capturing) x86_64 syscall `nr`.
    pub fn set_syscall(&self, nr: u32, on: bool) -> Result<(), LiveError> {
        if on {
            self.ioctl_int("ENABLE_SYSCALL", ioctl::enable_syscall, nr as i32)
        } else {
            self.ioctl_int("DISABLE_SYSCALL", ioctl::disable_syscall, nr as i32)
        }
    }

    /// Captures every syscall, or none.
    pub fn set_all_syscalls(&self, on: bool) -> Result<(), LiveError> {
        self.ioctl_int("SET_ALL_SYSCALLS", ioctl::set_all_syscalls, on as i32)
    }

    /// Attaches or detaches one tracepoint (`abi::tracepoint::*`).
    pub fn set_tracepoint(&self, tp: u64, on: bool) -> Result<(), LiveError> {
        if on {
            self.ioctl_int("ENABLE_TP", ioctl::enable_tp, tp as i32)
        } else {
            self.ioctl_int("DISABLE_TP", ioctl::disable_tp, tp as i32)
        }
    }

    /// Drops (or keeps) events of syscalls that failed.
    pub fn set_dropfailed(&self, on: bool) -> Result<(), LiveError> {
        if on {
            self.ioctl_none("ENABLE_DROPFAILED", ioctl::enable_dropfailed)
        } else {
            self.ioctl_none("DISABLE_DROPFAILED", ioctl::disable_dropfailed)
        }
    }

    /// Counters summed over every ring.
    pub fn stats(&self) -> Result<ProbeStats, LiveError> {
        let mut s = ProbeStats::default();
        // SAFETY: `s` is a valid ProbeStats for the kernel to fill; `file` is the open device.
        unsafe { ioctl::stats(self.file.as_raw_fd(), &mut s) }.map_err(|source| {
            LiveError::Ioctl {
                what: "GET_STATS",
                source,
            }
        })?;
        Ok(s)
    }

    /// The info page of ring `cpu`, read directly from the mapping (no syscall).
    pub fn ring_info(&self, cpu: usize) -> Option<RingInfo> {
        let r = self.rings.get(cpu)?;
        // SAFETY: the info page is mapped for the ring's lifetime; a volatile copy tolerates the
        // kernel updating counters meanwhile (each is a monotonically growing u64).
        Some(unsafe { std::ptr::read_volatile(r.info) })
    }

    pub fn num_rings(&self) -> usize {
        self.rings.len()
    }

    pub fn ring_bytes(&self) -> u64 {
        self.ring_bytes
    }

    /// Bytes written by the kernel and not yet consumed, over every ring (as of now).
    pub fn backlog(&self) -> u64 {
        self.rings
            .iter()
            .map(|r| r.head_word().load(Ordering::Acquire).wrapping_sub(r.tail))
            .sum()
    }

    /// Hands consumed space back to the kernel and takes a new snapshot of every head.
    fn refresh(&mut self) {
        for r in &mut self.rings {
            // SAFETY: the consumer page is mapped read-write for the ring's lifetime.
            unsafe { &*r.tail_word }.store(r.tail, Ordering::Release);
            r.released = r.tail;
            r.head = r.head_word().load(Ordering::Acquire);
            if r.head.wrapping_sub(r.tail) > self.ring_bytes {
                // Only a probe bug could overrun our tail; resynchronize rather than read garbage.
                r.tail = r.head;
            }
            if r.tail != r.head {
                // SAFETY: `tail < head`, so the header's first 8 bytes are published data.
                r.next_ts = u64::from_le_bytes(
                    unsafe { r.bytes(r.tail, 8, self.mask) }
                        .try_into()
                        .unwrap_or([0; 8]),
                );
            }
        }
    }

    /// Releases the event returned by the previous `next_event`.
    fn consume_pending(&mut self) {
        if let Some((i, len)) = self.pending.take() {
            let mask = self.mask;
            let r = &mut self.rings[i];
            r.tail = r.tail.wrapping_add(len);
            if r.tail.wrapping_sub(r.released) >= self.ring_bytes / 8 {
                // A long snapshot hands space back as it goes rather than only at its end, so a
                // reader that is preempted mid-snapshot does not hold most of the ring.
                // SAFETY: the consumer page is mapped read-write for the ring's lifetime.
                unsafe { &*r.tail_word }.store(r.tail, Ordering::Release);
                r.released = r.tail;
            }
            if r.tail != r.head {
                // SAFETY: as in `refresh`.
                r.next_ts = u64::from_le_bytes(
                    unsafe { r.bytes(r.tail, 8, mask) }
                        .try_into()
                        .unwrap_or([0; 8]),
                );
            }
        }
    }

    fn pick(&self) -> Option<usize> {
        let mut best: Option<(usize, u64)> = None;
        for (i, r) in self.rings.iter().enumerate() {
            if r.tail != r.head && best.is_none_or(|(_, ts)| r.next_ts < ts) {
                best = Some((i, r.next_ts));
            }
        }
        best.map(|(i, _)| i)
    }

    /// The next event in timestamp order, as `(cpu, bytes)`, or None if every ring is empty right
    /// now. The slice stays valid until the next call.
    pub fn next_event(&mut self) -> Result<Option<(u16, &[u8])>, LiveError> {
        self.consume_pending();
        let i = match self.pick() {
            Some(i) => i,
            None => {
                self.refresh();
                match self.pick() {
                    Some(i) => i,
                    None => return Ok(None),
                }
            }
        };
        let mask = self.mask;
        let (tail, avail) = (
            self.rings[i].tail,
            self.rings[i].head.wrapping_sub(self.rings[i].tail),
        );
        let len = if avail < abi::EVENT_HEADER_LEN as u64 {
            0
        } else {
            // SAFETY: `[tail, tail + 26)` is published (avail covers a header).
            u32::from_le_bytes(
                unsafe { self.rings[i].bytes(tail + 16, 4, mask) }
                    .try_into()
                    .unwrap_or([0; 4]),
            )
        };
        if (len as usize) < abi::EVENT_HEADER_LEN || len as u64 > avail {
            let r = &mut self.rings[i];
            r.tail = r.head;
            return Err(LiveError::Corrupt {
                cpu: i,
                tail,
                len,
                avail,
            });
        }
        let r = &self.rings[i];
        self.pending = Some((i, len as u64));
        // SAFETY: `[tail, tail + len)` lies in the snapshot (checked above), and the tail is not
        // advanced past it until the next call, after this borrow of `self` has ended.
        let bytes = unsafe { r.bytes(r.tail, len as usize, mask) };
        Ok(Some((i as u16, bytes)))
    }

    /// Waits until an event is available or `timeout` passes; true if one is. Sleeps with backoff
    /// (the device has no poll): 500 µs doubling to 30 ms, like libscap.
    pub fn wait(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut nap = Duration::from_micros(500);
        loop {
            self.consume_pending();
            if self.pick().is_some() {
                return true;
            }
            self.refresh();
            if self.pick().is_some() {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            std::thread::sleep(nap.min(deadline - now));
            nap = (nap * 2).min(Duration::from_millis(30));
        }
    }

    /// Discards everything written so far (e.g. after setup) and hands the space back.
    pub fn skip_all(&mut self) {
        self.pending = None;
        for r in &mut self.rings {
            r.tail = r.head_word().load(Ordering::Acquire);
            r.head = r.tail;
        }
        self.refresh();
    }
}

fn map_ring(file: &File, cpu: u64, bytes: u64) -> std::io::Result<Ring> {
    let off = |page| abi::ring_mmap_offset(cpu, bytes, page);
    let page = abi::PAGE_SIZE as usize;
    // SAFETY (all three maps): the device hands out kernel-owned pages that stay valid until
    // munmap; the kernel writes them concurrently, which the ring protocol accounts for, and no
    // Rust reference is formed over them except through the raw pointers (see `Ring`).
    let info_map = unsafe {
        MmapOptions::new()
            .offset(off(abi::RING_INFO_PAGE))
            .len(page)
            .map(file)?
    };
    // SAFETY: as for the info page; this is the one page userspace may write.
    let mut consumer_map = unsafe {
        MmapOptions::new()
            .offset(off(abi::RING_CONSUMER_PAGE))
            .len(page)
            .map_mut(file)?
    };
    // SAFETY: as for the info page.
    let data_map = unsafe {
        MmapOptions::new()
            .offset(off(abi::RING_DATA_PAGE))
            .len(2 * bytes as usize)
            .map(file)?
    };
    let info = info_map.as_ptr() as *const RingInfo;
    let tail_word = consumer_map.as_mut_ptr() as *const AtomicU64;
    let data = data_map.as_ptr();
    // SAFETY: both pages are mapped and 8-byte aligned (page aligned).
    let tail = unsafe { &*tail_word }.load(Ordering::Acquire);
    Ok(Ring {
        _info_map: info_map,
        _consumer_map: consumer_map,
        _data_map: data_map,
        info,
        tail_word,
        data,
        head: tail,
        tail,
        released: tail,
        next_ts: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BYTES: u64 = 2 * abi::PAGE_SIZE;

    /// An event with no parameters: just the header.
    fn event(ts: u64, tid: u64) -> [u8; abi::EVENT_HEADER_LEN] {
        let mut e = [0u8; abi::EVENT_HEADER_LEN];
        e[0..8].copy_from_slice(&ts.to_le_bytes());
        e[8..16].copy_from_slice(&tid.to_le_bytes());
        e[16..20].copy_from_slice(&(abi::EVENT_HEADER_LEN as u32).to_le_bytes());
        e[20..22].copy_from_slice(&abi::event_id::GENERIC_X.to_le_bytes());
        e
    }

    /// A ring in anonymous memory holding `events` from offset 0, as the probe would write them
    /// (the data area is not double-mapped, so the events must not wrap).
    fn fake_ring(events: &[[u8; abi::EVENT_HEADER_LEN]]) -> Ring {
        let page = abi::PAGE_SIZE as usize;
        let mut info = MmapOptions::new().len(page).map_anon().expect("anon map");
        let consumer = MmapOptions::new().len(page).map_anon().expect("anon map");
        let mut data = MmapOptions::new()
            .len(2 * BYTES as usize)
            .map_anon()
            .expect("anon map");
        let mut off = 0;
        for e in events {
            data[off..off + e.len()].copy_from_slice(e);
            off += e.len();
        }
        info[0..8].copy_from_slice(&(off as u64).to_le_bytes());
        let info = info.make_read_only().expect("read-only");
        let data = data.make_read_only().expect("read-only");
        let mut consumer = consumer;
        Ring {
            info: info.as_ptr() as *const RingInfo,
            tail_word: consumer.as_mut_ptr() as *const AtomicU64,
            data: data.as_ptr(),
            _info_map: info,
            _consumer_map: consumer,
            _data_map: data,
            head: 0,
            tail: 0,
            released: 0,
            next_ts: 0,
        }
    }

    fn capture(rings: Vec<Ring>) -> LiveCapture {
        let mut cap = LiveCapture {
            file: File::open("/dev/null").expect("/dev/null"),
            rings,
            ring_bytes: BYTES,
            mask: BYTES - 1,
            pending: None,
        };
        cap.refresh();
        cap
    }

    fn tail_of(cap: &LiveCapture, i: usize) -> u64 {
        // SAFETY: the fake consumer page is mapped for the capture's lifetime.
        unsafe { &*cap.rings[i].tail_word }.load(Ordering::Acquire)
    }

    #[test]
    fn merges_rings_by_timestamp_and_releases_consumed_space() {
        let r0 = fake_ring(&[event(10, 1), event(30, 1), event(50, 1)]);
        let r1 = fake_ring(&[event(20, 2), event(40, 2)]);
        let mut cap = capture(vec![r0, r1]);
        let mut seen = Vec::new();
        while let Some((cpu, b)) = cap.next_event().expect("valid events") {
            let e = crate::event::Event::from_bytes(b, cpu).expect("decodes");
            seen.push((e.ts, cpu));
        }
        assert_eq!(seen, vec![(10, 0), (20, 1), (30, 0), (40, 1), (50, 0)]);
        // The last `next_event` found nothing and refreshed: every byte read is handed back.
        assert_eq!(tail_of(&cap, 0), 3 * abi::EVENT_HEADER_LEN as u64);
        assert_eq!(tail_of(&cap, 1), 2 * abi::EVENT_HEADER_LEN as u64);
    }

    #[test]
    fn a_corrupt_length_is_reported_and_the_ring_resynchronized() {
        let mut bad = event(10, 1);
        bad[16..20].copy_from_slice(&5u32.to_le_bytes()); // shorter than a header
        let mut cap = capture(vec![fake_ring(&[bad, event(20, 1)])]);
        assert!(matches!(
            cap.next_event(),
            Err(LiveError::Corrupt { cpu: 0, .. })
        ));
        assert!(cap.next_event().expect("resynchronized").is_none());
    }

    #[test]
    fn opening_a_missing_device_says_so() {
        let r = LiveCapture::open(Path::new("/nonexistent/falco"));
        assert!(matches!(r, Err(LiveError::Open { .. })));
    }
}
