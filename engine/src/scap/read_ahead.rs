//! Reading ahead on a thread of its own: a helper thread reads the capture (inflating a gzip one in
//! its reads), finds its blocks and records each event's parameter boundaries, and hands them over
//! in batches, in order, while the caller's thread tracks state and matches rules. A batch holds
//! copies of the blocks' bytes and of the boundaries, so an event is borrowed from its batch as it
//! would be from the reader's window, and decoding is not done twice.
//!
//! At most [`IN_FLIGHT`] batches are ahead of the caller, each of at most [`BATCH_ENTRIES`] blocks
//! and, unless one block is larger, [`BATCH_BYTES`] bytes; used batches go back to the helper, so
//! nothing is allocated per batch. A batch is handed over early when the next block is not read
//! yet, so a capture arriving through a FIFO is processed as it arrives.

use std::io;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use super::Blocks;
use super::error::ScapError;
use super::reader::{Item, MAX_WARNINGS, ScapReader, decode_metadata};
use crate::event::{Event, ParamOffsets};

/// Blocks in a batch at most.
const BATCH_ENTRIES: usize = 256;
/// A batch is handed over once it holds this many bytes.
const BATCH_BYTES: usize = 64 << 10;
/// Batches decoded ahead of the caller at most.
const IN_FLIGHT: usize = 4;
/// A returned batch whose buffer grew beyond this (a huge block) is not reused as is.
const RECLAIM_ABOVE: usize = 16 << 20;

/// One block of a batch, its bytes at `bytes[start..end]`.
enum Entry {
    /// An event (the current layout: V1 events were converted), its parameter boundaries at
    /// `offs[offs..offs_end]`.
    Event {
        start: u32,
        end: u32,
        offs: u32,
        offs_end: u32,
        cpu: u16,
        flags: u32,
    },
    /// Any other block, decoded by the caller with [`decode_metadata`]: they are few.
    Metadata {
        btype: u32,
        body_at: u64,
        start: u32,
        end: u32,
    },
}

#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    offs: Vec<u32>,
    /// What stopped the reading after these entries: the end of the capture, or an error.
    end: Option<Result<(), ScapError>>,
    warnings: Vec<String>,
}

impl Batch {
    fn clear(&mut self) {
        if self.bytes.capacity() > RECLAIM_ABOVE {
            self.bytes = Vec::new();
        }
        self.bytes.clear();
        self.entries.clear();
        self.offs.clear();
        self.end = None;
        self.warnings.clear();
    }

    fn push(&mut self, bytes: &[u8]) -> (u32, u32) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(bytes);
        (start as u32, self.bytes.len() as u32)
    }

    fn full(&self) -> bool {
        self.entries.len() >= BATCH_ENTRIES || self.bytes.len() >= BATCH_BYTES
    }
}

/// The caller's end: blocks in order, as a [`ScapReader`] gives them.
pub struct ReadAhead {
    batches: Receiver<Batch>,
    /// Used batches, back to the helper.
    used: SyncSender<Batch>,
    batch: Batch,
    /// Entries of `batch` moved to: the current one is `at - 1`.
    at: usize,
    /// The current event's parameter boundaries, copied out of the batch, where only the ones an
    /// event has are kept: the events the caller gets read them from here.
    offs: ParamOffsets,
    warnings: Vec<String>,
    warnings_suppressed: u64,
    done: bool,
}

impl ReadAhead {
    /// Starts a helper thread reading `reader` to its end or first error. The reader should
    /// inflate in its reads ([`super::reader::Inflate::InReads`]): this thread is the one that
    /// reads.
    pub fn spawn(reader: ScapReader) -> io::Result<ReadAhead> {
        let (tx, batches) = sync_channel(IN_FLIGHT);
        let (used, back) = sync_channel(IN_FLIGHT + 2);
        std::thread::Builder::new()
            .name("falco-read".into())
            .spawn(move || pump(reader, tx, back))?;
        Ok(ReadAhead {
            batches,
            used,
            batch: Batch::default(),
            at: 0,
            offs: [0; crate::abi::MAX_EVENT_PARAMS + 1],
            warnings: Vec::new(),
            warnings_suppressed: 0,
            done: false,
        })
    }

    fn next_batch(&mut self) -> Result<bool, ScapError> {
        let Ok(next) = self.batches.recv() else {
            // The helper ends only after handing over how it ended: it failed.
            self.done = true;
            return Err(ScapError::Io {
                offset: 0,
                source: io::Error::other("the capture reading thread stopped"),
            });
        };
        let old = std::mem::replace(&mut self.batch, next);
        // A full return queue only means the helper has enough spare batches.
        let _ = self.used.try_send(old);
        self.at = 0;
        for w in self.batch.warnings.drain(..) {
            if self.warnings.len() < MAX_WARNINGS {
                self.warnings.push(w);
            } else {
                self.warnings_suppressed += 1;
            }
        }
        Ok(true)
    }
}

/// The helper: fills batches until the end, an error, or the caller is gone (the send fails).
fn pump(mut reader: ScapReader, tx: SyncSender<Batch>, back: Receiver<Batch>) {
    loop {
        let mut batch = back.try_recv().unwrap_or_default();
        batch.clear();
        let ended = fill(&mut reader, &mut batch);
        batch.warnings = reader.take_warnings();
        if tx.send(batch).is_err() || ended {
            return;
        }
    }
}

/// Reads blocks into `b` until it is full or the next block is not read yet; true when the reading
/// ended (`b.end` says how).
fn fill(reader: &mut ScapReader, b: &mut Batch) -> bool {
    while !b.full() {
        if !b.entries.is_empty() && !reader.next_is_buffered() {
            // Hand over what there is before a read that may wait.
            return false;
        }
        match reader.advance() {
            Ok(true) => {}
            Ok(false) => {
                b.end = Some(Ok(()));
                return true;
            }
            Err(e) => {
                b.end = Some(Err(e));
                return true;
            }
        }
        if !reader.at_event() {
            let (btype, body_at, body) = reader.current_block().expect("moved to a block");
            let (start, end) = b.push(body);
            b.entries.push(Entry::Metadata {
                btype,
                body_at,
                start,
                end,
            });
            continue;
        }
        match reader.current() {
            Ok(Item::Event { event, flags }) => {
                let offs = event
                    .offsets()
                    .expect("a reader records parameter boundaries");
                let at = b.offs.len() as u32;
                b.offs.extend_from_slice(offs);
                let (start, end) = b.push(event.bytes());
                b.entries.push(Entry::Event {
                    start,
                    end,
                    offs: at,
                    offs_end: b.offs.len() as u32,
                    cpu: event.cpu,
                    flags,
                });
            }
            Ok(_) => unreachable!("at_event() checked the block type"),
            Err(e) => {
                b.end = Some(Err(e));
                return true;
            }
        }
    }
    false
}

impl Blocks for ReadAhead {
    fn advance(&mut self) -> Result<bool, ScapError> {
        loop {
            if self.at < self.batch.entries.len() {
                self.at += 1;
                return Ok(true);
            }
            if let Some(end) = self.batch.end.take() {
                self.done = true;
                return end.map(|()| false);
            }
            if self.done {
                return Ok(false);
            }
            self.next_batch()?;
        }
    }

    #[inline]
    fn at_event(&self) -> bool {
        matches!(
            self.at
                .checked_sub(1)
                .and_then(|i| self.batch.entries.get(i)),
            Some(Entry::Event { .. })
        )
    }

    fn current(&mut self) -> Result<Item<'_>, ScapError> {
        let b = &self.batch;
        match self.at.checked_sub(1).and_then(|i| b.entries.get(i)) {
            Some(&Entry::Event {
                start,
                end,
                offs,
                offs_end,
                cpu,
                flags,
            }) => {
                let bytes = &b.bytes[start as usize..end as usize];
                let o = &b.offs[offs as usize..offs_end as usize];
                self.offs[..o.len()].copy_from_slice(o);
                let event = Event::with_offsets(bytes, cpu, &self.offs);
                Ok(Item::Event { event, flags })
            }
            Some(&Entry::Metadata {
                btype,
                body_at,
                start,
                end,
            }) => decode_metadata(btype, body_at, &b.bytes[start as usize..end as usize]),
            None => Err(ScapError::corrupt(0, "no current block")),
        }
    }

    /// As the trait's, with the usual case first: the next entry of the batch is an event.
    #[inline]
    fn next_event(
        &mut self,
        state: &mut crate::state::State,
    ) -> Result<Option<(Event<'_>, u32)>, ScapError> {
        loop {
            if let Some(&Entry::Event {
                start,
                end,
                offs,
                offs_end,
                cpu,
                flags,
            }) = self.batch.entries.get(self.at)
            {
                self.at += 1;
                let b = &self.batch;
                let o = &b.offs[offs as usize..offs_end as usize];
                self.offs[..o.len()].copy_from_slice(o);
                let event =
                    Event::with_offsets(&b.bytes[start as usize..end as usize], cpu, &self.offs);
                return Ok(Some((event, flags)));
            }
            // A metadata block, or the end of the batch.
            if !self.advance()? {
                return Ok(None);
            }
            if self.at_event() {
                // The first entry of a new batch: taken above.
                self.at -= 1;
                continue;
            }
            state.seed(&self.current()?);
        }
    }

    fn take_warnings(&mut self) -> Vec<String> {
        let mut w = std::mem::take(&mut self.warnings);
        if self.warnings_suppressed > 0 {
            w.push(format!(
                "{} more warnings not shown",
                self.warnings_suppressed
            ));
            self.warnings_suppressed = 0;
        }
        w
    }
}
