//! Event sources other than capture files: the two live drivers.
//!
//! [`live`] reads the `falco_probe` kernel module's per-CPU rings through `/dev/falco`; [`ebpf`]
//! loads the CO-RE eBPF programs and reads their BPF ring buffers. Both write the same scap events
//! and are used through one interface, [`Capture`], so everything downstream is shared; [`stream`]
//! is the live loop's step over it (wait, read, decode in place); [`ahead`] reads either on a
//! thread of its own.

pub mod ahead;
pub mod ebpf;
pub mod live;
pub mod select;
pub mod stream;

pub use ahead::AheadCapture;
pub use ebpf::{EbpfCapture, EbpfError, EbpfOptions};
pub use live::{LiveCapture, LiveError};
pub use stream::{LiveStep, LiveStream};

use std::time::Duration;

/// Counters of a driver, summed over its rings (the kernel module's `RingInfo` names).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DriverCounters {
    /// Events written.
    pub n_evts: u64,
    /// Events dropped because a ring was full.
    pub n_drops_buffer: u64,
    /// Events in which a read of user memory faulted (the parameter is empty; the event is kept).
    pub n_drops_pf: u64,
    /// Events dropped by an encoder failure.
    pub n_drops_bug: u64,
    /// Events dropped for exceeding the maximum event size.
    pub n_drops_too_big: u64,
    /// Writers that found their ring busy (kernel module only).
    pub n_preemptions: u64,
    /// Hits that reached an encoder.
    pub n_tp_hits: u64,
}

/// A failure of either driver.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error(transparent)]
    Kmod(#[from] LiveError),
    #[error(transparent)]
    Ebpf(#[from] EbpfError),
    /// The thread reading the driver ahead of the event thread ([`AheadCapture`]) ended.
    #[error("the thread reading the driver's rings stopped")]
    ReaderStopped,
}

impl CaptureError {
    /// A ring held bytes that are not an event; the reader resynchronized and may go on.
    pub fn is_corrupt(&self) -> bool {
        matches!(
            self,
            CaptureError::Kmod(LiveError::Corrupt { .. })
                | CaptureError::Ebpf(EbpfError::Corrupt { .. })
        )
    }
}

/// A live driver: configure it, start capture, and read raw scap events merged by timestamp
/// (decode them with [`crate::event::Event::from_bytes`]).
pub trait Capture: Send {
    /// The engine name (`kmod`, `modern_ebpf`), as falco.yaml's engine.kind spells it.
    fn kind(&self) -> &'static str;
    fn enable_capture(&mut self) -> Result<(), CaptureError>;
    fn disable_capture(&mut self) -> Result<(), CaptureError>;
    /// Bytes of I/O buffers captured per event (at most [`crate::abi::MAX_SNAPLEN`]).
    fn set_snaplen(&mut self, snaplen: u32) -> Result<(), CaptureError>;
    /// Drops (or keeps) exit events of syscalls that failed.
    fn set_dropfailed(&mut self, on: bool) -> Result<(), CaptureError>;
    /// Captures exactly the x86_64 syscall numbers in `nrs` (every syscall if `all`).
    fn set_syscalls(&mut self, nrs: &[u32], all: bool) -> Result<(), CaptureError>;
    /// The next event in timestamp order as `(cpu, bytes)`, or None if the rings are empty now.
    /// The slice stays valid until the next call.
    fn next_event(&mut self) -> Result<Option<(u16, &[u8])>, CaptureError>;
    /// Waits until an event is available or `timeout` passes; true if one is.
    fn wait(&mut self, timeout: Duration) -> bool;
    fn counters(&self) -> DriverCounters;
    fn num_rings(&self) -> usize;
    /// The counters of one ring (per CPU with the kernel module), when the driver keeps them apart.
    fn ring_counters(&self, _ring: usize) -> Option<DriverCounters> {
        None
    }
    /// Data bytes of each ring.
    fn ring_bytes(&self) -> u64;
    /// Bytes written and not yet consumed, over every ring.
    fn backlog(&self) -> u64;
    /// Discards everything written so far.
    fn skip_all(&mut self);
}

impl Capture for LiveCapture {
    fn kind(&self) -> &'static str {
        "kmod"
    }
    fn enable_capture(&mut self) -> Result<(), CaptureError> {
        Ok(LiveCapture::enable_capture(self)?)
    }
    fn disable_capture(&mut self) -> Result<(), CaptureError> {
        Ok(LiveCapture::disable_capture(self)?)
    }
    fn set_snaplen(&mut self, snaplen: u32) -> Result<(), CaptureError> {
        Ok(LiveCapture::set_snaplen(self, snaplen)?)
    }
    fn set_dropfailed(&mut self, on: bool) -> Result<(), CaptureError> {
        Ok(LiveCapture::set_dropfailed(self, on)?)
    }
    fn set_syscalls(&mut self, nrs: &[u32], all: bool) -> Result<(), CaptureError> {
        if all {
            return Ok(self.set_all_syscalls(true)?);
        }
        // Off first, then on: a syscall briefly missing is better than one briefly extra (the
        // rules were built for this set), and the window is a few microseconds.
        self.set_all_syscalls(false)?;
        for nr in nrs {
            self.set_syscall(*nr, true)?;
        }
        Ok(())
    }
    fn next_event(&mut self) -> Result<Option<(u16, &[u8])>, CaptureError> {
        Ok(LiveCapture::next_event(self)?)
    }
    fn wait(&mut self, timeout: Duration) -> bool {
        LiveCapture::wait(self, timeout)
    }
    fn counters(&self) -> DriverCounters {
        // Summed as the probe sums them for IOCTL_GET_STATS, from the info pages (no ioctl).
        let mut s = crate::abi::ProbeStats::default();
        for cpu in 0..self.num_rings() {
            if let Some(i) = self.ring_info(cpu) {
                s.add_ring(&i);
            }
        }
        DriverCounters {
            n_evts: s.n_evts,
            n_drops_buffer: s.n_drops_buffer,
            n_drops_pf: s.n_drops_pf,
            n_drops_bug: s.n_drops_bug,
            n_drops_too_big: s.n_drops_too_big,
            n_preemptions: s.n_preemptions,
            n_tp_hits: s.n_tp_hits,
        }
    }
    fn num_rings(&self) -> usize {
        LiveCapture::num_rings(self)
    }
    fn ring_counters(&self, ring: usize) -> Option<DriverCounters> {
        let i = self.ring_info(ring)?;
        let mut s = crate::abi::ProbeStats::default();
        s.add_ring(&i);
        Some(DriverCounters {
            n_evts: s.n_evts,
            n_drops_buffer: s.n_drops_buffer,
            n_drops_pf: s.n_drops_pf,
            n_drops_bug: s.n_drops_bug,
            n_drops_too_big: s.n_drops_too_big,
            n_preemptions: s.n_preemptions,
            n_tp_hits: s.n_tp_hits,
        })
    }
    fn ring_bytes(&self) -> u64 {
        LiveCapture::ring_bytes(self)
    }
    fn backlog(&self) -> u64 {
        LiveCapture::backlog(self)
    }
    fn skip_all(&mut self) {
        LiveCapture::skip_all(self)
    }
}
