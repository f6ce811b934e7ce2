//! `-w FILE`: every event the source delivers is written to a gzip scap capture, on a thread of its
//! own, while detection goes on. The pipeline copies event bytes into reusable 1 MiB chunks (no
//! allocation per event once warm) and hands full chunks over; the writer compresses and writes them.
//! The header is the tracked state at the first event, so readers of the capture start where falco
//! started.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, bounded};
use falco_engine::event::Event;
use falco_engine::scap::ScapWriter;
use falco_engine::scap::writer::CaptureHeader;
use falco_engine::state::State;

const CHUNK_BYTES: usize = 1 << 20;
const CHUNKS: usize = 4;
/// Record framing inside a chunk: cpu u16, flags u32, large u8, len u32, then the event bytes.
const RECORD_HEADER: usize = 2 + 4 + 1 + 4;

enum Msg {
    Header(Box<CaptureHeader>),
    Chunk(Vec<u8>),
}

#[derive(Debug, thiserror::Error)]
pub enum CaptureWriteError {
    #[error("cannot write capture {path}: {source}")]
    Scap {
        path: String,
        source: falco_engine::scap::ScapError,
    },
    #[error("the writer of capture {0} stopped unexpectedly; the capture is incomplete")]
    Stopped(String),
}

pub struct CaptureWriter {
    path: PathBuf,
    tx: Option<Sender<Msg>>,
    free: Receiver<Vec<u8>>,
    cur: Vec<u8>,
    header_sent: bool,
    /// Event bytes handed to the writer (before compression).
    written: u64,
    thread: Option<JoinHandle<Result<u64, CaptureWriteError>>>,
}

fn write_chunk(w: &mut ScapWriter, chunk: &[u8]) -> Result<(), falco_engine::scap::ScapError> {
    let mut at = 0;
    while at + RECORD_HEADER <= chunk.len() {
        let cpu = u16::from_le_bytes([chunk[at], chunk[at + 1]]);
        let flags = u32::from_le_bytes(chunk[at + 2..at + 6].try_into().expect("4 bytes"));
        let large = chunk[at + 6] != 0;
        let len = u32::from_le_bytes(chunk[at + 7..at + 11].try_into().expect("4 bytes")) as usize;
        let start = at + RECORD_HEADER;
        w.write_raw_event(&chunk[start..start + len], cpu, flags, large)?;
        at = start + len;
    }
    Ok(())
}

/// The writer thread's work: the header, then every chunk, as they come.
fn write_all(
    w: &mut ScapWriter,
    rx: Receiver<Msg>,
    free_tx: Sender<Vec<u8>>,
    shown: &str,
) -> Result<(), CaptureWriteError> {
    let err = |source| CaptureWriteError::Scap {
        path: shown.to_string(),
        source,
    };
    let mut header_written = false;
    for msg in rx {
        match msg {
            Msg::Header(h) => {
                w.write_header(&h).map_err(err)?;
                header_written = true;
            }
            Msg::Chunk(mut c) => {
                write_chunk(w, &c).map_err(err)?;
                w.flush().map_err(err)?;
                c.clear();
                let _ = free_tx.try_send(c);
            }
        }
    }
    if !header_written {
        w.write_header(&CaptureHeader::default()).map_err(err)?;
    }
    Ok(())
}

impl CaptureWriter {
    /// Creates the file now (so a bad path fails at start; 0600, never through a symbolic link, as
    /// every file falco writes) and starts the writer thread.
    pub fn create(path: &Path) -> Result<CaptureWriter, CaptureWriteError> {
        let shown = path.display().to_string();
        let file = crate::private_file::create(path).map_err(|source| CaptureWriteError::Scap {
            path: shown.clone(),
            source: falco_engine::scap::ScapError::Open {
                path: shown.clone(),
                source,
            },
        })?;
        let mut w = ScapWriter::new(
            Box::new(std::io::BufWriter::with_capacity(256 << 10, file)),
            true,
        );
        let (tx, rx) = bounded::<Msg>(CHUNKS);
        let (free_tx, free_rx) = bounded::<Vec<u8>>(CHUNKS + 1);
        for _ in 0..CHUNKS {
            let _ = free_tx.send(Vec::with_capacity(CHUNK_BYTES + 64 * 1024));
        }
        let thread = std::thread::Builder::new()
            .name("capture-writer".into())
            .spawn(move || {
                let r = write_all(&mut w, rx, free_tx, &shown);
                if let Err(e) = &r {
                    // Said at once: the capture stops here, though detection goes on.
                    crate::logger::error(&format!("{e}; the rest of the capture is lost"));
                }
                r.and_then(|()| {
                    let n = w.events_written();
                    w.finish().map_err(|source| CaptureWriteError::Scap {
                        path: shown.clone(),
                        source,
                    })?;
                    Ok(n)
                })
            })
            .expect("spawning the capture writer");
        let cur = free_rx.recv().expect("a free chunk");
        Ok(CaptureWriter {
            path: path.to_path_buf(),
            tx: Some(tx),
            free: free_rx,
            cur,
            header_sent: false,
            written: 0,
            thread: Some(thread),
        })
    }

    /// Must be called before the event is applied to the state: the first call writes the header.
    #[inline]
    pub fn write(&mut self, state: &State, event: &Event<'_>, flags: u32) {
        if !self.header_sent {
            self.header_sent = true;
            let h = falco_engine::scap::snapshot::capture_header(state);
            if let Some(tx) = &self.tx {
                let _ = tx.send(Msg::Header(Box::new(h)));
            }
        }
        let bytes = event.bytes();
        let large = falco_engine::schema::is_large_payload(event.event_type);
        self.cur.extend_from_slice(&event.cpu.to_le_bytes());
        self.cur.extend_from_slice(&flags.to_le_bytes());
        self.cur.push(u8::from(large));
        self.cur
            .extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        self.cur.extend_from_slice(bytes);
        self.written += bytes.len() as u64;
        if self.cur.len() >= CHUNK_BYTES {
            self.hand_over();
        }
    }

    /// Sends what is buffered to the writer (live sources call this when idle).
    pub fn hand_over(&mut self) {
        if self.cur.is_empty() {
            return;
        }
        // Waits when the writer is behind: a capture file is only useful complete.
        let next = self
            .free
            .recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK_BYTES));
        let full = std::mem::replace(&mut self.cur, next);
        if let Some(tx) = &self.tx {
            let _ = tx.send(Msg::Chunk(full));
        }
    }

    /// Writes what is left, closes the file, and returns the number of events written.
    pub fn finish(mut self) -> Result<u64, CaptureWriteError> {
        if !self.header_sent {
            // No event at all: still a valid (empty) capture.
            self.header_sent = true;
        }
        self.hand_over();
        drop(self.tx.take());
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(CaptureWriteError::Stopped(self.path.display().to_string())),
            None => Ok(0),
        }
    }

    /// Event bytes written so far, before compression.
    pub fn written_bytes(&self) -> u64 {
        self.written
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
