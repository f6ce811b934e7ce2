//! A minimal HTTP/1.1 GET over a unix socket: what the docker and podman APIs need. One connection
//! per request (`Connection: close`), the answer read whole with a size bound.

use std::path::Path;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

use crate::error::RuntimeError;

/// Answers larger than this are refused (an inspect answer is a few KiB).
pub const MAX_ANSWER: usize = 4 << 20;

/// GETs `path` on the API at `socket`; the body of a 2xx answer, else an error with the status.
pub async fn get(socket: &Path, path: &str) -> Result<Vec<u8>, RuntimeError> {
    let mut s = UnixStream::connect(socket)
        .await
        .map_err(RuntimeError::Connect)?;
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: falco\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await?;
    let mut raw = Vec::with_capacity(16 * 1024);
    let mut limited = (&mut s).take(MAX_ANSWER as u64 + 1);
    limited.read_to_end(&mut raw).await?;
    if raw.len() > MAX_ANSWER {
        return Err(RuntimeError::TooLarge(MAX_ANSWER));
    }
    let (status, body) = parse_response(&raw)?;
    if !(200..300).contains(&status) {
        let text = String::from_utf8_lossy(&body);
        return Err(RuntimeError::Status {
            status,
            body: text.chars().take(200).collect(),
        });
    }
    Ok(body)
}

/// Status and body of a whole HTTP/1.1 answer (Content-Length, chunked, or up to the end).
pub fn parse_response(raw: &[u8]) -> Result<(u16, Vec<u8>), RuntimeError> {
    let bad = |m: &str| RuntimeError::Http(m.to_string());
    let end = find(raw, b"\r\n\r\n").ok_or_else(|| bad("no end of headers"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| bad("headers are not text"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let mut chunked = false;
    let mut length: Option<usize> = None;
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let v = v.trim();
        if k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked") {
            chunked = true;
        } else if k.eq_ignore_ascii_case("content-length") {
            length = v.parse().ok();
        }
    }
    let rest = &raw[end + 4..];
    let body = if chunked {
        dechunk(rest).ok_or_else(|| bad("bad chunked body"))?
    } else if let Some(n) = length {
        rest.get(..n)
            .ok_or_else(|| bad("body shorter than its length"))?
            .to_vec()
    } else {
        rest.to_vec()
    };
    Ok((status, body))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = find(b, b"\r\n")?;
        let size_text = std::str::from_utf8(&b[..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        let r = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(parse_response(r).unwrap(), (200, b"{}".to_vec()));
        let r = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_response(r).unwrap(), (200, b"abcde".to_vec()));
        let r = b"HTTP/1.1 404 Not Found\r\n\r\nnope";
        assert_eq!(parse_response(r).unwrap(), (404, b"nope".to_vec()));
        assert!(parse_response(b"garbage").is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}").is_err());
        let r = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
        assert!(parse_response(r).is_err());
    }
}
