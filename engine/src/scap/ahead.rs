//! Reading ahead on a thread of its own: a helper thread reads the stream (inflating a gzip
//! capture), cuts it into batches of whole blocks and hands them to the reader through a short
//! queue, so reading and inflating overlap with the caller's decoding, state and rules. When the
//! reader is the slower thread (batches wait for it in the queue, and it did not have to wait for
//! one since the last), the helper also decodes the next batch's events (checks each block's
//! lengths and records each event's parameter boundaries), which the reader then takes as they
//! are; otherwise the batch goes as it is and the reader decodes: the work moves to whichever
//! thread would wait. On the generator's capture with Falco's rules the helper decodes most
//! batches; on the real one, where inflating costs about what the event thread does, some.
//! Decoding gives the same events on either thread; a block the helper finds wrong is left for the
//! reader, which reports it with its byte offset as it would without the helper.
//!
//! Memory is bounded by [`IN_FLIGHT`] batches of about [`BATCH`] bytes (a block larger than that
//! gets a batch of its size); used batches go back to the helper, so nothing is allocated per
//! batch.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};

use super::block_type as bt;
use super::reader::{EventBody, is_event, valid_block_len};
use crate::abi::MAX_EVENT_PARAMS;
use crate::event::{Event, NO_OFFSETS};

/// Bytes asked of the input at each read: a batch's usual size.
const BATCH: usize = 64 << 10;
/// Batches read ahead of the reader at most.
const IN_FLIGHT: usize = 3;
/// The helper decodes a batch when at least this many wait for the reader (with one, the two
/// threads were so close on the real capture that the reader often waited on the decoding).
const DECODE_AT: usize = 2;
/// [`Block::offs_at`] of a block whose event the helper did not decode.
pub(super) const NOT_DECODED: u32 = u32::MAX;

/// Whole blocks of the stream, and what the helper decoded of them.
#[derive(Default)]
pub(super) struct Batch {
    /// Stream offset of `bytes[0]`.
    pub pos: u64,
    /// Whole blocks, except at the end of a truncated stream or after a block whose length is
    /// invalid (the rest of the stream then comes as it is read; the reader reports the error).
    pub bytes: Vec<u8>,
    /// When decoded: the first blocks of `bytes`, in order, up to the first the helper found
    /// wrong (empty when not decoded).
    pub blocks: Vec<Block>,
    /// The decoded events' parameter boundaries; any event's are followed by at least
    /// `MAX_EVENT_PARAMS + 1` entries (the table is padded), so each reads as a whole table.
    pub offs: Vec<u32>,
}

/// A block the helper checked: its header and trailer lengths agree and are valid.
#[derive(Debug, Clone, Copy)]
pub(super) struct Block {
    /// Offset of the block in [`Batch::bytes`].
    pub start: u32,
    pub btype: u32,
    pub total: u32,
    /// Where the event's parameter boundaries start in [`Batch::offs`], or [`NOT_DECODED`]
    /// (not a current-format event, or one that does not decode: the reader decodes it).
    pub offs_at: u32,
}

/// The reader's end of the queue.
pub(super) struct Ahead {
    batches: Receiver<io::Result<Batch>>,
    /// Batches sent and not yet received.
    queued: Arc<AtomicUsize>,
    /// Set when the reader found the queue empty and waited: the helper is the slower thread.
    starved: Arc<AtomicBool>,
    used: SyncSender<Batch>,
    done: bool,
}

impl Ahead {
    /// Starts a helper thread that reads `input` to its end or first error.
    pub fn spawn<R: Read + Send + 'static>(input: R) -> io::Result<Ahead> {
        let (tx, batches) = sync_channel(IN_FLIGHT);
        let (used, back) = sync_channel(IN_FLIGHT + 2);
        let queued = Arc::new(AtomicUsize::new(0));
        let starved = Arc::new(AtomicBool::new(false));
        let pump = Pump {
            input,
            tx,
            queued: Arc::clone(&queued),
            starved: Arc::clone(&starved),
            back,
            pos: 0,
            framing: true,
        };
        std::thread::Builder::new()
            .name("falco-readahead".into())
            .spawn(move || pump.run())?;
        Ok(Ahead {
            batches,
            queued,
            starved,
            used,
            done: false,
        })
    }

    /// The next batch, or None at the end of the stream; `used` (the last one's buffers) goes
    /// back to the helper. An input error comes after the data read before it.
    pub fn next(&mut self, used: Batch) -> io::Result<Option<Batch>> {
        // A full return queue only means the helper has enough spare batches.
        let _ = self.used.try_send(used);
        if self.done {
            return Ok(None);
        }
        let got = match self.batches.try_recv() {
            Err(TryRecvError::Empty) => {
                self.starved.store(true, Ordering::Relaxed);
                self.batches.recv().ok()
            }
            got => got.ok(),
        };
        match got {
            Some(Ok(b)) => {
                self.queued.fetch_sub(1, Ordering::Relaxed);
                Ok(Some(b))
            }
            Some(Err(e)) => {
                self.done = true;
                Err(e)
            }
            None => {
                self.done = true;
                Ok(None)
            }
        }
    }
}

struct Pump<R> {
    input: R,
    tx: SyncSender<io::Result<Batch>>,
    /// [`Ahead::queued`].
    queued: Arc<AtomicUsize>,
    /// [`Ahead::starved`].
    starved: Arc<AtomicBool>,
    back: Receiver<Batch>,
    /// Stream offset of the batch being filled.
    pos: u64,
    /// False once a block length is invalid: block boundaries are unknown from there on.
    framing: bool,
}

impl<R: Read> Pump<R> {
    /// Reads until the end, an error, or the reader is gone (dropped: a send fails).
    fn run(mut self) {
        let mut cur = self.fresh();
        // cur.bytes[..filled] are read; the rest of its length is room, zeroed once.
        let mut filled = 0;
        loop {
            // Room for a batch, or for the whole of a large block begun.
            let room = (filled + BATCH / 4)
                .max(BATCH)
                .max(self.pending_len(&cur.bytes[..filled]));
            if cur.bytes.len() < room {
                cur.bytes.resize(room, 0);
            }
            let n = loop {
                match self.input.read(&mut cur.bytes[filled..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        cur.bytes.truncate(filled);
                        if filled == 0 || self.send(cur, false) {
                            let _ = self.tx.send(Err(e));
                        }
                        return;
                    }
                }
            };
            if n == 0 {
                // The end: what is left is a truncated block, which the reader reports.
                if filled > 0 {
                    cur.bytes.truncate(filled);
                    self.send(cur, false);
                }
                return;
            }
            filled += n;
            let whole = self.whole_blocks(&cur.bytes[..filled]);
            if whole == 0 {
                continue;
            }
            let mut next = self.fresh();
            let rest = filled - whole;
            if next.bytes.len() < rest {
                next.bytes.resize(rest, 0);
            }
            next.bytes[..rest].copy_from_slice(&cur.bytes[whole..filled]);
            cur.bytes.truncate(whole);
            if !self.send(cur, true) {
                return;
            }
            cur = next;
            filled = rest;
        }
    }

    /// A used batch back from the reader (its bytes left as they are: they are overwritten, not
    /// zeroed again), else a new one; one grown for a huge block is dropped.
    fn fresh(&self) -> Batch {
        match self.back.try_recv() {
            Ok(mut b) if b.bytes.capacity() <= 2 * BATCH => {
                b.blocks.clear();
                b.offs.clear();
                b
            }
            _ => Batch::default(),
        }
    }

    /// The length of the block `bytes` starts with, when its header is there and valid, else 0.
    fn pending_len(&self, bytes: &[u8]) -> usize {
        match header(bytes) {
            Some((_, total)) if self.framing && valid_block_len(total) => total as usize,
            _ => 0,
        }
    }

    /// Where the whole blocks at the start of `bytes` end; all of `bytes` once boundaries are
    /// lost.
    fn whole_blocks(&mut self, bytes: &[u8]) -> usize {
        let mut at = 0;
        while self.framing {
            let Some((btype, total)) = header(&bytes[at..]) else {
                return at;
            };
            if !valid_block_len(total) || (self.pos + at as u64 == 0 && btype != bt::SHB) {
                // Not a capture, or corrupt: the reader says which, at which offset.
                self.framing = false;
                break;
            }
            if bytes.len() - at < total as usize {
                return at;
            }
            at += total as usize;
        }
        bytes.len()
    }

    /// Hands `batch` over, decoding it first when the reader is behind: [`DECODE_AT`] batches
    /// waiting, and no wait of the reader's since the last batch (and it holds `whole` blocks past
    /// the first batch, whose section header the reader checks). False when the reader is gone.
    fn send(&mut self, mut batch: Batch, whole: bool) -> bool {
        batch.pos = self.pos;
        self.pos += batch.bytes.len() as u64;
        // Decoding is worth it only when the reader is the slower thread: it has a batch waiting
        // and did not wait for one since the last batch.
        let starved = self.starved.swap(false, Ordering::Relaxed);
        if whole && batch.pos > 0 && !starved && self.queued.load(Ordering::Relaxed) >= DECODE_AT {
            decode(&mut batch);
        }
        self.queued.fetch_add(1, Ordering::Relaxed);
        self.tx.send(Ok(batch)).is_ok()
    }
}

/// A block's type and length, when its header is there.
fn header(b: &[u8]) -> Option<(u32, u32)> {
    let h: &[u8; 8] = b.get(..8)?.try_into().ok()?;
    Some((
        u32::from_le_bytes([h[0], h[1], h[2], h[3]]),
        u32::from_le_bytes([h[4], h[5], h[6], h[7]]),
    ))
}

/// Checks the batch's blocks and decodes its events, up to the first block that is wrong.
fn decode(batch: &mut Batch) {
    let bytes = &batch.bytes;
    let mut offs = NO_OFFSETS;
    let mut at = 0;
    while let Some((btype, total)) = header(&bytes[at..]) {
        let len = total as usize;
        if !valid_block_len(total) || bytes.len() - at < len {
            break;
        }
        let block = &bytes[at..at + len];
        if block[len - 4..] != total.to_le_bytes() {
            break;
        }
        // The event after the body's cpu (and flags) fields, in the current layout only.
        let layout = EventBody::of(btype);
        let event = (is_event(btype) && !layout.v1)
            .then(|| block.get(8 + layout.event_at()..len - 4))
            .flatten();
        let offs_at = match event.map(|e| Event::decode_into(e, 0, &mut offs).map(|e| e.nparams()))
        {
            Some(Ok(n)) => {
                let at = batch.offs.len() as u32;
                batch.offs.extend_from_slice(&offs[..=n]);
                at
            }
            _ => NOT_DECODED,
        };
        batch.blocks.push(Block {
            start: at as u32,
            btype,
            total,
            offs_at,
        });
        at += len;
    }
    if !batch.offs.is_empty() {
        batch.offs.extend_from_slice(&[0; MAX_EVENT_PARAMS]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives its data in pieces of various sizes, then an error when `fail` is set.
    struct Pieces {
        data: Vec<u8>,
        at: usize,
        fail: bool,
    }

    impl Read for Pieces {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.at == self.data.len() {
                return if self.fail {
                    Err(io::Error::other("broken"))
                } else {
                    Ok(0)
                };
            }
            let n = buf
                .len()
                .min(1 + self.at % 70_001)
                .min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    /// A block of `total` bytes (type 0x1234), its body filled with `fill`.
    fn block(total: u32, fill: u8) -> Vec<u8> {
        let mut b = 0x1234u32.to_le_bytes().to_vec();
        b.extend_from_slice(&total.to_le_bytes());
        b.resize(total as usize - 4, fill);
        b.extend_from_slice(&total.to_le_bytes());
        b
    }

    fn all(mut a: Ahead) -> (Vec<u8>, Vec<u64>, io::Result<()>) {
        let (mut got, mut starts) = (Vec::new(), Vec::new());
        let mut used = Batch::default();
        loop {
            match a.next(used) {
                Ok(Some(b)) => {
                    assert_eq!(b.pos, got.len() as u64);
                    starts.push(b.pos);
                    got.extend_from_slice(&b.bytes);
                    used = b;
                }
                Ok(None) => return (got, starts, Ok(())),
                Err(e) => return (got, starts, Err(e)),
            }
        }
    }

    #[test]
    fn hands_over_every_byte_in_order_in_whole_blocks_then_the_end() {
        let mut data = Vec::new();
        // A section header first: the helper checks nothing else of it.
        data.extend_from_slice(&bt::SHB.to_le_bytes());
        data.extend_from_slice(&12u32.to_le_bytes());
        data.extend_from_slice(&12u32.to_le_bytes());
        let mut ends = vec![data.len() as u64];
        for i in 0..20_000u32 {
            // Now and then a block larger than a batch.
            let total = if i % 5_000 == 4_999 {
                300_000
            } else {
                12 + (i * 36) % 400
            };
            data.extend_from_slice(&block(total, i as u8));
            ends.push(data.len() as u64);
        }
        let a = Ahead::spawn(Pieces {
            data: data.clone(),
            at: 0,
            fail: false,
        })
        .unwrap();
        let (got, starts, end) = all(a);
        end.unwrap();
        assert_eq!(got, data);
        for s in starts {
            assert!(
                s == 0 || ends.contains(&s),
                "a batch starts mid-block at {s}"
            );
        }
    }

    #[test]
    fn passes_on_the_error_after_the_data() {
        let mut data = bt::SHB.to_le_bytes().to_vec();
        data.extend_from_slice(&[1; 996]);
        let a = Ahead::spawn(Pieces {
            data,
            at: 0,
            fail: true,
        })
        .unwrap();
        let (got, _, end) = all(a);
        assert_eq!(end.unwrap_err().to_string(), "broken");
        assert_eq!(got.len(), 1000);
    }

    #[test]
    fn decodes_whole_blocks_up_to_the_first_wrong_one() {
        let mut batch = Batch {
            pos: 100,
            bytes: [block(16, 1), block(20, 2), block(24, 3)].concat(),
            ..Batch::default()
        };
        // The third block's trailer disagrees with its header.
        let n = batch.bytes.len();
        batch.bytes[n - 4] = 28;
        decode(&mut batch);
        let got: Vec<_> = batch.blocks.iter().map(|b| (b.total, b.offs_at)).collect();
        assert_eq!(got, [(16, NOT_DECODED), (20, NOT_DECODED)]);
    }

    #[test]
    fn the_helper_stops_when_the_reader_is_dropped() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        // An endless input of empty blocks that says when the helper lets go of it.
        struct Endless(Arc<AtomicBool>);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let b = block(12, 0);
                let n = buf.len() / 12 * 12;
                for c in buf[..n].chunks_exact_mut(12) {
                    c.copy_from_slice(&b);
                }
                Ok(n)
            }
        }
        impl Drop for Endless {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        let gone = Arc::new(AtomicBool::new(false));
        let mut a = Ahead::spawn(Endless(gone.clone())).unwrap();
        // The first "block" is no section header: the rest comes as read.
        let b = a.next(Batch::default()).unwrap().unwrap();
        assert_eq!(&b.bytes[..12], &block(12, 0)[..]);
        drop(a);
        for _ in 0..1000 {
            if gone.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the helper thread still holds its input");
    }
}
