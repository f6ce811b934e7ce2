//! Hostile captures against the state's limits: each is replayed by a falco child process whose
//! peak RSS (`/usr/bin/time`'s maximum resident set, the VmHWM) and CPU time are measured against the bounds
//! docs/architecture.md documents. The captures are written here with falco-gen's hostile module;
//! none is committed. A watchdog ends a child past twice its bound, so a bound that does not hold
//! fails the test without exhausting the machine.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use falco_gen::hostile;

/// Peak RSS every hostile replay below stays under (docs/architecture.md, "State limits").
const HOSTILE_RSS_BOUND_KB: u64 = 160 << 10;

fn replay_measured(dir: &Path, capture: &Path, rss_bound_kb: u64, timeout: Duration) -> Usage {
    let cfg = config(dir, "");
    let mut c = falco(&cfg);
    c.arg("-r").arg(test_rules()).arg("-e").arg(capture);
    let u = measure(&c, dir, 2 * rss_bound_kb, timeout);
    let err = std::fs::read_to_string(dir.join("stderr")).unwrap_or_default();
    eprintln!(
        "{}: peak RSS {} kB, CPU {:?}, killed: {:?}",
        capture.display(),
        u.peak_rss_kb,
        u.cpu,
        u.killed
    );
    assert!(
        u.killed.is_none(),
        "the watchdog ended falco ({}); stderr: {}",
        u.killed.as_deref().unwrap_or(""),
        tail(&err)
    );
    assert!(u.success, "falco failed: {}", tail(&err));
    assert!(
        u.peak_rss_kb < rss_bound_kb,
        "peak RSS {} kB, bound {rss_bound_kb} kB",
        u.peak_rss_kb
    );
    u
}

fn tail(s: &str) -> &str {
    &s[s.len().saturating_sub(2000)..]
}

/// 140,000 execs, each of which used to scan the whole thread table (20,000 took 15 s of CPU,
/// 140,000 did not finish in 300 s). The cost is measured against 35,000 execs replayed in the
/// same run: linear work makes the ratio about 4 (a larger table misses caches more: about 5 here),
/// the old quadratic scan 16. The watchdog's time limit only guards against a hang.
#[test]
fn execve_storm_of_140000_execs_takes_well_under_a_second_per_10000() {
    let dir = scratch("execve-storm");
    let small = dir.join("storm-35000.scap");
    hostile::execve_storm(&small, 35_000).unwrap();
    let reference = replay_measured(&dir, &small, 512 << 10, Duration::from_secs(120));
    let cap = dir.join("storm.scap");
    hostile::execve_storm(&cap, 140_000).unwrap();
    let u = replay_measured(&dir, &cap, 512 << 10, Duration::from_secs(120));
    let ratio = u.cpu.as_secs_f64() / reference.cpu.as_secs_f64().max(0.01);
    eprintln!(
        "140,000 execs: {:?} CPU, {:.0} execs/s; 35,000: {:?}; ratio {ratio:.1}",
        u.cpu,
        140_000.0 / u.cpu.as_secs_f64().max(0.001),
        reference.cpu
    );
    assert!(ratio < 10.0, "{:?} against {:?}", u.cpu, reference.cpu);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An execve with tens of thousands of one-byte arguments and environment variables, from many
/// threads: each process keeps at most 4096 bytes of each (229 KB of gzip used to take 2.6 GB).
#[test]
fn execve_with_many_one_byte_args_stays_under_the_rss_bound() {
    let dir = scratch("args-bomb");
    let cap = dir.join("args.scap");
    hostile::args_bomb(&cap, 500, 32_767).unwrap();
    replay_measured(&dir, &cap, HOSTILE_RSS_BOUND_KB, Duration::from_secs(120));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Fd lists in metadata blocks far longer than a process may hold (12 MB of gzip used to take
/// 1.6 GB): each process keeps at most 4096 fds, however they arrive.
#[test]
fn fd_lists_in_metadata_blocks_stay_under_the_rss_bound() {
    let dir = scratch("fd-lists");
    let cap = dir.join("fds.scap");
    hostile::fd_list_bomb(&cap, 10, 100_000).unwrap();
    replay_measured(&dir, &cap, HOSTILE_RSS_BOUND_KB, Duration::from_secs(120));
    let _ = std::fs::remove_dir_all(&dir);
}

/// One 128 MB fd-list block of minimal entries: decoded one entry at a time, so memory is the
/// block itself, not millions of decoded entries.
#[test]
fn one_huge_fd_list_block_is_decoded_one_entry_at_a_time() {
    let dir = scratch("fd-block");
    let cap = dir.join("block.scap");
    hostile::fd_block_bomb(&cap, 128 << 20).unwrap();
    replay_measured(&dir, &cap, 320 << 10, Duration::from_secs(120));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Millions of tiny unknown blocks (116 KB of gzip used to pile up 670 MB of warnings): the
/// first warnings are kept, the rest counted.
#[test]
fn warnings_about_tiny_unknown_blocks_are_counted_not_kept() {
    let dir = scratch("unknown-blocks");
    let cap = dir.join("blocks.scap");
    hostile::unknown_blocks(&cap, 5_000_000).unwrap();
    replay_measured(&dir, &cap, HOSTILE_RSS_BOUND_KB, Duration::from_secs(120));
    let err = std::fs::read_to_string(dir.join("stderr")).unwrap();
    let skipped = err.matches("skipped unknown block type").count();
    assert!((1..=100).contains(&skipped), "{skipped} warnings");
    assert!(
        err.contains("4999900 more warnings not shown (5000000 unknown blocks skipped in all)"),
        "{}",
        tail(&err)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// 100,000 container events with distinct ids and long names (1.9 MB of gzip used to take
/// 1.2 GB): the table keeps the newest 16,384, their strings cut to 1 KB.
#[test]
fn container_events_stay_under_the_rss_bound() {
    let dir = scratch("containers");
    let cap = dir.join("containers.scap");
    hostile::container_flood(&cap, 100_000).unwrap();
    replay_measured(&dir, &cap, HOSTILE_RSS_BOUND_KB, Duration::from_secs(120));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two million distinct threads never seen to exit: the table holds 262,144 and evicts the oldest
/// placeholders in constant time.
#[test]
fn two_million_distinct_tids_stay_within_the_thread_table() {
    let dir = scratch("distinct-tids");
    let cap = dir.join("tids.scap");
    hostile::distinct_tids(&cap, 2_000_000).unwrap();
    replay_measured(&dir, &cap, 512 << 10, Duration::from_secs(180));
    let _ = std::fs::remove_dir_all(&dir);
}
