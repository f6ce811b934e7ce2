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

/// A datagram socket in `dir` standing for syslog's /dev/log: (its path, the socket).
fn syslog_receiver(dir: &std::path::Path) -> (std::path::PathBuf, UnixDatagram) {
    let sock = dir.join("log.sock");
    let server = UnixDatagram::bind(&sock).unwrap();
    server
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    (sock, server)
}

#[test]
fn syslog_output_reaches_a_unix_socket() {
    let dir = scratch("syslog");
    let (sock, server) = syslog_receiver(&dir);
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
    let (cfg, rules, _rx) = slow_http_queue(&dir, "");
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

/// Process names, arguments and file names went into text alerts raw: an argument holding a newline
/// forged a second alert line in the file output (and a terminal escape reached the terminal).
/// Text alerts are escaped as Falco escapes them (JSON string rules), JSON alerts by JSON rules.
#[test]
fn newline_in_an_argument_does_not_forge_an_alert_line() {
    let dir = scratch("forge");
    let forged = "x\n12:00:00.000000000: Critical forged alert\r";
    let (cap, rules) = gen_capture(&dir, |w| {
        w.spawn(500, "/usr/bin/echo", &[forged, "\u{1b}[2J"])
            .unwrap();
    });
    let file = dir.join("events.txt");
    let o = replay_with(
        &dir,
        &format!(
            "file_output:\n  enabled: true\n  filename: {}\n",
            file.display()
        ),
        &rules,
        &cap,
        &[],
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.ends_with(
            "Warning exec (cmd=echo x\\n12:00:00.000000000: Critical forged alert\\r \\u001b[2J)\n"
        ),
        "{text}"
    );
    assert_eq!(alerts(&o).len(), 1, "{}", stdout(&o));
    // Syslog: one message, escaped as the text alert.
    let (sock, server) = syslog_receiver(&dir);
    replay_with(
        &dir,
        &format!(
            "syslog_output:\n  enabled: true\n  socket: {}\n",
            sock.display()
        ),
        &rules,
        &cap,
        &[],
    );
    let mut buf = [0u8; 4096];
    let n = server.recv(&mut buf).unwrap();
    let msg = std::str::from_utf8(&buf[..n]).unwrap();
    assert!(
        msg.ends_with(
            "Warning exec (cmd=echo x\\n12:00:00.000000000: Critical forged alert\\r \\u001b[2J)"
        ),
        "{msg:?}"
    );
    assert!(!msg.contains(['\n', '\r', '\u{1b}']), "{msg:?}");
    server.set_nonblocking(true).unwrap();
    assert!(server.recv(&mut buf).is_err(), "a second syslog message");
    // JSON: one line, and the value comes back exactly.
    let o = replay_with(&dir, "json_output: true\n", &rules, &cap, &[]);
    let lines = alerts(&o);
    assert_eq!(lines.len(), 1, "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(
        v["output_fields"]["proc.cmdline"],
        format!("echo {forged} \u{1b}[2J")
    );
}

/// File output followed symlinks as root: alerts were appended to whatever the link pointed at.
#[test]
fn file_output_does_not_write_through_a_symlink() {
    let dir = scratch("file-symlink");
    let victim = dir.join("authorized_keys");
    std::fs::write(&victim, "original\n").unwrap();
    let link = dir.join("events.txt");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let cfg = config(
        &dir,
        &format!(
            "file_output:\n  enabled: true\n  keep_alive: true\n  filename: {}\n",
            link.display()
        ),
    );
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace("cat_write.scap")));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "original\n");
    assert!(!o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
}

/// `-w` truncated the target of a symlink.
#[test]
fn w_does_not_truncate_through_a_symlink() {
    let dir = scratch("w-symlink");
    let victim = dir.join("precious");
    std::fs::write(&victim, "original\n").unwrap();
    let link = dir.join("out.scap");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let cfg = config(&dir, "");
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("-w")
        .arg(&link)
        .arg("-e")
        .arg(trace("cat_write.scap")));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "original\n");
    assert!(!o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
}

/// Alert files and captures hold syscall data: they were created 0666 & ~umask (world-readable).
#[test]
fn alert_files_and_captures_are_created_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("mode-0600");
    let file = dir.join("events.txt");
    let cap = dir.join("out.scap");
    let stats = dir.join("stats.jsonl");
    replay(
        &dir,
        &format!(
            "file_output:\n  enabled: true\n  filename: {}\n",
            file.display()
        ),
        "cat_write.scap",
        &["-w", cap.to_str().unwrap(), "-s", stats.to_str().unwrap()],
    );
    for p in [&file, &cap, &stats] {
        let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", p.display());
    }
}

/// One event timestamped at u64::MAX moved the rate limiter's clock to the end of time: every later
/// alert was rate limited.
#[test]
fn event_at_u64_max_does_not_stop_later_alerts_under_outputs_rate() {
    let dir = scratch("rate-u64-max");
    let (cap, rules) = gen_capture(&dir, |w| {
        w.spawn(500, "/usr/bin/true", &["first"]).unwrap();
        let now = w.ts;
        w.ts = u64::MAX - 1_000_000;
        w.spawn(500, "/usr/bin/true", &["at-the-end-of-time"])
            .unwrap();
        for (i, arg) in ["later-1", "later-2", "later-3"].iter().enumerate() {
            w.ts = now + (i as u64 + 1) * 10_000_000_000;
            w.spawn(500, "/usr/bin/true", &[arg]).unwrap();
        }
    });
    let o = replay_with(
        &dir,
        "outputs:\n  rate: 1\n  max_burst: 1\n",
        &rules,
        &cap,
        &[],
    );
    let lines = alerts(&o);
    assert!(
        lines.iter().any(|l| l.ends_with("true later-3)")),
        "{lines:#?}"
    );
    assert!(lines.len() >= 3, "{lines:#?}");
}

/// A full disk left a partial last line in the file output that no counter accounted for, and the
/// summary said nothing of the failed deliveries.
#[test]
fn full_disk_leaves_no_partial_line_and_failures_are_reported() {
    let dir = scratch("full-disk");
    let disk = dir.join("disk");
    let _mount = Tmpfs::mount(&disk, 8192);
    // One of the two pages taken: the alerts file gets the other one.
    std::fs::write(disk.join("filler"), vec![b'x'; 4096]).unwrap();
    let file = disk.join("events.txt");
    let rules = dir.join("busy.yaml");
    std::fs::write(&rules, BUSY_RULES).unwrap();
    let stats = dir.join("stats.jsonl");
    let o = replay_with(
        &dir,
        &format!(
            "stdout_output:\n  enabled: false\nfile_output:\n  enabled: true\n  keep_alive: true\n  filename: {}\n",
            file.display()
        ),
        &rules,
        &trace("libs_curl_google.scap"),
        &["-v", "-s", stats.to_str().unwrap()],
    );
    let text = std::fs::read(&file).unwrap();
    assert!(text.len() > 3000, "{}", text.len());
    assert!(text.ends_with(b"\n"), "partial last line");
    let v: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&stats)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    let ch = &v["outputs"]["channels"]["file"];
    let lines = text.iter().filter(|b| **b == b'\n').count() as u64;
    assert_eq!(ch["sent"].as_u64().unwrap(), lines, "{ch}");
    let detected = v["rules"]["matches_total"].as_u64().unwrap();
    assert_eq!(
        ch["errors"].as_u64().unwrap() + lines + ch["dropped"].as_u64().unwrap(),
        detected,
        "{ch}"
    );
    let err = stderr(&o);
    let failed = ch["errors"].as_u64().unwrap();
    assert!(failed > 0);
    assert!(
        err.contains(&format!("file: sent {lines}, ")) && err.contains(&format!("failed {failed}")),
        "{err}"
    );
}

/// Alerts abandoned at exit ("giving up on N queued alert(s)") were missing from the statistics
/// file and the -v summary, which said dropped = 0.
#[test]
fn alerts_given_up_at_shutdown_are_counted() {
    let dir = scratch("give-up");
    let port = stalled_http_receiver();
    let rules = dir.join("busy.yaml");
    std::fs::write(&rules, BUSY_RULES).unwrap();
    let stats = dir.join("stats.jsonl");
    let o = replay_with(
        &dir,
        &format!(
            "stdout_output:\n  enabled: false\noutput_timeout: 300\nhttp_output:\n  enabled: true\n  url: http://127.0.0.1:{port}/\n  max_consecutive_timeouts: 0\n"
        ),
        &rules,
        &trace("libs_curl_google.scap"),
        &["-v", "-s", stats.to_str().unwrap()],
    );
    let err = stderr(&o);
    assert!(err.contains("giving up on"), "{err}");
    let v: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&stats)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    let ch = &v["outputs"]["channels"]["http"];
    let detected = v["rules"]["matches_total"].as_u64().unwrap();
    let (sent, dropped, errors) = (
        ch["sent"].as_u64().unwrap(),
        ch["dropped"].as_u64().unwrap(),
        ch["errors"].as_u64().unwrap(),
    );
    assert_eq!(sent + dropped + errors, detected, "{ch}");
    assert!(dropped > 0, "{ch}");
    assert!(err.contains(&format!("dropped {dropped}")), "{err}");
}

/// Program outputs were left running after falco exited.
#[test]
fn program_output_children_end_when_falco_exits() {
    let dir = scratch("program-end");
    let pidfile = dir.join("child.pid");
    replay(
        &dir,
        &format!(
            "output_timeout: 300\nprogram_output:\n  enabled: true\n  keep_alive: true\n  program: \"echo $$ > {}; exec sleep 1000 >/dev/null 2>&1\"\n",
            pidfile.display()
        ),
        "cat_write.scap",
        &[],
    );
    let pid: u32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while process_alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let alive = process_alive(pid);
    if alive {
        // SAFETY: ends the test's own leftover child.
        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    }
    assert!(!alive, "program output {pid} still ran after falco exited");
}

/// An http_output client certificate of X.509 version 1 panicked the http output thread: every later
/// alert was lost ("Outputs queue full") and falco exited 0. Such certificates work, as with Falco's
/// libcurl, and reach a receiver that asks for a client certificate.
#[test]
fn mtls_client_certificate_of_x509_v1_delivers_alerts() {
    let dir = scratch("mtls-v1");
    let certs = TestCerts::generate(&dir);
    let rx = tls_receiver(&certs);
    let o = replay_with(
        &dir,
        &format!(
            "json_output: true\nhttp_output:\n  enabled: true\n  url: https://127.0.0.1:{}/\n  ca_cert: {}\n  mtls: true\n  client_cert: {}\n  client_key: {}\n",
            rx.port,
            certs.ca_cert.display(),
            certs.client_v1_cert.display(),
            certs.client_v1_key.display()
        ),
        &test_rules(),
        &trace("cat_write.scap"),
        &["-s", dir.join("stats.jsonl").to_str().unwrap()],
    );
    let mut got = Vec::new();
    while let Ok(r) = rx.requests.recv_timeout(Duration::from_secs(5)) {
        got.push(r);
        if got.len() == 4 {
            break;
        }
    }
    assert_eq!(got.len(), 4, "{}", stderr(&o));
    for r in &got {
        assert_eq!(
            r.client_cert,
            certs.client_v1_der(),
            "the v1 certificate was presented"
        );
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["rule"], "cat_write");
    }
    assert!(!stderr(&o).contains("queue full"), "{}", stderr(&o));
}
