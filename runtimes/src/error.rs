//! What can go wrong asking a runtime.

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("cannot connect: {0}")]
    Connect(#[source] io::Error),
    #[error("i/o: {0}")]
    Io(#[from] io::Error),
    #[error("no answer within {0} ms")]
    Timeout(u64),
    #[error("malformed HTTP answer: {0}")]
    Http(String),
    #[error("HTTP status {status}: {body}")]
    Status { status: u16, body: String },
    #[error("HTTP/2: {0}")]
    H2(#[from] h2::Error),
    #[error("gRPC status {code}: {message}")]
    Grpc { code: u32, message: String },
    #[error("cannot decode the answer: {0}")]
    Decode(String),
    #[error("answer larger than {0} bytes")]
    TooLarge(usize),
}

impl RuntimeError {
    /// The runtime answered that it does not know the container (not a failure of the runtime).
    pub fn is_not_found(&self) -> bool {
        matches!(self, RuntimeError::Status { status: 404, .. })
            || matches!(self, RuntimeError::Grpc { code: 5, .. })
    }
}
