//! Capture writer in the current format (section 1.2): SHB, MI, IL_V2, UL_V2, PL_V9, FDL_V2, then
//! EV_V2 (or EVF_V2 when an event carries flags). Files open in sysdig and Falco.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use super::block_type as bt;
use super::blocks::{
    self, FdEntry, GroupEntry, Interface, MachineInfo, ProcEntry, UserEntry, UserRecord,
};
use super::error::ScapError;
use super::{SHB_MAGIC, SHB_MAJOR, SHB_MINOR};
use crate::event::Event;

/// Metadata blocks are split past this size (readers refuse blocks above 256 MB).
pub const MAX_WRITTEN_BLOCK: usize = 8 << 20;

/// Where the bytes go: gzip needs an explicit finish to write its trailer and report errors.
enum Sink {
    Plain(Box<dyn Write + Send>),
    Gzip(Box<GzEncoder<Box<dyn Write + Send>>>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(buf),
            Sink::Gzip(w) => w.write(buf),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Sink::Plain(w) => w.write_all(buf),
            Sink::Gzip(w) => w.write_all(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Gzip(w) => w.flush(),
        }
    }
}

/// Writes a capture to any byte sink.
pub struct ScapWriter {
    out: Sink,
    scratch: Vec<u8>,
    events: u64,
}

impl std::fmt::Debug for ScapWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScapWriter")
            .field("events", &self.events)
            .finish()
    }
}

/// The state a capture starts with: what the reader will seed its tables from.
#[derive(Debug, Default, Clone)]
pub struct CaptureHeader {
    pub machine: MachineInfo,
    pub interfaces: Vec<Interface>,
    pub users: Vec<UserEntry>,
    pub groups: Vec<GroupEntry>,
    pub processes: Vec<ProcEntry>,
    /// Open fds, per thread id.
    pub fds: Vec<(i64, Vec<FdEntry>)>,
}

impl ScapWriter {
    /// Creates `path`; gzip-compresses when `gzip` is set (the usual form of .scap files).
    pub fn create(path: impl AsRef<Path>, gzip: bool) -> Result<ScapWriter, ScapError> {
        let path = path.as_ref();
        let file = File::create(path).map_err(|source| ScapError::Open {
            path: path.display().to_string(),
            source,
        })?;
        let buffered = BufWriter::with_capacity(256 << 10, file);
        Ok(Self::new(Box::new(buffered), gzip))
    }

    /// Writes to `out`, gzip-compressed when `gzip` is set.
    pub fn new(out: Box<dyn Write + Send>, gzip: bool) -> ScapWriter {
        let out = if gzip {
            Sink::Gzip(Box::new(GzEncoder::new(out, Compression::fast())))
        } else {
            Sink::Plain(out)
        };
        ScapWriter {
            out,
            scratch: Vec::with_capacity(64 << 10),
            events: 0,
        }
    }

    /// Writes one block of any type as it is (tests use it to build unusual captures).
    pub fn write_block(&mut self, btype: u32, body: &[u8]) -> Result<(), ScapError> {
        self.block(btype, body)
    }

    fn block(&mut self, btype: u32, body: &[u8]) -> Result<(), ScapError> {
        let pad = (4 - body.len() % 4) % 4;
        let total = (12 + body.len() + pad) as u32;
        let w = &mut self.out;
        w.write_all(&btype.to_le_bytes())
            .map_err(ScapError::Write)?;
        w.write_all(&total.to_le_bytes())
            .map_err(ScapError::Write)?;
        w.write_all(body).map_err(ScapError::Write)?;
        w.write_all(&[0u8; 3][..pad]).map_err(ScapError::Write)?;
        w.write_all(&total.to_le_bytes())
            .map_err(ScapError::Write)?;
        Ok(())
    }

    /// Writes the section header and the metadata blocks. Call once, before any event.
    pub fn write_header(&mut self, h: &CaptureHeader) -> Result<(), ScapError> {
        self.write_section()?;
        self.write_machine(&h.machine)?;
        self.write_interfaces(&h.interfaces)?;
        self.write_users(&h.users, &h.groups)?;
        self.write_processes(&h.processes)?;
        for (tid, fds) in &h.fds {
            self.write_fds(*tid, fds)?;
        }
        Ok(())
    }

    /// The section header block, first in every capture.
    pub fn write_section(&mut self) -> Result<(), ScapError> {
        let mut b = Vec::with_capacity(16);
        b.extend_from_slice(&SHB_MAGIC.to_le_bytes());
        b.extend_from_slice(&SHB_MAJOR.to_le_bytes());
        b.extend_from_slice(&SHB_MINOR.to_le_bytes());
        b.extend_from_slice(&u64::MAX.to_le_bytes()); // section length: unknown
        self.block(bt::SHB, &b)
    }

    pub fn write_machine(&mut self, m: &MachineInfo) -> Result<(), ScapError> {
        let mut b = Vec::with_capacity(256);
        m.encode(&mut b);
        self.block(bt::MI, &b)
    }

    pub fn write_interfaces<I: std::borrow::Borrow<Interface>>(
        &mut self,
        list: impl IntoIterator<Item = I>,
    ) -> Result<(), ScapError> {
        self.chunked(bt::IL_V2, &[], list, |i, b| i.borrow().encode_v2(b))
    }

    pub fn write_users<'u>(
        &mut self,
        users: impl IntoIterator<Item = &'u UserEntry>,
        groups: impl IntoIterator<Item = &'u GroupEntry>,
    ) -> Result<(), ScapError> {
        let records = users
            .into_iter()
            .map(|u| UserRecord::User(u.clone()))
            .chain(groups.into_iter().map(|g| UserRecord::Group(g.clone())));
        self.write_user_records(records)
    }

    pub fn write_user_records(
        &mut self,
        records: impl IntoIterator<Item = UserRecord>,
    ) -> Result<(), ScapError> {
        self.chunked(bt::UL_V2, &[], records, |r, b| match r {
            UserRecord::User(u) => blocks::encode_user_v2(&u, b),
            UserRecord::Group(g) => blocks::encode_group_v2(&g, b),
        })
    }

    pub fn write_processes<P: std::borrow::Borrow<ProcEntry>>(
        &mut self,
        list: impl IntoIterator<Item = P>,
    ) -> Result<(), ScapError> {
        self.chunked(bt::PL_V9, &[], list, |p, b| p.borrow().encode_v9(b))
    }

    /// The open fds of process `tid` (nothing when there are none).
    pub fn write_fds<F: std::borrow::Borrow<FdEntry>>(
        &mut self,
        tid: i64,
        fds: impl IntoIterator<Item = F>,
    ) -> Result<(), ScapError> {
        self.chunked(bt::FDL_V2, &tid.to_le_bytes(), fds, |f, b| {
            f.borrow().encode_v2(b)
        })
    }

    /// Writes `items` as blocks of type `btype`, each starting with `prefix`, starting a new block
    /// past [`MAX_WRITTEN_BLOCK`] bytes so any reader takes them (a full thread table does not fit
    /// in one). An empty list writes one block only when there is no prefix (an empty list block).
    fn chunked<T>(
        &mut self,
        btype: u32,
        prefix: &[u8],
        items: impl IntoIterator<Item = T>,
        mut encode: impl FnMut(T, &mut Vec<u8>),
    ) -> Result<(), ScapError> {
        let mut b = Vec::with_capacity(4096);
        b.extend_from_slice(prefix);
        let mut written = false;
        for item in items {
            encode(item, &mut b);
            if b.len() >= MAX_WRITTEN_BLOCK {
                self.block(btype, &b)?;
                written = true;
                b.clear();
                b.extend_from_slice(prefix);
            }
        }
        if b.len() > prefix.len() || (!written && prefix.is_empty()) {
            self.block(btype, &b)?;
        }
        Ok(())
    }

    /// Writes one event (its bytes are copied as they are).
    pub fn write_event(&mut self, e: &Event<'_>, flags: u32) -> Result<(), ScapError> {
        self.write_raw_event(
            e.bytes(),
            e.cpu,
            flags,
            crate::schema::is_large_payload(e.event_type),
        )
    }

    /// Writes one event given its raw bytes in the current layout.
    pub fn write_raw_event(
        &mut self,
        bytes: &[u8],
        cpu: u16,
        flags: u32,
        large: bool,
    ) -> Result<(), ScapError> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        scratch.extend_from_slice(&cpu.to_le_bytes());
        let btype = match (flags != 0, large) {
            (false, false) => bt::EV_V2,
            (false, true) => bt::EV_V2_LARGE,
            (true, false) => bt::EVF_V2,
            (true, true) => bt::EVF_V2_LARGE,
        };
        if flags != 0 {
            scratch.extend_from_slice(&flags.to_le_bytes());
        }
        scratch.extend_from_slice(bytes);
        let r = self.block(btype, &scratch);
        self.scratch = scratch;
        self.events += 1;
        r
    }

    pub fn events_written(&self) -> u64 {
        self.events
    }

    /// Flushes buffered data (and the gzip trailer when the writer is dropped or finished).
    pub fn flush(&mut self) -> Result<(), ScapError> {
        self.out.flush().map_err(ScapError::Write)
    }

    /// Finishes the stream: writes the gzip trailer and flushes.
    pub fn finish(self) -> Result<(), ScapError> {
        let mut inner = match self.out {
            Sink::Plain(w) => w,
            Sink::Gzip(gz) => gz.finish().map_err(ScapError::Write)?,
        };
        inner.flush().map_err(ScapError::Write)
    }
}
