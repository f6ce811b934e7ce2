//! A bounds-checked little-endian cursor over a block body. Every failure carries the absolute byte
//! offset of the field that did not fit, so corrupt captures are reported precisely.

use super::error::ScapError;

#[derive(Clone)]
pub struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Absolute offset of `buf[0]` in the (decompressed) capture stream.
    base: u64,
}

impl<'a> Cursor<'a> {
    pub fn new(buf: &'a [u8], base: u64) -> Self {
        Cursor { buf, pos: 0, base }
    }

    /// Moves to the end: nothing is left to read.
    pub fn finish(&mut self) {
        self.pos = self.buf.len();
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    pub fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ScapError> {
        if self.remaining() < n {
            return Err(ScapError::Truncated {
                offset: self.offset(),
                what,
                needed: n as u64,
                available: self.remaining() as u64,
            });
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub fn skip(&mut self, n: usize, what: &'static str) -> Result<(), ScapError> {
        self.bytes(n, what).map(|_| ())
    }

    pub fn u8(&mut self, what: &'static str) -> Result<u8, ScapError> {
        Ok(self.bytes(1, what)?[0])
    }

    pub fn u16(&mut self, what: &'static str) -> Result<u16, ScapError> {
        let b = self.bytes(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    pub fn u32(&mut self, what: &'static str) -> Result<u32, ScapError> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }

    pub fn u64(&mut self, what: &'static str) -> Result<u64, ScapError> {
        let b = self.bytes(8, what)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }

    pub fn i64(&mut self, what: &'static str) -> Result<i64, ScapError> {
        self.u64(what).map(|v| v as i64)
    }

    /// A u16-length-prefixed byte string, refused when longer than `max`.
    pub fn lp_bytes(&mut self, max: usize, what: &'static str) -> Result<&'a [u8], ScapError> {
        let at = self.offset();
        let n = self.u16(what)? as usize;
        if n > max {
            return Err(ScapError::corrupt(
                at,
                format!("{what} length {n} exceeds the maximum {max}"),
            ));
        }
        self.bytes(n, what)
    }

    /// A u16-length-prefixed string (not NUL-terminated on file), decoded lossily.
    pub fn lp_string(&mut self, max: usize, what: &'static str) -> Result<String, ScapError> {
        let b = self.lp_bytes(max, what)?;
        Ok(String::from_utf8_lossy(trim_nul(b)).into_owned())
    }
}

/// The bytes before the first NUL.
pub fn trim_nul(b: &[u8]) -> &[u8] {
    match memchr_nul(b) {
        Some(i) => &b[..i],
        None => b,
    }
}

#[inline]
fn memchr_nul(b: &[u8]) -> Option<usize> {
    memchr::memchr(0, b)
}
