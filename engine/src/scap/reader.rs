//! Streaming capture reader. It reads the stream in large chunks into one window buffer and hands out
//! blocks in place: an event is returned borrowed from the window, never copied; metadata blocks are
//! returned parsed. The window holds the block being read and what follows it, so memory does not
//! grow with the file.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

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
}

/// A capture reader over any byte stream.
pub struct ScapReader {
    input: Box<dyn Read + Send>,
    /// Decompressed byte offset of the next block (the first byte not handed out).
    pos: u64,
    /// Bytes read from the stream: `window[head..tail]` are not handed out yet.
    window: Vec<u8>,
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

/// Where a gzip capture is inflated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inflate {
    /// On a helper thread, ahead of the reader's thread, which decodes meanwhile.
    OwnThread,
    /// In the reader's own reads: one thread does everything.
    InReads,
}

impl ScapReader {
    /// Opens a capture file, plain or gzip-compressed (inflated on a thread of its own).
    pub fn open(path: impl AsRef<Path>) -> Result<ScapReader, ScapError> {
        Self::open_with(path, Inflate::OwnThread)
    }

    /// [`ScapReader::open`], choosing where a gzip capture is inflated.
    pub fn open_with(path: impl AsRef<Path>, inflate: Inflate) -> Result<ScapReader, ScapError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|source| ScapError::Open {
            path: path.display().to_string(),
            source,
        })?;
        // No buffer in between: the window reads in large chunks (the gzip decoder buffers its own
        // input).
        Self::from_reader_with(file, inflate)
    }

    /// Reads a capture from a stream; gzip is detected from its magic bytes and inflated on a
    /// thread of its own.
    pub fn from_reader<R: Read + Send + 'static>(r: R) -> Result<ScapReader, ScapError> {
        Self::from_reader_with(r, Inflate::OwnThread)
    }

    /// [`ScapReader::from_reader`], choosing where a gzip stream is inflated.
    pub fn from_reader_with<R: Read + Send + 'static>(
        mut r: R,
        inflate: Inflate,
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
        let input: Box<dyn Read + Send> = if got == 2 && magic == [0x1f, 0x8b] {
            let gz = MultiGzDecoder::new(prefixed);
            match inflate {
                Inflate::OwnThread => Box::new(
                    super::inflate::Inflated::spawn(gz)
                        .map_err(|source| ScapError::Io { offset: 0, source })?,
                ),
                Inflate::InReads => Box::new(gz),
            }
        } else {
            Box::new(prefixed)
        };
        Ok(ScapReader {
            input,
            pos: 0,
            window: vec![0; WINDOW],
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
        while self.tail < n {
            match self.input.read(&mut self.window[self.tail..]) {
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

    /// Reads the next block whose type this reader knows into the window, skipping (with a warning)
    /// the others. Returns (type, body offset, body length), or None at the end.
    #[inline]
    fn next_block(&mut self) -> Result<Option<(u32, u64, usize, usize)>, ScapError> {
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
            if total < 12 || total % 4 != 0 || total > MAX_BLOCK_LEN {
                return Err(ScapError::corrupt(
                    block_at,
                    format!("block of type {btype:#x} has invalid length {total}"),
                ));
            }
            self.pos += 8;
            let body_len = total as usize - 12;
            let got = self.fill(total as usize)?;
            if got < total as usize {
                let body_got = got.saturating_sub(8);
                return Err(ScapError::Truncated {
                    offset: self.pos + body_got as u64,
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
            let body_at = self.pos;
            self.pos += body_len as u64 + 4;
            self.head += total as usize;
            self.stats.blocks += 1;
            self.started = true;
            if is_known(btype) {
                return Ok(Some((btype, body_at, body_start, body_len)));
            }
            self.stats.unknown_blocks += 1;
            self.warn(|| {
                format!(
                    "skipped unknown block type {btype:#x} ({total} bytes) at byte offset {block_at}"
                )
            });
        }
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
        matches!(
            self.current,
            Some((
                bt::EV
                    | bt::EV_INT
                    | bt::EVF
                    | bt::EV_V2
                    | bt::EV_V2_LARGE
                    | bt::EVF_V2
                    | bt::EVF_V2_LARGE,
                _,
                _,
                _
            ))
        )
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
        let with_flags = matches!(btype, bt::EVF | bt::EVF_V2 | bt::EVF_V2_LARGE);
        let v1 = matches!(btype, bt::EV | bt::EV_INT | bt::EVF);
        let cpu = c.u16("event cpu")?;
        let flags = if with_flags { c.u32("event flags")? } else { 0 };
        let ev_at = c.offset();
        let raw = &body[c.pos()..];
        let bytes: &[u8] = if v1 {
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

fn is_known(btype: u32) -> bool {
    matches!(
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
            | bt::EV
            | bt::EV_INT
            | bt::EVF
            | bt::EV_V2
            | bt::EV_V2_LARGE
            | bt::EVF_V2
            | bt::EVF_V2_LARGE
    ) || PlVersion::of(btype).is_some()
}
