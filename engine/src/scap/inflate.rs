//! Decompression on a thread of its own: a gzip capture is inflated by a helper thread while the
//! caller decodes, tracks state and matches rules, so inflating (about a fifth of a replay's work)
//! overlaps with the rest. The helper hands over decompressed chunks through a short queue, which
//! bounds the memory it can hold to [`IN_FLIGHT`] chunks of [`CHUNK`] bytes; used chunks go back to
//! it, so nothing is allocated per chunk. Every read that gives data is handed over at once, so a
//! capture arriving through a FIFO is processed as it arrives.

use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Bytes asked of the decompressor at each read.
const CHUNK: usize = 64 << 10;
/// Chunks decompressed ahead of the reader at most.
const IN_FLIGHT: usize = 4;

/// The reading end: decompressed bytes, in order, as [`Read`].
pub struct Inflated {
    chunks: Receiver<io::Result<Vec<u8>>>,
    /// Used chunks, back to the helper.
    used: SyncSender<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
    done: bool,
}

impl Inflated {
    /// Starts a helper thread that reads `input` (a decompressor) to its end or first error.
    pub fn spawn<R: Read + Send + 'static>(input: R) -> io::Result<Inflated> {
        let (tx, chunks) = sync_channel(IN_FLIGHT);
        let (used, back) = sync_channel(IN_FLIGHT + 2);
        std::thread::Builder::new()
            .name("falco-inflate".into())
            .spawn(move || pump(input, tx, back))?;
        Ok(Inflated {
            chunks,
            used,
            chunk: Vec::new(),
            at: 0,
            done: false,
        })
    }
}

/// The helper: reads until the end, an error, or the reader is gone (dropped: the send fails).
fn pump<R: Read>(mut input: R, tx: SyncSender<io::Result<Vec<u8>>>, back: Receiver<Vec<u8>>) {
    loop {
        // A used chunk back from the reader, else a new one.
        let mut buf = back.try_recv().unwrap_or_default();
        buf.resize(CHUNK, 0);
        let n = loop {
            match input.read(&mut buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        };
        if n == 0 {
            // The end: dropping `tx` tells the reader.
            return;
        }
        buf.truncate(n);
        if tx.send(Ok(buf)).is_err() {
            return;
        }
    }
}

impl Read for Inflated {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() {
            if self.done || out.is_empty() {
                return Ok(0);
            }
            match self.chunks.recv() {
                Ok(Ok(next)) => {
                    let old = std::mem::replace(&mut self.chunk, next);
                    // A full return queue only means the helper has enough spare chunks.
                    let _ = self.used.try_send(old);
                    self.at = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    self.done = true;
                    return Ok(0);
                }
            }
        }
        let n = out.len().min(self.chunk.len() - self.at);
        out[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
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

    #[test]
    fn hands_over_every_byte_in_order_then_the_end() {
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut r = Inflated::spawn(Pieces {
            data: data.clone(),
            at: 0,
            fail: false,
        })
        .unwrap();
        let mut got = Vec::new();
        r.read_to_end(&mut got).unwrap();
        assert_eq!(got, data);
        assert_eq!(r.read(&mut [0; 10]).unwrap(), 0);
    }

    #[test]
    fn passes_on_the_error_after_the_data() {
        let mut r = Inflated::spawn(Pieces {
            data: vec![1; 1000],
            at: 0,
            fail: true,
        })
        .unwrap();
        let mut got = Vec::new();
        let e = r.read_to_end(&mut got).unwrap_err();
        assert_eq!(e.to_string(), "broken");
        assert_eq!(got.len(), 1000);
    }

    #[test]
    fn the_helper_stops_when_the_reader_is_dropped() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        // An endless input that says when the helper lets go of it.
        struct Endless(Arc<AtomicBool>);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                buf.fill(0);
                Ok(buf.len())
            }
        }
        impl Drop for Endless {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        let gone = Arc::new(AtomicBool::new(false));
        let mut r = Inflated::spawn(Endless(gone.clone())).unwrap();
        let mut b = [1u8; 10];
        r.read_exact(&mut b).unwrap();
        assert_eq!(b, [0; 10]);
        drop(r);
        for _ in 0..1000 {
            if gone.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the helper thread still holds its input");
    }
}
