//! The falco daemon end to end: replays of the shipped traces with test rules, every output channel
//! against a real receiver, rule selection, listings, signals, statistics, the webserver, -w.
//!
//! Long-running cases read the capture from a FIFO the test feeds in pieces, so signals land between
//! known events.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn falco_bin() -> &'static str {
    env!("CARGO_BIN_EXE_falco")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn trace(name: &str) -> PathBuf {
    repo().join("tests/traces").join(name)
}

fn test_rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/trace_rules.yaml")
}

/// A scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("falco-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A quiet configuration: stdout alerts only, no webserver, no syslog, no file watching. Top-level
/// keys of `extra` replace these defaults.
fn config(dir: &Path, extra: &str) -> PathBuf {
    let p = dir.join("falco.yaml");
    let base = [
        ("stdout_output", "stdout_output:\n  enabled: true\n"),
        ("syslog_output", "syslog_output:\n  enabled: false\n"),
        ("log_syslog", "log_syslog: false\n"),
        ("watch_config_files", "watch_config_files: false\n"),
        ("webserver", "webserver:\n  enabled: false\n"),
    ];
    let mut text = String::new();
    for (key, yaml) in base {
        if !extra.lines().any(|l| l.starts_with(&format!("{key}:"))) {
            text.push_str(yaml);
        }
    }
    text.push_str(extra);
    std::fs::write(&p, text).unwrap();
    p
}

fn falco(cfg: &Path) -> Command {
    let mut c = Command::new(falco_bin());
    c.env("TZ", "UTC")
        .env("FALCO_HOSTNAME", "testhost")
        .arg("-c")
        .arg(cfg);
    c
}

fn run(c: &mut Command) -> Output {
    c.stdin(Stdio::null()).output().expect("falco runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The alert lines of stdout (everything before the drop monitoring block).
fn alerts(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .take_while(|l| !l.starts_with("Syscall event drop monitoring:"))
        .map(str::to_string)
        .collect()
}

fn replay(dir: &Path, extra: &str, trace_name: &str, args: &[&str]) -> Output {
    let cfg = config(dir, extra);
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace(trace_name))
        .args(args));
    assert!(o.status.success(), "falco failed: {}", stderr(&o));
    o
}

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
                "00:17:31.397773899: Error ipv6 datagram (connection=::1:38255->::1:2345 proc=test_ipv6_clien)",
                "00:17:31.399186231: Error ipv6 datagram (connection=::1:38255->::1:2345 proc=test_ipv6_clien)",
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
    let tail = &out[out.find("Syscall event drop monitoring:").unwrap()..];
    assert_eq!(
        tail,
        "Syscall event drop monitoring:\n   - event drop detected: 0 occurrences\n   - num times actions taken: 0\nEvents detected: 3\nRule counts by severity:\n   ERROR: 2\n   DEBUG: 1\nTriggered rules by rule name:\n   ipv6_sendto: 2\n   debug_madvise: 1\n"
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
fn describe_rules_with_capital_l_and_l() {
    let dir = scratch("describe");
    let cfg = config(&dir, "");
    let o = run(falco(&cfg).arg("-r").arg(test_rules()).arg("-L"));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Rule "), "{out}");
    for r in [
        "cat_write",
        "connect_localhost",
        "ipv6_sendto",
        "debug_madvise",
    ] {
        assert!(out.lines().any(|l| l.starts_with(r)), "{r}: {out}");
    }
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args(["-l", "connect_localhost"]));
    let out = stdout(&o);
    assert!(
        out.contains("A connection to the loopback address."),
        "{out}"
    );
    assert_eq!(out.lines().count(), 3);
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args(["-o", "json_output=true", "-L"]));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["rules"].as_array().unwrap().len(), 5);
    assert_eq!(v["rules"][0]["info"]["name"], "cat_write");
    assert_eq!(v["macros"][0]["info"]["name"], "opened_ok");
    assert_eq!(v["lists"][0]["info"]["name"], "shell_readers");
    let o = run(falco(&cfg).arg("-r").arg(test_rules()).args(["-l", "nope"]));
    assert!(!o.status.success());
}

#[test]
fn validate_with_capital_v() {
    let dir = scratch("validate");
    let cfg = config(&dir, "");
    let o = run(falco(&cfg).arg("-V").arg(test_rules()));
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains(&format!("{}: Ok", test_rules().display())));
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "- rule: broken\n  desc: d\n  condition: proc.name = \n  output: o\n  priority: WARNING\n",
    )
    .unwrap();
    let o = run(falco(&cfg).arg("-V").arg(&bad));
    assert!(!o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains(&format!("{}: Invalid", bad.display())),
        "{out}"
    );
    assert!(out.contains("broken"), "{out}");
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
fn config_unknown_keys_warn_and_invalid_values_stop() {
    let dir = scratch("config");
    let o = replay(&dir, "surprise_key: 1\n", "cat_write.scap", &[]);
    assert!(
        stderr(&o).contains("unknown configuration key 'surprise_key'"),
        "{}",
        stderr(&o)
    );
    let cfg = config(&dir, "rule_matching: sometimes\n");
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace("cat_write.scap")));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("rule_matching"), "{}", stderr(&o));
}

#[test]
fn shipped_falco_yaml_loads_without_warnings() {
    let dir = scratch("shipped");
    let o = run(Command::new(falco_bin())
        .env("TZ", "UTC")
        .arg("-c")
        .arg(repo().join("falco.yaml"))
        .arg("-r")
        .arg(test_rules())
        .args([
            "-o",
            "webserver.enabled=false",
            "-o",
            "syslog_output.enabled=false",
            "-o",
            "log_syslog=false",
            "-e",
        ])
        .arg(trace("cat_write.scap")));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("unknown configuration key"),
        "{}",
        stderr(&o)
    );
    let _ = dir;
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
fn file_output_appends_alerts() {
    let dir = scratch("file");
    let file = dir.join("events.txt");
    replay(
        &dir,
        &format!(
            "stdout_output:\n  enabled: false\nfile_output:\n  enabled: true\n  keep_alive: false\n  filename: {}\n",
            file.display()
        ),
        "cat_write.scap",
        &[],
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 4);
    assert!(text.ends_with("(file=/dev/null pid=20072 cmd=cat /dev/null)\n"));
}

#[test]
fn syslog_output_reaches_a_unix_socket() {
    let dir = scratch("syslog");
    let sock = dir.join("log.sock");
    let server = UnixDatagram::bind(&sock).unwrap();
    server
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    replay(
        &dir,
        &format!(
            "syslog_output:\n  enabled: true\n  socket: {}\n",
            sock.display()
        ),
        "connect_localhost.scap",
        &[],
    );
    let mut buf = [0u8; 4096];
    let n = server.recv(&mut buf).unwrap();
    let msg = std::str::from_utf8(&buf[..n]).unwrap();
    // Facility user (1), severity notice (5): <13>.
    assert!(msg.starts_with("<13>"), "{msg}");
    assert!(
        msg.ends_with(" falco: 21:27:03.470627540: Notice loopback connect (connection=127.0.0.1:47192->127.0.0.1:80 port=80)"),
        "{msg}"
    );
}

#[test]
fn program_output_with_and_without_keep_alive() {
    for keep in [true, false] {
        let dir = scratch(&format!("program-{keep}"));
        let out = dir.join("out.txt");
        let starts = dir.join("starts.txt");
        let program = format!(
            "echo started >> {}; cat >> {}",
            starts.display(),
            out.display()
        );
        replay(
            &dir,
            &format!(
                "program_output:\n  enabled: true\n  keep_alive: {keep}\n  program: \"{program}\"\n"
            ),
            "cat_write.scap",
            &[],
        );
        let lines = std::fs::read_to_string(&out).unwrap();
        assert_eq!(lines.lines().count(), 4, "keep_alive {keep}");
        let started = std::fs::read_to_string(&starts).unwrap().lines().count();
        assert_eq!(started, if keep { 1 } else { 4 }, "keep_alive {keep}");
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1: records each request (headers, body), answers 200 after
/// `delay`.
fn http_server(delay: Duration) -> (u16, mpsc::Receiver<(String, String)>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut s) = conn else { break };
            let tx = tx.clone();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            let _ = r.read_exact(&mut body);
            std::thread::sleep(delay);
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            if tx
                .send((head, String::from_utf8_lossy(&body).into_owned()))
                .is_err()
            {
                break;
            }
        }
    });
    (port, rx)
}

#[test]
fn http_output_posts_json() {
    let dir = scratch("http");
    let (port, rx) = http_server(Duration::ZERO);
    replay(
        &dir,
        &format!(
            "json_output: true\nhttp_output:\n  enabled: true\n  url: http://127.0.0.1:{port}/alerts\n  user_agent: falco-test/1\n"
        ),
        "connect_localhost.scap",
        &[],
    );
    let (head, body) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(head.starts_with("POST /alerts HTTP/1.1"), "{head}");
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("content-type: application/json"), "{head}");
    assert!(lower.contains("user-agent: falco-test/1"), "{head}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["rule"], "connect_localhost");
    assert_eq!(v["priority"], "Notice");
    assert_eq!(
        v["output_fields"]["fd.name"],
        "127.0.0.1:47192->127.0.0.1:80"
    );
    assert_eq!(v["time"], "2018-04-02T21:27:03.470627540Z");
}

#[test]
fn slow_http_receiver_does_not_slow_replay_and_drops_are_counted() {
    let dir = scratch("slow-http");
    let (port, _rx) = http_server(Duration::from_secs(1));
    let rules = dir.join("busy.yaml");
    std::fs::write(
        &rules,
        "- rule: busy\n  desc: many alerts\n  condition: evt.type in (mmap, mprotect, close, read, fstat) and evt.dir = < and proc.name = curl\n  output: \"busy %evt.type\"\n  priority: NOTICE\n",
    )
    .unwrap();
    let cfg = config(
        &dir,
        &format!(
            "stdout_output:\n  enabled: false\noutput_timeout: 500\noutputs_queue:\n  capacity: 2\nhttp_output:\n  enabled: true\n  url: http://127.0.0.1:{port}/\n"
        ),
    );
    let stats = dir.join("stats.jsonl");
    let t = Instant::now();
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(&rules)
        .arg("-s")
        .arg(&stats)
        .arg("-e")
        .arg(trace("libs_curl_google.scap")));
    let took = t.elapsed();
    assert!(o.status.success(), "{}", stderr(&o));
    let detected: u64 = stdout(&o)
        .lines()
        .find_map(|l| l.strip_prefix("Events detected: "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(detected > 200, "{detected}");
    // Delivered one per second, the alerts would take minutes; the run ends in seconds.
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let text = std::fs::read_to_string(&stats).unwrap();
    let v: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let http = &v["outputs"]["channels"]["http"];
    let dropped = http["dropped"].as_u64().unwrap();
    let sent = http["sent"].as_u64().unwrap();
    assert!(dropped + 10 >= detected, "{http}");
    assert!(sent + dropped + http["errors"].as_u64().unwrap() <= detected);
    assert_eq!(v["outputs"]["queue_drops"].as_u64().unwrap(), dropped);
    assert!(stderr(&o).contains("Outputs queue full for the http output"));
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
    assert!(stdout(&o).contains("   - num times actions taken: "));
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

#[test]
fn version_names_falco_engine_and_probe_versions() {
    let o = run(Command::new(falco_bin()).arg("--version"));
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.starts_with("Falco version: "), "{out}");
    assert!(out.contains("Engine:"), "{out}");
    assert!(out.contains("API version:    1.0.0"), "{out}");
    assert!(out.contains("Schema version: 4.5.1"), "{out}");
}

#[test]
fn list_fields_and_events() {
    let o = run(Command::new(falco_bin()).arg("--list"));
    assert!(stdout(&o).lines().any(|l| l.starts_with("proc.name ")));
    let o = run(Command::new(falco_bin()).args(["--list=syscall", "-N"]));
    assert!(stdout(&o).lines().any(|l| l == "fd.name"));
    let o = run(Command::new(falco_bin()).arg("--list-events"));
    assert!(stdout(&o).lines().any(|l| l.starts_with("> openat(")));
}

/// A falco reading a FIFO the test writes the capture into, piece by piece.
struct Live {
    child: Child,
    fifo: Option<std::fs::File>,
    stderr_lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    stdout_lines: mpsc::Receiver<String>,
    out: Vec<String>,
}

/// Blocks of a capture, decompressed: (offset, length, event ts when an event block).
fn blocks(raw: &[u8]) -> Vec<(usize, usize, Option<u64>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 12 <= raw.len() {
        let ty = u32::from_le_bytes(raw[at..at + 4].try_into().unwrap());
        let len = u32::from_le_bytes(raw[at + 4..at + 8].try_into().unwrap()) as usize;
        let body = &raw[at + 8..at + len - 4];
        let ts = match ty {
            0x204 | 0x216 | 0x221 => Some(u64::from_le_bytes(body[2..10].try_into().unwrap())),
            0x208 | 0x217 | 0x222 => Some(u64::from_le_bytes(body[6..14].try_into().unwrap())),
            _ => None,
        };
        out.push((at, len, ts));
        at += len;
    }
    out
}

fn decompressed(p: &Path) -> Vec<u8> {
    let f = std::fs::File::open(p).unwrap();
    let mut d = flate2::read::MultiGzDecoder::new(f);
    let mut v = Vec::new();
    d.read_to_end(&mut v).unwrap();
    v
}

impl Live {
    fn start(dir: &Path, cfg: &Path, args: &[&str]) -> Live {
        let fifo = dir.join("capture.fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let mut child = falco(cfg)
            .args(args)
            .arg("-e")
            .arg(&fifo)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines_of = |r: Box<dyn Read + Send>| {
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                for l in BufReader::new(r).lines().map_while(Result::ok) {
                    if tx.send(l).is_err() {
                        break;
                    }
                }
            });
            rx
        };
        let rx = lines_of(Box::new(child.stderr.take().unwrap()));
        let out_rx = lines_of(Box::new(child.stdout.take().unwrap()));
        // Opening the write end waits for falco to open the read end.
        let w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        Live {
            child,
            fifo: Some(w),
            stderr_lines: rx,
            seen: Vec::new(),
            stdout_lines: out_rx,
            out: Vec::new(),
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        let f = self.fifo.as_mut().unwrap();
        f.write_all(bytes).unwrap();
        f.flush().unwrap();
    }

    fn wait_log(&mut self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        if self.seen.iter().any(|l| l.contains(needle)) {
            return;
        }
        while Instant::now() < deadline {
            if let Ok(l) = self.stderr_lines.recv_timeout(Duration::from_millis(100)) {
                let hit = l.contains(needle);
                self.seen.push(l);
                if hit {
                    return;
                }
            }
        }
        panic!("no log line with '{needle}' in {:#?}", self.seen);
    }

    /// Waits until stdout has shown `n` lines.
    fn wait_stdout(&mut self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.out.len() < n {
            assert!(Instant::now() < deadline, "stdout so far: {:#?}", self.out);
            if let Ok(l) = self.stdout_lines.recv_timeout(Duration::from_millis(100)) {
                self.out.push(l);
            }
        }
    }

    fn signal(&self, sig: i32) {
        // SAFETY: signalling our own child.
        unsafe {
            libc::kill(self.child.id() as i32, sig);
        }
    }

    fn finish(mut self) -> (String, Vec<String>) {
        drop(self.fifo.take());
        let status = self.child.wait().unwrap();
        self.out.extend(self.stdout_lines.iter());
        let mut out = self.out.join("\n");
        out.push('\n');
        self.seen.extend(self.stderr_lines.try_iter());
        assert!(status.success(), "{:#?}", self.seen);
        (out, self.seen)
    }
}

/// cat_write.scap split after the event of its second alert: (head, one quiet event, rest).
fn cat_write_pieces() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let raw = decompressed(&trace("cat_write.scap"));
    let b = blocks(&raw);
    let second_alert_ts = 1_470_327_477_881_799_840u64;
    let i = b
        .iter()
        .rposition(|(_, _, ts)| *ts == Some(second_alert_ts))
        .unwrap();
    let split = b[i].0 + b[i].1;
    let quiet_end = b[i + 1].0 + b[i + 1].1;
    (
        raw[..split].to_vec(),
        raw[split..quiet_end].to_vec(),
        raw[quiet_end..].to_vec(),
    )
}

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
        .take_while(|l| !l.starts_with("Syscall"))
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
        .take_while(|l| !l.starts_with("Syscall"))
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

fn http_get(port: u16, path: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = String::new();
    s.read_to_string(&mut r).unwrap();
    let status = r.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = r
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    (status, body)
}

/// One Prometheus sample: name, labels, value.
type Sample = (String, Vec<(String, String)>, f64);

/// Parses the Prometheus text format; fails on a malformed line.
fn parse_prometheus(text: &str) -> Vec<Sample> {
    let mut out = Vec::new();
    let mut typed = std::collections::HashSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut it = rest.split_whitespace();
            let name = it.next().unwrap();
            let kind = it.next().unwrap();
            assert!(["counter", "gauge", "untyped", "histogram", "summary"].contains(&kind));
            assert!(
                typed.insert(name.to_string()),
                "second TYPE line for {name}"
            );
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap();
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value: {line}"));
        let (name, labels) = match series.split_once('{') {
            Some((n, l)) => {
                let l = l.strip_suffix('}').unwrap_or_else(|| panic!("{line}"));
                let mut labels = Vec::new();
                let mut rest = l;
                while !rest.is_empty() {
                    let (k, v) = rest.split_once("=\"").unwrap_or_else(|| panic!("{line}"));
                    let mut val = String::new();
                    let mut chars = v.char_indices();
                    let mut end = None;
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '\\' => {
                                let (_, e) = chars.next().unwrap();
                                val.push(if e == 'n' { '\n' } else { e });
                            }
                            '"' => {
                                end = Some(i);
                                break;
                            }
                            c => val.push(c),
                        }
                    }
                    let end = end.unwrap_or_else(|| panic!("{line}"));
                    labels.push((k.to_string(), val));
                    rest = v[end + 1..].strip_prefix(',').unwrap_or(&v[end + 1..]);
                }
                (n.to_string(), labels)
            }
            None => (series.to_string(), Vec::new()),
        };
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{line}"
        );
        out.push((name, labels, value));
    }
    out
}

#[test]
fn webserver_healthz_and_prometheus_metrics() {
    let dir = scratch("webserver");
    let cfg = config(&dir, "");
    let mut child = falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args([
            "-o",
            "webserver.enabled=true",
            "-o",
            "webserver.listen_address=127.0.0.1",
            "-o",
            "webserver.listen_port=0",
            "-o",
            "webserver.prometheus_metrics_enabled=true",
            "-M",
            "4",
            "-e",
        ])
        .arg(trace("cat_write.scap"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = BufReader::new(child.stderr.take().unwrap());
    let mut port = 0;
    let mut lines = err.lines();
    for l in lines.by_ref() {
        let l = l.unwrap();
        if let Some(addr) = l.split("listening on ").nth(1) {
            port = addr.rsplit(':').next().unwrap().trim().parse().unwrap();
            break;
        }
    }
    assert!(port > 0);
    std::thread::spawn(move || for _ in lines {});
    let (status, body) = http_get(port, "/healthz");
    assert_eq!(status, 200);
    assert!(body.contains("ok"));
    // The replay of a small trace is done well within the -M window; wait for its counters.
    let deadline = Instant::now() + Duration::from_secs(3);
    let samples = loop {
        let (status, text) = http_get(port, "/metrics");
        assert_eq!(status, 200);
        let samples = parse_prometheus(&text);
        let done = samples
            .iter()
            .any(|(n, _, v)| n == "falcosecurity_falco_events_processed_total" && *v == 345.0);
        if done || Instant::now() > deadline {
            break samples;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let get = |name: &str| {
        samples
            .iter()
            .filter(|(n, _, _)| n == name)
            .collect::<Vec<_>>()
    };
    let matches = get("falcosecurity_falco_rules_matches_total");
    assert_eq!(matches.len(), 1, "{samples:?}");
    let labels = &matches[0].1;
    assert!(labels.contains(&("rule_name".into(), "cat_write".into())));
    assert!(labels.contains(&("priority".into(), "4".into())));
    assert!(labels.contains(&("tag_filesystem".into(), "true".into())));
    assert_eq!(matches[0].2, 4.0);
    assert_eq!(get("falcosecurity_scap_n_drops_buffer_total")[0].2, 0.0);
    assert_eq!(
        get("falcosecurity_falco_outputs_queue_num_drops_total")[0].2,
        0.0
    );
    assert_eq!(get("falcosecurity_scap_n_evts_total")[0].2, 345.0);
    assert_eq!(
        get("falcosecurity_falco_version_info")[0].1[0],
        ("version".to_string(), env!("CARGO_PKG_VERSION").to_string())
    );
    let (status, _) = http_get(port, "/nope");
    assert_eq!(status, 404);
    assert!(child.wait().unwrap().success());
}
