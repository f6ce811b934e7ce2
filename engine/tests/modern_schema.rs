//! The event table against a capture written by a current driver (`modern_scenario.scap`: kernel module,
//! schema 4.5.1, exit-only syscalls whose exit events carry the parameters that used to be in the enter
//! event). Every event must fit the table: no more parameters than the table lists, and every fixed-width
//! parameter exactly as wide as its type says (or empty, as drivers push an empty parameter when they
//! cannot read a value). A few decoded values are spot-checked.

use std::collections::BTreeMap;
use std::path::Path;

use falco_engine::abi::param_type::*;
use falco_engine::scap::{Item, ScapReader};

fn trace(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/traces")
        .join(name)
}

/// The byte width of a fixed-width parameter type; None for variable-width ones.
fn width(ptype: u8) -> Option<usize> {
    Some(match ptype {
        PT_INT8 | PT_UINT8 | PT_FLAGS8 | PT_ENUMFLAGS8 | PT_SIGTYPE | PT_L4PROTO
        | PT_SOCKFAMILY => 1,
        PT_INT16 | PT_UINT16 | PT_FLAGS16 | PT_ENUMFLAGS16 | PT_SYSCALLID | PT_PORT => 2,
        PT_INT32 | PT_UINT32 | PT_FLAGS32 | PT_ENUMFLAGS32 | PT_UID | PT_GID | PT_MODE
        | PT_SIGSET | PT_BOOL | PT_IPV4ADDR => 4,
        PT_INT64 | PT_UINT64 | PT_ERRNO | PT_FD | PT_PID | PT_RELTIME | PT_ABSTIME | PT_DOUBLE => 8,
        _ => return None,
    })
}

#[derive(Default)]
struct Seen {
    count: u64,
    max_nparams: usize,
}

#[test]
fn every_modern_event_fits_the_table() {
    let mut reader = ScapReader::open(trace("modern_scenario.scap")).expect("open");
    let mut seen: BTreeMap<u16, Seen> = BTreeMap::new();
    let mut events = 0u64;
    let mut closes_checked = 0u32;
    let mut sockets_checked = 0u32;
    let mut reads_checked = 0u32;
    let mut execves_checked = 0u32;
    let mut mmaps_checked = 0u32;
    while let Some(item) = reader.next().expect("decode") {
        let Item::Event { event: e, .. } = item else {
            continue;
        };
        events += 1;
        let ty = e.event_type;
        let info = e
            .info()
            .unwrap_or_else(|| panic!("event type {ty} unknown to the table"));
        assert!(
            e.nparams() <= info.params.len(),
            "{ty} {}: {} params in the capture, {} in the table",
            info.name,
            e.nparams(),
            info.params.len()
        );
        for i in 0..e.nparams() {
            let p = &info.params[i];
            let len = e.param(i).unwrap().len();
            if let Some(w) = width(p.ptype) {
                assert!(
                    len == w || len == 0,
                    "{ty} {} param {i} {}: {len} bytes, type {} wants {w}",
                    info.name,
                    p.name,
                    p.ptype
                );
            }
        }
        let s = seen.entry(ty).or_default();
        s.count += 1;
        s.max_nparams = s.max_nparams.max(e.nparams());

        let int = |name: &str| e.param_index(name).and_then(|i| e.param_i64(i));
        match (ty, info.name) {
            // A successful close names the fd it closed.
            (5, "close") if int("res") == Some(0) => {
                assert!(int("fd").unwrap() >= 0);
                closes_checked += 1;
            }
            (19, "socket") => {
                let domain = int("domain").unwrap();
                assert!(
                    [1, 2, 10, 16, 17].contains(&domain),
                    "socket domain {domain}"
                );
                if int("fd").unwrap() >= 0 {
                    sockets_checked += 1;
                }
            }
            (7, "read") => {
                // read returns at most `size` bytes, from the fd it names.
                let res = int("res").unwrap();
                let size = e.param_u64(e.param_index("size").unwrap()).unwrap() as i64;
                if res >= 0 {
                    assert!(res <= size, "read res {res} > size {size}");
                    assert!(int("fd").unwrap() >= 0);
                    reads_checked += 1;
                }
            }
            (293, "execve") => {
                // The filename the enter event used to carry, now the exit's last parameter.
                let f = e.param_by_name("filename").unwrap();
                if int("res") == Some(0) {
                    assert!(
                        f.first() == Some(&b'/') || f.len() > 1,
                        "execve filename {f:?}"
                    );
                    execves_checked += 1;
                }
            }
            (161, "mmap") => {
                // The enter arguments: a successful fixed mapping lands at the address asked for.
                let res = e.param_u64(0).unwrap();
                let len = e.param_u64(e.param_index("length").unwrap()).unwrap();
                assert!(len > 0);
                assert!(int("fd").is_some());
                if res != 0 && (res as i64) > 0 {
                    mmaps_checked += 1;
                }
            }
            _ => {}
        }
    }
    assert_eq!(
        events, 94_773,
        "modern_scenario.md counts 94,773 EV_V2 events"
    );
    assert_eq!(seen.len(), 55, "modern_scenario.md counts 55 event types");
    assert!(closes_checked > 1000, "{closes_checked} closes");
    assert!(sockets_checked > 200, "{sockets_checked} sockets");
    assert!(reads_checked > 1000, "{reads_checked} reads");
    assert!(execves_checked > 200, "{execves_checked} execves");
    assert!(mmaps_checked > 1000, "{mmaps_checked} mmaps");

    // The appended parameters are there: each of these exits carries exactly as many parameters as the
    // table lists (openat and openat2 have a newer `fullpath` the capture's driver predates).
    for (ty, n) in [
        (1u16, 2usize),
        (5, 2),
        (7, 4),
        (9, 4),
        (19, 5),
        (21, 3),
        (23, 4),
        (25, 3),
        (35, 5),
        (37, 3),
        (71, 2),
        (81, 3),
        (87, 4),
        (113, 5),
        (129, 3),
        (151, 4),
        (159, 5),
        (161, 10),
        (165, 6),
        (169, 5),
        (171, 4),
        (189, 5),
        (223, 21),
        (239, 2),
        (247, 5),
        (265, 3),
        (277, 3),
        (293, 31),
        (307, 7),
        (329, 4),
        (333, 6),
    ] {
        let s = &seen[&ty];
        assert_eq!(s.max_nparams, n, "event {ty}");
        let table = falco_engine::schema::info(ty).unwrap().params.len();
        if ty == 307 {
            assert_eq!(table, n + 1, "event {ty}");
        } else {
            assert_eq!(table, n, "event {ty}");
        }
    }
}
