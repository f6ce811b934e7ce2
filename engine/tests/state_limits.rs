//! The state's limits (engine/src/state/limits.rs): each holds whichever way data arrives, and the
//! bookkeeping that enforces them costs the same whatever the table's size.

use std::path::PathBuf;
use std::time::Duration;

use falco_engine::scap::blocks::FdDetail;
use falco_engine::scap::writer::CaptureHeader;
use falco_engine::scap::{FdEntry, FdKind, ProcEntry, ScapReader, ScapWriter};
use falco_engine::state::{FdInfo, FdType, MAX_FDS_PER_PROCESS, NulList, State, ThreadInfo};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("falco-limits-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// CPU time this thread has used (utime + stime of /proc/thread-self/stat, in clock ticks of
/// 10 ms).
fn thread_cpu() -> Duration {
    let s = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
    let after_comm = &s[s.rfind(')').unwrap() + 2..];
    let f: Vec<u64> = after_comm
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // Fields 14 and 15 of stat(5); after the comm, indexes 11 and 12.
    Duration::from_millis((f[11] + f[12]) * 10)
}

fn process(tid: i64) -> ThreadInfo {
    let mut t = ThreadInfo::unknown(tid);
    t.incomplete = false;
    t.comm = "worker".into();
    t
}

/// CPU time `n` new threads take to add to a table of `max_threads`, and the state after.
fn add_threads(max_threads: usize, n: i64) -> (Duration, State) {
    let mut s = State::default();
    s.max_threads = max_threads;
    let start = thread_cpu();
    for tid in 0..n {
        s.add_thread(process(tid));
    }
    (thread_cpu() - start, s)
}

/// Once the table is full every new thread evicts one; finding the victim used to scan the whole
/// table (for a placeholder, then for anything), so 450,000 evictions from a table of 50,000
/// cost about 10^10 steps. Now each costs O(1): adding 500,000 threads to a full table of 50,000
/// costs about what adding them to a table with room for all does (measured in the same run, as
/// a ratio, so a loaded machine does not change the verdict; the old scan made it thousands).
#[test]
fn eviction_once_the_table_is_full_does_not_scan_it() {
    let (reference, _) = add_threads(1_000_000, 500_000);
    let (used, s) = add_threads(50_000, 500_000);
    assert_eq!(s.threads.len(), 50_000);
    assert_eq!(s.drops().threads_full, 450_000);
    // The newest stay.
    assert!(s.threads.contains(499_999) && !s.threads.contains(449_999));
    let ratio = used.as_secs_f64() / reference.as_secs_f64().max(0.01);
    eprintln!("full table {used:?}, room for all {reference:?}: ratio {ratio:.2}");
    assert!(ratio < 10.0, "{used:?} against {reference:?}");
}

/// Placeholders (threads seen mid-flight) go before threads known from their start.
#[test]
fn eviction_takes_placeholders_first() {
    let mut s = State::default();
    s.max_threads = 3;
    s.add_thread(process(1));
    s.add_thread(ThreadInfo::unknown(2));
    s.add_thread(process(3));
    s.add_thread(process(4));
    assert!(!s.threads.contains(2));
    assert!(s.threads.contains(1) && s.threads.contains(3) && s.threads.contains(4));
    s.add_thread(process(5));
    assert!(!s.threads.contains(1));
}

/// Past the memory budget the oldest threads go, so per-thread limits times a large table cannot
/// add up to an unbounded total.
#[test]
fn the_memory_budget_holds_whatever_threads_carry() {
    let mut s = State::default();
    s.max_state_bytes = 8 << 20;
    let raw = b"xxxxxxx\0".repeat(1000);
    for tid in 0..20_000 {
        let mut t = process(tid);
        t.args = NulList::from_raw(&raw, 4096);
        t.env = NulList::from_raw(&raw, 4096);
        s.add_thread(t);
        assert!(s.threads.bytes() <= 8 << 20);
    }
    assert!(s.drops().threads_memory > 0);
    assert!(s.threads.contains(19_999));
}

/// A process's fd table is copied to each child it forks: a parent with a full table forking
/// many times is bounded by the budget too.
#[test]
fn forked_fd_tables_count_against_the_budget() {
    let mut s = State::default();
    s.max_state_bytes = 64 << 20;
    s.add_thread(process(1));
    for fd in 0..5000 {
        s.add_fd(
            1,
            fd,
            FdInfo::named(FdType::File, format!("/var/log/{fd:0>200}")),
        );
    }
    assert_eq!(s.thread(1).unwrap().fds.len(), MAX_FDS_PER_PROCESS);
    assert_eq!(s.drops().fds, 5000 - MAX_FDS_PER_PROCESS as u64);
    let table = s.thread(1).unwrap().fds.clone();
    for child in 2..300 {
        let mut c = process(child);
        c.fds = table.clone();
        s.add_thread(c);
        assert!(s.threads.bytes() <= 64 << 20);
    }
    assert!(s.drops().threads_memory > 0);
}

fn fd_entry(fd: i64) -> FdEntry {
    FdEntry {
        fd,
        ino: 0,
        kind: FdKind::FileV2,
        detail: FdDetail::File {
            open_flags: 1,
            name: format!("/data/{fd}"),
            dev: 0,
        },
    }
}

/// Fd lists in a capture's metadata blocks obey the per-process limit like fds from events.
#[test]
fn fd_lists_in_metadata_blocks_obey_the_per_process_limit() {
    let dir = scratch("fdl");
    let path = dir.join("c.scap");
    let mut w = ScapWriter::create(&path, false).unwrap();
    w.write_header(&CaptureHeader {
        processes: vec![ProcEntry {
            tid: 7,
            pid: 7,
            ..ProcEntry::default()
        }],
        fds: vec![(7, (0..3000).map(fd_entry).collect())],
        ..CaptureHeader::default()
    })
    .unwrap();
    // A second list for the same process.
    w.write_fds(7, (3000..6000).map(fd_entry)).unwrap();
    w.finish().unwrap();
    let mut s = State::default();
    let mut r = ScapReader::open(&path).unwrap();
    while let Some(item) = r.next().unwrap() {
        s.seed(&item);
    }
    assert_eq!(s.thread(7).unwrap().fds.len(), MAX_FDS_PER_PROCESS);
    assert_eq!(s.drops().fds, 6000 - MAX_FDS_PER_PROCESS as u64);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A /proc scan of a process with more open fds than the limit keeps the limit's worth.
#[test]
fn a_proc_scan_obeys_the_per_process_limit() {
    let root = scratch("proc");
    let task = root.join("123/task/123");
    std::fs::create_dir_all(&task).unwrap();
    std::fs::write(task.join("status"), "Name:\tmany\nPPid:\t1\n").unwrap();
    let fd_dir = root.join("123/fd");
    std::fs::create_dir_all(&fd_dir).unwrap();
    for fd in 0..MAX_FDS_PER_PROCESS + 100 {
        std::os::unix::fs::symlink("/dev/null", fd_dir.join(fd.to_string())).unwrap();
    }
    let mut s = State::default();
    s.seed_from_proc(&root);
    assert_eq!(s.thread(123).unwrap().fds.len(), MAX_FDS_PER_PROCESS);
    assert_eq!(s.drops().fds, 100);
    let _ = std::fs::remove_dir_all(&root);
}
