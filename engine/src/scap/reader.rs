//! Streaming capture reader. It holds one block at a time, so memory does not grow with the file.
//! Events are returned borrowed from the block buffer; metadata blocks are returned parsed.

use std::fs::File;
use std::io::{self, BufReader, Read};
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
    /// Decompressed byte offset of the next unread byte.
    pos: u64,
    block: Vec<u8>,
    converted: Vec<u8>,
    warnings: Vec<String>,
    /// Warnings not kept since the last [`take_warnings`](Self::take_warnings).
    warnings_suppressed: u64,
    stats: ReaderStats,
    started: bool,
    pub section: (u16, u16),
    /// The block in `block`: (type, body offset, body length).
    current: Option<(u32, u64, usize)>,
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

impl ScapReader {
    /// Opens a capture file, plain or gzip-compressed.
    pub fn open(path: impl AsRef<Path>) -> Result<ScapReader, ScapError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|source| ScapError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_reader(BufReader::with_capacity(256 << 10, file))
    }

    /// Reads a capture from a stream; gzip is detected from its magic bytes.
    pub fn from_reader<R: Read + Send + 'static>(mut r: R) -> Result<ScapReader, ScapError> {
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
            Box::new(BufReader::with_capacity(
                256 << 10,
                MultiGzDecoder::new(prefixed),
            ))
        } else {
            Box::new(prefixed)
        };
        Ok(ScapReader {
            input,
            pos: 0,
            block: Vec::with_capacity(64 << 10),
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

    /// Reads exactly `buf.len()` bytes; Ok(false) on a clean end of stream before the first byte.
    fn fill(&mut self, n: usize, what: &'static str, eof_ok: bool) -> Result<bool, ScapError> {
        reclaim(&mut self.block, n);
        self.block.resize(n, 0);
        let mut got = 0;
        while got < n {
            match self.input.read(&mut self.block[got..n]) {
                Ok(0) => {
                    if got == 0 && eof_ok {
                        return Ok(false);
                    }
                    return Err(ScapError::Truncated {
                        offset: self.pos + got as u64,
                        what,
                        needed: (n - got) as u64,
                        available: 0,
                    });
                }
                Ok(k) => got += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(ScapError::Io {
                        offset: self.pos + got as u64,
                        source,
                    });
                }
            }
        }
        Ok(true)
    }

    /// Reads the next block whose type this reader knows into `self.block`, skipping (with a warning)
    /// the others. Returns (type, body offset, body length), or None at the end.
    fn next_block(&mut self) -> Result<Option<(u32, u64, usize)>, ScapError> {
        loop {
            let block_at = self.pos;
            if !self.fill(8, "block header", true)? {
                if !self.started {
                    return Err(ScapError::NotScap {
                        offset: 0,
                        what: "empty file".into(),
                    });
                }
                return Ok(None);
            }
            let btype = u32::from_le_bytes(self.block[0..4].try_into().expect("4"));
            let total = u32::from_le_bytes(self.block[4..8].try_into().expect("4"));
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
            self.fill(body_len + 4, "block body", false)?;
            let trailer =
                u32::from_le_bytes(self.block[body_len..body_len + 4].try_into().expect("4"));
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
            self.stats.blocks += 1;
            self.started = true;
            if is_known(btype) {
                return Ok(Some((btype, body_at, body_len)));
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
                _
            ))
        )
    }

    /// Decodes the current block (call once per block: V1 events are converted in place).
    pub fn current(&mut self) -> Result<Item<'_>, ScapError> {
        let Some((btype, body_at, body_len)) = self.current else {
            return Err(ScapError::corrupt(self.pos, "no current block"));
        };
        let body = &self.block[..body_len];
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
            | bt::EVF_V2_LARGE => {
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
                let event = Event::from_bytes(bytes, cpu)
                    .map_err(|e| ScapError::corrupt(ev_at, format!("event: {e}")))?;
                self.stats.events += 1;
                if event.info().is_none() {
                    self.stats.unknown_event_types += 1;
                }
                Item::Event { event, flags }
            }
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
