//! Reading a live driver on a thread of its own (engine.threads 2): the `falco-ringreader` thread
//! drains the driver's rings in timestamp order into batches of copied events and hands them to
//! the event thread through a short queue, so the rings' reading (the k-way merge by timestamp,
//! the first touch of memory the kernel wrote on other CPUs, the consumer position updates) runs
//! beside decoding, state and rules, and the rings are emptied while the event thread is busy
//! with an expensive event. [`AheadCapture`] is itself a [`Capture`]: everything downstream
//! reads it as it reads the driver.
//!
//! A batch goes to the event thread when it holds [`BATCH`] bytes or the rings are empty, so an
//! event waits no longer than with one thread. Memory is bounded by [`IN_FLIGHT`] batches (a
//! batch takes at least one event, whatever its size); used batches go back to the reader thread,
//! so nothing is allocated per batch. Configuration and counters reach the driver through a lock
//! the reader thread takes once per batch (and gives up first to the event thread when it asks).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TryRecvError, sync_channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Capture, CaptureError, DriverCounters};

/// Bytes of events per batch, about.
const BATCH: usize = 128 << 10;
/// Batches between the two threads at most (queued, being read, or being filled).
const IN_FLIGHT: usize = 4;
/// The reader thread's longest wait for an event, holding the driver's lock: the longest a
/// configuration call or a counter read waits while the rings are empty, and how soon the thread
/// sees that it should stop.
const READER_WAIT: Duration = Duration::from_millis(50);
/// Bytes before each copied event: its CPU (u16), two spare bytes, its length (u32).
const ENTRY_HEADER: usize = 8;

/// What the reader thread sends.
enum Item {
    /// Events, each an entry header and the event's bytes.
    Batch(Vec<u8>),
    /// A record that was not an event (the reader resynchronized and goes on) or a failure of
    /// the driver (the reader stopped), in its place among the events.
    Error(CaptureError),
}

/// The driver, shared by the two threads.
struct Shared {
    driver: Mutex<Box<dyn Capture>>,
    /// The event thread waits for the lock: the reader thread lets it have it before taking the
    /// lock again (a mutex is not fair, and the reader thread holds it nearly always while the
    /// rings are empty).
    asking: AtomicBool,
}

impl Shared {
    /// The driver, for the event thread.
    fn ask(&self) -> MutexGuard<'_, Box<dyn Capture>> {
        self.asking.store(true, Ordering::Release);
        let g = lock(&self.driver);
        self.asking.store(false, Ordering::Release);
        g
    }

    /// The driver, for the reader thread, after any call the event thread is waiting to make.
    fn take(&self) -> MutexGuard<'_, Box<dyn Capture>> {
        while self.asking.load(Ordering::Acquire) {
            std::thread::yield_now();
        }
        lock(&self.driver)
    }
}

/// A live driver read ahead by its own thread.
pub struct AheadCapture {
    shared: Arc<Shared>,
    kind: &'static str,
    items: Receiver<Item>,
    used: SyncSender<Vec<u8>>,
    /// The batch being read, and where its next entry starts.
    current: Vec<u8>,
    at: usize,
    /// An error received while waiting, for the next read.
    pending: Option<CaptureError>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
}

/// The driver behind the lock; a panic elsewhere while it was held leaves nothing half-done that
/// matters to a reader, so a poisoned lock is taken as it is.
fn lock(driver: &Mutex<Box<dyn Capture>>) -> MutexGuard<'_, Box<dyn Capture>> {
    driver.lock().unwrap_or_else(|p| p.into_inner())
}

impl AheadCapture {
    /// Starts the reader thread on `driver`.
    pub fn spawn(driver: Box<dyn Capture>) -> std::io::Result<AheadCapture> {
        let kind = driver.kind();
        let shared = Arc::new(Shared {
            driver: Mutex::new(driver),
            asking: AtomicBool::new(false),
        });
        // A batch is filled, IN_FLIGHT - 2 queued, one being read.
        let (tx, items) = sync_channel(IN_FLIGHT - 2);
        let (used, back) = sync_channel(IN_FLIGHT);
        let stop = Arc::new(AtomicBool::new(false));
        let pump = Pump {
            shared: Arc::clone(&shared),
            tx,
            back,
            stop: Arc::clone(&stop),
            made: 0,
        };
        let reader = std::thread::Builder::new()
            .name("falco-ringreader".into())
            .spawn(move || pump.run())?;
        Ok(AheadCapture {
            shared,
            kind,
            items,
            used,
            current: Vec::new(),
            at: 0,
            pending: None,
            stop,
            reader: Some(reader),
        })
    }

    fn driver(&self) -> MutexGuard<'_, Box<dyn Capture>> {
        self.shared.ask()
    }

    /// Hands the read batch back and takes `next` in its place.
    fn replace_current(&mut self, next: Vec<u8>) {
        let used = std::mem::replace(&mut self.current, next);
        self.at = 0;
        if used.capacity() > 0 {
            // A full return queue only means the reader thread has enough spare batches.
            let _ = self.used.try_send(used);
        }
    }
}

impl Drop for AheadCapture {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Closing the queue fails the reader thread's next send; it ends within one wait.
        drop(std::mem::replace(&mut self.items, sync_channel(0).1));
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

impl Capture for AheadCapture {
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn enable_capture(&mut self) -> Result<(), CaptureError> {
        self.driver().enable_capture()
    }
    fn disable_capture(&mut self) -> Result<(), CaptureError> {
        self.driver().disable_capture()
    }
    fn set_snaplen(&mut self, snaplen: u32) -> Result<(), CaptureError> {
        self.driver().set_snaplen(snaplen)
    }
    fn set_dropfailed(&mut self, on: bool) -> Result<(), CaptureError> {
        self.driver().set_dropfailed(on)
    }
    fn set_syscalls(&mut self, nrs: &[u32], all: bool) -> Result<(), CaptureError> {
        self.driver().set_syscalls(nrs, all)
    }

    fn next_event(&mut self) -> Result<Option<(u16, &[u8])>, CaptureError> {
        if self.at >= self.current.len() {
            if let Some(e) = self.pending.take() {
                return Err(e);
            }
            match self.items.try_recv() {
                Ok(Item::Batch(b)) => self.replace_current(b),
                Ok(Item::Error(e)) => return Err(e),
                Err(TryRecvError::Empty) => return Ok(None),
                Err(TryRecvError::Disconnected) => return Err(CaptureError::ReaderStopped),
            }
        }
        let h = &self.current[self.at..self.at + ENTRY_HEADER];
        let cpu = u16::from_le_bytes([h[0], h[1]]);
        let len = u32::from_le_bytes([h[4], h[5], h[6], h[7]]) as usize;
        let start = self.at + ENTRY_HEADER;
        self.at = start + len;
        Ok(Some((cpu, &self.current[start..start + len])))
    }

    fn wait(&mut self, timeout: Duration) -> bool {
        if self.at < self.current.len() || self.pending.is_some() {
            return true;
        }
        match self.items.recv_timeout(timeout) {
            Ok(Item::Batch(b)) => {
                self.replace_current(b);
                true
            }
            Ok(Item::Error(e)) => {
                self.pending = Some(e);
                true
            }
            Err(RecvTimeoutError::Timeout) => false,
            // next_event reports it.
            Err(RecvTimeoutError::Disconnected) => true,
        }
    }

    fn counters(&self) -> DriverCounters {
        self.driver().counters()
    }
    fn num_rings(&self) -> usize {
        self.driver().num_rings()
    }
    fn ring_counters(&self, ring: usize) -> Option<DriverCounters> {
        self.driver().ring_counters(ring)
    }
    fn ring_bytes(&self) -> u64 {
        self.driver().ring_bytes()
    }
    /// The rings' backlog and what waits in the current batch (queued batches are not counted).
    fn backlog(&self) -> u64 {
        self.driver().backlog() + (self.current.len() - self.at) as u64
    }
    fn skip_all(&mut self) {
        self.replace_current(Vec::new());
        while let Ok(item) = self.items.try_recv() {
            if let Item::Batch(b) = item {
                let _ = self.used.try_send(b);
            }
        }
        self.driver().skip_all();
    }
}

/// The reader thread's side.
struct Pump {
    shared: Arc<Shared>,
    tx: SyncSender<Item>,
    back: Receiver<Vec<u8>>,
    stop: Arc<AtomicBool>,
    /// Batches allocated so far (at most [`IN_FLIGHT`]).
    made: usize,
}

impl Pump {
    fn run(mut self) {
        // A batch nothing was read into is filled again rather than given up.
        let mut kept: Option<Vec<u8>> = None;
        loop {
            let mut batch = match kept.take() {
                Some(b) if !self.stop.load(Ordering::Relaxed) => b,
                Some(_) => return,
                None => match self.spare() {
                    Some(b) => b,
                    None => return,
                },
            };
            let error = fill(self.shared.take().as_mut(), &mut batch).err();
            if batch.is_empty() {
                kept = Some(batch);
            } else if self.tx.send(Item::Batch(batch)).is_err() {
                return;
            }
            if let Some(e) = error {
                let fatal = !e.is_corrupt();
                if self.tx.send(Item::Error(e)).is_err() || fatal {
                    return;
                }
            }
        }
    }

    /// An empty batch to fill: one the event thread gave back, a new one while fewer than
    /// [`IN_FLIGHT`] exist, or else the next one given back. None when falco stops.
    fn spare(&mut self) -> Option<Vec<u8>> {
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return None;
            }
            if let Ok(mut b) = self.back.try_recv() {
                b.clear();
                return Some(b);
            }
            if self.made < IN_FLIGHT {
                self.made += 1;
                return Some(Vec::with_capacity(BATCH + (16 << 10)));
            }
            match self.back.recv_timeout(READER_WAIT) {
                Ok(mut b) => {
                    b.clear();
                    return Some(b);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }
}

/// Copies events from the driver into `batch` until it holds [`BATCH`] bytes or the rings are
/// empty, after waiting at most [`READER_WAIT`] for the first.
fn fill(driver: &mut dyn Capture, batch: &mut Vec<u8>) -> Result<(), CaptureError> {
    if !driver.wait(READER_WAIT) {
        return Ok(());
    }
    while batch.len() < BATCH {
        let Some((cpu, bytes)) = driver.next_event()? else {
            break;
        };
        batch.extend_from_slice(&cpu.to_le_bytes());
        batch.extend_from_slice(&[0, 0]);
        batch.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        batch.extend_from_slice(bytes);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::EbpfError;

    /// A driver serving a fixed sequence: events of growing sizes (some larger than a batch),
    /// with one corrupt record among them, then empty rings.
    struct Script {
        items: std::collections::VecDeque<Result<(u16, Vec<u8>), CaptureError>>,
        last: Vec<u8>,
    }

    fn corrupt() -> CaptureError {
        CaptureError::Ebpf(EbpfError::Corrupt {
            ring: 0,
            pos: 7,
            len: 3,
        })
    }

    /// Event `i`: its number in its first bytes, `len` bytes in all.
    fn event(i: u32, len: usize) -> Vec<u8> {
        let mut b = vec![(i % 251) as u8; len.max(4)];
        b[..4].copy_from_slice(&i.to_le_bytes());
        b
    }

    impl Capture for Script {
        fn kind(&self) -> &'static str {
            "script"
        }
        fn enable_capture(&mut self) -> Result<(), CaptureError> {
            Ok(())
        }
        fn disable_capture(&mut self) -> Result<(), CaptureError> {
            Ok(())
        }
        fn set_snaplen(&mut self, _: u32) -> Result<(), CaptureError> {
            Ok(())
        }
        fn set_dropfailed(&mut self, _: bool) -> Result<(), CaptureError> {
            Ok(())
        }
        fn set_syscalls(&mut self, _: &[u32], _: bool) -> Result<(), CaptureError> {
            Ok(())
        }
        fn next_event(&mut self) -> Result<Option<(u16, &[u8])>, CaptureError> {
            match self.items.pop_front() {
                None => Ok(None),
                Some(Err(e)) => Err(e),
                Some(Ok((cpu, b))) => {
                    self.last = b;
                    Ok(Some((cpu, &self.last)))
                }
            }
        }
        fn wait(&mut self, timeout: Duration) -> bool {
            if self.items.is_empty() {
                std::thread::sleep(timeout);
            }
            !self.items.is_empty()
        }
        fn counters(&self) -> DriverCounters {
            DriverCounters {
                n_evts: self.items.len() as u64,
                ..DriverCounters::default()
            }
        }
        fn num_rings(&self) -> usize {
            1
        }
        fn ring_bytes(&self) -> u64 {
            1 << 20
        }
        fn backlog(&self) -> u64 {
            0
        }
        fn skip_all(&mut self) {
            self.items.clear();
        }
    }

    #[test]
    fn events_come_out_in_order_whole_and_a_corrupt_record_in_its_place() {
        let n = 5_000u32;
        let mut items = std::collections::VecDeque::new();
        let mut expected = Vec::new();
        for i in 0..n {
            // Sizes from 4 bytes to past a whole batch.
            let len = if i % 997 == 0 {
                BATCH + 1000
            } else {
                (i as usize * 37) % 3000
            };
            let e = event(i, len);
            items.push_back(Ok(((i % 3) as u16, e.clone())));
            expected.push(Some(((i % 3) as u16, e)));
            if i == 2_500 {
                items.push_back(Err(corrupt()));
                expected.push(None);
            }
        }
        let mut cap = AheadCapture::spawn(Box::new(Script {
            items,
            last: Vec::new(),
        }))
        .unwrap();
        let mut got = Vec::new();
        while got.len() < expected.len() {
            assert!(
                cap.wait(Duration::from_secs(10)),
                "stalled after {} items",
                got.len()
            );
            loop {
                match cap.next_event() {
                    Ok(Some((cpu, b))) => got.push(Some((cpu, b.to_vec()))),
                    Ok(None) => break,
                    Err(e) => {
                        assert!(e.is_corrupt(), "{e}");
                        got.push(None);
                    }
                }
            }
        }
        assert!(got == expected, "events differ or are out of order");
        assert_eq!(cap.counters().n_evts, 0, "the driver was drained");
        assert!(!cap.wait(Duration::from_millis(100)));
    }

    #[test]
    fn dropping_it_stops_the_reader_thread_while_batches_wait_unread() {
        let items = (0..20_000u32).map(|i| Ok((0, event(i, 2000)))).collect();
        let cap = AheadCapture::spawn(Box::new(Script {
            items,
            last: Vec::new(),
        }))
        .unwrap();
        // Nobody reads: the reader thread fills every batch and blocks on the queue.
        std::thread::sleep(Duration::from_millis(200));
        let t = std::time::Instant::now();
        drop(cap);
        assert!(
            t.elapsed() < Duration::from_secs(2),
            "took {:?}",
            t.elapsed()
        );
    }

    #[test]
    fn a_reader_thread_that_ended_is_an_error_not_silence() {
        let items = [Ok((0, event(0, 8))), Err(CaptureError::ReaderStopped)].into();
        let mut cap = AheadCapture::spawn(Box::new(Script {
            items,
            last: Vec::new(),
        }))
        .unwrap();
        assert!(cap.wait(Duration::from_secs(10)));
        assert!(matches!(cap.next_event(), Ok(Some((0, _)))));
        // The driver's failure, then the closed queue.
        assert!(cap.wait(Duration::from_secs(10)));
        assert!(matches!(cap.next_event(), Err(CaptureError::ReaderStopped)));
        assert!(cap.wait(Duration::from_secs(10)));
        assert!(matches!(cap.next_event(), Err(CaptureError::ReaderStopped)));
    }
}
