//! Bad captures never crash the reader, the state engine or the renderer, and every error names the
//! byte offset where decoding failed. Random truncations and corruptions of the shipped traces.

use std::io::Read;
use std::path::Path;

use falco_engine::fields::{FIELDS, Field};
use falco_engine::inspector::Inspector;
use falco_engine::render::{RenderOpts, render_args};
use falco_engine::scap::{ScapError, ScapReader};
use proptest::prelude::*;

fn decompressed(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/traces")
        .join(name);
    let raw = std::fs::read(path).unwrap();
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&raw[..])
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Reads everything, renders every event and extracts every field; returns the error, if any.
fn exercise(bytes: Vec<u8>) -> Option<ScapError> {
    let reader = match ScapReader::from_reader(std::io::Cursor::new(bytes)) {
        Ok(r) => r,
        Err(e) => return Some(e),
    };
    let mut insp = Inspector::new(reader);
    let fields: Vec<Field> = FIELDS
        .iter()
        .filter(|f| f.arg == falco_engine::fields::ArgKind::None)
        .map(|f| Field::parse(f.name, None).unwrap())
        .collect();
    let mut s = String::new();
    loop {
        match insp.next() {
            Ok(Some(p)) => {
                let ctx = p.ctx();
                s.clear();
                render_args(&mut s, &p.event, p.state, &RenderOpts::default());
                for f in &fields {
                    let _ = f.extract(&ctx);
                }
            }
            Ok(None) => return None,
            Err(e) => return Some(e),
        }
    }
}

fn check_error(e: Option<ScapError>) {
    if let Some(e) = e {
        let msg = e.to_string();
        assert!(
            e.offset().is_some() && msg.contains("offset"),
            "error without offset: {msg}"
        );
    }
}

const TRACES: &[&str] = &[
    "cat_write.scap",
    "libs_curl_google.scap",
    "libs_single_ipv6_conn.scap",
    "open-multiple-files.scap",
    "ping_sendto.scap",
    "syscall.scap",
    "empty.scap",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn truncated_traces_fail_cleanly(trace in 0..TRACES.len(), cut in 0.0f64..1.0) {
        let bytes = decompressed(TRACES[trace]);
        let at = (bytes.len() as f64 * cut) as usize;
        let err = exercise(bytes[..at].to_vec());
        check_error(err);
    }

    #[test]
    fn corrupted_traces_fail_cleanly(
        trace in 0..TRACES.len(),
        flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 1..16),
    ) {
        let mut bytes = decompressed(TRACES[trace]);
        for (pos, val) in flips {
            let i = ((bytes.len() - 1) as f64 * pos) as usize;
            bytes[i] = val;
        }
        check_error(exercise(bytes));
    }

    #[test]
    fn corrupted_gzip_fails_cleanly(trace in 0..TRACES.len(), pos in 0.0f64..1.0, val in any::<u8>()) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/traces").join(TRACES[trace]);
        let mut raw = std::fs::read(path).unwrap();
        let i = ((raw.len() - 1) as f64 * pos) as usize;
        raw[i] = val;
        check_error(exercise(raw));
    }
}

/// The modern capture, corrupted: newer event layouts take the same paths.
#[test]
fn modern_capture_corruptions_fail_cleanly() {
    let base = decompressed("modern_scenario.scap");
    let mut seed = 0x9e3779b97f4a7c15u64;
    for _ in 0..24 {
        let mut bytes = base.clone();
        for _ in 0..8 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let i = (seed as usize) % bytes.len();
            bytes[i] = (seed >> 32) as u8;
        }
        check_error(exercise(bytes));
    }
}

#[test]
fn garbage_is_not_a_capture() {
    let e = exercise(b"hello, this is not a capture at all".to_vec()).expect("must fail");
    assert!(e.to_string().contains("offset 0"), "{e}");
    let e = exercise(Vec::new()).expect("empty must fail");
    assert!(e.to_string().contains("empty"), "{e}");
}
