//! syscall_event_drops (and syscall_event_timeouts) against Falco's behaviour: when it checks, what it counts, which stream
//! each action writes to, the exit status, and Falco's exact messages (scripts grep for them).
//!
//! Replayed captures report no driver drops, in Falco as here, so the actions are driven by
//! `simulate_drops` on a shipped trace spanning several seconds; the expected counts are computed
//! from the trace's event times with Falco's schedule and token bucket.

mod common;

use common::*;
use std::process::Output;

const TRACE: &str = "ping_sendto.scap";
const MSG: &str = "Falco internal: syscall event drop. 1 system calls dropped in last second.";

/// Falco's schedule: the first event sets the first check one second later; an event past the
/// check time (strictly) runs a check and sets the next one second after it.
fn checks(times: &[u64]) -> Vec<u64> {
    let mut next = 0u64;
    let mut at = Vec::new();
    for &t in times {
        if next == 0 {
            next = t + 1_000_000_000;
        } else if next < t {
            next = t + 1_000_000_000;
            at.push(t);
        }
    }
    at
}

/// Falco's token bucket (starts full) over the checks: how many actions it allows.
fn actions(at: &[u64], rate: f64, burst: f64) -> u64 {
    let (mut tokens, mut last, mut n) = (burst, 0u64, 0);
    for &t in at {
        if last != 0 {
            tokens = (tokens + (t - last) as f64 / 1e9 * rate).min(burst);
        }
        last = t;
        if tokens >= 1.0 {
            tokens -= 1.0;
            n += 1;
        }
    }
    n
}

fn run_drops(dir_name: &str, yaml: &str) -> Output {
    let dir = scratch(dir_name);
    let cfg = config(&dir, yaml);
    run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace(TRACE)))
}

fn summary(detected: usize, acted: u64) -> String {
    format!(
        "Syscall event drop monitoring:\n   - event drop detected: {detected} occurrences\n   - num times actions taken: {acted}\n"
    )
}

#[test]
fn drops_ignore_counts_detections_and_actions_and_does_nothing() {
    let at = checks(&event_times(&trace(TRACE)));
    assert!(at.len() >= 3, "the trace must span several seconds: {at:?}");
    let o = run_drops(
        "drops-ignore",
        "log_level: debug\nsyscall_event_drops:\n  actions: [ignore]\n  simulate_drops: true\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    // Falco counts an action for `ignore` too (the bucket allowed it; the action does nothing).
    assert!(
        err.contains(&summary(at.len(), actions(&at, 0.03333, 1.0))),
        "{err}"
    );
    assert!(!err.contains(MSG) && !stdout(&o).contains(MSG), "{err}");
    // Simulated drops are announced on each check, as Falco does.
    assert_eq!(
        err.matches("Simulating syscall event drop").count(),
        at.len()
    );
}

#[test]
fn drops_log_is_a_debug_line_on_stderr() {
    let at = checks(&event_times(&trace(TRACE)));
    let yaml = "syscall_event_drops:\n  actions: [log]\n  rate: 1000\n  max_burst: 1000\n  simulate_drops: true\n";
    let o = run_drops("drops-log", &format!("log_level: debug\n{yaml}"));
    assert!(o.status.success());
    let err = stderr(&o);
    assert_eq!(err.matches(MSG).count(), at.len(), "{err}");
    assert!(err.contains(&summary(at.len(), at.len() as u64)));
    assert!(!stdout(&o).contains(MSG));
    // At the default log level the debug line is not shown (the actions still count).
    let o = run_drops("drops-log-info", yaml);
    assert!(!stderr(&o).contains(MSG));
    assert!(stderr(&o).contains(&summary(at.len(), at.len() as u64)));
}

#[test]
fn drops_alert_is_a_debug_internal_alert_with_falcos_fields() {
    let at = checks(&event_times(&trace(TRACE)));
    let o = run_drops(
        "drops-alert",
        "priority: error\nsyscall_event_drops:\n  actions: [alert]\n  simulate_drops: true\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<String> = alerts(&o).into_iter().filter(|l| l.contains(MSG)).collect();
    // The default bucket (rate .03333, burst 1) allows one action over a few seconds; internal
    // alerts ignore the priority threshold, as Falco's.
    assert_eq!(lines.len() as u64, actions(&at, 0.03333, 1.0), "{lines:?}");
    let fields = "(ebpf_enabled=\"0\" n_drops=\"1\" n_drops_buffer_clone_fork_exit=\"0\" \
        n_drops_buffer_close_exit=\"0\" n_drops_buffer_connect_exit=\"0\" \
        n_drops_buffer_dir_file_exit=\"0\" n_drops_buffer_execve_exit=\"0\" \
        n_drops_buffer_open_exit=\"0\" n_drops_buffer_other_interest_exit=\"0\" \
        n_drops_buffer_proc_exit=\"0\" n_drops_buffer_total=\"0\" n_drops_bug=\"0\" \
        n_drops_page_faults=\"0\" n_drops_scratch_map=\"0\" n_evts=\"0\")";
    assert!(
        lines[0].ends_with(&format!(": Debug {MSG} {fields}")),
        "{}",
        lines[0]
    );
    assert!(!stderr(&o).contains(MSG));
    // JSON: the message as output, every count a string.
    let o = run_drops(
        "drops-alert-json",
        "json_output: true\nsyscall_event_drops:\n  actions: [alert]\n  simulate_drops: true\n",
    );
    let v: serde_json::Value = alerts(&o)
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .find(|v: &serde_json::Value| v["rule"] == "Falco internal: syscall event drop")
        .expect("a drop alert");
    assert_eq!(v["output"], MSG);
    assert_eq!(v["priority"], "Debug");
    assert_eq!(v["source"], "internal");
    assert_eq!(v["output_fields"]["n_drops"], "1");
    assert_eq!(v["output_fields"]["n_evts"], "0");
    assert_eq!(v["output_fields"].as_object().unwrap().len(), 15);
}

#[test]
fn drops_exit_stops_falco_with_falcos_messages_and_status() {
    let o = run_drops(
        "drops-exit",
        "syscall_event_drops:\n  actions: [log, exit]\n  simulate_drops: true\n",
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // Critical, so shown at the default log level; then Falco's exit error.
    let msg = err.find(&format!(": {MSG}\n")).expect(&err);
    let exiting = err.find(": Exiting.\n").expect(&err);
    assert!(msg < exiting);
    assert!(err.contains(&summary(1, 1)), "{err}");
    assert!(
        err.ends_with("Error: Drop manager internal error\n"),
        "{err}"
    );
    // It stopped at the first check: the rest of the trace was not read.
    assert!(stdout(&o).contains("Events detected: "));
}

fn config_error(name: &str, yaml: &str) -> (Option<i32>, String, String) {
    let dir = scratch(name);
    let cfg = config(&dir, yaml);
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace(TRACE)));
    (o.status.code(), stderr(&o), cfg.display().to_string())
}

#[test]
fn drops_ignore_with_log_is_refused_with_falcos_error() {
    let (code, err, cfg) = config_error(
        "drops-ignore-log",
        "syscall_event_drops:\n  actions: [ignore, log]\n",
    );
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "Error: Error reading config file ({cfg}): syscall event drop action \"log\" does not make sense with the \"ignore\" action\n"
        )
    );
}

#[test]
fn drops_threshold_out_of_range_and_negative_are_refused_with_falcos_error() {
    for (name, t) in [
        ("drops-threshold-big", "1.5"),
        ("drops-threshold-neg", "-0.1"),
    ] {
        let (code, err, cfg) =
            config_error(name, &format!("syscall_event_drops:\n  threshold: {t}\n"));
        assert_eq!(code, Some(1), "{t}");
        assert_eq!(
            err,
            format!(
                "Error: Error reading config file ({cfg}): syscall event drops threshold must be a double in the range [0, 1]\n"
            ),
            "{t}"
        );
    }
}

#[test]
fn drops_unknown_action_is_refused_with_falcos_error() {
    let (code, err, cfg) = config_error(
        "drops-unknown",
        "syscall_event_drops:\n  actions: [shout]\n",
    );
    assert_eq!(code, Some(1));
    assert!(err.contains(&format!(
        "Error reading config file ({cfg}): available actions for syscall event drops are \"ignore\", \"log\", \"alert\", and \"exit\""
    )));
}

/// syscall_event_timeouts: a live source with no event for more than `max_consecutives` reads
/// in a row raises Falco's Debug internal alert (whatever the priority threshold), with
/// `last_event_time` "none" before any event, and again after each further run of empty reads.
#[test]
fn timeouts_raise_falcos_debug_alert_after_max_consecutives_empty_reads() {
    let dir = scratch("timeouts");
    // nodriver is live and never has an event: each read is one empty 100 ms turn.
    let cfg = config(
        &dir,
        "engine:\n  kind: nodriver\nsyscall_event_timeouts:\n  max_consecutives: 5\njson_output: true\npriority: critical\n",
    );
    let o = run(falco(&cfg).arg("-r").arg(test_rules()).args(["-M", "3"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let alerts: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .filter(|l| l.contains("timeouts notification"))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Three seconds of 100 ms turns (fewer on a loaded machine): one alert after every 6 empty
    // reads (more than 5 in a row), so at most 5.
    assert!((1..=5).contains(&alerts.len()), "{}", stdout(&o));
    for a in &alerts {
        assert_eq!(a["rule"], "Falco internal: timeouts notification");
        assert_eq!(a["priority"], "Debug");
        assert_eq!(
            a["output"],
            "Falco internal: timeouts notification. 5 consecutive timeouts without event."
        );
        assert_eq!(a["output_fields"]["last_event_time"], "none");
    }
    // Falco writes no log line for it.
    assert!(
        !stderr(&o).contains("consecutive timeouts"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn timeouts_max_consecutives_zero_is_refused_with_falcos_error() {
    let (code, err, cfg) = config_error(
        "timeouts-zero",
        "syscall_event_timeouts:\n  max_consecutives: 0\n",
    );
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "Error: Error reading config file({cfg}): the maximum consecutive timeouts without an event must be an unsigned integer > 0\n"
        )
    );
}
