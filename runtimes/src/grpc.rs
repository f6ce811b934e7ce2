//! Unary gRPC calls over HTTP/2 on a unix socket (h2 + prost): a POST with the length-prefixed
//! message, and the answer's message and `grpc-status`. One connection per call.

use std::path::Path;

use bytes::{BufMut, Bytes, BytesMut};
use prost::Message;
use tokio::net::UnixStream;

use crate::error::RuntimeError;
use crate::http::MAX_ANSWER;

/// Calls `path` (`/package.Service/Method`) with `req`; `namespace` goes in containerd's
/// `containerd-namespace` header.
pub async fn unary<Req: Message, Resp: Message + Default>(
    socket: &Path,
    path: &str,
    namespace: Option<&str>,
    req: &Req,
) -> Result<Resp, RuntimeError> {
    let stream = UnixStream::connect(socket)
        .await
        .map_err(RuntimeError::Connect)?;
    let (client, conn) = h2::client::handshake(stream).await?;
    // The connection is driven beside the call; it ends when the client is dropped.
    let driver = tokio::spawn(async move {
        let _ = conn.await;
    });
    let result = call(client, path, namespace, req).await;
    driver.abort();
    result
}

async fn call<Req: Message, Resp: Message + Default>(
    client: h2::client::SendRequest<Bytes>,
    path: &str,
    namespace: Option<&str>,
    req: &Req,
) -> Result<Resp, RuntimeError> {
    let mut client = client.ready().await?;
    let mut builder = http::Request::builder()
        .method("POST")
        .uri(format!("http://localhost{path}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .header("user-agent", "falco");
    if let Some(ns) = namespace {
        builder = builder.header("containerd-namespace", ns);
    }
    let request = builder
        .body(())
        .map_err(|e| RuntimeError::Http(e.to_string()))?;
    let (answer, mut send) = client.send_request(request, false)?;
    let mut body = BytesMut::with_capacity(5 + req.encoded_len());
    body.put_u8(0);
    body.put_u32(req.encoded_len() as u32);
    req.encode(&mut body)
        .map_err(|e| RuntimeError::Decode(e.to_string()))?;
    send.send_data(body.freeze(), true)?;

    let answer = answer.await?;
    let (parts, mut recv) = answer.into_parts();
    // A trailers-only answer (an error) has grpc-status among the headers.
    check_status(&parts.headers)?;
    let mut data = BytesMut::new();
    while let Some(chunk) = recv.data().await {
        let chunk = chunk?;
        let _ = recv.flow_control().release_capacity(chunk.len());
        if data.len() + chunk.len() > MAX_ANSWER {
            return Err(RuntimeError::TooLarge(MAX_ANSWER));
        }
        data.extend_from_slice(&chunk);
    }
    if let Some(trailers) = recv.trailers().await? {
        check_status(&trailers)?;
    }
    decode_frame(&data)
}

fn check_status(h: &http::HeaderMap) -> Result<(), RuntimeError> {
    let Some(code) = h.get("grpc-status") else {
        return Ok(());
    };
    let code: u32 = code.to_str().ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    if code == 0 {
        return Ok(());
    }
    let message = h
        .get("grpc-message")
        .and_then(|m| m.to_str().ok())
        .unwrap_or("")
        .to_string();
    Err(RuntimeError::Grpc { code, message })
}

/// The message of a length-prefixed gRPC frame (uncompressed; nothing asks for compression).
fn decode_frame<Resp: Message + Default>(data: &[u8]) -> Result<Resp, RuntimeError> {
    if data.len() < 5 {
        return Err(RuntimeError::Decode("no gRPC message in the answer".into()));
    }
    if data[0] != 0 {
        return Err(RuntimeError::Decode("compressed gRPC message".into()));
    }
    let len = u32::from_be_bytes([data[1], data[2], data[3], data[4]]) as usize;
    let msg = data
        .get(5..5 + len)
        .ok_or_else(|| RuntimeError::Decode("truncated gRPC message".into()))?;
    Resp::decode(msg).map_err(|e| RuntimeError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::cri::VersionResponse;

    #[test]
    fn frames() {
        let v = VersionResponse {
            runtime_name: "containerd".into(),
            ..Default::default()
        };
        let mut b = vec![0, 0, 0, 0, v.encoded_len() as u8];
        v.encode(&mut b).unwrap();
        let back: VersionResponse = decode_frame(&b).unwrap();
        assert_eq!(back.runtime_name, "containerd");
        assert!(decode_frame::<VersionResponse>(&b[..3]).is_err());
        assert!(decode_frame::<VersionResponse>(&[1, 0, 0, 0, 0]).is_err());
        assert!(decode_frame::<VersionResponse>(&[0, 0, 0, 0, 9, 1]).is_err());
    }
}
