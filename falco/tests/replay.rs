//! Replays of the shipped traces: exact alerts, the exit summary, JSON shape, priorities, rule
//! selection, -o/-e, -M, drop actions, -w, rate limiting and the statistics file.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

#[test]
fn replays_shipped_traces_with_exact_alerts() {
    let dir = scratch("exact");
    let cases: &[(&str, &[&str])] = &[
        (
            "cat_write.scap",
            &[
                "16:17:57.881785348: Warning file opened by reader (file=/etc/ld.so.cache pid=20072 cmd=cat /dev/null)",
                "16:17:57.881799840: Warning file opened by reader (file=/lib/x86_64-linux-gnu/libc.so.6 pid=20072 cmd=cat /dev/null)",
                "16:17:57.882008208: Warning file opened by reader (file=/usr/lib/locale/locale-archive pid=20072 cmd=cat /dev/null)",
                "16:17:57.882054739: Warning file opened by reader (file=/dev/null pid=20072 cmd=cat /dev/null)",
            ],
        ),
        (
            "connect_localhost.scap",
            &[
                "21:27:03.470627540: Notice loopback connect (connection=127.0.0.1:47192->127.0.0.1:80 port=80)",
            ],
        ),
        (
            "syscall.scap",
            &[
                "14:58:20.492510772: Debug madvise by tid 16518",
                "14:58:20.492511778: Debug madvise by tid 16518",
            ],
        ),
        (
            "libs_test_ipv6_client.scap",
            &[
                "00:17:31.397757596: Error ipv6 datagram (connection=::1:0->::1:2345 proc=test_ipv6_clien)",
                "00:17:31.397768066: Error ipv6 datagram (connection=::1:38255->::1:2345 proc=test_ipv6_clien)",
                // The second connect (event 230) goes to [2001:4860:4860::8888]:53, as Falco reads it
                // (tests/decoding.rs: connect_enter_without_an_address_takes_the_exits_destination).
                "00:17:31.397773899: Error ipv6 datagram (connection=::1:38255->2001:4860:4860::8888:53 proc=test_ipv6_clien)",
                "00:17:31.399186231: Error ipv6 datagram (connection=::1:38255->2001:4860:4860::8888:53 proc=test_ipv6_clien)",
            ],
        ),
    ];
    for (t, expected) in cases {
        let o = replay(&dir, "", t, &[]);
        assert_eq!(alerts(&o), *expected, "{t}");
    }
    let o = replay(&dir, "", "open-multiple-files.scap", &[]);
    let a = alerts(&o);
    assert_eq!(a.len(), 13);
    for (i, line) in a.iter().enumerate() {
        assert!(
            line.contains(&format!(
                "Informational python opened /tmp/file-{} (fd=",
                i + 1
            )),
            "{line}"
        );
    }
}

#[test]
fn every_shipped_trace_replays_and_prints_the_summary() {
    let dir = scratch("all-traces");
    let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/traces"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".scap"))
        .collect();
    names.sort();
    assert!(names.len() >= 11, "{names:?}");
    for n in names {
        let o = replay(&dir, "", &n, &[]);
        let out = stdout(&o);
        assert!(out.contains("Events detected: "), "{n}: {out}");
        assert!(out.contains("Rule counts by severity:\n"), "{n}");
        assert!(out.contains("Triggered rules by rule name:\n"), "{n}");
    }
}

#[test]
fn exit_summary_is_in_falcos_layout() {
    let dir = scratch("summary");
    let o = replay(&dir, "", "libs_curl_google.scap", &[]);
    let out = stdout(&o);
    let tail = &out[out.find("Events detected: ").unwrap()..];
    assert_eq!(
        tail,
        "Events detected: 3\nRule counts by severity:\n   ERROR: 2\n   DEBUG: 1\nTriggered rules by rule name:\n   ipv6_sendto: 2\n   debug_madvise: 1\n"
    );
    // The drop monitoring block goes to stderr, as Falco prints it.
    assert!(
        stderr(&o).contains("Syscall event drop monitoring:\n   - event drop detected: 0 occurrences\n   - num times actions taken: 0\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn json_alerts_have_falcos_shape() {
    let dir = scratch("json");
    let o = replay(&dir, "json_output: true\n", "cat_write.scap", &[]);
    let lines = alerts(&o);
    assert_eq!(lines.len(), 4);
    let v: serde_json::Value = serde_json::from_str(&lines[3]).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "hostname",
            "output",
            "output_fields",
            "priority",
            "rule",
            "source",
            "tags",
            "time"
        ]
    );
    assert_eq!(v["hostname"], "testhost");
    assert_eq!(v["rule"], "cat_write");
    assert_eq!(v["priority"], "Warning");
    assert_eq!(v["source"], "syscall");
    assert_eq!(v["tags"], serde_json::json!(["filesystem", "test"]));
    assert_eq!(v["time"], "2016-08-04T16:17:57.882054739Z");
    assert_eq!(
        v["output"],
        "16:17:57.882054739: Warning file opened by reader (file=/dev/null pid=20072 cmd=cat /dev/null)"
    );
    let f = &v["output_fields"];
    assert_eq!(f["fd.name"], "/dev/null");
    assert_eq!(f["proc.pid"], 20072);
    assert_eq!(f["proc.cmdline"], "cat /dev/null");
    assert_eq!(f["evt.time"], 1_470_327_477_882_054_739u64);
}

#[test]
fn priority_threshold_drops_less_severe_rules() {
    let dir = scratch("priority");
    let all = replay(&dir, "", "libs_curl_google.scap", &[]);
    assert_eq!(alerts(&all).len(), 3);
    let o = replay(&dir, "priority: error\n", "libs_curl_google.scap", &[]);
    let a = alerts(&o);
    assert_eq!(a.len(), 2);
    assert!(a.iter().all(|l| l.contains(": Error ipv6 datagram")));
    let o = replay(
        &dir,
        "",
        "libs_curl_google.scap",
        &["-o", "priority=critical"],
    );
    assert!(alerts(&o).is_empty());
}

#[test]
fn rule_selection_with_d_t_and_capital_t() {
    let dir = scratch("select");
    let rules_of = |o: &Output| -> Vec<String> {
        alerts(o)
            .iter()
            .map(|l| l.split(": ").nth(1).unwrap_or("").to_string())
            .collect()
    };
    let o = replay(&dir, "", "libs_curl_google.scap", &["-D", "ipv6"]);
    assert_eq!(rules_of(&o), ["Debug madvise by tid 17498"]);
    let o = replay(&dir, "", "libs_curl_google.scap", &["-D", "^ipv6_.*$"]);
    assert_eq!(alerts(&o).len(), 1);
    let o = replay(&dir, "", "libs_curl_google.scap", &["-T", "network"]);
    assert_eq!(alerts(&o).len(), 1);
    let o = replay(&dir, "", "libs_curl_google.scap", &["-t", "memory"]);
    assert_eq!(rules_of(&o), ["Debug madvise by tid 17498"]);
    let o = replay(&dir, "", "libs_curl_google.scap", &["-t", "ipv6"]);
    assert_eq!(alerts(&o).len(), 2);
    let cfg = config(&dir, "");
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args(["-t", "ipv6", "-D", "x", "-e"])
        .arg(trace("cat_write.scap")));
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("You can not specify both disabled (-D/-T) and enabled (-t) rules")
    );
}

#[test]
fn o_overrides_select_replay_like_e() {
    let dir = scratch("overrides");
    let with_e = replay(&dir, "", "connect_localhost.scap", &[]);
    let cfg = config(&dir, "");
    let capture = format!(
        "engine.replay.capture_file={}",
        trace("connect_localhost.scap").display()
    );
    let with_o = run(falco(&cfg).arg("-r").arg(test_rules()).args([
        "-o",
        "engine.kind=replay",
        "-o",
        &capture,
    ]));
    assert!(with_o.status.success(), "{}", stderr(&with_o));
    assert_eq!(stdout(&with_e), stdout(&with_o));
    // An override that names a bad value stops the start, naming the key.
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args(["-o", "webserver.listen_port=http", "-e"])
        .arg(trace("cat_write.scap")));
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("webserver.listen_port"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn token_bucket_limits_alerts_but_counts_matches() {
    let dir = scratch("rate");
    let stats = dir.join("stats.jsonl");
    let o = replay(
        &dir,
        "outputs:\n  rate: 1\n  max_burst: 5\n",
        "open-multiple-files.scap",
        &["-s", stats.to_str().unwrap()],
    );
    assert_eq!(alerts(&o).len(), 5);
    assert!(stdout(&o).contains("Events detected: 13\n"));
    let last = std::fs::read_to_string(&stats).unwrap();
    let v: serde_json::Value = serde_json::from_str(last.lines().last().unwrap()).unwrap();
    assert_eq!(v["outputs"]["rate_limited"], 8);
}

#[test]
fn stats_file_reports_events_drops_and_matches() {
    let dir = scratch("stats");
    let stats = dir.join("stats.jsonl");
    replay(
        &dir,
        "",
        "cat_write.scap",
        &["-s", stats.to_str().unwrap(), "--stats-interval", "100"],
    );
    let text = std::fs::read_to_string(&stats).unwrap();
    let v: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(v["events"]["processed"], 345);
    assert_eq!(v["rules"]["by_rule"]["cat_write"], 4);
    assert_eq!(v["rules"]["matches_total"], 4);
    assert_eq!(v["rules"]["by_priority"]["Warning"], 4);
    assert_eq!(v["drops"]["total"], 0);
    assert_eq!(v["outputs"]["channels"]["stdout"]["sent"], 4);
}

#[test]
fn w_writes_a_capture_sysdig_reads() {
    let dir = scratch("write");
    let out = dir.join("out.scap");
    let first = replay(&dir, "", "cat_write.scap", &["-w", out.to_str().unwrap()]);
    assert!(out.exists());
    // Replaying what was written gives the same alerts.
    let cfg = config(&dir, "");
    let again = run(falco(&cfg).arg("-r").arg(test_rules()).arg("-e").arg(&out));
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(alerts(&first), alerts(&again));
    // sysdig 0.29 reads it: same number of events as the original.
    if Path::new("/usr/bin/sysdig").exists() {
        let count = |p: &Path| {
            let o = Command::new("sysdig")
                .arg("-r")
                .arg(p)
                .args(["-p", "%evt.num"])
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            String::from_utf8_lossy(&o.stdout).lines().count()
        };
        assert_eq!(count(&out), count(&trace("cat_write.scap")));
    }
}

#[test]
fn m_stops_after_the_duration_of_event_time() {
    let dir = scratch("duration");
    let stats = dir.join("s.jsonl");
    let cfg = config(&dir, "");
    let t = Instant::now();
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args(["-M", "1", "-s"])
        .arg(&stats)
        .arg("-e")
        .arg(trace("modern_scenario.scap")));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&stats)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    let processed = v["events"]["processed"].as_u64().unwrap();
    assert!(processed > 0 && processed < 94_000, "{processed}");
    // After the capture, falco stays up until -M seconds have passed (as Falco does).
    assert!(t.elapsed() >= Duration::from_secs(1));
}

#[test]
fn drop_actions_run_with_simulated_drops() {
    let dir = scratch("drops");
    let o = replay(
        &dir,
        "json_output: true\nsyscall_event_drops:\n  actions: [alert]\n  rate: 100\n  max_burst: 100\n  simulate_drops: true\n",
        "modern_scenario.scap",
        &["-M", "3"],
    );
    let drop_alerts: Vec<serde_json::Value> = alerts(&o)
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["rule"] == "Falco internal: syscall event drop")
        .collect();
    assert!(!drop_alerts.is_empty(), "{}", stdout(&o));
    assert_eq!(drop_alerts[0]["priority"], "Debug");
    assert_eq!(drop_alerts[0]["source"], "internal");
    assert!(stderr(&o).contains("   - num times actions taken: "));
    let cfg = config(
        &dir,
        "syscall_event_drops:\n  actions: [exit]\n  simulate_drops: true\n",
    );
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace("modern_scenario.scap")));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("Falco internal: syscall event drop"));
}
