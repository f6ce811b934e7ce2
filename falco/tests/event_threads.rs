//! engine.threads: with two event threads (the capture read, inflated and partly decoded on a
//! thread of its own, engine/src/scap/ahead.rs) the alerts are those of one thread (everything on
//! one), byte for byte, on every shipped trace, on the generator's detections capture and on the
//! shipped traces joined into one gzip capture of 200,000 events, with the default rules and with Falco's 3.2.0 rules files, in JSON with every
//! field, and with `rule_matching: all`.

mod common;

use std::path::{Path, PathBuf};

fn captures(dir: &Path) -> Vec<PathBuf> {
    let mut v = common::shipped_traces();
    // As `make bench-replay` joins them: the traces sysdig reads, in turn and again.
    let listed: Vec<PathBuf> =
        std::fs::read_to_string(common::traces_dir().join("sysdig-readable.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(common::trace)
            .collect();
    let joined = dir.join("joined.scap");
    falco_gen::join::join(&listed, &joined, true, 200_000).unwrap();
    v.push(joined);
    v.push(
        common::repo()
            .join("../shared/upstream/alerts/falco-0.40.0_rules-3.2.0/generator-detections.scap"),
    );
    v
}

fn rule_sets() -> Vec<(&'static str, Vec<PathBuf>)> {
    let upstream = common::repo().join("../shared/upstream/rules/falco-rules-3.2.0");
    vec![
        (
            "default",
            vec![common::repo().join("rules/falco_rules.yaml")],
        ),
        (
            "3.2.0",
            [
                "falco_rules.yaml",
                "falco-incubating_rules.yaml",
                "falco-sandbox_rules.yaml",
            ]
            .iter()
            .map(|f| upstream.join(f))
            .collect(),
        ),
    ]
}

/// stdout of a replay (alerts, then the summary) with `threads` event threads.
fn replay(dir: &Path, extra: &str, rules: &[PathBuf], capture: &Path, threads: u32) -> String {
    let cfg = common::config(
        dir,
        &format!(
            "json_output: true\njson_include_message_property: true\npriority: debug\n{extra}"
        ),
    );
    let mut c = common::falco(&cfg);
    for r in rules {
        c.arg("-r").arg(r);
    }
    c.arg("-o")
        .arg(format!("engine.threads={threads}"))
        .arg("-e")
        .arg(capture);
    let o = common::run(&mut c);
    assert!(
        o.status.success(),
        "{} with {threads} threads: {}",
        capture.display(),
        common::stderr(&o)
    );
    let log = common::stderr(&o);
    let says = format!(
        "({threads} event thread{})",
        if threads == 1 { "" } else { "s" }
    );
    assert!(log.contains(&says), "{log}");
    common::stdout(&o)
}

#[test]
fn two_event_threads_give_the_alerts_of_one_on_every_trace() {
    let dir = common::scratch("event-threads");
    let captures = captures(&dir);
    let mut alerts = 0;
    for (name, rules) in rule_sets() {
        for matching in ["", "rule_matching: all\n"] {
            for cap in &captures {
                let one = replay(&dir, matching, &rules, cap, 1);
                let two = replay(&dir, matching, &rules, cap, 2);
                assert_eq!(
                    one,
                    two,
                    "{} with the {name} rules {matching}",
                    cap.display()
                );
                alerts += one.lines().filter(|l| l.starts_with('{')).count();
            }
        }
    }
    // The comparison is worth something only if the runs alert.
    assert!(alerts > 300, "{alerts} alerts");
}

/// The numbers in "replay: N events read, M of them decoded by the read-ahead thread".
fn read_ahead_line(log: &str) -> (u64, u64) {
    let line = log
        .lines()
        .find(|l| l.contains("replay: ") && l.contains("decoded by the read-ahead thread"))
        .unwrap_or_else(|| panic!("no read-ahead line in {log}"));
    let mut numbers = line
        .split("replay: ")
        .nth(1)
        .unwrap()
        .split(' ')
        .filter_map(|w| w.parse::<u64>().ok());
    (numbers.next().unwrap(), numbers.next().unwrap())
}

#[test]
fn the_end_of_a_replay_logs_the_events_the_read_ahead_thread_decoded() {
    let dir = common::scratch("event-threads-log");
    let joined = dir.join("joined.scap");
    falco_gen::join::join(&[common::trace("syscall.scap")], &joined, true, 50_000).unwrap();
    let mut read = Vec::new();
    for threads in [1, 2] {
        let cfg = common::config(&dir, "log_level: debug\n");
        let mut c = common::falco(&cfg);
        c.arg("-r")
            .arg(common::repo().join("rules/falco_rules.yaml"))
            .arg("-o")
            .arg(format!("engine.threads={threads}"))
            .arg("-e")
            .arg(&joined);
        let o = common::run(&mut c);
        assert!(o.status.success(), "{}", common::stderr(&o));
        let (events, decoded) = read_ahead_line(&common::stderr(&o));
        assert!(events >= 50_000, "{events} events");
        if threads == 1 {
            assert_eq!(decoded, 0, "one thread decodes everything itself");
        } else {
            assert!(decoded <= events, "{decoded} of {events}");
        }
        read.push(events);
    }
    assert_eq!(read[0], read[1], "both read every event");
}
