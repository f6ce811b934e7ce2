//! The embedded webserver: /healthz, /versions and Prometheus /metrics.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn webserver_healthz_and_prometheus_metrics() {
    let dir = scratch("webserver");
    let cfg = config(&dir, "");
    let mut child = falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args(WEBSERVER_ON_LOOPBACK)
        .args(PROMETHEUS)
        .args(["-M", "4", "-e"])
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
    // /versions: Falco's version object, the same keys as --support's engine_info.
    let (status, body) = http_get(port, "/versions");
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).expect(&body);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "default_driver_version",
            "driver_api_version",
            "driver_schema_version",
            "engine_version",
            "engine_version_semver",
            "falco_version",
            "libs_version",
            "plugin_api_version"
        ],
        "{body}"
    );
    assert_eq!(v["engine_version_semver"], "0.62.0");
    // The replay of a small trace is done well within the -M window; wait for its counters.
    let deadline = Instant::now() + Duration::from_secs(3);
    let samples = loop {
        let (status, text) = http_get(port, "/metrics");
        assert_eq!(status, 200);
        let samples = parse_prometheus(&text);
        // Every event counted and the rule's matches with them (the pipeline publishes its
        // counters between events, so one scrape can fall in between).
        let has = |name: &str, want: Option<f64>| {
            samples
                .iter()
                .any(|(n, _, v)| n == name && want.is_none_or(|w| *v == w))
        };
        let done = has("falcosecurity_falco_n_evts_total", Some(345.0))
            && has("falcosecurity_falco_rules_matches_total", None);
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

/// A declared body of ~100 GB on a GET made the old server allocate it when it dropped the unread
/// request: falco aborted.
#[test]
fn huge_content_length_on_healthz_does_not_kill_falco() {
    let dir = scratch("web-huge-length");
    let (mut live, port) = serve(&dir, "");
    raw_http(
        port,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
        Duration::from_secs(3),
    );
    let next = http_get_within(port, "/healthz", Duration::from_secs(10));
    assert!(live.running(), "falco died: {:#?}", live.seen);
    assert_eq!(next.map(|r| r.0), Some(200));
    live.kill();
}

/// A Content-Length of u64::MAX panicked one server thread per request; two left /healthz hanging.
#[test]
fn max_u64_content_length_twice_leaves_healthz_answering() {
    let dir = scratch("web-u64-length");
    let (mut live, port) = serve(&dir, "");
    for _ in 0..2 {
        raw_http(
            port,
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551615\r\n\r\n",
            Duration::from_secs(3),
        );
    }
    let next = http_get_within(port, "/healthz", Duration::from_secs(10));
    assert!(live.running(), "falco died: {:#?}", live.seen);
    assert_eq!(next.map(|r| r.0), Some(200));
    live.kill();
}

/// One thread per connection: 200 connections that never finish their request took 200 threads.
#[test]
fn two_hundred_slow_connections_keep_threads_bounded() {
    let dir = scratch("web-slow");
    let (mut live, port) = serve(&dir, "");
    let pid = live.pid();
    let before = proc_status(pid, "Threads");
    let mut conns = Vec::new();
    for _ in 0..200 {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        // Part of a request head, never finished.
        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n");
        conns.push(s);
    }
    std::thread::sleep(Duration::from_millis(500));
    let during = proc_status(pid, "Threads");
    let answer = http_get_within(port, "/healthz", Duration::from_secs(10));
    drop(conns);
    eprintln!("threads: {before} before, {during} with 200 slow connections");
    assert!(live.running(), "falco died: {:#?}", live.seen);
    assert!(
        during <= before + 2,
        "threads: {before} before, {during} with 200 slow connections"
    );
    assert_eq!(answer.map(|r| r.0), Some(200));
    live.kill();
}

/// 300 slow connections (beyond the 256 the server keeps open) held every slot, and the health
/// probe was refused: the oldest connections now make room for new ones.
#[test]
fn slow_connections_beyond_the_limit_leave_healthz_answering() {
    let dir = scratch("web-slow-300");
    let (mut live, port) = serve(&dir, "");
    let mut conns = Vec::new();
    for _ in 0..300 {
        let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
            continue;
        };
        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n");
        conns.push(s);
    }
    let answer = http_get_within(port, "/healthz", Duration::from_secs(5));
    drop(conns);
    assert!(live.running(), "falco died: {:#?}", live.seen);
    assert_eq!(answer.map(|r| r.0), Some(200));
    live.kill();
}

/// Header lines were buffered without a limit: three 100 MB headers took 300 MB.
#[test]
fn three_huge_headers_keep_peak_rss_bounded() {
    let dir = scratch("web-big-headers");
    let (mut live, port) = serve(&dir, "");
    let pid = live.pid();
    let before = proc_status(pid, "VmHWM");
    let senders: Vec<_> = (0..3)
        .map(|_| {
            std::thread::spawn(move || {
                let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
                    return 0;
                };
                s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
                let chunk = vec![b'a'; 64 << 10];
                let mut sent = 0usize;
                if s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
                    .is_err()
                {
                    return 0;
                }
                while sent < 100 << 20 {
                    if s.write_all(&chunk).is_err() {
                        break;
                    }
                    sent += chunk.len();
                }
                sent
            })
        })
        .collect();
    for s in senders {
        s.join().unwrap();
    }
    let answer = http_get_within(port, "/healthz", Duration::from_secs(10));
    assert!(live.running(), "falco died: {:#?}", live.seen);
    let after = proc_status(pid, "VmHWM");
    eprintln!("peak RSS: {before} kB before, {after} kB after three 100 MB headers");
    // docs/configuration.md: the webserver holds at most its connection limit times the request
    // head limit; 32 MB is far above that and far below one 100 MB header.
    assert!(
        after < before + 32 * 1024,
        "peak RSS: {before} kB before, {after} kB after three 100 MB headers"
    );
    assert_eq!(answer.map(|r| r.0), Some(200));
    live.kill();
}

/// webserver.ssl_enabled serves HTTPS with the key and certificate chain of ssl_certificate (one
/// PEM file, as Falco's falco.pem).
#[test]
fn webserver_serves_https_with_ssl_certificate() {
    let dir = scratch("web-tls");
    let certs = TestCerts::generate(&dir);
    let pem = certs.server_pem();
    let (live, port) = serve(
        &dir,
        &format!(
            "  ssl_enabled: true\n  ssl_certificate: {}\n",
            pem.display()
        ),
    );
    let (status, body) = https_get(port, &certs.ca_cert, "/healthz");
    assert_eq!(status, 200);
    assert_eq!(body, "{\"status\": \"ok\"}");
    // Plain HTTP gets no answer from the TLS port.
    let plain = raw_http(
        port,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(3),
    );
    assert!(!plain.contains("200 OK"), "{plain}");
    live.kill();
}
