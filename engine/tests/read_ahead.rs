//! The read-ahead thread (`scap::ReadAhead`) gives what a reader on the caller's thread gives:
//! the same events (bytes, parameters, CPU, flags), the same metadata absorbed into the state, and
//! the same end or error, on every shipped trace and on damaged copies; and it hands over what it
//! has read before it waits for more input.

mod common;

use std::io::{self, Read};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use falco_engine::scap::{Blocks, Inflate, ReadAhead, ScapReader};
use falco_engine::state::State;

/// What a replay sees of a capture: each event (bytes, parameters, cpu, flags), then the threads
/// the state holds and how the reading ended.
fn replay<B: Blocks>(mut blocks: B) -> (Vec<String>, usize, String) {
    let mut state = State::default();
    let mut seen = Vec::new();
    let end = loop {
        match blocks.next_event(&mut state) {
            Ok(Some((e, flags))) => {
                let params: Vec<Option<&[u8]>> = (0..e.nparams()).map(|i| e.param(i)).collect();
                seen.push(format!(
                    "{:?} flags={flags} bytes={:?} params={params:?}",
                    e,
                    e.bytes()
                ));
                state.process(&e);
            }
            Ok(None) => break "end".to_string(),
            Err(err) => break err.to_string(),
        }
    };
    (seen, state.threads.len(), end)
}

fn both(bytes: &[u8]) -> ((Vec<String>, usize, String), (Vec<String>, usize, String)) {
    let here = match ScapReader::from_reader(io::Cursor::new(bytes.to_vec())) {
        Ok(r) => replay(r),
        Err(e) => (Vec::new(), 0, e.to_string()),
    };
    let ahead =
        match ScapReader::from_reader_with(io::Cursor::new(bytes.to_vec()), Inflate::InReads) {
            Ok(r) => replay(ReadAhead::spawn(r).unwrap()),
            Err(e) => (Vec::new(), 0, e.to_string()),
        };
    (here, ahead)
}

fn plain(path: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut out)
        .map(|_| out)
        .unwrap_or_else(|_| std::fs::read(path).unwrap())
}

#[test]
fn read_ahead_gives_the_events_state_and_end_of_a_reader_on_every_trace() {
    let traces = common::shipped_traces();
    assert!(traces.len() > 10);
    for t in traces {
        let raw = std::fs::read(&t).unwrap();
        let (here, ahead) = both(&raw);
        assert!(!here.0.is_empty(), "{}: no events", t.display());
        assert_eq!(here.0.len(), ahead.0.len(), "{}", t.display());
        for (i, (a, b)) in here.0.iter().zip(&ahead.0).enumerate() {
            assert_eq!(a, b, "{}: event {i}", t.display());
        }
        assert_eq!(here.1, ahead.1, "{}: threads", t.display());
        assert_eq!(here.2, ahead.2, "{}: end", t.display());
    }
}

#[test]
fn read_ahead_ends_with_the_reader_s_error_on_damaged_captures() {
    let t = common::root().join("tests/traces/cat_write.scap");
    let raw = plain(&t);
    // Cut at many places, and a block length overwritten at many places: the same events, then
    // the same error with the same byte offset.
    let mut cases: Vec<Vec<u8>> = Vec::new();
    for cut in (0..raw.len()).step_by(raw.len() / 97 + 1) {
        cases.push(raw[..cut].to_vec());
    }
    for at in (8..raw.len()).step_by(raw.len() / 53 + 1) {
        let mut c = raw.clone();
        c[at] ^= 0x5a;
        cases.push(c);
    }
    for (n, c) in cases.iter().enumerate() {
        let (here, ahead) = both(c);
        assert_eq!(here, ahead, "case {n}");
    }
}

/// Bytes in pieces from a channel; a read waits for the next piece, as on a FIFO.
struct Pieces {
    rx: mpsc::Receiver<Vec<u8>>,
    piece: Vec<u8>,
    at: usize,
}

impl Read for Pieces {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.piece.len() {
            match self.rx.recv() {
                Ok(p) => {
                    self.piece = p;
                    self.at = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.piece.len() - self.at);
        buf[..n].copy_from_slice(&self.piece[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn read_ahead_hands_over_what_it_has_before_waiting_for_input() {
    let raw = plain(&common::root().join("tests/traces/cat_write.scap"));
    let (tx, rx) = mpsc::channel();
    // Everything but the last 40 bytes (a part of the last block): the events before it must come
    // while the rest has not arrived.
    let keep = raw.len() - 40;
    tx.send(raw[..keep].to_vec()).unwrap();
    let reader = ScapReader::from_reader_with(
        Pieces {
            rx,
            piece: Vec::new(),
            at: 0,
        },
        Inflate::InReads,
    )
    .unwrap();
    let (all, _, _) = both(&raw).0;
    let (got_tx, got_rx) = mpsc::channel();
    let consumer = std::thread::spawn(move || {
        let mut ahead = ReadAhead::spawn(reader).unwrap();
        let mut state = State::default();
        let mut n = 0;
        while let Some((e, _)) = ahead.next_event(&mut state).unwrap() {
            state.process(&e);
            n += 1;
            got_tx.send(n).unwrap();
        }
        n
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut n = 0;
    while n < all.len() - 1 {
        let left = deadline.saturating_duration_since(Instant::now());
        n = got_rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("only {n} of {} events before the rest", all.len() - 1));
    }
    tx.send(raw[keep..].to_vec()).unwrap();
    drop(tx);
    assert_eq!(consumer.join().unwrap(), all.len());
}
