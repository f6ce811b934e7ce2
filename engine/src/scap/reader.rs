//! Streaming capture reader. It reads the stream in large chunks into one window buffer and hands out
//! blocks in place: an event is returned borrowed from the window, never copied; metadata blocks are
//! returned parsed. The window holds the block being read and what follows it, so memory does not
//! grow with the file. Read ahead ([`Reading::OwnThread`]), the window is the batch of whole blocks
//! the helper thread handed over (`scap/ahead.rs`), with the events it decoded.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::ahead::{self, Ahead, Batch, NOT_DECODED};
use super::block_type as bt;
use super::blocks::{self, Entries, FdEntry, Interface, MachineInfo, ProcEntry, UserRecord};
use super::cursor::Cursor;
use super::error::ScapError;
use super::{PlVersion, SHB_MAGIC};
use crate::event::{self, Event};

/// Blocks larger than this are refused as corrupt rather than allocated (large-payload events are
/// bounded by u32 lengths, but a real capture never carries a block near this size).
const MAX_BLOCK_LEN: u32 = 256 << 20;
/// Warnings held for the caller at most; later ones are only counted, so a capture of millions of
/// tiny unknown blocks cannot fill memory with messages.
pub const MAX_WARNINGS: usize = 100;
/// After a block larger than this, the buffer goes back to its usual size once blocks are small
/// again, so one huge block does not pin its memory for the rest of the capture.
const RECLAIM_ABOVE: usize = 16 << 20;
const USUAL_BLOCK: usize = 64 << 10;
/// The window's usual size: each read from the stream asks for up to this much, so a read (and a
/// decompression call) serves hundreds of events.
const WINDOW: usize = 256 << 10;

/// Gives back a buffer's memory when it grew far beyond what is needed now.
fn reclaim(buf: &mut Vec<u8>, need: usize) {
    if buf.capacity() > RECLAIM_ABOVE && need < USUAL_BLOCK {
        *buf = Vec::with_capacity(USUAL_BLOCK);
    }
}

/// One item of a capture.
#[derive(Debug)]
pub enum Item<'a> {
    /// A section header: the format version of what follows.
    Section {
        major: u16,
        minor: u16,
    },
    Machine(MachineInfo),
    /// Lists are decoded as they are iterated; the reader has checked them whole.
    Processes(Entries<'a, ProcEntry>),
    Fds {
        tid: i64,
        fds: Entries<'a, FdEntry>,
    },
    Interfaces(Entries<'a, Interface>),
    Users(Entries<'a, UserRecord>),
    /// An event, with the EVF flags (0 for EV blocks).
    Event {
        event: Event<'a>,
        flags: u32,
    },
}

/// Counts the reader keeps, for stats and tests.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReaderStats {
    pub blocks: u64,
    pub events: u64,
    pub unknown_blocks: u64,
    /// Events whose type this build does not know (newer driver): returned, not rendered.
    pub unknown_event_types: u64,
    /// Events the read-ahead thread decoded ([`Reading::OwnThread`]).
    pub events_decoded_ahead: u64,
}

/// Where the stream comes from.
enum Input {
    /// Read into the window by the reader's own reads.
    Stream(Box<dyn Read + Send>),
    /// Batches from the helper thread, which become the window.
    Ahead(Ahead),
}

/// A capture reader over any byte stream.
pub struct ScapReader {
    input: Input,
    /// Decompressed byte offset of the next block (the first byte not handed out).
    pos: u64,
    /// Bytes read from the stream: `window[head..tail]` are not handed out yet.
    window: Vec<u8>,
    /// Read ahead: the blocks at the window's head the helper checked and decoded (from
    /// `decoded_at` on), and their events' parameter boundaries.
    decoded: Vec<ahead::Block>,
    decoded_at: usize,
    decoded_offs: Vec<u32>,
    /// The current block's boundaries in `decoded_offs`, or [`NOT_DECODED`].
    current_offs: u32,
    head: usize,
    tail: usize,
    converted: Vec<u8>,
    warnings: Vec<String>,
    /// Warnings not kept since the last [`take_warnings`](Self::take_warnings).
    warnings_suppressed: u64,
    stats: ReaderStats,
    started: bool,
    pub section: (u16, u16),
    /// The parameter boundaries of the current event.
    offs: event::ParamOffsets,
    /// The current block: (type, body offset in the stream, body start in `window`, body length).
    current: Option<(u32, u64, usize, usize)>,
}

impl std::fmt::Debug for ScapReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScapReader")
            .field("pos", &self.pos)
            .field("stats", &self.stats)
            .finish()
    }
}

struct CountingPrefix<R> {
    prefix: Vec<u8>,
    at: usize,
    inner: R,
}

impl<R: Read> Read for CountingPrefix<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at < self.prefix.len() {
            let n = (self.prefix.len() - self.at).min(buf.len());
            buf[..n].copy_from_slice(&self.prefix[self.at..self.at + n]);
            self.at += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// Where a capture is read (and a gzip one inflated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// On a helper thread, ahead of the reader's thread, which decodes meanwhile; when the reader
    /// is behind, the helper decodes too (`scap/ahead.rs`).
    OwnThread,
    /// In the reader's own reads: one thread does everything.
    InReads,
}

impl ScapReader {
    /// Opens a capture file, plain or gzip-compressed, read ahead on a thread of its own.
    pub fn open(path: impl AsRef<Path>) -> Result<ScapReader, ScapError> {
        Self::open_with(path, Reading::OwnThread)
    }

    /// [`ScapReader::open`], choosing where the capture is read.
    pub fn open_with(path: impl AsRef<Path>, reading: Reading) -> Result<ScapReader, ScapError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|source| ScapError::Open {
            path: path.display().to_string(),
            source,
        })?;
        // No buffer in between: the window reads in large chunks (the gzip decoder buffers its own
        // input).
        Self::from_reader_with(file, reading)
    }

    /// Reads a capture from a stream, ahead on a thread of its own; gzip is detected from its magic
    /// bytes.
    pub fn from_reader<R: Read + Send + 'static>(r: R) -> Result<ScapReader, ScapError> {
        Self::from_reader_with(r, Reading::OwnThread)
    }

    /// [`ScapReader::from_reader`], choosing where the stream is read.
    pub fn from_reader_with<R: Read + Send + 'static>(
        mut r: R,
        reading: Reading,
    ) -> Result<ScapReader, ScapError> {
        let mut magic = [0u8; 2];
        let mut got = 0;
        while got < 2 {
            match r.read(&mut magic[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => return Err(ScapError::Io { offset: 0, source }),
            }
        }
        let prefixed = CountingPrefix {
            prefix: magic[..got].to_vec(),
            at: 0,
            inner: r,
        };
        let stream: Box<dyn Read + Send> = if got == 2 && magic == [0x1f, 0x8b] {
            Box::new(MultiGzDecoder::new(prefixed))
        } else {
            Box::new(prefixed)
        };
        let (input, window) = match reading {
            Reading::OwnThread => (
                Input::Ahead(
                    Ahead::spawn(stream).map_err(|source| ScapError::Io { offset: 0, source })?,
                ),
                Vec::new(),
            ),
            Reading::InReads => (Input::Stream(stream), vec![0; WINDOW]),
        };
        Ok(ScapReader {
            input,
            pos: 0,
            window,
            decoded: Vec::new(),
            decoded_at: 0,
            decoded_offs: Vec::new(),
            current_offs: NOT_DECODED,
            head: 0,
            tail: 0,
            offs: [0; crate::abi::MAX_EVENT_PARAMS + 1],
            converted: Vec::with_capacity(64 << 10),
            warnings: Vec::new(),
            warnings_suppressed: 0,
            stats: ReaderStats::default(),
            started: false,
            section: (0, 0),
            current: None,
        })
    }

    /// Warnings raised since the last call (unknown blocks skipped, and the like): the first
    /// [`MAX_WARNINGS`], then one line counting the others.
    pub fn take_warnings(&mut self) -> Vec<String> {
        let mut w = std::mem::take(&mut self.warnings);
        if self.warnings_suppressed > 0 {
            w.push(format!(
                "{} more warnings not shown ({} unknown blocks skipped in all)",
                self.warnings_suppressed, self.stats.unknown_blocks
            ));
            self.warnings_suppressed = 0;
        }
        w
    }

    fn warn(&mut self, msg: impl FnOnce() -> String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(msg());
        } else {
            self.warnings_suppressed += 1;
        }
    }

    pub fn stats(&self) -> ReaderStats {
        self.stats
    }

    /// Decompressed byte offset of the next block.
    pub fn offset(&self) -> u64 {
        self.pos
    }

    /// Makes `n` bytes available at `window[head..]`, reading as much as fits at each read; returns
    /// how many are available (fewer than `n` only at the end of the stream). Blocks already handed
    /// out are dropped from the window first.
    #[inline]
    fn fill(&mut self, n: usize) -> Result<usize, ScapError> {
        if self.tail - self.head >= n {
            return Ok(n);
        }
        self.refill(n)
    }

    /// [`ScapReader::fill`] when the window lacks bytes: once per window of blocks.
    #[cold]
    #[inline(never)]
    fn refill(&mut self, n: usize) -> Result<usize, ScapError> {
        match self.input {
            Input::Stream(_) => self.refill_stream(n),
            Input::Ahead(_) => self.refill_ahead(n),
        }
    }

    /// [`ScapReader::refill`] from a stream read on this thread: what is left of the window moves
    /// to its start, and reads fill the rest.
    fn refill_stream(&mut self, n: usize) -> Result<usize, ScapError> {
        let kept = self.tail - self.head;
        if self.window.len() > RECLAIM_ABOVE && n < USUAL_BLOCK && kept < USUAL_BLOCK {
            // Back to the usual size after a huge block.
            let mut w = vec![0; WINDOW];
            w[..kept].copy_from_slice(&self.window[self.head..self.tail]);
            self.window = w;
        } else {
            self.window.copy_within(self.head..self.tail, 0);
        }
        self.head = 0;
        self.tail = kept;
        if self.window.len() < n {
            self.window.resize(n, 0);
        }
        let Input::Stream(input) = &mut self.input else {
            unreachable!("refill chose the stream")
        };
        while self.tail < n {
            match input.read(&mut self.window[self.tail..]) {
                Ok(0) => break,
                Ok(k) => self.tail += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(ScapError::Io {
                        offset: self.pos + self.tail as u64,
                        source,
                    });
                }
            }
        }
        Ok(self.tail.min(n))
    }

    /// [`ScapReader::refill`] read ahead: the next batch becomes the window (a batch holds whole
    /// blocks, so nothing is left of the last one but at the end of a truncated or corrupt stream,
    /// where the new batch is appended to what is left, without its decoded blocks).
    fn refill_ahead(&mut self, n: usize) -> Result<usize, ScapError> {
        while self.tail - self.head < n {
            let Input::Ahead(ahead) = &mut self.input else {
                unreachable!("read ahead only")
            };
            let kept = self.tail - self.head;
            let used = Batch {
                pos: 0,
                bytes: if kept == 0 {
                    std::mem::take(&mut self.window)
                } else {
                    Vec::new()
                },
                blocks: std::mem::take(&mut self.decoded),
                offs: std::mem::take(&mut self.decoded_offs),
            };
            let mut batch = match ahead.next(used) {
                Ok(Some(b)) => b,
                Ok(None) => break,
                Err(source) => {
                    return Err(ScapError::Io {
                        offset: self.pos + kept as u64,
                        source,
                    });
                }
            };
            if kept == 0 {
                debug_assert_eq!(batch.pos, self.pos);
                self.window = std::mem::take(&mut batch.bytes);
                self.decoded = std::mem::take(&mut batch.blocks);
                self.decoded_offs = std::mem::take(&mut batch.offs);
            } else {
                self.window.drain(..self.head);
                self.window.truncate(kept);
                self.window.extend_from_slice(&batch.bytes);
            }
            self.decoded_at = 0;
            self.head = 0;
            self.tail = self.window.len();
        }
        Ok((self.tail - self.head).min(n))
    }

    /// The next block the helper thread checked and decoded, when it did: the window's head moves
    /// past it as [`ScapReader::next_block`] would. Decoded blocks that [`ScapReader::next_block`]
    /// read itself (the first of a batch, reached for its header; those after an unknown block it
    /// skipped) are passed over.
    #[inline]
    fn next_decoded(&mut self) -> Option<(u32, u64, usize, usize)> {
        loop {
            let b = *self.decoded.get(self.decoded_at)?;
            self.decoded_at += 1;
            if b.start as usize != self.head {
                if (b.start as usize) < self.head {
                    continue;
                }
                // Not reached: the decoded blocks are consecutive from the window's start.
                self.decoded_at = self.decoded.len();
                return None;
            }
            let block_at = self.pos;
            if let Some(current) = self.took_block(b.btype, b.total, block_at) {
                self.current_offs = b.offs_at;
                return Some(current);
            }
        }
    }

    /// Reads the next block whose type this reader knows into the window, skipping (with a warning)
    /// the others. Returns (type, body offset, body length), or None at the end.
    #[inline]
    fn next_block(&mut self) -> Result<Option<(u32, u64, usize, usize)>, ScapError> {
        if let Some(current) = self.next_decoded() {
            return Ok(Some(current));
        }
        self.current_offs = NOT_DECODED;
        loop {
            let block_at = self.pos;
            let got = self.fill(8)?;
            if got == 0 {
                if !self.started {
                    return Err(ScapError::NotScap {
                        offset: 0,
                        what: "empty file".into(),
                    });
                }
                return Ok(None);
            }
            if got < 8 {
                return Err(ScapError::Truncated {
                    offset: self.pos + got as u64,
                    what: "block header",
                    needed: (8 - got) as u64,
                    available: 0,
                });
            }
            let h = self.head;
            let btype = u32::from_le_bytes(self.window[h..h + 4].try_into().expect("4"));
            let total = u32::from_le_bytes(self.window[h + 4..h + 8].try_into().expect("4"));
            if !self.started && btype != bt::SHB {
                return Err(ScapError::NotScap {
                    offset: 0,
                    what: format!("first block has type {btype:#x}, not a section header"),
                });
            }
            if !valid_block_len(total) {
                return Err(ScapError::corrupt(
                    block_at,
                    format!("block of type {btype:#x} has invalid length {total}"),
                ));
            }
            let body_len = total as usize - 12;
            let got = self.fill(total as usize)?;
            if got < total as usize {
                let body_got = got.saturating_sub(8);
                return Err(ScapError::Truncated {
                    offset: block_at + 8 + body_got as u64,
                    what: "block body",
                    needed: (body_len + 4 - body_got) as u64,
                    available: 0,
                });
            }
            let body_start = self.head + 8;
            let t = body_start + body_len;
            let trailer = u32::from_le_bytes(self.window[t..t + 4].try_into().expect("4"));
            if trailer != total {
                return Err(ScapError::corrupt(
                    block_at,
                    format!(
                        "block of type {btype:#x}: trailer length {trailer} differs from header length {total}"
                    ),
                ));
            }
            if let Some(current) = self.took_block(btype, total, block_at) {
                return Ok(Some(current));
            }
        }
    }

    /// Moves past the block at the window's head, of `total` bytes (checked): its (type, body
    /// offset, body start in the window, body length) when this reader knows its type, else None
    /// (counted and warned about).
    #[inline(always)]
    fn took_block(
        &mut self,
        btype: u32,
        total: u32,
        block_at: u64,
    ) -> Option<(u32, u64, usize, usize)> {
        let body_len = total as usize - 12;
        let body_start = self.head + 8;
        self.pos = block_at + total as u64;
        self.head += total as usize;
        self.stats.blocks += 1;
        self.started = true;
        if is_known(btype) {
            return Some((btype, block_at + 8, body_start, body_len));
        }
        self.skipped(btype, total, block_at);
        None
    }

    #[cold]
    fn skipped(&mut self, btype: u32, total: u32, block_at: u64) {
        self.stats.unknown_blocks += 1;
        self.warn(|| {
            format!(
                "skipped unknown block type {btype:#x} ({total} bytes) at byte offset {block_at}"
            )
        });
    }

    /// The next item, or None at the end of the capture.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Item<'_>>, ScapError> {
        if !self.advance()? {
            return Ok(None);
        }
        self.current().map(Some)
    }

    /// Moves to the next block; false at the end of the capture. [`current`](Self::current) then
    /// decodes it.
    #[inline]
    pub fn advance(&mut self) -> Result<bool, ScapError> {
        self.current = self.next_block()?;
        Ok(self.current.is_some())
    }

    /// True when the current block is an event.
    pub fn at_event(&self) -> bool {
        matches!(self.current, Some((btype, _, _, _)) if is_event(btype))
    }

    /// Decodes the current block when [`at_event`](Self::at_event): the event and its EVF flags
    /// (0 for EV blocks). Call once per block: V1 events are converted in place.
    #[inline]
    pub fn current_event(&mut self) -> Result<(Event<'_>, u32), ScapError> {
        let Some((btype, body_at, body_start, body_len)) = self.current else {
            return Err(ScapError::corrupt(self.pos, "no current block"));
        };
        let body = &self.window[body_start..body_start + body_len];
        let mut c = Cursor::new(body, body_at);
        let layout = EventBody::of(btype);
        let cpu = c.u16("event cpu")?;
        let flags = if layout.flags {
            c.u32("event flags")?
        } else {
            0
        };
        let ev_at = c.offset();
        let raw = &body[c.pos()..];
        if self.current_offs != NOT_DECODED {
            // Decoded by the helper thread: the boundaries are in its table, followed by enough
            // entries to read as a whole one.
            let at = self.current_offs as usize;
            let offs: &event::ParamOffsets = self.decoded_offs
                [at..at + crate::abi::MAX_EVENT_PARAMS + 1]
                .try_into()
                .expect("a padded boundary table");
            let event = Event::predecoded(raw, cpu, offs);
            self.stats.events += 1;
            self.stats.events_decoded_ahead += 1;
            if event.info().is_none() {
                self.stats.unknown_event_types += 1;
            }
            return Ok((event, flags));
        }
        let bytes: &[u8] = if layout.v1 {
            reclaim(&mut self.converted, raw.len());
            event::convert_v1(raw, &mut self.converted)
                .map_err(|e| ScapError::corrupt(ev_at, format!("event: {e}")))?;
            &self.converted
        } else {
            raw
        };
        let event = Event::decode_into(bytes, cpu, &mut self.offs)
            .map_err(|e| ScapError::corrupt(ev_at, format!("event: {e}")))?;
        self.stats.events += 1;
        if event.info().is_none() {
            self.stats.unknown_event_types += 1;
        }
        Ok((event, flags))
    }

    /// Decodes the current block (call once per block: V1 events are converted in place).
    pub fn current(&mut self) -> Result<Item<'_>, ScapError> {
        if self.at_event() {
            let (event, flags) = self.current_event()?;
            return Ok(Item::Event { event, flags });
        }
        let Some((btype, body_at, body_start, body_len)) = self.current else {
            return Err(ScapError::corrupt(self.pos, "no current block"));
        };
        let body = &self.window[body_start..body_start + body_len];
        let mut c = Cursor::new(body, body_at);
        // Lists are checked whole here, so errors keep their byte offsets, then decoded lazily.
        fn checked<T>(e: Entries<'_, T>) -> Result<Entries<'_, T>, ScapError> {
            e.validate().map(|_| e)
        }
        Ok(match btype {
            bt::SHB => {
                let magic = c.u32("section magic")?;
                if magic != SHB_MAGIC {
                    return Err(ScapError::NotScap {
                        offset: body_at,
                        what: format!("byte-order magic {magic:#x}"),
                    });
                }
                let major = c.u16("section major")?;
                let minor = c.u16("section minor")?;
                if major != 1 {
                    return Err(ScapError::Version {
                        offset: body_at + 4,
                        major,
                        minor,
                    });
                }
                // The section length and any options (comments) that follow are skipped.
                self.section = (major, minor);
                Item::Section { major, minor }
            }
            bt::MI | bt::MI_INT => Item::Machine(MachineInfo::parse(&mut c)?),
            bt::FDL | bt::FDL_INT | bt::FDL_V2 => {
                let (tid, fds) = FdEntry::entries(c, btype)?;
                Item::Fds {
                    tid,
                    fds: checked(fds)?,
                }
            }
            bt::IL | bt::IL_INT | bt::IL_V2 => {
                Item::Interfaces(checked(Interface::entries(c, btype))?)
            }
            bt::UL | bt::UL_INT | bt::UL_V2 => {
                Item::Users(checked(blocks::user_entries(c, btype))?)
            }
            bt::EV
            | bt::EV_INT
            | bt::EVF
            | bt::EV_V2
            | bt::EV_V2_LARGE
            | bt::EVF_V2
            | bt::EVF_V2_LARGE => unreachable!("events are decoded above"),
            _ => Item::Processes(checked(ProcEntry::entries(c, btype))?),
        })
    }
}

/// A block length the format allows (and this reader accepts).
#[inline]
pub(super) fn valid_block_len(total: u32) -> bool {
    total >= 12 && total.is_multiple_of(4) && total <= MAX_BLOCK_LEN
}

/// What an event block's body holds before the event: its CPU (2 bytes), then in EVF blocks its
/// flags (4 bytes). EV, EV_INT and EVF blocks hold an event of the first layout (V1), which is
/// converted before it is decoded.
#[derive(Clone, Copy)]
pub(super) struct EventBody {
    pub flags: bool,
    pub v1: bool,
}

impl EventBody {
    #[inline(always)]
    pub(super) fn of(btype: u32) -> EventBody {
        EventBody {
            flags: matches!(btype, bt::EVF | bt::EVF_V2 | bt::EVF_V2_LARGE),
            v1: matches!(btype, bt::EV | bt::EV_INT | bt::EVF),
        }
    }

    /// Where the event starts in the body.
    #[inline(always)]
    pub(super) fn event_at(self) -> usize {
        if self.flags { 6 } else { 2 }
    }
}

/// An event block of any version.
#[inline(always)]
pub(super) fn is_event(btype: u32) -> bool {
    matches!(
        btype,
        bt::EV | bt::EV_INT | bt::EVF | bt::EV_V2 | bt::EV_V2_LARGE | bt::EVF_V2 | bt::EVF_V2_LARGE
    )
}

/// A block this reader decodes (events first: nearly every block is one).
#[inline(always)]
fn is_known(btype: u32) -> bool {
    is_event(btype)
        || matches!(
            btype,
            bt::SHB
                | bt::MI
                | bt::MI_INT
                | bt::FDL
                | bt::FDL_INT
                | bt::FDL_V2
                | bt::IL
                | bt::IL_INT
                | bt::IL_V2
                | bt::UL
                | bt::UL_INT
                | bt::UL_V2
        )
        || PlVersion::of(btype).is_some()
}
