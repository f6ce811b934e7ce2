//! Signals during a replay fed through a FIFO, so they land between known events: SIGHUP reloads,
//! SIGUSR1 reopens outputs, SIGTERM flushes; and a daemon waiting for events sleeps.

mod common;

use common::*;
use std::time::{Duration, Instant};

const RULES_BEFORE: &str = "- rule: before\n  desc: d\n  condition: evt.type in (open, openat) and evt.dir = < and proc.name = cat\n  output: \"before %fd.name\"\n  priority: WARNING\n";

const RULES_AFTER: &str = "- rule: after\n  desc: d\n  condition: evt.type in (open, openat) and evt.dir = < and proc.name = cat\n  output: \"after %fd.name\"\n  priority: ERROR\n";

#[test]
fn sighup_reloads_rules_between_events() {
    let dir = scratch("sighup");
    let rules = dir.join("rules.yaml");
    std::fs::write(&rules, RULES_BEFORE).unwrap();
    let cfg = config(&dir, "");
    let (head, quiet, rest) = cat_write_pieces();
    let mut live = Live::start(&dir, &cfg, &["-r", rules.to_str().unwrap()]);
    live.write(&head);
    live.wait_stdout(2);
    std::fs::write(&rules, RULES_AFTER).unwrap();
    live.signal(libc::SIGHUP);
    live.wait_log("switching to them at the next event");
    live.write(&quiet);
    live.wait_log("Reloaded: 1 rules loaded");
    live.write(&rest);
    let (out, _) = live.finish();
    let lines: Vec<&str> = out
        .lines()
        .take_while(|l| !l.starts_with("Events detected: "))
        .collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].ends_with("Warning before /etc/ld.so.cache"),
        "{out}"
    );
    assert!(lines[1].contains("Warning before "), "{out}");
    assert!(
        lines[2].contains("Error after /usr/lib/locale/locale-archive"),
        "{out}"
    );
    assert!(lines[3].ends_with("Error after /dev/null"), "{out}");
    // The summary counts both rule sets.
    assert!(out.contains("   ERROR: 2\n   WARNING: 2\n"), "{out}");
}

#[test]
fn sighup_with_broken_rules_keeps_the_old_ones() {
    let dir = scratch("sighup-broken");
    let rules = dir.join("rules.yaml");
    std::fs::write(&rules, RULES_BEFORE).unwrap();
    let cfg = config(&dir, "");
    let (head, quiet, rest) = cat_write_pieces();
    let mut live = Live::start(&dir, &cfg, &["-r", rules.to_str().unwrap()]);
    live.write(&head);
    live.wait_stdout(2);
    std::fs::write(&rules, "- rule: broken\n  condition: (((\n").unwrap();
    live.signal(libc::SIGHUP);
    live.wait_log("Reload failed, keeping the running configuration and rules");
    live.write(&quiet);
    live.write(&rest);
    let (out, log) = live.finish();
    let lines: Vec<&str> = out
        .lines()
        .take_while(|l| !l.starts_with("Events detected: "))
        .collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines.iter().all(|l| l.contains("Warning before ")), "{out}");
    assert!(log.iter().any(|l| l.contains("rules.yaml")), "{log:#?}");
}

#[test]
fn sigusr1_reopens_the_file_output_for_rotation() {
    let dir = scratch("sigusr1");
    let file = dir.join("events.txt");
    let rotated = dir.join("events.txt.1");
    let cfg = config(
        &dir,
        &format!(
            "file_output:\n  enabled: true\n  keep_alive: true\n  filename: {}\n",
            file.display()
        ),
    );
    let (head, quiet, rest) = cat_write_pieces();
    let mut live = Live::start(&dir, &cfg, &["-r", test_rules().to_str().unwrap()]);
    live.write(&head);
    // Wait for the first two alerts to reach the file, then rotate it away.
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::fs::read_to_string(&file)
        .map(|s| s.lines().count())
        .unwrap_or(0)
        < 2
    {
        assert!(Instant::now() < deadline, "alerts never reached the file");
        std::thread::sleep(Duration::from_millis(20));
    }
    live.wait_log("Enabled outputs");
    std::fs::rename(&file, &rotated).unwrap();
    live.signal(libc::SIGUSR1);
    live.wait_log("SIGUSR1 received, reopening outputs");
    // The reopen is queued ahead of the next alerts on the file output's own thread.
    live.write(&quiet);
    live.write(&rest);
    let (out, log) = live.finish();
    let old = std::fs::read_to_string(&rotated).unwrap();
    assert!(file.exists(), "old: {old}\nstdout: {out}\nlog: {log:#?}");
    let new = std::fs::read_to_string(&file).unwrap();
    assert_eq!(old.lines().count(), 2, "{old}");
    assert_eq!(new.lines().count(), 2, "{new}");
    assert!(new.contains("/usr/lib/locale/locale-archive"));
}

#[test]
fn sigterm_flushes_and_prints_the_summary_and_p_writes_the_pid() {
    let dir = scratch("sigterm");
    let pidfile = dir.join("falco.pid");
    let cfg = config(&dir, "");
    let (head, _, _) = cat_write_pieces();
    let mut live = Live::start(
        &dir,
        &cfg,
        &[
            "-r",
            test_rules().to_str().unwrap(),
            "-P",
            pidfile.to_str().unwrap(),
        ],
    );
    live.write(&head);
    live.wait_stdout(2);
    let pid: u32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(pid, live.child.id());
    live.signal(libc::SIGTERM);
    live.wait_log("SIGTERM received, exiting...");
    // The pipeline notices the stop at its next event.
    live.write(&[]);
    let (out, _) = live.finish();
    assert_eq!(
        out.lines().filter(|l| l.contains("Warning")).count(),
        2,
        "{out}"
    );
    assert!(out.contains("Events detected: 2\n"), "{out}");
    assert!(!pidfile.exists());
}

/// The pipeline checked the stop flag only between events: SIGTERM did nothing while a replay waited
/// on a FIFO that received no more data.
#[test]
fn sigterm_ends_a_replay_blocked_on_a_fifo() {
    let dir = scratch("sigterm-fifo");
    let cfg = config(&dir, "");
    let (head, _, _) = cat_write_pieces();
    let mut live = Live::start(&dir, &cfg, &["-r", test_rules().to_str().unwrap()]);
    live.write(&head);
    live.wait_stdout(2);
    live.signal(libc::SIGTERM);
    let status = live.wait_exit(Duration::from_secs(10));
    assert!(status.is_some(), "falco still runs: {:#?}", live.seen);
    assert!(status.unwrap().success(), "{:#?}", live.seen);
}

/// SIGTERM before any data arrived (falco waiting for the capture header) ends falco as well.
#[test]
fn sigterm_ends_a_replay_waiting_for_its_header() {
    let dir = scratch("sigterm-fifo-header");
    let cfg = config(&dir, "");
    let mut live = Live::start(&dir, &cfg, &["-r", test_rules().to_str().unwrap()]);
    std::thread::sleep(Duration::from_millis(300));
    live.signal(libc::SIGTERM);
    let status = live.wait_exit(Duration::from_secs(10));
    assert!(status.is_some(), "falco still runs: {:#?}", live.seen);
    assert!(status.unwrap().success(), "{:#?}", live.seen);
}

/// With watch_config_files off, the ticker's next wake-up never moved forward: it spun at 100% of a
/// core. The daemon here has every thread running (webserver, metrics, outputs, ticker) and no event
/// to process; its CPU time over 3 s must stay far below the wall time.
#[test]
fn idle_daemon_uses_almost_no_cpu() {
    let dir = scratch("idle");
    let stats = dir.join("stats.jsonl");
    let cfg = config(
        &dir,
        "webserver:\n  enabled: true\n  listen_address: 127.0.0.1\n  listen_port: 0\n  prometheus_metrics_enabled: true\nmetrics:\n  enabled: true\n  interval: 1s\n  output_rule: true\n",
    );
    let mut live = Live::start(
        &dir,
        &cfg,
        &[
            "-r",
            test_rules().to_str().unwrap(),
            "-s",
            stats.to_str().unwrap(),
        ],
    );
    live.write(&capture_head());
    live.wait_log("listening on ");
    let pid = live.pid();
    let before = cpu_ticks(pid);
    let wall = Duration::from_secs(3);
    std::thread::sleep(wall);
    let used = cpu_ticks(pid) - before;
    assert!(live.running(), "{:#?}", live.seen);
    let wall_ticks = wall.as_secs() * clock_ticks();
    eprintln!("idle: {used} CPU ticks in {wall_ticks} ticks of wall time");
    // A spinning thread uses every tick; an idle daemon a few (timers, statistics, metrics).
    assert!(
        used * 20 < wall_ticks,
        "{used} CPU ticks in {wall_ticks} ticks of wall time"
    );
    live.kill();
}
