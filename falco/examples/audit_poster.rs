//! Load generator for the k8s_audit webhook (tests/bench/k8s_audit.sh): posts EventList batches
//! built from the audit events of a directory of traces over keep-alive HTTP/1.1 connections,
//! sends a batch again after a 503, and prints the events accepted per second.
//!
//!     audit_poster --port P --events N --batch B --conns C --traces DIR
//!     audit_poster --sink            (a server that reads requests and answers 200: the ceiling)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

/// Every audit Event of the traces, as compact JSON.
fn events(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("traces directory")
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        for line in text.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
                && v.get("kind").and_then(|k| k.as_str()) == Some("Event")
            {
                out.push(v.to_string());
            }
        }
    }
    assert!(!out.is_empty(), "no audit events in {dir}");
    out
}

/// Reads one response; returns its status.
fn read_response(r: &mut BufReader<TcpStream>) -> std::io::Result<u16> {
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut len = 0usize;
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    Ok(status)
}

fn sink() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    println!("sink listening on {}", l.local_addr().unwrap());
    std::io::stdout().flush().unwrap();
    for s in l.incoming().flatten() {
        std::thread::spawn(move || {
            let mut w = s.try_clone().unwrap();
            let mut r = BufReader::new(s);
            loop {
                let mut len = 0usize;
                let mut line = String::new();
                loop {
                    line.clear();
                    match r.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        _ => {}
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err()
                    || w.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                        .is_err()
                {
                    return;
                }
            }
        });
    }
}

fn main() {
    if std::env::args().any(|a| a == "--sink") {
        return sink();
    }
    let port: u16 = arg("--port", "9765").parse().unwrap();
    let total: u64 = arg("--events", "200000").parse().unwrap();
    let batch: usize = arg("--batch", "100").parse().unwrap();
    let conns: usize = arg("--conns", "2").parse().unwrap();
    let evs = events(&arg("--traces", "../shared/upstream/k8s_audit/traces"));
    // A few distinct bodies, cycled: building them is not part of the measure.
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..16)
            .map(|k| {
                let items: Vec<&str> = (0..batch)
                    .map(|i| evs[(k * batch + i) % evs.len()].as_str())
                    .collect();
                format!(
                    r#"{{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[{}]}}"#,
                    items.join(",")
                )
                .into_bytes()
            })
            .collect(),
    );
    let batches = total.div_ceil(batch as u64);
    let next = Arc::new(AtomicU64::new(0));
    let retries = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..conns)
        .map(|_| {
            let (bodies, next, retries) = (bodies.clone(), next.clone(), retries.clone());
            std::thread::spawn(move || {
                let s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                s.set_nodelay(true).unwrap();
                let mut w = s.try_clone().unwrap();
                let mut r = BufReader::new(s);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= batches {
                        return;
                    }
                    let body = &bodies[(i % bodies.len() as u64) as usize];
                    loop {
                        let head = format!(
                            "POST /k8s-audit HTTP/1.1\r\nHost: falco\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                            body.len()
                        );
                        w.write_all(head.as_bytes()).unwrap();
                        w.write_all(body).unwrap();
                        match read_response(&mut r).expect("response") {
                            200 => break,
                            503 => {
                                retries.fetch_add(1, Ordering::Relaxed);
                                std::thread::sleep(Duration::from_millis(1));
                            }
                            s => panic!("status {s}"),
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    let sent = batches * batch as u64;
    println!(
        "posted {sent} events in {batches} batches of {batch} over {conns} connections: {secs:.2} s, {:.0} events/s, {} batches sent again after 503",
        sent as f64 / secs,
        retries.load(Ordering::Relaxed)
    );
}
