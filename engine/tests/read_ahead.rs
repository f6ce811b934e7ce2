//! A capture read ahead on a helper thread (which also decodes batches while the reader is behind)
//! gives the same items, and the same error at the same offset, as one read in the reader's own
//! reads.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use falco_engine::scap::{Item, Reading, ScapReader};

/// The modern trace, decompressed, repeated until the whole is many read-ahead batches (each copy
/// begins with its own section header, as concatenated captures do).
fn big_capture() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/traces/modern_scenario.scap");
    let mut one = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut one)
        .unwrap();
    one.repeat((2_000_000 / one.len()).max(2))
}

/// What a read gave: every item as text (an event with its bytes and each parameter), then the
/// error or "end", and how many events the helper decoded.
struct Outcome {
    items: Vec<String>,
    end: String,
    decoded_ahead: u64,
    unknown_blocks: u64,
}

/// Reads `bytes` whole. Read ahead, the reader pauses now and then, so that the helper gets ahead
/// and decodes what follows.
fn read(bytes: Vec<u8>, reading: Reading) -> Outcome {
    let mut r = ScapReader::from_reader_with(std::io::Cursor::new(bytes), reading).unwrap();
    let mut items = Vec::new();
    let end = loop {
        if reading == Reading::OwnThread && items.len() % 25_000 == 1 {
            std::thread::sleep(Duration::from_millis(50));
        }
        match r.next() {
            Ok(Some(Item::Event { event, flags })) => {
                let params: Vec<_> = (0..event.nparams()).map(|i| event.param(i)).collect();
                items.push(format!("{event:?} {flags} {:?} {params:?}", event.bytes()));
            }
            Ok(Some(other)) => items.push(format!("{other:?}")),
            Ok(None) => break "end".to_string(),
            Err(e) => break e.to_string(),
        }
    };
    Outcome {
        items,
        end,
        decoded_ahead: r.stats().events_decoded_ahead,
        unknown_blocks: r.stats().unknown_blocks,
    }
}

/// Reads `bytes` both ways, checks they agree, and returns the read-ahead one.
fn same_both_ways(bytes: Vec<u8>) -> Outcome {
    let a = read(bytes.clone(), Reading::InReads);
    let b = read(bytes, Reading::OwnThread);
    assert_eq!(a.decoded_ahead, 0);
    assert_eq!(
        a.items.len(),
        b.items.len(),
        "items before the end ({} / {})",
        a.end,
        b.end
    );
    for (i, (x, y)) in a.items.iter().zip(&b.items).enumerate() {
        assert_eq!(x, y, "item {i}");
    }
    assert_eq!(a.end, b.end);
    assert_eq!(a.unknown_blocks, b.unknown_blocks);
    b
}

/// `capture` with a block of a type no reader knows after every `every`th block.
fn with_unknown_blocks(capture: &[u8], every: usize) -> Vec<u8> {
    let unknown = [0x1234u32, 12, 12].map(u32::to_le_bytes).concat();
    let mut out = Vec::new();
    let mut at = 0;
    let mut n = 0;
    while at + 8 <= capture.len() {
        let total = u32::from_le_bytes(capture[at + 4..at + 8].try_into().unwrap()) as usize;
        out.extend_from_slice(&capture[at..at + total]);
        at += total;
        n += 1;
        if n % every == 0 {
            out.extend_from_slice(&unknown);
        }
    }
    out
}

#[test]
fn read_ahead_gives_the_same_events_decoded_on_either_thread() {
    let b = same_both_ways(big_capture());
    assert_eq!(b.end, "end");
    let events = b.items.iter().filter(|i| i.starts_with("Event")).count() as u64;
    // Some batches decoded by the helper, some (the first ones at least) by the reader.
    assert!(
        b.decoded_ahead > 0 && b.decoded_ahead < events,
        "{} of {events} decoded ahead",
        b.decoded_ahead
    );
}

/// Unknown blocks are skipped by the reader (with a warning) wherever they fall, also in batches
/// the helper decoded: the blocks after one are still matched to what the helper decoded of them.
#[test]
fn read_ahead_skips_unknown_blocks_as_reading_in_place_does() {
    let b = same_both_ways(with_unknown_blocks(&big_capture(), 7));
    assert_eq!(b.end, "end");
    assert!(b.decoded_ahead > 0 && b.unknown_blocks > 1000);
}

#[test]
fn read_ahead_reports_corruption_as_reading_in_place_does() {
    let base = big_capture();
    let n = base.len();
    // Cut at several places (mid-header, mid-body), far past the first batches.
    for cut in [n / 2 + 3, n * 3 / 4 + 1, n - 5] {
        let b = same_both_ways(base[..cut].to_vec());
        assert!(b.end.contains("offset"), "{}", b.end);
    }
    // Bytes overwritten late in the capture: lengths, trailers, parameter tables.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..6 {
        let mut bytes = base.clone();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let at = n / 2 + (seed as usize) % (n / 2);
        bytes[at] = (seed >> 40) as u8;
        bytes[at.saturating_sub(1)] ^= 0xff;
        same_both_ways(bytes);
    }
}
