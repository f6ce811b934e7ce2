//! The server's limits against real sockets on 127.0.0.1.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::*;

/// Echoes the path, the query, a header and the body's length; POST bodies up to 1 KiB.
struct Echo;

impl Handler for Echo {
    fn body_policy(&self, head: &RequestHead) -> BodyPolicy {
        if head.method == Method::POST {
            BodyPolicy::Read { max_bytes: 1024 }
        } else {
            BodyPolicy::Ignore
        }
    }

    fn handle(&self, req: Request) -> Response {
        let tag = req
            .head
            .headers
            .get("x-tag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        Response::text(
            200,
            format!(
                "{} {} {} {}",
                req.head.path,
                req.head.query.as_deref().unwrap_or("-"),
                tag,
                req.body.len()
            ),
        )
    }
}

fn server(limits: Limits) -> Server {
    Server::start(
        ServerConfig {
            addr: "127.0.0.1:0".parse().unwrap(),
            threads: 1,
            tls_pem: None,
            limits,
            name: "http-test".into(),
        },
        Arc::new(Echo),
    )
    .unwrap()
}

fn quick() -> Limits {
    Limits {
        max_connections: 4,
        max_head_bytes: 8192,
        max_headers: 8,
        header_read_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_millis(300),
    }
}

/// Sends `req`, then reads until the server closes or 3 s pass.
fn exchange(s: &Server, req: &[u8]) -> String {
    let mut c = TcpStream::connect(s.addr()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let _ = c.write_all(req);
    read_all(&mut c)
}

fn read_all(c: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match c.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

#[test]
fn a_body_within_its_limit_is_read() {
    let s = server(quick());
    let r = exchange(
        &s,
        b"POST /in?x=1 HTTP/1.1\r\nHost: h\r\nX-Tag: t\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789",
    );
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    assert!(r.ends_with("/in x=1 t 10"), "{r}");
}

#[test]
fn a_declared_body_over_the_limit_is_refused_unread() {
    let s = server(quick());
    let t = Instant::now();
    let r = exchange(
        &s,
        b"POST /in HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999\r\n\r\n",
    );
    assert!(r.starts_with("HTTP/1.1 413"), "{r}");
    assert!(t.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_chunked_body_over_the_limit_is_cut_off() {
    let s = server(quick());
    let mut req = b"POST /in HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..4 {
        req.extend_from_slice(b"200\r\n");
        req.extend_from_slice(&[b'a'; 0x200]);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let r = exchange(&s, &req);
    assert!(r.starts_with("HTTP/1.1 413"), "{r}");
}

#[test]
fn a_get_body_is_never_read_and_ends_the_connection() {
    let s = server(quick());
    let r = exchange(
        &s,
        b"GET /x HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999\r\n\r\nabc",
    );
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    assert!(r.to_ascii_lowercase().contains("connection: close"), "{r}");
    // Lengths near u64::MAX are beyond what hyper accepts: a refusal, and the server goes on.
    let r = exchange(
        &s,
        b"GET /x HTTP/1.1\r\nHost: h\r\nContent-Length: 18446744073709551615\r\n\r\n",
    );
    assert!(r.starts_with("HTTP/1.1 4"), "{r}");
    let r = exchange(
        &s,
        b"GET /y HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    assert!(r.ends_with("/y - - 0"), "{r}");
}

#[test]
fn an_oversized_head_or_too_many_headers_get_431() {
    let s = server(quick());
    let mut big = b"GET / HTTP/1.1\r\nHost: h\r\nX-Big: ".to_vec();
    big.extend(std::iter::repeat_n(b'a', 20_000));
    big.extend_from_slice(b"\r\n\r\n");
    assert!(exchange(&s, &big).starts_with("HTTP/1.1 431"));
    let mut many = b"GET / HTTP/1.1\r\nHost: h\r\n".to_vec();
    for i in 0..20 {
        many.extend_from_slice(format!("X-{i}: v\r\n").as_bytes());
    }
    many.extend_from_slice(b"\r\n");
    assert!(exchange(&s, &many).starts_with("HTTP/1.1 431"));
}

#[test]
fn a_slow_head_is_cut_off_at_the_header_read_timeout() {
    let s = server(quick());
    let mut c = TcpStream::connect(s.addr()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    c.write_all(b"GET / HTTP/1.1\r\nHost").unwrap();
    let t = Instant::now();
    let _ = read_all(&mut c);
    let took = t.elapsed();
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(s.counters().timed_out.load(Ordering::Relaxed), 1);
}

#[test]
fn a_slow_body_gets_408_at_the_request_timeout() {
    let s = server(quick());
    let mut c = TcpStream::connect(s.addr()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    c.write_all(b"POST /in HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabc")
        .unwrap();
    let r = read_all(&mut c);
    assert!(r.starts_with("HTTP/1.1 408"), "{r}");
    assert_eq!(s.counters().timed_out.load(Ordering::Relaxed), 1);
}

/// Clients holding every connection slot refused all others, a health probe included: at the
/// limit, the oldest connection now makes room for the new one.
#[test]
fn connections_over_the_limit_evict_the_oldest() {
    let s = server(quick());
    let mut held: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(s.addr()).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    let r = exchange(
        &s,
        b"GET /y HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    assert!(r.ends_with("/y - - 0"), "{r}");
    assert!(t.elapsed() < Duration::from_secs(1));
    // The oldest held connection was closed; the newest still waits for its request.
    let mut oldest = held.remove(0);
    oldest
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    assert_eq!(read_all(&mut oldest), "");
    let newest = held.last_mut().unwrap();
    newest
        .write_all(b"GET /z HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
        .unwrap();
    newest
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let r = read_all(newest);
    assert!(r.ends_with("/z - - 0"), "{r}");
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let s = server(quick());
    let r = exchange(
        &s,
        b"GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    assert!(r.contains("/a - - 0") && r.ends_with("/b - - 0"), "{r}");
}
