//! Every output channel against a real local receiver: file, syslog, program, http.

mod common;

use common::*;
use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

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
